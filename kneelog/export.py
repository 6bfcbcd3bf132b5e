"""Journal out: CSV for a spreadsheet, JSON with everything (and back into an empty journal).

The JSON is built from the schema itself: every table of the journal, every column, row by
row, so tables added by later migrations are exported without touching this module. It
names the migrations the journal has, and loads only into a kneelog that knows them all.
Files are written whole or not at all, readable by the runner alone (0600).
"""

from __future__ import annotations

import base64
import contextlib
import csv
import datetime as dt
import io
import json
import math
import os
import re
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NoReturn

from sqlite_utils import Database

from . import __version__
from .content import labels
from .fields import CSV_COLUMNS, Shown
from .files import (
    open_regular,
    sync_file,
    sync_folder,
    temporary_beside,
    why,
    write_text_atomically,
)
from .journal_file import JournalError
from .model import Entry, InvalidEntry, Settings, Shoe, Units
from .store import Store, migrations
from .units import plural

FORMAT = "kneelog journal"
FORMAT_VERSION = 1
MIGRATIONS_TABLE = "_sqlite_migrations"
# Kept by kneelog for itself, not part of what the runner wrote: loading replaces them.
REPLACEABLE = {"settings"}
FORMATS = ("csv", "json")
# Forty years of two entries a day take about 30 MB; a file beyond this is not a runner's
# export. Loading takes about nine times the file's size in memory (a 62 MB file: 590 MB).
MAX_EXPORT_BYTES = 32 * 1024 * 1024
# What a SQLite INTEGER holds: a larger id or count cannot be stored, only refused.
INT64 = range(-(2**63), 2**63)


class ExportError(JournalError):
    """An export that cannot be written, or a file that cannot be loaded; the message says why."""


def format_for(path: Path, chosen: str | None = None) -> str:
    """'csv' or 'json': the one chosen, else the one the file name ends with."""
    fmt = (chosen or Path(path).suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise ExportError(f"kneelog exports to CSV or JSON; name the file .csv or .json ({path}).")
    return fmt


def export(store: Store, path: Path, fmt: str | None = None) -> str:
    """Write the journal to `path` in `fmt` (default: from its name); say what was written."""
    path = Path(path)
    fmt = format_for(path, fmt)
    if path.resolve() == store.path.resolve():
        raise ExportError("That is the journal itself. Choose another name for the export.")
    try:
        if fmt == "csv":
            rows = write_csv(store, path)
            return f"Wrote {plural(rows, 'entry', 'entries')} to {path}."
        data = write_json(store, path)
        return f"Wrote {len(data['tables']['entries']):,} entries and everything else to {path}."
    except OSError as error:
        raise ExportError(
            f"kneelog could not write {path}: {why(error)}. Nothing was changed there."
        ) from error


# -- CSV ---------------------------------------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


NEGATIVE_NUMBER = re.compile(r"-\d+(\.\d+)?")  # a temperature below zero: a number, not a formula


def neutralise(cell: str) -> str:
    """A cell a spreadsheet would run as a formula gets a leading apostrophe: shown, not run."""
    if cell.startswith(FORMULA_STARTS) and not NEGATIVE_NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def csv_header(units: Units) -> list[str]:
    return [column.title(units) for column in CSV_COLUMNS]


def csv_row(e: Entry, shoes: dict[int, str], units: Units) -> list[str]:
    shown = Shown(units, shoes)
    return [column.text(e, shown) for column in CSV_COLUMNS]


def entries_csv(entries: Iterable[Entry], shoes: Iterable[Shoe], settings: Settings) -> str:
    """One row per entry, oldest first, every cell safe to open in a spreadsheet."""
    labels()  # fail here, before any row, if the words cannot be read
    names = {s.id: s.name for s in shoes if s.id is not None}  # entries name saved pairs
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(csv_header(settings.units))
    for entry in sorted(entries, key=lambda e: (e.started, e.id or 0)):
        writer.writerow([neutralise(cell) for cell in csv_row(entry, names, settings.units)])
    return out.getvalue()


def write_csv(store: Store, path: Path) -> int:
    entries = store.entries()
    # utf-8-sig: the byte-order mark is how Excel knows the file is UTF-8 (accents, emoji).
    write_text_atomically(
        Path(path), entries_csv(entries, store.shoes(), store.settings()), encoding="utf-8-sig"
    )
    return len(entries)


# -- JSON --------------------------------------------------------------------------------


def data_tables(conn: sqlite3.Connection) -> list[str]:
    """Every table that holds the runner's data: all but SQLite's and the migrations' own,
    and virtual tables (such as a search index) with their shadow tables, built from others."""
    rows = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name"
    ).fetchall()
    virtual = [name for name, sql in rows if (sql or "").upper().startswith("CREATE VIRTUAL")]
    return [
        name
        for name, _ in rows
        if not name.startswith("sqlite_")
        and name != MIGRATIONS_TABLE
        and name not in virtual
        and not any(name.startswith(v + "_") for v in virtual)
    ]


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    """Columns that hold values (generated and hidden ones are computed, not stored)."""
    return [r[1] for r in conn.execute(f'PRAGMA table_xinfo("{table}")') if r[6] == 0]


def _order(conn: sqlite3.Connection, table: str) -> str:
    keys = [
        r[1]
        for r in sorted(conn.execute(f'PRAGMA table_info("{table}")'), key=lambda r: r[5])
        if r[5]
    ]
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", [table]).fetchone()[0] or ""
    if "WITHOUT ROWID" in sql.upper():
        return ", ".join(f'"{k}"' for k in keys)
    return "rowid"


def _to_json(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"base64": base64.b64encode(value).decode("ascii")}
    return value


def _from_json(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"base64"} and isinstance(value["base64"], str):
        return base64.b64decode(value["base64"], validate=True)
    if isinstance(value, (dict, list)):
        raise ValueError("a value is a list or an object")
    if isinstance(value, int) and value not in INT64:
        raise ValueError(f"the number {str(value)[:24]} is too large for a journal")
    return value


def journal_data(conn: sqlite3.Connection, now: dt.datetime | None = None) -> dict[str, Any]:
    """Everything in the journal as plain JSON-ready data, read in one snapshot."""
    conn.execute("SAVEPOINT export")  # every table read from the same moment
    try:
        tables = {}
        for table in data_tables(conn):
            columns = _columns(conn, table)
            select = ", ".join(f'"{c}"' for c in columns)
            rows = conn.execute(f'SELECT {select} FROM "{table}" ORDER BY {_order(conn, table)}')
            tables[table] = [
                {c: _to_json(v) for c, v in zip(columns, row, strict=True)} for row in rows
            ]
        applied = [
            r[0]
            for r in conn.execute(
                f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = ? ORDER BY rowid",
                [migrations.name],
            )
        ]
    finally:
        conn.execute("RELEASE export")
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "kneelog_version": __version__,
        "exported": (now or dt.datetime.now()).replace(microsecond=0).isoformat(),
        "migrations": applied,
        "tables": tables,
    }


def write_json(store: Store, path: Path) -> dict[str, Any]:
    data = journal_data(store.conn)
    write_text_atomically(Path(path), to_json_text(data))
    return data


def to_json_text(data: dict[str, Any]) -> str:
    """Indented JSON with one row per line: readable, and small enough for ten years."""

    def dump(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, allow_nan=False)

    lines = ["{"]
    lines += [f"  {dump(key)}: {dump(value)}," for key, value in data.items() if key != "tables"]
    lines.append('  "tables": {')
    tables = list(data["tables"].items())
    for i, (table, rows) in enumerate(tables):
        end = "," if i < len(tables) - 1 else ""
        if not rows:
            lines.append(f"    {dump(table)}: []{end}")
            continue
        lines.append(f"    {dump(table)}: [")
        lines += [
            f"      {dump(row)}{',' if j < len(rows) - 1 else ''}" for j, row in enumerate(rows)
        ]
        lines.append(f"    ]{end}")
    lines += ["  }", "}", ""]
    return "\n".join(lines)


def read_export(path: Path) -> dict[str, Any]:
    """The export at `path` as plain data, or ExportError saying why it is not one.

    Only a regular file is read (a named pipe would block for ever), at most MAX_EXPORT_BYTES;
    an export is at most a few levels deep, and every number in it is finite."""
    path = Path(path)
    try:
        with open_regular(path) as f:
            raw = f.read(MAX_EXPORT_BYTES + 1)
    except OSError as error:
        raise ExportError(f"kneelog could not read {path} ({error.strerror or error}).") from error
    if len(raw) > MAX_EXPORT_BYTES:
        raise ExportError(
            f"{path} is larger than {MAX_EXPORT_BYTES // 2**20} MB, more than any "
            "journal's export. Check that it is the file kneelog exported."
        )
    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=_no_constant, parse_float=_finite)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ExportError(
            f"{path} is not a kneelog export: it is not a JSON file ({error})."
        ) from error
    except RecursionError as error:
        raise ExportError(
            f"{path} is not a kneelog export: its JSON is nested far deeper than an export ever is."
        ) from error
    except ValueError as error:  # 5,000 digits, NaN, Infinity, 1e400
        raise ExportError(
            f"{path} is not a kneelog export that can be loaded: it holds a number "
            f"kneelog cannot read ({str(error)[:80]})."
        ) from error
    if (
        not isinstance(data, dict)
        or data.get("format") != FORMAT
        or not isinstance(data.get("tables"), dict)
    ):
        raise ExportError(
            f"{path} is not a kneelog export. Choose a .json file that kneelog wrote."
        )
    return data


def _no_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not a number")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text[:20]} is too large a number")
    return value


def load_export(
    store: Store, data: dict[str, Any] | Path, today: dt.date | None = None
) -> dict[str, int]:
    """Put an export into the open journal, which must be empty, all in one transaction.

    Returns the rows loaded per table. Raises ExportError, leaving the journal as it was,
    when the journal already has data, when the export comes from a newer kneelog, or when
    any value in it is one the journal cannot hold or the entry form would refuse. An export
    from an older kneelog is brought up to date by the same migrations an older journal goes
    through.
    """
    if not isinstance(data, dict):
        data = read_export(data)
    _check_compatible(data)
    _refuse_unless_empty(store)
    conn = store.conn
    with _loading():
        if set(data["migrations"]) != set(migrations.names):
            data = _brought_up_to_date(data)
        tables = data["tables"]
        with store.writing():
            for table in REPLACEABLE & set(tables):
                conn.execute(f'DELETE FROM "{table}"')
            loaded = _insert_all(conn, tables)
            _check_as_the_form_does(store, today)
    return loaded


def load_new_journal(
    path: Path, data: dict[str, Any] | Path, today: dt.date | None = None
) -> dict[str, int]:
    """Load an export into a new journal at `path`, where there is none yet.

    The journal is built under a temporary name beside `path` and linked there only when it
    is whole, so a refused or interrupted load leaves no file at `path`."""
    path = Path(path)
    if not isinstance(data, dict):
        data = read_export(data)
    made = [folder for folder in (path.parent, *path.parent.parents) if not folder.exists()]
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        with temporary_beside(path) as temp:
            try:
                # Store.open makes a journal only where there is no file (an empty one is
                # refused as damaged): the placeholder gives way to a whole new journal.
                temp.unlink()
                with Store.open(temp) as store:
                    loaded = load_export(store, data, today)
                sync_file(temp)
                try:
                    os.link(temp, path)  # unlike a rename, never replaces a journal made meanwhile
                except FileExistsError as error:
                    raise ExportError(
                        f"A journal appeared at {path} during the load; nothing was "
                        "loaded into it. Load the export into another new file."
                    ) from error
                except OSError:  # a file system without hard links
                    if path.exists():
                        raise
                    os.replace(temp, path)
                sync_folder(path.parent)
            finally:
                for side in ("-wal", "-shm"):
                    Path(f"{temp}{side}").unlink(missing_ok=True)
    except BaseException:
        for folder in made:  # the folders made for it, innermost first, if still empty
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
    return loaded


def _check_as_the_form_does(store: Store, today: dt.date | None) -> None:
    """Every entry, pair of shoes, setting, red-flag answer and plan must be one the app itself
    would save."""
    for entry in store.entries():  # each must also read back as an entry
        try:
            entry.validate(today)
        except InvalidEntry as error:
            when = f"{entry.started.day} {entry.started:%b %Y %H:%M}"
            raise ExportError(
                f"The entry of {when} in this export holds a value kneelog does not "
                f"accept: {error.message} Nothing was loaded."
            ) from error
    for shoe in store.shoes():
        try:
            shoe.validate()
        except InvalidEntry as error:
            raise ExportError(
                f"The shoes {shoe.name!r} in this export hold a value kneelog does not "
                f"accept: {error.message} Nothing was loaded."
            ) from error
    # The triage panel reads these at every start: each must read back as the panel reads it.
    store.triage_answers()
    if store.conn.execute(
        "SELECT 1 FROM triage_answers WHERE answer NOT IN ('yes', 'no')"
    ).fetchone():
        raise ValueError("a red-flag answer that is neither yes nor no")
    for plan in store.plans():
        plan.validate()
        assert plan.id is not None  # read from the journal
        store.plan_ticks(plan.id)
    # Store.settings() falls back to the defaults for a value it cannot read; a load says so.
    values = dict(store.conn.execute("SELECT key, value FROM settings"))
    Units(values.get("units", Units.KM.value))
    if not 0 < float(values.get("usual_sleep_h", "7.5")) <= 24:
        raise ValueError("the usual hours of sleep are not between 0 and 24")


@contextlib.contextmanager
def _loading() -> Iterator[None]:
    """What goes wrong while loading, said in words; the transaction has been rolled back."""
    try:
        yield
    except sqlite3.Error as error:
        raise ExportError(
            f"This export has a value a journal cannot hold ({error}). Nothing was loaded."
        ) from error
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as error:
        raise ExportError(
            f"This export has a value kneelog does not understand ({error}). Nothing was loaded."
        ) from error


def _insert_all(conn: sqlite3.Connection, tables: dict[str, Any]) -> dict[str, int]:
    """Every row of the export, inside the caller's transaction; checks its links at the end."""
    unknown = sorted(set(tables) - set(data_tables(conn)))
    if unknown:
        raise ExportError(
            f"This export has parts this kneelog does not know ({', '.join(unknown)}). "
            "Update kneelog, then load it again."
        )
    conn.execute("PRAGMA defer_foreign_keys = ON")  # rows may come before what they point to
    loaded = {table: _insert(conn, table, rows) for table, rows in tables.items()}
    broken = conn.execute("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise ExportError(
            f"This export is not whole: {len(broken)} row(s) of {broken[0][0]} point to "
            f"{broken[0][2]} that are not in it. Nothing was loaded."
        )
    return loaded


def _brought_up_to_date(data: dict[str, Any]) -> dict[str, Any]:
    """An older export, loaded into an in-memory journal of its own schema and migrated the
    way an older journal file would be (data changes included), then read out again."""
    done = set(data["migrations"])
    pending = [name for name in migrations.names if name not in done]
    db = Database(sqlite3.connect(":memory:"), execute_plugins=False)
    try:
        db.execute("PRAGMA foreign_keys = ON")
        migrations.apply(db, stop_before=pending[0])
        with db.atomic():
            _insert_all(db.conn, data["tables"])
        migrations.apply(db)
        return {**journal_data(db.conn), "exported": data.get("exported")}
    finally:
        db.close()


def _check_compatible(data: dict[str, Any]) -> None:
    version = data.get("format_version")
    names = data.get("migrations")
    if not isinstance(version, int) or not isinstance(names, list):
        raise ExportError(
            "This export is missing its version. Export the journal again with kneelog."
        )
    known = migrations.names
    if version > FORMAT_VERSION or set(names) - set(known):
        raise ExportError(
            "This export was written by a newer version of kneelog. Update kneelog to load it."
        )
    if not names or names != known[: len(names)]:
        raise ExportError(
            "This export does not say rightly which version of the journal it holds, "
            "so kneelog cannot load it. Export the journal again with kneelog."
        )


def _refuse_unless_empty(store: Store) -> None:
    conn = store.conn
    filled = {
        t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
        for t in data_tables(conn)
        if t not in REPLACEABLE
    }
    filled = {t: n for t, n in filled.items() if n}
    if filled:
        what = (
            plural(filled["entries"], "entry", "entries")
            if "entries" in filled
            else ", ".join(f"{n} rows of {t}" for t, n in filled.items())
        )
        raise ExportError(
            f"This journal already has {what}. kneelog loads an export only into an empty "
            "journal, so that nothing is mixed up or overwritten: load it into a new journal file."
        )


def _insert(conn: sqlite3.Connection, table: str, rows: Any) -> int:
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise ValueError(f"{table} is not a list of rows")
    columns = set(_columns(conn, table))
    by_columns: dict[tuple[str, ...], list[list[Any]]] = {}
    for row in rows:
        extra = set(row) - columns
        if extra:
            raise ValueError(f"{table} has no column {sorted(extra)[0]}")
        by_columns.setdefault(tuple(row), []).append([_from_json(v) for v in row.values()])
    # Rows are inserted in the file's order within each shape; all have the same shape normally.
    for cols, values in by_columns.items():
        if not cols:
            conn.executemany(f'INSERT INTO "{table}" DEFAULT VALUES', values)
            continue
        names = ", ".join(f'"{c}"' for c in cols)
        marks = ", ".join("?" * len(cols))
        conn.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', values)
    return len(rows)
