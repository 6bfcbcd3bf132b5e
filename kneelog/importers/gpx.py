"""GPX files (most apps export them), read with gpxpy once safe_xml has vetted the XML.

A GPX has no summary: distance, moving time and climb are worked out from the track by gpxpy;
heart rate and cadence come from the Garmin TrackPointExtension most apps write.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import gpxpy
import gpxpy.gpx

from . import safe_xml
from .activity import Activity, ImportRejected, local_time, number, running_steps, sport_name

# gpxpy finds namespace declarations with a regular expression over the whole text (comments
# included) and registers each in ElementTree's process-wide table, one by one: thousands take
# minutes. A GPX declares a handful.
MAX_NAMESPACES = 100
HEART_RATE_TAGS = {"hr", "heartrate"}
CADENCE_TAGS = {"cad", "cadence"}


def looks_like_gpx(root: ET.Element) -> bool:
    return safe_xml.local_name(root) == "gpx"


def read(
    data: bytes, zone: dt.tzinfo | None = None, root: ET.Element | None = None
) -> list[Activity]:
    """`root`: the tree of `data` when the caller has parsed it already (none is needed: the
    text gpxpy gets is checked as such)."""
    is_gpx = looks_like_gpx(root) if root is not None else safe_xml.root_name(data) == "gpx"
    if not is_gpx:
        raise ImportRejected("this is not a GPX file")
    text = data.decode("utf-8-sig", errors="replace")
    if text.count("xmlns") > MAX_NAMESPACES:  # in the text gpxpy gets
        raise ImportRejected(
            f"this file declares more than {MAX_NAMESPACES} XML namespaces, "
            "far more than any GPX file from a watch or an app"
        )
    safe_xml.check(text)  # the text gpxpy gets, vetted as such: no depth can crash its copy
    try:
        gpx = gpxpy.parse(text)
        return [_activity(gpx, zone)]
    except ImportRejected:
        raise
    except gpxpy.gpx.GPXException as error:
        raise ImportRejected("this GPX file is damaged and cannot be read") from error
    except Exception as error:  # gpxpy leaks ValueError, TypeError, ... on odd values
        raise ImportRejected("this GPX file is damaged and cannot be read") from error


def _activity(gpx: gpxpy.gpx.GPX, zone: dt.tzinfo | None) -> Activity:
    points = [p for track in gpx.tracks for segment in track.segments for p in segment.points]
    if not points:
        raise ImportRejected(
            "this GPX file holds no recorded track (perhaps it is a planned route)"
        )
    bounds = gpx.get_time_bounds()
    if bounds.start_time is None or bounds.end_time is None:
        raise ImportRejected(
            "this GPX file has no times in it, so it is a route rather than a recorded activity"
        )
    sport = sport_name(next((t.type for t in gpx.tracks if t.type), None))
    moving = gpx.get_moving_data()
    climb = gpx.get_uphill_downhill()
    elapsed = number((bounds.end_time - bounds.start_time).total_seconds())
    heart_rates, cadences = _extension_values(points)
    cadence = None
    if sport == "running" and cadences:
        # Garmin Connect writes strides in the extension, other apps steps: the figure decides.
        cadence = running_steps(sum(cadences) / len(cadences), per_foot=None)
    moving_s = number(moving.moving_time) if moving else None
    if elapsed is not None and moving_s is not None:
        moving_s = min(moving_s, elapsed)
    has_elevation = any(p.elevation is not None for p in points)
    return Activity(
        started=local_time(bounds.start_time, zone),
        sport=sport,
        distance_km=number(gpx.length_2d(), 0.001),
        elapsed_s=elapsed,
        moving_s=moving_s,
        elevation_gain_m=climb.uphill if has_elevation else None,
        elevation_loss_m=climb.downhill if has_elevation else None,
        avg_hr=sum(heart_rates) / len(heart_rates) if heart_rates else None,
        cadence_spm=cadence,
        device=(gpx.creator or "").strip()[:80],
    )


def _extension_values(points: list[gpxpy.gpx.GPXTrackPoint]) -> tuple[list[float], list[float]]:
    heart_rates: list[float] = []
    cadences: list[float] = []
    for point in points:
        for extension in point.extensions:
            for element in extension.iter():
                name = safe_xml.local_name(element).lower()
                if name in HEART_RATE_TAGS and (
                    value := number(element.text and element.text.strip())
                ):
                    heart_rates.append(value)
                elif name in CADENCE_TAGS and (
                    value := number(element.text and element.text.strip())
                ):
                    cadences.append(value)
    return heart_rates, cadences
