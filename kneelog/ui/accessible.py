"""What assistive technology hears of the widgets kneelog draws itself (the 0-10 scales, the
knee drawing): Qt knows a QSlider's value, but not a value painted in cells.

A widget class opts in with ACCESSIBLE_ROLE and two methods, accessible_value() and
accessible_description(), and calls `speak_for()` once; `changed()` tells a listening screen
reader that what it says has changed.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAccessible, QAccessibleEvent
from PySide6.QtWidgets import QAccessibleWidget, QWidget

_installed = False  # Qt keeps one list of factories for the process: ours goes in once


class _DrawnWidget(QAccessibleWidget):
    def text(self, kind: QAccessible.Text) -> str:
        widget = self.widget()
        if kind == QAccessible.Text.Value:
            return widget.accessible_value()
        if kind == QAccessible.Text.Description:
            return widget.accessible_description()
        return super().text(kind)


def _factory(key: str, obj: QObject) -> QAccessibleWidget | None:
    role = getattr(type(obj), "ACCESSIBLE_ROLE", None)
    if role is None or not isinstance(obj, QWidget):
        return None
    return _DrawnWidget(obj, role)


def speak_for() -> None:
    """Let the widgets with an ACCESSIBLE_ROLE speak for themselves (idempotent)."""
    global _installed
    if not _installed:
        QAccessible.installFactory(_factory)
        _installed = True


def changed(widget: QWidget) -> None:
    """Tell a screen reader, if one listens, that the widget's value or description changed."""
    if QAccessible.isActive():
        QAccessible.updateAccessibility(QAccessibleEvent(widget, QAccessible.Event.ValueChanged))
        QAccessible.updateAccessibility(
            QAccessibleEvent(widget, QAccessible.Event.DescriptionChanged)
        )
