"""Refreshing the visible charts after a save, on a 10-year journal: new data through the repaint.

The window is open on the Charts tab; each round saves one entry, then times the refresh
(reading the journal, computing the metrics, handing them to the charts) up to the end of
the repaint that shows them.
"""

import datetime as dt
import tempfile
from pathlib import Path

from common import figure, median_time, ten_year_journal
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from kneelog.model import Entry, Kind, RunType
from kneelog.store import Store
from kneelog.ui.main_window import MainWindow

TARGET_MS = 16.0


def main() -> None:
    app = QApplication([])
    folder = Path(tempfile.mkdtemp(prefix="kneelog-bench-"))
    store = Store.open(ten_year_journal(folder))
    window = MainWindow(store, QSettings(str(folder / "ui.ini"), QSettings.Format.IniFormat))
    window.resize(1400, 900)
    window.show()
    window.tabs.setCurrentIndex(2)
    app.processEvents()
    today = dt.datetime.combine(dt.date.today(), dt.time(6))

    def save_and_refresh():
        store.save_entry(Entry(kind=Kind.RUN, started=today, distance_km=7.0, duration_s=2400,
                               run_type=RunType.EASY, pain_start=1, pain_end=2))
        refresh()

    def refresh():
        window.refresh_charts()
        window.repaint()
        app.processEvents()

    save_and_refresh()
    ms = median_time(refresh, repeat=15) * 1000
    print(f"journal holds {store.count()} entries; window 1400x900 on the Charts tab")
    figure("chart refresh after a save, 10 years", ms, "ms", f"< {TARGET_MS:.0f} ms", ms < TARGET_MS)


if __name__ == "__main__":
    main()
