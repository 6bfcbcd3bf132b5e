"""The journal week by week: the calendar's data, without Qt."""

import datetime as dt

from factories import make_run
from kneelog.journal_calendar import calendar_weeks, highest_pain
from kneelog.model import Entry, Kind, Units
from kneelog.rules import Level

NO_PAIN = dict(pain_start=None, pain_middle=None, pain_end=None)


def at(day: str, hour: int = 7) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour))


def test_weeks_run_monday_to_sunday_newest_first_with_empty_weeks():
    runs = [
        make_run(id=1, started=at("2026-11-03"), distance_km=8.4),  # a Tuesday
        make_run(id=2, started=at("2026-11-22"), distance_km=5.0),  # a Sunday
    ]
    weeks = calendar_weeks(runs)
    assert [w.start for w in weeks] == [
        dt.date(2026, 11, 16),
        dt.date(2026, 11, 9),
        dt.date(2026, 11, 2),
    ]
    assert [d.day.weekday() for d in weeks[0].days] == list(range(7))
    assert weeks[1].runs == 0 and weeks[1].distance_km == 0
    assert [e.entry_id for e in weeks[2].days[1].entries] == [1]
    assert [e.entry_id for e in weeks[0].days[6].entries] == [2]


def test_a_day_holds_its_entries_in_order_and_the_week_its_runs():
    entries = [
        make_run(id=5, started=at("2026-11-18", 18), distance_km=4.0),
        make_run(id=4, started=at("2026-11-18", 7), distance_km=10.0),
        Entry(kind=Kind.STRENGTH, started=at("2026-11-19", 18), id=6, duration_s=2100),
    ]
    [week] = calendar_weeks(entries)
    wednesday = week.days[2]
    assert [e.entry_id for e in wednesday.entries] == [4, 5]
    assert [e.text for e in wednesday.entries] == ["10.0 km", "4.0 km"]
    assert week.days[3].entries[0].text == "Strength"
    assert week.runs == 2 and week.distance_km == 14.0


def test_the_day_takes_the_level_of_its_highest_pain_by_the_pain_rules():
    # knee-facts 5: up to 3 is fine, 4 ease off, above 4 stop, 7 or more get it assessed
    entries = [
        make_run(id=1, started=at("2026-11-16"), pain_start=1, pain_middle=2, pain_end=3),
        make_run(
            id=2,
            started=at("2026-11-17"),
            pain_start=0,
            pain_middle=1,
            pain_end=1,
            pain_next_morning=4,
        ),
        make_run(id=3, started=at("2026-11-18"), pain_start=2, pain_middle=3, pain_end=5),
        Entry(kind=Kind.CHECKIN, started=at("2026-11-19", 20), id=4, pain_later=7),
        make_run(id=5, started=at("2026-11-20"), pain_pending=True, **NO_PAIN),  # imported
    ]
    [week] = calendar_weeks(entries)
    assert [d.pain for d in week.days[:5]] == [3, 4, 5, 7, None]
    assert [d.level for d in week.days[:5]] == [
        Level.GO,
        Level.EASE,
        Level.STOP,
        Level.ASSESS,
        None,
    ]
    assert week.days[5].level is None and week.days[5].entries == ()


def test_two_entries_on_a_day_colour_it_by_the_worse():
    entries = [
        make_run(id=1, started=at("2026-11-16", 7), pain_middle=1, pain_end=2),
        Entry(kind=Kind.CHECKIN, started=at("2026-11-16", 20), id=2, pain_later=6),
    ]
    assert calendar_weeks(entries)[0].days[0].level is Level.STOP


def test_notes_and_pain_are_in_the_details_for_the_tip():
    run = make_run(
        id=1,
        started=at("2026-11-16"),
        distance_km=8.4,
        duration_s=2940,
        pain_start=1,
        pain_middle=2,
        pain_end=3,
        pain_next_morning=2,
        notes="Long downhill at the end.",
    )
    [entry] = calendar_weeks([run])[0].days[0].entries
    assert entry.details.splitlines() == [
        "Mon 16 Nov 2026  07:00: 8.4 km run in 49:00",
        "Pain: start 1, middle 2, end 3, next morning 2",
        "Long downhill at the end.",
    ]
    assert entry.notes == "Long downhill at the end."


def test_miles_when_the_journal_is_in_miles():
    run = make_run(id=1, started=at("2026-11-16"), distance_km=8.04672)  # 5 miles
    assert calendar_weeks([run], Units.MI)[0].days[0].entries[0].text == "5.0 mi"


def test_a_period_bounds_the_weeks_and_marks_the_days_outside_it():
    runs = [make_run(id=i, started=at(f"2026-11-{d}")) for i, d in enumerate((10, 18, 24))]
    weeks = calendar_weeks(runs, first=dt.date(2026, 11, 12), last=dt.date(2026, 11, 21))
    assert [w.start for w in weeks] == [dt.date(2026, 11, 16), dt.date(2026, 11, 9)]
    assert [d.in_period for d in weeks[1].days] == [False] * 3 + [True] * 4
    assert [d.in_period for d in weeks[0].days] == [True] * 6 + [False]
    assert weeks[1].days[1].entries == ()  # the 10th is before the period


def test_an_empty_journal_has_no_weeks():
    assert calendar_weeks([]) == []
    assert len(calendar_weeks([], first=dt.date(2026, 11, 16), last=dt.date(2026, 11, 22))) == 1


def test_highest_pain_reads_every_pain_field():
    assert highest_pain(make_run(pain_start=1, pain_later=6, pain_next_morning=2)) == 6
    assert highest_pain(make_run(**NO_PAIN)) is None
