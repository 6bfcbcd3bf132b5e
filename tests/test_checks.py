"""Check journal: integrity_check and foreign_key_check, said in plain words, writing nothing."""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing

import pytest

from kneelog.checks import check_connection, check_journal
from kneelog.demo import demo_journal
from kneelog.store import Store


@pytest.fixture(scope="module")
def journal_bytes(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("check") / "journal.db"
    with Store.open(path) as s:
        s.add_journal(demo_journal(end=dt.date(2026, 11, 21), years=3))
    return path.read_bytes()


def assert_plain(text: str) -> None:
    for technical in ("Traceback", "sqlite3.", "Error:", "btree", "Page "):
        assert technical not in text, (technical, text)


def test_a_good_journal_is_in_good_order(tmp_path, journal_bytes):
    path = tmp_path / "journal.db"
    path.write_bytes(journal_bytes)
    result = check_journal(path)
    assert result.ok
    assert result.summary.startswith("Your journal is in good order")
    with Store.open(path) as s:
        assert f"all {s.count():,} entries" in result.summary
    assert_plain(result.summary)


@pytest.mark.parametrize("how", ["zeroed", "random"])
def test_a_damaged_journal_is_found_damaged_and_left_untouched(tmp_path, journal_bytes, how):
    import random

    data = bytearray(journal_bytes)
    start = len(data) // 2 // 4096 * 4096
    data[start : start + 2 * 4096] = (
        bytes(2 * 4096) if how == "zeroed" else random.Random(3).randbytes(2 * 4096)
    )
    path = tmp_path / "journal.db"
    path.write_bytes(bytes(data))

    result = check_journal(path)

    assert not result.ok
    assert "damaged" in result.summary and "Restore it from a backup" in result.summary
    assert result.details, "what SQLite said is kept for the log"
    assert_plain(result.summary)
    assert path.read_bytes() == bytes(data)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["journal.db"], (
        "no -wal/-shm left beside it"
    )


def test_pain_marks_pointing_to_missing_entries_are_reported(tmp_path, journal_bytes):
    path = tmp_path / "journal.db"
    path.write_bytes(journal_bytes)
    with (
        closing(sqlite3.connect(path)) as conn,  # foreign keys are off on a bare connection
        conn,
    ):
        conn.execute("DELETE FROM entries WHERE id IN (SELECT entry_id FROM pain_marks LIMIT 1)")
    result = check_journal(path)
    assert not result.ok
    assert "The file is whole, but " in result.summary
    assert (
        "point to missing entries" in result.summary
        or "points to missing entries" in result.summary
    )
    assert_plain(result.summary)


def test_a_file_that_is_not_a_database_or_is_missing_is_reported(tmp_path):
    text = tmp_path / "notes.db"
    text.write_text("Monday: 8 km\n" * 500)
    result = check_journal(text)
    assert not result.ok and "not a kneelog journal" in result.summary
    assert text.read_text() == "Monday: 8 km\n" * 500
    missing = check_journal(tmp_path / "gone.db")
    assert not missing.ok and "There is no journal at" in missing.summary


def test_the_open_journal_can_be_checked_on_its_own_connection(store):
    assert check_connection(store.db.conn).ok
