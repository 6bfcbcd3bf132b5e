"""The day and time of an entry as one field: type 'yesterday 7:15', or step with the arrows."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QDateTime, QEvent, QPointF, Qt
from PySide6.QtGui import QAction, QIcon, QPainter, QPalette, QPixmap, QPolygonF
from PySide6.QtWidgets import QCalendarWidget, QLineEdit, QMenu, QWidget, QWidgetAction

from ..model import InvalidEntry
from ..units import format_when, parse_when

STEPS = {  # a key and how far it moves the day and time
    Qt.Key.Key_Up: dt.timedelta(days=1),
    Qt.Key.Key_Down: dt.timedelta(days=-1),
    Qt.Key.Key_PageUp: dt.timedelta(hours=1),
    Qt.Key.Key_PageDown: dt.timedelta(hours=-1),
}


class WhenEdit(QLineEdit):
    """One tab stop for the day and the time (a date-time editor takes six).

    Reads 'today 18:40', 'yesterday', 'sat 7:30', '21 Nov 18:40' and the text it shows; Up and
    Down go a day later or earlier, Page Up and Page Down an hour. What cannot be read stays as
    typed, and `value()` says how to write it. Shows the day and time again, in full, once the
    runner moves on."""

    KEYS = (
        ("Up, Down", "a day later or earlier"),
        ("Page Up, Page Down", "an hour later or earlier"),
        ("Typing", "a day in words: today 18:40, yesterday 7:15, sat 7:30, 21 Nov 18:40"),
    )

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._when = dt.datetime.now().replace(second=0, microsecond=0)
        self._today = self._when.date()
        self.setPlaceholderText("today 18:40")
        self.setToolTip(
            "Type today 18:40, yesterday 7:15, sat 7:30 or 21 Nov 18:40. "
            "Up and Down: a day later or earlier; Page Up and Page Down: an hour."
        )
        self.editingFinished.connect(self._on_editing_finished)
        self.calendar_action = QAction(self._arrow(), "Pick the day on a calendar", self)
        self.calendar_action.setToolTip("Pick the day on a calendar")
        self.calendar_action.triggered.connect(self._on_calendar_action_triggered)
        self.addAction(self.calendar_action, QLineEdit.ActionPosition.TrailingPosition)
        self._show()

    def set_today(self, today: dt.date) -> None:
        """The day 'today' and 'yesterday' count from."""
        self._today = today

    def setDateTime(self, when: QDateTime | dt.datetime) -> None:  # noqa: N802 (QDateTimeEdit's)
        if isinstance(when, QDateTime):
            when = when.toPython()
        self._when = when.replace(second=0, microsecond=0)
        self._show()

    def dateTime(self) -> QDateTime:  # noqa: N802 (QDateTimeEdit's)
        """What the field shows (the last day and time it could read)."""
        return QDateTime(self._when)

    def value(self) -> dt.datetime:
        """The day and time typed; InvalidEntry for words it cannot read."""
        return parse_when(self.text(), self._when, self._today)

    def _arrow(self) -> QIcon:
        """A small arrow like a combo box's: the style's own is twice as heavy as the text."""
        pixmap = QPixmap(16, 16)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.palette().color(QPalette.ColorRole.Text))
        painter.drawPolygon(QPolygonF([QPointF(4, 6), QPointF(12, 6), QPointF(8, 11)]))
        painter.end()
        return QIcon(pixmap)

    def changeEvent(self, event) -> None:
        action = getattr(self, "calendar_action", None)  # None while it is being made
        if event.type() == QEvent.Type.PaletteChange and action is not None:
            action.setIcon(self._arrow())  # a dark theme: the arrow follows it
        super().changeEvent(event)

    def _on_calendar_action_triggered(self) -> None:
        """A month to click the day in, for the mouse; the time of day stays as it is."""
        menu = QMenu(self)
        calendar = QCalendarWidget(menu)
        calendar.setSelectedDate(QDate(self._when.date()))
        calendar.setMaximumDate(QDate(self._today))
        calendar.setAccessibleName("Day of the entry")
        action = QWidgetAction(menu)
        action.setDefaultWidget(calendar)
        menu.addAction(action)

        def picked(day: QDate) -> None:
            self._when = dt.datetime.combine(day.toPython(), self._when.time())
            self._show()
            menu.close()

        calendar.clicked.connect(picked)
        calendar.activated.connect(picked)
        self.calendar_menu = menu
        menu.popup(self.mapToGlobal(self.rect().bottomLeft()))

    def _show(self) -> None:
        self.setText(format_when(self._when))

    def _on_editing_finished(self) -> None:
        try:
            self._when = self.value()
        except InvalidEntry:
            return  # kept as typed: saving says what is wrong, next to the field
        self._show()

    def keyPressEvent(self, event) -> None:
        step = STEPS.get(Qt.Key(event.key()))
        if step is None or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            super().keyPressEvent(event)
            return
        try:
            when = self.value()
        except InvalidEntry:
            when = self._when
        self._when = when + step
        self._show()
        event.accept()
