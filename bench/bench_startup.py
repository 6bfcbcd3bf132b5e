"""Start-up to first paint of the main window on a 10-year journal, against a bare window.

Both are measured in the same run, alternately, as whole processes (interpreter start to the
first paint event), and the medians compared: the ratio is what kneelog adds on top of Qt.
The peak memory of each process at its first paint is compared the same way.
"""

import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from common import as_installed, figure, ten_year_journal

HERE = Path(__file__).parent
RUNS = 15  # whole processes each; the median of many steadies a ratio of two noisy times
TARGET = 2.8
TARGET_MEMORY = 3.0


def first_paint(*args: str) -> tuple[float, int]:
    """Seconds to the first paint and the peak memory then (KiB), from a fresh process."""
    out = subprocess.run(
        [sys.executable, str(HERE / "first_paint.py"), *args],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    seconds, kib = out.stdout.strip().splitlines()[-1].split()
    return float(seconds), int(kib)


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="kneelog-bench-"))
    journal = ten_year_journal(folder)
    as_installed()
    ini = str(folder / "ui.ini")
    first_paint("bare"), first_paint("kneelog", str(journal), ini)  # warm the disk cache
    bare, app = [], []
    for _ in range(RUNS):
        bare.append(first_paint("bare"))
        app.append(first_paint("kneelog", str(journal), ini))
    b, a = (statistics.median(t for t, _ in runs) for runs in (bare, app))
    bm, am = (statistics.median(kib for _, kib in runs) / 1024 for runs in (bare, app))
    print(
        f"bare window first paint: {b * 1000:.0f} ms, {bm:.0f} MiB peak; "
        f"kneelog main window (10-year journal): {a * 1000:.0f} ms, {am:.0f} MiB peak"
    )
    figure(
        "peak memory at first paint, kneelog / bare window",
        am / bm,
        "x",
        f"<= {TARGET_MEMORY:g}x",
        am / bm <= TARGET_MEMORY,
    )
    figure(
        "start-up to first paint, kneelog / bare window",
        a / b,
        "x",
        f"<= {TARGET}x",
        a / b <= TARGET,
    )


if __name__ == "__main__":
    main()
