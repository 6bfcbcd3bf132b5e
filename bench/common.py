"""Shared by the benchmarks: the 10-year synthetic journal and a tidy way to print figures."""

from __future__ import annotations

import compileall
import statistics
import tempfile
import time
from pathlib import Path

import kneelog
from kneelog.demo import demo_journal
from kneelog.store import Store


def ten_year_journal(folder: Path | None = None) -> Path:
    folder = folder or Path(tempfile.mkdtemp(prefix="kneelog-bench-"))
    path = folder / "ten-years.db"
    with Store.open(path) as store:
        store.add_journal(demo_journal(years=10, seed=11))
    return path


def as_installed() -> None:
    """Give kneelog's modules their bytecode, as pip and the bundle do when they install it: a
    process timed from its start should not compile kneelog's sources (which it does in a
    source checkout run with PYTHONDONTWRITEBYTECODE), when the bare window compiles nothing."""
    compileall.compile_dir(Path(kneelog.__file__).parent, quiet=1)


def median_time(fn, repeat: int = 20) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def figure(name: str, value: float, unit: str, target: str, holds: bool) -> None:
    """One line per figure; the last line a script prints is its headline figure."""
    print(f"{name}: {value:.3g} {unit} (target {target}: {'holds' if holds else 'MISSED'})")
