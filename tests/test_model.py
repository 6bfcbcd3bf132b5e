"""Entry and Shoe validation: every refusal names the field and says how to fix it."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factories import make_run
from kneelog.model import (
    MAX_DISTANCE_KM,
    MAX_DURATION_S,
    PAIN_FIELDS,
    Change,
    Entry,
    Intensity,
    InvalidEntry,
    Kind,
    PainMark,
    Region,
    Relative,
    RunType,
    Shoe,
    Side,
    Surface,
    TimeCourse,
    Trigger,
    WarningSign,
)

TODAY = dt.date(2026, 11, 21)


def assert_refused(thing, field: str, **validate_kwargs) -> InvalidEntry:
    with pytest.raises(InvalidEntry) as info:
        thing.validate(**validate_kwargs)
    error = info.value
    assert error.field == field
    # The message is for the runner: a sentence in plain words, not a field identifier.
    assert error.message and str(error) == error.message
    assert error.message.endswith(".")
    assert "_" not in error.message
    return error


# -- Entry: each limit refuses with the field it is about ----------------------------------


@pytest.mark.parametrize("name", PAIN_FIELDS)
@pytest.mark.parametrize("value", [-1, 11, 100])
def test_pain_outside_0_to_10_names_the_pain_field(name, value):
    assert_refused(make_run(**{name: value}), name, today=TODAY)


@pytest.mark.parametrize("name", PAIN_FIELDS)
@pytest.mark.parametrize("value", [0, 10])
def test_pain_at_the_ends_of_the_scale_is_valid(name, value):
    make_run(**{name: value}).validate(today=TODAY)


@pytest.mark.parametrize("km", [0, 0.0, -0.5, MAX_DISTANCE_KM + 0.01, 1000, math.nan, math.inf])
def test_distance_not_above_zero_or_over_the_limit_is_refused(km):
    error = assert_refused(make_run(distance_km=km), "distance_km", today=TODAY)
    assert "400 km" in error.message


@pytest.mark.parametrize("km", [0.01, 5, MAX_DISTANCE_KM])
def test_distance_edges_are_valid(km):
    make_run(distance_km=km).validate(today=TODAY)


@pytest.mark.parametrize("seconds", [0, -60, MAX_DURATION_S + 1])
def test_duration_not_above_zero_or_over_48_hours_is_refused(seconds):
    error = assert_refused(make_run(duration_s=seconds), "duration_s", today=TODAY)
    assert "48 hours" in error.message


@pytest.mark.parametrize("seconds", [1, 48 * 3600])
def test_duration_edges_are_valid(seconds):
    make_run(duration_s=seconds).validate(today=TODAY)


def test_future_date_is_refused_and_today_is_not():
    tomorrow = dt.datetime.combine(TODAY + dt.timedelta(days=1), dt.time(0, 0))
    assert_refused(make_run(started=tomorrow), "started", today=TODAY)
    make_run(started=dt.datetime.combine(TODAY, dt.time(23, 59, 59))).validate(today=TODAY)


def test_a_start_time_with_a_time_zone_is_refused():
    # The journal, its charts and its exports compare naive local times; an aware one raised
    # TypeError in all of them after `kneelog load` stored it.
    aware = dt.datetime(2026, 11, 2, 18, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert "time zone" in assert_refused(make_run(started=aware), "started", today=TODAY).message


def test_a_date_before_1900_is_refused():
    assert_refused(make_run(started=dt.datetime(1899, 12, 31, 7, 0)), "started", today=TODAY)
    make_run(started=dt.datetime(1900, 1, 1, 7, 0)).validate(today=TODAY)


def test_future_date_is_judged_against_the_real_today_by_default():
    next_week = dt.datetime.now() + dt.timedelta(days=7)
    assert_refused(make_run(started=next_week), "started")
    make_run(started=dt.datetime.now() - dt.timedelta(days=1)).validate()


@pytest.mark.parametrize("rpe", [-1, 11])
def test_rpe_out_of_range_is_refused(rpe):
    assert_refused(make_run(rpe=rpe), "rpe", today=TODAY)


@pytest.mark.parametrize("rpe", [0, 10])
def test_rpe_edges_are_valid(rpe):
    make_run(rpe=rpe).validate(today=TODAY)


@pytest.mark.parametrize("metres", [-1, 20_001])
def test_elevation_out_of_range_is_refused(metres):
    assert_refused(make_run(elevation_gain_m=metres), "elevation_gain_m", today=TODAY)


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"moving_s": 0}, "moving_s"),
        ({"moving_s": 48 * 3600 + 1, "duration_s": None}, "moving_s"),
        ({"moving_s": 3000, "duration_s": 2950}, "moving_s"),  # moving longer than the whole run
        ({"elevation_loss_m": -0.5}, "elevation_loss_m"),
        ({"elevation_loss_m": 20_001}, "elevation_loss_m"),
        ({"avg_hr": 19}, "avg_hr"),
        ({"avg_hr": 251}, "avg_hr"),
        ({"cadence_spm": 0}, "cadence_spm"),
        ({"cadence_spm": 400.5}, "cadence_spm"),
    ],
)
def test_recorded_values_out_of_range_are_refused(overrides, field):
    assert_refused(make_run(**overrides), field, today=TODAY)


def test_recorded_values_at_their_limits_are_valid():
    make_run(
        duration_s=2950, moving_s=2950, elevation_loss_m=0, avg_hr=20, cadence_spm=400
    ).validate(today=TODAY)
    make_run(avg_hr=250, elevation_loss_m=20_000, cadence_spm=0.5).validate(today=TODAY)


def test_the_same_spot_marked_twice_is_refused():
    marks = (
        PainMark(Side.LEFT, Region.IT_BAND, Intensity.MILD),
        PainMark(Side.LEFT, Region.IT_BAND, Intensity.SEVERE),
    )
    assert_refused(make_run(marks=marks), "marks", today=TODAY)


def test_the_same_region_on_both_knees_is_two_spots():
    marks = (PainMark(Side.LEFT, Region.IT_BAND), PainMark(Side.RIGHT, Region.IT_BAND))
    make_run(marks=marks).validate(today=TODAY)


def test_a_run_without_distance_is_refused():
    assert_refused(make_run(distance_km=None), "distance_km", today=TODAY)


@pytest.mark.parametrize("kind", [Kind.STRENGTH, Kind.CROSS, Kind.CHECKIN])
def test_other_kinds_need_no_distance(kind):
    Entry(kind=kind, started=dt.datetime(2026, 11, 20, 20, 0)).validate(today=TODAY)


def test_a_valid_run_passes():
    make_run().validate(today=TODAY)


# -- Shoe ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("shoe", "field"),
    [
        (Shoe(name=""), "name"),
        (Shoe(name="   \t"), "name"),
        (Shoe(name="Blue", prior_km=-1), "prior_km"),
        (Shoe(name="Blue", prior_km=20_000.5), "prior_km"),
        (Shoe(name="Blue", limit_km=49), "limit_km"),
        (Shoe(name="Blue", limit_km=5_001), "limit_km"),
    ],
)
def test_shoe_refusals_name_the_field(shoe, field):
    assert_refused(shoe, field)


@pytest.mark.parametrize(
    "shoe",
    [
        Shoe(name="Blue trainers"),
        Shoe(name="B", prior_km=0, limit_km=50),
        Shoe(name="Old racers", prior_km=20_000, limit_km=5_000, retired=True),
    ],
)
def test_valid_shoes_pass(shoe):
    shoe.validate()


# -- Properties ---------------------------------------------------------------------------

pain = st.none() | st.integers(0, 10)
marks = st.lists(
    st.builds(PainMark, st.sampled_from(Side), st.sampled_from(Region), st.sampled_from(Intensity)),
    unique_by=lambda m: (m.side, m.region),
    max_size=6,
).map(tuple)


@st.composite
def valid_entries(draw) -> Entry:
    kind = draw(st.sampled_from(Kind))
    distance = st.floats(min_value=0.01, max_value=MAX_DISTANCE_KM, allow_nan=False)
    day = draw(st.dates(max_value=TODAY, min_value=dt.date(1990, 1, 1)))
    return Entry(
        kind=kind,
        started=dt.datetime.combine(day, draw(st.times())),
        distance_km=draw(distance if kind is Kind.RUN else st.none() | distance),
        duration_s=draw(st.none() | st.integers(1, MAX_DURATION_S)),
        run_type=draw(st.none() | st.sampled_from(RunType)),
        activity=draw(st.text(max_size=20)),
        surface=draw(st.none() | st.sampled_from(Surface)),
        elevation_gain_m=draw(st.none() | st.floats(0, 20_000)),
        rpe=draw(st.none() | st.integers(0, 10)),
        pain_start=draw(pain),
        pain_middle=draw(pain),
        pain_end=draw(pain),
        pain_later=draw(pain),
        pain_next_morning=draw(pain),
        time_course=draw(st.none() | st.sampled_from(TimeCourse)),
        triggers=draw(st.frozensets(st.sampled_from(Trigger))),
        changes=draw(st.frozensets(st.sampled_from(Change))),
        warnings=draw(st.frozensets(st.sampled_from(WarningSign))),
        sleep=draw(st.none() | st.sampled_from(Relative)),
        stress=draw(st.none() | st.sampled_from(Relative)),
        notes=draw(st.text(max_size=50)),
        marks=draw(marks),
    )


@settings(deadline=None)
@given(valid_entries())
def test_any_entry_within_the_limits_validates(entry):
    entry.validate(today=TODAY)


@settings(deadline=None)
@given(
    valid_entries(),
    st.sampled_from(PAIN_FIELDS),
    st.integers(max_value=-1) | st.integers(min_value=11),
)
def test_any_pain_out_of_range_is_refused_with_its_field(entry, name, value):
    with pytest.raises(InvalidEntry) as info:
        entry.with_(**{name: value}).validate(today=TODAY)
    assert info.value.field == name
