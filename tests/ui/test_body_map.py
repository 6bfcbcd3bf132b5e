"""The knee diagram, driven with real clicks, mouse moves and keys."""

from __future__ import annotations

import itertools
import re
import warnings
import xml.etree.ElementTree as ET
import zlib

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QImage,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTransform,
)
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from kneelog.content import region_hint, region_name, resource_bytes
from kneelog.model import Intensity, PainMark, Region, Side
from kneelog.ui.body_map import BodyMap
from kneelog.ui.knee_drawing import knee_transform, paint_heat_legend, paint_knee, region_shapes

FRONT = [
    Region.QUAD_TENDON,
    Region.KNEECAP,
    Region.PATELLAR_TENDON,
    Region.TIBIAL_TUBEROSITY,
    Region.INNER_JOINT_LINE,
    Region.PES_ANSERINE,
    Region.IT_BAND,
    Region.OUTER_JOINT_LINE,
]
BACK = [Region.BACK_CENTRE, Region.BACK_INNER, Region.BACK_OUTER]
VIEW_REGIONS = {"front": FRONT, "back": BACK}
SVG_FILES = {"front": "knee-front.svg", "back": "knee-back.svg"}
EVERY_SPOT = [
    (side, view, region)
    for side in Side
    for view, regions in VIEW_REGIONS.items()
    for region in regions
]


@pytest.fixture
def body_map(qtbot) -> BodyMap:
    widget = BodyMap()
    qtbot.addWidget(widget)
    widget.resize(widget.sizeHint())
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def in_form(qtbot):
    """A body map between two text fields, so focus can move in and out of it."""
    form = QWidget()
    qtbot.addWidget(form)
    layout = QVBoxLayout(form)
    before, body_map, after = QLineEdit(), BodyMap(), QLineEdit()
    for widget in (before, body_map, after):
        layout.addWidget(widget)
    form.show()
    qtbot.waitExposed(form)
    _activate(qtbot, form)
    before.setFocus()
    qtbot.waitUntil(before.hasFocus)
    yield before, body_map, after  # the form stays referenced until the test ends


def _activate(qtbot, window: QWidget) -> None:
    """Make the window active so that it has keyboard focus."""
    window.activateWindow()
    try:
        qtbot.waitUntil(window.isActiveWindow, timeout=500)
    except qtbot.TimeoutError:
        # Once a test has run the application's event loop to its end (exec() then quit(),
        # as tests/test_app.py does), window activation requests are ignored for the rest of
        # the process, offscreen at least. The deprecated direct call still works.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            QApplication.setActiveWindow(window)
    assert window.isActiveWindow()


def caption(widget: BodyMap) -> str:
    return widget.findChild(QLabel, "caption").text()


def click(qtbot, widget: BodyMap, pos: QPoint) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos)


def press(qtbot, widget: QWidget, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(widget, key, modifier)


# ---------------------------------------------------------------------- marking by clicking
@pytest.mark.parametrize(
    ("side", "view", "region"), EVERY_SPOT, ids=[f"{s}-{v}-{r}" for s, v, r in EVERY_SPOT]
)
def test_a_click_marks_exactly_that_spot(qtbot, body_map, side, view, region):
    body_map.set_side(side)
    body_map.set_view(view)
    centre = body_map.region_center(region)
    assert body_map.region_at(centre) is region

    with (
        qtbot.waitSignal(body_map.region_toggled, timeout=1000) as toggled,
        qtbot.waitSignal(body_map.marks_changed, timeout=1000),
    ):
        click(qtbot, body_map, centre)

    assert toggled.args == [side.value, region.value, int(Intensity.MILD)]
    assert body_map.marks() == (PainMark(side, region, Intensity.MILD),)


def test_clicks_outside_the_drawing_mark_nothing(qtbot, body_map):
    width, height = body_map.width(), body_map.height()
    knee_top = body_map.region_center(Region.QUAD_TENDON)
    outside = [
        QPoint(3, height // 2),  # left margin
        QPoint(width - 4, height // 2),  # right margin
        QPoint(width // 2, height - 4),  # the caption
        QPoint(width // 2, knee_top.y() - 50),  # the thigh, above every spot
        QPoint(8, 60),  # beside the thigh
    ]
    with (
        qtbot.assertNotEmitted(body_map.region_toggled),
        qtbot.assertNotEmitted(body_map.marks_changed),
    ):
        for pos in outside:
            assert body_map.region_at(pos) is None
            click(qtbot, body_map, pos)
    assert body_map.marks() == ()


def test_clicks_cycle_mild_moderate_severe_and_clear(qtbot, body_map):
    received = []
    body_map.region_toggled.connect(lambda *args: received.append(args))
    centre = body_map.region_center(Region.KNEECAP)

    seen = []
    for _ in range(4):
        click(qtbot, body_map, centre)
        seen.append(body_map.marks())

    assert seen == [
        (PainMark(Side.RIGHT, Region.KNEECAP, Intensity.MILD),),
        (PainMark(Side.RIGHT, Region.KNEECAP, Intensity.MODERATE),),
        (PainMark(Side.RIGHT, Region.KNEECAP, Intensity.SEVERE),),
        (),
    ]
    assert received == [
        ("right", "kneecap", 1),
        ("right", "kneecap", 2),
        ("right", "kneecap", 3),
        ("right", "kneecap", 0),
    ]


def test_each_knee_keeps_its_own_marks(qtbot, body_map):
    click(qtbot, body_map, body_map.region_center(Region.KNEECAP))
    body_map.set_side(Side.LEFT)
    click(qtbot, body_map, body_map.region_center(Region.KNEECAP))
    click(qtbot, body_map, body_map.region_center(Region.KNEECAP))
    assert body_map.marks() == (
        PainMark(Side.LEFT, Region.KNEECAP, Intensity.MODERATE),
        PainMark(Side.RIGHT, Region.KNEECAP, Intensity.MILD),
    )


# ---------------------------------------------------------------------- hover
@pytest.mark.parametrize("view", ["front", "back"])
def test_hover_names_the_spot(qtbot, body_map, view):
    body_map.set_view(view)
    for region in VIEW_REGIONS[view]:
        qtbot.mouseMove(body_map, body_map.region_center(region))
        qtbot.waitUntil(lambda r=region: caption(body_map) == region_name(r), timeout=1000)
    qtbot.mouseMove(body_map, QPoint(3, body_map.height() // 2))
    qtbot.waitUntil(lambda: caption(body_map) not in map(region_name, Region), timeout=1000)


def test_hover_caption_tells_the_intensity(qtbot, body_map):
    centre = body_map.region_center(Region.PES_ANSERINE)
    click(qtbot, body_map, centre)
    click(qtbot, body_map, centre)
    qtbot.mouseMove(body_map, centre)
    qtbot.waitUntil(
        lambda: caption(body_map) == f"{region_name(Region.PES_ANSERINE)}: moderate", timeout=1000
    )


def test_tooltip_gives_the_hint(qtbot, body_map):
    pos = body_map.region_center(Region.PATELLAR_TENDON)
    event = QHelpEvent(QEvent.Type.ToolTip, pos, body_map.mapToGlobal(pos))
    QApplication.sendEvent(body_map, event)
    assert QToolTip.text() == region_hint(Region.PATELLAR_TENDON)
    QToolTip.hideText()


# ---------------------------------------------------------------------- left and right
def test_the_outer_side_is_mirrored_between_knees(body_map):
    def x(region: Region) -> int:
        return body_map.region_center(region).x()

    middle = body_map.region_center(Region.KNEECAP).x()
    # Facing the runner, the outer side of the right knee is on the viewer's left.
    assert x(Region.IT_BAND) < middle < x(Region.INNER_JOINT_LINE)
    assert x(Region.OUTER_JOINT_LINE) < middle < x(Region.PES_ANSERINE)
    body_map.set_side(Side.LEFT)
    assert x(Region.INNER_JOINT_LINE) < middle < x(Region.IT_BAND)
    assert x(Region.PES_ANSERINE) < middle < x(Region.OUTER_JOINT_LINE)

    body_map.set_view("back")
    middle = body_map.region_center(Region.BACK_CENTRE).x()
    # From behind, the left knee's outer side is on the viewer's left.
    assert x(Region.BACK_OUTER) < middle < x(Region.BACK_INNER)
    body_map.set_side(Side.RIGHT)
    assert x(Region.BACK_INNER) < middle < x(Region.BACK_OUTER)


def test_the_switch_buttons_pick_knee_and_view(qtbot, body_map):
    qtbot.mouseClick(body_map.findChild(QToolButton, "leftKnee"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(body_map.findChild(QToolButton, "backView"), Qt.MouseButton.LeftButton)
    assert (body_map.side(), body_map.view()) == (Side.LEFT, "back")
    click(qtbot, body_map, body_map.region_center(Region.BACK_CENTRE))
    assert body_map.marks() == (PainMark(Side.LEFT, Region.BACK_CENTRE),)


# ---------------------------------------------------------------------- keyboard
def test_tab_and_space_mark_spots_then_focus_moves_on(qtbot, in_form):
    before, body_map, after = in_form
    received = []
    body_map.region_toggled.connect(lambda *args: received.append(args))

    press(qtbot, before, Qt.Key.Key_Tab)
    assert body_map.hasFocus()
    press(qtbot, body_map, Qt.Key.Key_Space)  # first spot: above the kneecap
    press(qtbot, body_map, Qt.Key.Key_Tab)
    press(qtbot, body_map, Qt.Key.Key_Return)  # second spot: the kneecap
    assert received == [("right", "quad_tendon", 1), ("right", "kneecap", 1)]

    for _ in FRONT[2:]:
        press(qtbot, body_map, Qt.Key.Key_Tab)
        assert body_map.hasFocus()
    press(qtbot, body_map, Qt.Key.Key_Tab)  # past the last spot: the knee's own buttons
    for control in body_map.controls():
        assert control.hasFocus()
        press(qtbot, control, Qt.Key.Key_Tab)
    assert after.hasFocus()

    press(qtbot, after, Qt.Key.Key_Backtab)
    for control in reversed(body_map.controls()):
        assert control.hasFocus()
        press(qtbot, control, Qt.Key.Key_Backtab)
    assert body_map.hasFocus()  # back in, at the last spot
    press(qtbot, body_map, Qt.Key.Key_Enter)
    assert body_map.marks() == (
        PainMark(Side.RIGHT, Region.QUAD_TENDON),
        PainMark(Side.RIGHT, Region.KNEECAP),
        PainMark(Side.RIGHT, Region.OUTER_JOINT_LINE),
    )


def test_keys_switch_knee_and_view(qtbot, in_form):
    _, body_map, _ = in_form
    body_map.setFocus()
    press(qtbot, body_map, Qt.Key.Key_L)
    press(qtbot, body_map, Qt.Key.Key_B)
    assert (body_map.side(), body_map.view()) == (Side.LEFT, "back")
    assert body_map.findChild(QToolButton, "leftKnee").isChecked()
    assert body_map.findChild(QToolButton, "backView").isChecked()
    press(qtbot, body_map, Qt.Key.Key_R)
    press(qtbot, body_map, Qt.Key.Key_F)
    assert (body_map.side(), body_map.view()) == (Side.RIGHT, "front")


# ---------------------------------------------------------------------- deep inside
def test_the_deep_toggle_marks_deep_inside_for_the_current_knee(qtbot, body_map):
    deep = body_map.findChild(QToolButton, "deepToggle")
    body_map.set_side(Side.LEFT)
    with qtbot.waitSignal(body_map.region_toggled, timeout=1000) as toggled:
        qtbot.mouseClick(deep, Qt.MouseButton.LeftButton)
    assert toggled.args == ["left", "deep", 1]
    assert body_map.marks() == (PainMark(Side.LEFT, Region.DEEP, Intensity.MILD),)

    body_map.set_side(Side.RIGHT)
    assert not deep.isChecked()
    body_map.set_side(Side.LEFT)
    assert deep.isChecked()

    with qtbot.waitSignal(body_map.region_toggled, timeout=1000) as toggled:
        qtbot.mouseClick(deep, Qt.MouseButton.LeftButton)
    assert toggled.args == ["left", "deep", 0]
    assert body_map.marks() == ()


def test_the_d_key_toggles_deep_inside(qtbot, body_map):
    body_map.setFocus()
    press(qtbot, body_map, Qt.Key.Key_D)
    assert body_map.marks() == (PainMark(Side.RIGHT, Region.DEEP),)


# ---------------------------------------------------------------------- API
def test_set_marks_shows_marks_without_claiming_a_click(qtbot, body_map):
    marks = [
        PainMark(Side.RIGHT, Region.KNEECAP, Intensity.SEVERE),
        PainMark(Side.LEFT, Region.BACK_INNER, Intensity.MODERATE),
        PainMark(Side.LEFT, Region.DEEP),
    ]
    with (
        qtbot.assertNotEmitted(body_map.region_toggled),
        qtbot.waitSignal(body_map.marks_changed, timeout=1000),
    ):
        body_map.set_marks(marks)
    assert body_map.marks() == (
        PainMark(Side.LEFT, Region.BACK_INNER, Intensity.MODERATE),
        PainMark(Side.LEFT, Region.DEEP),
        PainMark(Side.RIGHT, Region.KNEECAP, Intensity.SEVERE),
    )
    # The next click on a severe spot clears it.
    click(qtbot, body_map, body_map.region_center(Region.KNEECAP))
    assert PainMark(Side.RIGHT, Region.KNEECAP, Intensity.SEVERE) not in body_map.marks()

    with qtbot.waitSignal(body_map.marks_changed, timeout=1000):
        body_map.clear()
    assert body_map.marks() == ()
    with qtbot.assertNotEmitted(body_map.marks_changed):
        body_map.clear()


def test_view_names_are_checked(body_map):
    with pytest.raises(ValueError):
        body_map.set_view("side")
    with pytest.raises(ValueError):
        body_map.region_center(Region.BACK_CENTRE)  # not on the front view


def test_spots_are_big_enough_to_hit(body_map):
    for side, view in itertools.product(Side, VIEW_REGIONS):
        body_map.set_side(side)
        body_map.set_view(view)
        for region in VIEW_REGIONS[view]:
            centre = body_map.region_center(region)
            for dx, dy in itertools.product((-12, 0, 12), repeat=2):
                point = centre + QPoint(dx, dy)
                assert body_map.region_at(point) is region, (side, view, region, dx, dy)


def test_the_drawing_and_marks_are_painted(qtbot, body_map):
    centre = body_map.region_center(Region.KNEECAP)
    background = body_map.grab().toImage().pixelColor(3, body_map.height() // 2)
    plain = body_map.grab().toImage().pixelColor(centre)
    assert plain != background
    body_map.set_marks([PainMark(Side.RIGHT, Region.KNEECAP, Intensity.SEVERE)])
    marked = body_map.grab().toImage().pixelColor(centre)
    assert marked.red() > marked.green() + 60  # a red fill over the kneecap


# ---------------------------------------------------------------------- heat map
COUNTS = {
    (Side.RIGHT, Region.KNEECAP): 7,
    (Side.RIGHT, Region.IT_BAND): 1,
    (Side.RIGHT, Region.DEEP): 2,
    (Side.LEFT, Region.BACK_CENTRE): 3,
}


def test_heat_mode_is_read_only(qtbot, body_map):
    body_map.set_marks([PainMark(Side.RIGHT, Region.KNEECAP)])
    body_map.set_heat(COUNTS)
    deep = body_map.findChild(QToolButton, "deepToggle")
    assert not deep.isEnabled()

    with (
        qtbot.assertNotEmitted(body_map.region_toggled),
        qtbot.assertNotEmitted(body_map.marks_changed),
    ):
        for region in FRONT:
            click(qtbot, body_map, body_map.region_center(region))
        body_map.setFocus()
        press(qtbot, body_map, Qt.Key.Key_Tab)
        press(qtbot, body_map, Qt.Key.Key_Space)
        press(qtbot, body_map, Qt.Key.Key_D)
    assert body_map.marks() == (PainMark(Side.RIGHT, Region.KNEECAP),)

    body_map.set_heat(None)
    assert deep.isEnabled()
    click(qtbot, body_map, body_map.region_center(Region.IT_BAND))
    assert PainMark(Side.RIGHT, Region.IT_BAND) in body_map.marks()


def test_heat_caption_shows_how_often(qtbot, body_map):
    body_map.set_heat(COUNTS)
    qtbot.mouseMove(body_map, body_map.region_center(Region.KNEECAP))
    qtbot.waitUntil(
        lambda: caption(body_map) == "Kneecap and around it: marked 7 times", timeout=1000
    )
    qtbot.mouseMove(body_map, body_map.region_center(Region.IT_BAND))
    qtbot.waitUntil(lambda: caption(body_map).endswith(": marked once"), timeout=1000)
    qtbot.mouseMove(body_map, body_map.region_center(Region.PES_ANSERINE))
    qtbot.waitUntil(lambda: caption(body_map).endswith(": not marked"), timeout=1000)


def test_heat_colours_the_current_knee(qtbot, body_map):
    centre = body_map.region_center(Region.KNEECAP)
    before = body_map.grab().toImage().pixelColor(centre)
    body_map.set_heat(COUNTS)
    assert body_map.grab().toImage().pixelColor(centre) != before
    body_map.set_side(Side.LEFT)  # no kneecap count on the left knee
    assert body_map.grab().toImage().pixelColor(body_map.region_center(Region.KNEECAP)) == before


# ---------------------------------------------------------------------- the drawings
def _region_elements(view: str) -> list[ET.Element]:
    root = ET.fromstring(resource_bytes(SVG_FILES[view]))
    return [e for e in root.iter() if "region" in e.get("class", "").split()]


def test_every_spot_has_exactly_one_shape():
    ids = [e.get("id") for view in SVG_FILES for e in _region_elements(view)]
    expected = [f"region-{r.value}" for r in Region if r is not Region.DEEP]
    assert sorted(ids) == sorted(expected)
    for view, regions in VIEW_REGIONS.items():
        assert set(region_shapes(resource_bytes(SVG_FILES[view]))) == set(regions)


def test_shapes_are_invisible_ellipses_or_polygons():
    view_boxes = set()
    for view in SVG_FILES:
        view_boxes.add(ET.fromstring(resource_bytes(SVG_FILES[view])).get("viewBox"))
        for element in _region_elements(view):
            assert element.tag.rpartition("}")[2] in ("ellipse", "polygon")
            assert float(element.get("fill-opacity")) == 0
            assert element.get("stroke") == "none"
    assert len(view_boxes) == 1


@pytest.mark.parametrize("view", ["front", "back"])
def test_shapes_do_not_overlap(view):
    shapes = region_shapes(resource_bytes(SVG_FILES[view]))
    for (a, shape_a), (b, shape_b) in itertools.combinations(shapes.items(), 2):
        assert not shape_a.intersects(shape_b), (a, b)


def test_a_region_drawn_twice_is_refused():
    svg = b"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">
      <ellipse class="region" id="region-kneecap" cx="2" cy="2" rx="1" ry="1"/>
      <ellipse class="region" id="region-kneecap" cx="6" cy="6" rx="1" ry="1"/>
    </svg>"""
    with pytest.raises(ValueError, match="twice"):
        region_shapes(svg)


# ---------------------------------------------------------------------- painting without a widget
CANVAS = QRectF(0, 0, 300, 400)


def _painted(**options) -> QImage:
    """paint_knee() on a white 300 x 400 image (right knee, front, unless told otherwise)."""
    image = QImage(300, 400, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    try:
        paint_knee(painter, CANVAS, **{"side": Side.RIGHT, **options})
    finally:
        painter.end()
    return image


def _spot(region: Region, side: Side = Side.RIGHT, view: str = "front") -> QPoint:
    """Where paint_knee() puts the middle of a spot on a _painted() image."""
    image = QImage(1, 1, QImage.Format.Format_ARGB32)  # same resolution as _painted()
    metrics = QFontMetricsF(QFont(), image)  # a new painter's font
    shape = region_shapes(resource_bytes(SVG_FILES[view]))[region]
    transform = knee_transform(CANVAS, side, view, metrics)
    return transform.map(shape).boundingRect().center().toPoint()


def _differing(a: QImage, b: QImage) -> QRect:
    """The bounding box of the pixels that differ between two images of one size."""
    xs, ys = [], []
    for y in range(a.height()):
        for x in range(a.width()):
            if a.pixel(x, y) != b.pixel(x, y):
                xs.append(x)
                ys.append(y)
    return QRect(min(xs), min(ys), max(xs) - min(xs) + 1, max(ys) - min(ys) + 1) if xs else QRect()


def test_paint_knee_colours_the_spots_of_its_own_knee_only(qapp):
    plain = _painted()
    kneecap = _spot(Region.KNEECAP)
    assert CANVAS.contains(QPointF(kneecap))
    assert plain.pixelColor(kneecap) != QColor(Qt.GlobalColor.white)  # the drawing is there

    heated = _painted(heat={(Side.RIGHT, Region.KNEECAP): 5}).pixelColor(kneecap)
    assert heated != plain.pixelColor(kneecap)
    assert heated.red() > heated.green() + 60  # the darkest heat colour: only one count
    left_only = _painted(heat={(Side.LEFT, Region.KNEECAP): 5})
    assert left_only.pixelColor(kneecap) == plain.pixelColor(kneecap)
    assert left_only == _painted(heat={})


def test_paint_knee_mirrors_the_left_knee(qapp):
    counts = {(Side.LEFT, Region.IT_BAND): 4}
    right, left = _spot(Region.IT_BAND, Side.RIGHT), _spot(Region.IT_BAND, Side.LEFT)
    assert right.x() < CANVAS.center().x() < left.x()  # facing the runner: outer sides apart
    plain = _painted(side=Side.LEFT)
    heated = _painted(side=Side.LEFT, heat=counts)
    assert heated.pixelColor(left) != plain.pixelColor(left)
    assert heated.pixelColor(right) == plain.pixelColor(right)


def test_paint_knee_shows_marks_of_its_own_knee(qapp):
    kneecap = _spot(Region.KNEECAP)
    severe = [PainMark(Side.RIGHT, Region.KNEECAP, Intensity.SEVERE)]
    marked = _painted(marks=severe).pixelColor(kneecap)
    assert marked.red() > marked.green() + 60
    other_knee = [PainMark(Side.LEFT, Region.KNEECAP, Intensity.SEVERE)]
    assert _painted(marks=other_knee) == _painted()


def test_a_common_scale_max_makes_a_count_look_lighter(qapp):
    kneecap = _spot(Region.KNEECAP)
    counts = {(Side.RIGHT, Region.KNEECAP): 2}
    on_its_own = _painted(heat=counts, scale_max=2).pixelColor(kneecap)
    on_a_scale_to_ten = _painted(heat=counts, scale_max=10).pixelColor(kneecap)
    assert on_a_scale_to_ten.lightness() > on_its_own.lightness() + 20
    # Without a scale_max the knee's own largest count is the darkest.
    assert _painted(heat=counts).pixelColor(kneecap) == on_its_own


def test_deep_inside_shows_as_a_chip_under_the_drawing(qapp):
    plain = _painted(heat={})
    with_deep = _painted(heat={(Side.RIGHT, Region.DEEP): 3})
    chip = _differing(plain, with_deep)
    assert not chip.isEmpty()
    drawing = knee_transform(CANVAS, Side.RIGHT).mapRect(QRectF(0, 0, 240, 360))
    assert chip.top() > drawing.top() + drawing.height() * 0.85  # at the foot of the knee
    assert abs(chip.center().x() - drawing.center().x()) < 3
    assert _painted(heat={(Side.RIGHT, Region.DEEP): 0}) == plain
    assert _painted(heat={(Side.LEFT, Region.DEEP): 3}) == plain
    deep_mark = _painted(marks=[PainMark(Side.RIGHT, Region.DEEP, Intensity.MODERATE)])
    assert _differing(_painted(), deep_mark).intersects(chip)


def test_side_labels_are_never_mirrored(qapp):
    """ "Outer" reads the same on either knee, beside the knee on its outer side."""

    def label_box(side: Side, on_left: bool) -> QImage:
        """The ink of the side label left or right of the knee."""
        with_labels, without = _painted(side=side), _painted(side=side, labels=False)
        middle = int(CANVAS.center().x())
        half = QRect(0, 0, middle, 400) if on_left else QRect(middle, 0, 300 - middle, 400)
        ink = _differing(with_labels.copy(half), without.copy(half))
        assert not ink.isEmpty()
        return with_labels.copy(half).copy(ink)

    right_outer = label_box(Side.RIGHT, on_left=True)  # a right knee's outer side, from the front
    left_outer = label_box(Side.LEFT, on_left=False)
    left_inner = label_box(Side.LEFT, on_left=True)
    assert abs(right_outer.width() - left_outer.width()) <= 1
    assert abs(right_outer.width() - left_inner.width()) >= 2  # "Outer" and "Inner" differ

    def distance(a: QImage, b: QImage) -> float:
        width, height = min(a.width(), b.width()), min(a.height(), b.height())
        return sum(
            abs(a.pixelColor(x, y).lightness() - b.pixelColor(x, y).lightness())
            for x in range(width)
            for y in range(height)
        ) / (width * height)

    mirrored = right_outer.flipped(Qt.Orientation.Horizontal)
    assert distance(right_outer, left_outer) < distance(mirrored, left_outer) / 2


def test_paint_knee_leaves_the_painter_as_it_was(qapp):
    image = QImage(300, 400, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        pen = QPen(QColor(10, 20, 30), 3)
        painter.setPen(pen)
        painter.setTransform(QTransform().translate(5, 7))
        paint_knee(painter, CANVAS, side=Side.LEFT, heat={(Side.LEFT, Region.DEEP): 2})
        paint_heat_legend(painter, QRectF(0, 360, 300, 40), 1, 4)
        assert painter.pen() == pen
        assert painter.transform() == QTransform().translate(5, 7)
        assert painter.brush().style() == Qt.BrushStyle.NoBrush
    finally:
        painter.end()


def test_the_heat_legend_runs_light_to_dark(qapp):
    image = QImage(300, 40, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    try:
        paint_heat_legend(painter, QRectF(0, 0, 300, 40), 1, 9)
    finally:
        painter.end()
    row = [image.pixelColor(x, 20) for x in range(300)]
    coloured = [x for x, c in enumerate(row) if c.hsvSaturation() > 80]
    assert coloured, "no colour bar"
    assert coloured[-1] - coloured[0] > 40
    assert row[coloured[0] + 2].lightness() > row[coloured[-1] - 2].lightness() + 40


def _pdf_streams(data: bytes) -> list[bytes]:
    """Every stream of a PDF, inflated where it is compressed."""
    streams = []
    for match in re.finditer(rb"<<(.*?)>>\s*stream\r?\n(.*?)endstream", data, re.S):
        head, body = match.groups()
        if b"/FlateDecode" in head:
            body = zlib.decompressobj().decompress(body)
        streams.append(body)
    return streams


def test_paint_knee_prints_vectors_to_pdf(qapp, tmp_path):
    path = tmp_path / "knees.pdf"
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setResolution(96)
    counts = {
        (Side.LEFT, Region.KNEECAP): 2,
        (Side.RIGHT, Region.KNEECAP): 6,
        (Side.RIGHT, Region.DEEP): 1,
    }
    painter = QPainter(writer)
    try:
        page = QRectF(painter.viewport())
        half = page.width() / 2
        for i, side in enumerate((Side.LEFT, Side.RIGHT)):
            paint_knee(painter, QRectF(i * half, 0, half, 420), side=side, heat=counts, scale_max=6)
        paint_heat_legend(painter, QRectF(0, 430, page.width(), 30), 1, 6)
    finally:
        painter.end()

    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    assert b"/Subtype /Image" not in data  # nothing rasterised
    # Qt writes a gradient's alpha as an /Alpha soft mask that readers show as opaque;
    # the drawing's faded edges and the legend must not rely on one.
    assert b"/S /Alpha" not in data
    content = b"\n".join(_pdf_streams(data))
    curves = re.findall(rb"(?:-?[\d.]+ ){6}c\b", content)
    lines = re.findall(rb"(?:-?[\d.]+ ){2}l\b", content)
    assert len(curves) > 200  # the drawing's outlines, two knees
    assert lines
    assert re.search(rb"(?:-?[\d.]+ ){2}m\b", content)  # paths begin
    assert re.search(rb"^h$", content, re.M)  # and close
    assert re.search(rb"^f\*?$", content, re.M)  # and are filled


def test_marks_on_the_other_knee_are_not_out_of_mind(qtbot, body_map):
    body_map.set_side(Side.LEFT)
    click(qtbot, body_map, body_map.region_center(Region.KNEECAP))
    click(qtbot, body_map, body_map.region_center(Region.PATELLAR_TENDON))
    left = body_map.findChild(QToolButton, "leftKnee")
    assert left.text() == "Left", "the knee in sight needs no hint"
    qtbot.mouseClick(body_map.findChild(QToolButton, "rightKnee"), Qt.MouseButton.LeftButton)
    qtbot.mouseMove(body_map, QPoint(2, 2))  # off the drawing: no spot named
    qtbot.waitUntil(lambda: caption(body_map).startswith("2 marks on the left knee"), timeout=1000)
    assert left.text() == "Left \u20222"
    assert left.accessibleName() == "Left knee (L): 2 marks there"
    assert left.width() >= left.fontMetrics().horizontalAdvance(left.text())
    qtbot.mouseClick(left, Qt.MouseButton.LeftButton)
    assert body_map.side() is Side.LEFT
    assert body_map.findChild(QToolButton, "rightKnee").text() == "Right"


def test_the_heat_map_tells_of_the_other_knee(qtbot, body_map):
    body_map.set_heat({(Side.LEFT, Region.KNEECAP): 3, (Side.LEFT, Region.IT_BAND): 2})
    body_map.set_side(Side.RIGHT)
    qtbot.mouseMove(body_map, QPoint(2, 2))
    qtbot.waitUntil(
        lambda: "the left knee was marked 5 times too" in caption(body_map), timeout=1000
    )
    assert body_map.findChild(QToolButton, "leftKnee").toolTip() == "Left knee (L): marked 5 times"
