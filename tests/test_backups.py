"""Backups: private, checked copies; taken when they should be; thinned out; restored whole."""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing

import pytest
from sqlite_utils import Database

from factories import make_run
from kneelog import backups
from kneelog import store as store_module
from kneelog.backups import Backup, BackupFailed
from kneelog.demo import demo_journal
from kneelog.store import JournalError, Store

TODAY = dt.date(2026, 11, 21)
NOW = dt.datetime(2026, 11, 21, 8, 15, 30)


def rows(path, sql="SELECT id, started, distance_km, pain_end FROM entries ORDER BY id"):
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
        return conn.execute(sql).fetchall()


@pytest.fixture
def filled(journal_path):
    """A journal with a year of entries, open."""
    s = Store.open(journal_path)
    s.add_journal(demo_journal(end=TODAY, years=1))
    yield s
    s.close()


def test_a_backup_is_a_private_checked_standalone_copy(filled, journal_path):
    backup = backups.back_up(filled.db.conn, journal_path, backups.BY_HAND, now=NOW)

    assert backup.path.parent == journal_path.parent / "backups"
    assert backup.path.name == "journal.2026-11-21T081530.by-hand.db"
    assert backup.path.stat().st_mode & 0o777 == 0o600
    assert backup.path.parent.stat().st_mode & 0o777 == 0o700
    assert rows(backup.path) == rows(journal_path) and len(rows(backup.path)) > 100
    with closing(sqlite3.connect(backup.path)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert backups.list_backups(journal_path) == [backup]
    assert backups.entry_count(backup) == filled.count()
    assert backup.describe() == "Sat 21 Nov 2026, 08:15, taken by hand"
    assert sorted(p.name for p in backup.path.parent.iterdir()) == [backup.path.name], (
        "no temporary file, -journal, -wal or -shm is left in the folder"
    )


def test_two_backups_in_the_same_second_get_their_own_names_newest_first(filled, journal_path):
    first = backups.back_up(
        filled.db.conn, journal_path, backups.BEFORE_IMPORT, now=NOW, prune=False
    )
    filled.save_entry(make_run(notes="between the two"), today=TODAY)
    second = backups.back_up(
        filled.db.conn, journal_path, backups.BEFORE_IMPORT, now=NOW, prune=False
    )
    assert first.path != second.path
    assert [b.path for b in backups.list_backups(journal_path)] == [second.path, first.path]
    assert backups.entry_count(second) == backups.entry_count(first) + 1
    backups.remove_old(journal_path)
    assert backups.list_backups(journal_path) == [second], (
        "the rolling set keeps the newest of them"
    )


def test_a_copy_that_fails_its_check_is_deleted_and_reported(filled, journal_path, monkeypatch):
    monkeypatch.setattr(
        backups,
        "integrity_problems",
        lambda conn: ["Page 7: btreeInitPage() returns error code 11"],
    )
    with pytest.raises(BackupFailed) as info:
        backups.back_up(filled.db.conn, journal_path, now=NOW)
    assert "did not pass its check" in str(info.value) and "deleted" in str(info.value)
    assert list((journal_path.parent / "backups").iterdir()) == []


def test_a_folder_that_cannot_hold_backups_is_reported_in_plain_words(filled, journal_path):
    (journal_path.parent / "backups").write_text("a file where the folder should be")
    with pytest.raises(BackupFailed) as info:
        backups.back_up(filled.db.conn, journal_path, now=NOW)
    assert "could not make the backups folder" in str(info.value)


def test_other_journals_backups_in_the_folder_are_not_listed(filled, journal_path, tmp_path):
    backups.back_up(filled.db.conn, journal_path, now=NOW)
    other = journal_path.with_name("journal-old.db")
    with Store.open(other) as s:
        s.save_entry(make_run(), today=TODAY)
        backups.back_up(s.db.conn, other, now=NOW)
    assert [b.path.name for b in backups.list_backups(journal_path)] == [
        "journal.2026-11-21T081530.by-hand.db"
    ]
    assert [b.path.name for b in backups.list_backups(other)] == [
        "journal-old.2026-11-21T081530.by-hand.db"
    ]


# -- the start-up backup ---------------------------------------------------------------------


def test_the_start_up_backup_is_taken_only_when_the_journal_changed(filled, journal_path):
    first = backups.back_up_if_changed(filled.db.conn, journal_path, now=NOW)
    assert first is not None and first.reason == backups.START_UP
    in_first = backups.entry_count(first)
    assert (
        backups.back_up_if_changed(filled.db.conn, journal_path, now=NOW + dt.timedelta(hours=1))
        is None
    )

    filled.save_entry(make_run(notes="new"), today=TODAY)
    second = backups.back_up_if_changed(
        filled.db.conn, journal_path, now=NOW + dt.timedelta(hours=2)
    )
    assert second is not None and backups.entry_count(second) == in_first + 1


def test_reopening_an_unchanged_journal_takes_no_new_backup(filled, journal_path):
    assert backups.back_up_if_changed(filled.db.conn, journal_path, now=NOW)
    filled.close()
    for hours in (1, 2):  # closed and opened again, read, closed: nothing changed
        with Store.open(journal_path) as again:
            again.entries()
            assert (
                backups.back_up_if_changed(
                    again.db.conn, journal_path, now=NOW + dt.timedelta(hours=hours)
                )
                is None
            )
    with Store.open(journal_path) as again:
        again.save_entry(make_run(), today=TODAY)
    with Store.open(journal_path) as again:  # changed in the last session
        assert backups.back_up_if_changed(
            again.db.conn, journal_path, now=NOW + dt.timedelta(hours=3)
        )


def test_the_start_up_backup_is_taken_again_when_the_backups_were_deleted(filled, journal_path):
    first = backups.back_up_if_changed(filled.db.conn, journal_path, now=NOW)
    first.path.unlink()
    assert backups.back_up_if_changed(filled.db.conn, journal_path, now=NOW) is not None


def test_an_empty_journal_is_not_backed_up(store, journal_path):
    assert backups.back_up_if_changed(store.db.conn, journal_path, now=NOW) is None
    assert backups.list_backups(journal_path) == []


def test_the_import_code_can_back_up_before_a_batch(filled, journal_path):
    backup = backups.before_import(filled.db.conn, journal_path)
    assert backup.reason == backups.BEFORE_IMPORT and backup.why == "before an import"
    assert backups.entry_count(backup) == filled.count()


# -- before a migration ----------------------------------------------------------------------


def old_journal(path):
    """A journal as kneelog 0.1 wrote it (before recorded runs and triage), with one entry."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = Database(sqlite3.connect(path))
    db.execute(f"PRAGMA application_id = {store_module.APPLICATION_ID}")
    store_module.migrations.apply(db, stop_before="m002_recorded_runs")
    db.execute(
        "INSERT INTO entries (kind, started, distance_km, pain_end) "
        "VALUES ('run', '2026-03-01T07:00:00', 8.5, 3)"
    )
    db.conn.commit()
    db.close()


def test_a_journal_is_backed_up_before_its_format_is_updated(journal_path):
    old_journal(journal_path)
    with Store.open(journal_path) as s:
        assert "plans" in s.db.table_names()
    [backup] = backups.list_backups(journal_path)
    assert backup.reason == backups.BEFORE_UPDATE
    assert rows(backup.path) == [(1, "2026-03-01T07:00:00", 8.5, 3)]
    with closing(sqlite3.connect(backup.path)) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "plans" not in tables and "entries" in tables, "the backup has the format from before"

    with Store.open(journal_path):  # nothing left to update: no second backup
        pass
    assert len(backups.list_backups(journal_path)) == 1


def test_a_new_journal_needs_no_backup_before_its_schema_is_made(journal_path):
    with Store.open(journal_path):
        pass
    assert not (journal_path.parent / "backups").exists()


def test_when_the_backup_before_an_update_fails_the_journal_is_left_as_it_was(journal_path):
    old_journal(journal_path)
    (journal_path.parent / "backups").write_text("in the way")
    with pytest.raises(JournalError) as info:
        Store.open(journal_path)
    assert "older kneelog" in str(info.value) and "left as it was" in str(info.value)
    tables = {r[0] for r in rows(journal_path, "SELECT name FROM sqlite_master WHERE type='table'")}
    assert "plans" not in tables
    assert rows(journal_path) == [(1, "2026-03-01T07:00:00", 8.5, 3)]


# -- thinning out ----------------------------------------------------------------------------


def daily(first: dt.date, last: dt.date, hour=8):
    day = first
    while day <= last:
        yield dt.datetime.combine(day, dt.time(hour))
        day += dt.timedelta(days=1)


def at(day: str, hour=8):
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour))


def test_a_daily_backup_for_two_years_keeps_7_days_4_weeks_6_months():
    kept = backups.to_keep(daily(dt.date(2025, 1, 1), TODAY))  # TODAY is Saturday of ISO week 47
    assert sorted(kept) == sorted(
        [at(f"2026-11-{d}") for d in range(15, 22)]  # 7 days
        + [at("2026-11-08"), at("2026-11-01")]  # weeks 45 and 44 (46 and 47 are among the days)
        + [at("2026-10-31"), at("2026-09-30"), at("2026-08-31"), at("2026-07-31"), at("2026-06-30")]
    )


def test_days_without_a_backup_do_not_count_and_the_newest_of_a_day_is_kept():
    taken = [
        at("2026-11-21", 9),
        at("2026-11-21", 8),
        at("2026-11-02"),
        at("2026-10-05"),
        at("2026-03-01"),
        at("2025-12-24"),
        at("2025-01-01"),
    ]
    kept = backups.to_keep(taken, daily=3, weekly=0, monthly=0)
    assert kept == {at("2026-11-21", 9), at("2026-11-02"), at("2026-10-05")}
    assert backups.to_keep(taken, daily=0, weekly=0, monthly=4) == {
        at("2026-11-21", 9),
        at("2026-10-05"),
        at("2026-03-01"),
        at("2025-12-24"),
    }
    assert backups.to_keep([], 7, 4, 6) == set()


def test_the_folder_holds_the_rolling_set_after_backups_on_fake_dates(
    store, journal_path, monkeypatch
):
    from kneelog import files

    monkeypatch.setattr(files, "sync_file", lambda path: None)  # 113 backups: spare the disk
    monkeypatch.setattr(files, "sync_folder", lambda path: None)
    store.save_entry(make_run(), today=TODAY)
    for when in daily(dt.date(2026, 8, 1), TODAY, hour=7):
        backups.back_up(store.db.conn, journal_path, backups.START_UP, now=when)
    taken = [b.taken for b in backups.list_backups(journal_path)]
    assert sorted(taken) == sorted(backups.to_keep(daily(dt.date(2026, 8, 1), TODAY, hour=7)))
    assert len(taken) == 7 + 2 + 3  # the days, two more weeks, three more months (Aug, Sep, Oct)
    for backup in backups.list_backups(journal_path):
        assert backup.path.stat().st_mode & 0o777 == 0o600


def test_the_backup_taken_before_an_update_survives_later_ones_the_same_day(filled, journal_path):
    before_update = backups.back_up(
        filled.db.conn, journal_path, backups.BEFORE_UPDATE, now=at("2026-11-21", 7)
    )
    for hour in (8, 9, 10):
        backups.back_up(filled.db.conn, journal_path, backups.START_UP, now=at("2026-11-21", hour))
    assert [(b.taken.hour, b.reason) for b in backups.list_backups(journal_path)] == [
        (10, backups.START_UP),
        (7, backups.BEFORE_UPDATE),
    ]
    assert before_update.path.exists()


# -- restoring -------------------------------------------------------------------------------


def test_restore_keeps_the_current_journal_aside_and_puts_the_backup_in_place(filled, journal_path):
    backup = backups.back_up(filled.db.conn, journal_path, now=NOW)
    in_backup = rows(journal_path)
    filled.save_entry(make_run(notes="after the backup"), today=TODAY)
    filled.delete_entry(in_backup[0][0])
    filled.close()
    current = journal_path.read_bytes()

    aside = backups.restore(backup, journal_path, now=NOW)

    assert aside == journal_path.with_name("journal.replaced-2026-11-21T081530.db")
    assert aside.read_bytes() == current, "the journal it replaced is kept as it was"
    assert journal_path.stat().st_mode & 0o777 == 0o600
    with Store.open(journal_path) as s:
        assert [
            (e.id, e.started.isoformat(), e.distance_km, e.pain_end) for e in reversed(s.entries())
        ] == in_backup
    assert backup.path.exists(), "the backup itself stays"


def test_restore_moves_the_wal_aside_with_the_journal(filled, journal_path):
    backup = backups.back_up(filled.db.conn, journal_path, now=NOW)
    filled.save_entry(make_run(notes="only in the WAL"), today=TODAY)
    # A crash: the files as they were while the app ran, without the checkpoint of a close.
    wal = journal_path.with_name("journal.db-wal")
    wal_bytes, main_bytes = wal.read_bytes(), journal_path.read_bytes()
    assert wal_bytes
    filled.close()
    journal_path.write_bytes(main_bytes)
    wal.write_bytes(wal_bytes)

    aside = backups.restore(backup, journal_path, now=NOW)

    assert not wal.exists(), "a WAL left behind would be replayed onto the restored journal"
    assert aside.with_name(aside.name + "-wal").read_bytes() == wal_bytes
    assert aside.read_bytes() == main_bytes
    with Store.open(journal_path) as s:
        assert "only in the WAL" not in [e.notes for e in s.entries()]
        assert s.integrity_ok()
    with Store.open(aside) as s:  # the journal set aside still has everything
        assert "only in the WAL" in [e.notes for e in s.entries()]


def test_a_damaged_backup_is_not_restored_and_nothing_changes(filled, journal_path):
    backup = backups.back_up(filled.db.conn, journal_path, now=NOW)
    data = bytearray(backup.path.read_bytes())
    middle = len(data) // 2 // 4096 * 4096
    data[middle : middle + 8192] = bytes(8192)
    backup.path.write_bytes(bytes(data))
    filled.close()
    before = journal_path.read_bytes()

    assert not backups.is_good(backup)
    with pytest.raises(BackupFailed) as info:
        backups.restore(backup, journal_path, now=NOW)
    assert "damaged too" in str(info.value) and "older backup" in str(info.value)
    assert journal_path.read_bytes() == before
    assert sorted(p.name for p in journal_path.parent.iterdir()) == ["backups", "journal.db"]


def test_the_newest_good_backup_skips_damaged_ones(filled, journal_path):
    good = backups.back_up(filled.db.conn, journal_path, now=NOW)
    bad = backups.back_up(
        filled.db.conn, journal_path, now=NOW + dt.timedelta(hours=1), prune=False
    )
    bad.path.write_bytes(bad.path.read_bytes()[: 4096 * 3])
    assert backups.newest_good(journal_path) == good
    assert backups.entry_count(Backup(journal_path.with_name("nothing.db"), NOW, "x")) is None


def test_a_backups_folder_that_cannot_be_written_is_called_read_only_not_full(filled, journal_path):
    import shutil
    import subprocess

    folder = journal_path.parent / "backups"
    folder.mkdir(mode=0o700)
    if not shutil.which("chattr") or subprocess.run(["chattr", "+i", str(folder)]).returncode:
        pytest.skip("needs chattr +i (immutable: read-only even for root)")
    try:
        with pytest.raises(BackupFailed) as info:
            backups.back_up(filled.db.conn, journal_path, now=NOW)
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)
    assert "read-only" in str(info.value) and "full" not in str(info.value), str(info.value)
    assert list(folder.iterdir()) == []
