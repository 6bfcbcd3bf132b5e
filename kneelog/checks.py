"""Is a journal file whole? SQLite's own checks, told in plain words.

`check_journal` never writes: it reads through a read-only connection, so it can be run
on a damaged file, or on a journal another kneelog has open.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from .journal_file import JournalDamaged, JournalError, read_only, refuse_untouched
from .units import plural

MAX_PROBLEMS = 20  # integrity_check stops after this many; the first few say enough


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    summary: str  # one or two sentences for the runner
    details: list[str] = field(default_factory=list)  # what SQLite reported, for the log

    def __str__(self) -> str:
        return self.summary


def integrity_problems(conn: sqlite3.Connection) -> list[str]:
    """What `PRAGMA integrity_check` found; empty when the file is whole."""
    rows = [r[0] for r in conn.execute(f"PRAGMA integrity_check({MAX_PROBLEMS})")]
    return [] if rows == ["ok"] else rows


def broken_links(conn: sqlite3.Connection) -> dict[tuple[str, str], int]:
    """(table, table it points to) -> rows pointing at a row that is not there."""
    found: dict[tuple[str, str], int] = {}
    for table, _rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check"):
        found[(table, parent)] = found.get((table, parent), 0) + 1
    return found


# How a row that points nowhere reads to a runner; unknown tables fall back to their names.
_THINGS = {
    "pain_marks": ("pain mark", "pain marks"),
    "entries": ("entry", "entries"),
    "shoes": ("pair of shoes", "pairs of shoes"),
    "plans": ("plan", "plans"),
    "plan_ticks": ("plan tick", "plan ticks"),
}


def _things(table: str, count: int) -> str:
    return plural(count, *_THINGS.get(table, (f"row of {table}", f"rows of {table}")))


def check_connection(conn: sqlite3.Connection) -> CheckResult:
    try:
        problems = integrity_problems(conn)
        links = {} if problems else broken_links(conn)
        entries = None if problems else conn.execute("SELECT count(*) FROM entries").fetchone()[0]
    except sqlite3.DatabaseError as error:
        return CheckResult(
            False,
            "kneelog cannot read this journal: the file is damaged. Restore "
            "it from a backup (File > Restore from backup...).",
            [str(error)],
        )
    if problems:
        return CheckResult(
            False,
            f"This journal is damaged: SQLite found {len(problems)}"
            f"{' or more' if len(problems) >= MAX_PROBLEMS else ''} "
            f"{'problem' if len(problems) == 1 else 'problems'} in how the file is stored, so some entries may "
            "be missing or wrong. Restore it from a backup (File > Restore from backup...); keep "
            "this file until you have checked the restored one.",
            problems,
        )
    if links:
        lost = "; ".join(
            f"{_things(table, n)} point{'s' if n == 1 else ''} to missing {_THINGS.get(parent, ('', parent))[1]}"
            for (table, parent), n in sorted(links.items())
        )
        return CheckResult(
            False,
            f"The file is whole, but {lost}. kneelog can still open it, but those will not show "
            "up anywhere. A backup from before the problem has them as they were.",
            [f"{t} -> {p}: {n}" for (t, p), n in sorted(links.items())],
        )
    return CheckResult(
        True,
        f"Your journal is in good order: the file is whole and all "
        f"{entries:,} entries, with their pain marks, are linked up correctly.",
    )


def check_journal(path: Path) -> CheckResult:
    """integrity_check and foreign_key_check on the file at `path`, without writing to it."""
    path = Path(path)
    if not path.is_file():
        return CheckResult(False, f"There is no journal at {path}.")
    # Reading a WAL journal makes -wal/-shm files when there were none; take those away after.
    siblings = [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]
    existed = {p for p in siblings if p.exists()}
    try:
        try:
            refuse_untouched(path, writing=False)  # what kind of file it is, in its own words
        except JournalDamaged:
            pass  # told below, with what SQLite found
        except JournalError as error:
            return CheckResult(False, str(error))
        with closing(read_only(path)) as conn:
            return check_connection(conn)
    except sqlite3.DatabaseError as error:  # not a database at all, or its header is gone
        return CheckResult(
            False,
            f"kneelog cannot read {path} as a journal: the file is damaged. "
            "Restore it from a backup.",
            [str(error)],
        )
    finally:
        for sibling in siblings:
            if sibling not in existed:
                sibling.unlink(missing_ok=True)
