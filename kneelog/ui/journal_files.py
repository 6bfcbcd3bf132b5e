"""The journal as a file: export, open another, save a copy, back up, restore, check.

`JournalFiles` adds these to the main window's File and Help menus and does them; the
dialogs (backup_dialogs.py) only show data and say what the runner chose. File dialogs go
through `ask_save_path` and `ask_open_path`, which tests replace.

The main window imports this module as it starts, so what the actions need (the backups,
the exporters, the dialogs) is imported when an action first runs, after the first paint:
5, 130 and 5 ms of processor time that start-up does without (bench_startup).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QFileDialog, QMainWindow, QMenu, QMessageBox, QWidget

from ..store import JournalError, Store

if TYPE_CHECKING:
    from ..backups import Backup
    from .session import JournalSession

log = logging.getLogger(__name__)

CSV_FILTER = "Spreadsheet, one row per entry (*.csv)"
JSON_FILTER = "Everything, to keep or move (*.json)"
JOURNAL_FILTER = "kneelog journals (*.db *.kneelog)"
ALL_FILTER = "All files (*)"
REMEMBERED = "journal/path"


# -- file dialogs (replaced in tests) ----------------------------------------------------


def ask_save_path(
    parent: QWidget, title: str, suggested: Path, filters: list[str]
) -> tuple[Path, str] | None:
    """The file the runner wants to write, and the filter they chose; None if cancelled."""
    path, chosen = QFileDialog.getSaveFileName(parent, title, str(suggested), ";;".join(filters))
    return (Path(path), chosen) if path else None


def ask_open_path(parent: QWidget, title: str, folder: Path, filters: list[str]) -> Path | None:
    path, _ = QFileDialog.getOpenFileName(parent, title, str(folder), ";;".join(filters))
    return Path(path) if path else None


def remembered_journal(settings: QSettings) -> Path | None:
    """The journal the runner opened last with "Open another journal...", if it is still there."""
    value = settings.value(REMEMBERED)
    return Path(value) if value and Path(value).is_file() else None


def after_first_paint(
    widget: QWidget, fn: Callable[[], None], at_the_latest_ms: int = 2000
) -> None:
    """Run `fn` once, from the event loop, after `widget` has first been painted (or after
    `at_the_latest_ms` if it never is, e.g. minimised): work that must not delay start-up."""
    done = False

    def run() -> None:
        nonlocal done
        if not done:
            done = True
            widget.removeEventFilter(watcher)
            if widget.isVisible():  # closed meanwhile: its journal may be closed too
                fn()

    class Watcher(QObject):
        def eventFilter(self, obj, event) -> bool:
            if event.type() == QEvent.Type.Paint:
                QTimer.singleShot(0, widget, run)
            return False

    watcher = Watcher(widget)
    widget.installEventFilter(watcher)
    QTimer.singleShot(at_the_latest_ms, widget, run)


# -- the menu actions --------------------------------------------------------------------


class JournalFiles(QObject):
    """The File and Help menu actions that work on the journal file as a whole.

    Works on the session's journal, and shows another in its place with `session.open`;
    `window` is what its dialogs belong to. `message` is the last message box shown (tests
    read it).

    Signals: said(str text, int ms) for the status bar; closing() when the window must close
    (the journal could not be opened again after a restore).
    """

    said = Signal(str, int)
    closing = Signal()

    def __init__(self, session: JournalSession, settings: QSettings, window: QMainWindow):
        super().__init__(window)
        self.session = session
        self.window = window
        self.settings = settings
        self.message: QMessageBox | None = None
        self.dialog: QDialog | None = None
        self.lock = None  # the JournalLock on the journal shown, when kneelog holds one (app.py)

    def hold(self, lock) -> None:
        """Keep `lock` on the journal shown: a second kneelog that asks for it brings the
        window forward, and opening another journal moves the lock to that one."""
        from .instances import bring_forward

        self.lock = lock
        lock.raise_requested.connect(lambda: bring_forward(self.window))

    def add_actions(self, file: QMenu, help_menu: QMenu, before: QAction) -> None:
        def add(menu: QMenu, text: str, slot, shortcut=None, at: QAction | None = None) -> QAction:
            action = QAction(text, self.window)
            if shortcut is not None:
                action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(slot)
            if at is not None:
                menu.insertAction(at, action)
            else:
                menu.addAction(action)
            return action

        self.export_action = add(file, "&Export...", self.export, None, before)
        file.insertSeparator(before)
        self.open_action = add(
            file,
            "&Open another journal...",
            self.open_another,
            QKeySequence.StandardKey.Open,
            before,
        )
        self.save_copy_action = add(
            file, "Save a &copy as...", self.save_copy, "Ctrl+Shift+S", before
        )
        self.restore_action = add(file, "&Restore from backup...", self.choose_backup, None, before)
        file.insertSeparator(before)
        self.check_action = add(
            help_menu,
            "&Check journal",
            self.check,
            None,
            help_menu.actions()[0] if help_menu.actions() else None,
        )

    @property
    def store(self) -> Store:
        return self.session.store

    def _status(self, text: str, ms: int = 10_000) -> None:
        self.said.emit(text, ms)

    def _tell(self, title: str, text: str, icon=QMessageBox.Icon.Information) -> QMessageBox:
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self.window)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message = box
        box.open()
        return box

    def _folder(self, key: str) -> Path:
        folder = Path(str(self.settings.value(key, "") or ""))
        return folder if folder.is_dir() and str(folder) != "." else Path.home()

    # -- export and copies -----------------------------------------------------------------

    def export(self) -> None:
        suggested = self._folder("export/folder") / f"kneelog-{dt.date.today():%Y-%m-%d}.csv"
        answer = ask_save_path(
            self.window, "Export the journal", suggested, [CSV_FILTER, JSON_FILTER]
        )
        if answer is None:
            return
        path, chosen = answer
        fmt = path.suffix.lower().lstrip(".")
        if fmt not in ("csv", "json"):
            fmt = "json" if chosen == JSON_FILTER else "csv"
            path = path.with_name(f"{path.name}.{fmt}")
        from ..export import ExportError, export  # CSV and JSON: loaded when first needed

        try:
            said = export(self.store, path, fmt)
        except ExportError as error:
            self._tell("kneelog could not export the journal", str(error), QMessageBox.Icon.Warning)
            return
        self.settings.setValue("export/folder", str(path.parent))
        log.info(said)
        self._status(said)

    def save_copy(self) -> None:
        current = self.store.path
        suggested = (
            self._folder("copy/folder")
            / f"{current.stem} copy {dt.date.today():%Y-%m-%d}{current.suffix}"
        )
        answer = ask_save_path(
            self.window, "Save a copy of the journal", suggested, [JOURNAL_FILTER, ALL_FILTER]
        )
        if answer is None:
            return
        path = answer[0]
        if not path.suffix:
            path = path.with_name(path.name + ".db")
        if path.resolve() == current.resolve():
            self._tell(
                "Choose another name",
                "That is the journal itself. Choose another name or folder for the copy.",
                QMessageBox.Icon.Warning,
            )
            return
        from .. import backups
        from ..backups import BackupFailed

        try:
            backups.write_copy(self.store.conn, path)
        except BackupFailed as error:
            self._tell("kneelog could not save the copy", str(error), QMessageBox.Icon.Warning)
            return
        self.settings.setValue("copy/folder", str(path.parent))
        log.info("Saved a copy of %s as %s", current, path)
        self._status(
            f"Saved a copy of the journal as {path}. Open it on another computer with "
            "File > Open another journal."
        )

    # -- another journal -------------------------------------------------------------------

    def open_another(self) -> None:
        path = ask_open_path(
            self.window,
            "Open another journal",
            self.store.path.parent,
            [JOURNAL_FILTER, ALL_FILTER],
        )
        if path is None:
            return
        if path.resolve() == self.store.path.resolve():
            self._status("That journal is already open.")
            return
        lock = None
        if self.lock is not None:  # one window per journal: that journal's lock first
            from .instances import JournalLock

            lock = JournalLock(path)
            if not lock.acquire():
                self._tell(
                    "That journal is open in another window",
                    f"{path} is already open in another kneelog window ({lock.holder()}). "
                    "Use that window, or close it and open the journal again here.",
                )
                return
        try:
            store = Store.open(path)
        except (JournalError, OSError) as error:
            if lock is not None:
                lock.release()
            log.warning("Cannot open %s: %s", path, error)
            self._tell("kneelog cannot open this journal", str(error), QMessageBox.Icon.Warning)
            return
        old = self.store
        self.session.open(store)
        old.close()
        if lock is not None:
            self.lock.release()
            self.hold(lock)
        self.settings.setValue(REMEMBERED, str(store.path.resolve()))
        log.info("Opened %s (%d entries)", store.path, store.count())
        self._status(
            f"Opened {store.path} ({store.count():,} entries). kneelog opens it from now on."
        )

    # -- backups ---------------------------------------------------------------------------

    def back_up_at_start(self) -> Backup | None:
        """The start-up backup, when the journal changed since the last one."""
        from .. import backups
        from ..backups import BackupFailed

        try:
            return backups.back_up_if_changed(self.store.conn, self.store.path)
        except BackupFailed as error:
            log.error("Start-up backup failed: %s", error)
            self._status(f"kneelog could not back up your journal: {error}", 30_000)
            return None

    def choose_backup(self) -> None:
        from .backup_dialogs import RestoreDialog, found_backups

        found = found_backups(self.store.path)
        if not found:
            self._tell(
                "No backups yet",
                "There are no backups of this journal yet. kneelog takes "
                "one each time it starts after the journal changed, and before an update, "
                "an import or a restore.",
            )
            return
        self.dialog = RestoreDialog(found, self.store.path, self.store.count(), self.window)
        self.dialog.restore_requested.connect(self.restore)
        self.dialog.open()

    def restore(self, backup: Backup) -> None:
        """Back up the journal as it is, then put `backup` in its place and show it."""
        from .. import backups
        from ..backups import BackupFailed

        store, path = self.store, self.store.path
        try:
            backups.back_up(store.conn, path, backups.BEFORE_RESTORE, prune=False)
        except BackupFailed as error:
            self._tell(
                "kneelog did not restore the backup",
                f"{error} Nothing was changed.",
                QMessageBox.Icon.Warning,
            )
            return
        store.close()
        try:
            aside = backups.restore(backup, path)
        except BackupFailed as error:
            if self._open_again(path):  # untouched: the same journal, opened again
                self._tell(
                    "kneelog did not restore the backup", str(error), QMessageBox.Icon.Warning
                )
            return
        # The backup passed the same checks Store.open makes before it was put in place.
        if not self._open_again(path):
            return
        backups.remove_old(path)
        self._status(
            f"Restored the backup from {backup.describe()}: {self.store.count():,} entries. "
            f"Your journal as it was is kept as {aside.name}, and in the backups.",
            30_000,
        )

    def _open_again(self, path: Path) -> bool:
        """Open the journal at `path` in the window after a restore. When that fails (the disk
        filled up meanwhile, another program locked it), say why; the window, its journal
        closed, then closes with the message."""
        try:
            self.session.open(Store.open(path))
        except (JournalError, OSError) as error:
            log.error("Cannot open %s again after a restore: %s", path, error)
            box = self._tell(
                "kneelog cannot open the journal again",
                f"{error}\n\nkneelog closes now; start it again once that is put right.",
                QMessageBox.Icon.Critical,
            )
            box.finished.connect(self.closing)
            return False
        return True

    # -- checks ----------------------------------------------------------------------------

    def check(self) -> None:
        from ..checks import check_connection  # 1 ms that start-up does without

        result = check_connection(self.store.conn)
        for detail in result.details:
            log.warning("Check of %s: %s", self.store.path, detail)
        if result.ok:
            self._tell("Check journal", result.summary)
        else:
            self._tell("Check journal: problems found", result.summary, QMessageBox.Icon.Warning)
