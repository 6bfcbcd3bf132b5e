"""The physio summary's content: facts, counts and rows for a period, as plain data (no Qt).

ui/report_render.py lays it out on paper. Everything the runner typed stays plain text
here; the renderer escapes it, so `<b>` prints as typed.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field, replace

from . import metrics
from .content import triage_text
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
    Surface,
    TimeCourse,
    Trigger,
    WarningSign,
)
from .rules import LEAD_UP_DAYS
from .triage import Plan, Triage, ranked

GAP_DAYS = 7  # a stretch this long without entries is shown as a gap in the table


@dataclass(frozen=True)
class Gap:
    first: dt.date
    last: dt.date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


@dataclass(frozen=True)
class WeekRow:
    start: dt.date
    distance_km: float
    runs: int
    pain_during: float | None  # mean of each run's highest pain
    pain_morning: float | None  # mean next-morning pain


@dataclass(frozen=True)
class TriageNote:
    """What the triage panel adds, as it stood at the end of the period: red flags, the
    journal's evidence (only when the pain began in the period or just before it), the plan
    that ran in the period."""

    flags_answered: tuple[str, ...] = ()  # the questions answered yes, in words
    flags_found: tuple[str, ...] = ()  # flags the journal's pain raised, in words (the warning
    # signs logged are listed with the entries' own)
    assessed_on: dt.date | None = None
    evidence: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (pattern, its lines), found only
    onset: dt.date | None = None  # when the latest sore spell began
    evidence_before: bool = False  # the pain began long before the period: no evidence shown
    plan: Plan | None = None
    plan_day: int = 0
    full_days: int = 0  # plan days with every box ticked (today included once done)
    skipped_days: int = 0
    verdict: str | None = None  # the review's words, from day 8

    @property
    def empty(self) -> bool:
        return not (
            self.flags_answered
            or self.flags_found
            or self.evidence
            or self.plan
            or self.onset
            or self.assessed_on
        )


def triage_note(t: Triage, period: Period) -> TriageNote:
    words = triage_text()
    questions = {q["id"]: q["text"] for q in words["red_flags"]["questions"]}
    names = {item["id"]: item["name"] for item in words["patterns"]["items"]}
    assert period.first is not None  # a summary's period has both ends
    in_reach = t.onset is not None and t.onset >= period.first - dt.timedelta(days=LEAD_UP_DAYS)
    note = TriageNote(
        flags_answered=tuple(questions[q] for q in t.red_flags.answered_yes),
        flags_found=tuple(f.reason for f in t.red_flags.found),
        assessed_on=t.red_flags.assessed_on if t.red_flags.raised else None,
        # Pain spilling into daily life is a reason to get assessed: it comes first.
        evidence=tuple(
            (names[e.pattern], e.lines)
            for e in sorted(t.evidence, key=lambda e: e.pattern != "spill_over")
            if e.found
        )
        if in_reach
        else (),
        onset=t.onset,
        evidence_before=t.onset is not None and not in_reach,
    )
    if t.plan is None:
        return note
    assert t.progress is not None  # a running plan has its progress
    steps = len(t.plan.steps(t.plan.started))
    full = sum(
        1
        for day, items in t.progress.ticked.items()
        if t.plan.started <= day <= t.plan.last_day and len(items) >= steps
    )
    verdict = None
    if t.review:
        verdict = words["review"]["blocked" if not t.plan_allowed else t.review.verdict]
    return replace(
        note,
        plan=t.plan,
        plan_day=t.progress.day,
        full_days=full,
        skipped_days=len(t.progress.skipped),
        verdict=verdict,
    )


@dataclass
class Summary:
    settings: Settings
    first: dt.date
    last: dt.date
    printed_on: dt.date
    questions: str = ""
    entries: list[Entry] = field(default_factory=list)  # oldest first
    runs: list[Entry] = field(default_factory=list)
    weeks: list[WeekRow] = field(default_factory=list)
    spikes: list[metrics.Spike] = field(default_factory=list)  # over 10%, in the period
    longest: Entry | None = None
    pain_during: tuple[float | None, float | None] = (None, None)  # first two weeks, last two
    pain_morning: tuple[float | None, float | None] = (None, None)
    worst: tuple[int, Entry] | None = None
    marks: Counter[tuple[Side, Region]] = field(default_factory=Counter)
    marks_start: Counter[tuple[Side, Region]] = field(default_factory=Counter)  # first half
    marks_end: Counter[tuple[Side, Region]] = field(default_factory=Counter)  # second half
    warnings: list[tuple[dt.date, WarningSign]] = field(default_factory=list)
    triggers: Counter[Trigger] = field(default_factory=Counter)
    time_course: Counter[TimeCourse] = field(default_factory=Counter)
    changes: Counter[Change] = field(default_factory=Counter)
    new_shoes: list[Shoe] = field(default_factory=list)
    shoes: list[metrics.ShoeMileage] = field(default_factory=list)
    sleep_less: int = 0
    stress_more: int = 0
    strength_sessions: int = 0
    speed_runs: int = 0
    hill_runs: int = 0
    surfaces: Counter[Surface] = field(default_factory=Counter)
    rows: list[Entry | Gap] = field(default_factory=list)
    triage: TriageNote = field(default_factory=TriageNote)

    @property
    def empty(self) -> bool:
        return not self.entries

    @property
    def weeks_span(self) -> float:
        return ((self.last - self.first).days + 1) / 7

    @property
    def distance_km(self) -> float:
        return sum(r.distance_km or 0.0 for r in self.runs)  # runs have a distance


def last_weeks(weeks: int, today: dt.date) -> Period:
    """This week so far and the `weeks - 1` whole weeks (Monday to Sunday) before it."""
    return Period(metrics.monday(today) - dt.timedelta(weeks=weeks - 1), today)


def needed(period: Period) -> Period:
    """The days whose entries build_summary reads: the period and the month before it, where
    the single-run spikes look back to (the rest of the journal counts only for the shoes)."""
    assert period.first is not None  # a summary's period has both ends
    return Period(period.first - dt.timedelta(days=metrics.SPIKE_WINDOW_DAYS), period.last)


def build_summary(
    entries: list[Entry],
    shoes: list[Shoe],
    settings: Settings,
    period: Period,
    printed_on: dt.date,
    questions: str = "",
    triage: Triage | None = None,
    shoe_use: dict[int, ShoeUse] | None = None,
) -> Summary:
    """Everything the summary says about `period` (both ends inclusive); `triage` is what the
    triage panel shows on the day it is printed.

    `entries` are the whole journal, or those of needed(period) with the whole journal's
    `shoe_use` (Store.shoe_use): a journal of years then loads only the weeks it prints.
    """
    first, last = period.first, period.last
    assert first is not None and last is not None  # a summary's period has both ends
    use = metrics.shoe_use(entries) if shoe_use is None else shoe_use
    inside = sorted((e for e in entries if e.day in period), key=lambda e: (e.started, e.id or 0))
    s = Summary(
        settings=settings,
        first=first,
        last=last,
        printed_on=printed_on,
        questions=questions.strip(),
        entries=inside,
        triage=triage_note(triage, period) if triage and inside else TriageNote(),
    )
    s.runs = [e for e in inside if e.is_run]
    s.shoes = [m for m in metrics.mileage(shoes, use) if not m.shoe.retired]
    if s.empty:
        return s

    weeks = metrics.weekly(s.runs, first, last)
    by_week: dict[dt.date, list[Entry]] = {}
    for run in s.runs:
        by_week.setdefault(metrics.monday(run.day), []).append(run)
    s.weeks = [
        WeekRow(
            w.start,
            w.distance_km,
            w.runs,
            metrics.mean(r.max_pain for r in by_week.get(w.start, [])),
            metrics.mean(r.pain_next_morning for r in by_week.get(w.start, [])),
        )
        for w in weeks
    ]
    # Spikes need the month before the period too, so they come from every run. The band, not
    # `spike > 0.10`, decides: 11 km after 10 km is 0.10000000000000009, still "up to 10%".
    s.spikes = [
        sp
        for sp in metrics.spikes(entries)
        if sp.day in period and sp.band != metrics.SPIKE_BANDS[0][1]
    ]
    s.longest = max(s.runs, key=lambda r: r.distance_km or 0.0, default=None)

    fortnight = dt.timedelta(days=13)
    early = [r for r in s.runs if r.day <= first + fortnight]
    late = [r for r in s.runs if r.day >= last - fortnight]
    s.pain_during = (
        metrics.mean(r.max_pain for r in early),
        metrics.mean(r.max_pain for r in late),
    )
    s.pain_morning = (
        metrics.mean(r.pain_next_morning for r in early),
        metrics.mean(r.pain_next_morning for r in late),
    )
    rated = [
        (
            max(
                v
                for v in (
                    e.pain_start,
                    e.pain_middle,
                    e.pain_end,
                    e.pain_later,
                    e.pain_next_morning,
                )
                if v is not None
            ),
            e,
        )
        for e in inside
        if any(
            v is not None
            for v in (e.pain_start, e.pain_middle, e.pain_end, e.pain_later, e.pain_next_morning)
        )
    ]
    s.worst = max(rated, key=lambda pair: (pair[0], pair[1].started), default=None)

    middle = first + (last - first) / 2
    s.marks = metrics.region_counts(inside)
    s.marks_start = metrics.region_counts(e for e in inside if e.day <= middle)
    s.marks_end = metrics.region_counts(e for e in inside if e.day > middle)

    for e in inside:
        s.warnings.extend((e.day, w) for w in sorted(e.warnings))
        s.triggers.update(e.triggers)
        s.changes.update(e.changes)
        if e.time_course:
            s.time_course[e.time_course] += 1
        s.sleep_less += e.sleep is not None and e.sleep < 0
        s.stress_more += e.stress is not None and e.stress > 0
        s.strength_sessions += e.kind is Kind.STRENGTH
    s.speed_runs = sum(
        r.run_type in (RunType.TEMPO, RunType.INTERVALS, RunType.RACE) for r in s.runs
    )
    s.hill_runs = sum(r.run_type in (RunType.HILLS, RunType.TRAIL) for r in s.runs)
    s.surfaces = Counter(r.surface for r in s.runs if r.surface)
    s.new_shoes = [sh for sh in shoes if sh.id in use and first < use[sh.id].first_day <= last]
    s.rows = _with_gaps(inside, first, last)
    return s


def _with_gaps(entries: list[Entry], first: dt.date, last: dt.date) -> list[Entry | Gap]:
    """The entries with every stretch of GAP_DAYS or more without one shown as a Gap."""
    rows: list[Entry | Gap] = []
    previous = first - dt.timedelta(days=1)
    for e in entries:
        if (e.day - previous).days - 1 >= GAP_DAYS:
            rows.append(Gap(previous + dt.timedelta(days=1), e.day - dt.timedelta(days=1)))
        rows.append(e)
        previous = max(previous, e.day)
    if (last - previous).days >= GAP_DAYS:
        rows.append(Gap(previous + dt.timedelta(days=1), last))
    return rows


def both_sides(counts: Counter[tuple[Side, Region]]) -> dict[Side, int]:
    totals = {side: 0 for side in Side}
    for (side, _region), n in counts.items():
        totals[side] += n
    return totals


def top_regions(counts: Counter[tuple[Side, Region]], n: int = 3) -> list[tuple[Side, Region, int]]:
    return [(side, region, c) for (side, region), c in ranked(counts)[:n]]
