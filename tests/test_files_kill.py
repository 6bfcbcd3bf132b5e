"""Killing kneelog while it backs up, restores or updates a journal loses nothing.

A child process (tests/kill_files.py) repeats one operation and says when each has returned;
the test kills it with SIGKILL at seeded random moments, then checks, before anything else
touches the files, that the journal's path holds a whole journal, and after opening it that
every confirmed write is there and no hidden temporary copy is left. 20 kills of each kind
here; `make torture-journal` runs 200 (KNEELOG_TORTURE_ROUNDS).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import sqlite3
import tempfile
import time
from contextlib import closing
from pathlib import Path

from kill_child import Child
from sqlite_utils import Database

from factories import make_run
from kneelog import backups, journal_file
from kneelog import store as store_module
from kneelog.store import Store

CHILD = Path(__file__).with_name("kill_files.py")
ROUNDS = int(os.environ.get("KNEELOG_TORTURE_ROUNDS", "20"))
LINE_TIMEOUT_S = 30
NOW = dt.datetime(2026, 11, 21, 8, 15)


def child_doing(what: str, folder: Path, round_number: int) -> Child:
    """One kneelog (tests/kill_files.py) doing `what` over and over."""
    return Child(CHILD, what, str(folder), str(round_number), line_timeout_s=LINE_TIMEOUT_S)


def words(child: Child) -> list[list[str]]:
    """SIGKILL it; every whole line it printed, split into words."""
    return [line.split() for line in child.kill()]


def anywhere(child: Child, rng: random.Random) -> None:
    """Kill at a random moment after the child's first confirmed operation."""
    child.line()
    time.sleep(rng.uniform(0.0, 0.1))


def kill_rounds(what: str, folder: Path, check, seed: int, aim=anywhere) -> None:
    """Children in turn, each killed at a moment `aim` chooses, `check(lines)` after each kill,
    until ROUNDS checks said the kill landed where it was meant to (at most 3 x ROUNDS kills)."""
    rng = random.Random(seed)
    children = [child_doing(what, folder, 0)]
    landed = 0
    try:
        for number in range(3 * ROUNDS):
            child = children[-1]
            children.append(child_doing(what, folder, number + 1))
            child.go()
            aim(child, rng)
            landed += bool(check(words(child)))
            if landed >= ROUNDS:
                break
        assert landed >= ROUNDS, f"only {landed} of {number + 1} kills landed where meant"
    finally:
        for child in children:
            child.stop()


def assert_whole_journal_at(path: Path) -> int:
    """Before kneelog repairs anything: the path holds a SQLite journal that passes its check
    (after SQLite's own crash recovery, done on a copy); return its entries."""
    assert path.exists(), f"no journal at {path}"
    if path.with_name(path.name + "-journal").exists():  # a save cut short in rollback mode
        scratch = Path(tempfile.mkdtemp(prefix="kneelog-scratch-"))
        for sibling in path.parent.glob(path.name + "*"):
            shutil.copyfile(sibling, scratch / sibling.name)
        path = scratch / path.name
        try:
            with closing(sqlite3.connect(path)) as conn:  # rolls the copy back
                assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
                return conn.execute("SELECT count(*) FROM entries").fetchone()[0]
        finally:
            shutil.rmtree(scratch)
    with closing(journal_file.read_only(path)) as conn:
        assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        return conn.execute("SELECT count(*) FROM entries").fetchone()[0]


def hidden_leftovers(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob(".*"))


def test_killed_backups_lose_nothing_and_leave_no_copy_behind(tmp_path):
    journal = tmp_path / "journal.db"
    confirmed: set[int] = set()

    def check(lines):
        this_round = {int(words[1]) for words in lines if words[0] == "saved"}
        assert this_round
        confirmed.update(this_round)
        assert_whole_journal_at(journal)
        with Store.open(journal) as store:
            ids = {e.id for e in store.entries()}
        assert confirmed <= ids, f"confirmed but lost: {sorted(confirmed - ids)}"
        assert hidden_leftovers(tmp_path) == []
        found = backups.list_backups(journal)
        assert found and all(backups.is_good(b) for b in found)
        return True

    kill_rounds("backup", tmp_path, check, seed=1204)
    assert len(confirmed) >= ROUNDS


def test_killed_restores_leave_the_old_or_the_new_journal_whole(tmp_path):
    journal = tmp_path / "journal.db"
    with Store.open(journal) as store:
        store.save_entry(make_run(notes="first"))
        backups.back_up(store.conn, journal, backups.BY_HAND, now=NOW)
        store.save_entries([make_run(notes=f"then {n}", distance_km=1.0 + n) for n in range(2)])
        backups.back_up(store.conn, journal, backups.BEFORE_IMPORT, now=NOW + dt.timedelta(hours=1))
        store.save_entry(make_run(notes="last"))
    in_backups = [1, 3]  # entries in the by-hand backup, and in the one before an import
    state = {"entries": 4, "notices": 0}

    def check(lines):
        restored = [int(words[1]) for words in lines if words[0] == "restored"]
        assert restored
        last = restored[-1]
        coming = in_backups[len(restored) % 2]
        at_path = assert_whole_journal_at(journal)
        assert at_path in (last, coming), (at_path, last, coming)
        with Store.open(journal) as store:
            assert store.count() in (last, coming)
            assert store.integrity_ok()
            state["notices"] += store.notice is not None
        assert hidden_leftovers(tmp_path) == []
        return True

    kill_rounds("restore", tmp_path, check, seed=1205)
    print(f"{state['notices']} of {ROUNDS} kills landed inside a restore and were repaired")


def old_journal(path: Path, entries: int) -> None:
    """A kneelog 0.1 journal: the first migration only, with `entries` runs."""
    db = Database(sqlite3.connect(path))
    db.execute(f"PRAGMA application_id = {store_module.APPLICATION_ID}")
    store_module.migrations.apply(db, stop_before="m002_recorded_runs")
    db["entries"].insert_all(
        {
            "kind": "run",
            "started": f"2026-03-01T07:{n % 60:02}:00",
            "distance_km": 1.0 + n,
            "notes": f"run {n}",
        }
        for n in range(entries)
    )
    db.conn.commit()
    db.close()


def inside_a_migration(child: Child, rng: random.Random) -> None:
    """Time one migration, then kill at a random moment of the next one."""
    while not child.line().startswith("copied"):
        pass
    began = time.monotonic()
    while not child.line().startswith("migrated"):
        pass
    took = time.monotonic() - began
    while not child.line().startswith("copied"):
        pass
    time.sleep(rng.uniform(0.0, took))


def test_killed_migrations_leave_the_old_or_the_new_format_and_every_entry(tmp_path):
    old_journal(tmp_path / "old.db", 300)
    checked = {"migrated": 0, "cut short": 0}

    def check(lines):
        cut_short = checked["cut short"]
        for folder in sorted(p for p in tmp_path.iterdir() if p.is_dir()):
            journal = folder / "journal.db"
            if journal.exists():
                assert assert_whole_journal_at(journal) == 300
                with Store.open(journal) as store:
                    assert store_module.migrations.pending(store.db) == []
                    notes = sorted(e.notes for e in store.entries())
                    assert notes == sorted(f"run {n}" for n in range(300))
                done = ["migrated", folder.name] in lines
                checked["migrated" if done else "cut short"] += 1
                assert hidden_leftovers(folder) == []
            shutil.rmtree(folder)
        return checked["cut short"] > cut_short

    kill_rounds("migrate", tmp_path, check, seed=1206, aim=inside_a_migration)
    assert checked["cut short"] >= ROUNDS
