"""The Charts view: pain against load on one shared time axis, the knee heat map, shoes.

Takes a ChartData (kneelog.dashboard) and draws it; computes no metrics. Imported only
when the Charts tab is first opened, so pyqtgraph never delays start-up.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace

import numpy as np
import pyqtgraph as pg
from pyqtgraph.graphicsItems.ScatterPlotItem import drawSymbol
from PySide6.QtCore import QDate, QEvent, QPoint, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QDateEdit,
    QGraphicsItem,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from ..dashboard import EVERY_PART, PAIN_PARTS, ChartData
from ..dashboard import PAIN_SERIES as PAIN_COLUMNS
from ..metrics import SHOE_WARN_KM, SPIKE_BANDS
from ..metrics import about as about_text
from ..model import Period, Units
from ..rules import PAIN_ZONES
from ..units import distance_value, format_distance, format_duration
from .body_map import BodyMap
from .theme import Colours, colours_for, repaints_for
from .widgets import LEVEL_COLOURS

DAY = 86400.0
PRESETS = (("4 weeks", 28), ("3 months", 91), ("1 year", 365), ("All", None))
HOVER_PX = 9
# Axes, zones and legends keep a pixmap of themselves: a save redraws the data, not the text.
CACHED = QGraphicsItem.CacheMode.DeviceCoordinateCache
# Colours by their names in resources/colours.toml, light or dark as the window is.
BAND_COLOURS = {
    None: "band_none",
    "up to 10%": "band_small",
    "10-30%": "band_medium",
    "over 30%": "band_large",
    "30-100%": "band_spike",
    "over 100%": "band_huge",
}
SHOE_COLOURS = {"fine": "band_small", "wearing": "band_medium", "replace": "band_large"}
PAIN_SERIES = (  # field, label, colour, symbol, size: no symbol may hide another
    ("start", "Start", "pain_start", "o", 7),
    ("middle", "Middle", "pain_middle", "s", 7),
    ("end", "End", "pain_end", "t", 8),
    ("next_morning", "Next morning", "pain_morning", "d", 10),
)
TREND_PEN = ("pain_trend", 2)
ZONE_ALPHA = 28  # the pain zones behind the marks: a tint of each level's colour
# Next-morning pain is drawn on the morning after the run, at this hour: it is a reading of
# that morning, and it never sits on the run's own marks.
MORNING_HOUR = 8
RATIO_PEN = "ratio_weighted"
ROLLING_PEN = "ratio_rolling"
USUAL_PEN = "ratio_usual"  # the ratio's 1.0, "as usual": a reference, not a warning
KEY_ICON = 16


def stamp(day: dt.date | dt.datetime) -> float:
    """Seconds since the epoch for the axis; a bare day sits at its noon."""
    if not isinstance(day, dt.datetime):
        day = dt.datetime.combine(day, dt.time(12))
    return day.timestamp()


MIN_PLOT_HEIGHT = 130  # px: enough for the ticks and a trend to be read


class _InView(pg.GraphicsObject):
    """Items along the time axis (x in order) painted straight from their arrays, only those
    in view. pyqtgraph's own scatter and bar items spend a millisecond or so on every change
    however few the points, and a save changes a point or two."""

    def __init__(self) -> None:
        super().__init__()
        self._x = self._y = np.zeros(0)

    def getData(self) -> tuple[np.ndarray, np.ndarray]:
        return self._x, self._y

    def dataBounds(self, axis: int, frac: float = 1.0, orthoRange=None):
        values = self._x if axis == 0 else self._y
        return (float(values.min()), float(values.max())) if len(values) else (None, None)

    def boundingRect(self) -> QRectF:
        # The view: the items run along the whole time axis anyway (pyqtgraph's infinite
        # lines and regions do the same, and say so when the view changes).
        return QRectF(self.viewRect() or QRectF())

    def viewTransformChanged(self) -> None:
        super().viewTransformChanged()
        self.prepareGeometryChange()

    def _in_view(self, margin: float = 0.0) -> slice:
        """The items whose x is in view, give or take `margin` and one either side."""
        view = self.viewRect()
        if view is None:
            return slice(0, 0)
        i, j = np.searchsorted(self._x, [view.left() - margin, view.right() + margin])
        return slice(max(i - 1, 0), j + 1)


class _Bars(_InView):
    """Bars `width` wide centred on x, from 0 to y, each with its own brush."""

    def __init__(self, width: float) -> None:
        super().__init__()
        self.width = width
        self.brushes: list = []

    def setData(self, x, heights, brushes: list) -> None:
        self._x, self._y = np.asarray(x, dtype=float), np.asarray(heights, dtype=float)
        self.brushes = list(brushes)
        self.update()

    def paint(self, painter: QPainter, *args) -> None:
        shown = self._in_view(self.width)
        for x, height, brush in zip(
            self._x[shown].tolist(), self._y[shown].tolist(), self.brushes[shown], strict=True
        ):
            painter.fillRect(QRectF(x - self.width / 2, 0, self.width, height), brush)


class _Marks(_InView):
    """Symbols at points, each a copy of a small picture drawn once per look.

    `opts` names the symbol, as on pyqtgraph's own items; the chart's key (ChartKey) draws
    the same symbol beside the series' name.
    """

    def __init__(self, symbol: str, size: float, brushes: list, pen) -> None:
        super().__init__()
        self.opts = {"pen": None, "symbol": symbol, "size": size, "brush": brushes[0]}
        self._look = np.zeros(0, dtype=int)
        self.set_colours(brushes, pen)

    def set_colours(self, brushes: list, pen) -> None:
        symbol, size = self.opts["symbol"], self.opts["size"]
        self.opts["brush"] = brushes[0]
        self._looks = [(symbol, size, pg.mkPen(pen), pg.mkBrush(brush)) for brush in brushes]
        self._pictures: dict[float, tuple[list[QPixmap], float]] = {}  # by device pixel ratio
        self.update()

    def setData(self, x, y, look=None) -> None:
        """Points at x, y; `look` is each point's index in the brushes (all the first: None)."""
        self._x, self._y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        self._look = (
            np.zeros(len(self._x), dtype=int) if look is None else np.asarray(look, dtype=int)
        )
        self.update()

    def paint(self, painter: QPainter, *args) -> None:
        shown = self._in_view()
        if not len(self._x[shown]):
            return
        pictures, half = self._pictures_at(painter.device().devicePixelRatioF())
        t = painter.transform()
        x, y = self._x[shown], self._y[shown]
        xs = (t.m11() * x + t.m21() * y + t.dx() - half).tolist()
        ys = (t.m12() * x + t.m22() * y + t.dy() - half).tolist()
        painter.save()
        painter.resetTransform()
        for px, py, look in zip(xs, ys, self._look[shown].tolist(), strict=True):
            painter.drawPixmap(QPointF(px, py), pictures[look])
        painter.restore()

    def _pictures_at(self, ratio: float) -> tuple[list[QPixmap], float]:
        if ratio not in self._pictures:
            pictures = []
            for symbol, size, pen, brush in self._looks:
                side = size + 2 * max(pen.widthF(), 1) + 2
                image = QImage(
                    math.ceil(side * ratio),
                    math.ceil(side * ratio),
                    QImage.Format.Format_ARGB32_Premultiplied,
                )
                image.setDevicePixelRatio(ratio)
                image.fill(Qt.GlobalColor.transparent)
                p = QPainter(image)
                p.setRenderHint(QPainter.RenderHint.Antialiasing)
                p.translate(side / 2, side / 2)
                drawSymbol(p, symbol, size, pen, brush)
                p.end()
                pictures.append(QPixmap.fromImage(image))
            self._pictures[ratio] = (pictures, side / 2)
        return self._pictures[ratio]


def _label_axis(axis: pg.AxisItem, text: str) -> None:
    """Name the axis, if it is not so named: pyqtgraph draws an axis again at every setLabel,
    and a save that changes no unit should leave the axes as they are."""
    if axis.labelText != text:
        axis.setLabel(text)


def _cache(item) -> None:
    """A static item and everything in it keep a pixmap of themselves (see CACHED)."""
    item.setCacheMode(CACHED)
    for child in item.childItems():
        _cache(child)


def _icon(paint) -> QIcon:
    """A small square picture for a chart's key, drawn by `paint(painter)` about its centre."""
    pixmap = QPixmap(KEY_ICON, KEY_ICON)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.translate(KEY_ICON / 2, KEY_ICON / 2)
    paint(painter)
    painter.end()
    return QIcon(pixmap)


def symbol_icon(symbol: str, colour: str, size: float, outline: str | None = None) -> QIcon:
    """The symbol as the chart draws it (pyqtgraph's own drawing)."""
    pen = pg.mkPen(outline or colour)
    return _icon(lambda p: drawSymbol(p, symbol, size, pen, pg.mkBrush(colour)))


def line_icon(colour: str, width: float = 2, style=Qt.PenStyle.SolidLine) -> QIcon:
    def paint(p: QPainter) -> None:
        p.setPen(QPen(QColor(colour), width, style))
        p.drawLine(QPointF(-KEY_ICON / 2 + 1, 0), QPointF(KEY_ICON / 2 - 1, 0))

    return _icon(paint)


def box_icon(colour: str, hatched: bool = False) -> QIcon:
    def paint(p: QPainter) -> None:
        rect = QRectF(-5.5, -5.5, 11, 11)
        if hatched:
            p.fillRect(rect, _hatched(colour))
            p.setPen(QPen(QColor(colour), 1))
            p.drawRect(rect)
        else:
            p.fillRect(rect, QColor(colour))

    return _icon(paint)


def _hatched(colour: str):
    brush = pg.mkBrush(colour)
    brush.setStyle(Qt.BrushStyle.BDiagPattern)
    return brush


class ChartKey(QWidget):
    """A chart's key, beside its title and outside the data: a sample and a name for each
    series. A sample that stands for a series is a toggle that hides or shows it."""

    def __init__(self, entries, parent: QWidget | None = None) -> None:
        """entries: (icon, text, item or None, tip) each; item: what the toggle hides."""
        super().__init__(parent)
        self.buttons: dict[str, QToolButton] = {}
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        for icon, text, item, tip in entries:
            button = QToolButton()
            button.setIcon(icon)
            button.setText(text)
            button.setAutoRaise(True)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setProperty("role", "key")
            if item is not None:
                button.setCheckable(True)
                button.setChecked(True)
                button.toggled.connect(item.setVisible)
                tip = tip or f"Click to hide or show {text.lower()}"
                button.setAccessibleName(f"Show {text.lower()}")
            else:
                button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
                button.setAccessibleName(text)
            button.setToolTip(tip)
            row.addWidget(button)
            self.buttons[text] = button


class ChartHeader(QWidget):
    """A chart's title on one line, its key and its "About this figure" button. When the
    three do not fit on one line, the key moves under the title (the title wraps only when
    even the title and the button do not fit)."""

    def __init__(self, title: QLabel, key: ChartKey | None, button: QToolButton) -> None:
        super().__init__()
        self.title, self.key, self.button = title, key, button
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setVerticalSpacing(0)
        self._grid.setColumnStretch(0, 1)
        self._grid.addWidget(title, 0, 0)
        self._grid.addWidget(button, 0, 2)
        self.key_beside: bool | None = None
        self._place_key(True)

    def _one_line_width(self) -> int:
        spacing = self._grid.horizontalSpacing()
        width = self.title.fontMetrics().horizontalAdvance(self.title.text()) + 8
        width += self.button.sizeHint().width() + spacing
        if self.key is not None:
            width += self.key.sizeHint().width() + spacing
        return width

    def _place_key(self, beside: bool) -> None:
        if self.key is None or beside == self.key_beside:
            return
        self.key_beside = beside
        self._grid.removeWidget(self.key)
        if beside:
            self._grid.addWidget(self.key, 0, 1)
        else:
            self._grid.addWidget(self.key, 1, 0, 1, 3, Qt.AlignmentFlag.AlignLeft)

    def resizeEvent(self, event) -> None:
        self._place_key(self.width() >= self._one_line_width())
        super().resizeEvent(event)


class _EndLabelsAxis(pg.AxisItem):
    """A y axis with a grid that still labels ticks at the very ends of its range.

    pyqtgraph drops a tick label reaching past the plot's edge when the axis draws the grid
    (its bounds are then the plot's own), which on a short pain chart drops 0 and 10.
    """

    def boundingRect(self) -> QRectF:
        return super().boundingRect().adjusted(0, -8, 0, 8)  # half a label's height and more


def _plot(title: str, time_axis: bool = True, end_labels: bool = False) -> pg.PlotWidget:
    axes: dict[str, pg.AxisItem] = {"bottom": pg.DateAxisItem()} if time_axis else {}
    if end_labels:
        axes["left"] = _EndLabelsAxis("left")
    plot = pg.PlotWidget(axisItems=axes)
    item = plot.getPlotItem()
    item.setMenuEnabled(False)  # the menu's SVG export crashes under Qt 6
    plot.scene().contextMenu = []
    item.hideButtons()
    item.setMouseEnabled(x=time_axis, y=False)
    if time_axis:
        item.getAxis("left").setWidth(44)  # equal widths keep linked time axes aligned
    for side in ("left", "bottom"):
        item.getAxis(side).setCacheMode(CACHED)
        item.getAxis(side).enableAutoSIPrefix(False)  # else its label is set again at each range
    # A y grid of light, opaque lines behind the data: pyqtgraph's own grid lies over it in
    # translucent lines, which take milliseconds to draw each time the range changes.
    grid = item.getAxis("left")
    grid.setGrid(255)
    grid.setStyle(tickAlpha=255, maxTickLevel=1)
    grid.setZValue(-101)  # the plot area (a ViewBox) is at -100
    plot.setToolTip("")
    plot.setAccessibleName(title)
    return plot


class ChartsView(QWidget):
    """Signals: run_selected(int) when a run is clicked on a chart; range_changed(Period)
    when the shown stretch of time changes (the heat map follows it).
    """

    run_selected = Signal(int)
    range_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.data = ChartData(units=Units.KM, measure="distance")
        self._hover_targets: dict[pg.PlotWidget, tuple] = {}
        self._brushes: dict = {}  # by band and shoe status, in the colours of the scheme
        self._partial_brushes: dict = {}  # the week in progress: hatched
        self._dark: bool | None = None  # the scheme the charts are drawn in
        self._selected_lines: list[pg.InfiniteLine] = []
        self._range_timer = QTimer(self, singleShot=True, interval=150)
        self._range_timer.timeout.connect(self._emit_range)
        self._range_set = False
        self._weekly_top = 0.0
        self._shoe_ticks: list[list[tuple[int, str]]] = []
        self._morning_of: dict[float, float] = {}  # run start -> the morning after (epoch s)
        self.hover_text = ""
        self._build()
        self._apply_colours()

    # -- construction --------------------------------------------------------------------

    def _build(self) -> None:
        self.presets = QButtonGroup(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Show"))
        for i, (text, _days) in enumerate(PRESETS):
            button = QPushButton(text)
            button.setCheckable(True)
            button.setProperty("chip", "normal")
            self.presets.addButton(button, i)
            bar.addWidget(button)
        self.presets.idClicked.connect(self._on_preset_clicked)
        self.presets.button(1).setChecked(True)
        bar.addSpacing(12)
        self.from_date = QDateEdit(calendarPopup=True, displayFormat="d MMM yyyy")
        self.to_date = QDateEdit(calendarPopup=True, displayFormat="d MMM yyyy")
        self.from_date.setAccessibleName("Show from")
        self.to_date.setAccessibleName("Show up to")
        custom = QPushButton("Show these dates")
        custom.clicked.connect(self._on_custom_clicked)
        bar.addWidget(QLabel("or from"))
        bar.addWidget(self.from_date)
        bar.addWidget(QLabel("to"))
        bar.addWidget(self.to_date)
        bar.addWidget(custom)
        bar.addStretch()

        self.pain_plot = _plot("Pain during and after runs", end_labels=True)
        self.volume_plot = _plot("Weekly distance")
        self.ratio_plot = _plot("Load ratio")
        self.shoe_plot = _plot("Shoe mileage", time_axis=False)
        for plot in (self.volume_plot, self.ratio_plot):
            plot.setXLink(self.pain_plot)
        self.time_plots = (self.pain_plot, self.volume_plot, self.ratio_plot)
        for plot in self.time_plots:
            plot.setMinimumHeight(MIN_PLOT_HEIGHT)  # on a low screen the view scrolls instead
        self.pain_plot.setYRange(-0.3, 10.3, padding=0)
        self.ratio_plot.setYRange(0, 2.5, padding=0)
        self.pain_plot.getPlotItem().sigXRangeChanged.connect(self._on_pain_plot_x_range_changed)
        self._build_items()

        charts = QVBoxLayout()
        charts.setSpacing(2)
        self.titles: dict[str, QLabel] = {}
        self.keys: dict[str, ChartKey] = {}
        for plot, title, about, stretch in (
            (self.pain_plot, "Pain during and after runs (0-10)", "pain", 3),
            (self.volume_plot, "Weekly distance against the week before", "weekly", 3),
            (self.ratio_plot, "Load ratio: last 7 days against last 28", "ratio", 2),
        ):
            charts.addWidget(self._header(title, about, self._key(about)))
            charts.addWidget(plot, stretch)

        self.heat = BodyMap()
        self.heat.set_heat({})
        side = QVBoxLayout()
        side.addWidget(self._section("Where it hurt in this period"))
        side.addWidget(self.heat, 3)
        side.addWidget(self._header("Shoe mileage", "shoes"))
        side.addWidget(self.shoe_plot, 2)

        body = QHBoxLayout()
        body.addLayout(charts, 3)
        body.addLayout(side, 1)
        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        self.headline = QLabel()
        self.headline.setProperty("role", "headline")
        self.headline.setWordWrap(True)
        headline_row = QHBoxLayout()
        headline_row.addWidget(self.headline, 1)
        headline_row.addWidget(self._header("", "spike"), 0, Qt.AlignmentFlag.AlignTop)
        content_layout.addLayout(bar)
        content_layout.addLayout(headline_row)
        content_layout.addLayout(body, 1)

        self.empty = QLabel(
            "Your charts appear here once you have logged two runs.\n"
            "Press Ctrl+N after your next run; kneelog draws pain against load from then on."
        )
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setProperty("role", "empty")
        self.stack = QStackedWidget()
        self.stack.addWidget(content)
        self.stack.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack)

        for plot in (*self.time_plots, self.shoe_plot):
            plot.scene().sigMouseMoved.connect(lambda pos, p=plot: self._on_plot_hovered(p, pos))
        for plot in self.time_plots:
            plot.scene().sigMouseClicked.connect(
                lambda event, p=plot: self._on_plot_clicked(p, event)
            )

    def _section(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setProperty("role", "section")
        label.setWordWrap(True)  # a long key must not set the window's minimum width
        return label

    def _header(self, title: str, about: str, key: ChartKey | None = None) -> ChartHeader:
        label = self._section(title)
        self.titles[about] = label
        if key is not None:
            self.keys[about] = key
        button = QToolButton()
        button.setText("About this figure")
        button.setObjectName(f"about_{about}")
        button.setAccessibleName(f"About this figure: {title}" if title else "About this figure")
        button.clicked.connect(lambda: self.show_about(about))
        return ChartHeader(label, key, button)

    def _key(self, chart: str) -> ChartKey:
        icons = self._key_icons(chart, colours_for(self))
        if chart == "pain":
            return ChartKey(
                [
                    (icon, text, self.pain_items[name], "")
                    for icon, (name, text, *_) in zip(icons, PAIN_SERIES, strict=False)
                ]
                + [(icons[-1], "7-day average", self.pain_trend, "")]
            )
        if chart == "weekly":
            bands = [
                (icon, b, None, f"A week {b} longer or shorter than the one before")
                for icon, b in zip(icons, ("up to 10%", "10-30%", "over 30%"), strict=False)
            ]
            partial = (
                icons[3],
                "week so far",
                None,
                "The week in progress: its bar grows as you log runs",
            )
            spike = (
                icons[4],
                "long-run spike",
                None,
                "A run more than 10% longer than your longest of the 30 days before it",
            )
            return ChartKey([*bands, partial, spike])
        if chart == "ratio":
            return ChartKey(
                [
                    (icons[0], "Weighted (EWMA)", self.ratio_ewma, ""),
                    (icons[1], "Rolling average", self.ratio_coupled, ""),
                    (
                        icons[2],
                        "1.0 = as usual",
                        None,
                        "A reference, not a limit: in runners this ratio did not predict injury",
                    ),
                ]
            )
        raise ValueError(chart)

    @staticmethod
    def _key_icons(chart: str, c: Colours) -> list[QIcon]:
        """The samples of a chart's key, in the order of its entries, in these colours."""
        if chart == "pain":
            return [
                symbol_icon(symbol, c[colour].name(), size)
                for _name, _text, colour, symbol, size in PAIN_SERIES
            ] + [line_icon(c[TREND_PEN[0]].name(), TREND_PEN[1])]
        if chart == "weekly":
            return [
                *(box_icon(c[BAND_COLOURS[b]].name()) for b in ("up to 10%", "10-30%", "over 30%")),
                box_icon(c[BAND_COLOURS["up to 10%"]].name(), hatched=True),
                symbol_icon("t1", c[BAND_COLOURS["30-100%"]].name(), 10, c["outline"].name()),
            ]
        if chart == "ratio":
            return [
                line_icon(c[RATIO_PEN].name()),
                line_icon(c[ROLLING_PEN].name(), 1, Qt.PenStyle.DashLine),
                line_icon(c[USUAL_PEN].name(), 1, Qt.PenStyle.DotLine),
            ]
        raise ValueError(chart)

    def _build_items(self) -> None:
        pain = self.pain_plot.getPlotItem()
        self.zones = []
        for level, low, high in PAIN_ZONES:
            zone = pg.LinearRegionItem(
                (low, high), orientation="horizontal", movable=False, pen=pg.mkPen(None)
            )
            zone.setZValue(-10)
            pain.addItem(zone)
            _cache(zone)
            self.zones.append((level, zone))
        self.pain_items = {}
        for name, _text, _colour, symbol, size in PAIN_SERIES:
            self.pain_items[name] = _Marks(symbol, size, ["w"], "w")
            pain.addItem(self.pain_items[name])
        self.pain_trend = pain.plot([], [], name="7-day average", connect="finite")
        self.pain_trend.setClipToView(True)  # years of points: draw only the stretch shown
        # 0 and 10, the ends of the scale, are labelled as well as the steps between.
        # The ends of the scale, 0 and 10, are the major ticks: labelled even on a short plot.
        axis = pain.getAxis("left")
        axis.setTicks([[(0, "0"), (10, "10")], [(v, str(v)) for v in range(2, 10, 2)]])

        self.bars = _Bars(6 * DAY)
        self.volume_plot.getPlotItem().addItem(self.bars)
        self.spike_marks = _Marks("t1", 11, ["w"], "w")
        self.volume_plot.getPlotItem().addItem(self.spike_marks)

        self.partial_label = pg.TextItem("so far", anchor=(0.5, 1.0))
        self.partial_label.hide()
        self.volume_plot.getPlotItem().addItem(self.partial_label)

        ratio = self.ratio_plot.getPlotItem()
        # Only a reference line at 1.0 (the last week as usual): a zone or a limit would read
        # as a warning, and in runners the ratio did not predict injury (metrics.md, ACWR).
        self.usual_line = pg.InfiniteLine(1.0, angle=0)
        ratio.addItem(self.usual_line)
        _cache(self.usual_line)
        self.ratio_ewma = ratio.plot([], [], name="Weighted (EWMA)", connect="finite")
        self.ratio_coupled = ratio.plot([], [], name="Rolling average", connect="finite")
        for item in (self.ratio_ewma, self.ratio_coupled):
            item.setClipToView(True)

        # One shared pen: pyqtgraph 0.14 fails on an empty per-bar pen list.
        self.shoe_bars = pg.BarGraphItem(
            x0=[], y=[], height=0.55, width=[], brushes=[], pen=pg.mkPen(None)
        )
        self.shoe_limits = pg.ScatterPlotItem(symbol="|", size=22)
        self.shoe_plot.getPlotItem().addItem(self.shoe_bars)
        self.shoe_plot.getPlotItem().addItem(self.shoe_limits)

    # -- colours -------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if repaints_for(event) and colours_for(self).dark != self._dark:
            self._apply_colours()

    def _apply_colours(self) -> None:
        """Draw every chart and key in the colours of the scheme the window is in now."""
        c = colours_for(self)
        self._dark = c.dark
        for plot in (*self.time_plots, self.shoe_plot):
            plot.setBackground(c["chart"])
            item = plot.getPlotItem()
            for side in ("left", "bottom"):
                item.getAxis(side).setPen(c["chart_axis"])
                # After the pen, which colours the axis's label ("km") too: text is text.
                item.getAxis(side).setTextPen(c["chart_text"])
            item.getAxis("left").setTickPen(pg.mkPen(c["chart_grid"]))
        for level, zone in self.zones:
            tint = c[LEVEL_COLOURS[level]]
            tint.setAlpha(ZONE_ALPHA)
            zone.setBrush(pg.mkBrush(tint))
            zone.update()
        for name, _text, colour, _symbol, _size in PAIN_SERIES:
            # Outlines in the chart's background keep a symbol readable over a neighbour.
            self.pain_items[name].set_colours([c[colour]], c["chart"])
        self.pain_trend.setPen(pg.mkPen(c[TREND_PEN[0]], width=TREND_PEN[1]))
        self.spike_marks.set_colours(
            [c[BAND_COLOURS[band]] for _, band in SPIKE_BANDS[1:]], c["outline"]
        )
        self.partial_label.setColor(c["chart_text"])
        self.usual_line.setPen(pg.mkPen(c[USUAL_PEN], style=Qt.PenStyle.DotLine))
        self.ratio_ewma.setPen(pg.mkPen(c[RATIO_PEN], width=2))
        self.ratio_coupled.setPen(pg.mkPen(c[ROLLING_PEN], width=1, style=Qt.PenStyle.DashLine))
        self.shoe_limits.setPen(pg.mkPen(c["outline"], width=2))
        self._brushes = {
            key: pg.mkBrush(c[name]) for key, name in {**BAND_COLOURS, **SHOE_COLOURS}.items()
        }
        self._partial_brushes = {key: _hatched(c[name]) for key, name in BAND_COLOURS.items()}
        for chart, key in self.keys.items():
            for button, icon in zip(key.buttons.values(), self._key_icons(chart, c), strict=True):
                button.setIcon(icon)
        for line in self._selected_lines:
            line.setPen(pg.mkPen(c["selected_run"], width=1, style=Qt.PenStyle.DotLine))
        if not self.data.empty:  # bars and shoes take their brushes when drawn: draw them again
            self.set_data(replace(self.data, changed=EVERY_PART))

    # -- data in -------------------------------------------------------------------------

    def set_data(self, data: ChartData) -> None:
        """Redraw the charts from fresh data, keeping the stretch of time shown.

        Only the parts the data names as changed (data.changed) go to pyqtgraph: after a save
        that is a pain series or two, the trend, a bar and the ratio; nothing for a check-in.
        """
        self.data = data
        self.stack.setCurrentIndex(1 if data.empty else 0)
        if data.empty:
            return
        self.headline.setText(self._headline(data))
        if "pain:trend" in data.changed:
            self._set_pain(data)
        if "bars" in data.changed:
            self._set_volume(data)
        if "ratio" in data.changed:
            self._set_ratio(data)
        if "shoes" in data.changed:
            self._set_shoes(data)
        first, last = QDate(data.first), QDate(data.last)
        if (self.from_date.minimumDate(), self.from_date.maximumDate()) != (first, last):
            # only then: a new range lays the row out again, and every plot under it repaints
            self.from_date.setDateRange(first, last)
            self.to_date.setDateRange(first, last)
        if not self._range_set:
            self._range_set = True
            self._on_preset_clicked(max(self.presets.checkedId(), 0))

    # Hover targets are (x, y, tip(i) -> text, entry id of i or None); tips are written only
    # when pointed at, so a 10-year journal does not format thousands of unused strings.

    def _set_pain(self, data: ChartData) -> None:
        x = data.pain_x
        xs = {"next_morning": self._mornings_after(x)}
        for name, *_ in PAIN_SERIES:
            if PAIN_PARTS[name] not in data.changed:
                continue
            y = data.pain_y[:, PAIN_COLUMNS.index(name)]
            keep = ~np.isnan(y)
            at = xs.get(name, x)
            self.pain_items[name].setData(at[keep], y[keep])
        self.pain_trend.setData(x, data.pain_trend_7)
        n = len(PAIN_COLUMNS)
        self._hover_targets[self.pain_plot] = (
            np.column_stack([xs.get(name, x) for name in PAIN_COLUMNS]).ravel(),
            data.pain_y.ravel(),
            lambda i: self._run_tip(data.pain[i // n].entry_id),
            lambda i: data.pain[i // n].entry_id,
        )

    def _mornings_after(self, x: np.ndarray) -> np.ndarray:
        """The morning after each run start, MORNING_HOUR local time (remembered: a save
        adds a run or two, and a 10-year journal has thousands)."""
        known = self._morning_of
        for start in x.tolist():
            if start not in known:
                day = dt.datetime.fromtimestamp(start).date() + dt.timedelta(days=1)
                known[start] = dt.datetime.combine(day, dt.time(MORNING_HOUR)).timestamp()
        return np.array([known[start] for start in x.tolist()], dtype=float)

    def _set_volume(self, data: ChartData) -> None:
        # Consecutive weeks and days sit at even steps (a DST hour is invisible at this scale).
        week_x = stamp(data.weeks[0].start) + (np.arange(len(data.weeks)) * 7 + 3) * DAY
        heights = data.week_distance
        partial = self._partial_week(data)
        brushes = [self._brushes[w.band] for w in data.weeks]
        if partial:  # hatched: the week is not over, its bar will still grow
            brushes[-1] = self._partial_brushes[data.weeks[-1].band]
            self.partial_label.setPos(week_x[-1], heights[-1])
        self.partial_label.setVisible(bool(partial))
        self.bars.setData(week_x, heights, brushes)
        self._fit_weekly_height()
        if "spikes" in data.changed:
            self._spikes = [s for s in data.spikes if s.band != SPIKE_BANDS[0][1]]  # by band
            self._spike_x = np.array([stamp(s.day) for s in self._spikes])
            self._spike_week = np.array(
                [(s.day - data.weeks[0].start).days // 7 for s in self._spikes], dtype=int
            )
        shown = self._spikes
        spike_y = heights[self._spike_week]
        if "spikes" in data.changed:
            bands = [band for _, band in SPIKE_BANDS[1:]]
            self.spike_marks.setData(self._spike_x, spike_y, [bands.index(s.band) for s in shown])
        k = len(shown)
        self._hover_targets[self.volume_plot] = (
            np.concatenate([self._spike_x, week_x]),
            np.concatenate([spike_y, heights / 2]),
            lambda i: self._spike_tip(shown[i]) if i < k else self._week_tip(i - k),
            lambda i: shown[i].entry_id if i < k else None,
        )
        _label_axis(self.volume_plot.getAxis("left"), data.units.value)

    @staticmethod
    def _partial_week(data: ChartData) -> int:
        """How many days of the last week are over, when it is still going on (else 0)."""
        if not data.weeks or data.last is None:
            return 0
        days = (data.last - data.weeks[-1].start).days + 1
        return days if days < 7 else 0

    def _fit_weekly_height(self) -> None:
        """Fit the weekly chart's height to the bars in sight (pyqtgraph's own fitting goes
        through every item at each change)."""
        x, heights = self.bars.getData()
        left, right = self.pain_plot.getPlotItem().viewRange()[0]
        i, j = np.searchsorted(x, [left - 3 * DAY, right + 3 * DAY])
        top = max(heights[i:j].max(initial=0.0), 1.0) * 1.1  # room for the spike marks on top
        if top != self._weekly_top:
            self._weekly_top = top
            self.volume_plot.setYRange(-0.04 * top, top, padding=0)

    def _set_ratio(self, data: ChartData) -> None:
        ratio_x = stamp(data.first) + np.arange(len(data.ratio_ewma)) * DAY
        self.ratio_ewma.setData(ratio_x, data.ratio_ewma)
        self.ratio_coupled.setData(ratio_x, data.ratio_coupled)
        measure = "distance" if data.measure == "distance" else "effort x minutes"

        def tip(i: int) -> str:
            value = data.ratio_ewma[i]
            day = data.first + dt.timedelta(days=i)
            return (
                ""
                if np.isnan(value)
                else f"{day:%a %d %b %Y}\nLoad ratio {value:.2f} (on {measure})"
            )

        self._hover_targets[self.ratio_plot] = (ratio_x, data.ratio_ewma, tip, lambda i: None)

    def _set_shoes(self, data: ChartData) -> None:
        shoes = [s for s in data.shoes if not s.shoe.retired or s.km > 0]
        km = np.array([distance_value(s.km, data.units) for s in shoes])
        notes = {
            "fine": "",
            "wearing": f" (past {distance_value(SHOE_WARN_KM, data.units):.0f} "
            f"{data.units.value}: keep an eye on them)",
            "replace": " (past this pair's limit)",
        }

        def tip(i: int) -> str:
            s = shoes[i]
            return (
                f"{s.shoe.name}: {format_distance(s.km, data.units)} of "
                f"{format_distance(s.shoe.limit_km, data.units)}{notes[s.status]}"
            )

        self._hover_targets[self.shoe_plot] = (
            km / 2,
            np.arange(len(shoes), dtype=float),
            tip,
            lambda i: None,
        )
        limits = [distance_value(s.shoe.limit_km, data.units) for s in shoes]
        self.shoe_bars.setOpts(
            x0=np.zeros(len(shoes)),
            y=np.arange(len(shoes)),
            height=0.55,
            width=km,
            brushes=[self._brushes[s.status] for s in shoes],
        )
        self.shoe_limits.setData(limits, list(range(len(shoes))))
        ticks = [[(i, s.shoe.name[:18]) for i, s in enumerate(shoes)]]
        if ticks != self._shoe_ticks:  # setting them, even unchanged, draws the axis again
            self._shoe_ticks = ticks
            self.shoe_plot.getAxis("left").setTicks(ticks)
        _label_axis(self.shoe_plot.getAxis("bottom"), data.units.value)
        self.shoe_plot.setYRange(-0.6, max(len(shoes), 1) - 0.4, padding=0)
        self.shoe_plot.setXRange(0, max([*limits, *km, 1]) * 1.05, padding=0)

    def set_heat(self, counts) -> None:
        self.heat.set_heat(counts)

    def select_run(self, entry_id: int | None) -> None:
        """Mark a run (chosen in the history) on every time chart."""
        for line in self._selected_lines:
            line.getViewBox() and line.getViewBox().removeItem(line)
        self._selected_lines = []
        run = self.data.runs.get(entry_id) if entry_id is not None else None
        if run is None:
            return
        for plot in self.time_plots:
            line = pg.InfiniteLine(
                run.started.timestamp(),
                angle=90,
                pen=pg.mkPen(colours_for(self)["selected_run"], width=1, style=Qt.PenStyle.DotLine),
            )
            plot.getPlotItem().addItem(line)
            self._selected_lines.append(line)

    def set_range(self, first: dt.date, last: dt.date) -> None:
        self.pain_plot.setXRange(stamp(first) - 0.5 * DAY, stamp(last) + 0.5 * DAY, padding=0.01)

    def shown_period(self) -> Period:
        left, right = self.pain_plot.getPlotItem().viewRange()[0]
        # set_range leaves half a day (and a little padding) on either side of the days shown
        return Period(
            dt.date.fromtimestamp(max(left + DAY / 2, 0)),
            dt.date.fromtimestamp(max(right - DAY / 2, 0)),
        )

    # -- text ----------------------------------------------------------------------------

    def _headline(self, data: ChartData) -> str:
        """The best-evidenced load figure first: the latest run against the month before it."""
        latest = data.runs.get(data.pain[-1].entry_id) if data.pain else None
        spike = None
        for s in reversed(data.spikes) if latest else ():  # in time order: look back to its day
            if s.day < latest.day:
                break
            if s.entry_id == latest.id:
                spike = s
                break
        if latest is None or spike is None:
            return "Your latest run had no run in the 30 days before it to compare with."
        verdict = (
            "within 10% of it, the range that went with the fewest injuries"
            if spike.band == "up to 10%"
            else f"in the {spike.band} band, which went with more injuries in a large study of runners"
        )
        return (
            f"Latest run, {latest.started:%a %d %b}: {format_distance(spike.distance_km, data.units)}, "
            f"{spike.spike:+.0%} on your longest run of the 30 days before "
            f"({format_distance(spike.longest_before_km, data.units)}): {verdict}."
        )

    def _run_tip(self, entry_id: int | None) -> str:
        run = self.data.runs.get(entry_id)
        if run is None:
            return ""
        pain = " / ".join(
            "-" if v is None else str(v) for v in (run.pain_start, run.pain_middle, run.pain_end)
        )
        morning = "-" if run.pain_next_morning is None else run.pain_next_morning
        return (
            f"{run.started:%a %d %b %Y}: {format_distance(run.distance_km, self.data.units)} "
            f"in {format_duration(run.duration_s)}\nPain start / middle / end: {pain}; "
            f"next morning: {morning}"
        )

    def _week_tip(self, i: int) -> str:
        week = self.data.weeks[i]
        change = "" if week.change is None else f" ({week.change:+.0%} on the week before)"
        partial = self._partial_week(self.data) if i == len(self.data.weeks) - 1 else 0
        so_far = f" so far ({partial} of its 7 days)" if partial else ""
        return (
            f"Week of {week.start:%d %b %Y}{so_far}: "
            f"{format_distance(week.distance_km, self.data.units)}"
            f"{change}\n{week.runs} run{'s' if week.runs != 1 else ''}, {format_duration(week.duration_s)}"
        )

    def _spike_tip(self, spike) -> str:
        return (
            f"{spike.day:%a %d %b %Y}: a {format_distance(spike.distance_km, self.data.units)} run, "
            f"{spike.spike:+.0%} on your longest of the 30 days before "
            f"({format_distance(spike.longest_before_km, self.data.units)})\n{self._run_tip(spike.entry_id)}"
        )

    def show_about(self, key: str) -> None:
        self.about_box = QMessageBox(
            QMessageBox.Icon.Information,
            "About this figure",
            about_text(key, self.data.units),
            QMessageBox.StandardButton.Close,
            self,
        )
        self.about_box.open()

    # -- reactions -----------------------------------------------------------------------

    def _nearest(self, plot: pg.PlotWidget, scene_pos: QPointF) -> int | None:
        targets = self._hover_targets.get(plot)
        if targets is None or not len(targets[0]):
            return None
        vb = plot.getPlotItem().getViewBox()
        if not vb.sceneBoundingRect().contains(scene_pos):
            return None
        view = vb.mapSceneToView(scene_pos)
        px_w, px_h = vb.viewPixelSize()
        xs, ys = targets[0], targets[1]
        with np.errstate(invalid="ignore"):
            d2 = ((xs - view.x()) / px_w) ** 2 + ((ys - view.y()) / px_h) ** 2
        d2 = np.where(np.isnan(d2), np.inf, d2)
        i = int(np.argmin(d2))
        if d2[i] <= HOVER_PX**2:
            return i
        if plot is self.volume_plot:  # anywhere on a bar names its week
            n_spikes = len(xs) - len(self.data.weeks)
            week_x = xs[n_spikes:]
            j = int(np.argmin(np.abs(week_x - view.x()))) if len(week_x) else -1
            if (
                j >= 0
                and abs(week_x[j] - view.x()) <= 3 * DAY
                and 0 <= view.y() <= self.data.week_distance[j]
            ):
                return n_spikes + j
        if plot is self.shoe_plot:
            j = int(round(view.y()))
            if 0 <= j < len(ys) and abs(view.y() - j) <= 0.3 and 0 <= view.x() <= xs[j] * 2:
                return j
        return None

    def _on_plot_hovered(self, plot: pg.PlotWidget, scene_pos: QPointF) -> None:
        i = self._nearest(plot, scene_pos)
        text = self._hover_targets[plot][2](i) if i is not None else ""
        if text:
            QToolTip.showText(
                plot.mapToGlobal(plot.mapFromScene(scene_pos)) + QPoint(12, 12), text, plot
            )
        else:
            QToolTip.hideText()
        self.hover_text = text

    def _on_plot_clicked(self, plot: pg.PlotWidget, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        i = self._nearest(plot, event.scenePos())
        if i is None:
            return
        entry_id = self._hover_targets[plot][3](i)
        if entry_id is not None:
            self.select_run(entry_id)
            self.run_selected.emit(entry_id)

    def _on_pain_plot_x_range_changed(self, *_) -> None:
        self._fit_weekly_height()
        self._range_timer.start()

    def _on_preset_clicked(self, index: int) -> None:
        if self.data.last is None:
            return
        days = PRESETS[index][1]
        first = (
            self.data.first
            if days is None
            else max(self.data.first, self.data.last - dt.timedelta(days=days - 1))
        )
        self.set_range(first, self.data.last)

    def _on_custom_clicked(self) -> None:
        first, last = self.from_date.date().toPython(), self.to_date.date().toPython()
        if first > last:
            first, last = last, first
        self.presets.setExclusive(False)
        for button in self.presets.buttons():
            button.setChecked(False)
        self.presets.setExclusive(True)
        self.set_range(first, last)

    def _emit_range(self) -> None:
        period = self.shown_period()
        self.from_date.setDate(QDate(period.first))
        self.to_date.setDate(QDate(period.last))
        self.range_changed.emit(period)
