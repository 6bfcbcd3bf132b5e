"""kneelog/importers/gpx.py on the committed sample (tests/data/make_samples.py makes it)."""

from __future__ import annotations

from pathlib import Path

from kneelog.importers import gpx, safe_xml

DATA = Path(__file__).parent / "data"


def test_it_knows_its_own_format_by_the_root_element():
    assert gpx.looks_like_gpx(safe_xml.parse((DATA / "run.gpx").read_bytes()))
    assert not gpx.looks_like_gpx(safe_xml.parse((DATA / "run.tcx").read_bytes()))


def test_a_tree_parsed_already_gives_the_same_run():
    data = (DATA / "run.gpx").read_bytes()
    (run,) = gpx.read(data)
    assert gpx.read(data, root=safe_xml.parse(data)) == [run]
    assert run.is_run and run.distance_km and run.distance_km > 0
