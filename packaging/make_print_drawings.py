"""Writes the print copies of the knee drawings: resources/knee-{front,back}-print.svg.

Qt's PDF engine writes a gradient's alpha (its stops' opacity, or a fill-opacity on a shape
filled with a gradient) as an /Alpha soft mask of an opaque shading, which PDF readers show
as fully opaque: the drawings' faded ends would print as hard edges and the translucent
shading as dark blots. The print copies give each shape with a gradient a gradient of its
own, of opaque colours: its colour blended over what lies behind it on white paper, taken
from the shapes before it drawn the usual way.

Run after changing a drawing: `python packaging/make_print_drawings.py`. A test checks that
the shipped copies match what this script makes.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QRectF  # noqa: E402
from PySide6.QtGui import QColor, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

from kneelog.ui.knee_drawing import PRINT_SVG_FILES, VIEWS, _drawing_data, _over  # noqa: E402

RESOURCES = Path(__file__).resolve().parent.parent / "resources"

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
                element[: element.index(b">") + 1],
                y1,
                y2,
                stops,
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


def print_svg(view: str) -> bytes:
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
        outline = silhouette(shape)
        alone = without_shapes(lambda i, n=index, s=outline: s if i == n else None)
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


def main() -> int:
    for view in VIEWS:
        (RESOURCES / PRINT_SVG_FILES[view]).write_bytes(print_svg(view))
        print(f"wrote resources/{PRINT_SVG_FILES[view]}")
    return 0


if __name__ == "__main__":
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication(sys.argv[:1])
    raise SystemExit(main())
