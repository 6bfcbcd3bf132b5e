"""Composition root: the command line, the journal's path, the log, the Store and the main window.

Nothing imports this module. Qt is imported only when a window is about to open, so
`kneelog --version`, `--help` and `kneelog demo` stay instant.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import logging
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

from . import __version__

APP_ID = "io.github.kneelog.Kneelog"
LOG_NAME = "kneelog.log"
# Set by bench/bench_startup.py: the window prints "painted" once its first paint is done, and
# kneelog quits (see report_first_paint).
FIRST_PAINT_ENV = "KNEELOG_BENCH_FIRST_PAINT"
log = logging.getLogger("kneelog")


def default_journal() -> Path:
    """The runner's own journal: $KNEELOG_DATA_DIR, else the platform's data folder."""
    folder = os.environ.get("KNEELOG_DATA_DIR")
    if not folder:
        from platformdirs import user_data_dir

        folder = user_data_dir("kneelog", appauthor=False)
    return Path(folder) / "journal.db"


def state_dir() -> Path:
    """Where the log goes: $KNEELOG_STATE_DIR; else $KNEELOG_DATA_DIR when that is set, so a
    portable journal keeps its log beside it; else the platform's state folder
    (~/.local/state/kneelog on Linux, %LOCALAPPDATA%\\kneelog on Windows)."""
    folder = os.environ.get("KNEELOG_STATE_DIR") or os.environ.get("KNEELOG_DATA_DIR")
    if not folder:
        from platformdirs import user_state_dir

        folder = user_state_dir("kneelog", appauthor=False)
    return Path(folder)


LOG_MAX_BYTES = 1_000_000  # then the log moves to kneelog.log.1, and that one to .2
LOG_BACKUPS = 2


class _PrivateLogFile(logging.FileHandler):
    """The log names journal files and may quote entries: readable by the runner alone.

    It rotates as logging.handlers.RotatingFileHandler would, written here because importing
    that module (with socket, pickle and queue) took 4 ms of every start-up (bench_startup)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self.stream is not None and self.stream.tell() >= LOG_MAX_BYTES:
                self._roll_over()
        except OSError:
            self.handleError(record)
        super().emit(record)  # reopens the file if it was rolled over

    def _roll_over(self) -> None:
        self.stream.close()
        self.stream = None
        names = [self.baseFilename] + [
            f"{self.baseFilename}.{i}" for i in range(1, LOG_BACKUPS + 1)
        ]
        for older, newer in reversed(list(zip(names, names[1:], strict=False))):
            if os.path.exists(older):
                os.replace(older, newer)

    def _open(self):
        return open(
            self.baseFilename,
            self.mode,
            encoding=self.encoding,
            errors=self.errors,
            opener=lambda path, flags: os.open(path, flags, 0o600),
        )


def start_logging(folder: Path | None = None) -> Path | None:
    """Log to kneelog.log in the state folder (a windowed app has no stderr); return its path.

    Calling it again replaces the file it logged to before. A folder that cannot be written
    leaves kneelog running without a log file: None.
    """
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, _PrivateLogFile)]:
        root.removeHandler(handler)
        handler.close()
    from .files import private_folder

    path = (folder or state_dir()) / LOG_NAME
    try:
        private_folder(path.parent)
        handler = _PrivateLogFile(path, encoding="utf-8")
    except OSError as error:
        log.warning("kneelog cannot write its log at %s: %s", path, error)
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)
    return path


class CrashReport:
    """sys.excepthook: an uncaught exception, in a Qt slot or anywhere else, is logged with its
    traceback and the runner is told, in a dialog, what happened and where the log is.

    Saves are all-or-nothing, so an exception half-way through one leaves the journal as it
    was. `dialog=False` (the smoke test) only logs and counts.
    """

    def __init__(self, log_path: Path | None, dialog: bool = True):
        self.log_path = log_path
        self.dialog = dialog
        self.count = 0
        self._showing = False

    def __call__(self, exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        self.count += 1
        log.critical("Uncaught exception", exc_info=(exc_type, exc, tb))
        if sys.stderr is not None:
            traceback.print_exception(exc_type, exc, tb, file=sys.stderr)
        if self.dialog and not self._showing:  # an exception while the dialog is up is logged only
            self._showing = True
            try:
                self._show()
            finally:
                self._showing = False

    def message(self) -> str:
        where = (
            f"What happened is written in the log:\n{self.log_path}\n\nIf you report the "
            "problem, please attach that file."
            if self.log_path
            else "kneelog could not write a log on this computer."
        )
        return (
            "Something went wrong inside kneelog. What you saved before is safe: a save is "
            "written whole or not at all.\n\n" + where
        )

    def _show(self) -> None:
        if "PySide6.QtWidgets" not in sys.modules:
            return
        from PySide6.QtWidgets import QApplication, QMessageBox

        app = QApplication.instance()
        if isinstance(app, QApplication) and has_display(app):
            QMessageBox.critical(None, "kneelog ran into a problem", self.message())


def has_display(app) -> bool:
    """Whether someone can see and click a dialog: not on Qt's offscreen or minimal platforms
    (tests, `--smoke` on a server), where a modal dialog would wait for ever."""
    return app.platformName() not in ("offscreen", "minimal")


def system() -> str:
    """The operating system in a few words, for the log. From os.uname where there is one:
    the platform module compiles some 40 patterns on import (3% of the start-up's work,
    bench_startup), and platform.platform() runs `uname -p` in a child process."""
    if hasattr(os, "uname"):
        uname = os.uname()
        return f"{uname.sysname} {uname.release} {uname.machine}"
    import platform  # Windows

    return f"{platform.system()} {platform.release()} {platform.machine()}"


# Qt's own command-line options (QGuiApplication's, QApplication's and the X11 platform's),
# each with whether a value follows it. Qt takes "-style Fusion", "-style=Fusion" and the
# same with two dashes.
QT_OPTIONS = {
    "style": True,
    "stylesheet": True,
    "platform": True,
    "platformpluginpath": True,
    "platformtheme": True,
    "plugin": True,
    "qwindowgeometry": True,
    "qwindowicon": True,
    "qwindowtitle": True,
    "session": True,
    "display": True,
    "geometry": True,
    "name": True,
    "title": True,
    "qmljsdebugger": True,
    "reverse": False,
    "widgetcount": False,
    "nograb": False,
    "dograb": False,
    "sync": False,
}


def split_qt_arguments(argv: list[str]) -> tuple[list[str], list[str]]:
    """(Qt's own options, kneelog's) from a command line: Qt's go to QApplication, which
    knows them, instead of argparse, which would refuse them."""
    qt: list[str] = []
    ours: list[str] = []
    words = iter(argv)
    for word in words:
        if word == "--":  # what follows is kneelog's, whatever it looks like
            ours.append(word)
            ours.extend(words)
            break
        name, equals, _value = word.lstrip("-").partition("=")
        takes_value = QT_OPTIONS.get(name)
        if not word.startswith("-") or word.startswith("---") or takes_value is None:
            ours.append(word)
            continue
        qt.append(word)
        if takes_value and not equals:
            value = next(words, None)
            if value is not None:
                qt.append(value)
    return qt, ours


COMMANDS = ("demo", "summary", "export", "load", "check", "backups", "triage", "import")
WINDOW_OPTIONS = {"--demo": False, "--smoke": False, "--journal": True}  # takes a value?


def commands_needed(argv: list[str]) -> set[str] | None:
    """The commands whose parsers this command line needs, None for all of them. Making every
    command's parser is 1% of the window's start-up (bench_startup), for a line that names
    none: `kneelog`, `kneelog --journal J`. Help, a version, a word argparse should refuse:
    all of them, so that argparse says everything it would."""
    if any(word in ("-h", "--help", "--version") for word in argv):
        return None
    named = {word for word in argv if word in COMMANDS}
    if named:
        return named
    words = iter(argv)
    for word in words:
        option, _, value = word.partition("=")
        if option not in WINDOW_OPTIONS:
            return None
        if WINDOW_OPTIONS[option] and not value and next(words, None) is None:
            return None  # --journal without its path: argparse says so
    return set()


class _NotNeeded:
    """In place of a command's parser that the command line does not need."""

    def add_argument(self, *args: Any, **kwargs: Any) -> None:
        pass


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="kneelog",
        description="A private journal for runners whose knee hurts after running.",
        epilog="Your journal stays in one file on this computer. kneelog never uses the network.",
    )
    parser.add_argument("--version", action="version", version=f"kneelog {__version__}")
    parser.add_argument(
        "--journal",
        metavar="PATH",
        type=Path,
        help="open this journal file instead of your default one (or the one "
        "you last chose with File > Open another journal)",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open a made-up 6-month journal in a temporary file (yours is not touched)",
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="open the window, draw it once and exit: a quick check that kneelog works "
        "here; with --demo it also draws the charts and writes a summary PDF",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    needed = commands_needed(argv)

    def add_command(name: str, **kwargs: Any) -> argparse.ArgumentParser | _NotNeeded:
        if needed is None or name in needed:
            return commands.add_parser(name, **kwargs)
        return _NotNeeded()

    demo = add_command("demo", help="write a made-up journal to a file, to try kneelog out")
    demo.add_argument("path", type=Path, help="where to write it (must not exist yet)")
    demo.add_argument(
        "--years", type=float, default=0.5, help="how many years it covers (default 0.5)"
    )
    demo.add_argument("--seed", type=int, default=7, help=argparse.SUPPRESS)
    summary = add_command("summary", help="write the summary for your physio as a PDF")
    summary.add_argument(
        "--journal",
        dest="summary_journal",
        metavar="PATH",
        type=Path,
        help="the journal to summarise (default: yours)",
    )
    summary.add_argument(
        "--weeks", type=int, default=6, help="this week and the whole weeks before it (default 6)"
    )
    summary.add_argument("--from", dest="first", type=dt.date.fromisoformat, metavar="YYYY-MM-DD")
    summary.add_argument("--to", dest="last", type=dt.date.fromisoformat, metavar="YYYY-MM-DD")
    summary.add_argument("--paper", choices=("a4", "letter"), default="a4")
    summary.add_argument("--questions", default="", help="your questions for the physio")
    summary.add_argument("--output", "-o", type=Path, required=True, help="the PDF to write")
    export = add_command(
        "export",
        help="write the journal to a CSV file (for a spreadsheet) or to a JSON file "
        "(everything, to keep or to load into another journal)",
    )
    export.add_argument(
        "--journal",
        dest="command_journal",
        metavar="PATH",
        type=Path,
        help="the journal to export (default: yours)",
    )
    export.add_argument(
        "--format",
        choices=("csv", "json"),
        help="csv or json (default: from the name of the output file)",
    )
    export.add_argument("--output", "-o", type=Path, required=True, help="the file to write")
    load = add_command("load", help="load a JSON export into an empty journal")
    load.add_argument(
        "export_file", metavar="FILE", type=Path, help="the .json file kneelog exported"
    )
    load.add_argument(
        "--journal",
        dest="command_journal",
        metavar="PATH",
        type=Path,
        help="the journal to load it into: made if it does not exist, refused "
        "if it has entries (default: yours)",
    )
    check = add_command("check", help="check that a journal file is whole (changes nothing)")
    check.add_argument(
        "--journal",
        dest="command_journal",
        metavar="PATH",
        type=Path,
        help="the journal to check (default: yours)",
    )
    backups = add_command("backups", help="list the backups of a journal")
    backups.add_argument(
        "--journal",
        dest="command_journal",
        metavar="PATH",
        type=Path,
        help="whose backups (default: your journal's)",
    )
    backups.add_argument("--now", action="store_true", help="take a backup first")
    triage = add_command(
        "triage",
        help="print what the triage panel would show on a day (changes nothing)",
        description="Print what the triage panel would show: red flags, today's guidance, what the "
        "pain often resembles, the six load patterns, the plan and its review. Not "
        "medical advice.",
    )
    triage.add_argument(
        "--journal",
        dest="command_journal",
        metavar="PATH",
        type=Path,
        help="the journal to read (default: yours)",
    )
    triage.add_argument(
        "--today",
        type=dt.date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="the day to look from (default: the computer's date)",
    )
    triage.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text for people (default), or one JSON object",
    )
    imports = add_command(
        "import",
        help="import runs from watch files (GPX, TCX, FIT), folders of them, or a whole Strava "
        "or Garmin Connect export",
        description="Import runs from GPX, TCX and FIT files, or from folders of them (searched "
        "with their sub-folders), or a whole Strava or Garmin Connect export (its zip, or the "
        "folder it unpacks to). Each file is imported whole or not at all; a file "
        "already in the journal is skipped. The exit status is 1 only when nothing "
        "could be imported and some file was rejected: files already imported, or not "
        "runs, are not errors, and a batch where some files imported says which did not.",
    )
    imports.add_argument(
        "files", nargs="+", type=Path, metavar="FILE", help="files, folders or export zips"
    )
    imports.add_argument(
        "--journal",
        dest="command_journal",
        metavar="PATH",
        type=Path,
        help="the journal to import into (default: yours; created if missing)",
    )
    imports.add_argument(
        "--cross-training",
        action="store_true",
        help="also import rides, swims and other sports, as cross-training",
    )
    return parser.parse_args(argv)


def write_demo(path: Path, years: float = 0.5, seed: int = 7) -> Path:
    from .demo import demo_journal
    from .store import Store

    if path.exists():
        raise FileExistsError(
            f"{path} already exists; kneelog will not overwrite it. Choose a new name."
        )
    with Store.open(path) as store:
        store.add_journal(demo_journal(years=years, seed=seed))
    return path


def main(argv: list[str] | None = None) -> int:
    # The journal, its backups, exports, the log and the settings hold health notes: whatever
    # kneelog creates, Qt's settings file and the folders above them included, is the runner's
    # alone (0600 files, 0700 folders).
    os.umask(0o077)
    qt_args, argv = split_qt_arguments(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    log_path = start_logging()
    log.info("kneelog %s on Python %s, %s", __version__, sys.version.split()[0], system())
    sys.excepthook = crashes = CrashReport(log_path, dialog=not args.smoke)
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
    if args.command in FILE_COMMANDS:
        journal = args.command_journal or args.journal or default_journal()
        return FILE_COMMANDS[args.command](args, journal)
    if args.demo:
        path = write_demo(Path(tempfile.mkdtemp(prefix="kneelog-demo-")) / "demo.db")
    else:
        path = args.journal  # None: the one opened last, else the default (see run_window)
    return run_window(
        path,
        smoke=args.smoke,
        full_smoke=args.smoke and args.demo,
        crashes=crashes,
        qt_args=qt_args,
    )


def _existing_store(journal: Path):
    """The journal at `journal`, opened; never creates one where there was none."""
    from .store import JournalError

    if not journal.exists():
        raise JournalError(f"There is no journal at {journal}.")
    return _open(journal)


def _open(journal: Path):
    """Store.open, and what it repaired on the way (an interrupted restore) told on stderr."""
    from .store import Store

    store = Store.open(journal)
    if store.notice:
        print(f"kneelog: {store.notice}", file=sys.stderr)
    return store


def _fail(error: Exception) -> int:
    log.warning("%s", error)
    print(f"kneelog: {error}", file=sys.stderr)
    return 1


def export_command(args: argparse.Namespace, journal: Path) -> int:
    """`kneelog export`: the journal to CSV or JSON, no window."""
    from .export import export
    from .store import JournalError

    try:
        with _existing_store(journal) as store:
            print(export(store, args.output, args.format))
    except (JournalError, OSError) as error:
        return _fail(error)
    return 0


def load_command(args: argparse.Namespace, journal: Path) -> int:
    """`kneelog load`: a JSON export into an empty (or new) journal; a refusal writes nothing."""
    from .export import load_export, load_new_journal, read_export
    from .store import JournalError

    try:
        data = read_export(args.export_file)  # before any journal file is made or opened
        if journal.exists():
            with _open(journal) as store:
                loaded = load_export(store, data)
        else:
            loaded = load_new_journal(journal, data)
    except (JournalError, OSError) as error:
        return _fail(error)
    print(f"Loaded {loaded.get('entries', 0):,} entries and everything else into {journal}.")
    return 0


def check_command(args: argparse.Namespace, journal: Path) -> int:
    """`kneelog check`: integrity and links, read-only, in plain words."""
    from .checks import check_journal

    result = check_journal(journal)
    for detail in result.details:
        log.warning("Check of %s: %s", journal, detail)
    print(result.summary, file=sys.stdout if result.ok else sys.stderr)
    return 0 if result.ok else 1


def backups_command(args: argparse.Namespace, journal: Path) -> int:
    """`kneelog backups`: list them, newest first, with their entry counts."""
    from . import backups
    from .store import JournalError

    if args.now:
        try:
            with _existing_store(journal) as store:
                backups.back_up(store.conn, journal)
        except (JournalError, OSError) as error:
            return _fail(error)
    found = backups.list_backups(journal)
    if not found:
        print(f"There are no backups of {journal} yet.")
        return 0
    print(f"Backups of {journal}, newest first, in {backups.folder_of(journal)}:")
    for backup in found:
        count = backups.entry_count(backup)
        entries = "cannot be read" if count is None else f"{count:,} entries"
        print(f"  {backup.describe()}: {entries}  ({backup.path.name})")
    return 0


def import_command(args: argparse.Namespace, journal: Path) -> int:
    """`kneelog import`: one line per file, then the total. No window and no Qt."""
    from .importing import Outcome, find_files, import_files
    from .store import JournalError

    def show(result) -> None:
        if result.outcome is Outcome.NOT_ACTIVITY:
            return  # an export's watch settings and daily data: counted in the total only
        print(f"{result.outcome.value:>10}  {result.path}: {result.message}", flush=True)

    try:
        store = _open(journal)
    except (JournalError, OSError) as error:
        return _fail(error)
    files, problems = find_files(args.files)  # folders listed first: their problems come first
    for problem in problems:
        show(problem)
    with store:
        report = import_files(
            store,
            files,
            cross_training=args.cross_training,
            progress=lambda done, total, result: show(result),
        )
    report.results[:0] = problems
    print(report.summary())
    if report.of(Outcome.NOT_A_RUN):
        print(
            "To import the activities that are not runs as cross-training, run the same command "
            "with --cross-training."
        )
    log.info("Imported into %s: %s", journal, report.summary())
    return 1 if not report.entries and report.of(Outcome.REJECTED) else 0


def triage_command(args: argparse.Namespace, journal: Path) -> int:
    """`kneelog triage`: what the panel would show on a day, as text or JSON."""
    import json
    import sqlite3

    from .store import JournalError, Store
    from .triage import assess_journal
    from .triage_output import as_json, describe

    today = args.today or dt.date.today()
    try:
        if not journal.exists():
            raise JournalError(f"There is no journal at {journal}.")
        with Store.open_to_read(journal) as store:
            result = assess_journal(store, today)
    except (JournalError, OSError, sqlite3.Error):
        return check_command(args, journal) or 1  # the same words and exit code as `kneelog check`
    if args.format == "json":
        print(json.dumps(as_json(result, today), ensure_ascii=False, indent=2))
    else:
        print(describe(result, today))
    return 0


# The commands that work on one journal file: `--journal PATH` after the command, or before it.
FILE_COMMANDS = {
    "export": export_command,
    "load": load_command,
    "check": check_command,
    "backups": backups_command,
    "import": import_command,
    "triage": triage_command,
}


def write_summary(args: argparse.Namespace) -> int:
    """`kneelog summary`: no window and no display needed."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    from .model import Period
    from .report import last_weeks
    from .store import JournalError, Store

    today = dt.date.today()
    period = last_weeks(args.weeks, today)
    if args.first or args.last:
        period = Period(args.first or period.first, args.last or today)
    if args.weeks < 1 or period.first > period.last:
        print(
            "kneelog: the period is empty: --weeks must be 1 or more and --from before --to.",
            file=sys.stderr,
        )
        return 2
    journal = args.summary_journal or args.journal or default_journal()
    if not journal.exists():  # opening it would create an empty journal there
        print(f"kneelog: there is no journal at {journal}.", file=sys.stderr)
        return 1
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 fonts need it
    try:
        with Store.open_to_read(journal) as store:
            pages = summary_pdf(store, args.output, period, today, args.questions, args.paper)
    except JournalError as error:
        log.warning("No summary from %s: %s", journal, error)
        print(f"kneelog: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        from .files import why

        log.warning("No summary written to %s: %s", args.output, error)
        print(
            f"kneelog: could not write {args.output}: {why(error)}. Nothing was changed there.",
            file=sys.stderr,
        )
        return 1
    print(wrote_summary(args.output, pages, period))
    return 0


def summary_pdf(
    store, output: Path, period, today: dt.date, questions: str = "", paper: str = "a4"
) -> int:
    """Write the physio summary of `period` in the open journal to `output`; return its pages."""
    from .report import build_summary, needed
    from .triage import summary_triage
    from .ui.report_render import write_pdf

    summary = build_summary(
        store.entries(needed(period)),
        store.shoes(),
        store.settings(),
        period,
        today,
        questions,
        triage=summary_triage(store, period, today),
        shoe_use=store.shoe_use(),
    )
    pages = write_pdf(summary, output, paper)
    log.info("Wrote a %d-page summary to %s", pages, output)
    return pages


def wrote_summary(output: Path, pages: int, period) -> str:
    return (
        f"Wrote {output} ({pages} page{'s' if pages != 1 else ''}, "
        f"{period.first:%d %b %Y} to {period.last:%d %b %Y})."
    )


def run_window(
    path: Path | None,
    smoke: bool = False,
    full_smoke: bool = False,
    crashes: CrashReport | None = None,
    ask: bool | None = None,
    qt_args: list[str] | None = None,
) -> int:
    """The main window on the journal at `path`. `ask`: whether a journal that cannot be opened
    may be explained in a dialog (and a damaged one offered recovery); by default only when a
    runner can click, that is not under `--smoke` nor without a display, where kneelog prints
    why and returns 1 instead. `qt_args`: Qt's own options from the command line (-style...)."""
    # No garbage collection until the first paint: start-up makes modules, classes and widgets
    # that live on, and looking through them some 60 times for garbage took 10-15 ms.
    gc.disable()
    try:
        return _run_window(path, smoke, full_smoke, crashes, ask, qt_args)
    finally:
        gc.enable()


def _collect_from_now_on() -> None:
    """Garbage collection again, leaving out what start-up made: a full collection through
    those 90,000 objects takes some 20 ms, a frame's hitch whenever Python chooses to run one;
    frozen, they are not looked at again."""
    gc.freeze()
    gc.enable()


def _run_window(
    path: Path | None,
    smoke: bool,
    full_smoke: bool,
    crashes: CrashReport | None,
    ask: bool | None,
    qt_args: list[str] | None,
) -> int:
    # The Qt-free core first: once PySide6 is loaded, every import statement goes through its
    # hook (3 ms of start-up for these, bench_startup).
    from .content import resource_bytes
    from .store import JournalDamaged, JournalError, Store

    icon_svg = resource_bytes("kneelog.svg")
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QGuiApplication, QIcon, QPixmap
    from PySide6.QtWidgets import QApplication, QMessageBox

    skip_pyside_source_scan()
    app = QApplication.instance() or QApplication(sys.argv[:1] + (qt_args or []))
    app.setApplicationName("kneelog")
    app.setApplicationVersion(__version__)
    QGuiApplication.setDesktopFileName(APP_ID)
    icon = QPixmap()
    icon.loadFromData(icon_svg)
    app.setWindowIcon(QIcon(icon))
    from .ui import journal_files
    from .ui.instances import JournalLock

    settings = QSettings("kneelog", "kneelog")
    if path is None:
        path = (
            None
            if os.environ.get("KNEELOG_DATA_DIR")
            else journal_files.remembered_journal(settings)
        ) or default_journal()
    if ask is None:
        ask = not smoke and has_display(app)
    # Before the journal is opened, so that a second kneelog writes nothing; the socket it
    # would knock on opens after the first paint.
    lock = JournalLock(path)
    if not lock.acquire(listen=False):
        return already_open(lock, ask)
    recovered = None
    try:
        store = Store.open(path)
    except (JournalError, OSError) as error:
        log.warning("Cannot open %s: %s", path, error)
        print(f"kneelog: {error}", file=sys.stderr)
        recovery = None
        if ask and not isinstance(error, JournalDamaged):  # only a damaged journal has a recovery
            QMessageBox.critical(None, "kneelog cannot open this journal", str(error))
        elif ask:
            from .ui.backup_dialogs import recover

            recovery = recover(path)
        if recovery is None:
            lock.release()
            return 1
        store, recovered = recovery
    said = recovered or store.notice  # a restore cut short, an empty new journal: never silent
    if said:
        print(f"kneelog: {said}", file=sys.stderr)
    log.info("Opened %s (%d entries)", store.path, store.count())

    from .ui.main_window import MainWindow

    window = MainWindow(store, settings)
    window.journal_files.hold(lock)
    window.show()
    if said:
        window.statusBar().showMessage(said, 60_000)
    # After the first paint: the backup must not hold up the window.
    journal_files.after_first_paint(window, window.journal_files.back_up_at_start)
    journal_files.after_first_paint(window, lock.listen)
    journal_files.after_first_paint(window, _collect_from_now_on)
    if os.environ.get(FIRST_PAINT_ENV):
        report_first_paint(app, window)
    try:
        if smoke:
            return smoke_test(app, window, full_smoke, crashes)
        return app.exec()
    finally:
        window.store.close()  # the one open now: "Open another journal" may have changed it
        store.close()
        window.journal_files.lock.release()  # the one held now, as for the store
        lock.release()


def skip_pyside_source_scan() -> None:
    """PySide6 reads the whole source of every module imported after it, to find the ones that
    say `from __feature__ import ...`; kneelog and its libraries never do, and the reading took
    8 ms of every start-up (bench_startup). Each module is taken as one that may use features,
    the same as PySide6 takes a module it has not read. A PySide6 without this hook is left
    as it is."""
    feature = sys.modules.get("shibokensupport.feature")
    if callable(getattr(feature, "_mod_uses_pyside", None)):
        feature._mod_uses_pyside = lambda module: True  # type: ignore[union-attr]


def report_first_paint(app, window) -> None:
    """For bench/bench_startup.py: when the window's first paint is done (the event loop is
    back, the runner sees the window), print "painted", the peak memory so far (KiB, Unix) and
    the processor time used (seconds), then quit. Installed last, it runs before the work that waits for the first paint."""
    from .ui.journal_files import after_first_paint

    def painted() -> None:
        try:
            import resource

            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            peak //= 1024 if sys.platform == "darwin" else 1  # macOS counts bytes, Linux KiB
        except ImportError:  # Windows
            peak = 0
        print(f"painted {peak} {time.process_time():.4f}", flush=True)
        app.quit()

    after_first_paint(window, painted, at_the_latest_ms=60_000)


def already_open(lock, ask: bool) -> int:
    """A kneelog window has this journal open: offer to bring it forward (only where a runner
    can click: never with --smoke or without a display), and end this kneelog without touching
    the journal."""
    from .ui.instances import offer_the_open_window

    print(
        f"kneelog: {lock.journal} is already open in another kneelog window ({lock.holder()}).",
        file=sys.stderr,
    )
    log.info("%s is already open in another kneelog (%s)", lock.journal, lock.holder())
    if ask:
        offer_the_open_window(lock).exec()
    return 1


def smoke_test(app, window, full: bool, crashes: CrashReport | None) -> int:
    """`--smoke`: draw the window once. `full` (with --demo): then draw the Charts tab and write
    a summary PDF to a temporary folder. An exception anywhere, Qt slots included, fails it."""
    store = window.store
    app.processEvents()
    window.grab()
    print(f"kneelog works: {store.path} opened with {store.count()} entries.")
    if full:
        from .report import last_weeks

        window.tabs.setCurrentIndex(2)
        app.processEvents()
        image = window.grab().toImage()
        if window.charts is None or not window.charts.isVisible():
            print("kneelog: the Charts tab did not open.", file=sys.stderr)
            return 1
        print(f"Drew the Charts tab ({image.width()}x{image.height()}).")
        today = dt.date.today()
        period = last_weeks(6, today)
        output = Path(tempfile.mkdtemp(prefix="kneelog-smoke-")) / "summary.pdf"
        print(wrote_summary(output, summary_pdf(store, output, period, today), period))
    window.close()  # as the runner would: the window's settings are saved
    if crashes is not None and crashes.count:
        where = f"; see {crashes.log_path}" if crashes.log_path else ""
        print(f"kneelog: {crashes.count} uncaught exception(s){where}.", file=sys.stderr)
        return 1
    return 0
