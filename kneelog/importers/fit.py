"""FIT files (Garmin, Coros, Suunto, Wahoo, ...), read with fitdecode, CRC checked.

The whole file is read before anything is returned: a file cut short, or one whose checksum
does not match, is refused whole, never imported with the part that could be read.
"""

from __future__ import annotations

import datetime as dt
import io
import warnings
from typing import Any

import fitdecode

from .activity import (
    Activity,
    ImportRejected,
    NotAnActivity,
    local_time,
    number,
    running_steps,
    sport_name,
)

# What a watch writes and a runner might drop by mistake, in words.
FILE_TYPES = {
    "course": "a course (a route to follow)",
    "workout": "a planned workout",
    "settings": "watch settings",
    "sport": "sport settings",
    "totals": "totals",
    "goals": "goals",
    "monitoring_a": "daily monitoring data",
    "monitoring_b": "daily monitoring data",
    "monitoring_daily": "daily monitoring data",
    "schedules": "a schedule",
    "weight": "weight readings",
    "blood_pressure": "blood pressure readings",
    "segment": "a segment",
    "device": "device information",
}
FIT_SIGNATURE = b".FIT"
# A FIT file may chain several files one after another (an app's export of a multisport day);
# a watch writes a few. Reading thousands of chained copies takes minutes.
MAX_CHAINED = 128


def looks_like_fit(data: bytes) -> bool:
    return len(data) >= 12 and data[8:12] == FIT_SIGNATURE


def read(data: bytes, zone: dt.tzinfo | None = None) -> list[Activity]:
    """Every session in the file (one, unless it is a multisport file), oldest first."""
    try:
        file_id, devices, sessions = _messages(data)
    except fitdecode.FitHeaderError as error:
        raise ImportRejected("this is not a FIT file, or its beginning is damaged") from error
    except fitdecode.FitEOFError as error:
        raise ImportRejected(
            "this file is cut short (perhaps the copy from the watch did not finish)"
        ) from error
    except fitdecode.FitCRCError as error:
        raise ImportRejected(
            "this file is damaged: its checksum does not match its content"
        ) from error
    except ImportRejected:
        raise
    except Exception as error:  # fitdecode also leaks struct.error, ValueError, AssertionError ...
        raise ImportRejected("this FIT file is damaged and cannot be read") from error

    kind = file_id.get("type")
    if kind is None:
        raise NotAnActivity("this FIT file does not say what it holds, so it is not an activity")
    if kind != "activity":
        what = FILE_TYPES.get(str(kind), "something other than an activity")
        raise NotAnActivity(f"this is not an activity file: it holds {what}")
    if not sessions:
        raise ImportRejected("this activity file has no summary of the activity in it")
    device = _device_name(file_id, devices)
    # A FIT file may chain several files; an app that appends the same activity again makes
    # copies of one session. One activity per start time: the first copy is kept.
    activities: dict[dt.datetime, Activity] = {}
    for session in sessions:
        activity = _activity(session, device, zone)
        activities.setdefault(activity.started, activity)
    return sorted(activities.values(), key=lambda a: a.started)


def _messages(data: bytes) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    file_id: dict[str, Any] = {}
    devices: list[dict[str, Any]] = []
    sessions: list[dict[str, Any]] = []
    wanted = {"file_id", "device_info", "session"}
    # fitdecode warns about odd definitions in a damaged file and reads on; the checksum at the
    # end decides whether the file is whole, so its warnings are noise for the runner.
    with (
        warnings.catch_warnings(),
        fitdecode.FitReader(
            io.BytesIO(data), check_crc=fitdecode.CrcCheck.RAISE, keep_raw_chunks=False
        ) as reader,
    ):
        warnings.simplefilter("ignore")
        parts = 0
        for frame in reader:
            if frame.frame_type == fitdecode.FIT_FRAME_HEADER:
                parts += 1
                if parts > MAX_CHAINED:
                    raise ImportRejected(
                        f"this file chains more than {MAX_CHAINED} FIT files one "
                        "after another, far more than any watch writes"
                    )
            if frame.frame_type != fitdecode.FIT_FRAME_DATA or frame.name not in wanted:
                continue
            values = {f.name: f.value for f in frame.fields}
            if frame.name == "session":
                sessions.append(values)
            elif frame.name == "device_info":
                devices.append(values)
            elif not file_id:  # a chained file's later parts repeat it
                file_id = values
    if not file_id:
        raise ImportRejected(
            "this FIT file has no description of what it holds, so it is not an activity"
        )
    return file_id, devices, sessions


def _activity(session: dict[str, Any], device: str, zone: dt.tzinfo | None) -> Activity:
    start = session.get("start_time") or session.get("timestamp")
    if not isinstance(start, dt.datetime):
        raise ImportRejected("this activity file does not say when the activity started")
    sport = sport_name(str(session.get("sport") or "running"))
    cadence = None
    if sport == "running":
        # FIT counts running cadence in strides (one foot): steps are twice that.
        strides = number(session.get("avg_running_cadence") or session.get("avg_cadence"))
        if strides is not None:
            fraction = number(session.get("avg_fractional_cadence")) or 0.0
            cadence = running_steps(strides + fraction, per_foot=True)
    elapsed = number(session.get("total_elapsed_time"))
    moving = number(session.get("total_moving_time")) or number(session.get("total_timer_time"))
    if elapsed is not None and moving is not None:
        moving = min(moving, elapsed)
    return Activity(
        started=local_time(start, zone),
        sport=sport,
        sub_sport=str(session.get("sub_sport") or "").lower(),
        distance_km=number(session.get("total_distance"), 0.001),
        elapsed_s=elapsed,
        moving_s=moving,
        elevation_gain_m=_metres(session, "total_ascent"),
        elevation_loss_m=_metres(session, "total_descent"),
        avg_hr=number(session.get("avg_heart_rate")),
        cadence_spm=cadence,
        device=device,
    )


def _metres(session: dict[str, Any], name: str) -> float | None:
    value = session.get(name)
    if value == 0:
        return 0.0  # flat is a value, not a missing sensor
    return number(value)


def _device_name(file_id: dict[str, Any], devices: list[dict[str, Any]]) -> str:
    """The name of the device that recorded the file: its own name, else maker and model."""
    creator = [d for d in devices if d.get("device_index") in ("creator", 0)] or devices[:1]
    for info in creator:
        name = info.get("product_name")
        if isinstance(name, str) and name.strip():
            return name.strip()[:80]
    maker = file_id.get("manufacturer")
    product = file_id.get("garmin_product") or file_id.get("product_name") or file_id.get("product")
    parts = [str(p).replace("_", " ") for p in (maker, product) if p not in (None, "")]
    if parts and isinstance(maker, str):
        parts[0] = parts[0].title()
    return " ".join(parts)[:80]
