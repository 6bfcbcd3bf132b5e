"""Backups of a journal, taken with SQLite's backup API, kept as a rolling set, restored whole.

Backups live in a `backups` folder beside the journal, one file per backup, named after the
journal, the time it was taken and why:

    backups/journal.2026-11-21T081500.start-up.db

Each is a standalone journal (rollback journal mode, so reading it creates no -wal/-shm
beside it), private to the runner (0600), and checked with integrity_check before it
takes its final name: a copy that fails the check is deleted and reported, never kept.
They are taken at start-up when the journal changed since the last one, before a
migration (Store.open), before an import batch (`before_import`) and before a restore.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import re
import shutil
import sqlite3
from collections.abc import Callable, Iterable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from . import journal_file
from .checks import integrity_problems
from .files import private_folder, put_in_place, temporary_beside
from .journal_file import JournalError, read_only

log = logging.getLogger(__name__)

FOLDER = journal_file.BACKUPS_FOLDER
KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 7, 4, 6
STAMP = "%Y-%m-%dT%H%M%S"

START_UP = "start-up"
BEFORE_UPDATE = "before-update"
BEFORE_IMPORT = "before-import"
BEFORE_RESTORE = "before-restore"
BY_HAND = "by-hand"
REASONS = {
    START_UP: "when kneelog started",
    BEFORE_UPDATE: "before kneelog updated the journal",
    BEFORE_IMPORT: "before an import",
    BEFORE_RESTORE: "before a restore",
    BY_HAND: "taken by hand",
}

_NAME = re.compile(
    r"^(?P<stem>.+)\.(?P<taken>\d{4}-\d\d-\d\dT\d{6})(?:-(?P<n>\d+))?"
    r"\.(?P<reason>[a-z-]+)\.db$"
)


class BackupFailed(JournalError):
    """A backup could not be written, or the copy did not pass its check (it was deleted)."""


@dataclass(frozen=True)
class Backup:
    path: Path
    taken: dt.datetime
    reason: str

    @property
    def why(self) -> str:
        return REASONS.get(self.reason, self.reason.replace("-", " "))

    def describe(self) -> str:
        """'Sat 21 Nov 2026, 08:15, when kneelog started'"""
        return f"{self.taken:%a %d %b %Y, %H:%M}, {self.why}"


def folder_of(journal: Path) -> Path:
    return Path(journal).parent / FOLDER


def list_backups(journal: Path) -> list[Backup]:
    """The journal's backups, newest first (other journals' backups in the folder are skipped)."""
    folder = folder_of(journal)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        m = _NAME.match(path.name)
        if m and m["stem"] == Path(journal).stem:
            taken = dt.datetime.strptime(m["taken"], STAMP)
            found.append((taken, int(m["n"] or 1), Backup(path, taken, m["reason"])))
    return [b for *_, b in sorted(found, key=lambda t: t[:2], reverse=True)]


def entry_count(backup: Backup | Path) -> int | None:
    """How many entries a backup holds; None when it cannot be read."""
    path = backup.path if isinstance(backup, Backup) else backup
    try:
        with closing(read_only(path)) as conn:
            count: int = conn.execute("SELECT count(*) FROM entries").fetchone()[0]
            return count
    except sqlite3.DatabaseError:
        return None


def is_good(backup: Backup) -> bool:
    try:
        with closing(read_only(backup.path)) as conn:
            return not integrity_problems(conn)
    except sqlite3.DatabaseError:
        return False


def newest_good(journal: Path) -> Backup | None:
    return next((b for b in list_backups(journal) if is_good(b)), None)


# -- writing -----------------------------------------------------------------------------


def write_copy(source: sqlite3.Connection, target: Path) -> None:
    """Copy the journal open on `source` to `target` (replaced whole), checked, 0600.

    Used for backups and for "Save a copy as...". Raises BackupFailed, leaving `target` as
    it was, when the copy cannot be written or does not pass integrity_check.
    """
    try:
        with temporary_beside(target) as temp:
            with closing(sqlite3.connect(temp)) as copy:
                # A new file no one else sees: no rollback journal or syncs while it is written;
                # put_in_place syncs it once, before it takes its name.
                copy.execute("PRAGMA synchronous = OFF")
                copy.execute("PRAGMA journal_mode = MEMORY")
                source.backup(copy)
                copy.execute("PRAGMA journal_mode = DELETE")  # not WAL: one standalone file
            with closing(read_only(temp)) as copy:  # read back from disk, not the page cache
                problems = integrity_problems(copy)
            if problems:
                log.error("A copy of the journal failed its check and was deleted: %s", problems)
                raise BackupFailed(
                    f"The copy written to {target} did not pass its check, so kneelog deleted "
                    "it. The disk may be failing: check it, or save a copy to another disk."
                )
            put_in_place(temp, target)
    except (OSError, sqlite3.Error) as error:
        raise BackupFailed(
            _could_not(
                f"write a copy of the journal to {target}",
                error,
                "save the copy to another disk or folder",
            )
        ) from error


def _could_not(what: str, error: BaseException, instead: str | None = None) -> str:
    """The message for a failed write: the reason when the error tells it, never a guess."""
    why = journal_file.failure_reason(error)
    then = f", or {instead}." if instead else ", then try again."
    if why == "the disk is full":
        return f"kneelog could not {what}: the disk is full. Free some space on it{then}"
    if why:
        return f"kneelog could not {what}: {why}. Make it writable{then}"
    return (
        f"kneelog could not {what} ({getattr(error, 'strerror', None) or error}). Check that "
        f"the disk is connected and has free space{then}"
    )


def back_up(
    source: sqlite3.Connection,
    journal: Path,
    reason: str = BY_HAND,
    now: dt.datetime | None = None,
    prune: bool = True,
) -> Backup:
    """Take a backup of the journal open on `source` now, then thin out the old ones."""
    now = (now or dt.datetime.now()).replace(microsecond=0)
    try:
        folder = private_folder(folder_of(journal))
    except OSError as error:
        raise BackupFailed(
            _could_not(
                f"make the backups folder {folder_of(journal)}",
                error,
                "move the journal to a folder you can write to",
            )
        ) from error
    stem = f"{Path(journal).stem}.{now:{STAMP}}"
    n = 1 + sum(b.taken == now for b in list_backups(journal))  # several in one second
    path = folder / (f"{stem}.{reason}.db" if n == 1 else f"{stem}-{n}.{reason}.db")
    while path.exists():
        n += 1
        path = folder / f"{stem}-{n}.{reason}.db"
    write_copy(source, path)
    log.info("Backed up %s to %s", journal, path.name)
    if prune:
        remove_old(journal)
    return Backup(path, now, reason)


def before_import(source: sqlite3.Connection, journal: Path) -> Backup:
    """For the import code: call before writing a batch of imported files."""
    return back_up(source, journal, BEFORE_IMPORT)


def fingerprint(journal: Path) -> str:
    """A hash of the journal's bytes, its WAL included: equal means unchanged."""
    digest = hashlib.sha256()
    for path in (Path(journal), Path(f"{journal}-wal")):
        try:
            with open(path, "rb") as f:
                for chunk in iter(lambda: f.read(1 << 20), b""):
                    digest.update(chunk)
        except FileNotFoundError:
            pass
        digest.update(b"\x00")
    return digest.hexdigest()


def _marker(journal: Path) -> Path:
    return folder_of(journal) / f"{Path(journal).stem}.last-backup"


def back_up_if_changed(
    source: sqlite3.Connection, journal: Path, now: dt.datetime | None = None
) -> Backup | None:
    """The start-up backup: taken only when the journal changed since the last backup.

    An empty journal has nothing to lose and is not backed up.
    """
    journal = Path(journal)
    marker = _marker(journal)
    # What a close would do anyway: the WAL into the file, so the same data hashes the same
    # whether or not it was still in the WAL. Busy (another reader) is fine: the WAL is hashed.
    source.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    current = fingerprint(journal)
    try:
        if marker.read_text().strip() == current and list_backups(journal):
            return None
    except OSError:
        pass
    if not any(
        source.execute(f'SELECT 1 FROM "{t}" LIMIT 1').fetchone() for t in _data_tables(source)
    ):
        return None
    backup = back_up(source, journal, START_UP, now)
    _write_marker(marker, current)
    return backup


def _write_marker(marker: Path, text: str) -> None:
    fd = os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(text)


def _data_tables(conn: sqlite3.Connection) -> list[str]:
    return [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' AND name != '_sqlite_migrations'"
        )
    ]


# -- thinning out ------------------------------------------------------------------------


def to_keep(
    taken: Iterable[dt.datetime],
    daily: int = KEEP_DAILY,
    weekly: int = KEEP_WEEKLY,
    monthly: int = KEEP_MONTHLY,
) -> set[dt.datetime]:
    """Which backup times a rolling set keeps: the newest of each of the last `daily` days
    that have a backup, of the last `weekly` ISO weeks, and of the last `monthly` months."""
    newest_first = sorted(set(taken), reverse=True)
    keep: set[dt.datetime] = set()
    rules: list[tuple[int, Callable[[dt.datetime], object]]] = [
        (daily, lambda t: t.date()),
        (weekly, lambda t: t.isocalendar()[:2]),
        (monthly, lambda t: (t.year, t.month)),
    ]
    for count, period in rules:
        seen: list[object] = []
        for t in newest_first:
            key = period(t)
            if key in seen:
                continue
            if len(seen) == count:
                break
            seen.append(key)
            keep.add(t)
    return keep


def remove_old(journal: Path) -> list[Path]:
    """Delete the backups the rolling set no longer keeps; return them.

    The newest backup of each kind (before an update, an import, a restore...) is kept as
    well, so that the copy taken just before a change survives the backups taken after it.
    """
    backups = list_backups(journal)
    keep = to_keep(b.taken for b in backups)
    newest: dict[str, Backup] = {}
    for b in backups:
        newest.setdefault(b.reason, b)
    removed = []
    last_of_time: dict[dt.datetime, Backup] = {}
    for b in backups:  # several in one second: the rules keep the newest of them
        last_of_time.setdefault(b.taken, b)
    for b in backups:
        if (b.taken in keep and last_of_time[b.taken] is b) or newest[b.reason] is b:
            continue
        b.path.unlink(missing_ok=True)
        removed.append(b.path)
    if removed:
        log.info("Removed %d old backup(s) of %s", len(removed), journal)
    return removed


# -- restoring ---------------------------------------------------------------------------


def _aside_name(journal: Path, why: str, now: dt.datetime | None) -> Path:
    """`journal.<why>-<time>.db`, or with -2, -3... when that name is taken."""
    now = (now or dt.datetime.now()).replace(microsecond=0)
    aside = journal.with_name(f"{journal.stem}.{why}-{now:{STAMP}}{journal.suffix}")
    n = 1
    while aside.exists():
        n += 1
        aside = journal.with_name(f"{journal.stem}.{why}-{now:{STAMP}}-{n}{journal.suffix}")
    return aside


def set_aside(journal: Path, why: str, now: dt.datetime | None = None) -> Path:
    """Rename the journal (with its -wal and -shm) to `journal.<why>-<time>.db`, untouched."""
    journal = Path(journal)
    aside = _aside_name(journal, why, now)
    journal_file.replace_journal(journal, None, aside)
    return aside


def restore(
    backup: Backup, journal: Path, why: str = "replaced", now: dt.datetime | None = None
) -> Path | None:
    """Put `backup` in place of the journal; return where the journal it replaced was kept.

    The journal must be closed. It is kept aside, never deleted or written to (it may be
    damaged), and the backup is copied into place whole: at every moment, a crash included,
    the journal's path holds either the old journal or the backup (journal_file.replace_journal).
    Nothing is changed when the backup itself does not pass its check. None: there was no
    journal to keep aside.
    """
    journal = Path(journal)
    if not is_good(backup):
        raise BackupFailed(
            f"The backup from {backup.describe()} is damaged too, so kneelog did not restore "
            "it. Choose an older backup."
        )
    try:
        journal_file.refuse_untouched(
            backup.path, writing=False
        )  # e.g. a backup a newer kneelog took
    except JournalError as error:
        raise BackupFailed(
            f"kneelog did not restore the backup from {backup.describe()}: {error}"
        ) from error
    try:
        with temporary_beside(journal) as temp:
            shutil.copyfile(backup.path, temp)
            with closing(read_only(temp)) as copy:
                if integrity_problems(copy):
                    raise BackupFailed(
                        "The backup could not be copied correctly next to the journal. Check "
                        "that the disk is not full or failing, then try again."
                    )
            if journal.exists():
                aside = _aside_name(journal, why, now)
                journal_file.replace_journal(journal, temp, aside)
            else:
                aside = None
                put_in_place(temp, journal)
    except OSError as error:
        raise BackupFailed(
            _could_not("restore the backup", error) + " Your journal was left as it was."
        ) from error
    log.info("Restored %s from %s; the journal it replaced is %s", journal, backup.path.name, aside)
    return aside
