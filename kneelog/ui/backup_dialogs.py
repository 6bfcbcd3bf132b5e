"""The dialogs of the backups: the list of backups, Restore from backup..., and the recovery
of a damaged journal at start-up (`recover`). The dialogs show data and say what the runner
chose; `recover` does what was chosen."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from .. import backups
from ..backups import Backup
from ..store import JournalDamaged, JournalError, Store

log = logging.getLogger(__name__)


class BackupList(QTableWidget):
    """Backups, newest first: when, why, how many entries. A backup that cannot be read is
    listed but cannot be chosen."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(0, 3, parent)
        self.setHorizontalHeaderLabels(["Taken", "Why", "Entries"])
        self.setAccessibleName("Backups")
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
            cells = [
                f"{backup.taken:%a %d %b %Y, %H:%M}",
                backup.why,
                "cannot be read" if count is None else f"{count:,}",
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 2:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
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

    def __init__(
        self,
        found: list[tuple[Backup, int | None]],
        journal: Path,
        entries: int,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle("Restore from a backup")
        self.resize(560, 420)
        self.intro = intro = QLabel(
            f"Choose the backup to go back to. Your journal as it is now ({entries:,} "
            f"entr{'y' if entries == 1 else 'ies'}) is backed up first and kept beside it as "
            f"<i>{journal.stem}.replaced-</i>(date and time)<i>{journal.suffix}</i>: nothing is "
            "deleted."
        )
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
        self.restore_button = self.buttons.addButton(
            "&Restore", QDialogButtonBox.ButtonRole.AcceptRole
        )
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

    def __init__(
        self, journal: Path, found: list[tuple[Backup, int | None]], parent: QWidget | None = None
    ):
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
            self.restore_button = self.buttons.addButton(
                "&Restore the backup", QDialogButtonBox.ButtonRole.AcceptRole
            )
            self.restore_button.clicked.connect(lambda: self._choose(self.RESTORE))
            self.restore_button.setDefault(True)
            self.list.itemSelectionChanged.connect(
                lambda: self.restore_button.setEnabled(self.list.selected_backup() is not None)
            )
        else:
            self.start_button = self.buttons.addButton(
                "Put it aside and &start a new journal", QDialogButtonBox.ButtonRole.AcceptRole
            )
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


def found_backups(journal: Path, good_only: bool = False) -> list[tuple[Backup, int | None]]:
    """The journal's backups, newest first, with their entry counts (None: cannot be read, or
    with `good_only`, fails integrity_check)."""
    found = []
    for backup in backups.list_backups(journal):
        count = backups.entry_count(backup)
        if good_only and count is not None and not backups.is_good(backup):
            count = None
        found.append((backup, count))
    return found


def _still_damaged(journal: Path, parent: QWidget | None) -> tuple[Store, str] | bool:
    """Open the journal once more: True when it is still damaged; else it opened after all (the
    store and a sentence), or False when it cannot be opened for another reason (said in a
    box). Only a damaged journal may be put aside: never a healthy one the disk was too full
    to open a moment ago."""
    try:
        store = Store.open(journal)
    except JournalDamaged:
        return True
    except (JournalError, OSError) as error:
        QMessageBox.critical(parent, "kneelog cannot open this journal", str(error))
        return False
    log.info("%s opened on a second try: it is not damaged", journal)
    return (
        store,
        "Your journal opened normally this time: it is not damaged, and nothing was changed.",
    )


def recover(journal: Path, parent: QWidget | None = None) -> tuple[Store, str] | None:
    """For a journal Store.open found damaged: ask the runner, then restore the newest good
    backup or start a new journal, the damaged file kept aside untouched. Returns the journal
    now at `journal`, opened, and what was done in a sentence; None when the runner quits."""
    damaged = _still_damaged(journal, parent)
    if damaged is not True:
        return damaged or None
    dialog = RecoveryDialog(journal, found_backups(journal, good_only=True), parent)
    dialog.exec()
    choice, backup = dialog.choice(), dialog.chosen()
    dialog.deleteLater()
    if choice is None:
        return None
    damaged = _still_damaged(journal, parent)  # the dialog may have been up for a while
    if damaged is not True:
        return damaged or None
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
