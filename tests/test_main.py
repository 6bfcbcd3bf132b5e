"""kneelog/__main__.py: `python -m kneelog` is the same program as the `kneelog` command."""

from __future__ import annotations

import subprocess
import sys

from kneelog import __version__


def test_python_m_kneelog_runs_the_app_entry_point():
    result = subprocess.run(
        [sys.executable, "-m", "kneelog", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"kneelog {__version__}"
