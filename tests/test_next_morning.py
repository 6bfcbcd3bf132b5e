"""The next-morning question: greeted by the time of day, asked about the right morning."""

import datetime as dt

import pytest

from factories import make_run
from kneelog.model import Units
from kneelog.next_morning import greeting, next_morning_question


@pytest.mark.parametrize(
    ("clock", "said"),
    [
        ("05:00", "Good morning!"),
        ("08:15", "Good morning!"),
        ("11:59", "Good morning!"),
        ("12:00", "Good afternoon!"),
        ("17:06", "Good afternoon!"),
        ("18:00", "Good evening!"),
        ("23:30", "Good evening!"),
        ("02:10", "Hello!"),
    ],
)
def test_the_greeting_fits_the_time_of_day(clock, said):
    assert (
        greeting(dt.datetime.combine(dt.date(2026, 11, 21), dt.time.fromisoformat(clock))) == said
    )


def test_yesterdays_run_is_asked_about_this_morning():
    run = make_run(started=dt.datetime(2026, 11, 20, 18, 30), distance_km=5.1)
    assert next_morning_question(run, dt.datetime(2026, 11, 21, 7, 40), Units.KM) == (
        "Good morning! How does your knee feel this morning, after yesterday's 5.1 km? "
        "Pick a number (0 = no pain):"
    )
    at_five = next_morning_question(run, dt.datetime(2026, 11, 21, 17, 6), Units.KM)
    assert at_five.startswith("Good afternoon! How did your knee feel this morning")


def test_an_older_run_is_asked_about_by_its_day_in_the_runners_unit():
    run = make_run(started=dt.datetime(2026, 11, 19, 21, 0), distance_km=8.04672)
    assert next_morning_question(run, dt.datetime(2026, 11, 21, 6, 30), Units.MI) == (
        "Good morning! How did your knee feel the morning after your 5.0 mi on Thursday? "
        "Pick a number (0 = no pain):"
    )
