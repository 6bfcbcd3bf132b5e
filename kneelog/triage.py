"""The triage panel's reasoning: red flags, where and when, the six load patterns, the plan
and its review. Pure functions over journal entries (no Qt, no SQL); the words come from
resources/triage.toml.

Choices the sources leave open, stated once:

- A *sore day* has pain of 3 or more: during a run (the highest of start / middle / end), later
  that day, or the next morning. The *sore spell* is the latest run of sore days in the last 12
  weeks with no gap longer than 14 days; its first day is when the pain rose.
- "Before the pain rose" is the 28 days up to that day. The speed, hill and spill-over checks
  look at the spell itself, from 28 days before it to today.
- A run is *faster* when logged as tempo, intervals or race, *easy* when easy or long; *hilly*
  when it climbs 15 m or more per km or is logged as hills. A difference in average pain
  counts when it is 1 point or more, with at least 2 runs on each side.
- Pain *rose during a run* when it ended 2 or more points above where it started; the knee is
  *worse next morning* when the morning pain is above both the end of the run and the runner's
  usual, and above 3.
- The review compares the plan's days so far (up to 14) with as many days just before it; a
  verdict needs 3 runs with pain logged on each side, and a change of 1 point or more.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from . import metrics
from .content import label, region_name, triage_text
from .model import Change, Entry, Kind, Region, RunType, Shoe, ShoeUse, Side, Surface, TimeCourse, Trigger, Units, Warning
from .units import format_day, format_days, format_distance

SORE = 3
SPELL_LOOKBACK_DAYS = 84
SPELL_GAP_DAYS = 14
BEFORE_DAYS = 28
LOOKBACK_DAYS = 200  # the oldest entry any check reads: spell, weeks before it, spike window
FAST = {RunType.TEMPO, RunType.INTERVALS, RunType.RACE}
EASY = {RunType.EASY, RunType.LONG}
HILLY_M_PER_KM = 15.0
MEANINGFUL = 1.0
REVIEW_MIN_RUNS = 3
TENDON_REGIONS = {Region.PATELLAR_TENDON, Region.TIBIAL_TUBEROSITY}
PATTERNS = ("volume", "speed", "downhill", "combined", "shoes_surface", "spill_over")


def text() -> dict:
    return triage_text()


# -- what the runner told the panel -------------------------------------------------------


@dataclass(frozen=True)
class Answers:
    """Red-flag answers (question id -> yes, and the day answered) and the last assessment."""

    yes: dict[str, dt.date] = field(default_factory=dict)
    assessed_on: dt.date | None = None


@dataclass(frozen=True)
class Plan:
    kind: str  # "calm" (7 or 14 days) or "tendon" (12 weeks)
    started: dt.date
    days: int
    change: str = ""  # the one thing the runner is testing
    pattern: str | None = None  # the load pattern it came from, if any
    id: int | None = None
    ended: dt.date | None = None

    @property
    def last_day(self) -> dt.date:
        return self.started + dt.timedelta(days=self.days - 1)

    def day_number(self, today: dt.date) -> int:
        return (min(today, self.last_day) - self.started).days + 1

    def steps(self, today: dt.date) -> list[tuple[str, str]]:
        """(id, words) of each box to tick on `today`."""
        if self.kind == "tendon":
            tendon = text()["plan"]["tendon"]
            sets, reps = tendon_dose(self.day_number(today))
            return [(tendon["step_id"], tendon["step"].format(sets=sets, reps=reps))]
        return [(s["id"], s["text"]) for s in text()["plan"]["steps"]]


def tendon_dose(day_number: int) -> tuple[int, int]:
    """Sets and reps of the tendon loading programme on a day of it (weeks 1-12)."""
    week = min(max((day_number - 1) // 7 + 1, 1), 12)
    for row in text()["plan"]["tendon"]["weeks"]:
        if row["from"] <= week <= row["to"]:
            return row["sets"], row["reps"]
    raise ValueError(week)


# -- what the panel shows -----------------------------------------------------------------------


@dataclass(frozen=True)
class LoggedSign:
    warning: Warning
    days: tuple[dt.date, ...]


@dataclass(frozen=True)
class RedFlags:
    answered_yes: tuple[str, ...]
    logged: tuple[LoggedSign, ...]
    assessed_on: dt.date | None
    latest: dt.date | None  # the newest flag, answered or logged

    @property
    def raised(self) -> bool:
        return bool(self.answered_yes or self.logged)

    @property
    def blocks_plan(self) -> bool:
        """A flag stops the plan until the runner has been assessed after it."""
        return self.raised and (self.assessed_on is None or self.latest > self.assessed_on)


@dataclass(frozen=True)
class Resemblance:
    id: str
    name: str
    recovery: str
    score: int


@dataclass(frozen=True)
class Picture:
    first: dt.date | None
    last: dt.date | None
    recent: bool  # the last 14 days, rather than the last sore spell before them
    regions: tuple[tuple[tuple[Side, Region], int], ...]
    triggers: tuple[tuple[Trigger, int], ...]
    time_courses: tuple[tuple[TimeCourse, int], ...]
    runs: int
    rising: int
    easing: int
    resembles: tuple[Resemblance, ...]

    @property
    def empty(self) -> bool:
        return not (self.regions or self.triggers or self.time_courses)

    @property
    def tendon_dominates(self) -> bool:
        total = sum(n for _, n in self.regions)
        tendon = sum(n for (_, region), n in self.regions if region in TENDON_REGIONS)
        return total > 0 and tendon * 2 > total


@dataclass(frozen=True)
class Evidence:
    pattern: str
    lines: tuple[str, ...]  # each with its numbers and the dates it comes from
    enough_data: bool = True

    @property
    def found(self) -> bool:
        return bool(self.lines)


@dataclass(frozen=True)
class Guidance:
    level: str  # "go", "ease", "stop" or "none"
    text: str


@dataclass(frozen=True)
class Progress:
    day: int
    ticked: dict[dt.date, frozenset[str]]
    streak: int
    skipped: tuple[dt.date, ...]


@dataclass(frozen=True)
class Figures:
    first: dt.date
    last: dt.date
    entries: int
    runs_with_pain: int
    pain_during: float | None
    pain_morning: float | None
    distance_km: float


@dataclass(frozen=True)
class Review:
    before: Figures
    during: Figures
    verdict: str  # "lower", "higher", "same" or "not_enough"
    next_step: str  # "continue", "return" or "assess"


@dataclass(frozen=True)
class Triage:
    red_flags: RedFlags
    picture: Picture
    onset: dt.date | None
    evidence: tuple[Evidence, ...]
    guidance: Guidance
    plan: Plan | None = None
    progress: Progress | None = None
    review: Review | None = None

    @property
    def plan_allowed(self) -> bool:
        return not self.red_flags.blocks_plan


def assess(entries: Iterable[Entry], shoes: Sequence[Shoe], answers: Answers, today: dt.date,
           plan: Plan | None = None, ticks: Iterable[tuple[dt.date, str]] = (),
           units: Units = Units.KM, shoe_use: dict[int, ShoeUse] | None = None) -> Triage:
    """Everything the panel shows. `entries` need only reach LOOKBACK_DAYS back when
    `shoe_use` (each pair's distance and first day over the whole journal) is given."""
    entries = sorted((e for e in entries if e.day <= today), key=lambda e: e.started)
    onset = pain_onset(entries, today)
    return Triage(
        red_flags=red_flags(entries, answers, today),
        picture=picture(entries, today),
        onset=onset,
        evidence=tuple(evidence(entries, shoes, onset, today, units, shoe_use)),
        guidance=guidance(entries),
        plan=plan,
        progress=progress(plan, ticks, today) if plan else None,
        review=review(entries, plan, today) if plan else None,
    )


# -- 1. red flags ---------------------------------------------------------------------------


def red_flags(entries: Sequence[Entry], answers: Answers, today: dt.date) -> RedFlags:
    since = today - dt.timedelta(days=text()["red_flags"]["lookback_days"] - 1)
    days: dict[Warning, set[dt.date]] = {}
    for e in entries:
        if e.day >= since:
            for w in e.warnings:
                days.setdefault(w, set()).add(e.day)
    logged = tuple(LoggedSign(w, tuple(sorted(d))) for w, d in sorted(days.items()))
    question_ids = [q["id"] for q in text()["red_flags"]["questions"]]
    yes = tuple(q for q in question_ids if q in answers.yes)
    all_days = [answers.yes[q] for q in yes] + [s.days[-1] for s in logged]
    return RedFlags(yes, logged, answers.assessed_on, max(all_days) if all_days else None)


# -- 2. where and when --------------------------------------------------------------------------


def _sore(e: Entry) -> bool:
    values = [e.max_pain, e.pain_later, e.pain_next_morning]
    return any(v is not None and v >= SORE for v in values)


def pain_onset(entries: Sequence[Entry], today: dt.date) -> dt.date | None:
    """The first day of the latest sore spell in the last 12 weeks, or None."""
    since = today - dt.timedelta(days=SPELL_LOOKBACK_DAYS)
    sore_days = sorted({e.day for e in entries if e.day >= since and _sore(e)})
    if not sore_days:
        return None
    onset = sore_days[-1]
    for earlier in reversed(sore_days[:-1]):
        if (onset - earlier).days > SPELL_GAP_DAYS:
            break
        onset = earlier
    return onset


def picture(entries: Sequence[Entry], today: dt.date) -> Picture:
    days = text()["where"]["days"]
    first, last, recent = today - dt.timedelta(days=days - 1), today, True
    window = [e for e in entries if first <= e.day <= last]
    if not any(e.marks for e in window):
        marked = [e for e in entries if e.marks and e.day > today - dt.timedelta(days=SPELL_LOOKBACK_DAYS)]
        if marked:
            last, recent = marked[-1].day, False
            first = last - dt.timedelta(days=days - 1)
            window = [e for e in entries if first <= e.day <= last]
    regions = Counter((m.side, m.region) for e in window for m in e.marks)
    triggers = Counter(t for e in window for t in e.triggers)
    courses = Counter(e.time_course for e in window if e.time_course and e.max_pain)
    runs = [e for e in window if e.kind is Kind.RUN and e.pain_start is not None and e.pain_end is not None]
    return Picture(
        first=first, last=last, recent=recent,
        regions=tuple(regions.most_common()),
        triggers=tuple(triggers.most_common()),
        time_courses=tuple(courses.most_common()),
        runs=len(runs),
        rising=sum(1 for e in runs if e.pain_end - e.pain_start >= 2),
        easing=sum(1 for e in runs if e.pain_start - e.pain_end >= 1),
        resembles=tuple(resembles(regions, triggers, courses)),
    )


def resembles(regions: Counter, triggers: Counter, courses: Counter) -> list[Resemblance]:
    """The pictures from the 'often resembles' table that share a spot with this one, best first.

    Spots count most: a picture is only offered when at least one marked spot matches it.
    """
    marked = Counter()
    for (_, region), n in regions.items():
        marked[region.value] += n
    found = []
    for item in text()["resembles"]:
        spot = sum(marked[r] for r in item["regions"])
        if not spot:
            continue
        score = 3 * spot + sum(triggers[Trigger(t)] for t in item["triggers"])
        score += sum(courses[TimeCourse(c)] for c in item["time_courses"])
        found.append(Resemblance(item["id"], item["name"], item["recovery"], score))
    found.sort(key=lambda r: -r.score)
    return found[:2]


# -- 3. the six load patterns --------------------------------------------------------------------


def _mean(values: Iterable[float | None]) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.fmean(values) if values else None


def _pct(change: float) -> str:
    return f"{change:+.0%}"


def _between(entries: Sequence[Entry], first: dt.date, last: dt.date) -> list[Entry]:
    return [e for e in entries if first <= e.day <= last]


def _runs(entries: Iterable[Entry]) -> list[Entry]:
    return [e for e in entries if e.kind is Kind.RUN and e.distance_km]


def _after_pain(e: Entry) -> int | None:
    return e.pain_end if e.pain_end is not None else e.max_pain


def _changes_logged(entries: Sequence[Entry], wanted: set[Change]) -> list[dt.date]:
    return [e.day for e in entries if e.changes & wanted]


def evidence(entries: Sequence[Entry], shoes: Sequence[Shoe], onset: dt.date | None,
             today: dt.date, units: Units = Units.KM,
             shoe_use: dict[int, ShoeUse] | None = None) -> list[Evidence]:
    """For each pattern, the lines of the journal that point to it (none: no sign of it)."""
    if onset is None:
        return [Evidence(p, ()) for p in PATTERNS]
    before = _between(entries, onset - dt.timedelta(days=BEFORE_DAYS), onset)
    spell = _between(entries, onset - dt.timedelta(days=BEFORE_DAYS), today)
    words = {item["id"]: item for item in text()["patterns"]["items"]}
    checks = {
        "volume": lambda w: _volume(entries, onset, before, w, units),
        "speed": lambda w: _compare(spell, w, FAST, EASY, "fast", "easy", {Change.SPEED}),
        "downhill": lambda w: _downhill(spell, w),
        "combined": lambda w: _combined(before, w),
        "shoes_surface": lambda w: _shoes_surface(entries, shoes, onset, before, spell, w, units, shoe_use),
        "spill_over": lambda w: _spill_over(spell, w),
    }
    enough = len(_runs(spell)) >= 3
    return [Evidence(p, tuple(checks[p](words[p])) if enough else (), enough) for p in PATTERNS]


def _volume(entries, onset, before, w, units) -> list[str]:
    lines = []
    runs = _runs(entries)
    weeks = metrics.weekly(runs, onset - dt.timedelta(days=BEFORE_DAYS + 7 * 4), onset)
    for week, previous in zip(weeks[1:], weeks):
        if week.start >= onset - dt.timedelta(days=BEFORE_DAYS) and week.change is not None \
                and week.change > 0.10:
            lines.append(w["week_jump"].format(
                week=format_day(week.start), before=format_distance(previous.distance_km, units),
                after=format_distance(week.distance_km, units), change=_pct(week.change)))
    recent_first = onset - dt.timedelta(days=metrics.SPIKE_WINDOW_DAYS)
    for s in metrics.spikes(runs):
        if recent_first <= s.day <= onset + dt.timedelta(days=7) and s.spike > 0.10:
            lines.append(w["spike"].format(day=format_day(s.day), distance=format_distance(s.distance_km, units),
                                           change=f"{s.spike:.0%}"))
    last4, prior4 = weeks[-4:], weeks[-8:-4]
    if len(prior4) == 4:
        now, then = sum(x.runs for x in last4) / 4, sum(x.runs for x in prior4) / 4
        if now - then >= 1:
            lines.append(w["more_runs"].format(before=f"{then:.1f}".rstrip("0").rstrip("."),
                                               after=f"{now:.1f}".rstrip("0").rstrip(".")))
    logged = _changes_logged(before, {Change.VOLUME, Change.FREQUENCY, Change.COMEBACK})
    if logged:
        lines.append(w["change_logged"].format(days=format_days(logged)))
    return lines


def _pain_avg(value: float) -> str:
    return f"{value:.1f}/10"


def _compare(spell, w, group, others, name, other_name, changes, key=None) -> list[str]:
    key = key or (lambda e: e.run_type in group)
    runs = [e for e in _runs(spell) if _after_pain(e) is not None]
    picked = [e for e in runs if key(e)]
    rest = [e for e in runs if not key(e) and (others is None or e.run_type in others)]
    lines = []
    if len(picked) >= 2 and len(rest) >= 2:
        a, b = _mean(map(_after_pain, picked)), _mean(map(_after_pain, rest))
        if a - b >= MEANINGFUL:
            lines.append(w["compare"].format(**{
                name: _pain_avg(a), f"n_{name}": len(picked), "days": format_days(e.day for e in picked),
                other_name: _pain_avg(b), f"n_{other_name}": len(rest)}))
    logged = _changes_logged(spell, changes)
    if logged:
        lines.append(w["change_logged"].format(days=format_days(logged)))
    return lines


def hilly(e: Entry) -> bool:
    per_km = (e.elevation_gain_m or 0) / e.distance_km if e.distance_km else 0
    return e.run_type is RunType.HILLS or per_km >= HILLY_M_PER_KM


def _downhill(spell, w) -> list[str]:
    return _compare(spell, w, None, None, "hilly", "flat", {Change.HILLS}, key=hilly)


def _combined(before, w) -> list[str]:
    parts = {
        "strength": [e.day for e in before if e.kind is Kind.STRENGTH],
        "sleep": [e.day for e in before if e.sleep is not None and e.sleep < 0],
        "stress": [e.day for e in before if e.stress is not None and e.stress > 0],
        "speed": [e.day for e in _runs(before) if e.run_type in FAST],
    }
    present = {k: sorted(set(d)) for k, d in parts.items() if len(set(d)) >= 2}
    if len(present) < 2:  # one kind of load alone is another pattern, or none
        return []
    return [w[k].format(n=len(d), days=format_days(d)) for k, d in present.items()]


def _shoes_surface(entries, shoes, onset, before, spell, w, units, shoe_use) -> list[str]:
    lines = []
    runs = _runs(entries)
    use = metrics.shoe_use(entries) if shoe_use is None else shoe_use
    names = {s.id: s.name for s in shoes}
    recent_first = onset - dt.timedelta(days=21)
    for shoe_id, u in use.items():
        if recent_first <= u.first_day <= onset and shoe_id in names:
            lines.append(w["new_shoes"].format(shoe=names[shoe_id], day=format_day(u.first_day)))
    for e in _runs(before):
        if e.surface is None or e.day < recent_first:
            continue
        earlier = [r for r in runs if e.day - dt.timedelta(days=60) <= r.day < e.day]
        if earlier and all(r.surface != e.surface for r in earlier):
            lines.append(w["new_surface"].format(surface=label("surface", e.surface).lower(), day=format_day(e.day)))
            break
    used = {e.shoe_id for e in _runs(spell)}
    for m in metrics.mileage([s for s in shoes if s.id in used], use):
        if m.status == "replace":
            lines.append(w["worn"].format(shoe=m.shoe.name, distance=format_distance(m.km, units)))
    logged = _changes_logged(before, {Change.SHOES, Change.SURFACE})
    if logged:
        lines.append(w["change_logged"].format(days=format_days(logged)))
    return lines


def _spill_over(spell, w) -> list[str]:
    lines = []
    run_days = {e.day for e in _runs(spell)}
    rest = [e.day for e in spell if e.day not in run_days
            and max((v for v in (e.pain_later, e.pain_start, e.pain_end) if v is not None), default=0) >= SORE]
    if len(set(rest)) >= 2:
        lines.append(w["rest_days"].format(level=SORE, days=format_days(rest)))
    weeks: dict[dt.date, list[int]] = {}
    for e in _runs(spell):
        if e.max_pain is not None:
            weeks.setdefault(metrics.monday(e.day), []).append(e.max_pain)
    means = [statistics.fmean(v) for _, v in sorted(weeks.items())]
    for i in range(len(means) - 3):
        run = means[i:i + 4]
        if all(b > a for a, b in zip(run, run[1:])):
            lines.append(w["rising"].format(values=" \u2192 ".join(f"{v:.1f}" for v in run)))
            break
    night = [e.day for e in spell if Warning.NIGHT_PAIN in e.warnings]
    if night:
        lines.append(w["night"].format(days=format_days(night)))
    return lines


# -- 4. the plan -------------------------------------------------------------------------------


def guidance(entries: Sequence[Entry]) -> Guidance:
    """Today's word on running, from the pain rules and the last run with its pain logged."""
    words = text()["guidance"]
    runs = [e for e in _runs(entries) if e.max_pain is not None]
    if not runs:
        return Guidance("none", words["none"])
    last = runs[-1]
    usual = metrics.usual_morning_pain(runs)
    during = last.max_pain
    rising = None not in (last.pain_start, last.pain_end) and last.pain_end - last.pain_start >= 2
    morning = last.pain_next_morning
    worse_morning = morning is not None and morning > max(last.pain_end or 0, usual) and morning > SORE
    day = format_day(last.day)
    if during > metrics.PAIN_ACCEPTABLE or worse_morning or rising:
        why = ("why_high" if during > metrics.PAIN_ACCEPTABLE
               else "why_morning" if worse_morning else "why_rising")
        return Guidance("stop", words["stop"].format(day=day, why=words[why]))
    if during > SORE:
        return Guidance("ease", words["ease"].format(day=day, pain=during))
    return Guidance("go", words["go"].format(day=day, pain=max(during, SORE)))


def progress(plan: Plan, ticks: Iterable[tuple[dt.date, str]], today: dt.date) -> Progress:
    ticked: dict[dt.date, set[str]] = {}
    for day, item in ticks:
        ticked.setdefault(day, set()).add(item)
    over = today > plan.last_day
    last = min(today, plan.last_day)
    steps = {step_id for step_id, _ in plan.steps(today)}
    day, streak = last, 0
    if not over and not steps <= ticked.get(day, set()):
        day -= dt.timedelta(days=1)  # today is not over yet
    while day >= plan.started and steps <= ticked.get(day, set()):
        streak += 1
        day -= dt.timedelta(days=1)
    past = [plan.started + dt.timedelta(days=i) for i in range((last - plan.started).days + over)]
    return Progress(
        day=plan.day_number(today),
        ticked={d: frozenset(items) for d, items in ticked.items()},
        streak=streak,
        skipped=tuple(d for d in past if not ticked.get(d)),
    )


# -- 5. review -------------------------------------------------------------------------------


def figures(entries: Sequence[Entry], first: dt.date, last: dt.date) -> Figures:
    inside = _between(entries, first, last)
    runs = _runs(inside)
    with_pain = [e for e in runs if e.max_pain is not None]
    return Figures(
        first=first, last=last, entries=len(inside), runs_with_pain=len(with_pain),
        pain_during=_mean(e.max_pain for e in with_pain),
        pain_morning=_mean(e.pain_next_morning for e in runs),
        distance_km=sum(e.distance_km for e in runs),
    )


def review(entries: Sequence[Entry], plan: Plan, today: dt.date) -> Review | None:
    """Plan days so far against as many days before the plan; None before day 8."""
    done = (min(today, plan.last_day) - plan.started).days + 1
    if today < plan.started + dt.timedelta(days=7):
        return None
    n = min(done, 14)
    during = figures(entries, plan.started, plan.started + dt.timedelta(days=n - 1))
    before = figures(entries, plan.started - dt.timedelta(days=n), plan.started - dt.timedelta(days=1))
    if min(during.runs_with_pain, before.runs_with_pain) < REVIEW_MIN_RUNS:
        verdict = "not_enough"
    else:
        diff = during.pain_during - before.pain_during
        if abs(diff) < MEANINGFUL and None not in (during.pain_morning, before.pain_morning):
            diff = during.pain_morning - before.pain_morning
        verdict = "lower" if diff <= -MEANINGFUL else "higher" if diff >= MEANINGFUL else "same"
    two_weeks = (today - plan.started).days >= 14
    if verdict == "not_enough":
        next_step = "continue"
    elif verdict == "lower":
        next_step = "return" if two_weeks else "continue"
    else:
        next_step = "assess" if two_weeks else "continue"
    return Review(before, during, verdict, next_step)
