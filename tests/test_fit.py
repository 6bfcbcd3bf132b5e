"""kneelog/importers/fit.py on the committed samples (tests/data/make_samples.py makes them)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kneelog.importers import fit
from kneelog.importers.activity import ImportRejected

DATA = Path(__file__).parent / "data"


def test_it_knows_a_fit_file_by_its_header():
    assert fit.looks_like_fit((DATA / "run.fit").read_bytes())
    assert not fit.looks_like_fit((DATA / "run.gpx").read_bytes())


def test_the_start_is_local_in_the_zone_given():
    data = (DATA / "run.fit").read_bytes()
    (in_utc,) = fit.read(data, dt.UTC)
    (an_hour_on,) = fit.read(data, dt.timezone(dt.timedelta(hours=1)))
    assert an_hour_on.started - in_utc.started == dt.timedelta(hours=1)
    assert in_utc.is_run


def test_bytes_that_are_not_fit_are_refused():
    with pytest.raises(ImportRejected):
        fit.read(b"not a FIT file at all, only words")
