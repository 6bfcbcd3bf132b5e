"""The physio summary's content (kneelog.report), checked against numbers worked out by hand.

The sample journal below is also used by tests/ui/test_report_render.py and
tests/ui/test_summary_dialog.py, so the numbers here are the ones the PDF must show.
"""

import datetime as dt
from collections import Counter

import pytest

from factories import make_run
from kneelog.content import triage_text
from kneelog.model import (
    Change,
    Entry,
    Kind,
    PainMark,
    Period,
    Region,
    Relative,
    RunType,
    Settings,
    Shoe,
    Side,
    TimeCourse,
    Trigger,
    WarningSign,
)
from kneelog.report import GAP_DAYS, Gap, both_sides, build_summary, last_weeks, ranked, top_regions

TODAY = dt.date(2026, 11, 21)  # a Saturday
PERIOD = Period(dt.date(2026, 10, 12), TODAY)  # the last 6 weeks: Monday 12 Oct to today
SETTINGS = Settings(runner_name="Maren Okafor")
OLD, RACERS, SPARE = 1, 2, 3  # shoe ids

KNEECAP = PainMark(Side.RIGHT, Region.KNEECAP)
TENDON = PainMark(Side.RIGHT, Region.PATELLAR_TENDON)
IT_BAND = PainMark(Side.LEFT, Region.IT_BAND)


def at(month: int, day: int, hour: int = 18) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, 0)


def run(month, day, km, pains=(None, None, None), morning=None, **more) -> Entry:
    start, middle, end = pains
    values = {
        "started": at(month, day),
        "distance_km": km,
        "duration_s": round(km * 330),
        "pain_start": start,
        "pain_middle": middle,
        "pain_end": end,
        "pain_next_morning": morning,
        "marks": (),
    }
    return make_run(**{**values, **more})


def sample_shoes() -> list[Shoe]:
    return [
        Shoe("Old trainers", id=OLD, prior_km=300),
        Shoe("Blue racers", id=RACERS),
        Shoe("Spare pair", id=SPARE),
    ]


def sample_journal() -> list[Entry]:
    """Two runs before the period, then 10 entries in it with a 10-day gap in the middle.

    Hand-worked figures for PERIOD (12 Oct - 21 Nov, middle day 1 Nov):
    runs 8, distance 9 + 13.5 + 6 + 15 + 10 + 8 + 12 + 16.6 = 90.1 km, longest 16.6 km on 15 Nov.
    """
    return [
        # Before the period: only there for the spikes (and the old shoes' first use).
        run(9, 20, 10.0, (1, 1, 1), 1, shoe_id=OLD),
        run(10, 5, 12.0, (1, 2, 2), 1),  # +20% on 10 km, but before the period
        # Week of 12 Oct
        run(10, 13, 9.0, (1, 2, 3), 2, marks=(KNEECAP,)),  # 9 / 12 - 1 = -25%
        run(
            10,
            15,
            13.5,
            (2, 4, 5),
            4,
            marks=(KNEECAP, TENDON),  # 13.5 / 12 - 1 = +12.5%
            triggers=frozenset({Trigger.STAIRS_DOWN}),
            time_course=TimeCourse.BUILDS,
        ),
        run(
            10,
            18,
            6.0,
            (0, 1, 1),
            None,
            warnings=frozenset({WarningSign.SWELLING}),
            sleep=Relative.LESS,
            shoe_id=RACERS,
        ),
        # Week of 19 Oct
        Entry(Kind.STRENGTH, at(10, 21), duration_s=1800, pain_later=2, stress=Relative.MORE),
        run(
            10,
            24,
            15.0,
            (2, 3, 4),
            3,
            marks=(IT_BAND,),  # 15 / 13.5 - 1 = +11.1%
            changes=frozenset({Change.VOLUME}),
        ),
        # Week of 26 Oct
        Entry(
            Kind.CHECKIN,
            at(10, 27, 8),
            pain_later=7,
            warnings=frozenset({WarningSign.NIGHT_PAIN, WarningSign.GIVING_WAY}),
            notes="Woke up twice",
        ),
        run(10, 30, 10.0, (1, 1, 2), 1, shoe_id=OLD),
        # 31 Oct - 9 Nov: nothing (10 days)
        # Week of 9 Nov
        run(
            11,
            10,
            8.0,
            (2, 2, 2),
            2,
            marks=(KNEECAP,),
            changes=frozenset({Change.VOLUME, Change.SHOES}),
            sleep=Relative.LESS,
            stress=Relative.MORE,
            shoe_id=RACERS,
        ),
        run(
            11,
            12,
            12.0,
            (3, 4, 6),
            5,
            marks=(KNEECAP, IT_BAND),
            triggers=frozenset({Trigger.STAIRS_DOWN, Trigger.SITTING}),
            time_course=TimeCourse.BUILDS,
            warnings=frozenset({WarningSign.SWELLING}),
        ),
        run(11, 15, 16.6, (2, 3, 3), 1, run_type=RunType.LONG),  # 16.6 / 15 - 1 = +10.7%
    ]


def sample_summary(questions: str = ""):
    return build_summary(sample_journal(), sample_shoes(), SETTINGS, PERIOD, TODAY, questions)


def days(summary) -> list[dt.date]:
    return [e.day for e in summary.entries]


# -- the period --------------------------------------------------------------------------


def test_last_weeks_starts_on_the_monday_before_the_whole_weeks():
    assert last_weeks(6, TODAY) == Period(dt.date(2026, 10, 12), TODAY)
    assert dt.date(2026, 10, 12).weekday() == 0
    assert last_weeks(1, TODAY) == Period(dt.date(2026, 11, 16), TODAY)
    monday = dt.date(2026, 11, 16)
    assert last_weeks(1, monday) == Period(monday, monday)
    assert last_weeks(2, dt.date(2026, 11, 22)) == Period(
        dt.date(2026, 11, 9), dt.date(2026, 11, 22)
    )


def test_only_entries_inside_the_period_oldest_first():
    shuffled = sample_journal()[::-1]
    s = build_summary(shuffled, sample_shoes(), SETTINGS, PERIOD, TODAY, "  Should I rest?\n ")
    assert len(s.entries) == 10
    assert days(s)[0] == dt.date(2026, 10, 13) and days(s)[-1] == dt.date(2026, 11, 15)
    assert days(s) == sorted(days(s))
    assert len(s.runs) == 8
    assert s.questions == "Should I rest?"
    assert (s.first, s.last, s.printed_on) == (PERIOD.first, PERIOD.last, TODAY)
    assert s.weeks_span == pytest.approx(41 / 7)


# -- running ------------------------------------------------------------------------------


def test_runs_and_distance_per_week():
    s = sample_summary()
    assert s.distance_km == pytest.approx(90.1)
    got = [(w.start, w.runs, round(w.distance_km, 6)) for w in s.weeks]
    assert got == [
        (dt.date(2026, 10, 12), 3, 28.5),  # 9 + 13.5 + 6
        (dt.date(2026, 10, 19), 1, 15.0),
        (dt.date(2026, 10, 26), 1, 10.0),
        (dt.date(2026, 11, 2), 0, 0.0),
        (dt.date(2026, 11, 9), 3, 36.6),  # 8 + 12 + 16.6
        (dt.date(2026, 11, 16), 0, 0.0),  # this week so far
    ]
    assert sum(w.runs for w in s.weeks) == len(s.runs)


def test_weekly_pain_means():
    s = sample_summary()
    during = [w.pain_during for w in s.weeks]
    morning = [w.pain_morning for w in s.weeks]
    assert during == pytest.approx([(3 + 5 + 1) / 3, 4, 2, None, (2 + 6 + 3) / 3, None])
    # the 18 Oct run has no next-morning figure: it is left out, not counted as 0
    assert morning == pytest.approx([(2 + 4) / 2, 3, 1, None, (2 + 5 + 1) / 3, None])


def test_longest_run():
    s = sample_summary()
    assert s.longest.distance_km == 16.6
    assert s.longest.day == dt.date(2026, 11, 15)


def test_spikes_over_ten_percent_inside_the_period_use_runs_before_it():
    s = sample_summary()
    got = [(sp.day, sp.distance_km, sp.longest_before_km) for sp in s.spikes]
    assert got == [
        (dt.date(2026, 10, 15), 13.5, 12.0),  # against the 5 Oct run, before the period
        (dt.date(2026, 10, 24), 15.0, 13.5),
        (dt.date(2026, 11, 15), 16.6, 15.0),
    ]
    assert [sp.spike for sp in s.spikes] == pytest.approx(
        [13.5 / 12 - 1, 15 / 13.5 - 1, 16.6 / 15 - 1]
    )
    # Without the runs before the period, 15 Oct would be compared with 13 Oct's 9 km only.
    inside_only = build_summary(
        [e for e in sample_journal() if e.day in PERIOD], [], SETTINGS, PERIOD, TODAY
    )
    first = inside_only.spikes[0]
    assert (first.day, first.longest_before_km) == (dt.date(2026, 10, 15), 9.0)


def test_a_run_exactly_ten_percent_longer_is_not_a_spike():
    journal = [run(10, 1, 10.0), run(10, 14, 11.0), run(10, 20, 12.11)]  # +10% and +10.09%
    s = build_summary(journal, [], SETTINGS, PERIOD, TODAY)
    assert [sp.day for sp in s.spikes] == [dt.date(2026, 10, 20)]


def test_pain_first_two_weeks_against_last_two_weeks():
    s = sample_summary()
    # first two weeks: 12-25 Oct, runs of 13, 15, 18 and 24 Oct
    # last two weeks: 8-21 Nov, runs of 10, 12 and 15 Nov
    assert s.pain_during == pytest.approx(((3 + 5 + 1 + 4) / 4, (2 + 6 + 3) / 3))
    assert s.pain_morning == pytest.approx(((2 + 4 + 3) / 3, (2 + 5 + 1) / 3))


def test_pain_during_is_the_highest_of_start_middle_and_end():
    journal = [run(10, 14, 5.0, (6, 2, 1)), run(10, 16, 5.0, (None, 4, None)), run(10, 17, 5.0)]
    s = build_summary(journal, [], SETTINGS, PERIOD, TODAY)
    assert s.pain_during == (
        pytest.approx(5.0),
        None,
    )  # (6 + 4) / 2; the run without pain is left out
    assert s.pain_morning == (None, None)


def test_worst_pain_counts_later_and_next_morning_too():
    s = sample_summary()
    value, entry = s.worst
    assert value == 7
    assert entry.kind is Kind.CHECKIN and entry.day == dt.date(2026, 10, 27)
    morning_worst = [run(10, 14, 5.0, (1, 2, 2), 8), run(10, 20, 5.0, (3, 3, 3), 8)]
    value, entry = build_summary(morning_worst, [], SETTINGS, PERIOD, TODAY).worst
    assert value == 8 and entry.day == dt.date(2026, 10, 20), "a tie goes to the latest"


# -- where it hurts -----------------------------------------------------------------------


def test_marks_both_sides_and_both_halves():
    s = sample_summary()
    kneecap, tendon, it_band = (
        (Side.RIGHT, Region.KNEECAP),
        (Side.RIGHT, Region.PATELLAR_TENDON),
        (Side.LEFT, Region.IT_BAND),
    )
    assert s.marks == Counter({kneecap: 4, it_band: 2, tendon: 1})
    # 41 days: the first half runs to 1 Nov, the second half from 2 Nov
    assert s.marks_start == Counter({kneecap: 2, tendon: 1, it_band: 1})
    assert s.marks_end == Counter({kneecap: 2, it_band: 1})
    assert both_sides(s.marks) == {Side.LEFT: 2, Side.RIGHT: 5}
    assert top_regions(s.marks, 2) == [
        (Side.RIGHT, Region.KNEECAP, 4),
        (Side.LEFT, Region.IT_BAND, 2),
    ]


# -- warnings, triggers, changes ----------------------------------------------------------


def test_warning_signs_with_their_dates():
    s = sample_summary()
    assert s.warnings == [
        (dt.date(2026, 10, 18), WarningSign.SWELLING),
        (dt.date(2026, 10, 27), WarningSign.GIVING_WAY),
        (dt.date(2026, 10, 27), WarningSign.NIGHT_PAIN),
        (dt.date(2026, 11, 12), WarningSign.SWELLING),
    ]


def test_triggers_time_course_and_changes_are_counted():
    s = sample_summary()
    assert s.triggers == Counter({Trigger.STAIRS_DOWN: 2, Trigger.SITTING: 1})
    assert s.time_course == Counter({TimeCourse.BUILDS: 2})
    assert s.changes == Counter({Change.VOLUME: 2, Change.SHOES: 1})


def test_sleep_stress_strength_and_run_types():
    s = sample_summary()
    assert (s.sleep_less, s.stress_more, s.strength_sessions) == (2, 2, 1)
    assert (s.speed_runs, s.hill_runs) == (0, 0)
    assert s.surfaces == Counter({"road": 8})


def test_new_shoes_are_those_first_used_inside_the_period():
    s = sample_summary()
    assert [sh.name for sh in s.new_shoes] == ["Blue racers"]  # old trainers: first used in Sept
    # shoe mileage counts every run, before the period too
    mileage = {m.shoe.name: m.km for m in s.shoes}
    assert mileage == pytest.approx(
        {"Old trainers": 300 + 10 + 10, "Blue racers": 6 + 8, "Spare pair": 0}
    )


def test_retired_shoes_are_left_out_of_the_mileage():
    shoes = [*sample_shoes()[:2], Shoe("Spare pair", id=SPARE, retired=True)]
    s = build_summary(sample_journal(), shoes, SETTINGS, PERIOD, TODAY)
    assert [m.shoe.name for m in s.shoes] == ["Old trainers", "Blue racers"]


# -- gaps ---------------------------------------------------------------------------------


def test_a_ten_day_gap_in_the_middle_becomes_a_row():
    s = sample_summary()
    gaps = [row for row in s.rows if isinstance(row, Gap)]
    assert gaps == [Gap(dt.date(2026, 10, 31), dt.date(2026, 11, 9))]
    assert gaps[0].days == 10
    assert [r for r in s.rows if not isinstance(r, Gap)] == s.entries
    i = s.rows.index(gaps[0])
    assert s.rows[i - 1].day == dt.date(2026, 10, 30) and s.rows[i + 1].day == dt.date(2026, 11, 10)


def test_gaps_at_the_start_middle_and_end_of_a_period():
    period = Period(dt.date(2026, 3, 2), dt.date(2026, 4, 5))  # five whole weeks
    journal = [
        run(2, 26, 5.0),  # before the period: does not shorten the gap at its start
        run(3, 10, 5.0),  # 2-9 March empty: 8 days
        run(3, 12, 5.0),
        run(3, 19, 5.0),  # 13-18 March empty: 6 days, not a gap
        run(3, 27, 5.0),  # 20-26 March empty: 7 days, a gap
        Entry(
            Kind.CHECKIN, dt.datetime(2026, 3, 29, 9), pain_later=1
        ),  # 30 March - 5 April: 7 days
        run(4, 7, 5.0),  # after the period
    ]
    s = build_summary(journal, [], SETTINGS, period, dt.date(2026, 4, 8))
    gaps = [(row.first, row.last, row.days) for row in s.rows if isinstance(row, Gap)]
    assert gaps == [
        (dt.date(2026, 3, 2), dt.date(2026, 3, 9), 8),
        (dt.date(2026, 3, 20), dt.date(2026, 3, 26), GAP_DAYS),
        (dt.date(2026, 3, 30), dt.date(2026, 4, 5), GAP_DAYS),
    ]
    assert [type(r).__name__ for r in s.rows] == [
        "Gap",
        "Entry",
        "Entry",
        "Entry",
        "Gap",
        "Entry",
        "Entry",
        "Gap",
    ]


def test_six_quiet_days_and_same_day_entries_make_no_gap():
    period = Period(dt.date(2026, 3, 2), dt.date(2026, 3, 15))
    journal = [run(3, 8, 5.0), Entry(Kind.STRENGTH, dt.datetime(2026, 3, 8, 20)), run(3, 9, 5.0)]
    s = build_summary(journal, [], SETTINGS, period, dt.date(2026, 3, 15))
    assert not [row for row in s.rows if isinstance(row, Gap)]  # 6 days before, 6 days after
    assert len(s.rows) == 3


# -- nothing logged -----------------------------------------------------------------------


def test_an_empty_period_gives_an_empty_summary():
    period = Period(dt.date(2027, 1, 4), dt.date(2027, 2, 14))
    s = build_summary(sample_journal(), sample_shoes(), SETTINGS, period, dt.date(2027, 2, 14))
    assert s.empty
    assert s.entries == s.runs == s.weeks == s.spikes == s.warnings == s.rows == []
    assert s.longest is None and s.worst is None
    assert s.pain_during == s.pain_morning == (None, None)
    assert not s.marks and not s.triggers and not s.changes and not s.new_shoes
    assert (s.sleep_less, s.stress_more, s.distance_km) == (0, 0, 0)
    assert len(s.shoes) == 3, "the shoes' distance is still known"
    assert build_summary([], [], Settings(), period, dt.date(2027, 2, 14)).empty


def test_ties_are_listed_in_the_model_order_whatever_order_they_were_counted_in():
    from collections import Counter

    from kneelog.model import Trigger

    backwards = Counter(
        {Trigger.KNEELING: 2, Trigger.SITTING: 5, Trigger.STAIRS_DOWN: 2, Trigger.RUNNING: 2}
    )
    assert ranked(backwards) == [
        (Trigger.SITTING, 5),
        (Trigger.RUNNING, 2),
        (Trigger.STAIRS_DOWN, 2),
        (Trigger.KNEELING, 2),
    ]
    marks = Counter(
        {
            (Side.RIGHT, Region.IT_BAND): 3,
            (Side.LEFT, Region.IT_BAND): 3,
            (Side.RIGHT, Region.KNEECAP): 3,
        }
    )
    assert top_regions(marks, 2) == [
        (Side.LEFT, Region.IT_BAND, 3),
        (Side.RIGHT, Region.KNEECAP, 3),
    ]


# -- reading only the weeks it needs ------------------------------------------------------


def test_the_weeks_it_needs_and_the_shoes_totals_give_the_same_summary_as_the_whole_journal(
    tmp_path,
):
    """`kneelog summary` reads needed(period) and Store.shoe_use(), not every entry."""
    from kneelog import metrics
    from kneelog.demo import demo_journal
    from kneelog.report import needed
    from kneelog.store import Store

    end = dt.date(2026, 11, 21)
    with Store.open(tmp_path / "journal.db") as store:
        store.add_journal(demo_journal(end=end, years=3, seed=5))
        entries, shoes, settings = store.entries(), store.shoes(), store.settings()
        use = store.shoe_use()
        assert use == metrics.shoe_use(entries)
        periods = [last_weeks(weeks, end) for weeks in (1, 6, 52)]
        # and the weeks around each new pair's first run, so that "new shoes" is tested too
        periods += [
            Period(u.first_day - dt.timedelta(days=20), u.first_day + dt.timedelta(days=20))
            for u in use.values()
        ]
        for period in periods:
            whole = build_summary(entries, shoes, settings, period, end, "Can I race?")
            part = build_summary(
                store.entries(needed(period)),
                shoes,
                settings,
                period,
                end,
                "Can I race?",
                shoe_use=use,
            )
            assert part == whole, period
    summaries = [build_summary(entries, shoes, settings, p, end) for p in periods]
    assert all(s.runs and s.shoes for s in summaries)
    assert any(s.spikes for s in summaries) and any(s.new_shoes for s in summaries)


# -- what the triage adds, for the period only ------------------------------------------------


def triage_on(entries, day, plan=None, answers=None):
    from kneelog.triage import Answers, assess

    return assess(entries, sample_shoes(), answers or Answers(), day, plan)


def sore_since_september() -> list[Entry]:
    """Steady runs from June; more distance from 24 Aug; sore from 7 Sep onwards."""
    entries = []
    day = dt.date(2026, 6, 1)
    while day <= TODAY:
        sore = day >= dt.date(2026, 9, 7)
        km = 6.0 if day < dt.date(2026, 8, 24) else 9.0
        entries.append(run(day.month, day.day, km, (1, 2, 3) if sore else (0, 0, 0)))
        day += dt.timedelta(days=2)
    return entries


def test_an_empty_period_prints_no_plan_and_no_patterns():
    from kneelog.triage import Plan

    entries = sore_since_september()
    plan = Plan("calm", dt.date(2026, 11, 10), 14, id=1)
    quiet = Period(dt.date(2027, 1, 1), dt.date(2027, 1, 31))
    summary = build_summary(
        entries, sample_shoes(), SETTINGS, quiet, TODAY, triage=triage_on(entries, TODAY, plan)
    )
    assert summary.empty and summary.triage.empty
    assert summary.triage.plan is None and summary.triage.evidence == ()


def test_evidence_from_long_before_the_period_is_not_cited():
    """Six weeks from 12 Oct: the pain began on 7 Sep, five weeks before; what led up to it
    (August) is outside the summary, which says so instead of citing it."""
    entries = sore_since_september()
    t = triage_on(entries, TODAY)
    assert t.onset == dt.date(2026, 9, 7) and any(e.found for e in t.evidence)
    note = build_summary(entries, sample_shoes(), SETTINGS, PERIOD, TODAY, triage=t).triage
    assert note.onset == dt.date(2026, 9, 7)
    assert note.evidence_before and note.evidence == ()
    # A period that starts within 4 weeks after the onset cites it.
    near = Period(dt.date(2026, 9, 21), dt.date(2026, 10, 31))
    note = build_summary(
        entries, sample_shoes(), SETTINGS, near, TODAY, triage=triage_on(entries, near.last)
    ).triage
    assert not note.evidence_before and note.evidence


def test_a_blocked_plan_s_review_in_the_summary_only_says_get_assessed():
    from kneelog.model import WarningSign
    from kneelog.triage import Plan

    entries = sore_since_september()
    entries.append(run(11, 19, 5.0, (1, 2, 2), warnings=frozenset({WarningSign.GIVING_WAY})))
    plan = Plan("calm", dt.date(2026, 11, 8), 14, id=1)
    note = build_summary(
        entries, sample_shoes(), SETTINGS, PERIOD, TODAY, triage=triage_on(entries, TODAY, plan)
    ).triage
    assert note.plan == plan
    assert note.verdict == triage_text()["review"]["blocked"]
