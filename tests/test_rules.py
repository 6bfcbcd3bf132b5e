"""kneelog/rules.py: the pain levels of knee-facts 4-5, and the charts' zones that show them."""

from __future__ import annotations

from itertools import pairwise

import pytest

from kneelog.rules import EASE_MAX, GO_MAX, PAIN_ZONES, SEVERE, Level, level_of


@pytest.mark.parametrize(
    ("pain", "level"),
    [
        (0, "go"),
        (2, "go"),
        (3, "go"),  # 2-3 is manageable; progress only at 3 or below
        (4, "ease"),  # above 3: back off
        (5, "stop"),
        (6, "stop"),  # above 4: stop
        (7, "assess"),
        (10, "assess"),  # severe: get it assessed
    ],
)
def test_each_reading_s_level_follows_the_pain_rules(pain, level):
    assert level_of(pain) == level


def test_the_thresholds_are_the_domain_s():
    assert (GO_MAX, EASE_MAX, SEVERE) == (3, 4, 7)


def test_the_chart_zones_cover_the_scale_once_and_hold_each_whole_number_of_their_level():
    edges = [(low, high) for _, low, high in PAIN_ZONES]
    assert edges[0][0] < 0 and edges[-1][1] > 10
    assert all(a[1] == b[0] for a, b in pairwise(edges)), "no gap, no overlap"
    assert [level for level, _, _ in PAIN_ZONES] == list(Level)
    for pain in range(11):
        (zone,) = [level for level, low, high in PAIN_ZONES if low < pain < high]
        assert zone == level_of(pain)
