"""The knee drawing painted onto any QPainter: screen, printer or PDF, always as vectors.

No widgets here, so the physio summary can draw the knee without loading QtWidgets.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterable, Mapping

from PySide6.QtCore import QPointF, QRectF, Qt, QXmlStreamReader
from PySide6.QtGui import (
    QColor,
    QFontMetricsF,
    QPaintEngine,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
    QTransform,
)
from PySide6.QtSvg import QSvgRenderer

from ..content import label, region_name, resource_bytes
from ..model import Intensity, PainMark, Region, Side
from .theme import Colours

VIEWS = ("front", "back")
SVG_FILES = {"front": "knee-front.svg", "back": "knee-back.svg"}

# The drawing is the same skin in the light and the dark theme, on screen and on paper, and so
# are the colours painted on it (resources/colours.toml names them alike in both sets).
_ON_SKIN = Colours(dark=False)
# Pain marks, semi-transparent so the drawing shows through.
INTENSITY_COLOURS = {
    Intensity.MILD: _ON_SKIN["intensity_mild"],
    Intensity.MODERATE: _ON_SKIN["intensity_moderate"],
    Intensity.SEVERE: _ON_SKIN["intensity_severe"],
}
MARK_ALPHA = 150
# Sequential scale for the heat map, light to dark.
HEAT_STOPS = (
    (0.0, _ON_SKIN["heat_low"]),
    (0.5, _ON_SKIN["heat_middle"]),
    (1.0, _ON_SKIN["heat_high"]),
)
HEAT_ALPHA = 175
ACCENT = _ON_SKIN["accent"]
MUTED_ALPHA = 175  # side labels and legends: the palette's text colour, a little faded
# The knee's edge is at least this far (in drawing units) from either side of the drawing,
# level with the joint; the side labels go there.
LABEL_INSET = 48
LABEL_LEVEL = {"front": 196, "back": 178}

_REGION_PREFIX = "region-"


def _xml(data: bytes) -> QXmlStreamReader:
    """Qt's reader over a drawing (PySide6 gives it text, not bytes; the drawings are UTF-8)."""
    return QXmlStreamReader(data.decode("utf-8"))


def region_shapes(svg: bytes) -> dict[Region, QPainterPath]:
    """The clickable shapes of one knee drawing, in the drawing's own (viewBox) coordinates.

    A shape is an <ellipse> or <polygon> with class "region" and id "region-<Region value>".
    Raises ValueError for an unknown region, a region drawn twice or another kind of element.
    """
    shapes: dict[Region, QPainterPath] = {}
    # Read with Qt's XML reader: Python's ElementTree would be 1% more of the start-up's work
    # (bench_startup) for two small files.
    reader = _xml(svg)
    while not reader.atEnd():
        if reader.readNext() != QXmlStreamReader.TokenType.StartElement:
            continue
        attributes = reader.attributes()
        if "region" not in attributes.value("class").split():
            continue
        ident = attributes.value("id")
        if not ident.startswith(_REGION_PREFIX):
            raise ValueError(f"A region shape needs an id 'region-<name>', not {ident!r}.")
        region = Region(ident.removeprefix(_REGION_PREFIX))
        if region in shapes:
            raise ValueError(f"The region {region.value!r} is drawn twice.")
        tag = reader.name()
        shape = QPainterPath()
        if tag == "ellipse":
            cx, cy, rx, ry = (float(attributes.value(n) or 0) for n in ("cx", "cy", "rx", "ry"))
            shape.addEllipse(QPointF(cx, cy), rx, ry)
        elif tag == "polygon":
            numbers = [float(n) for n in re.split(r"[\s,]+", attributes.value("points").strip())]
            points = [QPointF(x, y) for x, y in zip(numbers[::2], numbers[1::2], strict=True)]
            shape.addPolygon(QPolygonF(points))
            shape.closeSubpath()
        else:
            raise ValueError(f"The region {region.value!r} must be an ellipse or a polygon.")
        shapes[region] = shape
    if reader.hasError():
        raise ValueError(f"The drawing is not well-formed: {reader.errorString()}")
    return shapes


def heat_colour(t: float) -> QColor:
    """The heat-map colour at t in [0, 1] (0 lightest, 1 darkest)."""
    t = min(max(t, 0.0), 1.0)
    for (t0, c0), (t1, c1) in zip(HEAT_STOPS, HEAT_STOPS[1:], strict=False):
        if t <= t1:
            f = (t - t0) / (t1 - t0)
            return QColor(
                round(c0.red() + (c1.red() - c0.red()) * f),
                round(c0.green() + (c1.green() - c0.green()) * f),
                round(c0.blue() + (c1.blue() - c0.blue()) * f),
            )
    return QColor(HEAT_STOPS[-1][1])


def times_marked(count: int) -> str:
    if count == 0:
        return "not marked"
    if count == 1:
        return "marked once"
    return f"marked {count} times"


def mark_order(mark: PainMark) -> tuple[int, int]:
    return list(Side).index(mark.side), list(Region).index(mark.region)


# ---------------------------------------------------------------------- drawing, no widget needed
@functools.cache
def _drawing_data(view: str) -> tuple[bytes, tuple[float, float, float, float]]:
    """The SVG of one view and its viewBox (x, y, width, height)."""
    if view not in VIEWS:
        raise ValueError(f"The view is 'front' or 'back', not {view!r}.")
    data = resource_bytes(SVG_FILES[view])
    reader = _xml(data)
    reader.readNextStartElement()  # the <svg> element
    x, y, width, height = (float(n) for n in reader.attributes().value("viewBox").split())
    return data, (x, y, width, height)


@functools.cache
def view_shapes(view: str) -> dict[Region, QPainterPath]:
    """region_shapes() of one view, parsed once. Shared: map them, never change them."""
    return region_shapes(_drawing_data(view)[0])


def _view_box(view: str) -> QRectF:
    return QRectF(*_drawing_data(view)[1])


# Qt's PDF engine writes a gradient's alpha (its stops' opacity, or a fill-opacity on a shape
# filled with a gradient) as an /Alpha soft mask of an opaque shading, which PDF readers show
# as fully opaque. On PDF the knee is therefore painted from print copies of the drawings
# whose gradients are pre-blended onto white paper (packaging/make_print_drawings.py).
PRINT_SVG_FILES = {"front": "knee-front-print.svg", "back": "knee-back-print.svg"}


def _over(colour: QColor, alpha: float, backdrop: QColor) -> QColor:
    """colour at this alpha (0 to 1), painted over an opaque backdrop."""
    return QColor(
        round(colour.red() * alpha + backdrop.red() * (1 - alpha)),
        round(colour.green() * alpha + backdrop.green() * (1 - alpha)),
        round(colour.blue() * alpha + backdrop.blue() * (1 - alpha)),
    )


def _alpha_gradients_lost(painter: QPainter) -> bool:
    engine = painter.paintEngine()
    return engine is not None and engine.type() == QPaintEngine.Type.Pdf


_per_thread = threading.local()


def _renderer(view: str, opaque_gradients: bool = False) -> QSvgRenderer:
    """A renderer for one view, kept per thread (a PDF may be written off the GUI thread)."""
    renderers = getattr(_per_thread, "renderers", None)
    if renderers is None:
        renderers = _per_thread.renderers = {}
    key = (view, opaque_gradients)
    if key not in renderers:
        data = resource_bytes(PRINT_SVG_FILES[view]) if opaque_gradients else _drawing_data(view)[0]
        renderers[key] = QSvgRenderer(data)
    return renderers[key]


def _label_room(metrics: QFontMetricsF) -> float:
    """How wide the side labels ("Outer", "Inner") are, with a little air."""
    return max(metrics.horizontalAdvance("Outer"), metrics.horizontalAdvance("Inner")) + 4


def fit_knee(rect: QRectF, view: str, metrics: QFontMetricsF | None) -> QRectF:
    """Where the drawing goes in rect: as large as fits, aspect kept, centred.

    The side labels sit in the empty margins of the drawing beside the knee (LABEL_INSET);
    when those are narrower than the labels in this font, the drawing shrinks to make room.
    """
    box = _view_box(view)
    if rect.width() <= 0 or rect.height() <= 0 or box.isEmpty():
        return QRectF()
    scale = min(rect.width() / box.width(), rect.height() / box.height())
    if metrics is not None:
        # The knee's edge, LABEL_INSET inside the drawing, must leave `need` to rect's edge.
        need = _label_room(metrics)
        scale = min(scale, (rect.width() / 2 - need) / (box.width() / 2 - LABEL_INSET))
    if scale <= 0:
        return QRectF()
    width, height = box.width() * scale, box.height() * scale
    centre = rect.center()
    return QRectF(centre.x() - width / 2, centre.y() - height / 2, width, height)


def _transform_for(target: QRectF, side: Side, view: str) -> QTransform:
    box = _view_box(view)
    scale = target.width() / box.width()
    transform = QTransform()
    if side is Side.LEFT:
        # The drawings show a right knee; the left knee is its mirror image.
        transform.translate(target.right(), target.top())
        transform.scale(-scale, scale)
    else:
        transform.translate(target.left(), target.top())
        transform.scale(scale, scale)
    transform.translate(-box.x(), -box.y())
    return transform


def knee_transform(
    rect: QRectF, side: Side, view: str = "front", metrics: QFontMetricsF | None = None
) -> QTransform:
    """From the drawing's own (viewBox) coordinates to rect's, as paint_knee() fits the knee.

    metrics: the font the side labels are drawn in, on the painter's device, e.g.
    QFontMetricsF(painter.font(), painter.device()); a drawing whose margins are too narrow
    for the labels shrinks to make room. None when no labels are drawn.
    Map region_shapes() with it to find the spots in rect.
    """
    side = Side(side)
    target = fit_knee(rect, view, metrics)
    if target.isEmpty():
        return QTransform(0, 0, 0, 0, rect.center().x(), rect.center().y())
    return _transform_for(target, side, view)


def _outer_on_left(side: Side, view: str) -> bool:
    # Front of a right knee: outer side on the viewer's left; back view and left knee flip.
    return (view == "front") != (side is Side.LEFT)


def _heat_fraction(count: int, low: int, high: int) -> float:
    return 1.0 if high <= low else (count - low) / (high - low)


def _swatch_colour(colour: QColor) -> tuple[QColor, QColor]:
    """Fill and outline of a legend swatch or chip dot in this colour."""
    fill = QColor(colour)
    fill.setAlpha(min(HEAT_ALPHA + 40, 255))
    return fill, colour.darker(125)


def paint_knee(
    painter: QPainter,
    rect: QRectF,
    *,
    side: Side,
    view: str = "front",
    heat: Mapping[tuple[Side, Region], int] | None = None,
    marks: Iterable[PainMark] = (),
    scale_max: int | None = None,
    scale_min: int | None = None,
    labels: bool = True,
) -> None:
    """Draw one knee (drawing, marks or heat colours, Outer/Inner labels) fitted into rect.

    Everything is drawn as vectors, so on a QPdfWriter or QPrinter it stays sharp; rect is in
    the painter's coordinates (device units unless the caller transformed the painter).

    heat: how often each spot was marked; when given, the spots of this knee are coloured by
        count and marks are ignored. Counts run on the heat_colour() scale from scale_min
        (default 1, the lightest) to scale_max (default the largest count for this knee, the
        darkest); give both knees of a printout the same scale_max so that their colours
        compare, and paint_heat_legend() the same numbers. A count of 0 leaves a spot clear.
    marks: pain marks to show (only those for `side` are drawn), coloured by intensity.
    The Region.DEEP count (or mark), which has no shape, shows in a chip at the foot of the
    drawing, e.g. "Deep inside: 3".
    Text (side labels, chip) uses the painter's font and pen colour; the painter's state is
    left as it was.
    """
    side = Side(side)
    metrics = QFontMetricsF(painter.font(), painter.device())
    target = fit_knee(rect, view, metrics if labels else None)
    if target.isEmpty():
        return
    text_colour = QColor(painter.pen().color())
    transform = _transform_for(target, side, view)
    shapes = view_shapes(view)
    box = _view_box(view)

    painter.save()
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setTransform(transform, True)
        _renderer(view, _alpha_gradients_lost(painter)).render(painter, box)
        # Fills are drawn in the drawing's units, so outlines scale with the knee.
        chip: tuple[str, QColor, QColor] | None = None
        if heat is not None:
            counts = {Region(region): int(n) for (s, region), n in heat.items() if Side(s) is side}
            low = 1 if scale_min is None else scale_min
            high = max(counts.values(), default=0) if scale_max is None else scale_max
            for region, shape in shapes.items():
                count = counts.get(region, 0)
                if count > 0:
                    colour = heat_colour(_heat_fraction(count, low, high))
                    outline = colour.darker(130)
                    colour.setAlpha(HEAT_ALPHA)
                    outline.setAlpha(200)
                    painter.setPen(QPen(outline, 1.2))
                    painter.setBrush(colour)
                    painter.drawPath(shape)
            deep = counts.get(Region.DEEP, 0)
            if deep > 0:
                colour = heat_colour(_heat_fraction(deep, low, high))
                chip = (f"{region_name(Region.DEEP)}: {deep}", *_swatch_colour(colour))
        else:
            levels = {
                Region(m.region): Intensity(m.intensity) for m in marks if Side(m.side) is side
            }
            for region, shape in shapes.items():
                level = levels.get(region)
                if level is None:
                    continue
                colour = QColor(INTENSITY_COLOURS[level])
                outline = colour.darker(125)
                colour.setAlpha(MARK_ALPHA)
                outline.setAlpha(220)
                pen = QPen(outline, 1.5)
                pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
                painter.setPen(pen)
                painter.setBrush(colour)
                painter.drawPath(shape)
            level = levels.get(Region.DEEP)
            if level is not None:
                text = f"{region_name(Region.DEEP)}: {label('intensity', level).lower()}"
                chip = (text, *_swatch_colour(INTENSITY_COLOURS[level]))
    finally:
        painter.restore()

    # Text goes on the untransformed painter: never mirrored, in the caller's font.
    painter.save()
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        scale = target.width() / box.width()
        if labels:
            _paint_side_labels(painter, target, scale, side, view, metrics, text_colour)
        if chip is not None:
            _paint_chip(painter, target, metrics, text_colour, *chip)
    finally:
        painter.restore()


def _paint_side_labels(
    painter: QPainter,
    target: QRectF,
    scale: float,
    side: Side,
    view: str,
    metrics: QFontMetricsF,
    colour: QColor,
) -> None:
    box = _view_box(view)
    y = target.top() + (LABEL_LEVEL[view] - box.y()) * scale
    height = metrics.height()
    width = _label_room(metrics)
    inset = LABEL_INSET * scale
    left = QRectF(target.left() + inset - width, y - height / 2, width, height)
    right = QRectF(target.right() - inset, y - height / 2, width, height)
    outer, inner = ("Outer", "Inner") if _outer_on_left(side, view) else ("Inner", "Outer")
    middle = Qt.AlignmentFlag.AlignVCenter
    painter.setPen(colour)
    painter.drawText(left, int(middle | Qt.AlignmentFlag.AlignRight), outer)
    painter.drawText(right, int(middle | Qt.AlignmentFlag.AlignLeft), inner)


def _paint_chip(
    painter: QPainter,
    target: QRectF,
    metrics: QFontMetricsF,
    colour: QColor,
    text: str,
    dot: QColor,
    dot_outline: QColor,
) -> None:
    """A small pill with a coloured dot and a text, on the faded foot of the drawing."""
    h = metrics.height()
    pad, gap, size = 0.55 * h, 0.35 * h, 0.62 * h
    height = h + 0.35 * h
    advance = metrics.horizontalAdvance(text)
    width = pad + size + gap + advance + pad
    left, top = target.center().x() - width / 2, target.bottom() - height - 0.2 * h
    chip = QRectF(left, top, width, height)
    border = QColor(colour)
    border.setAlpha(70)
    painter.setPen(QPen(border, max(h / 16, 0.5)))
    # Under the text's colour: a light pill for dark text, a dark one for light text.
    backdrop = Colours(dark=colour.lightness() >= 128)["base"]
    backdrop.setAlpha(235)
    painter.setBrush(backdrop)
    painter.drawRoundedRect(chip, height / 2, height / 2)
    x = chip.left() + pad
    painter.setPen(QPen(dot_outline, max(h / 16, 0.5)))
    painter.setBrush(dot)
    painter.drawEllipse(QRectF(x, chip.center().y() - size / 2, size, size))
    x += size + gap
    painter.setPen(colour)
    painter.drawText(
        QRectF(x, chip.top(), advance + 2, chip.height()),
        int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
        text,
    )


def paint_heat_legend(painter: QPainter, rect: QRectF, low: int, high: int) -> None:
    """The heat-map key, centred in rect: "Times marked", low, the colour bar, high.

    Pass the same numbers as paint_knee's scale (scale_min, by default 1, and scale_max).
    With high <= 0 it says "Nothing marked yet"; with low == high it shows one swatch.
    Text uses the painter's font and pen colour; the painter's state is left as it was.
    """
    painter.save()
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetricsF(painter.font(), painter.device())
        colour = QColor(painter.pen().color())
        centre = int(Qt.AlignmentFlag.AlignCenter)
        h = metrics.height()
        if high <= 0:
            painter.drawText(rect, centre, "Nothing marked yet")
            return
        title = "Times marked"
        single = low >= high
        low_text, high_text = ("", str(high)) if single else (str(low), str(high))
        bar_height = 0.57 * h
        bar_width = bar_height * 1.6 if single else min(max(rect.width() * 0.3, 3 * h), 8 * h)
        gap, small_gap = 0.6 * h, 0.35 * h
        texts = [metrics.horizontalAdvance(t) for t in (title, low_text, high_text)]
        if not single:  # squeeze the bar rather than spill out of rect
            room = rect.width() - (texts[0] + gap + texts[1] + 2 * small_gap + texts[2])
            bar_width = max(min(bar_width, room), 2 * h)
        low_gap = small_gap if low_text else 0
        parts = [texts[0], gap, texts[1], low_gap, bar_width, small_gap, texts[2]]
        x = rect.center().x() - sum(parts) / 2
        middle = rect.center().y()

        def text_at(left: float, advance: float, text: str) -> None:
            painter.drawText(QRectF(left, rect.top(), advance + 2, rect.height()), centre, text)

        painter.setPen(colour)
        text_at(x, parts[0], title)
        x += parts[0] + parts[1]
        if low_text:
            text_at(x, parts[2], low_text)
        x += parts[2] + parts[3]
        bar = QRectF(x, middle - bar_height / 2, bar_width, bar_height)
        if single:
            fill = heat_colour(1.0)
            fill.setAlpha(HEAT_ALPHA + 40)
            painter.setBrush(fill)
        else:
            # Here, for the charts and the summary: its class's enums are 1.4 ms of start-up.
            from PySide6.QtGui import QLinearGradient

            gradient = QLinearGradient(bar.topLeft(), bar.topRight())
            steps = 8
            opaque = _alpha_gradients_lost(painter)  # on paper: blend over white instead
            for i in range(steps + 1):
                stop = heat_colour(i / steps)
                stop.setAlpha(HEAT_ALPHA + 40)
                if opaque:
                    stop = _over(stop, stop.alphaF(), QColor(255, 255, 255))
                gradient.setColorAt(i / steps, stop)
            painter.setBrush(gradient)
        painter.setPen(QPen(QColor(0, 0, 0, 40), max(h / 14, 0.5)))
        radius = 0.21 * h
        painter.drawRoundedRect(bar, radius, radius)
        x += bar_width + parts[5]
        painter.setPen(colour)
        text_at(x, parts[6], high_text)
    finally:
        painter.restore()
