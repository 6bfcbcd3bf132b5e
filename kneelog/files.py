"""Files the runner's data goes into, and files it comes from.

Written files are private (0600) and whole or not at all. Read files must be regular files.

A file is written under a temporary name in the same folder, flushed to disk and only
then renamed over the target, so a crash or a full disk leaves the old file or none,
never half of the new one.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO


class IncompleteFile(OSError):
    """A file that came out shorter or other than it was written (a full disk that did not
    say so); the target it was meant to replace is left as it was."""


def why(error: OSError) -> str:
    """What went wrong writing a file, in words a runner can act on."""
    if error.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return "the disk is full. Free some space and try again"
    if error.errno == errno.EFBIG:
        return (
            "the disk is full, or the file is larger than this system allows. Free some "
            "space and try again"
        )
    if error.errno == errno.ENOENT:
        return "there is no such folder. Choose another folder"
    if error.errno == errno.EROFS:
        return "the disk or folder is read-only. Choose another folder"
    if error.errno in (errno.EACCES, errno.EPERM):
        return "kneelog is not allowed to write there. Choose another folder"
    if isinstance(error, IncompleteFile):
        return f"{error.strerror}; the disk may be full. Free some space and try again"
    return error.strerror or str(error)


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
            raise NotARegularFile(
                0, "it is not a regular file (a pipe, device or socket)", str(path)
            )
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]  # the module or None, tested before each use


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


def write_atomically(
    target: Path, write: Callable[[Path], None], check: Callable[[Path], None] | None = None
) -> None:
    """`write(temp)` fills a private temporary file; `check(temp)` raises IncompleteFile unless
    it is whole; only then is it flushed to disk and renamed over `target`."""
    with temporary_beside(target) as temp:
        write(temp)
        os.chmod(temp, 0o600)
        if check is not None:
            check(temp)
        put_in_place(temp, target)


def write_text_atomically(target: Path, text: str, encoding: str = "utf-8") -> None:
    meant = text.encode(encoding)

    def check(temp: Path) -> None:
        # Read back: a write that lost data without raising is caught before the rename.
        if temp.stat().st_size != len(meant) or temp.read_bytes() != meant:
            raise IncompleteFile(
                errno.EIO, "the file came out different from what was written", str(target)
            )

    write_atomically(target, lambda temp: _write_text(temp, text, encoding), check)


def _write_text(temp: Path, text: str, encoding: str) -> None:
    with open(temp, "w", encoding=encoding, newline="") as f:
        f.write(text)


# The end of a PDF: where its cross-reference table starts, then the end-of-file mark.
_PDF_END = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_XREF_HEAD = re.compile(rb"xref\s+0\s+(\d+)\s")
XREF_ENTRY_BYTES = 20  # each line of a classic cross-reference table, by the PDF specification


def check_pdf(path: Path) -> None:
    """Raise IncompleteFile unless `path` holds a whole PDF: its header, the end-of-file mark,
    and a whole cross-reference table where the trailer says it starts.

    Without Qt's PDF module: enough to tell a PDF cut short (a full disk, which Qt's writer
    does not report) from a whole one."""

    def incomplete(what: str) -> IncompleteFile:
        return IncompleteFile(errno.EIO, f"the PDF came out incomplete ({what})", str(path))

    size = path.stat().st_size
    with open(path, "rb") as f:
        if not f.read(8).startswith(b"%PDF-"):
            raise incomplete("no PDF header")
        f.seek(max(0, size - 1024))
        end = _PDF_END.search(f.read())
        if end is None:
            raise incomplete("no end-of-file mark")
        offset = int(end.group(1))
        if not 0 < offset < size:
            raise incomplete("the trailer points outside the file")
        f.seek(offset)
        head = _XREF_HEAD.match(f.read(64))
        if head is None:
            raise incomplete("no cross-reference table where the trailer points")
        f.seek(offset + head.end() + int(head.group(1)) * XREF_ENTRY_BYTES)
        if b"trailer" not in f.read(64):
            raise incomplete("the cross-reference table is cut short")


def free_name(path: Path) -> Path:
    """`path`, or `name-2.ext`, `name-3.ext`... whichever does not exist yet."""
    candidate, n = path, 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate
