"""Load and pain metrics: pure functions over journal entries (no Qt, no SQL).

Choices the literature leaves open, stated once here and in the app's "about this figure"
texts (ABOUT below):

- Days are the runner's local calendar days (an entry's `started` date); days without an
  entry count as load 0.
- Daily load is the distance of runs in km, or, on "session load", RPE x minutes summed over
  every entry with both logged (Foster 2001). Entries without effort add nothing to it.
- Single-run spike (Frandsen et al. 2025): distance / longest run in the 30 days before the
  run's day (the day itself excluded) - 1. No run in those 30 days: no spike figure.
- Week-over-week change: weeks run Monday to Sunday; change = this week / last week - 1;
  not defined when last week had no running.
- Acute:chronic ratios are computed from the first day of the data. Rolling coupled
  mean(t-6..t) / mean(t-27..t); uncoupled mean(t-6..t) / mean(t-27..t-7); EWMA (Williams
  2017) with lambda 2/(N+1), N = 7 and 28, both seeded with day 1's load. All three are
  hidden (None) before day 28, and wherever the chronic load is 0.
- Monotony (Foster 1998) uses the population standard deviation of the week's 7 daily loads;
  with a deviation of 0 it is capped at MONOTONY_CAP (a load of 0 every day gives 0).
- Pain during a run is the highest of start / middle / end. Trends are the mean of that
  figure over runs in the last 7 and 28 calendar days.
- Usual next-morning pain: the value the runner set, else the median next-morning pain of
  pain-free weeks (weeks whose runs all had pain logged, at 0 during), else 0.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING, Any, cast, overload

from .model import Entry, Period, Region, Shoe, ShoeUse, Side, Units
from .rules import EASE_MAX
from .units import distance_value

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

SPIKE_WINDOW_DAYS = 30
SPIKE_BANDS = ((0.10, "up to 10%"), (0.30, "10-30%"), (1.00, "30-100%"), (math.inf, "over 100%"))
SPIKE_HAZARD = {"up to 10%": 1.0, "10-30%": 1.64, "30-100%": 1.52, "over 100%": 2.28}
WEEKLY_BANDS = ((0.10, "up to 10%"), (0.30, "10-30%"), (math.inf, "over 30%"))
ACUTE_DAYS, CHRONIC_DAYS = 7, 28
MONOTONY_CAP = 10.0
SHOE_WARN_KM = 480.0
_STARTED = attrgetter("started")

ABOUT = {
    "spike": (
        "How much longer a run was than your longest run in the 30 days before it. In a study "
        "of 5,205 runners (Frandsen 2025), runs more than 10% longer than that came with a "
        "higher injury risk. Of the load figures here it has the best evidence for runners."
    ),
    "weekly": (
        "Your weekly distance (Monday to Sunday) and its change from the week before. The "
        "'10% rule' is a rule of thumb; a trial found no clear difference with it, and jumps of "
        "over 30% a week tended to go with more knee and IT band problems (Nielsen 2014)."
    ),
    "ratio": (
        "Your last 7 days of load against your last 28 days (1.0, the dotted line, = the same "
        "as usual). The "
        "0.8-1.3 'sweet spot' comes from team sports; in runners this ratio did not predict "
        "injury (Frandsen 2025). Treat it as context, not as a warning light. It appears from "
        "day 28 of your journal; days without entries count as rest."
    ),
    "pain": (
        "Pain at the start, middle and end of each run and the next morning. Up to 3 is usually "
        "fine to keep going, 4 means ease off, above 4 means stop running for now, and 7 or more "
        "means get the knee assessed. Pain that rises during a run, or is worse the next morning "
        "than usual, says the load was more than the knee liked."
    ),
    "shoes": (
        "Distance in each pair: what you had run in them before plus the runs logged with them. "
        "Replacing shoes after {warn}-{limit} {unit} is a convention, not a proven limit; "
        "kneelog mentions it from {warn} {unit} and uses the limit you set for each pair."
    ),
}
SHOE_LIMIT_KM = 800.0  # the top of that convention


def about(key: str, units: Units = Units.KM) -> str:
    """ABOUT[key], its distances in the runner's unit (whole numbers: 480 km is 298 mi)."""
    return ABOUT[key].format(
        warn=f"{distance_value(SHOE_WARN_KM, units):.0f}",
        limit=f"{distance_value(SHOE_LIMIT_KM, units):.0f}",
        unit=units.value,
    )


@overload
def band(value: float, bands: Sequence[tuple[float, str]]) -> str: ...
@overload
def band(value: float | None, bands: Sequence[tuple[float, str]]) -> str | None: ...
def band(value: float | None, bands: Sequence[tuple[float, str]]) -> str | None:
    if value is None:
        return None
    # Edges belong to the lower band even through float error: 11 km / 10 km - 1 is
    # 0.10000000000000009, which is still "up to 10%".
    for top, name in bands:
        if value <= top + 1e-9:
            return name
    raise ValueError(value)


def mean(values: Iterable[float | None]) -> float | None:
    """The mean of the values given, None when there are none (a figure not logged is left out)."""
    known = [v for v in values if v is not None]
    return statistics.fmean(known) if known else None


def _runs(entries: Iterable[Entry]) -> list[Entry]:
    """Runs with a distance, oldest first (a stable sort keeps same-minute runs in order)."""
    return sorted((e for e in entries if e.is_run), key=_STARTED)


# -- daily load and ratios -----------------------------------------------------------------


def session_load(entry: Entry) -> float | None:
    """Foster's session load: RPE x minutes (60 min at RPE 7 = 420 AU)."""
    if entry.rpe is None or not entry.duration_s:
        return None
    return entry.rpe * entry.duration_s / 60


def daily_loads(
    entries: Iterable[Entry], first: dt.date, last: dt.date, measure: str = "distance"
) -> list[float]:
    """One load per calendar day from first to last inclusive; days without entries are 0."""
    days = (last - first).days + 1
    loads = [0.0] * max(days, 0)
    first_day = first.toordinal()
    for e in entries:
        i = e.started.toordinal() - first_day
        if not 0 <= i < days:
            continue
        if measure == "distance":
            if e.is_run:
                loads[i] += e.distance_km or 0.0
        else:
            loads[i] += session_load(e) or 0.0
    return loads


def _hide_early(values: list[float | None], start: int = 0) -> list[float | None]:
    """No figure before day 28 of the data; `start` is the day of the data values[0] is for."""
    hidden = max(CHRONIC_DAYS - 1 - start, 0)
    return [None] * min(hidden, len(values)) + values[hidden:]


def _ratio(acute: float, chronic: float) -> float | None:
    return acute / chronic if chronic > 0 else None


def _rolling_ratio(
    loads: Sequence[float] | NDArray[np.float64],
    chronic_lo: int,
    chronic_hi: int,
    chronic_days: int,
) -> NDArray[np.float64]:
    """acute mean(t-6..t) over chronic mean(t-chronic_lo..t-chronic_hi); days before the
    first count as 0, and every mean is divided by its window's full width. A numpy array,
    NaN where there is no figure."""
    import numpy as np  # here, not on top: the summary, which needs no ratio, starts faster

    prefix = np.concatenate(([0.0], np.cumsum(np.asarray(loads, dtype=float))))
    t = np.arange(len(loads))

    def window(lo: NDArray[np.int_], hi: NDArray[np.int_]) -> NDArray[np.float64]:
        return prefix[np.clip(hi, 0, None)] - prefix[np.clip(lo, 0, None)]

    acute = window(t - 6, t + 1) / ACUTE_DAYS
    chronic = window(t - chronic_lo, t + 1 - chronic_hi) / chronic_days
    ratio: NDArray[np.float64] = np.divide(
        acute, chronic, out=np.full(len(t), np.nan), where=chronic > 0
    )
    ratio[: CHRONIC_DAYS - 1] = np.nan
    return ratio


def _listed(ratio: NDArray[np.float64]) -> list[float | None]:
    return [None if math.isnan(r) else r for r in ratio.tolist()]


def acwr_rolling_coupled(loads: Sequence[float]) -> list[float | None]:
    return _listed(acwr_rolling_coupled_array(loads))


def acwr_rolling_coupled_array(
    loads: Sequence[float] | NDArray[np.float64],
) -> NDArray[np.float64]:
    """acwr_rolling_coupled as a numpy array, NaN where there is no figure (for the charts)."""
    return _rolling_ratio(loads, 27, 0, CHRONIC_DAYS)


def acwr_rolling_uncoupled(loads: Sequence[float]) -> list[float | None]:
    return _listed(_rolling_ratio(loads, 27, 7, CHRONIC_DAYS - ACUTE_DAYS))


def ewma(loads: Sequence[float], n: int, previous: float | None = None) -> list[float]:
    """Exponentially weighted moving average, seeded with the first load; or carried on from
    `previous`, the average the day before loads[0] (the same numbers as computing it again
    from the first day)."""
    lam = 2 / (n + 1)
    keep = 1 - lam
    out: list[float] = []
    for load in loads:
        previous = load if previous is None else lam * load + keep * previous
        out.append(previous)
    return out


def acwr_ewma(loads: Sequence[float]) -> list[float | None]:
    return ewma_ratio(ewma(loads, ACUTE_DAYS), ewma(loads, CHRONIC_DAYS))


def ewma_ratio(
    acute: Sequence[float], chronic: Sequence[float], start: int = 0
) -> list[float | None]:
    """Acute over chronic EWMA; `start` is the day of the data acute[0] and chronic[0] are for."""
    return _hide_early([_ratio(a, c) for a, c in zip(acute, chronic, strict=True)], start)


# -- weeks, spikes, monotony ---------------------------------------------------------------


@dataclass(slots=True)  # not frozen: that makes creating one five times slower
class Week:
    start: dt.date  # a Monday
    distance_km: float
    duration_s: int
    runs: int
    change: float | None  # against the week before; None when that week had no running
    band: str | None


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def weekly(
    entries: Iterable[Entry], first: dt.date | None = None, last: dt.date | None = None
) -> list[Week]:
    """Every week from the first to the last run (or the given days), empty weeks included."""
    runs = _runs(entries)
    if not runs and (first is None or last is None):
        return []
    start = monday(first or runs[0].day).toordinal()  # days as ordinals: faster, same weeks
    end = (last or runs[-1].day).toordinal()
    totals: dict[int, list[Any]] = {}  # Monday -> [km, seconds, runs]
    for e in runs:
        day = e.started.toordinal()
        t = totals.setdefault(day - (day + 6) % 7, [0.0, 0, 0])  # its Monday
        t[0] += e.distance_km or 0.0  # runs have a distance
        t[1] += e.duration_s or 0
        t[2] += 1
    weeks: list[Week] = []
    while start <= end:
        distance, duration, count = totals.get(start, (0.0, 0, 0))
        previous = weeks[-1].distance_km if weeks else totals.get(start - 7, [0])[0]
        change = distance / previous - 1 if previous > 0 else None
        weeks.append(
            Week(
                dt.date.fromordinal(start),
                distance,
                duration,
                count,
                change,
                band(change, WEEKLY_BANDS),
            )
        )
        start += 7
    return weeks


@dataclass(slots=True)  # not frozen: that makes creating one five times slower
class Spike:
    entry_id: int | None
    day: dt.date
    distance_km: float
    longest_before_km: float
    spike: float  # distance / longest before - 1
    band: str


def spikes(entries: Iterable[Entry]) -> list[Spike]:
    """The single-run spike of every run that has a run in the 30 days before its day."""
    runs = _runs(entries)
    days = [e.started.toordinal() for e in runs]
    distances = cast(list[float], [e.distance_km for e in runs])  # runs have a distance
    out = []
    lo = 0
    for i, e in enumerate(runs):
        while days[lo] < days[i] - SPIKE_WINDOW_DAYS:
            lo += 1
        hi = bisect_left(days, days[i], lo, i + 1)
        if lo == hi:
            continue
        longest = max(distances[lo:hi])
        value = distances[i] / longest - 1
        out.append(Spike(e.id, e.day, distances[i], longest, value, band(value, SPIKE_BANDS)))
    return out


@dataclass(frozen=True, slots=True)
class Monotony:
    load: float
    monotony: float
    strain: float


def monotony(week_loads: Sequence[float]) -> Monotony:
    """Foster's monotony (mean / population SD of 7 daily loads) and strain (load x monotony)."""
    total = float(sum(week_loads))
    mean = total / len(week_loads)
    sd = statistics.pstdev(week_loads)
    value = mean / sd if sd > 0 else (MONOTONY_CAP if mean > 0 else 0.0)
    value = min(value, MONOTONY_CAP)
    return Monotony(total, value, total * value)


# -- pain ----------------------------------------------------------------------------------


@dataclass(slots=True)  # not frozen: that makes creating one five times slower
class PainPoint:
    entry_id: int | None
    when: dt.datetime
    start: int | None
    middle: int | None
    end: int | None
    later: int | None
    next_morning: int | None
    during: int | None  # the highest of start / middle / end
    too_high: bool  # above rules.EASE_MAX (4/10) during the run: stop
    rising: bool  # higher at the end than at the start
    worse_next_morning: bool  # next morning above the runner's usual


def usual_morning_pain(entries: Iterable[Entry], set_by_runner: int | None = None) -> float:
    if set_by_runner is not None:
        return float(set_by_runner)
    weeks: dict[dt.date, list[Entry]] = {}
    for e in _runs(entries):
        weeks.setdefault(monday(e.day), []).append(e)
    mornings = [m for runs in weeks.values() for m in pain_free_mornings(runs)]
    return float(statistics.median(mornings)) if mornings else 0.0


def pain_free_mornings(week: Sequence[Entry]) -> list[int]:
    """The next-morning pain after each run of a week of runs, if none of them hurt."""
    if not all(r.max_pain == 0 for r in week):  # a run with no pain logged is not pain-free
        return []
    return [r.pain_next_morning for r in week if r.pain_next_morning is not None]


def pain_points(entries: Iterable[Entry], usual_morning: float = 0.0) -> list[PainPoint]:
    out = []
    for e in _runs(entries):
        during = e.max_pain
        out.append(
            PainPoint(
                e.id,
                e.started,
                e.pain_start,
                e.pain_middle,
                e.pain_end,
                e.pain_later,
                e.pain_next_morning,
                during,
                too_high=during is not None and during > EASE_MAX,
                rising=e.pain_start is not None
                and e.pain_end is not None
                and e.pain_end > e.pain_start,
                worse_next_morning=e.pain_next_morning is not None
                and e.pain_next_morning > usual_morning,
            )
        )
    return out


def pain_trend(points: Sequence[PainPoint], days: int) -> list[float | None]:
    """For each point (in time order), the mean 'during' pain of runs in the `days` calendar
    days up to and including its day."""
    out: list[float | None] = []
    ordinals = [p.when.toordinal() for p in points]
    lo, total, count = 0, 0.0, 0
    for p, day in zip(points, ordinals, strict=True):
        if p.during is not None:
            total, count = total + p.during, count + 1
        while day - ordinals[lo] >= days:
            gone = points[lo].during
            if gone is not None:
                total, count = total - gone, count - 1
            lo += 1
        out.append(total / count if count else None)
    return out


# -- shoes and regions ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ShoeMileage:
    shoe: Shoe
    km: float
    fraction: float  # of the pair's own limit
    status: str  # "fine", "wearing" (past 480 km), "replace" (past its limit)


def shoe_use(entries: Iterable[Entry]) -> dict[int, ShoeUse]:
    """Per pair of shoes (by id): the km of the runs logged in them and the day of the first
    entry of any kind that used them. The km are summed with fsum, exact whatever the order,
    so that Store.shoe_use and a session's copy of the entries give the same figure."""
    runs: defaultdict[int, list[float]] = defaultdict(list)
    first_day: dict[int, dt.date] = {}
    for e in entries:
        if e.shoe_id is not None:
            if e.shoe_id not in first_day or e.day < first_day[e.shoe_id]:
                first_day[e.shoe_id] = e.day
            if e.is_run and e.distance_km:
                runs[e.shoe_id].append(e.distance_km)
    return {shoe_id: ShoeUse(math.fsum(runs[shoe_id]), day) for shoe_id, day in first_day.items()}


def shoe_mileage(shoes: Iterable[Shoe], entries: Iterable[Entry]) -> list[ShoeMileage]:
    return mileage(shoes, shoe_use(entries))


def mileage(shoes: Iterable[Shoe], use: Mapping[int, ShoeUse]) -> list[ShoeMileage]:
    """Each pair's distance (what was run before plus what is logged) against its limit."""
    out = []
    for shoe in shoes:
        km = shoe.prior_km + (use[shoe.id].km if shoe.id is not None and shoe.id in use else 0)
        status = "replace" if km >= shoe.limit_km else "wearing" if km >= SHOE_WARN_KM else "fine"
        out.append(ShoeMileage(shoe, km, km / shoe.limit_km, status))
    return out


def region_counts(
    entries: Iterable[Entry], period: Period | None = None
) -> Counter[tuple[Side, Region]]:
    """How often each spot was marked in the period (feeds the knee heat map)."""
    counts: Counter[tuple[Side, Region]] = Counter()
    for e in entries:
        if e.marks and (period is None or e.day in period):
            counts.update((m.side, m.region) for m in e.marks)
    return counts
