import contextlib
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kneelog.model import InvalidEntry, Units
from kneelog.units import (
    format_distance,
    format_duration,
    format_pace,
    format_when,
    parse_distance,
    parse_duration,
    parse_number,
    parse_when,
    plural,
)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("45", 2700),
        ("52:30", 3150),
        ("52.30", 3150),  # a stopwatch's dot: 52 minutes 30 seconds, not 52.3 minutes
        ("52,30", 3150),
        ("1.02.03", 3723),
        ("1:02:03", 3723),
        ("1h 5m", 3900),
        ("2h", 7200),
        (" 7:05 ", 425),
        ("90:00", 5400),
        ("", None),
    ],
)
def test_durations_in_the_forms_runners_type(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["abc", "5:75", "1:75:00", "-3", "1:2:3:4", "fast"])
def test_bad_duration_names_the_field_and_the_fix(text):
    with pytest.raises(InvalidEntry) as error:
        parse_duration(text)
    assert error.value.field == "duration_s"
    assert "mm:ss" in error.value.message


def test_distance_accepts_comma_and_unit_suffix_and_miles():
    assert parse_distance("8,4") == pytest.approx(8.4)
    assert parse_distance("10 km") == pytest.approx(10.0)
    assert parse_distance("5", Units.MI) == pytest.approx(8.04672)
    assert parse_distance("  ") is None


@pytest.mark.parametrize("text", ["eight", "8..4", "nan", "inf"])
def test_bad_distance_is_refused_with_an_example(text):
    with pytest.raises(InvalidEntry) as error:
        parse_distance(text)
    assert error.value.field == "distance_km"
    assert "8.4" in error.value.message


def test_parse_number_names_its_field():
    assert parse_number("120", "elevation_gain_m", "the climb") == 120
    with pytest.raises(InvalidEntry) as error:
        parse_number("lots", "elevation_gain_m", "the climb")
    assert error.value.field == "elevation_gain_m"


def test_formatting_for_people():
    assert format_distance(8.4) == "8.4 km"
    assert format_distance(10.0) == "10.0 km", "one decimal always, so a column lines up"
    assert format_distance(16.09344, Units.MI) == "10.0 mi"
    assert format_distance(None) == ""
    assert format_duration(3723) == "1:02:03"
    assert format_duration(425) == "7:05"
    assert format_pace(300.0) == "5:00 /km"
    assert format_pace(300.0, Units.MI) == "8:03 /mi"


@given(st.integers(min_value=1, max_value=48 * 3600))
def test_formatted_durations_read_back(seconds):
    assert parse_duration(format_duration(seconds)) == seconds


@given(st.text(max_size=20))
def test_any_text_parses_or_is_refused_cleanly(text):
    for parse in (parse_duration, parse_distance):
        with contextlib.suppress(InvalidEntry):
            parse(text)


def test_climb_is_in_feet_where_distances_are_in_miles():
    from kneelog.units import climb_unit, format_climb, parse_climb

    # 1 ft is 0.3048 m exactly: 100 m is 328 ft; 1,000 ft is 304.8 m
    assert (climb_unit(Units.KM), climb_unit(Units.MI)) == ("m", "ft")
    assert format_climb(100, Units.KM) == "100 m"
    assert format_climb(100, Units.MI) == "328 ft"
    assert format_climb(None, Units.MI) == ""
    assert parse_climb("1000", Units.MI) == pytest.approx(304.8)
    assert parse_climb("1,000 ft", Units.MI) == pytest.approx(0.3048)  # a comma is a decimal mark
    assert parse_climb(" 120 m ", Units.KM) == 120
    assert parse_climb("", Units.MI) is None


@pytest.mark.parametrize("units, word", [(Units.KM, "metres"), (Units.MI, "feet")])
def test_bad_climb_says_which_unit_to_type(units, word):
    from kneelog.units import parse_climb

    with pytest.raises(InvalidEntry) as caught:
        parse_climb("lots", units)
    assert caught.value.field == "elevation_gain_m"
    assert f"in {word} as a number" in caught.value.message


@pytest.mark.parametrize("text", ["52.5", "52,5", "52.75", "8.4 min"])
def test_a_decimal_time_is_refused_not_guessed(text):
    with pytest.raises(InvalidEntry) as error:
        parse_duration(text)
    assert error.value.field == "duration_s"
    assert ":" in error.value.message and "mm:ss" in error.value.message


SATURDAY_EVENING = dt.datetime(2026, 11, 21, 18, 40)  # 21 Nov 2026 is a Saturday


@pytest.mark.parametrize(
    ("text", "when"),
    [
        ("today 18:40", dt.datetime(2026, 11, 21, 18, 40)),
        ("Today 7:05", dt.datetime(2026, 11, 21, 7, 5)),
        ("yesterday", dt.datetime(2026, 11, 20, 9, 30)),  # the time shown is kept
        ("yesterday 7:15", dt.datetime(2026, 11, 20, 7, 15)),
        ("yesterday 7.15", dt.datetime(2026, 11, 20, 7, 15)),
        ("sat 7:30", dt.datetime(2026, 11, 21, 7, 30)),  # today is a Saturday
        ("thursday", dt.datetime(2026, 11, 19, 9, 30)),
        ("sun 10:00", dt.datetime(2026, 11, 15, 10, 0)),  # the last Sunday, never the next
        ("6:45", dt.datetime(2026, 11, 18, 6, 45)),  # the day shown is kept
        ("2026-11-01 06:05", dt.datetime(2026, 11, 1, 6, 5)),
        ("1 Nov 2026 06:05", dt.datetime(2026, 11, 1, 6, 5)),
        ("Sun 01 Nov 2026  06:05", dt.datetime(2026, 11, 1, 6, 5)),
        ("25 Dec", dt.datetime(2025, 12, 25, 9, 30)),  # no year: the latest 25 Dec
        ("3 nov 17:00", dt.datetime(2026, 11, 3, 17, 0)),
    ],
)
def test_when_reads_the_words_runners_type(text, when):
    shown = dt.datetime(2026, 11, 18, 9, 30)
    assert parse_when(text, shown, SATURDAY_EVENING.date()) == when


@pytest.mark.parametrize("text", ["tomorrowish", "31 Feb 2026", "today 25:00", "18:75", "lunch"])
def test_a_when_that_cannot_be_read_says_how_to_write_it(text):
    with pytest.raises(InvalidEntry) as error:
        parse_when(text, SATURDAY_EVENING, SATURDAY_EVENING.date())
    assert error.value.field == "started"
    assert "18:40" in error.value.message


def test_when_is_shown_as_it_can_be_typed_back():
    shown = format_when(SATURDAY_EVENING)
    assert shown == "Sat 21 Nov 2026  18:40"
    assert parse_when(shown, dt.datetime(2020, 1, 1), SATURDAY_EVENING.date()) == SATURDAY_EVENING


def test_plural_says_the_count_with_the_word_for_that_many():
    assert plural(1, "run") == "1 run"
    assert plural(0, "run") == "0 runs"
    assert plural(2, "entry", "entries") == "2 entries"
    assert plural(1626, "entry", "entries") == "1,626 entries"
