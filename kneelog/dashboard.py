"""Everything the Charts view draws, computed from the journal in one go (Qt-free).

Distances are already in the runner's display unit, so the widgets only draw.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from . import metrics
from .model import Entry, Kind, Shoe, Units
from .units import distance_value


@dataclass
class ChartData:
    units: Units
    measure: str  # "distance" or "session": what the load ratio is computed on
    first: dt.date | None = None
    last: dt.date | None = None
    pain: list[metrics.PainPoint] = field(default_factory=list)
    pain_trend_7: list[float | None] = field(default_factory=list)
    pain_trend_28: list[float | None] = field(default_factory=list)
    usual_morning: float = 0.0
    weeks: list[metrics.Week] = field(default_factory=list)
    week_distance: list[float] = field(default_factory=list)  # display unit
    spikes: list[metrics.Spike] = field(default_factory=list)
    ratio_days: list[dt.date] = field(default_factory=list)
    ratio_ewma: list[float | None] = field(default_factory=list)
    ratio_coupled: list[float | None] = field(default_factory=list)
    shoes: list[metrics.ShoeMileage] = field(default_factory=list)
    runs: dict[int, Entry] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return len(self.pain) < 2


def chart_data(entries: list[Entry], shoes: list[Shoe], units: Units = Units.KM,
               today: dt.date | None = None) -> ChartData:
    """Metrics over the whole journal; the view chooses which stretch of time to show.

    The load ratio runs on session load (RPE x minutes) when most runs have effort logged,
    otherwise on distance.
    """
    runs = [e for e in entries if e.kind is Kind.RUN and e.distance_km]
    with_effort = sum(1 for e in runs if metrics.session_load(e) is not None)
    measure = "session" if runs and with_effort >= 0.8 * len(runs) else "distance"
    data = ChartData(units=units, measure=measure)
    if not entries:
        return data
    data.first = min(e.day for e in entries)
    data.last = max(today or data.first, max(e.day for e in entries))
    data.usual_morning = metrics.usual_morning_pain(runs)
    data.pain = metrics.pain_points(runs, data.usual_morning)
    data.pain_trend_7 = metrics.pain_trend(data.pain, 7)
    data.pain_trend_28 = metrics.pain_trend(data.pain, 28)
    data.weeks = metrics.weekly(runs, data.first, data.last)
    data.week_distance = [distance_value(w.distance_km, units) for w in data.weeks]
    data.spikes = metrics.spikes(runs)
    loads = metrics.daily_loads(entries, data.first, data.last, measure)
    data.ratio_days = [data.first + dt.timedelta(days=i) for i in range(len(loads))]
    data.ratio_ewma = metrics.acwr_ewma(loads)
    data.ratio_coupled = metrics.acwr_rolling_coupled(loads)
    data.shoes = metrics.shoe_mileage(shoes, runs)
    data.runs = {e.id: e for e in runs if e.id is not None}
    return data
