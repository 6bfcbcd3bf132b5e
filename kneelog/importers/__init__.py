"""Watch files in: one module per format, each `read(data, zone) -> list[Activity]`.

`read_file` is the one boundary the rest of kneelog uses: whatever is in the file, it returns
the activities or raises ImportRejected with a reason in plain words; no library's exception
gets past it.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from .activity import MAX_FILE_BYTES, Activity, ImportRejected, NotAnActivity

__all__ = [
    "Activity",
    "ImportRejected",
    "MAX_FILE_BYTES",
    "NotAnActivity",
    "SUFFIXES",
    "read_bytes",
    "read_file",
]

SUFFIXES = (".fit", ".gpx", ".tcx")


def read_file(
    path: str | os.PathLike[str], zone: dt.tzinfo | None = None
) -> tuple[bytes, list[Activity]]:
    """The file's bytes (to hash them) and the activities in it."""
    data = load(path)
    return data, read_bytes(data, zone)


def load(path: str | os.PathLike[str]) -> bytes:
    """The file's bytes, refusing one too large before reading it all, and anything but a
    regular file (a named pipe would keep the import waiting for ever)."""
    from ..files import NotARegularFile, open_regular

    path = Path(path)
    try:
        with open_regular(path) as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError as error:
        raise ImportRejected("there is no such file") from error
    except IsADirectoryError as error:
        raise ImportRejected("this is a folder, not a file") from error
    except NotARegularFile as error:
        raise ImportRejected(
            "this is not a regular file (it is a named pipe, a device or a "
            "socket); copy the activity into a file and import that"
        ) from error
    except PermissionError as error:
        raise ImportRejected("kneelog is not allowed to read this file") from error
    except OSError as error:
        raise ImportRejected(f"the file cannot be read ({error.strerror or error})") from error
    if len(data) > MAX_FILE_BYTES:
        raise ImportRejected(
            f"this file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB, far more than any "
            "activity from a watch"
        )
    return data


def read_bytes(data: bytes, zone: dt.tzinfo | None = None) -> list[Activity]:
    """The activities in a file's content; the format is told by the content, not the name."""
    from . import fit, gpx, safe_xml, tcx

    if len(data) > MAX_FILE_BYTES:
        raise ImportRejected(f"this file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    if not data.strip():
        raise ImportRejected("this file is empty")
    try:
        if fit.looks_like_fit(data):
            return fit.read(data, zone)
        if data.lstrip()[:1] != b"<" and not data.startswith(b"\xef\xbb\xbf"):
            raise ImportRejected("this is not a GPX, TCX or FIT file")
        # The root's name tells the format; each reader then checks the whole file as its
        # parser will get it (one tree fewer than parsing it here first).
        name = safe_xml.root_name(data)
        if name == "gpx":
            return gpx.read(data, zone)
        if name == "TrainingCenterDatabase":
            return tcx.read(data, zone)
        safe_xml.check(data)  # a damaged file is said to be damaged, not "another XML"
        raise ImportRejected("this is an XML file, but not GPX or TCX")
    except ImportRejected:
        raise
    except Exception as error:  # the last guard: a library's surprise is still a refusal
        raise ImportRejected("this file is damaged and cannot be read") from error
