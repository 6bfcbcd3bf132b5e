"""kneelog's named colours: both sets whole, and text readable on its background."""

from __future__ import annotations

import pytest

from kneelog.colours import (
    ColourError,
    check_colour_sets,
    colours,
    contrast_ratio,
    fill_in,
    relative_luminance,
    rgb,
    text_on,
)
from kneelog.content import resource_bytes

# Figures from WCAG 2 (the definitions of relative luminance and contrast ratio) and the
# well-known greys at the edge of AA on white.
WHITE, BLACK = (255, 255, 255), (0, 0, 0)


def test_the_wcag_figures():
    assert relative_luminance(WHITE) == pytest.approx(1.0)
    assert relative_luminance(BLACK) == 0.0
    assert contrast_ratio(BLACK, WHITE) == pytest.approx(21.0)
    assert contrast_ratio(WHITE, BLACK) == pytest.approx(21.0)
    assert contrast_ratio(rgb("#767676"), WHITE) == pytest.approx(4.54, abs=0.01)  # passes AA
    assert contrast_ratio(rgb("#777777"), WHITE) == pytest.approx(4.48, abs=0.01)  # fails AA
    assert contrast_ratio(rgb("#ff0000"), WHITE) == pytest.approx(4.0, abs=0.01)
    assert contrast_ratio(rgb("#808080"), rgb("#808080")) == 1.0


def test_text_on_a_fill_is_black_or_white_whichever_reads():
    assert text_on("#ffffff") == "#000000"
    assert text_on("#1f3b4d") == "#ffffff"
    assert text_on("#f0a030") == "#000000"  # white on amber is 2.1:1


# What is written on what, in both sets: (text, background).
TEXT_ON = [
    ("window_text", "window"),
    ("text", "base"),
    ("text", "alternate_base"),
    ("button_text", "button"),
    ("highlighted_text", "highlight"),
    ("tooltip_text", "tooltip_base"),
    ("link", "base"),
    ("placeholder", "base"),
    ("title", "window"),
    ("title", "card"),
    ("hint", "window"),
    ("hint", "card"),
    ("hint", "panel"),
    ("error", "window"),
    ("banner_text", "banner"),
    ("chip_text", "chip"),
    ("chip_text", "chip_hover"),
    ("chip_on_text", "chip_on"),
    ("chip_warning_on_text", "chip_warning_on"),
    ("chip_disabled_text", "chip_disabled"),
    ("not_advice_text", "not_advice"),
    ("card_text", "card"),
    ("card_text", "panel"),
    ("red_text", "red_card"),
    ("card_text", "red_card"),
    ("card_text", "pattern_found"),
    ("card_text", "pattern_none"),
    ("card_text", "guidance_go"),
    ("card_text", "guidance_ease"),
    ("card_text", "guidance_stop"),
    ("card_text", "guidance_none"),
    ("day_full_text", "day_full"),
    ("day_part_text", "day_part"),
    ("day_empty_text", "day_empty"),
    ("history_warning", "base"),
    ("history_warning", "alternate_base"),
    ("history_pending", "base"),
    ("history_pending", "alternate_base"),
    ("chart_text", "chart"),
]


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize(("text", "background"), TEXT_ON)
def test_text_reads_at_aa_on_its_background(dark, text, background):
    named = colours(dark)
    ratio = contrast_ratio(rgb(named[text]), rgb(named[background]))
    assert ratio >= 4.5, f"{text} on {background}: {ratio:.2f}:1"


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("handle", ["scroll_handle", "scroll_handle_hover"])
def test_a_scroll_bar_handle_stands_out_from_its_groove(dark, handle):
    """WCAG 1.4.11: the parts of a control at 3:1 against what is next to them."""
    named = colours(dark)
    ratio = contrast_ratio(rgb(named[handle]), rgb(named["scroll_groove"]))
    assert ratio >= 3.0, f"{handle} on scroll_groove: {ratio:.2f}:1"


def test_the_dark_set_is_dark_and_the_light_set_light():
    for dark in (False, True):
        named = colours(dark)
        window, text = (
            relative_luminance(rgb(named["window"])),
            relative_luminance(rgb(named["window_text"])),
        )
        assert (window < text) is dark


def test_the_stylesheet_names_only_colours_that_exist():
    template = resource_bytes("style.qss").decode("utf-8")
    for dark in (False, True):
        filled = fill_in(template, colours(dark))
        assert "@" not in filled
    with pytest.raises(ColourError, match="@nosuch is not one of kneelog's colours"):
        fill_in("QLabel { color: @nosuch; }", colours(False))


def test_a_colours_file_that_is_not_whole_is_refused_saying_what_to_fix():
    good = {"light": {"title": "#000000"}, "dark": {"title": "#ffffff"}}
    assert check_colour_sets(good) == good
    with pytest.raises(ColourError, match=r"no \[dark\] set"):
        check_colour_sets({"light": {"title": "#000000"}})
    with pytest.raises(ColourError, match="both the light and the dark set: hint"):
        check_colour_sets(
            {"light": {"title": "#000000"}, "dark": {"title": "#ffffff", "hint": "#aaaaaa"}}
        )
    with pytest.raises(ColourError, match=r'\[dark\] title = .red.: write a colour as "#rrggbb"'):
        check_colour_sets({"light": {"title": "#000000"}, "dark": {"title": "red"}})
    with pytest.raises(ColourError, match="other than light and dark"):
        check_colour_sets({**good, "sepia": {"title": "#704214"}})
