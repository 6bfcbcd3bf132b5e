"""A seeded, realistic demo journal, shared by `kneelog --demo`, the tests and the benchmarks.

The last 26 weeks tell a common story with one cause: a steady base of three runs a week,
then a build-up to five longer runs a week (more than a third more distance, nothing else
changed). Late in the build the right knee starts to ache around the kneecap, worse on
stairs and after sitting; the pain comes during runs and has settled by the next morning
on most days. Then a calmer block with less running and some strength work, and the pain
fades. Anything older than that is years of ordinary training with the odd niggle.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING

from .model import (
    Change,
    Entry,
    Intensity,
    Journal,
    Kind,
    PainMark,
    Region,
    Relative,
    RunType,
    Settings,
    Shoe,
    Side,
    Surface,
    TimeCourse,
    Trigger,
)

if TYPE_CHECKING:
    from .triage import Plan

STORY_WEEKS = 26
PLAN_DAYS_AGO = 10  # the calm block's 14-day plan, started this many days before the end


def demo_journal(end: dt.date | None = None, years: float = 0.5, seed: int = 7) -> Journal:
    end = end or dt.date.today()
    rng = random.Random(seed)
    start = end - dt.timedelta(days=max(int(years * 365.25), 7) - 1)
    gen = _Generator(rng, end)
    day = start
    while day <= end:
        gen.day(day)
        day += dt.timedelta(days=1)
    now = dt.datetime.now()
    return Journal(
        entries=[e for e in gen.entries if e.started <= now],
        shoes=gen.shoes,
        settings=Settings(runner_name="Sam Demo"),
        plans=[gen.plan()] if years * 365.25 >= PLAN_DAYS_AGO + 14 else [],
    )


class _Generator:
    def __init__(self, rng: random.Random, end: dt.date):
        self.rng = rng
        self.end = end
        self.entries: list[Entry] = []
        self.shoes: list[Shoe] = []
        self.shoe_km = 0.0
        self.shoe_changed: dt.date | None = None
        self._new_shoe("Everyday trainers", prior_km=0.0)

    def _new_shoe(self, name: str, prior_km: float = 0.0) -> None:
        self.shoes.append(
            Shoe(id=len(self.shoes) + 1, name=name, prior_km=prior_km, limit_km=800.0)
        )
        self.shoe_km = prior_km

    def _phase(self, day: dt.date) -> str:
        week = (self.end - day).days // 7
        if week >= STORY_WEEKS:
            return "history"
        if week >= 15:
            return "base"
        if week >= 10:
            return "build"
        if week >= 7:
            return "sore"
        return "calm"

    def day(self, day: dt.date) -> None:
        phase = self._phase(day)
        weekday = day.weekday()
        usual = {1: RunType.EASY, 3: RunType.TEMPO, 6: RunType.LONG}
        more = {
            0: RunType.EASY,
            1: RunType.EASY,
            3: RunType.TEMPO,
            4: RunType.EASY,
            6: RunType.LONG,
        }
        plan = {
            "history": usual,
            "base": usual,
            "build": more,
            "sore": more,
            "calm": {1: RunType.EASY, 4: RunType.EASY, 6: RunType.EASY},
        }[phase]
        skip = self.rng.random() < 0.08
        if weekday in plan and not skip:
            self._run(day, plan[weekday], phase)
        elif phase == "calm" and weekday in (0, 3):
            self._strength(day)
        elif phase == "sore" and weekday == 5 and self.rng.random() < 0.7:
            self._checkin(day)
        elif weekday == 5 and self.rng.random() < 0.3:
            self._cross(day)

    def _run(self, day: dt.date, run_type: RunType, phase: str) -> None:
        rng = self.rng
        season = 1.0 + 0.25 * ((day.timetuple().tm_yday % 180) / 180)
        base = {RunType.EASY: 7.0, RunType.TEMPO: 8.0, RunType.LONG: 14.0}[run_type]
        factor = {"history": season, "base": 1.0, "build": 1.0, "sore": 1.2, "calm": 0.75}[phase]
        if phase == "build":  # longer every week, on top of two more runs a week
            factor *= 1.05 ** (15 - (self.end - day).days // 7)
        km = round(base * factor * rng.uniform(0.9, 1.1), 1)
        pace = {RunType.EASY: 345, RunType.LONG: 355, RunType.TEMPO: 290}[run_type] * rng.uniform(
            0.97, 1.03
        )
        changes: set[Change] = set()
        # New pairs well away from the build-up: shoes are not part of this story.
        if (
            self.shoe_km > 700
            and phase in ("history", "calm")
            or self.shoe_km > 250
            and phase == "base"
        ):
            self._new_shoe(f"Trainers #{len(self.shoes) + 1}")
            self.shoe_changed = day
        if self.shoe_changed and (day - self.shoe_changed).days < 14:
            changes.add(Change.SHOES)
        if phase == "build":
            changes |= {Change.VOLUME, Change.FREQUENCY}
        self.shoe_km += km
        pain = self._pain(day, phase)
        marks: tuple[PainMark, ...] = ()
        if pain[2] and pain[2] >= 3:
            level = Intensity.MILD if pain[2] < 4 else Intensity.MODERATE
            marks = (PainMark(Side.RIGHT, Region.KNEECAP, level),)
        sore = pain[2] >= 3
        self.entries.append(
            Entry(
                kind=Kind.RUN,
                started=dt.datetime.combine(
                    day, dt.time(7, 10) if day.weekday() < 5 else dt.time(9, 30)
                ),
                distance_km=km,
                duration_s=int(km * pace),
                run_type=run_type,
                surface=Surface.ROAD,
                elevation_gain_m=round(km * 6),
                shoe_id=len(self.shoes),
                rpe={RunType.EASY: 3, RunType.LONG: 5, RunType.TEMPO: 7}[run_type],
                pain_start=pain[0],
                pain_middle=pain[1],
                pain_end=pain[2],
                pain_later=pain[3],
                pain_next_morning=None if day >= self.end - dt.timedelta(days=1) else pain[4],
                time_course=(TimeCourse.BUILDS if sore else TimeCourse.STEADY if pain[2] else None),
                triggers=frozenset({Trigger.RUNNING, Trigger.STAIRS_DOWN, Trigger.SITTING})
                if sore
                else frozenset(),
                changes=frozenset(changes),
                sleep=Relative.LESS if rng.random() < 0.1 else Relative.USUAL,
                stress=Relative.MORE if rng.random() < 0.15 else Relative.USUAL,
                notes="Knee stiff going down the stairs at work."
                if sore and rng.random() < 0.2
                else "",
                marks=marks,
            )
        )

    def _pain(self, day: dt.date, phase: str) -> tuple[int, int, int, int, int]:
        """Start, middle, end, later that day, next morning. The pain builds during a run and has
        mostly settled by the next morning (the knee recovers within a day)."""
        rng = self.rng
        weeks_left = (self.end - day).days // 7
        if phase == "build":
            peak = max(0, 12 - weeks_left) * 1.2
        elif phase == "sore":
            peak = 4.0
        elif phase == "calm":
            peak = 0.35 * weeks_left
        else:
            peak = 1.0 if rng.random() < 0.1 else 0.0
        end = min(5, max(0, round(peak + rng.uniform(-0.6, 0.6))))
        start = max(0, end - 1 - rng.randint(0, 1))
        middle = max(start, end - 1)
        later = max(0, end - 2)
        morning = 1 if end >= 4 and rng.random() < 0.3 else 0
        return start, middle, end, later, morning

    def plan(self) -> tuple[Plan, set[tuple[dt.date, str]]]:
        """The 14-day plan of the calm block: ticked most days, one day missed, today half done."""
        from .triage import Plan

        plan = Plan(
            kind="calm",
            started=self.end - dt.timedelta(days=PLAN_DAYS_AGO),
            days=14,
            change="Less distance: about a third less a week, and no extra runs",
            pattern="volume",
        )
        steps = ("ease", "one_change", "strength", "recovery")
        ticks: set[tuple[dt.date, str]] = set()
        for i in range(PLAN_DAYS_AGO + 1):
            day = plan.started + dt.timedelta(days=i)
            if i == 4:
                continue
            done = steps[:2] if day == self.end or self.rng.random() < 0.2 else steps
            ticks.update((day, step) for step in done)
        return plan, ticks

    def _strength(self, day: dt.date) -> None:
        self.entries.append(
            Entry(
                kind=Kind.STRENGTH,
                started=dt.datetime.combine(day, dt.time(18, 0)),
                duration_s=35 * 60,
                rpe=5,
                activity="Hips, glutes and calves",
                pain_end=1,
            )
        )

    def _cross(self, day: dt.date) -> None:
        self.entries.append(
            Entry(
                kind=Kind.CROSS,
                started=dt.datetime.combine(day, dt.time(10, 0)),
                duration_s=int(self.rng.uniform(40, 75)) * 60,
                distance_km=round(self.rng.uniform(18, 35), 1),
                activity="Bike",
                rpe=4,
            )
        )

    def _checkin(self, day: dt.date) -> None:
        self.entries.append(
            Entry(
                kind=Kind.CHECKIN,
                started=dt.datetime.combine(day, dt.time(20, 0)),
                pain_later=2,
                triggers=frozenset({Trigger.STAIRS_DOWN, Trigger.SITTING}),
                marks=(PainMark(Side.RIGHT, Region.KNEECAP, Intensity.MILD),),
                notes="Rest day. Ache after sitting through a long meeting.",
            )
        )
