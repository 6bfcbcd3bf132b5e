"""The pain rules, stated once: thresholds and windows that the triage panel, the physio
summary and the charts' pain zones all read from here. Each figure names where it comes
from: a section of the domain notes (knee-facts.md) or the study in metrics.md.

Levels of today's guidance, from the calmest:

- go: every reading of the last 48 hours at GO_MAX (3/10) or below, no rise during a run, the
  next morning no worse than usual. "Mild discomfort of 2-3 that does not rise ... is
  manageable"; "progress only while pain stays at 3/10 or below during and after" (5, 8).
- ease: a reading of 4/10 (above the 3 that allows progress, 5), or next-morning pain above the
  runner's usual ("if pain the next morning is higher than usual, reduce load": Thomee,
  Silbernagel 2007).
- stop: a reading above EASE_MAX (4/10), or pain that rose as a run went on ("above 4, or pain
  that rises as the run goes on: stop and assess", 5). A rise counts once it reaches SORE
  (3/10): 2 -> 3 is a rise; 0 -> 2 stays within the 0-2 "safe" zone of Thomee's model.
- assess: a red flag, answered, logged or found in the pain itself (severe pain of SEVERE/10 or
  more, pain that stops normal walking, daily-life pain rising over a week, no improvement
  after weeks of self-management, 4), or pain spilling into daily life (3.6); also when the
  picture most alike the marks is one that needs an in-person assessment (meniscus, back of
  the knee: "do not run through it", 2).
"""

from __future__ import annotations

from enum import StrEnum


class Level(StrEnum):
    GO = "go"
    EASE = "ease"
    STOP = "stop"
    ASSESS = "assess"


# -- pain on the 0-10 scale (knee-facts 5, 7, 8) ---------------------------------------------
GO_MAX = 3  # progress only at 3/10 or below, during and after (5, 8)
EASE_MAX = 4  # "above 4 ... stop" (5)
SEVERE = 7  # severe pain: an in-person assessment (4: "severe pain"; 7: "sharp pain")
SORE = 3  # a reading of 3 or more makes a sore day: the start of a sore spell
TENDON_EXERCISE_MAX = 5  # pain during tendon loading may reach but not exceed 5/10 (5)


def level_of(pain: int) -> Level:
    """The level one reading on its own calls for."""
    if pain >= SEVERE:
        return Level.ASSESS
    if pain > EASE_MAX:
        return Level.STOP
    if pain > GO_MAX:
        return Level.EASE
    return Level.GO


# The charts' pain zones: each level's band on the 0-10 axis, edges half-way between the
# whole numbers runners log, so that a point never sits on an edge.
PAIN_ZONES = (
    (Level.GO, -0.3, GO_MAX + 0.5),
    (Level.EASE, GO_MAX + 0.5, EASE_MAX + 0.5),
    (Level.STOP, EASE_MAX + 0.5, SEVERE - 0.5),
    (Level.ASSESS, SEVERE - 0.5, 10.3),
)

# -- windows (days) ------------------------------------------------------------------------
GUIDANCE_DAYS = 2  # today's guidance reads every reading of the last 48 hours (today, yesterday)
GUIDANCE_FALLBACK_DAYS = 14  # with none there, the latest two days with readings this recent
RED_FLAG_DAYS = 28  # warning signs and severe pain logged this recently raise a red flag
URGENT_DAYS = 7  # a fever answered this recently needs a doctor today (4: whole-body symptoms)
NO_IMPROVEMENT_DAYS = 21  # "no improvement after 2-3 weeks of sensible self-management" (4)
PLAN_REVIEW_DAYS = 14  # a plan's review after two weeks (6) decides "get it assessed"
DAILY_RISE_DAYS = 28  # daily-life pain rising day to day or week to week (3.6), read this far back
DAILY_RISE_SPAN = 5  # ... from readings at least this many days apart
DAILY_RISE_POINTS = 2  # ... the latest this many points above the earliest
DAILY_RISE_LEVEL = EASE_MAX  # ... and the latest at 4/10 or more

# -- the sore spell and the load patterns (knee-facts 3, 9) --------------------------------
SPELL_LOOKBACK_DAYS = 84  # the latest sore spell is looked for in the last 12 weeks
SPELL_GAP_DAYS = 14  # two sore days further apart than this start a new spell
LEAD_UP_DAYS = 28  # "pain builds over 2-4 weeks" (3.1): the 4 weeks before the spell
BASE_DAYS = 84  # the pain-free base: up to 12 weeks before the lead-up
BASE_MIN_DAYS = 21  # a base shorter than 3 weeks is not enough to compare against
COMEBACK_BREAK_DAYS = 30  # "a return after a break" (3.1): more than 30 days without a run
COMEBACK_SHARE = 0.8  # back at 80% or more of the old weekly distance straight away
LOAD_JUMP = 0.30  # "never more than 30% a week" (9); the charts' "over 30%" band
STEADY_GROWTH = 1.10  # the "10% rule" (9): building by 10% a week or less is not a jump
MORE_RUNS = 1.0  # one more run a week than the base, on average
CLEARLY_WORSE = 1.5  # points of pain between two kinds of run that count as "clearly"
HILLY_M_PER_KM = 15.0  # climb or descent per km that makes a run hilly (descent counts, 3.3)
NEW_SHOE_KM = 50.0  # a pair is new while it has less than this in it (10)
NEW_THING_DAYS = 21  # new shoes or surface this close before the spell (3.5)
NEW_SURFACE_DAYS = 60  # a surface is new when not run on in the 60 days before
