"""The journal as a calendar: a row for each week, Monday to Sunday, each day tinted by the
highest pain logged that day. The weeks come from kneelog.journal_calendar."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..journal_calendar import WEEKDAYS, CalendarDay, CalendarEntry, CalendarWeek
from ..model import Units
from ..rules import EASE_MAX, GO_MAX, SEVERE, Level
from ..units import format_distance
from .theme import colours_for, repaints_for
from .widgets import LEVEL_COLOURS

TINT = 0.38  # how much of a level's colour goes into a day's cell: its text stays readable
LEVEL_WORDS = {
    Level.GO: f"0-{GO_MAX}",
    Level.EASE: f"{EASE_MAX}",
    Level.STOP: f"{EASE_MAX + 1}-{SEVERE - 1}",
    Level.ASSESS: f"{SEVERE}-10",
}


def tint(colour: QColor, base: QColor) -> QColor:
    """A level's colour laid thinly over the cell's own background."""
    return QColor(
        round(base.red() + (colour.red() - base.red()) * TINT),
        round(base.green() + (colour.green() - base.green()) * TINT),
        round(base.blue() + (colour.blue() - base.blue()) * TINT),
    )


class CalendarModel(QAbstractTableModel):
    """Rows are weeks (newest first); column 0 names the week, columns 1-7 are its days."""

    HEADERS = ("Week", *WEEKDAYS)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._weeks: list[CalendarWeek] = []
        self._units = Units.KM
        self.base = QColor("white")
        self.muted = QColor("gray")
        self.levels: dict[Level, QColor] = {}  # each pain level's colour, in the scheme shown

    def set_weeks(self, weeks: list[CalendarWeek], units: Units) -> None:
        self.beginResetModel()
        self._weeks = list(weeks)
        self._units = units
        self.endResetModel()

    def week(self, row: int) -> CalendarWeek:
        return self._weeks[row]

    def day(self, index: QModelIndex) -> CalendarDay | None:
        if not index.isValid() or index.column() == 0:
            return None
        return self._weeks[index.row()].days[index.column() - 1]

    def index_of(self, entry_id: int) -> QModelIndex | None:
        for row, week in enumerate(self._weeks):
            for column, day in enumerate(week.days, start=1):
                if any(e.entry_id == entry_id for e in day.entries):
                    return self.index(row, column)
        return None

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._weeks)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        week = self._weeks[index.row()]
        day = self.day(index)
        if day is None:
            return self._week_data(week, role)
        if role == Qt.ItemDataRole.DisplayRole:
            date = f"{day.day.day} {day.day:%b}" if day.day.day == 1 else f"{day.day.day}"
            return "\n".join([date, *(e.text for e in day.entries)])
        if role == Qt.ItemDataRole.BackgroundRole and day.level is not None:
            return tint(self.levels[day.level], self.base)
        if role == Qt.ItemDataRole.ForegroundRole and not day.in_period:
            return self.muted
        if role == Qt.ItemDataRole.ToolTipRole and day.entries:
            return "\n\n".join(e.details for e in day.entries)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._spoken(day)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        return None

    def _week_data(self, week: CalendarWeek, role):
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            runs = f"{week.runs} run{'s' if week.runs != 1 else ''}"
            distance = f", {format_distance(week.distance_km, self._units)}" if week.runs else ""
            return f"{week.start:%d %b %Y}\n{runs}{distance}"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        return None

    @staticmethod
    def _spoken(day: CalendarDay) -> str:
        when = f"{day.day:%A %d %B}"
        if not day.entries:
            return f"{when}: nothing logged"
        pain = "" if day.pain is None else f"; highest pain {day.pain} of 10"
        return f"{when}: " + "; ".join(e.details.replace("\n", ", ") for e in day.entries) + pain


class CalendarView(QWidget):
    """Signals: entry_activated(int) with the entry's id when a day's entry is opened
    (double-click, Enter; a menu asks which on a day with several); entry_selected(object)
    with the id of the entry of the day in focus, or None (no entry, or several)."""

    entry_activated = Signal(int)
    entry_selected = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = CalendarModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Calendar of the journal, a row for each week")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.activated.connect(self._on_table_activated)
        self.table.selectionModel().currentChanged.connect(self._on_current_changed)
        self.menu: QMenu | None = None  # which entry to open, on a day with several

        key = QHBoxLayout()
        key.setSpacing(10)
        caption = QLabel("Tint: the highest pain logged that day")
        caption.setProperty("role", "hint")
        key.addWidget(caption)
        self.key_labels: dict[Level, QLabel] = {}
        for level, words in LEVEL_WORDS.items():
            sample = QLabel(f" {words} ")
            sample.setAccessibleName(f"pain {words}")
            self.key_labels[level] = sample
            key.addWidget(sample)
        key.addStretch()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(key)
        self._update_colours()

    def set_weeks(self, weeks: list[CalendarWeek], units: Units) -> None:
        current = self.current_entry()
        self.model.set_weeks(weeks, units)
        lines = self.fontMetrics().lineSpacing()
        for row, week in enumerate(weeks):
            most = max([len(d.entries) for d in week.days] + [1])
            self.table.setRowHeight(row, (most + 1) * lines + 8)
        if current is not None:
            self.select_entry(current.entry_id)

    def select_entry(self, entry_id: int | None) -> bool:
        index = self.model.index_of(entry_id) if entry_id is not None else None
        if index is None:
            return False
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        return True

    def current_day(self) -> CalendarDay | None:
        return self.model.day(self.table.currentIndex())

    def current_entry(self) -> CalendarEntry | None:
        """The entry of the day in focus; None on a day with several, so that Edit and
        Delete never guess which one (Enter offers the choice)."""
        day = self.current_day()
        return day.entries[0] if day and len(day.entries) == 1 else None

    def _update_colours(self) -> None:
        # The view's own palette: the table's may not have taken a new scheme yet.
        palette = self.palette()
        self.model.base = palette.color(QPalette.ColorRole.Base)
        self.model.muted = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        scheme = colours_for(self)
        self.model.levels = {level: scheme[name] for level, name in LEVEL_COLOURS.items()}
        text = palette.color(QPalette.ColorRole.Text).name()
        for level, sample in self.key_labels.items():
            # A stylesheet, not the palette: a palette set on a child is not redone when the
            # scheme changes, and the key would keep the light scheme's tints.
            fill = tint(self.model.levels[level], self.model.base).name()
            sample.setStyleSheet(f"background: {fill}; color: {text};")

    def changeEvent(self, event) -> None:
        if repaints_for(event):
            self._update_colours()
        super().changeEvent(event)

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        entry = self.current_entry()
        self.entry_selected.emit(entry.entry_id if entry else None)

    def _on_table_activated(self, index: QModelIndex) -> None:
        day = self.model.day(index)
        entries = [e for e in (day.entries if day else ()) if e.entry_id is not None]
        if len(entries) == 1:
            self.entry_activated.emit(entries[0].entry_id)
        elif entries:
            self.menu = QMenu(self)
            for entry in entries:
                action = self.menu.addAction(entry.details.splitlines()[0])
                action.triggered.connect(
                    lambda _=False, i=entry.entry_id: self.entry_activated.emit(i)
                )
            rect = self.table.visualRect(index)
            self.menu.popup(self.table.viewport().mapToGlobal(rect.bottomLeft() + QPoint(0, 1)))
