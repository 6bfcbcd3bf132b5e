"""kneelog/importers/tcx.py on the committed sample (tests/data/make_samples.py makes it)."""

from __future__ import annotations

from pathlib import Path

from kneelog.importers import safe_xml, tcx

DATA = Path(__file__).parent / "data"


def test_it_knows_its_own_format_by_the_root_element():
    assert tcx.looks_like_tcx(safe_xml.parse((DATA / "run.tcx").read_bytes()))
    assert not tcx.looks_like_tcx(safe_xml.parse((DATA / "run.gpx").read_bytes()))


def test_a_tree_parsed_already_gives_the_same_run():
    data = (DATA / "run.tcx").read_bytes()
    (run,) = tcx.read(data)
    assert tcx.read(data, root=safe_xml.parse(data)) == [run]
    assert run.is_run and run.distance_km and run.distance_km > 0
