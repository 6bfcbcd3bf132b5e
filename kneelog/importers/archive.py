"""A whole Strava or Garmin Connect export, as a zip or as the folder it unpacks to.

`open_export(path)` lists the activity files in it (with what the export says about each:
see export_meta) without unpacking anything to disk: members are read from the zip into
memory one at a time, nested zips (Garmin's `UploadedFiles_*.zip`) and `.gz` members
(Strava's originals) included. A nested zip is never held whole (a part of a real Garmin
export is up to about 1 GB): one stored as it is (not compressed again) is read in place, in
the export's file; a compressed one is unpacked once, still a zip, into a temporary file
that has no name on disk and goes when it is closed (see `_NestedZip`). A zip is checked before anything in it is read, and refused whole, with the reason,
when it is built to harm: a member path that leaves its folder or is absolute, a symbolic
link, more members than any export holds, members or a total larger than any export, a
compression ratio only a zip bomb has, zips nested deeper than an export nests them.
Checking needs only the zip's directory, so a refusal takes a fraction of a second.

Which export it is, is told by its layout: `activities.csv` beside an `activities/` folder is
Strava's; a `DI_CONNECT/` folder is Garmin's. Any other zip or folder is read as a bundle of
watch files.
"""

from __future__ import annotations

import io
import os
import stat
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO, cast

from . import export_meta
from .activity import MAX_FILE_BYTES, ImportRejected
from .export_meta import HandEntry, Meta, ShoeRow

# What any real export stays far below (one real Garmin export: 7,779 files; a Strava export
# of ten years: a few thousand activities and their photos).
MAX_MEMBERS = 50_000  # in the export, nested zips included
MAX_TOTAL_BYTES = 20 * 1024**3  # the uncompressed size of all the members kneelog reads
MAX_NESTED_BYTES = 4 * 1024**3  # one nested zip (real parts: up to about 1 GB)
# A compressed nested zip is unpacked into a temporary file; up to this much of it stays in
# memory instead (a small part is read faster so).
SPOOL_IN_MEMORY = 4 * 1024**2
COPY_CHUNK = 1024**2
MAX_TABLE_BYTES = 64 * 1024**2  # activities.csv, shoes.csv, summarizedActivities.json
# Watch files compress 3x (FIT) to 20x (GPX, TCX); a stream of zeros 1000x. The ratio is
# looked at only in members over a megabyte, where a real file cannot reach it.
MAX_RATIO = 100
RATIO_FROM_BYTES = 1024**2
MAX_DEPTH = 1  # the export's zip may hold zips; those may not hold more zips
ACTIVITY_SUFFIXES = (".fit", ".gpx", ".tcx")


class ArchiveRefused(ImportRejected):
    """The whole export is refused (unsafe, unreadable, not an export); `reason` says why."""


@dataclass(frozen=True)
class Member:
    """One activity of the export: `name` is its path inside the export as the runner would
    find it (`activities/123.fit.gz`, `.../UploadedFiles_0-_Part1.zip/run.fit`), or, for an
    activity entered by hand on Strava (`by_hand`, no file), its row's name
    (`activities.csv (activity 1008)`)."""

    name: str
    container: str = ""  # the nested zip that holds it, "" for the export itself
    inner: str = ""  # its name inside that container
    size: int = 0
    meta: Meta = field(default_factory=Meta)
    by_hand: HandEntry | None = None


@dataclass
class Export:
    path: Path
    kind: str  # "Strava", "Garmin Connect" or "" (a bundle of watch files)
    members: list[Member] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # listed in activities.csv, not there
    shoes: list[ShoeRow] = field(default_factory=list)
    # What Garmin's activity summaries say, by start time (UTC seconds): the files of a Garmin
    # export are named by upload, so the start time is what ties a file to its summary.
    by_start: dict[int, Meta] = field(default_factory=dict)
    _zip: zipfile.ZipFile | None = None
    _open_container: _NestedZip | None = None
    _unreadable: dict[str, str] = field(default_factory=dict)  # nested zip -> why

    def read(self, member: Member) -> bytes:
        """The member's bytes as stored (a `.gz` member still compressed); ImportRejected when
        it cannot be read. Members of one nested zip are best read one after another: the
        nested zip stays open until a member of another one is asked for."""
        if not member.container:
            return self._read_top(member.inner, MAX_FILE_BYTES)
        if member.container in self._unreadable:  # tried once: not again for each member
            raise ImportRejected(self._unreadable[member.container])
        if self._open_container is None or self._open_container.name != member.container:
            self._close_container()  # the previous nested zip is let go first
            try:
                self._open_container = self._open_nested(member.container)
            except ImportRejected as error:
                self._unreadable[member.container] = error.reason
                raise
        return _read_zip_member(self._open_container.zip, member.inner, MAX_FILE_BYTES)

    def _open_nested(self, name: str) -> _NestedZip:
        if self._zip is not None:
            return _NestedZip.in_zip(self.path, self._zip, name)
        return _NestedZip.in_folder(self.path, name)

    def _close_container(self) -> None:
        if self._open_container is not None:
            self._open_container.close()
            self._open_container = None

    def _read_top(self, name: str, limit: int) -> bytes:
        if self._zip is not None:
            return _read_zip_member(self._zip, name, limit)
        return _read_in_folder(self.path, name, limit)

    def close(self) -> None:
        self._close_container()
        if self._zip is not None:
            self._zip.close()
            self._zip = None

    def __enter__(self) -> Export:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def is_export(path: Path) -> bool:
    """Whether a path given to `kneelog import` is read as one export rather than as files: a
    zip file, or a folder laid out as a Strava or Garmin export."""
    if path.is_dir():
        return (path / "activities.csv").is_file() or (path / "DI_CONNECT").is_dir()
    return path.suffix.lower() == ".zip"


def open_export(path: str | os.PathLike[str]) -> Export:
    """The export's activity files and what it says about them; ArchiveRefused when it is not
    safe to read or not an export at all."""
    path = Path(path)
    if path.is_dir():
        export = Export(path, "")
        names = _folder_names(path)
        sizes = dict.fromkeys(names, 0)
    else:
        zf = _open_zip(path, path.name)
        export = Export(path, "", _zip=zf)
        sizes = _checked_names(zf, path.name, depth=0)
        names = list(sizes)
    try:
        _list(export, names, sizes)
    except BaseException:
        export.close()
        raise
    return export


def _list(export: Export, names: list[str], sizes: dict[str, int]) -> None:
    lower = {n.lower(): n for n in names}
    strava = "activities.csv" in lower
    garmin = any(n.startswith("di_connect/") for n in lower)
    export.kind = "Strava" if strava else "Garmin Connect" if garmin else ""
    metas: dict[str, Meta] = {}
    by_start: dict[int, Meta] = {}
    by_hand: list[HandEntry] = []
    if strava:
        table = export_meta.strava_table(export._read_top(lower["activities.csv"], MAX_TABLE_BYTES))
        metas = dict(table.files)
        by_hand = table.by_hand
        if "shoes.csv" in lower:
            export.shoes = export_meta.strava_shoes(
                export._read_top(lower["shoes.csv"], MAX_TABLE_BYTES)
            )
        present = {n.lower() for n in names}
        export.missing = [f for f in metas if f.lower() not in present]
    for name in names:
        if garmin and name.lower().endswith(".json") and "summarizedactivities" in name.lower():
            by_start.update(export_meta.garmin_activities(export._read_top(name, MAX_TABLE_BYTES)))
    total = 0
    containers = []
    for name in names:
        low = name.lower()
        if strava and not low.startswith("activities/"):
            continue  # routes/ are plans, not runs; media/ are photos
        if low.endswith(".zip"):
            containers.append(name)
        elif _activity_name(low):
            total += sizes[name]
            meta = metas.get(name) or metas.get(low) or Meta()
            export.members.append(Member(name, "", name, sizes[name], meta))
    seen = len(names)
    for container in containers:
        try:
            nested = export._open_nested(container)
        except ArchiveRefused:
            raise
        except ImportRejected as error:  # the whole export: it is nothing without its parts
            reason = error.reason
            raise ArchiveRefused(
                reason if container in reason else f"{container} cannot be read: {reason}"
            ) from error
        try:
            inner = _checked_names(nested.zip, container, depth=1)
        finally:
            nested.close()
        seen += len(inner)
        if seen > MAX_MEMBERS:
            raise ArchiveRefused(_too_many())
        for name, size in inner.items():
            if _activity_name(name.lower()):
                total += size
                export.members.append(Member(f"{container}/{name}", container, name, size))
    # After the files, in the table's order: an activity entered by hand, which has no file.
    export.members += [Member(h.label, meta=h.meta, by_hand=h) for h in by_hand]
    if total > MAX_TOTAL_BYTES:
        raise ArchiveRefused(
            f"its activity files would take {total / 1024**3:.0f} GB unpacked, more than "
            f"{MAX_TOTAL_BYTES // 1024**3} GB: far more than any export holds"
        )
    export.by_start = by_start
    if not export.members and not export.missing:
        raise ArchiveRefused(
            "there are no activities in it (no FIT, GPX or TCX files, plain or gzipped)"
        )


def _activity_name(low: str) -> bool:
    base = low.removesuffix(".gz")
    name = PurePosixPath(base).name
    return base.endswith(ACTIVITY_SUFFIXES) and not name.startswith(".")


def _too_many() -> str:
    return (
        f"it holds more than {MAX_MEMBERS:,} files, far more than any export; it is not one, "
        "or it was built to keep kneelog busy"
    )


def _open_zip(source: Path | BinaryIO, name: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(source)
    except FileNotFoundError as error:
        raise ArchiveRefused("there is no such file") from error
    except PermissionError as error:
        raise ArchiveRefused("kneelog is not allowed to read this file") from error
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as error:
        raise ArchiveRefused(
            f"{name} is not a zip file, or it is damaged or cut short (perhaps the download "
            "did not finish); download the export again"
        ) from error
    except OSError as error:
        raise ArchiveRefused(f"{name} cannot be read ({error.strerror or error})") from error


def _checked_names(zf: zipfile.ZipFile, where: str, depth: int) -> dict[str, int]:
    """Every member's name and size, once the zip's directory has been checked as a whole."""
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ArchiveRefused(_too_many())
    sizes: dict[str, int] = {}
    for info in infos:
        name = info.filename
        _check_path(name, where)
        if stat.S_ISLNK(info.external_attr >> 16):
            raise ArchiveRefused(
                f"{where} holds a symbolic link ({name}), which no export has; kneelog does "
                "not follow links out of an export"
            )
        if info.is_dir():
            continue
        low = name.lower()
        if low.endswith(".zip") and depth >= MAX_DEPTH:
            raise ArchiveRefused(
                f"{where} holds zips inside zips inside zips ({name}), deeper than any export "
                "nests them"
            )
        if info.file_size > RATIO_FROM_BYTES and info.file_size > MAX_RATIO * max(
            info.compress_size, 1
        ):
            raise ArchiveRefused(
                f"{name} in {where} would unpack to {info.file_size / info.compress_size:,.0f} "
                "times its packed size, which only a zip bomb does"
            )
        limit = MAX_NESTED_BYTES if low.endswith(".zip") else MAX_TABLE_BYTES
        wanted = low.endswith(".zip") or _activity_name(low) or low.endswith((".csv", ".json"))
        if wanted and info.file_size > max(limit, MAX_FILE_BYTES):
            raise ArchiveRefused(
                f"{name} in {where} would unpack to {info.file_size / 1024**2:,.0f} MB, more "
                "than any file of an export"
            )
        sizes[name] = info.file_size
    return sizes


def _check_path(name: str, where: str) -> None:
    """A member path must stay inside the export: no absolute path, drive or `..`. kneelog
    unpacks nothing to disk, but a zip built this way is built to harm, and is refused."""
    unified = name.replace("\\", "/")
    parts = PurePosixPath(unified).parts
    if (
        unified.startswith("/")
        or (len(unified) > 1 and unified[1] == ":")
        or ".." in parts
        or "\x00" in name
    ):
        raise ArchiveRefused(
            f"{where} holds a file whose path leads out of it ({name!r}); no export does that, "
            "so kneelog reads nothing from it"
        )


def _read_zip_member(zf: zipfile.ZipFile, name: str, limit: int) -> bytes:
    try:
        with zf.open(name) as f:
            data = f.read(limit + 1)
    except KeyError as error:
        raise ImportRejected("it is not in the export") from error
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError) as error:
        raise ImportRejected(
            "it is damaged inside the zip (its checksum does not match, or it is cut short)"
        ) from error
    except NotImplementedError as error:
        raise ImportRejected("it is packed in a way kneelog cannot unpack") from error
    if len(data) > limit:
        raise ImportRejected(f"it is larger than {limit // 1024**2} MB")
    return data


def _read_in_folder(root: Path, name: str, limit: int) -> bytes:
    with _open_in_folder(root, name) as f:
        try:
            data = f.read(limit + 1)
        except OSError as error:
            raise ImportRejected(f"it cannot be read ({error.strerror or error})") from error
    if len(data) > limit:
        raise ImportRejected(f"it is larger than {limit // 1024**2} MB")
    return data


def _open_in_folder(root: Path, name: str) -> BinaryIO:
    from ..files import NotARegularFile, open_regular

    path = root / name
    try:
        if not path.resolve().is_relative_to(root.resolve()):
            raise ImportRejected("it is a link that leads out of the export's folder")
        return open_regular(path)
    except FileNotFoundError as error:
        raise ImportRejected("it is not in the export") from error
    except NotARegularFile as error:
        raise ImportRejected("it is not a regular file") from error
    except OSError as error:
        raise ImportRejected(f"it cannot be read ({error.strerror or error})") from error


class _NestedZip:
    """A zip inside the export, open to read without holding it in memory.

    - In an unpacked export it is a file of its own: opened as it is.
    - Stored in the export's zip as it is (not compressed again, as zips of zips usually
      are): its bytes lie in one piece in the export's file, and are read there, through a
      window on that piece (`_Window`). Python's own seek in a zip member would read the
      member from its start up to each file in it: for a part of 1 GB holding thousands of
      files, terabytes.
    - Compressed in the export's zip: unpacked once, from start to end (its checksum
      checked), into a temporary file with no name on disk (kept in memory up to
      SPOOL_IN_MEMORY), and read there. Reading it in place would unpack it again from its
      start for each file in it.
    The zip-safety checks of the nested level (paths, links, member count, sizes, ratio,
    depth) are made on its directory, as for the export itself (`_checked_names`)."""

    def __init__(self, name: str, source: BinaryIO | _Window):
        self.name = name
        self._source = source
        try:
            self.zip = _open_zip(cast(BinaryIO, source), name)
        except BaseException:
            source.close()
            raise

    @classmethod
    def in_folder(cls, root: Path, name: str) -> _NestedZip:
        return cls(name, _open_in_folder(root, name))

    @classmethod
    def in_zip(cls, path: Path, outer: zipfile.ZipFile, name: str) -> _NestedZip:
        info = outer.getinfo(name)
        if info.file_size > MAX_NESTED_BYTES:
            raise ArchiveRefused(_too_big(name, info.file_size))
        if info.compress_type == zipfile.ZIP_STORED and info.compress_size == info.file_size:
            return cls(name, _Window.of_member(path, info))
        return cls(name, _spooled(outer, info))

    def close(self) -> None:
        self.zip.close()
        self._source.close()


def _too_big(name: str, size: int) -> str:
    return (
        f"{name} would unpack to {size / 1024**2:,.0f} MB, more than any part of an export "
        f"(at most {MAX_NESTED_BYTES // 1024**3} GB)"
    )


def _damaged(name: str) -> str:
    return (
        f"{name} is damaged inside the export (its checksum does not match, or it is cut "
        "short); download the export again"
    )


def _spooled(outer: zipfile.ZipFile, info: zipfile.ZipInfo) -> BinaryIO:
    """A compressed member unpacked into a temporary file, a chunk at a time."""
    # Handed back open, to be read until the nested zip is closed.
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115
    try:
        copied = 0
        with outer.open(info) as f:
            while chunk := f.read(COPY_CHUNK):
                copied += len(chunk)
                if copied > MAX_NESTED_BYTES:  # its directory said less: built to mislead
                    raise ArchiveRefused(_too_big(info.filename, copied))
                spool.write(chunk)
        spool.seek(0)
    except ImportRejected:
        spool.close()
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as error:
        spool.close()
        raise ImportRejected(_damaged(info.filename)) from error
    except NotImplementedError as error:
        spool.close()
        raise ImportRejected(f"{info.filename} is packed in a way kneelog cannot unpack") from error
    except OSError as error:
        spool.close()
        raise ImportRejected(
            f"{info.filename} could not be unpacked into the temporary folder "
            f"{tempfile.gettempdir()} ({error.strerror or error}); make some room there, "
            "then import the export again"
        ) from error
    return spool  # type: ignore[return-value]  # a binary file in all but its declared type


class _Window(io.RawIOBase):
    """A piece of a file (`size` bytes from `start`) read as a file of its own."""

    def __init__(self, path: Path, start: int, size: int):
        super().__init__()
        # Its own handle, closed with the window: the export's zip keeps its position.
        self._file = open(path, "rb")  # noqa: SIM115
        self._start, self._size, self._pos = start, size, 0

    @classmethod
    def of_member(cls, path: Path, info: zipfile.ZipInfo) -> _Window:
        """The bytes of a stored member: after its local header, whose name and extra field
        may differ in length from the directory's."""
        try:
            with open(path, "rb") as f:
                f.seek(info.header_offset)
                head = f.read(30)
                end = f.seek(0, os.SEEK_END)
        except OSError as error:
            raise ImportRejected(f"it cannot be read ({error.strerror or error})") from error
        if len(head) < 30 or head[:4] != b"PK\x03\x04":
            raise ImportRejected(_damaged(info.filename))
        name_length, extra_length = struct.unpack("<HH", head[26:30])
        start = info.header_offset + 30 + name_length + extra_length
        if start + info.file_size > end:
            raise ImportRejected(_damaged(info.filename))
        return cls(path, start, info.file_size)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._pos, os.SEEK_END: self._size}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        wanted = min(len(buffer), max(0, self._size - self._pos))
        if not wanted:
            return 0
        self._file.seek(self._start + self._pos)
        got = self._file.readinto(memoryview(buffer)[:wanted])
        self._pos += got
        return got

    def close(self) -> None:
        if not self.closed:
            self._file.close()
        super().close()


def _folder_names(root: Path) -> list[str]:
    names: list[str] = []
    for path in _walk(root):
        names.append(path.relative_to(root).as_posix())
        if len(names) > MAX_MEMBERS:
            raise ArchiveRefused(_too_many())
    return sorted(names, key=str.lower)


def _walk(root: Path) -> Iterator[Path]:
    """Regular files under root, links not followed (a folder link could loop for ever)."""
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for file in files:
            if not file.startswith("."):
                yield Path(folder) / file


def unpacked(name: str, data: bytes) -> bytes:
    """A member's content: a `.gz` member gunzipped, at most MAX_FILE_BYTES of it."""
    if not name.lower().endswith(".gz"):
        return data
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, MAX_FILE_BYTES + 1)
    except zlib.error as error:
        raise ImportRejected("it is not a whole gzip file (damaged or cut short)") from error
    if len(out) > MAX_FILE_BYTES or inflater.unconsumed_tail:
        raise ImportRejected(f"it unpacks to more than {MAX_FILE_BYTES // 1024**2} MB")
    if not inflater.eof:
        raise ImportRejected("it is cut short (the gzip file ends before its end)")
    return out
