"""The knee diagram: click where it hurts, or see how often each spot was marked."""

from __future__ import annotations

import functools
import re
import threading
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Mapping

from PySide6.QtCore import QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QCursor,
    QFont,
    QFontMetrics,
    QFontMetricsF,
    QImage,
    QKeyEvent,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPaintEngine,
    QPalette,
    QPen,
    QPolygonF,
    QTransform,
)
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from ..content import label, region_hint, region_name, resource_bytes
from ..model import Intensity, PainMark, Region, Side

VIEWS = ("front", "back")
SVG_FILES = {"front": "knee-front.svg", "back": "knee-back.svg"}

# Pain marks, semi-transparent so the drawing shows through.
INTENSITY_COLOURS = {
    Intensity.MILD: QColor(242, 169, 39),
    Intensity.MODERATE: QColor(230, 100, 20),
    Intensity.SEVERE: QColor(176, 28, 36),
}
MARK_ALPHA = 150
# Sequential scale for the heat map, light to dark.
HEAT_STOPS = ((0.0, QColor(253, 224, 139)), (0.5, QColor(240, 128, 40)), (1.0, QColor(150, 20, 40)))
HEAT_ALPHA = 175
ACCENT = QColor(38, 102, 168)
MUTED_ALPHA = 175  # side labels and legends: the palette's text colour, a little faded
# The knee's edge is at least this far (in drawing units) from either side of the drawing,
# level with the joint; the side labels go there.
LABEL_INSET = 48
LABEL_LEVEL = {"front": 196, "back": 178}

_SVG_NS = "{http://www.w3.org/2000/svg}"
_REGION_PREFIX = "region-"


def region_shapes(svg: bytes) -> dict[Region, QPainterPath]:
    """The clickable shapes of one knee drawing, in the drawing's own (viewBox) coordinates.

    A shape is an <ellipse> or <polygon> with class "region" and id "region-<Region value>".
    Raises ValueError for an unknown region, a region drawn twice or another kind of element.
    """
    shapes: dict[Region, QPainterPath] = {}
    for element in ET.fromstring(svg).iter():
        if "region" not in element.get("class", "").split():
            continue
        ident = element.get("id", "")
        if not ident.startswith(_REGION_PREFIX):
            raise ValueError(f"A region shape needs an id 'region-<name>', not {ident!r}.")
        region = Region(ident.removeprefix(_REGION_PREFIX))
        if region in shapes:
            raise ValueError(f"The region {region.value!r} is drawn twice.")
        tag = element.tag.removeprefix(_SVG_NS)
        shape = QPainterPath()
        if tag == "ellipse":
            centre = QPointF(float(element.get("cx", 0)), float(element.get("cy", 0)))
            shape.addEllipse(centre, float(element.get("rx")), float(element.get("ry")))
        elif tag == "polygon":
            numbers = [float(n) for n in re.split(r"[\s,]+", element.get("points", "").strip())]
            points = [QPointF(x, y) for x, y in zip(numbers[::2], numbers[1::2], strict=True)]
            shape.addPolygon(QPolygonF(points))
            shape.closeSubpath()
        else:
            raise ValueError(f"The region {region.value!r} must be an ellipse or a polygon.")
        shapes[region] = shape
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


def _times(count: int) -> str:
    if count == 0:
        return "not marked"
    if count == 1:
        return "marked once"
    return f"marked {count} times"


def _order(mark: PainMark) -> tuple[int, int]:
    return list(Side).index(mark.side), list(Region).index(mark.region)


# ---------------------------------------------------------------------- drawing, no widget needed
@functools.cache
def _drawing_data(view: str) -> tuple[bytes, tuple[float, float, float, float]]:
    """The SVG of one view and its viewBox (x, y, width, height)."""
    if view not in VIEWS:
        raise ValueError(f"The view is 'front' or 'back', not {view!r}.")
    data = resource_bytes(SVG_FILES[view])
    x, y, width, height = (float(n) for n in ET.fromstring(data).get("viewBox", "").split())
    return data, (x, y, width, height)


@functools.cache
def _view_shapes(view: str) -> dict[Region, QPainterPath]:
    """region_shapes() of one view, parsed once. Shared: map them, never change them."""
    return region_shapes(_drawing_data(view)[0])


def _view_box(view: str) -> QRectF:
    return QRectF(*_drawing_data(view)[1])


# Qt's PDF engine writes a gradient's alpha (its stops' opacity, or a fill-opacity on a shape
# filled with a gradient) as an /Alpha soft mask of an opaque shading, which PDF readers show
# as fully opaque: the drawings' faded ends would print as hard edges and the translucent
# shading as dark blots. On PDF the drawing is therefore painted from a copy in which each
# shape with a gradient gets a gradient of its own, of opaque colours: its colour blended over
# what lies behind it on white paper, taken from the shapes before it drawn the usual way.
_GRADIENT = re.compile(rb"<linearGradient\b[^>]*>.*?</linearGradient>", re.S)
_STOP = re.compile(rb"<stop\b[^>]*/>")
_SHAPE = re.compile(rb"<(?:path|rect|circle|ellipse|line|polyline|polygon)\b[^>]*>")
_URL = re.compile(rb'\s(fill|stroke)="url\(#([^)"]+)\)"')
_OPAQUE_STEP = 6.0  # drawing units between the stops of an opaque gradient

_Stops = list[tuple[float, QColor, float]]  # offset, colour, alpha in [0, 1]


def _attribute(element: bytes, name: str) -> str | None:
    found = re.search(rb"\s" + name.encode() + rb'="([^"]*)"', element)
    return found.group(1).decode() if found else None


def _over(colour: QColor, alpha: float, backdrop: QColor) -> QColor:
    """colour at this alpha (0 to 1), painted over an opaque backdrop."""
    return QColor(
        round(colour.red() * alpha + backdrop.red() * (1 - alpha)),
        round(colour.green() * alpha + backdrop.green() * (1 - alpha)),
        round(colour.blue() * alpha + backdrop.blue() * (1 - alpha)),
    )


def _stop_at(stops: _Stops, offset: float) -> tuple[QColor, float]:
    """A gradient's colour and alpha at offset (padded beyond its ends)."""
    if offset <= stops[0][0]:
        return stops[0][1], stops[0][2]
    for (o0, c0, a0), (o1, c1, a1) in zip(stops, stops[1:], strict=False):
        if offset <= o1:
            f = 0.0 if o1 == o0 else (offset - o0) / (o1 - o0)
            return _over(c1, f, c0), a0 + (a1 - a0) * f
    return stops[-1][1], stops[-1][2]


def _vertical_gradients(data: bytes) -> dict[str, tuple[bytes, float, float, _Stops]]:
    """The drawing's vertical linear gradients: id -> (opening tag, y1, y2, stops)."""
    gradients = {}
    for element in _GRADIENT.findall(data):
        if _attribute(element, "x1") != _attribute(element, "x2"):
            continue
        stops = [
            (
                float(_attribute(stop, "offset") or 0),
                QColor(_attribute(stop, "stop-color") or "#000000"),
                float(_attribute(stop, "stop-opacity") or 1),
            )
            for stop in _STOP.findall(element)
        ]
        if stops:
            y1, y2 = (float(_attribute(element, name) or 0) for name in ("y1", "y2"))
            gradients[_attribute(element, "id") or ""] = (
                element[: element.index(b">") + 1], y1, y2, stops
            )
    return gradients


def _raster(svg: bytes, width: int, height: int) -> QImage:
    """The drawing on white, one pixel per drawing unit."""
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor(255, 255, 255))
    painter = QPainter(image)
    try:
        QSvgRenderer(svg).render(painter, QRectF(image.rect()))
    finally:
        painter.end()
    return image


def _looking_behind(behind: QImage, mask: QImage) -> Callable[[int], QColor]:
    """A function of a row: the average colour of `behind` where `mask` is dark in that row,
    or in the nearest row where it is; white where the mask is empty."""
    width, stride = behind.width(), behind.bytesPerLine()
    pixels, covered = bytes(behind.constBits()), bytes(mask.constBits())
    found: dict[int, QColor | None] = {}

    def average(row: int) -> QColor | None:
        if row not in found:
            start = row * stride  # Format_RGB32 is B, G, R, A in memory
            end = start + 4 * width
            inside = [i for i, g in enumerate(covered[start + 1 : end : 4]) if g < 128]
            colour = None
            if inside:
                channels = [pixels[start + c : end : 4] for c in (2, 1, 0)]
                colour = QColor(*(sum(ch[i] for i in inside) // len(inside) for ch in channels))
            found[row] = colour
        return found[row]

    def at(row: int) -> QColor:
        row = min(max(row, 0), behind.height() - 1)
        for distance in range(behind.height()):
            for candidate in (row - distance, row + distance):
                if 0 <= candidate < behind.height():
                    colour = average(candidate)
                    if colour is not None:
                        return colour
        return QColor(255, 255, 255)

    return at


@functools.cache
def _opaque_gradients_svg(view: str) -> bytes:
    """The drawing with opaque gradients only, for PDF (see above)."""
    data, (_, box_y, box_width, box_height) = _drawing_data(view)
    width, height = round(box_width), round(box_height)
    gradients = _vertical_gradients(data)
    shapes = list(_SHAPE.finditer(data))

    def without_shapes(keep: Callable[[int], bytes | None]) -> bytes:
        """The drawing with each shape replaced by keep(index), or left out for None."""
        pieces, last = [], 0
        for index, shape in enumerate(shapes):
            pieces.append(data[last : shape.start()])
            pieces.append(keep(index) or b"")
            last = shape.end()
        pieces.append(data[last:])
        return b"".join(pieces)

    def silhouette(shape: bytes) -> bytes:
        shape = re.sub(rb'\s(?:fill-|stroke-)?opacity="[^"]*"', b"", shape)
        return re.sub(rb'(\s(?:fill|stroke)=")(?!none")[^"]*"', rb'\1#000000"', shape)

    added: list[bytes] = []
    replaced: dict[int, bytes] = {}
    for index, match in enumerate(shapes):
        shape = match.group(0)
        uses = [u for u in _URL.finditer(shape) if u.group(2).decode() in gradients]
        if not uses:
            continue
        before = without_shapes(lambda i, n=index: shapes[i].group(0) if i < n else None)
        alone = without_shapes(lambda i, n=index, s=silhouette(shape): s if i == n else None)
        behind_at = _looking_behind(_raster(before, width, height), _raster(alone, width, height))
        for use in uses:
            kind, ident = use.group(1).decode(), use.group(2).decode()
            head, y1, y2, stops = gradients[ident]
            alpha = float(_attribute(shape, f"{kind}-opacity") or 1)
            offsets = {o for o, _, _ in stops}
            steps = int(abs(y2 - y1) / _OPAQUE_STEP)
            offsets |= {i / steps for i in range(steps + 1)} if steps else set()
            new_id = f"{ident}-opaque-{len(added)}"
            stop_lines = []
            for offset in sorted(o for o in offsets if 0 <= o <= 1):
                colour, a = _stop_at(stops, offset)
                behind = behind_at(round(y1 + offset * (y2 - y1) - box_y))
                opaque = _over(colour, a * alpha, behind).name()
                stop_lines.append(f'<stop offset="{offset:.4f}" stop-color="{opaque}"/>')
            head = re.sub(rb'\sid="[^"]*"', f' id="{new_id}"'.encode(), head)
            added.append(head + "".join(stop_lines).encode() + b"</linearGradient>")
            shape = shape.replace(use.group(0), f' {kind}="url(#{new_id})"'.encode())
            shape = re.sub(rb"\s" + kind.encode() + rb'-opacity="[^"]*"', b"", shape)
        replaced[index] = shape

    if not replaced:
        return data
    opaque = without_shapes(lambda i: replaced.get(i, shapes[i].group(0)))
    return opaque.replace(b"</defs>", b"".join(added) + b"</defs>", 1)


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
        data = _opaque_gradients_svg(view) if opaque_gradients else _drawing_data(view)[0]
        renderers[key] = QSvgRenderer(data)
    return renderers[key]


def _label_room(metrics: QFontMetricsF) -> float:
    """How wide the side labels ("Outer", "Inner") are, with a little air."""
    return max(metrics.horizontalAdvance("Outer"), metrics.horizontalAdvance("Inner")) + 4


def _fit(rect: QRectF, view: str, metrics: QFontMetricsF | None) -> QRectF:
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
    target = _fit(rect, view, metrics)
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
    target = _fit(rect, view, metrics if labels else None)
    if target.isEmpty():
        return
    text_colour = QColor(painter.pen().color())
    transform = _transform_for(target, side, view)
    shapes = _view_shapes(view)
    box = _view_box(view)

    painter.save()
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setTransform(transform, True)
        _renderer(view, _alpha_gradients_lost(painter)).render(painter, box)
        # Fills are drawn in the drawing's units, so outlines scale with the knee.
        chip: tuple[str, QColor, QColor] | None = None
        if heat is not None:
            counts = {
                Region(region): int(n) for (s, region), n in heat.items() if Side(s) is side
            }
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
    painter.setBrush(QColor(255, 255, 255, 235))
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

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._marks: dict[tuple[Side, Region], Intensity] = {}
        self._side = Side.RIGHT
        self._view = "front"
        self._heat: dict[tuple[Side, Region], int] | None = None
        self._hover: Region | None = None
        self._pressed: Region | None = None
        self._focus_index: int | None = None

        self._shapes = {view: _view_shapes(view) for view in VIEWS}

        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Knee diagram")
        self.setAccessibleDescription(
            "Tab moves between spots, Space marks the spot in focus. "
            "L and R pick the knee, F and B the front or back view, D marks deep inside."
        )
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
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setProperty("segment", position)
            button.setFixedWidth(QFontMetrics(small).horizontalAdvance(text) + 14)
            return button

        self._side_buttons = QButtonGroup(self)
        self._left_button = segment("Left", "Left knee (L)", "leftKnee", "first")
        self._right_button = segment("Right", "Right knee (R)", "rightKnee", "last")
        self._side_buttons.addButton(self._left_button)
        self._side_buttons.addButton(self._right_button)
        self._left_button.clicked.connect(self._on_left_button_clicked)
        self._right_button.clicked.connect(self._on_right_button_clicked)

        self._view_buttons = QButtonGroup(self)
        self._front_button = segment("Front", "Front of the knee (F)", "frontView", "first")
        self._back_button = segment("Back", "Back of the knee (B)", "backView", "last")
        self._view_buttons.addButton(self._front_button)
        self._view_buttons.addButton(self._back_button)
        self._front_button.clicked.connect(self._on_front_button_clicked)
        self._back_button.clicked.connect(self._on_back_button_clicked)

        self._deep_button = _ShrinkingButton("Deep inside", "Deep", self._controls)
        self._deep_button.setObjectName("deepToggle")
        self._deep_button.setAccessibleName("Deep inside / hard to point at")
        self._deep_button.setCheckable(True)
        self._deep_button.setFont(small)
        self._deep_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._deep_button.toggled.connect(self._on_deep_button_toggled)

        row.addWidget(self._left_button)
        row.addWidget(self._right_button)
        row.addSpacing(6)
        row.addWidget(self._front_button)
        row.addWidget(self._back_button)
        row.addStretch(1)
        row.addSpacing(6)
        row.addWidget(self._deep_button)

        self._controls.setStyleSheet(
            """
            QToolButton {
                border: 1px solid #c4bbb5; background: #ffffff; color: #3d3430;
                padding: 2px 0px; margin: 0;
            }
            QToolButton:hover { background: #f3eeeb; }
            QToolButton:checked { background: #2666a8; border-color: #2666a8; color: #ffffff; }
            QToolButton:disabled { color: #8c817b; background: #f5f3f2; }
            QToolButton[segment="first"] {
                border-top-left-radius: 4px; border-bottom-left-radius: 4px; border-right: none;
            }
            QToolButton[segment="last"] {
                border-top-right-radius: 4px; border-bottom-right-radius: 4px;
            }
            QToolButton#deepToggle { border-radius: 10px; }
            """
        )

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
    def set_marks(self, marks: Iterable[PainMark]) -> None:
        """Show these marks (both knees); a spot given twice keeps the last one."""
        new = {(Side(m.side), Region(m.region)): Intensity(m.intensity) for m in marks}
        if new != self._marks:
            self._marks = new
            self._after_marks_changed()

    def marks(self) -> tuple[PainMark, ...]:
        """Every mark on both knees, left before right, spots in Region order."""
        marks = [PainMark(side, region, level) for (side, region), level in self._marks.items()]
        return tuple(sorted(marks, key=_order))

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
        if counts is None:
            self._heat = None
        else:
            self._heat = {
                (Side(side), Region(region)): int(n) for (side, region), n in counts.items()
            }
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
        """Where the drawing itself goes (see _fit)."""
        return _fit(self._knee_rect(), self._view, self._label_metrics())

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

    def _sync_controls(self) -> None:
        """Make the buttons show the current knee, view, deep mark and mode."""
        (self._left_button if self._side is Side.LEFT else self._right_button).setChecked(True)
        (self._front_button if self._view == "front" else self._back_button).setChecked(True)
        deep = self._marks.get((self._side, Region.DEEP))
        self._deep_button.blockSignals(True)
        self._deep_button.setChecked(deep is not None and self._heat is None)
        self._deep_button.blockSignals(False)
        self._deep_button.setEnabled(self._heat is None)
        tip = "Deep inside / hard to point at (D). " + region_hint(Region.DEEP)
        style = ""
        if self._heat is not None:
            count = self._heat.get((self._side, Region.DEEP), 0)
            tip = f"{region_name(Region.DEEP)}: {_times(count)}"
        elif deep is not None:
            # Checked, the toggle takes the colour of its intensity, like a marked spot.
            colour = INTENSITY_COLOURS[deep]
            text = "#3d3430" if deep is Intensity.MILD else "#ffffff"
            style = (
                f"QToolButton:checked {{ background: {colour.name()}; "
                f"border-color: {colour.darker(120).name()}; color: {text}; }}"
            )
            tip += f" Marked: {label('intensity', deep).lower()}."
        if self._deep_button.styleSheet() != style:
            self._deep_button.setStyleSheet(style)
        self._deep_button.setToolTip(tip)
        self._update_caption()

    def _on_left_button_clicked(self) -> None:
        self.set_side(Side.LEFT)

    def _on_right_button_clicked(self) -> None:
        self.set_side(Side.RIGHT)

    def _on_front_button_clicked(self) -> None:
        self.set_view("front")

    def _on_back_button_clicked(self) -> None:
        self.set_view("back")

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
                text = f"{region_name(region)}: {_times(self._heat.get((self._side, region), 0))}"
            else:
                text = "How often each spot was marked. Point at one to see the number."
                deep = self._heat.get((self._side, Region.DEEP), 0)
                if deep:
                    text += f" {region_name(Region.DEEP)}: {_times(deep)}."
        elif region is not None:
            text = region_name(region)
            level = self._marks.get((self._side, region))
            if level is not None:
                text += f": {label('intensity', level).lower()}"
        else:
            text = "Click where it hurts. Click again for stronger pain."
        self._caption.setText(text)

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
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(self._small_font)
        painter.setPen(self._muted())
        if self._heat is None:
            # Deep inside has its own toggle above the drawing: no chip for it here.
            marks = [m for m in self.marks() if m.region is not Region.DEEP]
            paint_knee(painter, self._knee_rect(), side=self._side, view=self._view, marks=marks)
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
        self._paint_hover_and_focus(painter, self._mapped_shapes())
        if self._heat is None:
            self._paint_intensity_legend(painter)
        else:
            paint_heat_legend(painter, self._legend_rect(), *(self._heat_range() or (0, 0)))

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
