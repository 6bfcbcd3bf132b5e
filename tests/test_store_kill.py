"""Killing the app at any moment loses no confirmed entry and leaves no half entry.

A child process (tests/kill_writer.py) saves entries in a loop and reports each id once
save_entry has returned; the test kills it with SIGKILL at seeded random moments, many
times over the same journal, then opens the journal and checks every entry.
"""

from __future__ import annotations

import os
import random
import sqlite3
import time
from pathlib import Path

from kill_child import Child

from kill_writer import marks_in
from kneelog.store import Store

WRITER = Path(__file__).with_name("kill_writer.py")
REPEAT = int(os.environ.get("KNEELOG_TORTURE_REPEAT", "1"))  # `make torture-saves`: 10
KILLS_WHILE_SAVING = 22 * REPEAT  # after the writer has confirmed at least one entry
KILLS_WHILE_OPENING = 6 * REPEAT  # right after the go: opening, recovering, migrating
LINE_TIMEOUT_S = 20


class Writer(Child):
    """One writer process (tests/kill_writer.py)."""

    def __init__(self, path: Path, round_number: int):
        super().__init__(WRITER, str(path), str(round_number), line_timeout_s=LINE_TIMEOUT_S)

    def confirmed(self) -> dict[int, int]:
        """SIGKILL the writer; return {id: number of marks} for every save it confirmed."""
        confirmed = {}
        for line in self.kill():
            if line.startswith("saved "):
                _, entry_id, count = line.split()
                confirmed[int(entry_id)] = int(count)
        return confirmed


def test_killed_writers_lose_no_confirmed_entry_and_leave_no_half_entry(tmp_path):
    path = tmp_path / "journal" / "journal.db"
    rng = random.Random(20261121)
    rounds = (["opening"] + ["saving", "saving", "saving", "opening"] * 5 + ["saving"] * 7) * REPEAT
    assert rounds.count("saving") == KILLS_WHILE_SAVING
    assert rounds.count("opening") == KILLS_WHILE_OPENING

    confirmed: dict[int, int] = {}
    writers = [Writer(path, 0)]  # the next writer starts while the current one works
    try:
        for number, moment in enumerate(rounds):
            writer = writers[-1]
            if number + 1 < len(rounds):
                writers.append(Writer(path, number + 1))
            writer.go()
            if moment == "saving":
                writer.line()  # the first save is confirmed: kill within the next ones
                time.sleep(rng.uniform(0.0, 0.08))
            else:
                time.sleep(rng.uniform(0.0, 0.06))
            this_round = writer.confirmed()
            reused = this_round.keys() & confirmed.keys()
            assert not reused, f"confirmed ids handed out again, so lost: {sorted(reused)}"
            if moment == "saving":
                assert this_round
            confirmed.update(this_round)
    finally:
        for writer in writers:
            writer.stop()

    assert len(confirmed) >= KILLS_WHILE_SAVING
    with Store.open(path) as store:
        assert store.integrity_ok()
        entries = {e.id: e for e in store.entries()}
        orphans = store.db.execute(
            "SELECT count(*) FROM pain_marks WHERE entry_id NOT IN (SELECT id FROM entries)"
        ).fetchone()[0]
    assert orphans == 0
    missing = sorted(confirmed.keys() - entries.keys())
    assert not missing, f"confirmed but lost: {missing}"
    for entry_id, count in confirmed.items():
        assert len(entries[entry_id].marks) == count, entry_id
    for entry in entries.values():  # confirmed or not, each entry is whole
        assert len(entry.marks) == marks_in(entry.notes), entry.id

    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()
