"""`kneelog load` of hostile exports: every row goes through the entry form's validation, the
file's size and nesting are capped, and a refusal writes nothing: no new journal file is left
behind and an existing empty journal keeps its bytes (sha256). An export written by kneelog 0.1
(format_version 1, tests/data/export-format-1.json) keeps loading.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import sys
from pathlib import Path

import pytest

from factories import DATA, sha256
from kneelog import app
from kneelog import export as export_module
from kneelog.export import ExportError, load_export, read_export
from kneelog.model import Intensity, Kind, PainMark, Region, Side, Units
from kneelog.store import Store

V1_EXPORT = DATA / "export-format-1.json"


def v1() -> dict:
    return json.loads(V1_EXPORT.read_text(encoding="utf-8"))


@pytest.fixture
def main(monkeypatch, capsys):
    """app.main in this process (it sets sys.excepthook: put back afterwards)."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)

    def run(*args):
        code = app.main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def journal_files(folder: Path) -> list[str]:
    """Every file in `folder` but the export given to load (temporary files included)."""
    return sorted(p.name for p in folder.iterdir() if p.name not in ("hostile.json", "huge.json"))


# -- the export kneelog 0.1 wrote --------------------------------------------------------


def test_an_export_written_by_kneelog_0_1_loads(main, tmp_path):
    assert v1()["format_version"] == 1 and v1()["kneelog_version"] == "0.1.0"
    code, out, err = main("load", V1_EXPORT, "--journal", tmp_path / "target.db")
    assert (code, err) == (0, "")
    assert "Loaded 4 entries" in out
    with Store.open(tmp_path / "target.db") as store:
        first, strength, recorded, checkin = sorted(store.entries(), key=lambda e: e.started)
        assert first.notes == "Felt ok,\nthen not. Knie tat weh 🦵"
        assert first.marks == (
            PainMark(Side.LEFT, Region.IT_BAND, Intensity.MILD),
            PainMark(Side.RIGHT, Region.KNEECAP, Intensity.MODERATE),
        )
        assert store.shoes()[0].name == "Blue trainers" and first.shoe_id == store.shoes()[0].id
        assert (strength.kind, strength.duration_s) == (Kind.STRENGTH, 1800)
        assert (
            recorded.moving_s,
            recorded.avg_hr,
            recorded.cadence_spm,
            recorded.pain_pending,
        ) == (2050, 148, 172.4, True)
        assert checkin.kind is Kind.CHECKIN
        assert store.settings().units is Units.MI and store.settings().runner_name == "Sam"


# -- values the form would refuse --------------------------------------------------------


def entry_with(**values):
    def change(data):
        data["tables"]["entries"][0].update(values)

    return change


def shoe_with(**values):
    def change(data):
        data["tables"]["shoes"][0].update(values)

    return change


INVALID_VALUES = {
    "100,000 km": (entry_with(distance_km=100_000.0), "Distance"),
    "not a number km": (entry_with(distance_km=float("nan")), "Distance"),
    "1e12 s": (entry_with(duration_s=10**12), "Time"),
    "-5000 m climb": (entry_with(elevation_gain_m=-5000.0), "Elevation gain"),
    "cadence 1e9": (entry_with(cadence_spm=1e9), "Cadence"),
    "heart rate 1e6": (entry_with(avg_hr=10**6), "avg_hr"),  # the journal's own check is first
    "year 9999": (entry_with(started="9999-11-02T18:30:00"), "future"),
    "year 1": (entry_with(started="0001-11-02T18:30:00"), "1900"),
    "moving > elapsed": (entry_with(moving_s=3000, duration_s=2950), "Moving time"),
    "time zone": (entry_with(started="2026-11-02T18:30:00+02:00"), "time zone"),
    "UTC Z": (entry_with(started="2026-11-02T18:30:00Z"), "time zone"),
    "not a date": (entry_with(started="last tuesday"), "does not understand"),
    "a run with no distance": (entry_with(distance_km=None), "distance"),
    "pain 11": (entry_with(pain_end=11), "cannot hold"),
    "effort -1": (entry_with(rpe=-1), "cannot hold"),
    "distance in words": (entry_with(distance_km="far"), "cannot hold"),
    "unknown trigger": (entry_with(triggers="juggling"), "does not understand"),
    "notes as bytes": (entry_with(notes={"base64": "AAEC"}), "cannot hold"),
    "shoe limit 1 km": (shoe_with(limit_km=1.0), "replacement limit"),
    "shoe prior 1e9 km": (shoe_with(prior_km=1e9), "Distance already run"),
    "shoe with no name": (shoe_with(name="  "), "cannot hold"),
    "id 2^63": (entry_with(id=2**63), "too large"),
    "id -2^63-1": (entry_with(id=-(2**63) - 1), "too large"),
    "unknown units": (
        lambda d: d["tables"]["settings"][0].update(value="furlongs"),
        "does not understand",
    ),
    "unknown region": (
        lambda d: d["tables"]["pain_marks"][0].update(region="elbow"),
        "does not understand",
    ),
    "intensity 9": (lambda d: d["tables"]["pain_marks"][0].update(intensity=9), "cannot hold"),
}


def hostile_texts() -> dict[str, tuple[bytes, str]]:
    """Name -> (file content, a phrase the refusal must hold); deterministic."""
    cases: dict[str, tuple[bytes, str]] = {}
    for name, (change, phrase) in INVALID_VALUES.items():
        data = v1()
        change(data)
        if name == "not a number km":  # json writes NaN, which read_export refuses first
            phrase = "number"
        cases[name] = (json.dumps(data, ensure_ascii=False).encode(), phrase)
    whole = V1_EXPORT.read_bytes()
    text = whole.decode()
    cases.update(
        {
            "nested 100,000 deep": (b"[" * 100_000 + b"]" * 100_000, "nested"),
            "nested object 100,000 deep": (b'{"a":' * 100_000 + b"1" + b"}" * 100_000, "nested"),
            "nested inside a row": (
                text.replace(
                    '"activity": "Squats and bridges"', '"activity": ' + "[" * 50_000 + "]" * 50_000
                ).encode(),
                "nested",
            ),
            "a value that is a list": (
                text.replace('"device": "Forerunner 255"', '"device": [1, 2]').encode(),
                "does not understand",
            ),
            "5,000-digit number": (
                text.replace('"duration_s": 1800', '"duration_s": ' + "9" * 5000).encode(),
                "number",
            ),
            "5,000-digit number alone": (b"9" * 5000, "number"),
            "NaN": (text.replace('"distance_km": 8.4', '"distance_km": NaN').encode(), "number"),
            "Infinity": (
                text.replace('"distance_km": 8.4', '"distance_km": Infinity').encode(),
                "number",
            ),
            "-Infinity": (
                text.replace('"prior_km": 120.5', '"prior_km": -Infinity').encode(),
                "number",
            ),
            "1e400": (text.replace('"prior_km": 120.5', '"prior_km": 1e400').encode(), "number"),
            "empty file": (b"", "not a JSON file"),
            "only spaces": (b"   \n", "not a JSON file"),
            "cut in half": (whole[: len(whole) // 2], "not a JSON file"),
            "utf-16": (text.encode("utf-16"), "not a JSON file"),
            "latin-1 bytes": (b'{"format": "kneelog journal", "x": "\xe9"}', "not a JSON file"),
            "null": (b"null", "not a kneelog export"),
            "a list": (b"[]", "not a kneelog export"),
            "tables a list": (json.dumps({**v1(), "tables": []}).encode(), "not a kneelog export"),
            "a table that is a number": (
                json.dumps({**v1(), "tables": {**v1()["tables"], "entries": 3}}).encode(),
                "does not understand",
            ),
            "a row that is a list": (
                json.dumps({**v1(), "tables": {**v1()["tables"], "shoes": [[1, "x"]]}}).encode(),
                "does not understand",
            ),
            "an unknown table": (
                json.dumps(
                    {**v1(), "tables": {**v1()["tables"], 'x"; DROP TABLE entries; --': []}}
                ).encode(),
                "does not know",
            ),
            "an unknown column": (
                json.dumps(_with_entry(**{'evil") VALUES (1); --': 1})).encode(),
                "does not understand",
            ),
            "format_version 2": (
                json.dumps({**v1(), "format_version": 2}).encode(),
                "newer version",
            ),
            "format_version text": (
                json.dumps({**v1(), "format_version": "1"}).encode(),
                "missing its version",
            ),
            "no migrations": (json.dumps({**v1(), "migrations": []}).encode(), "cannot load it"),
            "a future migration": (
                json.dumps({**v1(), "migrations": v1()["migrations"] + ["m999_x"]}).encode(),
                "newer version",
            ),
            "a pain mark of no entry": (json.dumps(_with_mark(entry_id=99)).encode(), "not whole"),
            "two entries with one id": (json.dumps(_with_entry(id=2)).encode(), "cannot hold"),
            "base64 that is not": (
                text.replace('"notes": "Morning check"', '"notes": {"base64": "!!"}').encode(),
                "does not understand",
            ),
        }
    )
    return cases


def _with_entry(**values) -> dict:
    data = v1()
    data["tables"]["entries"][0].update(values)
    return data


def _with_mark(**values) -> dict:
    data = v1()
    data["tables"]["pain_marks"][0].update(values)
    return data


HOSTILE = hostile_texts()


def test_there_are_at_least_50_hostile_exports():
    assert len(HOSTILE) >= 50


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_export_is_refused_in_words_and_no_journal_is_left_behind(main, tmp_path, name):
    content, phrase = HOSTILE[name]
    source = tmp_path / "hostile.json"
    source.write_bytes(content)
    code, out, err = main("load", source, "--journal", tmp_path / "target.db")
    assert code == 1, (out, err)
    assert "Traceback" not in err and err.startswith("kneelog: ")
    assert phrase.lower() in err.lower(), err
    assert journal_files(tmp_path) == []


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_export_leaves_an_empty_journal_byte_for_byte(main, tmp_path, name):
    content, _ = HOSTILE[name]
    source = tmp_path / "hostile.json"
    source.write_bytes(content)
    target = tmp_path / "target.db"
    Store.open(target).close()
    before = sha256(target)
    code, _, err = main("load", source, "--journal", target)
    assert code == 1 and "Traceback" not in err
    assert sha256(target) == before
    assert journal_files(tmp_path) == ["target.db"]


def test_every_row_is_checked_as_the_form_checks_it_also_when_called_directly(tmp_path):
    for name, (change, phrase) in INVALID_VALUES.items():
        data = v1()
        change(data)
        with Store.open(tmp_path / f"{len(name)}-{abs(hash(name))}.db") as target:
            with pytest.raises(ExportError) as refusal:
                load_export(target, data, today=dt.date(2026, 11, 21))
            assert target.count() == 0 and target.shoes() == []
        assert phrase.lower() in str(refusal.value).lower(), (name, str(refusal.value))
        assert "Nothing was loaded" in str(refusal.value)


def test_a_refusal_names_the_entry_it_is_about(tmp_path):
    data = _with_entry(distance_km=100_000.0)
    with Store.open(tmp_path / "target.db") as target, pytest.raises(ExportError) as refusal:
        load_export(target, data, today=dt.date(2026, 11, 21))
    assert "2 Nov 2026 18:30" in str(refusal.value)


def test_a_refused_load_into_new_folders_leaves_no_folder_behind(main, tmp_path):
    source = tmp_path / "hostile.json"
    source.write_bytes(HOSTILE["id 2^63"][0])
    code, _, err = main("load", source, "--journal", tmp_path / "new" / "sub" / "target.db")
    assert code == 1 and "too large" in err
    assert journal_files(tmp_path) == []


# -- size ---------------------------------------------------------------------------------


def test_a_file_larger_than_the_cap_is_refused_before_it_is_read(main, tmp_path):
    huge = tmp_path / "huge.json"
    with open(huge, "wb") as f:  # sparse: no disk used, and nothing of it is read
        f.truncate(export_module.MAX_EXPORT_BYTES + 1)
    code, _, err = main("load", huge, "--journal", tmp_path / "target.db")
    assert code == 1 and "larger than" in err and "MB" in err
    assert journal_files(tmp_path) == []


def test_the_cap_leaves_room_for_decades_of_daily_entries():
    row = len(json.dumps(v1()["tables"]["entries"][0]).encode()) + 100  # with two pain marks
    assert 40 * 365 * 2 * row < export_module.MAX_EXPORT_BYTES


def test_a_load_refused_into_an_existing_empty_journal_keeps_its_data(tmp_path):
    data = _with_entry(cadence_spm=1e9)
    target = tmp_path / "target.db"
    with Store.open(target) as store:
        with pytest.raises(ExportError):
            load_export(store, copy.deepcopy(data), today=dt.date(2026, 11, 21))
        assert store.count() == 0
    assert read_export(V1_EXPORT)["format_version"] == 1


# -- the triage panel's tables: read back as the panel reads them ------------------------

TRIAGE_ROWS = {
    "plan started on no day": (
        "plans",
        {
            "id": 1,
            "kind": "calm",
            "started": "someday",
            "days": 7,
            "change": "",
            "pattern": None,
            "ended": None,
        },
    ),
    "plan of a billion days": (
        "plans",
        {
            "id": 1,
            "kind": "calm",
            "started": "2026-11-01",
            "days": 10**9,
            "change": "",
            "pattern": None,
            "ended": None,
        },
    ),
    "plan of an unknown kind": (
        "plans",
        {
            "id": 1,
            "kind": "holiday",
            "started": "2026-11-01",
            "days": 7,
            "change": "",
            "pattern": None,
            "ended": None,
        },
    ),
    "plan ended before it began": (
        "plans",
        {
            "id": 1,
            "kind": "calm",
            "started": "2026-11-10",
            "days": 7,
            "change": "",
            "pattern": None,
            "ended": "2026-11-01",
        },
    ),
    "answer on no day": (
        "triage_answers",
        {"question": "cannot_walk", "answer": "yes", "answered": "yesterday"},
    ),
    "answer neither yes nor no": (
        "triage_answers",
        {"question": "cannot_walk", "answer": "maybe", "answered": "2026-11-01"},
    ),
}


@pytest.mark.parametrize("name", sorted(TRIAGE_ROWS))
def test_triage_rows_the_panel_could_not_read_are_refused(main, tmp_path, name):
    """A plan or answer the panel cannot read would stop the window at every start."""
    table, row = TRIAGE_ROWS[name]
    data = v1()
    data["tables"][table] = [row]
    hostile = tmp_path / "hostile.json"
    hostile.write_text(json.dumps(data), encoding="utf-8")
    code, _, err = main("load", hostile, "--journal", tmp_path / "target.db")
    assert code == 1 and "Nothing was loaded" in err and "Traceback" not in err, err
    assert journal_files(tmp_path) == []


def test_a_tick_on_no_day_is_refused(main, tmp_path):
    data = v1()
    data["tables"]["plans"] = [
        {
            "id": 1,
            "kind": "calm",
            "started": "2026-11-01",
            "days": 7,
            "change": "",
            "pattern": None,
            "ended": None,
        }
    ]
    data["tables"]["plan_ticks"] = [{"plan_id": 1, "day": "Tuesday", "item": "ease"}]
    hostile = tmp_path / "hostile.json"
    hostile.write_text(json.dumps(data), encoding="utf-8")
    code, _, err = main("load", hostile, "--journal", tmp_path / "target.db")
    assert code == 1 and "Nothing was loaded" in err, err
    assert journal_files(tmp_path) == []
