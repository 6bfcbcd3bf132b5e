"""A whole Strava or Garmin export into the journal (kneelog.archive_import through
importing.import_files and `kneelog import`): the synthetic exports of
tests/data/make_archives.py, each value checked against what their files were made to hold."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import zipfile
from zoneinfo import ZoneInfo

import pytest

from factories import archive_maker, make_run, sample_maker
from kneelog import archive_import, metrics
from kneelog.importing import Outcome, import_files
from kneelog.model import Kind
from kneelog.store import Store
from kneelog.triage import assess_journal

BERLIN = ZoneInfo("Europe/Berlin")
S = sample_maker()
A = archive_maker()


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    folder = tmp_path_factory.mktemp("exports")
    A.main(folder)
    return folder


def by_member(report) -> dict[str, tuple[Outcome, str]]:
    return {r.path.name: (r.outcome, r.message) for r in report.results}


def local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(BERLIN).replace(tzinfo=None)


@pytest.mark.parametrize("language", ["en", "de"])
def test_a_strava_export_in_any_language_brings_its_runs_with_notes_effort_and_shoes(
    store, exports, language
):
    report = import_files(store, [exports / f"strava-{language}.zip"], zone=BERLIN)
    got = by_member(report)
    assert {name: outcome for name, (outcome, _) in got.items()} == {
        "1001.fit.gz": Outcome.IMPORTED,
        "1002.gpx.gz": Outcome.IMPORTED,
        "1003.tcx.gz": Outcome.IMPORTED,
        "1004.fit": Outcome.NOT_A_RUN,
        "1005.gpx": Outcome.NOT_A_RUN,  # the file names no sport; the CSV says Walk
        "1006.fit.gz": Outcome.REJECTED,
        "1007.fit.gz": Outcome.REJECTED,
        "activities.csv (activity 1008)": Outcome.IMPORTED,  # entered by hand: no file
        "activities.csv (activity 1009)": Outcome.NOT_A_RUN,  # a swim entered by hand
    }
    assert "not in the export" in got["1006.fit.gz"][1]
    assert "cut short" in got["1007.fit.gz"][1]
    assert got["1005.gpx"][1] == "walking, not a run"
    assert got["activities.csv (activity 1009)"][1] == "swimming, not a run"
    assert report.summary() == (
        "4 runs imported, 3 activities not runs (skipped), 2 activities could not be imported."
    )
    runs = {e.started: e for e in store.entries()}
    shoes = {s.id: s.name for s in store.shoes()}
    assert sorted(shoes.values()) == ["Blue Pegasus", "Hoka Speedgoat 5"]

    fit = runs[local(S.FIT_RUN["start"])]
    assert fit.distance_km == pytest.approx(S.FIT_RUN["distance"] / 1000, abs=0.001)
    assert fit.cadence_spm == 2 * (S.FIT_RUN["strides"] + S.FIT_RUN["fraction"])
    assert fit.notes == "River loop\nKnee fine until km 5"  # description, then private note
    assert fit.rpe == 4 and shoes[fit.shoe_id] == "Blue Pegasus"
    assert fit.pain_pending and fit.pain_start is None and fit.kind is Kind.RUN

    gpx = runs[local(A.GPX_STEPS["start"])]
    assert gpx.cadence_spm == 170  # steps in the file: not doubled to 340
    assert gpx.rpe == 7 and shoes[gpx.shoe_id] == "Hoka Speedgoat 5"
    assert gpx.notes == "Stairs after: sore"

    tcx = runs[local(S.TCX_RUN["start"])]
    assert tcx.cadence_spm == 2 * S.TCX_RUN["run_cadence"]
    assert tcx.shoe_id is None and tcx.rpe is None and tcx.notes == ""

    (row,) = (r for r in A.ACTIVITIES if r.number == 1008)
    by_hand = runs[local(row.start)]  # the row's date is UTC
    assert by_hand.kind is Kind.RUN and by_hand.pain_pending and by_hand.pain_start is None
    assert by_hand.distance_km == row.metres / 1000  # the metres column, not the km one
    assert (by_hand.duration_s, by_hand.moving_s) == (row.elapsed, row.moving)
    assert by_hand.rpe == row.effort and shoes[by_hand.shoe_id] == row.gear
    assert by_hand.notes == f"{row.name}\n{row.description}\n{row.note}"
    assert by_hand.cadence_spm is None and by_hand.avg_hr is None and by_hand.device == ""
    assert len(runs) == 4


@pytest.mark.parametrize("language", ["en", "de"])
def test_rides_walks_and_swims_come_in_as_cross_training_when_asked(store, exports, language):
    import_files(store, [exports / f"strava-{language}.zip"], zone=BERLIN, cross_training=True)
    cross = {e.activity: e for e in store.entries(kinds=[Kind.CROSS])}
    assert set(cross) == {"Cycling", "Walking", "Swimming"}
    (row,) = (r for r in A.ACTIVITIES if r.number == 1009)  # a swim entered by hand
    swim = cross["Swimming"]
    assert swim.started == local(row.start) and swim.distance_km == row.metres / 1000
    assert (swim.duration_s, swim.moving_s) == (row.elapsed, row.moving)
    assert swim.notes == row.name and swim.rpe == row.effort and swim.shoe_id is None
    assert cross["Cycling"].distance_km == pytest.approx(S.FIT_RIDE["distance"] / 1000, abs=0.001)
    assert cross["Cycling"].notes == "Commute" and cross["Cycling"].shoe_id is None
    assert cross["Walking"].started == local(A.GPX_WALK["start"])
    assert cross["Walking"].cadence_spm is None


def test_a_second_import_adds_nothing_and_says_so(store, exports):
    import_files(store, [exports / "strava-en.zip"], zone=BERLIN)
    before = store.entries()
    report = import_files(store, [exports / "strava-en.zip"], zone=BERLIN)
    assert store.entries() == before and len(store.shoes()) == 2
    assert report.summary() == (
        "Nothing imported, 4 activities already in your journal, 3 activities not runs "
        "(skipped), 2 activities could not be imported."
    )
    assert by_member(report)["activities.csv (activity 1008)"] == (
        Outcome.DUPLICATE,
        "already in your journal (imported before)",
    )


def test_the_same_run_from_garmin_is_skipped_and_garmin_s_own_runs_come_in(store, exports):
    import_files(store, [exports / "strava-en.zip"], zone=BERLIN)
    report = import_files(store, [exports / "garmin.zip"], zone=BERLIN)
    got = by_member(report)
    twin, own, workout = (f"runner@example.com_{n}.fit" for n in (9001, 9002, 9003))
    assert got[twin][0] is Outcome.DUPLICATE
    assert got[twin][1] == (
        "the same run is in your journal already (6.0 km run on Sat 14 Jun 2025 09:05, imported)"
    )
    assert got[own][0] is Outcome.IMPORTED and got[workout][0] is Outcome.NOT_ACTIVITY
    assert report.summary() == (
        "1 run imported, 1 activity already in your journal, 1 file not an activity (skipped)."
    )
    night = store.entry_started_at(local(S.FIT_DST["start"]))
    assert night.notes == "Clocks went forward mid-run"  # from Garmin's activity summaries
    assert night.rpe == 7  # workoutRpe 70: Garmin keeps the runner's 1-10 ten times over
    assert night.distance_km == S.FIT_DST["distance"] / 1000
    assert night.started == dt.datetime(2025, 3, 30, 1, 40)  # 00:40 UTC, before the change


def test_garmin_first_then_strava_skips_the_shared_run_the_other_way_round(store, exports):
    import_files(store, [exports / "garmin.zip"], zone=BERLIN)
    report = import_files(store, [exports / "strava-de.zip"], zone=BERLIN)
    assert by_member(report)["1001.fit.gz"][0] is Outcome.DUPLICATE
    assert len(store.entries()) == 5  # 9001, 9002, then 1002, 1003 and 1008 (by hand)


def test_a_run_logged_by_hand_that_day_is_the_same_run(store, exports):
    hand = make_run(
        started=local(S.FIT_RUN["start"]).replace(hour=19, minute=0),  # logged in the evening
        distance_km=6.0,
    )
    store.save_entry(hand, today=dt.date(2026, 1, 1))
    report = import_files(store, [exports / "strava-en.zip"], zone=BERLIN)
    outcome, message = by_member(report)["1001.fit.gz"]
    assert outcome is Outcome.DUPLICATE and "logged by hand" in message
    # Another distance on the same day is another run.
    assert by_member(report)["1002.gpx.gz"][0] is Outcome.IMPORTED


def test_the_unpacked_folder_imports_as_the_zip_does(store, exports, tmp_path):
    folder = tmp_path / "export_12345"
    with zipfile.ZipFile(exports / "strava-en.zip") as zf:
        zf.extractall(folder)
    report = import_files(store, [folder], zone=BERLIN)
    assert report.summary() == (
        "4 runs imported, 3 activities not runs (skipped), 2 activities could not be imported."
    )
    assert len(store.shoes()) == 2


def test_an_unpacked_garmin_export_reads_its_part_zip_from_the_folder(store, exports, tmp_path):
    folder = tmp_path / "garmin"
    with zipfile.ZipFile(exports / "garmin.zip") as zf:
        zf.extractall(folder)
    report = import_files(store, [folder], zone=BERLIN)
    assert report.summary() == "2 runs imported, 1 file not an activity (skipped)."
    assert store.entry_started_at(local(S.FIT_DST["start"])).rpe == 7


def test_worker_processes_give_what_parsing_here_gives(tmp_path, exports):
    results = []
    for workers in (0, 2):
        with Store.open(tmp_path / f"{workers}.db") as store:
            report = import_files(
                store, [exports / "strava-en.zip", exports / "garmin.zip"], zone=BERLIN,
                workers=workers,
            )  # fmt: skip
            results.append(
                (
                    [(r.path.name, r.outcome, r.message) for r in report.results],
                    [e.with_(id=None, shoe_id=None) for e in store.entries()],
                )
            )
    assert results[0] == results[1]


def test_cancelled_keeps_what_was_written_and_the_next_import_goes_on(store, exports, monkeypatch):
    parsed = []
    parse = archive_import.parse

    def parse_and_count(*args):
        parsed.append(args[0])
        return parse(*args)

    monkeypatch.setattr(archive_import, "parse", parse_and_count)
    report = import_files(
        store,
        [exports / "strava-en.zip"],
        zone=BERLIN,
        cancelled=lambda: len(parsed) >= 1,  # Cancel pressed while the first file is read
        workers=0,
    )
    assert report.cancelled and report.summary().endswith("Cancelled before the end.")
    kept = store.entries()
    assert [e.started for e in kept] == [local(S.FIT_RUN["start"])]
    again = import_files(store, [exports / "strava-en.zip"], zone=BERLIN)
    assert again.summary() == (
        "3 runs imported, 1 activity already in your journal, 3 activities not runs "
        "(skipped), 2 activities could not be imported."
    )


def test_the_command_line_reports_an_export(tmp_path, exports):
    journal = tmp_path / "j.db"
    command = [sys.executable, "-m", "kneelog", "import", "--journal", str(journal)]
    env = {**os.environ, "TZ": "Europe/Berlin"}  # the runner's computer: its zone is read
    done = subprocess.run(
        [*command, str(exports / "garmin.zip")],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[-1] == "2 runs imported, 1 file not an activity (skipped)."
    assert not any("9003" in line for line in lines)  # counted, not listed
    done = subprocess.run(
        [*command, str(exports / "strava-en.zip")],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    lines = done.stdout.splitlines()
    assert done.returncode == 0, done.stderr
    assert any(
        "strava-en.zip/activities/1007.fit.gz: it is cut short" in line
        and line.lstrip().startswith("rejected")
        for line in lines
    )
    assert any(
        line.lstrip().startswith("imported")
        and "strava-en.zip/activities.csv (activity 1008): 8.0 km run on Tue 04 Nov 2025 18:30"
        in line
        for line in lines
    )  # entered by hand on Strava: 17:30 UTC is 18:30 in Berlin in November
    assert lines[-2] == (
        "3 runs imported, 1 activity already in your journal, 3 activities not runs "
        "(skipped), 2 activities could not be imported."
    )
    # Nothing new and files refused: as for files, exit 1.
    again = subprocess.run(
        [*command, str(exports / "strava-en.zip")],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert again.returncode == 1


def hand_export(path, rows: list[A.Row]) -> None:
    """A Strava export of activities entered by hand only: activities.csv and nothing else."""
    path.write_bytes(A.zipped({"activities.csv": A.activities_csv("en", rows)}))


def test_a_run_entered_by_hand_on_strava_that_garmin_recorded_is_the_same_run(store, exports):
    """The same rule as for files: a start within 15 minutes and a distance within 5%."""
    import_files(store, [exports / "garmin.zip"], zone=BERLIN)
    twin = A.Row(
        2001, "run", "", start=S.FIT_DST["start"] + dt.timedelta(minutes=2),
        metres=S.FIT_DST["distance"] + 100, elapsed=S.FIT_DST["elapsed"], name="Night run",
    )  # fmt: skip
    other = A.Row(2002, "run", "", start=dt.datetime(2025, 4, 2, 6, 0, tzinfo=dt.UTC),
                  metres=5000.0, elapsed=1500, name="Easy")  # fmt: skip
    export = exports.parent / "by-hand.zip"
    hand_export(export, [twin, other])
    report = import_files(store, [export], zone=BERLIN)
    got = by_member(report)
    assert got["activities.csv (activity 2001)"] == (
        Outcome.DUPLICATE,
        "the same run is in your journal already (8.2 km run on Sun 30 Mar 2025 01:40, imported)",
    )
    assert got["activities.csv (activity 2002)"][0] is Outcome.IMPORTED
    assert report.summary() == "1 run imported, 1 activity already in your journal."
    assert store.entry_started_at(local(other.start)).distance_km == 5.0


# -- imported runs are load without pain information ----------------------------------------


def imported_weeks(store, first: dt.date, weeks: int, km: float) -> None:
    """Runs as an export brings them: three a week, pain not logged."""
    runs = [
        make_run(
            started=dt.datetime.combine(first + dt.timedelta(days=7 * w + d), dt.time(7)),
            distance_km=km,
            rpe=None,
            run_type=None,
            pain_start=None,
            pain_middle=None,
            pain_end=None,
            marks=(),
            source_hash=f"{w}-{d}",
            pain_pending=True,
        )
        for w in range(weeks)
        for d in (0, 2, 4)
    ]
    store.save_entries(runs, today=dt.date(2026, 12, 31))


def test_a_journal_of_imported_runs_only_claims_nothing_about_pain(store):
    imported_weeks(store, dt.date(2026, 6, 1), 20, 8.0)
    today = dt.date(2026, 10, 25)
    triage = assess_journal(store, today)
    assert triage.onset is None and triage.guidance.level is None
    assert not any(e.found or e.lines for e in triage.evidence)
    runs = store.entries(kinds=[Kind.RUN])
    assert metrics.usual_morning_pain(runs) == 0.0
    assert all(metrics.pain_free_mornings([r]) == [] for r in runs)


def test_imported_weeks_before_the_pain_are_not_called_pain_free(store):
    """Twelve weeks imported (pain not logged), then four weeks of more running logged by hand
    with pain: the volume pattern compares the load, and names the base for what it is."""
    imported_weeks(store, dt.date(2026, 6, 1), 12, 6.0)
    first = dt.date(2026, 8, 24)
    sore = [
        make_run(
            started=dt.datetime.combine(first + dt.timedelta(days=d), dt.time(18)),
            distance_km=9.0,
            pain_start=1,
            pain_middle=2,
            pain_end=4 if d >= 21 else 1,
        )
        for d in range(0, 28, 2)
    ]
    store.save_entries(sore, today=dt.date(2026, 12, 31))
    triage = assess_journal(store, dt.date(2026, 9, 21))
    volume = next(e for e in triage.evidence if e.pattern == "volume")
    text = " ".join(volume.lines)
    assert volume.found and "pain-free" not in text
    assert "the weeks when no pain was logged (imported runs)" in text
