"""Opens kneelog on a made-up screen and prints, one JSON line each, what does not fit.

    python tests/screen_check.py WIDTH HEIGHT SCALE

WIDTH x HEIGHT is the screen as the runner sets it up (1366 768), SCALE its scaling (2 for
200%: a 2732x1536 panel showing 1366x768 of room). A screen must be made before Qt starts,
so test_screen_fit.py runs this in a child process, once per screen. Nothing printed: it all fits.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import tempfile
from pathlib import Path

NOW = dt.datetime(2026, 11, 21, 18, 40)


def use_screen(width: int, height: int, scale: int, folder: Path) -> None:
    config = folder / "screen.json"
    screen = {"name": "laptop", "x": 0, "y": 0, "width": width * scale, "height": height * scale}
    config.write_text(json.dumps({"screens": [{**screen, "logicalDpi": 96, "dpr": 1}]}))
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
    os.environ["QT_SCALE_FACTOR"] = str(scale)


def settle(ms: int = 300) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def in_scroll_area(widget, top) -> bool:
    """Inside the scrolled part of a scroll area: it may lie outside the window, scrolled away."""
    from PySide6.QtWidgets import QAbstractScrollArea

    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        if isinstance(parent.parentWidget(), QAbstractScrollArea) and (
            parent is parent.parentWidget().viewport()
        ):
            return True
        parent = parent.parentWidget()
    return False


def name(widget) -> str:
    text = widget.text() if hasattr(widget, "text") and callable(widget.text) else ""
    return f"{type(widget).__name__} {widget.objectName() or ''} {text[:40]!r}".strip()


def problems_in(window, where: str):
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtWidgets import QAbstractButton, QLabel, QScrollArea, QToolButton, QWidget

    screen = window.screen().availableGeometry()
    frame = window.frameGeometry()
    if not screen.contains(frame):
        yield f"{where}: the window {frame.getRect()} is not within the screen {screen.getRect()}"
    inner = QRect(0, 0, window.width(), window.height())
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or widget.isWindow():
            continue
        rect = QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())
        if not in_scroll_area(widget, window) and not inner.contains(rect):
            yield f"{where}: {name(widget)} at {rect.getRect()} lies outside the window"
        if isinstance(widget, QLabel) and widget.text() and widget.pixmap().isNull():
            if widget.wordWrap():
                need = widget.heightForWidth(widget.width())
                if widget.height() < need - 1:
                    yield f"{where}: {name(widget)} is cut off: {widget.height()} of {need} px high"
            elif widget.width() < widget.minimumSizeHint().width() - 1:
                yield f"{where}: {name(widget)} is cut off: {widget.width()} of {widget.minimumSizeHint().width()} px wide"
        icon_only = (
            isinstance(widget, QToolButton)
            and widget.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly
            and not widget.icon().isNull()
        )
        if isinstance(widget, QAbstractButton) and widget.text() and not icon_only:
            words = widget.text().replace("&&", "\0").replace("&", "")
            need = widget.fontMetrics().horizontalAdvance(words) + 6
            if widget.width() < need:
                yield f"{where}: {name(widget)} is cut off: {widget.width()} of {need} px wide"
        if isinstance(widget, QScrollArea) and widget.horizontalScrollBar().isVisible():
            yield f"{where}: {name(widget)} scrolls sideways"


def history_columns(history):
    """Every column of the History can be scrolled to, whole, and holds its header and the
    text of each row (but "Where", which keeps to 48 letters); nothing to scroll past beyond
    the last."""
    from PySide6.QtCore import Qt

    table = history.table
    model, header, bar = table.model(), table.horizontalHeader(), table.horizontalScrollBar()
    metrics = table.fontMetrics()
    room = table.viewport().width()
    for column in range(model.columnCount()):
        name = model.headerData(column, Qt.Orientation.Horizontal)
        texts = [model.index(row, column).data() or "" for row in range(model.rowCount())]
        need = max(metrics.horizontalAdvance(text) + 4 for text in [*texts, name])
        width = header.sectionSize(column)
        if name != "Where" and width < need:
            yield f"History: the {name} column is cut short: {width} of {need} px"
        for value in range(bar.minimum(), bar.maximum() + 1):
            bar.setValue(value)
            left = header.sectionViewportPosition(column)
            if left >= 0 and left + min(width, room) <= room:
                break
        else:
            yield f"History: the {name} column cannot be scrolled into view whole"
    bar.setValue(bar.maximum())
    last = model.columnCount() - 1
    right = header.sectionViewportPosition(last) + header.sectionSize(last)
    if right != room:
        yield f"History: scrolled to the end, the last column ends at {right} px of {room}"
    others = sum(header.sectionSize(c) for c in range(last))
    if others < room and header.length() != room:
        yield f"History: the columns take {header.length()} px of {room} with room for all"
    if others >= room and header.sectionSize(last) > need + 40:
        yield (
            f"History: the last column is {header.sectionSize(last)} px for {need} px of text,"
            " a blank stretch to scroll past"
        )
    bar.setValue(0)


def main(width: int, height: int, scale: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="kneelog-fit-"))
    use_screen(width, height, scale, folder)
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    from kneelog.demo import demo_journal
    from kneelog.store import Store
    from kneelog.ui.main_window import MainWindow

    store = Store.open(folder / "demo.db")
    store.add_journal(demo_journal(end=NOW.date(), years=0.5, seed=7))
    # The History's widest last cell: a run, six weeks back, with every warning sign ticked.
    from kneelog.model import Entry, Kind, WarningSign

    store.save_entry(
        Entry(
            Kind.RUN,
            NOW - dt.timedelta(days=42),
            distance_km=5.0,
            duration_s=1800,
            warnings=frozenset(WarningSign),
        ),
        today=NOW.date(),
    )
    settings = QSettings(str(folder / "ui.ini"), QSettings.Format.IniFormat)
    window = MainWindow(store, settings, clock=lambda: NOW)
    window.show()
    settle()
    report = lambda problem: print(json.dumps(problem), flush=True)  # noqa: E731
    screen = app.primaryScreen()
    if (screen.availableGeometry().width(), screen.availableGeometry().height()) != (width, height):
        report(f"the screen came out as {screen.availableGeometry().getRect()}")
    if not window.triage_dock.isVisible():
        report("the triage panel is hidden although the screen has room for it")
    for index, where in enumerate(("Log", "History", "Charts")):
        window.tabs.setCurrentIndex(index)
        settle(500)
        for problem in problems_in(window, where):
            report(problem)
    history = window.history
    where_column = next(
        i for i in range(history.model.columnCount()) if history.model.COLUMNS[i] == "Where"
    )
    letters = history.table.columnWidth(where_column) / history.fontMetrics().averageCharWidth()
    if letters < 20:
        report(f"History: the Where column holds only {letters:.0f} letters")
    window.tabs.setCurrentIndex(1)
    settle()
    for problem in history_columns(history):
        report(problem)
    window.triage_dock.hide()  # wide for a moment, and narrow again at once
    settle()
    window.triage_dock.show()
    settle()
    for problem in history_columns(history):
        report(f"{problem}, once the panel was hidden and shown again")
    for plot in window.charts.time_plots:
        if plot.height() < 120:
            report(f"Charts: the {plot.accessibleName()} plot is {plot.height()} px high")
    window.tabs.setCurrentIndex(0)
    settle()
    form = window.form
    if form.save_button.visibleRegion().isEmpty():
        report("Log: the Save button is out of sight")
    # Below the fold on a low screen, the warning signs come into view as Tab reaches them.
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QPushButton

    window.activateWindow()
    form.changes.findChildren(QPushButton)[-1].setFocus()
    QTest.keyClick(form.changes.findChildren(QPushButton)[-1], Qt.Key.Key_Tab)
    settle()
    if form.warnings.visibleRegion().isEmpty():
        report("Log: the warning signs cannot be scrolled into view")
    window.close()
    store.close()


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:4]))
