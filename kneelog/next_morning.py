"""The words of the next-morning question: a greeting that fits the time of day, and a
question about the right morning (Qt-free, so a fixed clock tests it)."""

from __future__ import annotations

import datetime as dt

from .model import Entry, Units
from .units import format_distance

# Where each part of the day starts; before the first (the small hours) a plain hello.
GREETINGS = (
    (dt.time(5), "Good morning!"),
    (dt.time(12), "Good afternoon!"),
    (dt.time(18), "Good evening!"),
)


def greeting(now: dt.datetime) -> str:
    said = "Hello!"
    for starts, words in GREETINGS:
        if now.time() >= starts:
            said = words
    return said


def next_morning_question(run: Entry, now: dt.datetime, units: Units) -> str:
    """Asks for the pain of the morning after `run` (a run from before today)."""
    distance = format_distance(run.distance_km, units)
    if run.day == now.date() - dt.timedelta(days=1):
        feel = "does" if now.time() < dt.time(12) else "did"
        asked = f"How {feel} your knee feel this morning, after yesterday's {distance}?"
    else:
        asked = f"How did your knee feel the morning after your {distance} on {run.started:%A}?"
    return f"{greeting(now)} {asked} Pick a number (0 = no pain):"
