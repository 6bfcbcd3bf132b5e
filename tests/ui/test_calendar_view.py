"""The History's calendar: a row for each week, days tinted by pain, runs opened from it."""

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QMenu

from conftest import show_active
from factories import make_run
from kneelog.colours import colours
from kneelog.model import Entry, Kind, Units
from kneelog.rules import Level
from kneelog.store import Store
from kneelog.ui.history import HistoryView
from kneelog.ui.widgets import LEVEL_COLOURS

TODAY = dt.date(2026, 11, 21)  # a Saturday


def at(day: int, hour: int = 7) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour)


def entries() -> list[Entry]:
    """Newest first, as the store gives them to the history."""
    return [
        make_run(id=4, started=at(20), distance_km=6.0, pain_start=0, pain_middle=1, pain_end=1),
        Entry(kind=Kind.CHECKIN, started=at(18, 20), id=3, pain_later=2, notes="Stairs ached."),
        make_run(
            id=2,
            started=at(18),
            distance_km=10.0,
            pain_start=2,
            pain_middle=3,
            pain_end=5,
            notes="Long downhill at the end.",
        ),
        make_run(id=1, started=at(10), distance_km=8.4, pain_start=1, pain_middle=2, pain_end=3),
    ]


@pytest.fixture
def history(qtbot):
    view = HistoryView()
    qtbot.addWidget(view)
    view.resize(1100, 600)
    view.set_period_index(0)  # the last 4 weeks
    view.set_entries(entries(), Units.KM, today=TODAY)
    show_active(qtbot, view)
    qtbot.mouseClick(view.calendar_button, Qt.MouseButton.LeftButton)
    return view


def cell(history, day: dt.date):
    model = history.calendar.model
    for row in range(model.rowCount()):
        for column in range(1, 8):
            index = model.index(row, column)
            if model.day(index).day == day:
                return index
    raise AssertionError(f"{day} is not in the calendar")


def hue(colour) -> int:
    return QColor(colour).hsvHue()


def test_the_calendar_shows_a_row_for_each_week_monday_to_sunday(history):
    assert history.stack.currentWidget() is history.calendar
    model = history.calendar.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(8)]
    assert headers == ["Week", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    # The last 4 weeks end today (Sat 21 Nov) and start on Sun 25 Oct: five rows, newest first.
    weeks = [model.index(r, 0).data().splitlines()[0] for r in range(model.rowCount())]
    assert weeks == ["16 Nov 2026", "09 Nov 2026", "02 Nov 2026", "26 Oct 2026", "19 Oct 2026"]
    assert model.index(0, 0).data().splitlines()[1] == "2 runs, 16.0 km"
    assert cell(history, dt.date(2026, 11, 18)).data().splitlines() == [
        "18",
        "10.0 km",
        "Knee check-in",
    ]


def test_each_day_is_tinted_by_its_highest_pain(qtbot, history):
    image = history.calendar.table.viewport().grab().toImage()

    def seen(day: int):
        rect = history.calendar.table.visualRect(cell(history, dt.date(2026, 11, day)))
        return image.pixelColor(rect.right() - 4, rect.bottom() - 4)

    # 5/10 during a run: "above 4, stop" (red); 3/10: fine (green); nothing logged: plain.
    light = colours(dark=False)
    assert abs(hue(seen(18)) - hue(light[LEVEL_COLOURS[Level.STOP]])) < 12
    assert abs(hue(seen(10)) - hue(light[LEVEL_COLOURS[Level.GO]])) < 12
    assert seen(12) == history.calendar.table.palette().base().color()
    assert seen(18) != seen(10)


def test_notes_show_on_hover(history):
    tip = cell(history, dt.date(2026, 11, 18)).data(Qt.ItemDataRole.ToolTipRole)
    assert "Long downhill at the end." in tip
    assert "Stairs ached." in tip
    assert "Pain: start 2, middle 3, end 5" in tip


def test_a_double_click_on_a_run_opens_it(qtbot, history):
    table = history.calendar.table
    rect = table.visualRect(cell(history, dt.date(2026, 11, 20)))
    with qtbot.waitSignal(history.edit_requested) as signal:
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert signal.args[0].id == 4


def test_the_keyboard_walks_the_days_and_enter_opens_one_of_two(qtbot, history):
    table = history.calendar.table
    table.setFocus()
    table.setCurrentIndex(cell(history, dt.date(2026, 11, 20)))  # Friday
    qtbot.keyClick(table, Qt.Key.Key_Left)
    qtbot.keyClick(table, Qt.Key.Key_Left)  # Wednesday: a run and a check-in
    assert history.calendar.current_day().day == dt.date(2026, 11, 18)
    assert history.selected_entry() is None, "two entries: Edit and Delete do not guess"
    assert not history.delete_button.isEnabled()
    qtbot.keyClick(table, Qt.Key.Key_Return)
    menu = history.calendar.menu
    qtbot.waitUntil(menu.isVisible)
    assert [a.text() for a in menu.actions()] == [
        "Wed 18 Nov 2026  07:00: 10.0 km run in 49:10",
        "Wed 18 Nov 2026  20:00: Knee check-in",
    ]
    with qtbot.waitSignal(history.edit_requested) as signal:
        qtbot.keyClick(menu, Qt.Key.Key_Down)
        qtbot.keyClick(menu, Qt.Key.Key_Down)
        qtbot.keyClick(menu, Qt.Key.Key_Return)
    assert signal.args[0].id == 3


def test_a_day_with_one_entry_can_be_edited_and_deleted_from_the_buttons(qtbot, history):
    history.calendar.table.setCurrentIndex(cell(history, dt.date(2026, 11, 20)))
    assert history.edit_button.isEnabled()
    with qtbot.waitSignal(history.delete_requested) as signal:
        qtbot.mouseClick(history.delete_button, Qt.MouseButton.LeftButton)
    assert signal.args[0].id == 4


def test_switching_back_to_the_list_keeps_the_selection(qtbot, history):
    history.calendar.table.setCurrentIndex(cell(history, dt.date(2026, 11, 10)))
    qtbot.mouseClick(history.list_button, Qt.MouseButton.LeftButton)
    assert history.stack.currentWidget() is history.table
    assert history.selected_entry().id == 1


def test_the_window_opens_a_run_chosen_in_the_calendar(qtbot, tmp_path, open_window):
    store = Store.open(tmp_path / "j.db")
    for entry in reversed(entries()):
        store.save_entry(entry.with_(id=None), today=TODAY)
    window = open_window(store, clock=lambda: dt.datetime.combine(TODAY, dt.time(9)))
    window.tabs.setCurrentWidget(window.history)
    qtbot.mouseClick(window.history.calendar_button, Qt.MouseButton.LeftButton)
    table = window.history.calendar.table
    index = cell(window.history, dt.date(2026, 11, 20))
    table.setCurrentIndex(index)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert window.tabs.currentWidget() is window.form
    assert window.form.editing().distance_km == 6.0
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QMenu) and w.isVisible()]
    store.close()
