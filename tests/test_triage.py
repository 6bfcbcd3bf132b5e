"""The triage panel's reasoning (kneelog/triage.py) on synthetic journals with hand-worked answers.

Every expected number and date below is worked out by hand from the journal the test builds;
the calendar of autumn 2026 (Mondays: 31 Aug, 7/14/21/28 Sep, 5/12/19/26 Oct, 2/9/16 Nov) is
what the weekly figures hang on.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factories import make_run
from kneelog import triage
from kneelog.content import triage_text
from kneelog.demo import demo_journal
from kneelog.model import (
    Change,
    Entry,
    Intensity,
    Kind,
    PainMark,
    Region,
    Relative,
    RunType,
    Shoe,
    ShoeUse,
    Side,
    Surface,
    TimeCourse,
    Trigger,
    WarningSign,
)
from kneelog.triage import Answers, Plan

TODAY = dt.date(2026, 11, 20)  # a Friday
DAY = dt.timedelta(days=1)
STEPS = ("ease", "one_change", "strength", "recovery")


def d(month: int, day: int) -> dt.date:
    return dt.date(2026, month, day)


def at(day: dt.date, hour: int = 18) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour))


def run(day: dt.date, km: float = 6.0, pain=(0, 0, 0), **overrides) -> Entry:
    """A run with its pain at start, middle and end (None: not logged), and no marks."""
    start, middle, end = pain if pain is not None else (None, None, None)
    values = {
        "started": at(day),
        "distance_km": km,
        "duration_s": round(km * 360),
        "pain_start": start,
        "pain_middle": middle,
        "pain_end": end,
        "marks": (),
    }
    values.update(overrides)
    return make_run(**values)


def runs_on(first: dt.date, last: dt.date, weekdays, km: float = 6.0, **overrides) -> list[Entry]:
    """A run on each of the weekdays (0 = Monday) from first to last."""
    days = [first + i * DAY for i in range((last - first).days + 1)]
    return [run(day, km, **overrides) for day in days if day.weekday() in weekdays]


def checkin(day: dt.date, **fields) -> Entry:
    return Entry(kind=Kind.CHECKIN, started=at(day, 8), **fields)


def strength(day: dt.date, **fields) -> Entry:
    return Entry(kind=Kind.STRENGTH, started=at(day, 7), duration_s=1800, rpe=5, **fields)


def assess(entries, shoes=(), answers=None, today=TODAY, **kwargs) -> triage.Triage:
    return triage.assess(entries, shoes, answers or Answers(), today, **kwargs)


def evidence(result: triage.Triage, pattern: str) -> triage.Evidence:
    (found,) = [e for e in result.evidence if e.pattern == pattern]
    return found


# == the six load patterns ======================================================================
# Windows (triage module docstring): the lead-up is the 28 days up to the onset; the base the
# up to 84 days before it, from the journal's first entry.


def steady_then_sore() -> list[Entry]:
    """18 km a week (Mon, Wed, Sat 6 km) from 13 Jul; sore from Saturday 31 Oct on."""
    return runs_on(d(7, 13), d(10, 30), {0, 2, 5}) + runs_on(
        d(10, 31), TODAY, {0, 2, 5}, pain=(1, 2, 3)
    )


def test_no_sore_spell_means_no_pattern_at_all():
    result = assess(runs_on(d(8, 31), TODAY, {0, 2, 5}, pain=(1, 2, 2)))
    assert result.onset is None
    assert [e.pattern for e in result.evidence] == list(triage.PATTERNS)
    assert not any(e.found for e in result.evidence)


def test_a_journal_begun_with_the_pain_has_no_base_to_compare_with():
    result = assess([run(d(11, 10), pain=(3, 4, 4)), run(d(11, 12), pain=(3, 4, 4))])
    assert result.onset == d(11, 10)
    for pattern in ("volume", "speed", "downhill", "combined"):
        assert not evidence(result, pattern).enough_data, pattern
    assert not any(e.found for e in result.evidence)


def test_a_steady_journal_shows_no_sign_of_any_pattern():
    result = assess(steady_then_sore())
    assert result.onset == d(10, 31)
    assert evidence(result, "volume").enough_data and evidence(result, "combined").enough_data
    assert not any(e.found for e in result.evidence)
    assert all(e.lines == () for e in result.evidence)


# -- 1. volume -----------------------------------------------------------------------------------


def test_volume_a_step_up_in_distance_before_the_pain():
    entries = (
        runs_on(d(7, 13), d(10, 3), {0, 2, 5})  # 6 km x 3: 18 km a week
        + runs_on(d(10, 4), d(10, 30), {0, 2, 5}, km=8.0)  # 8 km x 3: 24 km a week
        + runs_on(d(10, 31), TODAY, {0, 2, 5}, km=8.0, pain=(1, 2, 3))
    )
    result = assess(entries)
    assert result.onset == d(10, 31)
    # Lead-up 4-31 Oct: 12 runs x 8 km = 96 km in 4 weeks = 24 km. Base 13 Jul-3 Oct (83 days):
    # 36 runs x 6 km = 216 km / (83 / 7) = 18.2 km a week; 24 / 18.22 - 1 = +32%, with the
    # week of 5 Oct up by more than 10%. 5 Oct: 8 km after a longest of 6 km (+33%); week of
    # 5 Oct: 18 -> 24 km (+33%), where no week of the base rose at all.
    assert evidence(result, "volume").lines == (
        "The 4 weeks before the pain: 24.0 km a week, against 18.2 km in your pain-free weeks "
        "before (+32%).",
        "5 Oct: 8.0 km, 33% longer than your longest in the 30 days before.",
        "Week of 5 Oct: 18.0 km \u2192 24.0 km (+33%), more than any week before the pain.",
    )


def test_volume_growing_distance_week_after_week():
    """12, 16, 21, 27 km in the 4 weeks before the pain after 12 km weeks: +30% a week."""
    entries = runs_on(d(7, 13), d(10, 3), {0, 2, 5}, km=4.0)
    for week, km in enumerate((16 / 3, 21 / 3, 27 / 3, 27 / 3)):
        entries += runs_on(
            d(10, 4) + 7 * week * DAY, d(10, 10) + 7 * week * DAY, {0, 2, 5}, km=round(km, 1)
        )
    entries += runs_on(d(11, 1), TODAY, {0, 2, 5}, km=9.0, pain=(1, 2, 3))
    result = assess(entries)
    assert result.onset == d(11, 2)
    assert evidence(result, "volume").lines[0].startswith("The 4 weeks before the pain: ")


def test_volume_building_by_the_ten_percent_rule_is_no_jump():
    """A base of 20 km, then +10% a week for 8 weeks before the pain (knee-facts 9)."""
    entries = runs_on(d(6, 1), d(8, 30), {0, 2, 5}, km=20 / 3)
    for week in range(8):
        km = round(20 / 3 * 1.1 ** (week + 1), 2)
        entries += runs_on(d(8, 31) + 7 * week * DAY, d(9, 6) + 7 * week * DAY, {0, 2, 5}, km=km)
    entries += runs_on(d(10, 26), TODAY, {0, 2, 5}, km=round(20 / 3 * 1.1**8, 2), pain=(1, 2, 3))
    result = assess(entries)
    assert result.onset == d(10, 26)
    assert not evidence(result, "volume").found


def test_volume_weeks_that_always_alternate_are_not_a_jump():
    """7 km every other day: weeks of 3 and 4 runs in turn, +33% every other week, in the
    base as much as before the pain. Nothing went up."""
    entries = [run(d(7, 13) + 2 * i * DAY, 7.0) for i in range(55)]
    entries += [run(d(10, 31) + 2 * i * DAY, 7.0, pain=(1, 3, 3)) for i in range(11)]
    result = assess(entries)
    assert result.onset == d(10, 31)
    assert evidence(result, "volume").enough_data
    assert not evidence(result, "volume").found


def test_volume_more_runs_a_week_at_the_same_distance():
    entries = (
        runs_on(d(7, 13), d(10, 3), {1, 5}, km=9.0)  # Tue + Sat 9 km: 2 runs, 18 km
        + runs_on(d(10, 4), d(10, 29), {0, 2, 4})  # Mon, Wed, Fri 6 km: 3 runs, 18 km
        + runs_on(d(10, 30), TODAY, {0, 2, 4}, pain=(2, 3, 3))
    )
    result = assess(entries)
    assert result.onset == d(10, 30)
    # Base from the first run, Tue 14 Jul, to Fri 2 Oct: 12 Tuesdays and 11 Saturdays, 23 runs
    # in 81 days = 2.0 a week; lead-up 3-30 Oct: Sat 3 Oct, 11 Mon/Wed/Fri and the sore Fri
    # 30 Oct = 13 runs = 3.25 a week. The distance rose only 13% (81 km against 17.9 a week).
    assert evidence(result, "volume").lines == (
        "Runs a week went from 2 in your pain-free weeks to 3.2 in the 4 weeks before the pain.",
    )


def test_volume_a_single_run_spike_beyond_any_of_the_base():
    entries = (
        runs_on(d(7, 13), d(10, 18), {0, 2})
        + runs_on(d(7, 13), d(10, 18), {6}, km=10.0)
        + [run(d(10, 19)), run(d(10, 21), km=3.0), run(d(10, 25), km=13.0), run(d(10, 26))]
        + runs_on(d(10, 28), TODAY, {2}, pain=(2, 3, 3))
        + runs_on(d(10, 28), TODAY, {0, 6}, km=10.0, pain=(1, 2, 3))
    )
    result = assess(entries)
    assert result.onset == d(10, 28)
    # 13 km against the 10 km long runs of the 30 days before: +30%, the "10-30%" band. The
    # first 10 km run (19 Jul, +67% on 6 km) had no 30 days of journal before it: no spike.
    assert evidence(result, "volume").lines == (
        "25 Oct: 13.0 km, 30% longer than your longest in the 30 days before.",
    )


def test_volume_11_km_after_a_longest_of_10_is_in_the_lowest_band():
    """The charts put 11 km after 10 km in "up to 10%" (metrics.band): so does the triage."""
    entries = (
        runs_on(d(7, 13), d(10, 18), {0, 2})
        + runs_on(d(7, 13), d(10, 18), {6}, km=10.0)
        + [run(d(10, 25), km=11.0)]
        + runs_on(d(10, 28), TODAY, {0, 2}, pain=(2, 3, 3))
    )
    assert not evidence(assess(entries), "volume").found


def test_volume_a_comeback_straight_at_the_old_distance():
    entries = (
        runs_on(d(6, 1), d(9, 5), {0, 2, 5})  # 18 km a week for 14 weeks
        + runs_on(d(10, 19), d(11, 1), {0, 2, 5})  # back after 43 days, 18 km a week
        + runs_on(d(11, 2), TODAY, {0, 2, 5}, pain=(2, 3, 3))
    )
    result = assess(entries)
    assert result.onset == d(11, 2)
    lines = evidence(result, "volume").lines
    assert lines[0] == (
        "Back on 19 Oct after 43 days without a run, straight at 18.0 km a week "
        "(before the break: 18.0 km)."
    )
    assert evidence(result, "volume").found


def test_volume_a_gentle_comeback_is_no_jump():
    entries = (
        runs_on(d(6, 1), d(9, 5), {0, 2, 5})
        + runs_on(d(10, 19), d(11, 1), {2}, km=4.0)  # 4 km a week
        + runs_on(d(11, 2), TODAY, {2}, km=4.0, pain=(2, 3, 3))
    )
    assert not evidence(assess(entries), "volume").found


def test_volume_changes_noted_are_listed_only_beside_evidence():
    noted = [
        run(d(10, 20), km=0.5, changes=frozenset({Change.VOLUME})),
        checkin(d(10, 22), changes=frozenset({Change.COMEBACK, Change.SPEED})),
    ]
    assert not evidence(assess(steady_then_sore() + noted), "volume").found
    jump = (
        runs_on(d(7, 13), d(10, 3), {0, 2, 5})
        + runs_on(d(10, 4), d(10, 30), {0, 2, 5}, km=8.0)
        + runs_on(d(10, 31), TODAY, {0, 2, 5}, km=8.0, pain=(1, 2, 3))
    )
    lines = evidence(assess(jump + noted), "volume").lines
    assert lines[-1] == "You noted more distance or more runs on 20 Oct, 22 Oct."


# -- 2. speed ------------------------------------------------------------------------------------


def speed_journal(fast_pain: tuple[int, int]) -> list[Entry]:
    """Weeks since the pain with a faster run and easy ones (Mondays 2, 9, 16 Nov)."""
    return [
        run(d(10, 1), run_type=RunType.TEMPO),  # before the spell: not counted
        run(d(11, 2), pain=(1, 3, fast_pain[0]), run_type=RunType.TEMPO),
        run(d(11, 4), pain=(1, 2, 2)),
        run(d(11, 6), pain=(0, 1, 1), run_type=RunType.LONG),
        run(d(11, 9), pain=(2, fast_pain[1], fast_pain[1]), run_type=RunType.INTERVALS),
        run(d(11, 11), pain=(1, 1, 2)),
        run(d(11, 13), pain=(1, 1, 1), run_type=RunType.LONG),
        run(d(11, 16), pain=(3, 6, 6), run_type=RunType.HILLS),  # neither faster nor easy
    ]


def test_speed_pain_after_faster_runs_against_easy_ones_of_the_same_weeks():
    result = assess(speed_journal((5, 4)))
    assert result.onset == d(11, 2)
    # Faster: 5 and 4 -> 4.5; easy and long in their weeks: 2, 1, 2, 1 -> 1.5.
    assert evidence(result, "speed").lines == (
        (
            "Since the pain began, faster runs left 4.5/10 on average (2 runs: 2 Nov, 9 Nov), "
            "easy runs of the same weeks 1.5/10 (4 runs)."
        ),
    )


def test_speed_needs_a_clear_difference():
    # Faster: 3 and 3 -> 3.0 against 1.5: 1.5 points is "clearly" (rules.CLEARLY_WORSE).
    assert evidence(assess(speed_journal((3, 3))), "speed").found
    # 3 and 2 -> 2.5 against 1.5: one point is not.
    assert not evidence(assess(speed_journal((3, 2))), "speed").found


def test_speed_work_dropped_when_the_pain_began_is_not_evidence():
    """Tempo runs hurt at the start of the spell, then only easy runs while it settles: the
    comparison would be time, not speed. Weeks with only one kind are left out."""
    entries = [
        run(d(11, 2), pain=(2, 4, 5), run_type=RunType.TEMPO),
        run(d(11, 3), pain=(2, 4, 5), run_type=RunType.INTERVALS),
        run(d(11, 10), pain=(0, 1, 1)),
        run(d(11, 12), pain=(0, 1, 1)),
        run(d(11, 17), pain=(0, 0, 1)),
        run(d(11, 19), pain=(0, 0, 1)),
    ]
    result = evidence(assess(entries), "speed")
    assert not result.found and not result.enough_data


def test_speed_needs_two_faster_runs():
    entries = [e for e in speed_journal((6, 6)) if e.day != d(11, 9)]
    assert not evidence(assess(entries), "speed").enough_data


# -- 3. downhill ---------------------------------------------------------------------------------


def hill_journal(hilly_pain: tuple[int, int, int]) -> list[Entry]:
    """Three weeks since the pain (Mondays 2, 9 Nov), each with hilly and flat runs."""
    a, b, c = hilly_pain
    return [
        run(d(11, 2), 10.0, pain=(2, 3, a), elevation_gain_m=200),  # 20 m/km up
        run(d(11, 4), 10.0, pain=(1, 2, 2), elevation_gain_m=140),  # 14 m/km: flat enough
        run(d(11, 6), 10.0, pain=(1, 3, 3), elevation_gain_m=None),
        run(
            d(11, 9), 10.0, pain=(1, 2, b), elevation_gain_m=149, elevation_loss_m=600
        ),  # 60 m/km down
        run(d(11, 11), 10.0, pain=(0, 1, 1), elevation_gain_m=50, elevation_loss_m=50),
        run(d(11, 13), 6.0, pain=(2, 3, c), run_type=RunType.HILLS),  # logged as hills
    ]


def test_hilly_counts_descent_as_well_as_climb():
    assert triage.hilly(run(TODAY, 10.0, elevation_gain_m=149, elevation_loss_m=600))
    assert triage.hilly(run(TODAY, 10.0, elevation_gain_m=150))
    assert not triage.hilly(run(TODAY, 10.0, elevation_gain_m=149, elevation_loss_m=149))
    assert not triage.hilly(run(TODAY, 10.0))


def test_downhill_pain_after_hilly_runs_against_flatter_ones():
    result = assess(hill_journal((5, 4, 6)))
    assert result.onset == d(11, 2)
    # Hilly: 5, 4, 6 -> 5.0; flatter of the same weeks: 2, 3, 1 -> 2.0.
    assert evidence(result, "downhill").lines == (
        (
            "Since the pain began, hilly runs left 5.0/10 on average (3 runs: 2 Nov, 9 Nov, 13 Nov), "
            "flatter runs of the same weeks 2.0/10 (3 runs)."
        ),
    )


def test_downhill_not_when_hilly_runs_hurt_the_same():
    # Hilly: 3, 2, 2 -> 2.33 against 2.0.
    assert not evidence(assess(hill_journal((3, 2, 2))), "downhill").found


# -- 4. combined load ----------------------------------------------------------------------------


def combined_journal() -> list[Entry]:
    """A base from 13 Jul with one stressful day in ten and no strength work; sore from 2 Nov."""
    base = runs_on(d(7, 13), d(10, 4), {0, 3})
    base += [
        checkin(
            d(7, 15) + 10 * i * DAY,
            sleep=Relative.USUAL,
            stress=Relative.MORE if i % 3 == 0 else Relative.USUAL,
        )
        for i in range(8)
    ]
    return (
        base
        + runs_on(d(10, 5), d(11, 1), {0, 3})
        + runs_on(d(11, 2), TODAY, {0, 3}, pain=(2, 3, 4))
    )


def test_combined_strength_and_short_sleep_together():
    entries = combined_journal() + [
        strength(d(10, 14)),
        strength(d(10, 21)),
        strength(d(10, 28)),
        checkin(d(10, 20), sleep=Relative.LESS),
        checkin(d(10, 27), sleep=Relative.LESS),
        checkin(d(10, 29), sleep=Relative.MORE),
    ]
    result = assess(entries)
    assert result.onset == d(11, 2)
    assert evidence(result, "combined").lines == (
        "3 strength sessions in the 4 weeks before the pain, more than usual (14 Oct, 21 Oct, 28 Oct).",
        "Less sleep than usual on 2 days, more often than in your pain-free weeks (20 Oct, 27 Oct).",
    )


def test_combined_not_for_one_kind_of_load_alone():
    entries = combined_journal() + [
        strength(d(10, 14)),
        strength(d(10, 21)),
        checkin(d(10, 20), sleep=Relative.LESS),
    ]
    assert not evidence(assess(entries), "combined").found


def test_combined_not_when_the_base_was_just_as_busy():
    entries = combined_journal()
    entries += [strength(d(7, 14) + 7 * i * DAY) for i in range(16)]  # weekly all along
    entries += [checkin(d(10, 20), sleep=Relative.LESS), checkin(d(10, 27), sleep=Relative.LESS)]
    assert not evidence(assess(entries), "combined").found


# -- 5. shoes and surface ------------------------------------------------------------------------


def shoe_journal(new_pair_from: dt.date, track_on: dt.date) -> list[Entry]:
    base = [
        d(9, 7),
        d(9, 10),
        d(9, 14),
        d(9, 17),
        d(9, 21),
        d(9, 24),
        d(9, 28),
        d(10, 1),
        d(10, 5),
        d(10, 8),
        d(10, 22),
        d(10, 26),
        d(10, 29),
    ]
    entries = [run(day, shoe_id=1) for day in base]  # 13 x 6 km in the old pair
    entries.append(run(new_pair_from, shoe_id=2))
    entries.append(run(track_on, shoe_id=1, surface=Surface.TRACK))
    entries += [
        run(d(11, 2), 10.0, pain=(2, 3, 4), shoe_id=1),
        run(d(11, 5), pain=(1, 2, 3), shoe_id=1),
        run(d(11, 9), pain=(1, 2, 3), shoe_id=1),
    ]
    return entries


def test_shoes_surface_new_pair_new_surface_and_a_worn_pair():
    shoes = [Shoe("Old pair", id=1, prior_km=700.0, limit_km=800.0), Shoe("Blue racers", id=2)]
    result = assess(shoe_journal(new_pair_from=d(10, 15), track_on=d(10, 19)), shoes)
    assert result.onset == d(11, 2)
    # Old pair: 700 + 13 x 6 (base) + 6 (track) + 10 + 2 x 6 = 806 km, past its 800 km.
    assert evidence(result, "shoes_surface").lines == (
        "First run in Blue racers on 15 Oct.",  # 18 days before the pain: within 21
        "First run on track in two months on 19 Oct.",
        "Old pair has 806.0 km in it, past the limit you set.",
    )


def test_shoes_surface_not_for_old_changes_or_changes_after_the_pain():
    shoes = [
        Shoe("Old pair", id=1, prior_km=300.0, limit_km=800.0),
        Shoe("Blue racers", id=2),
        Shoe("Green pair", id=3),
        Shoe("Worn out", id=4, prior_km=900.0),
    ]
    # Blue racers from 8 Oct (25 days before the pain), green after it; the track on 19 Oct
    # is not new: there was a track run on 10 Sep, 39 days before.
    entries = shoe_journal(new_pair_from=d(10, 8), track_on=d(10, 19))
    entries.append(run(d(9, 10), shoe_id=1, surface=Surface.TRACK))
    entries.append(run(d(9, 3), shoe_id=4))  # past its limit, but not worn since the pain
    entries.append(run(d(11, 6), shoe_id=3, pain=(1, 2, 3)))
    result = assess(entries, shoes)
    assert result.onset == d(11, 2)
    assert not evidence(result, "shoes_surface").found


def test_shoes_a_pair_with_distance_in_it_is_not_new():
    """A 795 km pair first logged in kneelog, or worn again after months, is no new pair: new
    is judged by the distance in it (under 50 km), not by a gap."""
    shoes = [
        Shoe("Old pair", id=1, prior_km=300.0),
        Shoe("Winter pair", id=2, prior_km=795.0, limit_km=900.0),
    ]
    entries = shoe_journal(new_pair_from=d(10, 15), track_on=d(9, 10))
    assert not evidence(assess(entries, shoes), "shoes_surface").found


def test_shoes_surface_an_old_pair_worn_again_is_not_new_in_a_trimmed_journal():
    shoes = [Shoe("Old pair", id=1, prior_km=300.0), Shoe("Winter pair", id=2)]
    winter = [run(d(2, 2) + i * DAY, shoe_id=2) for i in range(0, 28, 3)]  # February
    entries = winter + shoe_journal(new_pair_from=d(10, 15), track_on=d(9, 10))
    full = assess(entries, shoes)
    assert evidence(full, "shoes_surface").lines == ()  # the winter pair is not new
    shoe_km = {1: 13 * 6.0 + 6.0 + 10.0 + 2 * 6.0, 2: 10 * 6.0 + 6.0}
    recent = [e for e in entries if e.day >= TODAY - triage.LOOKBACK_DAYS * DAY]
    shoe_use = {
        1: ShoeUse(shoe_km[1], min(e.day for e in entries if e.shoe_id == 1)),
        2: ShoeUse(shoe_km[2], d(2, 2)),
    }
    assert evidence(assess(recent, shoes, shoe_use=shoe_use), "shoes_surface").lines == ()


# -- 6. spill-over -------------------------------------------------------------------------------


def test_spill_over_daily_life_pain_rising_and_night_pain():
    entries = [
        run(d(11, 2), pain=(1, 3, 3)),
        run(d(11, 5), pain=(1, 3, 3)),
        checkin(d(11, 12), pain_later=4),
        checkin(d(11, 14), pain_later=5),
        checkin(d(11, 17), pain_later=6, warnings=frozenset({WarningSign.NIGHT_PAIN})),
        checkin(d(11, 19), pain_later=7),
    ]
    result = assess(entries)
    assert evidence(result, "spill_over").lines == (
        "Pain away from running rose from 12 Nov to 19 Nov: 4 \u2192 5 \u2192 6 \u2192 7.",
        "Night pain logged on 17 Nov.",
        "Pain of 3 or more on days without a run: 12 Nov, 14 Nov, 17 Nov, 19 Nov.",
    )
    assert {f.id for f in result.red_flags.flags} >= {
        "daily_pain_rising",
        "night_pain",
        "severe_pain",
    }
    assert not result.plan_allowed


def test_spill_over_not_when_pain_stays_with_the_runs():
    entries = runs_on(d(10, 12), TODAY, {1, 3}, pain=(1, 3, 2))  # 3 every week, on run days
    entries += [checkin(d(10, 31), pain_later=3), checkin(d(11, 7), pain_later=2)]
    result = assess(entries)
    assert result.onset == d(10, 13)
    assert not evidence(result, "spill_over").found


def test_spill_over_not_for_stable_mild_ache_on_rest_days():
    entries = runs_on(d(10, 12), TODAY, {1, 3}, pain=(1, 3, 2))
    entries += [checkin(d(11, 12) + i * DAY, pain_later=3) for i in (0, 2, 4, 6)]
    assert not evidence(assess(entries), "spill_over").found


# == red flags ==================================================================================


def flag_ids(result: triage.Triage) -> set[str]:
    return {f.id for f in result.red_flags.flags}


def test_no_red_flags_leaves_the_plan_open():
    result = assess(steady_then_sore())
    assert not result.red_flags.raised
    assert result.plan_allowed


def test_an_answered_question_raises_the_flag_and_blocks_the_plan():
    answers = Answers(yes={"night_pain_worse": d(11, 12), "cannot_walk": d(11, 10)})
    flags = assess([], answers=answers).red_flags
    assert flags.raised and flags.blocks_plan
    assert flags.answered_yes == ("cannot_walk", "night_pain_worse")  # in the file's order
    assert flags.latest == d(11, 12)
    assert not assess([], answers=answers).plan_allowed


def test_an_answer_that_is_not_a_question_is_ignored():
    flags = assess([], answers=Answers(yes={"no_such_question": d(11, 12)})).red_flags
    assert not flags.raised and not flags.blocks_plan


def test_logged_warning_signs_raise_the_flag_with_their_dates():
    entries = steady_then_sore() + [
        run(d(11, 4), pain=(2, 3, 3), warnings=frozenset({WarningSign.SWELLING})),
        checkin(d(11, 8), warnings=frozenset({WarningSign.SWELLING, WarningSign.LIMPING})),
        checkin(d(11, 8), pain_later=4, warnings=frozenset({WarningSign.SWELLING})),  # same day
    ]
    result = assess(entries)
    assert {(f.id, f.source, f.days) for f in result.red_flags.logged} == {
        ("swelling", "logged", (d(11, 4), d(11, 8))),
        ("limping", "logged", (d(11, 8),)),
    }
    assert result.red_flags.answered_yes == ()
    assert result.red_flags.latest == d(11, 8)
    assert not result.plan_allowed


def test_confirming_an_assessment_unblocks_and_a_new_sign_blocks_again():
    entries = [checkin(d(11, 4), warnings=frozenset({WarningSign.GIVING_WAY}))]
    answers = Answers(yes={"swelling_instability": d(11, 5)})
    assert not assess(entries, answers=answers).plan_allowed

    assessed = Answers(yes=answers.yes, assessed_on=d(11, 9))
    result = assess(entries, answers=assessed)
    assert result.red_flags.raised  # still shown, with the assessment noted
    assert result.red_flags.assessed_on == d(11, 9)
    assert result.plan_allowed

    assert assess(entries, answers=Answers(yes=answers.yes, assessed_on=d(11, 5))).plan_allowed

    entries.append(run(d(11, 12), pain=(1, 2, 2), warnings=frozenset({WarningSign.LOCKING})))
    result = assess(entries, answers=assessed)
    assert result.red_flags.latest == d(11, 12)
    assert not result.plan_allowed
    # A question answered yes again after the assessment blocks too.
    later = Answers(yes={"swelling_instability": d(11, 10)}, assessed_on=d(11, 9))
    assert not assess(entries[:1], answers=later).plan_allowed


def test_signs_older_than_the_lookback_do_not_count():
    assert triage_text()["red_flags"]["lookback_days"] == 28 == triage.rules.RED_FLAG_DAYS
    old = [
        checkin(d(10, 23), warnings=frozenset({WarningSign.POP})),
        run(d(10, 1), warnings=frozenset({WarningSign.NIGHT_PAIN})),
    ]
    assert not assess(old).red_flags.raised
    assert assess(old).plan_allowed
    edge = old + [checkin(d(10, 24), warnings=frozenset({WarningSign.POP}))]
    assert [(f.id, f.days) for f in assess(edge).red_flags.logged] == [("pop", (d(10, 24),))]


def test_a_sign_or_answer_dated_after_today_is_not_counted():
    entries = [checkin(d(11, 21), warnings=frozenset({WarningSign.SWELLING}))]
    assert not assess(entries).red_flags.raised
    assert not assess([], answers=Answers(yes={"cannot_walk": d(11, 25)})).red_flags.raised


@pytest.mark.parametrize(
    "field", ["pain_start", "pain_middle", "pain_end", "pain_later", "pain_next_morning"]
)
def test_severe_pain_in_any_reading_is_a_red_flag(field):
    """Severe pain (7/10 and up) anywhere, during, later or the next morning (knee-facts 4)."""
    entry = run(d(11, 10), pain=(1, 1, 1), **{field: 7})
    result = assess([entry])
    felt = d(11, 11) if field == "pain_next_morning" else d(11, 10)
    assert [(f.id, f.source, f.date) for f in result.red_flags.flags] == [
        ("severe_pain", "pain", felt)
    ]
    assert not result.plan_allowed and result.guidance.level == "assess"
    assert not [f for f in assess([run(d(11, 10), pain=(1, 1, 1), **{field: 6})]).red_flags.flags]


def test_severe_pain_counts_for_28_days():
    assert flag_ids(assess([checkin(d(10, 24), pain_later=8)])) == {"severe_pain"}
    assert flag_ids(assess([checkin(d(10, 23), pain_later=8)])) == set()


def test_daily_life_pain_rising_over_a_week():
    """Check-ins 4, 5, 6, 7, 8 while not running: rising day to day (knee-facts 3.6, 4)."""
    entries = [checkin(d(11, 12) + 2 * i * DAY, pain_later=4 + i) for i in range(5)]
    result = assess(entries)
    flags = {f.id: f for f in result.red_flags.flags}
    assert flags["daily_pain_rising"].date == d(11, 20)
    assert flags["daily_pain_rising"].detail == "4 \u2192 5 \u2192 6 \u2192 7 \u2192 8"
    assert evidence(result, "spill_over").found
    assert not result.plan_allowed


@pytest.mark.parametrize(
    "values",
    [
        (2, 3, 3),  # ends at 3: mild
        (4, 5),  # two days only
        (5, 4, 6),  # dips below where it started... then the latest rise is 4 -> 6 over 2 days
        (4, 4, 4, 4),  # steady
    ],
)
def test_daily_life_pain_that_is_not_rising(values):
    entries = [checkin(d(11, 12) + 3 * i * DAY, pain_later=v) for i, v in enumerate(values)]
    assert "daily_pain_rising" not in flag_ids(assess(entries))


def test_no_improvement_after_three_weeks_of_a_sore_spell():
    entries = runs_on(d(10, 26), TODAY, {0, 3}, pain=(2, 3, 4))  # the same 4/10 for 3.5 weeks
    result = assess(entries)
    (flag,) = [f for f in result.red_flags.flags if f.id == "no_improvement"]
    assert (flag.source, flag.date) == ("time", d(11, 16))  # 21 days after 26 Oct
    assert not result.plan_allowed and result.guidance.level == "assess"
    # Two weeks in: not yet.
    assert "no_improvement" not in flag_ids(assess(entries, today=d(11, 15)))


def test_no_no_improvement_flag_when_the_pain_is_easing():
    entries = runs_on(d(10, 26), d(11, 1), {0, 3}, pain=(3, 4, 5)) + runs_on(
        d(11, 2), TODAY, {0, 3}, pain=(1, 2, 3)
    )
    assert "no_improvement" not in flag_ids(assess(entries))


def test_no_improvement_after_a_two_week_plan_that_did_not_lower_the_pain():
    start = d(11, 1)
    entries = verdict_journal(start, [(3, None)] * 3, [(3, None)] * 3)
    plan = Plan("calm", start, 14, id=1)
    day_15 = assess(entries, plan=plan, today=start + 14 * DAY)
    (flag,) = [f for f in day_15.red_flags.flags if f.id == "no_improvement"]
    assert (flag.source, flag.date) == ("time", start + 14 * DAY)
    assert day_15.review.next_step == "assess"
    assert "no_improvement" not in flag_ids(assess(entries, plan=plan, today=start + 13 * DAY))


def test_a_blocked_plan_reviews_only_to_get_assessed():
    """Giving way logged yesterday: whatever the pain did, the review says get assessed."""
    start = d(11, 1)
    entries = verdict_journal(start, [(4, None)] * 3, [(2, None), (1, None), (1, None)])
    plan = Plan("calm", start, 14, id=1)
    calm = assess(entries, plan=plan, today=d(11, 9))
    assert (calm.review.verdict, calm.review.next_step) == ("lower", "continue")
    entries.append(checkin(d(11, 8), warnings=frozenset({WarningSign.GIVING_WAY})))
    flagged = assess(entries, plan=plan, today=d(11, 9))
    assert flagged.review.next_step == "assess"
    assert flagged.guidance.level == "assess"


def test_fever_gets_the_urgent_words():
    result = assess([], answers=Answers(yes={"fever_unwell": d(11, 19)}))
    assert result.red_flags.urgent
    assert result.guidance.level == "assess"
    assert "doctor today" in result.guidance.text


def test_no_words_reassure_without_grounds():
    from test_triage_content import walk

    words = " ".join(text for _, text in walk(triage_text())).lower()
    for phrase in ("probably nothing", "nothing dramatic", "nothing to worry", "fine to carry on"):
        assert phrase not in words


# == where and when =============================================================================


def test_pain_onset_on_a_spell_with_gaps():
    entries = [
        run(d(8, 27), pain=(5, 5, 5)),  # 85 days ago: outside the 12 weeks
        run(d(9, 10), pain=(0, 1, 1), pain_next_morning=4),  # sore the next morning, 11 Sep
        checkin(d(9, 30), pain_later=3),  # sore later that day
        run(d(10, 8), pain=(1, 2, 2)),  # not sore: 2
        run(d(10, 15), pain=(2, 3, 3)),  # 15 days after 30 Sep: a new spell starts
        checkin(d(10, 29), pain_later=4),  # 14 days after 15 Oct: the same spell
        run(d(11, 10), pain=(1, 2, 3)),  # 12 days later
        run(d(11, 18), pain=(0, 1, 1)),
    ]

    def onset(entries):
        return triage.pain_onset(triage.readings(entries, TODAY), TODAY)

    assert onset(entries) == d(10, 15)
    # A sore 1 Oct bridges 30 Sep and 15 Oct (14 days); 11 Sep stays 19 days apart.
    entries.append(checkin(d(10, 1), pain_later=5))
    assert onset(entries) == d(9, 30)
    assert onset(entries[:1]) is None
    assert onset([run(d(8, 28), pain=(3, 3, 3))]) == d(8, 28)  # 84 days
    assert onset([]) is None


R, L = Side.RIGHT, Side.LEFT


def mark(side: Side, region: Region, intensity: Intensity = Intensity.MILD) -> PainMark:
    return PainMark(side, region, intensity)


def test_picture_counts_the_last_fourteen_days():
    entries = [
        run(d(11, 6), marks=(mark(R, Region.IT_BAND),), triggers=frozenset({Trigger.RUNNING})),
        run(
            d(11, 7),
            pain=(1, 2, 3),
            marks=(mark(R, Region.KNEECAP), mark(R, Region.QUAD_TENDON)),
            triggers=frozenset({Trigger.STAIRS_DOWN}),
            time_course=TimeCourse.BUILDS,
        ),
        checkin(
            d(11, 10),
            pain_later=3,
            marks=(mark(R, Region.KNEECAP),),
            triggers=frozenset({Trigger.STAIRS_DOWN, Trigger.SITTING}),
        ),
        run(
            d(11, 14),
            pain=(3, 3, 2),
            marks=(mark(R, Region.KNEECAP), mark(L, Region.KNEECAP)),
            time_course=TimeCourse.EASES,
        ),
        run(d(11, 16), pain=(0, 0, 0), time_course=TimeCourse.AFTER),  # no pain: no course
        run(d(11, 18), pain=(1, 2, 2)),  # up by 1: rising
        run(d(11, 21), marks=(mark(L, Region.DEEP),)),  # tomorrow
    ]
    p = assess(entries).picture
    assert (p.first, p.last, p.recent) == (d(11, 7), TODAY, True)
    assert dict(p.regions) == {
        (R, Region.KNEECAP): 3,
        (R, Region.QUAD_TENDON): 1,
        (L, Region.KNEECAP): 1,
    }
    assert p.regions[0] == ((R, Region.KNEECAP), 3)
    assert dict(p.triggers) == {Trigger.STAIRS_DOWN: 2, Trigger.SITTING: 1}
    assert dict(p.time_courses) == {TimeCourse.BUILDS: 1, TimeCourse.EASES: 1}
    assert (p.runs, p.rising, p.easing) == (4, 2, 1)  # 1 -> 3 and 1 -> 2 rose, 3 -> 2 eased
    # Mild marks, weighed by age (half every 14 days): 7 Nov (13 days) kneecap and quad
    # tendon 0.5^(13/14) = 0.525 each; 10 Nov 0.609; 14 Nov two kneecaps 0.743 each.
    spots = 2 * 0.5 ** (13 / 14) + 0.5 ** (10 / 14) + 2 * 0.5 ** (6 / 14)
    assert [(r.id, r.score) for r in p.resembles] == [
        ("patellofemoral", round(3 * spots + 2 + 1 + 1, 3))
    ]
    assert not p.empty and not p.tendon_dominates


def test_picture_falls_back_to_the_last_sore_spell():
    entries = [
        run(d(10, 11), marks=(mark(R, Region.KNEECAP),)),  # a day before that window
        run(d(10, 12), pain=(1, 3, 3), marks=(mark(R, Region.IT_BAND),)),
        checkin(
            d(10, 20),
            pain_later=3,
            marks=(mark(R, Region.IT_BAND),),
            triggers=frozenset({Trigger.STAIRS_DOWN}),
        ),
        run(
            d(10, 25),
            pain=(2, 4, 4),
            marks=(mark(R, Region.IT_BAND),),
            time_course=TimeCourse.PREDICTABLE_POINT,
        ),
        run(d(11, 15), triggers=frozenset({Trigger.RUNNING})),  # recent, but nothing marked
    ]
    p = assess(entries).picture
    assert (p.first, p.last, p.recent) == (d(10, 12), d(10, 25), False)
    assert dict(p.regions) == {(R, Region.IT_BAND): 3}
    assert dict(p.triggers) == {Trigger.STAIRS_DOWN: 1}
    assert p.resembles[0].id == "it_band"


def test_picture_is_empty_when_nothing_was_marked_for_twelve_weeks():
    p = assess([run(d(8, 20), marks=(mark(R, Region.KNEECAP),))]).picture
    assert p.recent and p.empty and p.resembles == ()
    assert (p.first, p.last) == (d(11, 7), TODAY)


def ranked(spots: dict, triggers: dict = {}, courses: dict = {}) -> list[str]:  # noqa: B006
    return [r.id for r in triage.resembles(Counter(spots), Counter(triggers), Counter(courses))]


def test_resembles_a_kneecap_picture_is_patellofemoral():
    assert ranked({Region.KNEECAP: 3}, {Trigger.STAIRS_DOWN: 2}) == ["patellofemoral"]


def test_resembles_an_outer_knee_picture_lists_the_it_band_and_the_meniscus():
    # IT band: (3 + 1) x 3 + running 2 + a predictable point 2 = 16; meniscus 1 x 3 = 3.
    assert ranked(
        {Region.IT_BAND: 3, Region.OUTER_JOINT_LINE: 1},
        {Trigger.RUNNING: 2},
        {TimeCourse.PREDICTABLE_POINT: 2},
    ) == ["it_band", "meniscus"]


def test_resembles_deep_and_joint_line_is_the_meniscus_first():
    assert ranked({Region.INNER_JOINT_LINE: 2, Region.DEEP: 1}) == ["meniscus", "wear"]
    assert ranked({Region.INNER_JOINT_LINE: 1}) == ["meniscus"]


def test_resembles_the_tendon_picture():
    assert ranked({Region.TIBIAL_TUBEROSITY: 1}, {Trigger.KNEELING: 1}) == ["patellar_tendon"]


def test_a_severe_mark_behind_the_knee_is_never_hidden_by_mild_kneecap_marks():
    entries = [
        run(d(11, 10 + i), pain=(1, 2, 2), marks=(mark(R, Region.KNEECAP),)) for i in range(4)
    ]
    entries.append(
        run(d(11, 19), pain=(2, 3, 3), marks=(mark(R, Region.BACK_CENTRE, Intensity.SEVERE),))
    )
    found = assess(entries).picture.resembles
    # Four mild kneecap marks about a week old (about 0.7 each) against one severe mark
    # yesterday (3 x 0.95): the back of the knee comes first, and both are listed.
    assert [r.id for r in found] == ["back_of_knee", "patellofemoral"]
    assert found[0].needs_assessment and not found[1].needs_assessment


def test_every_picture_that_fits_is_listed():
    found = triage.resembles(Counter({region: 1 for region in Region}), Counter(), Counter())
    assert {r.id for r in found} == {item["id"] for item in triage_text()["resembles"]}
    assert {r.id for r in found if r.needs_assessment} == {"meniscus", "back_of_knee"}


@pytest.mark.parametrize("region", list(Region), ids=lambda r: r.value)
def test_resembles_never_offers_a_picture_without_a_matching_spot(region):
    every_trigger = {t: 5 for t in Trigger}
    every_course = {c: 5 for c in TimeCourse}
    found = triage.resembles(Counter({region: 1}), Counter(every_trigger), Counter(every_course))
    assert found  # every spot is covered by the table
    table = {item["id"]: item for item in triage_text()["resembles"]}
    for r in found:
        assert region.value in table[r.id]["regions"]
        assert r.recovery == table[r.id]["recovery"]


def test_resembles_nothing_without_marks():
    assert ranked({}, {t: 3 for t in Trigger}, {c: 3 for c in TimeCourse}) == []


@pytest.mark.parametrize(
    ("marks", "dominates"),
    [
        ([Region.PATELLAR_TENDON, Region.PATELLAR_TENDON, Region.KNEECAP], True),
        ([Region.TIBIAL_TUBEROSITY, Region.PATELLAR_TENDON, Region.KNEECAP], True),
        ([Region.PATELLAR_TENDON, Region.KNEECAP], False),  # half is not most
        ([Region.TIBIAL_TUBEROSITY, Region.KNEECAP, Region.KNEECAP], False),
        ([], False),
    ],
)
def test_tendon_dominates(marks, dominates):
    entries = [
        checkin(d(11, 10 + i), pain_later=3, marks=(mark(R, region),))
        for i, region in enumerate(marks)
    ]
    assert assess(entries).picture.tendon_dominates is dominates


# == today's guidance ===========================================================================
# knee-facts 5 and the pain-monitoring model (metrics.md): every reading of the last 48 hours.


@pytest.mark.parametrize(
    ("pain", "later", "morning", "level"),
    [
        ((2, 2, 2), None, None, "go"),  # 2-3 that does not rise: manageable
        ((2, 3, 3), None, None, "stop"),  # 2 -> 3 is a rise (issue 11)
        ((3, 3, 3), 3, 0, "go"),
        ((0, 1, 2), None, None, "go"),  # rose, but stayed within 0-2
        ((2, 2, 3), None, None, "stop"),  # rose to 3 as the run went on
        ((3, 4, 4), None, None, "stop"),  # rose
        ((4, 4, 4), None, None, "ease"),  # 4: above 3, not above 4
        ((4, 4, 3), None, None, "ease"),  # easing, but it was at 4
        ((2, 2, 2), None, 3, "ease"),  # next morning 3 above a usual 0: reduce load
        ((5, 5, 5), None, None, "stop"),  # above 4
        ((1, 2, 5), None, None, "stop"),
        ((2, 2, 2), 5, None, "stop"),  # 5 later that day
        ((2, 2, 2), 7, None, "assess"),  # 7 later that day: severe
        ((10, 10, 10), 10, None, "assess"),
    ],
)
def test_guidance_from_the_pain_rules(pain, later, morning, level):
    entries = [run(d(11, 19), pain=pain, pain_later=later, pain_next_morning=morning)]
    g = assess(entries).guidance
    assert g.level == level
    assert set(g.based_on) <= {d(11, 19), d(11, 20)}


def test_guidance_reads_check_ins_of_the_last_two_days_too():
    entries = [
        run(d(11, 17), pain=(1, 2, 2)),
        checkin(d(11, 19), pain_later=9),
        checkin(d(11, 20), pain_later=10),
    ]
    assert assess(entries).guidance.level == "assess"


def test_guidance_an_older_bad_day_does_not_decide_today():
    """Pain of 6 five days ago (no red flag: not severe) and calm runs since: go."""
    entries = [
        run(d(11, 15), pain=(4, 6, 6)),
        run(d(11, 19), pain=(1, 1, 1)),
        run(d(11, 20), pain=(1, 1, 1)),
    ]
    g = assess(entries).guidance
    assert (g.level, g.based_on) == ("go", (d(11, 19), d(11, 20)))


def test_guidance_falls_back_to_the_latest_days_with_pain_logged():
    g = assess([run(d(11, 14), pain=(4, 4, 4)), run(d(11, 15), pain=(4, 4, 4))]).guidance
    assert (g.level, g.based_on) == ("ease", (d(11, 14), d(11, 15)))
    assert "14 Nov" in g.text or "15 Nov" in g.text


def test_guidance_morning_pain_only_counts_above_the_usual():
    # Weeks of pain-free runs with a next morning of 2 make 2 the runner's usual.
    entries = runs_on(d(10, 5), d(10, 25), {0, 3}, pain=(0, 0, 0), pain_next_morning=2)
    entries.append(run(d(11, 19), pain=(1, 1, 1), pain_next_morning=2))
    assert assess(entries).guidance.level == "go"
    entries[-1] = run(d(11, 19), pain=(1, 1, 1), pain_next_morning=3)
    assert assess(entries).guidance.level == "ease"


def test_guidance_nothing_to_go_on_without_recent_pain():
    words = triage_text()["guidance"]["none"]
    assert assess([]).guidance == triage.Guidance(None, words)
    assert assess([run(d(11, 18), pain=None)]).guidance.level is None
    assert assess([run(d(11, 1), pain=(1, 1, 1))]).guidance.level is None  # 19 days ago


# == the plan ===================================================================================


def ticks_for(*days_items) -> set[tuple[dt.date, str]]:
    return {(day, item) for day, items in days_items for item in items}


def test_plan_progress_streak_and_skipped_days():
    plan = Plan("calm", d(11, 14), 7, change="Softer surface", id=1)
    ticks = ticks_for(
        (d(11, 14), STEPS),
        (d(11, 15), STEPS),
        (d(11, 17), STEPS[:2]),
        (d(11, 18), STEPS),
        (d(11, 19), STEPS),
    )
    p = assess([], plan=plan, ticks=ticks).progress
    assert p.day == 7
    assert p.streak == 2  # 18 and 19 Nov; today is not over yet; 17 Nov was half done
    assert p.skipped == (d(11, 16),)
    assert p.ticked[d(11, 17)] == frozenset(STEPS[:2])

    ticks |= ticks_for((TODAY, STEPS))
    assert assess([], plan=plan, ticks=ticks).progress.streak == 3


def test_plan_progress_on_its_first_day():
    plan = Plan("calm", TODAY, 14, id=1)
    p = assess([], plan=plan).progress
    assert (p.day, p.streak, p.skipped) == (1, 0, ())
    assert [step for step, _ in plan.steps(TODAY)] == list(STEPS)


def test_plan_progress_counts_the_skipped_days_before_today_only():
    plan = Plan("calm", d(11, 10), 14, id=1)
    p = assess([], plan=plan, ticks=ticks_for((d(11, 12), STEPS[:1]))).progress
    assert p.day == 11
    assert p.skipped == (
        d(11, 10),
        d(11, 11),
        d(11, 13),
        d(11, 14),
        d(11, 15),
        d(11, 16),
        d(11, 17),
        d(11, 18),
        d(11, 19),
    )


def test_a_finished_plan_lists_its_last_day_as_skipped():
    plan = Plan("calm", d(11, 1), 7, id=1)  # 1-7 Nov, long over by 20 Nov
    ticks = ticks_for(*[(d(11, n), STEPS) for n in range(1, 7)])  # nothing on 7 Nov
    p = triage.progress(plan, ticks, TODAY)
    assert p.day == 7
    assert p.skipped == (d(11, 7),)


@pytest.mark.parametrize(
    ("week", "dose"),
    [
        (1, (3, 15)),
        (2, (3, 12)),
        (3, (3, 12)),
        (4, (4, 10)),
        (5, (4, 10)),
        (6, (4, 8)),
        (7, (4, 8)),
        (8, (4, 8)),
        (9, (4, 6)),
        (10, (4, 6)),
        (11, (4, 6)),
        (12, (4, 6)),
    ],
)
def test_tendon_dose_week_by_week(week, dose):
    first_day, last_day = 7 * (week - 1) + 1, 7 * week
    assert triage.tendon_dose(first_day) == dose
    assert triage.tendon_dose(last_day) == dose


def test_tendon_dose_stays_at_week_twelve_after_the_plan():
    assert triage.tendon_dose(85) == triage.tendon_dose(400) == (4, 6)


def test_the_tendon_plan_has_one_box_a_day_with_the_week_s_dose():
    plan = Plan("tendon", d(11, 12), 84, id=3)
    assert plan.steps(d(11, 18)) == [("loading", "Did today's tendon loading (3 sets of 15).")]
    assert plan.steps(d(11, 19)) == [("loading", "Did today's tendon loading (3 sets of 12).")]
    ticks = ticks_for((d(11, 18), ["loading"]), (d(11, 19), ["loading"]))
    p = assess([], plan=plan, ticks=ticks).progress
    assert (p.day, p.streak) == (9, 2)
    assert p.skipped == (d(11, 12), d(11, 13), d(11, 14), d(11, 15), d(11, 16), d(11, 17))


def test_a_tendon_plan_starting_tomorrow_does_not_crash():
    plan = Plan("tendon", TODAY + DAY, 84, id=3)
    result = assess([], plan=plan)
    assert result.progress.streak == 0


# == review =====================================================================================


def review_journal() -> list[Entry]:
    return [
        run(d(11, 4), 20.0, pain=(6, 6, 6), pain_next_morning=6),  # before both windows
        # Before the plan (5-12 Nov):
        run(d(11, 5), 5.0, pain=(3, 4, 4), pain_next_morning=3),
        run(d(11, 7), 6.0, pain=(4, 5, 5), pain_next_morning=4),
        checkin(d(11, 8), pain_later=3),
        run(d(11, 10), 7.0, pain=(3, 4, 3)),
        run(d(11, 12), 8.0, pain=None, pain_next_morning=2),  # pain during not logged
        # During the plan (13-20 Nov):
        run(d(11, 13), 4.0, pain=(1, 2, 2), pain_next_morning=1),
        strength(d(11, 14)),
        run(d(11, 15), 4.0, pain=(1, 1, 1), pain_next_morning=1),
        run(d(11, 17), 5.0, pain=(2, 3, 2), pain_next_morning=2),
        run(d(11, 19), 5.0, pain=(1, 2, 1)),
        checkin(d(11, 20), pain_later=1),
        run(d(11, 21), 30.0, pain=(9, 9, 9)),  # tomorrow
    ]


def test_review_waits_for_day_eight():
    plan = Plan("calm", d(11, 14), 14, id=1)  # day 7 today
    assert assess(review_journal(), plan=plan).review is None
    assert assess(review_journal(), plan=plan, today=d(11, 21)).review is not None


def test_review_numbers_match_a_hand_computation():
    plan = Plan("calm", d(11, 13), 14, id=1)  # day 8: 8 plan days against the 8 before
    r = assess(review_journal(), plan=plan).review
    before, during = r.before, r.during
    assert (before.first, before.last) == (d(11, 5), d(11, 12))
    assert (during.first, during.last) == (d(11, 13), TODAY)
    assert (before.entries, before.runs_with_pain) == (5, 3)
    assert before.pain_during == pytest.approx((4 + 5 + 4) / 3)
    assert before.pain_morning == pytest.approx((3 + 4 + 2) / 3)
    assert before.distance_km == pytest.approx(5 + 6 + 7 + 8)
    assert (during.entries, during.runs_with_pain) == (6, 4)
    assert during.pain_during == pytest.approx((2 + 1 + 3 + 2) / 4)
    assert during.pain_morning == pytest.approx((1 + 1 + 2) / 3)
    assert during.distance_km == pytest.approx(4 + 4 + 5 + 5)
    assert (r.verdict, r.next_step) == ("lower", "continue")


def test_review_of_a_seven_day_plan_compares_seven_days():
    plan = Plan("calm", d(11, 12), 7, id=1)  # 12-18 Nov, against 5-11 Nov
    r = assess(review_journal(), plan=plan).review
    assert (r.before.first, r.before.last, r.during.first, r.during.last) == (
        d(11, 5),
        d(11, 11),
        d(11, 12),
        d(11, 18),
    )
    assert (r.before.entries, r.during.entries) == (4, 5)
    assert (r.before.distance_km, r.during.distance_km) == (18.0, 21.0)


def verdict_journal(start: dt.date, before: list, during: list) -> list[Entry]:
    """Runs 2, 4 and 6 days before the plan and 1, 3 and 5 days into it: (pain, morning)."""
    return [
        run(start - (2 + 2 * i) * DAY, pain=(p, p, p), pain_next_morning=m)
        for i, (p, m) in enumerate(before)
    ] + [
        run(start + (1 + 2 * i) * DAY, pain=(p, p, p), pain_next_morning=m)
        for i, (p, m) in enumerate(during)
    ]


V = [
    ("lower", [(4, None)] * 3, [(2, None), (3, None), (2, None)]),
    ("higher", [(2, None)] * 3, [(4, None), (3, None), (3, None)]),  # 3.33 against 2
    ("same", [(3, None)] * 3, [(3, None), (3, None), (2, None)]),
    ("same", [(3, 3)] * 3, [(3, 3), (3, 2), (2, 3)]),
    ("lower", [(3, 4)] * 3, [(3, 2), (3, 3), (3, 2)]),  # same during, mornings 2.33 against 4
    ("higher", [(3, 1)] * 3, [(3, 3), (3, 2), (3, 3)]),
    ("not_enough", [(4, None)] * 2, [(1, None)] * 3),
    ("not_enough", [(4, None)] * 3, [(1, None)] * 2),
]


@pytest.mark.parametrize(("verdict", "before", "during"), V)
def test_review_verdict_and_next_step(verdict, before, during):
    start = d(11, 1)
    entries = verdict_journal(start, before, during)
    week_one = assess(entries, plan=Plan("calm", start, 14, id=1), today=start + 7 * DAY).review
    # Higher pain with less running needs no second week to say "get it assessed".
    assert (week_one.verdict, week_one.next_step) == (
        verdict,
        "assess" if verdict == "higher" else "continue",
    )
    two_weeks = assess(entries, plan=Plan("calm", start, 14, id=1), today=start + 14 * DAY).review
    after_two_weeks = {
        "lower": "return",
        "same": "assess",
        "higher": "assess",
        "not_enough": "continue",
    }
    assert (two_weeks.verdict, two_weeks.next_step) == (verdict, after_two_weeks[verdict])


def test_review_suggests_assessment_from_day_fifteen():
    start = d(11, 1)
    entries = verdict_journal(start, [(3, None)] * 3, [(3, None)] * 3)
    plan = Plan("calm", start, 14, id=1)
    day_14 = assess(entries, plan=plan, today=start + 13 * DAY).review
    day_15 = assess(entries, plan=plan, today=start + 14 * DAY).review
    assert (day_14.verdict, day_14.next_step) == ("same", "continue")
    assert (day_15.verdict, day_15.next_step) == ("same", "assess")


# == any journal ================================================================================


def finite(value) -> bool:
    return value is None or math.isfinite(value)


def check_sound(result: triage.Triage) -> None:
    """Every figure finite, every line filled in: what the panel will show is whole."""
    assert result.guidance.level in {"go", "ease", "stop", "assess", None}
    assert "{" not in result.guidance.text
    assert [e.pattern for e in result.evidence] == list(triage.PATTERNS)
    for e in result.evidence:
        for line in e.lines:
            assert line and "{" not in line and "}" not in line
    for r in result.picture.resembles:
        assert r.score > 0
    if result.review:
        for f in (result.review.before, result.review.during):
            assert all(finite(v) for v in (f.pain_during, f.pain_morning, f.distance_km))
        assert result.review.verdict in {"lower", "higher", "same", "not_enough"}
        assert result.review.next_step in {"continue", "return", "assess"}
    if result.progress:
        assert result.progress.streak >= 0
    if result.red_flags.raised:
        assert result.red_flags.latest is not None


def test_the_ten_year_demo_journal():
    journal = demo_journal(end=TODAY, years=10)
    plan = Plan("calm", TODAY - 9 * DAY, 14, change="Easy runs only", pattern="volume", id=1)
    ticks = ticks_for(*[(TODAY - n * DAY, STEPS) for n in range(1, 6)])
    result = assess(journal.entries, journal.shoes, plan=plan, ticks=ticks)
    check_sound(result)
    assert result.onset is not None and result.picture.resembles
    assert [e.pattern for e in result.evidence if e.found] == ["volume"]  # the demo's story
    assert result.progress.streak == 5 and result.review is not None
    check_sound(assess(journal.entries, journal.shoes, plan=Plan("tendon", TODAY - 30 * DAY, 84)))


@pytest.mark.parametrize("weeks_back", [0, 5, 11, 17, 23, 40, 70])
def test_the_panel_s_trimmed_journal_gives_the_same_answers(weeks_back):
    """The panel passes only LOOKBACK_DAYS of entries with the shoes' whole distance."""
    journal = demo_journal(end=TODAY, years=3)
    today = TODAY - weeks_back * 7 * DAY
    entries = [e for e in journal.entries if e.day <= today]
    shoe_km, shoe_first = Counter(), {}
    for e in entries:
        if e.kind is Kind.RUN and e.shoe_id is not None:
            shoe_km[e.shoe_id] += e.distance_km
            shoe_first[e.shoe_id] = min(shoe_first.get(e.shoe_id, e.day), e.day)
    recent = [e for e in entries if e.day >= today - triage.LOOKBACK_DAYS * DAY]
    plan = Plan("calm", today - 9 * DAY, 14, id=1)
    shoe_use = {i: ShoeUse(shoe_km[i], day) for i, day in shoe_first.items()}
    trimmed = assess(recent, journal.shoes, today=today, plan=plan, shoe_use=shoe_use)
    assert trimmed == assess(entries, journal.shoes, today=today, plan=plan)


def test_an_empty_journal():
    result = assess([], plan=Plan("calm", TODAY - 8 * DAY, 14, id=1))
    check_sound(result)
    assert result.onset is None and result.picture.empty
    assert result.guidance.level is None
    assert result.review.verdict == "not_enough"
    assert result.review.during.distance_km == 0
    assert result.review.during.pain_during is None


pains = st.none() | st.integers(0, 10)
SPOTS = [(side, region) for side in Side for region in Region]
SHOES = [
    Shoe("A", id=1, prior_km=0.0, limit_km=50.0),
    Shoe("B", id=2, prior_km=790.0),
    Shoe("C", id=3),
]


days_strategy = st.integers(-2, 130).map(lambda n: TODAY - n * DAY)  # a few in the future


def entries_of(kind: Kind, **run_fields) -> st.SearchStrategy[Entry]:
    return st.builds(
        Entry,
        kind=st.just(kind),
        started=st.builds(at, days_strategy, st.integers(0, 23)),
        duration_s=st.none() | st.integers(1, 20_000),
        pain_start=pains,
        pain_middle=pains,
        pain_end=pains,
        pain_later=pains,
        pain_next_morning=pains,
        time_course=st.none() | st.sampled_from(list(TimeCourse)),
        triggers=st.frozensets(st.sampled_from(list(Trigger)), max_size=3),
        changes=st.frozensets(st.sampled_from(list(Change)), max_size=2),
        warnings=st.frozensets(st.sampled_from(list(WarningSign)), max_size=1),
        sleep=st.none() | st.sampled_from(list(Relative)),
        stress=st.none() | st.sampled_from(list(Relative)),
        marks=st.lists(st.sampled_from(SPOTS), max_size=3, unique=True).map(
            lambda spots: tuple(PainMark(side, region) for side, region in spots)
        ),
        **run_fields,
    )


any_run = entries_of(
    Kind.RUN,
    distance_km=st.integers(1, 4000).map(lambda x: x / 100),
    run_type=st.none() | st.sampled_from(list(RunType)),
    surface=st.none() | st.sampled_from(list(Surface)),
    elevation_gain_m=st.none() | st.integers(0, 2000),
    shoe_id=st.none() | st.integers(1, 3),
)
journals = st.lists(
    st.one_of(
        any_run,
        any_run,
        entries_of(Kind.STRENGTH),
        entries_of(Kind.CROSS),
        entries_of(Kind.CHECKIN),
    ),
    min_size=5,
    max_size=40,
)


question_ids = [q["id"] for q in triage_text()["red_flags"]["questions"]]
recent_days = st.integers(0, 60).map(lambda n: TODAY - n * DAY)
answers_strategy = st.builds(
    Answers,
    yes=st.dictionaries(st.sampled_from(question_ids), recent_days, max_size=2),
    assessed_on=st.none() | recent_days,
)
plans = st.none() | st.builds(
    Plan,
    kind=st.sampled_from(["calm", "tendon"]),
    started=recent_days,
    days=st.sampled_from([7, 14, 84]),
    id=st.just(1),
)
ticks_strategy = st.sets(st.tuples(recent_days, st.sampled_from([*STEPS, "loading"])), max_size=20)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(journals, answers_strategy, plans, ticks_strategy)
def test_assess_never_fails_on_any_small_journal(entries, answers, plan, ticks):
    for e in entries:
        e.validate(today=TODAY + 7 * DAY)  # storable entries
    result = triage.assess(entries, SHOES, answers, TODAY, plan=plan, ticks=ticks)
    check_sound(result)
    assert (result.progress is None) == (plan is None)
    assert result.plan_allowed == (
        not result.red_flags.raised
        or (answers.assessed_on is not None and result.red_flags.latest <= answers.assessed_on)
    )
    if not result.plan_allowed:
        assert result.guidance.level == "assess"
        assert result.review is None or result.review.next_step == "assess"


def test_a_daily_rise_is_told_from_where_the_pain_began():
    """Pain-free mornings before the rise are not part of it: 0, 0, 0 then 4 -> 8."""
    entries = [run(d(10, 27) + 2 * i * DAY, pain=(0, 0, 0), pain_next_morning=0) for i in range(5)]
    entries += [checkin(d(11, 12) + 2 * i * DAY, pain_later=4 + i) for i in range(5)]
    (flag,) = [f for f in assess(entries).red_flags.flags if f.id == "daily_pain_rising"]
    assert flag.detail == "4 \u2192 5 \u2192 6 \u2192 7 \u2192 8"
    assert flag.days == (d(11, 12), d(11, 14), d(11, 16), d(11, 18), d(11, 20))


def test_equal_counts_are_listed_in_the_model_s_order_whatever_the_sets_say():
    """Triggers are kept in sets, whose order changes from run to run: the panel must not."""
    entries = [
        checkin(
            d(11, 18),
            pain_later=3,
            triggers=frozenset({Trigger.SITTING, Trigger.STAIRS_DOWN}),
            marks=(mark(R, Region.KNEECAP), mark(L, Region.IT_BAND)),
        )
    ]
    p = assess(entries).picture
    assert [t for t, _ in p.triggers] == [Trigger.STAIRS_DOWN, Trigger.SITTING]
    assert [spot for spot, _ in p.regions] == [(L, Region.IT_BAND), (R, Region.KNEECAP)]
