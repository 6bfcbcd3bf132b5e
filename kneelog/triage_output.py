"""`kneelog triage`: what the triage panel shows on a day, as one JSON object or as text.

The JSON keys are a contract that scripts and tests rely on (README, "Command line"):
today, red_flags, plan_blocked, guidance, resembles, patterns, onset, plan, review.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .content import label, triage_text
from .model import WarningSign
from .triage import Triage
from .units import format_day


def _day(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def as_json(t: Triage, today: dt.date) -> dict[str, Any]:
    """The triage as plain JSON types. A guidance level of null means no pain was logged in
    the last two weeks: nothing to go on, so neither "go" nor anything else."""
    return {
        "today": today.isoformat(),
        "red_flags": [
            {"id": f.id, "source": f.source, "date": _day(f.date)} for f in t.red_flags.flags
        ],
        "plan_blocked": t.red_flags.blocks_plan,
        "guidance": {
            "level": t.guidance.level.value if t.guidance.level else None,
            "text": t.guidance.text,
            "based_on": [_day(d) for d in t.guidance.based_on],
        },
        "resembles": [
            {"id": r.id, "needs_assessment": r.needs_assessment} for r in t.picture.resembles
        ],
        "patterns": [
            {
                "id": e.pattern,
                "found": e.found,
                "enough_data": e.enough_data,
                "evidence": list(e.lines),
            }
            for e in t.evidence
        ],
        "onset": _day(t.onset),
        "plan": None
        if t.plan is None
        else {
            "kind": t.plan.kind,
            "started": _day(t.plan.started),
            "days": t.plan.days,
            "pattern": t.plan.pattern,
        },
        "review": None
        if t.review is None
        else {"verdict": t.review.next_step, "text": t.review.text},
    }


def describe(t: Triage, today: dt.date) -> str:
    """The same, as text for a person: the panel's steps in its order."""
    words = triage_text()
    names = {item["id"]: item["name"] for item in words["patterns"]["items"]}
    questions = {q["id"]: q["text"] for q in words["red_flags"]["questions"]}
    out = [f"kneelog triage for {format_day(today)} {today.year}", words["not_advice"], ""]
    out.append("1. " + words["red_flags"]["title"])
    if not t.red_flags.raised:
        out.append("   No red flags.")
    still_open = t.red_flags.open
    for f in t.red_flags.flags:
        if f.source == "answer":
            assert f.date is not None  # an answer is flagged on the day it was given
            what = f"Answered yes: {questions[f.id]} ({format_day(f.date)})"
        elif f.source == "logged":
            what = f"Logged: {label('warning', WarningSign(f.id))} ({', '.join(format_day(d) for d in f.days)})"
        else:
            what = f.reason
        if f not in still_open:
            assert t.red_flags.assessed_on is not None  # only an assessment closes a flag
            what += f" [assessed in person on {format_day(t.red_flags.assessed_on)}]"
        out.append(f"   ! {what}")
    if t.red_flags.blocks_plan:
        out.append("   The plan is closed until you confirm an in-person assessment.")
    level = t.guidance.level.value if t.guidance.level else "nothing to go on"
    out += ["", f"Today ({level}): {t.guidance.text}", ""]
    out.append("2. " + words["where"]["title"])
    if t.onset:
        out.append(f"   The pain began on {format_day(t.onset)} {t.onset.year}.")
    for r in t.picture.resembles:
        extra = f" ({words['where']['needs_assessment']})" if r.needs_assessment else ""
        out.append(f"   - often resembles {r.name}{extra}")
    out += ["", "3. " + words["patterns"]["title"]]
    for e in t.evidence:
        state = "found" if e.found else "no sign" if e.enough_data else "not enough data"
        out.append(f"   {names[e.pattern]}: {state}")
        out += [f"     - {line}" for line in e.lines]
    out += ["", "4. " + words["plan"]["title"]]
    if t.plan is None:
        out.append("   No plan running.")
    else:
        assert t.progress is not None  # a running plan has its progress
        out.append(
            f"   {t.plan.kind} plan from {format_day(t.plan.started)}, day {t.progress.day} of {t.plan.days}"
        )
    if t.review is not None:
        out.append("   Review: " + t.review.text)
    return "\n".join(out)
