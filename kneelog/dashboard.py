"""Everything the Charts view draws, computed from the journal (Qt-free).

Distances are already in the runner's display unit and what is plotted comes as numpy arrays,
so the widgets only draw. chart_data() computes it all from scratch; a ChartCache keeps the
same result up to date while the runner saves, edits and deletes entries (see its docstring).
"""

from __future__ import annotations

import datetime as dt
import statistics
from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TypeVar

import numpy as np

from . import metrics
from .model import Entry, Shoe, ShoeUse, Units
from .units import distance_value

T = TypeVar("T")

# How far back any figure looks from its day: the single-run spike 30 days, the load ratio
# and the pain trend 28, a week's change the week before (13 days back from a Sunday).
LOOKBACK_DAYS = 35
PAIN_SERIES = ("start", "middle", "end", "next_morning")  # the columns of ChartData.pain_y
# The parts of the charts a change may move: each pain series and the pain trend, the weekly
# bars, the spikes marked on them, the load ratio, the shoes, the spots marked on the knee.
PAIN_PARTS = {name: f"pain:{name}" for name in PAIN_SERIES}
EVERY_PART = frozenset(
    {*PAIN_PARTS.values(), "pain:trend", "bars", "spikes", "ratio", "shoes", "marks"}
)


def _no_values() -> np.ndarray:
    return np.zeros(0)


@dataclass
class ChartData:
    units: Units
    measure: str  # "distance" or "session": what the load ratio is computed on
    first: dt.date | None = None
    last: dt.date | None = None
    pain: list[metrics.PainPoint] = field(default_factory=list)  # one per run, oldest first
    pain_x: np.ndarray = field(default_factory=_no_values)  # each run's start, epoch seconds
    pain_y: np.ndarray = field(
        default_factory=lambda: np.zeros((0, len(PAIN_SERIES)))
    )  # NaN: not logged
    pain_trend_7: np.ndarray = field(default_factory=_no_values)  # one per run; NaN: no figure
    pain_trend_28: np.ndarray = field(default_factory=_no_values)
    usual_morning: float = 0.0
    weeks: list[metrics.Week] = field(default_factory=list)
    week_distance: np.ndarray = field(default_factory=_no_values)  # display unit
    spikes: list[metrics.Spike] = field(default_factory=list)
    ratio_ewma: np.ndarray = field(
        default_factory=_no_values
    )  # a day from first to last; NaN: none
    ratio_coupled: np.ndarray = field(default_factory=_no_values)
    shoes: list[metrics.ShoeMileage] = field(default_factory=list)
    runs: dict[int, Entry] = field(default_factory=dict)
    # The parts of the charts that differ from the data before (see EVERY_PART); all of them
    # when computed from scratch.
    changed: frozenset[str] = field(default_factory=lambda: EVERY_PART, compare=False)

    @property
    def empty(self) -> bool:
        return len(self.pain) < 2


def chart_data(
    entries: list[Entry], shoes: list[Shoe], units: Units = Units.KM, today: dt.date | None = None
) -> ChartData:
    """Metrics over the whole journal; the view chooses which stretch of time to show.

    The load ratio runs on session load (RPE x minutes) when most runs have effort logged,
    otherwise on distance.
    """
    cache = ChartCache()
    return cache.compute(entries, shoes, units, today)


class ChartCache:
    """chart_data() for a journal that changes a few entries at a time, at a fraction of the cost.

    apply() is told which entries changed (by id; the journal session names them) and finds
    their versions before in its own copy. No figure looks back more than LOOKBACK_DAYS, so the
    days a change can reach are recomputed, with their lookback, and spliced into the previous
    result; the EWMA carries on from its value the day before the change. Whatever moves every
    figure (the first or last day, the units, the load measure, the runner's usual next-morning
    pain) recomputes everything. Entries are taken in time order (same-minute ones by id),
    whatever order they come in. Each result names the parts of the charts it changed
    (ChartData.changed), so that the view draws only those again.
    """

    def __init__(self) -> None:
        self.data: ChartData | None = None
        self._by_id: dict[int | None, Entry] = {}  # the entries, as of the last call
        self._ordered: list[Entry] = []  # the same, oldest first
        self._shoes: list[Shoe] = []
        self._settings: tuple[Units, dt.date | None] | tuple[()] = ()
        self._runs = 0  # runs, and runs with effort logged: they choose the measure
        self._with_effort = 0
        self._mornings: dict[dt.date, list[int]] = {}  # next-morning pain of pain-free weeks
        self._loads = np.zeros(0)  # a day from first to last
        self._acute: list[float] = []  # EWMAs of the loads
        self._chronic: list[float] = []

    def apply(
        self,
        ids: Iterable[int],
        entries: Mapping[int, Entry],
        shoes: Iterable[Shoe],
        units: Units = Units.KM,
        today: dt.date | None = None,
        shoe_use: Mapping[int, ShoeUse] | None = None,
    ) -> ChartData:
        """The charts after the entries with these ids changed: `entries` holds every entry of
        the journal as it is now, by id (an id missing from it was deleted). `shoe_use`, when
        the caller holds it (metrics.shoe_use of `entries`), saves going through them again."""
        shoes = list(shoes)

        def mileage() -> list[metrics.ShoeMileage]:
            if shoe_use is None:
                return metrics.shoe_mileage(shoes, self._ordered)
            return metrics.mileage(shoes, shoe_use)

        if self.data is None or (units, today) != self._settings:
            return self.compute(list(entries.values()), shoes, units, today)
        known = self._by_id
        gone = [known.pop(i) for i in set(ids) if i in known]  # the versions before
        fresh = [entries[i] for i in set(ids) if i in entries]
        known.update((e.id, e) for e in fresh)
        changed = gone + fresh  # every version of every entry that changed
        if len(changed) > len(known) // 2:  # the journal read again, say: start over
            return self.compute(list(entries.values()), shoes, units, today)
        if not changed:
            if shoes == self._shoes:
                self.data = replace(self.data, changed=frozenset())
            else:
                self._shoes = shoes
                self.data = replace(
                    self.data,
                    shoes=mileage(),
                    changed=frozenset({"shoes"}),
                )
            return self.data
        for e in gone:
            self._count(e, -1)
            i = bisect_left(self._ordered, _order(e), key=_order)
            while self._ordered[i] is not e:
                i += 1
            del self._ordered[i]
        for e in fresh:
            self._count(e, 1)
            insort(self._ordered, e, key=_order)
        data = self.data
        if (
            data is None
            or not self._ordered
            or _measure(self._runs, self._with_effort) != data.measure
            or _bounds(self._ordered, today) != (data.first, data.last)
        ):
            return self.compute(list(entries.values()), shoes, units, today)
        assert data.last is not None  # the same bounds as the journal's, which has entries
        days = [e.day for e in changed]
        start = metrics.monday(min(days))
        end = min(
            data.last, metrics.monday(max(days) + dt.timedelta(LOOKBACK_DAYS)) + dt.timedelta(6)
        )
        window = self._between(start - dt.timedelta(LOOKBACK_DAYS), end)
        runs = [e for e in window if e.is_run]
        by_week = _by_week(runs)
        for week in {metrics.monday(day) for day in days}:
            self._mornings[week] = metrics.pain_free_mornings(by_week.get(week, []))
        if _usual(self._mornings) != data.usual_morning:
            return self.compute(list(entries.values()), shoes, units, today)
        spikes_moved = self._splice(window, runs, start, end)
        runs_by_id = self.data.runs = dict(data.runs)
        for e in gone:
            if e.id is not None:
                runs_by_id.pop(e.id, None)
        runs_by_id.update((e.id, e) for e in fresh if e.is_run and e.id is not None)
        # Pain points, weeks and spikes come from runs alone; the load of other sessions
        # counts only when the ratio is on session load.
        changed_runs = [e for e in changed if e.is_run]
        parts = {"pain:trend", "bars"} if changed_runs else set()
        for name, part in PAIN_PARTS.items():  # a series moves with a run that has its figure
            if any(getattr(e, f"pain_{name}") is not None for e in changed_runs):
                parts.add(part)
        if spikes_moved and changed_runs:  # spikes come from runs alone
            parts.add("spikes")
        if any(_load(e, self.data.measure) for e in changed):  # else every day's load is as it was
            parts.add("ratio")
        if any(e.marks for e in changed):
            parts.add("marks")
        if shoes != self._shoes or any(e.shoe_id is not None and e.is_run for e in changed):
            self._shoes = shoes
            self.data.shoes = mileage()
            parts.add("shoes")
        self.data.changed = frozenset(parts)
        return self.data

    # -- from scratch ----------------------------------------------------------------------

    def compute(
        self, entries: list[Entry], shoes: list[Shoe], units: Units, today: dt.date | None
    ) -> ChartData:
        """Every figure from scratch (a journal opened, the units or the day changed)."""
        self._by_id = {e.id: e for e in entries}
        self._ordered = ordered = sorted(entries, key=_order)
        self._shoes, self._settings = shoes, (units, today)
        self._runs = self._with_effort = 0
        for e in ordered:
            self._count(e, 1)
        self.data = data = ChartData(units=units, measure=_measure(self._runs, self._with_effort))
        runs = [e for e in ordered if e.is_run]
        self._mornings = {
            week: metrics.pain_free_mornings(rs) for week, rs in _by_week(runs).items()
        }
        data.shoes = metrics.shoe_mileage(self._shoes, runs)
        data.runs = {e.id: e for e in runs if e.id is not None}
        if not entries:
            self._loads, self._acute, self._chronic = np.zeros(0), [], []
            return data
        data.first, data.last = _bounds(ordered, today)
        data.usual_morning = _usual(self._mornings)
        self._loads, self._acute, self._chronic = np.zeros(0), [], []
        self._splice(ordered, runs, data.first, data.last)
        return self.data

    # -- the days a change reaches ----------------------------------------------------------

    def _splice(
        self, entries: list[Entry], runs: list[Entry], start: dt.date, end: dt.date
    ) -> bool:
        """Recompute every figure from `start` to `end`; the entries and runs (oldest first)
        cover that stretch and LOOKBACK_DAYS before it. A new ChartData replaces the old one,
        which may still be on screen. Whether the spikes of that stretch moved."""
        old = self.data
        assert old is not None and old.first is not None  # splicing into a journal with entries
        units, first = old.units, old.first

        def day_of(item: metrics.PainPoint | metrics.Spike) -> dt.date:
            return item.when.date() if isinstance(item, metrics.PainPoint) else item.day

        def span(items: Sequence[metrics.PainPoint] | Sequence[metrics.Spike]) -> slice:
            return slice(
                bisect_left(items, start, key=day_of), bisect_right(items, end, key=day_of)
            )

        points = metrics.pain_points(runs, old.usual_morning)
        new = span(points)
        was = span(old.pain)
        pain = points[new]
        x = np.array([p.when.timestamp() for p in pain], dtype=float)
        y = np.array(
            [
                [np.nan if v is None else v for v in (p.start, p.middle, p.end, p.next_morning)]
                for p in pain
            ],
            dtype=float,
        ).reshape(-1, len(PAIN_SERIES))
        trends = [_array(metrics.pain_trend(points, days)[new]) for days in (7, 28)]

        found = metrics.spikes(runs)
        old_spikes, new_spikes = old.spikes[span(old.spikes)], found[span(found)]
        weeks = metrics.weekly(runs, start, end)
        w0 = (start - metrics.monday(first)).days // 7
        w1 = w0 + len(weeks)

        day0 = max(start, first)
        d0 = (day0 - first).days
        loads = metrics.daily_loads(entries, day0, end, old.measure)
        self._loads = np.concatenate((self._loads[:d0], loads, self._loads[d0 + len(loads) :]))
        tail = self._loads[d0:].tolist()
        acute = metrics.ewma(tail, metrics.ACUTE_DAYS, self._acute[d0 - 1] if d0 else None)
        chronic = metrics.ewma(tail, metrics.CHRONIC_DAYS, self._chronic[d0 - 1] if d0 else None)
        self._acute, self._chronic = self._acute[:d0] + acute, self._chronic[:d0] + chronic
        ewma = _array(metrics.ewma_ratio(acute, chronic, d0))

        self.data = replace(
            old,
            pain=_spliced_list(old.pain, was, pain),
            pain_x=_spliced_array(old.pain_x, was, x),
            pain_y=_spliced_array(old.pain_y, was, y),
            pain_trend_7=_spliced_array(old.pain_trend_7, was, trends[0]),
            pain_trend_28=_spliced_array(old.pain_trend_28, was, trends[1]),
            weeks=_spliced_list(old.weeks, slice(w0, w1), weeks),
            week_distance=_spliced_array(
                old.week_distance,
                slice(w0, w1),
                _array([distance_value(w.distance_km, units) for w in weeks]),
            ),
            spikes=_spliced_list(old.spikes, span(old.spikes), new_spikes),
            ratio_ewma=np.concatenate((old.ratio_ewma[:d0], ewma)),
            ratio_coupled=metrics.acwr_rolling_coupled_array(self._loads),
        )
        # A spike's mark sits on its week's bar: the bars of this stretch moved too.
        return bool(old_spikes or new_spikes)

    def _between(self, first: dt.date, last: dt.date) -> list[Entry]:
        """The entries from `first` to `last` (whole days), oldest first."""
        since, until = (
            dt.datetime.combine(day, dt.time()) for day in (first, last + dt.timedelta(1))
        )
        return self._ordered[
            bisect_left(self._ordered, since, key=_started) : bisect_left(
                self._ordered, until, key=_started
            )
        ]

    def _count(self, e: Entry, sign: int) -> None:
        if e.is_run:
            self._runs += sign
            self._with_effort += sign * (metrics.session_load(e) is not None)


def _load(e: Entry, measure: str) -> float | None:
    """What an entry adds to its day's load (metrics.daily_loads)."""
    if measure == "distance":
        return e.distance_km if e.is_run else None
    return metrics.session_load(e)


def _order(e: Entry) -> tuple[dt.datetime, int]:
    return e.started, e.id or 0


def _started(e: Entry) -> dt.datetime:
    return e.started


def _by_week(runs: list[Entry]) -> dict[dt.date, list[Entry]]:
    weeks: dict[dt.date, list[Entry]] = {}
    for e in runs:
        weeks.setdefault(metrics.monday(e.day), []).append(e)
    return weeks


def _measure(runs: int, with_effort: int) -> str:
    return "session" if runs and with_effort >= 0.8 * runs else "distance"


def _bounds(ordered: list[Entry], today: dt.date | None) -> tuple[dt.date, dt.date]:
    first = ordered[0].day
    return first, max(today or first, ordered[-1].day)


def _usual(mornings: dict[dt.date, list[int]]) -> float:
    """metrics.usual_morning_pain, from the pain-free weeks' mornings."""
    values = [m for week in mornings.values() for m in week]
    return float(statistics.median(values)) if values else 0.0


def _array(values: Iterable[float | None]) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def _spliced_array(array: np.ndarray, where: slice, new: np.ndarray) -> np.ndarray:
    return np.concatenate((array[: where.start], new, array[where.stop :]))


def _spliced_list(items: list[T], where: slice, new: list[T]) -> list[T]:
    return items[: where.start] + new + items[where.stop :]
