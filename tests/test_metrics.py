"""Load and pain metrics against the reference numbers in the domain notes and against plain
re-computations written out here.

Every expected value below is worked out by hand (the arithmetic is in the test) or by a
deliberately simple re-implementation in this file, never taken from kneelog.metrics itself.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import re
import statistics
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factories import make_run
from kneelog import metrics
from kneelog.demo import demo_journal
from kneelog.metrics import (
    MONOTONY_CAP,
    SHOE_WARN_KM,
    SPIKE_BANDS,
    SPIKE_HAZARD,
    WEEKLY_BANDS,
    acwr_ewma,
    acwr_rolling_coupled,
    acwr_rolling_uncoupled,
    daily_loads,
    ewma,
    monotony,
    pain_points,
    pain_trend,
    region_counts,
    shoe_mileage,
    spikes,
    usual_morning_pain,
    weekly,
)
from kneelog.model import (
    MAX_DURATION_S,
    Entry,
    Intensity,
    Kind,
    PainMark,
    Period,
    Region,
    Shoe,
    Side,
    Units,
)

MONDAY = dt.date(2026, 3, 2)  # a Monday
DAY = dt.timedelta(days=1)
WEEK = dt.timedelta(days=7)


def at(day: dt.date, hour: int = 7, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


def run(day: dt.date, km: float, *, hour: int = 7, minute: int = 0, **fields) -> Entry:
    return make_run(started=at(day, hour, minute), distance_km=km, **fields)


def strength(day: dt.date, **fields) -> Entry:
    values = dict(kind=Kind.STRENGTH, started=at(day, 18), duration_s=35 * 60, rpe=5)
    values.update(fields)
    return Entry(**values)


def cross(day: dt.date, **fields) -> Entry:
    values = dict(
        kind=Kind.CROSS,
        started=at(day, 10),
        distance_km=30.0,
        duration_s=3600,
        rpe=4,
        activity="Bike",
    )
    values.update(fields)
    return Entry(**values)


def checkin(day: dt.date, **fields) -> Entry:
    return Entry(kind=Kind.CHECKIN, started=at(day, 20), **fields)


def with_ids(entries: list[Entry]) -> list[Entry]:
    return [e.with_(id=i) for i, e in enumerate(entries, start=1)]


# -- plain re-implementations used as the reference -------------------------------------------


def plain_mean(values) -> float:
    return math.fsum(values) / len(values)


def plain_coupled(loads, t):
    """mean(t-6..t) / mean(t-27..t), 28 real days required."""
    chronic = plain_mean(loads[t - 27 : t + 1])
    return plain_mean(loads[t - 6 : t + 1]) / chronic if chronic > 0 else None


def plain_uncoupled(loads, t):
    """mean(t-6..t) / mean(t-27..t-7)."""
    chronic = plain_mean(loads[t - 27 : t - 6])
    return plain_mean(loads[t - 6 : t + 1]) / chronic if chronic > 0 else None


def plain_ewma(loads, n):
    lam = 2 / (n + 1)
    out = []
    for x in loads:
        out.append(x if not out else lam * x + (1 - lam) * out[-1])
    return out


def plain_band(value, edges_and_names):
    for top, name in edges_and_names:
        if value <= top + 1e-9:
            return name
    raise AssertionError(value)


def is_run(e: Entry) -> bool:
    return e.kind is Kind.RUN and bool(e.distance_km)


def plain_spikes(entries):
    """Every run against the longest run on the 30 calendar days before its own day."""
    runs = sorted((e for e in entries if is_run(e)), key=lambda e: (e.started, e.id or 0))
    out = []
    for r in runs:
        before = [q.distance_km for q in runs if 1 <= (r.day - q.day).days <= 30]
        if before:
            longest = max(before)
            value = r.distance_km / longest - 1
            out.append((r.id, r.day, r.distance_km, longest, value))
    return out


def plain_weekly_totals(entries):
    totals: dict[dt.date, list] = {}
    for e in entries:
        if is_run(e):
            start = e.day - dt.timedelta(days=e.day.weekday())
            t = totals.setdefault(start, [0.0, 0, 0])
            t[0] += e.distance_km
            t[1] += e.duration_s or 0
            t[2] += 1
    return totals


def during(e: Entry):
    values = [v for v in (e.pain_start, e.pain_middle, e.pain_end) if v is not None]
    return max(values) if values else None


def plain_trend(points, days):
    """For point i: mean 'during' pain of points 0..i whose day lies within `days` calendar days
    ending on point i's day."""
    out = []
    for i, p in enumerate(points):
        values = [
            q.during
            for q in points[: i + 1]
            if q.during is not None and (p.when.date() - q.when.date()).days < days
        ]
        out.append(sum(values) / len(values) if values else None)
    return out


# == 1. daily loads and acute:chronic ratios ===================================================

REFERENCE = [30.0] * 21 + [50.0] * 7  # metrics.md: 21 days of 30, then 7 days of 50


def test_reference_vector_day_21_ewma_ratio_is_one_but_hidden():
    acute, chronic = ewma(REFERENCE, 7), ewma(REFERENCE, 28)
    assert acute[20] == pytest.approx(30.0)
    assert chronic[20] == pytest.approx(30.0)
    assert acute[20] / chronic[20] == pytest.approx(1.000, abs=5e-4)
    # The docstring: all three ratios are hidden (None) before day 28.
    assert acwr_ewma(REFERENCE)[20] is None


def test_reference_vector_day_22_ewma():
    acute, chronic = ewma(REFERENCE, 7), ewma(REFERENCE, 28)
    # By hand: acute 0.25 * 50 + 0.75 * 30 = 35; chronic (2 * 50 + 27 * 30) / 29 = 910 / 29.
    assert acute[21] == pytest.approx(35.000, abs=5e-5)
    assert chronic[21] == pytest.approx(31.3793, abs=5e-5)
    assert pytest.approx(31.3793, abs=5e-5) == 910 / 29
    assert acute[21] / chronic[21] == pytest.approx(1.1154, abs=5e-5)
    assert acwr_ewma(REFERENCE)[21] is None  # day 22 is still before day 28


def test_reference_vector_day_28():
    # Closed forms for a step from 30 to 50 after 7 days at the new load.
    acute = 50 - 20 * 0.75**7
    chronic = 50 - 20 * (27 / 29) ** 7
    assert acute == pytest.approx(47.3303, abs=5e-5)
    assert chronic == pytest.approx(37.8720, abs=5e-5)
    assert ewma(REFERENCE, 7)[27] == pytest.approx(acute)
    assert ewma(REFERENCE, 28)[27] == pytest.approx(chronic)

    assert round(acwr_ewma(REFERENCE)[27], 4) == 1.2497
    # Coupled: 50 / ((21 * 30 + 7 * 50) / 28) = 50 / 35; uncoupled: 50 / 30.
    assert round(acwr_rolling_coupled(REFERENCE)[27], 4) == 1.4286
    assert round(acwr_rolling_uncoupled(REFERENCE)[27], 4) == 1.6667
    assert acwr_rolling_coupled(REFERENCE)[27] == pytest.approx(50 / 35)
    assert acwr_rolling_uncoupled(REFERENCE)[27] == pytest.approx(50 / 30)


@pytest.mark.parametrize("ratio", [acwr_ewma, acwr_rolling_coupled, acwr_rolling_uncoupled])
def test_ratios_are_hidden_before_day_28_and_shown_from_it(ratio):
    values = ratio(REFERENCE + [40.0] * 5)
    assert values[:27] == [None] * 27
    assert all(v is not None and v > 0 for v in values[27:])
    assert len(values) == 33


def test_ratios_after_day_28_match_the_definitions():
    rng = random.Random(5)
    loads = [rng.choice([0.0, 0.0, 5.0, 8.4, 12.5, 21.1]) for _ in range(120)]
    coupled, uncoupled, by_ewma = (
        acwr_rolling_coupled(loads),
        acwr_rolling_uncoupled(loads),
        acwr_ewma(loads),
    )
    acute, chronic = plain_ewma(loads, 7), plain_ewma(loads, 28)
    for t in range(27, len(loads)):
        assert coupled[t] == pytest.approx(plain_coupled(loads, t))
        assert uncoupled[t] == pytest.approx(plain_uncoupled(loads, t))
        assert by_ewma[t] == pytest.approx(acute[t] / chronic[t])


def test_ewma_is_seeded_with_day_one():
    # Day 1 seeds both averages: 10, then 0.25 * 0 + 0.75 * 10 and (27 / 29) * 10.
    assert ewma([10.0, 0.0], 7) == pytest.approx([10.0, 7.5])
    assert ewma([10.0, 0.0], 28) == pytest.approx([10.0, 270 / 29])
    assert ewma([], 7) == []


def test_no_ratio_where_the_chronic_load_is_zero():
    assert acwr_ewma([0.0] * 40) == [None] * 40
    assert acwr_rolling_coupled([0.0] * 40) == [None] * 40
    assert acwr_rolling_uncoupled([0.0] * 40) == [None] * 40

    # 35 rest days, then 7 days of 10.
    loads = [0.0] * 35 + [10.0] * 7
    ewma_ratio = acwr_ewma(loads)
    assert ewma_ratio[27:35] == [None] * 8  # both averages still 0
    # First day of load: acute 0.25 x 10, chronic (2 / 29) x 10.
    assert ewma_ratio[35] == pytest.approx(2.5 / (20 / 29))
    # Uncoupled on the last day (index 41): its chronic window, indexes 14..34, is all rest.
    assert acwr_rolling_uncoupled(loads)[41] is None
    # Coupled: 7 days of 10 over 28 days -> 10 / 2.5.
    assert acwr_rolling_coupled(loads)[41] == pytest.approx(4.0)


def test_daily_loads_distance():
    first = MONDAY
    entries = [
        run(first, 5.0),
        run(first + 2 * DAY, 4.0, hour=6),
        run(first + 2 * DAY, 6.5, hour=19),  # same day: adds up
        run(first + 6 * DAY, 3.0, hour=23, minute=59),  # the last day is in
        run(first - DAY, 99.0, hour=23, minute=59),  # before the range
        run(first + 7 * DAY, 99.0, hour=0),  # after the range
        strength(first + DAY),
        cross(first + 3 * DAY, distance_km=40.0),  # bike kilometres are not running load
        checkin(first + 4 * DAY, pain_later=3),
    ]
    loads = daily_loads(entries, first, first + 6 * DAY)
    assert loads == [5.0, 0.0, 10.5, 0.0, 0.0, 0.0, 3.0]


def test_daily_loads_session_counts_every_kind_with_effort_and_time():
    first = MONDAY
    entries = [
        run(first, 10.0, rpe=7, duration_s=60 * 60),  # 7 x 60 = 420
        strength(first, rpe=5, duration_s=35 * 60),  # same day: + 5 x 35 = 175
        cross(first + DAY, rpe=4, duration_s=45 * 60),  # 4 x 45 = 180
        cross(first + 2 * DAY, rpe=None, duration_s=45 * 60),  # no effort: nothing
        run(first + 3 * DAY, 8.0, rpe=6, duration_s=None),  # no time: nothing
        run(first + 4 * DAY, 8.0, rpe=0, duration_s=30 * 60),  # rest effort: 0
        checkin(first + 5 * DAY, rpe=3),  # no time: nothing
        run(first + 7 * DAY, 8.0, rpe=9, duration_s=3600),  # outside the range
    ]
    loads = daily_loads(entries, first, first + 6 * DAY, measure="session")
    assert loads == pytest.approx([595.0, 180.0, 0.0, 0.0, 0.0, 0.0, 0.0])
    assert metrics.session_load(run(first, 10.0, rpe=7, duration_s=3600)) == 420


def test_daily_loads_length_is_the_number_of_days():
    assert len(daily_loads([], MONDAY, MONDAY)) == 1
    assert len(daily_loads([], MONDAY, MONDAY + 365 * DAY)) == 366
    assert daily_loads([run(MONDAY, 5.0)], MONDAY, MONDAY - DAY) == []


# == 2. monotony and strain ====================================================================


def test_monotony_reference_week():
    week = [0, 240, 0, 250, 120, 0, 360]
    mean = sum(week) / 7
    population_sd = math.sqrt(sum((x - mean) ** 2 for x in week) / 7)
    sample_sd = math.sqrt(sum((x - mean) ** 2 for x in week) / 6)
    assert mean == pytest.approx(138.57, abs=0.005)
    assert population_sd == pytest.approx(136.11, abs=0.005)

    result = monotony(week)
    assert result.load == 970
    assert round(result.monotony, 3) == 1.018
    assert result.monotony == pytest.approx(mean / population_sd)
    assert result.strain == pytest.approx(987.5, abs=0.05)
    # Not the sample deviation (0.943 and 914.3).
    assert result.monotony != pytest.approx(mean / sample_sd, abs=1e-3)


def test_monotony_is_capped_when_every_day_is_the_same():
    result = monotony([50.0] * 7)
    assert result == metrics.Monotony(350.0, MONOTONY_CAP, 350.0 * MONOTONY_CAP)


def test_monotony_is_capped_when_the_deviation_is_tiny():
    result = monotony([100.0] * 6 + [100.5])  # mean / SD is about 572
    assert result.monotony == MONOTONY_CAP
    assert result.strain == pytest.approx(700.5 * MONOTONY_CAP)


def test_monotony_of_a_week_without_load_is_zero():
    assert monotony([0.0] * 7) == metrics.Monotony(0.0, 0.0, 0.0)


# == 3. single-run spikes ======================================================================


def test_spike_example_from_the_notes_plus_15_percent():
    today = MONDAY + 40 * DAY
    entries = with_ids([run(today - 12 * DAY, 10.0), run(today - 5 * DAY, 6.0), run(today, 11.5)])
    result = spikes(entries)
    last = result[-1]
    assert (last.entry_id, last.day) == (3, today)
    assert (last.distance_km, last.longest_before_km) == (11.5, 10.0)
    assert last.spike == pytest.approx(0.15)
    assert last.band == "10-30%"
    assert SPIKE_HAZARD[last.band] == 1.64


def test_spike_example_from_the_notes_plus_110_percent():
    today = MONDAY + 40 * DAY
    result = spikes([run(today - 12 * DAY, 10.0), run(today, 21.0)])
    assert len(result) == 1
    assert result[0].spike == pytest.approx(1.10)
    assert result[0].band == "over 100%"
    assert SPIKE_HAZARD[result[0].band] == 2.28


def test_runs_on_the_same_day_do_not_spike_against_each_other():
    assert spikes([run(MONDAY, 5.0, hour=6), run(MONDAY, 15.0, hour=19)]) == []

    entries = with_ids(
        [run(MONDAY - 3 * DAY, 10.0), run(MONDAY, 5.0, hour=6), run(MONDAY, 15.0, hour=19)]
    )
    result = spikes(entries)
    assert [(s.entry_id, s.longest_before_km) for s in result] == [(2, 10.0), (3, 10.0)]
    assert [s.spike for s in result] == pytest.approx([-0.5, 0.5])


def test_spike_window_is_the_30_calendar_days_before():
    today = MONDAY + 60 * DAY
    # 30 calendar days back, although under 30 x 24 hours earlier: counts.
    inside = spikes([run(today - 30 * DAY, 10.0, hour=23, minute=50), run(today, 12.0, hour=6)])
    assert len(inside) == 1 and inside[0].longest_before_km == 10.0

    # 31 calendar days back, although only 30 x 24 hours and 2 minutes earlier: does not count.
    outside = spikes(
        [run(today - 31 * DAY, 10.0, hour=23, minute=59), run(today, 12.0, hour=0, minute=1)]
    )
    assert outside == []

    assert metrics.SPIKE_WINDOW_DAYS == 30


def test_the_longest_run_in_the_window_is_the_reference():
    today = MONDAY + 60 * DAY
    entries = [
        run(today - 40 * DAY, 30.0),
        run(today - 20 * DAY, 12.0),
        run(today - 2 * DAY, 8.0),
        run(today, 13.2),
    ]
    last = spikes(entries)[-1]
    assert last.longest_before_km == 12.0  # the 30 km run is 40 days back
    assert last.spike == pytest.approx(0.1)


def test_no_spike_without_a_run_before():
    assert spikes([]) == []
    assert spikes([run(MONDAY, 10.0)]) == []
    # Other kinds of entry are not runs to compare with.
    assert (
        spikes(
            [cross(MONDAY - DAY, distance_km=50.0), strength(MONDAY - 2 * DAY), run(MONDAY, 10.0)]
        )
        == []
    )


@pytest.mark.parametrize("longest", [10.0, 8.0, 12.5, 40.0, 4.2])
@pytest.mark.parametrize(
    ("factor", "extra_km", "expected"),
    [
        (1.10, 0.0, "up to 10%"),  # exactly +10% is still the reference band
        (1.10, 0.01, "10-30%"),
        (1.30, 0.0, "10-30%"),  # exactly +30%
        (1.30, 0.01, "30-100%"),
        (2.00, 0.0, "30-100%"),  # exactly +100%
        (2.00, 0.01, "over 100%"),
        (0.50, 0.0, "up to 10%"),  # shorter runs sit in the reference band
    ],
)
def test_spike_band_edges(longest, factor, extra_km, expected):
    today = MONDAY + 60 * DAY
    distance = round(longest * factor + extra_km, 2)  # as a runner would type it
    result = spikes([run(today - 7 * DAY, longest), run(today, distance)])
    assert result[0].band == expected
    assert result[0].spike == pytest.approx(factor - 1, abs=0.01 / longest + 1e-12)


def test_band_helper():
    assert metrics.band(None, SPIKE_BANDS) is None
    assert metrics.band(0.1, SPIKE_BANDS) == "up to 10%"
    assert metrics.band(0.3, WEEKLY_BANDS) == "10-30%"
    assert metrics.band(0.30001, WEEKLY_BANDS) == "over 30%"
    assert metrics.band(-1.0, WEEKLY_BANDS) == "up to 10%"


# == 4. weekly distance ========================================================================


def test_weeks_run_monday_to_sunday():
    sunday = MONDAY - DAY
    weeks = weekly([run(sunday, 10.0), run(MONDAY, 11.0), run(MONDAY + 6 * DAY, 4.0)])
    assert [(w.start, w.distance_km, w.runs) for w in weeks] == [
        (MONDAY - WEEK, 10.0, 1),
        (MONDAY, 15.0, 2),
    ]
    assert all(w.start.weekday() == 0 for w in weeks)
    assert weeks[0].change is None and weeks[0].band is None  # nothing before it
    assert weeks[1].change == pytest.approx(0.5)
    assert weeks[1].band == "over 30%"


def test_empty_weeks_appear_with_zero_and_the_week_after_has_no_change():
    weeks = weekly(
        [run(MONDAY, 10.0), run(MONDAY + 2 * WEEK + DAY, 12.0), run(MONDAY + 3 * WEEK, 6.0)]
    )
    assert [w.start for w in weeks] == [MONDAY + n * WEEK for n in range(4)]
    assert [w.distance_km for w in weeks] == [10.0, 0.0, 12.0, 6.0]
    assert [w.runs for w in weeks] == [1, 0, 1, 1]
    assert weeks[1].change == pytest.approx(-1.0)
    assert weeks[2].change is None and weeks[2].band is None
    assert weeks[3].change == pytest.approx(-0.5)


@pytest.mark.parametrize(
    ("before", "after", "change", "expected"),
    [
        (40.0, 44.0, 0.10, "up to 10%"),
        (40.0, 48.0, 0.20, "10-30%"),
        (40.0, 52.0, 0.30, "10-30%"),
        (40.0, 56.0, 0.40, "over 30%"),
        (30.0, 33.0, 0.10, "up to 10%"),
        (50.0, 45.0, -0.10, "up to 10%"),
    ],
)
def test_weekly_change_and_band(before, after, change, expected):
    entries = [
        run(MONDAY + DAY, before / 2),
        run(MONDAY + 5 * DAY, before / 2),
        run(MONDAY + WEEK + 2 * DAY, after),
    ]
    last = weekly(entries)[-1]
    assert last.change == pytest.approx(change)
    assert last.band == expected


def test_weekly_counts_runs_and_sums_durations_only_for_runs():
    entries = [
        run(MONDAY, 8.0, duration_s=2400),
        run(MONDAY + 2 * DAY, 5.0, duration_s=1500, hour=6),
        run(MONDAY + 2 * DAY, 6.0, duration_s=None, hour=19),
        strength(MONDAY + DAY, duration_s=1800),
        cross(MONDAY + 3 * DAY, distance_km=35.0, duration_s=4000),
        checkin(MONDAY + 4 * DAY, pain_later=2),
    ]
    (week,) = weekly(entries)
    assert (week.start, week.distance_km, week.duration_s, week.runs) == (MONDAY, 19.0, 3900, 3)


def test_weekly_with_a_given_range_compares_the_first_week_with_the_one_before():
    entries = [run(MONDAY - WEEK, 20.0), run(MONDAY, 24.0), run(MONDAY + WEEK, 24.0)]
    weeks = weekly(entries, first=MONDAY + 3 * DAY, last=MONDAY + 3 * WEEK)
    assert [w.start for w in weeks] == [MONDAY + n * WEEK for n in range(4)]
    assert weeks[0].change == pytest.approx(0.2)
    assert [w.distance_km for w in weeks] == [24.0, 24.0, 0.0, 0.0]
    assert weekly([], MONDAY, MONDAY + WEEK)[0].distance_km == 0.0
    assert weekly([]) == []


# == 5. pain ===================================================================================


def test_pain_point_flags():
    day = MONDAY
    entries = with_ids(
        [
            run(day, 5.0, pain_start=1, pain_middle=6, pain_end=3, pain_next_morning=1),
            run(
                day + DAY,
                5.0,
                pain_start=2,
                pain_middle=5,
                pain_end=4,
                pain_later=9,
                pain_next_morning=2,
            ),
            run(
                day + 2 * DAY, 5.0, pain_start=3, pain_middle=3, pain_end=3, pain_next_morning=None
            ),
            run(day + 3 * DAY, 5.0, pain_start=None, pain_middle=None, pain_end=4),
            run(day + 4 * DAY, 5.0, pain_start=None, pain_middle=None, pain_end=None),
        ]
    )
    points = pain_points(entries, usual_morning=1.0)
    assert [p.entry_id for p in points] == [1, 2, 3, 4, 5]
    assert [p.during for p in points] == [6, 5, 3, 4, None]
    # Above 4/10 during a run is "stop" (knee-facts 5): 6 and 5 both are.
    assert [p.too_high for p in points] == [True, True, False, False, False]
    assert [p.rising for p in points] == [True, True, False, False, False]
    assert [p.worse_next_morning for p in points] == [False, True, False, False, False]
    assert points[1].later == 9 and points[1].next_morning == 2


def test_pain_points_are_runs_in_time_order():
    entries = [
        run(MONDAY + DAY, 5.0),
        strength(MONDAY, pain_end=4),
        run(MONDAY, 6.0),
        checkin(MONDAY, pain_later=3),
    ]
    points = pain_points(entries)
    assert [p.when for p in points] == [at(MONDAY), at(MONDAY + DAY)]


def test_usual_morning_pain_set_by_the_runner_wins():
    entries = [run(MONDAY, 5.0, pain_start=0, pain_middle=0, pain_end=0, pain_next_morning=4)]
    assert usual_morning_pain(entries, set_by_runner=2) == 2.0
    assert usual_morning_pain(entries, set_by_runner=0) == 0.0


def test_usual_morning_pain_is_the_median_of_pain_free_weeks():
    calm = dict(pain_start=0, pain_middle=0, pain_end=0)
    entries = [
        # A pain-free week: mornings 1 and 2.
        run(MONDAY, 5.0, pain_next_morning=1, **calm),
        run(MONDAY + 3 * DAY, 5.0, pain_next_morning=2, **calm),
        # Another: morning 3, and one run without a morning figure.
        run(MONDAY + WEEK, 5.0, pain_next_morning=3, **calm),
        run(MONDAY + WEEK + DAY, 5.0, pain_next_morning=None, **calm),
        # A week with pain during one run: none of its mornings count.
        run(MONDAY + 2 * WEEK, 5.0, pain_next_morning=9, **calm),
        run(
            MONDAY + 2 * WEEK + 2 * DAY,
            5.0,
            pain_start=0,
            pain_middle=2,
            pain_end=1,
            pain_next_morning=7,
        ),
        # Check-ins are not runs.
        checkin(MONDAY + 3 * WEEK, pain_next_morning=8),
    ]
    assert usual_morning_pain(entries) == statistics.median([1, 2, 3]) == 2.0
    assert usual_morning_pain(entries[:2]) == 1.5


def test_usual_morning_pain_defaults_to_zero():
    assert usual_morning_pain([]) == 0.0
    sore = [run(MONDAY, 5.0, pain_start=2, pain_middle=3, pain_end=4, pain_next_morning=3)]
    assert usual_morning_pain(sore) == 0.0


def test_pain_trend_by_hand():
    day = MONDAY + 30 * DAY
    entries = [
        run(day - 8 * DAY, 5.0, pain_start=6, pain_middle=0, pain_end=0),
        run(day - 6 * DAY, 5.0, pain_start=0, pain_middle=4, pain_end=0),
        run(day - 3 * DAY, 5.0, pain_start=None, pain_middle=None, pain_end=None),
        run(day, 5.0, pain_start=0, pain_middle=0, pain_end=2),
    ]
    points = pain_points(entries)
    # 7 days up to each run: day-8 -> {6}; day-6 -> {6, 4}; day-3 (no pain logged; day-8 is
    # 5 days back, so still in) -> {6, 4}; day -> days day-6..day -> {4, 2}.
    assert pain_trend(points, 7) == pytest.approx([6.0, 5.0, 5.0, 3.0])
    assert pain_trend(points, 28) == pytest.approx([6.0, 5.0, 5.0, 4.0])
    assert pain_trend(points, 1) == [6.0, 4.0, None, 2.0]
    assert pain_trend([], 7) == []


def random_journal(rng: random.Random, n: int) -> list[Entry]:
    start = dt.date(2024, 1, 1)
    entries = []
    for i in range(n):
        day = start + dt.timedelta(days=rng.randrange(0, 400))
        pains = [rng.choice([None, 0, 0, 1, 2, 3, 4, 5, 6, 7, 9]) for _ in range(5)]
        kind = rng.choice([Kind.RUN] * 5 + [Kind.STRENGTH, Kind.CROSS, Kind.CHECKIN])
        entries.append(
            Entry(
                kind=kind,
                id=i + 1,
                started=dt.datetime.combine(day, dt.time(rng.randrange(24), rng.randrange(60))),
                distance_km=round(rng.uniform(1, 30), 1)
                if kind in (Kind.RUN, Kind.CROSS)
                else None,
                duration_s=rng.choice([None, rng.randrange(600, 10_000)]),
                rpe=rng.choice([None, rng.randrange(11)]),
                shoe_id=rng.choice([None, 1, 2]),
                pain_start=pains[0],
                pain_middle=pains[1],
                pain_end=pains[2],
                pain_later=pains[3],
                pain_next_morning=pains[4],
            )
        )
    return entries


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_pain_trend_matches_a_plain_recomputation(seed):
    entries = random_journal(random.Random(seed), 300)
    points = pain_points(entries, usual_morning=1.0)
    runs = sorted((e for e in entries if is_run(e)), key=lambda e: (e.started, e.id))
    assert [p.entry_id for p in points] == [e.id for e in runs]
    assert [p.during for p in points] == [during(e) for e in runs]
    assert [p.worse_next_morning for p in points] == [
        e.pain_next_morning is not None and e.pain_next_morning > 1 for e in runs
    ]
    for days in (7, 28):
        assert pain_trend(points, days) == pytest.approx(plain_trend(points, days))


# == 6. shoes ==================================================================================


def test_shoe_mileage():
    shoes = [
        Shoe("Old trainers", id=1, prior_km=400.0, limit_km=800.0),
        Shoe("Racers", id=2, prior_km=0.0, limit_km=300.0),
        Shoe("Trail pair", id=3, prior_km=100.0, limit_km=800.0),
        Shoe("Short-lived", id=4, prior_km=450.0, limit_km=400.0),
        Shoe("Nearly there", id=5, prior_km=479.5, limit_km=800.0),
    ]
    entries = [
        run(MONDAY, 50.0, shoe_id=1),
        run(MONDAY + DAY, 30.0, shoe_id=1),
        run(MONDAY + 2 * DAY, 150.0, shoe_id=2),
        run(MONDAY + 3 * DAY, 150.0, shoe_id=2),
        run(MONDAY + 4 * DAY, 12.0, shoe_id=None),
        cross(MONDAY, distance_km=40.0, shoe_id=3),  # not a run
        strength(MONDAY, shoe_id=3),
        run(MONDAY + 5 * DAY, 99.0, shoe_id=9),  # a pair not in the list
    ]
    by_name = {m.shoe.name: m for m in shoe_mileage(shoes, entries)}
    assert [m.shoe.name for m in shoe_mileage(shoes, entries)] == [s.name for s in shoes]

    assert by_name["Old trainers"].km == pytest.approx(480.0)  # 400 + 50 + 30
    assert by_name["Old trainers"].status == "wearing"  # exactly the 480 km mark
    assert by_name["Old trainers"].fraction == pytest.approx(480 / 800)

    assert by_name["Racers"].km == pytest.approx(300.0)
    assert by_name["Racers"].status == "replace"  # exactly its own limit
    assert by_name["Racers"].fraction == pytest.approx(1.0)

    assert by_name["Trail pair"].km == pytest.approx(100.0)
    assert by_name["Trail pair"].status == "fine"
    assert by_name["Trail pair"].fraction == pytest.approx(0.125)

    assert by_name["Short-lived"].status == "replace"  # own limit below 480 km
    assert by_name["Nearly there"].status == "fine"
    assert SHOE_WARN_KM == 480.0


# == 7. regions ================================================================================


def test_region_counts_over_a_period_both_sides():
    kneecap_r = PainMark(Side.RIGHT, Region.KNEECAP, Intensity.MILD)
    kneecap_l = PainMark(Side.LEFT, Region.KNEECAP, Intensity.SEVERE)
    it_band_l = PainMark(Side.LEFT, Region.IT_BAND)
    first, last = MONDAY, MONDAY + 13 * DAY
    entries = [
        run(first - DAY, 5.0, marks=(kneecap_r, it_band_l)),  # the day before: out
        run(first, 5.0, hour=0, marks=(kneecap_r,)),  # first day: in
        run(first + 3 * DAY, 5.0, marks=(kneecap_r, kneecap_l)),
        checkin(first + 5 * DAY, marks=(it_band_l,)),  # any kind of entry counts
        strength(last, marks=(kneecap_l,)),  # last day: in
        run(last + DAY, 5.0, hour=0, marks=(kneecap_l, it_band_l)),  # the day after: out
        run(first + 7 * DAY, 5.0, marks=()),
    ]
    assert region_counts(entries, Period(first, last)) == Counter(
        {
            (Side.RIGHT, Region.KNEECAP): 2,
            (Side.LEFT, Region.KNEECAP): 2,
            (Side.LEFT, Region.IT_BAND): 1,
        }
    )
    assert region_counts(entries) == Counter(
        {
            (Side.RIGHT, Region.KNEECAP): 3,
            (Side.LEFT, Region.KNEECAP): 3,
            (Side.LEFT, Region.IT_BAND): 3,
        }
    )
    assert region_counts(entries, Period(None, first)) == Counter(
        {(Side.RIGHT, Region.KNEECAP): 2, (Side.LEFT, Region.IT_BAND): 1}
    )
    assert region_counts(entries, Period(last + DAY, None)) == Counter(
        {(Side.LEFT, Region.KNEECAP): 1, (Side.LEFT, Region.IT_BAND): 1}
    )
    assert region_counts([], Period(first, last)) == Counter()


# == 8. any journal ============================================================================

# Clock changes in Europe: 02:00-03:00 does not exist in March and happens twice in October.
DST_DAYS = [
    dt.date(2026, 3, 29),
    dt.date(2026, 10, 25),
    dt.date(2025, 3, 30),
    dt.date(2025, 10, 26),
]
DST_TIMES = [
    dt.time(h, m, fold=f) for h, m in [(1, 30), (2, 0), (2, 30), (3, 0), (3, 30)] for f in (0, 1)
]
SPOTS = [(side, region) for side in Side for region in Region]

days_strategy = st.one_of(
    st.dates(dt.date(2016, 6, 1), dt.date(2026, 11, 21)),  # up to ten years apart
    st.dates(dt.date(2026, 3, 1), dt.date(2026, 4, 30)),  # a dense block
    st.sampled_from(DST_DAYS + [d + DAY for d in DST_DAYS] + [d - DAY for d in DST_DAYS]),
)
times_strategy = st.one_of(st.times(), st.sampled_from(DST_TIMES))
pain = st.none() | st.integers(0, 10)


@st.composite
def entries_strategy(draw, max_size=25):
    n = draw(st.integers(0, max_size))
    same_day = draw(st.sampled_from(DST_DAYS))
    entries = []
    for i in range(n):
        kind = draw(
            st.sampled_from([Kind.RUN, Kind.RUN, Kind.RUN, Kind.STRENGTH, Kind.CROSS, Kind.CHECKIN])
        )
        day = same_day if draw(st.booleans()) and draw(st.booleans()) else draw(days_strategy)
        distance = None
        if kind is Kind.RUN:
            distance = draw(st.integers(1, 40_000)) / 100
        elif kind is Kind.CROSS:
            distance = draw(st.none() | st.integers(1, 40_000).map(lambda x: x / 100))
        spots = draw(st.lists(st.sampled_from(SPOTS), max_size=3, unique=True))
        entries.append(
            Entry(
                kind=kind,
                id=i + 1,
                started=dt.datetime.combine(day, draw(times_strategy)),
                distance_km=distance,
                duration_s=draw(st.none() | st.integers(1, MAX_DURATION_S)),
                rpe=draw(st.none() | st.integers(0, 10)),
                shoe_id=draw(st.none() | st.integers(1, 3)),
                pain_start=draw(pain),
                pain_middle=draw(pain),
                pain_end=draw(pain),
                pain_later=draw(pain),
                pain_next_morning=draw(pain),
                marks=tuple(PainMark(side, region) for side, region in spots),
            )
        )
    return entries


SHOES = [
    Shoe("A", id=1, prior_km=0.0, limit_km=50.0),
    Shoe("B", id=2, prior_km=20_000.0, limit_km=5000.0),
    Shoe("C", id=3, prior_km=480.0),
    Shoe("Unused", id=4),
]


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


def all_finite(values) -> bool:
    return all(v is None or math.isfinite(v) for v in values)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entries_strategy(), st.integers(0, 3))
def test_any_journal_gives_finite_sensible_numbers(entries, order_seed):
    for e in entries:
        e.validate(today=dt.date(2100, 1, 1))  # the generated journals are storable ones
    random.Random(order_seed).shuffle(entries)  # the functions must not rely on input order

    days = sorted(e.day for e in entries)
    first, last = (days[0], days[-1]) if days else (MONDAY, MONDAY)
    for measure in ("distance", "session"):
        loads = daily_loads(entries, first, last, measure)
        assert len(loads) == (last - first).days + 1
        assert all(math.isfinite(x) and x >= 0 for x in loads)
        if measure == "distance":
            every_load = [e.distance_km if is_run(e) else 0.0 for e in entries]
        else:
            every_load = [
                e.rpe * e.duration_s / 60 if e.rpe is not None and e.duration_s else 0.0
                for e in entries
            ]
        assert math.isclose(math.fsum(loads), math.fsum(every_load), rel_tol=1e-9, abs_tol=1e-9)
        coupled, uncoupled = acwr_rolling_coupled(loads), acwr_rolling_uncoupled(loads)
        for ratio in (acwr_ewma(loads), coupled, uncoupled):
            assert len(ratio) == len(loads)
            assert ratio[:27] == [None] * min(27, len(loads))
            assert all_finite(ratio)
            assert all(r is None or r >= 0 for r in ratio)
        for t in range(27, len(loads)):
            expected = plain_coupled(loads, t)
            assert (coupled[t] is None) == (expected is None), t
            if expected is not None:
                assert close(coupled[t], expected), (t, coupled[t], expected)
                assert coupled[t] <= 4 + 1e-9  # 7 days of load can be at most 4x a 28-day mean
            expected = plain_uncoupled(loads, t)
            assert (uncoupled[t] is None) == (expected is None), t
            if expected is not None:
                assert close(uncoupled[t], expected), (t, uncoupled[t], expected)
        weeks_with_load = {i - i % 7 for i, x in enumerate(loads) if x} | {0}
        for i in sorted(weeks_with_load):
            week = monotony(loads[i : i + 7])
            assert all(math.isfinite(x) and x >= 0 for x in (week.load, week.monotony, week.strain))
            assert week.monotony <= MONOTONY_CAP

    # Weeks: every Monday from the first to the last run, once, with the right totals.
    weeks = weekly(entries)
    runs = sorted((e for e in entries if is_run(e)), key=lambda e: e.started)
    if not runs:
        assert weeks == []
    else:
        monday = runs[0].day - dt.timedelta(days=runs[0].day.weekday())
        mondays = []
        while monday <= runs[-1].day:
            mondays.append(monday)
            monday += WEEK
        assert [w.start for w in weeks] == mondays
        totals = plain_weekly_totals(entries)
        for i, w in enumerate(weeks):
            distance, duration, count = totals.get(w.start, (0.0, 0, 0))
            assert w.distance_km == pytest.approx(distance)
            assert (w.duration_s, w.runs) == (duration, count)
            previous = weeks[i - 1].distance_km if i else 0.0
            if previous > 0:
                assert w.change == pytest.approx(distance / previous - 1)
                assert w.band == plain_band(w.change, WEEKLY_BANDS)
            else:
                assert w.change is None and w.band is None
            assert math.isfinite(w.distance_km) and w.runs >= 0

    # Spikes against the plain version. Runs logged at the same minute may come in either
    # order, so compare by entry, and check the time order separately.
    found = spikes(entries)
    assert [s.day for s in found] == sorted(s.day for s in found)
    found = sorted(found, key=lambda s: s.entry_id)
    expected = sorted(plain_spikes(entries), key=lambda x: x[0])
    assert [(s.entry_id, s.day, s.distance_km, s.longest_before_km) for s in found] == [
        x[:4] for x in expected
    ]
    assert [s.spike for s in found] == pytest.approx([x[4] for x in expected])
    assert all(math.isfinite(s.spike) and s.spike > -1 for s in found)
    assert [s.band for s in found] == [plain_band(x[4], SPIKE_BANDS) for x in expected]

    # Pain.
    usual = usual_morning_pain(entries)
    assert math.isfinite(usual) and 0 <= usual <= 10
    points = pain_points(entries, usual)
    assert len(points) == len(runs)
    assert [p.when for p in points] == sorted(p.when for p in points)
    for days_back in (7, 28):
        trend = pain_trend(points, days_back)
        assert len(trend) == len(points)
        assert all(t is None or 0 <= t <= 10 for t in trend)
        assert trend == pytest.approx(plain_trend(points, days_back))

    # Shoes and regions.
    for m in shoe_mileage(SHOES, entries):
        assert math.isfinite(m.km) and m.km >= m.shoe.prior_km
        assert m.fraction == pytest.approx(m.km / m.shoe.limit_km)
        assert m.status in ("fine", "wearing", "replace")
    counts = region_counts(entries, Period(first, last))
    assert counts == Counter((m.side, m.region) for e in entries for m in e.marks)
    assert sum(region_counts(entries, Period(first + DAY, last)).values()) <= sum(counts.values())


# == 9. ten years of the demo journal ==========================================================


@pytest.fixture(scope="module")
def ten_years():
    return demo_journal(years=10, seed=11)


def test_ten_year_demo_runs_through_every_metric(ten_years):
    entries = ten_years.entries
    first = min(e.day for e in entries)
    last = max(e.day for e in entries)
    assert (last - first).days > 9 * 365

    for measure in ("distance", "session"):
        loads = daily_loads(entries, first, last, measure)
        assert len(loads) == (last - first).days + 1
        for ratio in (acwr_ewma(loads), acwr_rolling_coupled(loads), acwr_rolling_uncoupled(loads)):
            shown = [r for r in ratio if r is not None]
            assert len(shown) > 3000
            assert all(math.isfinite(r) and 0 <= r < 5 for r in shown)
        for i in range(0, len(loads) - 6, 7):
            week = monotony(loads[i : i + 7])
            assert 0 < week.monotony <= MONOTONY_CAP or week.load == 0

    weeks = weekly(entries)
    assert len(weeks) >= 52 * 9
    assert all(0 <= w.distance_km <= 200 for w in weeks)
    assert all(0 <= w.runs <= 7 for w in weeks)
    assert all(w.change is None or -1 <= w.change < 10 for w in weeks)
    assert sum(w.runs for w in weeks) == sum(1 for e in entries if is_run(e))

    found = spikes(entries)
    assert len(found) > 1000
    assert all(-1 < s.spike < 5 for s in found)
    assert {s.band for s in found} <= set(SPIKE_HAZARD)

    usual = usual_morning_pain(entries)
    assert usual == 0.0  # years of mostly pain-free weeks with pain-free mornings
    points = pain_points(entries, usual)
    assert all(p.during is None or 0 <= p.during <= 10 for p in points)
    assert any(p.too_high for p in points) and any(p.rising for p in points)
    for days_back in (7, 28):
        assert all(t is None or 0 <= t <= 10 for t in pain_trend(points, days_back))

    for m in shoe_mileage(ten_years.shoes, entries):
        assert m.shoe.prior_km <= m.km < 2000
        assert m.status in ("fine", "wearing", "replace")
    total_logged = sum(e.distance_km for e in entries if is_run(e) and e.shoe_id is not None)
    assert sum(
        m.km - m.shoe.prior_km for m in shoe_mileage(ten_years.shoes, entries)
    ) == pytest.approx(total_logged)

    counts = region_counts(entries, Period(last - dt.timedelta(days=26 * 7), last))
    assert counts and all(side is Side.RIGHT for side, _ in counts)


def test_runs_without_pain_logged_do_not_make_a_week_pain_free():
    monday = dt.datetime(2026, 10, 5, 7)
    unlogged_week = [
        make_run(
            started=monday, pain_start=None, pain_middle=None, pain_end=None, pain_next_morning=4
        ),
        make_run(
            started=monday + dt.timedelta(days=2),
            pain_start=0,
            pain_middle=0,
            pain_end=0,
            pain_next_morning=4,
        ),
    ]
    clean_week = [
        make_run(
            started=monday + dt.timedelta(days=7),
            pain_start=0,
            pain_middle=0,
            pain_end=0,
            pain_next_morning=1,
        )
    ]
    assert metrics.usual_morning_pain(unlogged_week + clean_week) == 1.0
    assert metrics.usual_morning_pain(unlogged_week) == 0.0


@pytest.mark.parametrize("units", list(Units))
def test_every_about_text_reads_whole_in_either_unit(units):
    other = "mi" if units is Units.KM else "km"
    for key in metrics.ABOUT:
        text = metrics.about(key, units)
        assert "{" not in text and "}" not in text
        assert not re.search(rf"\d {other}\b", text), text
    # The shoe convention, 480-800 km, is 298-497 miles (1 mile = 1.609344 km).
    shoes = metrics.about("shoes", units)
    assert ("480-800 km" if units is Units.KM else "298-497 mi") in shoes
