"""The Charts view: what it plots, the shared time axis, hover and click."""

import datetime as dt
import subprocess
import sys

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QToolButton

from conftest import show_active
from factories import make_run
from kneelog.colours import colours
from kneelog.dashboard import chart_data
from kneelog.metrics import ABOUT
from kneelog.model import Intensity, Kind, PainMark, Region, Shoe, Side, Units
from kneelog.store import Store
from kneelog.ui.charts import BAND_COLOURS, ChartsView, stamp

LIGHT = colours(dark=False)  # the tests' desktop is light

TODAY = dt.date(2026, 11, 21)


def journal():
    """Four weeks of three runs, the third week 40% longer, ids set as a store would."""
    runs = []
    for week in range(4):
        for i, weekday in enumerate((0, 2, 5)):
            day = dt.date(2026, 10, 19) + dt.timedelta(days=7 * week + weekday)
            km = (6.0 if i < 2 else 10.0) * (1.4 if week == 2 else 1.0)
            runs.append(
                make_run(
                    id=len(runs) + 1,
                    started=dt.datetime.combine(day, dt.time(7)),
                    distance_km=km,
                    pain_start=1,
                    pain_middle=2,
                    pain_end=2 + week,
                    pain_next_morning=week,
                    shoe_id=1,
                )
            )
    return runs


@pytest.fixture
def charts(qtbot):
    view = ChartsView()
    qtbot.addWidget(view)
    view.resize(1300, 900)
    show_active(qtbot, view)
    view.set_data(
        chart_data(
            journal(), [Shoe(id=1, name="Blue", prior_km=100, limit_km=600)], Units.KM, TODAY
        )
    )
    view.presets.button(3).click()  # all
    qtbot.wait(50)
    return view


def point_in_widget(plot, x, y):
    scene = plot.getPlotItem().getViewBox().mapViewToScene(QPointF(x, y))
    return plot.mapFromScene(scene)


def test_pain_series_plot_every_run(charts):
    runs = journal()
    xs, ys = charts.pain_items["end"].getData()
    assert list(ys) == [r.pain_end for r in runs]
    assert list(xs) == pytest.approx([r.started.timestamp() for r in runs])
    _, mornings = charts.pain_items["next_morning"].getData()
    assert list(mornings) == [r.pain_next_morning for r in runs]


def test_weekly_bars_heights_and_band_colours(charts):
    _, heights = charts.bars.getData()
    # four weeks of running, then this week (up to today) with nothing yet
    assert list(heights) == pytest.approx([22.0, 22.0, 30.8, 22.0, 0.0])
    colours = [b.color().name() for b in charts.bars.brushes]
    assert colours == [
        LIGHT[BAND_COLOURS[None]],
        LIGHT[BAND_COLOURS["up to 10%"]],
        LIGHT[BAND_COLOURS["over 30%"]],
        LIGHT[BAND_COLOURS["up to 10%"]],
        LIGHT[BAND_COLOURS["up to 10%"]],
    ]


def test_spikes_are_marked_on_their_day(charts):
    xs, _ = charts.spike_marks.getData()
    # The first long run (10 km against 6 km: +67%) and the long run of the big week
    # (14 km against 10 km: +40%); the 8.4 km runs are shorter than the earlier 10 km.
    assert list(xs) == pytest.approx([stamp(dt.date(2026, 10, 24)), stamp(dt.date(2026, 11, 7))])


def test_miles_are_drawn_in_miles(qtbot, charts):
    charts.set_data(chart_data(journal(), [], Units.MI, TODAY))
    assert charts.bars.getData()[1][0] == pytest.approx(22.0 / 1.609344)


def test_the_time_axis_is_shared(charts):
    first = stamp(dt.date(2026, 10, 26))
    last = stamp(dt.date(2026, 11, 2))
    charts.volume_plot.setXRange(first, last, padding=0)
    for plot in charts.time_plots:
        left, right = plot.getPlotItem().viewRange()[0]
        assert (left, right) == pytest.approx((first, last), abs=1)


def test_presets_show_the_last_four_weeks(charts, qtbot):
    charts.presets.button(0).click()
    left, right = charts.pain_plot.getPlotItem().viewRange()[0]
    assert right - left == pytest.approx(28 * 86400, rel=0.05)
    with qtbot.waitSignal(charts.range_changed) as signal:
        pass
    assert signal.args[0].last == TODAY


def test_clicking_a_plotted_point_selects_that_run(qtbot, charts):
    run = journal()[7]
    pos = point_in_widget(charts.pain_plot, run.started.timestamp(), run.pain_end)
    with qtbot.waitSignal(charts.run_selected) as signal:
        qtbot.mouseClick(charts.pain_plot.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert signal.args == [run.id]
    assert len(charts._selected_lines) == 3


def test_hovering_a_point_tells_its_date_and_pain(qtbot, charts):
    run = journal()[4]
    pos = point_in_widget(charts.pain_plot, run.started.timestamp(), run.pain_end)
    qtbot.mouseMove(charts.pain_plot.viewport(), pos)
    assert f"{run.started:%a %d %b %Y}" in charts.hover_text
    assert "Pain start / middle / end: 1 / 2 / 3" in charts.hover_text


def test_hovering_a_bar_names_the_week_and_its_change(qtbot, charts):
    x = stamp(dt.date(2026, 11, 2)) + 3 * 86400
    qtbot.mouseMove(charts.volume_plot.viewport(), point_in_widget(charts.volume_plot, x, 5))
    assert "Week of 02 Nov 2026: 30.8 km (+40% on the week before)" in charts.hover_text


def test_the_load_ratio_caveat_is_one_click_away(qtbot, charts):
    button = charts.findChild(QToolButton, "about_ratio")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert "did not predict" in charts.about_box.text()
    charts.about_box.close()


def test_an_empty_journal_shows_a_helpful_state(qtbot):
    view = ChartsView()
    qtbot.addWidget(view)
    view.set_data(chart_data([], [], Units.KM, TODAY))
    assert view.stack.currentWidget() is view.empty
    assert "two runs" in view.empty.text()
    view.set_data(chart_data(journal()[:1], [], Units.KM, TODAY))
    assert view.stack.currentWidget() is view.empty


def test_the_export_menu_is_hidden(charts):
    for plot in (*charts.time_plots, charts.shoe_plot):
        assert plot.scene().contextMenu == []
        assert not plot.getPlotItem().menuEnabled()


def test_shoe_bars_show_mileage_against_the_limit(charts):
    # 100 km before plus the 12 runs logged with them
    total = 100 + sum(r.distance_km for r in journal())
    assert list(charts.shoe_bars.opts["width"]) == pytest.approx([total])
    xs, _ = charts.shoe_limits.getData()
    assert list(xs) == [600]


def hover_shoe_bar(qtbot, charts, row: int = 0) -> str:
    """Point at the middle of a shoe's bar, where it is drawn; the tooltip's text."""
    width = charts.shoe_bars.opts["width"][row]
    pos = point_in_widget(charts.shoe_plot, width / 2, row)
    assert charts.shoe_plot.viewport().rect().contains(pos)
    # From elsewhere first (a move to where the pointer already is sends no event), and that
    # move handled before the next, which Qt would otherwise fold into it.
    qtbot.mouseMove(charts.shoe_plot.viewport(), QPoint(1, 1))
    qtbot.wait(20)
    qtbot.mouseMove(charts.shoe_plot.viewport(), pos)
    return charts.hover_text


@pytest.mark.parametrize(
    ("units", "tip"),
    [
        # 400 km before + 96.8 km logged (3 weeks of 6 + 6 + 10 km, one of them 40% longer):
        # 496.8 km = 308.7 mi, past 480 km = 298 mi, of the 800 km = 497.1 mi limit.
        (Units.MI, "Worn pair: 308.7 mi of 497.1 mi (past 298 mi: keep an eye on them)"),
        (Units.KM, "Worn pair: 496.8 km of 800.0 km (past 480 km: keep an eye on them)"),
    ],
)
def test_hovering_a_shoe_bar_tells_its_distance_in_the_runners_unit(qtbot, charts, units, tip):
    worn = Shoe(id=1, name="Worn pair", prior_km=400, limit_km=800)
    charts.set_data(chart_data(journal(), [worn], units, TODAY))
    qtbot.wait(20)
    assert hover_shoe_bar(qtbot, charts) == tip
    assert charts.shoe_plot.getAxis("bottom").labelText == units.value


def test_the_shoes_caveat_speaks_the_runners_unit(qtbot, charts):
    charts.set_data(chart_data(journal(), [], Units.MI, TODAY))
    qtbot.mouseClick(charts.findChild(QToolButton, "about_shoes"), Qt.MouseButton.LeftButton)
    text = charts.about_box.text()
    # 480 and 800 km, the convention, are 298 and 497 miles.
    assert "after 298-497 mi is a convention" in text and "from 298 mi" in text
    assert "km" not in text
    charts.about_box.close()


def test_pyqtgraph_and_numpy_wait_for_the_charts_tab():
    code = (
        "import os, sys, tempfile; os.environ['QT_QPA_PLATFORM'] = 'offscreen';"
        "from PySide6.QtWidgets import QApplication; from PySide6.QtCore import QSettings;"
        "app = QApplication([]); from kneelog.store import Store;"
        "from kneelog.ui.main_window import MainWindow; d = tempfile.mkdtemp();"
        "w = MainWindow(Store.open(d + '/j.db'), QSettings(d + '/s.ini', QSettings.Format.IniFormat));"
        "w.show(); app.processEvents(); print('pyqtgraph' in sys.modules, 'numpy' in sys.modules);"
        "w.tabs.setCurrentIndex(2); print('pyqtgraph' in sys.modules, 'numpy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["False", "False", "True", "True"], out.stderr


def test_window_charts_follow_saves_and_clicks_select_in_history(qtbot, tmp_path, open_window):
    store = Store.open(tmp_path / "j.db")
    for run in journal():
        store.save_entry(
            run.with_(
                id=None, shoe_id=None, marks=(PainMark(Side.RIGHT, Region.IT_BAND, Intensity.MILD),)
            ),
            today=TODAY,
        )
    window = open_window(
        store, clock=lambda: dt.datetime.combine(TODAY, dt.time(9)), size=(1300, 900)
    )
    window.tabs.setCurrentIndex(2)
    charts = window.charts
    charts.presets.button(3).click()
    qtbot.wait(250)  # the heat map follows the range after a short pause
    assert charts.heat._heat[(Side.RIGHT, Region.IT_BAND)] == 12

    window.session.put_entry(
        None, make_run(started=dt.datetime(2026, 11, 20, 7), distance_km=5.0, pain_end=6)
    )
    _, ends = charts.pain_items["end"].getData()
    assert list(ends)[-1] == 6, "the charts redraw after a save"

    target = store.entries(kinds=[Kind.RUN])[3]
    pos = point_in_widget(charts.pain_plot, target.started.timestamp(), target.pain_end)
    qtbot.mouseClick(charts.pain_plot.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert window.history.selected_entry().id == target.id

    window.tabs.setCurrentIndex(1)
    window.history.select_entry(store.entries()[0].id)
    line_x = charts._selected_lines[0].value()
    assert line_x == pytest.approx(store.entries()[0].started.timestamp())
    store.close()


def test_the_latest_single_run_spike_comes_first(charts):
    # The last run (Sat 14 Nov, 10 km) against the longest of the 30 days before (14 km).
    assert charts.headline.text().startswith(
        "Latest run, Sat 14 Nov: 10.0 km, -29% on your longest"
    )
    assert "(14.0 km)" in charts.headline.text()


def test_the_weekly_chart_fits_the_bars_in_sight(charts):
    charts.set_range(dt.date(2026, 11, 9), dt.date(2026, 11, 15))  # one week of 22 km
    assert charts.volume_plot.getPlotItem().viewRange()[1][1] == pytest.approx(22.0 * 1.1)
    charts.presets.button(3).click()  # all: the 30.8 km week is in sight again
    assert charts.volume_plot.getPlotItem().viewRange()[1][1] == pytest.approx(30.8 * 1.1)


def test_clicking_a_key_sample_hides_and_shows_its_series(qtbot, charts):
    button = charts.keys["pain"].buttons["End"]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert not charts.pain_items["end"].isVisible()
    assert charts.pain_items["start"].isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert charts.pain_items["end"].isVisible()


def _lines(label) -> int:
    """How many lines the label's text wraps into at the width it was given."""
    metrics = label.fontMetrics()
    wrapped = metrics.boundingRect(
        label.contentsRect(), int(Qt.TextFlag.TextWordWrap), label.text()
    ).height()
    return round(wrapped / metrics.lineSpacing())


@pytest.mark.parametrize("width", [1300, 960])
def test_chart_titles_take_one_line(qtbot, charts, width):
    charts.resize(width, 900)
    qtbot.waitUntil(lambda: charts.width() == width)
    qtbot.wait(20)
    for title in charts.titles.values():
        if title.text():
            assert _lines(title) == 1, f"{title.text()!r} runs over {_lines(title)} lines"


def test_chart_keys_lie_outside_the_data(qtbot, charts):
    for width in (1300, 960):
        charts.resize(width, 900)
        qtbot.wait(20)
        for plot in (*charts.time_plots, charts.shoe_plot):
            assert plot.getPlotItem().legend is None  # no legend drawn over the data
            box = plot.getPlotItem().getViewBox().sceneBoundingRect()
            data = plot.mapFromScene(box).boundingRect().translated(plot.mapTo(charts, QPoint()))
            for key in charts.keys.values():
                where = key.geometry().translated(key.parentWidget().mapTo(charts, QPoint()))
                assert key.isVisible() and not where.intersects(data)
    # The weekly key is its own, not a part of the title.
    assert charts.titles["weekly"].text() == "Weekly distance against the week before"
    assert set(charts.keys["weekly"].buttons) >= {"up to 10%", "10-30%", "over 30%"}


def _axis_labels(plot) -> list[str]:
    axis = plot.getPlotItem().getAxis("left")
    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        return [text for _, _, text in axis.generateDrawSpecs(painter)[2]]
    finally:
        painter.end()


@pytest.mark.parametrize("height", [900, 560])
def test_the_pain_axis_is_labelled_0_and_10(qtbot, charts, height):
    charts.resize(1300, height)
    qtbot.wait(20)
    assert {"0", "10"} <= set(_axis_labels(charts.pain_plot))


def test_every_pain_series_has_a_marker_of_its_own(charts):
    symbols = [item.opts["symbol"] for item in charts.pain_items.values()]
    assert len(set(symbols)) == 4
    # the key shows each marker beside its name
    assert list(charts.keys["pain"].buttons) == [
        "Start",
        "Middle",
        "End",
        "Next morning",
        "7-day average",
    ]


def test_next_morning_pain_sits_on_the_morning_after_the_run(charts):
    runs = journal()
    xs, ys = charts.pain_items["next_morning"].getData()
    mornings = [
        dt.datetime.combine(r.started.date() + dt.timedelta(days=1), dt.time(8)).timestamp()
        for r in runs
    ]
    assert list(xs) == pytest.approx(mornings)
    # so a diamond never hides inside the run's own square at the same height
    middle_x, _ = charts.pain_items["middle"].getData()
    assert not set(xs) & set(middle_x)


def test_the_week_in_progress_is_marked_as_partial(qtbot, charts):
    # TODAY is a Saturday: the week of Mon 16 Nov has 6 of its 7 days behind it.
    brushes = charts.bars.brushes
    assert brushes[-1].style() != Qt.BrushStyle.SolidPattern
    assert all(b.style() == Qt.BrushStyle.SolidPattern for b in brushes[:-1])
    assert charts.partial_label.isVisible()
    assert charts.partial_label.toPlainText() == "so far"
    x = stamp(dt.date(2026, 11, 16)) + 3 * 86400
    assert charts.partial_label.pos().x() == pytest.approx(x)
    qtbot.mouseMove(charts.volume_plot.viewport(), point_in_widget(charts.volume_plot, x, 0.2))
    assert "Week of 16 Nov 2026 so far (6 of its 7 days)" in charts.hover_text

    sunday = TODAY + dt.timedelta(days=1)  # the week is over: drawn like the others
    charts.set_data(chart_data(journal(), [], Units.KM, sunday))
    assert all(b.style() == Qt.BrushStyle.SolidPattern for b in charts.bars.brushes)
    assert not charts.partial_label.isVisible()


def test_the_load_ratio_draws_no_warning_its_text_denies(charts):
    """metrics.md: the 1.5 'danger' line comes from team sports and did not predict injury in
    runners; the figure's note says it is not a warning light, and the chart agrees."""
    assert "not as a warning light" in ABOUT["ratio"]
    warm = set()
    for dark in (False, True):
        scheme = colours(dark)
        bands = set(BAND_COLOURS.values()) - {BAND_COLOURS[None], BAND_COLOURS["up to 10%"]}
        warm |= {scheme[name] for name in bands}
        warm |= {scheme[f"level_{level}"] for level in ("go", "ease", "stop", "assess")}
    lines = []
    for item in charts.ratio_plot.getPlotItem().items:
        assert not isinstance(item, pg.LinearRegionItem), "no zone marked good or bad"
        if isinstance(item, pg.InfiniteLine):
            lines.append(item.value())
            assert item.pen.color().name() not in warm
        if isinstance(item, pg.PlotDataItem):
            assert item.opts["pen"].color().name() not in warm
    assert lines == [1.0]  # only "as usual" is drawn, as a reference


def test_window_charts_follow_an_edit_and_a_delete_years_back(qtbot, tmp_path, open_window):
    store = Store.open(tmp_path / "j.db")
    old = [
        make_run(started=dt.datetime(2023, 5, 1 + d, 7), distance_km=5.0 + d, pain_end=1)
        for d in range(0, 21, 2)
    ]
    for run in old + [r.with_(shoe_id=None) for r in journal()]:
        store.save_entry(run.with_(id=None), today=TODAY)
    window = open_window(
        store, clock=lambda: dt.datetime.combine(TODAY, dt.time(9)), size=(1300, 900)
    )
    window.tabs.setCurrentIndex(2)
    charts = window.charts
    target = store.entries(kinds=[Kind.RUN])[-3]  # 2023
    assert target.day.year == 2023

    window.session.put_entry(target, target.with_(pain_end=9, distance_km=30.0))
    xs, ends = charts.pain_items["end"].getData()
    assert ends[list(xs).index(target.started.timestamp())] == 9
    week = next(
        w for w in charts.data.weeks if w.start <= target.day < w.start + dt.timedelta(days=7)
    )
    runs = [
        r
        for r in store.entries(kinds=[Kind.RUN])
        if week.start <= r.day < week.start + dt.timedelta(days=7)
    ]
    assert 30.0 in [r.distance_km for r in runs]
    assert week.distance_km == pytest.approx(sum(r.distance_km for r in runs))

    window.session.put_entry(store.entry(target.id), None)
    xs, _ = charts.pain_items["end"].getData()
    assert target.started.timestamp() not in list(xs)
    assert len(xs) == len(store.entries(kinds=[Kind.RUN]))
    store.close()
