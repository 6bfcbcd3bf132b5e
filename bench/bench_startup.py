"""Start-up to first paint through the real entry point, against a bare PySide6 window.

`kneelog --journal J10` (the installed command, J10 the 10-year synthetic journal) and a bare
window (bare_window.py) are started alternately as whole processes, RUNS of each, and each is
timed from the moment it is spawned to the moment it says its first paint is done
(KNEELOG_BENCH_FIRST_PAINT, see kneelog.app.report_first_paint). The medians are compared: the
ratio is what kneelog adds on top of Qt, on this machine and in this run. The peak memory of
each process at its first paint is compared the same way. Then it prints what each part that
waits for the first paint would have added to it.

    python bench/bench_startup.py [RUNS]
"""

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import as_installed, figure, ten_year_journal

HERE = Path(__file__).parent
RUNS = 15  # whole processes each; the median of many steadies a ratio of two noisy times
# What kneelog loads only after its first paint (or when first needed), and so what each such
# deferral is worth: the comments beside them in kneelog quote these figures.
DEFERRED = (
    ("sqlite-utils, for writing (numpy and pandas hidden from it)", "sqlite-utils"),
    ("sqlite-utils imported plainly (it brings numpy)", "sqlite_utils"),
    ("the triage rules", "kneelog.triage"),
    ("the charts (pyqtgraph, numpy)", "kneelog.ui.charts"),
    ("the summary dialog", "kneelog.ui.summary_dialog"),
    ("the exporters", "kneelog.export"),
    ("the backups", "kneelog.backups"),
    ("the restore dialogs", "kneelog.ui.backup_dialogs"),
    ("the history's calendar", "kneelog.ui.calendar_view"),
    ("the import flow", "kneelog.ui.import_flow"),
    ("the watch-file readers", "kneelog.importing"),
)
TARGET = 2.0
TARGET_MEMORY = 3.0


def kneelog_command() -> list[str]:
    """The `kneelog` command pip installed beside this Python, as a runner starts it."""
    installed = shutil.which("kneelog", path=str(Path(sys.executable).parent))
    return [installed] if installed else [sys.executable, "-m", "kneelog"]


def first_paint(command: list[str], env: dict[str, str]) -> tuple[float, int, float]:
    """Seconds from spawning `command` to its first paint, its peak memory then (KiB) and the
    processor time it had used (seconds: steadier than the clock when the machine is busy)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        for line in process.stdout:
            if line.startswith("painted"):
                seconds = time.perf_counter() - started
                break
        else:
            raise RuntimeError(f"{command} ended without painting:\n{process.stderr.read()}")
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    if process.returncode != 0:
        raise RuntimeError(f"{command} exited with {process.returncode}:\n{err}")
    _, kib, cpu = line.split()
    return seconds, int(kib), float(cpu)


def deferred_import(module: str) -> float:
    """Processor ms that importing `module` adds once the window's own imports are done."""
    times = []
    for _ in range(3):
        out = subprocess.run(
            [sys.executable, str(HERE / "deferred_imports.py"), module],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        times.append(float(out.stdout.split()[-1]))
    return statistics.median(times)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else RUNS
    folder = Path(tempfile.mkdtemp(prefix="kneelog-bench-"))
    journal = ten_year_journal(folder)
    as_installed()
    # Qt's settings and kneelog's log go to the bench's folder, never the runner's own.
    env = dict(
        os.environ,
        XDG_CONFIG_HOME=str(folder / "config"),
        KNEELOG_STATE_DIR=str(folder / "state"),
        KNEELOG_BENCH_FIRST_PAINT="1",
    )
    kneelog = [*kneelog_command(), "--journal", str(journal)]
    bare = [sys.executable, str(HERE / "bare_window.py")]
    # Once as a runner who has used kneelog before: the window's size and layout are saved on
    # closing (--smoke closes it), and the disk cache is warm for both.
    subprocess.run(
        [*kneelog, "--smoke"],
        env={k: v for k, v in env.items() if k != "KNEELOG_BENCH_FIRST_PAINT"},
        capture_output=True,
        check=True,
        timeout=120,
    )
    first_paint(bare, env)
    bare_runs, app_runs = [], []
    for _ in range(runs):
        bare_runs.append(first_paint(bare, env))
        app_runs.append(first_paint(kneelog, env))

    def median(runs: list[tuple[float, int, float]], i: int) -> float:
        return statistics.median(run[i] for run in runs)

    b, a = median(bare_runs, 0), median(app_runs, 0)
    bm, am = median(bare_runs, 1) / 1024, median(app_runs, 1) / 1024
    bc, ac = median(bare_runs, 2), median(app_runs, 2)
    print(f"command: {' '.join(kneelog[:-1])} J10; bare window: bare_window.py; {runs} of each")
    print(
        f"bare window first paint: {b * 1000:.0f} ms, {bc * 1000:.0f} ms of processor time, "
        f"{bm:.0f} MiB peak; kneelog main window (10-year journal): {a * 1000:.0f} ms, "
        f"{ac * 1000:.0f} ms of processor time, {am:.0f} MiB peak (processor time {ac / bc:.2f}x)"
    )
    print("loaded after the first paint, each of which would have added to it (processor time):")
    for what, module in DEFERRED:
        print(f"  {what}: {deferred_import(module):.0f} ms")
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
