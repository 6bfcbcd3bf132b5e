"""Watch files into the journal from the window: choose or drop them, watch the progress (and
cancel), read what happened, then add the pain of each imported run in turn.

The work runs on a QThread with its own Store on the journal's file (a Store belongs to the
thread that opened it); the window's own Store only reads the result.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal, Slot
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QPushButton, QWidget

from ..importers import SUFFIXES
from ..model import Entry
from ..store import JournalError, Store

if TYPE_CHECKING:
    from ..importing import ImportReport

FILE_FILTER = "Watch files (*.fit *.FIT *.gpx *.GPX *.tcx *.TCX);;All files (*)"
SHOWN_PROBLEMS = 8  # files listed in the message; the rest are under "Show Details..."


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
    return [p for p in paths if Path(p).is_dir() or Path(p).suffix.lower() in SUFFIXES]


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

            with Store.open(self._journal) as store:
                report = import_files(
                    store,
                    self._paths,
                    cross_training=self._cross_training,
                    progress=lambda done, total, result: self.progressed.emit(
                        done, total, result.path.name
                    ),
                    cancelled=self._stop.is_set,
                )
        except (JournalError, OSError) as error:
            self.failed.emit(str(error))
            return
        self.finished.emit(report)


class ImportFlow(QObject):
    """Everything about importing in the window. `window` is the MainWindow: its journal path,
    its form and tabs, and its reload() after an import.

    Signals: finished(ImportReport) once a batch is done and its summary is showing;
    queue_done() when every imported entry of the batch has been opened and saved.
    """

    finished = Signal(object)
    queue_done = Signal()

    def __init__(
        self,
        window,
        choose_files: Callable[[QWidget], list[str]] = choose_files,
        choose_folder: Callable[[QWidget], list[str]] = choose_folder,
    ):
        super().__init__(window)
        self.window = window
        self.choose_files = choose_files
        self.choose_folder = choose_folder
        self.progress: QProgressDialog | None = None
        self.summary: QMessageBox | None = None
        self._thread: QThread | None = None
        self._worker: ImportWorker | None = None
        self._queue: list[int] = []
        self._queue_size = 0
        self._editing: int | None = None
        window.entry_saved.connect(self._on_window_entry_saved)
        window.form.cancelled.connect(self._on_form_cancelled)

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
        self.start(self.choose_files(self.window))

    def import_folder(self) -> None:
        self.start(self.choose_folder(self.window))

    def start(self, paths: list[str], cross_training: bool = False) -> None:
        if not paths or self.busy():
            return
        self.progress = QProgressDialog("Reading your watch files...", "Cancel", 0, 0, self.window)
        self.progress.setWindowTitle("Importing runs")
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(300)  # a single small file needs no dialog
        self.progress.setMinimumWidth(420)
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)
        self._thread = QThread(self)
        self._worker = ImportWorker(self.window.store.path, list(paths), cross_training)
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
            progress.setLabelText(f"Read {done} of {total} files\n{name}")
            progress.setMaximum(total)
            progress.setValue(done)  # last: a modal dialog handles events here, the end included

    def _stop_thread(self) -> None:
        self._thread.quit()
        self._thread.wait()
        self._worker.deleteLater()
        self._thread.deleteLater()
        self._thread = self._worker = None
        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None

    def _on_worker_failed(self, message: str) -> None:
        self._stop_thread()
        QMessageBox.warning(self.window, "Nothing was imported", message)

    # -- after -----------------------------------------------------------------------------

    def _on_worker_finished(self, report: ImportReport) -> None:
        self._stop_thread()
        self.window.reload()
        if report.entries:  # old runs may be outside the period the history shows
            self.window.history.show_entry(max(report.entries, key=lambda e: e.started).id)
            self.window.tabs.setCurrentWidget(self.window.history)
        self.window.statusBar().showMessage(report.summary(), 10000)
        self._show_summary(report)
        self.finished.emit(report)

    def _show_summary(self, report: ImportReport) -> None:
        from ..importing import Outcome

        box = QMessageBox(self.window)
        box.setWindowTitle("Import finished")
        box.setIcon(
            QMessageBox.Icon.Information
            if report.entries or not report.of(Outcome.REJECTED)
            else QMessageBox.Icon.Warning
        )
        box.setText(report.summary())
        not_imported = [r for r in report.results if r.outcome is not Outcome.IMPORTED]
        lines = [f"{r.path.name}: {r.message}" for r in not_imported]
        informative = "\n".join(lines[:SHOWN_PROBLEMS])
        if len(lines) > SHOWN_PROBLEMS:
            informative += f"\n... and {len(lines) - SHOWN_PROBLEMS} more (Show Details)."
        if report.entries:
            informative = (
                'The imported entries are marked "pain not logged yet" in the history. '
                + ("\n\n" + informative if informative else "")
            )
        box.setInformativeText(informative)
        box.setDetailedText(
            "\n".join(f"{r.outcome.value}: {r.path}: {r.message}" for r in report.results)
            if len(report.results) > 1
            else ""
        )
        others = [str(r.path) for r in report.of(Outcome.NOT_A_RUN)]
        add_pain = later = cross = None
        if report.entries:
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
                self.add_pain([e.id for e in sorted(report.entries, key=lambda e: e.started)])

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
                entry = self.window.store.entry(entry_id)
            except KeyError:  # deleted meanwhile
                continue
            if entry.pain_pending:
                self._edit(entry)
                return
        self._editing = None
        if self._queue_size:
            self._queue_size = 0
            self.window.statusBar().showMessage("Pain logged for every imported entry.", 8000)
            self.queue_done.emit()

    def _edit(self, entry: Entry) -> None:
        done = self._queue_size - len(self._queue)
        self._editing = entry.id
        self.window.form.edit(
            entry, title=f"Imported {done} of {self._queue_size}: how did your knee feel?"
        )
        self.window.tabs.setCurrentWidget(self.window.form)
        # After the summary box has closed and handed focus back to where it was.
        QTimer.singleShot(0, self._focus_pain)

    def _focus_pain(self) -> None:
        self.window.activateWindow()
        self.window.form.focus_pain()

    def _on_window_entry_saved(self, entry: Entry) -> None:
        if self._editing is not None and entry.id == self._editing:
            self._open_next()

    def _on_form_cancelled(self) -> None:
        if self._editing is not None:
            self._queue = []
            self._queue_size = 0
            self._editing = None
