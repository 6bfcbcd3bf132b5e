"""What an export says about its activities beyond the files: Strava's activities.csv and
shoes.csv, Garmin's summarizedActivities.json.

Strava writes the CSV header in the account's language ("Filename", "Dateiname", ...) and
repeats names ("Distance" and "Elapsed Time" twice, once in the athlete's units, once in
metres and seconds), so no column is found by its header. Columns are found by position and
checked by content:
- the file name is the column whose cells look like `activities/...` (found by content: it
  moved from the 10th to the 13th column over the years);
- the gear (the shoe's name for a run) is the column just before it, in both layouts so far
  (the file name 10th or 13th); with the file name elsewhere the layout is unknown, and the
  gear is not guessed;
- the type (Run, Ride, Lauf, ...) is the 4th column and the description the 5th;
- in today's layout (the file name 13th), the private note is the 11th column and the
  perceived exertion the 44th, taken only when every value in it is a whole number from 1 to
  10 (otherwise the layout changed and the column is left alone).
The activity date is not read: the activity file says when it started, in UTC, and Strava's
date is written in the account's language too.

Strava's shoes.csv holds each pair's name, brand and model ("Shoe Name", "Shoe Brand", "Shoe
Model", "Shoe Default Sport Types"), and no distance: a pair's distance in kneelog is that of
the runs linked to it.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .activity import ImportRejected


@dataclass(frozen=True)
class Meta:
    """What the export says about one activity (empty: nothing)."""

    note: str = ""
    rpe: int | None = None  # perceived exertion, 1-10
    gear: str = ""  # the shoe's name, as the export's gear column gives it
    sport: str = (
        ""  # as kneelog names sports ("running", "cycling"), when the export's word is known
    )


@dataclass(frozen=True)
class ShoeRow:
    name: str


# Strava's activity types in the languages seen in exports, lower-case. A word not here leaves
# the sport to what the file itself says.
STRAVA_SPORTS = {
    "running": {
        "run",
        "trail run",
        "virtual run",
        "lauf",
        "laufen",
        "traillauf",
        "virtueller lauf",
        "course à pied",
        "course",
        "carrera",
        "corsa",
        "hardlopen",
    },
    "cycling": {
        "ride",
        "virtual ride",
        "e-bike ride",
        "mountain bike ride",
        "gravel ride",
        "radfahrt",
        "virtuelle radfahrt",
        "mountainbike-fahrt",
        "e-bike-fahrt",
        "vélo",
        "sortie à vélo",
        "ciclismo",
        "bicicleta",
        "fietsrit",
    },
    "walking": {"walk", "spaziergang", "gehen", "marche", "caminata", "camminata", "wandeling"},
    "hiking": {"hike", "wanderung", "randonnée", "senderismo", "escursionismo"},
    "swimming": {"swim", "schwimmen", "natation", "natación", "nuoto", "zwemmen"},
}
_SPORT_OF = {word: sport for sport, words in STRAVA_SPORTS.items() for word in words}

TYPE_COLUMN, DESCRIPTION_COLUMN = 3, 4
TODAYS_FILENAME_COLUMN, NOTE_COLUMN, EXERTION_COLUMN = 12, 10, 43
KNOWN_FILENAME_COLUMNS = (9, TODAYS_FILENAME_COLUMN)  # 2019's layout and today's
MAX_NOTE = 2000


def _rows(data: bytes, what: str) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
        # Row by row in Python rather than list(reader): one C call over thousands of rows
        # would keep the window's thread from running until it returns.
        return [row for row in csv.reader(io.StringIO(text, newline=""))]
    except (UnicodeDecodeError, csv.Error) as error:
        raise ImportRejected(f"its {what} cannot be read as a table") from error


def strava_activities(data: bytes) -> list[tuple[str, Meta]]:
    """Each activity's file name (as in the export, `activities/123.fit.gz`) and its Meta.
    Rows without a file (entered by hand on Strava) have nothing for kneelog to read."""
    rows = _rows(data, "activities.csv")
    body = rows[1:]
    files = _filename_column(body)
    if files is None:
        if not body:
            return []
        raise ImportRejected(
            "its activities.csv has no column of file names (activities/...), so kneelog cannot "
            "tell which file is which activity; import the activities/ folder instead"
        )
    today = files == TODAYS_FILENAME_COLUMN
    exertion = today and _whole_numbers(body, EXERTION_COLUMN, 1, 10)
    found = []
    for row in body:
        file = _cell(row, files)
        if not file:
            continue
        notes = [_cell(row, DESCRIPTION_COLUMN)]
        if today:
            notes.append(_cell(row, NOTE_COLUMN))
        rpe = _cell(row, EXERTION_COLUMN) if exertion else ""
        found.append(
            (
                file,
                Meta(
                    note="\n".join(n for n in notes if n)[:MAX_NOTE],
                    rpe=round(float(rpe)) if rpe else None,
                    gear=_cell(row, files - 1) if files in KNOWN_FILENAME_COLUMNS else "",
                    sport=_SPORT_OF.get(_cell(row, TYPE_COLUMN).lower(), ""),
                ),
            )
        )
    return found


def _cell(row: Sequence[str], column: int) -> str:
    return row[column].strip() if 0 <= column < len(row) else ""


def _filename_column(body: list[list[str]]) -> int | None:
    """The column whose filled cells are mostly `activities/...`."""
    width = max((len(r) for r in body), default=0)
    best, best_count = None, 0
    for column in range(width):
        cells = [_cell(r, column) for r in body]
        count = sum(c.lower().startswith("activities/") for c in cells)
        filled = sum(bool(c) for c in cells)
        if count > best_count and count * 2 >= filled:
            best, best_count = column, count
    return best


def _whole_numbers(body: list[list[str]], column: int, low: int, high: int) -> bool:
    cells = [_cell(r, column) for r in body]
    filled = [c for c in cells if c]
    try:
        return bool(filled) and all(
            float(c) == round(float(c)) and low <= float(c) <= high for c in filled
        )
    except ValueError:
        return False


def strava_shoes(data: bytes) -> list[ShoeRow]:
    """Each pair in shoes.csv: its name (columns by position: name, brand, model), or its
    brand and model when it has no name, as Strava shows a pair without a nickname."""
    shoes = []
    for row in _rows(data, "shoes.csv")[1:]:
        name, brand, model = (_cell(row, i) for i in range(3))
        label = name or " ".join(p for p in (brand, model) if p)
        if label:
            shoes.append(ShoeRow(label[:80]))
    return shoes


def gear_key(text: str) -> str:
    """A pair's name compared loosely: case and spacing aside."""
    return re.sub(r"\s+", " ", text).strip().casefold()


# The runner's own rating of the effort, asked by the watch after a run: Garmin keeps it ten
# times over, 10 (very light) to 100 (maximal) in steps of 10, 0 or nothing when not given.
# The data export calls it "workoutRpe"; Garmin Connect's activity pages "directWorkoutRpe"
# (as projects that read real exports and Connect's answers report). Read either.
GARMIN_EFFORT_KEYS = ("workoutRpe", "directWorkoutRpe")


def garmin_activities(data: bytes) -> dict[int, Meta]:
    """Garmin's summaries by start time (UTC seconds): `[{"summarizedActivitiesExport":
    [{"beginTimestamp": ms, "activityType": "running", "description": ...,
    "workoutRpe": 70}, ...]}]`."""
    try:
        payload = json.loads(data)
    except (ValueError, RecursionError) as error:
        raise ImportRejected("its activity summaries cannot be read (not JSON)") from error
    items: list[Any] = []
    for chunk in payload if isinstance(payload, list) else [payload]:
        if isinstance(chunk, dict):
            found = chunk.get("summarizedActivitiesExport")
            if isinstance(found, list):
                items.extend(found)
    by_start: dict[int, Meta] = {}
    for item in items:
        if not isinstance(item, dict):
            continue
        begin = item.get("beginTimestamp")
        if not isinstance(begin, (int, float)) or isinstance(begin, bool):
            continue
        kind = item.get("activityType")
        if isinstance(kind, dict):
            kind = kind.get("typeKey")
        note = item.get("description")
        by_start[int(begin // 1000)] = Meta(
            note=note.strip()[:MAX_NOTE] if isinstance(note, str) else "",
            rpe=_garmin_effort(item),
            sport=_garmin_sport(kind if isinstance(kind, str) else ""),
        )
    return by_start


def _garmin_effort(item: dict[str, Any]) -> int | None:
    """Garmin's 10-100 as kneelog's effort, 1-10 as Strava's Perceived Exertion is taken;
    anything else (0: not given; a figure off the scale) is no effort."""
    for key in GARMIN_EFFORT_KEYS:
        value = item.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and 10 <= value <= 100:
            return int(value / 10 + 0.5)  # halves up, should a 75 ever come
    return None


def _garmin_sport(key: str) -> str:
    key = key.lower()
    for fragment, sport in (
        ("run", "running"),
        ("cycl", "cycling"),
        ("bik", "cycling"),
        ("swim", "swimming"),
        ("walk", "walking"),
        ("hik", "hiking"),
    ):
        if fragment in key:
            return sport
    return ""
