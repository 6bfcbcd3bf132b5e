"""Writes the PNG icons resources/icons/kneelog-{16,...,512}.png from resources/kneelog.svg.

Desktops that do not draw SVG icons, the Windows and macOS bundles (packaging/kneelog.spec) and
`make install-desktop` use them. Run after changing the SVG: `make icons`. A test checks that
the shipped PNGs match what this script makes.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "resources" / "kneelog.svg"
FOLDER = ROOT / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def icon_path(size: int, folder: Path = FOLDER) -> Path:
    return folder / f"kneelog-{size}.png"


def render(size: int, svg: Path = SVG) -> QImage:
    """The SVG drawn at size x size pixels on a transparent square."""
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg} is not an SVG Qt can draw")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image.convertToFormat(QImage.Format.Format_ARGB32)


def main(folder: Path = FOLDER) -> None:
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 (painting needs it)
    folder.mkdir(parents=True, exist_ok=True)
    for size in SIZES:
        path = icon_path(size, folder)
        if not render(size).save(str(path), "PNG"):
            raise OSError(f"could not write {path}")
        print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else FOLDER)
