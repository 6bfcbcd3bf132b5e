"""kneelog/ui/history.py: the table model behind the history, without a window."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from factories import make_run
from kneelog.model import Period, Units
from kneelog.ui.history import FIELD_COLUMNS, EntryTableModel, period_for


def test_period_for_the_last_days_includes_today():
    today = dt.date(2026, 11, 21)
    assert period_for(7, today) == Period(first=dt.date(2026, 11, 15))
    assert period_for(None, today) == Period()


def test_the_table_model_shows_each_entry_as_a_row_of_its_fields(qapp):
    model = EntryTableModel()
    runs = [make_run(id=1, notes="felt fine"), make_run(id=2, notes="", distance_km=5.0)]
    model.set_entries(runs, Units.KM)
    assert (model.rowCount(), model.columnCount()) == (2, len(FIELD_COLUMNS))
    assert model.row_of(2) == 1 and model.row_of(99) is None
    assert model.entry(0) is runs[0]
    headers = [
        model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        for c in range(model.columnCount())
    ]
    assert headers == list(EntryTableModel.COLUMNS)
    row = [model.data(model.index(0, c)) for c in range(model.columnCount())]
    assert row[:4] == ["Mon 02 Nov 2026  18:30", "Run (easy)", "8.4 km", "49:10"]
    assert model.data(model.index(1, 2)) == "5.0 km"
    assert model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole) == "felt fine"
    assert model.data(model.index(1, 0), Qt.ItemDataRole.ToolTipRole) is None


def _history_with_notes(qtbot):
    from conftest import show_active
    from kneelog.ui.history import HistoryView

    view = HistoryView()
    qtbot.addWidget(view)
    view.resize(1000, 500)
    view.set_entries(
        [
            make_run(id=3, notes="Easy loop, nothing to report."),
            make_run(id=2, notes="Long DOWNHILL at the end; knee ached on the stairs."),
            make_run(id=1, notes="Downhill again, felt it the next morning."),
        ],
        Units.KM,
    )
    show_active(qtbot, view)
    return view


def _shown_ids(view) -> list[int]:
    return [view.model.entry(r).id for r in range(view.model.rowCount())]


def test_the_search_filters_the_history_by_notes_as_you_type(qtbot):
    view = _history_with_notes(qtbot)
    view.search.setFocus()
    qtbot.keyClicks(view.search, "downh")
    assert _shown_ids(view) == [2, 1]  # any case
    qtbot.keyClicks(view.search, "ill stairs")  # every word, in any order
    assert _shown_ids(view) == [2]
    assert view.count.text() == "1 of 3 entries"
    assert view.stack.currentWidget() is view.table


def test_a_search_that_matches_nothing_says_so_and_esc_clears_it(qtbot):
    view = _history_with_notes(qtbot)
    view.search.setFocus()
    qtbot.keyClicks(view.search, "cycling")
    assert view.stack.currentWidget() is view.empty
    assert view.empty.text().startswith("No entries match \u201ccycling\u201d")
    assert view.count.text() == "0 of 3 entries"
    qtbot.keyClick(view.search, Qt.Key.Key_Escape)
    assert view.search.text() == ""
    assert _shown_ids(view) == [3, 2, 1]
    assert view.stack.currentWidget() is view.table


def test_ctrl_f_puts_the_cursor_in_the_search(qtbot):
    view = _history_with_notes(qtbot)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert view.search.hasFocus()


def test_the_search_filters_the_calendar_too(qtbot):
    view = _history_with_notes(qtbot)
    qtbot.mouseClick(view.calendar_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(view.search, "stairs")
    model = view.calendar.model
    shown = [
        entry.entry_id
        for row in range(model.rowCount())
        for day in model.week(row).days
        for entry in day.entries
    ]
    assert shown == [2]


def test_the_history_shows_the_climb_in_feet_for_miles(qapp):
    model = EntryTableModel()
    model.set_entries([make_run(id=1, elevation_gain_m=123.5)], Units.MI)
    climb = FIELD_COLUMNS.index(next(c for c in FIELD_COLUMNS if c[1].header == "Climb"))
    assert model.data(model.index(0, climb)) == "405 ft"
    model.set_entries([make_run(id=1, elevation_gain_m=123.5)], Units.KM)
    assert model.data(model.index(0, climb)) == "124 m"


def test_no_cell_is_cut_short_when_an_entry_with_longer_words_arrives(qtbot):
    """The columns are sized by their text: an entry saved later with a longer kind, time
    or pain text widens its columns rather than showing "Strength (Hi...")."""
    from kneelog.model import Kind

    view = _history_with_notes(qtbot)
    first_widths = [view.table.columnWidth(c) for c in range(len(FIELD_COLUMNS))]
    strength = make_run(id=4, kind=Kind.STRENGTH, distance_km=None, duration_s=36000)
    long_run = make_run(id=5, duration_s=4 * 3600 + 5, distance_km=42.2, pain_end=10)
    view.set_entries([long_run, strength, *(view.model.entry(r) for r in range(3))], Units.KM)
    qtbot.wait(10)
    metrics = view.table.fontMetrics()
    for row in range(view.model.rowCount()):
        for column in range(len(FIELD_COLUMNS) - 1):  # the last takes what is left over
            text = view.model.data(view.model.index(row, column))
            if text:
                room = view.table.visualRect(view.model.index(row, column)).width()
                assert metrics.horizontalAdvance(text) + 4 <= room, (text, room)
    time = next(i for i, (name, _) in enumerate(FIELD_COLUMNS) if name == "duration_s")
    assert view.table.columnWidth(time) > first_widths[time]  # "4:00:05" after "49:10"


def test_an_edited_entry_and_other_units_show_their_new_text_at_once(qapp):
    model = EntryTableModel()
    run = make_run(id=1, distance_km=8.0)
    model.set_entries([run], Units.KM)
    assert model.data(model.index(0, 2)) == "8.0 km"
    model.set_entries([run.with_(distance_km=10.0)], Units.KM)  # the entry saved again
    assert model.data(model.index(0, 2)) == "10.0 km"
    model.set_entries([run], Units.MI)
    assert model.data(model.index(0, 2)) == "5.0 mi"  # 8 km = 4.97 miles


def test_the_count_of_entries_is_never_cut_short_as_it_grows(qtbot):
    from kneelog.ui.history import HistoryView

    view = HistoryView()
    qtbot.addWidget(view)
    view.show()
    today = dt.date(2026, 11, 21)
    for n in (1, 9, 10, 100, 1000, 3):
        runs = [
            make_run(id=i + 1, started=dt.datetime(2026, 11, 20, 7) - dt.timedelta(hours=i))
            for i in range(n)
        ]
        view.set_entries(runs, Units.KM, today=today)
        needed = view.count.fontMetrics().horizontalAdvance(view.count.text())
        assert view.count.text() == f"{n} entr{'y' if n == 1 else 'ies'}"
        assert view.count.contentsRect().width() >= needed
