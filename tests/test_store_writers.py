"""Writers wait their turn: two kneelogs (or a window and its import thread) writing to one
journal at once each wait for the other, and neither loses or refuses a save.

The long run (`make torture`) sets KNEELOG_TORTURE=1: 10 s of writing instead of 4.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from factories import make_run
from kneelog.store import JournalError, Store

TODAY = dt.date(2026, 11, 21)
WRITER = Path(__file__).with_name("busy_writer.py")
SECONDS = 10.0 if os.environ.get("KNEELOG_TORTURE") else 4.0


def hold_the_write_lock(path: Path, seconds: float, ready: threading.Event) -> threading.Thread:
    """Another connection (another kneelog, say) writes and keeps its transaction open."""

    def hold() -> None:
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE settings SET value = value")
        conn.execute(
            "INSERT INTO settings (key, value) VALUES ('held', 'yes') "
            "ON CONFLICT (key) DO UPDATE SET value = 'again'"
        )
        ready.set()
        time.sleep(seconds)
        conn.execute("COMMIT")
        conn.close()

    thread = threading.Thread(target=hold)
    thread.start()
    return thread


def test_a_save_waits_for_another_writer_and_then_goes_in(store, journal_path):
    store.save_entry(make_run(), today=TODAY)
    store.entries()  # a read just before, as the window does all the time
    ready = threading.Event()
    holder = hold_the_write_lock(journal_path, 0.6, ready)
    ready.wait()
    started = time.monotonic()
    saved = store.save_entry(make_run(started=dt.datetime(2026, 11, 3, 7)), today=TODAY)
    waited = time.monotonic() - started
    holder.join()
    assert waited > 0.4, "it waited for the other writer"
    assert store.entry(saved.id) == saved
    assert store.count() == 2


def test_a_writer_kept_out_for_long_hears_that_another_kneelog_is_writing(store, journal_path):
    store.write_patience_s = 0.5
    ready = threading.Event()
    holder = hold_the_write_lock(journal_path, 1.5, ready)
    ready.wait()
    started = time.monotonic()
    with pytest.raises(JournalError) as caught:
        store.save_entry(make_run(), today=TODAY)
    waited = time.monotonic() - started
    holder.join()
    assert 0.4 < waited < 1.4
    message = str(caught.value)
    assert "another kneelog" in message.lower()
    assert "locked" not in message and "disk" not in message
    assert store.count() == 0
    store.save_entry(make_run(), today=TODAY)  # once the other is done, saving works again
    assert store.count() == 1


def test_two_processes_of_two_threads_writing_at_once_lose_nothing(journal_path):
    with Store.open(journal_path):
        pass  # the journal exists before the writers start
    writers = [
        subprocess.Popen(
            [sys.executable, str(WRITER), str(journal_path), name, str(SECONDS), "2"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=WRITER.parent,
        )
        for name in ("a", "b")
    ]
    outputs = [w.communicate(timeout=SECONDS + 60) for w in writers]
    lines = [line for out, _ in outputs for line in out.splitlines()]
    for writer, (_, err) in zip(writers, outputs, strict=True):
        assert writer.returncode == 0, err
    failed = [line for line in lines if line.startswith("failed")]
    confirmed: dict[int, str] = {}
    for line in lines:
        if line.startswith("saved "):
            _, entry_id, notes = line.split(" ", 2)
            confirmed[int(entry_id)] = notes  # the last confirmed version wins
    assert lines.count("done") == 2
    assert not failed, (
        f"{len(failed)} of {len(failed) + len(confirmed)} writes failed: {failed[:3]}"
    )
    assert len(confirmed) > 40 * SECONDS / 4
    with Store.open(journal_path) as store:
        found = {e.id: e.notes for e in store.entries()}
        assert store.integrity_ok()
    assert found == confirmed, "every confirmed write is there, as it was confirmed"
    writes = sum(line.startswith("saved ") for line in lines)
    print(
        f"{SECONDS:.0f} s, 2 processes x 2 threads: {writes} writes confirmed, {len(failed)} failed, "
        f"{len(found)} entries, all as confirmed"
    )
