"""The knee diagram, driven with real clicks, mouse moves and keys."""

from __future__ import annotations

import itertools
import warnings
import xml.etree.ElementTree as ET

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QHelpEvent
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
from kneelog.ui.body_map import BodyMap, region_shapes

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

    with qtbot.waitSignal(body_map.region_toggled, timeout=1000) as toggled:
        with qtbot.waitSignal(body_map.marks_changed, timeout=1000):
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
    with qtbot.assertNotEmitted(body_map.region_toggled):
        with qtbot.assertNotEmitted(body_map.marks_changed):
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
    press(qtbot, body_map, Qt.Key.Key_Tab)  # past the last spot
    assert after.hasFocus()

    press(qtbot, after, Qt.Key.Key_Backtab)  # back in, at the last spot
    assert body_map.hasFocus()
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
    with qtbot.assertNotEmitted(body_map.region_toggled):
        with qtbot.waitSignal(body_map.marks_changed, timeout=1000):
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

    with qtbot.assertNotEmitted(body_map.region_toggled):
        with qtbot.assertNotEmitted(body_map.marks_changed):
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
