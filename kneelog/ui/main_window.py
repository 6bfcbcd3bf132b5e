"""The main window: the form first, the history beside it, the charts and the triage panel.

It composes the widgets and lays them out; the journal session (session.py) holds the journal
and makes every write. Each view updates from the session's changed(ChangeSet), only where the
change reaches it.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
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
from ..changes import ChangeSet
from ..model import Entry, InvalidEntry, Kind, Period
from ..store import EntryChanged, JournalError, Store
from ..units import format_distance
from .journal_files import JournalFiles, after_first_paint
from .next_morning_bar import NextMorningBar
from .run_form import RunForm
from .screen_fit import first_geometry, inside, panel_width, scrolled
from .session import JournalSession, describe
from .theme import ThemeSwitch, stylesheet
from .triage_panel import TriagePanel

if TYPE_CHECKING:
    from .dialogs import ShoeDialog, ShoesDialog
    from .history import HistoryView
    from .import_flow import ImportFlow

log = logging.getLogger(__name__)

__all__ = ["MainWindow", "describe"]

FORM_MARGINS = 24  # around the form: the window's margins and the tabs' frame
HISTORY_TAB = 1  # Log, History, Charts


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
                self.session.resync()

        return run

    return wrap


class MainWindow(QMainWindow):
    """Signals: entry_saved(Entry) once an entry from the form is saved and the form is ready
    again."""

    entry_saved = Signal(object)

    def __init__(
        self,
        store: Store,
        settings: QSettings,
        clock: Callable[[], dt.datetime] = dt.datetime.now,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.session = JournalSession(store, clock, self)
        self.session.changed.connect(self._on_session_changed)
        self.session.step_refused.connect(lambda text: self.statusBar().showMessage(text, 15000))
        self._settings = settings
        self.setWindowTitle(f"kneelog \u2013 {store.path.name}")
        self.theme = ThemeSwitch(QApplication.instance(), settings, self)
        self.theme.scheme_applied.connect(self._on_theme_scheme_applied)
        self.theme.apply()

        self.form = RunForm()
        self.form.set_units(self.session.settings.units)
        self.form.set_shoes(self.session.shoes())
        self.form.entry_submitted.connect(self._on_form_entry_submitted)
        self.form.add_shoe_requested.connect(self._on_form_add_shoe_requested)
        self.form.cancelled.connect(self._on_form_cancelled)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.form, "Log")
        # The history is made after the first paint, unless it is the tab to show: its table
        # and the item views' parts of Qt are an eighth of the start-up's work (bench_startup).
        # Until then an empty page holds its place.
        self._history: HistoryView | None = None
        self.tabs.addTab(QWidget(), "History")
        self._history_stale = True  # a change reached it while it was hidden (or unmade)
        self.charts = None  # built when first shown: pyqtgraph must not delay start-up
        self._chart_cache = None
        self._charts_change = ChangeSet()  # what reached the charts while they were hidden
        self._charts_page = QWidget()
        QVBoxLayout(self._charts_page).setContentsMargins(0, 0, 0, 0)
        self.tabs.addTab(self._charts_page, "Charts")
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
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
        self.form.start_new(self.session.now(), self.session.latest())
        after_first_paint(self, self._after_first_paint)
        self._ask_next_morning()

    @property
    def history(self) -> HistoryView:
        """The History tab, made (and put in its place) when first needed."""
        if self._history is None:
            from .history import HistoryView

            view = HistoryView()
            view.edit_requested.connect(self._on_history_edit_requested)
            view.delete_requested.connect(self._on_history_delete_requested)
            view.entry_selected.connect(self._on_history_entry_selected)
            view.set_period_index(int(self._settings.value("history/period", 1)))
            view.period_changed.connect(self._show_history)
            current = self.tabs.currentIndex()
            blocked = self.tabs.blockSignals(True)  # the same tab stays on show
            placeholder = self.tabs.widget(HISTORY_TAB)
            self.tabs.removeTab(HISTORY_TAB)
            self.tabs.insertTab(HISTORY_TAB, view, "History")
            self.tabs.setCurrentIndex(current)
            self.tabs.blockSignals(blocked)
            placeholder.deleteLater()
            self._history = view
        return self._history

    @property
    def imports(self) -> ImportFlow:
        """The import flow, made at the first import or drop: its modules (the importers among
        them) are not needed for the first paint (2 ms of start-up, bench_startup)."""
        if self._imports is None:
            from .import_flow import ImportFlow

            self._imports = ImportFlow(self.session, self, clock=self.session.now)
            self._imports.edit_requested.connect(self._on_imports_edit_requested)
            self._imports.entry_shown.connect(self._on_imports_entry_shown)
            self._imports.said.connect(self.statusBar().showMessage)
            self.entry_saved.connect(self._imports.entry_saved)
            self.form.cancelled.connect(self._imports.stop_adding_pain)
        return self._imports

    @property
    def store(self) -> Store:
        """The journal shown (read it through the session; every write goes through it)."""
        return self.session.store

    @property
    def undo_stack(self):
        return self.session.undo_stack

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
        quit_action = self._action(file, "&Quit", self.close)
        # Windows (and Qt's offscreen platform) give Quit no standard key: Ctrl+Q there.
        quit_action.setShortcuts(
            QKeySequence.keyBindings(QKeySequence.StandardKey.Quit) or [QKeySequence("Ctrl+Q")]
        )
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
        self.journal_files = JournalFiles(self.session, self._settings, self)
        self.journal_files.said.connect(self.statusBar().showMessage)
        self.journal_files.closing.connect(self.close)
        self.journal_files.add_actions(file, help_menu, before=quit_action)

    def set_store(self, store: Store) -> None:
        """Show another journal in this window (the caller closes the one shown before)."""
        self.session.open(store)

    # -- the session's changes -> views --------------------------------------------------

    def _on_session_changed(self, change: ChangeSet) -> None:
        """Each view takes what the change reaches: the history its period, the charts the
        weeks around the days changed, the triage panel the steps whose figures moved."""
        session = self.session
        if change.journal:
            self.setWindowTitle(f"kneelog \u2013 {session.path.name}")
            self.form.start_new(session.now(), session.latest())
            if self.shoes_dialog is not None:
                self.shoes_dialog.close()
                self.shoes_dialog = None
        if change.settings or change.journal:
            self.form.set_units(session.settings.units)
        if change.shoes or change.journal:
            self.form.set_shoes(session.shoes())
            self._show_shoes()
        if self._history is None or change.reaches(self._history.current_period(session.today())):
            self._history_stale = True
            if self.tabs.currentIndex() == HISTORY_TAB:
                self._show_history()
        if change.entries or change.shoes or change.settings or change.journal:
            self._update_charts(change)
        if self.triage.shown is not None:  # else it is filled in after the first paint
            self._show_triage(every_step=change.journal or change.settings or change.redraw)
        if change.entries or change.journal:
            self._ask_next_morning()

    def _show_history(self, *_) -> None:
        self._history_stale = False
        session = self.session
        today = session.today()
        entries = session.entries_in(self.history.current_period(today))
        self.history.set_entries(
            entries,
            session.settings.units,
            journal_empty=not entries and session.count() == 0,
            today=today,
        )

    def _after_first_paint(self) -> None:
        self._show_triage(every_step=True)
        if self._history_stale:  # made and filled now, when another tab is on show
            self._show_history()
        self.session.prepare_writes()

    def _show_triage(self, every_step: bool = False) -> None:
        """Draw the steps of the panel whose figures changed (every step after a refused write:
        a box the runner ticked must show the journal's state again)."""
        from ..triage import Step, changed_steps

        new = self.session.triage()
        today, units = self.session.today(), self.session.settings.units
        shown = self.triage.shown
        steps = (
            frozenset(Step)
            if every_step or shown is None or (today, units) != self.triage.shown_for
            else changed_steps(shown, new)
        )
        self.triage.set_triage(new, today, units, steps=steps)

    def _update_charts(self, change: ChangeSet) -> None:
        """The charts take the change now if they are on screen, else when shown next."""
        if self._chart_cache is None:
            return
        self._charts_change |= change
        if self.tabs.currentWidget() is self._charts_page:
            self._catch_up_charts()

    def _catch_up_charts(self) -> None:
        """Bring the charts' figures up to date with what changed since they were drawn: the
        weeks around the days changed (everything after another journal or other units), and
        draw the parts that moved."""
        change, self._charts_change = self._charts_change, ChangeSet()
        session = self.session
        entries, shoes = session.entries(), session.shoes()
        units, today = session.settings.units, session.today()
        if change.journal or change.settings:
            data = self._chart_cache.compute(list(entries.values()), shoes, units, today)
        else:
            data = self._chart_cache.apply(
                change.entries, entries, shoes, units, today, shoe_use=session.shoe_use()
            )
        self.charts.set_data(data)
        if "marks" in data.changed and change.reaches(self.charts.shown_period()):
            self._on_charts_range_changed(self.charts.shown_period())

    def _on_tabs_current_changed(self, index: int) -> None:
        if index == HISTORY_TAB and self._history_stale:
            self._show_history()
        if self.tabs.widget(index) is not self._charts_page:
            return
        if self.charts is None:
            from ..dashboard import ChartCache
            from .charts import ChartsView

            self._chart_cache = ChartCache()  # after a save, recomputes only the days it reaches
            self.charts = ChartsView()
            self.charts.run_selected.connect(self._on_charts_run_selected)
            self.charts.range_changed.connect(self._on_charts_range_changed)
            # On a low screen the charts scroll rather than squash.
            self._charts_page.layout().addWidget(scrolled(self.charts))
            self._charts_change = ChangeSet.everything()
        if self._charts_change:
            self._catch_up_charts()

    def _on_charts_run_selected(self, entry_id: int) -> None:
        self.history.show_entry(entry_id)
        run = self.session.entry(entry_id)
        self.statusBar().showMessage(
            f"Selected the {describe(run, self.session.settings.units)} in the history (Ctrl+2).",
            6000,
        )

    def _on_charts_range_changed(self, period) -> None:
        from ..metrics import region_counts

        self.charts.set_heat(region_counts(self.session.entries().values(), period))

    def _on_history_entry_selected(self, entry) -> None:
        if self.charts is not None:
            self.charts.select_run(entry.id if entry else None)

    def new_entry(self) -> None:
        self.form.start_new(self.session.now(), self.session.latest())
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
                for e in self.session.entries_in(day, kinds=[Kind.RUN])
                if e.started == entry.started and (before is None or e.id != before.id)
            ),
            None,
        )

    def _ask_to_save_twice(self, before: Entry | None, entry: Entry, twin: Entry) -> None:
        """Saving the same run twice is an easy slip (Ctrl+Enter pressed again, a run
        typed in that a watch file brought already): ask, and keep the form if not."""
        units = self.session.settings.units
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
        units = self.session.settings.units
        verb = "Updated" if before else "Saved"
        try:
            saved = self.session.save(before, entry, f"{verb.lower()} {describe(entry, units)}")
        except EntryChanged as conflict:  # edited from a copy that is out of date
            self._offer_both(entry, conflict.current)
            return
        except InvalidEntry as error:
            self.form.show_error(error)
            return
        except JournalError as error:  # disk full, file locked: the form keeps what was typed
            self.form.show_error(InvalidEntry("", str(error)))
            return
        self.statusBar().showMessage(f"{verb} your {describe(saved, units)}.", 8000)
        if before:
            self.tabs.setCurrentWidget(self.history)
            self.history.select_entry(saved.id)
        self.form.start_new(
            self.session.now(), saved if saved.kind is Kind.RUN else self.session.latest()
        )
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
                f"The other version: {describe(theirs, self.session.settings.units)}{pain}. "
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
        # The dialogs' module is loaded when first opened: 1% of the start-up's work otherwise.
        from .dialogs import ShoeDialog

        dialog = ShoeDialog(
            self, self.session.settings.units, taken=[s.name for s in self.session.shoes()]
        )
        dialog.accepted.connect(lambda: self._add_shoe(dialog))
        dialog.open()

    @_writes("the new pair of shoes")
    def _add_shoe(self, dialog: ShoeDialog) -> None:
        shoe = self.session.save_shoe(dialog.shoe())
        self.form.set_shoes(self.session.shoes(), select=shoe.id)
        self.statusBar().showMessage(f"Added {shoe.name}.", 5000)

    def _on_shoes_triggered(self) -> None:
        from .dialogs import ShoesDialog

        self.shoes_dialog = ShoesDialog(self)
        self.shoes_dialog.shoe_changed.connect(self._on_shoes_shoe_changed)
        self.shoes_dialog.add_requested.connect(self._on_form_add_shoe_requested)
        self._show_shoes()
        self.shoes_dialog.open()

    @_writes("the change to your shoes")
    def _on_shoes_shoe_changed(self, before, after) -> None:
        """A pair renamed, its limit changed, retired or brought back; Ctrl+Z takes it back."""
        self.session.change_shoe(before, after)
        self.statusBar().showMessage(
            f"{shoe_change_text(before, after, self.session.settings.units)} Ctrl+Z takes it back.",
            8000,
        )

    def _show_shoes(self) -> None:
        from ..metrics import shoe_mileage

        if self.shoes_dialog is not None:
            self.shoes_dialog.set_shoes(
                shoe_mileage(self.session.shoes(), self.session.entries().values()),
                self.session.settings.units,
            )

    def _on_form_cancelled(self) -> None:
        self.new_entry()
        self.tabs.setCurrentWidget(self.history)

    def _on_history_edit_requested(self, entry: Entry) -> None:
        self.form.edit(entry)
        self.tabs.setCurrentIndex(0)

    def _on_history_delete_requested(self, entry: Entry) -> None:
        units = self.session.settings.units
        try:  # the version the history shows, and only that one
            self.session.delete(entry, f"delete {describe(entry, units)}")
        except EntryChanged:
            self.session.reload()
            self.statusBar().showMessage(
                "Nothing was deleted: that entry was changed or deleted elsewhere a moment ago. "
                "The history shows it as it is now.",
                10000,
            )
            return
        except JournalError as error:  # another kneelog kept the journal busy, the disk failed
            self.statusBar().showMessage(f"Nothing was deleted. {error}", 15000)
            return
        if self.form.editing_id() == entry.id:
            self.new_entry()
            self.tabs.setCurrentWidget(self.history)
        self.statusBar().showMessage(
            f"Deleted the {describe(entry, units)}. Ctrl+Z brings it back.", 10000
        )

    def _ask_next_morning(self) -> None:
        self._asking = self.session.awaiting_next_morning()
        if self._asking is None:
            self.next_morning.hide()
            return
        from ..next_morning import next_morning_question

        self.next_morning.ask(
            next_morning_question(self._asking, self.session.now(), self.session.settings.units)
        )

    def _on_next_morning_rated(self, value: int) -> None:
        try:
            self.session.rate_next_morning(self._asking, value)
        except EntryChanged:  # changed elsewhere since the question was asked: ask again
            self.session.reload()
            self._ask_next_morning()
            return
        except JournalError as error:  # the bar stays up: the runner can tap again
            self.statusBar().showMessage(str(error), 15000)
            return
        self.statusBar().showMessage(f"Noted: {value}/10 this morning.", 6000)
        self._ask_next_morning()

    @_writes("your answer")
    def _on_next_morning_dismissed(self) -> None:
        self.session.dismiss_next_morning(self._asking)
        self._ask_next_morning()

    @_writes("your answer")
    def _on_triage_answer_changed(self, question: str, yes: bool) -> None:
        self.session.answer_triage(question, yes)

    @_writes("your assessment")
    def _on_triage_assessed(self) -> None:
        self.session.confirm_assessed()
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
        self.session.start_plan(kind, days, change, pattern)
        self.statusBar().showMessage(
            f"Started a {days}-day plan. Tick each day's boxes in the panel.", 8000
        )

    @_writes("the end of the plan")
    def _on_triage_plan_ended(self) -> None:
        self.session.end_plan()
        self.statusBar().showMessage(
            "Ended the plan; its ticks are kept. Ctrl+Z takes it back.", 10000
        )

    @_writes("your tick")
    def _on_triage_tick_changed(self, step: str, done: bool) -> None:
        self.session.tick(step, done)

    def _on_print_summary_triggered(self) -> None:
        from ..report import build_summary
        from .summary_dialog import SummaryDialog

        session = self.session
        today = session.today()

        def make_summary(period, questions: str):
            return build_summary(
                list(session.entries().values()),
                session.shoes(),
                session.settings,
                period,
                today,
                questions,
                triage=session.summary_triage(period),
            )

        self.summary_dialog = SummaryDialog(make_summary, today, self)
        self.summary_dialog.pdf_saved.connect(
            lambda path: self.statusBar().showMessage(f"Saved the summary to {path}.", 8000)
        )
        self.summary_dialog.open()

    def _on_settings_triggered(self) -> None:
        from .dialogs import SettingsDialog

        dialog = SettingsDialog(self.session.settings, self)
        dialog.accepted.connect(lambda: self._apply_settings(dialog.settings()))
        dialog.open()

    @_writes("your settings")
    def _apply_settings(self, settings) -> None:
        self.session.save_settings(settings)

    # -- what the import asks of the window ----------------------------------------------

    def _on_imports_edit_requested(self, entry: Entry, title: str) -> None:
        self.form.edit(entry, title=title)
        self.tabs.setCurrentWidget(self.form)
        # After the import's summary box has closed and handed focus back to where it was.
        QTimer.singleShot(0, self._focus_pain)

    def _focus_pain(self) -> None:
        self.activateWindow()
        self.form.focus_pain()

    def _on_imports_entry_shown(self, entry_id: int) -> None:
        self.history.show_entry(entry_id)
        self.tabs.setCurrentWidget(self.history)

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
        self.session.stop_watching()
        if self._imports is not None:
            self._imports.shutdown()
        self._settings.setValue("window/geometry", self.saveGeometry())
        self._settings.setValue("window/state", self.saveState())
        self._settings.setValue("window/tab", self.tabs.currentIndex())
        if self._history is not None:
            self._settings.setValue("history/period", self._history.period.currentIndex())
        self._settings.sync()
        super().closeEvent(event)
