"""Importing a whole export: a synthetic Strava export of 1,000 one-hour activities (a third
each FIT, GPX and TCX, a point every second, gzipped as Strava keeps them), imported into a
new journal by `kneelog import` as a process of its own, against the parsing libraries alone
(fitdecode, gpxpy, tcxreader) reading the same files, unpacked, on one core in this process.

The import is everything `kneelog import export.zip` does: open the zip, read activities.csv,
hand each member to the worker processes (one per core) that gunzip, check and parse it, and
write the runs in batches. The libraries' time is taken in two halves, before and after the
import, so that a change in the machine's load hits both alike.

Peak memory is the import's whole footprint: the resident memory of the importing process and
every process it started (the fork server, the workers), added up, read from /proc every 50 ms
(Linux; the processes listed every second), the highest sum. It is taken twice: for the
Strava export, and for a Garmin Connect export whose activities come in one nested part-zip
(`UploadedFiles_0-_Part1.zip`) as large as real ones are (600 MB: 300 one-hour FIT runs and
files kneelog does not read, which do not compress), compressed again inside the export as a
zip tool does by default. A part held whole in memory would show in that figure.

    python bench/bench_archive.py [--count N] [--part-mb MB]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import fitdecode
import gpxpy
from common import figure
from tcxreader.tcxreader import TCXReader

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "data"))
import make_archives as A  # noqa: E402

TARGET_RATIO = 0.6
TARGET_MB = 400
FORMATS = ("fit", "gpx", "tcx")

IMPORT = """
import json, os, sys, threading, time
from kneelog.archive_import import cores
from kneelog.importing import import_files
from kneelog.store import Store

def resident_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        return next(int(l.split()[1]) for l in f if l.startswith("VmRSS:"))

def family(root):
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    parents[int(entry)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                pass
    found, todo = [root], [root]
    while todo:
        pid = todo.pop()
        kids = [p for p, parent in parents.items() if parent == pid]
        found += kids
        todo += kids
    return found

peak = 0
done = threading.Event()

def sample():
    # Listing every process costs a core's share; the workers are started once.
    global peak
    pids, listed = [], 0.0
    while not done.wait(0.05):
        if time.monotonic() - listed > 1.0:
            pids, listed = family(os.getpid()), time.monotonic()
        total = 0
        for pid in pids:
            try:
                total += resident_kb(pid)
            except (OSError, StopIteration):
                pass
        peak = max(peak, total)

if __name__ == "__main__":
    threading.Thread(target=sample, daemon=True).start()
    t0 = time.perf_counter()
    with Store.open(sys.argv[1]) as store:
        report = import_files(store, [sys.argv[2]])
    seconds = time.perf_counter() - t0
    done.set()
    print(json.dumps({"seconds": seconds, "summary": report.summary(), "peak_kb": peak,
                      "workers": cores()}))
"""


def make_export(path: Path, count: int) -> None:
    templates = A.Templates(every=1, seconds=3600)
    first = dt.datetime(2022, 1, 3, 7, 0, tzinfo=dt.UTC)
    planned = [
        A.Planned(first + dt.timedelta(days=n), 10.0, 3600, fmt=FORMATS[n % 3])
        for n in range(count)
    ]
    path.write_bytes(A.synthetic_strava(planned, templates))


GARMIN_RUNS = 300
PADDING_FILE_MB = 50


def make_garmin_export(path: Path, part_mb: int) -> None:
    """A Garmin Connect export: its summaries, and one part-zip of `part_mb` MB, written to
    disk as it goes (never held whole here either)."""
    templates = A.Templates(every=1, seconds=3600)
    first = dt.datetime(2019, 1, 7, 6, 0, tzinfo=dt.UTC)
    planned = [
        A.Planned(first + dt.timedelta(days=n), 10.0, 3600, effort=n % 10 + 1)
        for n in range(GARMIN_RUNS)
    ]
    part = path.with_name("UploadedFiles_0-_Part1.zip")
    with zipfile.ZipFile(part, "w", zipfile.ZIP_STORED) as zf:  # FIT files barely compress
        for n, a in enumerate(planned):
            zf.writestr(f"runner@example.com_{10_000 + n}.fit", templates.file(a))
        n = 0
        while part.stat().st_size < part_mb * 1024**2:
            with zf.open(f"runner@example.com_{20_000 + n}.bin", "w") as f:
                for _ in range(PADDING_FILE_MB):
                    f.write(os.urandom(1024**2))
            n += 1
    summaries = [
        {
            "summarizedActivitiesExport": [
                {
                    "activityId": 10_000 + n,
                    "activityType": "running",
                    "beginTimestamp": round(a.start.timestamp() * 1000),
                    "distance": a.km * 100_000,
                    "duration": a.seconds * 1000,
                    "workoutRpe": (a.effort or 0) * 10,
                }
                for n, a in enumerate(planned)
            ]
        }
    ]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr(
            "DI_CONNECT/DI-Connect-Fitness/runner@example.com_0_summarizedActivities.json",
            json.dumps(summaries),
        )
        zf.write(part, f"DI_CONNECT/DI-Connect-Uploaded-Files/{part.name}")
    part.unlink()


def run_import(journal: Path, export: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", IMPORT, str(journal), str(export)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=True,
    )
    return json.loads(done.stdout.splitlines()[-1])


def unpacked(path: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(path) as zf:
        return [
            (name, gzip.decompress(zf.read(name)))
            for name in zf.namelist()
            if name.startswith("activities/")
        ]


def libraries_alone(files: list[tuple[str, bytes]]) -> float:
    """Each file read by its library as kneelog calls it, nothing else."""
    t0 = time.perf_counter()
    for name, data in files:
        if name.endswith(".fit.gz"):
            with fitdecode.FitReader(
                io.BytesIO(data), check_crc=fitdecode.CrcCheck.RAISE, keep_raw_chunks=False
            ) as reader:
                for _ in reader:
                    pass
        elif name.endswith(".gpx.gz"):
            gpxpy.parse(data.decode("utf-8"))
        else:
            TCXReader().read(io.BytesIO(data), only_gps=False)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--part-mb", type=int, default=600)
    args = parser.parse_args()
    count = args.count
    work = Path(tempfile.mkdtemp(prefix="kneelog-bench-"))
    garmin_export = work / "garmin.zip"
    t0 = time.perf_counter()
    make_garmin_export(garmin_export, args.part_mb)
    print(
        f"wrote a Garmin Connect export of {GARMIN_RUNS} runs in a part of {args.part_mb} MB "
        f"({garmin_export.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t0:.0f} s"
    )
    garmin = run_import(work / "garmin.db", garmin_export)
    garmin_export.unlink()
    print(garmin["summary"])
    if not garmin["summary"].startswith(f"{GARMIN_RUNS:,} runs imported"):
        raise SystemExit("not every run of the Garmin export was imported")
    print(f"kneelog import of the Garmin export: {garmin['seconds']:.1f} s")
    export = work / "export_1.zip"
    t0 = time.perf_counter()
    make_export(export, count)
    print(
        f"wrote a Strava export of {count} one-hour activities "
        f"({export.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t0:.0f} s"
    )
    files = unpacked(export)
    libraries_alone(files[:6])  # warm up: imports, caches
    half = len(files) // 2
    floor = libraries_alone(files[:half])
    result = run_import(work / "journal.db", export)
    floor += libraries_alone(files[half:])
    print(result["summary"])
    if not result["summary"].startswith(f"{count:,} runs imported"):
        raise SystemExit("not every run was imported")
    ours = result["seconds"]
    peak_mb = result["peak_kb"] / 1024
    print(f"libraries alone, one core: {floor:.1f} s ({floor / count * 1000:.0f} ms a file)")
    print(
        f"kneelog import, {result['workers']} worker processes: {ours:.1f} s "
        f"({ours / count * 1000:.0f} ms a file)"
    )
    figure(
        f"peak memory of the import of a {count:,}-activity export, all processes",
        peak_mb,
        "MB",
        f"< {TARGET_MB} MB",
        peak_mb < TARGET_MB,
    )
    garmin_mb = garmin["peak_kb"] / 1024
    figure(
        f"peak memory of the import of a Garmin export with a {args.part_mb} MB part-zip, "
        "all processes",
        garmin_mb,
        "MB",
        f"< {TARGET_MB} MB",
        garmin_mb < TARGET_MB,
    )
    shutil.rmtree(work)
    ratio = ours / floor
    figure(
        f"import of a {count:,}-activity export (FIT, GPX, TCX, gzipped) against the parsing "
        "libraries alone on one core",
        ratio,
        "x",
        f"<= {TARGET_RATIO}x",
        ratio <= TARGET_RATIO,
    )


if __name__ == "__main__":
    main()
