"""The day and time of an entry as one field: type 'yesterday 7:15', or step with the arrows."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import QLineEdit, QWidget

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
