"""`kneelog import export.zip` killed (SIGKILL) while it imports, again and again: every run it
said it imported is in the journal, none is there twice or half, and the last import, left to
its end, brings in exactly the rest. The child is tests/kill_commands.py's (kill_child.Child).
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import random
import sqlite3
import time
import zipfile
from contextlib import closing

from factories import archive_maker
from kill_commands import Command, imported_files, read_only
from kneelog.checks import check_journal
from kneelog.store import Store

A = archive_maker()
KILLS = 5
SEED = 20261204


def make_export(path) -> dict[str, tuple[dt.datetime, float]]:
    """240 one-hour runs, one a day (enough work that a kill lands in the middle); what each
    member holds, by its source hash."""
    first = dt.datetime(2024, 3, 1, 7, 0, tzinfo=dt.UTC)
    planned = [
        A.Planned(first + dt.timedelta(days=n), round(5 + (n % 9) * 0.7, 2), 1800 + 60 * (n % 9))
        for n in range(240)
    ]
    path.write_bytes(A.synthetic_strava(planned, A.Templates(every=5, seconds=3600)))
    expected = {}
    with zipfile.ZipFile(path) as zf:
        for number, p in enumerate(planned, 1):
            data = gzip.decompress(zf.read(f"activities/{number}.fit.gz"))
            expected[hashlib.sha256(data).hexdigest()] = (p.start, p.km)
    return expected


def check(journal, expected, confirmed: set[str]) -> set[str]:
    """The journal after a kill: whole, every confirmed member in it, nothing twice, every
    entry as its file holds it. Returns the source hashes in it."""
    if not journal.exists():
        assert not confirmed
        return set()
    with closing(read_only(journal)) as conn:
        assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        try:
            entries = Store(conn, journal).entries()
        except sqlite3.OperationalError:  # killed while its first open made the tables
            assert not confirmed
            return set()
    assert check_journal(journal).ok
    sources = [e.source_hash for e in entries]
    assert len(sources) == len(set(sources)), "a run imported twice"
    for entry in entries:
        start, km = expected[entry.source_hash]
        assert entry.distance_km == km and entry.pain_pending
        assert entry.started == start.astimezone().replace(tzinfo=None)
    assert confirmed <= set(sources), "said imported, not in the journal"
    return set(sources)


def test_a_killed_export_import_keeps_what_it_said_and_the_next_one_finishes(tmp_path):
    export = tmp_path / "export_1.zip"
    expected = make_export(export)
    journal = tmp_path / "journal" / "journal.db"
    command = ["import", str(export), "--journal", str(journal)]
    by_name: dict[str, str] = {}
    with zipfile.ZipFile(export) as zf:
        for info in zf.infolist():
            if info.filename.endswith(".gz"):
                data = gzip.decompress(zf.read(info))
                by_name[f"{export}/{info.filename}"] = hashlib.sha256(data).hexdigest()
    rng = random.Random(SEED)
    confirmed: set[str] = set()
    present: set[str] = set()
    kills = 0
    children = [Command(*command)]
    try:
        for _ in range(KILLS):
            current = children[-1]
            children.append(Command(*command))
            current.go()
            while (line := current.next_line()) is not None and not imported_files([line]):
                pass
            assert line is not None, f"the import ended before a run:\n{current.stop()}"
            time.sleep(rng.uniform(0.0, 0.3))
            current.stop()
            this_round = {by_name[p] for p in imported_files(current.seen)}
            assert not this_round & present, "imported again"
            confirmed |= this_round
            present = check(journal, expected, confirmed)
            if not current.killed():
                break  # it finished before its kill: the rest is the last import's part
            kills += 1
        # A resumed import is quick (what is in is only hashed, not parsed again), so the
        # later rounds may finish first; two kills in the middle are the least this proves.
        assert kills >= 2, f"only {kills} kill(s) landed before the import finished"
        last = children.pop()
        last.go()
        code, stderr = last.finish()
        assert code == 0, stderr
        rest = {by_name[p] for p in imported_files(last.seen)}
        assert not rest & present and rest | present == set(expected)
        assert check(journal, expected, set(expected)) == set(expected)
    finally:
        for child in children:
            child.stop()
