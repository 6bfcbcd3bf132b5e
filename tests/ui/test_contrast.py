"""Every text the runner reads stands out from what is behind it, in the light and the dark
theme: WCAG AA, a contrast of 4.5:1 at least.

Each view is drawn as the runner sees it (`QWidget.grab()`), and each visible label, chip,
button, tab, table cell, scale cell and chart axis is measured from those pixels: its
background is the colour most of its box shows, its text colour the glyph pixel that stands
out most from that background. Nothing is taken from kneelog's own colour tables, so a
colour the stylesheet or the palette forgot shows up as it would on screen.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QAction, QImage
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QStyle,
    QStyleOptionButton,
    QTabBar,
    QTableView,
    QToolButton,
    QWidget,
)

from conftest import make_run
from kneelog.colours import contrast_ratio
from kneelog.demo import demo_journal
from kneelog.model import WarningSign
from kneelog.store import Store
from kneelog.ui.main_window import MainWindow
from kneelog.ui.widgets import Scale

AA = 4.5  # WCAG 2, level AA, ordinary text
NOW = dt.datetime(2026, 11, 20, 8, 30)


# -- measuring ---------------------------------------------------------------------------


def pixels(image: QImage) -> np.ndarray:
    """The image as rows of 0xRRGGBB integers."""
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    data = np.frombuffer(image.constBits(), dtype=np.uint32).reshape(
        image.height(), image.bytesPerLine() // 4
    )
    return data[:, : image.width()] & 0xFFFFFF


def split(colour: int) -> tuple[int, int, int]:
    return (colour >> 16) & 0xFF, (colour >> 8) & 0xFF, colour & 0xFF


def measure(picture: np.ndarray, box: QRect) -> tuple[float, str, str]:
    """(contrast, text colour, background) of the text inside box."""
    box = box.intersected(QRect(0, 0, picture.shape[1], picture.shape[0]))
    region = picture[box.top() : box.bottom() + 1, box.left() : box.right() + 1].ravel()
    colours, counts = np.unique(region, return_counts=True)
    background = split(int(colours[counts.argmax()]))
    best, text = 1.0, background
    for colour in colours.tolist():
        ratio = contrast_ratio(split(colour), background)
        if ratio > best:
            best, text = ratio, split(colour)
    return best, hex_of(text), hex_of(background)


def hex_of(colour: tuple[int, int, int]) -> str:
    return "#" + "".join(f"{c:02x}" for c in colour)


class Sheet:
    """One view grabbed, and the texts on it measured."""

    def __init__(self, root: QWidget, view: str):
        self.root, self.view = root, view
        self.picture = pixels(root.grab().toImage())
        self.seen: list[tuple[str, float, str, str]] = []

    def check(self, widget: QWidget, box: QRect, what: str) -> None:
        """Measure the text drawn in `box` (widget coordinates)."""
        box = box.translated(widget.mapTo(self.root, QPoint(0, 0)))
        box = box.intersected(shown_part(widget, self.root))
        if box.width() < 3 or box.height() < 3:
            return  # scrolled out of sight
        ratio, text, background = measure(self.picture, box)
        self.seen.append((f"{self.view}: {what}", ratio, text, background))

    def check_all(self) -> None:
        for widget in self.root.findChildren(QWidget):
            if not widget.isVisibleTo(self.root) or not widget.isEnabled():
                continue  # WCAG asks nothing of what cannot be seen or used
            for box, what in texts_of(widget):
                self.check(widget, box, what)


def shown_part(widget: QWidget, root: QWidget) -> QRect:
    """The part of widget that its parents up to root leave in sight, in root's coordinates
    (a grab of root draws a scroll area's whole content when root is that content)."""
    part = QRect(widget.mapTo(root, QPoint(0, 0)), widget.size())
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        part = part.intersected(QRect(parent.mapTo(root, QPoint(0, 0)), parent.size()))
        parent = parent.parentWidget()
    return part


def texts_of(widget: QWidget) -> list[tuple[QRect, str]]:
    """Where the widget draws text, and what it says."""
    if isinstance(widget, QLabel):
        if not widget.text().strip() or not widget.pixmap().isNull():
            return []
        return [(widget.contentsRect(), f"label {widget.text()[:40]!r}")]
    if isinstance(widget, (QCheckBox, QRadioButton)):
        option = QStyleOptionButton()
        option.initFrom(widget)
        option.text = widget.text()
        element = (
            QStyle.SubElement.SE_CheckBoxContents
            if isinstance(widget, QCheckBox)
            else QStyle.SubElement.SE_RadioButtonContents
        )
        box = widget.style().subElementRect(element, option, widget)
        return [(box, f"{type(widget).__name__} {widget.text()[:40]!r}")] if widget.text() else []
    if isinstance(widget, QAbstractButton):
        icon_only = (
            isinstance(widget, QToolButton)
            and widget.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly
            and not widget.icon().isNull()
        )
        if not widget.text().strip() or icon_only:
            return []  # a picture, not words
        state = " (on)" if widget.isChecked() else ""
        return [(widget.rect().adjusted(4, 4, -4, -4), f"button {widget.text()!r}{state}")]
    if isinstance(widget, QTabBar):
        return [
            (widget.tabRect(i).adjusted(4, 3, -4, -3), f"tab {widget.tabText(i)!r}")
            for i in range(widget.count())
        ]
    if isinstance(widget, QLineEdit) and widget.text():
        return [(widget.rect().adjusted(3, 3, -3, -3), f"field {widget.text()[:30]!r}")]
    if isinstance(widget, QComboBox) and widget.currentText():
        return [(widget.rect().adjusted(4, 4, -24, -4), f"choice {widget.currentText()!r}")]
    if isinstance(widget, Scale):
        return [
            (widget.cell_rect(v).toRect().adjusted(2, 2, -2, -2), f"scale cell {v}")
            for v in range(11)
        ]
    return []


def check_table(sheet: Sheet, table: QTableView, rows: int = 12) -> None:
    model = table.model()
    for row in range(min(rows, model.rowCount())):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            if str(model.data(index) or "").strip():
                box = table.visualRect(index).adjusted(2, 1, -2, -1)
                what = f"history cell {model.headerData(column, Qt.Orientation.Horizontal)!r}"
                sheet.check(table.viewport(), box, f"{what} {model.data(index)!r}")


def check_plots(sheet: Sheet, view: QWidget) -> None:
    """Each chart's axes, drawn on the chart's viewport (the keys beside the charts are
    buttons, measured with every other widget)."""
    import pyqtgraph as pg

    before, plots = len(sheet.seen), 0
    for plot in view.findChildren(pg.PlotWidget):
        if not plot.isVisibleTo(sheet.root):
            continue
        plots += 1
        item, port = plot.getPlotItem(), plot.viewport()
        name = plot.accessibleName()

        def on_port(thing, plot=plot) -> QRect:
            box = plot.mapFromScene(thing.mapRectToScene(thing.boundingRect())).boundingRect()
            return box.adjusted(1, 1, -1, -1)

        for side in ("left", "bottom"):
            axis = item.getAxis(side)
            sheet.check(port, on_port(axis), f"chart {name!r}, {side} axis")
            if axis.label.isVisible():  # its unit, "km" or "mi"
                sheet.check(port, on_port(axis.label), f"chart {name!r}, {side} axis label")
        for _sample, label in item.legend.items if item.legend is not None else ():
            sheet.check(port, on_port(label), f"chart {name!r}, key {label.text!r}")
    assert plots >= 4 and len(sheet.seen) - before >= 2 * plots, "the charts were not measured"


def failures(seen) -> list[str]:
    return [
        f"{what}: {ratio:.2f}:1, {text} on {background}"
        for what, ratio, text, background in seen
        if ratio < AA
    ]


# -- the views ---------------------------------------------------------------------------


@pytest.fixture
def window(open_window, journal_path):
    store = Store.open(journal_path)
    store.add_journal(demo_journal(end=NOW.date() - dt.timedelta(days=1), years=0.5))
    store.save_entry(make_run(started=NOW - dt.timedelta(days=3), pain_pending=True))
    store.save_entry(
        make_run(
            started=NOW - dt.timedelta(days=2, hours=1), warnings=frozenset({WarningSign.SWELLING})
        )
    )
    w = open_window(store, clock=lambda: NOW, size=(1500, 950), panel=True)
    yield w
    choose_theme(w, "system")  # the next test starts on the desktop's own palette


def choose_theme(window: MainWindow, choice: str) -> None:
    """View > Theme > choice, as the runner picks it."""
    action = window.findChild(QAction, f"theme_{choice}")
    assert action is not None, "View > Theme has no " + choice
    action.trigger()
    QApplication.processEvents()


def menu_action(window: MainWindow, words: str) -> QAction:
    """The menu item that says these words (its mnemonic and dots aside)."""
    found = [
        a for a in window.findChildren(QAction) if a.text().replace("&", "").rstrip(".") == words
    ]
    assert len(found) == 1, f"{len(found)} menu items say {words!r}"
    return found[0]


def open_dialog(qtbot, parent: QWidget, opening) -> QDialog:
    """The dialog that `opening` opens over parent, drawn."""
    before = set(parent.findChildren(QDialog))
    opening()

    def opened() -> list[QDialog]:
        return [d for d in parent.findChildren(QDialog) if d not in before and d.isVisible()]

    qtbot.waitUntil(lambda: bool(opened()))
    dialog = opened()[0]
    qtbot.waitExposed(dialog)
    qtbot.wait(20)
    return dialog


def click(qtbot, widget: QWidget, pos: QPoint | None = None) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos or widget.rect().center())


def fill_the_form(qtbot, window: MainWindow) -> None:
    """Chips on and off, pain at every level, as a runner would leave the form."""
    window.tabs.setCurrentIndex(0)
    form = window.form
    for scale, value in zip(form.findChildren(Scale), (2, 4, 6, 8, 3, 9), strict=False):
        if scale.isVisibleTo(form):
            click(qtbot, scale, scale.cell_rect(value).center().toPoint())
    warning = [b for b in form.findChildren(QPushButton) if b.property("chip") == "warning"]
    normal = [
        b
        for b in form.findChildren(QPushButton)
        if b.property("chip") == "normal" and not b.isChecked() and b.isVisibleTo(form)
    ]
    for chip in (*warning[:1], *normal[-2:]):
        click(qtbot, chip)


@pytest.mark.parametrize("scheme", ["system", "light", "dark"])
def test_every_text_reads_at_aa_contrast(qtbot, window, scheme):
    choose_theme(window, scheme)
    seen = []

    fill_the_form(qtbot, window)
    sheet = Sheet(window, "Log")
    sheet.check_all()
    seen += sheet.seen

    window.tabs.setCurrentIndex(1)
    qtbot.wait(1)
    sheet = Sheet(window, "History")
    sheet.check_all()
    check_table(sheet, window.history.findChild(QTableView))
    seen += sheet.seen

    window.tabs.setCurrentIndex(2)
    qtbot.waitUntil(lambda: window.charts is not None and window.charts.isVisible())
    qtbot.wait(50)
    sheet = Sheet(window, "Charts")
    sheet.check_all()
    check_plots(sheet, window.charts)
    seen += sheet.seen

    panel = window.triage
    flag = next(
        c for c in panel.findChildren(QCheckBox, "flag:cannot_walk") if c.isVisibleTo(panel)
    )
    words = flag.parentWidget().words
    panel.scroll.ensureWidgetVisible(words)
    click(qtbot, words)
    qtbot.waitUntil(
        lambda: any(c.isVisibleTo(panel) for c in panel.findChildren(QWidget, "redFlagCard"))
    )
    qtbot.wait(1)
    sheet = Sheet(panel.scroll.widget(), "Triage panel")
    sheet.check_all()
    seen += sheet.seen

    for menu_item, name in (
        ("Journal settings", "Journal settings"),
        ("Shoes", "Shoes"),
        ("Print summary", "Summary"),
    ):
        dialog = open_dialog(
            qtbot, window, lambda item=menu_item: menu_action(window, item).trigger()
        )
        sheet = Sheet(dialog, name)
        sheet.check_all()
        seen += sheet.seen
        if name == "Summary":
            button = next(
                b
                for b in dialog.findChildren(QPushButton)
                if "preview" in b.text().replace("&", "")
            )
            preview = open_dialog(qtbot, dialog, lambda b=button: click(qtbot, b))
            sheet = Sheet(preview, "Print preview")
            sheet.check_all()
            seen += sheet.seen
            preview.reject()
        dialog.reject()

    assert len(seen) > 150, "too few texts measured: is the test still looking at the views?"
    assert not failures(seen), "\n".join([f"Hard to read in the {scheme} theme:", *failures(seen)])
