"""The knee diagram: click where it hurts, or see how often each spot was marked."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QAccessible,
    QColor,
    QCursor,
    QFont,
    QFontMetrics,
    QFontMetricsF,
    QImage,
    QKeyEvent,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QTransform,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from ..colours import fill_in
from ..content import label, region_hint, region_name
from ..model import Intensity, PainMark, Region, Side
from . import accessible
from .knee_drawing import (
    ACCENT,
    INTENSITY_COLOURS,
    MARK_ALPHA,
    MUTED_ALPHA,
    VIEWS,
    fit_knee,
    knee_transform,
    mark_order,
    paint_heat_legend,
    paint_knee,
    times_marked,
    view_shapes,
)
from .theme import Colours, colours_for, repaints_for

# The knee's buttons: segmented Left/Right and Front/Back, and the round Deep inside toggle.
# Colours are named (an at sign, then a name of resources/colours.toml).
CONTROLS_STYLE = """
QToolButton {
    border: 1px solid @chip_border; background: @chip; color: @chip_text;
    padding: 2px 0px; margin: 0;
}
QToolButton:hover { background: @chip_hover; }
QToolButton:checked { background: @chip_on; border-color: @chip_on; color: @chip_on_text; }
QToolButton:disabled { color: @chip_disabled_text; background: @chip_disabled; }
QToolButton[segment="first"] {
    border-top-left-radius: 4px; border-bottom-left-radius: 4px; border-right: none;
}
QToolButton[segment="last"] {
    border-top-right-radius: 4px; border-bottom-right-radius: 4px;
}
QToolButton#deepToggle { border-radius: 10px; }
QToolButton:focus { border-color: @focus; text-decoration: underline; }
"""


def _marks(n: int) -> str:
    return "one mark" if n == 1 else f"{n} marks"


class _ShrinkingButton(QToolButton):
    """A tool button that shows a shorter text when squeezed below its full width."""

    PADDING = 18

    def __init__(self, text: str, short_text: str, parent: QWidget):
        super().__init__(parent)
        self._texts = (text, short_text)
        self.setText(text)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def _width_for(self, text: str) -> int:
        return self.fontMetrics().horizontalAdvance(text) + self.PADDING

    def sizeHint(self) -> QSize:
        return QSize(self._width_for(self._texts[0]), super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:
        return QSize(self._width_for(self._texts[1]), super().sizeHint().height())

    def resizeEvent(self, event) -> None:
        full, short = self._texts
        self.setText(full if self.width() >= self._width_for(full) else short)
        super().resizeEvent(event)


class BodyMap(QWidget):
    """A drawing of one knee, front or back, on which the runner marks where it hurts.

    Clicking a spot cycles it through mild, moderate and severe and back to unmarked; each
    knee keeps its own marks. Keyboard: Tab and Shift+Tab walk through the spots, Space or
    Enter marks the one in focus, L / R pick the knee, F / B the view, D toggles "deep inside".
    In heat-map mode (`set_heat`) the drawing is read-only and shows how often each spot was
    marked.

    Signals:
        region_toggled(side: str, region: str, intensity: int): the runner changed one spot;
            side and region are the Side and Region values, intensity the new Intensity
            (1-3) or 0 when the spot was cleared. Not sent by set_marks() or clear().
        marks_changed(): the set of marks changed, by the runner or by set_marks()/clear().
    """

    region_toggled = Signal(str, str, int)
    marks_changed = Signal()
    ACCESSIBLE_ROLE = QAccessible.Role.Graphic
    KEYS = (
        ("Tab, Shift+Tab", "the next or the previous spot"),
        ("Space, Enter", "mark the spot in focus; again for moderate, severe, then clear"),
        ("L, R", "the left or the right knee"),
        ("F, B", "the front or the back view"),
        ("D", "deep inside / hard to point at"),
    )

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._marks: dict[tuple[Side, Region], Intensity] = {}
        self._side = Side.RIGHT
        self._view = "front"
        self._heat: dict[tuple[Side, Region], int] | None = None
        self._hover: Region | None = None
        self._pressed: Region | None = None
        self._focus_index: int | None = None
        self._drawn = QImage()  # see _drawing()
        self._drawn_state: tuple = ()

        self._shapes = {view: view_shapes(view) for view in VIEWS}

        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Knee diagram")
        accessible.speak_for()
        self._build_controls()
        self._sync_controls()
        self._update_caption()

    # ------------------------------------------------------------------ construction
    def _build_controls(self) -> None:
        small = QFont(self.font())
        small.setPointSizeF(max(self.font().pointSizeF() * 0.92, 7.0))
        self._small_font = small

        self._controls = QWidget(self)
        row = QHBoxLayout(self._controls)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)

        def segment(text: str, tip: str, name: str, position: str) -> QToolButton:
            button = QToolButton(self._controls)
            button.setText(text)
            button.setToolTip(tip)
            button.setAccessibleName(tip)
            button.setObjectName(name)
            button.setCheckable(True)
            button.setFont(small)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # Tab reaches it, a click does not
            button.setProperty("segment", position)
            button.setFixedWidth(QFontMetrics(small).horizontalAdvance(text) + 14)
            return button

        # No QButtonGroup: Tab would stop at one button of each pair only. _sync_controls()
        # keeps one of each pair checked.
        self._left_button = segment("Left", "Left knee (L)", "leftKnee", "first")
        self._right_button = segment("Right", "Right knee (R)", "rightKnee", "last")
        self._left_button.clicked.connect(self._on_left_button_clicked)
        self._right_button.clicked.connect(self._on_right_button_clicked)

        self._front_button = segment("Front", "Front of the knee (F)", "frontView", "first")
        self._back_button = segment("Back", "Back of the knee (B)", "backView", "last")
        self._front_button.clicked.connect(self._on_front_button_clicked)
        self._back_button.clicked.connect(self._on_back_button_clicked)

        self._deep_button = _ShrinkingButton("Deep inside", "Deep", self._controls)
        self._deep_button.setObjectName("deepToggle")
        self._deep_button.setAccessibleName("Deep inside / hard to point at")
        self._deep_button.setCheckable(True)
        self._deep_button.setFont(small)
        self._deep_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self._deep_button.toggled.connect(self._on_deep_button_toggled)

        row.addWidget(self._left_button)
        row.addWidget(self._right_button)
        row.addSpacing(6)
        row.addWidget(self._front_button)
        row.addWidget(self._back_button)
        row.addStretch(1)
        row.addSpacing(6)
        row.addWidget(self._deep_button)

        self._controls_dark: bool | None = None
        self._style_controls()

        self._caption = QLabel(self)
        self._caption.setObjectName("caption")
        self._caption.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self._caption.setWordWrap(True)
        self._caption.setFixedHeight(self._caption.fontMetrics().lineSpacing() * 2 + 2)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 6, 4, 4)
        layout.setSpacing(4)
        layout.addWidget(self._controls)
        layout.addStretch(1)
        layout.addWidget(self._caption)

    # ------------------------------------------------------------------ public API
    def controls(self) -> list[QWidget]:
        """The knee, view and deep-inside buttons, in the order Tab should reach them."""
        return [
            self._left_button,
            self._right_button,
            self._front_button,
            self._back_button,
            self._deep_button,
        ]

    def accessible_value(self) -> str:
        """The spot in focus and how it is marked, as the caption shows it."""
        if self._focus_index is None or not self.hasFocus():
            return ""
        return self._caption.text()

    def accessible_description(self) -> str:
        side = label("side", self._side).lower()
        said = f"Showing the {side}, {self._view} view."
        if self._heat is not None:
            return f"{said} {self._caption.text()}"
        marks = "; ".join(
            f"{label('side', m.side).lower()}, {region_name(m.region).lower()}: "
            f"{label('intensity', m.intensity).lower()}"
            for m in self.marks()
        )
        said += f" Marked: {marks}." if marks else " Nothing marked yet."
        return (
            f"{said} Tab moves between spots, Space marks the spot in focus. "
            "L and R pick the knee, F and B the front or back view, D marks deep inside."
        )

    def set_marks(self, marks: Iterable[PainMark]) -> None:
        """Show these marks (both knees); a spot given twice keeps the last one."""
        new = {(Side(m.side), Region(m.region)): Intensity(m.intensity) for m in marks}
        if new != self._marks:
            self._marks = new
            self._after_marks_changed()

    def marks(self) -> tuple[PainMark, ...]:
        """Every mark on both knees, left before right, spots in Region order."""
        marks = [PainMark(side, region, level) for (side, region), level in self._marks.items()]
        return tuple(sorted(marks, key=mark_order))

    def clear(self) -> None:
        if self._marks:
            self._marks = {}
            self._after_marks_changed()

    def set_side(self, side: Side) -> None:
        side = Side(side)
        if side != self._side:
            self._side = side
            self._hover = None
            self._sync_controls()
            self._refresh_hover()
            self.update()

    def side(self) -> Side:
        return self._side

    def set_view(self, view: str) -> None:
        if view not in VIEWS:
            raise ValueError(f"The view is 'front' or 'back', not {view!r}.")
        if view != self._view:
            self._view = view
            if self._focus_index is not None:
                self._focus_index = 0
            self._hover = None
            self._sync_controls()
            self._refresh_hover()
            self.update()

    def view(self) -> str:
        return self._view

    def set_heat(self, counts: Mapping[tuple[Side, Region], int] | None) -> None:
        """Show how often each spot was marked (read-only), or None to go back to marking.

        Spots are coloured on one scale for both knees, from the least to the most marked
        spot; unmarked spots stay clear. The count for Region.DEEP shows in the caption.
        """
        heat = (
            None
            if counts is None
            else {(Side(side), Region(region)): int(n) for (side, region), n in counts.items()}
        )
        if heat is not None and heat == self._heat:
            return  # a save that marked no spot leaves the drawing as it is
        self._heat = heat
        self._pressed = None
        self._sync_controls()
        self._refresh_hover()
        self.update()

    def region_at(self, pos: QPoint | QPointF) -> Region | None:
        """The spot under a point in widget coordinates, in the current knee and view."""
        point = QPointF(pos)
        for region, shape in self._mapped_shapes().items():
            if shape.contains(point):
                return region
        return None

    def region_center(self, region: Region) -> QPoint:
        """Widget coordinates of the middle of a spot's shape in the current knee and view.

        Raises ValueError for a spot that is not on the current view (or Region.DEEP).
        """
        shape = self._mapped_shapes().get(Region(region))
        if shape is None:
            raise ValueError(f"{region_name(Region(region))} is not on the {self._view} view.")
        return shape.boundingRect().center().toPoint()

    # ------------------------------------------------------------------ sizes
    def sizeHint(self) -> QSize:
        return QSize(320, 440)

    def minimumSizeHint(self) -> QSize:
        hint = QSize(220, 300)
        layout = self.layout()
        return hint.expandedTo(layout.totalMinimumSize()) if layout is not None else hint

    # ------------------------------------------------------------------ geometry
    def _regions(self) -> list[Region]:
        """The spots of the current view, in Region order (also the Tab order)."""
        shapes = self._shapes[self._view]
        return [region for region in Region if region in shapes]

    def _canvas(self) -> QRectF:
        """The part of the widget between the controls and the caption."""
        layout = self.layout()
        layout.activate()
        top = self._controls.geometry().bottom() + 1 + layout.spacing()
        bottom = self._caption.geometry().top() - layout.spacing()
        return QRectF(0, top, self.width(), max(bottom - top, 0))

    def _legend_height(self) -> int:
        return self.fontMetrics().height() + 8

    def _label_metrics(self) -> QFontMetricsF:
        # The same metrics paint_knee() finds on a painter with the small font on this widget.
        return QFontMetricsF(self._small_font, self)

    def _small_metrics(self) -> QFontMetrics:
        return QFontMetrics(self._small_font)

    def _muted(self) -> QColor:
        colour = QColor(self.palette().color(QPalette.ColorRole.WindowText))
        colour.setAlpha(MUTED_ALPHA)
        return colour

    def _knee_rect(self) -> QRectF:
        """The rectangle handed to paint_knee(): the canvas above the legend."""
        return self._canvas().adjusted(0, 0, 0, -self._legend_height())

    def _target(self) -> QRectF:
        """Where the drawing itself goes (see fit_knee)."""
        return fit_knee(self._knee_rect(), self._view, self._label_metrics())

    def _transform(self) -> QTransform:
        return knee_transform(self._knee_rect(), self._side, self._view, self._label_metrics())

    def _mapped_shapes(self) -> dict[Region, QPainterPath]:
        transform = self._transform()
        return {region: transform.map(shape) for region, shape in self._shapes[self._view].items()}

    # ------------------------------------------------------------------ state changes
    def _cycle(self, region: Region) -> None:
        if self._heat is not None:
            return
        key = (self._side, region)
        level = self._marks.get(key)
        if level is None:
            new: Intensity | None = Intensity.MILD
        elif level < Intensity.SEVERE:
            new = Intensity(level + 1)
        else:
            new = None
        self._set_mark(region, new)

    def _set_mark(self, region: Region, level: Intensity | None) -> None:
        key = (self._side, region)
        if self._marks.get(key) == level:
            return
        if level is None:
            del self._marks[key]
        else:
            self._marks[key] = level
        self._after_marks_changed()
        self.region_toggled.emit(self._side.value, region.value, int(level or 0))

    def _after_marks_changed(self) -> None:
        self._sync_controls()
        self._update_caption()
        self.update()
        self.marks_changed.emit()

    def _style_controls(self) -> None:
        """The knee's buttons in the colours of the scheme the widget is in."""
        colours = colours_for(self)
        if colours.dark != self._controls_dark:
            self._controls_dark = colours.dark
            self._controls.setStyleSheet(fill_in(CONTROLS_STYLE, colours.names))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if repaints_for(event) and hasattr(self, "_controls"):
            self._style_controls()
            self._sync_controls()

    def _sync_controls(self) -> None:
        """Make the buttons show the current knee, view, deep mark and mode."""
        self._left_button.setChecked(self._side is Side.LEFT)
        self._right_button.setChecked(self._side is Side.RIGHT)
        self._front_button.setChecked(self._view == "front")
        self._back_button.setChecked(self._view == "back")
        deep = self._marks.get((self._side, Region.DEEP))
        self._deep_button.blockSignals(True)
        self._deep_button.setChecked(deep is not None and self._heat is None)
        self._deep_button.blockSignals(False)
        self._deep_button.setEnabled(self._heat is None)
        tip = "Deep inside / hard to point at (D). " + region_hint(Region.DEEP)
        style = ""
        if self._heat is not None:
            count = self._heat.get((self._side, Region.DEEP), 0)
            tip = f"{region_name(Region.DEEP)}: {times_marked(count)}"
        elif deep is not None:
            # Checked, the toggle takes the colour of its intensity, like a marked spot.
            colour = INTENSITY_COLOURS[deep]
            text = Colours.text_on(colour).name()
            style = (
                f"QToolButton:checked {{ background: {colour.name()}; "
                f"border-color: {colour.darker(120).name()}; color: {text}; }}"
            )
            tip += f" Marked: {label('intensity', deep).lower()}."
        if self._deep_button.styleSheet() != style:
            self._deep_button.setStyleSheet(style)
        self._deep_button.setToolTip(tip)
        self._sync_side_buttons()
        self._update_caption()

    def _on_side(self, side: Side) -> int:
        """Marks on that knee; in heat-map mode, the times its spots were marked."""
        if self._heat is not None:
            return sum(n for (s, _), n in self._heat.items() if s is side)
        return sum(1 for s, _ in self._marks if s is side)

    def _sync_side_buttons(self) -> None:
        """The other knee's button says how much is marked there: marks out of sight must
        not pass unnoticed."""
        metrics = QFontMetrics(self._small_font)
        for side, button in ((Side.LEFT, self._left_button), (Side.RIGHT, self._right_button)):
            word = label("side", side).split()[0]  # "Left knee" -> "Left"
            n = self._on_side(side) if side is not self._side else 0
            text = f"{word} \u2022{n}" if n else word
            tip = f"{word} knee ({word[0]})"
            if n:
                tip += f": {times_marked(n)}" if self._heat is not None else f": {_marks(n)} there"
            if button.text() != text:
                button.setText(text)
                button.setFixedWidth(metrics.horizontalAdvance(text) + 14)
            button.setToolTip(tip)
            button.setAccessibleName(tip)

    # A click on the button already chosen unchecks it: _sync_controls() checks it again.
    def _on_left_button_clicked(self) -> None:
        self.set_side(Side.LEFT)
        self._sync_controls()

    def _on_right_button_clicked(self) -> None:
        self.set_side(Side.RIGHT)
        self._sync_controls()

    def _on_front_button_clicked(self) -> None:
        self.set_view("front")
        self._sync_controls()

    def _on_back_button_clicked(self) -> None:
        self.set_view("back")
        self._sync_controls()

    def _on_deep_button_toggled(self, checked: bool) -> None:
        if self._heat is None:
            self._set_mark(Region.DEEP, Intensity.MILD if checked else None)

    def _refresh_hover(self) -> None:
        """Recompute the spot under the mouse after the drawing changed under it."""
        pos = self.mapFromGlobal(QCursor.pos())
        region = self.region_at(pos) if self.rect().contains(pos) and self.underMouse() else None
        self._set_hover(region)
        self._update_caption()

    def _set_hover(self, region: Region | None) -> None:
        if region != self._hover:
            self._hover = region
            self._update_caption()
            self.update()
        clickable = region is not None and self._heat is None
        shape = Qt.CursorShape.PointingHandCursor if clickable else Qt.CursorShape.ArrowCursor
        self.setCursor(shape)

    def _update_caption(self) -> None:
        region = self._hover
        if region is None and self._focus_index is not None and self.hasFocus():
            region = self._regions()[self._focus_index]
        if self._heat is not None:
            if region is not None:
                text = f"{region_name(region)}: {times_marked(self._heat.get((self._side, region), 0))}"
            else:
                text = "How often each spot was marked. Point at one to see the number."
                deep = self._heat.get((self._side, Region.DEEP), 0)
                if deep:
                    text += f" {region_name(Region.DEEP)}: {times_marked(deep)}."
                other = self._other_side()
                if self._on_side(other):
                    text = (
                        f"How often each spot was marked; the {other.value} knee was "
                        f"{times_marked(self._on_side(other))} too. Point at a spot for its number."
                    )
        elif region is not None:
            text = region_name(region)
            level = self._marks.get((self._side, region))
            if level is not None:
                text += f": {label('intensity', level).lower()}"
        elif n := self._on_side(self._other_side()):
            other = self._other_side().value
            text = (
                f"{_marks(n).capitalize()} on the {other} knee ({other[0].upper()} shows "
                f"{'it' if n == 1 else 'them'}). Click where this knee hurts."
            )
        else:
            text = "Click where it hurts. Click again for stronger pain."
        self._caption.setText(text)
        accessible.changed(self)

    def _other_side(self) -> Side:
        return Side.LEFT if self._side is Side.RIGHT else Side.RIGHT

    # ------------------------------------------------------------------ events
    def mouseMoveEvent(self, event) -> None:
        self._set_hover(self.region_at(event.position()))
        super().mouseMoveEvent(event)

    def leaveEvent(self, event) -> None:
        self._set_hover(None)
        super().leaveEvent(event)

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._pressed = self.region_at(event.position())
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            region = self.region_at(event.position())
            pressed, self._pressed = self._pressed, None
            if region is not None and region == pressed:
                regions = self._regions()
                self._focus_index = regions.index(region) if self._focus_index is not None else None
                self._cycle(region)
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        chords = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
        if event.modifiers() & (chords | Qt.KeyboardModifier.MetaModifier):
            super().keyPressEvent(event)
            return
        if key in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self._focus_index is not None:
                self._cycle(self._regions()[self._focus_index])
        elif key == Qt.Key.Key_L:
            self.set_side(Side.LEFT)
        elif key == Qt.Key.Key_R:
            self.set_side(Side.RIGHT)
        elif key == Qt.Key.Key_F:
            self.set_view("front")
        elif key == Qt.Key.Key_B:
            self.set_view("back")
        elif key == Qt.Key.Key_D:
            if self._heat is None:
                self._deep_button.toggle()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: A002 (Qt's name)
        if self.hasFocus():
            count = len(self._regions())
            if self._focus_index is None:
                index = 0 if next else count - 1
            else:
                index = self._focus_index + (1 if next else -1)
            if 0 <= index < count:
                self._focus_index = index
                self._update_caption()
                self.update()
                return True
            self._focus_index = None
            self._update_caption()
            self.update()
        return super().focusNextPrevChild(next)

    def focusInEvent(self, event) -> None:
        reason = event.reason()
        if reason == Qt.FocusReason.TabFocusReason:
            self._focus_index = 0
        elif reason == Qt.FocusReason.BacktabFocusReason:
            self._focus_index = len(self._regions()) - 1
        self._update_caption()
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event) -> None:
        self._update_caption()
        self.update()
        super().focusOutEvent(event)

    def event(self, event) -> bool:
        if event.type() == event.Type.ToolTip:
            region = self.region_at(event.pos())
            if region is None:
                QToolTip.hideText()
                event.ignore()
            else:
                area = self._mapped_shapes()[region].boundingRect().toAlignedRect()
                QToolTip.showText(event.globalPos(), region_hint(region), self, area)
            return True
        return super().event(event)

    # ------------------------------------------------------------------ painting
    def paintEvent(self, event) -> None:
        target = self._target()
        if target.isEmpty():
            return
        painter = QPainter(self)
        try:
            self._paint(painter, target)
        finally:
            painter.end()  # an exception must not leave the painter open: Qt would crash

    def _paint(self, painter: QPainter, target: QRectF) -> None:
        painter.drawImage(0, 0, self._drawing())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._paint_hover_and_focus(painter, self._mapped_shapes())

    def _drawing(self) -> QImage:
        """The knee with its marks or heat, and the legend, kept as an image while none of them
        changes: a repaint for the pointer, or of the whole window, then copies it instead of
        drawing the knee again, which takes milliseconds."""
        state = (
            self.size(),
            self.devicePixelRatioF(),
            self.logicalDpiX(),
            self.logicalDpiY(),
            self._side,
            self._view,
            tuple(sorted(self._marks.items())),
            None if self._heat is None else tuple(sorted(self._heat.items())),
            self.palette().cacheKey(),
            self._small_font.key(),
        )
        if state == self._drawn_state:
            return self._drawn
        ratio = self.devicePixelRatioF()
        image = QImage(self.size() * ratio, QImage.Format.Format_ARGB32_Premultiplied)
        image.setDevicePixelRatio(ratio)
        # Text measures as it does on the widget, so the drawing lines up with the spots' shapes.
        image.setDotsPerMeterX(round(self.logicalDpiX() / 0.0254))
        image.setDotsPerMeterY(round(self.logicalDpiY() / 0.0254))
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setFont(self._small_font)
            painter.setPen(self._muted())
            if self._heat is None:
                # Deep inside has its own toggle above the drawing: no chip for it here.
                marks = [m for m in self.marks() if m.region is not Region.DEEP]
                paint_knee(
                    painter, self._knee_rect(), side=self._side, view=self._view, marks=marks
                )
                self._paint_intensity_legend(painter)
            else:
                low, high = self._heat_range() or (0, 0)
                paint_knee(
                    painter,
                    self._knee_rect(),
                    side=self._side,
                    view=self._view,
                    heat=self._heat,
                    scale_min=low,
                    scale_max=high,
                )
                paint_heat_legend(painter, self._legend_rect(), low, high)
        finally:
            painter.end()
        self._drawn, self._drawn_state = image, state
        return image

    def _heat_range(self) -> tuple[int, int] | None:
        """The least and most marked spot on either knee: one scale for both."""
        assert self._heat is not None
        counts = [n for n in self._heat.values() if n > 0]
        return (min(counts), max(counts)) if counts else None

    def _paint_hover_and_focus(self, painter: QPainter, shapes: dict[Region, QPainterPath]) -> None:
        if self._hover is not None and self._hover in shapes:
            fill = QColor(ACCENT)
            fill.setAlpha(35 if self._heat is None else 20)
            line = QColor(ACCENT)
            line.setAlpha(170)
            painter.setPen(QPen(line, 1.5))
            painter.setBrush(fill)
            painter.drawPath(shapes[self._hover])
        if self.hasFocus() and self._focus_index is not None:
            shape = shapes[self._regions()[self._focus_index]]
            halo = QColor(255, 255, 255, 200)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(halo, 4))
            painter.drawPath(shape)
            pen = QPen(ACCENT, 2, Qt.PenStyle.DashLine)
            pen.setDashPattern([3, 2])
            painter.setPen(pen)
            painter.drawPath(shape)

    def _legend_rect(self) -> QRectF:
        canvas = self._canvas()
        height = self._legend_height()
        return QRectF(canvas.left(), canvas.bottom() - height, canvas.width(), height)

    def _paint_intensity_legend(self, painter: QPainter) -> None:
        painter.setFont(self._small_font)
        metrics = self._small_metrics()
        swatch, gap, space = 10, 5, 14
        items = [(level, label("intensity", level)) for level in Intensity]
        width = sum(swatch + gap + metrics.horizontalAdvance(text) for _, text in items)
        width += space * (len(items) - 1)
        rect = self._legend_rect()
        x = rect.center().x() - width / 2
        y = rect.center().y()
        for level, text in items:
            colour = QColor(INTENSITY_COLOURS[level])
            colour.setAlpha(MARK_ALPHA + 40)
            painter.setPen(QPen(INTENSITY_COLOURS[level].darker(125), 1))
            painter.setBrush(colour)
            painter.drawEllipse(QRectF(x, y - swatch / 2, swatch, swatch))
            x += swatch + gap
            painter.setPen(self._muted())
            advance = metrics.horizontalAdvance(text)
            painter.drawText(
                QRectF(x, rect.top(), advance + 2, rect.height()),
                int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                text,
            )
            x += advance + space
