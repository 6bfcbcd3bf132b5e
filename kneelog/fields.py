"""The journal entry's fields as data: one line per field, read by everything that lists them.

The store's row mapping, the form's rows per kind and what an edit keeps, the CSV export and
the history table are all built from FIELDS, so a new field is its Entry attribute, one line
here and a migration (see docs/architecture.md). The JSON export needs neither: it copies every column of the
journal's tables. No Qt here: the form reads the widget kind and builds the widget itself.

FIELDS is in the order the runner reads them: the form's rows (within each part of the form),
the CSV's columns and the history's columns all follow it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import types
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .content import describe_marks, label, region_name
from .model import Entry, Kind, PainMark, Units
from .units import distance_value, format_climb, format_distance, format_duration, format_pace


class Widget(StrEnum):
    """How the form asks for a field. Where it goes follows from the kind: KNEE, CHIPS and
    WARNINGS under a heading in the right column, NOTES under a heading below the rows, KIND above
    them, the others as a captioned row."""

    KIND = "kind"  # the kind chooser above everything
    WHEN = "when"  # date and time of day
    TEXT = "text"  # one line of text
    DISTANCE = "distance"  # a number in the runner's unit; the pace shows beside the time
    DURATION = "duration"  # 52, 52:30 or 1:02:03, with the pace beside it
    CLIMB = "climb"  # a height in metres, or in feet when distances are in miles
    NUMBER = "number"  # a plain number
    CHOICE = "choice"  # one value of the field's enum, or none
    SHOES = "shoes"  # the journal's pairs, and "Add a pair..."
    EFFORT = "effort"  # 0-10
    PAIN = "pain"  # 0-10 in the pain zones' colours
    ONE_OF = "one_of"  # chips of the enum's values, one or none
    CHIPS = "chips"  # chips of the enum's values, any number
    WARNINGS = "warnings"  # CHIPS that turn red, three to a line
    KNEE = "knee"  # the knee drawing, for the pain marks
    NOTES = "notes"  # a few lines of text


@dataclass(frozen=True)
class Shown:
    """What a column's text depends on besides the entry."""

    units: Units = Units.KM
    shoes: dict[int, str] = dataclasses.field(default_factory=dict)  # shoe id -> name


@dataclass(frozen=True)
class Column:
    """One column of the CSV export or the history table. `header` may hold {unit}, the
    runner's distance unit."""

    header: str
    text: Callable[[Entry, Shown], str]
    numeric: bool = False  # the history aligns it to the right
    stretch: bool = False  # the history's long column: sized by its text, within bounds

    def title(self, units: Units) -> str:
        return self.header.format(unit=units.value)


UNIT_WORDS = {
    "m": "metres"
}  # a unit as said in a sentence: "Type the climb in metres as a number."
ALL_KINDS = frozenset(Kind)
RUN = frozenset({Kind.RUN})


@dataclass(frozen=True)
class Field:
    """One field of an entry, for everything that lists entries' fields."""

    name: str  # the Entry attribute, and its column in the entries table
    kinds: frozenset[Kind] = ALL_KINDS  # the form asks the others nothing and saves them empty
    label: str = ""  # caption or heading in the form; '&' marks the Alt+letter key
    unit: str = ""  # shown after the caption: "Climb (m)"
    widget: Widget | None = None  # None: the form does not show it
    hint: str = ""  # the example in an empty field
    words: str = ""  # content group naming the values of its enum (content.label)
    csv: tuple[Column, ...] = ()
    history: tuple[Column, ...] = ()
    watch: bool = False  # importing a watch file fills it
    kept: bool = True  # not shown: an edit keeps it as it was (False: saving resets it)
    stored: bool = True  # a column of the entries table (marks have a table of their own)
    kind_labels: tuple[tuple[Kind, str], ...] = ()  # a caption that differs for a kind

    def caption(self, kind: Kind | None = None) -> str:
        text = self.label if kind is None else dict(self.kind_labels).get(kind, self.label)
        return f"{text} ({self.unit})" if self.unit else text


# -- how values read for people ---------------------------------------------------------


def _number(value: float | None, digits: int = 2) -> str:
    if value is None:
        return ""
    text = f"{value:.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _hms(seconds: float | None) -> str:
    """h:mm:ss always, as a spreadsheet reads a time."""
    if seconds is None:
        return ""
    h, rest = divmod(round(seconds), 3600)
    return f"{h}:{rest // 60:02d}:{rest % 60:02d}"


def _words(group: str, values: Iterable[Any]) -> str:
    return "; ".join(sorted(label(group, v) for v in values))


def _pain(value: int | None) -> str:
    return "-" if value is None else str(value)


def where_it_hurt(entry: Entry) -> str:
    """'Right knee: kneecap and around it (moderate); ...' in words."""
    return "; ".join(
        f"{label('side', m.side)}: {region_name(m.region).lower()} ({label('intensity', m.intensity).lower()})"
        for m in sorted(entry.marks, key=lambda m: (m.side.value, m.region.value))
    )


def _csv_pace(e: Entry, shown: Shown) -> str:
    pace = e.pace_s_per_km
    return "" if pace is None else format_duration(round(pace / distance_value(1.0, shown.units)))


def _history_kind(e: Entry, shown: Shown) -> str:
    kind = label("kind", e.kind)
    if e.kind is Kind.RUN and e.run_type:
        return f"{kind} ({label('run_type', e.run_type).lower()})"
    return f"{kind} ({e.activity})" if e.activity else kind


def _history_pain(e: Entry, shown: Shown) -> str:
    if e.pain_pending:
        return "pain not logged yet"
    if e.kind is Kind.CHECKIN:
        return _pain(e.pain_later)
    if e.pain_start is None and e.pain_end is None:
        return "not logged yet" if e.kind is Kind.RUN else ""
    if e.pain_start is None:
        return _pain(e.pain_end)
    return f"{_pain(e.pain_start)} \u2192 {_pain(e.pain_end)}"


def _csv_number(name: str, digits: int = 0) -> Callable[[Entry, Shown], str]:
    return lambda e, shown: _number(getattr(e, name), digits)


def _csv_word(name: str, group: str) -> Callable[[Entry, Shown], str]:
    return lambda e, shown: "" if getattr(e, name) is None else label(group, getattr(e, name))


def _csv_words(name: str, group: str) -> Callable[[Entry, Shown], str]:
    return lambda e, shown: _words(group, getattr(e, name))


def _text(name: str) -> Callable[[Entry, Shown], str]:
    return lambda e, shown: getattr(e, name)


def _pain_field(name: str, text: str, kinds: Iterable[Kind], **more: Any) -> Field:
    return Field(
        name,
        frozenset(kinds),
        text,
        widget=Widget.PAIN,
        csv=(Column(f"{text} (0-10)", _csv_number(name)),),
        **more,
    )


# -- the fields ---------------------------------------------------------------------------

NOT_CHECKIN = frozenset({Kind.RUN, Kind.STRENGTH, Kind.CROSS})

FIELDS: tuple[Field, ...] = (
    Field("id"),  # the journal's number for the entry; an edit saves over it
    Field(
        "started",
        label="&When",
        widget=Widget.WHEN,
        watch=True,
        csv=(
            Column("Date", lambda e, shown: e.started.date().isoformat()),
            Column("Start time", lambda e, shown: e.started.strftime("%H:%M")),
        ),
        history=(Column("Date", lambda e, shown: f"{e.started:%a %d %b %Y  %H:%M}"),),
    ),
    Field(
        "kind",
        widget=Widget.KIND,
        words="kind",
        watch=True,
        csv=(Column("Kind", _csv_word("kind", "kind")),),
        history=(Column("Kind", _history_kind),),
    ),
    Field(
        "activity",
        frozenset({Kind.STRENGTH, Kind.CROSS}),
        "Activity",
        widget=Widget.TEXT,
        hint="Bike, swim, gym...",
        watch=True,
        csv=(Column("Activity", _text("activity")),),
    ),
    Field(
        "distance_km",
        frozenset({Kind.RUN, Kind.CROSS}),
        "&Distance",
        widget=Widget.DISTANCE,
        hint="8.4",
        watch=True,
        csv=(
            Column(
                "Distance ({unit})",
                lambda e, shown: _number(
                    None if e.distance_km is None else distance_value(e.distance_km, shown.units)
                ),
            ),
        ),
        history=(
            Column(
                "Distance",
                lambda e, shown: format_distance(e.distance_km, shown.units),
                numeric=True,
            ),
        ),
    ),
    # The pace is worked out from distance and time; it is shown beside the time.
    Field(
        "duration_s",
        NOT_CHECKIN,
        "&Time",
        widget=Widget.DURATION,
        hint="52:30",
        watch=True,
        csv=(
            Column("Time (h:mm:ss)", lambda e, shown: _hms(e.duration_s)),
            Column("Pace (min/{unit})", _csv_pace),
        ),
        history=(
            Column("Time", lambda e, shown: format_duration(e.duration_s), numeric=True),
            Column(
                "Pace",
                lambda e, shown: (
                    format_pace(e.pace_s_per_km, shown.units) if e.kind is Kind.RUN else ""
                ),
                numeric=True,
            ),
        ),
    ),
    Field(
        "run_type",
        RUN,
        "T&ype",
        widget=Widget.CHOICE,
        words="run_type",
        csv=(Column("Run type", _csv_word("run_type", "run_type")),),
    ),
    Field(
        "surface",
        RUN,
        "Surface",
        widget=Widget.CHOICE,
        words="surface",
        watch=True,
        csv=(Column("Surface", _csv_word("surface", "surface")),),
    ),
    Field(
        "elevation_gain_m",
        RUN,
        "Climb",
        widget=Widget.CLIMB,
        hint="0",
        watch=True,
        csv=(Column("Elevation gain (m)", _csv_number("elevation_gain_m")),),
        history=(
            Column(
                "Climb",
                lambda e, shown: format_climb(e.elevation_gain_m, shown.units),
                numeric=True,
            ),
        ),
    ),
    Field(
        "elevation_loss_m",
        watch=True,
        csv=(Column("Elevation loss (m)", _csv_number("elevation_loss_m")),),
    ),
    Field(
        "temperature_c",
        RUN,
        "Temperature",
        "\u00b0C",
        Widget.NUMBER,
        hint="12",
        csv=(Column("Temperature (\u00b0C)", _csv_number("temperature_c", 1)),),
    ),
    Field(
        "shoe_id",
        RUN,
        "Sh&oes",  # Alt+H is the Help menu's
        widget=Widget.SHOES,
        csv=(
            Column(
                "Shoes",
                lambda e, shown: "" if e.shoe_id is None else shown.shoes.get(e.shoe_id, ""),
            ),
        ),
    ),
    Field(
        "rpe",
        NOT_CHECKIN,
        "Effort",
        widget=Widget.EFFORT,
        csv=(Column("Effort (0-10)", _csv_number("rpe")),),
    ),
    _pain_field(
        "pain_start",
        "Pain at the start",
        RUN,
        history=(Column("Pain start \u2192 end", _history_pain, numeric=True),),
    ),
    _pain_field("pain_middle", "Pain in the middle", NOT_CHECKIN),
    _pain_field("pain_end", "Pain at the end", NOT_CHECKIN),
    _pain_field(
        "pain_later", "Pain later that day", ALL_KINDS, kind_labels=((Kind.CHECKIN, "Pain today"),)
    ),
    _pain_field(
        "pain_next_morning",
        "Pain next morning",
        ALL_KINDS,
        kind_labels=((Kind.CHECKIN, "Pain the morning after"),),
        history=(
            Column("Next morning", lambda e, shown: _pain(e.pain_next_morning), numeric=True),
        ),
    ),
    Field(
        "time_course",
        RUN,
        "How it evo&lved",  # Alt+V is the View menu's
        widget=Widget.CHOICE,
        words="time_course",
        csv=(Column("How the pain went", _csv_word("time_course", "time_course")),),
    ),
    Field(
        "marks",
        label="Where does it hurt? Click the knee",
        widget=Widget.KNEE,
        stored=False,
        csv=(Column("Where it hurt", lambda e, shown: where_it_hurt(e)),),
        history=(Column("Where", lambda e, shown: describe_marks(e), stretch=True),),
    ),
    Field(
        "triggers",
        label="What sets it off",
        widget=Widget.CHIPS,
        words="trigger",
        csv=(Column("What set it off", _csv_words("triggers", "trigger")),),
    ),
    Field(
        "changes",
        label="What changed in the last two weeks",
        widget=Widget.CHIPS,
        words="change",
        csv=(Column("What changed lately", _csv_words("changes", "change")),),
    ),
    Field(
        "warnings",
        label="Warning signs",
        widget=Widget.WARNINGS,
        words="warning",
        csv=(Column("Warning signs", _csv_words("warnings", "warning")),),
        history=(
            Column(
                "Warning signs",
                lambda e, shown: ", ".join(label("warning", w) for w in sorted(e.warnings)),
            ),
        ),
    ),
    Field(
        "sleep",
        label="Sleep",
        widget=Widget.ONE_OF,
        words="sleep",
        csv=(Column("Sleep", _csv_word("sleep", "sleep")),),
    ),
    Field(
        "stress",
        label="Stress",
        widget=Widget.ONE_OF,
        words="stress",
        csv=(Column("Stress", _csv_word("stress", "stress")),),
    ),
    Field(
        "moving_s",
        watch=True,
        csv=(Column("Moving time (h:mm:ss)", lambda e, shown: _hms(e.moving_s)),),
    ),
    Field("avg_hr", watch=True, csv=(Column("Average heart rate (bpm)", _csv_number("avg_hr")),)),
    Field(
        "cadence_spm",
        watch=True,
        csv=(Column("Cadence (steps/min)", _csv_number("cadence_spm", 1)),),
    ),
    Field("device", watch=True, csv=(Column("Device", _text("device")),)),
    Field("source_hash", watch=True),  # which file it came from: the same file is skipped
    # Imported, the knee not rated yet; saving the form is rating it.
    Field(
        "pain_pending",
        watch=True,
        kept=False,
        csv=(Column("Pain not logged yet", lambda e, shown: "yes" if e.pain_pending else ""),),
    ),
    Field(
        "notes",
        label="Notes",
        widget=Widget.NOTES,
        hint="Anything else worth remembering",
        csv=(Column("Notes", _text("notes")),),
    ),
    Field("uuid"),  # who the entry is, in any journal; an edit keeps it
    Field("version"),  # counted up by each save; an edit names the version it started from
)

BY_NAME = {f.name: f for f in FIELDS}
STORED = tuple(f for f in FIELDS if f.stored)
COLUMNS = tuple(f.name for f in STORED)  # the entries table's columns
CSV_COLUMNS = tuple(c for f in FIELDS for c in f.csv)
HISTORY_COLUMNS = tuple(c for f in FIELDS for c in f.history)


def asked(kind: Kind) -> list[Field]:
    """The fields the form shows for an entry of this kind, in order."""
    return [f for f in FIELDS if f.widget is not None and kind in f.kinds]


# -- rows of the entries table ------------------------------------------------------------


def _codec(hint: Any) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    """(to the column, from the column) for an Entry attribute of this type."""
    if isinstance(hint, types.UnionType):  # X | None: None is NULL, both ways
        (hint,) = (a for a in typing.get_args(hint) if a is not type(None))
    if hint is dt.datetime:  # local time of day, to the second, as ISO text
        return (
            lambda v: v.replace(microsecond=0, tzinfo=None).isoformat(),
            dt.datetime.fromisoformat,
        )
    if hint is bool:
        return int, bool
    if typing.get_origin(hint) is frozenset:  # a set of enum values: their values, sorted, spaced
        member = typing.get_args(hint)[0]
        return (
            lambda v: " ".join(sorted(m.value for m in v)),
            lambda v: frozenset(member(m) for m in v.split()),
        )
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return (lambda v: None if v is None else v.value, lambda v: None if v is None else hint(v))
    return (lambda v: v), (lambda v: v)


_HINTS = typing.get_type_hints(Entry)
_CODECS = {f.name: _codec(_HINTS[f.name]) for f in STORED}


def enum_of(field: Field) -> type[enum.Enum]:
    """The enum whose values a CHOICE, ONE_OF or CHIPS field holds."""
    hint = _HINTS[field.name]
    if isinstance(hint, types.UnionType):
        (hint,) = (a for a in typing.get_args(hint) if a is not type(None))
    found = typing.get_args(hint)[0] if typing.get_origin(hint) is frozenset else hint
    return typing.cast(type[enum.Enum], found)


def to_row(entry: Entry) -> dict[str, Any]:
    """The entry as a row of the entries table, column -> value (marks not included)."""
    return {name: _CODECS[name][0](getattr(entry, name)) for name in COLUMNS}


def from_row(row: dict[str, Any], marks: tuple[PainMark, ...] = ()) -> Entry:
    return Entry(**{name: _CODECS[name][1](row[name]) for name in COLUMNS}, marks=marks)
