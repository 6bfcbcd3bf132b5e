"""Writes the pictures in docs/screenshots/ from the demo journal, offscreen: `make screenshots`.

    main-window.png    the post-run form, filled in as after a run
    history.png        the History tab with the latest run selected
    calendar.png       the History as a calendar: a row for each week, days tinted by pain
    charts.png         the Charts tab, three months
    triage-1-flags.png ... triage-5-review.png
                       the triage panel scrolled to each of its five steps, and
    triage-red-flag.png
                       the panel once a red flag is answered
    triage-scenario-severe.png, triage-scenario-rising.png, triage-scenario-calm.png
                       the whole panel on three small journals: 7/10 the evening after an easy
                       run, daily-life pain rising while not running, and a calm runner
    summary-page1.png  page 1 of the physio summary PDF, rasterised at 90 dpi (pypdfium2, from
                       the `docs` extra), which is what the physio gets
    main-window-dark.png, history-dark.png, charts-dark.png, triage-red-flag-dark.png,
    summary-dialog-dark.png
                       the same views in the dark theme (View > Theme > Dark), and the summary
                       dialog's preview, which stays on white paper
    main-1366x768.png, history-1366x768.png, charts-1366x768.png
                       the window as it first opens on the commonest laptop screen
    main-1280x720-200.png, charts-1280x720-200.png
                       and on a 2560x1440 screen at 200% (1280x720 of room, drawn at 2x)
    archive-import.png a new user's first minute: three years of a synthetic Strava export
                       (tests/data/make_archives.py) dropped on an empty journal, the summary
                       over the charts and the triage panel

The journal is the seeded demo ending on a fixed day, so the pictures change only when kneelog
does. README.md and the AppStream metainfo show them.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QSettings, Qt, QTimer  # noqa: E402
from PySide6.QtGui import QImage  # noqa: E402
from PySide6.QtWidgets import QApplication, QCheckBox  # noqa: E402

from kneelog.demo import demo_journal  # noqa: E402
from kneelog.model import Entry, Intensity, Kind, PainMark, Region, Relative, RunType, Side, Trigger  # noqa: E402
from kneelog.report import build_summary, last_weeks  # noqa: E402
from kneelog.store import Store  # noqa: E402
from kneelog.triage import summary_triage  # noqa: E402
from kneelog.ui.main_window import MainWindow  # noqa: E402
from kneelog.ui.report_render import write_pdf  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "docs" / "screenshots"
NOW = dt.datetime(2026, 11, 21, 18, 40)  # a Saturday evening, home from a run
WINDOW = (1660, 920)  # room for the whole form under the next-morning question, and the panel
CHARTS_WINDOW = (1800, 900)
SUMMARY_DPI = 90
QUESTIONS = (
    "Is it fine to keep two easy runs a week while the stairs still ache?\n"
    "Which strength exercises should I start with?"
)


def save(image: QImage, name: str, folder: Path) -> None:
    path = folder / name
    if not image.save(str(path), "PNG"):
        raise OSError(f"could not write {path}")
    print(
        f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path} "
        f"({image.width()}x{image.height()})"
    )


def settle(app: QApplication, ms: int = 500) -> None:
    """Let the window finish what it does after a change: the charts report the dates they
    show a moment after they move, and only then do the date fields and the heat map follow."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    app.processEvents()


def fill_in_a_run(window: MainWindow) -> None:
    """What a runner has typed and clicked half a minute after coming home."""
    window.new_entry()
    form = window.form
    form.distance.setText("9.2")
    form.duration.setText("54:10")
    form.rpe.set_value(4)
    for name, value in (("pain_start", 1), ("pain_middle", 3), ("pain_end", 4)):
        form.pains[name].set_value(value)
    form.body_map.set_marks(
        [
            PainMark(Side.RIGHT, Region.KNEECAP, Intensity.MODERATE),
            PainMark(Side.RIGHT, Region.PATELLAR_TENDON, Intensity.MILD),
        ]
    )
    form.triggers.set_selected([Trigger.STAIRS_DOWN])
    form.sleep.set_value(Relative.USUAL)
    form.notes.setPlainText("Long downhill in the last 2 km; the ache came on there.")


def summary_page1(store: Store, folder: Path) -> QImage:
    import numpy as np
    import pypdfium2 as pdfium

    summary = build_summary(
        store.entries(),
        store.shoes(),
        store.settings(),
        last_weeks(13, NOW.date()),
        NOW.date(),
        QUESTIONS,
        triage=summary_triage(store, last_weeks(13, NOW.date()), NOW.date()),
    )
    pdf_path = folder / "summary.pdf"
    write_pdf(summary, pdf_path)
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        pixels = pdf[0].render(scale=SUMMARY_DPI / 72, rev_byteorder=True).to_numpy()
    finally:
        pdf.close()
    pixels = np.ascontiguousarray(pixels[:, :, :3])
    height, width, _ = pixels.shape
    return QImage(pixels.data, width, height, 3 * width, QImage.Format.Format_RGB888).copy()


def main_views(
    app: QApplication, window: MainWindow, store: Store, folder: Path, suffix: str = ""
) -> None:
    """The form filled in, the History with the latest run selected, the Charts."""
    window.tabs.setCurrentIndex(0)
    settle(app)
    save(window.grab().toImage(), f"main-window{suffix}.png", folder)

    window.tabs.setCurrentIndex(1)
    window.history.select_entry(store.latest().id)
    settle(app)
    save(window.grab().toImage(), f"history{suffix}.png", folder)
    window.history.calendar_button.click()
    window.history.select_entry(store.latest().id)
    settle(app)
    save(window.grab().toImage(), f"calendar{suffix}.png", folder)
    window.history.list_button.click()

    window.resize(*CHARTS_WINDOW)
    window.tabs.setCurrentIndex(2)
    settle(app)
    save(window.grab().toImage(), f"charts{suffix}.png", folder)
    window.tabs.setCurrentIndex(0)
    window.resize(*WINDOW)


def red_flag(app: QApplication, window: MainWindow, folder: Path, name: str) -> None:
    """The panel once a red flag is answered yes, then the answer taken back."""
    panel = window.triage
    panel.scroll.verticalScrollBar().setValue(0)
    [question] = [
        c for c in panel.findChildren(QCheckBox, "flag:swelling_instability") if c.isVisible()
    ]
    question.setChecked(True)
    settle(app, 100)
    save(window.triage_dock.grab().toImage(), name, folder)
    [question] = [
        c for c in panel.findChildren(QCheckBox, "flag:swelling_instability") if c.isVisible()
    ]
    question.setChecked(False)
    settle(app, 100)


def triage_steps(app: QApplication, window: MainWindow, folder: Path) -> None:
    panel = window.triage
    bar = panel.scroll.verticalScrollBar()
    steps = (panel.flags, panel.where, panel.patterns, panel.plan, panel.review)
    names = ("flags", "where", "evidence", "plan", "review")
    for number, (section, name) in enumerate(zip(steps, names, strict=True), start=1):
        bar.setValue(section.y() - 6)
        settle(app, 100)
        save(window.triage_dock.grab().toImage(), f"triage-{number}-{name}.png", folder)
    red_flag(app, window, folder, "triage-red-flag.png")


def _run(day: dt.date, km: float, pains, later=None, morning=None, marks=()) -> Entry:
    return Entry(
        kind=Kind.RUN,
        started=dt.datetime.combine(day, dt.time(7, 30)),
        distance_km=km,
        duration_s=int(km * 345),
        run_type=RunType.EASY,
        pain_start=pains[0],
        pain_middle=pains[1],
        pain_end=pains[2],
        pain_later=later,
        pain_next_morning=morning,
        marks=marks,
    )


def scenarios(today: dt.date) -> dict[str, list[Entry]]:
    """Three small journals: what the panel says to a knee in trouble, and to a calm one."""
    day = dt.timedelta(days=1)
    kneecap = (PainMark(Side.RIGHT, Region.KNEECAP, Intensity.MILD),)
    steady = [_run(today - 70 * day + 2 * i * day, 7.0, (0, 0, 0), morning=0) for i in range(28)]
    severe = steady + [
        _run(
            today - day,
            7.0,
            (2, 2, 2),
            later=7,
            marks=(PainMark(Side.RIGHT, Region.BACK_CENTRE, Intensity.SEVERE),) + kneecap,
        )
    ]
    rising = steady[:-6] + [
        Entry(
            kind=Kind.CHECKIN,
            started=dt.datetime.combine(today - (8 - 2 * i) * day, dt.time(20)),
            pain_later=4 + i,
            marks=kneecap,
            triggers=frozenset({Trigger.STAIRS_DOWN}),
        )
        for i in range(5)
    ]
    calm = steady + [
        _run(today - 5 * day + 2 * i * day, 7.0, (2, 2, 2), morning=0, marks=kneecap)
        for i in range(3)
    ]
    return {"severe": severe, "rising": rising, "calm": calm}


def triage_scenarios(app: QApplication, work: Path, folder: Path) -> None:
    for name, entries in scenarios(NOW.date()).items():
        store = Store.open(work / f"{name}.db")
        store.save_entries(entries, today=NOW.date())
        window = MainWindow(
            store, QSettings(str(work / "ui.ini"), QSettings.Format.IniFormat), clock=lambda: NOW
        )
        window.resize(WINDOW[0], 1500)  # tall enough for the whole panel in one picture
        window.show()
        window.triage_dock.show()
        window.resizeDocks([window.triage_dock], [420], Qt.Orientation.Horizontal)
        settle(app)
        save(window.triage_dock.grab().toImage(), f"triage-scenario-{name}.png", folder)
        window.close()
        store.close()


def archive_import(app: QApplication, work: Path, folder: Path) -> None:
    sys.path.insert(0, str(ROOT / "tests" / "data"))
    import make_archives as A
    from PySide6.QtGui import QPainter

    export = work / "export_48151623.zip"
    planned = A.years_of_running(3, seed=3, end=NOW.date() - dt.timedelta(days=1))
    export.write_bytes(A.synthetic_strava(planned, A.Templates(every=60, seconds=3600)))
    store = Store.open(work / "new.db")
    window = MainWindow(
        store, QSettings(str(work / "ui.ini"), QSettings.Format.IniFormat), clock=lambda: NOW
    )
    window.resize(*CHARTS_WINDOW)
    window.show()
    window.triage_dock.show()
    window.resizeDocks([window.triage_dock], [420], Qt.Orientation.Horizontal)
    settle(app)
    finished = QEventLoop()
    window.imports.finished.connect(finished.quit)
    window.imports.start([str(export)])  # as a drop does
    settle(app, 100)
    choice = window.imports.choice
    next(b for b in choice.buttons() if "cross-training" in b.text()).click()
    finished.exec()
    summary = window.imports.summary
    window.tabs.setCurrentIndex(2)
    settle(app, 1500)
    picture = window.grab().toImage()
    box = summary.grab().toImage()
    painter = QPainter(picture)
    painter.drawImage(
        (window.width() - 420 - box.width()) // 2, (picture.height() - box.height()) // 3, box
    )
    painter.end()
    save(picture, "archive-import.png", folder)
    summary.close()
    window.close()
    store.close()


LAPTOPS = ((1366, 768, 1, "1366x768"), (1280, 720, 2, "1280x720-200"))


def use_screen(width: int, height: int, scale: int, work: Path) -> None:
    """One made-up screen for the offscreen platform, set before Qt starts: `width` x `height`
    of room at `scale` (2: a panel of twice as many pixels, as at 200%)."""
    import json

    config = work / "screen.json"
    screen = {"name": "laptop", "x": 0, "y": 0, "width": width * scale, "height": height * scale}
    config.write_text(json.dumps({"screens": [{**screen, "logicalDpi": 96, "dpr": 1}]}))
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
    os.environ["QT_SCALE_FACTOR"] = str(scale)


def laptop(width: int, height: int, scale: int, name: str, folder: Path) -> None:
    """The window as it first opens on a laptop's screen (no size remembered), in a process
    of its own: Qt takes its screens once."""
    work = Path(tempfile.gettempdir()) / "kneelog-demo"  # as in the other pictures
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    use_screen(width, height, scale, work)
    app = QApplication(sys.argv[:1])
    store = Store.open(work / "demo.db")
    store.add_journal(demo_journal(end=NOW.date(), years=0.5, seed=7))
    window = MainWindow(
        store, QSettings(str(work / "ui.ini"), QSettings.Format.IniFormat), clock=lambda: NOW
    )
    window.show()
    settle(app)
    fill_in_a_run(window)
    settle(app)
    save(window.grab().toImage(), f"main-{name}.png", folder)
    if scale == 1:
        window.tabs.setCurrentIndex(1)
        settle(app)
        save(window.grab().toImage(), f"history-{name}.png", folder)
    window.tabs.setCurrentIndex(2)
    settle(app)
    save(window.grab().toImage(), f"charts-{name}.png", folder)
    window.close()
    store.close()
    shutil.rmtree(work, ignore_errors=True)


def main(folder: Path = FOLDER) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    work = (
        Path(tempfile.gettempdir()) / "kneelog-demo"
    )  # named alike every time: the status bar shows it
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    use_screen(1920, 1200, 1, work)  # a desktop screen: room for the pictures' window sizes
    app = QApplication(sys.argv[:1])
    store = Store.open(work / "demo.db")
    store.add_journal(demo_journal(end=NOW.date(), years=0.5, seed=7))
    window = MainWindow(
        store, QSettings(str(work / "ui.ini"), QSettings.Format.IniFormat), clock=lambda: NOW
    )
    window.resize(*WINDOW)
    window.show()
    settle(app)

    fill_in_a_run(window)
    main_views(app, window, store, folder)
    window.resizeDocks([window.triage_dock], [420], Qt.Orientation.Horizontal)
    triage_steps(app, window, folder)
    save(summary_page1(store, work), "summary-page1.png", folder)

    window.theme.set_choice("dark")
    main_views(app, window, store, folder, "-dark")
    red_flag(app, window, folder, "triage-red-flag-dark.png")
    window._on_print_summary_triggered()  # File > Print summary...
    settle(app)
    save(window.summary_dialog.grab().toImage(), "summary-dialog-dark.png", folder)
    window.summary_dialog.reject()
    window.theme.set_choice("system")
    window.close()
    store.close()
    triage_scenarios(app, work, folder)
    archive_import(app, work, folder)
    shutil.rmtree(work, ignore_errors=True)
    import subprocess

    for width, height, scale, name in LAPTOPS:
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--laptop",
                str(width),
                str(height),
                str(scale),
                name,
                str(folder),
            ],
            check=True,
        )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--laptop"]:
        width, height, scale, name, where = sys.argv[2:7]
        laptop(int(width), int(height), int(scale), name, Path(where))
    else:
        main(Path(sys.argv[1]) if len(sys.argv) > 1 else FOLDER)
