"""Clinical scenario journals for the triage panel, written from the rules, not from the code.

Each scenario is a small builder function returning a `Case` (entries, shoes, answers, plan,
today). Its docstring cites the rule it checks (a section of knee-facts.md, metrics.md or a
bullet of issue 11) and the `@scenario(...)` decorator states what the rule expects:

- level: today's guidance (go / ease / stop / assess; None when nothing was logged recently)
- flags: the red-flag ids (exactly), or None when the rule leaves the list open
- blocked: plan_blocked
- found: the load patterns found (every other pattern must be not found)
- resembles: every picture that fits the marks (exactly; needs_assessment is read from the
  knee-facts table: meniscus and back of the knee need an in-person assessment)
- review: the review verdict, when a plan runs

`control=True` marks a "must not flag" journal; `shows` names the patterns a scenario was
built to show (for the summary count). `cli=True` runs it end to end through
`kneelog triage --format json` as well.

All journals end on TODAY, a Monday; `ago(n)` is n days before it. The usual schedule is
Tuesday, Thursday and Sunday (yesterday is a Sunday, so "yesterday's run" is a scheduled run
and changes no load).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from kneelog.model import (
    Entry,
    Intensity,
    Kind,
    PainMark,
    Region,
    Relative,
    RunType,
    Shoe,
    Side,
    Surface,
    WarningSign,
)
from kneelog.triage import Answers, Plan

TODAY = dt.date(2026, 11, 30)  # a Monday
PATTERNS = ("volume", "speed", "downhill", "combined", "shoes_surface", "spill_over")
NEEDS_ASSESSMENT = {"meniscus": True, "back_of_knee": True}  # knee-facts 2 / triage.toml

TUE_THU_SUN = (1, 3, 6)

KNEECAP = (PainMark(Side.RIGHT, Region.KNEECAP, Intensity.MILD),)
KNEECAP_MOD = (PainMark(Side.RIGHT, Region.KNEECAP, Intensity.MODERATE),)
KNEECAP_SEVERE = (PainMark(Side.RIGHT, Region.KNEECAP, Intensity.SEVERE),)
IT_BAND = (PainMark(Side.RIGHT, Region.IT_BAND, Intensity.MODERATE),)


def ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


# -- builders ---------------------------------------------------------------------------------


def run(
    n: int,
    km: float = 8.0,
    pain=(0, 0, 0),
    later=None,
    morning=None,
    marks=None,
    run_type: RunType = RunType.EASY,
    surface: Surface = Surface.ROAD,
    **kw,
) -> Entry:
    """A run n days ago. Marks default to a mild kneecap mark when any pain was logged."""
    start, middle, end = pain if pain is not None else (None, None, None)
    if marks is None:
        values = [v for v in (start, middle, end, later, morning) if v is not None]
        marks = KNEECAP if values and max(values) > 0 else ()
    return Entry(
        kind=Kind.RUN,
        started=dt.datetime.combine(ago(n), dt.time(7, 0)),
        distance_km=km,
        duration_s=int(km * 360),
        run_type=run_type,
        surface=surface,
        rpe=4,
        pain_start=start,
        pain_middle=middle,
        pain_end=end,
        pain_later=later,
        pain_next_morning=morning,
        marks=marks,
        **kw,
    )


def checkin(n: int, later: int | None, marks=KNEECAP_MOD, **kw) -> Entry:
    """A rest-day check-in n days ago: daily-life pain ("later that day")."""
    return Entry(
        kind=Kind.CHECKIN,
        started=dt.datetime.combine(ago(n), dt.time(20, 0)),
        pain_later=later,
        marks=marks if later else (),
        **kw,
    )


def strength(n: int, **kw) -> Entry:
    return Entry(
        kind=Kind.STRENGTH,
        started=dt.datetime.combine(ago(n), dt.time(18, 0)),
        duration_s=2400,
        rpe=6,
        **kw,
    )


def schedule(
    first: int, last: int, days=TUE_THU_SUN, special: dict | None = None, **kw
) -> list[Entry]:
    """Runs on `days` (Monday = 0) from `first` days ago to `last` days ago, each built with
    `kw` (a callable value is called with n); `special` maps n -> overriding keywords."""
    special = special or {}
    out = []
    for n in range(first, last - 1, -1):
        if ago(n).weekday() not in days and n not in special:
            continue
        args = {k: (v(n) if callable(v) else v) for k, v in kw.items()}
        args.update(special.get(n, {}))
        out.append(run(n, **args))
    return out


@dataclass
class Case:
    entries: list[Entry]
    shoes: list[Shoe] = field(default_factory=list)
    answers: Answers = field(default_factory=Answers)
    plan: Plan | None = None
    today: dt.date = TODAY


@dataclass(frozen=True)
class Expect:
    level: str | None
    flags: frozenset[str] | None
    blocked: bool
    found: frozenset[str]
    resembles: frozenset[str]
    review: object = "absent"  # "absent": not checked; None or a verdict otherwise
    sources: dict = field(default_factory=dict)  # flag id -> source
    text_has: tuple[str, ...] = ()
    text_lacks: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scenario:
    name: str
    build: Callable[[], Case]
    expect: Expect
    control: bool
    shows: frozenset[str]
    cli: bool
    rule: str


SCENARIOS: list[Scenario] = []


def scenario(
    *,
    level,
    flags=(),
    blocked=False,
    found=(),
    resembles=(),
    control=False,
    cli=False,
    review="absent",
    sources=None,
    text_has=(),
    text_lacks=(),
):
    def register(fn):
        assert fn.__doc__, fn.__name__
        SCENARIOS.append(
            Scenario(
                fn.__name__,
                fn,
                Expect(
                    level,
                    None if flags is None else frozenset(flags),
                    blocked,
                    frozenset(found),
                    frozenset(resembles),
                    review,
                    dict(sources or {}),
                    tuple(text_has),
                    tuple(text_lacks),
                ),
                control,
                frozenset(found) if not control else frozenset(),
                cli,
                fn.__doc__.strip(),
            )
        )
        return fn

    return register


# ============================================================================================
# Knees in trouble (issue 11, "It misses knees in trouble"), and the patterns they show
# ============================================================================================


@scenario(
    level="assess",
    flags={"severe_pain"},
    blocked=True,
    resembles={"patellofemoral"},
    cli=True,
    sources={"severe_pain": "pain"},
    text_lacks=("keep to your plan",),
)
def later_that_day_seven():
    """Issue: "A run at 2/10 during but 7/10 later that day gets 'fine to carry on'". Guidance
    reads every reading of the last 48 h (issue, What to build 1); severe pain 7+/10 anywhere is
    a red flag (knee-facts 4: severe pain): assess, severe_pain, plan blocked. The load is the
    same as ever: no pattern."""
    return Case(schedule(100, 1, pain=(0, 0, 0), special={1: dict(pain=(2, 2, 2), later=7)}))


@scenario(
    level="assess",
    flags={"severe_pain"},
    blocked=True,
    resembles={"patellofemoral"},
    text_lacks=("keep to your plan",),
)
def checkins_nine_and_ten():
    """Issue: check-ins at 9/10 and 10/10 on the two latest days also get "go". Check-ins are
    readings of the last 48 h; 7+ is severe pain (knee-facts 4) -> assess, severe_pain, blocked.
    Two days apart is not a week of daily-life rise, and there is no night pain: spill_over
    not found. The runner stopped running (less load): no pattern."""
    return Case(schedule(100, 4, pain=(1, 1, 1)) + [checkin(1, 9), checkin(0, 10)])


@scenario(
    level="assess",
    flags={"severe_pain"},
    blocked=True,
    resembles={"patellofemoral"},
    cli=True,
    text_lacks=("rest that kind of run", "keep to your plan"),
)
def ten_out_of_ten_everywhere():
    """Issue: 10/10 during, later and next morning gets "rest that kind of run", no red flag.
    Knee-facts 4 (severe pain) and 7 (sharp pain needs assessment): assess + severe_pain +
    plan_blocked."""
    return Case(
        schedule(
            100, 1, special={1: dict(pain=(10, 10, 10), later=10, morning=10, marks=KNEECAP_SEVERE)}
        )
    )


@scenario(level="stop", resembles={"patellofemoral"}, cli=True, text_lacks=("ease off",))
def five_at_the_end():
    """Issue: 5/10 at the end of a run gets "ease off". Knee-facts 5: "Above 4 ... stop and
    assess" -> stop. 5 is below severe (7): no red flag, plan open."""
    return Case(schedule(100, 1, special={1: dict(pain=(5, 5, 5))}))


@scenario(level="stop", resembles={"patellofemoral"}, cli=True)
def rise_two_to_three():
    """Issue: a rise from 2 to 3 during the run gets "go". Knee-facts 5: "pain that rises as the
    run goes on: stop and assess" (rules.py: a rise counts once it reaches 3) -> stop."""
    return Case(schedule(100, 1, special={1: dict(pain=(2, 3, 3))}))


@scenario(level="ease", resembles={"patellofemoral"}, cli=True)
def morning_three_over_usual_zero():
    """Issue: next-morning pain of 3 against a usual 0 gets "go". metrics.md (Thomee,
    Silbernagel): next-morning pain higher than the usual morning pain -> reduce load: ease.
    The usual is 0 (the median morning of pain-free weeks, all logged as 0)."""
    return Case(schedule(100, 1, morning=0, special={1: dict(pain=(1, 1, 1), morning=3)}))


@scenario(
    level="assess",
    flags={"daily_pain_rising", "severe_pain"},
    blocked=True,
    found={"spill_over"},
    resembles={"patellofemoral"},
    cli=True,
    sources={"daily_pain_rising": "pain", "severe_pain": "pain"},
)
def daily_life_rising_four_to_eight():
    """Issue: daily-life pain rising 4 -> 8 over five check-ins while not running gets "not
    enough entries", no flag, plan open. Knee-facts 3.6 / 4 and What to build 1: daily-life pain
    rising over a week is a red flag (daily_pain_rising), 7 and 8 are severe (severe_pain), the
    spill_over pattern is found, the plan is blocked, guidance assess."""
    entries = schedule(100, 19) + schedule(18, 12, pain=(2, 3, 3))
    entries += [checkin(8, 4), checkin(6, 5), checkin(4, 6), checkin(2, 7), checkin(0, 8)]
    return Case(entries)


@scenario(
    level="assess",
    flags={"daily_pain_rising"},
    blocked=True,
    found={"spill_over"},
    resembles={"patellofemoral"},
    sources={"daily_pain_rising": "pain"},
)
def daily_life_rising_two_to_six():
    """Knee-facts 3.6: pain spills into daily life and keeps getting worse -> in-person
    assessment. Check-ins 2, 3, 4, 5, 6 over eight days (no reading severe): daily_pain_rising
    alone, spill_over found, plan blocked, assess."""
    entries = schedule(100, 10, pain=(1, 1, 1))
    entries += [checkin(8, 2), checkin(6, 3), checkin(4, 4), checkin(2, 5), checkin(0, 6)]
    return Case(entries)


@scenario(
    level="assess",
    flags={"daily_pain_rising", "night_pain"},
    blocked=True,
    found={"spill_over"},
    resembles={"patellofemoral"},
    cli=True,
    review="assess",
    sources={"night_pain": "logged"},
    text_lacks=("gentle return", "after two weeks"),
)
def spill_over_while_a_plan_runs():
    """Issue: "When 'spills into daily life' is found, the plan is still offered beside 'a good
    reason to get the knee assessed'". spill_over is never found with an open plan: a plan
    started 10 days ago, daily-life pain rising 3 -> 6 and night pain logged -> plan blocked,
    the review verdict only "assess" (What to build 1); on day 10 of the plan its words cannot
    be "after two weeks or more" (the panel shows review.blocked: a warning sign came up)."""
    entries = schedule(100, 11, pain=(1, 1, 1)) + schedule(10, 1, pain=(2, 2, 2))
    entries += [
        checkin(9, 3),
        checkin(6, 4),
        checkin(4, 5, warnings=frozenset({WarningSign.NIGHT_PAIN})),
        checkin(0, 6),
    ]
    return Case(entries, plan=Plan("calm", ago(10), 14))


@scenario(
    level="assess",
    flags={"giving_way"},
    blocked=True,
    resembles={"patellofemoral"},
    cli=True,
    review="assess",
    sources={"giving_way": "logged"},
    text_lacks=("gentle return", "no clear improvement"),
)
def giving_way_yesterday_during_a_plan():
    """Issue: with "giving way" logged yesterday the plan is blocked but the review still says
    "a gentle return". Knee-facts 4 (instability): blocked; a blocked plan shows no review
    verdict other than "assess" (What to build 1). The pain had eased during the plan (3-4
    before, 1-2 during), which alone would mean "return". The review's words must say why
    (the warning sign, as the panel does: review.blocked), not "No clear improvement after two
    weeks": the pain did improve (knee-facts 6: the review compares the pain trend)."""
    entries = schedule(100, 31) + schedule(30, 17, pain=(3, 3, 3))
    entries += schedule(16, 2, pain=(1, 2, 2))
    entries.append(run(1, pain=(2, 2, 2), warnings=frozenset({WarningSign.GIVING_WAY})))
    return Case(entries, plan=Plan("calm", ago(16), 14))


@scenario(level="go", resembles={"patellofemoral", "back_of_knee"}, cli=True)
def severe_mark_behind_the_knee():
    """Issue: a severe mark behind the knee plus mild kneecap marks shows only "runner's knee".
    What to build 3: every picture that fits is listed and one that needs an in-person
    assessment (back of the knee, knee-facts 2) is never hidden. Pain stays at 1-2 without a
    rise: go."""
    back = (PainMark(Side.RIGHT, Region.BACK_CENTRE, Intensity.SEVERE),) + KNEECAP
    return Case(schedule(100, 1, pain=(1, 2, 2), special={3: dict(pain=(1, 2, 2), marks=back)}))


@scenario(level="ease", found={"volume"}, resembles={"patellofemoral"}, cli=True)
def comeback_at_the_old_volume():
    """Issue: a return after more than 30 days off, straight back at the old volume, shows no
    load evidence. Knee-facts 3.1: "a return after a break 'like before'" is a volume jump ->
    volume found. Last run 4/4/4 (flat, 4/10): ease."""
    entries = schedule(110, 50)
    entries += schedule(14, 1, pain=lambda n: (1, 2, 2) if n > 8 else (4, 4, 4))
    return Case(entries)


@scenario(level="assess", resembles={"meniscus"}, cli=True)
def joint_line_marks_mild_pain():
    """Knee-facts 2 / What to build 3: marks deep in the inner joint line resemble an irritated
    meniscus, which needs an in-person assessment ("do not run through it"): listed with
    needs_assessment. Pain 2/10 with no rise and no warning sign, but the picture most alike is
    one to get assessed (rules.py): assess, never "keep running as you are"."""
    inner = (PainMark(Side.LEFT, Region.INNER_JOINT_LINE, Intensity.MODERATE),)
    return Case(schedule(100, 1, pain=(2, 2, 2), marks=inner))


@scenario(
    level="assess",
    flags={"locking", "swelling"},
    blocked=True,
    resembles={"meniscus", "wear"},
    sources={"locking": "logged", "swelling": "logged"},
)
def locking_and_swelling_with_deep_marks():
    """Knee-facts 4 (marked swelling, locking) and 2 (deep in the joint, catching/locking: meniscus,
    do not run through it; deep and diffuse: wear): logged locking and swelling 6 days ago -> red
    flags, blocked, assess; the pictures meniscus (needs assessment) and wear both fit "deep"."""
    deep = (PainMark(Side.LEFT, Region.DEEP, Intensity.MODERATE),)
    return Case(
        schedule(
            100,
            1,
            pain=(2, 2, 2),
            marks=deep,
            special={
                6: dict(
                    pain=(2, 3, 3),
                    marks=deep,
                    warnings=frozenset({WarningSign.LOCKING, WarningSign.SWELLING}),
                )
            },
        )
    )


@scenario(
    level="assess",
    flags={"no_improvement"},
    blocked=True,
    resembles={"patellofemoral"},
    cli=True,
    review="assess",
    sources={"no_improvement": "time"},
    text_lacks=("gentle return",),
)
def plan_two_weeks_no_better():
    """Knee-facts 4 and 6: a calm plan reviewed after two weeks with the pain no lower (3/10
    before and during) -> no_improvement (source "time"), plan blocked, review verdict "assess"."""
    entries = schedule(100, 30) + schedule(29, 1, pain=(3, 3, 3))
    return Case(entries, plan=Plan("calm", ago(15), 14))


@scenario(
    level="assess",
    flags={"no_improvement"},
    blocked=True,
    resembles={"patellofemoral"},
    cli=True,
    sources={"no_improvement": "time"},
)
def no_improvement_after_three_weeks():
    """Issue: no time-based prompt. Knee-facts 4: "no improvement after 2-3 weeks of sensible
    self-management" -> in-person assessment: the no_improvement flag (source "time"), plan
    blocked, assess. Pain 3/10 flat since 25 days ago, the same load: no pattern."""
    return Case(schedule(110, 26) + schedule(25, 1, pain=(3, 3, 3)))


@scenario(
    level="assess",
    flags={"fever_unwell"},
    blocked=True,
    resembles={"patellofemoral"},
    cli=True,
    sources={"fever_unwell": "answer"},
    text_has=("doctor today",),
    text_lacks=("probably nothing dramatic",),
)
def fever_answer():
    """Knee-facts 4 (fever or significant whole-body symptoms) and What to build 1: fever or
    feeling unwell gets its own, more urgent wording: assess, urgent ("see a doctor today")."""
    return Case(schedule(100, 1, pain=(1, 1, 1)), answers=Answers(yes={"fever_unwell": TODAY}))


@scenario(
    level="assess",
    flags={"cannot_walk"},
    blocked=True,
    resembles={"patellofemoral"},
    sources={"cannot_walk": "answer"},
)
def cannot_walk_answer():
    """Knee-facts 4: severe pain that limits walking -> in-person assessment: answered red flag
    blocks the plan, assess, even with calm logged pain."""
    return Case(schedule(100, 1, pain=(2, 2, 2)), answers=Answers(yes={"cannot_walk": ago(3)}))


@scenario(
    level="assess",
    flags={"limping"},
    blocked=True,
    resembles={"patellofemoral"},
    sources={"limping": "logged"},
)
def limping_logged_three_weeks_ago():
    """Knee-facts 4 (pain that stops normal walking) and the contract (warning signs logged in
    the last 28 days are red flags): limping 20 days ago, calm since, no assessment -> still
    blocked and assess."""
    return Case(
        schedule(
            100,
            1,
            pain=(1, 1, 1),
            special={20: dict(pain=(2, 2, 2), warnings=frozenset({WarningSign.LIMPING}))},
        )
    )


@scenario(level="stop", found={"downhill"}, resembles={"it_band"}, cli=True)
def hills_by_descent():
    """Issue: the hill check uses climb only (149 m up, 600 m down counts as flat). Knee-facts
    3.3: downhills and eccentric load; What to build 2: descent counts. Sunday runs of 10 km with
    149 m up and 600 m down leave 5/10 (rising), the flat runs of the same weeks 2/10, the same
    distance as before -> downhill found, volume not. Yesterday's hilly run rose to 5: stop."""

    def sunday(n):
        hilly = ago(n).weekday() == 6 and n <= 29
        return dict(
            elevation_gain_m=149.0 if hilly else 20.0, elevation_loss_m=600.0 if hilly else 20.0
        )

    entries = []
    for n in range(110, 0, -1):
        if ago(n).weekday() not in TUE_THU_SUN:
            continue
        extra = sunday(n)
        hilly = extra["elevation_loss_m"] > 100
        if n > 15:
            pain = (0, 1, 1) if hilly else (0, 0, 0)
        else:
            pain = (2, 3, 5) if hilly else (1, 2, 2)
        entries.append(run(n, km=10.0, pain=pain, marks=IT_BAND if max(pain) > 0 else (), **extra))
    return Case(entries)


@scenario(level="go", found={"speed"}, resembles={"patellofemoral"}, cli=True)
def speed_work_hurts():
    """Knee-facts 3.2: easy runs mostly fine, pain clearly worse after tempo and lingering into
    the next day -> speed found (tempo 4/10 into the next morning, easy runs 1/10, the same weeks).
    The runner always did one tempo a week (no combined load, no volume change). Yesterday's easy
    run at 1/10 without a rise: go."""

    def kind(n):
        return RunType.TEMPO if ago(n).weekday() == 3 else RunType.EASY

    def pain(n):
        if n > 18:
            return (0, 0, 0)
        return (2, 3, 4) if kind(n) is RunType.TEMPO else (1, 1, 1)

    def morning(n):
        return 4 if n <= 18 and kind(n) is RunType.TEMPO else None

    return Case(schedule(110, 1, run_type=kind, pain=pain, morning=morning))


@scenario(level="go", found={"shoes_surface"}, resembles={"patellofemoral"}, cli=True)
def new_shoes_then_pain():
    """Knee-facts 3.5: pain starts without more mileage but after new shoes. A brand-new pair
    (0 km) from 30 days ago, the same runs; 3/10 flat from 20 days ago -> shoes_surface found.
    3/10 that does not rise: go (knee-facts 5)."""
    shoes = [Shoe("Old trainers", id=1, prior_km=300.0), Shoe("New racers", id=2, prior_km=0.0)]
    entries = schedule(
        110,
        1,
        shoe_id=lambda n: 1 if n > 30 else 2,
        pain=lambda n: (3, 3, 3) if n <= 20 else (0, 0, 0),
    )
    return Case(entries, shoes)


@scenario(level="stop", found={"volume"}, resembles={"patellofemoral"})
def volume_jump():
    """Knee-facts 3.1 and 9: weekly distance from 18 km (3 x 6) to 45 km (5 x 9) in the four
    weeks before the pain, which builds over weeks -> volume found. Yesterday 3 -> 4: a rise:
    stop."""
    entries = schedule(110, 29, km=6.0)
    entries += schedule(
        28,
        1,
        days=(0, 1, 3, 5, 6),
        km=9.0,
        pain=lambda n: (0, 0, 0) if n > 16 else (1, 2, 2) if n > 10 else (3, 4, 4),
    )
    return Case(entries)


@scenario(level="go", found={"combined"}, resembles={"patellofemoral"})
def combined_load():
    """Knee-facts 3.4: strength work three times a week, short sleep and high stress, all new in
    the four weeks before the pain, with the same runs -> combined found (volume, speed not).
    3/10 flat: go."""

    def rel(n, worse):
        return worse if n <= 28 and n % 3 else Relative.USUAL

    entries = schedule(
        110,
        1,
        pain=lambda n: (3, 3, 3) if n <= 8 else (0, 0, 0),
        sleep=lambda n: rel(n, Relative.LESS),
        stress=lambda n: rel(n, Relative.MORE),
    )
    entries += [strength(n) for n in range(28, 0, -1) if ago(n).weekday() in (0, 2, 4)]
    return Case(entries)


# ============================================================================================
# Controls: journals that must not flag (issue 11, "It flags what is not there")
# ============================================================================================


@scenario(level="go", resembles={"patellofemoral"}, control=True, cli=True)
def calm_mild_stable():
    """Issue (controls: calm runners). Knee-facts 5: mild discomfort of 1-2 that does not rise
    is manageable -> go; no sore day (3+), so no sore spell and no pattern."""
    return Case(schedule(110, 1, pain=(1, 2, 2)))


@scenario(level="go", resembles={"patellofemoral"}, control=True, cli=True)
def alternating_three_and_four_runs():
    """Issue: a steady 7 km every other day (weeks alternate 3 and 4 runs) produces "+33%"
    jumps. The base had the same jumps (What to build 2: clearly stronger than the pain-free
    weeks): volume not found, even with a sore spell of 3/10 (flat: go)."""
    entries = [run(n, km=7.0, pain=(3, 3, 3) if n <= 12 else (0, 0, 0)) for n in range(111, 0, -2)]
    return Case(entries)


@scenario(level="go", control=True, cli=True)
def painfree_comeback():
    """Issue (controls: a pain-free comeback). Back after 40 days at the old volume, no pain at
    all: no sore spell, nothing to explain, nothing found; all readings 0: go."""
    return Case(schedule(120, 60) + schedule(20, 1))


@scenario(level="go", control=True, cli=True)
def high_mileage_no_pain():
    """Issue (controls: a high-mileage runner with no pain). 6 x 15 km a week, 0/10: go, no
    pattern (no sore spell)."""
    return Case(schedule(110, 1, days=(0, 1, 2, 3, 4, 6), km=15.0))


@scenario(level="go", control=True)
def new_shoes_no_pain():
    """Knee-facts 3.5 needs pain to start after new shoes: a new pair with no pain is nothing
    to explain: nothing found, go."""
    shoes = [Shoe("Old", id=1, prior_km=200.0), Shoe("New", id=2)]
    return Case(schedule(110, 1, shoe_id=lambda n: 1 if n > 10 else 2), shoes)


@scenario(level="go", resembles={"patellofemoral"}, control=True, cli=True)
def old_pair_worn_again():
    """Issue: "A 795 km pair worn again is reported as 'new shoes'". What to build 2: shoes
    are new by their distance, not by a gap. The 795 km pair (limit 1000 km, so not worn out)
    comes back 24 days ago; 3/10 flat from 14 days ago: shoes_surface not found; go."""
    shoes = [
        Shoe("Old faithful", id=1, prior_km=795.0, limit_km=1000.0),
        Shoe("Summer pair", id=2, prior_km=0.0),
    ]
    entries = schedule(
        110,
        1,
        shoe_id=lambda n: 2 if n > 24 else 1,
        pain=lambda n: (3, 3, 3) if n <= 14 else (0, 0, 0),
    )
    return Case(entries, shoes)


@scenario(level="go", resembles={"patellofemoral"}, control=True, cli=True)
def eleven_after_ten():
    """metrics.md single-run spike: bands <= 10% (reference), 10-30%, ...; 11 km after a longest
    of 10 km is +10%, in the "up to 10%" band (issue: triage called it "10% longer"). Two 6 km
    runs and a 10 km long run a week; one 11 km long run 8 days ago; 3/10 flat since: volume not
    found; go."""

    def km(n):
        if ago(n).weekday() != 6:
            return 6.0
        return 11.0 if n == 8 else 10.0

    return Case(schedule(110, 1, km=km, pain=lambda n: (3, 3, 3) if n <= 6 else (0, 0, 0)))


@scenario(level="go", resembles={"patellofemoral"}, control=True, cli=True)
def speed_stopped_when_pain_began():
    """Issue: speed comparisons mix in pain-free runs from before the pain. One tempo a week for
    months (pain-free); the pain begins on a tempo 13 days ago (3/10) and the runner drops speed
    work: easy runs with falling pain. Speed must not be found (nothing shows tempo hurting more
    than easy runs of the same weeks); yesterday 1/10: go."""

    def kind(n):
        return RunType.TEMPO if ago(n).weekday() == 1 and n >= 13 else RunType.EASY

    def pain(n):
        if n > 13:
            return (0, 0, 0)
        return (3, 3, 3) if n > 6 else (1, 1, 1)

    return Case(schedule(110, 1, run_type=kind, pain=pain))


@scenario(level="ease", resembles={"patellofemoral"}, control=True)
def steady_runner_sore_spell():
    """Knee-facts 3: a pattern needs something that changed. Same 3 x 8 km for months, then
    4/10 flat for nine days: nothing found; 4/10 -> ease (knee-facts 5)."""
    return Case(schedule(110, 1, pain=lambda n: (4, 4, 4) if n <= 9 else (0, 0, 0)))


@scenario(level="go", resembles={"patellofemoral"}, control=True)
def journal_began_three_weeks_ago():
    """Issue: "Weeks before the journal began count as zero runs". A journal begun 20 days ago
    (3 runs a week from the start), 3/10 flat since 6 days ago: no pain-free base to compare
    with, so volume is not found (not enough data); go."""
    return Case(schedule(20, 1, pain=lambda n: (3, 3, 3) if n <= 6 else (0, 0, 0)))


@scenario(level=None, resembles={"patellofemoral"}, control=True)
def nothing_logged_recently():
    """Contract: a guidance level of null means no pain was logged in the last two weeks. The
    last entry is 20 days old (mild pain, no sore day): level null, nothing found, no flags. The
    picture falls back to the last marked entries (kneecap)."""
    return Case(schedule(110, 20, pain=(1, 1, 1)))


@scenario(level=None, control=True, cli=True)
def empty_journal():
    """Contract: nothing logged -> guidance null, no flags, nothing found, no picture."""
    return Case([])


@scenario(level="go", resembles={"patellofemoral"}, control=True)
def safe_zone_rise_zero_to_two():
    """rules.py / metrics.md (Thomee): 0-2 during activity is safe; a rise from 0 to 2 stays in
    the safe zone and is not "pain that rises" (the rise counts from 3): go, nothing found."""
    return Case(schedule(110, 1, pain=(0, 1, 2)))


@scenario(level="go", resembles={"patellofemoral"}, control=True)
def recovery_week_every_fourth():
    """Knee-facts 9: a recovery week every 3-4 weeks. Weeks of 24, 24, 24 and 16 km (the Sunday
    run dropped); the week after a recovery week is +50%, as it always was in the base: volume not
    found with a 3/10 flat spell; go."""

    def recovery(n):
        monday = ago(n) - dt.timedelta(days=ago(n).weekday())
        return ((TODAY - monday).days // 7) % 4 == 2

    entries = [
        e
        for e in schedule(110, 1, pain=lambda n: (3, 3, 3) if n <= 5 else (0, 0, 0))
        if not (e.day.weekday() == 6 and recovery((TODAY - e.day).days))
    ]
    return Case(entries)


@scenario(level="go", resembles={"patellofemoral"}, control=True)
def strength_as_always():
    """Knee-facts 3.4 needs load that rose: two strength sessions a week for months, usual sleep
    and stress, then 3/10 flat for a week: combined not found; go."""
    entries = schedule(
        110,
        1,
        pain=lambda n: (3, 3, 3) if n <= 7 else (0, 0, 0),
        sleep=Relative.USUAL,
        stress=Relative.USUAL,
    )
    entries += [strength(n) for n in range(110, 0, -1) if ago(n).weekday() in (0, 4)]
    return Case(entries)


@scenario(level="go", resembles={"patellofemoral"}, control=True)
def high_mileage_mild_spell():
    """Issue (controls: high-mileage runner). 6 x 12 km for months, then 3/10 flat for a week
    with nothing changed: nothing found; go."""
    return Case(
        schedule(
            110,
            1,
            days=(0, 1, 2, 3, 4, 6),
            km=12.0,
            pain=lambda n: (3, 3, 3) if n <= 7 else (0, 0, 0),
        )
    )


@scenario(level="go", resembles={"patellofemoral"}, control=True)
def hills_always_same_pain():
    """Knee-facts 3.3 needs hilly runs to hurt more: a hilly Sunday (60 m/km down) for months;
    since the pain began hilly and flat runs both leave 3/10: downhill not found; go."""

    def elevation(n):
        return 600.0 if ago(n).weekday() == 6 else 20.0

    return Case(
        schedule(
            110,
            1,
            km=10.0,
            elevation_gain_m=elevation,
            elevation_loss_m=elevation,
            pain=lambda n: (3, 3, 3) if n <= 14 else (0, 0, 0),
        )
    )


@scenario(level="go", resembles={"patellofemoral"}, control=True)
def hills_only_before_the_pain():
    """Issue: hill comparisons mix in pain-free runs from before the pain began. Pain-free hilly
    Sundays for months; from the onset 12 days ago the runner keeps to flat routes at 3/10: no
    hilly run since the onset, so downhill is not found; go."""

    def elevation(n):
        return 600.0 if ago(n).weekday() == 6 and n > 12 else 20.0

    return Case(
        schedule(
            110,
            1,
            km=10.0,
            elevation_gain_m=elevation,
            elevation_loss_m=elevation,
            pain=lambda n: (3, 3, 3) if n <= 12 else (0, 0, 0),
        )
    )


@scenario(level="go", resembles={"patellofemoral"}, control=True)
def trail_every_sunday():
    """Knee-facts 3.5 (a new surface): trail every Sunday for months is not new: a 3/10 flat
    spell with nothing changed -> shoes_surface not found; go."""
    return Case(
        schedule(
            110,
            1,
            surface=lambda n: Surface.TRAIL if ago(n).weekday() == 6 else Surface.ROAD,
            pain=lambda n: (3, 3, 3) if n <= 8 else (0, 0, 0),
        )
    )


@scenario(level="go", flags=(), resembles={"patellofemoral"}, control=True)
def warning_sign_older_than_28_days():
    """Contract / knee-facts 4: warning signs logged in the last 28 days raise a red flag; a
    giving way 40 days ago, calm (1/10) since: no flag, plan open, go."""
    return Case(
        schedule(
            110,
            1,
            pain=(1, 1, 1),
            special={40: dict(pain=(2, 2, 2), warnings=frozenset({WarningSign.GIVING_WAY}))},
        )
    )


@scenario(level="go", flags=None, resembles={"patellofemoral"}, control=True)
def assessed_after_a_flag():
    """Contract: plan_blocked is true until an in-person assessment is confirmed. Giving way 20
    days ago, assessed 10 days ago, calm 1/10 since: plan open, go (the flag list itself is not
    checked: the contract does not say whether an assessed flag is still listed)."""
    entries = schedule(
        110,
        1,
        pain=(1, 1, 1),
        special={20: dict(pain=(2, 2, 2), warnings=frozenset({WarningSign.GIVING_WAY}))},
    )
    return Case(entries, answers=Answers(assessed_on=ago(10)))


@scenario(level="go", control=True)
def morning_equal_to_usual():
    """metrics.md: reduce load only when next-morning pain is higher than the usual morning pain.
    Pain-free runs whose next mornings are always 1/10 (usual 1): yesterday's pain-free run and
    1/10 this morning -> go; no sore day, nothing found."""
    return Case(schedule(110, 1, morning=1, marks=()))


@scenario(level="go", resembles={"patellofemoral"}, control=True)
def rest_day_checkin_mild():
    """Knee-facts 5/7: 2/10 aching on a rest day is manageable; calm runs at 1/10 and a check-in
    at 2 yesterday: go, nothing found (no sore day), no flags."""
    return Case(schedule(110, 2, pain=(1, 1, 1)) + [checkin(1, 2, marks=KNEECAP)])


@scenario(level="go", resembles={"patellofemoral"}, control=True)
def tempo_hurts_no_more_than_easy():
    """Knee-facts 3.2 needs tempo to hurt clearly more than easy runs: one tempo a week for months,
    and since the pain began tempo and easy runs both leave 3/10: speed not found; go."""
    return Case(
        schedule(
            110,
            1,
            run_type=lambda n: RunType.TEMPO if ago(n).weekday() == 3 else RunType.EASY,
            pain=lambda n: (3, 3, 3) if n <= 18 else (0, 0, 0),
        )
    )


@scenario(level="go", control=True)
def new_surface_no_pain():
    """Knee-facts 3.5 needs pain that starts after the change: from road to the track 20 days ago
    with no pain at all: nothing to explain, nothing found; go."""
    return Case(schedule(110, 1, surface=lambda n: Surface.TRACK if n <= 20 else Surface.ROAD))


@scenario(level="go", resembles={"patellofemoral"}, control=True)
def one_sore_run_ten_days_ago():
    """Guidance reads the last 48 h (issue, What to build 1): one 4/10 run ten days ago, calm
    1/10 since (yesterday too): go; the same load as ever, nothing found, no flag."""
    return Case(
        schedule(
            110, 1, pain=lambda n: (4, 4, 4) if n == 11 else (1, 1, 1) if n < 11 else (0, 0, 0)
        )
    )


@scenario(
    level="assess",
    flags={"daily_pain_rising", "no_improvement"},
    blocked=True,
    found={"spill_over"},
    resembles={"patellofemoral"},
    cli=True,
    sources={"daily_pain_rising": "pain", "no_improvement": "time"},
)
def weekly_checkins_rising():
    """Knee-facts 3.6: pain "spills into daily life and keeps getting worse week to week" -> an
    in-person assessment (issue: "daily-life pain rising over a week" is a pain-based red flag).
    Weekly rest-day check-ins 2, 3, 4, 5, 6 over four weeks while the runs stay at 2/10:
    daily_pain_rising, spill_over found, blocked, assess. The spell began 21 days ago and is no
    better: no_improvement too (knee-facts 4: 2-3 weeks)."""
    entries = schedule(100, 1, pain=lambda n: (2, 2, 2) if n <= 35 else (0, 0, 0))
    entries += [checkin(n, v) for n, v in ((28, 2), (21, 3), (14, 4), (7, 5), (0, 6))]
    return Case(entries)


@scenario(level="go", resembles={"patellofemoral"}, control=True)
def slowly_improving_spell():
    """Knee-facts 4 asks for an assessment when there is no improvement after 2-3 weeks: a spell
    that began 25 days ago at 5/10 and is at 3/10 (flat) in the last week has improved: no flag,
    nothing found (the same load); go."""

    def pain(n):
        if n > 25:
            return (0, 0, 0)
        return (5, 5, 5) if n > 18 else (4, 4, 4) if n > 7 else (3, 3, 3)

    return Case(schedule(110, 1, pain=pain))


@scenario(level="go", resembles={"patellofemoral"}, control=True)
def new_shoes_after_the_pain_began():
    """Knee-facts 3.5: shoes explain pain that starts after them. A new pair bought 10 days after
    the pain began (as a remedy) is not a cause: shoes_surface not found; 3/10 flat: go."""
    shoes = [Shoe("Old", id=1, prior_km=250.0), Shoe("Cushioned", id=2)]
    return Case(
        schedule(
            110,
            1,
            shoe_id=lambda n: 1 if n > 10 else 2,
            pain=lambda n: (3, 3, 3) if n <= 20 else (0, 0, 0),
        ),
        shoes,
    )


@scenario(level="go", found={"shoes_surface"}, resembles={"patellofemoral"})
def track_is_new():
    """Knee-facts 3.5: a new surface (track running) shortly before the pain, same distance and
    pace: the Tuesday run moved to the track 20 days ago, 3/10 flat from 15 days ago ->
    shoes_surface found; go."""
    return Case(
        schedule(
            110,
            1,
            surface=lambda n: Surface.TRACK if n <= 20 and ago(n).weekday() == 1 else Surface.ROAD,
            pain=lambda n: (3, 3, 3) if n <= 15 else (0, 0, 0),
        )
    )


@scenario(
    level="assess",
    flags=None,
    blocked=True,
    resembles={"patellofemoral"},
    cli=True,
    sources={"severe_pain": "pain"},
)
def severe_after_an_assessment():
    """Contract: the plan is closed until an assessment is confirmed after the flag. Giving way
    20 days ago, assessed 10 days ago, then 8/10 later yesterday: a new severe_pain flag after the
    assessment -> blocked again, assess (whether the assessed giving way is still listed is not
    checked)."""
    entries = schedule(
        110,
        1,
        pain=(1, 1, 1),
        special={
            20: dict(pain=(2, 2, 2), warnings=frozenset({WarningSign.GIVING_WAY})),
            1: dict(pain=(2, 2, 2), later=8),
        },
    )
    return Case(entries, answers=Answers(assessed_on=ago(10)))


@scenario(level="go", resembles={"patellofemoral"}, control=True)
def monthly_long_run_spikes():
    """metrics.md spike / What to build 2 (clearly stronger than the pain-free weeks): a 15 km
    run after 10 km longest (+50%) every fourth Sunday for months; the same in the four weeks
    before a 3/10 flat spell: volume not found; go."""

    def km(n):
        if ago(n).weekday() != 6:
            return 6.0
        return 15.0 if (n // 7) % 4 == 1 else 10.0

    return Case(schedule(110, 1, km=km, pain=lambda n: (3, 3, 3) if n <= 6 else (0, 0, 0)))


@scenario(level="go", found={"volume"}, resembles={"patellofemoral"})
def more_runs_same_distance():
    """Knee-facts 3.1: "more runs a week" is a frequency jump even at the same weekly distance:
    3 x 8 km for months, then 5 x 5 km a week for four weeks, 3/10 flat from 7 days ago -> volume
    found (runs a week up by two); go."""
    entries = schedule(110, 29) + schedule(
        28, 1, days=(0, 1, 3, 4, 6), km=5.0, pain=lambda n: (3, 3, 3) if n <= 7 else (0, 0, 0)
    )
    return Case(entries)


@scenario(level="go", resembles={"patellofemoral"}, control=True)
def daily_life_settling():
    """Knee-facts 3.6 needs daily-life pain that keeps getting worse: rest-day check-ins 5, 4, 3,
    2, 2 over eight days (settling), runs at 1/10: no flag, spill_over not found; today 2: go."""
    entries = schedule(110, 1, pain=(1, 1, 1))
    entries += [checkin(n, v) for n, v in ((8, 5), (6, 4), (4, 3), (2, 2), (0, 2))]
    return Case(entries)


@scenario(level="go", flags=None, resembles={"patellofemoral"})
def night_pain_then_assessed():
    """Issue / brief: spill_over is found never with an open plan (its words: "not something to
    test on your own: a good reason to get the knee assessed" must not sit beside an offered
    plan). Night pain 20 days ago, an assessment confirmed 10 days ago, 1/10 since: the plan is
    open (the contract), so spill_over must not be found; go."""
    entries = schedule(
        110,
        1,
        pain=(1, 1, 1),
        special={20: dict(pain=(3, 3, 3), warnings=frozenset({WarningSign.NIGHT_PAIN}))},
    )
    return Case(entries, answers=Answers(assessed_on=ago(10)))


REBUILD_KM = (14.0, 15.0, 16.0, 17.5, 19.0, 20.5, 22.0, 23.5, 24.0)  # weekly, at most +10%


@scenario(level="go", resembles={"patellofemoral"}, control=True)
def gradual_rebuild_after_a_break():
    """Knee-facts 9 (after a break, "5-10% a week if long untrained", never more than 30%) and the
    issue (compare with the runner's own pain-free base, a comeback "like before" is the jump):
    3 x 8 km (24 km a week) pain-free, 35 days off, back at 14 km a week and up by 10% a week or
    less to 24 km, the volume tolerated before; 3/10 flat from 5 days ago. No week rose by over
    10% and the volume is not above the pain-free one: volume not found (the break's empty weeks
    are not the runner's base); go."""
    weeks = len(REBUILD_KM)
    back = weeks * 7  # days ago the rebuild began (a Monday)
    entries = schedule(back + 35 + 70, back + 36, days=TUE_THU_SUN)
    for n in range(back, 0, -1):
        if ago(n).weekday() in TUE_THU_SUN:
            week = (back - n) // 7
            entries.append(run(n, km=REBUILD_KM[week] / 3, pain=(3, 3, 3) if n <= 5 else (0, 0, 0)))
    return Case(entries)


@scenario(level="stop", resembles={"patellofemoral"})
def rise_from_the_middle_start_not_logged():
    """Knee-facts 5: "pain that rises as the run goes on: stop and assess". A run logged without
    its start figure, 2/10 in the middle and 4/10 at the end, rose as it went on: stop (not the
    "ease" that 4/10 alone would give)."""
    return Case(schedule(100, 1, special={1: dict(pain=(None, 2, 4))}))
