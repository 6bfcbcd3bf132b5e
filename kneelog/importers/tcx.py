"""TCX files (Garmin Training Center), read with tcxreader from the tree safe_xml vetted.

tcxreader gives the track's distance, times, climb, heart rate and cadence; the few summary
values it skips (each lap's timer time, the recording device's name) are read from the same
vetted tree.
"""

from __future__ import annotations

import datetime as dt
import io
import xml.etree.ElementTree as ET
from typing import Any

from tcxreader.tcxreader import TCXReader

from . import safe_xml
from .activity import Activity, ImportRejected, local_time, number, running_steps, sport_name


def looks_like_tcx(root: ET.Element) -> bool:
    return safe_xml.local_name(root) == "TrainingCenterDatabase"


def read(
    data: bytes, zone: dt.tzinfo | None = None, root: ET.Element | None = None
) -> list[Activity]:
    """`root`: the tree of `data` when the caller has parsed it already."""
    root = safe_xml.parse(data) if root is None else root
    if not looks_like_tcx(root):
        raise ImportRejected("this is not a TCX file")
    activities = [a for a in _children(root, "Activities") for a in _children(a, "Activity")]
    if not activities:
        raise ImportRejected(
            "this TCX file holds no activity (perhaps it is a course or a workout plan)"
        )
    try:
        # Indoor runs have no positions: keep every trackpoint, not only those with GPS.
        exercise = _Reader(root).read(io.BytesIO(data), only_gps=False)
        return [_activity(exercise, activities[0], zone)]
    except ImportRejected:
        raise
    except Exception as error:  # tcxreader leaks KeyError, ValueError, TypeError, ...
        raise ImportRejected("this TCX file is damaged and cannot be read") from error


class _Reader(TCXReader):  # type: ignore[misc]
    """tcxreader on the tree already vetted and built here, rather than parsing the file a
    second time (a third of its time). It parses in a private method; should a later version
    rename it, this override is simply not called and tcxreader parses the file itself."""

    def __init__(self, root: ET.Element):
        super().__init__()
        self._root = root

    def _TCXReader__parse_tcx_file(self, _file: object) -> tuple[ET.ElementTree, ET.Element]:
        return ET.ElementTree(self._root), self._root


def _children(element: ET.Element, name: str) -> list[ET.Element]:
    return [child for child in element if safe_xml.local_name(child) == name]


def _text(element: ET.Element, *path: str) -> str:
    for name in path:
        found = _children(element, name)
        if not found:
            return ""
        element = found[0]
    return (element.text or "").strip()


def _activity(exercise: Any, activity: ET.Element, zone: dt.tzinfo | None) -> Activity:
    points = [p for p in exercise.trackpoints if p.time is not None]
    if not points:
        raise ImportRejected("this TCX file holds no recorded track points")
    start, end = points[0].time, points[-1].time
    sport_text = activity.get("Sport") or exercise.activity_type
    sport = sport_name(sport_text)
    laps = _children(activity, "Lap")
    timer = sum(number(_text(lap, "TotalTimeSeconds")) or 0.0 for lap in laps)
    elapsed = number((end - start).total_seconds())
    moving = number(timer)
    if elapsed is not None and moving is not None:
        moving = min(moving, elapsed)
    cadence = None
    if sport == "running":
        # Garmin writes running cadence per foot (strides/min), as RunCadence or Cadence.
        strides = (exercise.tpx_ext_stats or {}).get("RunCadence", {}).get(
            "avg"
        ) or exercise.cadence_avg
        cadence = running_steps(number(strides), per_foot=True)
    has_elevation = any(p.elevation is not None for p in points)
    distance = number(exercise.distance, 0.001)
    if distance is None:  # no lap totals: the last cumulative distance of the track
        distance = number(max((p.distance or 0.0) for p in points), 0.001)
    return Activity(
        started=local_time(start, zone),
        sport=sport,
        sub_sport="indoor" if not any(p.longitude is not None for p in points) else "",
        distance_km=distance,
        elapsed_s=elapsed,
        moving_s=moving,
        elevation_gain_m=exercise.ascent if has_elevation else None,
        elevation_loss_m=exercise.descent if has_elevation else None,
        avg_hr=number(exercise.hr_avg),
        cadence_spm=cadence,
        device=_text(activity, "Creator", "Name")[:80],
    )
