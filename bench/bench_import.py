"""Importing 500 one-hour FIT files (a record a second) into a new journal, against fitdecode
alone reading the same files with the same checksum check, in the same run.

The import is everything `kneelog import` does: list the folder, read and hash each file,
decode and check it, look for duplicates, and write each file's entry in its own transaction.

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

from kneelog.importing import Outcome, import_files
from kneelog.store import Store

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "data"))
from make_samples import UTC, fit_file, fit_head, fit_records, fit_tail  # noqa: E402

FILES = 500
SECONDS = 3600
TARGET_RATIO = 1.3


def one_hour_files(folder: Path) -> list[Path]:
    first = dt.datetime(2023, 1, 2, 6, 30, tzinfo=UTC)
    records = fit_records(first, SECONDS, distance=11_250.0, hr=146, strides=85, fraction=0.25,
                          positions=True, cadence=None, every=1)
    paths = []
    for day in range(FILES):
        start = first + dt.timedelta(days=day)
        tail = fit_tail(start, SECONDS, timer=SECONDS - 45, distance=11_250.0, ascent=85,
                        descent=83, hr=146, strides=85, fraction=0.25, sport="running",
                        sub_sport="generic", cadence=None)
        path = folder / f"run-{day:03d}.fit"
        path.write_bytes(fit_file(fit_head(start, "Forerunner 245"), records, tail))
        paths.append(path)
    return paths


def fitdecode_alone(paths: list[Path]) -> float:
    t0 = time.perf_counter()
    for path in paths:
        with fitdecode.FitReader(path, check_crc=fitdecode.CrcCheck.RAISE) as reader:
            for _ in reader:
                pass
    return time.perf_counter() - t0


def kneelog_import(folder: Path, journal: Path) -> tuple[float, int]:
    t0 = time.perf_counter()
    with Store.open(journal) as store:
        report = import_files(store, [folder])
    seconds = time.perf_counter() - t0
    return seconds, len(report.of(Outcome.IMPORTED))


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="kneelog-bench-"))
    folder = work / "watch"
    folder.mkdir()
    t0 = time.perf_counter()
    paths = one_hour_files(folder)
    size = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths)} one-hour FIT files ({size / 1e6:.0f} MB) in {time.perf_counter() - t0:.0f} s")
    fitdecode_alone(paths[:20])  # warm up: imports, caches
    floor = fitdecode_alone(paths)
    ours, imported = kneelog_import(folder, work / "journal.db")
    if imported != FILES:
        raise SystemExit(f"only {imported} of {FILES} files were imported")
    print(f"fitdecode alone: {floor:.1f} s ({floor / FILES * 1000:.0f} ms a file)")
    print(f"kneelog import:  {ours:.1f} s ({ours / FILES * 1000:.0f} ms a file), {imported} runs")
    ratio = ours / floor
    figure("import of 500 one-hour FIT files against fitdecode alone", ratio, "x",
           f"<= {TARGET_RATIO}x", ratio <= TARGET_RATIO)


if __name__ == "__main__":
    main()
