"""kneelog.importing and `kneelog import`: files in, entries out, each file all or nothing."""

import datetime as dt
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
from zoneinfo import ZoneInfo

import pytest

from factories import DATA, make_run
from kneelog import importing
from kneelog.fields import FIELDS
from kneelog.importers import Activity, read_file
from kneelog.importing import Outcome, import_files
from kneelog.model import Entry, Kind, Surface
from kneelog.store import Store

BERLIN = ZoneInfo("Europe/Berlin")
RUNS = ["dst.fit", "run.fit", "run.gpx", "run.tcx", "treadmill.fit", "treadmill.tcx"]


def outcomes(report) -> dict[str, Outcome]:
    return {r.path.name: r.outcome for r in report.results}


def test_a_folder_imports_its_runs_marked_pain_not_logged_yet(store):
    report = import_files(store, [DATA], zone=BERLIN)
    assert outcomes(report) == {
        **dict.fromkeys(RUNS, Outcome.IMPORTED),
        "ride.fit": Outcome.NOT_A_RUN,
        "workout.fit": Outcome.REJECTED,
    }
    assert report.summary() == (
        "6 runs imported, 1 file not a run (skipped), 1 file could not be imported."
    )
    entries = {e.source_hash: e for e in store.entries()}
    assert len(entries) == 6
    run = entries[hashlib.sha256((DATA / "run.fit").read_bytes()).hexdigest()]
    assert run.kind is Kind.RUN and run.pain_pending and run.pain_start is None
    assert run.started == dt.datetime(2025, 6, 14, 9, 5)
    assert (run.distance_km, run.duration_s, run.moving_s) == (6.013, 1800, 1740)
    assert (run.elevation_gain_m, run.elevation_loss_m, run.avg_hr) == (42, 40, 148)
    assert run.cadence_spm == 169.5 and run.device == "Forerunner 245"
    treadmill = entries[hashlib.sha256((DATA / "treadmill.tcx").read_bytes()).hexdigest()]
    assert treadmill.surface is Surface.TREADMILL and treadmill.distance_km == 5.0
    result = next(r for r in report.results if r.path.name == "run.fit")
    assert result.message == "6.0 km run on Sat 14 Jun 2025 09:05"
    assert result.entries == (run,)


def test_other_sports_come_in_as_cross_training_when_asked(store):
    report = import_files(store, [DATA / "ride.fit"], zone=BERLIN)
    assert report.results[0].message == "a cycling activity, not a run"
    assert report.results[0].sports == ("cycling",) and store.count() == 0
    report = import_files(store, [DATA / "ride.fit"], zone=BERLIN, cross_training=True)
    (ride,) = store.entries()
    assert report.summary() == "1 cross-training session imported."
    assert ride.kind is Kind.CROSS and ride.activity == "Cycling" and ride.cadence_spm is None
    assert ride.distance_km == 40.125 and ride.pain_pending


def test_the_same_file_twice_is_skipped_and_said_so(store):
    import_files(store, [DATA / "run.fit"])
    before = store.entries()
    report = import_files(store, [DATA / "run.fit", DATA / "run.fit"])
    assert [r.outcome for r in report.results] == [Outcome.DUPLICATE]  # the same path once
    assert report.results[0].message == "already in your journal (imported before)"
    assert report.summary() == "Nothing imported, 1 file already in your journal."
    assert store.entries() == before


def test_the_same_run_in_another_file_or_logged_by_hand_is_skipped(store, tmp_path):
    import_files(store, [DATA / "run.gpx"], zone=BERLIN)
    renamed = tmp_path / "export.gpx"
    renamed.write_bytes((DATA / "run.gpx").read_bytes().replace(b"Morning run", b"Sunday run"))
    report = import_files(store, [renamed], zone=BERLIN)
    assert report.results[0].outcome is Outcome.DUPLICATE
    assert "starting Sun 07 Sep 2025 08:30 is already in your journal" in report.results[0].message
    # A run typed in by hand at 09:05 is the FIT file's run (started 09:05:00 by the watch).
    store.save_entry(make_run(started=dt.datetime(2025, 6, 14, 9, 5), pain_end=4))
    report = import_files(store, [DATA / "run.fit"], zone=BERLIN)
    assert report.results[0].outcome is Outcome.DUPLICATE
    assert store.count() == 2


def test_a_bad_file_leaves_the_journal_as_it_was_and_the_others_still_import(store, tmp_path):
    good = DATA / "run.fit"
    bad = tmp_path / "cut.fit"
    bad.write_bytes(good.read_bytes()[:4000])
    report = import_files(store, [bad, DATA / "dst.fit"], zone=BERLIN)
    assert [(r.outcome, r.message) for r in report.results] == [
        (
            Outcome.REJECTED,
            "this file is cut short (perhaps the copy from the watch did not finish)",
        ),
        (Outcome.IMPORTED, "8.2 km run on Sun 30 Mar 2025 01:40"),
    ]
    assert store.count() == 1


def test_a_file_is_written_whole_or_not_at_all(store, monkeypatch):
    """A multisport file whose second part fails to save leaves nothing of the file behind."""
    two = [
        Activity(started=dt.datetime(2025, 5, 1, 8, 0), distance_km=5.0, elapsed_s=1800),
        Activity(started=dt.datetime(2025, 5, 1, 9, 0), distance_km=6.0, elapsed_s=2000),
    ]
    monkeypatch.setattr(importing, "read_bytes", lambda data, zone: two)
    write = store._write_entry
    calls = []

    def fail_second(entry):
        calls.append(entry)
        if len(calls) == 2:
            raise sqlite3.OperationalError("disk I/O error")
        return write(entry)

    monkeypatch.setattr(store, "_write_entry", fail_second)
    report = import_files(store, [DATA / "run.fit"])
    assert report.results[0].outcome is Outcome.REJECTED
    assert "Nothing was written" in report.results[0].message
    assert len(calls) == 2 and store.count() == 0 and store.integrity_ok()
    # A value kneelog cannot store refuses the whole file too, before anything is written.
    two[1] = Activity(started=dt.datetime(2025, 5, 1, 9, 0), distance_km=6.0, avg_hr=400)
    report = import_files(store, [DATA / "run.fit"])
    assert "heart rate must be between 20 and 250" in report.results[0].message
    assert store.count() == 0


def test_a_run_from_the_future_or_without_distance_is_refused(store, monkeypatch):
    report = import_files(store, [DATA / "run.fit"], today=dt.date(2025, 3, 1))
    assert "The date is in the future" in report.results[0].message
    no_distance = [Activity(started=dt.datetime(2025, 5, 1, 8, 0), elapsed_s=1800)]
    monkeypatch.setattr(importing, "read_bytes", lambda data, zone: no_distance)
    report = import_files(store, [DATA / "run.gpx"])
    assert (
        report.results[0].message
        == "this run has no distance in it; log it by hand with its distance"
    )
    assert store.count() == 0


def test_progress_after_each_file_and_cancel_between_files(store):
    seen = []
    stop = threading.Event()

    def progress(done, total, result):
        seen.append((done, total, result.path.name, result.outcome))
        stop.set()  # the runner presses Cancel while the first file is read

    report = import_files(
        store,
        [DATA / "run.fit", DATA / "dst.fit", DATA / "run.gpx"],
        progress=progress,
        cancelled=stop.is_set,
    )
    assert seen == [(1, 3, "run.fit", Outcome.IMPORTED)]
    assert report.cancelled and len(report.results) == 1 and store.count() == 1
    assert report.summary().endswith("Cancelled before the end.")


def test_a_worker_thread_imports_with_its_own_connection_while_the_window_has_one(store):
    """The window's Store belongs to its thread; the worker opens another on the same file."""
    results = []

    def work():
        with Store.open(store.path) as own:
            results.append(import_files(own, [DATA / "run.fit", DATA / "run.tcx"]))

    worker = threading.Thread(target=work)
    worker.start()
    worker.join(timeout=60)
    assert [r.outcome for r in results[0].results] == [Outcome.IMPORTED] * 2
    assert store.count() == 2  # the window's connection sees them at once


def test_missing_paths_and_empty_folders_are_reported(store, tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "notes.txt").write_text("not a run")
    report = import_files(store, [tmp_path / "empty", tmp_path / "gone.fit"])
    assert [(r.path.name, r.message) for r in report.results] == [
        ("empty", "there are no GPX, TCX or FIT files in this folder"),
        ("gone.fit", "there is no such file or folder"),
    ]
    watch = tmp_path / "watch" / "2025"
    watch.mkdir(parents=True)
    shutil.copy(DATA / "run.fit", watch / "RUN.FIT")
    (watch / "._RUN.FIT").write_bytes(b"\x00\x05\x16\x07 macOS resource fork")
    (watch / "notes.txt").write_text("easy week")
    report = import_files(store, [tmp_path / "watch", watch / "RUN.FIT"])
    assert [(r.path.name, r.outcome) for r in report.results] == [("RUN.FIT", Outcome.IMPORTED)]


# -- the command line ----------------------------------------------------------------------


def cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "kneelog", "import", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "TZ": "Europe/Berlin"},
    )


def test_import_command_one_line_a_file_and_the_total(tmp_path):
    journal = tmp_path / "new" / "journal.db"
    folder = tmp_path / "watch"
    shutil.copytree(DATA, folder, ignore=shutil.ignore_patterns("*.py"))
    result = cli("--journal", journal, folder)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert f"  imported  {folder / 'run.fit'}: 6.0 km run on Sat 14 Jun 2025 09:05" in lines
    assert f" not a run  {folder / 'ride.fit'}: a cycling activity, not a run" in lines
    assert (
        f"  rejected  {folder / 'workout.fit'}: this is not an activity file: it holds a "
        "planned workout"
    ) in lines
    assert lines[-2] == "6 runs imported, 1 file not a run (skipped), 1 file could not be imported."
    assert "--cross-training" in lines[-1]
    with Store.open(journal) as store:
        assert store.count() == 6 and all(e.pain_pending for e in store.entries())

    again = cli("--journal", journal, folder / "run.fit", folder / "ride.fit", "--cross-training")
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines()[-1] == (
        "1 cross-training session imported, 1 file already in your journal."
    )


def test_import_command_fails_only_when_nothing_imported_and_a_file_was_rejected(tmp_path):
    journal = tmp_path / "journal.db"
    bad = tmp_path / "bad.gpx"
    bad.write_text("<gpx>")
    result = cli("--journal", journal, bad)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stdout.splitlines()[-1] == "Nothing imported, 1 file could not be imported."
    assert cli("--journal", journal, bad, DATA / "run.fit").returncode == 0  # some came in
    assert cli("--journal", journal, DATA / "run.fit").returncode == 0  # only a duplicate
    assert cli("--journal", journal, DATA / "ride.fit").returncode == 0  # only not a run
    notes = tmp_path / "notes.db"
    notes.write_text("my notes")
    refused = cli("--journal", notes, DATA / "run.fit")
    assert refused.returncode == 1 and "not a kneelog journal" in refused.stderr
    assert notes.read_text() == "my notes"


def test_a_batch_into_a_journal_with_entries_is_backed_up_first(store):
    from kneelog import backups

    import_files(store, [DATA / "run.gpx"], zone=BERLIN)
    assert backups.list_backups(store.path) == [], "an empty journal has nothing to keep"
    before = store.count()
    import_files(store, [DATA / "run.fit", DATA / "run.tcx"], zone=BERLIN)
    (backup,) = backups.list_backups(store.path)
    assert backup.reason == backups.BEFORE_IMPORT
    assert backups.entry_count(backup) == before < store.count()


@pytest.mark.parametrize(
    "name",
    ["run.fit", "treadmill.fit", "ride.fit", "dst.fit", "run.gpx", "run.tcx", "treadmill.tcx"],
)
def test_a_watch_file_fills_only_the_fields_marked_as_filled_by_one(name):
    """kneelog.fields says which fields a watch file fills; an import fills no other."""
    _, activities = read_file(DATA / name, BERLIN)
    bare = Entry(kind=Kind.RUN, started=dt.datetime(2026, 1, 1))
    filled = set()
    for activity in activities:
        entry = importing.to_entry(activity, "ab" * 32)
        filled |= {f.name for f in FIELDS if getattr(entry, f.name) != getattr(bare, f.name)}
    assert filled and filled <= {f.name for f in FIELDS if f.watch}
