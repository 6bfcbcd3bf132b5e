"""Composition root: the command line, the journal's path, the Store and the main window.

Nothing imports this module. Qt is imported only when a window is about to open, so
`kneelog --version`, `--help` and `kneelog demo` stay instant.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

from . import __version__

APP_ID = "io.github.kneelog.Kneelog"


def default_journal() -> Path:
    """The runner's own journal: $KNEELOG_DATA_DIR, else the platform's data folder."""
    folder = os.environ.get("KNEELOG_DATA_DIR")
    if not folder:
        from platformdirs import user_data_dir

        folder = user_data_dir("kneelog", appauthor=False)
    return Path(folder) / "journal.db"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="kneelog",
        description="A private journal for runners whose knee hurts after running.",
        epilog="Your journal stays in one file on this computer. kneelog never uses the network.",
    )
    parser.add_argument("--version", action="version", version=f"kneelog {__version__}")
    parser.add_argument("--journal", metavar="PATH", type=Path,
                        help="open this journal file instead of your default one")
    parser.add_argument("--demo", action="store_true",
                        help="open a made-up 6-month journal in a temporary file (yours is not touched)")
    parser.add_argument("--smoke", action="store_true",
                        help="open the window, draw it once and exit: a quick check that kneelog works here")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    demo = commands.add_parser("demo", help="write a made-up journal to a file, to try kneelog out")
    demo.add_argument("path", type=Path, help="where to write it (must not exist yet)")
    demo.add_argument("--years", type=float, default=0.5, help="how many years it covers (default 0.5)")
    demo.add_argument("--seed", type=int, default=7, help=argparse.SUPPRESS)
    summary = commands.add_parser("summary", help="write the summary for your physio as a PDF")
    summary.add_argument("--journal", dest="summary_journal", metavar="PATH", type=Path,
                         help="the journal to summarise (default: yours)")
    summary.add_argument("--weeks", type=int, default=6,
                         help="this week and the whole weeks before it (default 6)")
    summary.add_argument("--from", dest="first", type=dt.date.fromisoformat, metavar="YYYY-MM-DD")
    summary.add_argument("--to", dest="last", type=dt.date.fromisoformat, metavar="YYYY-MM-DD")
    summary.add_argument("--paper", choices=("a4", "letter"), default="a4")
    summary.add_argument("--questions", default="", help="your questions for the physio")
    summary.add_argument("--output", "-o", type=Path, required=True, help="the PDF to write")
    return parser.parse_args(argv)


def write_demo(path: Path, years: float = 0.5, seed: int = 7) -> Path:
    from .demo import demo_journal
    from .store import Store

    if path.exists():
        raise FileExistsError(f"{path} already exists; kneelog will not overwrite it. Choose a new name.")
    with Store.open(path) as store:
        store.add_journal(demo_journal(years=years, seed=seed))
    return path


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.command == "demo":
        try:
            path = write_demo(args.path, args.years, args.seed)
        except (OSError, ValueError) as error:
            print(f"kneelog: {error}", file=sys.stderr)
            return 1
        print(f"Wrote a demo journal to {path}")
        return 0
    if args.command == "summary":
        return write_summary(args)
    if args.demo:
        path = write_demo(Path(tempfile.mkdtemp(prefix="kneelog-demo-")) / "demo.db")
    else:
        path = args.journal or default_journal()
    return run_window(path, smoke=args.smoke)


def write_summary(args: argparse.Namespace) -> int:
    """`kneelog summary`: no window and no display needed."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    from .model import Period
    from .report import build_summary, last_weeks
    from .store import JournalError, Store
    from .ui.report_render import write_pdf

    today = dt.date.today()
    period = last_weeks(args.weeks, today)
    if args.first or args.last:
        period = Period(args.first or period.first, args.last or today)
    if args.weeks < 1 or period.first > period.last:
        print("kneelog: the period is empty: --weeks must be 1 or more and --from before --to.",
              file=sys.stderr)
        return 2
    journal = args.summary_journal or args.journal or default_journal()
    if not journal.exists():  # opening it would create an empty journal there
        print(f"kneelog: there is no journal at {journal}.", file=sys.stderr)
        return 1
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 fonts need it
    try:
        with Store.open(journal) as store:
            summary = build_summary(store.entries(), store.shoes(), store.settings(), period,
                                    today, args.questions)
        pages = write_pdf(summary, args.output, args.paper)
    except (JournalError, OSError) as error:
        print(f"kneelog: {error}", file=sys.stderr)
        return 1
    print(f"Wrote {args.output} ({pages} page{'s' if pages != 1 else ''}, "
          f"{period.first:%d %b %Y} to {period.last:%d %b %Y}).")
    return 0


def run_window(path: Path, smoke: bool = False) -> int:
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QGuiApplication, QIcon, QPixmap
    from PySide6.QtWidgets import QApplication, QMessageBox

    from .content import resource_bytes
    from .store import JournalError, Store

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("kneelog")
    app.setApplicationVersion(__version__)
    QGuiApplication.setDesktopFileName(APP_ID)
    icon = QPixmap()
    icon.loadFromData(resource_bytes("kneelog.svg"))
    app.setWindowIcon(QIcon(icon))
    try:
        store = Store.open(path)
    except (JournalError, OSError) as error:
        print(f"kneelog: {error}", file=sys.stderr)
        QMessageBox.critical(None, "kneelog cannot open this journal", str(error))
        return 1

    from .ui.main_window import MainWindow

    window = MainWindow(store, QSettings("kneelog", "kneelog"))
    window.show()
    try:
        if smoke:
            app.processEvents()
            window.grab()
            print(f"kneelog works: {store.path} opened with {store.count()} entries.")
            return 0
        return app.exec()
    finally:
        store.close()
