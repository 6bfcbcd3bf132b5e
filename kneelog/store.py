"""The journal: one SQLite file on sqlite-utils, with its schema, migrations and queries.

Opening is careful because the file is the runner's only copy: it is checked read-only
first (is it SQLite, is it a kneelog journal, is it whole, is it from a newer kneelog),
and only a file that passes is ever written to. Every save is one transaction, with WAL
and synchronous=FULL, so a killed app leaves either the whole entry or none of it.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

from . import journal_file
from .fields import COLUMNS, from_row, to_row
from .journal_file import (  # noqa: F401  (the errors are part of this module's interface)
    APPLICATION_ID,
    JournalDamaged,
    JournalDiskFull,
    JournalEmpty,
    JournalError,
    JournalLocked,
    JournalReadOnly,
    JournalTooNew,
    JournalUnreadable,
    NotAJournal,
)
from .model import (
    Entry,
    Intensity,
    InvalidEntry,
    Journal,
    Kind,
    PainMark,
    Period,
    Region,
    Settings,
    Shoe,
    ShoeUse,
    Side,
    Units,
)

ASSESSED = "assessed"  # the triage answer "I have been assessed in person"
if TYPE_CHECKING:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

    from .triage import Answers, Plan

MIN_SQLITE = (3, 37, 0)  # STRICT tables
BUSY_TIMEOUT_MS = 5000  # how long a read waits for a lock (rare in WAL: recovery, checkpoints)
# How long a write waits for another writer (another kneelog, the window's import thread)
# before the runner is told; a save is a few milliseconds, so this is far beyond an overlap.
WRITE_PATIENCE_S = 10.0
SQLITE_BUSY = 5


class JournalBusy(JournalLocked):
    """Another program kept the journal to itself for longer than a write waits (JournalLocked
    is the same when opening it)."""


class EntryChanged(JournalError):
    """A save or delete made from an older copy of an entry: since the copy was read, the entry
    was changed or deleted elsewhere (another window, another kneelog). Nothing was written;
    `current` is the entry as the journal holds it now, None when it was deleted."""

    def __init__(self, current: Entry | None):
        self.current = current
        super().__init__(
            "This entry was "
            + ("deleted" if current is None else "changed")
            + " elsewhere (in another kneelog window, or by another program) after you opened "
            "it, so nothing was saved over it."
        )


def _is_busy(error: sqlite3.Error) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    return (code & 0xFF) == SQLITE_BUSY if code is not None else "locked" in str(error)


MigrationFn = Callable[["Database"], None]


@dataclass(frozen=True)
class _Migration:
    name: str
    fn: MigrationFn
    transactional: bool = True


class _Migrations:
    """The journal's migrations, declared as with sqlite-utils' Migrations (@migrations()) and
    handed to it only when they are applied: importing sqlite-utils takes 47 ms even without
    numpy (bench_startup), which opening a journal that is up to date does without (the
    window's first paint, `kneelog summary`)."""

    _Migration = _Migration

    def __init__(self, name: str):
        self.name = name
        self._migrations: list[_Migration] = []

    def __call__(
        self, *, name: str | None = None, transactional: bool = True
    ) -> Callable[[MigrationFn], MigrationFn]:
        def add(fn: MigrationFn) -> MigrationFn:
            self._migrations.append(_Migration(name or fn.__name__, fn, transactional))
            return fn

        return add

    @property
    def names(self) -> list[str]:
        """Every migration's name, in the order they apply."""
        return [m.name for m in self._migrations]

    def apply(self, db: Database, *, stop_before: str | None = None) -> None:
        self._sqlite_utils().apply(db, stop_before=stop_before)

    def pending(self, db: Database) -> list[Migrations._Migration]:
        return self._sqlite_utils().pending(db)

    def applied(self, db: Database) -> list[Migrations._AppliedMigration]:
        return self._sqlite_utils().applied(db)

    def _sqlite_utils(self) -> Migrations:
        from sqlite_utils.migrations import Migrations

        made = Migrations(self.name)
        for m in self._migrations:
            made(name=m.name, transactional=m.transactional)(m.fn)
        return made


migrations = _Migrations(journal_file.MIGRATION_SET)


def _database(conn: sqlite3.Connection) -> Database:
    """sqlite-utils' Database on `conn`. sqlite-utils imports numpy and pandas, when installed,
    only to name their column types, which a journal never stores; it is made to find neither
    (numpy is 85 ms more at the first save, bench_startup; pandas takes seconds)."""
    absent = [name for name in ("numpy", "pandas") if name not in sys.modules]
    sys.modules.update(dict.fromkeys(absent))  # type: ignore[arg-type]  # None: not installed
    try:
        from sqlite_utils import Database
    finally:
        for name in absent:
            del sys.modules[name]
    return Database(conn, execute_plugins=False)


@migrations()
def m001_initial(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE shoes (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL CHECK (length(trim(name)) > 0),
            prior_km REAL NOT NULL DEFAULT 0 CHECK (prior_km >= 0),
            limit_km REAL NOT NULL DEFAULT 800 CHECK (limit_km > 0),
            retired INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1))
        ) STRICT;
        CREATE TABLE entries (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('run', 'strength', 'cross', 'checkin')),
            started TEXT NOT NULL,
            distance_km REAL CHECK (distance_km > 0),
            duration_s INTEGER CHECK (duration_s > 0),
            run_type TEXT,
            activity TEXT NOT NULL DEFAULT '',
            surface TEXT,
            elevation_gain_m REAL,
            shoe_id INTEGER REFERENCES shoes(id),
            rpe INTEGER CHECK (rpe BETWEEN 0 AND 10),
            pain_start INTEGER CHECK (pain_start BETWEEN 0 AND 10),
            pain_middle INTEGER CHECK (pain_middle BETWEEN 0 AND 10),
            pain_end INTEGER CHECK (pain_end BETWEEN 0 AND 10),
            pain_later INTEGER CHECK (pain_later BETWEEN 0 AND 10),
            pain_next_morning INTEGER CHECK (pain_next_morning BETWEEN 0 AND 10),
            time_course TEXT,
            triggers TEXT NOT NULL DEFAULT '',
            changes TEXT NOT NULL DEFAULT '',
            warnings TEXT NOT NULL DEFAULT '',
            sleep INTEGER CHECK (sleep BETWEEN -1 AND 1),
            stress INTEGER CHECK (stress BETWEEN -1 AND 1),
            notes TEXT NOT NULL DEFAULT ''
        ) STRICT;
        CREATE INDEX entries_started ON entries(started);
        CREATE TABLE pain_marks (
            entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
            side TEXT NOT NULL CHECK (side IN ('left', 'right')),
            region TEXT NOT NULL,
            intensity INTEGER NOT NULL CHECK (intensity BETWEEN 1 AND 3),
            PRIMARY KEY (entry_id, side, region)
        ) STRICT;
        CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
        """
    )


@migrations()
def m002_recorded_runs(db: Database) -> None:
    """What a watch file adds to a run, and where it came from (to skip the same file twice)."""
    db.executescript(
        """
        ALTER TABLE entries ADD COLUMN moving_s INTEGER CHECK (moving_s > 0);
        ALTER TABLE entries ADD COLUMN elevation_loss_m REAL CHECK (elevation_loss_m >= 0);
        ALTER TABLE entries ADD COLUMN avg_hr INTEGER CHECK (avg_hr BETWEEN 20 AND 250);
        ALTER TABLE entries ADD COLUMN cadence_spm REAL CHECK (cadence_spm > 0);
        ALTER TABLE entries ADD COLUMN device TEXT NOT NULL DEFAULT '';
        ALTER TABLE entries ADD COLUMN source_hash TEXT;
        ALTER TABLE entries ADD COLUMN pain_pending INTEGER NOT NULL DEFAULT 0
            CHECK (pain_pending IN (0, 1));
        CREATE INDEX entries_source_hash ON entries(source_hash) WHERE source_hash IS NOT NULL;
        """
    )


@migrations()
def m003_triage(db: Database) -> None:
    """The triage panel's answers, and the 7-14 day plans with their daily ticks."""
    db.executescript(
        """
        CREATE TABLE triage_answers (
            question TEXT PRIMARY KEY,
            answer TEXT NOT NULL,
            answered TEXT NOT NULL
        ) STRICT;
        CREATE TABLE plans (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            started TEXT NOT NULL,
            days INTEGER NOT NULL CHECK (days > 0),
            change TEXT NOT NULL DEFAULT '',
            pattern TEXT,
            ended TEXT
        ) STRICT;
        CREATE TABLE plan_ticks (
            plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
            day TEXT NOT NULL,
            item TEXT NOT NULL,
            PRIMARY KEY (plan_id, day, item)
        ) STRICT;
        """
    )


def new_uuid() -> str:
    """A uuid for an entry, the uuid module imported at the first: loaded with the journal it
    would be 1% more of every start-up's work (bench_startup), for the first save."""
    import uuid

    return str(uuid.uuid4())


@migrations()
def m004_stable_identity(db: Database) -> None:
    """Entry ids are never handed out again (AUTOINCREMENT), so undo puts a deleted entry back
    under its id without meeting another entry there. Each entry gains a uuid, which exports
    and loads keep, and a version that each save counts up, so that a save made from an older
    copy is noticed instead of overwriting the newer one.

    AUTOINCREMENT cannot be added to a table, so the entries are copied into a new one. Its
    pain marks move with them first: dropping the old table with foreign keys on (they cannot
    be turned off inside a transaction) deletes the marks that point to it. Statement by
    statement, not executescript(), which would commit the transaction it runs in.
    """
    conn = db.conn
    conn.create_function("kneelog_uuid", 0, new_uuid)
    # The columns as m001-m003 left them, spelled out: later migrations add more.
    old = ", ".join(
        [
            "id",
            "kind",
            "started",
            "distance_km",
            "duration_s",
            "run_type",
            "activity",
            "surface",
            "elevation_gain_m",
            "shoe_id",
            "rpe",
            "pain_start",
            "pain_middle",
            "pain_end",
            "pain_later",
            "pain_next_morning",
            "time_course",
            "triggers",
            "changes",
            "warnings",
            "sleep",
            "stress",
            "notes",
            "moving_s",
            "elevation_loss_m",
            "avg_hr",
            "cadence_spm",
            "device",
            "source_hash",
            "pain_pending",
        ]
    )
    for sql in (
        """CREATE TABLE new_entries (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL CHECK (kind IN ('run', 'strength', 'cross', 'checkin')),
            started TEXT NOT NULL,
            distance_km REAL CHECK (distance_km > 0),
            duration_s INTEGER CHECK (duration_s > 0),
            run_type TEXT,
            activity TEXT NOT NULL DEFAULT '',
            surface TEXT,
            elevation_gain_m REAL,
            shoe_id INTEGER REFERENCES shoes(id),
            rpe INTEGER CHECK (rpe BETWEEN 0 AND 10),
            pain_start INTEGER CHECK (pain_start BETWEEN 0 AND 10),
            pain_middle INTEGER CHECK (pain_middle BETWEEN 0 AND 10),
            pain_end INTEGER CHECK (pain_end BETWEEN 0 AND 10),
            pain_later INTEGER CHECK (pain_later BETWEEN 0 AND 10),
            pain_next_morning INTEGER CHECK (pain_next_morning BETWEEN 0 AND 10),
            time_course TEXT,
            triggers TEXT NOT NULL DEFAULT '',
            changes TEXT NOT NULL DEFAULT '',
            warnings TEXT NOT NULL DEFAULT '',
            sleep INTEGER CHECK (sleep BETWEEN -1 AND 1),
            stress INTEGER CHECK (stress BETWEEN -1 AND 1),
            notes TEXT NOT NULL DEFAULT '',
            moving_s INTEGER CHECK (moving_s > 0),
            elevation_loss_m REAL CHECK (elevation_loss_m >= 0),
            avg_hr INTEGER CHECK (avg_hr BETWEEN 20 AND 250),
            cadence_spm REAL CHECK (cadence_spm > 0),
            device TEXT NOT NULL DEFAULT '',
            source_hash TEXT,
            pain_pending INTEGER NOT NULL DEFAULT 0 CHECK (pain_pending IN (0, 1)),
            uuid TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),
            version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1)
        ) STRICT""",
        f"INSERT INTO new_entries ({old}, uuid) SELECT {old}, kneelog_uuid() FROM entries ORDER BY id",
        """CREATE TABLE new_pain_marks (
            entry_id INTEGER NOT NULL REFERENCES new_entries(id) ON DELETE CASCADE,
            side TEXT NOT NULL CHECK (side IN ('left', 'right')),
            region TEXT NOT NULL,
            intensity INTEGER NOT NULL CHECK (intensity BETWEEN 1 AND 3),
            PRIMARY KEY (entry_id, side, region)
        ) STRICT""",
        "INSERT INTO new_pain_marks SELECT entry_id, side, region, intensity FROM pain_marks",
        "DROP TABLE pain_marks",
        "DROP TABLE entries",
        # Renaming rewrites new_pain_marks' reference to new_entries along with it.
        "ALTER TABLE new_entries RENAME TO entries",
        "ALTER TABLE new_pain_marks RENAME TO pain_marks",
        "CREATE INDEX entries_started ON entries(started)",
        "CREATE INDEX entries_source_hash ON entries(source_hash) WHERE source_hash IS NOT NULL",
    ):
        conn.execute(sql)


@migrations()
def m005_temperature(db: Database) -> None:
    """The air temperature during a run, in \u00b0C (cold and heat change how a knee feels)."""
    db.conn.execute(
        "ALTER TABLE entries ADD COLUMN temperature_c REAL CHECK (temperature_c BETWEEN -50 AND 60)"
    )


ENTRY_COLUMNS = COLUMNS  # the entries table's columns, from kneelog.fields


def _back_up_before_update(db: Database, path: Path) -> None:
    """A journal from an older kneelog is copied aside before its format is brought up to date."""
    from .backups import BEFORE_UPDATE, BackupFailed, back_up  # backups builds on this module

    try:
        back_up(db.conn, path, BEFORE_UPDATE)
    except BackupFailed as error:
        raise JournalError(
            "This journal was written by an older kneelog and needs updating; kneelog backs it "
            f"up first, and that failed, so it was left as it was. {error}"
        ) from error


def _bring_up_to_date(db: Database) -> None:
    """Apply the pending migrations. Another kneelog may be doing the same at the same moment:
    each migration then waits for the other's transaction and fails on what it made (a record
    of the same migration), rolled back whole. If the other finished them all, that is fine."""
    try:
        migrations.apply(db)
    except sqlite3.Error:
        if db.conn.in_transaction:
            db.conn.rollback()
        if migrations.pending(db):
            raise


def _new_journal(conn: sqlite3.Connection) -> None:
    """The whole schema, in the file journal_file.create puts in place when it is done."""
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    migrations.apply(_database(conn))


class Store:
    """One open journal. Bound to the thread that opened it (a worker opens its own)."""

    def __init__(self, conn: sqlite3.Connection, path: Path, db: Database | None = None):
        self.conn = conn
        self.path = path
        self._db = db
        self.write_patience_s = WRITE_PATIENCE_S

    @property
    def db(self) -> Database:
        """sqlite-utils on the journal's connection, for writing. Made on first use: reading
        a journal (start-up, `kneelog summary`) does without its import."""
        if self._db is None:
            self._db = _database(self.conn)
        return self._db

    notice: str | None = None  # what the open repaired, for the runner (an interrupted restore)

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> Store:
        if sqlite3.sqlite_version_info < MIN_SQLITE:
            raise JournalError("kneelog needs SQLite 3.37 or newer.")
        path = Path(path)
        notice = journal_file.tidy(path)
        if not path.exists():
            notice = notice or journal_file.earlier_journals(path)
            journal_file.create(path, _new_journal)
            applied = set(migrations.names)
        else:
            applied = journal_file.refuse_untouched(path)
        conn = sqlite3.connect(path)
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            db = None
            if applied != set(migrations.names):
                db = _database(conn)
                _back_up_before_update(db, path)
                _bring_up_to_date(db)
        except sqlite3.Error as e:
            conn.close()
            raise journal_file.from_sqlite_error(path, e) from e
        except BaseException:
            conn.close()
            raise
        store = cls(conn, path, db)
        store.notice = notice
        return store

    def data_version(self) -> int:
        """A number that changes when another connection (another kneelog, `kneelog import`,
        the window's import thread) commits to the journal; this connection's own commits
        leave it as it is. Cheap: read from memory shared by every connection."""
        version: int = self.conn.execute("PRAGMA data_version").fetchone()[0]
        return version

    def prepare_writes(self) -> None:
        """Load what writing needs now (sqlite-utils), rather than at the first save."""
        self.db  # noqa: B018

    @contextmanager
    def writing(self) -> Iterator[None]:
        """One write transaction, all or nothing; inside another, a savepoint of it.

        It begins IMMEDIATE: the write lock is taken first, waiting (the busy timeout) for any
        other writer to finish. A transaction begun the default way reads first and asks for
        the lock only at its first write; if another writer committed meanwhile, SQLite refuses
        at once (SQLITE_BUSY_SNAPSHOT) without waiting, and a save failed for an overlap.
        """
        if self.conn.in_transaction:
            with self.db.atomic():
                yield
            return
        self._begin_immediate()
        try:
            yield
        except BaseException:
            if self.conn.in_transaction:  # an error may have rolled it back already
                self.conn.rollback()
            raise
        try:
            self.conn.commit()
        except BaseException:
            if self.conn.in_transaction:
                self.conn.rollback()
            raise

    def _begin_immediate(self) -> None:
        deadline = time.monotonic() + self.write_patience_s
        self.conn.execute(f"PRAGMA busy_timeout = {int(self.write_patience_s * 1000)}")
        try:
            while True:
                try:
                    self.conn.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as error:
                    if not _is_busy(error):
                        raise
                    if time.monotonic() >= deadline:
                        raise JournalBusy(
                            f"Another kneelog is writing to this journal and has kept it busy for "
                            f"{self.write_patience_s:.0f} seconds, so nothing was saved yet. What you "
                            "entered is kept: try again in a moment, or close the other kneelog."
                        ) from error
                    time.sleep(0.01)  # refused before the wait was up: ask again
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")

    @classmethod
    def open_to_read(cls, path: str | os.PathLike[str]) -> Store:
        """A journal to read, not to change (`kneelog summary`): checked as open() checks it,
        then read through a read-only connection, without sqlite-utils. A journal that an
        older kneelog wrote, or that does not exist yet, goes through open() instead."""
        path = Path(path)
        if not path.exists() or journal_file.refuse_untouched(path, writing=False) != set(
            migrations.names
        ):
            return cls.open(path)
        return cls(journal_file.read_only(path), path)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- entries -------------------------------------------------------------------------

    def save_entry(self, entry: Entry, today: dt.date | None = None) -> Entry:
        """Save an entry with its pain marks, all in one transaction; return it as saved.

        Without an id it is new: it gets an id never used before, and a uuid of its own.
        With an id it replaces that entry, only if the journal still holds the version it was
        read at (entry.version; None: whatever is there): otherwise EntryChanged, and nothing
        is written, so that a change made elsewhere meanwhile is never silently lost.
        """
        entry.validate(today)
        if entry.shoe_id is not None and not self._shoe_exists(entry.shoe_id):
            raise InvalidEntry(
                "shoe_id", "Those shoes are not in this journal. Pick a pair from the list."
            )
        with self._saving("entry"):
            return self._write_entry(entry)

    def restore_entry(self, entry: Entry, today: dt.date | None = None) -> Entry:
        """Put a deleted entry back whole, under its id, uuid and version (undo of a delete).

        It replaces nothing: when its uuid is in the journal again (put back elsewhere),
        EntryChanged says so. Ids are never handed out twice, so its id is free; were it not,
        the entry would get a new one rather than take another's.
        """
        entry.validate(today)
        with self._saving("entry"):
            found = self.conn.execute(
                "SELECT id FROM entries WHERE uuid = ?", [entry.uuid]
            ).fetchone()
            if found:
                raise EntryChanged(self.entry(found[0]))
            taken = self.conn.execute("SELECT 1 FROM entries WHERE id = ?", [entry.id]).fetchone()
            return self._insert_entry(entry.with_(id=None) if taken else entry)

    @contextmanager
    def _saving(self, what: str) -> Iterator[None]:
        try:
            with self.writing():
                yield
        except sqlite3.OperationalError as e:
            raise JournalError(
                f"The {what} could not be saved ({e}). Nothing was written; check that the disk "
                "is not full and try again."
            ) from e

    def _write_entry(self, entry: Entry) -> Entry:
        """Inside a transaction: insert a new entry, or replace the version it was read at."""
        if entry.id is None:
            return self._insert_entry(entry.with_(uuid=None, version=None))
        found = self.conn.execute(
            "SELECT uuid, version FROM entries WHERE id = ?", [entry.id]
        ).fetchone()
        if found is None or entry.version not in (None, found[1]):
            raise EntryChanged(None if found is None else self.entry(entry.id))
        written = entry.with_(uuid=found[0], version=found[1] + 1)
        row = to_row(written)
        del row["id"], row["uuid"]
        self.conn.execute(
            f"UPDATE entries SET {', '.join(f'{c} = ?' for c in row)} WHERE id = ?",
            [*row.values(), entry.id],
        )
        self.conn.execute("DELETE FROM pain_marks WHERE entry_id = ?", [entry.id])
        self._insert_marks(written)
        return written

    def _insert_entry(self, entry: Entry) -> Entry:
        """Inside a transaction: a row for the entry, under its id (None: a new one)."""
        row = to_row(entry.with_(uuid=entry.uuid or new_uuid(), version=entry.version or 1))
        if entry.id is None:
            del row["id"]
        cursor = self.conn.execute(
            f"INSERT INTO entries ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
            list(row.values()),
        )
        written = entry.with_(id=cursor.lastrowid, uuid=row["uuid"], version=row["version"])
        self._insert_marks(written)
        return written

    def _insert_marks(self, entry: Entry) -> None:
        self.conn.executemany(
            "INSERT INTO pain_marks (entry_id, side, region, intensity) VALUES (?, ?, ?, ?)",
            [(entry.id, m.side.value, m.region.value, int(m.intensity)) for m in entry.marks],
        )

    def save_entries(self, entries: Iterable[Entry], today: dt.date | None = None) -> list[Entry]:
        """Insert new entries (an imported file's activities) in one transaction: all or none."""
        entries = list(entries)
        for entry in entries:
            entry.validate(today)
        with self._saving("entries"):
            return [self._write_entry(entry.with_(id=None)) for entry in entries]

    def has_source(self, source_hash: str) -> bool:
        """Whether an entry came from the file with this sha256 (it was imported before)."""
        row = self.conn.execute(
            "SELECT 1 FROM entries WHERE source_hash = ? LIMIT 1", [source_hash]
        )
        return row.fetchone() is not None

    def entry_started_at(
        self, started: dt.datetime, kinds: Iterable[Kind] = (Kind.RUN, Kind.CROSS)
    ) -> Entry | None:
        """An entry of these kinds that started in the same minute (the same run logged before)."""
        minute = started.replace(second=0, microsecond=0, tzinfo=None)
        values = [Kind(k).value for k in kinds]
        found = self._query(
            f"WHERE e.started >= ? AND e.started < ? AND e.kind IN ({', '.join('?' * len(values))})",
            [minute.isoformat(), (minute + dt.timedelta(minutes=1)).isoformat(), *values],
            limit=1,
        )
        return found[0] if found else None

    def delete_entry(self, entry_id: int, version: int | None = None) -> Entry:
        """Remove an entry and return it whole, so that restore_entry() can undo the delete.

        With a version, only that version: EntryChanged when the entry was changed or deleted
        since it was read. Without one, KeyError when there is no such entry.
        """
        with self.writing():
            try:
                entry = self.entry(entry_id)
            except KeyError:
                if version is None:
                    raise
                raise EntryChanged(None) from None
            if version is not None and entry.version != version:
                raise EntryChanged(entry)
            self.conn.execute("DELETE FROM entries WHERE id = ?", [entry_id])
        return entry

    def entry(self, entry_id: int) -> Entry:
        found = self._query("WHERE e.id = ?", [entry_id])
        if not found:
            raise KeyError(entry_id)
        return found[0]

    def entries(
        self, period: Period | None = None, kinds: Iterable[Kind] | None = None
    ) -> list[Entry]:
        """Entries in the period, newest first."""
        where: list[str] = []
        params: list[str] = []
        if period and period.first:
            where.append("e.started >= ?")
            params.append(period.first.isoformat())
        if period and period.last:
            where.append("e.started < ?")
            params.append((period.last + dt.timedelta(days=1)).isoformat())
        if kinds is not None:
            values = [Kind(k).value for k in kinds]
            where.append(f"e.kind IN ({', '.join('?' * len(values))})")
            params.extend(values)
        return self._query(("WHERE " + " AND ".join(where)) if where else "", params)

    def latest(self, kind: Kind = Kind.RUN) -> Entry | None:
        found = self._query("WHERE e.kind = ?", [kind.value], limit=1)
        return found[0] if found else None

    def awaiting_next_morning(self, now: dt.datetime) -> Entry | None:
        """The newest run from before today, within 36 hours, still missing next-morning pain.

        A run the runner chose not to rate (dismissed) is not asked about again.
        """
        found = self._query(
            "WHERE e.kind = 'run' AND e.pain_next_morning IS NULL AND e.started >= ? AND e.started < ?",
            [(now - dt.timedelta(hours=36)).isoformat(), now.date().isoformat()],
            limit=1,
        )
        if found and str(found[0].id) != self.get_value("next_morning_dismissed"):
            return found[0]
        return None

    def dismiss_next_morning(self, entry_id: int) -> None:
        self.set_value("next_morning_dismissed", str(entry_id))

    def count(self) -> int:
        count: int = self.conn.execute("SELECT count(*) FROM entries").fetchone()[0]
        return count

    def _query(self, where: str, params: list[Any], limit: int | None = None) -> list[Entry]:
        sql = f"SELECT {', '.join('e.' + c for c in ENTRY_COLUMNS)} FROM entries e {where} "
        sql += "ORDER BY e.started DESC, e.id DESC"
        if limit:
            sql += f" LIMIT {int(limit)}"
        rows = [dict(zip(ENTRY_COLUMNS, r, strict=True)) for r in self.conn.execute(sql, params)]
        if not rows:
            return []
        marks: dict[int, list[PainMark]] = {}
        ids = [r["id"] for r in rows]
        mark_sql = "SELECT entry_id, side, region, intensity FROM pain_marks"
        if len(ids) <= 500:
            mark_sql += f" WHERE entry_id IN ({', '.join('?' * len(ids))})"
            mark_params = ids
        else:
            mark_params = []
        for entry_id, side, region, intensity in self.conn.execute(mark_sql, mark_params):
            marks.setdefault(entry_id, []).append(
                PainMark(Side(side), Region(region), Intensity(intensity))
            )
        return [_row_to_entry(r, marks.get(r["id"], ())) for r in rows]

    # -- shoes ---------------------------------------------------------------------------

    def shoe_use(self) -> dict[int, ShoeUse]:
        """metrics.shoe_use over the whole journal, from two columns instead of every entry
        (a summary of six weeks needs the shoes' whole history but only those weeks' entries).
        The km are summed with fsum, as metrics.shoe_use sums them."""
        runs: dict[int, list[float]] = {}
        first_day: dict[int, dt.date] = {}
        rows = self.conn.execute(
            "SELECT shoe_id, min(substr(started, 1, 10)) FROM entries "
            "WHERE shoe_id IS NOT NULL GROUP BY shoe_id"
        )
        for shoe_id, day in rows:
            first_day[shoe_id] = dt.date.fromisoformat(day)
            runs[shoe_id] = []
        for shoe_id, distance_km in self.conn.execute(
            "SELECT shoe_id, distance_km FROM entries "
            "WHERE shoe_id IS NOT NULL AND kind = 'run' AND distance_km"
        ):
            runs[shoe_id].append(distance_km)
        return {
            shoe_id: ShoeUse(math.fsum(runs[shoe_id]), day) for shoe_id, day in first_day.items()
        }

    def shoes(self, include_retired: bool = True) -> list[Shoe]:
        rows = self.conn.execute(
            "SELECT id, name, prior_km, limit_km, retired FROM shoes ORDER BY id"
        )
        found = [
            Shoe(id=r[0], name=r[1], prior_km=r[2], limit_km=r[3], retired=bool(r[4])) for r in rows
        ]
        return [s for s in found if include_retired or not s.retired]

    def save_shoe(self, shoe: Shoe) -> Shoe:
        shoe.validate()
        row: dict[str, Any] = {
            "name": shoe.name.strip(),
            "prior_km": float(shoe.prior_km),
            "limit_km": float(shoe.limit_km),
            "retired": int(shoe.retired),
        }
        with self.writing():
            if shoe.id is None:
                shoe_id = self.db.table("shoes").insert(row).last_pk
            else:
                self.db.table("shoes").upsert({"id": shoe.id, **row}, pk="id")
                shoe_id = shoe.id
        return Shoe(
            id=shoe_id,
            name=row["name"],
            prior_km=shoe.prior_km,
            limit_km=shoe.limit_km,
            retired=shoe.retired,
        )

    def _shoe_exists(self, shoe_id: int) -> bool:
        return (
            self.conn.execute("SELECT 1 FROM shoes WHERE id = ?", [shoe_id]).fetchone() is not None
        )

    # -- settings ------------------------------------------------------------------------

    @overload
    def get_value(self, key: str, default: str) -> str: ...
    @overload
    def get_value(self, key: str, default: None = None) -> str | None: ...
    def get_value(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_value(self, key: str, value: str) -> None:
        with self.writing():
            self.db.table("settings").upsert({"key": key, "value": value}, pk="key")

    def settings(self) -> Settings:
        default = Settings()
        try:
            return Settings(
                units=Units(self.get_value("units", default.units.value)),
                usual_sleep_h=float(self.get_value("usual_sleep_h", str(default.usual_sleep_h))),
                runner_name=self.get_value("runner_name", default.runner_name),
            )
        except ValueError:  # a hand-edited file: fall back rather than refuse to start
            return default

    def save_settings(self, settings: Settings) -> None:
        with self.writing():
            self.db.table("settings").upsert_all(
                [
                    {"key": "units", "value": settings.units.value},
                    {"key": "usual_sleep_h", "value": str(settings.usual_sleep_h)},
                    {"key": "runner_name", "value": settings.runner_name},
                ],
                pk="key",
            )

    # -- triage ---------------------------------------------------------------------------

    def triage_answers(self) -> Answers:
        from .triage import Answers  # loaded after the first paint: 13 ms (bench_startup)

        rows = self.conn.execute("SELECT question, answer, answered FROM triage_answers").fetchall()
        days = {q: dt.date.fromisoformat(day) for q, answer, day in rows if answer == "yes"}
        assessed = days.pop(ASSESSED, None)
        return Answers(yes=days, assessed_on=assessed)

    def answer_triage(self, question: str, yes: bool, day: dt.date) -> None:
        with self.writing():
            self.db.table("triage_answers").upsert(
                {
                    "question": question,
                    "answer": "yes" if yes else "no",
                    "answered": day.isoformat(),
                },
                pk="question",
            )

    def confirm_assessed(self, day: dt.date) -> None:
        self.answer_triage(ASSESSED, True, day)

    def current_plan(self) -> Plan | None:
        """The newest plan the runner has not ended."""
        return self._plan("ended IS NULL", [])

    def plan_during(self, period: Period) -> Plan | None:
        """The newest plan that ran on any day of `period` (ended or not)."""
        assert period.first is not None and period.last is not None  # a period with both ends
        return self._plan(
            "started <= ? AND (ended IS NULL OR ended >= ?)",
            [period.last.isoformat(), period.first.isoformat()],
        )

    def _plan(self, where: str, params: list[Any]) -> Plan | None:
        plans = self.plans(where, params, limit=1)
        return plans[0] if plans else None

    def plans(self, where: str = "1", params: Sequence[Any] = (), limit: int = -1) -> list[Plan]:
        """The plans (all, or those `where` picks), newest first."""
        from .triage import Plan

        rows = self.conn.execute(
            f"SELECT id, kind, started, days, change, pattern, ended FROM plans WHERE {where} "
            "ORDER BY started DESC, id DESC LIMIT ?",
            [*params, limit],
        )
        return [
            Plan(
                id=row[0],
                kind=row[1],
                started=dt.date.fromisoformat(row[2]),
                days=row[3],
                change=row[4],
                pattern=row[5],
                ended=dt.date.fromisoformat(row[6]) if row[6] else None,
            )
            for row in rows
        ]

    def start_plan(self, plan: Plan) -> Plan:
        """Start a plan; one that was still running is ended the day before."""
        with self.writing():
            self.conn.execute(
                "UPDATE plans SET ended = max(started, ?) WHERE ended IS NULL",
                [(plan.started - dt.timedelta(days=1)).isoformat()],
            )
            plan_id = (
                self.db.table("plans")
                .insert(
                    {
                        "kind": plan.kind,
                        "started": plan.started.isoformat(),
                        "days": plan.days,
                        "change": plan.change,
                        "pattern": plan.pattern,
                    }
                )
                .last_pk
            )
        return replace(plan, id=plan_id)

    def end_plan(self, plan_id: int, day: dt.date) -> None:
        with self.writing():
            self.conn.execute("UPDATE plans SET ended = ? WHERE id = ?", [day.isoformat(), plan_id])

    def reopen_plan(self, plan_id: int) -> None:
        """Take back the end of a plan; any plan started since is ended, so one runs at a time."""
        with self.writing():
            self.conn.execute(
                "UPDATE plans SET ended = started WHERE ended IS NULL AND id != ?", [plan_id]
            )
            self.conn.execute("UPDATE plans SET ended = NULL WHERE id = ?", [plan_id])

    def plan_ticks(self, plan_id: int) -> set[tuple[dt.date, str]]:
        rows = self.conn.execute("SELECT day, item FROM plan_ticks WHERE plan_id = ?", [plan_id])
        return {(dt.date.fromisoformat(day), item) for day, item in rows}

    def tick(self, plan_id: int, day: dt.date, item: str, done: bool) -> None:
        with self.writing():
            if done:
                self.conn.execute(
                    "INSERT OR IGNORE INTO plan_ticks (plan_id, day, item) VALUES (?, ?, ?)",
                    [plan_id, day.isoformat(), item],
                )
            else:
                self.conn.execute(
                    "DELETE FROM plan_ticks WHERE plan_id = ? AND day = ? AND item = ?",
                    [plan_id, day.isoformat(), item],
                )

    # -- whole journals ------------------------------------------------------------------

    def add_journal(self, journal: Journal) -> None:
        """Write a whole journal (shoes first, then entries) in one transaction."""
        today = dt.date.today()
        with self.writing():
            shoe_ids = {}
            for shoe in journal.shoes:
                shoe_ids[shoe.id] = self.save_shoe(replace(shoe, id=None)).id
            for entry in journal.entries:
                entry.validate(today)
                self._write_entry(entry.with_(id=None, shoe_id=shoe_ids.get(entry.shoe_id)))
            self.save_settings(journal.settings)
            for plan, ticks in journal.plans:
                plan = self.start_plan(replace(plan, id=None))
                assert plan.id is not None  # start_plan returns it with its new id
                for day, item in ticks:
                    self.tick(plan.id, day, item, True)

    def integrity_ok(self) -> bool:
        result: str = self.conn.execute("PRAGMA integrity_check").fetchone()[0]
        return result == "ok"


def _row_to_entry(row: dict[str, Any], marks: Iterable[PainMark]) -> Entry:
    return from_row(row, tuple(sorted(marks, key=lambda m: (m.side.value, m.region.value))))
