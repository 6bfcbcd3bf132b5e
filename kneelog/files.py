"""Writing files the runner's data goes into: private (0600) and whole or not at all.

A file is written under a temporary name in the same folder, flushed to disk and only
then renamed over the target, so a crash or a full disk leaves the old file or none,
never half of the new one.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None


def private_folder(folder: Path) -> Path:
    """`folder`, made 0700 if missing, and so is each missing folder above it (mkdir's
    `parents=True` would make those with the default mode, readable by everyone)."""
    missing = []
    for parent in (folder, *folder.parents):
        if parent.exists():
            break
        missing.append(parent)
    for parent in reversed(missing):
        try:
            parent.mkdir(mode=0o700)
        except FileExistsError:  # made meanwhile by someone else: theirs to keep as it is
            continue
        os.chmod(parent, 0o700)  # whatever the umask took away
    if not folder.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, "Not a folder", str(folder))
    return folder


@contextlib.contextmanager
def temporary_beside(target: Path) -> Iterator[Path]:
    """A new empty 0600 file in the target's folder (which must exist); removed on the way out
    unless it was renamed.

    It is locked (flock) while in use, so that a later start can tell a copy left by a killed
    kneelog, which it deletes, from one another kneelog is still writing.
    """
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    temp = Path(name)
    try:
        lock(fd)
        yield temp
    finally:
        os.close(fd)
        for leftover in (temp, temp.with_name(temp.name + "-journal")):
            leftover.unlink(missing_ok=True)


def lock(fd: int) -> None:
    """Hold the open file locked until `fd` is closed (or the process dies)."""
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


STALE_AFTER_S = 3600  # where files cannot be locked: a temporary file this old was left behind


def held_by_a_live_process(path: Path) -> bool:
    """Whether a running process holds `path` locked (see temporary_beside)."""
    if fcntl is None:
        try:
            return time.time() - path.stat().st_mtime < STALE_AFTER_S
        except OSError:
            return False
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        os.close(fd)  # also lets go of the lock just taken
    return False


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
