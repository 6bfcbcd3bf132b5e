"""Property: a knee in trouble never gets "go" (issue 11, Tests; knee-facts 4).

For random small journals (runs and check-ins over about 8 weeks, pain readings 0-10 in any
field, random warning signs), on a day where some reading of 7 or more, or a logged warning
sign, lies in the last 28 days (and no assessment was confirmed), guidance is never "go" and
the plan is blocked. The reading's day is the day the pain was felt: a next-morning reading
counts on the day after its entry.
"""

from __future__ import annotations

import datetime as dt
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kneelog.model import Entry, Kind, WarningSign
from kneelog.triage import Answers, assess
from kneelog.triage_output import as_json

TODAY = dt.date(2026, 11, 30)
WINDOW = 28
FIELDS = ("pain_start", "pain_middle", "pain_end", "pain_later", "pain_next_morning")
pain = st.one_of(st.none(), st.integers(0, 10))


@st.composite
def entries(draw):
    kind = draw(st.sampled_from([Kind.RUN, Kind.RUN, Kind.CHECKIN]))
    n = draw(st.integers(0, 56))
    started = dt.datetime.combine(
        TODAY - dt.timedelta(days=n), dt.time(7 if kind is Kind.RUN else 20)
    )
    values = {f: draw(pain) for f in FIELDS}
    warnings = draw(
        st.frozensets(st.sampled_from(list(WarningSign)), max_size=2)
        if draw(st.integers(0, 5)) == 0
        else st.just(frozenset())
    )
    if kind is Kind.RUN:
        km = draw(st.sampled_from([4.0, 6.0, 8.0, 10.0, 14.0]))
        return Entry(
            kind=kind,
            started=started,
            distance_km=km,
            duration_s=int(km * 360),
            warnings=warnings,
            **values,
        )
    return Entry(kind=kind, started=started, warnings=warnings, **values)


journals = st.lists(entries(), min_size=0, max_size=30)


def in_trouble(journal: list[Entry], today: dt.date) -> bool:
    since = today - dt.timedelta(days=WINDOW - 1)
    for e in journal:
        if e.warnings and since <= e.day <= today:
            return True
        for f in FIELDS:
            value = getattr(e, f)
            day = e.day + dt.timedelta(days=1) if f == "pain_next_morning" else e.day
            if value is not None and value >= 7 and since <= day <= today:
                return True
    return False


# SCENARIO_EXAMPLES=3000 for a longer search (passes in about 25 s).
SETTINGS = settings(
    max_examples=int(os.environ.get("SCENARIO_EXAMPLES", 150)),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@SETTINGS
@given(journal=journals, back=st.integers(0, 20))
def test_a_knee_in_trouble_never_gets_go(journal, back):
    today = TODAY - dt.timedelta(days=back)
    out = as_json(assess(journal, [], Answers(), today), today)
    if in_trouble([e for e in journal if e.day <= today], today):
        assert out["guidance"]["level"] != "go", out["guidance"]
        assert out["plan_blocked"] is True, out["red_flags"]
        # knee-facts 4 / rules.py: an open red flag means "assess", nothing milder
        assert out["guidance"]["level"] == "assess", out["guidance"]


@SETTINGS
@given(journal=journals)
def test_no_trouble_no_block_from_nothing(journal):
    """The other direction, for journals without warning signs, readings under 7 and too short
    for a time-based flag (2 weeks): no red flag is invented, so the plan stays open."""
    today = TODAY
    short = [
        e.with_(
            warnings=frozenset(),
            **{f: min(getattr(e, f), 6) for f in FIELDS if getattr(e, f) is not None},
        )
        for e in journal
        if e.day >= today - dt.timedelta(days=13)
    ]
    out = as_json(assess(short, [], Answers(), today), today)
    ids = {f["id"] for f in out["red_flags"]}
    # daily-life pain rising over a week is the one pain-based flag below 7/10
    assert ids <= {"daily_pain_rising"}, out["red_flags"]
    assert out["plan_blocked"] is bool(ids)
