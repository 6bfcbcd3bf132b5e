"""The journal as a file: what is at its path, why it cannot be opened, and changing which
file is there without ever leaving the path empty.

The store (opening, migrations) and the backups (copies, restores) both build on this
module; it imports neither of them, nor Qt.

Every reason a journal cannot be opened is its own error with its own message, because the
runner's next step differs: a full disk wants space freed, a read-only folder wants the file
moved, a damaged file wants a backup. Only a damaged journal is offered the recovery that
puts it aside, so no other failure can ever lead to a healthy journal being renamed away.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Collection
from contextlib import closing
from pathlib import Path

from .files import (
    held_by_a_live_process,
    lock,
    private_folder,
    sync_file,
    sync_folder,
    temporary_beside,
)

log = logging.getLogger(__name__)

APPLICATION_ID = 0x4B6E4C67  # "KnLg" in the SQLite header marks a kneelog journal
SQLITE_HEADER = b"SQLite format 3\x00"
SUFFIXES = ("-wal", "-shm")  # SQLite's files beside a journal in WAL mode; the -wal holds data
BACKUPS_FOLDER = "backups"
BUSY_TIMEOUT_S = 5.0  # how long to wait for another program's write to finish
MIGRATION_SET = "kneelog"  # the name sqlite-utils records a journal's migrations under
# Every migration this kneelog knows, in the order they apply (store.py defines them; a test
# checks the two agree). A journal that has had one not named here is from a newer kneelog.
MIGRATIONS = (
    "m001_initial",
    "m002_recorded_runs",
    "m003_triage",
    "m004_stable_identity",
    "m005_temperature",
)


class JournalError(Exception):
    """A journal that cannot be opened; the message says why and what to do."""


class NotAJournal(JournalError):
    """Not a database, or another program's database."""


class JournalEmpty(JournalError):
    """A file of 0 bytes where the journal should be."""


class JournalDamaged(JournalError):
    """A kneelog journal whose contents SQLite cannot read back whole."""


class JournalTooNew(JournalError):
    """A journal a newer kneelog wrote, in a format this one does not know."""


class JournalReadOnly(JournalError):
    """The file, or the folder it is in, cannot be written."""


class JournalDiskFull(JournalError):
    """No room on the disk for what opening the journal needs to write."""


class JournalLocked(JournalError):
    """Another program holds the journal locked for longer than kneelog waits."""


class JournalUnreadable(JournalError):
    """The disk reported an error reading or writing the file."""


def siblings(path: Path) -> list[Path]:
    """The journal's -wal and -shm files (which may not exist)."""
    return [path.with_name(path.name + suffix) for suffix in SUFFIXES]


def read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot write to `path` (locks and the WAL are honoured).

    In a folder no one can write to (a read-only disk, a locked-down folder) SQLite cannot
    make the -shm it needs to read a WAL journal; there, when no -wal or -journal holds
    anything, nothing can be changing the file, and `immutable` reads it without one.
    """
    path = Path(path)
    uri = f"{path.resolve().as_uri()}?mode=ro"
    if not os.access(path.parent, os.W_OK) and not any(
        _size(path.with_name(path.name + suffix)) for suffix in ("-wal", "-journal")
    ):
        uri += "&immutable=1"
    return sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


# -- why a journal cannot be opened -------------------------------------------------------------


def refuse_untouched(path: Path, writing: bool = True) -> set[str]:
    """Refuse, without writing a byte to it, a file that is not a whole, current kneelog
    journal (see inspect); return the migrations it has had."""
    return inspect(path, MIGRATION_SET, MIGRATIONS, writing)


def inspect(
    path: Path, migration_set: str, known: Collection[str], writing: bool = True
) -> set[str]:
    """Refuse, without writing a byte to it, a file that is not a whole, current kneelog journal
    that kneelog can write (`writing`); return the migrations it has had.

    Reading a WAL journal makes -wal/-shm files beside it when there were none: those are
    taken away again when the file is refused.
    """
    existed = {p for p in siblings(path) if p.exists()}
    try:
        return _inspect(Path(path), migration_set, known, writing)
    except JournalError:
        for sibling in siblings(path):
            if sibling not in existed and sibling.exists():
                sibling.unlink()
        raise


def _inspect(path: Path, migration_set: str, known: Collection[str], writing: bool) -> set[str]:
    try:
        if path.is_dir():
            raise NotAJournal(
                f"{path} is a folder, not a kneelog journal. Choose the journal file in it."
            )
        with path.open("rb") as f:
            header = f.read(100)  # SQLite's file header
    except FileNotFoundError:
        raise JournalError(f"There is no journal at {path}.") from None
    except OSError as error:
        raise from_os_error(path, error) from error
    if not header:
        backups = path.parent / BACKUPS_FOLDER
        way_back = (
            f"copy the newest backup from {backups} over this file"
            if _names_in(backups)
            else "copy a backup or a copy of your journal over this file"
        )
        raise JournalEmpty(
            f"{path} is empty (0 bytes): there is no journal in it. If your journal should be "
            f"here, something emptied the file (a crash, a full disk or a sync tool): {way_back}. "
            "Otherwise delete the empty file, and kneelog will start a new journal there."
        )
    if header[: len(SQLITE_HEADER)] != SQLITE_HEADER:
        raise NotAJournal(
            f"{path} is not a kneelog journal (it is not even a database). "
            "Choose your journal file, or start a new one."
        )
    if writing:
        # Before SQLite: in a read-only folder it cannot even read a WAL journal, and would
        # report that as a file it cannot open.
        refuse_read_only(path)
    ours = header[68:72] == APPLICATION_ID.to_bytes(4, "big")
    if ours and _hot_journal(path).exists():
        _roll_back(path)
    try:
        with closing(read_only(path)) as conn:
            if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise JournalDamaged(
                    f"{path} is damaged and cannot be read safely (SQLite's check of the file "
                    "failed). It has been left untouched; open a backup or a copy instead."
                )
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            applied = set()
            if "_sqlite_migrations" in tables:
                applied = {
                    r[0]
                    for r in conn.execute(
                        "SELECT name FROM _sqlite_migrations WHERE migration_set = ?",
                        [migration_set],
                    )
                }
    except sqlite3.Error as error:
        if not ours and _hot_journal(path).exists():  # another program's save, cut short
            raise _foreign(path) from error
        raise from_sqlite_error(path, error) from error
    if app_id != APPLICATION_ID:
        if tables:
            raise _foreign(path)
        raise NotAJournal(
            f"{path} is not a kneelog journal: it is an empty database that another program made. "
            "kneelog leaves it untouched; choose your journal file, or start a new one under "
            "another name."
        )
    # A journal with tables but no record of its migrations was written by a kneelog that
    # keeps them some other way: adding this version's record would change its format.
    if (tables and "_sqlite_migrations" not in tables) or applied - set(known):
        raise JournalTooNew(
            f"{path} was written by a newer version of kneelog. Update kneelog to open it; "
            "this version will not change the file."
        )
    return applied


def _foreign(path: Path) -> NotAJournal:
    return NotAJournal(
        f"{path} is a database, but not a kneelog journal. kneelog leaves it untouched; "
        "choose your journal file, or start a new one."
    )


def _hot_journal(path: Path) -> Path:
    return path.with_name(path.name + "-journal")


def _roll_back(path: Path) -> None:
    """A save cut short in rollback-journal mode (a restored backup, before kneelog switched it
    to WAL) leaves a -journal that SQLite must play back before anyone can read the file, and
    a read-only connection may not. This is SQLite's own crash recovery, and the file says it
    is a kneelog journal: let a writing connection do it."""
    try:
        with closing(sqlite3.connect(path, timeout=BUSY_TIMEOUT_S)) as conn:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as error:
        raise from_sqlite_error(path, error) from error
    log.warning("Finished the rollback of a save cut short in %s", path)


def refuse_read_only(path: Path) -> None:
    """JournalReadOnly when the journal, or its folder (where SQLite keeps the -wal and -shm),
    cannot be written. os.access tells the truth for root too about read-only mounts and
    immutable files, which permission bits alone do not stop."""
    if not os.access(path.parent, os.W_OK):
        raise JournalReadOnly(
            f"kneelog cannot write in the folder that holds {path}: the folder is read-only "
            "(SQLite keeps two small working files beside the journal). Your journal was not "
            "changed. Move it to a folder you can write to, or make this one writable, then "
            "open it again."
        )
    if path.exists() and not os.access(path, os.W_OK):
        raise JournalReadOnly(
            f"kneelog cannot write to {path}: the file is read-only. Your journal was not "
            "changed. Make the file writable, or copy it to a folder of yours and open the copy "
            "(File > Open another journal)."
        )


_SPACE = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_READ_ONLY = {errno.EROFS, errno.EACCES, errno.EPERM}


def _trial_write(folder: Path) -> int | None:
    """Write and sync 64 KiB (more than the 32 KiB -shm) in `folder`, then delete it: the errno
    it fails with, or None. SQLite's own error codes do not say whether the disk was full."""
    try:
        fd, name = tempfile.mkstemp(prefix=".kneelog-trial.", dir=folder)
    except OSError as error:
        return error.errno
    try:
        data = memoryview(bytes(64 * 1024))
        while data:
            data = data[os.write(fd, data) :]
        os.fsync(fd)
    except OSError as error:
        return error.errno
    finally:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(name)
    return None


def from_sqlite_error(path: Path, error: sqlite3.Error) -> JournalError:
    """The true reason behind what SQLite said while opening or preparing `path`."""
    name = getattr(error, "sqlite_errorname", "") or ""
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or name == "SQLITE_IOERR_SHORT_READ":
        return JournalDamaged(
            f"{path} is damaged and cannot be read safely ({error}). It has been left untouched; "
            "open a backup or a copy instead."
        )
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return JournalLocked(
            f"{path} is locked by another program that is writing to it, so kneelog cannot open "
            "it now. Your journal was not changed. Close the other program (another kneelog, a "
            "backup or sync tool, a database viewer), then try again."
        )
    if name.startswith("SQLITE_FULL"):
        return disk_full(path)
    if name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_IOERR", "SQLITE_PERM")):
        try:
            refuse_read_only(path)
        except JournalReadOnly as read_only_error:
            return read_only_error
        failed = _trial_write(path.parent)
        if failed in _SPACE:
            return disk_full(path)
        if failed in _READ_ONLY:
            return JournalReadOnly(
                f"kneelog cannot write in the folder that holds {path}: the disk or folder is "
                "read-only. Your journal was not changed. Move it to a folder you can write to, "
                "then open it again."
            )
    return JournalUnreadable(
        f"The disk reported a problem while kneelog opened {path} ({error}), so it was left "
        "untouched. Check that the disk is connected and working, then try again; if it keeps "
        "happening, copy the file to another disk and open the copy."
    )


def from_os_error(path: Path, error: OSError) -> JournalError:
    if error.errno in _SPACE:
        return disk_full(path)
    if error.errno in _READ_ONLY:
        return JournalReadOnly(
            f"kneelog cannot write to {path} or its folder ({error.strerror}): it is read-only. "
            "Nothing was changed. Choose a folder you can write to, or make this one writable."
        )
    return JournalUnreadable(
        f"kneelog could not use {path} ({error.strerror}). Nothing was changed. Check that the "
        "disk is connected and working, then try again."
    )


def failure_reason(error: BaseException) -> str | None:
    """What a failed write says, when it says it: "the disk is full" or "the folder is
    read-only"; None when it does not (then a message must not guess)."""
    code = getattr(error, "errno", None)
    name = getattr(error, "sqlite_errorname", "") or ""
    if code in _SPACE or name.startswith("SQLITE_FULL"):
        return "the disk is full"
    if code in _READ_ONLY or name.startswith("SQLITE_READONLY"):
        return "the folder is read-only"
    return None


def disk_full(path: Path) -> JournalDiskFull:
    return JournalDiskFull(
        f"The disk that holds {path} is full, so kneelog cannot open the journal (SQLite needs a "
        "little room beside it to work). Your journal was not changed. Free some space on that "
        "disk, then start kneelog again."
    )


# -- a new journal ------------------------------------------------------------------------------


def create(path: Path, fill: Callable[[sqlite3.Connection], None]) -> None:
    """Make a new journal at `path`, whole or not at all: `fill` writes it under a hidden
    temporary name, and only then does it take its name. A first open cut short leaves
    nothing at the path (and no empty file for the next start to wonder about)."""
    try:
        private_folder(path.parent)
        refuse_read_only(path)
        with temporary_beside(path) as temp:
            with closing(sqlite3.connect(temp)) as conn:
                conn.execute("PRAGMA synchronous = FULL")
                fill(conn)
                conn.commit()
            sync_file(temp)
            try:
                os.link(temp, path)  # unlike a rename, never over a journal made meanwhile
            except FileExistsError:
                log.info("%s was made by another kneelog meanwhile; opening that one", path)
            except OSError:  # a file system without hard links (FAT on a USB stick)
                if not path.exists():
                    os.replace(temp, path)
            sync_folder(path.parent)
    except sqlite3.Error as error:
        raise from_sqlite_error(path, error) from error
    except OSError as error:
        raise from_os_error(path, error) from error


# -- putting another file in the journal's place -------------------------------------------------


def _intent(path: Path) -> Path:
    """The note kept beside the journal while it is being swapped: what goes where."""
    return path.with_name(f".{path.name}.swap")


def replace_journal(path: Path, new: Path | None, aside: Path) -> None:
    """Keep the journal at `path` (with its -wal and -shm) as `aside`, and put the whole file
    `new` in its place; with `new` None, only move the journal aside. The journal must be closed.

    The path never holds half a journal, and while there is a `new`, never nothing: the
    journal is first hard-linked to `aside`, then `new` is renamed over it. Each step is
    synced, and a note beside the journal (the intent) says what is under way, so that
    `finish_interrupted` at the next start finishes or undoes a swap cut short by a crash.

    A -wal (only when the journal was not closed cleanly: a damaged journal's recovery) must
    leave before `new` arrives, or SQLite would replay it onto `new`; so for a moment the
    journal at the path is whole but as of its last checkpoint, its -wal beside `aside`, and
    a crash then is undone by moving the -wal back at the next open (tidy runs first).
    """
    import json  # only for a swap: every start-up would pay for it (bench_startup)

    intent = _intent(path)
    fd = os.open(intent, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        lock(fd)  # another kneelog starting now must not "repair" a swap under way
        os.ftruncate(fd, 0)
        os.write(fd, json.dumps({"new": new and new.name, "aside": aside.name}).encode())
        os.fsync(fd)
        sync_folder(path.parent)
        if new is not None:
            _keep_as(path, aside)
        # The -wal goes with its journal: were it left, SQLite would replay it onto `new`.
        for here, there in zip(siblings(path), siblings(aside), strict=True):
            if here.exists():
                os.replace(here, there)
        sync_folder(path.parent)
        if new is not None:
            sync_file(new)
            os.replace(new, path)
        else:
            os.replace(path, aside)
        sync_folder(path.parent)
        os.unlink(intent)
        sync_folder(path.parent)
    except BaseException:
        # A failure (not a crash): put things back as they were, or finish, at once.
        os.close(fd)
        fd = -1
        try:
            finish_interrupted(path)
        except OSError as error:  # the next start tries again; the first failure is the news
            log.error("Could not undo the swap of %s at once: %s", path, error)
        raise
    finally:
        if fd >= 0:
            os.close(fd)


def _wal_back(path: Path, aside: Path) -> None:
    """Put the journal's -wal back beside it. A reader in between may have made an empty
    -wal and a -shm there: the empty -wal gives way, and both -shm go, since SQLite rebuilds
    that index from the -wal (a stale one would hide what the -wal holds)."""
    wal, aside_wal = (p.with_name(p.name + "-wal") for p in (path, aside))
    if aside_wal.exists():
        if wal.exists() and wal.stat().st_size > 0:
            log.error(
                "%s has a new -wal; the one from before the swap stays as %s", path, aside_wal
            )
        else:
            os.replace(aside_wal, wal)
    for p in (path, aside):
        p.with_name(p.name + "-shm").unlink(missing_ok=True)


def _keep_as(path: Path, aside: Path) -> None:
    try:
        os.link(path, aside)
    except FileExistsError:
        raise
    except OSError:  # no hard links here: a synced copy does the same, more slowly
        shutil.copyfile(path, aside)
        sync_file(aside)


def finish_interrupted(path: Path) -> str | None:
    """Finish, or undo, a swap of the journal at `path` that a crash cut short; say which in a
    sentence for the runner (None: there was none)."""
    intent = _intent(path)
    if not intent.exists() or held_by_a_live_process(intent):
        return None
    import json

    try:
        note = json.loads(intent.read_text())
        new = path.with_name(note["new"]) if note["new"] else None
        aside = path.with_name(note["aside"])
    except (ValueError, KeyError, TypeError, OSError):
        # Cut short while the note itself was written: nothing had been moved yet.
        intent.unlink(missing_ok=True)
        return None
    restoring = new is not None
    if (new is not None and new.exists()) or (new is None and path.exists()):
        # The new file never took the journal's place: the journal is still at its path.
        _wal_back(path, aside)
        if restoring and aside.exists() and os.path.samefile(aside, path):
            aside.unlink()  # a second name of the journal still at its path
        if new is not None:
            new.unlink()
        said = (
            "kneelog was stopped while restoring a backup, before the backup took the "
            "journal's place. Your journal is as it was before the restore; restore the "
            "backup again if you still want it."
            if restoring
            else "kneelog was stopped while putting a damaged journal aside; it is back as it was."
        )
    else:
        said = (
            f"kneelog was stopped while restoring a backup, just after the backup took the "
            f"journal's place: the restore is finished. The journal it replaced is kept as "
            f"{aside.name}."
            if restoring
            else f"kneelog was stopped while putting a damaged journal aside: that is finished, and "
            f"it is kept as {aside.name}."
        )
    sync_folder(path.parent)
    intent.unlink()
    sync_folder(path.parent)
    log.warning("%s: %s", path, said)
    return said


# -- leftovers ------------------------------------------------------------------------------------


def _leftover_patterns(path: Path) -> list[tuple[Path, re.Pattern[str]]]:
    """Hidden temporary copies named after this journal: beside it, and in its backups folder."""
    copy = r"\.[a-z0-9_]+\.tmp(-journal|-wal|-shm)?$"
    return [
        (path.parent, re.compile(rf"^\.{re.escape(path.name)}{copy}")),
        (path.parent, re.compile(r"^\.kneelog-trial\.[a-z0-9_]+$")),
        (
            path.parent / BACKUPS_FOLDER,
            re.compile(
                rf"^\.{re.escape(path.stem)}\.\d{{4}}-\d\d-\d\dT\d{{6}}(-\d+)?\.[a-z-]+\.db{copy}"
            ),
        ),
    ]


def remove_leftovers(path: Path) -> list[Path]:
    """Delete the hidden temporary copies that killed backups, restores and first opens left
    (each may be the journal's size); not those another kneelog is still writing."""
    removed = []
    for folder, pattern in _leftover_patterns(path):
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in names:
            if not pattern.match(name):  # a big folder (a journal kept in ~/Documents) is quick
                continue
            leftover = folder / name
            if not held_by_a_live_process(
                leftover.with_name(
                    name.removesuffix("-journal").removesuffix("-wal").removesuffix("-shm")
                )
            ):
                with contextlib.suppress(OSError):
                    leftover.unlink()
                    removed.append(leftover)
    if removed:
        log.info("Removed %d temporary file(s) left beside %s", len(removed), path)
    return removed


def earlier_journals(path: Path) -> str | None:
    """For a journal about to be made new where there was none: what of an earlier one is
    still beside it (journals set aside, backups), so that an empty journal is never shown
    without a word when the runner's entries are one restore away."""
    named = re.compile(
        rf"^{re.escape(path.stem)}\.[a-z]+-\d{{4}}-\d\d-\d\dT\d{{6}}(-\d+)?"
        rf"{re.escape(path.suffix)}$"
    )  # backups.set_aside's names
    aside = sorted(name for name in _names_in(path.parent) if named.match(name))
    folder = path.parent / BACKUPS_FOLDER
    backed_up = any(
        name.startswith(f"{path.stem}.") and name.endswith(".db") for name in _names_in(folder)
    )
    if not aside and not backed_up:
        return None
    kept = []
    if aside:
        kept.append(f"journals kept aside beside it ({', '.join(aside)})")
    if backed_up:
        kept.append(f"backups in {folder}")
    return (
        f"There was no journal at {path}, so kneelog started a new, empty one. Your earlier "
        f"entries may be in the {' and the '.join(kept)}: open a journal kept aside with File > "
        "Open another journal..., or bring a backup back with File > Restore from backup...."
    )


def _names_in(folder: Path) -> list[str]:
    try:
        return os.listdir(folder)
    except OSError:
        return []


def tidy(path: Path) -> str | None:
    """At each open: finish or undo a swap cut short, then remove leftovers. Returns what the
    runner should be told. A folder kneelog cannot tidy (read-only) is left as it is: opening
    then says why it cannot write."""
    try:
        said = finish_interrupted(path)
    except OSError as error:
        log.error("Could not finish the swap of %s cut short: %s", path, error)
        said = None
    remove_leftovers(path)
    return said
