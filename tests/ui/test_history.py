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
