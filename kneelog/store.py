"""The journal: one SQLite file on sqlite-utils, with its schema, migrations and queries.

Opening is careful because the file is the runner's only copy: it is checked read-only
first (is it SQLite, is it a kneelog journal, is it whole, is it from a newer kneelog),
and only a file that passes is ever written to. Every save is one transaction, with WAL
and synchronous=FULL, so a killed app leaves either the whole entry or none of it.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import sys
from collections.abc import Callable, Iterable
from contextlib import closing
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .model import (
    Change,
    Entry,
    Intensity,
    InvalidEntry,
    Journal,
    Kind,
    PainMark,
    Period,
    Region,
    Relative,
    RunType,
    Settings,
    Shoe,
    ShoeUse,
    Side,
    Surface,
    TimeCourse,
    Trigger,
    Units,
    Warning,
)

ASSESSED = "assessed"  # the triage answer "I have been assessed in person"
if TYPE_CHECKING:
    from sqlite_utils import Database

    from .triage import Answers, Plan, Triage

APPLICATION_ID = 0x4B6E4C67  # "KnLg" in the SQLite header marks a kneelog journal
SQLITE_HEADER = b"SQLite format 3\x00"
MIN_SQLITE = (3, 37, 0)  # STRICT tables


class JournalError(Exception):
    """A journal that cannot be opened; the message says why and what to do."""


class NotAJournal(JournalError):
    pass


class JournalDamaged(JournalError):
    pass


class JournalTooNew(JournalError):
    pass


@dataclass(frozen=True)
class _Migration:
    name: str
    fn: Callable
    transactional: bool = True


class _Migrations:
    """The journal's migrations, declared as with sqlite-utils' Migrations (@migrations()) and
    handed to it only when a journal is opened for writing: importing sqlite-utils takes a
    tenth of a second (it brings click, dateutil, pluggy and numpy), which a journal opened
    to read (Store.open_to_read, for `kneelog summary`) does without."""

    _Migration = _Migration

    def __init__(self, name: str):
        self.name = name
        self._migrations: list[_Migration] = []

    def __call__(self, *, name: str | None = None, transactional: bool = True) -> Callable:
        def add(fn: Callable) -> Callable:
            self._migrations.append(_Migration(name or fn.__name__, fn, transactional))
            return fn

        return add

    @property
    def names(self) -> list[str]:
        """Every migration's name, in the order they apply."""
        return [m.name for m in self._migrations]

    def apply(self, db: Database, *, stop_before=None) -> None:
        self._sqlite_utils().apply(db, stop_before=stop_before)

    def pending(self, db: Database) -> list:
        return self._sqlite_utils().pending(db)

    def applied(self, db: Database) -> list:
        return self._sqlite_utils().applied(db)

    def _sqlite_utils(self):
        from sqlite_utils.migrations import Migrations

        made = Migrations(self.name)
        for m in self._migrations:
            made(name=m.name, transactional=m.transactional)(m.fn)
        return made


migrations = _Migrations("kneelog")


def _database(conn: sqlite3.Connection) -> Database:
    """sqlite-utils' Database on `conn`. sqlite-utils imports numpy and pandas, when installed,
    only to name their column types, which a journal never stores; it is made to find neither
    (numpy is a fifth of kneelog's start-up, pandas seconds)."""
    absent = [name for name in ("numpy", "pandas") if name not in sys.modules]
    sys.modules.update(dict.fromkeys(absent))
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


ENTRY_COLUMNS = (
    "id kind started distance_km duration_s run_type activity surface elevation_gain_m shoe_id "
    "rpe pain_start pain_middle pain_end pain_later pain_next_morning time_course triggers "
    "changes warnings sleep stress notes moving_s elevation_loss_m avg_hr cadence_spm device "
    "source_hash pain_pending"
).split()


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


def _finish_cut_short_write(path: Path) -> None:
    """Play back a hot rollback journal beside `path`, as SQLite does on any opening to write.

    It is left by a write cut short in rollback-journal mode: a new journal's first open (the
    write that turns WAL on) when the process is killed, or another program's crash. A
    read-only connection cannot read past it, so the checks would call the file damaged, or
    not a database, at every start; played back, the file is as it was before that write (a
    new journal's: empty) and is judged as it really is."""
    hot = Path(f"{path}-journal")
    if not path.is_file() or not hot.is_file() or hot.stat().st_size == 0:
        return
    try:
        with closing(sqlite3.connect(path)) as conn:
            conn.execute("PRAGMA schema_version").fetchone()  # a read: the playback comes first
    except sqlite3.DatabaseError:
        pass  # not a database after all: the checks say so, as for any other file


def _refuse_untouched(path: Path) -> set[str]:
    """_precheck, and when the file is refused, take away the -wal/-shm the check created."""
    siblings = [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]
    existed = {p for p in siblings if p.exists()}
    try:
        return _precheck(path)
    except JournalError:
        for sibling in siblings:
            if sibling not in existed:
                sibling.unlink(missing_ok=True)
        raise


def _precheck(path: Path) -> set[str]:
    """Refuse, without writing a byte, a file that is not a whole, current kneelog journal;
    return the migrations it has had."""
    with path.open("rb") as f:
        header = f.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise NotAJournal(
            f"{path} is not a kneelog journal (it is not even a database). "
            "Choose your journal file, or start a new one."
        )
    try:
        # Read-only, but with locks and the WAL honoured: the app may be saving right now.
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
            if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise sqlite3.DatabaseError("quick_check failed")
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            applied = set()
            if "_sqlite_migrations" in tables:
                applied = {
                    r[0]
                    for r in conn.execute(
                        "SELECT name FROM _sqlite_migrations WHERE migration_set = ?",
                        [migrations.name],
                    )
                }
    except sqlite3.DatabaseError as e:
        raise JournalDamaged(
            f"{path} is damaged and cannot be read safely ({e}). It has been left untouched; "
            "open a backup or a copy instead."
        ) from e
    if app_id != APPLICATION_ID and tables:
        raise NotAJournal(
            f"{path} is a database, but not a kneelog journal. kneelog leaves it untouched; "
            "choose your journal file, or start a new one."
        )
    unknown = applied - set(migrations.names)
    if unknown:
        raise JournalTooNew(
            f"{path} was written by a newer version of kneelog. Update kneelog to open it; "
            "this version will not change the file."
        )
    return applied


class Store:
    """One open journal. Bound to the thread that opened it (a worker opens its own)."""

    def __init__(self, conn: sqlite3.Connection, path: Path, db: Database | None = None):
        self.conn = conn
        self.path = path
        self._db = db

    @property
    def db(self) -> Database:
        """sqlite-utils on the journal's connection, for writing. Made on first use: reading
        a journal (start-up, `kneelog summary`) does without its import."""
        if self._db is None:
            self._db = _database(self.conn)
        return self._db

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> Store:
        if sqlite3.sqlite_version_info < MIN_SQLITE:
            raise JournalError("kneelog needs SQLite 3.37 or newer.")
        path = Path(path)
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        _finish_cut_short_write(path)
        applied: set[str] = set()
        if path.exists() and path.stat().st_size > 0:
            applied = _refuse_untouched(path)
        else:
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        conn = sqlite3.connect(path)
        try:
            conn.execute("PRAGMA busy_timeout = 5000")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            if applied == set(migrations.names):
                return cls(conn, path)  # the usual case: nothing to prepare
            db = _database(conn)
            if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                # Mark the file as a journal before the first table is created, so that a first
                # open cut short (the migrations table exists, the schema does not) is recognised
                # and finished next time instead of refused as another program's database.
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            if applied:
                _back_up_before_update(db, path)
            migrations.apply(db)
        except sqlite3.Error as e:
            conn.close()
            raise JournalError(
                f"kneelog could not prepare {path} ({e}). Check that the disk is not full and "
                "that no other program has the file open, then try again."
            ) from e
        except BaseException:
            conn.close()
            raise
        return cls(conn, path, db)

    def prepare_writes(self) -> None:
        """Load what writing needs now (sqlite-utils), rather than at the first save."""
        self.db  # noqa: B018

    @classmethod
    def open_to_read(cls, path: str | os.PathLike[str]) -> Store:
        """A journal to read, not to change (`kneelog summary`): checked as open() checks it,
        then read through a read-only connection, without sqlite-utils. A journal that an
        older kneelog wrote, or that does not exist yet, goes through open() instead."""
        path = Path(path)
        _finish_cut_short_write(path)
        if (not path.exists() or path.stat().st_size == 0
                or _refuse_untouched(path) != set(migrations.names)):
            return cls.open(path)
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        conn.execute("PRAGMA busy_timeout = 5000")
        return cls(conn, path)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- entries -------------------------------------------------------------------------

    def save_entry(self, entry: Entry, today: dt.date | None = None) -> Entry:
        """Insert or replace an entry with its pain marks, all in one transaction."""
        entry.validate(today)
        if entry.shoe_id is not None and not self._shoe_exists(entry.shoe_id):
            raise InvalidEntry(
                "shoe_id", "Those shoes are not in this journal. Pick a pair from the list."
            )
        try:
            with self.db.atomic():
                entry_id = self._write_entry(entry)
        except sqlite3.OperationalError as e:
            raise JournalError(
                f"The entry could not be saved ({e}). Nothing was written; check that the disk "
                "is not full and try again."
            ) from e
        return entry.with_(id=entry_id)

    def _write_entry(self, entry: Entry) -> int:
        row = _entry_to_row(entry)
        if entry.id is None:
            del row["id"]
            entry_id = self.db["entries"].insert(row).last_pk
        else:
            self.db["entries"].upsert(row, pk="id")
            entry_id = entry.id
            self.conn.execute("DELETE FROM pain_marks WHERE entry_id = ?", [entry_id])
        if entry.marks:
            self.db["pain_marks"].insert_all(
                {"entry_id": entry_id, "side": m.side.value, "region": m.region.value,
                 "intensity": int(m.intensity)}
                for m in entry.marks
            )
        return entry_id

    def save_entries(self, entries: Iterable[Entry], today: dt.date | None = None) -> list[Entry]:
        """Insert new entries (an imported file's activities) in one transaction: all or none."""
        entries = list(entries)
        for entry in entries:
            entry.validate(today)
        try:
            with self.db.atomic():
                ids = [self._write_entry(entry.with_(id=None)) for entry in entries]
        except sqlite3.OperationalError as e:
            raise JournalError(
                f"The entries could not be saved ({e}). Nothing was written; check that the disk "
                "is not full and try again."
            ) from e
        return [entry.with_(id=entry_id) for entry, entry_id in zip(entries, ids)]

    def has_source(self, source_hash: str) -> bool:
        """Whether an entry came from the file with this sha256 (it was imported before)."""
        row = self.conn.execute("SELECT 1 FROM entries WHERE source_hash = ? LIMIT 1", [source_hash])
        return row.fetchone() is not None

    def entry_started_at(self, started: dt.datetime, kinds: Iterable[Kind] = (Kind.RUN, Kind.CROSS)) -> Entry | None:
        """An entry of these kinds that started in the same minute (the same run logged before)."""
        minute = started.replace(second=0, microsecond=0, tzinfo=None)
        kinds = [Kind(k).value for k in kinds]
        found = self._query(
            f"WHERE e.started >= ? AND e.started < ? AND e.kind IN ({', '.join('?' * len(kinds))})",
            [minute.isoformat(), (minute + dt.timedelta(minutes=1)).isoformat(), *kinds], limit=1)
        return found[0] if found else None

    def delete_entry(self, entry_id: int) -> Entry:
        """Remove an entry and return it whole, so that saving it again undoes the delete."""
        entry = self.entry(entry_id)
        with self.db.atomic():
            self.conn.execute("DELETE FROM entries WHERE id = ?", [entry_id])
        return entry

    def entry(self, entry_id: int) -> Entry:
        found = self._query("WHERE e.id = ?", [entry_id])
        if not found:
            raise KeyError(entry_id)
        return found[0]

    def entries(self, period: Period | None = None, kinds: Iterable[Kind] | None = None) -> list[Entry]:
        """Entries in the period, newest first."""
        where, params = [], []
        if period and period.first:
            where.append("e.started >= ?")
            params.append(period.first.isoformat())
        if period and period.last:
            where.append("e.started < ?")
            params.append((period.last + dt.timedelta(days=1)).isoformat())
        if kinds is not None:
            kinds = [Kind(k).value for k in kinds]
            where.append(f"e.kind IN ({', '.join('?' * len(kinds))})")
            params.extend(kinds)
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
        return self.conn.execute("SELECT count(*) FROM entries").fetchone()[0]

    def _query(self, where: str, params: list, limit: int | None = None) -> list[Entry]:
        sql = f"SELECT {', '.join('e.' + c for c in ENTRY_COLUMNS)} FROM entries e {where} "
        sql += "ORDER BY e.started DESC, e.id DESC"
        if limit:
            sql += f" LIMIT {int(limit)}"
        rows = self.conn.execute(sql, params).fetchall()
        if not rows:
            return []
        marks: dict[int, list[PainMark]] = {}
        ids = [r[0] for r in rows]
        mark_sql = "SELECT entry_id, side, region, intensity FROM pain_marks"
        if len(ids) <= 500:
            mark_sql += f" WHERE entry_id IN ({', '.join('?' * len(ids))})"
            mark_params = ids
        else:
            mark_params = []
        for entry_id, side, region, intensity in self.conn.execute(mark_sql, mark_params):
            marks.setdefault(entry_id, []).append(PainMark(Side(side), Region(region), Intensity(intensity)))
        return [_row_to_entry(dict(zip(ENTRY_COLUMNS, r)), marks.get(r[0], ())) for r in rows]

    # -- shoes ---------------------------------------------------------------------------

    def shoe_use(self) -> dict[int, ShoeUse]:
        """metrics.shoe_use over the whole journal, from two columns instead of every entry
        (a summary of six weeks needs the shoes' whole history but only those weeks' entries).
        The km are summed in the order metrics.shoe_use takes the runs of Store.entries()."""
        km: dict[int, float] = {}
        first_day: dict[int, dt.date] = {}
        rows = self.conn.execute(
            "SELECT shoe_id, started, CASE WHEN kind = 'run' THEN distance_km END FROM entries "
            "WHERE shoe_id IS NOT NULL ORDER BY started, id DESC"
        )
        for shoe_id, started, distance_km in rows:
            if shoe_id not in first_day:
                first_day[shoe_id] = dt.date.fromisoformat(started[:10])
                km[shoe_id] = 0
            if distance_km:
                km[shoe_id] += distance_km
        return {shoe_id: ShoeUse(km[shoe_id], day) for shoe_id, day in first_day.items()}

    def shoes(self, include_retired: bool = True) -> list[Shoe]:
        rows = self.conn.execute("SELECT id, name, prior_km, limit_km, retired FROM shoes ORDER BY id")
        found = [Shoe(id=r[0], name=r[1], prior_km=r[2], limit_km=r[3], retired=bool(r[4])) for r in rows]
        return [s for s in found if include_retired or not s.retired]

    def save_shoe(self, shoe: Shoe) -> Shoe:
        shoe.validate()
        row = {"name": shoe.name.strip(), "prior_km": float(shoe.prior_km),
               "limit_km": float(shoe.limit_km), "retired": int(shoe.retired)}
        with self.db.atomic():
            if shoe.id is None:
                shoe_id = self.db["shoes"].insert(row).last_pk
            else:
                self.db["shoes"].upsert({"id": shoe.id, **row}, pk="id")
                shoe_id = shoe.id
        return Shoe(id=shoe_id, name=row["name"], prior_km=shoe.prior_km,
                    limit_km=shoe.limit_km, retired=shoe.retired)

    def _shoe_exists(self, shoe_id: int) -> bool:
        return self.conn.execute("SELECT 1 FROM shoes WHERE id = ?", [shoe_id]).fetchone() is not None

    # -- settings ------------------------------------------------------------------------

    def get_value(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_value(self, key: str, value: str) -> None:
        with self.db.atomic():
            self.db["settings"].upsert({"key": key, "value": value}, pk="key")

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
        with self.db.atomic():
            self.db["settings"].upsert_all(
                [
                    {"key": "units", "value": settings.units.value},
                    {"key": "usual_sleep_h", "value": str(settings.usual_sleep_h)},
                    {"key": "runner_name", "value": settings.runner_name},
                ],
                pk="key",
            )

    # -- triage ---------------------------------------------------------------------------

    def triage_answers(self) -> Answers:
        from .triage import Answers  # the triage module loads after the first paint

        rows = self.conn.execute("SELECT question, answer, answered FROM triage_answers").fetchall()
        days = {q: dt.date.fromisoformat(day) for q, answer, day in rows if answer == "yes"}
        assessed = days.pop(ASSESSED, None)
        return Answers(yes=days, assessed_on=assessed)

    def answer_triage(self, question: str, yes: bool, day: dt.date) -> None:
        with self.db.atomic():
            self.db["triage_answers"].upsert(
                {"question": question, "answer": "yes" if yes else "no", "answered": day.isoformat()},
                pk="question")

    def confirm_assessed(self, day: dt.date) -> None:
        self.answer_triage(ASSESSED, True, day)

    def current_plan(self) -> Plan | None:
        """The newest plan the runner has not ended."""
        return self._plan("ended IS NULL", [])

    def plan_during(self, period: Period) -> Plan | None:
        """The newest plan that ran on any day of `period` (ended or not)."""
        return self._plan("started <= ? AND (ended IS NULL OR ended >= ?)",
                          [period.last.isoformat(), period.first.isoformat()])

    def _plan(self, where: str, params: list) -> Plan | None:
        from .triage import Plan

        row = self.conn.execute(
            f"SELECT id, kind, started, days, change, pattern, ended FROM plans WHERE {where} "
            "ORDER BY started DESC, id DESC LIMIT 1", params).fetchone()
        if row is None:
            return None
        return Plan(id=row[0], kind=row[1], started=dt.date.fromisoformat(row[2]), days=row[3],
                    change=row[4], pattern=row[5], ended=row[6] and dt.date.fromisoformat(row[6]))

    def start_plan(self, plan: Plan) -> Plan:
        """Start a plan; one that was still running is ended the day before."""
        with self.db.atomic():
            self.conn.execute("UPDATE plans SET ended = max(started, ?) WHERE ended IS NULL",
                            [(plan.started - dt.timedelta(days=1)).isoformat()])
            plan_id = self.db["plans"].insert({
                "kind": plan.kind, "started": plan.started.isoformat(), "days": plan.days,
                "change": plan.change, "pattern": plan.pattern}).last_pk
        return replace(plan, id=plan_id)

    def end_plan(self, plan_id: int, day: dt.date) -> None:
        with self.db.atomic():
            self.conn.execute("UPDATE plans SET ended = ? WHERE id = ?", [day.isoformat(), plan_id])

    def reopen_plan(self, plan_id: int) -> None:
        """Take back the end of a plan; any plan started since is ended, so one runs at a time."""
        with self.db.atomic():
            self.conn.execute("UPDATE plans SET ended = started WHERE ended IS NULL AND id != ?", [plan_id])
            self.conn.execute("UPDATE plans SET ended = NULL WHERE id = ?", [plan_id])

    def plan_ticks(self, plan_id: int) -> set[tuple[dt.date, str]]:
        rows = self.conn.execute("SELECT day, item FROM plan_ticks WHERE plan_id = ?", [plan_id])
        return {(dt.date.fromisoformat(day), item) for day, item in rows}

    def tick(self, plan_id: int, day: dt.date, item: str, done: bool) -> None:
        with self.db.atomic():
            if done:
                self.conn.execute("INSERT OR IGNORE INTO plan_ticks (plan_id, day, item) VALUES (?, ?, ?)",
                                [plan_id, day.isoformat(), item])
            else:
                self.conn.execute("DELETE FROM plan_ticks WHERE plan_id = ? AND day = ? AND item = ?",
                                [plan_id, day.isoformat(), item])

    def triage(self, today: dt.date, plans_in: Period | None = None) -> Triage:
        """What the triage panel shows on `today`, read from this journal: with the current plan,
        or with the plan that ran in `plans_in` (none if none did)."""
        from .triage import LOOKBACK_DAYS, assess

        plan = self.current_plan() if plans_in is None else self.plan_during(plans_in)
        return assess(
            self.entries(Period(today - dt.timedelta(days=LOOKBACK_DAYS), today)), self.shoes(),
            self.triage_answers(), today, plan, self.plan_ticks(plan.id) if plan else (),
            self.settings().units, shoe_use=self.shoe_use())

    def summary_triage(self, period: Period, today: dt.date) -> Triage:
        """The triage as it stood at the end of `period`, with the plan that ran in it (if any):
        what the physio summary of that period may say."""
        last = min(period.last, today)
        return self.triage(last, Period(period.first, last))

    # -- whole journals ------------------------------------------------------------------

    def add_journal(self, journal: Journal) -> None:
        """Write a whole journal (shoes first, then entries) in one transaction."""
        today = dt.date.today()
        with self.db.atomic():
            shoe_ids = {}
            for shoe in journal.shoes:
                shoe_ids[shoe.id] = self.save_shoe(replace(shoe, id=None)).id
            for entry in journal.entries:
                entry.validate(today)
                self._write_entry(entry.with_(id=None, shoe_id=shoe_ids.get(entry.shoe_id)))
            self.save_settings(journal.settings)
            for plan, ticks in journal.plans:
                plan = self.start_plan(replace(plan, id=None))
                for day, item in ticks:
                    self.tick(plan.id, day, item, True)

    def integrity_ok(self) -> bool:
        return self.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _join(values: Iterable[str]) -> str:
    return " ".join(sorted(v.value for v in values))


def _split(text: str, enum) -> frozenset:
    return frozenset(enum(v) for v in text.split())


def _opt(enum, value):
    return None if value is None else enum(value)


def _entry_to_row(e: Entry) -> dict:
    return {
        "id": e.id,
        "kind": e.kind.value,
        "started": e.started.replace(microsecond=0, tzinfo=None).isoformat(),
        "distance_km": e.distance_km,
        "duration_s": e.duration_s,
        "run_type": e.run_type and e.run_type.value,
        "activity": e.activity,
        "surface": e.surface and e.surface.value,
        "elevation_gain_m": e.elevation_gain_m,
        "shoe_id": e.shoe_id,
        "rpe": e.rpe,
        "pain_start": e.pain_start,
        "pain_middle": e.pain_middle,
        "pain_end": e.pain_end,
        "pain_later": e.pain_later,
        "pain_next_morning": e.pain_next_morning,
        "time_course": e.time_course and e.time_course.value,
        "triggers": _join(e.triggers),
        "changes": _join(e.changes),
        "warnings": _join(e.warnings),
        "sleep": None if e.sleep is None else int(e.sleep),
        "stress": None if e.stress is None else int(e.stress),
        "notes": e.notes,
        "moving_s": e.moving_s,
        "elevation_loss_m": e.elevation_loss_m,
        "avg_hr": e.avg_hr,
        "cadence_spm": e.cadence_spm,
        "device": e.device,
        "source_hash": e.source_hash,
        "pain_pending": int(e.pain_pending),
    }


def _row_to_entry(r: dict, marks: Iterable[PainMark]) -> Entry:
    return Entry(
        id=r["id"],
        kind=Kind(r["kind"]),
        started=dt.datetime.fromisoformat(r["started"]),
        distance_km=r["distance_km"],
        duration_s=r["duration_s"],
        run_type=_opt(RunType, r["run_type"]),
        activity=r["activity"],
        surface=_opt(Surface, r["surface"]),
        elevation_gain_m=r["elevation_gain_m"],
        shoe_id=r["shoe_id"],
        rpe=r["rpe"],
        pain_start=r["pain_start"],
        pain_middle=r["pain_middle"],
        pain_end=r["pain_end"],
        pain_later=r["pain_later"],
        pain_next_morning=r["pain_next_morning"],
        time_course=_opt(TimeCourse, r["time_course"]),
        triggers=_split(r["triggers"], Trigger),
        changes=_split(r["changes"], Change),
        warnings=_split(r["warnings"], Warning),
        sleep=_opt(Relative, r["sleep"]),
        stress=_opt(Relative, r["stress"]),
        notes=r["notes"],
        moving_s=r["moving_s"],
        elevation_loss_m=r["elevation_loss_m"],
        avg_hr=r["avg_hr"],
        cadence_spm=r["cadence_spm"],
        device=r["device"],
        source_hash=r["source_hash"],
        pain_pending=bool(r["pain_pending"]),
        marks=tuple(sorted(marks, key=lambda m: (m.side.value, m.region.value))),
    )


