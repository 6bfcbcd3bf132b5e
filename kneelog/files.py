"""Files the runner's data goes into, and files it comes from.

Written files are private (0600) and whole or not at all. Read files must be regular files.

A file is written under a temporary name in the same folder, flushed to disk and only
then renamed over the target, so a crash or a full disk leaves the old file or none,
never half of the new one.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO


class NotARegularFile(OSError):
    """A path that names a named pipe, a device or a socket: reading it could wait for ever."""


def open_regular(path: Path) -> BinaryIO:
    """`path` opened to read, if it is a regular file; NotARegularFile (an OSError) otherwise.

    Opened without blocking, then checked on the open file itself: opening a named pipe
    normally waits for a writer (for ever), and a check of the path before opening it could
    be fooled by swapping the file in between."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(21, "it is a folder, not a file", str(path))
        if not stat.S_ISREG(mode):
            raise NotARegularFile(0, "it is not a regular file (a pipe, device or socket)", str(path))
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def private_folder(folder: Path) -> Path:
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


@contextlib.contextmanager
def temporary_beside(target: Path) -> Iterator[Path]:
    """A new empty 0600 file in the target's folder (which must exist); removed on the way out
    unless it was renamed."""
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    temp = Path(name)
    try:
        yield temp
    finally:
        for leftover in (temp, temp.with_name(temp.name + "-journal")):
            leftover.unlink(missing_ok=True)


def sync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable; folders cannot be opened for this on Windows."""
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def put_in_place(temp: Path, target: Path) -> None:
    """Move a fully written temporary file over `target` in one step."""
    sync_file(temp)
    os.replace(temp, target)
    sync_folder(target.parent)


def write_atomically(target: Path, write: Callable[[Path], None]) -> None:
    """`write(temp)` fills a private temporary file, which then replaces `target` whole."""
    with temporary_beside(target) as temp:
        write(temp)
        os.chmod(temp, 0o600)
        put_in_place(temp, target)


def write_text_atomically(target: Path, text: str, encoding: str = "utf-8") -> None:
    def write(temp: Path) -> None:
        with open(temp, "w", encoding=encoding, newline="") as f:
            f.write(text)

    write_atomically(target, write)


def free_name(path: Path) -> Path:
    """`path`, or `name-2.ext`, `name-3.ext`... whichever does not exist yet."""
    candidate, n = path, 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate
