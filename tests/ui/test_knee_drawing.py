"""kneelog/ui/knee_drawing.py: the shapes read from the drawings and the heat-map colours."""

from __future__ import annotations

import pytest

from kneelog.model import Region
from kneelog.ui.knee_drawing import HEAT_STOPS, heat_colour, region_shapes


def test_the_two_views_draw_every_spot_once_but_deep_inside():
    from kneelog.ui.knee_drawing import view_shapes

    front, back = set(view_shapes("front")), set(view_shapes("back"))
    assert not front & back
    assert front | back == set(Region) - {Region.DEEP}  # deep inside is a toggle, not a spot
    assert all(not shape.isEmpty() for shape in view_shapes("front").values())


def test_a_region_drawn_twice_is_refused():
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
        b'<ellipse class="region" id="region-kneecap" cx="5" cy="5" rx="2" ry="2"/>'
        b'<ellipse class="region" id="region-kneecap" cx="5" cy="5" rx="1" ry="1"/></svg>'
    )
    with pytest.raises(ValueError):
        region_shapes(svg)


def test_heat_colours_run_from_the_first_stop_to_the_last_and_clamp():
    first, last = HEAT_STOPS[0][1].name(), HEAT_STOPS[-1][1].name()
    assert heat_colour(0).name() == heat_colour(-1).name() == first
    assert heat_colour(1).name() == heat_colour(2).name() == last
    lightness = [heat_colour(t / 10).lightness() for t in range(11)]
    assert lightness == sorted(lightness, reverse=True), "darker as t grows"


def test_a_drawing_cut_short_is_refused_with_what_is_wrong():
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
        b'<ellipse class="region" id="region-kneecap" cx="5" cy="5" rx="2" ry="2"/>'
    )
    with pytest.raises(ValueError, match="not well-formed"):
        region_shapes(svg)
