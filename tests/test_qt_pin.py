"""PySide6 6.12.0 loses references to None/True/False and aborts CPython 3.11 (none_dealloc).

Python 3.12+ has immortal objects and does not mind; pyproject.toml pins PySide6 below 6.12
for older Pythons. These tests keep the crash from coming back with an upgrade.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

BROKEN = Version("6.12.0")
REPRO = (
    "from PySide6.QtCore import QObject; o = QObject(); "
    "[o.setObjectName('x') for _ in range(20000)]"
)
PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def installed_pyside() -> Version:
    import PySide6

    return Version(PySide6.__version__)


def test_many_void_calls_do_not_abort_the_interpreter():
    result = subprocess.run(
        [sys.executable, "-c", REPRO], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, (result.returncode, result.stderr[-2000:])
    assert "none_dealloc" not in result.stderr


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="immortal None/True/False since 3.12")
def test_the_broken_pyside_is_not_installed_on_python_3_11():
    assert installed_pyside() != BROKEN
    assert Version(metadata.version("shiboken6")) != BROKEN


def test_the_pin_excludes_the_broken_pyside_on_python_3_11():
    dependencies = tomllib.loads(PYPROJECT.read_text("utf-8"))["project"]["dependencies"]
    qt = [Requirement(d) for d in dependencies if Requirement(d).name.lower().startswith("pyside6")]
    assert qt, "PySide6 is not among the dependencies"
    for python in ("3.11", "3.12", "3.13"):
        environment = {"python_version": python}
        applying = [r for r in qt if r.marker is None or r.marker.evaluate(environment)]
        assert applying, f"no PySide6 requirement for Python {python}"
        if python == "3.11":
            assert not all(r.specifier.contains(BROKEN) for r in applying)
