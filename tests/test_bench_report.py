"""bench/report.py: every benchmark's figures in one table, with the machine they ran on."""

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench"

FAKE = """
import sys
sys.path.insert(0, {bench!r})
from common import figure
print("some context a reader wants")
figure("saving one thing", 0.61234, "ms", "< 5 ms", True)
figure("drawing it, kneelog / bare", 3.4, "x", "<= 2.8x", False)
"""


def test_one_table_of_every_figure_and_the_machine(tmp_path):
    fast = tmp_path / "bench_fast.py"
    fast.write_text(FAKE.format(bench=str(BENCH)))
    broken = tmp_path / "bench_broken.py"
    broken.write_text("raise SystemExit('out of disk')\n")
    output = tmp_path / "bench.md"
    result = subprocess.run(
        [sys.executable, str(BENCH / "report.py"), str(fast), str(broken), "--output", str(output)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, "a script that fails fails the report"
    assert "   some context a reader wants" in result.stdout
    table = output.read_text()
    assert table in result.stdout
    first, _, *rows = table.split("\n\n")[1].strip().splitlines()
    assert first == "| figure | measured | target | holds |"
    assert rows == [
        "| saving one thing | 0.612 ms | < 5 ms | yes |",
        "| drawing it, kneelog / bare | 3.4x | <= 2.8x | **no (missed)** |",
        "| bench_broken.py | failed | | **no (the script failed)** |",
    ]
    machine = table.split("\n\n")[0]
    assert "cores" in machine and "Python 3." in machine and "PySide6 6." in machine
