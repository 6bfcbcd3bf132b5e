"""The journal as a file: export, open another, save a copy, back up, restore, check, recover.

`JournalFiles` adds these to the main window's File and Help menus and does them; the
dialogs only show data and say what the runner chose. File dialogs go through
`ask_save_path` and `ask_open_path`, which tests replace.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from .. import backups
from ..backups import Backup, BackupFailed
from ..checks import check_connection
from ..export import ExportError, export
from ..store import JournalError, Store

log = logging.getLogger(__name__)

CSV_FILTER = "Spreadsheet, one row per entry (*.csv)"
JSON_FILTER = "Everything, to keep or move (*.json)"
JOURNAL_FILTER = "kneelog journals (*.db *.kneelog)"
ALL_FILTER = "All files (*)"
REMEMBERED = "journal/path"


# -- file dialogs (replaced in tests) ----------------------------------------------------


def ask_save_path(parent: QWidget, title: str, suggested: Path, filters: list[str]) -> tuple[Path, str] | None:
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


def after_first_paint(widget: QWidget, fn: Callable[[], None], at_the_latest_ms: int = 2000) -> None:
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


# -- widgets -----------------------------------------------------------------------------


class BackupList(QTableWidget):
    """Backups, newest first: when, why, how many entries. A backup that cannot be read is
    listed but cannot be chosen."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(0, 3, parent)
        self.setHorizontalHeaderLabels(["Taken", "Why", "Entries"])
        self.verticalHeader().hide()
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self._backups: list[Backup] = []

    def set_backups(self, found: list[tuple[Backup, int | None]]) -> None:
        self._backups = [b for b, _ in found]
        self.setRowCount(len(found))
        for row, (backup, count) in enumerate(found):
            cells = [f"{backup.taken:%a %d %b %Y, %H:%M}", backup.why,
                     "cannot be read" if count is None else f"{count:,}"]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if count is None:
                    item.setFlags(Qt.ItemFlag.NoItemFlags)
                self.setItem(row, column, item)
        first = next((row for row, (_, count) in enumerate(found) if count is not None), None)
        if first is not None:
            self.selectRow(first)

    def selected_backup(self) -> Backup | None:
        rows = self.selectionModel().selectedRows()
        return self._backups[rows[0].row()] if rows else None


class RestoreDialog(QDialog):
    """File > Restore from backup...: pick a backup to go back to.

    Signals: restore_requested(Backup) when the runner confirms.
    """

    restore_requested = Signal(object)

    def __init__(self, found: list[tuple[Backup, int | None]], journal: Path, entries: int,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Restore from a backup")
        self.resize(560, 420)
        self.intro = intro = QLabel(
            f"Choose the backup to go back to. Your journal as it is now ({entries:,} "
            f"entr{'y' if entries == 1 else 'ies'}) is backed up first and kept beside it as "
            f"<i>{journal.stem}.replaced-</i>(date and time)<i>{journal.suffix}</i>: nothing is "
            "deleted.")
        intro.setWordWrap(True)
        self.list = BackupList()
        self.list.set_backups(found)
        self.list.itemSelectionChanged.connect(self._on_list_selection_changed)
        self.list.doubleClicked.connect(self.accept)
        where = QLabel(f"Backups are kept in {backups.folder_of(journal)}")
        where.setProperty("role", "hint")
        where.setWordWrap(True)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = self.buttons.addButton("&Restore", QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(where)
        layout.addWidget(self.buttons)
        self._on_list_selection_changed()

    def _on_list_selection_changed(self) -> None:
        self.restore_button.setEnabled(self.list.selected_backup() is not None)

    def accept(self) -> None:
        backup = self.list.selected_backup()
        if backup is None:
            return
        super().accept()
        self.restore_requested.emit(backup)


class RecoveryDialog(QDialog):
    """At start-up, for a journal that cannot be read safely: explain, and offer the newest
    good backup (or, with none, to put the file aside and start again).

    `choice()` after exec(): RESTORE (with `chosen()`), START_AGAIN, or None (quit).
    """

    RESTORE, START_AGAIN = "restore", "start again"

    def __init__(self, journal: Path, found: list[tuple[Backup, int | None]],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Your journal is damaged")
        self.setMinimumWidth(600)
        self._choice: str | None = None
        good = [(b, n) for b, n in found if n is not None]
        aside = f"<i>{journal.stem}.damaged-</i>(date and time)<i>{journal.suffix}</i>"
        text = (
            "<p><b>kneelog cannot read your journal safely.</b></p>"
            f"<p>Part of the file <i>{journal}</i> is damaged, perhaps by a disk problem or by "
            "a crash while it was being copied. kneelog has not changed it, and will not write "
            "into it.</p>"
        )
        if good:
            newest, count = good[0]
            text += (
                f"<p>The newest good backup is from <b>{newest.taken:%A %d %B %Y at %H:%M}</b>, with "
                f"{count:,} entr{'y' if count == 1 else 'ies'}. Anything you logged after that is "
                f"not in it. Restore it? The damaged file stays beside it as {aside}, untouched, "
                "in case you need it later.</p>"
            )
        else:
            text += (
                "<p>There is no good backup of this journal. You can quit and keep the file as "
                "it is (a data-recovery service may get entries back from it), or put it aside, "
                f"untouched, as {aside}, and start a new, empty journal.</p>"
            )
        self.message = QLabel(text)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.RichText)
        self.list = BackupList()
        self.list.set_backups(good)
        self.buttons = QDialogButtonBox()
        self.quit_button = self.buttons.addButton("&Quit", QDialogButtonBox.ButtonRole.RejectRole)
        if good:
            self.restore_button = self.buttons.addButton("&Restore the backup",
                                                         QDialogButtonBox.ButtonRole.AcceptRole)
            self.restore_button.clicked.connect(lambda: self._choose(self.RESTORE))
            self.restore_button.setDefault(True)
            self.list.itemSelectionChanged.connect(
                lambda: self.restore_button.setEnabled(self.list.selected_backup() is not None))
        else:
            self.start_button = self.buttons.addButton("Put it aside and &start a new journal",
                                                       QDialogButtonBox.ButtonRole.AcceptRole)
            self.start_button.clicked.connect(lambda: self._choose(self.START_AGAIN))
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        if good:
            other = QLabel("Or choose an older backup:" if len(good) > 1 else "The backup:")
            layout.addWidget(other)
            layout.addWidget(self.list, 1)
            self.resize(600, 460)
            self._first = self.restore_button
        else:
            self.list.hide()
            layout.addStretch(1)
            self._first = self.start_button
        self.quit_button.setAutoDefault(False)
        layout.addWidget(self.buttons)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._first.setFocus()  # Enter does what the dialog suggests; quitting takes a click

    def _choose(self, choice: str) -> None:
        self._choice = choice
        self.accept()

    def choice(self) -> str | None:
        return self._choice if self.result() == QDialog.DialogCode.Accepted else None

    def chosen(self) -> Backup | None:
        return self.list.selected_backup() if self.choice() == self.RESTORE else None


def _found(journal: Path, good_only: bool = False) -> list[tuple[Backup, int | None]]:
    found = []
    for backup in backups.list_backups(journal):
        count = backups.entry_count(backup)
        if good_only and count is not None and not backups.is_good(backup):
            count = None
        found.append((backup, count))
    return found


def recover(journal: Path, parent: QWidget | None = None) -> tuple[Store, str] | None:
    """For a journal Store.open found damaged: ask the runner, then restore the newest good
    backup or start a new journal, the damaged file kept aside untouched. Returns the journal
    now at `journal`, opened, and what was done in a sentence; None when the runner quits."""
    dialog = RecoveryDialog(journal, _found(journal, good_only=True), parent)
    dialog.exec()
    choice, backup = dialog.choice(), dialog.chosen()
    dialog.deleteLater()
    if choice is None:
        return None
    try:
        if backup is not None:
            aside = backups.restore(backup, journal, why="damaged")
            done = f"Restored the backup from {backup.describe()}."
        else:
            aside = backups.set_aside(journal, "damaged")
            done = "Started a new journal."
        store = Store.open(journal)
    except (JournalError, OSError) as error:
        log.error("Recovery of %s failed: %s", journal, error)
        QMessageBox.critical(parent, "kneelog could not restore the journal", str(error))
        return None
    log.info("%s The damaged journal is kept as %s", done, aside)
    return store, f"{done} The damaged journal is kept as {aside.name}."


# -- the menu actions --------------------------------------------------------------------


class JournalFiles(QObject):
    """The File and Help menu actions that work on the journal file as a whole.

    Works on the window it is given: reads its store, and swaps in another with
    `window.set_store`. `message` is the last message box shown (tests read it).
    """

    def __init__(self, window: QMainWindow, settings: QSettings):
        super().__init__(window)
        self.window = window
        self.settings = settings
        self.message: QMessageBox | None = None
        self.dialog: QDialog | None = None

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
        self.open_action = add(file, "&Open another journal...", self.open_another,
                               QKeySequence.StandardKey.Open, before)
        self.save_copy_action = add(file, "Save a &copy as...", self.save_copy, "Ctrl+Shift+S", before)
        self.restore_action = add(file, "&Restore from backup...", self.choose_backup, None, before)
        file.insertSeparator(before)
        self.check_action = add(help_menu, "&Check journal", self.check, None,
                                help_menu.actions()[0] if help_menu.actions() else None)

    @property
    def store(self) -> Store:
        return self.window.store

    def _status(self, text: str, ms: int = 10_000) -> None:
        self.window.statusBar().showMessage(text, ms)

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
        answer = ask_save_path(self.window, "Export the journal", suggested, [CSV_FILTER, JSON_FILTER])
        if answer is None:
            return
        path, chosen = answer
        fmt = path.suffix.lower().lstrip(".")
        if fmt not in ("csv", "json"):
            fmt = "json" if chosen == JSON_FILTER else "csv"
            path = path.with_name(f"{path.name}.{fmt}")
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
        suggested = self._folder("copy/folder") / f"{current.stem} copy {dt.date.today():%Y-%m-%d}{current.suffix}"
        answer = ask_save_path(self.window, "Save a copy of the journal", suggested, [JOURNAL_FILTER, ALL_FILTER])
        if answer is None:
            return
        path = answer[0]
        if not path.suffix:
            path = path.with_name(path.name + ".db")
        if path.resolve() == current.resolve():
            self._tell("Choose another name", "That is the journal itself. Choose another name or "
                       "folder for the copy.", QMessageBox.Icon.Warning)
            return
        try:
            backups.write_copy(self.store.db.conn, path)
        except BackupFailed as error:
            self._tell("kneelog could not save the copy", str(error), QMessageBox.Icon.Warning)
            return
        self.settings.setValue("copy/folder", str(path.parent))
        log.info("Saved a copy of %s as %s", current, path)
        self._status(f"Saved a copy of the journal as {path}. Open it on another computer with "
                     "File > Open another journal.")

    # -- another journal -------------------------------------------------------------------

    def open_another(self) -> None:
        path = ask_open_path(self.window, "Open another journal", self.store.path.parent,
                             [JOURNAL_FILTER, ALL_FILTER])
        if path is None:
            return
        if path.resolve() == self.store.path.resolve():
            self._status("That journal is already open.")
            return
        try:
            store = Store.open(path)
        except (JournalError, OSError) as error:
            log.warning("Cannot open %s: %s", path, error)
            self._tell("kneelog cannot open this journal", str(error), QMessageBox.Icon.Warning)
            return
        old = self.store
        self.window.set_store(store)
        old.close()
        self.settings.setValue(REMEMBERED, str(store.path.resolve()))
        log.info("Opened %s (%d entries)", store.path, store.count())
        self._status(f"Opened {store.path} ({store.count():,} entries). kneelog opens it from now on.")

    # -- backups ---------------------------------------------------------------------------

    def back_up_at_start(self) -> Backup | None:
        """The start-up backup, when the journal changed since the last one."""
        try:
            return backups.back_up_if_changed(self.store.db.conn, self.store.path)
        except BackupFailed as error:
            log.error("Start-up backup failed: %s", error)
            self._status(f"kneelog could not back up your journal: {error}", 30_000)
            return None

    def choose_backup(self) -> None:
        found = _found(self.store.path)
        if not found:
            self._tell("No backups yet", "There are no backups of this journal yet. kneelog takes "
                       "one each time it starts after the journal changed, and before an update, "
                       "an import or a restore.")
            return
        self.dialog = RestoreDialog(found, self.store.path, self.store.count(), self.window)
        self.dialog.restore_requested.connect(self.restore)
        self.dialog.open()

    def restore(self, backup: Backup) -> None:
        """Back up the journal as it is, then put `backup` in its place and show it."""
        store, path = self.store, self.store.path
        try:
            backups.back_up(store.db.conn, path, backups.BEFORE_RESTORE, prune=False)
        except BackupFailed as error:
            self._tell("kneelog did not restore the backup", f"{error} Nothing was changed.",
                       QMessageBox.Icon.Warning)
            return
        store.close()
        try:
            aside = backups.restore(backup, path)
        except BackupFailed as error:
            self.window.set_store(Store.open(path))  # untouched: the same journal, opened again
            self._tell("kneelog did not restore the backup", str(error), QMessageBox.Icon.Warning)
            return
        # The backup passed the same checks Store.open makes before it was put in place.
        self.window.set_store(Store.open(path))
        backups.remove_old(path)
        self._status(f"Restored the backup from {backup.describe()}: {self.store.count():,} entries. "
                     f"Your journal as it was is kept as {aside.name}, and in the backups.", 30_000)

    # -- checks ----------------------------------------------------------------------------

    def check(self) -> None:
        result = check_connection(self.store.db.conn)
        for detail in result.details:
            log.warning("Check of %s: %s", self.store.path, detail)
        if result.ok:
            self._tell("Check journal", result.summary)
        else:
            self._tell("Check journal: problems found", result.summary, QMessageBox.Icon.Warning)
