"""The main window: the form first, the history beside it, and the only holder of the Store."""

from __future__ import annotations

import datetime as dt
import functools
import logging
import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from .. import __version__
from ..content import label
from ..model import Entry, InvalidEntry, Kind, Period
from ..store import EntryChanged, JournalError, Store
from ..units import format_distance
from .dialogs import NextMorningBar, SettingsDialog, ShoeDialog, ShoesDialog
from .history import HistoryView

if TYPE_CHECKING:
    from .import_flow import ImportFlow
from .journal_files import JournalFiles, after_first_paint
from .run_form import RunForm
from .screen_fit import first_geometry, inside, panel_width, scrolled
from .theme import ThemeSwitch, stylesheet
from .triage_panel import TriagePanel

log = logging.getLogger(__name__)


def shoe_change_text(before, after, units) -> str:
    """What a change to a pair did, in one sentence."""
    if after.retired != before.retired:
        return f"{'Retired' if after.retired else 'Brought back'} {after.name}."
    parts = []
    if after.name != before.name:
        parts.append(f"Renamed {before.name} to {after.name}.")
    if after.limit_km != before.limit_km:
        parts.append(f"{after.name}: replace after {format_distance(after.limit_km, units)}.")
    if after.prior_km != before.prior_km:
        parts.append(f"{after.name}: {format_distance(after.prior_km, units)} run before.")
    return " ".join(parts) or f"Changed {after.name}."


def describe(entry: Entry, units) -> str:
    what = label("kind", entry.kind).lower()
    if entry.kind is Kind.RUN and entry.distance_km:
        what = f"{format_distance(entry.distance_km, units)} run"
    return f"{what} of {entry.started:%a %d %b}"


FORM_MARGINS = 24  # around the form: the window's margins and the tabs' frame
WATCH_MS = 400  # how often the window looks for changes another kneelog made to the journal


class Reversible(QUndoCommand):
    """A change already made, with the call that takes it back and the one that makes it again."""

    def __init__(self, text: str, undo, redo):
        super().__init__(text)
        self._undo, self._redo = undo, redo
        self._applied = True  # pushed after the change was made: the first redo has nothing to do

    def redo(self) -> None:
        if not self._applied:
            self._redo()
        self._applied = False

    def undo(self) -> None:
        self._undo()


class EntryChange(QUndoCommand):
    """One version of an entry turned into another (None: no entry), already written; undo
    turns it back, redo turns it forward again.

    Each step writes only over the version the step before it wrote, and a deleted entry comes
    back under its own id (never reused), so nothing else is touched. When the entry was changed
    elsewhere meanwhile (another window, another kneelog), the step is dropped and the window
    says so; the journal keeps the newer version.
    """

    def __init__(self, window: MainWindow, before: Entry | None, after: Entry | None, text: str):
        super().__init__(text)
        self._window, self._before, self._after = window, before, after
        self._written = True  # pushed after the change was made: the first redo has nothing to do

    def redo(self) -> None:
        if self._written:
            self._written = False
            return
        self._after = self._put(self._before, self._after)

    def undo(self) -> None:
        self._before = self._put(self._after, self._before)

    def _put(self, current: Entry | None, target: Entry | None) -> Entry | None:
        try:
            return self._window.put_entry(current, target)
        except JournalError as error:  # EntryChanged, or the journal could not be written
            self.setObsolete(True)  # QUndoStack drops the step: it was not made
            self._window.step_refused(error)
            return target


def _writes(what: str):
    """A slot that writes to the journal: when the write is refused (another kneelog kept the
    journal busy past the wait, the disk is full) the runner is told in the status bar and
    the views are drawn again from the journal, so nothing shows as saved that was not."""

    def wrap(slot):
        @functools.wraps(slot)
        def run(self, *args):
            try:
                return slot(self, *args)
            except JournalError as error:
                log.warning("%s not saved: %s", what, error)
                self.statusBar().showMessage(f"Not saved: {what}. {error}", 15000)
                self.refresh_triage(every_step=True)
                self.form.set_shoes(self.store.shoes())

        return run

    return wrap


class MainWindow(QMainWindow):
    """Signals: journal_changed() after any entry is saved, deleted, undone or redone;
    entry_saved(Entry) once an entry from the form is saved and the form is ready again."""

    journal_changed = Signal()
    entry_saved = Signal(object)

    def __init__(
        self,
        store: Store,
        settings: QSettings,
        clock: Callable[[], dt.datetime] = dt.datetime.now,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.store = store
        self._settings = settings
        self._clock = clock
        self._journal_settings = store.settings()
        self.undo_stack = QUndoStack(self)
        self.setWindowTitle(f"kneelog \u2013 {store.path.name}")
        self.theme = ThemeSwitch(QApplication.instance(), settings, self)
        self.theme.scheme_applied.connect(self._on_theme_scheme_applied)
        self.theme.apply()

        self.form = RunForm()
        self.form.set_units(self._journal_settings.units)
        self.form.set_shoes(store.shoes())
        self.form.entry_submitted.connect(self._on_form_entry_submitted)
        self.form.add_shoe_requested.connect(self._on_form_add_shoe_requested)
        self.form.cancelled.connect(self._on_form_cancelled)

        self.history = HistoryView()
        self.history.edit_requested.connect(self._on_history_edit_requested)
        self.history.delete_requested.connect(self._on_history_delete_requested)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.form, "Log")
        self.tabs.addTab(self.history, "History")
        self.charts = None  # built when first shown: pyqtgraph is 210 ms (bench_startup)
        self._charts_page = QWidget()
        QVBoxLayout(self._charts_page).setContentsMargins(0, 0, 0, 0)
        self.tabs.addTab(self._charts_page, "Charts")
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        self.history.entry_selected.connect(self._on_history_entry_selected)
        self._charts_stale = True
        self._history_waits = False
        self._entries: dict[int, Entry] | None = None  # read when the charts first need it
        self.shoes_dialog: ShoesDialog | None = None
        self.conflict_box: QMessageBox | None = None  # an entry changed elsewhere while edited
        self.duplicate_box: QMessageBox | None = None  # a run at the minute of another

        self.next_morning = NextMorningBar()
        self.next_morning.rated.connect(self._on_next_morning_rated)
        self.next_morning.dismissed.connect(self._on_next_morning_dismissed)
        self._asking: Entry | None = None

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addWidget(self.next_morning)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

        self.triage = TriagePanel()
        self.triage.answer_changed.connect(self._on_triage_answer_changed)
        self.triage.assessed.connect(self._on_triage_assessed)
        self.triage.plan_requested.connect(self._on_triage_plan_requested)
        self.triage.plan_ended.connect(self._on_triage_plan_ended)
        self.triage.tick_changed.connect(self._on_triage_tick_changed)
        self.triage_dock = QDockWidget("Triage", self)
        self.triage_dock.setObjectName("triageDock")
        self.triage_dock.setWidget(self.triage)
        self.triage_dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetMovable
        )
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.triage_dock)

        self._imports: ImportFlow | None = None
        self.setAcceptDrops(True)  # watch files and folders dropped anywhere on the window
        self._build_menus()
        self.statusBar().showMessage(f"Journal: {store.path}")

        self._restore_layout()
        self.history.period_changed.connect(self.refresh)
        self.form.start_new(self._clock(), store.latest())
        if self.tabs.currentWidget() is self.history:
            self.refresh()
        else:
            self._history_waits = True  # for the first paint, see _after_first_paint
        after_first_paint(self, self._after_first_paint)
        self._ask_next_morning()
        # Another kneelog (`kneelog import`, a second window) may write to the journal: what it
        # wrote shows here within a second. data_version is one read of shared memory.
        self._data_version = store.data_version()
        self._watch = QTimer(self)
        self._watch.setInterval(WATCH_MS)
        self._watch.timeout.connect(self._on_watch_timeout)
        self._watch.start()

    # -- menus ---------------------------------------------------------------------------

    def _action(self, menu, text: str, slot, shortcut=None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu("&File")
        self._action(file, "&New entry", self.new_entry, "Ctrl+N")
        self._action(file, "&Import watch files...", lambda: self.imports.import_files(), "Ctrl+I")
        self._action(
            file,
            "Import a &folder of watch files...",
            lambda: self.imports.import_folder(),
            "Ctrl+Shift+I",
        )
        self._action(
            file,
            "&Print summary...",
            self._on_print_summary_triggered,
            QKeySequence.StandardKey.Print,
        )
        self._action(file, "S&hoes...", self._on_shoes_triggered, "Ctrl+Shift+H")
        self._action(file, "Journal &settings...", self._on_settings_triggered, "Ctrl+,")
        file.addSeparator()
        quit_action = self._action(file, "&Quit", self.close, QKeySequence.StandardKey.Quit)
        edit = bar.addMenu("&Edit")
        undo = self.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcuts(QKeySequence.StandardKey.Undo)
        redo = self.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcuts(QKeySequence.StandardKey.Redo)
        edit.addActions([undo, redo])
        view = bar.addMenu("&View")
        self._action(view, "&Log", lambda: self.tabs.setCurrentIndex(0), "Ctrl+1")
        self._action(view, "&History", lambda: self.tabs.setCurrentIndex(1), "Ctrl+2")
        self._action(view, "&Charts", lambda: self.tabs.setCurrentIndex(2), "Ctrl+3")
        view.addSeparator()
        toggle = self.triage_dock.toggleViewAction()
        toggle.setText("&Triage panel")
        toggle.setShortcut(QKeySequence("Ctrl+T"))
        view.addAction(toggle)
        self.theme.add_menu(view)
        help_menu = bar.addMenu("&Help")
        self._action(
            help_menu,
            "&Keyboard shortcuts",
            self._on_shortcuts_triggered,
            QKeySequence.StandardKey.HelpContents,
        )
        self._action(help_menu, "&About kneelog", self._on_about_triggered)
        self.journal_files = JournalFiles(self, self._settings)
        self.journal_files.add_actions(file, help_menu, before=quit_action)

    def set_store(self, store: Store) -> None:
        """Show another journal (opened elsewhere, restored from a backup) in this window.

        The caller closes the journal shown before. Undo stops at the switch: its steps
        belong to the other file.
        """
        self.store = store
        self._data_version = store.data_version()
        self._watch.start()
        self._journal_settings = store.settings()
        self.undo_stack.clear()
        self._entries = None
        self.setWindowTitle(f"kneelog \u2013 {store.path.name}")
        self.form.set_units(self._journal_settings.units)
        self.form.set_shoes(store.shoes())
        self.form.start_new(self._clock(), store.latest())
        if self.shoes_dialog is not None:
            self.shoes_dialog.close()
            self.shoes_dialog = None
        self._shoes_changed()
        self.refresh()
        self._ask_next_morning()

    # -- journal -> widgets --------------------------------------------------------------

    @property
    def imports(self) -> ImportFlow:
        """The import flow, made at the first import or drop: its modules (the importers among
        them) are not needed for the first paint (2 ms of start-up, bench_startup)."""
        if self._imports is None:
            from .import_flow import ImportFlow

            self._imports = ImportFlow(self, clock=self._clock)
        return self._imports

    def refresh(self) -> None:
        self._history_waits = False
        today = self._clock().date()
        entries = self.store.entries(self.history.current_period(today))
        self.history.set_entries(
            entries,
            self._journal_settings.units,
            journal_empty=not entries and self.store.count() == 0,
            today=today,
        )
        self._charts_stale = True
        if self.charts is not None and self.tabs.currentWidget() is self._charts_page:
            self.refresh_charts()
        if self.triage.shown is not None:  # else it is filled in after the first paint
            self.refresh_triage()
        self.journal_changed.emit()

    def _after_first_paint(self) -> None:
        # The history, when another tab is shown, is filled now rather than before the first
        # paint: laying out its table reads every cell (worth 8-12 ms of start-up, bench_startup).
        if self._history_waits:
            self.refresh()
        self.refresh_triage()
        self.store.prepare_writes()

    def refresh_triage(self, every_step: bool = False) -> None:
        """`every_step`: draw every step again, also those whose data did not change (after a
        refused write, a box the runner ticked must show the journal's state again)."""
        today = self._clock().date()
        self.triage.set_triage(
            self.store.triage(today), today, self._journal_settings.units, every_step=every_step
        )

    def reload(self) -> None:
        """Read the journal again: another connection (an import) has written to it."""
        self._entries = None
        self.refresh()

    def _on_watch_timeout(self) -> None:
        if self._imports is not None and self._imports.busy():
            # Its batches would redraw everything each second; it ends with a reload, and the
            # next look after it catches up.
            return
        try:
            version = self.store.data_version()
        except sqlite3.ProgrammingError:  # the journal was closed under the window (shutting down)
            self._watch.stop()
            return
        if version != self._data_version:
            self._data_version = version
            self.reload_changed_elsewhere()

    def reload_changed_elsewhere(self) -> None:
        """Another connection wrote to the journal: entries, shoes and settings may all have
        changed. The form keeps what is typed in it; a save over an entry changed meanwhile is
        caught when it is made."""
        settings = self.store.settings()
        if settings != self._journal_settings:
            self._journal_settings = settings
            self.form.set_units(settings.units)
        self.form.set_shoes(self.store.shoes())
        if self.shoes_dialog is not None:
            self._shoes_changed()
        self.reload()  # the charts too
        self._ask_next_morning()

    def refresh_charts(self) -> None:
        self.charts.set_data(
            self._chart_data.update(
                self._journal_entries(),
                self.store.shoes(),
                self._journal_settings.units,
                self._clock().date(),
            )
        )
        self._on_charts_range_changed(self.charts.shown_period())
        self._charts_stale = False

    def _on_tabs_current_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.history and self._history_waits:
            self.refresh()
        if self.tabs.widget(index) is not self._charts_page:
            return
        if self.charts is None:
            from ..dashboard import ChartCache
            from .charts import ChartsView

            self._chart_data = ChartCache()  # after a save, recomputes only the days it reaches
            self.charts = ChartsView()
            self.charts.run_selected.connect(self._on_charts_run_selected)
            self.charts.range_changed.connect(self._on_charts_range_changed)
            # On a low screen the charts scroll rather than squash.
            self._charts_page.layout().addWidget(scrolled(self.charts))
        if self._charts_stale:
            self.refresh_charts()

    def _on_charts_run_selected(self, entry_id: int) -> None:
        self.history.show_entry(entry_id)
        run = self.store.entry(entry_id)
        self.statusBar().showMessage(
            f"Selected the {describe(run, self._journal_settings.units)} in the history (Ctrl+2).",
            6000,
        )

    def _on_charts_range_changed(self, period) -> None:
        from ..metrics import region_counts

        self.charts.set_heat(region_counts(self._journal_entries(), period))

    def _on_history_entry_selected(self, entry) -> None:
        if self.charts is not None:
            self.charts.select_run(entry.id if entry else None)

    def put_entry(self, current: Entry | None, target: Entry | None) -> Entry | None:
        """Make the journal hold `target` where it held `current` (undo and redo); return it as
        written. EntryChanged when the journal no longer holds `current`."""
        written = self._write(
            current, target, today=max(self._clock().date(), target.day) if target else None
        )
        self.refresh()
        return written

    def step_refused(self, error: JournalError) -> None:
        """An undo or redo that was not made: say why, and show the journal as it is."""
        self.reload()
        if isinstance(error, EntryChanged):
            message = (
                "Undo and redo left the entry as it is: it was changed or deleted elsewhere "
                "(in another kneelog window, or by another program) after that step."
            )
        else:
            message = str(error)
        self.statusBar().showMessage(message, 15000)

    def _write(
        self, current: Entry | None, target: Entry | None, today: dt.date | None = None
    ) -> Entry | None:
        """The one place entries change: the journal first, then the window's copy of it.

        `current` is the version the change was made from: the journal must still hold it
        (else EntryChanged and nothing is written). Without a current version, a target with
        an id is an entry deleted before, put back under its id (undo); else a new entry.
        """
        today = today or self._clock().date()
        if target is None:
            self.store.delete_entry(current.id, version=current.version)
            written = None
        elif current is None and target.id is not None:
            written = self.store.restore_entry(target, today=today)
        else:
            if current is not None:
                target = target.with_(id=current.id, version=current.version)
            written = self.store.save_entry(target, today=today)
        if self._entries is not None:
            if current is not None:
                self._entries.pop(current.id, None)
            if written is not None:
                self._entries[written.id] = written
        return written

    def _journal_entries(self) -> list[Entry]:
        """Every entry, read once and then kept in step by _write (charts need them all)."""
        if self._entries is None:
            self._entries = {e.id: e for e in self.store.entries()}
        return list(self._entries.values())

    def new_entry(self) -> None:
        self.form.start_new(self._clock(), self.store.latest())
        self.tabs.setCurrentIndex(0)
        self.form.focus_first_field()

    # -- reactions -----------------------------------------------------------------------

    def _on_form_entry_submitted(self, entry: Entry) -> None:
        before = self.form.editing()
        twin = self._run_at_the_same_minute(entry, before)
        if twin is None:
            self._save_from_form(before, entry)
        else:
            self._ask_to_save_twice(before, entry, twin)

    def _run_at_the_same_minute(self, entry: Entry, before: Entry | None) -> Entry | None:
        """Another run that started the same minute: most likely this one, saved already."""
        if entry.kind is not Kind.RUN:
            return None
        day = Period(entry.day, entry.day)
        return next(
            (
                e
                for e in self.store.entries(day, kinds=[Kind.RUN])
                if e.started == entry.started and (before is None or e.id != before.id)
            ),
            None,
        )

    def _ask_to_save_twice(self, before: Entry | None, entry: Entry, twin: Entry) -> None:
        """Saving the same run twice is an easy slip (Ctrl+Enter pressed again, a run
        typed in that a watch file brought already): ask, and keep the form if not."""
        units = self._journal_settings.units
        distance = f" ({format_distance(twin.distance_km, units)})" if twin.distance_km else ""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "A run at the same minute",
            f"Your journal already has a run that started at {twin.started:%H:%M} on "
            f"{twin.started:%a %d %b}{distance}. Save this one as well?",
            parent=self,
        )
        box.setInformativeText("Choose No to go back to the form; nothing you typed is lost.")
        save = box.addButton("Save it as well", QMessageBox.ButtonRole.YesRole)
        keep = box.addButton("No", QMessageBox.ButtonRole.NoRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)

        def on_finished() -> None:
            if box.clickedButton() is save:
                self._save_from_form(before, entry)
            else:
                self.statusBar().showMessage(
                    "Not saved. Change the time if this is another run.", 8000
                )
                self.form.when.setFocus()

        box.finished.connect(on_finished)
        self.duplicate_box = box
        box.open()

    def _save_from_form(self, before: Entry | None, entry: Entry) -> None:
        """Save what the form holds over `before` (None: a new entry)."""
        try:
            saved = self._write(before, entry)
        except EntryChanged as conflict:  # edited from a copy that is out of date
            self._offer_both(entry, conflict.current)
            return
        except InvalidEntry as error:
            self.form.show_error(error)
            return
        except JournalError as error:  # disk full, file locked: the form keeps what was typed
            self.form.show_error(InvalidEntry("", str(error)))
            return
        units = self._journal_settings.units
        verb = "Updated" if before else "Saved"
        self.undo_stack.push(
            EntryChange(self, before, saved, f"{verb.lower()} {describe(saved, units)}")
        )
        self.refresh()
        self.statusBar().showMessage(f"{verb} your {describe(saved, units)}.", 8000)
        if before:
            self.tabs.setCurrentWidget(self.history)
            self.history.select_entry(saved.id)
        self.form.start_new(self._clock(), saved if saved.kind is Kind.RUN else self.store.latest())
        self.entry_saved.emit(saved)

    def _offer_both(self, mine: Entry, theirs: Entry | None) -> None:
        """The entry in the form was changed (or deleted) elsewhere while it was being edited:
        the runner chooses which version the journal keeps. Cancel keeps editing."""
        what = "deleted" if theirs is None else "changed"
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            f"This entry was {what} elsewhere",
            f"While you were editing this entry, it was {what} in another kneelog "
            "window (or by another program).",
            parent=self,
        )
        if theirs is None:
            box.setInformativeText(
                "Save yours to put it back as it is in the form, or leave it "
                "deleted (what you typed is then dropped)."
            )
            save, other = "Save mine", "Leave it deleted"
        else:
            pain = f", pain up to {theirs.max_pain}/10" if theirs.max_pain is not None else ""
            box.setInformativeText(
                f"The other version: {describe(theirs, self._journal_settings.units)}{pain}. "
                "Save yours over it (Ctrl+Z takes that back), or show the other version in the "
                "form (what you typed is then dropped)."
            )
            save, other = "Save mine over it", "Show the other version"
        save_button = box.addButton(save, QMessageBox.ButtonRole.AcceptRole)
        other_button = box.addButton(other, QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(save_button)

        def on_finished() -> None:
            clicked = box.clickedButton()
            if clicked is save_button:
                self._save_from_form(theirs, mine)
            elif clicked is other_button and theirs is not None:
                self.form.edit(theirs)
            elif clicked is other_button:
                self.new_entry()

        box.finished.connect(on_finished)
        self.conflict_box = box
        box.open()

    def _on_form_add_shoe_requested(self) -> None:
        dialog = ShoeDialog(
            self, self._journal_settings.units, taken=[s.name for s in self.store.shoes()]
        )
        dialog.accepted.connect(lambda: self._add_shoe(dialog))
        dialog.open()

    @_writes("the new pair of shoes")
    def _add_shoe(self, dialog: ShoeDialog) -> None:
        shoe = self.store.save_shoe(dialog.shoe())
        self.form.set_shoes(self.store.shoes(), select=shoe.id)
        self._shoes_changed()
        self.statusBar().showMessage(f"Added {shoe.name}.", 5000)

    def _on_shoes_triggered(self) -> None:
        self.shoes_dialog = ShoesDialog(self)
        self.shoes_dialog.shoe_changed.connect(self._on_shoes_shoe_changed)
        self.shoes_dialog.add_requested.connect(self._on_form_add_shoe_requested)
        self._shoes_changed()
        self.shoes_dialog.open()

    @_writes("the change to your shoes")
    def _on_shoes_shoe_changed(self, before, after) -> None:
        """A pair renamed, its limit changed, retired or brought back; Ctrl+Z takes it back."""
        self._put_shoe(after)
        self.undo_stack.push(
            Reversible(
                f"change to {before.name}",
                undo=lambda: self._put_shoe(before),
                redo=lambda: self._put_shoe(after),
            )
        )
        self.statusBar().showMessage(
            f"{shoe_change_text(before, after, self._journal_settings.units)} "
            "Ctrl+Z takes it back.",
            8000,
        )

    @_writes("the change to your shoes")
    def _put_shoe(self, shoe) -> None:
        self.store.save_shoe(shoe)
        self.form.set_shoes(self.store.shoes())
        self._shoes_changed()

    def _shoes_changed(self) -> None:
        """Shoes feed the form, the shoes dialog and the charts."""
        from ..metrics import shoe_mileage

        if self.shoes_dialog is not None:
            self.shoes_dialog.set_shoes(
                shoe_mileage(self.store.shoes(), self._journal_entries()),
                self._journal_settings.units,
            )
        self._charts_stale = True
        if self.charts is not None and self.tabs.currentWidget() is self._charts_page:
            self.refresh_charts()

    def _on_form_cancelled(self) -> None:
        self.new_entry()
        self.tabs.setCurrentWidget(self.history)

    def _on_history_edit_requested(self, entry: Entry) -> None:
        self.form.edit(entry)
        self.tabs.setCurrentIndex(0)

    def _on_history_delete_requested(self, entry: Entry) -> None:
        try:
            self._write(entry, None)  # the version the history shows, and only that one
        except EntryChanged:
            self.reload()
            self.statusBar().showMessage(
                "Nothing was deleted: that entry was changed or deleted elsewhere a moment ago. "
                "The history shows it as it is now.",
                10000,
            )
            return
        except JournalError as error:  # another kneelog kept the journal busy, the disk failed
            self.statusBar().showMessage(f"Nothing was deleted. {error}", 15000)
            return
        deleted = entry
        units = self._journal_settings.units
        self.undo_stack.push(EntryChange(self, deleted, None, f"delete {describe(deleted, units)}"))
        if self.form.editing_id() == deleted.id:
            self.new_entry()
            self.tabs.setCurrentWidget(self.history)
        self.refresh()
        self.statusBar().showMessage(
            f"Deleted the {describe(deleted, units)}. Ctrl+Z brings it back.", 10000
        )

    def _ask_next_morning(self) -> None:
        self._asking = self.store.awaiting_next_morning(self._clock())
        if self._asking is None:
            self.next_morning.hide()
            return
        from ..next_morning import next_morning_question

        self.next_morning.ask(
            next_morning_question(self._asking, self._clock(), self._journal_settings.units)
        )

    def _on_next_morning_rated(self, value: int) -> None:
        before = self._asking
        try:
            after = self._write(before, before.with_(pain_next_morning=value))
        except EntryChanged:  # changed elsewhere since the question was asked: ask again
            self.reload()
            self._ask_next_morning()
            return
        except JournalError as error:  # the bar stays up: the runner can tap again
            self.statusBar().showMessage(str(error), 15000)
            return
        self.undo_stack.push(EntryChange(self, before, after, "next-morning pain"))
        self.refresh()
        self.statusBar().showMessage(f"Noted: {value}/10 this morning.", 6000)
        self._ask_next_morning()

    @_writes("your answer")
    def _on_next_morning_dismissed(self) -> None:
        self.store.dismiss_next_morning(self._asking.id)
        self._ask_next_morning()

    @_writes("your answer")
    def _on_triage_answer_changed(self, question: str, yes: bool) -> None:
        self.store.answer_triage(question, yes, self._clock().date())
        self.refresh_triage()

    @_writes("your assessment")
    def _on_triage_assessed(self) -> None:
        self.store.confirm_assessed(self._clock().date())
        self.refresh_triage()
        self.statusBar().showMessage("Noted: you have been assessed. The plan is open again.", 8000)

    @_writes("the plan")
    def _on_triage_plan_requested(self, kind: str, days: int, change: str, pattern) -> None:
        if kind == "calm" and not change:
            QMessageBox.information(
                self,
                "One change at a time",
                "Type the one thing you will change (or pick one from the list), "
                "so that the review can tell whether it helped.",
            )
            return
        from ..triage import Plan

        self.store.start_plan(
            Plan(kind=kind, started=self._clock().date(), days=days, change=change, pattern=pattern)
        )
        self.refresh_triage()
        self.statusBar().showMessage(
            f"Started a {days}-day plan. Tick each day's boxes in the panel.", 8000
        )

    @_writes("the end of the plan")
    def _on_triage_plan_ended(self) -> None:
        plan = self.store.current_plan()
        self.store.end_plan(plan.id, self._clock().date())
        self.undo_stack.push(
            Reversible(
                "end the plan",
                undo=lambda: (self.store.reopen_plan(plan.id), self.refresh_triage()),
                redo=lambda: (
                    self.store.end_plan(plan.id, self._clock().date()),
                    self.refresh_triage(),
                ),
            )
        )
        self.refresh_triage()
        self.statusBar().showMessage(
            "Ended the plan; its ticks are kept. Ctrl+Z takes it back.", 10000
        )

    @_writes("your tick")
    def _on_triage_tick_changed(self, step: str, done: bool) -> None:
        plan = self.store.current_plan()
        self.store.tick(plan.id, self._clock().date(), step, done)
        self.refresh_triage()

    def _on_print_summary_triggered(self) -> None:
        from ..report import build_summary
        from .summary_dialog import SummaryDialog  # with QtPrintSupport: 22 ms (bench_startup)

        today = self._clock().date()

        def make_summary(period, questions: str):
            return build_summary(
                self._journal_entries(),
                self.store.shoes(),
                self._journal_settings,
                period,
                today,
                questions,
                triage=self.store.summary_triage(period, today),
            )

        self.summary_dialog = SummaryDialog(make_summary, today, self)
        self.summary_dialog.pdf_saved.connect(
            lambda path: self.statusBar().showMessage(f"Saved the summary to {path}.", 8000)
        )
        self.summary_dialog.open()

    def _on_settings_triggered(self) -> None:
        dialog = SettingsDialog(self._journal_settings, self)
        dialog.accepted.connect(lambda: self._apply_settings(dialog.settings()))
        dialog.open()

    @_writes("your settings")
    def _apply_settings(self, settings) -> None:
        self.store.save_settings(settings)
        self._journal_settings = settings
        self.form.set_units(settings.units)
        self.refresh()

    def _on_shortcuts_triggered(self) -> None:
        from .shortcuts import ShortcutsDialog

        self.history.calendar  # noqa: B018  (made when first asked for; its keys are listed too)
        self.shortcuts_dialog = ShortcutsDialog(self, self.menuBar(), self)
        self.shortcuts_dialog.open()

    def _on_theme_scheme_applied(self, dark: bool) -> None:
        self.setStyleSheet(stylesheet(dark))

    def _on_about_triggered(self) -> None:
        QMessageBox.about(
            self,
            "About kneelog",
            f"<h3>kneelog {__version__}</h3><p>A private journal for runners whose knee hurts "
            "after running. Everything stays in one file on this computer.</p>"
            "<p>kneelog shows patterns in what you log. It is not medical advice and "
            "does not diagnose anything.</p>",
        )

    # -- files dropped on the window -----------------------------------------------------

    def dragEnterEvent(self, event) -> None:
        from .import_flow import dropped_paths

        if dropped_paths(event.mimeData()) and not (self._imports and self._imports.busy()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        from .import_flow import dropped_paths

        paths = dropped_paths(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.imports.start(paths)

    # -- window state --------------------------------------------------------------------

    def _restore_layout(self) -> None:
        room = self.screen().availableGeometry()
        geometry = self._settings.value("window/geometry")
        shrunk = False  # a remembered size that no longer fits this screen
        if geometry is not None:
            self.restoreGeometry(geometry)
            if not self.isMaximized() and not self.isFullScreen():
                fitted = inside(self.geometry(), room)
                shrunk = fitted.size() != self.size()
                self.setGeometry(fitted)
        else:
            self.setGeometry(first_geometry(room))
        state = self._settings.value("window/state")
        if state is not None:
            self.restoreState(state)
        # First start, or the first with the panel: give it its room.
        fresh = state is None or self.triage_dock.objectName().encode("utf-16-be") not in bytes(
            state
        )
        self._fit_the_panel(room, fresh, shrunk)
        self.tabs.setCurrentIndex(int(self._settings.value("window/tab", 0)))
        self.history.set_period_index(int(self._settings.value("history/period", 1)))

    def _fit_the_panel(self, room: QRect, fresh: bool, shrunk: bool) -> None:
        """The triage panel goes beside the form when both fit without the form scrolling
        sideways; on a screen too narrow for both it starts hidden, and a button in the status
        bar says where it went. A window sized before the panel existed grows to hold it as far
        as the screen allows; later starts keep the size and panel width the runner chose,
        unless the window had to shrink to fit a smaller screen."""
        self.panel_button = QPushButton("Triage panel hidden: show it (Ctrl+T)")
        self.panel_button.setFlat(True)
        self.panel_button.setToolTip("The triage panel is hidden; View > Triage panel shows it.")
        self.panel_button.clicked.connect(self.triage_dock.show)
        self.statusBar().addPermanentWidget(self.panel_button)
        self.triage_dock.visibilityChanged.connect(self._on_triage_dock_visibility_changed)
        if fresh or shrunk:  # else the runner's own sizes stand, and the form's is not asked
            # (measuring it lays the whole form out before the first paint: 5-8 ms, bench_startup)
            self._make_room_for_the_panel(room, fresh)
        self.panel_button.setVisible(self.triage_dock.isHidden())

    def _make_room_for_the_panel(self, room: QRect, fresh: bool) -> None:
        form = self.form.comfortable_width() + FORM_MARGINS
        panel = self.triage.sizeHint().width()
        if fresh:
            wide = self.size().expandedTo(QSize(form + panel, 0))
            self.setGeometry(inside(QRect(self.geometry().topLeft(), wide), room))
        width = panel_width(self.width(), form, self.triage.minimumWidth(), panel)
        docked = not self.triage_dock.isFloating() and not self.triage_dock.isHidden()
        if docked and width is None:
            self.triage_dock.hide()
            self.statusBar().showMessage(
                "The triage panel is hidden to leave room for the form on this screen. "
                "View > Triage panel (Ctrl+T) shows it.",
                20000,
            )
        elif docked and fresh and width is not None:
            self.resizeDocks([self.triage_dock], [width], Qt.Orientation.Horizontal)

    def _on_triage_dock_visibility_changed(self, visible: bool) -> None:
        self.panel_button.setVisible(self.triage_dock.isHidden())

    def closeEvent(self, event) -> None:
        self._watch.stop()
        if self._imports is not None:
            self._imports.shutdown()
        self._settings.setValue("window/geometry", self.saveGeometry())
        self._settings.setValue("window/state", self.saveState())
        self._settings.setValue("window/tab", self.tabs.currentIndex())
        self._settings.setValue("history/period", self.history.period.currentIndex())
        self._settings.sync()
        super().closeEvent(event)
