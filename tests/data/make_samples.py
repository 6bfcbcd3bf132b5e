"""Writes the sample watch files in tests/data/ (run it after changing it, then commit them).

    python tests/data/make_samples.py [FOLDER]

FIT files are written with fit-tool, GPX with gpxpy, TCX with the standard library's
ElementTree (no maintained TCX writer exists). Every value a test checks is a constant here,
so the tests compare what kneelog reads with what the file was made to hold. The output is
the same byte for byte on every run; tests/test_samples.py checks the committed files are.

The samples, all in 2025 and in UTC as the formats store it:
    run.fit        outdoor run with a fractional average cadence (84.75 strides = 169.5 steps/min)
    dst.fit        a run through the night the clocks go forward in Europe (30 Mar 2025)
    treadmill.fit  an indoor run: no positions, distance from the watch
    ride.fit       a bike ride (cross-training)
    workout.fit    a planned workout: a FIT file that is not an activity
    run.gpx        outdoor run with heart rate and cadence in Garmin's extension, a stop, a hill
    run.tcx        a run through the night the clocks go back in Europe (26 Oct 2025), two laps
    treadmill.tcx  an indoor run: no positions
"""

from __future__ import annotations

import datetime as dt
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
UTC = dt.UTC


def ms(moment: dt.datetime) -> int:
    return round(moment.timestamp() * 1000)


# -- FIT -----------------------------------------------------------------------------------

FIT_RUN = dict(
    start=dt.datetime(2025, 6, 14, 7, 5, tzinfo=UTC),
    elapsed=1800,
    timer=1740,
    distance=6012.5,
    ascent=42,
    descent=40,
    hr=148,
    strides=84,
    fraction=0.75,
    device="Forerunner 245",
)
FIT_DST = dict(
    start=dt.datetime(2025, 3, 30, 0, 40, tzinfo=UTC),
    elapsed=3000,
    timer=3000,
    distance=8250.0,
    ascent=15,
    descent=15,
    hr=139,
    strides=82,
    fraction=0.0,
    device="Forerunner 245",
)
FIT_TREADMILL = dict(
    start=dt.datetime(2025, 1, 15, 18, 0, tzinfo=UTC),
    elapsed=2400,
    timer=2400,
    distance=6400.0,
    ascent=0,
    descent=0,
    hr=151,
    strides=86,
    fraction=0.5,
    device=None,
    sub_sport="treadmill",
    positions=False,
)
FIT_RIDE = dict(
    start=dt.datetime(2025, 5, 3, 14, 0, tzinfo=UTC),
    elapsed=5400,
    timer=5300,
    distance=40125.0,
    ascent=310,
    descent=305,
    hr=128,
    strides=None,
    cadence=85,
    fraction=None,
    device="Edge 530",
    sport="cycling",
)


def fit_activity(
    start: dt.datetime,
    elapsed: int,
    timer: int,
    distance: float,
    ascent: int,
    descent: int,
    hr: int,
    strides: int | None,
    fraction: float | None,
    device: str | None,
    sport: str = "running",
    sub_sport: str = "generic",
    positions: bool = True,
    cadence: int | None = None,
    every: int = 10,
) -> bytes:
    """A FIT activity file: file id, device, timer events, a record every `every` seconds,
    one lap, the session and the activity, as a watch writes them."""
    summary = dict(
        start=start,
        elapsed=elapsed,
        timer=timer,
        distance=distance,
        ascent=ascent,
        descent=descent,
        hr=hr,
        strides=strides,
        fraction=fraction,
        sport=sport,
        sub_sport=sub_sport,
        cadence=cadence,
    )
    return fit_file(
        fit_head(start, device),
        fit_records(start, elapsed, distance, hr, strides, fraction, positions, cadence, every),
        fit_tail(**summary),
    )


def fit_file(*blocks: bytes) -> bytes:
    """Blocks of FIT records (each starting with its own definitions) framed as one file."""
    from fit_tool.fit_file_header import FitFileHeader
    from fit_tool.utils.crc import crc16

    body = b"".join(blocks)
    data = FitFileHeader(records_size=len(body), gen_crc=True).to_bytes() + body
    return data + crc16(data).to_bytes(2, "little")


def _encode(messages) -> bytes:
    """Messages as FIT records with their definitions: fit-tool's file less header and checksum."""
    from fit_tool.fit_file_builder import FitFileBuilder

    builder = FitFileBuilder(auto_define=True, min_string_size=24)
    builder.add_all(messages)
    data = builder.build_bytes()
    return data[data[0] : -2]


def fit_head(start: dt.datetime, device: str | None) -> bytes:
    from fit_tool.profile.messages.device_info_message import DeviceInfoMessage
    from fit_tool.profile.messages.event_message import EventMessage
    from fit_tool.profile.messages.file_id_message import FileIdMessage
    from fit_tool.profile.profile_type import (
        Event,
        EventType,
        FileType,
        GarminProduct,
        Manufacturer,
    )

    t0 = ms(start)
    file_id = FileIdMessage()
    file_id.type = FileType.ACTIVITY
    file_id.manufacturer = Manufacturer.GARMIN.value
    file_id.product = GarminProduct.FR245.value
    file_id.serial_number = 3_411_000_245
    file_id.time_created = t0
    messages = [file_id]
    if device:
        info = DeviceInfoMessage()
        info.timestamp = t0
        info.device_index = 0  # the creator: the device that recorded the file
        info.manufacturer = Manufacturer.GARMIN.value
        info.product_name = device
        messages.append(info)
    messages.append(_timer(EventMessage, Event, EventType.START, t0))
    return _encode(messages)


def fit_records(
    start: dt.datetime,
    elapsed: int,
    distance: float,
    hr: int,
    strides: int | None,
    fraction: float | None,
    positions: bool,
    cadence: int | None,
    every: int,
) -> bytes:
    from fit_tool.profile.messages.event_message import EventMessage
    from fit_tool.profile.messages.record_message import RecordMessage
    from fit_tool.profile.profile_type import Event, EventType

    t0 = ms(start)
    steps = elapsed // every
    messages = []
    for i in range(steps + 1):
        record = RecordMessage()
        record.timestamp = t0 + i * every * 1000
        record.distance = distance * i / steps
        if positions:
            record.position_lat = 52.52 + 0.0004 * i
            record.position_long = 13.40
            record.enhanced_altitude = 40.0 + (i % 20)
        record.heart_rate = hr
        if strides is not None:
            record.cadence = strides
            record.fractional_cadence = fraction or 0.0
        elif cadence is not None:
            record.cadence = cadence
        messages.append(record)
    messages.append(_timer(EventMessage, Event, EventType.STOP_ALL, t0 + elapsed * 1000))
    return _encode(messages)


def fit_tail(
    start: dt.datetime,
    elapsed: int,
    timer: int,
    distance: float,
    ascent: int,
    descent: int,
    hr: int,
    strides: int | None,
    fraction: float | None,
    sport: str,
    sub_sport: str,
    cadence: int | None,
) -> bytes:
    from fit_tool.profile.messages.activity_message import ActivityMessage
    from fit_tool.profile.messages.lap_message import LapMessage
    from fit_tool.profile.messages.session_message import SessionMessage
    from fit_tool.profile.profile_type import Sport, SubSport

    t0 = ms(start)
    end = t0 + elapsed * 1000
    sport_value = Sport.RUNNING if sport == "running" else Sport.CYCLING
    sub_value = SubSport.TREADMILL if sub_sport == "treadmill" else SubSport.GENERIC
    messages = []
    for message in (LapMessage(), SessionMessage()):
        message.timestamp = end
        message.start_time = t0
        message.total_elapsed_time = elapsed
        message.total_timer_time = timer
        message.total_distance = distance
        message.total_ascent = ascent
        message.total_descent = descent
        message.avg_heart_rate = hr
        message.sport = sport_value
        message.sub_sport = sub_value
        if strides is not None:
            message.avg_running_cadence = strides
            message.avg_fractional_cadence = fraction or 0.0
        elif cadence is not None:
            message.avg_cadence = cadence
        if isinstance(message, SessionMessage):
            message.first_lap_index = 0
            message.num_laps = 1
        messages.append(message)
    activity = ActivityMessage()
    activity.timestamp = end
    activity.total_timer_time = timer
    activity.num_sessions = 1
    messages.append(activity)
    return _encode(messages)


def _timer(EventMessage, Event, event_type, timestamp: int):
    event = EventMessage()
    event.event = Event.TIMER
    event.event_type = event_type
    event.timestamp = timestamp
    return event


def fit_workout() -> bytes:
    from fit_tool.fit_file_builder import FitFileBuilder
    from fit_tool.profile.messages.file_id_message import FileIdMessage
    from fit_tool.profile.messages.workout_message import WorkoutMessage
    from fit_tool.profile.profile_type import FileType, Manufacturer, Sport

    builder = FitFileBuilder(auto_define=True, min_string_size=24)
    file_id = FileIdMessage()
    file_id.type = FileType.WORKOUT
    file_id.manufacturer = Manufacturer.DEVELOPMENT.value
    file_id.product = 0
    file_id.serial_number = 1
    file_id.time_created = ms(dt.datetime(2025, 4, 1, 12, 0, tzinfo=UTC))
    builder.add(file_id)
    workout = WorkoutMessage()
    workout.sport = Sport.RUNNING
    workout.num_valid_steps = 0
    workout.wkt_name = "Easy 30"
    builder.add(workout)
    return builder.build_bytes()  # fit-tool's own framing, 12-byte header


# -- GPX -----------------------------------------------------------------------------------

GPX_RUN = dict(
    start=dt.datetime(2025, 9, 7, 6, 30, tzinfo=UTC),
    every=10,
    points=121,
    lat_step=0.0003,
    stop=(60, 66),
    climb=0.5,
    hr=(140, 150),
    cad=(85, 86),
    creator="Forerunner 255",
)
GPX_NS = "http://www.garmin.com/xmlschemas/TrackPointExtension/v1"


def gpx_run(
    start: dt.datetime,
    every: int,
    points: int,
    lat_step: float,
    stop: tuple[int, int],
    climb: float,
    hr: tuple[int, int],
    cad: tuple[int, int],
    creator: str,
) -> bytes:
    """Due north at a steady pace, standing still for the points in `stop`, up a hill for the
    first half (`climb` metres a point) and down it for the second."""
    import gpxpy.gpx

    gpx = gpxpy.gpx.GPX()
    gpx.creator = creator
    gpx.nsmap["gpxtpx"] = GPX_NS
    track = gpxpy.gpx.GPXTrack(name="Morning run")
    track.type = "running"
    gpx.tracks.append(track)
    segment = gpxpy.gpx.GPXTrackSegment()
    track.segments.append(segment)
    half = points // 2
    moved = 0
    for i in range(points):
        if i and not stop[0] < i < stop[1]:
            moved += 1
        rise = min(i, half) - max(0, i - half)
        point = gpxpy.gpx.GPXTrackPoint(
            latitude=round(48.1 + lat_step * moved, 7),
            longitude=11.5,
            elevation=500 + climb * rise,
            time=start + dt.timedelta(seconds=i * every),
        )
        extension = ET.Element(f"{{{GPX_NS}}}TrackPointExtension")
        ET.SubElement(extension, f"{{{GPX_NS}}}hr").text = str(hr[i % 2])
        ET.SubElement(extension, f"{{{GPX_NS}}}cad").text = str(cad[i % 2])
        point.extensions.append(extension)
        segment.points.append(point)
    return gpx.to_xml(prettyprint=True).encode("utf-8")


# -- TCX -----------------------------------------------------------------------------------

TCX_RUN = dict(
    start=dt.datetime(2025, 10, 26, 0, 30, tzinfo=UTC),
    laps=((1350, 1300, 4000.0), (1350, 1300, 3500.0)),
    every=15,
    hr=150,
    run_cadence=88,
    creator="Forerunner 965",
    positions=True,
)
TCX_TREADMILL = dict(
    start=dt.datetime(2025, 2, 10, 19, 0, tzinfo=UTC),
    laps=((1800, 1800, 5000.0),),
    every=30,
    hr=144,
    run_cadence=85,
    creator="Forerunner 965",
    positions=False,
)
TCX = "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"
TCX_EXT = "http://www.garmin.com/xmlschemas/ActivityExtension/v2"


def tcx_run(
    start: dt.datetime,
    laps: tuple[tuple[int, int, float], ...],
    every: int,
    hr: int,
    run_cadence: int,
    creator: str,
    positions: bool,
) -> bytes:
    """laps: (elapsed s, timer s, metres) each; a trackpoint every `every` seconds."""
    ET.register_namespace("", TCX)
    ET.register_namespace("ax", TCX_EXT)

    def sub(parent, tag, text=None, **attrib):
        element = ET.SubElement(parent, f"{{{TCX}}}{tag}", attrib)
        if text is not None:
            element.text = str(text)
        return element

    def stamp(moment: dt.datetime) -> str:
        return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")

    root = ET.Element(f"{{{TCX}}}TrainingCenterDatabase")
    activity = sub(sub(root, "Activities"), "Activity", Sport="Running")
    sub(activity, "Id", stamp(start))
    lap_start, metres_before, seconds_before = start, 0.0, 0
    for elapsed, timer, metres in laps:
        lap = sub(activity, "Lap", StartTime=stamp(lap_start))
        sub(lap, "TotalTimeSeconds", f"{timer:.1f}")
        sub(lap, "DistanceMeters", f"{metres:.1f}")
        sub(lap, "Calories", 300)
        sub(sub(lap, "AverageHeartRateBpm"), "Value", hr)
        sub(lap, "Intensity", "Active")
        sub(lap, "TriggerMethod", "Distance")
        track = sub(lap, "Track")
        for second in range(0, elapsed + 1, every):
            point = sub(track, "Trackpoint")
            sub(point, "Time", stamp(lap_start + dt.timedelta(seconds=second)))
            done = metres_before + metres * second / elapsed
            if positions:
                position = sub(point, "Position")
                sub(position, "LatitudeDegrees", f"{47.37 + done / 111_195:.7f}")
                sub(position, "LongitudeDegrees", "8.54")
                sub(point, "AltitudeMeters", f"{410 + (second // every) % 10:.1f}")
            sub(point, "DistanceMeters", f"{done:.1f}")
            sub(sub(point, "HeartRateBpm"), "Value", hr)
            tpx = ET.SubElement(ET.SubElement(point, f"{{{TCX}}}Extensions"), f"{{{TCX_EXT}}}TPX")
            ET.SubElement(tpx, f"{{{TCX_EXT}}}RunCadence").text = str(run_cadence)
        lap_start += dt.timedelta(seconds=elapsed)
        metres_before += metres
        seconds_before += elapsed
    sub(
        sub(activity, "Creator", **{"{http://www.w3.org/2001/XMLSchema-instance}type": "Device_t"}),
        "Name",
        creator,
    )
    ET.indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"


# -- all of them ---------------------------------------------------------------------------


def samples() -> dict[str, bytes]:
    return {
        "run.fit": fit_activity(**FIT_RUN, every=5),
        "dst.fit": fit_activity(**FIT_DST),
        "treadmill.fit": fit_activity(**FIT_TREADMILL),
        "ride.fit": fit_activity(**FIT_RIDE, every=30),
        "workout.fit": fit_workout(),
        "run.gpx": gpx_run(**GPX_RUN),
        "run.tcx": tcx_run(**TCX_RUN),
        "treadmill.tcx": tcx_run(**TCX_TREADMILL),
    }


def main(folder: Path = HERE) -> None:
    for name, data in samples().items():
        (folder / name).write_bytes(data)
        print(f"{name}: {len(data):,} bytes")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
