"""Shared by the benchmarks that time the window: the main window on the 10-year journal, and
a count of the paints of some of its widgets."""

from __future__ import annotations

import tempfile
from pathlib import Path

from common import ten_year_journal
from PySide6.QtCore import QEvent, QObject, QSettings
from PySide6.QtWidgets import QApplication

from kneelog.store import Store
from kneelog.ui.main_window import MainWindow


class Paints(QObject):
    """Counts the paints of some widgets."""

    def __init__(self, widgets):
        super().__init__()
        self.count = 0
        for widget in widgets:
            widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        self.count += event.type() == QEvent.Type.Paint
        return False


def ten_year_window() -> tuple[QApplication, MainWindow]:
    """The window, shown at 1400x900 with its triage panel, on a new 10-year journal."""
    app = QApplication([])
    folder = Path(tempfile.mkdtemp(prefix="kneelog-bench-"))
    store = Store.open(ten_year_journal(folder))
    window = MainWindow(store, QSettings(str(folder / "ui.ini"), QSettings.Format.IniFormat))
    window.resize(1400, 900)
    window.show()
    window.triage_dock.show()  # the offscreen screen is too narrow for it to start shown
    return app, window
