"""A seeded, realistic demo journal, shared by `kneelog --demo`, the tests and the benchmarks.

The last 26 weeks tell a common story: a steady base, then a build-up with more runs, speed
work and new shoes; the right knee starts to ache around the kneecap and gets worse for a
few weeks; then a calmer block with less running and some strength work, and the pain
settles. Anything older than that is years of ordinary training with the odd niggle.
"""

from __future__ import annotations

import datetime as dt
import random

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
        self.shoes.append(Shoe(id=len(self.shoes) + 1, name=name, prior_km=prior_km, limit_km=750.0))
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
        plan = {
            "history": {1: RunType.EASY, 3: RunType.TEMPO, 6: RunType.LONG},
            "base": {1: RunType.EASY, 3: RunType.EASY, 6: RunType.LONG},
            "build": {0: RunType.EASY, 2: RunType.INTERVALS, 4: RunType.HILLS, 6: RunType.LONG},
            "sore": {0: RunType.EASY, 2: RunType.INTERVALS, 4: RunType.EASY, 6: RunType.LONG},
            "calm": {1: RunType.EASY, 4: RunType.EASY, 6: RunType.EASY},
        }[phase]
        skip = self.rng.random() < 0.08
        if weekday in plan and not skip:
            self._run(day, plan[weekday], phase)
        elif phase == "calm" and weekday in (0, 3):
            self._strength(day)
        elif phase in ("sore", "build") and weekday == 5 and self.rng.random() < 0.7:
            self._checkin(day, phase)
        elif weekday == 5 and self.rng.random() < 0.3:
            self._cross(day)

    def _run(self, day: dt.date, run_type: RunType, phase: str) -> None:
        rng = self.rng
        season = 1.0 + 0.25 * ((day.timetuple().tm_yday % 180) / 180)
        base = {RunType.EASY: 7.0, RunType.TEMPO: 8.0, RunType.INTERVALS: 8.5,
                RunType.HILLS: 9.0, RunType.LONG: 14.0}[run_type]
        factor = {"history": season, "base": 1.0, "build": 0.85, "sore": 1.1, "calm": 0.9}[phase]
        if phase == "build":  # about 15% more every week: faster than the knee adapts
            factor *= 1.15 ** (14 - (self.end - day).days // 7)
        km = round(base * factor * rng.uniform(0.9, 1.1), 1)
        pace = {RunType.EASY: 345, RunType.LONG: 355, RunType.TEMPO: 290,
                RunType.INTERVALS: 300, RunType.HILLS: 330}[run_type] * rng.uniform(0.97, 1.03)
        changes: set[Change] = set()
        if self.shoe_km > 700 or (phase == "build" and self.shoe_changed is None):
            self._new_shoe("Carbon racer" if phase == "build" else f"Trainers #{len(self.shoes) + 1}")
            self.shoe_changed = day
        if self.shoe_changed and (day - self.shoe_changed).days < 14:
            changes.add(Change.SHOES)
        if phase == "build":
            changes |= {Change.VOLUME, Change.SPEED}
            if run_type is RunType.HILLS:
                changes.add(Change.HILLS)
        self.shoe_km += km
        pain = self._pain(day, phase, run_type)
        marks = ()
        if pain[2] and pain[2] >= 3:
            level = Intensity.MILD if pain[2] < 4 else Intensity.MODERATE if pain[2] < 6 else Intensity.SEVERE
            marks = (PainMark(Side.RIGHT, Region.KNEECAP, level),)
            if pain[2] >= 5:
                marks += (PainMark(Side.RIGHT, Region.QUAD_TENDON, Intensity.MILD),)
        sore = phase in ("build", "sore") and pain[2] >= 3
        self.entries.append(
            Entry(
                kind=Kind.RUN,
                started=dt.datetime.combine(day, dt.time(7, 10) if day.weekday() < 5 else dt.time(9, 30)),
                distance_km=km,
                duration_s=int(km * pace),
                run_type=run_type,
                surface=Surface.TRAIL if run_type is RunType.HILLS else Surface.ROAD,
                elevation_gain_m=round(km * (28 if run_type is RunType.HILLS else 6)),
                shoe_id=len(self.shoes),
                rpe={RunType.EASY: 3, RunType.LONG: 5, RunType.TEMPO: 7,
                     RunType.INTERVALS: 8, RunType.HILLS: 7}[run_type],
                pain_start=pain[0],
                pain_middle=pain[1],
                pain_end=pain[2],
                pain_later=pain[3],
                pain_next_morning=None if day >= self.end - dt.timedelta(days=1) else pain[4],
                time_course=(TimeCourse.BUILDS if sore else TimeCourse.STEADY if pain[2] else None),
                triggers=frozenset({Trigger.RUNNING, Trigger.STAIRS_DOWN, Trigger.SITTING}) if sore else frozenset(),
                changes=frozenset(changes),
                sleep=Relative.LESS if phase == "sore" and rng.random() < 0.5 else Relative.USUAL,
                stress=Relative.MORE if phase in ("build", "sore") and rng.random() < 0.4 else Relative.USUAL,
                notes="Knee stiff going down the stairs at work." if sore and rng.random() < 0.2 else "",
                marks=marks,
            )
        )

    def _pain(self, day: dt.date, phase: str, run_type: RunType) -> tuple[int, int, int, int, int]:
        rng = self.rng
        weeks_left = (self.end - day).days // 7
        if phase == "build":
            peak = max(0, 13 - weeks_left) * 1.2
        elif phase == "sore":
            peak = 5.0 + (run_type in (RunType.INTERVALS, RunType.LONG))
        elif phase == "calm":
            peak = 1.0 + weeks_left * 0.35
        else:
            peak = 1.0 if rng.random() < 0.1 else 0.0
        end = min(10, max(0, round(peak + rng.uniform(-0.6, 0.6))))
        start = max(0, end - 2 - rng.randint(0, 1))
        middle = max(start, end - 1)
        later = max(0, end - 1)
        morning = max(0, end - 2 + (phase == "sore"))
        return start, middle, end, later, morning

    def plan(self):
        """The 14-day plan of the calm block: ticked most days, one day missed, today half done."""
        from .triage import Plan

        plan = Plan(kind="calm", started=self.end - dt.timedelta(days=PLAN_DAYS_AGO), days=14,
                    change="Easy runs only: no tempo or intervals", pattern="speed")
        steps = ("ease", "one_change", "strength", "recovery")
        ticks = set()
        for i in range(PLAN_DAYS_AGO + 1):
            day = plan.started + dt.timedelta(days=i)
            if i == 4:
                continue
            done = steps[:2] if day == self.end or self.rng.random() < 0.2 else steps
            ticks.update((day, step) for step in done)
        return plan, ticks

    def _strength(self, day: dt.date) -> None:
        self.entries.append(Entry(kind=Kind.STRENGTH, started=dt.datetime.combine(day, dt.time(18, 0)),
                                  duration_s=35 * 60, rpe=5, activity="Hips, glutes and calves",
                                  pain_end=1))

    def _cross(self, day: dt.date) -> None:
        self.entries.append(Entry(kind=Kind.CROSS, started=dt.datetime.combine(day, dt.time(10, 0)),
                                  duration_s=int(self.rng.uniform(40, 75)) * 60,
                                  distance_km=round(self.rng.uniform(18, 35), 1), activity="Bike", rpe=4))

    def _checkin(self, day: dt.date, phase: str) -> None:
        level = 2 if phase == "build" else 3
        self.entries.append(
            Entry(kind=Kind.CHECKIN, started=dt.datetime.combine(day, dt.time(20, 0)),
                  pain_later=level, pain_next_morning=level - 1,
                  triggers=frozenset({Trigger.STAIRS_DOWN, Trigger.SITTING}),
                  marks=(PainMark(Side.RIGHT, Region.KNEECAP, Intensity.MILD),),
                  notes="Rest day. Ache after sitting through a long meeting."))
