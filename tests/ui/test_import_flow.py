"""Importing from the window: choose or drop files, follow the progress, read the summary,
then add the pain of each imported run with a few keys."""

import datetime as dt
import os
import shutil
import threading

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from factories import DATA, archive_maker, sample_maker
from kneelog import importing
from kneelog.model import Kind
from kneelog.store import Store

NOW = dt.datetime(2026, 11, 21, 8, 15)


def history_rows(window):
    """The rows of the History, as the runner sees them on its tab (Ctrl+2), which shows it."""
    window.tabs.setCurrentWidget(window.history)
    model = window.history.model
    return [
        [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def button(box: QMessageBox, text: str) -> QPushButton:
    return next(b for b in box.buttons() if b.text() == text)


def finish_import(qtbot, window, start) -> "importing.ImportReport":
    with qtbot.waitSignal(window.imports.finished, timeout=30000) as finished:
        start()
    box = window.imports.summary
    qtbot.waitUntil(box.isVisible)
    return finished.args[0]


def recent_runs(folder) -> list[str]:
    """The sample FIT and GPX runs, moved to the week before NOW: "Add pain now" offers the
    last 14 days' runs."""
    S = sample_maker()
    fit = folder / "run.fit"
    fit.write_bytes(
        S.fit_activity(**dict(S.FIT_RUN, start=dt.datetime(2026, 11, 17, 7, 5, tzinfo=dt.UTC)))
    )
    gpx = folder / "run.gpx"
    gpx.write_bytes(
        S.gpx_run(**dict(S.GPX_RUN, start=dt.datetime(2026, 11, 19, 6, 30, tzinfo=dt.UTC)))
    )
    return [str(fit), str(gpx)]


def test_import_from_the_menu_then_add_pain_run_after_run(qtbot, window, tmp_path):
    files = [*recent_runs(tmp_path), str(DATA / "workout.fit")]
    window.imports.choose_files = lambda parent: files
    report = finish_import(
        qtbot,
        window,
        lambda: qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier),
    )
    assert [r.outcome.value for r in report.results] == ["imported", "imported", "rejected"]
    box = window.imports.summary
    assert box.text() == "2 runs imported, 1 file could not be imported."
    assert "workout.fit: this is not an activity file" in box.informativeText()
    assert "pain not logged yet" in box.informativeText()
    # The history shows them, though they are older than the period it showed.
    rows = history_rows(window)
    pain = window.history.model.COLUMNS.index("Pain start \u2192 end")
    assert len(rows) == 2 and all(r[pain] == "pain not logged yet" for r in rows)
    index = window.history.model.index(0, pain)
    assert "Double-click to add how your knee felt" in index.data(Qt.ItemDataRole.ToolTipRole)

    qtbot.mouseClick(button(box, "Add pain now"), Qt.MouseButton.LeftButton)
    form = window.form
    assert window.tabs.currentWidget() is form
    assert form.title.text() == "Imported 1 of 2: how did your knee feel?"  # the older run first
    assert form.when.dateTime().toPython().date() == window.store.entries()[-1].started.date()
    assert form.recorded.isVisibleTo(form) and "Forerunner 245" in form.recorded.text()
    assert "148 bpm" in form.recorded.text() and "170 steps/min" in form.recorded.text()
    # A few keys: pain at the start, in the middle, at the end, then save.
    scale = form.pains["pain_start"]
    qtbot.waitUntil(scale.hasFocus)
    qtbot.keyClick(scale, Qt.Key.Key_1)
    qtbot.keyClick(scale, Qt.Key.Key_Tab)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_2)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_3)
    qtbot.keyClick(
        QApplication.focusWidget(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
    )

    older = window.store.entries()[-1]
    assert (older.pain_start, older.pain_middle, older.pain_end) == (1, 2, 3)
    assert not older.pain_pending
    # What the watch recorded is kept, to the metre.
    assert (older.distance_km, older.moving_s, older.avg_hr, older.cadence_spm) == (
        6.013,
        1740,
        148,
        169.5,
    )
    assert older.device == "Forerunner 245" and older.source_hash
    assert form.title.text() == "Imported 2 of 2: how did your knee feel?"
    assert window.tabs.currentWidget() is form

    with qtbot.waitSignal(window.imports.queue_done):
        qtbot.keyClick(form.pains["pain_start"], Qt.Key.Key_0)
        qtbot.keyClick(
            form.pains["pain_start"], Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
        )
    assert [e.pain_pending for e in window.store.entries()] == [False, False]
    assert "Pain logged for every imported entry" in window.statusBar().currentMessage()
    assert [r[pain] for r in history_rows(window)] == ["0 \u2192 -", "1 \u2192 3"]

    window.grab().save(str(tmp_path / "after.png"))


def drop(window, paths):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    centre = window.rect().center()
    enter = QDragEnterEvent(
        centre,
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, enter)
    if not enter.isAccepted():
        return False
    QApplication.sendEvent(
        window,
        QDropEvent(
            QPointF(centre),
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        ),
    )
    return True


def test_drop_a_folder_then_take_the_ride_as_cross_training(qtbot, window, tmp_path):
    folder = tmp_path / "watch"
    shutil.copytree(DATA, folder, ignore=shutil.ignore_patterns("*.py"))
    assert not drop(window, [tmp_path / "notes.txt"]), "only watch files and folders are taken"
    report = finish_import(qtbot, window, lambda: drop(window, [folder]))
    assert len(report.entries) == 6
    box = window.imports.summary
    assert (
        box.text() == "6 runs imported, 1 file not a run (skipped), 1 file could not be imported."
    )
    assert "ride.fit: a cycling activity, not a run" in box.informativeText()
    with qtbot.waitSignal(window.imports.finished, timeout=30000):
        qtbot.mouseClick(button(box, "Import as cross-training"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(window.imports.summary.isVisible)
    assert window.imports.summary.text() == "1 cross-training session imported."
    kinds = sorted(e.kind.value for e in window.store.entries())
    assert kinds == ["cross"] + ["run"] * 6
    # Runs of 2025, a year before NOW: no pain to add now, so nothing but OK.
    assert not [b for b in window.imports.summary.buttons() if b.text() == "Add pain now"]
    ok = window.imports.summary.button(QMessageBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert window.form.editing_id() is None, "OK leaves the form alone"
    # The same folder again: nothing new, and said so.
    finish_import(qtbot, window, lambda: drop(window, [folder]))
    assert window.imports.summary.text() == (
        "Nothing imported, 7 files already in your journal, 1 file could not be imported."
    )
    assert window.store.count() == 7


def test_cancel_stops_after_the_file_being_read(qtbot, window, monkeypatch):
    reading = threading.Event()
    release = threading.Event()
    import_file = importing.import_file

    def slow_import_file(store, path, **kwargs):
        reading.set()
        release.wait(20)
        return import_file(store, path, **kwargs)

    monkeypatch.setattr(importing, "import_file", slow_import_file)
    paths = [str(DATA / name) for name in ("run.fit", "dst.fit", "run.tcx")]
    with qtbot.waitSignal(window.imports.finished, timeout=30000) as finished:
        window.imports.start(paths)
        assert reading.wait(10)
        progress = window.imports.progress
        progress.show()
        qtbot.waitExposed(progress)
        cancel = progress.findChild(QPushButton)
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
        assert "Stopping" in progress.labelText() and not cancel.isEnabled()
        release.set()
    report = finished.args[0]
    assert report.cancelled and len(report.results) == 1
    assert window.store.count() == 1 and window.store.entries()[0].kind is Kind.RUN
    assert window.imports.summary.text() == "1 run imported. Cancelled before the end."


def test_closing_the_window_during_an_import_waits_for_the_file_being_read(
    qtbot, window, monkeypatch
):
    reading = threading.Event()
    import_file = importing.import_file

    def first_waits(store, path, **kwargs):
        reading.set()
        threading.Event().wait(0.3)
        return import_file(store, path, **kwargs)

    monkeypatch.setattr(importing, "import_file", first_waits)
    window.imports.start([str(DATA / "run.fit"), str(DATA / "dst.fit")])
    assert reading.wait(10)
    window.close()  # no "QThread destroyed while running", no half-written file
    assert not window.imports.busy() and window.imports.summary is None
    with Store.open(window.store.path) as other:
        assert other.count() == 1 and other.integrity_ok()


def test_hostile_files_from_the_window_are_refused_in_the_summary(qtbot, window, tmp_path):
    """A GPX nested 200,000 deep killed the window (SIGSEGV) with no dialog and no log line;
    a named pipe kept the import waiting for ever."""
    deep = tmp_path / "deep.gpx"
    deep.write_bytes(
        b'<gpx xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg><trkpt lat="1" lon="1">'
        b"<extensions>"
        + b"<a>" * 200_000
        + b"</a>" * 200_000
        + b"</extensions></trkpt></trkseg></trk></gpx>"
    )
    files = [str(deep), str(DATA / "run.fit")]
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.fit")
        files.append(str(tmp_path / "pipe.fit"))
    window.imports.choose_files = lambda parent: files
    report = finish_import(
        qtbot,
        window,
        lambda: qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier),
    )
    assert [r.outcome.value for r in report.results] == ["rejected", "imported", "rejected"][
        : len(files)
    ]
    text = window.imports.summary.informativeText()
    assert (
        "deep.gpx: this file is damaged or hostile: its XML is nested more than 100 levels" in text
    )
    if hasattr(os, "mkfifo"):
        assert "pipe.fit: this is not a regular file" in text


def test_the_form_saves_while_an_import_writes_and_neither_is_refused(qtbot, window, tmp_path):
    """The import thread and the form write to one journal through two connections; each waits
    for the other's transaction instead of failing with "database is locked"."""
    from factories import sample_maker

    maker = sample_maker()
    folder = tmp_path / "watch"
    folder.mkdir()
    for day in range(40):
        run = {**maker.GPX_RUN, "start": maker.GPX_RUN["start"] + dt.timedelta(days=day)}
        (folder / f"run{day:02}.gpx").write_bytes(maker.gpx_run(**run))
    form = window.form
    saved = []
    window.entry_saved.connect(saved.append)
    saves = 0
    with qtbot.waitSignal(window.imports.finished, timeout=60000) as finished:
        window.imports.start([str(folder)])
        # The form can be used until the progress dialog shows (then it is modal): the test
        # keeps the dialog away so that every file overlaps with saves from the form.
        window.imports.progress.setMinimumDuration(60000)
        while window.imports.busy():
            assert saves < 200, "the import did not finish"
            window.new_entry()
            # a minute apart: runs saved at the same minute would be asked about first
            form.when.setDateTime(form.when.dateTime().addSecs(-60 * (saves + 1)))
            form.distance.setFocus()
            qtbot.keyClicks(form.distance, str(3 + saves % 10))
            qtbot.keyClick(form.distance, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
            assert form.error_text() == "", form.error_text()
            saves += 1
            qtbot.wait(5)  # the import's progress reaches the window
    report = finished.args[0]
    assert [r.message for r in report.results if r.outcome.value != "imported"] == []
    assert len(report.entries) == 40
    assert saves >= 3, "the form saved while the import ran"
    assert len(saved) == saves
    assert window.store.count() == 40 + saves


def recent_export(path) -> None:
    """A Strava export of the six weeks before NOW: 21 runs every other day (6 of them in the
    last 14 days), a ride in those 14 days, two pairs of shoes, effort on some."""
    A = archive_maker()
    first = dt.datetime(2026, 10, 10, 7, 0, tzinfo=dt.UTC)
    planned = [
        A.Planned(
            first + dt.timedelta(days=2 * n),
            6.0 + n % 4,
            2400,
            fmt=("fit", "gpx", "tcx")[n % 3],
            gear="Blue Pegasus" if n % 2 else "Trail pair",
            effort=4 if n % 3 == 0 else None,
        )
        for n in range(21)
    ]
    planned.append(
        A.Planned(dt.datetime(2026, 11, 15, 15, 0, tzinfo=dt.UTC), 32.0, 5400, sport="cycling")
    )
    path.write_bytes(A.synthetic_strava(planned, A.Templates(every=60, seconds=2400)))


def test_drop_a_strava_export_choose_cross_training_then_add_the_last_two_weeks_pain(
    qtbot, window, tmp_path
):
    export = tmp_path / "export_12345.zip"
    recent_export(export)
    assert drop(window, [export])
    choice = window.imports.choice
    qtbot.waitUntil(choice.isVisible)
    assert choice.defaultButton().text() == "Runs only"  # nobody said otherwise yet
    with qtbot.waitSignal(window.imports.finished, timeout=60000) as finished:
        qtbot.mouseClick(button(choice, "Import them as cross-training"), Qt.MouseButton.LeftButton)
    report = finished.args[0]
    box = window.imports.summary
    qtbot.waitUntil(box.isVisible)
    assert box.text() == "21 runs imported, 1 cross-training session imported."
    runs = window.store.entries(kinds=[Kind.RUN])
    recent = [r for r in runs if r.day >= dt.date(2026, 11, 8)]  # the 14 days up to NOW
    assert len(recent) == 6 and len(report.entries) == 22
    assert "15 of them are older than 14 days" in box.informativeText()
    assert {s.name for s in window.store.shoes()} == {"Blue Pegasus", "Trail pair"}
    assert all(r.pain_pending for r in runs)
    # The history shows the newest of them.
    pain = window.history.model.COLUMNS.index("Pain start \u2192 end")
    assert any(row[pain] == "pain not logged yet" for row in history_rows(window))

    qtbot.mouseClick(button(box, "Add pain now"), Qt.MouseButton.LeftButton)
    form = window.form
    assert form.title.text() == "Imported 1 of 7: how did your knee feel?"  # and the ride
    oldest_recent = min(recent, key=lambda e: e.started)
    assert form.when.dateTime().toPython() == oldest_recent.started
    qtbot.keyClick(form, Qt.Key.Key_Escape)

    # Dropped again: the choice is remembered, and nothing comes in twice.
    assert drop(window, [export])
    choice = window.imports.choice
    qtbot.waitUntil(choice.isVisible)
    assert choice.defaultButton().text() == "Import them as cross-training"
    with qtbot.waitSignal(window.imports.finished, timeout=60000):
        qtbot.keyClick(choice, Qt.Key.Key_Return)
    qtbot.waitUntil(window.imports.summary.isVisible)
    assert (
        window.imports.summary.text() == "Nothing imported, 22 activities already in your journal."
    )
    assert window.store.count() == 22


def test_time_left_is_said_as_a_runner_would():
    from kneelog.ui.import_flow import time_left

    assert time_left(20) == "less than a minute left"
    assert time_left(80) == "about 1 minute left"
    assert time_left(610) == "about 10 minutes left"
    assert time_left(2 * 3600) == "about 2.0 hours left"
