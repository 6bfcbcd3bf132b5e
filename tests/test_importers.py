"""kneelog.importers: what each sample file holds comes out, and every bad file is refused."""

import datetime as dt
import math
import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from factories import DATA, sample_maker
from kneelog.importers import MAX_FILE_BYTES, ImportRejected, read_bytes, read_file

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
S = sample_maker()


def read(name: str, zone=BERLIN):
    data, activities = read_file(DATA / name, zone)
    assert data == (DATA / name).read_bytes()
    return activities


def only(name: str, zone=BERLIN):
    activities = read(name, zone)
    assert len(activities) == 1
    return activities[0]


def rejected(data: bytes) -> str:
    with pytest.raises(ImportRejected) as caught:
        read_bytes(data, BERLIN)
    return caught.value.reason


# -- FIT -----------------------------------------------------------------------------------


def test_fit_run_with_fractional_cadence():
    run, made = only("run.fit"), S.FIT_RUN
    assert run.started == dt.datetime(2025, 6, 14, 9, 5)  # 07:05 UTC, summer time in Berlin
    assert run.is_run and not run.indoor
    assert run.distance_km == pytest.approx(made["distance"] / 1000)
    assert run.elapsed_s == made["elapsed"] and run.moving_s == made["timer"]
    assert (run.elevation_gain_m, run.elevation_loss_m) == (made["ascent"], made["descent"])
    assert run.avg_hr == made["hr"]
    # FIT counts strides: (84 + 0.75) x 2 steps a minute.
    assert run.cadence_spm == pytest.approx(2 * (made["strides"] + made["fraction"])) == 169.5
    assert run.device == "Forerunner 245"


def test_fit_stores_utc_and_the_start_is_local_in_the_zone_given_across_the_clock_change():
    # 00:40 UTC on the night Europe goes to summer time (01:00 UTC): 01:40 winter time in Berlin.
    run = only("dst.fit", BERLIN)
    assert run.started == dt.datetime(2025, 3, 30, 1, 40)
    # The run ends at 03:30 by the Berlin clock, yet it lasted 50 minutes, not 110.
    assert run.elapsed_s == S.FIT_DST["elapsed"] == 3000
    # New York was already on summer time (UTC-4).
    assert only("dst.fit", NEW_YORK).started == dt.datetime(2025, 3, 29, 20, 40)
    # No zone given: this computer's zone, whatever it is.
    expected = S.FIT_DST["start"].astimezone().replace(tzinfo=None)
    assert only("dst.fit", None).started == expected


def test_fit_treadmill_run_has_its_distance_without_gps():
    run = only("treadmill.fit")
    assert run.is_run and run.indoor and run.sub_sport == "treadmill"
    assert run.distance_km == pytest.approx(6.4)
    assert run.cadence_spm == pytest.approx(2 * 86.5)
    assert run.device == "Garmin fr245"  # no device name in the file: maker and model


def test_fit_ride_is_another_sport_without_running_cadence():
    ride = only("ride.fit")
    assert ride.sport == "cycling" and not ride.is_run
    assert ride.distance_km == pytest.approx(40.125)
    assert ride.cadence_spm is None  # pedal revolutions are not steps
    assert ride.device == "Edge 530"


def test_fit_that_is_not_an_activity():
    assert "not an activity file: it holds a planned workout" in rejected(
        (DATA / "workout.fit").read_bytes()
    )


def test_fit_cut_short_or_damaged_is_refused_whole():
    data = (DATA / "run.fit").read_bytes()
    assert "cut short" in rejected(data[: len(data) // 2])
    assert "cut short" in rejected(data[:-1])  # only the checksum is missing
    damaged = bytearray(data)
    damaged[len(data) // 2] ^= 0x40
    assert "checksum" in rejected(bytes(damaged))
    assert rejected(data[:20]).startswith("this")


# -- GPX -----------------------------------------------------------------------------------


def haversine_km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def test_gpx_run_values_come_from_its_track():
    run, made = only("run.gpx"), S.GPX_RUN
    root = ET.parse(DATA / "run.gpx").getroot()
    ns = {"g": "http://www.topografix.com/GPX/1/1", "x": S.GPX_NS}
    points = root.findall(".//g:trkpt", ns)
    assert len(points) == made["points"]
    assert run.started == dt.datetime(2025, 9, 7, 8, 30)  # 06:30 UTC
    assert run.elapsed_s == (made["points"] - 1) * made["every"]
    coordinates = [(float(p.get("lat")), float(p.get("lon"))) for p in points]
    km = sum(haversine_km(*a, *b) for a, b in pairwise(coordinates))
    assert run.distance_km == pytest.approx(km, rel=0.01)
    standing = made["stop"][1] - made["stop"][0] - 1
    assert run.moving_s == pytest.approx(
        run.elapsed_s - standing * made["every"], abs=2 * made["every"]
    )
    hill = made["climb"] * (made["points"] // 2)
    assert run.elevation_gain_m == pytest.approx(hill, abs=2)
    assert run.elevation_loss_m == pytest.approx(hill, abs=2)
    heart_rates = [int(e.text) for e in root.iter(f"{{{S.GPX_NS}}}hr")]
    cadences = [int(e.text) for e in root.iter(f"{{{S.GPX_NS}}}cad")]
    assert run.avg_hr == pytest.approx(sum(heart_rates) / len(heart_rates))
    assert run.cadence_spm == pytest.approx(2 * sum(cadences) / len(cadences))
    assert run.device == "Forerunner 255" and run.is_run


@pytest.mark.parametrize(
    ("written", "steps"),
    [
        # Garmin Connect writes strides (one foot) in the extension: 85 strides = 170 steps.
        ((85, 85), 170.0),
        # Other apps write steps: 170 steps a minute must not become 340.
        ((170, 170), 170.0),
        ((228, 228), 228.0),
        # Neither a stride rate nor a step rate a runner has: a broken sensor, not stored.
        ((40, 40), None),
        ((118, 118), None),
        ((300, 300), None),
    ],
)
def test_gpx_cadence_is_told_steps_or_strides_by_what_a_runner_can_do(written, steps):
    made = dict(S.GPX_RUN, cad=written)
    (run,) = read_bytes(S.gpx_run(**made), BERLIN)
    assert run.cadence_spm == steps


def test_fit_cadence_no_runner_has_is_not_stored():
    made = dict(S.FIT_RUN, strides=150, fraction=0.0)  # 300 steps a minute
    (run,) = read_bytes(S.fit_activity(**made), BERLIN)
    assert run.cadence_spm is None and run.distance_km == pytest.approx(6.0125)


def test_gpx_route_without_times_is_not_an_activity():
    gpx = (
        b'<?xml version="1.0"?><gpx xmlns="http://www.topografix.com/GPX/1/1" version="1.1" '
        b'creator="x"><trk><trkseg><trkpt lat="1" lon="1"/><trkpt lat="1.1" lon="1"/></trkseg></trk></gpx>'
    )
    assert "route" in rejected(gpx)
    empty = b'<gpx xmlns="http://www.topografix.com/GPX/1/1" version="1.1"></gpx>'
    assert "no recorded track" in rejected(empty)


def test_gpx_with_a_sport_other_than_running():
    data = (DATA / "run.gpx").read_bytes().replace(b"<type>running</type>", b"<type>cycling</type>")
    (ride,) = read_bytes(data, BERLIN)
    assert ride.sport == "cycling" and ride.cadence_spm is None


# -- TCX -----------------------------------------------------------------------------------


def test_tcx_run_through_the_night_the_clocks_go_back():
    run, made = only("run.tcx"), S.TCX_RUN
    # 00:30 UTC is 02:30 summer time; at 01:00 UTC the Berlin clock goes back to 02:00.
    assert run.started == dt.datetime(2025, 10, 26, 2, 30)
    assert run.elapsed_s == sum(lap[0] for lap in made["laps"]) == 2700
    assert run.moving_s == sum(lap[1] for lap in made["laps"]) == 2600
    assert run.distance_km == pytest.approx(sum(lap[2] for lap in made["laps"]) / 1000)
    assert run.avg_hr == made["hr"]
    assert run.cadence_spm == 2 * made["run_cadence"]
    assert run.device == made["creator"] and run.is_run and not run.indoor
    root = ET.parse(DATA / "run.tcx").getroot()
    heights = [float(e.text) for e in root.iter(f"{{{S.TCX}}}AltitudeMeters")]
    climbs = [b - a for a, b in pairwise(heights)]
    assert run.elevation_gain_m == pytest.approx(sum(c for c in climbs if c > 0))
    assert run.elevation_loss_m == pytest.approx(-sum(c for c in climbs if c < 0))


def test_tcx_treadmill_run_has_its_distance_without_gps():
    run = only("treadmill.tcx")
    assert run.indoor and run.is_run
    assert run.started == dt.datetime(2025, 2, 10, 20, 0)
    assert run.distance_km == pytest.approx(5.0)
    assert run.elevation_gain_m is None


def test_tcx_without_an_activity():
    tcx = (
        b'<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">'
        b"<Courses/></TrainingCenterDatabase>"
    )
    assert "holds no activity" in rejected(tcx)


# -- anything ------------------------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE gpx [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<gpx xmlns="http://www.topografix.com/GPX/1/1" version="1.1" creator="&lol9;"></gpx>"""


@pytest.mark.parametrize(
    "hostile",
    [
        BILLION_LAUGHS,
        b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
        b'<gpx xmlns="http://www.topografix.com/GPX/1/1" creator="&secret;"></gpx>',
        b'<?xml version="1.0"?><!DOCTYPE TrainingCenterDatabase SYSTEM "http://example.invalid/x.dtd">'
        b'<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"/>',
    ],
    ids=["billion laughs", "external entity", "external DTD"],
)
def test_hostile_xml_is_refused_before_any_entity_is_expanded(hostile):
    reason = rejected(hostile)
    assert "DTD" in reason and "refuses them for safety" in reason


def test_a_dtd_in_front_of_a_real_gpx_is_refused_too():
    data = (DATA / "run.gpx").read_bytes().replace(b"<gpx ", b"<!DOCTYPE gpx><gpx ", 1)
    assert "DTD" in rejected(data)


@pytest.mark.parametrize(
    "data, words",
    [
        (b"", "empty"),
        (b"  \n", "empty"),
        (b"Date,Distance\n2025-01-01,5\n", "not a GPX, TCX or FIT file"),
        (b"<html><body>not a run</body></html>", "not GPX or TCX"),
        (b"<gpx><trk>", "cut short"),
        ((DATA / "run.tcx").read_bytes()[:5000], "cut short"),
    ],
)
def test_files_that_are_not_activities(data, words):
    assert words in rejected(data)


def test_a_file_too_large_is_refused_before_it_is_read(tmp_path):
    big = tmp_path / "huge.gpx"
    with big.open("wb") as f:
        f.truncate(MAX_FILE_BYTES + 1)  # sparse: no disk space used
    with pytest.raises(ImportRejected, match="larger than 50 MB"):
        read_file(big)


def test_a_missing_file_or_a_folder(tmp_path):
    with pytest.raises(ImportRejected, match="no such file"):
        read_file(tmp_path / "gone.fit")
    with pytest.raises(ImportRejected, match="a folder"):
        read_file(tmp_path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX thing")
def test_a_named_pipe_is_refused_at_once_not_waited_on(tmp_path):
    # In a child process with a timeout: opening the pipe used to wait for a writer for ever.
    pipe = tmp_path / "run.fit"
    os.mkfifo(pipe)
    journal = tmp_path / "journal.db"
    result = subprocess.run(
        [sys.executable, "-m", "kneelog", "import", str(pipe), "--journal", str(journal)],
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 1, result.stderr
    assert "not a regular file" in result.stdout
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX thing")
def test_read_file_refuses_a_named_pipe_and_a_device(tmp_path):
    pipe = tmp_path / "run.gpx"
    os.mkfifo(pipe)
    for path in (pipe, Path("/dev/zero")):
        with pytest.raises(ImportRejected, match="not a regular file"):
            read_file(path)


def test_a_fit_file_of_100_chained_copies_is_one_run():
    data = (DATA / "run.fit").read_bytes()
    [activity] = read_bytes(data * 100, BERLIN)
    assert activity == read_bytes(data, BERLIN)[0]


def test_a_fit_file_chaining_more_parts_than_any_watch_writes_is_refused_early():
    # 5,000 chained copies of a run (45 MB) took fitdecode 98 s to read to the end.
    data = (DATA / "run.fit").read_bytes() * 5_000
    began = time.perf_counter()
    assert "chains more than" in rejected(data)
    assert time.perf_counter() - began < 10


def test_a_chained_fit_file_of_two_different_runs_is_two_runs():
    data = (
        (DATA / "run.fit").read_bytes()
        + (DATA / "dst.fit").read_bytes()
        + (DATA / "run.fit").read_bytes()
    )
    assert len(read_bytes(data, BERLIN)) == 2


@pytest.mark.parametrize(
    "trap",
    [
        b" ".join(
            f'xmlns:n{i}="urn:{i}"'.encode() for i in range(20_000)
        ),  # each registered, one by one
        b" xmlns" * 300_000,  # each sends gpxpy's pattern to the end of the file looking for "="
    ],
    ids=["20,000 namespaces", "300,000 xmlns without a value"],
)
def test_a_gpx_full_of_namespaces_is_refused_quickly(trap):
    # gpxpy scans the whole text for namespace declarations, comments included; these took
    # 22 s and about forever before they were refused.
    data = (DATA / "run.gpx").read_bytes().replace(b"<trk>", b"<!--" + trap + b"--><trk>")
    began = time.perf_counter()
    assert "namespaces" in rejected(data)
    assert time.perf_counter() - began < 2


def test_a_date_nobody_ran_on_is_refused():
    data = (DATA / "run.gpx").read_bytes().replace(b"2025-09-07T", b"1900-09-07T")
    assert "cannot be right" in rejected(data)
