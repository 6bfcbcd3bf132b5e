"""What every importer returns: one recorded activity as plain data, or a clear refusal."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

# Far above any activity a watch writes (a 24-hour GPX at one point a second is about 30 MB),
# and it bounds the work one file can cause, whatever is inside it.
MAX_FILE_BYTES = 50 * 1024 * 1024

RUNNING = "running"
# Sub-sports and GPX/TCX types that mean "indoors, no GPS": the distance comes from the watch.
INDOOR = {"treadmill", "indoor_running", "indoor", "virtual_activity", "indoor_walking"}

# Oldest and newest years a start time may have: outside, a date field is garbage.
FIRST_YEAR, LAST_YEAR = 1990, 2100


class ImportRejected(Exception):
    """A file kneelog will not import; `reason` says why in plain words ("this file is cut short")."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class NotAnActivity(ImportRejected):
    """A well-formed file that holds no recorded activity (watch settings, daily monitoring, a
    planned workout): an export is full of them, so an archive import counts them quietly."""


# A running step rate outside this range is no one's (knee-facts 10: 170-180 is a common
# target; a slow jog is about 140-160, a sprint about 200-220). A figure outside it is a
# misread unit or a broken sensor, and is dropped rather than stored.
RUNNING_SPM = (120.0, 230.0)


def running_steps(value: float | None, per_foot: bool | None) -> float | None:
    """Steps per minute (both feet) from a running cadence, or None when it cannot be one.

    per_foot: True when the format counts strides (FIT, TCX, Garmin's GPX extension), False
    when it counts steps, None when the format does not say. GPX is the case of None: Garmin
    Connect writes strides, other apps steps, and the extension looks the same. Strides and
    steps cannot be confused by plausibility: a runner's strides (60-115 a minute) are
    never a running step rate (120-230), so the figure tells which it is.
    """
    if value is None or not value > 0:
        return None
    low, high = RUNNING_SPM
    if per_foot is None:
        if low <= value <= high:
            return value
        per_foot = True
    steps = 2 * value if per_foot else value
    return steps if low <= steps <= high else None


@dataclass(frozen=True)
class Activity:
    """One recorded activity. Times are local to the runner, naive; units as in kneelog.model."""

    started: dt.datetime
    sport: str = RUNNING  # lower-case, as FIT names sports: running, cycling, swimming, ...
    sub_sport: str = ""  # treadmill, trail, track, ... when the file says
    distance_km: float | None = None
    elapsed_s: float | None = None
    moving_s: float | None = None
    elevation_gain_m: float | None = None
    elevation_loss_m: float | None = None
    avg_hr: float | None = None
    cadence_spm: float | None = None  # steps per minute, both feet
    device: str = ""

    @property
    def is_run(self) -> bool:
        return self.sport == RUNNING

    @property
    def indoor(self) -> bool:
        return self.sub_sport in INDOOR


def local_time(moment: dt.datetime, zone: dt.tzinfo | None = None) -> dt.datetime:
    """The wall-clock time in `zone` (None: this computer's zone) at `moment`, naive.

    Watch files store UTC; a naive time in them is UTC by their specifications. The offset is
    the zone's at that instant, so a run on the night the clocks change starts at the right hour.
    """
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise ImportRejected(f"the date in this file ({moment.year}) cannot be right")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(zone).replace(tzinfo=None, microsecond=0)


def number(value: Any, scale: float = 1.0) -> float | None:
    """A finite, positive number from a file field, else None (a missing sensor reads 0)."""
    if value is None or isinstance(value, (bytes, tuple, list)):
        return None
    try:
        value = float(value) * scale
    except (TypeError, ValueError, OverflowError):
        return None
    return value if math.isfinite(value) and value > 0 else None


def sport_name(text: str | None) -> str:
    """A file's sport as FIT names it: 'Running', 'run', 'trail_running' -> 'running'."""
    words = (text or "").strip().lower().replace(" ", "_").replace("-", "_")
    if not words or "run" in words or words.isdigit():
        # Missing, a run of any kind, or a numeric code only its app knows: kneelog is for runs.
        return RUNNING
    for fragment, sport in (
        ("bik", "cycling"),
        ("cycl", "cycling"),
        ("ride", "cycling"),
        ("swim", "swimming"),
        ("walk", "walking"),
        ("hik", "hiking"),
    ):
        if fragment in words:
            return sport
    return words
