"""kneelog's two sets of named colours, light and dark (resources/colours.toml), and the
contrast they are checked against. Qt-free: the UI turns the names into its own colours.

Contrast is WCAG 2's: the relative luminance of each colour (its sRGB channels linearised),
then (lighter + 0.05) / (darker + 0.05), from 1:1 to 21:1. Text needs 4.5:1 (level AA).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from functools import cache

from .content import resource_bytes

SCHEMES = ("light", "dark")
READABLE = 4.5  # WCAG 2 level AA for ordinary text
_HEX = re.compile(r"#[0-9a-fA-F]{6}")
_NAME = re.compile(r"@([a-z_]+)")


class ColourError(ValueError):
    """The colours file is not whole: the message says what to fix."""


def check_colour_sets(data: Mapping[str, object]) -> dict[str, dict[str, str]]:
    """Both sets of a colours file, checked: the same names in each, every value #rrggbb."""
    sets: dict[str, dict[str, str]] = {}
    for scheme in SCHEMES:
        table = data.get(scheme)
        if not isinstance(table, dict) or not table:
            raise ColourError(f"The colours file has no [{scheme}] set of colours.")
        for name, value in table.items():
            if not isinstance(value, str) or not _HEX.fullmatch(value):
                raise ColourError(f'[{scheme}] {name} = {value!r}: write a colour as "#rrggbb".')
        sets[scheme] = {name: value.lower() for name, value in table.items()}
    light, dark = set(sets["light"]), set(sets["dark"])
    if light != dark:
        missing = ", ".join(sorted(light ^ dark))
        raise ColourError(f"Name these colours in both the light and the dark set: {missing}.")
    extra = sorted(set(data) - set(SCHEMES))
    if extra:
        raise ColourError(f"The colours file has sets other than light and dark: {extra}.")
    return sets


@cache
def colour_sets() -> dict[str, dict[str, str]]:
    return check_colour_sets(tomllib.loads(resource_bytes("colours.toml").decode("utf-8")))


def colours(dark: bool) -> dict[str, str]:
    """The named colours of one scheme, as "#rrggbb"."""
    return colour_sets()["dark" if dark else "light"]


def rgb(colour: str) -> tuple[int, int, int]:
    if not _HEX.fullmatch(colour):
        raise ColourError(f'{colour!r} is not a colour written as "#rrggbb".')
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def relative_luminance(colour: tuple[int, int, int]) -> float:
    """WCAG 2's relative luminance of an sRGB colour (0 black to 1 white)."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """WCAG 2's contrast ratio of two colours, 1.0 to 21.0, whichever is lighter."""
    la, lb = relative_luminance(a), relative_luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def text_on(background: str) -> str:
    """Black or white, whichever reads better on this background (for text on a coloured
    fill, such as a chosen cell of a pain scale)."""
    fill = rgb(background)
    white = contrast_ratio(fill, (255, 255, 255))
    return "#ffffff" if white >= contrast_ratio(fill, (0, 0, 0)) else "#000000"


def fill_in(template: str, named: Mapping[str, str]) -> str:
    """The template with each @name replaced by that colour (a stylesheet, say)."""

    def colour(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in named:
            raise ColourError(f"@{name} is not one of kneelog's colours (resources/colours.toml).")
        return named[name]

    return _NAME.sub(colour, template)
