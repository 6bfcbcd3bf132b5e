"""Refreshing the visible charts after a save, on a 10-year journal: new data through the repaint.

The window is open on the Charts tab; each round saves one entry (a new run today) through
the journal session, as the form does, and times the charts' part of what follows: from the
session's change (naming the entry) through the metrics of the weeks it reaches and handing
them to the charts, up to the end of the repaint that shows them: the event loop's next
pass, in which every plot whose data changed paints again (the script counts those paints,
so that a refresh that drew nothing cannot pass). Lines before the figure give the same for
edits of a run five years back, and the triage panel's own part after a save (which a save
also costs, in the same frame when the panel is open; bench_frame.py times them together).
"""

import datetime as dt
import statistics
import time

from common import figure
from pyqtgraph import GraphicsView
from window import Paints, ten_year_window

from kneelog.model import Entry, Kind, Period, RunType

TARGET_MS = 16.0


def main() -> None:
    app, window = ten_year_window()
    store = window.session.store
    window.tabs.setCurrentIndex(2)
    app.processEvents()
    today = dt.datetime.combine(dt.date.today(), dt.time(6))

    painted = Paints([plot.viewport() for plot in window.charts.findChildren(GraphicsView)])
    session = window.session
    # The charts' part of the window's reaction to a change, timed on its own.
    session.changed.disconnect(window._on_session_changed)
    timed: list[float] = []

    def on_changed(change) -> None:
        t0 = time.perf_counter()
        window._update_charts(change)
        app.processEvents()  # as the event loop does next: the plots that changed paint again
        timed.append(time.perf_counter() - t0)

    session.changed.connect(on_changed)

    def refresh_after_saving(current: Entry | None, entry: Entry) -> tuple[float, Entry]:
        """Save through the session (it keeps its copy of the journal in step and names what
        changed); return the seconds the charts took, and the entry."""
        written = session.put_entry(current, entry)
        return timed[-1], written

    new_run = Entry(
        kind=Kind.RUN,
        started=today,
        distance_km=7.0,
        duration_s=2400,
        run_type=RunType.EASY,
        pain_start=1,
        pain_end=2,
    )
    painted.count = 0
    ms = statistics.median(refresh_after_saving(None, new_run)[0] for _ in range(31)) * 1000
    paints = painted.count / 31
    if paints < 1:
        raise SystemExit("the charts did not repaint after a save: the figure would mean nothing")
    old = store.entries(
        Period(today.date() - dt.timedelta(days=5 * 365), today.date()), kinds=[Kind.RUN]
    )[-1]
    times = []
    for i in range(15):
        seconds, old = refresh_after_saving(old, old.with_(distance_km=old.distance_km + (-1) ** i))
        times.append(seconds)
    print(f"after editing a run of {old.started:%b %Y}: {statistics.median(times) * 1000:.1f} ms")
    session.changed.disconnect(on_changed)
    panel = []
    for i in range(15):
        session.put_entry(None, new_run.with_(pain_end=i % 4))
        t0 = time.perf_counter()
        window._show_triage()
        app.processEvents()
        panel.append(time.perf_counter() - t0)
    print(f"triage panel after a save: {statistics.median(panel) * 1000:.1f} ms")
    print(
        f"journal holds {store.count()} entries; window 1400x900 on the Charts tab; "
        f"{paints:.1f} plots painted again per save"
    )
    figure(
        "chart refresh after a save, 10 years", ms, "ms", f"< {TARGET_MS:.0f} ms", ms < TARGET_MS
    )


if __name__ == "__main__":
    main()
