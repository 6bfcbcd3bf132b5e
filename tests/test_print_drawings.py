"""The print copies of the knee drawings are what packaging/make_print_drawings.py makes."""

import importlib.util
import re
from pathlib import Path

import pytest

from kneelog.content import resource_bytes
from kneelog.ui.knee_drawing import PRINT_SVG_FILES

SCRIPT = Path(__file__).resolve().parent.parent / "packaging" / "make_print_drawings.py"


@pytest.fixture(scope="module")
def generator():
    spec = importlib.util.spec_from_file_location("make_print_drawings", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("view", ["front", "back"])
def test_shipped_print_drawings_match_the_generator(qapp, generator, view):
    assert resource_bytes(PRINT_SVG_FILES[view]) == generator.print_svg(view), (
        "the knee drawing changed: run `python packaging/make_print_drawings.py`"
    )


@pytest.mark.parametrize("view", ["front", "back"])
def test_print_drawings_have_no_translucent_gradients(view):
    data = resource_bytes(PRINT_SVG_FILES[view]).decode()
    used = set(re.findall(r'url\(#([^)"]+)\)', data))
    gradients = dict(
        re.findall(r'<linearGradient\b[^>]*\sid="([^"]+)"[^>]*>(.*?)</linearGradient>', data, re.S)
    )
    assert used and used <= set(gradients)
    for ident in used:
        assert "stop-opacity" not in gradients[ident], ident
