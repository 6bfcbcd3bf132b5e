"""Writes small synthetic Strava and Garmin Connect exports, as those services lay them out.

    python tests/data/make_archives.py [FOLDER]     (default: tests/data/archives/)

The tests build them afresh in a temporary folder (tests/test_archive_import.py); run this to
look at them. The activity files come from the same generators as the single-file samples
(make_samples.py), so every value a test checks is a constant there or here.

strava-en.zip and strava-de.zip, the same activities under an English and a German header:
    activities.csv   Strava's columns in today's order, names repeated as Strava repeats
                     them ("Elapsed Time", "Distance" twice, the first distance in km, the
                     second in metres); the German one translated as Strava translates it
                     ("Dateiname", ...), its first distance with a decimal comma. Each row
                     holds its activity's date (UTC, "Jun 14, 2025, 7:05:00 AM" in English,
                     "14.06.2025, 07:05:00" in German), distance and times as its file does
    activities/1001.fit.gz   a run (make_samples.FIT_RUN), shoes "Blue Pegasus", effort 4,
                             a description and a private note
    activities/1002.gpx.gz   a run whose GPX counts steps (170 a minute), shoes "Hoka
                             Speedgoat 5" (a pair without a nickname), effort 7
    activities/1003.tcx.gz   a run (make_samples.TCX_RUN), no shoes
    activities/1004.fit      a ride (make_samples.FIT_RIDE)
    activities/1005.gpx      a walk: the file names no sport, the CSV says Walk
    activities/1006.fit.gz   listed in the CSV, missing from the zip
    activities/1007.fit.gz   cut short: half a gzip stream
    rows without a file      activities entered by hand on Strava (the row is all there is):
                             1008 a run ("Gym treadmill", 8,000 m, 45 min elapsed, 44 moving,
                             shoes "Blue Pegasus", effort 4, a description and a private
                             note), 1009 a swim ("Pool", 1,500 m, 40 min)
    routes/1.gpx             a planned route, not an activity
    shoes.csv                two pairs; bikes.csv, profile.csv; media/ with a photo

garmin.zip, as Garmin Connect's data export:
    DI_CONNECT/DI-Connect-Fitness/runner@example.com_0_summarizedActivities.json
    DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip, a zip inside the zip:
        the Strava run 1001 as Garmin has it (started 70 s later, 6,030 m: the same run,
        its files differ), a run only Garmin has (make_samples.FIT_DST, with a description
        in the summaries), a planned workout (a FIT file that is not an activity); the
        summaries hold the runner's effort as Garmin keeps it, ten times over (workoutRpe
        50 for the shared run, 70 for Garmin's own: efforts 5 and 7 of 10)
    DI_CONNECT/DI-Connect-Wellness/... daily data (JSON, not read)
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import json
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import make_samples as S  # noqa: E402

# Strava's header as exports of 2025-2026 have it: 101 columns, the first 64 named as public
# reports of such exports list them (English and German), the rest numbered here.
ENGLISH = [
    "Activity ID", "Activity Date", "Activity Name", "Activity Type", "Activity Description",
    "Elapsed Time", "Distance", "Max Heart Rate", "Relative Effort", "Commute",
    "Activity Private Note", "Activity Gear", "Filename", "Athlete Weight", "Bike Weight",
    "Elapsed Time", "Moving Time", "Distance", "Max Speed", "Average Speed", "Elevation Gain",
    "Elevation Loss", "Elevation Low", "Elevation High", "Max Grade", "Average Grade",
    "Average Positive Grade", "Average Negative Grade", "Max Cadence", "Average Cadence",
    "Max Heart Rate", "Average Heart Rate", "Max Watts", "Average Watts", "Calories",
    "Max Temperature", "Average Temperature", "Relative Effort", "Total Work",
    "Number of Runs", "Uphill Time", "Downhill Time", "Other Time", "Perceived Exertion",
    "Type", "Start Time", "Weighted Average Power", "Power Count",
    "Prefer Perceived Exertion", "Perceived Relative Effort", "Commute",
    "Total Weight Lifted", "From Upload", "Grade Adjusted Distance",
    "Weather Observation Time", "Weather Condition", "Weather Temperature",
    "Apparent Temperature", "Dewpoint", "Humidity", "Weather Pressure", "Wind Speed",
    "Wind Gust", "Wind Bearing",
]  # fmt: skip
GERMAN = [
    "Aktivitäts-ID", "Aktivitätsdatum", "Name der Aktivität", "Aktivitätsart",
    "Aktivitätsbeschreibung", "Verstrichene Zeit", "Distanz", "Max. Herzfrequenz",
    "Relative Leistung", "Pendeln", "Hinweis zur Privatsphäre für Aktivitäten",
    "Aktivitätsausrüstung", "Dateiname", "Sportlergewicht", "Fahrradgewicht",
    "Verstrichene Zeit", "Bewegungszeit", "Distanz", "Höchstgeschw.",
    "Durchschnittliche Geschwindigkeit", "Höhenzunahme", "Höhenunterschied", "Min. Höhe",
    "Max. Höhe", "Max. Steigung", "Durchschnittliche Steigung",
    "Durchschnittliche positive Steigung", "Durchschnittliche negative Steigung",
    "Max. Tritt-/Schrittfrequenz", "Durchschnittliche Trittfrequenz", "Max. Herzfrequenz",
    "Durchschnittliche Herzfrequenz", "Max. Watt", "Durchschnittliche Watt", "Kalorien",
    "Max. Temperatur", "Durchschnittliche Temperatur", "Relative Leistung", "Gesamtarbeit",
    "Anzahl Läufe", "Bergaufzeit", "Bergabzeit", "Andere Zeit", "Gefühlte Anstrengung", "Art",
    "Startzeit", "Gewichtete durchschnittliche Leistung", "Leistungszahl",
    "Gefühlte Anstrengung verwenden", "Gefühlte relative Leistung", "Pendeln",
    "Insgesamt gestemmtes Gewicht", "Von Upload", "Auf Steigung angepasste Distanz",
    "Wetterbeobachtungszeit", "Wetterlage", "Wetter: Temperatur", "Scheinbare Temperatur",
    "Taupunkt", "Luftfeuchtigkeit", "Wetterdruck", "Windgeschwindigkeit", "Windböe",
    "Windrichtung",
]  # fmt: skip
WIDTH = 101
TYPES = {
    "en": {"run": "Run", "ride": "Ride", "walk": "Walk", "swim": "Swim"},
    "de": {"run": "Lauf", "ride": "Radfahrt", "walk": "Spaziergang", "swim": "Schwimmen"},
}

GPX_STEPS = dict(S.GPX_RUN, cad=(170, 170))  # an app that writes steps, not strides
GPX_WALK = dict(
    S.GPX_RUN, start=dt.datetime(2025, 8, 2, 17, 0, tzinfo=S.UTC), cad=(55, 56), creator="Phone"
)
GARMIN_TWIN = dict(S.FIT_RUN, start=S.FIT_RUN["start"] + dt.timedelta(seconds=70), distance=6030.0)


@dataclass(frozen=True)
class Row:
    """What activities.csv says of one activity; the start, distance and times of an
    activity with a file are its file's (make_samples), of one entered by hand its own."""

    number: int
    kind: str
    file: str
    gear: str = ""
    effort: int | None = None
    description: str = ""
    note: str = ""
    start: dt.datetime | None = None  # UTC
    metres: float | None = None
    elapsed: int | None = None
    moving: int | None = None
    name: str = ""


def _fit(sample: dict) -> dict:
    return dict(
        start=sample["start"], metres=sample["distance"], elapsed=sample["elapsed"],
        moving=sample["timer"],
    )  # fmt: skip


TCX_METRES = sum(lap[2] for lap in S.TCX_RUN["laps"])
ACTIVITIES = [
    Row(1001, "run", "activities/1001.fit.gz", "Blue Pegasus", 4, "River loop",
        "Knee fine until km 5", **_fit(S.FIT_RUN)),
    Row(1002, "run", "activities/1002.gpx.gz", "Hoka Speedgoat 5", 7, "", "Stairs after: sore",
        start=GPX_STEPS["start"]),
    Row(1003, "run", "activities/1003.tcx.gz", start=S.TCX_RUN["start"], metres=TCX_METRES,
        elapsed=sum(lap[0] for lap in S.TCX_RUN["laps"])),
    Row(1004, "ride", "activities/1004.fit", description="Commute", **_fit(S.FIT_RIDE)),
    Row(1005, "walk", "activities/1005.gpx", start=GPX_WALK["start"]),
    Row(1006, "run", "activities/1006.fit.gz", "Blue Pegasus", 5,
        start=dt.datetime(2025, 7, 1, 6, 0, tzinfo=S.UTC), metres=5000.0, elapsed=1700),
    Row(1007, "run", "activities/1007.fit.gz", "Blue Pegasus", 3, **_fit(S.FIT_RUN)),
    # Entered by hand on Strava: no file, the row is all there is.
    Row(1008, "run", "", "Blue Pegasus", 4, "Treadmill at the gym, no file",
        "Knee ok on the incline", start=dt.datetime(2025, 11, 4, 17, 30, tzinfo=S.UTC),
        metres=8000.0, elapsed=2700, moving=2640, name="Gym treadmill"),
    Row(1009, "swim", "", effort=5, start=dt.datetime(2025, 11, 6, 6, 45, tzinfo=S.UTC),
        metres=1500.0, elapsed=2400, moving=2280, name="Pool"),
]  # fmt: skip
SHOES = [("Blue Pegasus", "Nike", "Pegasus 40", "Run"), ("", "Hoka", "Speedgoat 5", "Run")]
ROUTE = (
    b'<?xml version="1.0"?><gpx xmlns="http://www.topografix.com/GPX/1/1" version="1.1" '
    b'creator="Strava"><rte><name>Hill loop</name><rtept lat="48.1" lon="11.5"/>'
    b'<rtept lat="48.2" lon="11.5"/></rte></gpx>'
)
STAMP = (2026, 3, 29, 12, 0, 0)  # every member's date, so the zips come out the same each time


def gz(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


def activity_files() -> dict[str, bytes]:
    fit_run = S.fit_activity(**S.FIT_RUN)
    return {
        "activities/1001.fit.gz": gz(fit_run),
        "activities/1002.gpx.gz": gz(S.gpx_run(**GPX_STEPS)),
        "activities/1003.tcx.gz": gz(S.tcx_run(**S.TCX_RUN)),
        "activities/1004.fit": S.fit_activity(**S.FIT_RIDE, every=30),
        "activities/1005.gpx": S.gpx_run(**GPX_WALK).replace(b"<type>running</type>", b""),
        "activities/1007.fit.gz": gz(fit_run)[: len(gz(fit_run)) // 2],
    }


def activities_csv(language: str, rows: list[Row] | None = None) -> bytes:
    header = (ENGLISH if language == "en" else GERMAN)[:]
    header += [f"{i + 1}" for i in range(len(header), WIDTH)]
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for a in ACTIVITIES if rows is None else rows:
        row = [""] * WIDTH
        row[0], row[3] = str(a.number), TYPES[language][a.kind]
        row[2] = a.name or f"Activity {a.number}"
        row[1] = strava_date(a.start, language) if a.start else ""
        row[4], row[10], row[11], row[12] = a.description, a.note, a.gear, a.file
        if a.metres is not None:  # km, then metres: the repeated column
            shown = f"{a.metres / 1000:.2f}"
            row[6] = shown if language == "en" else shown.replace(".", ",")
            row[17] = f"{a.metres:.1f}"
        row[5] = row[15] = "" if a.elapsed is None else str(a.elapsed)
        row[16] = "" if a.moving is None else str(a.moving)
        row[43] = "" if a.effort is None else f"{a.effort}.0"
        row[48] = "true" if a.effort is not None else "false"
        writer.writerow(row)
    return out.getvalue().encode("utf-8")


def strava_date(moment: dt.datetime, language: str) -> str:
    """Strava's activity date, in UTC: "Jun 14, 2025, 7:05:00 AM", "14.06.2025, 07:05:00"."""
    if language == "de":
        return f"{moment:%d.%m.%Y, %H:%M:%S}"
    hour = moment.hour % 12 or 12
    return f"{moment:%b} {moment.day}, {moment.year}, {hour}:{moment:%M:%S %p}"


def shoes_csv() -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Shoe Name", "Shoe Brand", "Shoe Model", "Shoe Default Sport Types"])
    writer.writerows(SHOES)
    return out.getvalue().encode("utf-8")


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(zipfile.ZipInfo(name, STAMP), data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def strava(language: str) -> bytes:
    return zipped(
        {
            "activities.csv": activities_csv(language),
            **activity_files(),
            "routes/1.gpx": ROUTE,
            "shoes.csv": shoes_csv(),
            "bikes.csv": b"Bike Name,Bike Brand,Bike Model,Bike Default Sport Types\n",
            "profile.csv": b"Athlete ID,Email Address,First Name\n1,runner@example.com,Sam\n",
            "media/photo.jpg": b"\xff\xd8\xff\xe0 not really a photo",
        }
    )


def garmin() -> bytes:
    def ms(moment: dt.datetime) -> int:
        return round(moment.timestamp() * 1000)

    uploaded = zipped(
        {
            "runner@example.com_9001.fit": S.fit_activity(**GARMIN_TWIN),
            "runner@example.com_9002.fit": S.fit_activity(**S.FIT_DST),
            "runner@example.com_9003.fit": S.fit_workout(),
        }
    )
    summaries = [
        {
            "summarizedActivitiesExport": [
                {
                    "activityId": 9001,
                    "name": "Munich Running",
                    "activityType": "running",
                    "beginTimestamp": ms(GARMIN_TWIN["start"]),
                    "distance": GARMIN_TWIN["distance"] * 100,  # Garmin counts centimetres
                    "duration": GARMIN_TWIN["elapsed"] * 1000,
                    "workoutFeel": 50,
                    "workoutRpe": 50,  # effort 5 of 10, as Garmin keeps it: ten times over
                },
                {
                    "activityId": 9002,
                    "name": "Night run",
                    "activityType": "running",
                    "description": "Clocks went forward mid-run",
                    "beginTimestamp": ms(S.FIT_DST["start"]),
                    "distance": S.FIT_DST["distance"] * 100,
                    "duration": S.FIT_DST["elapsed"] * 1000,
                    "workoutFeel": 75,
                    "workoutRpe": 70,  # effort 7 of 10
                },
            ]
        }
    ]
    return zipped(
        {
            "DI_CONNECT/DI-Connect-Fitness/runner@example.com_0_summarizedActivities.json": (
                json.dumps(summaries).encode()
            ),
            "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip": uploaded,
            "DI_CONNECT/DI-Connect-Wellness/2025-01-01_sleepData.json": b"[]",
        }
    )


# -- larger synthetic exports: the kill tests, the benchmark, the screenshots -------------


@dataclass(frozen=True)
class Planned:
    """One activity of a synthetic export."""

    start: dt.datetime  # UTC
    km: float
    seconds: int
    fmt: str = "fit"  # fit, gpx or tcx; gpx and tcx hold their template's track
    sport: str = "running"
    gear: str = ""
    effort: int | None = None


class Templates:
    """Activity files made fast: a FIT file's records are encoded once and shared (kneelog reads
    the session, which is each file's own); a GPX or TCX track is written once and moved to
    another day by rewriting its dates, as long as it does not cross midnight."""

    def __init__(self, every: int = 10, seconds: int = 3600):
        first = dt.datetime(2020, 1, 1, 6, 0, tzinfo=S.UTC)
        self.seconds = seconds
        self.records = S.fit_records(first, seconds, 10_000.0, 146, 85, 0.25, True, None, every)
        points = seconds // every + 1
        self.gpx = S.gpx_run(**dict(S.GPX_RUN, start=first, every=every, points=points))
        laps = ((seconds, seconds - 30, 10_000.0),)
        self.tcx = S.tcx_run(**dict(S.TCX_RUN, start=first, laps=laps, every=every))
        self.day = first.strftime("%Y-%m-%d").encode()

    def file(self, a: Planned) -> bytes:
        if a.fmt == "fit":
            tail = S.fit_tail(
                a.start, a.seconds, timer=a.seconds - 20, distance=a.km * 1000,
                ascent=round(a.km * 6), descent=round(a.km * 6), hr=146,
                strides=85 if a.sport == "running" else None,
                fraction=0.25 if a.sport == "running" else None,
                sport=a.sport, sub_sport="generic",
                cadence=None if a.sport == "running" else 80,
            )  # fmt: skip
            return S.fit_file(S.fit_head(a.start, "Forerunner 245"), self.records, tail)
        template = self.gpx if a.fmt == "gpx" else self.tcx
        day = a.start.strftime("%Y-%m-%d").encode()
        hour = a.start.strftime("T%H").encode()
        return template.replace(self.day + b"T06", day + hour).replace(self.day, day)


def synthetic_strava(planned: list[Planned], templates: Templates, gzipped: bool = True) -> bytes:
    """A Strava export of the planned activities, numbered from 1: activities.csv (today's
    English layout), the files (gzipped when asked), and shoes.csv with every pair named."""
    header = ENGLISH + [f"{i + 1}" for i in range(len(ENGLISH), WIDTH)]
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    members: dict[str, bytes] = {}
    for number, a in enumerate(planned, 1):
        name = f"activities/{number}.{a.fmt}" + (".gz" if gzipped else "")
        data = templates.file(a)
        members[name] = gz(data) if gzipped else data
        row = [""] * WIDTH
        row[0], row[3], row[11], row[12] = str(number), STRAVA_TYPES[a.sport], a.gear, name
        row[43] = "" if a.effort is None else str(a.effort)
        writer.writerow(row)
    gear = sorted({a.gear for a in planned if a.gear})
    shoes = io.StringIO(newline="")
    csv.writer(shoes, lineterminator="\n").writerows(
        [["Shoe Name", "Shoe Brand", "Shoe Model", "Shoe Default Sport Types"]]
        + [[g, "", "", "Run"] for g in gear]
    )
    return zipped(
        {
            "activities.csv": out.getvalue().encode(),
            "shoes.csv": shoes.getvalue().encode(),
            **members,
        }
    )


STRAVA_TYPES = {"running": "Run", "cycling": "Ride", "walking": "Walk"}


PAIRS = (
    "Blue Pegasus", "Hoka Speedgoat 5", "Pegasus 41", "Clifton 9", "Novablast 4", "Ghost 16",
    "Pegasus 42", "Clifton 10",
)  # fmt: skip


def years_of_running(years: float, seed: int, end: dt.date) -> list[Planned]:
    """A runner's last `years` up to `end`: three or four runs a week, a long run on Sundays,
    a slow build with a recovery week every fourth, a ride now and then, a new pair of shoes
    every 600 km or so (eight in three years), effort noted on a third of the runs."""
    import random

    rng = random.Random(seed)
    days = round(years * 365)
    first = end - dt.timedelta(days=days)
    planned = []
    for n in range(days + 1):
        day = first + dt.timedelta(days=n)
        week = n // 7
        build = 1.0 + 0.35 * min(week, 60) / 60
        easy = 0.8 if week % 4 == 3 else 1.0
        base = 6.5 * build * easy
        start = dt.datetime.combine(day, dt.time(6 + rng.randint(0, 11)), tzinfo=S.UTC)
        gear = PAIRS[min(len(PAIRS) - 1, n * len(PAIRS) // (days + 1))]
        kind = day.weekday()
        if kind in (1, 3) or (kind == 5 and rng.random() < 0.5):
            km = round(base * rng.uniform(0.85, 1.15), 2)
        elif kind == 6:
            km = round(base * rng.uniform(1.6, 1.9), 2)
        elif kind == 4 and rng.random() < 0.3:
            planned.append(Planned(start, round(rng.uniform(20, 45), 1), 5400, sport="cycling"))
            continue
        else:
            continue
        effort = rng.randint(3, 8) if rng.random() < 0.33 else None
        pace = rng.uniform(320, 380)  # seconds a km
        planned.append(Planned(start, km, round(km * pace), gear=gear, effort=effort))
    return planned


def archives() -> dict[str, bytes]:
    return {"strava-en.zip": strava("en"), "strava-de.zip": strava("de"), "garmin.zip": garmin()}


def main(folder: Path = HERE / "archives") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in archives().items():
        (folder / name).write_bytes(data)
        print(f"{folder / name}: {len(data):,} bytes")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "archives")
