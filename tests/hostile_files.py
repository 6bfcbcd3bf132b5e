"""A corpus of mutated and hostile watch files, made from tests/data's samples, and a worker that
imports each into a journal in a child process and reports what happened.

    python tests/hostile_files.py torture [--count N] [--seed S]   (make torture-files)
    python tests/hostile_files.py worker JOURNAL FOLDER           (used by the two above)

The corpus is the same for the same seed and count. A child process does the importing because
some failures (a C stack overflow in a parser) kill the process: the parent sees the exit code
and knows which file was being read. tests/test_hostile_files.py runs a CI-sized corpus.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

try:
    import resource
except ImportError:  # Windows: no peak memory figure
    resource = None

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
SAMPLES = (
    "run.fit",
    "dst.fit",
    "treadmill.fit",
    "ride.fit",
    "workout.fit",
    "run.gpx",
    "run.tcx",
    "treadmill.tcx",
)
# The longest one file may take on a slow shared machine: a small file 10 s, plus 1 s a MB
# (a 50 MB GPX, the size cap, takes gpxpy about 25 s to read).
BOUND_S, BOUND_S_PER_MB = 10.0, 1.0


def bound(size: int) -> float:
    return BOUND_S + BOUND_S_PER_MB * size / 2**20


GPX_OPEN = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<gpx xmlns="http://www.topografix.com/GPX/1/1" '
    b'version="1.1" creator="x"><trk><type>running</type><trkseg>'
)
GPX_CLOSE = b"</trkseg></trk></gpx>"
TCX_OPEN = (
    b'<?xml version="1.0"?><TrainingCenterDatabase '
    b'xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"><Activities>'
    b'<Activity Sport="Running"><Id>2025-10-26T00:30:00Z</Id>'
)
TCX_CLOSE = b"</Activity></Activities></TrainingCenterDatabase>"


def sample(name: str) -> bytes:
    return (DATA / name).read_bytes()


def point(lat="48.1", lon="11.5", ele="500", time="2025-09-07T06:30:00Z", ext=b"") -> bytes:
    return (
        f'<trkpt lat="{lat}" lon="{lon}"><ele>{ele}</ele><time>{time}</time>'.encode()
        + (b"<extensions>" + ext + b"</extensions>" if ext else b"")
        + b"</trkpt>"
    )


def gpx(*points: bytes) -> bytes:
    return GPX_OPEN + b"".join(points) + GPX_CLOSE


def tcx_lap(inner: bytes, start="2025-10-26T00:30:00Z") -> bytes:
    return f'<Lap StartTime="{start}">'.encode() + inner + b"</Lap>"


def trackpoint(time="2025-10-26T00:30:00Z", distance="0", hr="150") -> bytes:
    return (
        f"<Trackpoint><Time>{time}</Time><DistanceMeters>{distance}</DistanceMeters>"
        f"<HeartRateBpm><Value>{hr}</Value></HeartRateBpm></Trackpoint>"
    ).encode()


def nested(depth: int, tag: bytes = b"a") -> bytes:
    return (b"<" + tag + b">") * depth + (b"</" + tag + b">") * depth


def fit_with_crc(data: bytearray | bytes) -> bytes:
    """A FIT file whose header and file checksums match its (changed) content, so that the
    change reaches fitdecode's decoding instead of stopping at the checksum."""
    from fitdecode.utils import compute_crc

    data = bytearray(data)
    if len(data) < 14 or data[0] not in (12, 14):
        return bytes(data)
    if data[0] == 14:
        data[12:14] = compute_crc(data, end=12).to_bytes(2, "little")
    data[-2:] = compute_crc(data, end=len(data) - 2).to_bytes(2, "little")
    return bytes(data)


def hostile(big: bool = False) -> dict[str, bytes]:
    """Files made to break a parser, each named for what it tries."""
    run_fit, run_gpx, run_tcx = sample("run.fit"), sample("run.gpx"), sample("run.tcx")
    files: dict[str, bytes] = {}
    depths = [101, 1_000, 10_000, 200_000] + ([1_000_000] if big else [])
    for depth in depths:
        files[f"deep-{depth}-gpx-extensions.gpx"] = gpx(point(ext=nested(depth)))
        files[f"deep-{depth}-gpx-root.gpx"] = (
            GPX_OPEN.replace(b"<trk>", nested(depth, b"metadata") + b"<trk>") + GPX_CLOSE
        )
        files[f"deep-{depth}-tcx-trackpoint.tcx"] = (
            TCX_OPEN
            + tcx_lap(b"<Track><Trackpoint>" + nested(depth) + b"</Trackpoint></Track>")
            + TCX_CLOSE
        )
        files[f"deep-{depth}-unknown-root.gpx"] = nested(depth, b"gpx")
    wide = 2_000_001 if big else 50_000
    files[f"wide-{wide}.gpx"] = gpx(point(ext=b"<a/>" * wide))
    files[f"points-{wide // 10}-one-time.gpx"] = gpx(*[point()] * (wide // 10))
    files.update(
        {
            "billion-laughs.gpx": (
                b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY a "aaaaaaaaaa">'
                + b"".join(
                    f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode()
                    for i in range(9)
                )
                + b"]><gpx>&j;</gpx>"
            ),
            "quadratic-blowup.gpx": (
                b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY a "'
                + b"x" * 50_000
                + b'">]><gpx>'
                + b"&a;" * 5_000
                + b"</gpx>"
            ),
            "external-entity.gpx": (
                b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                b"<gpx><trk><name>&x;</name></trk></gpx>"
            ),
            "external-dtd.tcx": b'<?xml version="1.0"?><!DOCTYPE x SYSTEM "http://127.0.0.1:9/x.dtd"><TrainingCenterDatabase/>',
            "parameter-entity.gpx": (
                b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY % p SYSTEM "http://127.0.0.1:9/p">%p;]>'
                b"<gpx/>"
            ),
            "doctype-only.gpx": b'<?xml version="1.0"?><!DOCTYPE gpx><gpx/>',
            "xinclude.gpx": (
                b'<gpx xmlns:xi="http://www.w3.org/2001/XInclude">'
                b'<xi:include href="file:///etc/passwd" parse="text"/></gpx>'
            ),
            "invalid-utf8.gpx": run_gpx.replace(b"<name>", b"<name>\xff\xfe\xc0\x80"),
            "utf16-le.gpx": b"\xff\xfe"
            + run_gpx.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16-le"),
            "utf16-be.tcx": b"\xfe\xff"
            + run_tcx.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16-be"),
            "utf32.gpx": run_gpx.decode().encode("utf-32"),
            "nul-bytes.gpx": run_gpx.replace(b"<trkseg>", b"<trkseg>\x00\x00"),
            "latin1-declared.gpx": run_gpx.replace(
                b'encoding="UTF-8"', b'encoding="ISO-8859-1"'
            ).replace(b"<name>", b"<name>\xe9"),
            "unknown-encoding.gpx": run_gpx.replace(b'encoding="UTF-8"', b'encoding="x-no-such"'),
            "cdata-and-pi.gpx": run_gpx.replace(
                b"<trkseg>", b"<trkseg><![CDATA[<trkpt>]]><?php evil() ?>"
            ),
            "comment-only.gpx": b"<!-- nothing -->",
            "lat-1e308.gpx": gpx(
                point(lat="1e308"), point(lat="-1e308", time="2025-09-07T06:40:00Z")
            ),
            "lat-text.gpx": gpx(point(lat="north"), point(time="2025-09-07T06:40:00Z")),
            "ele-nan.gpx": gpx(point(ele="NaN"), point(ele="inf", time="2025-09-07T06:40:00Z")),
            "ele-huge.gpx": gpx(
                point(ele="1e300"), point(ele="-1e300", time="2025-09-07T06:40:00Z")
            ),
            "year-1.gpx": gpx(
                point(time="0001-01-01T00:00:00Z"), point(time="0001-01-01T01:00:00Z")
            ),
            "year-9999.gpx": gpx(
                point(time="9999-12-31T00:00:00Z"), point(time="9999-12-31T01:00:00Z")
            ),
            "time-garbage.gpx": gpx(point(time="yesterday"), point(time="2025-13-45T99:99:99Z")),
            "time-backwards.gpx": gpx(
                point(time="2025-09-07T08:00:00Z"), point(time="2025-09-07T06:00:00Z")
            ),
            "thousand-years.gpx": gpx(
                point(time="1990-01-01T00:00:00Z"), point(time="2099-01-01T00:00:00Z")
            ),
            "hr-extremes.gpx": gpx(
                point(ext=b"<hr>-5</hr><cad>1e400</cad>"),
                point(time="2025-09-07T06:40:00Z", ext=b"<hr>nan</hr><cad>99999999</cad>"),
            ),
            "creator-1mb.gpx": gpx(point(), point(time="2025-09-07T06:40:00Z")).replace(
                b'creator="x"', b'creator="' + b"c" * 1_000_000 + b'"'
            ),
            "no-track.gpx": b'<gpx xmlns="http://www.topografix.com/GPX/1/1"><wpt lat="1" lon="1"/></gpx>',
            "empty-segment.gpx": gpx(),
            "type-control-chars.gpx": gpx(point(), point(time="2025-09-07T06:40:00Z")).replace(
                b"running", b"run\x01\x1b[31m"
            ),
            "tcx-distance-1e300.tcx": TCX_OPEN
            + tcx_lap(
                b"<TotalTimeSeconds>1</TotalTimeSeconds><DistanceMeters>1e300</DistanceMeters><Track>"
                + trackpoint()
                + trackpoint("2025-10-26T01:30:00Z", "1e300")
                + b"</Track>"
            )
            + TCX_CLOSE,
            "tcx-negative-time.tcx": TCX_OPEN
            + tcx_lap(
                b"<TotalTimeSeconds>-100</TotalTimeSeconds><Track>"
                + trackpoint()
                + trackpoint("2025-10-26T01:30:00Z", "5000")
                + b"</Track>"
            )
            + TCX_CLOSE,
            "tcx-hr-nan.tcx": TCX_OPEN
            + tcx_lap(
                b"<Track>"
                + trackpoint(hr="NaN")
                + trackpoint("2025-10-26T01:30:00Z", "5000", "1e9")
                + b"</Track>"
            )
            + TCX_CLOSE,
            "tcx-time-garbage.tcx": TCX_OPEN
            + tcx_lap(b"<Track>" + trackpoint(time="soon") + b"</Track>")
            + TCX_CLOSE,
            "tcx-no-laps.tcx": TCX_OPEN + TCX_CLOSE,
            "tcx-sport-markup.tcx": (
                TCX_OPEN
                + tcx_lap(
                    b"<Track>"
                    + trackpoint()
                    + trackpoint("2025-10-26T01:30:00Z", "5000")
                    + b"</Track>"
                )
                + TCX_CLOSE
            ).replace(b'Sport="Running"', b'Sport="&lt;script&gt;"'),
            "tcx-two-activities.tcx": run_tcx.replace(
                b"</Activities>",
                run_tcx[run_tcx.index(b"<Activity ") : run_tcx.index(b"</Activities>")]
                + b"</Activities>",
            ),
            "empty.gpx": b"",
            "spaces.tcx": b" \n\t " * 100,
            "lone-angle.gpx": b"<",
            "declaration-only.gpx": b'<?xml version="1.0"?>',
            "html.gpx": b"<!DOCTYPE html><html><body>not a run</body></html>",
            "json.gpx": b'{"gpx": [1, 2, 3]}',
            "zip.fit": b"PK\x03\x04" + bytes(200),
            "png.gpx": b"\x89PNG\r\n\x1a\n" + bytes(100),
            "no-closing-angle.gpx": b"<gpx " + b"a" * 2_000_000,
            "attribute-1mb.gpx": b'<gpx x="' + b"v" * 1_000_000 + b'"/>',
            "many-attributes.gpx": b"<gpx "
            + b" ".join(f'a{i}="1"'.encode() for i in range(50_000))
            + b"/>",
            "many-namespaces.gpx": b"<gpx "
            + b" ".join(f'xmlns:n{i}="urn:{i}"'.encode() for i in range(20_000))
            + b"/>",
            # gpxpy finds namespaces with a regular expression over the whole text, comments too.
            "namespaces-in-a-comment.gpx": gpx(point()).replace(
                b"<trk>",
                b"<!--"
                + b" ".join(f'xmlns:p{i}="urn:{i}"'.encode() for i in range(20_000))
                + b"--><trk>",
            ),
            "xmlns-without-equals.gpx": gpx(point()).replace(
                b"<trk>", b"<!--" + b" xmlns" * 300_000 + b"--><trk>"
            ),
        }
    )
    header = bytearray(run_fit[:14])
    files.update(
        {
            "fit-header-only.fit": bytes(header),
            "fit-signature-only.fit": b"\x0c\x10\x00\x00\x00\x00\x00\x00.FIT",
            "fit-data-size-max.fit": fit_with_crc(run_fit[:4] + b"\xff\xff\xff\xff" + run_fit[8:]),
            "fit-data-size-zero.fit": fit_with_crc(run_fit[:4] + b"\x00\x00\x00\x00" + run_fit[8:]),
            "fit-header-size-0.fit": b"\x00" + run_fit[1:],
            "fit-header-size-255.fit": b"\xff" + run_fit[1:],
            "fit-header-size-13.fit": b"\x0d" + run_fit[1:],
            "fit-protocol-255.fit": fit_with_crc(run_fit[:1] + b"\xff" + run_fit[2:]),
            "fit-random-after-signature.fit": run_fit[:14] + random.Random(5).randbytes(5_000),
            "fit-chained-100.fit": run_fit * 100,
            "fit-chained-two-runs.fit": run_fit + sample("dst.fit"),
            "fit-chained-garbage.fit": run_fit + b"garbage" * 100,
            "fit-chained-cut.fit": run_fit + run_fit[: len(run_fit) // 2],
            "fit-run-and-workout.fit": run_fit + sample("workout.fit"),
        }
    )
    if big:
        files["fit-chained-5000.fit"] = run_fit * 5_000
        files["gpx-50mb.gpx"] = gpx(
            *[
                point(time=f"2025-09-07T{6 + i // 3600 % 18:02d}:{i // 60 % 60:02d}:{i % 60:02d}Z")
                for i in range(420_000)
            ]
        )[: 50 * 2**20]
    return files


def mutant(rng: random.Random, name: str, data: bytes) -> bytes:
    """`data` changed in 1 to 8 places; a FIT file's checksums are made to match half the time."""
    data = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if not data:
            break
        at = rng.randrange(len(data))
        how = rng.choice(
            ["flip", "set", "delete", "insert", "repeat", "swap", "extreme", "truncate"]
        )
        if how == "flip":
            data[at] ^= 1 << rng.randrange(8)
        elif how == "set":
            data[at] = rng.choice([0, 0xFF, 0x7F, 0x80, rng.randrange(256)])
        elif how == "delete":
            del data[at : at + rng.randint(1, 64)]
        elif how == "insert":
            data[at:at] = rng.choice(
                [rng.randbytes(rng.randint(1, 32)), b"<a>" * 200, b"\x00" * 16, b"&amp;"]
            )
        elif how == "repeat":  # a stretch copied again: duplicated points, definitions, laps
            chunk = bytes(data[at : at + rng.randint(1, 2_000)])
            data[at:at] = chunk * rng.randint(1, 4)
        elif how == "swap":
            other = rng.randrange(len(data))
            size = rng.randint(1, 200)
            data[at : at + size], data[other : other + size] = (
                data[other : other + size],
                data[at : at + size],
            )
        elif how == "extreme":  # numbers at the edges of their fields
            size = rng.choice([1, 2, 4])
            data[at : at + size] = rng.choice(
                [b"\xff" * size, b"\x00" * size, b"\x7f" + b"\xff" * (size - 1)]
            )
        else:
            del data[rng.randint(at // 2, at) :]
    if name.endswith(".fit") and rng.random() < 0.5:
        return fit_with_crc(data)
    return bytes(data)


def corpus(count: int = 300, seed: int = 12, big: bool = False) -> dict[str, bytes]:
    """`count` files or more: every hostile file, then seeded mutants of the samples."""
    rng = random.Random(seed)
    files = hostile(big)
    samples = {name: sample(name) for name in SAMPLES}
    for i in range(max(0, count - len(files))):
        name = rng.choice(SAMPLES)
        files[f"mutant-{seed}-{i:05d}-{name}"] = mutant(rng, name, samples[name])
    return files


def write(files: dict[str, bytes], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in files.items():
        (folder / name).write_bytes(data)
        paths.append(folder / name)
    return paths


# -- the worker, in a child process ---------------------------------------------------------


def journal_digest(journal: Path) -> str:
    """The journal's bytes with its write-ahead log: what a write would change."""
    digest = hashlib.sha256()
    for path in (journal, Path(f"{journal}-wal")):
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def worker(journal: Path, folder: Path) -> int:
    """Import each file of `folder`, in name order, into `journal`; one JSON line per file.

    "start" is printed (and flushed) before each file, so a parent that sees this process die
    knows which file killed it."""
    from kneelog.importing import import_file
    from kneelog.store import Store

    with Store.open(journal) as store:
        store.prepare_writes()
        for path in sorted(folder.iterdir()):
            print(json.dumps({"start": path.name}), flush=True)
            before = journal_digest(journal)
            began = time.perf_counter()
            try:
                result = import_file(store, path, cross_training=True, today=None)
                outcome, message = result.outcome.value, result.message
            except BaseException:  # what the test is looking for: reported, not hidden
                outcome, message = "traceback", traceback.format_exc()
            seconds = time.perf_counter() - began
            print(
                json.dumps(
                    {
                        "file": path.name,
                        "outcome": outcome,
                        "message": message,
                        "seconds": round(seconds, 4),
                        "bytes": path.stat().st_size,
                        "changed": journal_digest(journal) != before,
                    }
                ),
                flush=True,
            )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024 if resource else 0
    print(json.dumps({"peak_mb": peak}), flush=True)
    return 0


def run(folder: Path, journal: Path, timeout: float) -> tuple[list[dict], str | None]:
    """The worker's results, and what went wrong with the child process itself (a crash or a
    hang, naming the file), if anything."""
    child = subprocess.run(
        [sys.executable, __file__, "worker", str(journal), str(folder)],
        capture_output=True,
        text=True,
        timeout=None if timeout <= 0 else timeout,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    lines = [json.loads(line) for line in child.stdout.splitlines() if line.startswith("{")]
    results = [line for line in lines if "file" in line]
    run.peak_mb = next((line["peak_mb"] for line in lines if "peak_mb" in line), None)
    if child.returncode != 0:
        last = next((line["start"] for line in reversed(lines) if "start" in line), "?")
        return (
            results,
            f"the worker died (exit {child.returncode}) reading {last}: {child.stderr[-2000:]}",
        )
    return results, None


def problems(results: list[dict], expected: int) -> list[str]:
    """Everything that is not a clean outcome: a traceback, a refusal without words, a slow
    file, a refused file that changed the journal, a file never reported."""
    found = []
    if len(results) != expected:
        found.append(f"{expected - len(results)} file(s) never reported")
    for r in results:
        where = f"{r['file']}: "
        if r["outcome"] == "traceback":
            found.append(where + "traceback\n" + r["message"])
        elif not r["message"] or "Traceback" in r["message"]:
            found.append(where + f"no words for the outcome {r['outcome']!r}: {r['message']!r}")
        if r["seconds"] > bound(r["bytes"]):
            found.append(where + f"took {r['seconds']:.1f} s (bound {bound(r['bytes']):.0f} s)")
        if r["outcome"] != "imported" and r["changed"]:
            found.append(where + f"{r['outcome']} but the journal changed")
    return found


def torture(count: int, seed: int) -> int:
    with tempfile.TemporaryDirectory(prefix="kneelog-torture-files-") as tmp:
        folder = Path(tmp) / "files"
        files = corpus(count, seed, big=True)
        write(files, folder)
        began = time.perf_counter()
        results, died = run(folder, Path(tmp) / "journal.db", timeout=0)
        found = problems(results, len(files)) + ([died] if died else [])
        for problem in found:
            print(problem)
        outcomes = {}
        for r in results:
            outcomes[r["outcome"]] = outcomes.get(r["outcome"], 0) + 1
        slowest = max(results, key=lambda r: r["seconds"], default={"seconds": 0, "file": "-"})
        print(f"outcomes: {outcomes}")
        print(
            f"{len(files)} hostile files in {time.perf_counter() - began:.0f} s: {len(found)} problem(s), "
            f"slowest {slowest['seconds']:.2f} s ({slowest['file']}), "
            f"worker's peak memory {run.peak_mb} MB"
        )
        return 1 if found else 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    t = commands.add_parser("torture")
    t.add_argument("--count", type=int, default=3_000)
    t.add_argument("--seed", type=int, default=1)
    w = commands.add_parser("worker")
    w.add_argument("journal", type=Path)
    w.add_argument("folder", type=Path)
    args = parser.parse_args(argv)
    if args.command == "worker":
        return worker(args.journal, args.folder)
    return torture(args.count, args.seed)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
