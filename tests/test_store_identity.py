"""Stable identity: ids never handed out twice, a uuid that travels with an entry, and a
version that catches a save made from an older copy (two windows, two kneelogs)."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pytest
from test_store import full_entry

from factories import make_run
from kneelog import export
from kneelog import store as store_module
from kneelog.fields import to_row
from kneelog.model import Intensity, Kind, PainMark, Region, Shoe, Side
from kneelog.store import EntryChanged, Store

TODAY = dt.date(2026, 11, 21)
PREVIOUS = "m004_stable_identity"  # the journal as kneelog wrote it before this migration


def test_ids_are_never_handed_out_again(store):
    first = store.save_entry(make_run(), today=TODAY)
    newest = store.save_entry(make_run(notes="newest"), today=TODAY)
    store.delete_entry(newest.id)
    again = store.save_entry(make_run(notes="after the delete"), today=TODAY)
    assert again.id not in (first.id, newest.id)
    store = reopen(store)
    assert store.save_entry(make_run(), today=TODAY).id > again.id
    store.close()


def reopen(store: Store) -> Store:
    store.close()
    return Store.open(store.path)


def test_each_entry_has_its_own_uuid_and_a_version_each_save_counts_up(store):
    a = store.save_entry(make_run(), today=TODAY)
    b, c = store.save_entries([make_run(notes="b"), make_run(notes="c")], today=TODAY)
    assert len({a.uuid, b.uuid, c.uuid}) == 3 and all(len(e.uuid) == 36 for e in (a, b, c))
    assert (a.version, b.version) == (1, 1)
    edited = store.save_entry(a.with_(notes="edited"), today=TODAY)
    assert (edited.id, edited.uuid, edited.version) == (a.id, a.uuid, 2)
    assert store.entry(a.id).version == 2 and store.entry(a.id).uuid == a.uuid
    copy = store.save_entry(a.with_(id=None), today=TODAY)
    assert copy.uuid != a.uuid, "a copy saved as a new entry is another entry"


def write_previous_journal(path) -> dict:
    """A journal as the kneelog before stable identity wrote it, with something in every table."""
    from sqlite_utils import Database

    path.parent.mkdir(parents=True, exist_ok=True)
    db = Database(sqlite3.connect(path))
    db.execute(f"PRAGMA application_id = {store_module.APPLICATION_ID}")
    db.execute("PRAGMA foreign_keys = ON")
    store_module.migrations.apply(db, stop_before=PREVIOUS)
    conn = db.conn
    conn.execute("INSERT INTO shoes (id, name) VALUES (3, 'Daily')")
    entries = [
        full_entry(Kind.RUN, 3),
        make_run(notes="second"),
        full_entry(Kind.CROSS, None),
        make_run(notes="last, deleted", marks=()),
    ]
    columns = {r[1] for r in conn.execute("PRAGMA table_info(entries)")}  # as that kneelog had them
    for number, entry in enumerate(entries, start=1):
        row = {
            c: v for c, v in to_row(entry.with_(id=number * 2)).items() if c in columns
        }  # ids with gaps, as deletes leave
        conn.execute(
            f"INSERT INTO entries ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
            list(row.values()),
        )
        conn.executemany(
            "INSERT INTO pain_marks VALUES (?, ?, ?, ?)",
            [(number * 2, m.side.value, m.region.value, int(m.intensity)) for m in entry.marks],
        )
    conn.execute("DELETE FROM entries WHERE id = 8")
    conn.execute("INSERT INTO settings VALUES ('units', 'mi')")
    conn.execute(
        "INSERT INTO plans (kind, started, days, change) VALUES ('calm', '2026-11-01', 7, 'fewer hills')"
    )
    conn.execute("INSERT INTO plan_ticks VALUES (1, '2026-11-02', 'walk')")
    conn.execute("INSERT INTO triage_answers VALUES ('swelling', 'no', '2026-11-01')")
    conn.commit()
    before = {
        table: conn.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()
        for table in (
            "shoes",
            "entries",
            "pain_marks",
            "settings",
            "plans",
            "plan_ticks",
            "triage_answers",
        )
    }
    db.close()
    return before


def m004_entries(conn) -> list[tuple]:
    """Every entry as m004 left it: the columns it had before, then its uuid and version.
    (Later migrations add their columns after these.)"""
    columns = [r[1] for r in conn.execute("PRAGMA table_info(entries)")]
    columns = columns[: columns.index("version") + 1]
    return conn.execute(f"SELECT {', '.join(columns)} FROM entries ORDER BY rowid").fetchall()


def test_a_journal_from_the_previous_schema_is_upgraded_losing_nothing(journal_path):
    before = write_previous_journal(journal_path)
    assert len(before["entries"]) == 3 and len(before["pain_marks"]) > 20

    with Store.open(journal_path) as store:
        conn = store.conn
        assert store_module.migrations.pending(store.db) == []
        for table, rows in before.items():
            after = conn.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()
            if table == "entries":
                after = m004_entries(conn)  # every column as it was, then the uuid and the version
                assert [r[:-2] for r in after] == rows
                assert len({r[-2] for r in after}) == 3 and {r[-1] for r in after} == {1}
            else:
                assert after == rows, table
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert store.integrity_ok()
        assert [r[2] for r in conn.execute("PRAGMA foreign_key_list(pain_marks)")] == ["entries"]
        # The marks still go with their entry, and still need one.
        with pytest.raises(sqlite3.IntegrityError), store.writing():
            conn.execute("INSERT INTO pain_marks VALUES (99, 'left', 'deep', 1)")
        store.delete_entry(2)
        assert conn.execute("SELECT count(*) FROM pain_marks WHERE entry_id = 2").fetchone()[0] == 0
        new = store.save_entry(make_run(), today=TODAY)
        assert new.id == 7, "after the highest id the journal held"
        store.delete_entry(new.id)
        assert store.save_entry(make_run(), today=TODAY).id == 8


def test_the_uuid_is_kept_by_export_and_load(tmp_path, store):
    shoe = store.save_shoe(Shoe(name="Daily"))
    saved = [
        store.save_entry(full_entry(Kind.RUN, shoe.id), today=TODAY),
        store.save_entry(make_run(), today=TODAY),
    ]
    store.save_entry(saved[1].with_(notes="edited"), today=TODAY)
    export.export(store, tmp_path / "journal.json")
    with Store.open(tmp_path / "other" / "journal.db") as other:
        export.load_export(other, tmp_path / "journal.json")
        loaded = {e.uuid: e for e in other.entries()}
        assert {e.uuid: (e.id, e.version) for e in store.entries()} == {
            u: (e.id, e.version) for u, e in loaded.items()
        }
        assert other.save_entry(make_run(), today=TODAY).id > max(e.id for e in saved)


def test_an_export_from_before_uuids_loads_with_a_uuid_for_each_entry(tmp_path, journal_path):
    write_previous_journal(journal_path)
    conn = sqlite3.connect(journal_path)
    data = export.journal_data(conn)
    conn.close()
    assert PREVIOUS not in data["migrations"] and "uuid" not in data["tables"]["entries"][0]
    (tmp_path / "old.json").write_text(json.dumps(data))
    with Store.open(tmp_path / "new" / "journal.db") as new:
        export.load_export(new, tmp_path / "old.json")
        entries = new.entries()
        assert sorted(e.id for e in entries) == [2, 4, 6]
        assert len({e.uuid for e in entries}) == 3 and {e.version for e in entries} == {1}


# -- two copies of one entry -------------------------------------------------------------


@pytest.fixture
def other(journal_path, store):
    """A second Store on the same journal: another window, another kneelog."""
    s = Store.open(journal_path)
    yield s
    s.close()


def test_two_stores_editing_one_entry_lose_neither_change(store, other):
    entry = store.save_entry(make_run(notes="first"), today=TODAY)
    mine, theirs = store.entry(entry.id), other.entry(entry.id)
    other.save_entry(theirs.with_(notes="theirs", pain_end=6), today=TODAY)

    with pytest.raises(EntryChanged) as caught:
        store.save_entry(mine.with_(notes="mine"), today=TODAY)
    current = caught.value.current
    assert (current.notes, current.pain_end, current.version) == ("theirs", 6, 2)
    assert "changed elsewhere" in str(caught.value)
    assert store.entry(entry.id).notes == "theirs", "nothing was written over theirs"
    # The runner saw both and chose theirs to be replaced: saved over the version seen.
    kept = store.save_entry(mine.with_(notes="mine", version=current.version), today=TODAY)
    assert (other.entry(entry.id).notes, kept.version) == ("mine", 3)


def test_a_stale_copy_does_not_bring_back_an_entry_deleted_elsewhere(store, other):
    entry = store.save_entry(make_run(), today=TODAY)
    other.delete_entry(entry.id)
    with pytest.raises(EntryChanged) as caught:
        store.save_entry(entry.with_(notes="mine"), today=TODAY)
    assert caught.value.current is None and "deleted elsewhere" in str(caught.value)
    assert store.count() == 0


def test_a_stale_copy_does_not_delete_a_newer_version(store, other):
    entry = store.save_entry(make_run(), today=TODAY)
    other.save_entry(other.entry(entry.id).with_(pain_end=9), today=TODAY)
    with pytest.raises(EntryChanged):
        store.delete_entry(entry.id, version=entry.version)
    assert store.entry(entry.id).pain_end == 9
    with pytest.raises(EntryChanged):
        other.delete_entry(entry.id + 1, version=1)  # gone already: said so, not a KeyError


def test_restoring_puts_back_the_entry_and_touches_nothing_else(store, other):
    marks = (PainMark(Side.LEFT, Region.IT_BAND, Intensity.SEVERE),)
    kept = store.save_entry(make_run(notes="kept"), today=TODAY)
    deleted = store.delete_entry(
        store.save_entry(make_run(notes="deleted", marks=marks), today=TODAY).id
    )
    imported = other.save_entries([make_run(notes="imported meanwhile")], today=TODAY)[0]

    back = store.restore_entry(deleted, today=TODAY)
    assert (back.id, back.uuid, back.marks) == (deleted.id, deleted.uuid, marks)
    assert {e.notes for e in store.entries()} == {"kept", "deleted", "imported meanwhile"}
    assert store.entry(imported.id) == imported and store.entry(kept.id) == kept
    with pytest.raises(EntryChanged):  # put back elsewhere already: not twice
        other.restore_entry(deleted, today=TODAY)
    assert store.count() == 3


def test_two_kneelogs_bringing_one_journal_up_to_date_at_once_both_open_it(
    journal_path, monkeypatch
):
    """Both find the migration pending; the second, waiting for the first's write lock, then
    finds its work done already. It must open the journal, not refuse it."""
    import threading

    before = write_previous_journal(journal_path)
    both_checked = threading.Barrier(2, timeout=10)
    back_up = store_module._back_up_before_update

    def back_up_then_wait(db, path):  # both have read the journal's state before either migrates
        back_up(db, path)
        both_checked.wait()

    monkeypatch.setattr(store_module, "_back_up_before_update", back_up_then_wait)
    opened, failed = [], []

    def open_it():
        try:
            with Store.open(journal_path) as store:  # a Store belongs to its thread
                opened.append(store.count())
        except Exception as error:  # noqa: BLE001  reported below
            failed.append(error)

    threads = [threading.Thread(target=open_it) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failed, failed
    assert opened == [3, 3]
    with Store.open(journal_path) as store:
        rows = m004_entries(store.conn)
        assert [r[:-2] for r in rows] == before["entries"]
        assert store_module.migrations.pending(store.db) == []
