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
For an activity with a file, the activity date is not read: the file says when it started.
An activity entered by hand on Strava has no file; its row alone describes it (see
`_hand_entry`): the date (UTC, written in the account's language), the distance in metres and
the times in seconds, taken from the second of the repeated columns, in today's layout only.

Strava's shoes.csv holds each pair's name, brand and model ("Shoe Name", "Shoe Brand", "Shoe
Model", "Shoe Default Sport Types"), and no distance: a pair's distance in kneelog is that of
the runs linked to it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from .activity import RUNNING, ImportRejected, sport_name


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

ID_COLUMN, DATE_COLUMN, NAME_COLUMN, TYPE_COLUMN, DESCRIPTION_COLUMN = 0, 1, 2, 3, 4
TODAYS_FILENAME_COLUMN, NOTE_COLUMN, EXERTION_COLUMN = 12, 10, 43
# Today's layout repeats "Elapsed Time" and "Distance": first the 6th and 7th columns (the
# distance in the athlete's units), again the 16th and 18th (seconds, metres); the 17th is
# the moving time.
FIRST_SECONDS, ATHLETE_DISTANCE_COLUMN = 5, 6
SECONDS_COLUMN, MOVING_COLUMN, METRES_COLUMN = 15, 16, 17
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


@dataclass(frozen=True)
class HandEntry:
    """An activity entered by hand on Strava (no file): what its row in activities.csv says.
    `problem` says why it cannot be imported, when it cannot."""

    key: str  # who it is, whatever the import: Strava's activity id, or the row itself
    label: str  # how the report names it: "activities.csv (activity 1008)"
    started: dt.datetime | None = None  # UTC, aware
    distance_km: float | None = None
    elapsed_s: float | None = None
    moving_s: float | None = None
    sport: str = RUNNING
    meta: Meta = Meta()
    problem: str = ""


@dataclass(frozen=True)
class StravaTable:
    files: list[tuple[str, Meta]]  # each file (`activities/123.fit.gz`) and its Meta
    by_hand: list[HandEntry]


def strava_activities(data: bytes) -> list[tuple[str, Meta]]:
    """Each activity's file name (as in the export, `activities/123.fit.gz`) and its Meta."""
    return strava_table(data).files


def strava_table(data: bytes) -> StravaTable:
    """activities.csv: the activities with a file, and those entered by hand (no file), which
    the row alone describes."""
    rows = _rows(data, "activities.csv")
    header, body = (rows[0] if rows else []), rows[1:]
    files = _filename_column(body)
    if files is None and body and _all_by_hand(header, body):
        files = TODAYS_FILENAME_COLUMN  # no file at all: every activity entered by hand
    if files is None:
        if not body:
            return StravaTable([], [])
        raise ImportRejected(
            "its activities.csv has no column of file names (activities/...), so kneelog cannot "
            "tell which file is which activity; import the activities/ folder instead"
        )
    today = files == TODAYS_FILENAME_COLUMN
    exertion = today and _whole_numbers(body, EXERTION_COLUMN, 1, 10)
    metres = today and _metres_column(body)
    found: list[tuple[str, Meta]] = []
    by_hand: list[HandEntry] = []
    for number, row in enumerate(body, 2):  # the header is row 1
        file = _cell(row, files)
        notes = [_cell(row, DESCRIPTION_COLUMN)]
        if today:
            notes.append(_cell(row, NOTE_COLUMN))
        rpe = _cell(row, EXERTION_COLUMN) if exertion else ""
        meta = Meta(
            note="\n".join(n for n in notes if n)[:MAX_NOTE],
            rpe=round(float(rpe)) if rpe else None,
            gear=_cell(row, files - 1) if files in KNOWN_FILENAME_COLUMNS else "",
            sport=_SPORT_OF.get(_cell(row, TYPE_COLUMN).lower(), ""),
        )
        if file:
            found.append((file, meta))
        elif any(_cell(row, c) for c in range(len(row))):
            by_hand.append(_hand_entry(row, number, meta, today and metres))
    return StravaTable(found, by_hand)


def _hand_entry(row: Sequence[str], number: int, meta: Meta, readable: bool) -> HandEntry:
    """An activity entered by hand, from its row (today's layout only: in another, which
    column holds metres and which seconds is not known, and nothing is guessed).

    The start is the activity date (UTC, in the account's language: `_strava_date`); the
    distance the second "Distance" column, in metres (the first is in the athlete's units:
    told apart by position and checked by content, see `_metres_column`); the elapsed time
    the second "Elapsed Time" (the first where it is empty) and the moving time, in seconds.
    Its notes are its name, then its description and private note: with no file, the name
    is often all that says what it was."""
    identity = _cell(row, ID_COLUMN)
    if identity.isdigit():
        key, label = f"strava activity {identity}", f"activities.csv (activity {identity})"
    else:
        key, label = "strava row " + "\x1f".join(row), f"activities.csv (row {number})"
    if not readable:
        return HandEntry(
            key,
            label,
            problem="it was entered by hand on Strava, and this export's activities.csv is "
            "laid out in a way kneelog does not know, so its distance and time cannot be "
            "read safely; log it in kneelog by hand",
        )
    written = _cell(row, DATE_COLUMN)
    started = _strava_date(written)
    if started is None:
        return HandEntry(
            key,
            label,
            problem=f"it was entered by hand on Strava, and its date ({written or 'none'}) "
            "cannot be read; log it in kneelog by hand",
        )
    type_word = _cell(row, TYPE_COLUMN)
    notes = [_cell(row, NAME_COLUMN), meta.note]
    return HandEntry(
        key,
        label,
        started=started,
        distance_km=_km(_number(_cell(row, METRES_COLUMN))),
        elapsed_s=_number(_cell(row, SECONDS_COLUMN)) or _number(_cell(row, FIRST_SECONDS)),
        moving_s=_number(_cell(row, MOVING_COLUMN)),
        sport=meta.sport or sport_name(type_word),
        meta=replace(meta, note="\n".join(n for n in notes if n)[:MAX_NOTE]),
    )


def _km(metres: float | None) -> float | None:
    return None if metres is None else metres / 1000


def _all_by_hand(header: Sequence[str], body: list[list[str]]) -> bool:
    """Today's layout (its width) with not one file name: every activity entered by hand."""
    return len(header) > EXERTION_COLUMN and not any(_cell(r, TODAYS_FILENAME_COLUMN) for r in body)


def _metres_column(body: list[list[str]]) -> bool:
    """Whether the second "Distance" column holds metres: every value a number, and each the
    first "Distance" (in kilometres or miles, rounded to two places) times 1,000 or 1,609."""
    for row in body:
        text = _cell(row, METRES_COLUMN)
        if not text:
            continue
        metres = _number(text)
        if metres is None:
            return False
        shown = _number(_cell(row, ATHLETE_DISTANCE_COLUMN))
        if shown is None or metres <= 0:
            continue
        if not any(
            abs(metres / unit - shown) <= max(0.011, 0.01 * shown) for unit in (1000, 1609.344)
        ):
            return False
    return True


def _number(text: str) -> float | None:
    """A figure as Strava writes it: `6012.5`, or with a decimal comma (`6012,5`), or with a
    thousands separator (`6,012.5`, `6.012,5`); None when it is none or not finite."""
    text = text.strip().replace("\u00a0", "").replace(" ", "")
    if "," in text and "." in text:
        decimal = "," if text.rindex(",") > text.rindex(".") else "."
        text = text.replace("." if decimal == "," else ",", "")
    text = text.replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) and value >= 0 else None


# Month names as Strava writes dates in the languages seen in exports (and abbreviations:
# any unambiguous beginning of a name is taken).
MONTHS = (
    ("january", "januar", "jänner", "janvier", "enero", "gennaio", "januari", "janeiro"),
    ("february", "februar", "février", "febrero", "febbraio", "februari", "fevereiro"),
    ("march", "märz", "mars", "marzo", "maart", "mrt", "março"),
    ("april", "avril", "abril", "aprile"),
    ("may", "mai", "mayo", "maggio", "mei", "maio"),
    ("june", "juni", "juin", "junio", "giugno", "junho"),
    ("july", "juli", "juillet", "julio", "luglio", "julho"),
    ("august", "août", "agosto", "augustus"),
    ("september", "septembre", "septiembre", "settembre", "setembro"),
    ("october", "oktober", "octobre", "octubre", "ottobre", "outubro"),
    ("november", "novembre", "noviembre", "novembro"),
    ("december", "dezember", "décembre", "diciembre", "dicembre", "dezembro"),
)
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap])?\.?\s?m?\.?\s*$", re.IGNORECASE)


def _strava_date(text: str) -> dt.datetime | None:
    """Strava's activity date, in UTC, as the account's language writes it: "Jun 14, 2025,
    7:05:00 AM" (English), "14.06.2025, 07:05:00" (German), "24 mai 2012 à 16:27:40"
    (French), "2018-09-12 15:02:23" (exports before 2019). Day and month are told apart by
    the month's name, by the dots of a day-first date, or by a year that comes first; a date
    with slashes whose day and month could be either is not guessed (None)."""
    time = _TIME.search(text)
    if time is None:
        return None
    hour, minute, second = int(time[1]), int(time[2]), int(time[3] or 0)
    if time[4]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if time[4].lower() == "p" else 0)
    date = text[: time.start()]
    numbers = [int(n) for n in re.findall(r"\d+", date)]
    words = [w.rstrip(".").lower() for w in re.findall(r"[^\W\d_]+\.?", date)]
    month_of_name = [m for m in (_month(w) for w in words) if m is not None]
    try:
        if month_of_name and len(numbers) == 2:
            year = next(n for n in numbers if n > 31)
            day = next(n for n in numbers if n != year or numbers.count(n) > 1)
            month = month_of_name[0]
        elif len(numbers) == 3 and numbers[0] > 31:  # year first: ISO, 2025/06/14, CJK
            year, month, day = numbers
        elif len(numbers) == 3 and re.search(r"\d\s*\.\s*\d", date):  # 14.06.2025
            day, month, year = numbers
        elif len(numbers) == 3 and "/" in date and numbers[2] > 31:
            first, other, year = numbers
            if first > 12 >= other:
                day, month = first, other
            elif other > 12 >= first:
                month, day = first, other
            else:
                return None  # 06/07/2025: June or July, nothing says
        else:
            return None
        return dt.datetime(year, month, day, hour, minute, second, tzinfo=dt.UTC)
    except (StopIteration, ValueError):
        return None


def _month(word: str) -> int | None:
    if len(word) < 3:
        return None
    found = {n for n, names in enumerate(MONTHS, 1) if any(x.startswith(word) for x in names)}
    return found.pop() if len(found) == 1 else None


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
