"""Where the window goes on the screen it opens on: from a 1280x720 laptop at 200% up."""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLabel, QScrollArea, QWidget

PREFERRED = QSize(1500, 860)  # the form, the knee drawing and the triage panel, none scrolled
# Room left around the window for a window manager's borders and title bar, which Qt learns
# of only once the window is shown: a window sized to the whole screen would lose its bottom
# edge (and the Save button) below the screen.
FRAME = QMargins(8, 40, 8, 8)


def usable(room: QRect) -> QRect:
    """Where the inside of a window can go on the free part of a screen (`room`:
    QScreen.availableGeometry, without panels and docks), its frame still on the screen."""
    return room.marginsRemoved(FRAME)


def first_geometry(room: QRect, preferred: QSize = PREFERRED) -> QRect:
    """The window's first place: as large as preferred but never beyond the screen, centred."""
    space = usable(room)
    place = QRect(QPoint(0, 0), preferred.boundedTo(space.size()))
    place.moveCenter(space.center())
    return place


def inside(geometry: QRect, room: QRect) -> QRect:
    """A remembered place brought onto the screen it opens on now (a smaller one, a laptop
    without its monitor): shrunk to fit if it must, then moved until no edge sticks out."""
    space = usable(room)
    size = geometry.size().boundedTo(space.size())
    right = space.left() + space.width() - size.width()
    bottom = space.top() + space.height() - size.height()
    return QRect(
        QPoint(
            max(space.left(), min(geometry.left(), right)),
            max(space.top(), min(geometry.top(), bottom)),
        ),
        size,
    )


def panel_width(window_width: int, form_width: int, panel_minimum: int, panel_preferred: int):
    """How wide the side panel can be beside a form that needs `form_width` without scrolling
    sideways; None when even its minimum does not fit (it is then hidden, not squeezed)."""
    free = window_width - form_width
    return None if free < panel_minimum else min(free, panel_preferred)


class _Holder(QWidget):
    """Lays one widget over its whole area, and asks of the scroll area only that widget's
    minimum: a layout with wrapped words in it (heightForWidth) would have the scroll area
    give it its full preferred height, twice the screen's for the charts.

    Its minimum counts the lines that wrapped words take at the width they have, which a
    layout's own minimum leaves out: without them a title would lie over the chart below."""

    def __init__(self, widget: QWidget):
        super().__init__()
        self._widget = widget
        widget.setParent(self)
        self._minimum = QSize()

    def _wrapped_lines(self) -> int:
        return sum(
            max(0, label.heightForWidth(label.width()) - label.minimumSizeHint().height())
            for label in self._widget.findChildren(QLabel)
            if label.wordWrap() and label.isVisibleTo(self)
        )

    def minimumSizeHint(self) -> QSize:
        hint = self._widget.minimumSizeHint()
        return QSize(hint.width(), hint.height() + self._wrapped_lines())

    def sizeHint(self) -> QSize:
        return self.minimumSizeHint()

    def resizeEvent(self, event) -> None:
        self._widget.setGeometry(self.rect())
        super().resizeEvent(event)
        minimum = self.minimumSizeHint()
        if minimum != self._minimum:  # the words wrap otherwise at this width
            self._minimum = minimum
            self.updateGeometry()


def scrolled(widget: QWidget) -> QScrollArea:
    """`widget` filling the view as long as the view is at least its minimum size, scrolled
    up and down (never sideways) below that, rather than squashed."""
    scroll = QScrollArea()
    scroll.setWidget(_Holder(widget))
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return scroll
