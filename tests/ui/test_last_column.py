"""kneelog/ui/last_column.py: the History's last column, "Warning signs", read whole at the end
of the sideways scroll on a narrow window, and filling the table on a wide one."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import show_active
from factories import make_run
from kneelog.model import Units, WarningSign
from kneelog.ui.history import HistoryView

# The six warning signs' labels (resources/labels.toml).
EVERY_SIGN = "Swelling, Locking or catching, Giving way, A pop, Pain at night, Limping"


@pytest.fixture
def history(qtbot):
    view = HistoryView()
    qtbot.addWidget(view)
    view.resize(600, 400)  # narrower than the columns: the table scrolls sideways
    view.set_entries(
        [
            make_run(id=2, started=dt.datetime(2026, 11, 20, 7), warnings=frozenset(WarningSign)),
            make_run(id=1),
        ],
        Units.KM,
    )
    show_active(qtbot, view)
    return view


def last_column(view: HistoryView) -> tuple[int, int, int]:
    """Where the last column starts and ends in the view, and the view's width."""
    header = view.table.horizontalHeader()
    last = header.count() - 1
    left = header.sectionViewportPosition(last)
    return left, left + header.sectionSize(last), view.table.viewport().width()


def test_the_warning_signs_read_whole_at_the_end_of_the_sideways_scroll(qtbot, history):
    table = history.table
    cell = history.model.index(0, history.model.columnCount() - 1)
    text = history.model.data(cell)
    assert sorted(text.split(", ")) == sorted(EVERY_SIGN.split(", "))
    bar = table.horizontalScrollBar()
    assert bar.isVisible()
    bar.setValue(bar.maximum())
    qtbot.wait(10)
    left, right, room = last_column(history)
    assert left >= 0 and right == room, "the whole column in view, nothing beyond it"
    shown = table.visualRect(cell)
    assert table.fontMetrics().horizontalAdvance(text) + 4 <= shown.width()
    assert table.viewport().rect().contains(shown)


def test_on_a_wide_window_the_last_column_fills_the_table(qtbot, history):
    history.resize(1800, 400)
    qtbot.wait(10)
    left, right, room = last_column(history)
    assert right == room
    assert not history.table.horizontalScrollBar().isVisible()


def test_narrowed_at_once_it_gives_its_stretch_back(qtbot, history):
    """As when the triage panel is shown again beside the History, or a maximised window is
    restored: no blank stretch is left to scroll past."""
    width = history.table.columnWidth(history.model.columnCount() - 1)
    history.resize(1800, 400)
    qtbot.wait(10)
    assert history.table.columnWidth(history.model.columnCount() - 1) > width + 400
    history.resize(600, 400)
    qtbot.wait(10)
    assert history.table.columnWidth(history.model.columnCount() - 1) == width
    history.set_entries([make_run(id=1)], Units.KM)  # no warning signs in the period now
    qtbot.wait(10)
    header = history.table.horizontalHeader()
    last = header.count() - 1
    assert header.sectionSize(last) == header.sectionSizeHint(last), "as wide as its header"
