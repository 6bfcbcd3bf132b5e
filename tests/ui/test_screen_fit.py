"""kneelog on the screens runners have: 1280x720 and 1366x768 laptops, at 100% and 200%.

Each screen is made up for a child process (Qt takes its screens once, at start):
tests/screen_check.py opens the demo journal there as a first start would, goes through the Log,
History and Charts views with the triage panel beside them, and prints what does not fit.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kneelog.ui.screen_fit import first_geometry, inside, panel_width, usable

CHECK = Path(__file__).resolve().parent.parent / "screen_check.py"


@pytest.mark.parametrize(
    ("width", "height", "scale"),
    [(1366, 768, 1), (1280, 720, 1), (1366, 768, 2), (1280, 720, 2)],
    ids=["1366x768", "1280x720", "2732x1536 at 200%", "2560x1440 at 200%"],
)
def test_every_view_fits_the_screen_with_nothing_cut_off(width, height, scale):
    done = subprocess.run(
        [sys.executable, str(CHECK), str(width), str(height), str(scale)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    problems = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    assert problems == []


def test_the_first_window_takes_the_free_part_of_a_small_screen_centred():
    from PySide6.QtCore import QRect

    laptop = QRect(0, 27, 1366, 741)  # a top panel of 27 px
    place = first_geometry(laptop)
    frame = place.adjusted(-8, -30, 8, 8)  # a window manager's usual borders and title bar
    assert laptop.contains(frame)
    assert place.width() >= 1366 - 40 and place.height() >= 741 - 60, "as large as it can be"
    big = QRect(0, 0, 2560, 1440)
    place = first_geometry(big)
    assert (place.width(), place.height()) == (1500, 860), "no bigger than it needs"
    assert place.center() == usable(big).center(), "centred, its frame included"


def test_a_remembered_place_off_a_screen_now_smaller_is_brought_onto_it():
    from PySide6.QtCore import QRect

    laptop = QRect(0, 0, 1366, 768)
    on_the_monitor = QRect(1900, 300, 1500, 860)  # left there on a second, larger monitor
    place = inside(on_the_monitor, laptop)
    assert laptop.contains(place.adjusted(-8, -30, 8, 8))
    small = QRect(1000, 500, 640, 480)  # fits, but sticks out at the right and bottom
    place = inside(small, laptop)
    assert (place.width(), place.height()) == (640, 480)
    assert usable(laptop).contains(place)
    assert inside(QRect(100, 100, 800, 600), laptop) == QRect(100, 100, 800, 600)


def test_the_panel_is_hidden_rather_than_squeezed_below_its_minimum():
    assert panel_width(1350, 830, 300, 420) == 420
    assert panel_width(1150, 830, 300, 420) == 320
    assert panel_width(1100, 830, 300, 420) is None


def test_a_window_remembered_on_a_larger_monitor_opens_inside_this_screen(
    qtbot, tmp_path, qsettings, open_window
):
    from PySide6.QtWidgets import QMainWindow

    from kneelog.store import Store

    settings = qsettings
    elsewhere = QMainWindow()  # closed last on a second monitor, right of this screen
    elsewhere.setGeometry(1900, 300, 1500, 860)
    settings.setValue("window/geometry", elsewhere.saveGeometry())
    store = Store.open(tmp_path / "journal.db")
    window = open_window(store)
    screen = window.screen().availableGeometry()  # the offscreen platform's 800x600
    assert screen.contains(window.frameGeometry()), (window.frameGeometry(), screen)
    assert window.form.save_button.isVisible()
    assert not window.form.save_button.visibleRegion().isEmpty()
    store.close()
