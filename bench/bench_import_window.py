"""The window while it imports an export: the longest the event loop went without turning.

A synthetic Strava export of three years (some 600 activities of an hour, a FIT record every
5 seconds) is dropped on a new journal's window, runs only; a 5 ms timer records the gap
between its ticks for as long as the import runs (the reload and the summary after it are not
the import). The parsing runs in worker processes at a lower priority, and the window does not
redraw for each batch the import writes.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from common import figure  # noqa: E402
from PySide6.QtCore import QEventLoop, QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from kneelog.store import Store  # noqa: E402
from kneelog.ui.main_window import MainWindow  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "data"))
import make_archives as A  # noqa: E402

NOW = dt.datetime(2026, 11, 21, 18, 40)
TARGET_MS = 50


def wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def main() -> None:
    app = QApplication(sys.argv[:1])
    work = Path(tempfile.mkdtemp(prefix="kneelog-bench-"))
    export = work / "export_1.zip"
    planned = A.years_of_running(3, seed=3, end=NOW.date())
    export.write_bytes(A.synthetic_strava(planned, A.Templates(every=5, seconds=3600)))
    store = Store.open(work / "journal.db")
    window = MainWindow(
        store, QSettings(str(work / "ui.ini"), QSettings.Format.IniFormat), clock=lambda: NOW
    )
    window.resize(1200, 800)
    window.show()
    wait(500)
    window.imports.start([str(export)])
    wait(100)
    next(b for b in window.imports.choice.buttons() if b.text() == "Runs only").click()
    gaps: list[float] = []
    at: list[float] = []
    last = t0 = time.perf_counter()

    def tick() -> None:
        nonlocal last
        now = time.perf_counter()
        if window.imports.busy():
            gaps.append(now - last)
            at.append(now - t0)
        last = now

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    timer.start()
    while window.imports.busy():
        wait(100)
    seconds = time.perf_counter() - t0
    timer.stop()
    print(window.imports.summary.text())
    print(f"{len(planned)} activities in {seconds:.1f} s; {len(gaps)} ticks of the event loop")
    longest_at = at[gaps.index(max(gaps))]
    print(
        "longest gaps (ms):", [round(g * 1000) for g in sorted(gaps)[-5:]], f"at {longest_at:.2f} s"
    )
    window.imports.summary.close()
    window.close()
    store.close()
    shutil.rmtree(work)
    longest = max(gaps) * 1000
    figure(
        "longest the window's event loop waited while importing a 3-year export",
        longest,
        "ms",
        f"< {TARGET_MS} ms",
        longest < TARGET_MS,
    )
    del app


if __name__ == "__main__":
    main()
