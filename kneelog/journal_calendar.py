"""The journal week by week, Monday to Sunday: what the calendar view shows (Qt-free).

Each day holds its entries in the order they were done, and the highest pain logged with
them (during the run, later that day, the next morning, in a check-in) gives the day its
pain level, by the pain rules of kneelog/rules.py. Weeks run from the Monday of the first
day to the Sunday of the last one, empty weeks included, newest first as in the history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from .content import label
from .metrics import monday
from .model import PAIN_FIELDS, Entry, Kind, Units
from .rules import Level, level_of
from .units import format_distance, format_duration

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class CalendarEntry:
    entry_id: int | None
    kind: Kind
    text: str  # short, for the cell: "8.4 km", "Strength"
    pain: int | None  # the highest pain logged with it
    details: str  # what it was, its pain and its notes, for the tip and screen readers
    notes: str


@dataclass(frozen=True)
class CalendarDay:
    day: dt.date
    entries: tuple[CalendarEntry, ...]
    pain: int | None  # the highest of its entries'
    level: Level | None  # the pain rules' level of that pain; None: no pain logged
    in_period: bool  # False for the days of the first and last week outside the period

    @property
    def runs(self) -> tuple[CalendarEntry, ...]:
        return tuple(e for e in self.entries if e.kind is Kind.RUN)


@dataclass(frozen=True)
class CalendarWeek:
    start: dt.date  # a Monday
    days: tuple[CalendarDay, ...]  # Monday to Sunday
    distance_km: float  # of its runs
    runs: int


def highest_pain(entry: Entry) -> int | None:
    values = [v for v in (getattr(entry, name) for name in PAIN_FIELDS) if v is not None]
    return max(values) if values else None


def _short(entry: Entry, units: Units) -> str:
    if entry.kind is Kind.RUN and entry.distance_km:
        return format_distance(entry.distance_km, units)
    if entry.kind is Kind.RUN:
        return "Run"
    if entry.kind is Kind.CROSS and entry.activity:
        return entry.activity
    return label("kind", entry.kind)


def _details(entry: Entry, units: Units) -> str:
    what = label("kind", entry.kind)
    if entry.kind is Kind.RUN and entry.distance_km:
        what = f"{format_distance(entry.distance_km, units)} run"
    elif entry.activity:
        what = f"{what} ({entry.activity})"
    if entry.duration_s:
        what += f" in {format_duration(entry.duration_s)}"
    lines = [f"{entry.started:%a %d %b %Y  %H:%M}: {what}"]
    if entry.pain_pending:
        lines.append("Pain not logged yet")
    else:
        pains = [
            f"{name} {value}"
            for name, value in (
                ("start", entry.pain_start),
                ("middle", entry.pain_middle),
                ("end", entry.pain_end),
                ("later" if entry.kind is not Kind.CHECKIN else "today", entry.pain_later),
                ("next morning", entry.pain_next_morning),
            )
            if value is not None
        ]
        if pains:
            lines.append("Pain: " + ", ".join(pains))
    if entry.notes:
        lines.append(entry.notes)
    return "\n".join(lines)


def calendar_weeks(
    entries: Iterable[Entry],
    units: Units = Units.KM,
    first: dt.date | None = None,
    last: dt.date | None = None,
) -> list[CalendarWeek]:
    """The weeks from `first` to `last` (by default the first and last entry's days), newest
    first; days outside first..last are marked so and hold nothing."""
    ordered = sorted(entries, key=lambda e: (e.started, e.id or 0))
    if first is None or last is None:
        if not ordered:
            return []
        first = first or ordered[0].day
        last = last or ordered[-1].day
    if first > last:
        return []
    by_day: dict[dt.date, list[Entry]] = {}
    for entry in ordered:
        if first <= entry.day <= last:
            by_day.setdefault(entry.day, []).append(entry)
    weeks = []
    start = monday(first)
    while start <= last:
        days = []
        distance, runs = 0.0, 0
        for offset in range(7):
            day = start + dt.timedelta(days=offset)
            shown = tuple(
                CalendarEntry(
                    e.id, e.kind, _short(e, units), highest_pain(e), _details(e, units), e.notes
                )
                for e in by_day.get(day, ())
            )
            pains = [e.pain for e in shown if e.pain is not None]
            pain = max(pains) if pains else None
            days.append(
                CalendarDay(
                    day,
                    shown,
                    pain,
                    None if pain is None else level_of(pain),
                    first <= day <= last,
                )
            )
            for e in by_day.get(day, ()):
                if e.kind is Kind.RUN:
                    runs += 1
                    distance += e.distance_km or 0.0
        weeks.append(CalendarWeek(start, tuple(days), distance, runs))
        start += dt.timedelta(days=7)
    weeks.reverse()
    return weeks
