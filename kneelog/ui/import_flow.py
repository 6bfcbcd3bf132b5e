"""Watch files into the journal from the window: choose or drop them (or a whole Strava or
Garmin export), watch the progress (and cancel), read what happened, then add the pain of each
imported run in turn.

The work runs on a QThread with its own Store on the journal's file (a Store belongs to the
thread that opened it); the window's own Store only reads the result.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractButton,
    QFileDialog,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QWidget,
)

from ..importers import SUFFIXES
from ..model import Entry
from ..store import JournalError, Store

if TYPE_CHECKING:
    from ..importing import ImportReport
    from .session import JournalSession

log = logging.getLogger(__name__)

FILE_FILTER = (
    "Watch files and exports (*.fit *.FIT *.gpx *.GPX *.tcx *.TCX *.zip *.ZIP);;All files (*)"
)
SHOWN_PROBLEMS = 8  # files listed in the message; the rest are under "Show Details..."
# "Add pain now" walks through the runs of the last two weeks only: the pain of a run longer
# ago is not remembered well enough to log, and an export brings years of runs.
RECENT_DAYS = 14
CROSS_TRAINING_KEY = "import_cross_training"  # the runner's last answer, kept in the journal
PROGRESS_EVERY_S = 0.1  # the worker reports at most this often (a big export has thousands)


def choose_files(parent: QWidget) -> list[str]:
    files, _ = QFileDialog.getOpenFileNames(parent, "Import runs from watch files", "", FILE_FILTER)
    return files


def choose_folder(parent: QWidget) -> list[str]:
    folder = QFileDialog.getExistingDirectory(parent, "Import every watch file in a folder")
    return [folder] if folder else []


def dropped_paths(mime) -> list[str]:
    """Local files and folders in a drag: folders, and files that look like watch files."""
    paths = (
        [url.toLocalFile() for url in mime.urls() if url.isLocalFile()] if mime.hasUrls() else []
    )
    return [p for p in paths if Path(p).is_dir() or Path(p).suffix.lower() in (*SUFFIXES, ".zip")]


def time_left(seconds: float) -> str:
    """'about 3 minutes left', rounded as a runner would say it."""
    if seconds < 50:
        return "less than a minute left"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"about {minutes} minute{'s' if minutes != 1 else ''} left"
    hours = seconds / 3600
    return f"about {hours:.1f} hours left"


class ImportWorker(QObject):
    """Runs on the import thread. Signals: progressed(done, total, file name), finished(report),
    failed(message) when the journal cannot be opened."""

    progressed = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, journal: Path, paths: list[str], cross_training: bool):
        super().__init__()
        self._journal = journal
        self._paths = paths
        self._cross_training = cross_training
        self._stop = threading.Event()

    def cancel(self) -> None:
        """Thread-safe: the import stops after the file it is reading."""
        self._stop.set()

    @Slot()
    def run(self) -> None:
        try:
            from ..importing import import_files  # with its libraries (7 ms), once an import starts

            last = 0.0

            def progress(done: int, total: int, result) -> None:
                nonlocal last
                now = time.monotonic()
                if done == total or now - last >= PROGRESS_EVERY_S:
                    last = now
                    self.progressed.emit(done, total, result.path.name)

            with Store.open(self._journal) as store:
                report = import_files(
                    store,
                    self._paths,
                    cross_training=self._cross_training,
                    progress=progress,
                    cancelled=self._stop.is_set,
                    gentle=True,  # the window keeps its share of the cores
                )
        except (JournalError, OSError) as error:
            self.failed.emit(str(error))
            return
        except Exception as error:  # the window must hear of the end, whatever happened
            log.exception("The import stopped")
            self.failed.emit(
                f"The import stopped because of an error inside kneelog ({error}). What was "
                "imported before stays; importing the same files again goes on with the rest."
            )
            return
        self.finished.emit(report)


class ImportFlow(QObject):
    """Everything about importing: the files are read into the session's journal by a worker
    thread, the session reads the journal again, and the runner is asked for the pain of each
    imported run in turn. `parent` is the window its dialogs belong to.

    Signals: finished(ImportReport) once a batch is done and its summary is showing;
    queue_done() when every imported entry of the batch has been opened and saved;
    edit_requested(Entry, str title) to open an imported entry in the form;
    entry_shown(int id) to show the newest imported entry in the history;
    said(str text, int ms) for the status bar.
    Slots: entry_saved(Entry) after the form saved an entry; stop_adding_pain() when the
    runner cancelled the form.
    """

    finished = Signal(object)
    queue_done = Signal()
    edit_requested = Signal(object, str)
    entry_shown = Signal(int)
    said = Signal(str, int)

    def __init__(
        self,
        session: JournalSession,
        parent: QWidget,
        choose_files: Callable[[QWidget], list[str]] = choose_files,
        choose_folder: Callable[[QWidget], list[str]] = choose_folder,
        clock: Callable[[], dt.datetime] = dt.datetime.now,
    ):
        super().__init__(parent)
        self.session = session
        self.parent_widget = parent  # what its dialogs belong to
        self.clock = clock
        self.choice: QMessageBox | None = None  # cross-training or not, before an export
        self._started = 0.0
        self.choose_files = choose_files
        self.choose_folder = choose_folder
        self.progress: QProgressDialog | None = None
        self.summary: QMessageBox | None = None
        self._thread: QThread | None = None
        self._worker: ImportWorker | None = None
        self._queue: list[int] = []
        self._queue_size = 0
        self._editing: int | None = None

    def busy(self) -> bool:
        return self._thread is not None

    def shutdown(self) -> None:
        """The window is closing: stop after the file being read, and wait for that."""
        if self._worker is not None:
            for signal in (self._worker.progressed, self._worker.finished, self._worker.failed):
                signal.disconnect()  # nothing to show any more
            self._worker.cancel()
            self._stop_thread()  # the thread ends once the import has returned

    # -- start -----------------------------------------------------------------------------

    def import_files(self) -> None:
        self.start(self.choose_files(self.parent_widget))

    def import_folder(self) -> None:
        self.start(self.choose_folder(self.parent_widget))

    def start(self, paths: list[str], cross_training: bool | None = None) -> None:
        """Import the paths. cross_training None: ask first when an export is among them (its
        rides and walks come with it), else only runs, and offer the others afterwards."""
        if not paths or self.busy():
            return
        if cross_training is None:
            from ..importers.archive import is_export

            if any(is_export(Path(p)) for p in paths):
                self._ask_cross_training(list(paths))
                return
            cross_training = False
        self._run(list(paths), cross_training)

    def _ask_cross_training(self, paths: list[str]) -> None:
        remembered = self.session.get_value(CROSS_TRAINING_KEY, "no") == "yes"
        box = QMessageBox(self.parent_widget)
        box.setWindowTitle("Import a whole export")
        box.setIcon(QMessageBox.Icon.Question)
        box.setText("Your runs come in. What about rides, swims, walks and other sports?")
        box.setInformativeText(
            "As cross-training they count in your week as other activity, not as running "
            "distance. kneelog remembers your choice for next time."
        )
        cross = box.addButton("Import them as cross-training", QMessageBox.ButtonRole.YesRole)
        runs_only = box.addButton("Runs only", QMessageBox.ButtonRole.NoRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cross if remembered else runs_only)

        def on_finished() -> None:
            self.choice = None
            clicked: QAbstractButton | None = box.clickedButton()
            if clicked is not cross and clicked is not runs_only:
                return
            answer = clicked is cross
            # Not remembered when the journal is busy: the import can still go on.
            with suppress(JournalError):
                self.session.set_value(CROSS_TRAINING_KEY, "yes" if answer else "no")
            self._run(paths, answer)

        box.finished.connect(on_finished)
        self.choice = box
        box.open()

    def _run(self, paths: list[str], cross_training: bool) -> None:
        self._started = time.monotonic()
        self.session.importing = True
        self.progress = QProgressDialog(
            "Reading your watch files...", "Cancel", 0, 0, self.parent_widget
        )
        self.progress.setWindowTitle("Importing runs")
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(300)  # a single small file needs no dialog
        self.progress.setMinimumWidth(420)
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)
        self._thread = QThread(self)
        self._worker = ImportWorker(self.session.path, list(paths), cross_training)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.progressed.connect(self._on_worker_progressed)
        self._worker.finished.connect(self._on_worker_finished)
        self._worker.failed.connect(self._on_worker_failed)
        self.progress.canceled.connect(self._on_progress_canceled)
        self._thread.start()

    def _on_progress_canceled(self) -> None:
        if self._worker is not None:
            self._worker.cancel()
            # The dialog stays up until the worker stops, after the file it is reading.
            self.progress.setLabelText("Stopping after the file being read...")
            self.progress.show()
            button = self.progress.findChild(QPushButton)
            if button is not None:
                button.setEnabled(False)

    def _on_worker_progressed(self, done: int, total: int, name: str) -> None:
        progress = self.progress
        if progress is not None:
            line = f"Read {done:,} of {total:,} files"
            spent = time.monotonic() - self._started
            if done < total and done >= 5 and spent > 2:
                line += f", {time_left(spent / done * (total - done))}"
            progress.setLabelText(f"{line}\n{name}")
            progress.setMaximum(total)
            progress.setValue(done)  # last: a modal dialog handles events here, the end included

    def _stop_thread(self) -> None:
        self._thread.quit()
        self._thread.wait()
        self._worker.deleteLater()
        self._thread.deleteLater()
        self._thread = self._worker = None
        self.session.importing = False
        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None

    def _on_worker_failed(self, message: str) -> None:
        self._stop_thread()
        QMessageBox.warning(self.parent_widget, "Nothing was imported", message)

    # -- after -----------------------------------------------------------------------------

    def _on_worker_finished(self, report: ImportReport) -> None:
        self._stop_thread()
        self.session.reload()
        if report.entries:  # old runs may be outside the period the history shows
            self.entry_shown.emit(max(report.entries, key=lambda e: e.started).id)
        self.said.emit(report.summary(), 10000)
        self._show_summary(report)
        self.finished.emit(report)

    def _show_summary(self, report: ImportReport) -> None:
        from ..importing import Outcome

        box = QMessageBox(self.parent_widget)
        box.setWindowTitle("Import finished")
        box.setIcon(
            QMessageBox.Icon.Information
            if report.entries or not report.of(Outcome.REJECTED)
            else QMessageBox.Icon.Warning
        )
        box.setText(report.summary())
        # What an export holds besides activities (watch settings, daily data) is only counted.
        not_imported = [
            r for r in report.results if r.outcome not in (Outcome.IMPORTED, Outcome.NOT_ACTIVITY)
        ]
        lines = [f"{r.path.name}: {r.message}" for r in not_imported]
        informative = "\n".join(lines[:SHOWN_PROBLEMS])
        if len(lines) > SHOWN_PROBLEMS:
            informative += f"\n... and {len(lines) - SHOWN_PROBLEMS} more (Show Details)."
        since = self.clock().date() - dt.timedelta(days=RECENT_DAYS - 1)
        recent = sorted((e for e in report.entries if e.day >= since), key=lambda e: e.started)
        if report.entries:
            older = len(report.entries) - len(recent)
            note = 'The imported entries are marked "pain not logged yet" in the history.'
            if older:
                note += (
                    f" {older:,} of them are older than {RECENT_DAYS} days: they count as "
                    "load in your charts, with their pain left unknown."
                )
            informative = note + ("\n\n" + informative if informative else "")
        box.setInformativeText(informative)
        box.setDetailedText(
            "\n".join(
                f"{r.outcome.value}: {r.path}: {r.message}"
                for r in report.results
                if r.outcome is not Outcome.NOT_ACTIVITY
            )
            if len(report.results) > 1
            else ""
        )
        # An export's other sports come in by importing the export again: what is in is skipped.
        others = list(dict.fromkeys(str(r.export or r.path) for r in report.of(Outcome.NOT_A_RUN)))
        add_pain = later = cross = None
        if recent:
            add_pain = box.addButton("Add pain now", QMessageBox.ButtonRole.AcceptRole)
            later = box.addButton("Later", QMessageBox.ButtonRole.RejectRole)
            box.setDefaultButton(add_pain)
        else:
            box.addButton(QMessageBox.StandardButton.Ok)
        if others:
            cross = box.addButton("Import as cross-training", QMessageBox.ButtonRole.ActionRole)
            cross.setToolTip("Rides, swims and other sports go in as cross-training.")
        del later

        def on_finished() -> None:
            clicked = box.clickedButton()
            if clicked is not None and clicked is cross:
                self.start(others, cross_training=True)
            elif clicked is not None and clicked is add_pain:
                self.add_pain([e.id for e in recent])

        box.finished.connect(on_finished)
        self.summary = box
        box.open()

    # -- the pain of each imported run, one after another ----------------------------------

    def add_pain(self, entry_ids: list[int]) -> None:
        self._queue = list(entry_ids)
        self._queue_size = len(entry_ids)
        self._open_next()

    def _open_next(self) -> None:
        while self._queue:
            entry_id = self._queue.pop(0)
            try:
                entry = self.session.entry(entry_id)
            except KeyError:  # deleted meanwhile
                continue
            if entry.pain_pending:
                self._edit(entry)
                return
        self._editing = None
        if self._queue_size:
            self._queue_size = 0
            self.said.emit("Pain logged for every imported entry.", 8000)
            self.queue_done.emit()

    def _edit(self, entry: Entry) -> None:
        done = self._queue_size - len(self._queue)
        self._editing = entry.id
        self.edit_requested.emit(
            entry, f"Imported {done} of {self._queue_size}: how did your knee feel?"
        )

    def entry_saved(self, entry: Entry) -> None:
        if self._editing is not None and entry.id == self._editing:
            self._open_next()

    def stop_adding_pain(self) -> None:
        if self._editing is not None:
            self._queue = []
            self._queue_size = 0
            self._editing = None
