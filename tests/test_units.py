import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kneelog.model import InvalidEntry, Units
from kneelog.units import (
    format_distance,
    format_duration,
    format_pace,
    parse_distance,
    parse_duration,
    parse_number,
    plural,
)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("45", 2700),
        ("52.5", 3150),
        ("52:30", 3150),
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


def test_plural_says_the_count_with_the_word_for_that_many():
    assert plural(1, "run") == "1 run"
    assert plural(0, "run") == "0 runs"
    assert plural(2, "entry", "entries") == "2 entries"
    assert plural(1626, "entry", "entries") == "1,626 entries"
