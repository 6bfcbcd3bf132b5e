"""What a journal entry is: plain dataclasses and enums, no Qt and no SQL.

Units are fixed inside the program: distances in km, durations in seconds,
elevation in metres, pain on the 0-10 scale. Display units are a setting.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields, replace
from enum import IntEnum, StrEnum
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .triage import Plan

MAX_DISTANCE_KM = 400.0
MAX_DURATION_S = 48 * 3600
MAX_ELEVATION_M = 20_000.0
MIN_HR, MAX_HR = 20, 250
MAX_CADENCE_SPM = 400.0
FIRST_YEAR = 1900  # earlier, a date is a typing or file error (and would stretch every chart)
KM_PER_MILE = 1.609344


class Kind(StrEnum):
    RUN = "run"
    STRENGTH = "strength"
    CROSS = "cross"
    CHECKIN = "checkin"


class RunType(StrEnum):
    EASY = "easy"
    LONG = "long"
    TEMPO = "tempo"
    INTERVALS = "intervals"
    HILLS = "hills"
    RACE = "race"
    TRAIL = "trail"


class Surface(StrEnum):
    ROAD = "road"
    TRAIL = "trail"
    TRACK = "track"
    TREADMILL = "treadmill"
    GRASS = "grass"
    MIXED = "mixed"


class Side(StrEnum):
    LEFT = "left"
    RIGHT = "right"


class Region(StrEnum):
    """Where on the knee it hurts. Names and hints for people are in resources/regions.toml."""

    QUAD_TENDON = "quad_tendon"
    KNEECAP = "kneecap"
    PATELLAR_TENDON = "patellar_tendon"
    TIBIAL_TUBEROSITY = "tibial_tuberosity"
    INNER_JOINT_LINE = "inner_joint_line"
    PES_ANSERINE = "pes_anserine"
    IT_BAND = "it_band"
    OUTER_JOINT_LINE = "outer_joint_line"
    BACK_CENTRE = "back_centre"
    BACK_INNER = "back_inner"
    BACK_OUTER = "back_outer"
    DEEP = "deep"


class Intensity(IntEnum):
    MILD = 1
    MODERATE = 2
    SEVERE = 3


class TimeCourse(StrEnum):
    BUILDS = "builds"
    EASES = "eases"
    PREDICTABLE_POINT = "predictable_point"
    AFTER = "after"
    NEXT_DAY = "next_day"
    STEADY = "steady"


class Trigger(StrEnum):
    RUNNING = "running"
    STAIRS_DOWN = "stairs_down"
    STAIRS_UP = "stairs_up"
    SQUATS = "squats"
    SITTING = "sitting"
    FIRST_STEPS = "first_steps"
    KNEELING = "kneeling"


class Change(StrEnum):
    """What changed in the two weeks before the entry."""

    VOLUME = "volume"
    FREQUENCY = "frequency"
    SPEED = "speed"
    HILLS = "hills"
    SHOES = "shoes"
    SURFACE = "surface"
    STRENGTH = "strength"
    COMEBACK = "comeback"


class WarningSign(StrEnum):
    SWELLING = "swelling"
    LOCKING = "locking"
    GIVING_WAY = "giving_way"
    POP = "pop"
    NIGHT_PAIN = "night_pain"
    LIMPING = "limping"


class Relative(IntEnum):
    """Sleep or stress against the runner's own usual."""

    LESS = -1
    USUAL = 0
    MORE = 1


class Units(StrEnum):
    KM = "km"
    MI = "mi"


class InvalidEntry(ValueError):
    """An entry field holds a value kneelog cannot store; `field` names it."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class PainMark:
    side: Side
    region: Region
    intensity: Intensity = Intensity.MILD


def limits(what: str, low: float, high: float, unit: str) -> dict[str, Any]:
    """Dataclass field metadata: validate() refuses a value outside [low, high], in words."""
    return {"limits": (what, low, high, unit)}


PAIN_FIELDS = ("pain_start", "pain_middle", "pain_end", "pain_later", "pain_next_morning")


@dataclass(frozen=True)
class Entry:
    """One journal entry. Fields that do not apply to a kind stay None or empty."""

    kind: Kind
    started: dt.datetime
    id: int | None = None
    distance_km: float | None = None
    duration_s: int | None = None
    run_type: RunType | None = None
    activity: str = ""  # cross-training: bike, swim, ...
    surface: Surface | None = None
    elevation_gain_m: float | None = None
    temperature_c: float | None = field(
        default=None, metadata=limits("Temperature", -50, 60, "\u00b0C")
    )
    shoe_id: int | None = None
    rpe: int | None = None
    pain_start: int | None = None
    pain_middle: int | None = None
    pain_end: int | None = None
    pain_later: int | None = None
    pain_next_morning: int | None = None
    time_course: TimeCourse | None = None
    triggers: frozenset[Trigger] = frozenset()
    changes: frozenset[Change] = frozenset()
    warnings: frozenset[WarningSign] = frozenset()
    sleep: Relative | None = None
    stress: Relative | None = None
    notes: str = ""
    marks: tuple[PainMark, ...] = ()
    # Recorded by a watch and imported from its file:
    moving_s: int | None = None
    elevation_loss_m: float | None = None
    avg_hr: int | None = None
    cadence_spm: float | None = None  # steps per minute, both feet
    device: str = ""
    source_hash: str | None = None  # sha256 of the file it came from
    pain_pending: bool = False  # imported; the runner has not said how the knee felt yet
    # The journal's bookkeeping, not what the runner wrote, so two entries that say the same
    # compare equal whatever their versions. Set by the Store:
    uuid: str | None = field(default=None, compare=False)  # who the entry is, in any journal
    version: int | None = field(default=None, compare=False)  # counted up by each save

    def with_(self, **changes: Any) -> Entry:
        return replace(self, **changes)

    @cached_property
    def day(self) -> dt.date:
        """The day it was on (kept once read: every figure reads it, many times over)."""
        return self.started.date()

    @property
    def is_run(self) -> bool:
        """A run with a distance: what every load figure counts."""
        return self.kind is Kind.RUN and bool(self.distance_km)

    @property
    def pace_s_per_km(self) -> float | None:
        if self.distance_km and self.duration_s:
            return self.duration_s / self.distance_km
        return None

    @property
    def max_pain(self) -> int | None:
        values = [v for v in (self.pain_start, self.pain_middle, self.pain_end) if v is not None]
        return max(values) if values else None

    def validate(self, today: dt.date | None = None) -> None:
        """Raise InvalidEntry naming the first field that cannot be stored, and how to fix it."""
        today = today or dt.date.today()
        if self.started.tzinfo is not None:
            raise InvalidEntry(
                "started",
                "The start time carries a time zone; kneelog keeps the "
                "local time of day without one. Remove the zone (+02:00, Z).",
            )
        if self.started.year < FIRST_YEAR:
            raise InvalidEntry("started", f"The date is before {FIRST_YEAR}. Check the year.")
        if self.started.date() > today:
            raise InvalidEntry(
                "started", "The date is in the future. Pick today or an earlier day."
            )
        if self.distance_km is not None and not 0 < self.distance_km <= MAX_DISTANCE_KM:
            raise InvalidEntry(
                "distance_km",
                f"Distance must be more than 0 and at most {MAX_DISTANCE_KM:.0f} km.",
            )
        if self.duration_s is not None and not 0 < self.duration_s <= MAX_DURATION_S:
            raise InvalidEntry("duration_s", "Time must be more than 0 and at most 48 hours.")
        if self.elevation_gain_m is not None and not 0 <= self.elevation_gain_m <= MAX_ELEVATION_M:
            raise InvalidEntry("elevation_gain_m", "Elevation gain must be between 0 and 20,000 m.")
        if self.moving_s is not None and not 0 < self.moving_s <= MAX_DURATION_S:
            raise InvalidEntry("moving_s", "Moving time must be more than 0 and at most 48 hours.")
        if (
            self.moving_s is not None
            and self.duration_s is not None
            and self.moving_s > self.duration_s
        ):
            raise InvalidEntry("moving_s", "Moving time cannot be longer than the whole time.")
        if self.elevation_loss_m is not None and not 0 <= self.elevation_loss_m <= MAX_ELEVATION_M:
            raise InvalidEntry("elevation_loss_m", "Elevation loss must be between 0 and 20,000 m.")
        if self.avg_hr is not None and not MIN_HR <= self.avg_hr <= MAX_HR:
            raise InvalidEntry(
                "avg_hr",
                f"Average heart rate must be between {MIN_HR} and {MAX_HR} beats a minute.",
            )
        if self.cadence_spm is not None and not 0 < self.cadence_spm <= MAX_CADENCE_SPM:
            raise InvalidEntry(
                "cadence_spm",
                f"Cadence must be more than 0 and at most {MAX_CADENCE_SPM:.0f} steps a minute.",
            )
        if self.rpe is not None and not 0 <= self.rpe <= 10:
            raise InvalidEntry("rpe", "Effort is rated from 0 (rest) to 10 (all out).")
        for name in PAIN_FIELDS:
            value = getattr(self, name)
            if value is not None and not 0 <= value <= 10:
                raise InvalidEntry(
                    name, "Pain is rated from 0 (none) to 10 (the worst imaginable)."
                )
        if self.kind is Kind.RUN and self.distance_km is None:
            raise InvalidEntry("distance_km", "A run needs its distance.")
        for f in fields(self):
            if "limits" in f.metadata and getattr(self, f.name) is not None:
                what, low, high, unit = f.metadata["limits"]
                if not low <= getattr(self, f.name) <= high:
                    raise InvalidEntry(
                        f.name, f"{what} must be between {low:g} and {high:g} {unit}."
                    )
        sides_regions = [(m.side, m.region) for m in self.marks]
        if len(set(sides_regions)) != len(sides_regions):
            raise InvalidEntry("marks", "The same spot is marked twice.")


@dataclass(frozen=True)
class Shoe:
    name: str
    id: int | None = None
    prior_km: float = 0.0
    limit_km: float = 800.0
    retired: bool = False

    def validate(self) -> None:
        if not self.name.strip():
            raise InvalidEntry("name", "Give the pair a name, for example 'Blue trainers'.")
        if not 0 <= self.prior_km <= 20_000:
            raise InvalidEntry("prior_km", "Distance already run must be between 0 and 20,000 km.")
        if not 50 <= self.limit_km <= 5_000:
            raise InvalidEntry("limit_km", "The replacement limit must be between 50 and 5,000 km.")


@dataclass(frozen=True)
class ShoeUse:
    """What the journal holds about one pair: the km of the runs logged in them, and the day
    of the first entry that used them."""

    km: float
    first_day: dt.date


@dataclass(frozen=True)
class Settings:
    units: Units = Units.KM
    usual_sleep_h: float = 7.5
    runner_name: str = ""


@dataclass(frozen=True)
class Period:
    """A closed range of days; None on either end means open."""

    first: dt.date | None = None
    last: dt.date | None = None

    def __contains__(self, day: dt.date) -> bool:
        return (self.first is None or day >= self.first) and (self.last is None or day <= self.last)


@dataclass
class Journal:
    """Everything in a journal file, as plain data (used by the demo generator and exports)."""

    entries: list[Entry] = field(default_factory=list)
    shoes: list[Shoe] = field(default_factory=list)
    settings: Settings = field(default_factory=Settings)
    # (triage.Plan, its ticks as {(day, step id)})
    plans: list[tuple[Plan, set[tuple[dt.date, str]]]] = field(default_factory=list)
