"""A save updates the whole window in one frame, on a 10-year journal.

The window is open as a runner has it (1400x900, the triage panel beside the tabs, the Charts
tab built once), on the offscreen platform. Each round is driven with real key presses, and
timed from the key that saves to the end of the event loop's pass that repaints what the save
changed (processEvents until every view that must show it has painted; the script counts
those paints, so that a round that drew nothing cannot pass):

- a new run on the Log tab: type the distance and the pain, Ctrl+Enter; the form (ready
  for the next entry) and the triage panel repaint;
- undo and redo on the History tab (Ctrl+Z / Ctrl+Shift+Z take a save back and make it
  again, through the same path as a save): the history and the triage panel repaint;
- undo and redo on the Charts tab: the charts and the triage panel repaint.

A view that is not on screen takes the change when it is shown next. The figure is the
slowest of the three medians. A line before it gives an edit from the History tab
(double-click the newest row, change the distance, Ctrl+Enter), which also brings the
History back on screen in place of the form: that frame paints the whole tab.
"""

import datetime as dt
import statistics
import time

from common import figure
from pyqtgraph import GraphicsView
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from window import Paints, ten_year_window

TARGET_MS = 16.0
ROUNDS = 21


def main() -> None:
    app, window = ten_year_window()
    store = window.session.store
    window.activateWindow()
    app.processEvents()
    while window.triage.shown is None:  # filled in after the first paint
        app.processEvents()
    window.tabs.setCurrentIndex(2)  # the charts exist, as once the runner has looked at them
    app.processEvents()
    window.tabs.setCurrentIndex(0)
    app.processEvents()
    form = window.form
    triage = Paints([window.triage.scroll.viewport()])
    history = Paints([window.history.table.viewport()])
    charts = Paints([plot.viewport() for plot in window.charts.findChildren(GraphicsView)])
    form_fields = Paints([form.distance])

    def frame(press, painted) -> float:
        """Seconds from the key press to the end of the pass that painted `painted`."""
        before = painted.count
        t0 = time.perf_counter()
        press()
        app.processEvents()
        while painted.count == before and time.perf_counter() - t0 < 1.0:
            app.processEvents()
        seconds = time.perf_counter() - t0
        if painted.count == before:
            raise SystemExit("a view did not repaint after a save: the figure would mean nothing")
        return seconds

    def save() -> None:
        QTest.keyClick(form.distance, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    new_runs, triage_paints = [], []
    for i in range(ROUNDS):
        window.new_entry()
        # A minute of its own (a run at the minute of another is asked about first): yesterday
        # at 03:01, 03:02, ..., when the synthetic journal has no runs.
        yesterday = dt.date.today() - dt.timedelta(days=1)
        form.when.setDateTime(dt.datetime.combine(yesterday, dt.time(3, i + 1)))
        form.distance.setFocus()
        QTest.keyClicks(form.distance, f"{5 + i % 4}")
        form.pains["pain_end"].setFocus()
        QTest.keyClick(form.pains["pain_end"], Qt.Key.Key_0 + i % 4)
        app.processEvents()
        painted = triage.count
        new_runs.append(frame(save, form_fields))
        triage_paints.append(triage.count - painted)
    window.tabs.setCurrentWidget(window.history)
    app.processEvents()
    table = window.history.table

    def undo_and_redo(painted) -> list[float]:
        times = []
        for i in range(ROUNDS):
            shift = Qt.KeyboardModifier.ShiftModifier if i % 2 else Qt.KeyboardModifier.NoModifier
            times.append(
                frame(
                    lambda s=shift: QTest.keyClick(
                        window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | s
                    ),
                    painted,
                )
            )
        return times

    history_undos = undo_and_redo(history)
    edits = []
    for i in range(ROUNDS):
        rect = table.visualRect(window.history.model.index(0, 0))
        QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        QTest.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        form.distance.selectAll()
        QTest.keyClicks(form.distance, f"{6 + i % 3}.5")
        app.processEvents()
        edits.append(frame(save, history))
    window.tabs.setCurrentIndex(2)
    app.processEvents()
    chart_undos = undo_and_redo(charts)
    print(
        f"an edit from the History tab, which brings the History back on screen: "
        f"{statistics.median(edits) * 1000:.1f} ms"
    )
    medians = {
        "a new run on the Log tab": statistics.median(new_runs) * 1000,
        "undo and redo on the History tab": statistics.median(history_undos) * 1000,
        "undo and redo on the Charts tab": statistics.median(chart_undos) * 1000,
    }
    for name, ms in medians.items():
        print(f"{name}: {ms:.1f} ms from the key press to the last repaint")
    print(
        f"journal holds {store.count()} entries; window 1400x900; the triage panel repainted "
        f"after {sum(1 for n in triage_paints if n)} of {ROUNDS} new runs"
    )
    ms = max(medians.values())
    figure(
        "a save, key press to the last repaint, 10 years",
        ms,
        "ms",
        f"< {TARGET_MS:.0f} ms",
        ms < TARGET_MS,
    )


if __name__ == "__main__":
    main()
