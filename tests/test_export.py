"""Export: CSV for a spreadsheet (formulas neutralised), JSON with everything, and back again."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sqlite3

import pytest

from factories import make_run
from kneelog import export as export_module
from kneelog.demo import demo_journal
from kneelog.export import ExportError, export, load_export, neutralise, read_export
from kneelog.model import (
    Change,
    Entry,
    Intensity,
    Kind,
    PainMark,
    Region,
    Relative,
    Settings,
    Shoe,
    Side,
    TimeCourse,
    Trigger,
    Units,
    WarningSign,
)
from kneelog.store import Store, migrations

TODAY = dt.date(2026, 11, 21)


def read_csv(path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


# -- CSV -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cell",
    [
        "=1+1",
        "+44 20 7946 0000",
        "-3 degrees out",
        "@SUM(A1:A9)",
        "\t=cmd",
        "\r=cmd",
        '=HYPERLINK("http://x.example","click")',
        "-3+A1",
        "-1.5.2",
        "-",
    ],
)
def test_a_cell_a_spreadsheet_would_run_is_neutralised(cell):
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize(
    "cell", ["", "Easy run", "8.4", "'quoted", "a=b", "Knee -ok", "1:02:03", "-3.5", "-12"]
)
def test_an_ordinary_cell_is_left_alone(cell):
    assert neutralise(cell) == cell


def test_csv_has_one_readable_row_per_entry_oldest_first(store, tmp_path):
    shoe = store.save_shoe(Shoe("Blue trainers"))
    store.save_entry(
        make_run(
            started=dt.datetime(2026, 11, 2, 18, 30),
            shoe_id=shoe.id,
            time_course=TimeCourse.BUILDS,
            triggers=frozenset({Trigger.STAIRS_DOWN}),
            changes=frozenset({Change.SHOES}),
            warnings=frozenset({WarningSign.SWELLING}),
            sleep=Relative.LESS,
            pain_next_morning=2,
            notes="Felt ok, then not",
            marks=(
                PainMark(Side.RIGHT, Region.KNEECAP, Intensity.MODERATE),
                PainMark(Side.LEFT, Region.IT_BAND, Intensity.MILD),
            ),
        ),
        today=TODAY,
    )
    store.save_entry(
        Entry(
            kind=Kind.STRENGTH,
            started=dt.datetime(2026, 11, 1, 7, 0),
            duration_s=1800,
            activity="Squats and bridges",
        ),
        today=TODAY,
    )
    path = tmp_path / "out" / "journal.csv"
    path.parent.mkdir()

    message = export(store, path)

    assert message == f"Wrote 2 entries to {path}."
    assert path.read_bytes().startswith(b"\xef\xbb\xbf"), (
        "a byte-order mark: Excel reads it as UTF-8"
    )
    assert path.stat().st_mode & 0o777 == 0o600
    strength, run = read_csv(path)
    assert (
        strength["Date"],
        strength["Kind"],
        strength["Activity"],
        strength["Time (h:mm:ss)"],
    ) == ("2026-11-01", "Strength", "Squats and bridges", "0:30:00")
    assert strength["Distance (km)"] == "" and strength["Pain at the end (0-10)"] == ""
    assert run["Date"] == "2026-11-02" and run["Start time"] == "18:30"
    assert run["Distance (km)"] == "8.4" and run["Time (h:mm:ss)"] == "0:49:10"
    assert run["Pace (min/km)"] == "5:51"
    assert [
        run[f"Pain {w} (0-10)"]
        for w in ("at the start", "in the middle", "at the end", "later that day", "next morning")
    ] == ["1", "2", "3", "", "2"]
    assert run["Where it hurt"] == (
        "Left knee: outer side above the joint (mild); Right knee: kneecap and around it (moderate)"
    )
    assert (
        run["Shoes"] == "Blue trainers" and run["Run type"] == "Easy" and run["Surface"] == "Road"
    )
    assert run["How the pain went"] == "Got worse as the run went on"
    assert (
        run["What set it off"] == "Going downstairs" and run["What changed lately"] == "New shoes"
    )
    assert run["Warning signs"] == "Swelling" and run["Sleep"] == "Less than usual"
    assert run["Notes"] == "Felt ok, then not"


def test_a_runs_temperature_goes_out_and_comes_back_in(store, tmp_path):
    store.save_entry(make_run(temperature_c=-3.5), today=TODAY)
    export(store, tmp_path / "journal.csv")
    [row] = read_csv(tmp_path / "journal.csv")
    assert row["Temperature (\u00b0C)"] == "-3.5"
    assert list(row).index("Temperature (\u00b0C)") == list(row).index("Elevation loss (m)") + 1
    export(store, tmp_path / "journal.json")
    assert read_export(tmp_path / "journal.json")["tables"]["entries"][0]["temperature_c"] == -3.5
    with Store.open(tmp_path / "new" / "journal.db") as target:
        load_export(target, tmp_path / "journal.json", today=TODAY)
        assert target.entries()[0].temperature_c == -3.5


def test_an_export_with_a_temperature_no_run_has_is_refused_whole(store, tmp_path):
    store.save_entry(make_run(), today=TODAY)
    export(store, tmp_path / "journal.json")
    data = read_export(tmp_path / "journal.json")
    data["tables"]["entries"][0]["temperature_c"] = 80.0
    with Store.open(tmp_path / "new" / "journal.db") as target:
        with pytest.raises(ExportError, match="Nothing was loaded"):
            load_export(target, data, today=TODAY)
        assert target.count() == 0


def test_csv_distances_are_in_the_runners_units(store, tmp_path):
    store.save_settings(Settings(units=Units.MI))
    store.save_entry(make_run(distance_km=16.09344, duration_s=4800), today=TODAY)
    path = tmp_path / "miles.csv"
    export(store, path, "csv")
    [row] = read_csv(path)
    assert row["Distance (mi)"] == "10" and row["Pace (min/mi)"] == "8:00"


def test_csv_neutralises_what_the_runner_typed(store, tmp_path):
    store.save_entry(
        make_run(notes='=HYPERLINK("http://evil.example","x")', activity="@SUM(1)", device="-2+3"),
        today=TODAY,
    )
    store.save_shoe(Shoe("+shoes"))
    store.save_entry(
        make_run(started=dt.datetime(2026, 11, 3, 7, 0), shoe_id=1, notes="\tTabbed"), today=TODAY
    )
    path = tmp_path / "x.csv"
    export(store, path)
    first, second = read_csv(path)
    assert first["Notes"] == '\'=HYPERLINK("http://evil.example","x")'
    assert first["Activity"] == "'@SUM(1)" and first["Device"] == "'-2+3"
    assert second["Shoes"] == "'+shoes" and second["Notes"] == "'\tTabbed"
    for row in (first, second):
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value


def test_a_failed_export_leaves_the_old_file_whole(store, tmp_path, monkeypatch):
    store.save_entry(make_run(), today=TODAY)
    path = tmp_path / "journal.csv"
    path.write_text("the export from last week")

    def broken(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export_module, "entries_csv", broken)
    with pytest.raises(ExportError) as info:
        export(store, path)
    assert "the disk is full" in str(info.value)
    assert path.read_text() == "the export from last week"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["journal", "journal.csv"]


def test_the_journal_itself_is_never_the_export(store):
    with pytest.raises(ExportError) as info:
        export(store, store.path, "json")
    assert "journal itself" in str(info.value)
    with pytest.raises(ExportError):
        export(store, store.path.with_suffix(".txt"))


# -- JSON ------------------------------------------------------------------------------------


def table_rows(conn: sqlite3.Connection) -> dict[str, list[tuple]]:
    """Every row of every table, the migrations' own table too (minus when they ran)."""
    names = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    found = {}
    for name in names:
        if name == "_sqlite_migrations":
            found[name] = conn.execute(
                f"SELECT migration_set, name FROM {name} ORDER BY id"
            ).fetchall()
        else:
            found[name] = sorted(conn.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
    return found


def add_plans_and_answers(store: Store) -> None:
    """Answers and plans as the triage panel writes them, with a typed change that looks like
    a spreadsheet formula."""
    with store.db.atomic():
        store.db["triage_answers"].insert_all(
            [
                {"question": "cannot_walk", "answer": "no", "answered": "2026-11-20"},
                {"question": "night_pain_worse", "answer": "yes", "answered": "2026-11-20"},
                {"question": "assessed", "answer": "yes", "answered": "2026-11-21"},
            ]
        )
        store.db["plans"].insert_all(
            [
                {
                    "id": 101,
                    "kind": "calm",
                    "started": "2026-10-01",
                    "days": 14,
                    "change": "=worse, fewer hills",
                    "pattern": "downhill",
                    "ended": "2026-10-15",
                },
                {
                    "id": 102,
                    "kind": "tendon",
                    "started": "2026-11-10",
                    "days": 84,
                    "change": "",
                    "pattern": None,
                    "ended": None,
                },
            ]
        )
        store.db["plan_ticks"].insert_all(
            [
                {"plan_id": 101, "day": f"2026-10-{d:02d}", "item": item}
                for d in range(1, 15)
                for item in ("ease", "strength")
            ]
            + [{"plan_id": 102, "day": "2026-11-11", "item": "loading"}]
        )


@pytest.fixture(scope="module")
def ten_years(tmp_path_factory):
    """A 10-year demo journal with plans, plan ticks and triage answers, closed."""
    path = tmp_path_factory.mktemp("ten") / "journal.db"
    with Store.open(path) as s:
        s.add_journal(demo_journal(end=TODAY, years=10))
        add_plans_and_answers(s)
        s.dismiss_next_morning(12)
    return path


def test_json_round_trip_loses_nothing(ten_years, tmp_path):
    out = tmp_path / "everything.json"
    with Store.open(ten_years) as source:
        message = export(source, out)
        before = table_rows(source.db.conn)
        entries = source.entries()
        ticks = source.db["plan_ticks"].count
    assert ticks > 29, "the demo's own plan and the hand-made ones"
    assert message.startswith(f"Wrote {len(entries):,} entries and everything else")
    assert out.stat().st_mode & 0o777 == 0o600
    assert len(entries) > 1500
    data = read_export(out)
    assert data["format_version"] == 1
    assert data["migrations"] == [m.name for m in migrations._migrations]
    assert {
        "entries",
        "pain_marks",
        "shoes",
        "settings",
        "triage_answers",
        "plans",
        "plan_ticks",
    } <= set(data["tables"])

    with Store.open(tmp_path / "new" / "journal.db") as target:
        loaded = load_export(target, out)
        assert loaded["entries"] == len(entries) and loaded["plan_ticks"] == ticks
        assert table_rows(target.db.conn) == before
        assert target.entries() == entries
        assert target.settings().runner_name == "Sam Demo"
        assert target.get_value("next_morning_dismissed") == "12"
        again = tmp_path / "again.json"
        export(target, again)
    first, second = (json.loads(p.read_text()) for p in (out, again))
    first.pop("exported"), second.pop("exported")
    assert first == second


def test_tables_added_later_are_exported_and_loaded_without_changing_the_exporter(store, tmp_path):
    """A table a future migration adds (here made by hand, with a BLOB) comes along by itself."""
    create = (
        "CREATE TABLE gait_photos (id INTEGER PRIMARY KEY, entry_id INTEGER REFERENCES entries(id), "
        "taken TEXT NOT NULL, image BLOB) STRICT"
    )
    store.db.execute(create)
    saved = store.save_entry(make_run(), today=TODAY)
    with store.db.atomic():
        store.db.execute(
            "INSERT INTO gait_photos (entry_id, taken, image) VALUES (?, ?, ?)",
            [saved.id, "2026-11-02T18:40:00", b"\x89PNG\x00\xff"],
        )
    out = tmp_path / "x.json"
    export(store, out)
    assert "gait_photos" in read_export(out)["tables"]

    with Store.open(tmp_path / "without.db") as older:  # a kneelog without that table
        with pytest.raises(ExportError) as info:
            load_export(older, out)
        assert "gait_photos" in str(info.value) and "Update kneelog" in str(info.value)
        assert older.count() == 0
    with Store.open(tmp_path / "with.db") as same:
        same.db.execute(create)
        load_export(same, out)
        assert same.db.execute("SELECT entry_id, image FROM gait_photos").fetchall() == [
            (saved.id, b"\x89PNG\x00\xff")
        ]


def test_loading_refuses_a_journal_that_has_entries(store, tmp_path, ten_years):
    out = tmp_path / "x.json"
    with Store.open(ten_years) as source:
        export(source, out)
    saved = store.save_entry(make_run(notes="mine"), today=TODAY)
    with pytest.raises(ExportError) as info:
        load_export(store, out)
    assert "already has 1 entry." in str(info.value)
    assert "only into an empty journal" in str(info.value)
    assert store.entries() == [saved]


def test_settings_alone_do_not_make_a_journal_full_and_the_exports_replace_them(store, tmp_path):
    store.save_entry(make_run(), today=TODAY)
    store.save_settings(Settings(units=Units.MI, runner_name="Alex"))
    out = tmp_path / "x.json"
    export(store, out)
    with Store.open(tmp_path / "fresh.db") as fresh:
        fresh.save_settings(Settings(units=Units.KM, runner_name="Someone else"))
        load_export(fresh, out)
        assert fresh.settings() == Settings(units=Units.MI, runner_name="Alex")


def export_of(store, tmp_path) -> dict:
    out = tmp_path / "x.json"
    export(store, out)
    return json.loads(out.read_text())


def assert_nothing_loaded(tmp_path, data, *phrases):
    with Store.open(tmp_path / "target.db") as target:
        with pytest.raises(ExportError) as info:
            load_export(target, data)
        for phrase in phrases:
            assert phrase in str(info.value)
        assert {
            t: rows for t, rows in table_rows(target.db.conn).items() if t != "_sqlite_migrations"
        } == {t: [] for t in export_module.data_tables(target.db.conn)}
    return info.value


@pytest.mark.parametrize(
    "break_it, phrase",
    [
        (lambda d: d["tables"]["entries"][-1].update(pain_end=42), "cannot hold"),
        (lambda d: d["tables"]["entries"][-1].update(run_type="sprint"), "does not understand"),
        (lambda d: d["tables"]["entries"][-1].update(kind=None), "cannot hold"),
        (lambda d: d["tables"]["entries"][-1].update(wind_speed=3), "does not understand"),
        (
            lambda d: d["tables"]["pain_marks"].append(
                {"entry_id": 999, "side": "left", "region": "kneecap", "intensity": 1}
            ),
            "not whole",
        ),
        (lambda d: d["tables"].update(entries={"id": 1}), "does not understand"),
    ],
)
def test_a_bad_value_anywhere_loads_nothing(store, tmp_path, break_it, phrase):
    shoe = store.save_shoe(Shoe("Trainers"))
    for day in range(1, 6):
        store.save_entry(
            make_run(started=dt.datetime(2026, 11, day, 7), shoe_id=shoe.id), today=TODAY
        )
    data = export_of(store, tmp_path)
    break_it(data)
    error = assert_nothing_loaded(tmp_path, data, phrase, "Nothing was loaded")
    assert "Traceback" not in str(error)


def test_an_export_from_a_newer_kneelog_is_refused(store, tmp_path):
    data = export_of(store, tmp_path)
    data["migrations"].append("m999_from_the_future")
    assert_nothing_loaded(tmp_path, data, "newer version of kneelog", "Update kneelog")
    data = export_of(store, tmp_path)
    data["format_version"] = 2
    assert_nothing_loaded(tmp_path, data, "newer version of kneelog")


@pytest.mark.parametrize(
    "names", [[], ["m002_recorded_runs"], ["m001_initial", "m003_triage"], "m001_initial"]
)
def test_an_export_with_a_damaged_list_of_versions_is_refused(store, tmp_path, names):
    data = export_of(store, tmp_path)
    data["migrations"] = names
    assert_nothing_loaded(
        tmp_path, data, "cannot load it" if isinstance(names, list) else "missing its version"
    )


def test_an_export_from_an_older_kneelog_goes_through_the_migrations_it_missed(
    tmp_path, monkeypatch
):
    """A later migration that changes data, not just the schema, changes the loaded export too."""
    source = tmp_path / "before.db"
    with Store.open(source) as old:
        old.save_entry(make_run(distance_km=8.0, notes="old"), today=TODAY)
        out = tmp_path / "old.json"
        export(old, out)

    def m999_notes_in_capitals(db):  # a data migration a later kneelog might make
        db.execute("UPDATE entries SET notes = upper(notes)")

    later = list(migrations._migrations) + [
        migrations._Migration("m999_notes_in_capitals", m999_notes_in_capitals)
    ]
    monkeypatch.setattr(migrations, "_migrations", later)
    with Store.open(tmp_path / "later.db") as new:
        load_export(new, out)
        [entry] = new.entries()
        assert (entry.notes, entry.distance_km) == ("OLD", 8.0)
        again = tmp_path / "again.json"
        export(new, again)
    assert read_export(again)["migrations"][-1] == "m999_notes_in_capitals"


def test_an_export_from_an_older_kneelog_loads_with_the_new_fields_empty(tmp_path):
    data = {
        "format": "kneelog journal",
        "format_version": 1,
        "kneelog_version": "0.1.0",
        "exported": "2026-03-02T08:00:00",
        "migrations": ["m001_initial"],
        "tables": {
            "entries": [
                {
                    "id": 4,
                    "kind": "run",
                    "started": "2026-03-01T07:00:00",
                    "distance_km": 8.5,
                    "pain_end": 3,
                    "triggers": "",
                    "changes": "",
                    "warnings": "",
                    "notes": "",
                }
            ],
            "pain_marks": [{"entry_id": 4, "side": "right", "region": "kneecap", "intensity": 2}],
            "shoes": [],
            "settings": [{"key": "units", "value": "mi"}],
        },
    }
    with Store.open(tmp_path / "j.db") as target:
        load_export(target, data)
        [entry] = target.entries()
        assert (entry.id, entry.distance_km, entry.pain_end, entry.device, entry.pain_pending) == (
            4,
            8.5,
            3,
            "",
            False,
        )
        assert entry.marks == (PainMark(Side.RIGHT, Region.KNEECAP, Intensity.MODERATE),)
        assert target.settings().units is Units.MI


@pytest.mark.parametrize(
    "content, phrase",
    [
        ("not json at all", "not a JSON file"),
        ('{"some": "other app"}', "not a kneelog export"),
        ("[1, 2, 3]", "not a kneelog export"),
        (b"\xff\xfe\x00garbage", "not a JSON file"),
    ],
)
def test_a_file_that_is_not_an_export_is_refused(tmp_path, content, phrase):
    path = tmp_path / "x.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(ExportError) as info:
        read_export(path)
    assert phrase in str(info.value)


def test_the_json_has_one_row_per_line(store, tmp_path):
    for day in range(1, 4):
        store.save_entry(make_run(started=dt.datetime(2026, 11, day, 7)), today=TODAY)
    out = tmp_path / "x.json"
    export(store, out)
    lines = out.read_text().splitlines()
    assert sum('"kind": "run"' in line for line in lines) == 3
    assert io.StringIO(out.read_text()).read().endswith("}\n")
