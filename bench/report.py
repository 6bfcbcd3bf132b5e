"""Runs every bench/bench_*.py and prints one markdown table of their figures: `make bench`.

Each script prints context lines and then its figures through common.figure(), one a line:
`name: value unit (target T: holds|MISSED)`. The table lists every figure with its target and
whether it holds, under a line naming the machine it ran on. A missed target is a finding, not
a failure; a script that fails makes this exit non-zero.

    python bench/report.py [--output FILE.md] [bench/bench_x.py ...]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIGURE = re.compile(
    r"^(?P<name>.+?): (?P<value>\S+) (?P<unit>\S+) "
    r"\(target (?P<target>.+): (?P<verdict>holds|MISSED)\)$"
)


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():  # Linux
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def os_name() -> str:
    try:
        return platform.freedesktop_os_release()["PRETTY_NAME"]
    except (OSError, AttributeError, KeyError):
        return f"{platform.system()} {platform.release()}"


def machine() -> str:
    import PySide6
    from PySide6.QtCore import qVersion

    return (
        f"{cpu_model()}, {os.cpu_count()} cores, {os_name()}, Python {platform.python_version()}, "
        f"PySide6 {PySide6.__version__} (Qt {qVersion()}), "
        f"QT_QPA_PLATFORM={os.environ.get('QT_QPA_PLATFORM', 'default')}"
    )


def run(script: Path) -> tuple[list[dict], int, float]:
    """Run one benchmark, echoing its output; return its figures, exit code and seconds."""
    print(f"== {script.name}", flush=True)
    t0 = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, str(script)],
        cwd=HERE.parent,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    figures = []
    for line in process.stdout:
        print(f"   {line}", end="", flush=True)
        match = FIGURE.match(line.strip())
        if match:
            figures.append({**match.groupdict(), "script": script.name})
    return figures, process.wait(), time.perf_counter() - t0


def measured(figure: dict) -> str:
    unit = figure["unit"]
    return f"{figure['value']}{unit}" if unit == "x" else f"{figure['value']} {unit}"


def table(rows: list[dict], failed: list[str]) -> str:
    lines = ["| figure | measured | target | holds |", "|---|---|---|---|"]
    for row in rows:
        verdict = "yes" if row["verdict"] == "holds" else "**no (missed)**"
        lines.append(f"| {row['name']} | {measured(row)} | {row['target']} | {verdict} |")
    for name in failed:
        lines.append(f"| {name} | failed | | **no (the script failed)** |")
    return "\n".join(lines)


LAST = {"bench_archive.py", "bench_import.py"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scripts", nargs="*", type=Path, help="default: every bench/bench_*.py")
    parser.add_argument("--output", "-o", type=Path, help="also write the table to this file")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # The two imports last: they write hundreds of MB and keep both cores busy for minutes,
    # and a machine takes a while to settle after them (a save's frame read 15 ms before
    # them and 17 ms straight after, on 5 Dec).
    scripts = args.scripts or sorted(
        HERE.glob("bench_*.py"), key=lambda p: (p.name in LAST, p.name)
    )
    rows, failed, started = [], [], time.perf_counter()
    for script in scripts:
        figures, code, seconds = run(script)
        print(f"   ({seconds:.0f} s)", flush=True)
        rows += figures
        if code != 0 or not figures:
            failed.append(script.name)
    report = (
        f"Measured {dt.date.today():%d %b %Y} on {machine()}; "
        f"{len(scripts)} script{'s' if len(scripts) != 1 else ''} in {time.perf_counter() - started:.0f} s.\n\n"
        f"{table(rows, failed)}\n"
    )
    print("\n" + report, end="")
    if args.output:
        args.output.write_text(report, encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
