"""The history: the entries of a chosen period, newest first, as a list or a calendar of
weeks, with a search over the notes."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..fields import FIELDS, Shown
from ..model import Entry, Period, Units
from .last_column import LastColumnFit
from .theme import Colours, colours_for, repaints_for

if TYPE_CHECKING:
    from .calendar_view import CalendarView

PERIODS = (
    ("Last 4 weeks", 28),
    ("Last 3 months", 91),
    ("Last 12 months", 365),
    ("Everything", None),
)


def period_for(days: int | None, today: dt.date) -> Period:
    return Period(first=today - dt.timedelta(days=days - 1) if days else None)


def matches(entry: Entry, words: str) -> bool:
    """Whether the entry's notes hold every word typed, in any case and order."""
    notes = entry.notes.casefold()
    return all(word in notes for word in words.casefold().split())


# The table's columns, each with the field it belongs to (the colours go by field).
FIELD_COLUMNS = [(field.name, column) for field in FIELDS for column in field.history]
PAIN_COLUMN = next(i for i, (name, _) in enumerate(FIELD_COLUMNS) if name == "pain_start")
WARNINGS_COLUMN = next(i for i, (name, _) in enumerate(FIELD_COLUMNS) if name == "warnings")
FIT_ROWS = 200  # rows measured for the columns' widths; a 10-year period has thousands
STRETCH_COLUMN = next(i for i, (_, column) in enumerate(FIELD_COLUMNS) if column.stretch)


# Roles as plain ints, looked up once: data() runs for every role of every cell painted (some
# 4,000 calls a paint), and most of its time went on reaching the enums.
_DISPLAY = Qt.ItemDataRole.DisplayRole.value
_FOREGROUND = Qt.ItemDataRole.ForegroundRole.value
_TOOLTIP = Qt.ItemDataRole.ToolTipRole.value
_ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole.value
_ANSWERED = frozenset({_DISPLAY, _FOREGROUND, _TOOLTIP, _ALIGNMENT})
_RIGHT = (Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value
_ALIGNMENTS = tuple(_RIGHT if column.numeric else None for _, column in FIELD_COLUMNS)


class EntryTableModel(QAbstractTableModel):
    COLUMNS = tuple(column.header for _, column in FIELD_COLUMNS)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._entries: list[Entry] = []
        self._units = Units.KM
        self._shown = Shown(self._units)
        # Each entry's cell texts, kept across resets: a save changes one entry, and the
        # others' texts need not be made again (entries are immutable; keyed by identity).
        self._texts: dict[int, tuple[Entry, tuple[str, ...]]] = {}
        self.colours = Colours(dark=False)

    def set_colours(self, colours: Colours) -> None:
        """The scheme the table is shown in: warning signs and pending pain keep readable."""
        self.colours = colours
        if self._entries:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._entries) - 1, len(self.COLUMNS) - 1)
            )

    def set_entries(self, entries: list[Entry], units: Units) -> None:
        self.beginResetModel()
        if units != self._units:
            self._texts = {}
        self._entries = list(entries)
        self._units = units
        self._shown = Shown(units)
        if len(self._texts) > 2 * len(self._entries) + 100:  # forget entries gone long ago
            shown = {id(e) for e in self._entries}
            self._texts = {k: v for k, v in self._texts.items() if k in shown}
        self.endResetModel()

    def entry(self, row: int) -> Entry:
        return self._entries[row]

    def texts(self, entry: Entry) -> tuple[str, ...]:
        """The entry's text in each column."""
        cached = self._texts.get(id(entry))
        if cached is None or cached[0] is not entry:
            cached = (entry, tuple(column.text(entry, self._shown) for _, column in FIELD_COLUMNS))
            self._texts[id(entry)] = cached
        return cached[1]

    def row_of(self, entry_id: int) -> int | None:
        return next((i for i, e in enumerate(self._entries) if e.id == entry_id), None)

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        return None

    def data(self, index, role=_DISPLAY):
        if role not in _ANSWERED or not index.isValid():
            return None
        e = self._entries[index.row()]
        column = index.column()
        if role == _DISPLAY:
            return self.texts(e)[column]
        if role == _ALIGNMENT:
            return _ALIGNMENTS[column]
        if role == _FOREGROUND:
            if column == WARNINGS_COLUMN and e.warnings:
                return self.colours["history_warning"]
            if column == PAIN_COLUMN and e.pain_pending:
                return self.colours["history_pending"]
            return None
        if column == PAIN_COLUMN and e.pain_pending:
            source = f" from {e.device}" if e.device else ""
            return f"Imported{source}. Double-click to add how your knee felt."
        return e.notes or None


class HistoryView(QWidget):
    """Signals: period_changed(Period), edit_requested(Entry), delete_requested(Entry),
    entry_selected(Entry or None)."""

    period_changed = Signal(object)
    entry_selected = Signal(object)
    edit_requested = Signal(object)
    delete_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = EntryTableModel(self)
        self.model.set_colours(colours_for(self))
        self._entries: list[Entry] = []  # of the period, before the search
        self._units = Units.KM
        self._journal_empty = False
        self._today: dt.date | None = None
        self._calendar_stale = True
        self.period = QComboBox()
        self.period.setAccessibleName("Period shown")
        for text, days in PERIODS:
            self.period.addItem(text, days)
        self.period.currentIndexChanged.connect(
            lambda _: self.period_changed.emit(self.current_period())
        )
        self.count = QLabel()
        self.count.setProperty("role", "hint")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search your notes (Ctrl+F)")
        self.search.setAccessibleName("Search your notes")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(120)
        self.search.setMaximumWidth(380)
        self.search.textChanged.connect(self._on_search_text_changed)
        QShortcut(
            QKeySequence("Escape"),
            self.search,
            self.search.clear,
            context=Qt.ShortcutContext.WidgetShortcut,
        ).setWhatsThis("Clear the search over the notes")
        QShortcut(
            QKeySequence(QKeySequence.StandardKey.Find),
            self,
            self._on_find_pressed,
            context=Qt.ShortcutContext.WindowShortcut,  # from anywhere while the history shows
        ).setWhatsThis("Search the notes in the history")
        self.list_button = QPushButton("List")
        self.calendar_button = QPushButton("Calendar")
        self.views = QButtonGroup(self)
        for i, (button, tip) in enumerate(
            (
                (self.list_button, "Every entry, newest first"),
                (self.calendar_button, "A row for each week, each day tinted by its pain"),
            )
        ):
            button.setCheckable(True)
            button.setProperty("chip", "normal")
            button.setToolTip(tip)
            self.views.addButton(button, i)
        self.list_button.setChecked(True)
        self.views.idClicked.connect(self._on_views_clicked)
        self.edit_button = QPushButton("Edit")
        self.edit_button.clicked.connect(self._on_edit_clicked)
        self.delete_button = QPushButton("Delete")
        self.delete_button.setToolTip("Delete the selected entry (Delete). Undo with Ctrl+Z.")
        self.delete_button.clicked.connect(self._on_delete_clicked)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Journal entries")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        # Columns are sized by their text in _fit_columns, not by Qt's ResizeToContents: that
        # measures every cell of the period again after each save (some 10,000 calls of data()
        # for 3 months, far more for "All"), which alone took longer than a frame.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.last_column = LastColumnFit(self.table)  # readable at a scroll's end
        self._text_widths: dict[str, int] = {}  # in the table's font; a save adds a text or two
        self.table.doubleClicked.connect(
            lambda index: self.edit_requested.emit(self.model.entry(index.row()))
        )
        self.table.activated.connect(
            lambda index: self.edit_requested.emit(self.model.entry(index.row()))
        )
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        QShortcut(
            QKeySequence(QKeySequence.StandardKey.Delete),
            self.table,
            self._on_delete_clicked,
            context=Qt.ShortcutContext.WidgetShortcut,
        ).setWhatsThis("Delete the entry selected in the history")

        self._calendar: CalendarView | None = None

        self.empty = QLabel()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setProperty("role", "empty")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)

        bar = QHBoxLayout()
        bar.addWidget(QLabel("Show"))
        bar.addWidget(self.period)
        bar.addWidget(self.count)
        bar.addStretch()
        bar.addWidget(self.edit_button)
        bar.addWidget(self.delete_button)
        # A second line, so that the history stays as narrow as before on a small screen.
        views = QHBoxLayout()
        views.addWidget(self.search, 1)
        views.addSpacing(12)
        views.addWidget(self.list_button)
        views.addWidget(self.calendar_button)
        views.addStretch()
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(views)
        layout.addWidget(self.stack, 1)
        self._update_buttons()

    def _set_count(self, text: str) -> None:
        """The count, in a label that only ever grows: one that grows or shrinks with its
        text at each save makes the tab widget lay out and repaint the whole tab, which
        doubled the save's frame (bench_frame)."""
        self.count.setText(text)
        hint = self.count.sizeHint()
        if hint.width() > self.count.minimumWidth() or hint.height() != self.count.height():
            self.count.setFixedSize(max(hint.width(), self.count.minimumWidth()), hint.height())

    @property
    def calendar(self) -> CalendarView:
        """The calendar, made when first asked for: with the calendar's rules (and the
        statistics module) it is 8 ms that start-up does without (bench_startup)."""
        if self._calendar is None:
            from .calendar_view import CalendarView

            self._calendar = CalendarView()
            self._calendar.entry_activated.connect(self._on_calendar_entry_activated)
            self._calendar.entry_selected.connect(self._on_calendar_entry_selected)
            QShortcut(
                QKeySequence(QKeySequence.StandardKey.Delete),
                self._calendar.table,
                self._on_delete_clicked,
                context=Qt.ShortcutContext.WidgetShortcut,
            ).setWhatsThis("Delete the entry of the day chosen in the calendar")
            self.stack.addWidget(self._calendar)
        return self._calendar

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.count.setMinimumWidth(0)  # a new font: the count fits its text afresh
            self._set_count(self.count.text())
            self._text_widths = {}
        if repaints_for(event) and colours_for(self).dark != self.model.colours.dark:
            self.model.set_colours(colours_for(self))

    def current_period(self, today: dt.date | None = None) -> Period:
        return period_for(self.period.currentData(), today or dt.date.today())

    def show_entry(self, entry_id: int) -> None:
        """Select an entry, widening the period to everything if it is outside the one shown
        (and clearing a search that hides it)."""
        if self.select_entry(entry_id):
            return
        if self.search.text() and any(e.id == entry_id for e in self._entries):
            self.search.clear()
        elif self.period.currentIndex() != len(PERIODS) - 1:
            self.period.setCurrentIndex(len(PERIODS) - 1)
        self.select_entry(entry_id)

    def set_period_index(self, index: int) -> None:
        self.period.setCurrentIndex(index)

    def set_entries(
        self,
        entries: list[Entry],
        units: Units,
        journal_empty: bool = False,
        today: dt.date | None = None,
    ) -> None:
        """The period's entries, newest first; `today` ends the calendar's last week."""
        self._entries = list(entries)
        self._units = units
        self._journal_empty = journal_empty
        self._today = today
        self._show()

    def showing_calendar(self) -> bool:
        return self.views.checkedId() == 1

    def _shown_entries(self) -> list[Entry]:
        words = self.search.text()
        return [e for e in self._entries if matches(e, words)] if words.strip() else self._entries

    def _show(self) -> None:
        selected = self.selected_entry()
        shown = self._shown_entries()
        self.model.set_entries(shown, self._units)
        # Laid out now, not by Qt's timer after the reset: that would paint the table a second
        # time, a pass later (each paint of the table is some 6 ms, bench_frame).
        self.table.doItemsLayout()
        n, total = len(shown), len(self._entries)
        entries = f"entr{'y' if total == 1 else 'ies'}"
        self._set_count(f"{n} of {total} {entries}" if n != total else f"{n} {entries}")
        self._calendar_stale = True
        if not shown:
            if self.search.text().strip() and self._entries:
                text = (
                    f"No entries match \u201c{self.search.text().strip()}\u201d in their notes. "
                    "Press Esc to clear the search, or choose a longer period."
                )
            elif self._journal_empty:
                text = (
                    "Nothing logged yet. After your next run, press Ctrl+N and tell kneelog "
                    "how it went."
                )
            else:
                text = "No entries in this period. Choose a longer period above."
            self.empty.setText(text)
            self.stack.setCurrentWidget(self.empty)
        elif self.showing_calendar():
            self._fill_calendar()
            self.stack.setCurrentWidget(self.calendar)
        else:
            self.stack.setCurrentWidget(self.table)
        self._fit_columns(shown)
        if selected is not None:
            self.select_entry(selected.id)
        self._update_buttons()

    def _fill_calendar(self) -> None:
        """The calendar is drawn only when it is shown: a save redraws the list alone."""
        if not self._calendar_stale:
            return
        from ..journal_calendar import calendar_weeks

        shown = self._shown_entries()
        period = self.current_period(self._today)
        days = [e.day for e in shown]
        first = min([*days, *([period.first] if period.first else [])], default=None)
        last = max([*days, self._today or dt.date.today()])
        self.calendar.set_weeks(calendar_weeks(shown, self._units, first, last), self._units)
        self._calendar_stale = False

    def _fit_columns(self, shown: list[Entry]) -> None:
        """Each column as wide as its header and the text of its first FIT_ROWS rows (the
        newest, those in view first); "Where" between bounds: squeezed by the others it would
        shrink to "Ri...", so the table scrolls sideways instead. The last column also fills
        what is left over (LastColumnFit)."""
        metrics = self.table.fontMetrics()
        header = self.table.horizontalHeader()
        # The item's text margin each side, as Qt's delegate draws it, and a little air.
        margin = self.table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1
        padding = 2 * margin + 6
        if len(self._text_widths) > 20_000:  # texts of long ago: measured again if shown
            self._text_widths = {}
        widths = self._text_widths
        rows = [self.model.texts(e) for e in shown[:FIT_ROWS]]
        last = len(FIELD_COLUMNS) - 1
        for column in range(last + 1):
            texts = {row[column] for row in rows}
            for text in texts - widths.keys():
                widths[text] = metrics.horizontalAdvance(text)
            width = max(
                [header.sectionSizeHint(column)]
                + [widths[text] + padding for text in texts if text]
            )
            if column == STRETCH_COLUMN:
                letter = metrics.averageCharWidth()
                width = max(24 * letter, min(width, 48 * letter))
            if column == last:
                self.last_column.set_text_width(width)
            elif self.table.columnWidth(column) != width:
                self.table.setColumnWidth(column, width)

    def select_entry(self, entry_id: int) -> bool:
        row = self.model.row_of(entry_id)
        if row is None:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        if self.showing_calendar():
            self._fill_calendar()
            self.calendar.select_entry(entry_id)
        return True

    def selected_entry(self) -> Entry | None:
        if self.showing_calendar() and self.stack.currentWidget() is self.calendar:
            chosen = self.calendar.current_entry()
            return self._entry_by_id(chosen.entry_id) if chosen else None
        rows = self.table.selectionModel().selectedRows()
        return self.model.entry(rows[0].row()) if rows else None

    def _entry_by_id(self, entry_id: int | None) -> Entry | None:
        return next((e for e in self._entries if e.id == entry_id), None)

    def _on_selection_changed(self, *_) -> None:
        self._update_buttons()
        self.entry_selected.emit(self.selected_entry())

    def _on_calendar_entry_selected(self, entry_id) -> None:
        if entry_id is not None:
            row = self.model.row_of(entry_id)
            if row is not None:  # the list follows, so that switching back keeps it
                self.table.selectRow(row)
        self._update_buttons()
        self.entry_selected.emit(self._entry_by_id(entry_id))

    def _on_calendar_entry_activated(self, entry_id: int) -> None:
        if entry := self._entry_by_id(entry_id):
            self.edit_requested.emit(entry)

    def _on_views_clicked(self, _index: int) -> None:
        selected = self.selected_entry()
        self._show()
        if selected is not None:
            self.select_entry(selected.id)
        (self.calendar.table if self.showing_calendar() else self.table).setFocus()

    def _on_search_text_changed(self, _text: str) -> None:
        self._show()

    def _on_find_pressed(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _update_buttons(self, *_) -> None:
        has = self.selected_entry() is not None
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    def _on_edit_clicked(self) -> None:
        if entry := self.selected_entry():
            self.edit_requested.emit(entry)

    def _on_delete_clicked(self) -> None:
        if entry := self.selected_entry():
            self.delete_requested.emit(entry)
