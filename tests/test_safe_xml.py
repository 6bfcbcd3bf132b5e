"""XML limits: no depth and no number of elements reaches a parser that builds a tree.

The deep files run in a child process: before the limits, gpxpy's deepcopy of a tree 200,000
levels deep overflowed the C stack and killed the process with SIGSEGV, which no except clause
in the same process could catch.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from kneelog.importers import ImportRejected, read_bytes, safe_xml

GPX_HEAD = (
    b'<?xml version="1.0"?><gpx xmlns="http://www.topografix.com/GPX/1/1" version="1.1">'
    b'<trk><trkseg><trkpt lat="1" lon="1"><time>2025-01-01T00:00:00Z</time><extensions>'
)
GPX_TAIL = b"</extensions></trkpt></trkseg></trk></gpx>"
TCX_HEAD = (
    b'<?xml version="1.0"?><TrainingCenterDatabase '
    b'xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"><Activities>'
    b'<Activity Sport="Running"><Lap><Track><Trackpoint>'
)
TCX_TAIL = b"</Trackpoint></Track></Lap></Activity></Activities></TrainingCenterDatabase>"


def nested(head: bytes, tail: bytes, depth: int) -> bytes:
    return head + b"<a>" * depth + b"</a>" * depth + tail


def read_in_child(data: bytes) -> subprocess.CompletedProcess:
    """read_bytes(data) in a fresh interpreter: a crash there is an exit code here."""
    script = textwrap.dedent("""
        import sys
        from kneelog.importers import ImportRejected, read_bytes
        try:
            read_bytes(sys.stdin.buffer.read())
        except ImportRejected as refusal:
            print(refusal.reason)
            sys.exit(3)
    """)
    return subprocess.run(
        [sys.executable, "-c", script], input=data, capture_output=True, timeout=60
    )


@pytest.mark.parametrize(
    "head, tail", [(GPX_HEAD, GPX_TAIL), (TCX_HEAD, TCX_TAIL)], ids=["gpx", "tcx"]
)
def test_a_file_nested_200000_deep_is_refused_not_a_crash(head, tail):
    result = read_in_child(nested(head, tail, 200_000))
    assert result.returncode == 3, (result.returncode, result.stderr[-2000:])
    assert b"nested" in result.stdout
    assert result.stderr == b""


@pytest.mark.parametrize("depth", [safe_xml.MAX_DEPTH + 1, 5_000, 50_000])
def test_any_depth_beyond_the_limit_is_refused_in_words(depth):
    with pytest.raises(ImportRejected, match="nested"):
        read_bytes(nested(GPX_HEAD, GPX_TAIL, depth))


def test_a_depth_within_the_limit_goes_on_to_the_importer():
    (activity,) = read_bytes(nested(GPX_HEAD, GPX_TAIL, 10))
    assert activity.started.year == 2025


def test_too_many_elements_are_refused_before_a_tree_is_built(monkeypatch):
    monkeypatch.setattr(safe_xml, "MAX_ELEMENTS", 1_000)
    data = GPX_HEAD + b"<a/>" * 1_001 + GPX_TAIL
    with pytest.raises(ImportRejected, match="elements"):
        read_bytes(data)


def test_the_limits_leave_a_real_day_long_file_alone():
    # A 48-hour run recorded every second, 8 elements a point: far inside both limits.
    assert safe_xml.MAX_ELEMENTS > 48 * 3600 * 8
    assert safe_xml.MAX_DEPTH >= 20


def test_a_dtd_is_refused_by_the_pre_pass_before_any_entity_is_expanded():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><gpx>&b;</gpx>'
    )
    with pytest.raises(ImportRejected, match="DTD"):
        safe_xml.check(bomb)


@pytest.mark.parametrize("data", [b"<gpx>", b"<gpx></trk>", b"\xff\xfe<\x00", "<gpx>\udc80</gpx>"])
def test_the_pre_pass_refuses_broken_xml_in_words(data):
    with pytest.raises(ImportRejected):
        safe_xml.check(data)


@pytest.mark.parametrize(
    "doctype",
    [
        b'<!DOCTYPE TrainingCenterDatabase [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
        b'<!DOCTYPE TrainingCenterDatabase [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
        b'<!DOCTYPE TrainingCenterDatabase SYSTEM "http://example.com/evil.dtd">',
    ],
    ids=["entities", "external entity", "external DTD"],
)
def test_the_tree_a_tcx_file_is_read_into_refuses_any_dtd_before_it_is_read(doctype):
    """parse() vets and builds the tree in one pass: a DTD stops it where it begins."""
    data = b'<?xml version="1.0"?>' + doctype + TCX_HEAD[len(b'<?xml version="1.0"?>') :]
    data += b"&b;" if b"ENTITY b" in doctype else b"&x;" if b"ENTITY x" in doctype else b""
    data += TCX_TAIL
    with pytest.raises(ImportRejected, match="DTD"):
        safe_xml.parse(data)
    with pytest.raises(ImportRejected, match="DTD"):
        read_bytes(data)
