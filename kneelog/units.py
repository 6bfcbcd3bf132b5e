"""Reading what a runner types (distance, time) and writing numbers back for people."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from .model import KM_PER_MILE, InvalidEntry, Units

_DURATION = re.compile(r"^\s*(?:(\d+):)?(\d{1,3}):(\d{1,2})\s*$")
_MINUTES = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(?:m|min|mins|minutes)?\s*$", re.IGNORECASE)
_HOURS_MINUTES = re.compile(r"^\s*(\d+)\s*h\s*(?:(\d+)\s*(?:m|min)?)?\s*$", re.IGNORECASE)


def parse_distance(text: str, units: Units = Units.KM) -> float | None:
    """'8.4' or '8,4' in the display unit -> km. Empty means not given."""
    text = text.strip().lower().removesuffix(units.value).strip()
    if not text:
        return None
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise InvalidEntry(
            "distance_km", f"Type the distance as a number of {units.value}, for example 8.4."
        ) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise InvalidEntry("distance_km", "Type the distance as a number, for example 8.4.")
    return value * KM_PER_MILE if units is Units.MI else value


def parse_duration(text: str) -> int | None:
    """'45', '45:30', '1:02:03', '1h 5m' or '52.5' (minutes) -> seconds. Empty means not given."""
    if not text.strip():
        return None
    if m := _DURATION.match(text):
        hours, minutes, seconds = int(m[1] or 0), int(m[2]), int(m[3])
        if seconds < 60 and (not m[1] or minutes < 60):
            return hours * 3600 + minutes * 60 + seconds
    elif m := _HOURS_MINUTES.match(text):
        return int(m[1]) * 3600 + int(m[2] or 0) * 60
    elif m := _MINUTES.match(text):
        return round(float(m[1].replace(",", ".")) * 60)
    raise InvalidEntry(
        "duration_s", "Type the time as minutes (52), mm:ss (52:30) or h:mm:ss (1:02:03)."
    )


def parse_number(text: str, field: str, what: str) -> float | None:
    text = text.strip()
    if not text:
        return None
    try:
        return float(text.replace(",", "."))
    except ValueError:
        raise InvalidEntry(field, f"Type {what} as a number.") from None


def distance_value(km: float, units: Units) -> float:
    return km / KM_PER_MILE if units is Units.MI else km


def format_distance(km: float | None, units: Units = Units.KM, unit: bool = True) -> str:
    if km is None:
        return ""
    text = f"{distance_value(km, units):.1f}"
    return f"{text} {units.value}" if unit else text


M_PER_FT = 0.3048


def climb_unit(units: Units) -> str:
    """Climb is told in feet where distances are in miles, else in metres."""
    return "ft" if units is Units.MI else "m"


def climb_value(metres: float, units: Units) -> float:
    return metres / M_PER_FT if units is Units.MI else metres


def format_climb(metres: float | None, units: Units = Units.KM, unit: bool = True) -> str:
    if metres is None:
        return ""
    text = f"{climb_value(metres, units):.0f}"
    return f"{text} {climb_unit(units)}" if unit else text


def parse_climb(text: str, units: Units = Units.KM) -> float | None:
    """'350' in the runner's climb unit -> metres. Empty means not given."""
    words = "feet" if units is Units.MI else "metres"
    text = text.strip().lower().removesuffix(climb_unit(units)).strip()
    if not text:
        return None
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise InvalidEntry(
            "elevation_gain_m", f"Type the climb in {words} as a number, for example 120."
        ) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise InvalidEntry("elevation_gain_m", f"Type the climb in {words} as a number.")
    return value * M_PER_FT if units is Units.MI else value


def format_duration(seconds: int | None) -> str:
    if seconds is None:
        return ""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def format_pace(seconds_per_km: float | None, units: Units = Units.KM) -> str:
    if not seconds_per_km:
        return ""
    per_unit = seconds_per_km * (KM_PER_MILE if units is Units.MI else 1)
    minutes, secs = divmod(round(per_unit), 60)
    return f"{minutes}:{secs:02d} /{units.value}"


def format_day(day: dt.date) -> str:
    """A day as people write it in a sentence: 3 Nov."""
    return f"{day.day} {day:%b}"


def format_days(days: Iterable[dt.date], most: int = 5) -> str:
    """Days in order, the first `most` of them: 3 Nov, 5 Nov and 4 more."""
    days = sorted(set(days))
    shown = ", ".join(format_day(d) for d in days[:most])
    return shown + (f" and {len(days) - most} more" if len(days) > most else "")
