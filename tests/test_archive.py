"""kneelog.importers.archive and export_meta: an export read from its zip, hostile zips
refused whole with the reason, quickly, with nothing written anywhere."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import os
import stat
import tempfile
import time
import tracemalloc
import zipfile

import pytest

from factories import folder_state, sample_maker, sha256
from kneelog.importers import ImportRejected
from kneelog.importers.archive import MAX_FILE_BYTES, ArchiveRefused, open_export, unpacked
from kneelog.importers.export_meta import (
    garmin_activities,
    strava_activities,
    strava_shoes,
    strava_table,
)
from kneelog.importing import Outcome, import_files

S = sample_maker()
RUN = S.fit_activity(**S.FIT_RUN)
STAMP = (2026, 3, 29, 12, 0, 0)


def zip_of(members: dict[str, bytes], **infos) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            info = infos.get(name) or zipfile.ZipInfo(name, STAMP)
            zf.writestr(info, data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def symlink(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, STAMP)
    info.create_system = 3  # unix, where the mode bits are read
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


def many_empty(count: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as zf:
        for i in range(count):
            zf.writestr(zipfile.ZipInfo(f"e/{i}", STAMP), b"")
    return buffer.getvalue()


REFUSED_FOR = {
    "traversal.zip": "leads out of it",
    "deep traversal.zip": "leads out of it",
    "absolute.zip": "leads out of it",
    "drive.zip": "leads out of it",
    "symlink.zip": "symbolic link",
    "bomb.zip": "zip bomb",
    "nested bomb.zip": "zip bomb",
    "100000 members.zip": "more than 50,000 files",
    "zips in zips.zip": "deeper than any export",
    "not a zip.zip": "not a zip file",
    "cut short.zip": "cut short",
    "empty.zip": "no activities in it",
}


def hostile() -> dict[str, bytes]:
    """Each hostile zip, named as in REFUSED_FOR."""
    bomb = b"\0" * (60 * 1024 * 1024)  # 60 MB of zeros pack into some 60 kB
    nested = zip_of({"a.zip": zip_of({"b.zip": zip_of({"run.fit": RUN})})})
    return {
        "traversal.zip": zip_of({"../../evil.fit": RUN}),
        "deep traversal.zip": zip_of({"activities/../../x/evil.fit": RUN}),
        "absolute.zip": zip_of({"/tmp/evil.fit": RUN}),
        "drive.zip": zip_of({"C:\\Windows\\evil.fit": RUN}),
        "symlink.zip": zip_of(
            {"activities/run.fit": b"/etc/passwd"},
            **{"activities/run.fit": symlink("activities/run.fit")},
        ),
        "bomb.zip": zip_of({"activities/run.gpx": bomb}),
        "nested bomb.zip": zip_of({"Part1.zip": zip_of({"run.gpx": bomb})}),
        "100000 members.zip": many_empty(100_000),
        "zips in zips.zip": nested,
        "not a zip.zip": b"PK\x03\x04 this is not a zip at all" * 10,
        "cut short.zip": zip_of({"activities/run.fit": RUN})[:-30],
        "empty.zip": zip_of({"readme.txt": b"hello"}),
    }


def outside_the_journal(folder):
    return {k: v for k, v in folder_state(folder).items() if not k.startswith("journal/")}


@pytest.fixture(scope="module")
def hostile_zips(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    for name, data in hostile().items():
        (folder / name).write_bytes(data)
    return folder


@pytest.mark.parametrize("name", sorted(REFUSED_FOR))
def test_a_hostile_zip_is_refused_quickly_with_its_reason_and_nothing_written(
    hostile_zips, name, store, tmp_path
):
    expected = REFUSED_FOR[name]
    journal = store.path
    before_journal = sha256(journal)
    before = outside_the_journal(tmp_path)
    started = time.perf_counter()
    report = import_files(store, [hostile_zips / name])
    seconds = time.perf_counter() - started
    (result,) = report.results
    assert result.outcome is Outcome.REJECTED and expected in result.message, result.message
    assert store.count() == 0 and sha256(journal) == before_journal
    assert outside_the_journal(tmp_path) == before  # nothing unpacked anywhere
    assert seconds < 10, "a refusal that takes this long is work the zip made kneelog do"


def test_a_symbolic_link_in_an_unpacked_export_is_not_followed(store, tmp_path):
    outside = tmp_path / "outside.fit"
    outside.write_bytes(RUN)
    export = tmp_path / "export"
    (export / "activities").mkdir(parents=True)
    (export / "activities.csv").write_text("Activity ID,Filename\n1,activities/run.fit\n")
    os.symlink(outside, export / "activities" / "run.fit")
    report = import_files(store, [export])
    (result,) = report.results
    assert result.outcome is Outcome.REJECTED and store.count() == 0


def test_gzip_members_are_unpacked_with_a_cap():
    assert unpacked("a.fit.gz", gzip.compress(RUN)) == RUN
    assert unpacked("a.fit", RUN) == RUN
    with pytest.raises(ImportRejected, match="more than 50 MB"):
        unpacked("a.gpx.gz", gzip.compress(b"<" * (MAX_FILE_BYTES + 10)))
    with pytest.raises(ImportRejected, match="cut short"):
        unpacked("a.fit.gz", gzip.compress(RUN)[:100])
    with pytest.raises(ImportRejected, match="not a whole gzip file"):
        unpacked("a.fit.gz", b"not gzip at all")


def test_a_zip_of_watch_files_that_is_no_export_is_read_as_files(tmp_path):
    path = tmp_path / "runs.zip"
    path.write_bytes(zip_of({"2025/run.fit": RUN, "2025/run.gpx.gz": gzip.compress(b"<gpx/>")}))
    with open_export(path) as export:
        assert export.kind == ""
        assert [m.name for m in export.members] == ["2025/run.fit", "2025/run.gpx.gz"]
        assert export.read(export.members[0]) == RUN


def test_refusals_are_import_rejections_the_rest_of_kneelog_knows():
    assert issubclass(ArchiveRefused, ImportRejected)


# -- the tables: by position and content, whatever the header's language ------------------


def csv_rows(header: list[str], rows: list[list[str]]) -> bytes:
    import csv

    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def test_the_2019_layout_finds_the_file_and_gear_by_content():
    # Strava's header from mid-2019 (a public report of that export): ten columns, no note.
    header = ["Activity ID", "Activity Date", "Activity Name", "Activity Type", "Activity Description", "Elapsed Time", "Distance", "Commute", "Activity Gear", "Filename"]  # fmt: skip
    data = csv_rows(
        header,
        [["1836776031", "Sep 12, 2018, 3:02:23 PM", "Evening Ride", "Ride", "", "783", "3.68",
          "true", "Merida", "activities/1836776031.gpx"],
         ["1836776032", "Sep 13, 2018, 7:00:00 AM", "Morning Run", "Run", "Hills", "2400",
          "8.1", "false", "Pegasus", "activities/1836776032.fit.gz"]],
    )  # fmt: skip
    (ride_file, ride), (run_file, run) = strava_activities(data)
    assert ride_file == "activities/1836776031.gpx" and ride.sport == "cycling"
    assert run_file == "activities/1836776032.fit.gz"
    assert (run.sport, run.gear, run.note, run.rpe) == ("running", "Pegasus", "Hills", None)


def test_an_exertion_column_that_holds_other_things_is_left_alone():
    header = [f"c{i}" for i in range(60)]
    row = [""] * 60
    row[3], row[12], row[43] = "Run", "activities/1.fit", "155"  # not an effort from 1 to 10
    (_, meta), = strava_activities(csv_rows(header, [row]))  # fmt: skip
    assert meta.rpe is None


def test_no_file_column_is_said_so():
    with pytest.raises(ImportRejected, match="no column of file names"):
        strava_activities(csv_rows(["a", "b"], [["1", "2"]]))


def test_shoes_without_a_nickname_are_named_by_brand_and_model():
    data = csv_rows(
        ["Shoe Name", "Shoe Brand", "Shoe Model", "Shoe Default Sport Types"],
        [["Blue Pegasus", "Nike", "Pegasus 40", "Run"], ["", "Hoka", "Speedgoat 5", ""]],
    )
    assert [s.name for s in strava_shoes(data)] == ["Blue Pegasus", "Hoka Speedgoat 5"]


def test_garmin_summaries_by_start_time():
    data = (
        b'[{"summarizedActivitiesExport": [{"beginTimestamp": 1700000000000, '
        b'"activityType": {"typeKey": "trail_running"}, "description": "Muddy"}, '
        b'{"beginTimestamp": "garbage"}, 7]}]'
    )
    found = garmin_activities(data)
    assert list(found) == [1_700_000_000]
    assert found[1_700_000_000].sport == "running" and found[1_700_000_000].note == "Muddy"
    with pytest.raises(ImportRejected, match="not JSON"):
        garmin_activities(b"{nope")


# -- a big nested part is read in place, never held whole -----------------------------------


@pytest.mark.parametrize(
    "packed", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED], ids=["stored", "compressed"]
)
def test_a_big_nested_part_is_never_held_whole_in_memory(tmp_path, monkeypatch, packed):
    """A Garmin part of 48 MB (two runs with a file between them that does not compress, as
    parts hold files kneelog does not read), stored in the export as it is or compressed
    again: listing and reading it keeps at most a few MB in memory at once, and leaves
    nothing in the temporary folder."""
    other = S.fit_activity(**S.FIT_DST)
    part = io.BytesIO()
    with zipfile.ZipFile(part, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr(zipfile.ZipInfo("runner_9001.fit", STAMP), RUN)
        zf.writestr(zipfile.ZipInfo("runner_9002.bin", STAMP), os.urandom(48 * 1024**2))
        zf.writestr(zipfile.ZipInfo("runner_9003.fit", STAMP), other)
    path = tmp_path / "garmin.zip"
    with zipfile.ZipFile(path, "w") as zf:
        name = "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip"
        zf.writestr(zipfile.ZipInfo(name, STAMP), part.getvalue(), packed, compresslevel=1)
    size = len(part.getvalue())
    del part
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    tracemalloc.start()
    try:
        with open_export(path) as export:
            read = [export.read(m) for m in export.members]
            assert list(temporary.iterdir()) == []  # a temporary file without a name
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert read == [RUN, other]
    assert size > 48 * 1024**2 and peak < 12 * 1024**2, f"{peak / 1024**2:.1f} MB held at once"
    assert list(temporary.iterdir()) == []


def test_a_damaged_nested_part_refuses_the_export_with_its_name(tmp_path):
    part = zip_of({"runner_9001.fit": RUN})
    path = tmp_path / "garmin.zip"
    name = "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip"
    path.write_bytes(zip_of({name: part[: len(part) // 2]}))
    with pytest.raises(ArchiveRefused, match="UploadedFiles_0-_Part1.zip"):
        open_export(path)


def test_garmin_s_effort_rating_is_read_from_its_ten_times_scale():
    """Garmin keeps the runner's effort (1-10) as 10-100: "workoutRpe" in the data export,
    "directWorkoutRpe" in Garmin Connect's own answers; 0 means not given."""
    items = [
        {"beginTimestamp": 1_000_000, "workoutRpe": 70},
        {"beginTimestamp": 2_000_000, "directWorkoutRpe": 30},
        {"beginTimestamp": 3_000_000, "workoutRpe": 100},
        {"beginTimestamp": 4_000_000, "workoutRpe": 10},
        {"beginTimestamp": 5_000_000, "workoutRpe": 0},
        {"beginTimestamp": 6_000_000, "workoutRpe": 150},
        {"beginTimestamp": 7_000_000, "workoutRpe": True},
        {"beginTimestamp": 8_000_000, "workoutRpe": "70"},
        {"beginTimestamp": 9_000_000},
    ]
    data = json.dumps([{"summarizedActivitiesExport": items}]).encode()
    found = {start: meta.rpe for start, meta in garmin_activities(data).items()}
    assert found == {
        1_000: 7, 2_000: 3, 3_000: 10, 4_000: 1, 5_000: None, 6_000: None, 7_000: None,
        8_000: None, 9_000: None,
    }  # fmt: skip


# -- activities entered by hand on Strava: the row is all there is ----------------------------


def hand_row(number: int, date: str, kind: str = "Run", km: str = "", metres: str = "") -> list:
    """A row of today's layout (101 columns) without a file."""
    row = [""] * 101
    row[0], row[1], row[2], row[3] = str(number), date, f"Entry {number}", kind
    row[5] = row[15] = "1800"
    row[6], row[17] = km, metres
    return row


TODAY_HEADER = [f"c{i}" for i in range(101)]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Jun 14, 2025, 7:05:00 AM", (2025, 6, 14, 7, 5, 0)),  # English, today
        ("Mar 29, 2026, 12:40:00 AM", (2026, 3, 29, 0, 40, 0)),  # 12 AM is midnight
        ("Sep 12, 2018, 3:02:23 PM", (2018, 9, 12, 15, 2, 23)),
        ("Jun 14, 2025, 7:05:00\u202fPM", (2025, 6, 14, 19, 5, 0)),  # a narrow space
        ("14.06.2025, 07:05:00", (2025, 6, 14, 7, 5, 0)),  # German
        ("24 mai 2012 à 16:27:40", (2012, 5, 24, 16, 27, 40)),  # French
        ("14 de junio de 2025, 7:05:00", (2025, 6, 14, 7, 5, 0)),  # Spanish
        ("2018-09-12 15:02:23", (2018, 9, 12, 15, 2, 23)),  # exports before 2019
        ("25/07/2025, 07:05:00", (2025, 7, 25, 7, 5, 0)),  # the day can only be 25
        ("06/07/2025, 07:05:00", None),  # June or July: not guessed
        ("Jun 31, 2025, 7:05:00 AM", None),
        ("yesterday", None),
        ("", None),
    ],
)
def test_the_date_of_an_activity_entered_by_hand_is_read_in_any_language_as_utc(written, expected):
    row = hand_row(1008, written, km="6.01", metres="6012.5")
    (entry,) = strava_table(csv_rows(TODAY_HEADER, [row])).by_hand
    if expected is None:
        assert entry.started is None and "its date" in entry.problem
        assert (written or "none") in entry.problem
    else:
        assert entry.started == dt.datetime(*expected, tzinfo=dt.UTC) and entry.problem == ""


def test_the_distance_of_an_activity_entered_by_hand_is_the_metres_column():
    rows = [
        hand_row(1, "Jun 14, 2025, 7:05:00 AM", km="6.01", metres="6012.5"),
        hand_row(2, "Jun 15, 2025, 7:05:00 AM", km="3.73", metres="6012.5"),  # miles
        hand_row(3, "Jun 16, 2025, 7:05:00 AM", km="6,01", metres="6012,5"),  # decimal commas
        hand_row(4, "Jun 17, 2025, 7:05:00 AM"),  # no distance: a session at the gym
    ]
    table = strava_table(csv_rows(TODAY_HEADER, rows))
    assert [e.distance_km for e in table.by_hand] == [6.0125, 6.0125, 6.0125, None]
    assert [e.elapsed_s for e in table.by_hand] == [1800] * 4
    assert {e.label for e in table.by_hand} == {
        f"activities.csv (activity {n})" for n in (1, 2, 3, 4)
    }


def test_a_metres_column_that_holds_something_else_is_not_read():
    """Were the layout to move, the 18th column might hold anything: a figure that is not the
    first distance in metres leaves every activity entered by hand to the runner."""
    rows = [
        hand_row(1, "Jun 14, 2025, 7:05:00 AM", km="6.01", metres="155"),
        hand_row(2, "Jun 15, 2025, 7:05:00 AM", km="8.00", metres="8000.0"),
    ]
    table = strava_table(csv_rows(TODAY_HEADER, rows))
    assert all("laid out in a way kneelog does not know" in e.problem for e in table.by_hand)
    assert all(e.distance_km is None for e in table.by_hand)


def test_in_an_older_layout_an_activity_entered_by_hand_is_said_not_read():
    header = ["Activity ID", "Activity Date", "Activity Name", "Activity Type", "Activity Description", "Elapsed Time", "Distance", "Commute", "Activity Gear", "Filename"]  # fmt: skip
    data = csv_rows(
        header,
        [["1", "Sep 12, 2018, 3:02:23 PM", "Ride", "Ride", "", "783", "3.68", "", "", "activities/1.gpx"],
         ["2", "Sep 13, 2018, 7:00:00 AM", "Gym", "Run", "", "2400", "8.1", "", "", ""]],
    )  # fmt: skip
    table = strava_table(data)
    assert [f for f, _ in table.files] == ["activities/1.gpx"]
    (entry,) = table.by_hand
    assert "laid out in a way kneelog does not know" in entry.problem


def test_a_table_with_no_file_at_all_is_read_as_activities_entered_by_hand():
    rows = [hand_row(1, "Jun 14, 2025, 7:05:00 AM", km="6.01", metres="6012.5")]
    table = strava_table(csv_rows(TODAY_HEADER, rows))
    assert table.files == [] and [e.distance_km for e in table.by_hand] == [6.0125]
