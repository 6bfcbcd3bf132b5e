"""Small input widgets of the form: a 0-10 scale and groups of toggle chips."""

from __future__ import annotations

import time
from collections.abc import Iterable

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QAccessible, QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QGridLayout, QPushButton, QSizePolicy, QWidget

from ..rules import Level, level_of
from . import accessible
from .theme import Colours, colours_for

# One colour for each level of the pain rules (kneelog/rules.py), named in
# resources/colours.toml: scales, charts and the summary.
LEVEL_COLOURS = {
    Level.GO: "level_go",
    Level.EASE: "level_ease",
    Level.STOP: "level_stop",
    Level.ASSESS: "level_assess",
}
TWO_KEY_WINDOW_S = 0.8  # "1" then "0" typed within this time means 10


def zone_colour(value: int, colours: Colours) -> QColor:
    return colours[LEVEL_COLOURS[level_of(value)]]


class Scale(QWidget):
    """A row of 0..10 cells; one tab stop. Click or type a number; click again or Delete clears.

    Signals: value_changed(object) with an int, or None when cleared.
    """

    value_changed = Signal(object)
    ACCESSIBLE_ROLE = QAccessible.Role.Slider
    KEYS = (
        ("0 to 9", "that number (1 then 0 quickly: 10)"),
        ("Right, Up, +", "one more"),
        ("Left, Down, -", "one less"),
        ("Delete", "clear it"),
    )

    def __init__(self, maximum: int = 10, zones: bool = True, parent: QWidget | None = None):
        super().__init__(parent)
        self._max = maximum
        self._zones = zones
        self._value: int | None = None
        self._hover: int | None = None
        self._last_key: tuple[int, float] | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        accessible.speak_for()

    def value(self) -> int | None:
        return self._value

    def accessible_value(self) -> str:
        return "" if self._value is None else str(self._value)

    def accessible_description(self) -> str:
        if self._value is None:
            return f"Not given yet. Type 0 to {self._max}, or use the arrow keys."
        return f"{self._value} out of {self._max}"

    def set_value(self, value: int | None) -> None:
        if value is not None:
            value = max(0, min(self._max, int(value)))
        if value != self._value:
            self._value = value
            self.update()
            accessible.changed(self)
            self.value_changed.emit(value)

    def sizeHint(self) -> QSize:
        return QSize(28 * (self._max + 1), 30)

    def minimumSizeHint(self) -> QSize:
        return QSize(22 * (self._max + 1), 26)

    def cell_rect(self, value: int) -> QRectF:
        width = (self.width() - 1) / (self._max + 1)
        return QRectF(value * width + 1, 1, width - 2, self.height() - 2)

    def _value_at(self, x: float) -> int | None:
        width = self.width() / (self._max + 1)
        value = int(x // width)
        return value if 0 <= value <= self._max else None

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            value = self._value_at(event.position().x())
            if value is not None:
                self.set_value(None if value == self._value else value)

    def mouseMoveEvent(self, event) -> None:
        hover = self._value_at(event.position().x())
        if hover != self._hover:
            self._hover = hover
            self.update()

    def leaveEvent(self, event) -> None:
        self._hover = None
        self.update()

    def focusOutEvent(self, event) -> None:
        self._last_key = None  # "1", leave, come back, "0" is 0, not 10
        super().focusOutEvent(event)

    def keyPressEvent(self, event) -> None:
        key = event.key()
        if Qt.Key.Key_0 <= key <= Qt.Key.Key_9:
            digit = key - Qt.Key.Key_0
            now = time.monotonic()
            if (
                self._last_key
                and self._last_key[0] == 1
                and digit == 0
                and now - self._last_key[1] < TWO_KEY_WINDOW_S
                and self._max >= 10
            ):
                digit = 10
            self._last_key = (digit, now)
            self.set_value(digit)
        elif key in (Qt.Key.Key_Right, Qt.Key.Key_Plus, Qt.Key.Key_Up):
            self.set_value(0 if self._value is None else self._value + 1)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Minus, Qt.Key.Key_Down):
            self.set_value(0 if self._value is None else self._value - 1)
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.set_value(None)
        else:
            super().keyPressEvent(event)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        font = QFont(self.font())
        font.setPointSizeF(max(7.5, font.pointSizeF() * 0.95))
        painter.setFont(font)
        for value in range(self._max + 1):
            rect = self.cell_rect(value)
            selected = value == self._value
            if selected:
                fill = (
                    zone_colour(value, colours_for(self))
                    if self._zones
                    else palette.highlight().color()
                )
            elif value == self._hover:
                fill = palette.midlight().color()
            else:
                fill = palette.base().color()
            painter.setPen(QPen(palette.mid().color(), 1))
            painter.setBrush(fill)
            painter.drawRoundedRect(rect, 4, 4)
            painter.setPen(Colours.text_on(fill) if selected else palette.text().color())
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(value))
        if self.hasFocus():
            painter.setPen(QPen(palette.highlight().color(), 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 5, 5)


class ChipGroup(QWidget):
    """Toggle chips in a grid. Exclusive groups allow no choice too (click the chosen chip again).

    Signals: changed().
    """

    changed = Signal()

    def __init__(
        self,
        options: Iterable[tuple[object, str]],
        columns: int = 3,
        exclusive: bool = False,
        warning: bool = False,
        name: str = "",
        tips: dict | None = None,
        parent: QWidget | None = None,
    ):
        """`name`: what the group asks, said before each chip to a screen reader ("Sleep:
        usual" and "Stress: usual" are told apart); `tips`: an explanation for some chips."""
        super().__init__(parent)
        self._exclusive = exclusive
        self._buttons: dict[object, QPushButton] = {}
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        for i, (value, text) in enumerate(options):
            button = QPushButton(text)
            button.setCheckable(True)
            button.setProperty("chip", "warning" if warning else "normal")
            if name:
                button.setAccessibleName(f"{name}: {text.lower()}")
            if tips and value in tips:
                button.setToolTip(tips[value])
            button.toggled.connect(lambda checked, v=value: self._on_button_toggled(v, checked))
            layout.addWidget(button, i // columns, i % columns)
            self._buttons[value] = button

    def button(self, value: object) -> QPushButton:
        return self._buttons[value]

    def buttons(self) -> list[QPushButton]:
        return list(self._buttons.values())

    def _on_button_toggled(self, value: object, checked: bool) -> None:
        if self._exclusive and checked:
            for other, button in self._buttons.items():
                if other != value and button.isChecked():
                    button.blockSignals(True)
                    button.setChecked(False)
                    button.blockSignals(False)
        self.changed.emit()

    def selected(self) -> frozenset:
        return frozenset(v for v, b in self._buttons.items() if b.isChecked())

    def value(self) -> object | None:
        """The chosen option of an exclusive group, or None."""
        return next(iter(self.selected()), None)

    def set_selected(self, values: Iterable[object]) -> None:
        values = set(values)
        for value, button in self._buttons.items():
            button.blockSignals(True)
            button.setChecked(value in values)
            button.blockSignals(False)
        self.changed.emit()

    def set_value(self, value: object | None) -> None:
        self.set_selected([] if value is None else [value])
