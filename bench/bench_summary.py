"""`kneelog summary` as a whole process on a 10-year journal: 6 weeks and 1 year.

Each is compared with a bare process that prints a plain QTextDocument of the same number of
pages to PDF, measured alternately in the same run; medians of several runs.
"""

import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import as_installed, figure, ten_year_journal

HERE = Path(__file__).parent
RUNS = 5
TARGET_S, TARGET_RATIO = 1.0, 3.0


def timed(args: list[str]) -> tuple[float, str]:
    t0 = time.perf_counter()
    out = subprocess.run(args, capture_output=True, text=True, check=True, timeout=120)
    return time.perf_counter() - t0, out.stdout


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="kneelog-bench-"))
    journal = ten_year_journal(folder)
    as_installed()
    results = {}
    for name, period in (("6 weeks", ["--weeks", "6"]), ("1 year", ["--weeks", "52"])):
        command = [
            sys.executable,
            "-m",
            "kneelog",
            "summary",
            "--journal",
            str(journal),
            "--output",
            str(folder / "summary.pdf"),
            *period,
        ]
        _, out = timed(command)  # warm the disk cache, learn the page count
        pages = int(re.search(r"\((\d+) page", out)[1])
        bare = [sys.executable, str(HERE / "bare_pdf.py"), str(pages), str(folder / "bare.pdf")]
        ours, floor = [], []
        for _ in range(RUNS):
            ours.append(timed(command)[0])
            floor.append(timed(bare)[0])
        results[name] = (statistics.median(ours), statistics.median(floor), pages)
    for name, (ours, floor, pages) in results.items():
        print(
            f"summary, {name} ({pages} pages): {ours:.2f} s; bare QTextDocument PDF: {floor:.2f} s "
            f"({ours / floor:.2f}x)"
        )
    ours, floor, _ = results["1 year"]
    figure(
        "1-year summary against a bare PDF of the same size",
        ours / floor,
        "x",
        f"<= {TARGET_RATIO:.0f}x",
        ours / floor <= TARGET_RATIO,
    )
    ours, floor, _ = results["6 weeks"]
    ok = ours < TARGET_S and ours / floor <= TARGET_RATIO
    figure(
        "6-week summary, whole process",
        ours,
        "s",
        f"< {TARGET_S:.0f} s and <= {TARGET_RATIO:.0f}x bare",
        ok,
    )


if __name__ == "__main__":
    main()
