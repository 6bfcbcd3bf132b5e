"""kneelog/importers/activity.py: what every watch-file reader shares."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from kneelog.importers.activity import ImportRejected, local_time, number, sport_name


@pytest.mark.parametrize(
    ("value", "scale", "expected"),
    [
        (12.5, 1.0, 12.5),
        ("3", 1000.0, 3000.0),
        (0, 1.0, None),  # a missing sensor reads 0
        (-4, 1.0, None),
        (None, 1.0, None),
        (math.inf, 1.0, None),
        ("fast", 1.0, None),
        (b"\x01", 1.0, None),
        ((1, 2), 1.0, None),
    ],
)
def test_number_keeps_finite_positive_figures_only(value, scale, expected):
    assert number(value, scale) == expected


@pytest.mark.parametrize(
    ("text", "sport"),
    [
        ("Running", "running"),
        ("trail-running", "running"),
        (None, "running"),
        ("17", "running"),
        ("Mountain Biking", "cycling"),
        ("open water swim", "swimming"),
        ("Hiking", "hiking"),
        ("rowing", "rowing"),
    ],
)
def test_sport_name_reads_what_apps_write(text, sport):
    assert sport_name(text) == sport


def test_local_time_turns_utc_into_the_runners_zone_to_the_second():
    moment = dt.datetime(2026, 11, 21, 7, 30, 15, 999, tzinfo=dt.UTC)
    zone = dt.timezone(dt.timedelta(hours=1))
    assert local_time(moment, zone) == dt.datetime(2026, 11, 21, 8, 30, 15)
    naive = dt.datetime(2026, 11, 21, 7, 30)  # a file without a zone means UTC
    assert local_time(naive, zone) == dt.datetime(2026, 11, 21, 8, 30)


def test_local_time_refuses_a_date_no_watch_could_have_recorded():
    with pytest.raises(ImportRejected, match="cannot be right"):
        local_time(dt.datetime(1971, 1, 1, tzinfo=dt.UTC))
