"""resources/triage.toml is whole: unique ids, every item reachable, every spot covered.

The checks live in `problems()`, so the same function that passes on the real file is shown
to fail on broken copies of it.
"""

from __future__ import annotations

import copy
import string
from collections import Counter

import pytest

from kneelog import triage
from kneelog.content import triage_text
from kneelog.model import Region, TimeCourse, Trigger

# Every template with {placeholders}, and the keys the code fills it with (kneelog/triage.py
# for the evidence lines, the tendon step and the guidance; kneelog/ui/triage_panel.py for
# the rest). A placeholder outside these keys would end as a KeyError in front of a runner.
FILLED = {
    ("red_flags", "assessed_note"): {"day"},
    ("red_flags", "card_text"): {"why"},
    ("red_flags", "plan_no_better"): {"day"},
    ("red_flags", "reasons", "answer"): {"question"},
    ("red_flags", "reasons", "logged"): {"sign", "days"},
    ("red_flags", "reasons", "severe_pain"): {"detail"},
    ("red_flags", "reasons", "daily_pain_rising"): {"detail"},
    ("red_flags", "reasons", "no_improvement"): {"detail"},
    ("red_flags", "found", "severe_pain"): {"detail"},
    ("red_flags", "found", "daily_pain_rising"): {"detail"},
    ("red_flags", "found", "no_improvement"): {"detail"},
    ("red_flags", "logged_intro"): {"days"},
    ("red_flags", "none_logged"): {"days"},
    ("where", "nothing"): {"days"},
    ("where", "older"): {"days", "first", "last"},
    ("where", "during_rising"): {"n", "total"},
    ("where", "during_easing"): {"n"},
    ("plan", "day_of"): {"day", "days"},
    ("plan", "testing"): {"change"},
    ("plan", "streak"): {"n"},
    ("plan", "skipped"): {"days"},
    ("plan", "tendon", "step"): {"sets", "reps"},
    ("guidance", "go"): {"when", "pain"},
    ("guidance", "go_free"): {"when"},
    ("guidance", "assess_picture"): {"name"},
    ("guidance", "ease"): {"when", "pain"},
    ("guidance", "ease_morning"): {"pain", "day", "usual"},
    ("guidance", "stop_high"): {"when", "pain"},
    ("guidance", "stop_rising"): {"day", "start", "end"},
    ("guidance", "assess"): {"why"},
    ("guidance", "assess_urgent"): {"why"},
    ("guidance", "when", "pain_start"): {"day"},
    ("guidance", "when", "pain_middle"): {"day"},
    ("guidance", "when", "pain_end"): {"day"},
    ("guidance", "when", "pain_later"): {"day"},
    ("guidance", "when", "pain_next_morning"): {"day"},
    ("review", "waiting"): {"day"},
}
# For each load pattern, the templates kneelog/triage.py reads and the keys it passes.
PATTERN_TEMPLATES = {
    "volume": {
        "more_distance": {"before", "after", "change", "base"},
        "week_jump": {"week", "before", "after", "change"},
        "spike": {"day", "distance", "change"},
        "more_runs": {"before", "after", "base"},
        "base_pain_free": set(),
        "base_not_logged": set(),
        "comeback": {"days", "day", "before", "after"},
        "change_logged": {"days"},
    },
    "speed": {
        "compare": {"fast", "n_fast", "days", "easy", "n_easy"},
        "change_logged": {"days"},
    },
    "downhill": {
        "compare": {"hilly", "n_hilly", "days", "flat", "n_flat"},
        "change_logged": {"days"},
    },
    "combined": {key: {"n", "days"} for key in ("strength", "sleep", "stress", "speed")},
    "shoes_surface": {
        "new_shoes": {"shoe", "day"},
        "new_surface": {"surface", "day"},
        "worn": {"shoe", "distance"},
        "change_logged": {"days"},
    },
    "spill_over": {
        "rest_days": {"level", "days"},
        "rising": {"values", "first", "last"},
        "night": {"days"},
    },
}
# Shown by the panel for every pattern: "change" is the one change it offers to test, or
# "assess" says why this one is not for testing alone.
PATTERN_WORDS = {"id", "name", "looks_like", "change", "assess"}
# The red flags the journal's pain raises (kneelog/triage.py), each with its words.
PAIN_FLAGS = ("severe_pain", "daily_pain_rising", "no_improvement")
TENDON_WEEKS = range(1, 13)


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def walk(node, path=()):
    """Every string in the content with its path of keys (list items by position)."""
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from walk(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from walk(value, (*path, i))


def duplicates(ids) -> list[str]:
    return sorted(i for i, n in Counter(ids).items() if n > 1)


def problems(content: dict) -> list[str]:
    """Everything wrong with a triage content file, in words; [] when it is whole."""
    found: list[str] = []

    question_ids = [q["id"] for q in content["red_flags"]["questions"]]
    resembles_ids = [r["id"] for r in content["resembles"]]
    pattern_ids = [p["id"] for p in content["patterns"]["items"]]
    step_ids = [s["id"] for s in content["plan"]["steps"]] + [content["plan"]["tendon"]["step_id"]]
    for where, ids in [
        ("red flag question", question_ids),
        ("resembles", resembles_ids),
        ("pattern", pattern_ids),
        ("plan step", step_ids),
    ]:
        for dup in duplicates(ids):
            found.append(f"duplicate {where} id: {dup}")

    for extra in sorted(set(pattern_ids) - set(triage.PATTERNS)):
        found.append(f"unknown pattern: {extra}")
    for missing in sorted(set(triage.PATTERNS) - set(pattern_ids)):
        found.append(f"pattern without words: {missing}")

    covered = set()
    for item in content["resembles"]:
        for group, enum in [
            ("regions", Region),
            ("triggers", Trigger),
            ("time_courses", TimeCourse),
        ]:
            for value in item[group]:
                if value not in {v.value for v in enum}:
                    found.append(f"unknown {group} value in resembles {item['id']}: {value}")
        covered |= set(item["regions"])
        for key in ("name", "recovery"):
            if not item.get(key, "").strip():
                found.append(f"resembles {item['id']} has no {key}")
    for region in Region:
        if region.value not in covered:
            found.append(f"region not covered by resembles: {region.value}")

    weeks: Counter[int] = Counter()
    for row in content["plan"]["tendon"]["weeks"]:
        weeks.update(range(row["from"], row["to"] + 1))
        if not (
            isinstance(row["sets"], int)
            and isinstance(row["reps"], int)
            and row["sets"] > 0
            and row["reps"] > 0
        ):
            found.append(f"tendon weeks {row['from']}-{row['to']}: sets and reps must be counts")
    for week in TENDON_WEEKS:
        if weeks[week] == 0:
            found.append(f"tendon week {week} missing")
        elif weeks[week] > 1:
            found.append(f"tendon week {week} given twice")
    for week in sorted(set(weeks) - set(TENDON_WEEKS)):
        found.append(f"tendon week {week} outside 1-12")

    patterns = {p["id"]: p for p in content["patterns"]["items"]}
    for pattern_id, templates in PATTERN_TEMPLATES.items():
        item = patterns.get(pattern_id, {})
        for key in sorted(set(templates) - set(item)):
            if pattern_id in patterns:
                found.append(f"pattern {pattern_id} has no {key} text")
        for key in sorted(set(item) - set(templates) - PATTERN_WORDS):
            found.append(f"pattern {pattern_id}: {key} is never shown")
    for item in content["patterns"]["items"]:
        offers = [key for key in ("change", "assess") if key in item]
        if len(offers) != 1:
            found.append(f"pattern {item['id']} needs either a change to test or an assess note")
        for key in offers:
            if not (isinstance(item[key], str) and item[key].strip()):
                found.append(f"pattern {item['id']}: empty {key}")
    for path, template in walk(content):
        used = placeholders(template)
        if not used:
            continue
        if path[:2] == ("patterns", "items"):
            pattern_id = content["patterns"]["items"][path[2]]["id"]
            keys = PATTERN_TEMPLATES.get(pattern_id, {}).get(path[3], set())
        else:
            keys = FILLED.get(path, set())
        for name in sorted(used - keys):
            found.append(f"{'.'.join(map(str, path))}: {{{name}}} is never filled in")
    for path in FILLED:
        node = content
        for key in path:
            node = node.get(key, {}) if isinstance(node, dict) else {}
        if not isinstance(node, str):
            found.append(f"{'.'.join(path)} is missing")

    for flag in PAIN_FLAGS:
        for group in ("reasons", "found"):
            if flag not in content["red_flags"].get(group, {}):
                found.append(f"red flag {flag} has no {group} text")
    for item in content["resembles"]:
        if not isinstance(item.get("needs_assessment", False), bool):
            found.append(f"resembles {item['id']}: needs_assessment must be true or false")
    not_advice = content.get("not_advice", "")
    if "not medical advice" not in " ".join(not_advice.lower().split()):
        found.append("not_advice must say it is not medical advice")
    return found


@pytest.fixture
def content() -> dict:
    return copy.deepcopy(triage_text())  # triage_text() is cached: never change the original


def test_the_content_file_is_whole(content):
    assert problems(content) == []


def test_the_pattern_ids_are_the_code_s_patterns_in_order(content):
    assert tuple(p["id"] for p in content["patterns"]["items"]) == triage.PATTERNS


def test_five_red_flag_questions_and_four_plan_steps(content):
    assert [q["id"] for q in content["red_flags"]["questions"]] == [
        "cannot_walk",
        "swelling_instability",
        "night_pain_worse",
        "pop_injury",
        "fever_unwell",
    ]
    assert [s["id"] for s in content["plan"]["steps"]] == [
        "ease",
        "one_change",
        "strength",
        "recovery",
    ]
    assert all(q["text"].strip().endswith("?") for q in content["red_flags"]["questions"])


def test_not_advice_is_there_in_plain_words(content):
    assert "not medical advice" in " ".join(content["not_advice"].split())
    assert "not a diagnosis" in content["where"]["not_a_diagnosis"].lower()


def test_every_template_formats_with_the_keys_the_code_passes(content):
    """Format every template with exactly the keys the code gives it: no KeyError, no brace left."""
    for path, keys in FILLED.items():
        node = content
        for key in path:
            node = node[key]
        rendered = node.format(**{k: "X" for k in keys})
        assert "{" not in rendered and "}" not in rendered, path
    for item in content["patterns"]["items"]:
        for key, keys in PATTERN_TEMPLATES[item["id"]].items():
            rendered = item[key].format(**{k: "X" for k in keys})
            assert "{" not in rendered and "}" not in rendered, (item["id"], key)


@pytest.mark.parametrize("week", TENDON_WEEKS)
def test_each_tendon_week_has_one_row(content, week):
    rows = [r for r in content["plan"]["tendon"]["weeks"] if r["from"] <= week <= r["to"]]
    assert len(rows) == 1


# -- the checks fail on broken files ------------------------------------------------------


def duplicate_question(c):
    c["red_flags"]["questions"].append(dict(c["red_flags"]["questions"][0]))


def duplicate_resembles(c):
    c["resembles"].append(dict(c["resembles"][1]))


def duplicate_step(c):
    c["plan"]["steps"][1]["id"] = c["plan"]["steps"][0]["id"]


def tendon_step_clashes(c):
    c["plan"]["tendon"]["step_id"] = c["plan"]["steps"][2]["id"]


def uncover_pes_anserine(c):
    for item in c["resembles"]:
        item["regions"] = [r for r in item["regions"] if r != "pes_anserine"]


def unknown_pattern(c):
    c["patterns"]["items"].append({"id": "moon_phase", "name": "The moon", "looks_like": "?"})


def pattern_dropped(c):
    c["patterns"]["items"] = [p for p in c["patterns"]["items"] if p["id"] != "downhill"]


def duplicate_pattern(c):
    c["patterns"]["items"].append(copy.deepcopy(c["patterns"]["items"][0]))


def unknown_region(c):
    c["resembles"][0]["regions"].append("ankle")


def unknown_trigger(c):
    c["resembles"][1]["triggers"].append("cycling")


def unknown_time_course(c):
    c["resembles"][2]["time_courses"].append("sometimes")


def tendon_gap(c):
    c["plan"]["tendon"]["weeks"] = [r for r in c["plan"]["tendon"]["weeks"] if r["from"] != 4]


def tendon_overlap(c):
    c["plan"]["tendon"]["weeks"][1]["to"] = 4


def tendon_too_long(c):
    c["plan"]["tendon"]["weeks"][-1]["to"] = 13


def unfilled_placeholder(c):
    c["guidance"]["go"] += " Next run on {tomorrow}."


def unfilled_pattern_placeholder(c):
    speed = next(p for p in c["patterns"]["items"] if p["id"] == "speed")
    speed["compare"] = speed["compare"].replace("{n_easy}", "{n_slow}")


def pattern_text_missing(c):
    volume = next(p for p in c["patterns"]["items"] if p["id"] == "volume")
    del volume["spike"]


def pattern_text_unreachable(c):
    volume = next(p for p in c["patterns"]["items"] if p["id"] == "volume")
    volume["cadence"] = "Cadence dropped on {days}."


def panel_text_missing(c):
    del c["plan"]["streak"]


def empty_change(c):
    c["patterns"]["items"][0]["change"] = " "


def change_and_assess(c):
    c["patterns"]["items"][0]["assess"] = "See someone."


def spill_over_offers_nothing(c):
    del next(p for p in c["patterns"]["items"] if p["id"] == "spill_over")["assess"]


def advice_claimed(c):
    c["not_advice"] = "Follow this panel and your knee will heal."


def advice_missing(c):
    del c["not_advice"]


BROKEN = [
    (duplicate_question, "duplicate red flag question id: cannot_walk"),
    (duplicate_resembles, "duplicate resembles id: it_band"),
    (duplicate_step, "duplicate plan step id: ease"),
    (tendon_step_clashes, "duplicate plan step id: strength"),
    (uncover_pes_anserine, "region not covered by resembles: pes_anserine"),
    (unknown_pattern, "unknown pattern: moon_phase"),
    (pattern_dropped, "pattern without words: downhill"),
    (duplicate_pattern, "duplicate pattern id: volume"),
    (unknown_region, "unknown regions value in resembles patellofemoral: ankle"),
    (unknown_trigger, "unknown triggers value in resembles it_band: cycling"),
    (unknown_time_course, "unknown time_courses value in resembles patellar_tendon: sometimes"),
    (tendon_gap, "tendon week 4 missing"),
    (tendon_overlap, "tendon week 4 given twice"),
    (tendon_too_long, "tendon week 13 outside 1-12"),
    (unfilled_placeholder, "guidance.go: {tomorrow} is never filled in"),
    (unfilled_pattern_placeholder, "patterns.items.1.compare: {n_slow} is never filled in"),
    (pattern_text_missing, "pattern volume has no spike text"),
    (pattern_text_unreachable, "pattern volume: cadence is never shown"),
    (panel_text_missing, "plan.streak is missing"),
    (empty_change, "pattern volume: empty change"),
    (change_and_assess, "pattern volume needs either a change to test or an assess note"),
    (
        spill_over_offers_nothing,
        "pattern spill_over needs either a change to test or an assess note",
    ),
    (advice_claimed, "not_advice must say it is not medical advice"),
    (advice_missing, "not_advice must say it is not medical advice"),
]


@pytest.mark.parametrize(("breakage", "problem"), BROKEN, ids=[b.__name__ for b, _ in BROKEN])
def test_the_validation_reports_a_broken_file(content, breakage, problem):
    breakage(content)
    assert problem in problems(content)


def test_the_validation_reports_every_problem_at_once(content):
    for breakage, _ in BROKEN[:6]:
        breakage(content)
    found = problems(content)
    for _, problem in BROKEN[:6]:
        assert problem in found


def test_every_red_flag_question_and_warning_sign_says_why_it_matters(content):
    from kneelog.model import WarningSign

    for question in content["red_flags"]["questions"]:
        assert len(question["why"]) > 40, question["id"]
    from kneelog.content import labels

    signs = labels()["warning_meaning"]
    assert set(signs) == {w.value for w in WarningSign}
    assert all(len(text) > 40 for text in signs.values())
