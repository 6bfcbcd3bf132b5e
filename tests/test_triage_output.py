"""`kneelog triage`: the panel's view of a day, as JSON (a contract) or as text, read-only."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from factories import make_run, sha256
from kneelog import app
from kneelog.model import Kind, WarningSign
from kneelog.store import Store
from kneelog.triage import PATTERNS, Answers, assess
from kneelog.triage_output import as_json, describe
from test_app import run_cli

TODAY = dt.date(2026, 11, 20)
LEVELS = {"go", "ease", "stop", "assess", None}
FLAG_IDS = {
    "cannot_walk",
    "swelling_instability",
    "night_pain_worse",
    "pop_injury",
    "fever_unwell",
    "swelling",
    "locking",
    "giving_way",
    "pop",
    "night_pain",
    "limping",
    "severe_pain",
    "daily_pain_rising",
    "no_improvement",
}
PICTURES = {
    "patellofemoral",
    "it_band",
    "patellar_tendon",
    "bursitis",
    "meniscus",
    "wear",
    "back_of_knee",
}


def check_contract(data: dict, today: dt.date) -> None:
    """The keys and types `kneelog triage --format json` promises (README, Command line)."""
    assert data["today"] == today.isoformat()
    for flag in data["red_flags"]:
        assert flag["id"] in FLAG_IDS and flag["source"] in {"answer", "logged", "pain", "time"}
        assert flag["date"] is None or dt.date.fromisoformat(flag["date"]) <= today
    assert isinstance(data["plan_blocked"], bool)
    guidance = data["guidance"]
    assert guidance["level"] in LEVELS and guidance["text"]
    assert all(dt.date.fromisoformat(day) <= today for day in guidance["based_on"])
    assert all(
        r["id"] in PICTURES and isinstance(r["needs_assessment"], bool) for r in data["resembles"]
    )
    assert [p["id"] for p in data["patterns"]] == list(PATTERNS)
    for p in data["patterns"]:
        assert isinstance(p["found"], bool) and all(isinstance(line, str) for line in p["evidence"])
    if data["plan"] is not None:
        assert set(data["plan"]) == {"kind", "started", "days", "pattern"}
    if data["review"] is not None:
        assert (
            data["review"]["verdict"] in {"continue", "return", "assess"} and data["review"]["text"]
        )
    if data["plan_blocked"]:
        assert guidance["level"] == "assess"
        assert data["review"] is None or data["review"]["verdict"] == "assess"


@pytest.fixture
def demo(tmp_path):
    path = tmp_path / "demo.db"
    app.write_demo(path, years=1)
    return path


def test_json_on_the_demo_journal_keeps_the_contract_and_tells_its_story(demo):
    before = sha256(demo)
    result = run_cli("triage", "--journal", str(demo), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    check_contract(data, dt.date.today())
    assert [p["id"] for p in data["patterns"] if p["found"]] == ["volume"]
    assert data["red_flags"] == [] and not data["plan_blocked"]
    assert data["guidance"]["level"] == "go"
    assert data["plan"]["kind"] == "calm" and data["plan"]["pattern"] == "volume"
    assert sha256(demo) == before, "reading the triage changes nothing"


def test_an_earlier_day_sees_only_what_was_logged_by_then(tmp_path):
    path = tmp_path / "j.db"
    with Store.open(path) as store:
        store.save_entry(
            make_run(
                started=dt.datetime(2026, 11, 10, 7),
                pain_start=1,
                pain_middle=1,
                pain_end=1,
                marks=(),
            ),
            today=TODAY,
        )
        store.save_entry(
            make_run(
                started=dt.datetime(2026, 11, 18, 7),
                pain_start=2,
                pain_middle=5,
                pain_end=8,
                warnings=frozenset({WarningSign.SWELLING}),
            ),
            today=TODAY,
        )
        store.answer_triage("cannot_walk", True, dt.date(2026, 11, 19))
    earlier = json.loads(
        run_cli(
            "triage", "--journal", str(path), "--today", "2026-11-11", "--format", "json"
        ).stdout
    )
    check_contract(earlier, dt.date(2026, 11, 11))
    assert earlier["red_flags"] == [] and earlier["guidance"]["level"] == "go"
    later = json.loads(
        run_cli(
            "triage", "--journal", str(path), "--today", "2026-11-20", "--format", "json"
        ).stdout
    )
    check_contract(later, TODAY)
    assert [(f["id"], f["source"], f["date"]) for f in later["red_flags"]] == [
        ("cannot_walk", "answer", "2026-11-19"),
        ("swelling", "logged", "2026-11-18"),
        ("severe_pain", "pain", "2026-11-18"),
    ]
    assert later["plan_blocked"] and later["guidance"]["level"] == "assess"


def test_text_shows_the_panel_s_steps(demo):
    result = run_cli("triage", "--journal", str(demo))
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "not medical advice" in " ".join(text.split())
    for step in (
        "1. Anything that needs a professional first?",
        "2. Where and when it hurts",
        "3. What changed before it started",
        "4. A calm 7-14 day plan",
    ):
        assert step in text
    assert "Distance or number of runs went up too fast: found" in text
    assert "Speed went up faster than the base: no sign" in text


@pytest.mark.parametrize("content", [b"not a journal at all\n" * 100, None])
def test_a_journal_that_cannot_be_read_gets_the_words_and_code_of_check(tmp_path, content):
    path = tmp_path / "journal.db"
    if content is not None:
        path.write_bytes(content)
    triage = run_cli("triage", "--journal", str(path), "--format", "json")
    check = run_cli("check", "--journal", str(path))
    assert triage.returncode == check.returncode == 1
    assert triage.stderr.strip() == check.stderr.strip() != ""
    assert triage.stdout == "" and "Traceback" not in triage.stderr
    assert path.exists() == (content is not None), "reading never creates a journal"


def test_describe_and_as_json_agree_on_a_blocked_plan():
    entries = [
        make_run(
            started=dt.datetime(2026, 11, 19, 7),
            pain_start=9,
            pain_middle=9,
            pain_end=9,
            kind=Kind.RUN,
        )
    ]
    result = assess(entries, [], Answers(yes={"fever_unwell": TODAY}), TODAY)
    data = as_json(result, TODAY)
    check_contract(data, TODAY)
    text = describe(result, TODAY)
    assert "The plan is closed until you confirm an in-person assessment." in text
    assert "doctor today" in data["guidance"]["text"] and data["guidance"]["text"] in text
