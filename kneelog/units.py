"""Reading what a runner types (distance, time) and writing numbers back for people."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from .model import KM_PER_MILE, InvalidEntry, Units

_DURATION = re.compile(r"^\s*(?:(\d+):)?(\d{1,3}):(\d{1,2})\s*$")
# 52.30 and 1.02.03: the dot or comma of a number pad standing in for the colon.
_DOTTED = re.compile(r"^\s*(?:(\d+)[.,])?(\d{1,3})[.,](\d\d)\s*$")
_MINUTES = re.compile(r"^\s*(\d+)\s*(?:m|min|mins|minutes)?\s*$", re.IGNORECASE)
_DECIMAL = re.compile(r"^\s*(\d+)[.,](\d+)\s*(?:m|min|mins|minutes)?\s*$", re.IGNORECASE)
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
    """'45', '45:30', '1:02:03' or '1h 5m' -> seconds; '52.30' is 52:30, as on a stopwatch.

    A decimal that cannot be minutes and seconds ('52.5': 52:05 or 52:30?) is refused with
    the way to write it, never guessed. Empty means not given."""
    if not text.strip():
        return None
    m = _DURATION.match(text) or _DOTTED.match(text)
    if m:
        hours, minutes, seconds = int(m[1] or 0), int(m[2]), int(m[3])
        if seconds < 60 and (not m[1] or minutes < 60):
            return hours * 3600 + minutes * 60 + seconds
    elif m := _HOURS_MINUTES.match(text):
        return int(m[1]) * 3600 + int(m[2] or 0) * 60
    elif m := _MINUTES.match(text):
        return int(m[1]) * 60
    elif m := _DECIMAL.match(text):
        raise InvalidEntry(
            "duration_s",
            f"Type the time with a colon: {m[1]}:30 is {m[1]} and a half minutes, {m[1]}:05 is "
            f"{m[1]} minutes 5 seconds (mm:ss, or h:mm:ss as 1:02:03).",
        )
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


def plural(n: int, one: str, many: str | None = None) -> str:
    """`n` and the word for that many of it: "1 run", "2 runs", "1,626 entries"."""
    return f"{n:,} {one if n == 1 else many or one + 's'}"


def format_day(day: dt.date) -> str:
    """A day as people write it in a sentence: 3 Nov."""
    return f"{day.day} {day:%b}"


def format_days(days: Iterable[dt.date], most: int = 5) -> str:
    """Days in order, the first `most` of them: 3 Nov, 5 Nov and 4 more."""
    days = sorted(set(days))
    shown = ", ".join(format_day(d) for d in days[:most])
    return shown + (f" and {len(days) - most} more" if len(days) > most else "")


# -- the day and time of an entry ---------------------------------------------------------

WHEN_FORMAT = "%a %d %b %Y  %H:%M"  # Sat 21 Nov 2026  18:40
_TIME = re.compile(r"(?:^|\s)(\d{1,2})[:.h](\d\d)$")
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_FORMATS = ("%Y-%m-%d", "%d %b %Y", "%a %d %b %Y", "%d %b", "%a %d %b", "%d/%m/%Y", "%d.%m.%Y")


def format_when(when: dt.datetime) -> str:
    return when.strftime(WHEN_FORMAT)


def parse_when(text: str, current: dt.datetime, today: dt.date) -> dt.datetime:
    """What a runner types for when an entry happened -> the day and time.

    'today 18:40', 'yesterday', 'yesterday 7:15', 'sat 7:30' (the latest Saturday, today
    included), '18:40' (the day already shown), '2026-11-21 18:40', '21 Nov 2026 18:40' and
    the form's own 'Sat 21 Nov 2026  18:40'. A part left out keeps the `current` one."""
    words = " ".join(text.strip().lower().replace(",", " ").split())
    day, time = current.date(), current.time()
    if m := _TIME.search(words):
        hour, minute = int(m[1]), int(m[2])
        if hour > 23 or minute > 59:
            raise InvalidEntry("started", f"{m[1]}:{m[2]} is not a time of day. Use 18:40.")
        time = dt.time(hour, minute)
        words = words[: m.start()].strip()
    if words in ("today", "now"):
        day = today
    elif words == "yesterday":
        day = today - dt.timedelta(days=1)
    elif words[:3] in _WEEKDAYS and words.isalpha():
        day = today - dt.timedelta(days=(today.weekday() - _WEEKDAYS.index(words[:3])) % 7)
    elif words:
        day = _day(words, today)
    return dt.datetime.combine(day, time).replace(second=0, microsecond=0)


def _day(words: str, today: dt.date) -> dt.date:
    for pattern in _DAY_FORMATS:
        try:
            parsed = dt.datetime.strptime(words, pattern)
        except ValueError:
            continue
        if "%Y" not in pattern:  # '21 Nov': the latest 21 Nov, this year's unless still ahead
            parsed = parsed.replace(year=today.year)
            if parsed.date() > today:
                parsed = parsed.replace(year=today.year - 1)
        return parsed.date()
    raise InvalidEntry(
        "started",
        "Type the day and time as today 18:40, yesterday 7:15, sat 7:30 or 21 Nov 2026 18:40, "
        "or press the up and down arrows to go a day back or forth.",
    )
