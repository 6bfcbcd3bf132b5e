"""The words kneelog shows, read from resources/ (Qt-free)."""

from __future__ import annotations

import importlib.util
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from .model import Entry, Region


def resource_bytes(name: str) -> bytes:
    return (_resources() / name).read_bytes()


@cache
def _resources() -> Path:
    """The folder of kneelog.resources, wherever it was installed (a package beside kneelog's
    modules, the repository's resources/ in a source checkout, the bundle's folder), found as
    the import system found it: importlib.resources would be 1% more of the start-up's work
    (bench_startup) for the same path."""
    spec = importlib.util.find_spec("kneelog.resources")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("kneelog's resources are missing: install kneelog again.")
    return Path(next(iter(spec.submodule_search_locations)))


@cache
def labels() -> dict[str, Any]:
    return tomllib.loads(resource_bytes("labels.toml").decode("utf-8"))


def label(group: str, value: object) -> str:
    """The plain-words label of a stored value, e.g. label("trigger", Trigger.SITTING)."""
    key = str(int(value)) if isinstance(value, int) else str(value)
    return str(labels()[group][key])


def region_name(region: Region) -> str:
    return str(labels()["region"][region.value]["name"])


def region_hint(region: Region) -> str:
    return str(labels()["region"][region.value]["hint"])


def describe_marks(entry: Entry) -> str:
    by_side: dict[str, list[str]] = {}
    for mark in entry.marks:
        by_side.setdefault(mark.side.value.capitalize(), []).append(
            region_name(mark.region).lower()
        )
    return "; ".join(f"{side}: {', '.join(names)}" for side, names in sorted(by_side.items()))


@cache
def triage_text() -> dict[str, Any]:
    """The triage panel's words and tables (resources/triage.toml)."""
    return tomllib.loads(resource_bytes("triage.toml").decode("utf-8"))
