"""Writes small synthetic Strava and Garmin Connect exports, as those services lay them out.

    python tests/data/make_archives.py [FOLDER]     (default: tests/data/archives/)

The tests build them afresh in a temporary folder (tests/test_archive_import.py); run this to
look at them. The activity files come from the same generators as the single-file samples
(make_samples.py), so every value a test checks is a constant there or here.

strava-en.zip and strava-de.zip, the same activities under an English and a German header:
    activities.csv   Strava's columns in today's order, names repeated as Strava repeats
                     them ("Elapsed Time", "Distance" twice, the first distance in km); the
                     German one translated as Strava translates it ("Dateiname", ...)
    activities/1001.fit.gz   a run (make_samples.FIT_RUN), shoes "Blue Pegasus", effort 4,
                             a description and a private note
    activities/1002.gpx.gz   a run whose GPX counts steps (170 a minute), shoes "Hoka
                             Speedgoat 5" (a pair without a nickname), effort 7
    activities/1003.tcx.gz   a run (make_samples.TCX_RUN), no shoes
    activities/1004.fit      a ride (make_samples.FIT_RIDE)
    activities/1005.gpx      a walk: the file names no sport, the CSV says Walk
    activities/1006.fit.gz   listed in the CSV, missing from the zip
    activities/1007.fit.gz   cut short: half a gzip stream
    a row without a file     an activity entered by hand on Strava
    routes/1.gpx             a planned route, not an activity
    shoes.csv                two pairs; bikes.csv, profile.csv; media/ with a photo

garmin.zip, as Garmin Connect's data export:
    DI_CONNECT/DI-Connect-Fitness/runner@example.com_0_summarizedActivities.json
    DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip, a zip inside the zip:
        the Strava run 1001 as Garmin has it (started 70 s later, 6,030 m: the same run,
        its files differ), a run only Garmin has (make_samples.FIT_DST, with a description
        in the summaries), a planned workout (a FIT file that is not an activity)
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
    "en": {"run": "Run", "ride": "Ride", "walk": "Walk"},
    "de": {"run": "Lauf", "ride": "Radfahrt", "walk": "Spaziergang"},
}

GPX_STEPS = dict(S.GPX_RUN, cad=(170, 170))  # an app that writes steps, not strides
GPX_WALK = dict(
    S.GPX_RUN, start=dt.datetime(2025, 8, 2, 17, 0, tzinfo=S.UTC), cad=(55, 56), creator="Phone"
)
GARMIN_TWIN = dict(S.FIT_RUN, start=S.FIT_RUN["start"] + dt.timedelta(seconds=70), distance=6030.0)

# What the CSV says of each activity: (id, kind, file, gear, effort, description, private note)
ACTIVITIES = [
    (1001, "run", "activities/1001.fit.gz", "Blue Pegasus", 4, "River loop", "Knee fine until km 5"),
    (1002, "run", "activities/1002.gpx.gz", "Hoka Speedgoat 5", 7, "", "Stairs after: sore"),
    (1003, "run", "activities/1003.tcx.gz", "", None, "", ""),
    (1004, "ride", "activities/1004.fit", "", None, "Commute", ""),
    (1005, "walk", "activities/1005.gpx", "", None, "", ""),
    (1006, "run", "activities/1006.fit.gz", "Blue Pegasus", 5, "", ""),
    (1007, "run", "activities/1007.fit.gz", "Blue Pegasus", 3, "", ""),
    (1008, "run", "", "Blue Pegasus", 4, "Treadmill at the gym, no file", ""),
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


def activities_csv(language: str) -> bytes:
    header = (ENGLISH if language == "en" else GERMAN)[:]
    header += [f"{i + 1}" for i in range(len(header), WIDTH)]
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for number, kind, file, gear, effort, description, note in ACTIVITIES:
        row = [""] * WIDTH
        row[0], row[2], row[3] = str(number), f"Activity {number}", TYPES[language][kind]
        row[1] = "Jun 14, 2025, 7:05:00 AM" if language == "en" else "14.06.2025, 07:05:00"
        row[4], row[10], row[11], row[12] = description, note, gear, file
        row[6], row[17] = "6.01", "6012.5"  # km, then metres: the repeated column
        row[5] = row[15] = "1800"
        row[43] = "" if effort is None else f"{effort}.0"
        row[48] = "true" if effort is not None else "false"
        writer.writerow(row)
    return out.getvalue().encode("utf-8")


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
                },
                {
                    "activityId": 9002,
                    "name": "Night run",
                    "activityType": "running",
                    "description": "Clocks went forward mid-run",
                    "beginTimestamp": ms(S.FIT_DST["start"]),
                    "distance": S.FIT_DST["distance"] * 100,
                    "duration": S.FIT_DST["elapsed"] * 1000,
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


def archives() -> dict[str, bytes]:
    return {"strava-en.zip": strava("en"), "strava-de.zip": strava("de"), "garmin.zip": garmin()}


def main(folder: Path = HERE / "archives") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in archives().items():
        (folder / name).write_bytes(data)
        print(f"{folder / name}: {len(data):,} bytes")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "archives")
