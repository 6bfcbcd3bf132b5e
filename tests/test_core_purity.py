"""The core never imports Qt, pyqtgraph or the UI: each core module is imported alone.

Core modules are found on disk, so a new module (or subpackage, such as importers/) is
checked without touching this file. Only kneelog.ui, app.py (the composition root) and
__main__.py may use Qt.
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import kneelog

NOT_CORE = {"kneelog.ui", "kneelog.app", "kneelog.__main__"}
FORBIDDEN = ("PySide6", "shiboken6", "pyqtgraph", "kneelog.ui")

CHECK = """
import importlib, json, sys
importlib.import_module(sys.argv[1])
forbidden = tuple(sys.argv[2:])
print(json.dumps(sorted(
    name for name in sys.modules
    if any(name == f or name.startswith(f + ".") for f in forbidden)
)))
"""


def core_modules() -> list[str]:
    """kneelog and every module below it, without importing any of them."""
    found = ["kneelog"]

    def walk(path: str, prefix: str) -> None:
        for info in pkgutil.iter_modules([path], prefix):
            if info.name in NOT_CORE:
                continue
            found.append(info.name)
            if info.ispkg:
                walk(str(Path(path) / info.name.rsplit(".", 1)[-1]), info.name + ".")

    for path in kneelog.__path__:
        walk(path, "kneelog.")
    return sorted(found)


def qt_modules_after_importing(module: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", CHECK, module, *FORBIDDEN],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_known_core_modules_are_found():
    modules = core_modules()
    assert {"kneelog.model", "kneelog.store", "kneelog.demo", "kneelog.content"} <= set(modules)
    assert not any(m == "kneelog.ui" or m.startswith("kneelog.ui.") for m in modules)
    assert "kneelog.app" not in modules and "kneelog.__main__" not in modules


@pytest.mark.parametrize("module", core_modules())
def test_core_module_imports_no_qt(module):
    assert qt_modules_after_importing(module) == []


def test_the_check_sees_qt_when_it_is_imported():
    """The control: the same check run on a Qt module does report it."""
    assert "PySide6.QtCore" in qt_modules_after_importing("PySide6.QtCore")
