"""The triage panel's reasoning: red flags, where and when, the six load patterns, the plan
and its review. Pure functions over journal entries (no Qt, no SQL); the words come from
resources/triage.toml, the thresholds and windows from kneelog/rules.py.

Choices the sources leave open, stated once (the figures are named in rules.py):

- A *reading* is one pain figure with the day it was felt: start / middle / end of a run or
  session on its day, "later that day" on its day, "next morning" on the day after; a
  check-in's figures likewise. Later-that-day and next-morning readings are *daily life*.
- A *sore day* has a reading of SORE (3) or more. The *sore spell* is the latest run of sore
  days in the last 12 weeks with no gap longer than 14 days; its first day is the *onset*.
- The *lead-up* is the 28 days up to the onset; the runner's *pain-free base* is the up to 84
  days before the lead-up, from the journal's first entry on (never weeks before it). Load
  patterns compare the lead-up with the base; speed and hill comparisons use only runs from the
  onset on, so pain-free runs from before the pain are never mixed with sore ones.
- A run's *response* is its highest reading: during, later that day or next morning.
- Every pattern states its own "found" rule in its docstring, and says "not enough data" when
  the journal holds too little to apply it.
"""

from __future__ import annotations

import datetime as dt
import statistics
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum
from functools import cached_property
from itertools import pairwise
from operator import attrgetter
from typing import Any, Protocol, TypeVar

from . import metrics, rules
from .content import label, triage_text
from .model import (
    Change,
    Entry,
    Kind,
    Period,
    Region,
    RunType,
    Settings,
    Shoe,
    ShoeUse,
    Side,
    TimeCourse,
    Trigger,
    Units,
    WarningSign,
)
from .rules import Level
from .units import format_day, format_days, format_distance

K = TypeVar("K")

DAY = dt.timedelta(days=1)
# The oldest entry any check reads: spell (84) + lead-up (28) + base (84), or a comeback's
# break (30) and the 8 weeks before it, with room to spare.
LOOKBACK_DAYS = 240
FAST = {RunType.TEMPO, RunType.INTERVALS, RunType.RACE}
EASY = {RunType.EASY, RunType.LONG}
REVIEW_MIN_RUNS = 3
MEANINGFUL = 1.0  # a change of pain this big between plan and the days before it counts
TENDON_REGIONS = {Region.PATELLAR_TENDON, Region.TIBIAL_TUBEROSITY}
PLAN_DAYS = {"calm": 14, "tendon": 84}  # the longest plan of each kind the panel starts
PATTERNS = ("volume", "speed", "downhill", "combined", "shoes_surface", "spill_over")
RECENCY_HALF_LIFE_DAYS = 14  # a mark counts half as much for each two weeks it is older
DAILY_LIFE = ("pain_later", "pain_next_morning")
DURING = ("pain_start", "pain_middle", "pain_end")
PAIN_FIELDS = (*DURING, *DAILY_LIFE)
_DAY = attrgetter("day")


def text() -> dict[str, Any]:
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

    def validate(self) -> None:
        """Raise ValueError for a plan the panel never starts (a hand-made or hostile export)."""
        if self.kind not in PLAN_DAYS:
            raise ValueError(f"a plan of a kind kneelog does not know ({self.kind!r})")
        if not 1 <= self.days <= PLAN_DAYS[self.kind]:
            raise ValueError(
                f"a {self.kind} plan of {self.days} days (at most {PLAN_DAYS[self.kind]})"
            )
        if self.ended is not None and self.ended < self.started:
            raise ValueError(f"a plan that ended ({self.ended}) before it began ({self.started})")

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


# -- pain readings ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    day: dt.date  # the day the pain was felt
    value: int
    field: str  # the Entry field it was logged in
    entry: Entry

    @property
    def daily_life(self) -> bool:
        return self.field in DAILY_LIFE


def readings(entries: Iterable[Entry], today: dt.date) -> list[Reading]:
    """Every pain figure of the entries, dated by when it was felt, oldest first."""
    out = []
    for e in entries:
        for name in PAIN_FIELDS:
            value = getattr(e, name)
            if value is None:
                continue
            day = e.day + DAY if name == "pain_next_morning" else e.day
            if day <= today:
                out.append(Reading(day, value, name, e))
    out.sort(key=_DAY)
    return out


def _by_day(values: Iterable[Reading]) -> dict[dt.date, int]:
    """The highest reading of each day."""
    days: dict[dt.date, int] = {}
    for r in values:
        days[r.day] = max(days.get(r.day, 0), r.value)
    return days


def rose(e: Entry) -> bool:
    """Pain rose as the run went on: a later figure above the first one logged (start, else
    middle), and at 3/10 or more (2 -> 3 rose; 0 -> 2 stayed within what the pain-monitoring
    model calls safe)."""
    values = [v for v in (e.pain_start, e.pain_middle, e.pain_end) if v is not None]
    return any(v > values[0] and v >= rules.SORE for v in values[1:])


def response(e: Entry) -> int | None:
    """The highest pain a run left: during it, later that day or the next morning."""
    values = [getattr(e, name) for name in (*DURING, *DAILY_LIFE)]
    values = [v for v in values if v is not None]
    return max(values) if values else None


# -- what the panel shows -----------------------------------------------------------------------


@dataclass(frozen=True)
class Flag:
    """One reason to get the knee assessed in person before any plan."""

    id: str  # a question id, a model.WarningSign value, or severe_pain / daily_pain_rising / no_improvement
    source: str  # "answer", "logged", "pain" or "time"
    date: dt.date | None
    days: tuple[dt.date, ...] = ()  # the days it was logged or seen
    detail: str = ""  # the journal's figures behind a pain or time flag

    @property
    def reason(self) -> str:
        """Why it was raised, in words, for the red-flag card and today's guidance."""
        reasons = text()["red_flags"]["reasons"]
        if self.source == "answer":
            question = next(
                q["text"] for q in text()["red_flags"]["questions"] if q["id"] == self.id
            )
            return str(reasons["answer"].format(question=question))
        if self.source == "logged":
            return str(
                reasons["logged"].format(
                    sign=label("warning", WarningSign(self.id)).lower(), days=format_days(self.days)
                )
            )
        return str(reasons[self.id].format(detail=self.detail))


@dataclass(frozen=True)
class RedFlags:
    flags: tuple[Flag, ...]
    assessed_on: dt.date | None
    urgent_since: dt.date = dt.date.max  # a fever answered on or after this day is urgent

    @property
    def answered_yes(self) -> tuple[str, ...]:
        return tuple(f.id for f in self.flags if f.source == "answer")

    @property
    def logged(self) -> tuple[Flag, ...]:
        return tuple(f for f in self.flags if f.source == "logged")

    @property
    def found(self) -> tuple[Flag, ...]:
        """The flags the journal's own pain figures raised (pain and time)."""
        return tuple(f for f in self.flags if f.source in ("pain", "time"))

    @property
    def raised(self) -> bool:
        return bool(self.flags)

    @property
    def latest(self) -> dt.date | None:
        days = [f.date for f in self.flags if f.date is not None]
        return max(days) if days else None

    @property
    def open(self) -> tuple[Flag, ...]:
        """The flags not yet followed by an in-person assessment."""
        if self.assessed_on is None:
            return self.flags
        return tuple(f for f in self.flags if f.date is None or f.date > self.assessed_on)

    @property
    def blocks_plan(self) -> bool:
        """A flag closes the plan until the runner has been assessed after it."""
        return bool(self.open)

    @property
    def urgent(self) -> Flag | None:
        """A fever answered in the last week and not yet assessed: a doctor today."""
        return next(
            (
                f
                for f in self.open
                if f.id == "fever_unwell" and f.date is not None and f.date >= self.urgent_since
            ),
            None,
        )


@dataclass(frozen=True)
class Resemblance:
    id: str
    name: str
    recovery: str
    score: float
    needs_assessment: bool = False


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
    lines: tuple[str, ...] = ()  # each with its numbers and the dates it comes from
    enough_data: bool = True
    found: bool = False


@dataclass(frozen=True)
class Guidance:
    level: Level | None  # None: no pain logged recently, so nothing to go on
    text: str
    based_on: tuple[dt.date, ...] = ()  # the days of the readings it read


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
    words: str = ""  # the key of its words in the content's [review]

    @property
    def text(self) -> str:
        return str(text()["review"][self.words or f"next_{self.next_step}"])


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


class Step(Enum):
    """The triage panel's steps, each drawn from its own part of a Triage (Triage.part)."""

    RED_FLAGS = "red_flags"
    WHERE = "where"
    PATTERNS = "patterns"
    GUIDANCE = "guidance"  # today's word on running, at the head of the plan
    PLAN = "plan"
    REVIEW = "review"


def _part(t: Triage, step: Step) -> object:
    """What `step` shows of a triage: all it reads, and nothing else."""
    if step is Step.RED_FLAGS:
        return t.red_flags
    if step is Step.WHERE:
        return t.picture
    if step is Step.PATTERNS:
        return (t.evidence, t.onset, t.plan is None, t.plan_allowed)
    if step is Step.GUIDANCE:
        return t.guidance
    if step is Step.PLAN:  # the patterns found are the changes it offers to test
        found = tuple(e.pattern for e in t.evidence if e.found)
        return (t.plan, t.progress, t.plan_allowed, found, t.picture.tendon_dominates)
    return (t.plan, t.review, t.plan_allowed)


def changed_steps(before: Triage, after: Triage) -> frozenset[Step]:
    """The steps of the panel that show something else from `before` to `after` (on the same
    day): a save usually moves one or two, and a step drawn again loses what was half typed in
    it."""
    return frozenset(step for step in Step if _part(before, step) != _part(after, step))


def assess(
    entries: Iterable[Entry],
    shoes: Sequence[Shoe],
    answers: Answers,
    today: dt.date,
    plan: Plan | None = None,
    ticks: Iterable[tuple[dt.date, str]] = (),
    units: Units = Units.KM,
    shoe_use: dict[int, ShoeUse] | None = None,
) -> Triage:
    """Everything the panel shows. `entries` need only reach LOOKBACK_DAYS back when
    `shoe_use` (each pair's distance and first day over the whole journal) is given."""
    entries = sorted((e for e in entries if e.day <= today), key=lambda e: e.started)
    answers = Answers(
        {q: day for q, day in answers.yes.items() if day <= today},
        answers.assessed_on if answers.assessed_on and answers.assessed_on <= today else None,
    )
    pains = readings(entries, today)
    onset = pain_onset(pains, today)
    journal = _Journal(
        entries,
        pains,
        onset,
        today,
        shoes,
        units,
        metrics.shoe_use(entries) if shoe_use is None else shoe_use,
    )
    raw_review = review(entries, plan, today) if plan else None
    flags = red_flags(journal, answers, plan, raw_review)
    found = tuple(evidence(journal, flags))
    where = picture(entries, today)
    return Triage(
        red_flags=flags,
        picture=where,
        onset=onset,
        evidence=found,
        guidance=guidance(journal, flags, where),
        plan=plan,
        progress=progress(plan, ticks, today) if plan else None,
        review=(
            replace(raw_review, next_step="assess", words="blocked")
            if raw_review and flags.blocks_plan
            else raw_review
        ),
    )


class JournalReads(Protocol):
    """What the assessment reads from a journal (kneelog.store.Store reads it from the file)."""

    def entries(self, period: Period | None = None) -> list[Entry]: ...
    def shoes(self, include_retired: bool = True) -> list[Shoe]: ...
    def shoe_use(self) -> dict[int, ShoeUse]: ...
    def triage_answers(self) -> Answers: ...
    def current_plan(self) -> Plan | None: ...
    def plan_during(self, period: Period) -> Plan | None: ...
    def plan_ticks(self, plan_id: int) -> set[tuple[dt.date, str]]: ...
    def settings(self) -> Settings: ...


def assess_journal(journal: JournalReads, today: dt.date, plans_in: Period | None = None) -> Triage:
    """What the triage panel shows on `today`, read from a journal: with the current plan, or
    with the plan that ran in `plans_in` (none if none did)."""
    plan = journal.current_plan() if plans_in is None else journal.plan_during(plans_in)
    return assess(
        journal.entries(Period(today - dt.timedelta(days=LOOKBACK_DAYS), today)),
        journal.shoes(),
        journal.triage_answers(),
        today,
        plan,
        journal.plan_ticks(plan.id) if plan and plan.id is not None else (),
        journal.settings().units,
        shoe_use=journal.shoe_use(),
    )


def summary_triage(journal: JournalReads, period: Period, today: dt.date) -> Triage:
    """The triage as it stood at the end of `period`, with the plan that ran in it (if any):
    what the physio summary of that period may say."""
    assert period.last is not None  # a summary is of a period with an end
    last = min(period.last, today)
    return assess_journal(journal, last, Period(period.first, last))


@dataclass(frozen=True)
class _Journal:
    """What the checks share: the entries up to today (oldest first), their pain readings, the
    onset of the sore spell, and the runner's shoes."""

    entries: list[Entry]
    readings: list[Reading]
    onset: dt.date | None
    today: dt.date
    shoes: Sequence[Shoe]
    units: Units
    shoe_use: dict[int, ShoeUse]

    @cached_property
    def runs(self) -> list[Entry]:
        return _runs(self.entries)

    @property
    def first_day(self) -> dt.date:
        return self.entries[0].day if self.entries else self.today


# -- 1. red flags ---------------------------------------------------------------------------


def red_flags(
    j: _Journal, answers: Answers, plan: Plan | None = None, plan_review: Review | None = None
) -> RedFlags:
    """Answered, logged (warning signs in the last 28 days), and found in the pain itself:

    - severe_pain: any reading of 7/10 or more in the last 28 days;
    - daily_pain_rising: daily-life readings in the last 28 days (day to day or week to week),
      on 3 days or more at least 5 days apart, the latest 2 or more points above the earliest
      and at 4/10 or more, none below the earliest in between;
    - no_improvement: the sore spell began 21 days ago or more, is still going (a sore day in
      the last 7), and the last 7 days' pain is not at least 1 point below its first 7 days'; or
      a plan has run 14 days and its review shows no lower pain. Dated the day it fell due.
    """
    today = j.today
    since = today - dt.timedelta(days=rules.RED_FLAG_DAYS - 1)
    flags = []
    questions = [q["id"] for q in text()["red_flags"]["questions"]]
    flags += [
        Flag(q, "answer", answers.yes[q], (answers.yes[q],)) for q in questions if q in answers.yes
    ]
    logged: dict[WarningSign, set[dt.date]] = {}
    for e in j.entries:
        if e.day >= since:
            for w in e.warnings:
                logged.setdefault(w, set()).add(e.day)
    flags += [
        Flag(w.value, "logged", max(days), tuple(sorted(days)))
        for w, days in sorted(logged.items())
    ]

    severe = [r for r in j.readings if r.day >= since and r.value >= rules.SEVERE]
    if severe:
        worst = max(severe, key=lambda r: (r.value, r.day))
        flags.append(
            Flag(
                "severe_pain",
                "pain",
                max(r.day for r in severe),
                tuple(sorted({r.day for r in severe})),
                f"{worst.value}/10 on {format_day(worst.day)}",
            )
        )
    rising = daily_rise(j.readings, today)
    if rising:
        flags.append(
            Flag(
                "daily_pain_rising",
                "pain",
                rising[-1][0],
                tuple(d for d, _ in rising),
                " \u2192 ".join(str(v) for _, v in rising),
            )
        )
    stuck = no_improvement(j, plan, plan_review)
    if stuck:
        flags.append(stuck)
    return RedFlags(
        tuple(flags), answers.assessed_on, today - dt.timedelta(days=rules.URGENT_DAYS - 1)
    )


def daily_rise(pains: Sequence[Reading], today: dt.date) -> list[tuple[dt.date, int]]:
    """The days of daily-life pain that rose (see red_flags), or []. The rise is told from
    where the pain began, not from pain-free days before it."""
    since = today - dt.timedelta(days=rules.DAILY_RISE_DAYS - 1)
    days = sorted(_by_day(r for r in pains if r.daily_life and r.day >= since).items())

    def rises_from(i: int) -> bool:
        (first_day, first), later = days[i], days[i + 1 :]
        if len(later) < 2 or any(v < first for _, v in later):
            return False
        last_day, last = later[-1]
        return (
            (last_day - first_day).days >= rules.DAILY_RISE_SPAN
            and last - first >= rules.DAILY_RISE_POINTS
            and last >= rules.DAILY_RISE_LEVEL
        )

    starts = [i for i in range(len(days)) if rises_from(i)]
    if not starts:
        return []
    start = next((i for i in starts if days[i][1] > 0), starts[0])
    while start + 1 in starts and days[start + 1][1] == days[start][1]:
        start += 1
    return days[start:]


def no_improvement(j: _Journal, plan: Plan | None, plan_review: Review | None) -> Flag | None:
    today, onset = j.today, j.onset
    if plan is not None and plan_review is not None:
        due = plan.started + dt.timedelta(days=rules.PLAN_REVIEW_DAYS)
        if today >= due and plan_review.verdict in ("same", "higher"):
            return Flag(
                "no_improvement",
                "time",
                due,
                (plan.started,),
                text()["red_flags"]["plan_no_better"].format(day=format_day(plan.started)),
            )
    if onset is None or (today - onset).days < rules.NO_IMPROVEMENT_DAYS:
        return None
    sore = _by_day(j.readings)
    week = dt.timedelta(days=6)
    last = [v for d, v in sore.items() if d >= today - week]
    first = [v for d, v in sore.items() if onset <= d <= onset + week]
    if not any(v >= rules.SORE for v in last) or not first:
        return None
    then, now = statistics.fmean(first), statistics.fmean(last)
    if now > then - MEANINGFUL:
        due = onset + dt.timedelta(days=rules.NO_IMPROVEMENT_DAYS)
        return Flag(
            "no_improvement",
            "time",
            due,
            (onset,),
            f"since {format_day(onset)}: {then:.1f}/10 then, {now:.1f}/10 in the last 7 days",
        )
    return None


# -- 2. where and when --------------------------------------------------------------------------


def pain_onset(pains: Sequence[Reading], today: dt.date) -> dt.date | None:
    """The first day of the latest sore spell in the last 12 weeks, or None."""
    since = today - dt.timedelta(days=rules.SPELL_LOOKBACK_DAYS)
    sore_days = sorted({r.day for r in pains if r.day >= since and r.value >= rules.SORE})
    if not sore_days:
        return None
    onset = sore_days[-1]
    for earlier in reversed(sore_days[:-1]):
        if (onset - earlier).days > rules.SPELL_GAP_DAYS:
            break
        onset = earlier
    return onset


def picture(entries: Sequence[Entry], today: dt.date) -> Picture:
    days = text()["where"]["days"]
    first, last, recent = today - dt.timedelta(days=days - 1), today, True
    window = [e for e in entries if first <= e.day <= last]
    if not any(e.marks for e in window):
        marked = [
            e
            for e in entries
            if e.marks and e.day > today - dt.timedelta(days=rules.SPELL_LOOKBACK_DAYS)
        ]
        if marked:
            last, recent = marked[-1].day, False
            first = last - dt.timedelta(days=days - 1)
            window = [e for e in entries if first <= e.day <= last]
    regions = Counter((m.side, m.region) for e in window for m in e.marks)
    weights: defaultdict[Region, float] = defaultdict(float)
    for e in window:
        recency = 0.5 ** ((today - e.day).days / RECENCY_HALF_LIFE_DAYS)
        for m in e.marks:
            weights[m.region] += int(m.intensity) * recency
    triggers = Counter(t for e in window for t in e.triggers)
    courses = Counter(e.time_course for e in window if e.time_course and e.max_pain)
    runs = [
        (e.pain_start, e.pain_end)
        for e in window
        if e.kind is Kind.RUN and e.pain_start is not None and e.pain_end is not None
    ]
    return Picture(
        first=first,
        last=last,
        recent=recent,
        regions=tuple(ranked(regions)),
        triggers=tuple(ranked(triggers)),
        time_courses=tuple(ranked(courses)),
        runs=len(runs),
        rising=sum(1 for start, end in runs if end > start),
        easing=sum(1 for start, end in runs if start - end >= 1),
        resembles=tuple(resembles(weights, triggers, courses)),
    )


def resembles(
    spots: Mapping[Region, float], triggers: Counter[Trigger], courses: Counter[TimeCourse]
) -> list[Resemblance]:
    """Every picture from the 'often resembles' table that shares a marked spot, most alike first.

    `spots` weighs each marked region by intensity (mild 1, moderate 2, severe 3) and recency
    (half for every 14 days of age). Spots count three times a matching trigger or time course.
    Every fitting picture is listed: one that needs an in-person assessment is never dropped
    for a milder one, and comes first on a tie.
    """
    found = []
    for item in text()["resembles"]:
        spot = sum(spots.get(Region(r), 0) for r in item["regions"])
        if not spot:
            continue
        score = 3 * spot + sum(triggers[Trigger(t)] for t in item["triggers"])
        score += sum(courses[TimeCourse(c)] for c in item["time_courses"])
        found.append(
            Resemblance(
                item["id"],
                item["name"],
                item["recovery"],
                round(score, 3),
                item.get("needs_assessment", False),
            )
        )
    found.sort(key=lambda r: (-r.score, not r.needs_assessment))
    return found


def ranked(counts: Counter[K]) -> list[tuple[K, int]]:
    """Most frequent first, ties in the order the model lists them: entries keep triggers and
    marks in sets, whose order changes from run to run, and what is shown twice should read
    the same."""
    return sorted(counts.items(), key=lambda item: (-item[1], _order(item[0])))


def _order(key: object) -> tuple[object, ...]:
    if isinstance(key, tuple):
        return tuple(_order(part) for part in key)
    if isinstance(key, Enum):
        return (list(type(key)).index(key),)
    return (key,)


# -- 3. the six load patterns --------------------------------------------------------------------


def _pct(change: float) -> str:
    return f"{change:+.0%}"


def _between(entries: Sequence[Entry], first: dt.date, last: dt.date) -> list[Entry]:
    """The entries from `first` to `last`, of entries in the order of their days (as assess
    sorts them): found by halving, the triage runs after every save."""
    return list(
        entries[bisect_left(entries, first, key=_DAY) : bisect_right(entries, last, key=_DAY)]
    )


def _runs(entries: Iterable[Entry]) -> list[Entry]:
    return [e for e in entries if e.is_run]


def _km(runs: Iterable[Entry]) -> float:
    """The distance of runs from _runs, which all have one."""
    return sum(r.distance_km or 0.0 for r in runs)


def _changes_logged(entries: Sequence[Entry], wanted: set[Change]) -> list[dt.date]:
    return [e.day for e in entries if e.changes & wanted]


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class _Windows:
    """The lead-up (28 days up to the onset) and the pain-free base before it."""

    lead_first: dt.date
    onset: dt.date
    base_first: dt.date
    base_last: dt.date

    @property
    def base_days(self) -> int:
        return (self.base_last - self.base_first).days + 1

    @property
    def base_weeks(self) -> float:
        return self.base_days / 7

    @property
    def enough_base(self) -> bool:
        return self.base_days >= rules.BASE_MIN_DAYS


def windows(j: _Journal) -> _Windows:
    """The base starts no earlier than the journal, nor than the last return after a break of
    over 30 days: weeks without running are no base (a comeback is checked on its own)."""
    onset = j.onset
    assert onset is not None  # evidence() looks for patterns only behind a sore spell
    lead_first = onset - dt.timedelta(days=rules.LEAD_UP_DAYS - 1)
    base_last = lead_first - DAY
    base_first = max(base_last - dt.timedelta(days=rules.BASE_DAYS - 1), j.first_day)
    runs = j.runs
    for previous, run in pairwise(runs):
        if run.day <= onset and (run.day - previous.day).days - 1 > rules.COMEBACK_BREAK_DAYS:
            base_first = max(base_first, run.day)
    return _Windows(lead_first, onset, base_first, base_last)


def evidence(j: _Journal, flags: RedFlags) -> list[Evidence]:
    """For each pattern: found or not, the journal's lines behind it, and whether there was
    enough data to tell. No sore spell: nothing to explain, and nothing is found."""
    if j.onset is None:
        return [Evidence(p) for p in PATTERNS]
    w = windows(j)
    words = {item["id"]: item for item in text()["patterns"]["items"]}
    checks: dict[str, Callable[[_Journal, _Windows, dict[str, Any]], Evidence]] = {
        "volume": _volume,
        "speed": _speed,
        "downhill": _downhill,
        "combined": _combined,
        "shoes_surface": _shoes_surface,
        "spill_over": lambda j, w, words: _spill_over(j, words, flags),
    }
    return [checks[p](j, w, words[p]) for p in PATTERNS]


def _volume(j: _Journal, w: _Windows, words: dict[str, Any]) -> Evidence:
    """Distance or runs went up too fast (knee-facts 3.1, 9). Found when, in the lead-up:
    - the weekly distance averaged 30% or more above the base's, and some week of the 8
      before the pain rose by more than 10% (a runner who builds by the 10% rule is not
      jumping); or
    - one more run a week or more than in the base, on average; or
    - a single run was more than 10% longer than the longest in the 30 days before it (the
      charts' bands; those 30 days all in the journal) and longer, relative to that, than any
      run of the base; or
    - a Monday-Sunday week rose by over 30% (the charts' band), more than any week of the base
      rose (a runner whose weeks always alternate is not jumping); or
    - the runner came back after more than 30 days without a run at 80% or more of the weekly
      distance of the 8 weeks before the break.
    Needs a base of 3 weeks or more, unless it is a comeback."""
    runs = j.runs
    lines, found = [], False
    back = _comeback(j, w, words)
    if back:
        lines.append(back)
        found = True
    lead = _between(runs, w.lead_first, w.onset)
    base = _between(runs, w.base_first, w.base_last)
    if not w.enough_base or not base:
        return Evidence("volume", tuple(lines), enough_data=found, found=found)
    lead_km, base_km = (
        _km(lead) / 4,
        _km(base) / w.base_weeks,
    )
    weeks = [
        wk
        for wk in metrics.weekly(runs, metrics.monday(w.base_first), w.onset)
        if wk.start - dt.timedelta(days=7) >= max(j.first_day, w.base_first)
    ]  # both weeks logged
    steep = any(
        wk.change is not None and wk.change > rules.STEADY_GROWTH - 1 + 0.005
        for wk in weeks
        if wk.start >= w.lead_first - dt.timedelta(days=rules.LEAD_UP_DAYS)
    )
    if lead_km >= base_km * (1 + rules.LOAD_JUMP) and steep:
        found = True
        lines.append(
            words["more_distance"].format(
                after=format_distance(lead_km, j.units),
                before=format_distance(base_km, j.units),
                change=_pct(lead_km / base_km - 1),
                base=_base_name(base, words),
            )
        )
    lead_n, base_n = len(lead) / 4, len(base) / w.base_weeks
    if lead_n - base_n >= rules.MORE_RUNS:
        found = True
        lines.append(
            words["more_runs"].format(
                before=_number(base_n), after=_number(lead_n), base=_base_name(base, words)
            )
        )
    # A spike needs the whole 30 days before it in the journal: the first long run of a new
    # journal is no spike.
    spikes = [
        s
        for s in metrics.spikes(runs)
        if s.day - dt.timedelta(days=metrics.SPIKE_WINDOW_DAYS) >= j.first_day
    ]
    usual = max((s.spike for s in spikes if w.base_first <= s.day <= w.base_last), default=0.0)
    for s in spikes:
        if (
            w.lead_first <= s.day <= w.onset
            and s.band != metrics.SPIKE_BANDS[0][1]
            and s.spike > usual
        ):
            found = True
            lines.append(
                words["spike"].format(
                    day=format_day(s.day),
                    distance=format_distance(s.distance_km, j.units),
                    change=f"{s.spike:.0%}",
                )
            )
    usual_jump = max(
        (
            wk.change
            for wk in weeks
            if wk.start + dt.timedelta(days=6) <= w.base_last and wk.change is not None
        ),
        default=0.0,
    )
    for wk in weeks:
        if (
            wk.start + dt.timedelta(days=6) >= w.lead_first
            and wk.start <= w.onset
            and wk.change is not None
            and wk.band == metrics.WEEKLY_BANDS[-1][1]
            and wk.change > usual_jump + 1e-9
        ):
            found = True
            lines.append(
                words["week_jump"].format(
                    week=format_day(wk.start),
                    before=format_distance(wk.distance_km / (1 + wk.change), j.units),
                    after=format_distance(wk.distance_km, j.units),
                    change=_pct(wk.change),
                )
            )
    logged = _changes_logged(
        _between(j.entries, w.lead_first, w.onset),
        {Change.VOLUME, Change.FREQUENCY, Change.COMEBACK},
    )
    if logged and found:
        lines.append(words["change_logged"].format(days=format_days(logged)))
    return Evidence("volume", tuple(lines), True, found)


def _base_name(base: Sequence[Entry], words: dict[str, Any]) -> str:
    """The base is called pain-free only when most of its runs say so: imported runs whose
    pain was never logged are load without pain information, not pain-free runs."""
    logged = sum(e.max_pain is not None and not e.pain_pending for e in base)
    return str(words["base_pain_free" if 2 * logged >= len(base) else "base_not_logged"])


def _comeback(j: _Journal, w: _Windows, words: dict[str, Any]) -> str | None:
    runs = j.runs
    for previous, run in pairwise(runs):
        if not w.lead_first <= run.day <= w.onset:
            continue
        if (run.day - previous.day).days - 1 <= rules.COMEBACK_BREAK_DAYS:
            continue
        old_first = max(previous.day - dt.timedelta(days=55), j.first_day)
        old_days = (previous.day - old_first).days + 1
        if old_days < rules.BASE_MIN_DAYS:
            continue
        old = _km(_between(runs, old_first, previous.day)) / (old_days / 7)
        back_last = min(run.day + dt.timedelta(days=13), j.today)
        new = _km(_between(runs, run.day, back_last)) / (((back_last - run.day).days + 1) / 7)
        if old > 0 and new >= old * rules.COMEBACK_SHARE:
            return str(
                words["comeback"].format(
                    days=(run.day - previous.day).days - 1,
                    day=format_day(run.day),
                    after=format_distance(new, j.units),
                    before=format_distance(old, j.units),
                )
            )
    return None


def _compare(
    j: _Journal,
    words: dict[str, Any],
    pattern: str,
    picked: Callable[[Entry], bool],
    names: tuple[str, str],
    changes: set[Change],
    among: Callable[[Entry], bool] = lambda e: True,
) -> Evidence:
    """Runs since the onset (those `among` counts): the response of the `picked` ones against the
    others' in the same Monday-Sunday weeks. Weeks with only one kind are left out: pain that
    fades while a runner drops speed work or hills would otherwise look caused by them."""
    onset = j.onset
    assert onset is not None  # evidence() looks for patterns only behind a sore spell
    weeks: dict[dt.date, list[Entry]] = {}
    for e in _runs(_between(j.entries, onset, j.today)):
        if among(e) and response(e) is not None:
            weeks.setdefault(metrics.monday(e.day), []).append(e)
    chosen, rest = [], []
    for runs in weeks.values():
        these = [e for e in runs if picked(e)]
        if 0 < len(these) < len(runs):
            chosen += these
            rest += [e for e in runs if not picked(e)]
    if len(chosen) < 2 or len(rest) < 2:
        return Evidence(pattern, enough_data=False)
    a, b = metrics.mean(map(response, chosen)), metrics.mean(map(response, rest))
    assert a is not None and b is not None  # only runs with a response were chosen
    if a - b < rules.CLEARLY_WORSE:
        return Evidence(pattern)
    one, other = names
    lines = [
        words["compare"].format(
            **{
                one: f"{a:.1f}/10",
                f"n_{one}": len(chosen),
                "days": format_days(e.day for e in chosen),
                other: f"{b:.1f}/10",
                f"n_{other}": len(rest),
            }
        )
    ]
    logged = _changes_logged(
        _between(j.entries, onset - dt.timedelta(days=rules.LEAD_UP_DAYS), j.today), changes
    )
    if logged:
        lines.append(words["change_logged"].format(days=format_days(logged)))
    return Evidence(pattern, tuple(lines), True, True)


def _speed(j: _Journal, w: _Windows, words: dict[str, Any]) -> Evidence:
    """Speed grew faster than the base (3.2). Found when, since the onset, faster runs (tempo,
    intervals, race) left pain 1.5 points or more above the easy and long runs of the same weeks
    on average (a run's highest reading, next morning included). Needs 2 runs of each in weeks
    with both, with pain logged."""
    return _compare(
        j,
        words,
        "speed",
        lambda e: e.run_type in FAST,
        ("fast", "easy"),
        {Change.SPEED},
        among=lambda e: e.run_type in FAST or e.run_type in EASY,
    )


def hilly(e: Entry) -> bool:
    """Logged as hills, or climbing or descending 15 m or more per km (descent loads the knee
    most: 149 m up and 600 m down over 10 km is hilly)."""
    if e.run_type is RunType.HILLS:
        return True
    if not e.distance_km:
        return False
    return (
        max(e.elevation_gain_m or 0, e.elevation_loss_m or 0) / e.distance_km
        >= rules.HILLY_M_PER_KM
    )


def _downhill(j: _Journal, w: _Windows, words: dict[str, Any]) -> Evidence:
    """Hills and downhills (3.3). Found when, since the onset, hilly runs left pain 1.5 points
    or more above the flatter runs of the same weeks on average. Needs 2 runs of each in weeks
    with both, with pain logged."""
    return _compare(j, words, "downhill", hilly, ("hilly", "flat"), {Change.HILLS})


def _combined(j: _Journal, w: _Windows, words: dict[str, Any]) -> Evidence:
    """Everything at once (3.4). Found when two or more of these rose in the lead-up against the
    base: strength sessions and faster runs a week (at least 2 in the lead-up, and twice the
    base's rate or more); days of less sleep or more stress than usual (at least 2, and a share
    of the days rated twice the base's and 25 points above it). Needs a 3-week base."""
    if not w.enough_base:
        return Evidence("combined", enough_data=False)
    lead = _between(j.entries, w.lead_first, w.onset)
    base = _between(j.entries, w.base_first, w.base_last)
    lines = []
    kinds: tuple[tuple[str, Callable[[Entry], bool]], ...] = (
        ("strength", lambda e: e.kind is Kind.STRENGTH),
        ("speed", lambda e: e.kind is Kind.RUN and e.run_type in FAST),
    )
    for part, kind_of in kinds:
        days = sorted({e.day for e in lead if kind_of(e)})
        rate, base_rate = len(days) / 4, sum(1 for e in base if kind_of(e)) / w.base_weeks
        if len(days) >= 2 and rate >= 2 * base_rate:
            lines.append(words[part].format(n=len(days), days=format_days(days)))
    worse_than_usual: tuple[tuple[str, Callable[[Entry], bool]], ...] = (
        ("sleep", lambda e: e.sleep is not None and e.sleep < 0),
        ("stress", lambda e: e.stress is not None and e.stress > 0),
    )
    for part, worse in worse_than_usual:
        rated = [e for e in lead if getattr(e, part) is not None]
        rated_base = [e for e in base if getattr(e, part) is not None]
        days = sorted({e.day for e in rated if worse(e)})
        if len(days) < 2 or len(rated_base) < 3:
            continue
        share = sum(map(worse, rated)) / len(rated)
        base_share = sum(map(worse, rated_base)) / len(rated_base)
        if share >= 2 * base_share and share - base_share >= 0.25:
            lines.append(words[part].format(n=len(days), days=format_days(days)))
    found = len(lines) >= 2  # one kind of load alone is another pattern, or none
    return Evidence("combined", tuple(lines) if found else (), True, found)


def _shoes_surface(j: _Journal, w: _Windows, words: dict[str, Any]) -> Evidence:
    """New shoes or a new surface (3.5). Found when, in the 21 days before the onset, the runner
    first ran in a pair with less than 50 km in it (what it had before plus nothing logged: a
    pair worn again after months is not new), or first ran on a surface not run on in the 60
    days before (with 3 runs or more in those days to tell), or when a pair run in since the
    onset is past the limit the runner set for it."""
    lines = []
    first = w.onset - dt.timedelta(days=rules.NEW_THING_DAYS)
    names = {s.id: s for s in j.shoes}
    for shoe_id, use in sorted(j.shoe_use.items(), key=lambda item: item[1].first_day):
        shoe = names.get(shoe_id)
        if shoe and first <= use.first_day <= w.onset and shoe.prior_km < rules.NEW_SHOE_KM:
            lines.append(words["new_shoes"].format(shoe=shoe.name, day=format_day(use.first_day)))
    runs = j.runs
    for e in _between(runs, first, w.onset):
        if e.surface is None:
            continue
        earlier = _between(runs, e.day - dt.timedelta(days=rules.NEW_SURFACE_DAYS), e.day - DAY)
        if len(earlier) >= 3 and all(r.surface != e.surface for r in earlier):
            lines.append(
                words["new_surface"].format(
                    surface=label("surface", e.surface).lower(), day=format_day(e.day)
                )
            )
            break
    used = {e.shoe_id for e in _between(runs, w.onset, j.today)}
    for m in metrics.mileage([s for s in j.shoes if s.id in used], j.shoe_use):
        if m.status == "replace":
            lines.append(
                words["worn"].format(shoe=m.shoe.name, distance=format_distance(m.km, j.units))
            )
    if lines:
        logged = _changes_logged(
            _between(j.entries, first, w.onset), {Change.SHOES, Change.SURFACE}
        )
        if logged:
            lines.append(words["change_logged"].format(days=format_days(logged)))
    return Evidence("shoes_surface", tuple(lines), True, bool(lines))


def _spill_over(j: _Journal, words: dict[str, Any], flags: RedFlags) -> Evidence:
    """It spills into daily life (3.6). Found while a daily_pain_rising or night-pain red flag
    is open (logged in the last 28 days, no assessment since): both are reasons to get
    assessed, so this pattern is never found beside an open plan. Days off running with pain
    of 3 or more since the onset are listed beside them."""
    open_flags = {f.id: f for f in flags.open}
    lines = []
    if rising := open_flags.get("daily_pain_rising"):
        lines.append(
            words["rising"].format(
                values=rising.detail,
                first=format_day(rising.days[0]),
                last=format_day(rising.days[-1]),
            )
        )
    if night := open_flags.get(WarningSign.NIGHT_PAIN.value):
        lines.append(words["night"].format(days=format_days(night.days)))
    if not lines:
        return Evidence("spill_over")
    onset = j.onset
    assert onset is not None  # evidence() looks for patterns only behind a sore spell
    run_days = {e.day for e in j.runs}
    rest = sorted(
        {
            r.day
            for r in j.readings
            if r.day >= onset and r.day not in run_days and r.value >= rules.SORE
        }
    )
    if rest:
        lines.append(words["rest_days"].format(level=rules.SORE, days=format_days(rest)))
    return Evidence("spill_over", tuple(lines), True, True)


# -- 4. today's guidance and the plan -----------------------------------------------------------


def guidance(j: _Journal, flags: RedFlags, where: Picture | None = None) -> Guidance:
    """Today's word on running, from every reading of the last 48 hours (rules.py has the levels).

    With no reading in the last two days, the latest two days with readings in the last 14 are
    read instead, and the text says which days. An open red flag always means "assess"; so
    does a picture of the last 14 days most alike one that needs an in-person assessment."""
    words = text()["guidance"]
    today = j.today
    recent = j.readings[
        bisect_right(j.readings, today - dt.timedelta(days=rules.GUIDANCE_DAYS), key=_DAY) :
    ]
    if not recent:
        older = [
            r for r in j.readings if r.day > today - dt.timedelta(days=rules.GUIDANCE_FALLBACK_DAYS)
        ]
        if older:
            latest = older[-1].day
            recent = [r for r in older if r.day > latest - dt.timedelta(days=rules.GUIDANCE_DAYS)]
    days = tuple(sorted({r.day for r in recent}))
    when = format_days(days)
    if flags.urgent:
        return Guidance(Level.ASSESS, words["assess_urgent"].format(why=flags.urgent.reason), days)
    if flags.blocks_plan:
        newest = max(flags.open, key=lambda f: f.date or dt.date.min)
        return Guidance(Level.ASSESS, words["assess"].format(why=newest.reason), days)
    worst = max(recent, key=lambda r: r.value, default=None)
    if (
        worst and worst.value >= rules.SEVERE and worst.day == flags.assessed_on
    ):  # assessed that day
        severe = Flag(
            "severe_pain", "pain", worst.day, detail=f"{worst.value}/10 on {format_day(worst.day)}"
        )
        return Guidance(Level.ASSESS, words["assess"].format(why=severe.reason), days)
    if where and where.recent and where.resembles and where.resembles[0].needs_assessment:
        return Guidance(
            Level.ASSESS, words["assess_picture"].format(name=where.resembles[0].name), days
        )
    if worst is None:  # no pain reading in reach
        return Guidance(None, words["none"])
    if worst.value > rules.EASE_MAX:
        return Guidance(
            Level.STOP, words["stop_high"].format(pain=worst.value, when=_reading_when(worst)), days
        )
    rising = [r.entry for r in recent if r.field in DURING and rose(r.entry)]
    if rising:
        e = rising[-1]
        return Guidance(
            Level.STOP,
            words["stop_rising"].format(
                day=format_day(e.day),
                start=e.pain_start,
                end=max(v for v in (e.pain_middle, e.pain_end) if v is not None),
            ),
            days,
        )
    if worst.value > rules.GO_MAX:
        return Guidance(
            Level.EASE, words["ease"].format(pain=worst.value, when=_reading_when(worst)), days
        )
    usual = metrics.usual_morning_pain(j.entries)
    mornings = [r for r in recent if r.field == "pain_next_morning" and r.value > usual]
    if mornings:
        r = mornings[-1]
        return Guidance(
            Level.EASE,
            words["ease_morning"].format(pain=r.value, day=format_day(r.day), usual=_number(usual)),
            days,
        )
    return Guidance(
        Level.GO,
        words["go" if worst.value else "go_free"].format(when=when, pain=worst.value),
        days,
    )


def _reading_when(r: Reading) -> str:
    return str(text()["guidance"]["when"][r.field].format(day=format_day(r.day)))


def progress(plan: Plan, ticks: Iterable[tuple[dt.date, str]], today: dt.date) -> Progress:
    ticked: dict[dt.date, set[str]] = {}
    for day, item in ticks:
        ticked.setdefault(day, set()).add(item)
    over = today > plan.last_day
    last = min(today, plan.last_day)
    steps = {step_id for step_id, _ in plan.steps(today)}
    day, streak = last, 0
    if not over and not steps <= ticked.get(day, set()):
        day -= DAY  # today is not over yet
    while day >= plan.started and steps <= ticked.get(day, set()):
        streak += 1
        day -= DAY
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
        first=first,
        last=last,
        entries=len(inside),
        runs_with_pain=len(with_pain),
        pain_during=metrics.mean(e.max_pain for e in with_pain),
        pain_morning=metrics.mean(e.pain_next_morning for e in runs),
        distance_km=_km(runs),
    )


def review(entries: Sequence[Entry], plan: Plan, today: dt.date) -> Review | None:
    """Plan days so far against as many days before the plan; None before day 8. A verdict
    needs 3 runs with pain logged on each side, and a change of 1 point or more. Higher pain
    during the plan means "assess" at once; the same pain after two weeks too. An open red
    flag turns any next step into "assess" (see assess)."""
    done = (min(today, plan.last_day) - plan.started).days + 1
    if today < plan.started + dt.timedelta(days=7):
        return None
    n = min(done, 14)
    during = figures(entries, plan.started, plan.started + dt.timedelta(days=n - 1))
    before = figures(entries, plan.started - dt.timedelta(days=n), plan.started - DAY)
    if min(during.runs_with_pain, before.runs_with_pain) < REVIEW_MIN_RUNS:
        verdict = "not_enough"
    else:
        assert during.pain_during is not None and before.pain_during is not None  # runs with pain
        diff = during.pain_during - before.pain_during
        if (
            abs(diff) < MEANINGFUL
            and during.pain_morning is not None
            and before.pain_morning is not None
        ):
            diff = during.pain_morning - before.pain_morning
        verdict = "lower" if diff <= -MEANINGFUL else "higher" if diff >= MEANINGFUL else "same"
    two_weeks = (today - plan.started).days >= rules.PLAN_REVIEW_DAYS
    words = ""
    if verdict == "not_enough":
        next_step = "continue"
    elif verdict == "lower":
        next_step = "return" if two_weeks else "continue"
    elif verdict == "higher" and not two_weeks:  # worse with less load: no need to wait
        next_step, words = "assess", "next_assess_higher"
    else:
        next_step = "assess" if two_weeks else "continue"
    return Review(before, during, verdict, next_step, words)
