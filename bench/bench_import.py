"""Importing 500 one-hour FIT files (a record a second) into a new journal, against fitdecode
alone reading the same files with the same checksum check, in the same run.

The import is everything `kneelog import` does: list the folder, open the journal, read and
hash each file, decode and check it, look for duplicates, and write each file's entry in its
own transaction. fitdecode alone decodes every frame with the reader options kneelog uses.

The files are written once into a temporary folder with fit-tool (tests/data/make_samples.py).
Encoding 3,600 records takes fit-tool seconds, so every file shares one encoded block of
records and has its own file id, start event, session and activity (its own day, so none is a
duplicate); decoding them costs fitdecode the same as 500 different hours would.
"""

import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

import fitdecode
from common import figure

from kneelog.importing import Outcome, find_files, import_files
from kneelog.store import Store

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "data"))
from make_samples import UTC, fit_file, fit_head, fit_records, fit_tail  # noqa: E402

FILES = 500
SECONDS = 3600
TARGET_RATIO = 1.3
BATCH = 25


def one_hour_files(folder: Path) -> list[Path]:
    first = dt.datetime(2023, 1, 2, 6, 30, tzinfo=UTC)
    records = fit_records(
        first,
        SECONDS,
        distance=11_250.0,
        hr=146,
        strides=85,
        fraction=0.25,
        positions=True,
        cadence=None,
        every=1,
    )
    paths = []
    for day in range(FILES):
        start = first + dt.timedelta(days=day)
        tail = fit_tail(
            start,
            SECONDS,
            timer=SECONDS - 45,
            distance=11_250.0,
            ascent=85,
            descent=83,
            hr=146,
            strides=85,
            fraction=0.25,
            sport="running",
            sub_sport="generic",
            cadence=None,
        )
        path = folder / f"run-{day:03d}.fit"
        path.write_bytes(fit_file(fit_head(start, "Forerunner 245"), records, tail))
        paths.append(path)
    return paths


def fitdecode_alone(paths: list[Path]) -> float:
    """Every frame of every file, decoded with the reader options kneelog uses."""
    t0 = time.perf_counter()
    for path in paths:
        with fitdecode.FitReader(
            path, check_crc=fitdecode.CrcCheck.RAISE, keep_raw_chunks=False
        ) as reader:
            for _ in reader:
                pass
    return time.perf_counter() - t0


def compare(folder: Path, journal: Path) -> tuple[float, float, int]:
    """Seconds for fitdecode alone and for kneelog's import, and the runs imported.

    The machine is shared, so its load drifts: the two are measured in turns, 25 files at a
    time, each going first every other turn, and their times added up.
    """
    floor = ours = 0.0
    t0 = time.perf_counter()
    paths, _ = find_files([folder])  # what `kneelog import FOLDER` does first
    store = Store.open(journal)
    ours += time.perf_counter() - t0
    imported = 0
    with store:
        for turn, first in enumerate(range(0, len(paths), BATCH)):
            batch = paths[first : first + BATCH]
            if turn % 2:
                floor += fitdecode_alone(batch)
            t0 = time.perf_counter()
            report = import_files(store, batch)
            ours += time.perf_counter() - t0
            imported += len(report.of(Outcome.IMPORTED))
            if not turn % 2:
                floor += fitdecode_alone(batch)
    return floor, ours, imported


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="kneelog-bench-"))
    folder = work / "watch"
    folder.mkdir()
    t0 = time.perf_counter()
    paths = one_hour_files(folder)
    size = sum(p.stat().st_size for p in paths)
    print(
        f"wrote {len(paths)} one-hour FIT files ({size / 1e6:.0f} MB) in {time.perf_counter() - t0:.0f} s"
    )
    fitdecode_alone(paths[:10])  # warm up: imports, caches
    floor, ours, imported = compare(folder, work / "journal.db")
    if imported != FILES:
        raise SystemExit(f"only {imported} of {FILES} files were imported")
    print(f"fitdecode alone: {floor:.1f} s ({floor / FILES * 1000:.0f} ms a file)")
    print(f"kneelog import:  {ours:.1f} s ({ours / FILES * 1000:.0f} ms a file), {imported} runs")
    ratio = ours / floor
    figure(
        "import of 500 one-hour FIT files against fitdecode alone",
        ratio,
        "x",
        f"<= {TARGET_RATIO}x",
        ratio <= TARGET_RATIO,
    )


if __name__ == "__main__":
    main()
