"""Builders for test data, importable from any test module and from helper scripts."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
from pathlib import Path

from kneelog.model import Entry, Intensity, Kind, PainMark, Region, RunType, Side, Surface


def make_run(**overrides) -> Entry:
    """A plausible run; override any field."""
    values = dict(
        kind=Kind.RUN,
        started=dt.datetime(2026, 11, 2, 18, 30),
        distance_km=8.4,
        duration_s=2950,
        run_type=RunType.EASY,
        surface=Surface.ROAD,
        rpe=4,
        pain_start=1,
        pain_middle=2,
        pain_end=3,
        marks=(PainMark(Side.RIGHT, Region.KNEECAP, Intensity.MODERATE),),
    )
    values.update(overrides)
    return Entry(**values)


DATA = Path(__file__).resolve().parent / "data"


def sample_maker():
    """tests/data/make_samples.py as a module: its constants are what the sample files hold."""
    spec = importlib.util.spec_from_file_location("make_samples", DATA / "make_samples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def folder_state(folder: Path) -> dict[str, str]:
    """Every file under `folder` with the sha256 of its bytes: what "nothing was written" means."""
    return {str(p.relative_to(folder)): sha256(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def archive_maker():
    """tests/data/make_archives.py as a module: it writes the synthetic exports."""
    import sys

    if "make_archives" in sys.modules:
        return sys.modules["make_archives"]
    spec = importlib.util.spec_from_file_location("make_archives", DATA / "make_archives.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_archives"] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module
