"""The journal file: round trips, queries, migrations, atomic saves and careful opening."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import re
import sqlite3
import stat
from pathlib import Path

import pytest

from factories import make_run
from kneelog import store as store_module
from kneelog.demo import demo_journal
from kneelog.model import (
    Change,
    Entry,
    Intensity,
    InvalidEntry,
    Kind,
    PainMark,
    Period,
    Region,
    Relative,
    RunType,
    Settings,
    Shoe,
    Side,
    Surface,
    TimeCourse,
    Trigger,
    Units,
    WarningSign,
)
from kneelog.store import (
    JournalDamaged,
    JournalEmpty,
    JournalError,
    JournalTooNew,
    NotAJournal,
    Store,
)

TODAY = dt.date(2026, 11, 21)
NOTES = (
    "Knie tat weh \u2013 Treppe runter. \u819d\u304c\u75db\u3044 \U0001f9b5\U0001f62c\n"
    "<b>&amp;</b> <script>alert('x')</script> \"quoted\" 'single'\t"
    "'); DROP TABLE entries; --\u2028end"
)
ALL_SPOTS = [(side, region) for side in Side for region in Region]


def all_marks() -> tuple[PainMark, ...]:
    intensities = list(Intensity)
    return tuple(
        PainMark(side, region, intensities[i % len(intensities)])
        for i, (side, region) in enumerate(ALL_SPOTS)
    )


def full_entry(kind: Kind, shoe_id: int | None) -> Entry:
    """An entry with every field set to something other than its default."""
    return Entry(
        kind=kind,
        started=dt.datetime(2026, 10, 14, 6, 45, 12),
        distance_km=12.345,
        duration_s=4321,
        run_type=RunType.TRAIL,
        activity="Aqua jogging \u00fcber <i>Mittag</i>",
        surface=Surface.GRASS,
        elevation_gain_m=123.5,
        shoe_id=shoe_id,
        rpe=10,
        pain_start=0,
        pain_middle=5,
        pain_end=10,
        pain_later=7,
        pain_next_morning=3,
        time_course=TimeCourse.PREDICTABLE_POINT,
        triggers=frozenset(Trigger),
        changes=frozenset(Change),
        warnings=frozenset(WarningSign),
        sleep=Relative.LESS,
        stress=Relative.MORE,
        notes=NOTES,
        marks=all_marks(),
    )


def assert_same_entry(found: Entry, expected: Entry) -> None:
    """Equal in every field; marks are a set of spots, so their order does not matter."""
    assert dataclasses.replace(found, marks=()) == dataclasses.replace(expected, marks=())
    assert len(found.marks) == len(expected.marks)
    assert set(found.marks) == set(expected.marks)


def table_count(store: Store, table: str) -> int:
    return store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def reopen(store: Store) -> Store:
    store.close()
    return Store.open(store.path)


def file_state(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


# -- round trips --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(Kind))
def test_every_field_round_trips(store, kind):
    shoe = store.save_shoe(Shoe(name="Trail shoes"))
    saved = store.save_entry(full_entry(kind, shoe.id), today=TODAY)
    assert saved.id is not None

    store = reopen(store)
    try:
        found = store.entry(saved.id)
        assert_same_entry(found, saved)
        assert found.notes == NOTES
        assert len(found.marks) == len(ALL_SPOTS)
        assert {m.side for m in found.marks} == set(Side)
        assert isinstance(found.kind, Kind) and isinstance(found.sleep, Relative)
        assert all(isinstance(m.intensity, Intensity) for m in found.marks)
    finally:
        store.close()


@pytest.mark.parametrize("kind", list(Kind))
def test_a_bare_entry_round_trips_with_its_empty_fields(store, kind):
    entry = Entry(
        kind=kind,
        started=dt.datetime(2026, 11, 1, 12, 0),
        distance_km=5.0 if kind is Kind.RUN else None,
    )
    saved = store.save_entry(entry, today=TODAY)
    found = store.entry(saved.id)
    assert_same_entry(found, saved)
    assert found.pain_end is None and found.rpe is None and found.sleep is None
    assert found.triggers == frozenset() and found.marks == ()


def test_every_enum_value_round_trips(store):
    saved = []
    for run_type in RunType:
        saved.append(store.save_entry(make_run(run_type=run_type), today=TODAY))
    for surface in Surface:
        saved.append(store.save_entry(make_run(surface=surface), today=TODAY))
    for course in TimeCourse:
        saved.append(store.save_entry(make_run(time_course=course), today=TODAY))
    for relative in Relative:
        saved.append(store.save_entry(make_run(sleep=relative, stress=relative), today=TODAY))
    for trigger in Trigger:
        saved.append(store.save_entry(make_run(triggers=frozenset({trigger})), today=TODAY))
    for change in Change:
        saved.append(store.save_entry(make_run(changes=frozenset({change})), today=TODAY))
    for warning in WarningSign:
        saved.append(store.save_entry(make_run(warnings=frozenset({warning})), today=TODAY))
    for intensity in Intensity:
        mark = PainMark(Side.LEFT, Region.PES_ANSERINE, intensity)
        saved.append(store.save_entry(make_run(marks=(mark,)), today=TODAY))

    store = reopen(store)
    try:
        for entry in saved:
            assert_same_entry(store.entry(entry.id), entry)
    finally:
        store.close()


# -- update, delete, undo -----------------------------------------------------------------


def test_saving_with_an_id_replaces_fields_and_marks(store):
    first = store.save_entry(
        make_run(
            notes="before",
            rpe=6,
            triggers=frozenset({Trigger.SITTING}),
            marks=(PainMark(Side.LEFT, Region.KNEECAP), PainMark(Side.LEFT, Region.DEEP)),
        ),
        today=TODAY,
    )
    other = store.save_entry(make_run(started=dt.datetime(2026, 11, 3, 7, 0)), today=TODAY)
    changed = first.with_(
        notes="after",
        rpe=None,
        distance_km=21.1,
        triggers=frozenset({Trigger.STAIRS_DOWN, Trigger.KNEELING}),
        marks=(PainMark(Side.RIGHT, Region.BACK_OUTER, Intensity.SEVERE),),
    )
    updated = store.save_entry(changed, today=TODAY)

    assert updated.id == first.id
    assert table_count(store, "entries") == 2
    assert_same_entry(store.entry(first.id), changed)
    assert_same_entry(store.entry(other.id), other)
    rows = store.db.execute(
        "SELECT side, region, intensity FROM pain_marks WHERE entry_id = ?", [first.id]
    ).fetchall()
    assert rows == [("right", "back_outer", 3)]


def test_delete_returns_the_whole_entry_and_restoring_it_undoes_it(store):
    shoe = store.save_shoe(Shoe(name="Daily"))
    saved = store.save_entry(full_entry(Kind.RUN, shoe.id), today=TODAY)
    keep = store.save_entry(make_run(), today=TODAY)

    deleted = store.delete_entry(saved.id)

    assert_same_entry(deleted, saved)
    with pytest.raises(KeyError):
        store.entry(saved.id)
    assert [e.id for e in store.entries()] == [keep.id]
    marks_left = store.db.execute(
        "SELECT count(*) FROM pain_marks WHERE entry_id = ?", [saved.id]
    ).fetchone()[0]
    assert marks_left == 0

    restored = store.restore_entry(deleted, today=TODAY)

    assert (restored.id, restored.uuid, restored.version) == (saved.id, saved.uuid, saved.version)
    assert_same_entry(store.entry(saved.id), saved)
    assert table_count(store, "entries") == 2


def test_deleting_an_unknown_entry_changes_nothing(store):
    saved = store.save_entry(make_run(), today=TODAY)
    with pytest.raises(KeyError):
        store.delete_entry(saved.id + 1)
    assert_same_entry(store.entry(saved.id), saved)


# -- queries ------------------------------------------------------------------------------


def test_entries_are_newest_first(store):
    rng = random.Random(3)
    times = [
        dt.datetime(2026, 10, 1, 6, 0) + dt.timedelta(hours=rng.randrange(24 * 40))
        for _ in range(30)
    ]
    times.append(times[0])  # two entries at the same moment: the later saved comes first
    for started in times:
        store.save_entry(make_run(started=started), today=TODAY)

    found = store.entries()

    assert len(found) == len(times)
    keys = [(e.started, e.id) for e in found]
    assert keys == sorted(keys, reverse=True)


def test_period_includes_its_first_and_last_day_whole(store):
    day = dt.date(2026, 10, 5)
    times = []
    for offset in range(-3, 6):
        d = day + dt.timedelta(days=offset)
        times += [
            dt.datetime.combine(d, dt.time(0, 0)),
            dt.datetime.combine(d, dt.time(23, 59, 59)),
        ]
    saved = [store.save_entry(make_run(started=t), today=TODAY) for t in times]
    first, last = day, day + dt.timedelta(days=2)

    def ids(entries):
        return sorted(e.id for e in entries)

    assert ids(store.entries(Period(first, last))) == ids(
        e for e in saved if first <= e.started.date() <= last
    )
    assert len(store.entries(Period(first, last))) == 6
    assert ids(store.entries(Period(first=first))) == ids(
        e for e in saved if e.started.date() >= first
    )
    assert ids(store.entries(Period(last=last))) == ids(
        e for e in saved if e.started.date() <= last
    )
    assert ids(store.entries(Period(first, first))) == ids(
        e for e in saved if e.started.date() == first
    )
    assert ids(store.entries(Period())) == ids(saved)


def test_kinds_filter(store):
    at = dt.datetime(2026, 11, 1, 9, 0)
    saved = {
        kind: store.save_entry(Entry(kind=kind, started=at, distance_km=3.0), today=TODAY)
        for kind in Kind
    }

    assert [e.id for e in store.entries(kinds=[Kind.STRENGTH])] == [saved[Kind.STRENGTH].id]
    both = store.entries(kinds=[Kind.RUN, Kind.CHECKIN])
    assert {e.kind for e in both} == {Kind.RUN, Kind.CHECKIN} and len(both) == 2
    assert store.entries(kinds=[]) == []
    assert len(store.entries(kinds=list(Kind))) == len(Kind)
    period = Period(at.date() + dt.timedelta(days=1), None)
    assert store.entries(period, kinds=[Kind.RUN]) == []


def test_latest_is_the_newest_entry_of_the_kind(store):
    assert store.latest() is None
    runs = [
        store.save_entry(make_run(started=dt.datetime(2026, 11, d, 7, 0)), today=TODAY)
        for d in (3, 9, 5)
    ]
    checkin = store.save_entry(
        Entry(kind=Kind.CHECKIN, started=dt.datetime(2026, 11, 12, 20, 0), pain_later=2),
        today=TODAY,
    )

    assert_same_entry(store.latest(), runs[1])
    assert_same_entry(store.latest(Kind.CHECKIN), checkin)
    assert store.latest(Kind.STRENGTH) is None


# -- next-morning question ----------------------------------------------------------------

MORNING = dt.datetime(2026, 11, 3, 7, 0)


def test_last_evenings_run_is_offered_the_next_morning(store):
    run = store.save_entry(make_run(started=dt.datetime(2026, 11, 2, 18, 30)), today=TODAY)
    assert_same_entry(store.awaiting_next_morning(MORNING), run)


def test_the_newest_unrated_run_is_offered(store):
    store.save_entry(make_run(started=dt.datetime(2026, 11, 2, 7, 0)), today=TODAY)
    evening = store.save_entry(make_run(started=dt.datetime(2026, 11, 2, 18, 30)), today=TODAY)
    assert store.awaiting_next_morning(MORNING).id == evening.id


def test_a_run_from_today_is_not_offered(store):
    store.save_entry(make_run(started=dt.datetime(2026, 11, 3, 6, 0)), today=TODAY)
    assert store.awaiting_next_morning(MORNING) is None


def test_a_run_older_than_36_hours_is_not_offered(store):
    store.save_entry(make_run(started=MORNING - dt.timedelta(hours=37)), today=TODAY)
    assert store.awaiting_next_morning(MORNING) is None
    within = store.save_entry(make_run(started=MORNING - dt.timedelta(hours=35)), today=TODAY)
    assert store.awaiting_next_morning(MORNING).id == within.id


def test_a_rated_run_is_not_offered(store):
    store.save_entry(
        make_run(started=dt.datetime(2026, 11, 2, 18, 30), pain_next_morning=0), today=TODAY
    )
    assert store.awaiting_next_morning(MORNING) is None


def test_other_kinds_are_not_offered(store):
    for kind in (Kind.STRENGTH, Kind.CROSS, Kind.CHECKIN):
        store.save_entry(Entry(kind=kind, started=dt.datetime(2026, 11, 2, 18, 0)), today=TODAY)
    assert store.awaiting_next_morning(MORNING) is None


def test_a_dismissed_run_is_not_offered_again(store):
    run = store.save_entry(make_run(started=dt.datetime(2026, 11, 2, 18, 30)), today=TODAY)
    store.dismiss_next_morning(run.id + 100)
    assert store.awaiting_next_morning(MORNING).id == run.id

    store.dismiss_next_morning(run.id)

    assert store.awaiting_next_morning(MORNING) is None
    store = reopen(store)
    try:
        assert store.awaiting_next_morning(MORNING + dt.timedelta(hours=2)) is None
    finally:
        store.close()


# -- shoes and settings -------------------------------------------------------------------


def test_shoes_save_update_and_retire(store):
    blue = store.save_shoe(Shoe(name="  Blue trainers ", prior_km=120.5, limit_km=700))
    red = store.save_shoe(Shoe(name="Red racers"))
    assert blue.id is not None and red.id is not None and blue.id != red.id
    assert blue.name == "Blue trainers"

    renamed = store.save_shoe(dataclasses.replace(blue, name="Blue (old)", limit_km=650))
    store.save_shoe(dataclasses.replace(red, retired=True))

    store = reopen(store)
    try:
        shoes = store.shoes()
        assert [s.id for s in shoes] == [blue.id, red.id]
        assert shoes[0] == renamed
        assert shoes[0].prior_km == 120.5 and shoes[0].limit_km == 650
        assert shoes[1].retired is True
        assert [s.id for s in store.shoes(include_retired=False)] == [blue.id]
    finally:
        store.close()


def test_invalid_shoe_is_not_saved(store):
    with pytest.raises(InvalidEntry) as info:
        store.save_shoe(Shoe(name=" "))
    assert info.value.field == "name"
    assert store.shoes() == []


def test_an_unknown_shoe_is_refused_and_nothing_is_saved(store):
    shoe = store.save_shoe(Shoe(name="Daily"))
    with pytest.raises(InvalidEntry) as info:
        store.save_entry(make_run(shoe_id=shoe.id + 1), today=TODAY)
    assert info.value.field == "shoe_id"
    assert table_count(store, "entries") == 0
    assert table_count(store, "pain_marks") == 0

    saved = store.save_entry(make_run(shoe_id=shoe.id), today=TODAY)
    with pytest.raises(InvalidEntry):
        store.save_entry(saved.with_(shoe_id=shoe.id + 1, notes="changed"), today=TODAY)
    assert_same_entry(store.entry(saved.id), saved)


def test_settings_round_trip(store):
    assert store.settings() == Settings()
    mine = Settings(units=Units.MI, usual_sleep_h=8.25, runner_name="Zo\u00eb O'Brien-\u5c71\u7530")
    store.save_settings(mine)
    store = reopen(store)
    try:
        assert store.settings() == mine
        assert store.settings() != Settings()
    finally:
        store.close()


def test_a_hand_edited_setting_falls_back_to_the_defaults(store):
    store.set_value("units", "furlongs")
    assert store.settings() == Settings()


# -- schema, migrations, file ---------------------------------------------------------------


def check_new_journal(store: Store) -> None:
    db = store.db
    tables = dict(
        db.execute(
            "SELECT name, sql FROM sqlite_master "
            "WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\' "
            "AND name != 'sqlite_sequence'"  # SQLite's own, for AUTOINCREMENT
        )
    )
    assert {"entries", "pain_marks", "shoes", "settings"} <= set(tables)
    for name, sql in tables.items():
        assert "STRICT" in sql.upper(), name
    indexes = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'entries'"
    ).fetchall()
    indexed_columns = {
        col[2] for (name,) in indexes for col in db.execute(f"PRAGMA index_info('{name}')")
    }
    assert "started" in indexed_columns
    plan = " ".join(
        str(r)
        for r in db.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM entries ORDER BY started DESC LIMIT 30"
        )
    )
    assert "INDEX" in plan.upper()
    assert db.execute("PRAGMA application_id").fetchone()[0] == int.from_bytes(b"KnLg", "big")
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2
    assert store_module.migrations.pending(db) == []
    assert store_module.migrations.applied(db)


def test_a_new_journal_gets_the_whole_schema(journal_path):
    assert not journal_path.exists()
    with Store.open(journal_path) as store:
        check_new_journal(store)


def test_an_existing_empty_file_is_refused_untouched(journal_path):
    """0 bytes is not a journal: opening it would quietly start a new, empty one where the
    runner's journal was (tests/test_journal_file.py has the message)."""
    journal_path.parent.mkdir()
    journal_path.touch()
    assert_refused_untouched(journal_path, JournalEmpty)


def test_a_first_open_cut_short_by_an_earlier_kneelog_is_finished_next_time(journal_path):
    """Earlier versions made the schema in place: a first open cut short left the journal
    marked as kneelog's, with a migrations table but no schema. It is finished, not refused."""
    journal_path.parent.mkdir()
    with sqlite3.connect(journal_path) as conn:
        conn.execute(f"PRAGMA application_id = {store_module.APPLICATION_ID}")
        conn.execute(
            "CREATE TABLE [_sqlite_migrations] ([id] INTEGER PRIMARY KEY, "
            "[migration_set] TEXT, [name] TEXT, [applied_at] TEXT)"
        )
    conn.close()
    with Store.open(journal_path) as store:
        check_new_journal(store)
        store.save_entry(make_run(), today=TODAY)
        assert store.count() == 1


def test_foreign_keys_are_enforced(store):
    with pytest.raises(sqlite3.IntegrityError), store.db.atomic():
        store.db.execute(
            "INSERT INTO pain_marks (entry_id, side, region, intensity) "
            "VALUES (999, 'left', 'deep', 1)"
        )


def test_a_new_journal_is_private(journal_path):
    with Store.open(journal_path) as store:
        store.save_entry(make_run(), today=TODAY)
        assert stat.S_IMODE(journal_path.parent.stat().st_mode) == 0o700
        files = [p for p in journal_path.parent.iterdir()]
        assert journal_path in files
        for path in files:  # the journal and SQLite's -wal and -shm files
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


def dump(path: Path) -> dict[str, list]:
    with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        out = {"schema": sorted(conn.execute("SELECT type, name, sql FROM sqlite_master"))}
        for name in names:
            out[name] = sorted(conn.execute(f'SELECT * FROM "{name}"'), key=repr)
    conn.close()
    return out


def test_reopening_applies_nothing_new_and_loses_nothing(journal_path):
    with Store.open(journal_path) as store:
        shoe = store.save_shoe(Shoe(name="Daily"))
        store.save_entry(full_entry(Kind.RUN, shoe.id), today=TODAY)
        store.save_entry(make_run(), today=TODAY)
        store.save_settings(Settings(units=Units.MI, runner_name="Ana"))
        applied = store_module.migrations.applied(store.db)
        entries = store.entries()
    before = dump(journal_path)

    with Store.open(journal_path) as store:
        assert store_module.migrations.applied(store.db) == applied
        assert store.entries() == entries
        assert store.settings().runner_name == "Ana"
    assert dump(journal_path) == before
    assert len(before["entries"]) == 2 and before["pain_marks"]


# -- atomic saves -------------------------------------------------------------------------

BAD_MARK = PainMark(Side.RIGHT, Region.DEEP, 4)  # type: ignore[arg-type]  # intensity CHECK 1..3


def fail_marks_after_the_first(store: Store) -> None:
    """Make the pain_marks insert fail part-way, after the entry row and one mark are written."""
    store.db.execute(
        "CREATE TEMP TRIGGER fail_marks BEFORE INSERT ON main.pain_marks "
        "WHEN (SELECT count(*) FROM pain_marks WHERE entry_id = NEW.entry_id) >= 1 "
        "BEGIN SELECT RAISE(FAIL, 'disk I/O went away'); END"
    )


def test_a_failure_while_writing_marks_leaves_no_new_entry(store):
    marks = (PainMark(Side.LEFT, Region.KNEECAP), PainMark(Side.RIGHT, Region.KNEECAP))
    fail_marks_after_the_first(store)
    with pytest.raises(sqlite3.DatabaseError):
        store.save_entry(make_run(marks=marks), today=TODAY)

    assert not store.db.conn.in_transaction
    assert table_count(store, "entries") == 0
    assert table_count(store, "pain_marks") == 0
    store = reopen(store)
    try:
        assert table_count(store, "entries") == 0
        assert table_count(store, "pain_marks") == 0
    finally:
        store.close()


def test_a_mark_the_database_refuses_leaves_no_new_entry(store):
    good = PainMark(Side.LEFT, Region.KNEECAP)
    with pytest.raises(sqlite3.IntegrityError):
        store.save_entry(make_run(marks=(good, BAD_MARK)), today=TODAY)

    assert table_count(store, "entries") == 0
    assert table_count(store, "pain_marks") == 0
    # The store is still usable, and the next save is whole and lasting.
    saved = store.save_entry(make_run(marks=(good,)), today=TODAY)
    store = reopen(store)
    try:
        assert [e.id for e in store.entries()] == [saved.id]
        assert_same_entry(store.entry(saved.id), saved)
    finally:
        store.close()


@pytest.mark.parametrize("how", ["refused mark", "failure mid-marks"])
def test_a_failed_update_keeps_the_old_version_whole(store, how):
    old = store.save_entry(
        make_run(
            notes="old",
            marks=(PainMark(Side.LEFT, Region.DEEP), PainMark(Side.LEFT, Region.IT_BAND)),
        ),
        today=TODAY,
    )
    if how == "refused mark":
        new = old.with_(
            notes="new", pain_end=9, marks=(PainMark(Side.LEFT, Region.KNEECAP), BAD_MARK)
        )
        error = sqlite3.IntegrityError
    else:
        fail_marks_after_the_first(store)
        new = old.with_(
            notes="new",
            pain_end=9,
            marks=(PainMark(Side.LEFT, Region.KNEECAP), PainMark(Side.RIGHT, Region.KNEECAP)),
        )
        error = sqlite3.DatabaseError
    with pytest.raises(error):
        store.save_entry(new, today=TODAY)

    store = reopen(store)
    try:
        assert_same_entry(store.entry(old.id), old)
        assert table_count(store, "entries") == 1
        assert table_count(store, "pain_marks") == 2
    finally:
        store.close()


def test_an_invalid_entry_saves_nothing(store):
    with pytest.raises(InvalidEntry):
        store.save_entry(make_run(pain_end=11), today=TODAY)
    with pytest.raises(InvalidEntry):
        store.save_entry(make_run(started=dt.datetime(2026, 11, 22, 7, 0)), today=TODAY)
    assert table_count(store, "entries") == 0
    assert table_count(store, "pain_marks") == 0

    saved = store.save_entry(make_run(), today=TODAY)
    duplicate = (
        PainMark(Side.LEFT, Region.DEEP),
        PainMark(Side.LEFT, Region.DEEP, Intensity.SEVERE),
    )
    with pytest.raises(InvalidEntry):
        store.save_entry(saved.with_(marks=duplicate, notes="changed"), today=TODAY)
    assert_same_entry(store.entry(saved.id), saved)
    assert table_count(store, "pain_marks") == len(saved.marks)


# -- refusing files that are not a whole, current journal -----------------------------------


def assert_plain_message(error: JournalError, *phrases: str) -> None:
    message = str(error)
    for phrase in phrases:
        assert phrase.lower() in message.lower(), (phrase, message)
    for technical in ("Traceback", 'File "', "Error:", "sqlite3.", "Exception"):
        assert technical not in message, (technical, message)
    assert not re.search(r"\bline \d+", message), message


def assert_refused_untouched(path: Path, error_type: type[JournalError]) -> JournalError:
    before = file_state(path)
    with pytest.raises(error_type) as info:
        Store.open(path)
    assert file_state(path) == before
    assert str(path) in str(info.value)
    return info.value


@pytest.fixture(scope="module")
def real_journal(tmp_path_factory) -> bytes:
    """The bytes of a closed journal with four years of entries in it."""
    path = tmp_path_factory.mktemp("real") / "journal.db"
    journal = demo_journal(years=4)
    with Store.open(path) as store:
        store.add_journal(journal)
        count = store.count()
    assert count == len(journal.entries) > 500
    data = path.read_bytes()
    assert len(data) >= 20 * 4096  # enough pages that "the middle" is entry data
    return data


def test_a_text_file_is_refused_untouched(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("Monday: 8 km easy, knee fine.\n" * 200)
    error = assert_refused_untouched(path, NotAJournal)
    assert_plain_message(
        error, "not a kneelog journal", "choose your journal file", "start a new one"
    )


def test_random_bytes_are_refused_untouched(tmp_path):
    path = tmp_path / "journal.db"
    path.write_bytes(random.Random(1).randbytes(64 * 1024))
    error = assert_refused_untouched(path, NotAJournal)
    assert_plain_message(error, "not a kneelog journal", "choose your journal file")


def truncate_to_half(data: bytes) -> bytes:
    return data[: len(data) // 2]


def truncate_mid_page(data: bytes) -> bytes:
    return data[: len(data) // 2 + 1234]


def random_middle_pages(data: bytes) -> bytes:
    start = (len(data) // 2) // 4096 * 4096
    return data[:start] + random.Random(2).randbytes(3 * 4096) + data[start + 3 * 4096 :]


def zeroed_middle_pages(data: bytes) -> bytes:
    start = (len(data) // 3) // 4096 * 4096
    return data[:start] + bytes(2 * 4096) + data[start + 2 * 4096 :]


@pytest.mark.parametrize(
    "damage", [truncate_to_half, truncate_mid_page, random_middle_pages, zeroed_middle_pages]
)
def test_a_damaged_journal_is_refused_untouched(tmp_path, real_journal, damage):
    path = tmp_path / "journal.db"
    path.write_bytes(damage(real_journal))
    error = assert_refused_untouched(path, JournalDamaged)
    assert_plain_message(error, "damaged", "left untouched", "backup")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["journal.db"], (
        "no -wal/-shm left beside it"
    )


def test_the_undamaged_journal_opens(tmp_path, real_journal):
    """The control for the damage tests: the same bytes, whole, open fine."""
    path = tmp_path / "journal.db"
    path.write_bytes(real_journal)
    with Store.open(path) as store:
        assert store.count() > 500
        assert store.integrity_ok()


def test_another_apps_database_is_refused_untouched(tmp_path):
    path = tmp_path / "contacts.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE contacts (id INTEGER PRIMARY KEY, name TEXT, phone TEXT)")
        conn.executemany(
            "INSERT INTO contacts (name, phone) VALUES (?, ?)",
            [(f"Person {i}", f"555-{i:04}") for i in range(200)],
        )
    conn.close()
    error = assert_refused_untouched(path, NotAJournal)
    assert_plain_message(error, "not a kneelog journal", "untouched", "choose your journal file")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["contacts.db"]


def test_a_journal_from_a_newer_kneelog_is_refused_untouched(journal_path):
    with Store.open(journal_path) as store:
        saved = store.save_entry(make_run(), today=TODAY)
    with sqlite3.connect(journal_path) as conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES (?, ?, ?)",
            [store_module.migrations.name, "m999_from_the_future", "2031-01-01 00:00:00+00:00"],
        )
    conn.close()

    error = assert_refused_untouched(journal_path, JournalTooNew)
    assert_plain_message(error, "newer version of kneelog", "update kneelog")

    with sqlite3.connect(journal_path) as conn:  # still there, and still the only entry
        assert conn.execute("SELECT id FROM entries").fetchall() == [(saved.id,)]
    conn.close()


def test_a_journal_from_kneelog_0_1_is_upgraded_with_its_entries(journal_path):
    """A file written before recorded runs and triage existed gains them, losing nothing."""
    from sqlite_utils import Database

    journal_path.parent.mkdir()
    db = Database(sqlite3.connect(journal_path))
    db.execute(f"PRAGMA application_id = {store_module.APPLICATION_ID}")
    store_module.migrations.apply(db, stop_before="m002_recorded_runs")
    db.execute(
        "INSERT INTO entries (kind, started, distance_km, pain_end) "
        "VALUES ('run', '2026-03-01T07:00:00', 8.5, 3)"
    )
    db.conn.commit()
    db.close()

    with Store.open(journal_path) as store:
        (entry,) = store.entries()
        assert (entry.distance_km, entry.pain_end, entry.device, entry.pain_pending) == (
            8.5,
            3,
            "",
            False,
        )
        assert {"plans", "plan_ticks", "triage_answers"} <= set(store.db.table_names())
        saved = store.save_entry(
            entry.with_(
                id=None,
                moving_s=2900,
                avg_hr=151,
                cadence_spm=171.5,
                device="Forerunner 255",
                source_hash="ab" * 32,
                pain_pending=True,
            )
        )
        assert store.entry(saved.id) == saved


BEFORE_TEMPERATURE = "m005_temperature"


def test_a_journal_from_before_temperatures_is_upgraded_losing_nothing(journal_path):
    """Every row of every table comes through m005 as it was; runs gain an empty temperature."""
    from sqlite_utils import Database

    from kneelog.fields import to_row

    journal_path.parent.mkdir()
    db = Database(sqlite3.connect(journal_path))
    db.execute(f"PRAGMA application_id = {store_module.APPLICATION_ID}")
    db.execute("PRAGMA foreign_keys = ON")
    store_module.migrations.apply(db, stop_before=BEFORE_TEMPERATURE)
    conn = db.conn
    conn.execute("INSERT INTO shoes (id, name) VALUES (3, 'Daily')")
    columns = {r[1] for r in conn.execute("PRAGMA table_info(entries)")}
    written = [
        full_entry(kind, 3 if kind is Kind.RUN else None).with_(
            id=n, uuid=f"{n:08d}-0000-4000-8000-000000000000", version=n
        )
        for n, kind in enumerate(Kind, 1)
    ]
    for entry in written:
        row = {c: v for c, v in to_row(entry).items() if c in columns}
        conn.execute(
            f"INSERT INTO entries ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
            list(row.values()),
        )
        conn.executemany(
            "INSERT INTO pain_marks VALUES (?, ?, ?, ?)",
            [(entry.id, m.side.value, m.region.value, int(m.intensity)) for m in entry.marks],
        )
    conn.execute("INSERT INTO settings VALUES ('units', 'mi')")
    conn.execute("INSERT INTO plans (kind, started, days) VALUES ('calm', '2026-11-01', 7)")
    conn.execute("INSERT INTO plan_ticks VALUES (1, '2026-11-02', 'walk')")
    conn.execute("INSERT INTO triage_answers VALUES ('swelling', 'no', '2026-11-01')")
    conn.commit()
    tables = [t for t in db.table_names() if not t.startswith("_")]
    before = {t: conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in tables}
    db.close()

    with Store.open(journal_path) as store:
        assert store_module.migrations.pending(store.db) == []
        for table, rows in before.items():
            after = store.conn.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()
            if table == "entries":  # every column as it was, then the temperature, empty
                assert [r[:-1] for r in after] == rows and {r[-1] for r in after} == {None}
            else:
                assert after == rows, table
        for entry in written:
            found = store.entry(entry.id)
            assert_same_entry(found, entry)
            assert (found.uuid, found.version) == (entry.uuid, entry.version)
        saved = store.save_entry(store.entry(1).with_(temperature_c=-3.5), today=TODAY)
        assert store.entry(1).temperature_c == -3.5 and saved.version == 2


def test_a_temperature_beyond_any_run_is_refused(store):
    with pytest.raises(InvalidEntry) as refused:
        store.save_entry(make_run(temperature_c=65.0), today=TODAY)
    assert refused.value.field == "temperature_c"
    assert refused.value.message == "Temperature must be between -50 and 60 \u00b0C."
    assert store.count() == 0


# -- opening to read ---------------------------------------------------------------------


def test_a_journal_opened_to_read_reads_the_same_and_is_not_written(journal_path):
    with Store.open(journal_path) as store:
        store.add_journal(demo_journal(years=1, seed=3))
        expected = (
            store.entries(),
            store.shoes(),
            store.settings(),
            store.count(),
            store.shoe_use(),
        )
    before = file_state(journal_path)
    with Store.open_to_read(journal_path) as store:
        assert (
            store.entries(),
            store.shoes(),
            store.settings(),
            store.count(),
            store.shoe_use(),
        ) == expected
        with pytest.raises(sqlite3.OperationalError):
            store.db.execute("DELETE FROM entries")
    assert file_state(journal_path) == before


def test_opening_to_read_refuses_what_open_refuses(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("Monday: 8 km easy, knee fine.\n" * 200)
    with pytest.raises(NotAJournal):
        Store.open_to_read(path)


def test_a_journal_from_kneelog_0_1_opened_to_read_is_upgraded_first(journal_path):
    from sqlite_utils import Database

    journal_path.parent.mkdir()
    db = Database(sqlite3.connect(journal_path))
    db.execute(f"PRAGMA application_id = {store_module.APPLICATION_ID}")
    store_module.migrations.apply(db, stop_before="m002_recorded_runs")
    db.execute(
        "INSERT INTO entries (kind, started, distance_km) VALUES ('run', '2026-03-01T07:00:00', 8.5)"
    )
    db.conn.commit()
    db.close()
    with Store.open_to_read(journal_path) as store:
        assert [e.distance_km for e in store.entries()] == [8.5]
        assert store_module.migrations.pending(store.db) == []
