"""The command line and the composition root."""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from kneelog import __version__, app
from kneelog.store import Store


def run_cli(*args, **env):
    return subprocess.run(
        [sys.executable, "-m", "kneelog", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **env},
    )


def test_version_and_help_need_no_window():
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"kneelog {__version__}"
    result = run_cli("--help")
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    for words in ("--journal", "--demo", "demo", "never uses the network"):
        assert words in text


LINES = (
    [],
    ["--journal", "j.db"],
    ["--journal=j.db", "--smoke"],
    ["--demo"],
    ["--journal", "demo"],  # a journal named like a command
    ["demo", "out.db", "--years", "2"],
    ["--journal", "j.db", "summary", "-o", "s.pdf", "--weeks", "4"],
    ["import", "a.gpx", "b.fit", "--cross-training"],
    ["triage", "--today", "2026-11-21", "--format", "json"],
    ["backups", "--now"],
)


@pytest.mark.parametrize("line", LINES, ids=" ".join)
def test_a_command_line_reads_the_same_whether_or_not_every_command_is_made(line, monkeypatch):
    """The window's own lines make none of the commands' parsers (a start-up saving); what
    each line means must not change."""
    quick = app.parse_args(line)
    monkeypatch.setattr(app, "commands_needed", lambda argv: None)
    assert quick == app.parse_args(line)


@pytest.mark.parametrize(
    "line, said",
    [
        (["--help"], "import"),
        (["--journal", "j.db", "--help"], "summary"),
        (["frobnicate"], "invalid choice: 'frobnicate' (choose from 'demo', 'summary'"),
        (["--journal"], "expected one argument"),
        (["import"], "the following arguments are required: FILE"),
    ],
)
def test_help_and_mistakes_on_the_command_line_say_everything(line, said, capsys):
    with pytest.raises(SystemExit):
        app.parse_args(line)
    out = capsys.readouterr()
    assert said in " ".join((out.out + out.err).split())


def test_the_start_up_benchmark_switch_says_when_the_window_painted_and_quits(tmp_path):
    journal = app.write_demo(tmp_path / "journal.db")
    before = journal.read_bytes()
    env = {
        "KNEELOG_BENCH_FIRST_PAINT": "1",
        "KNEELOG_STATE_DIR": str(tmp_path / "state"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    result = run_cli("--journal", str(journal), **env)
    assert result.returncode == 0, result.stderr
    word, peak_kib, processor_s = result.stdout.split()
    assert word == "painted" and int(peak_kib) > 10_000 and 0 < float(processor_s) < 60
    assert journal.read_bytes() == before, "quitting at the first paint writes nothing"
    again = run_cli("--journal", str(journal), **env)
    assert again.returncode == 0 and again.stdout.startswith("painted"), "the lock was let go"


def test_demo_command_writes_a_journal_and_refuses_to_overwrite(tmp_path):
    path = tmp_path / "try.db"
    result = run_cli("demo", str(path), "--years", "1")
    assert result.returncode == 0, result.stderr
    with Store.open(path) as store:
        entries = store.entries()
        assert len(entries) > 100
        assert (entries[0].started - entries[-1].started).days > 330
        assert store.settings().runner_name
    before = path.read_bytes()
    result = run_cli("demo", str(path))
    assert result.returncode == 1
    assert "will not overwrite" in result.stderr
    assert "Traceback" not in result.stderr
    assert path.read_bytes() == before


def test_default_journal_follows_the_data_dir_override(monkeypatch, tmp_path):
    monkeypatch.setenv("KNEELOG_DATA_DIR", str(tmp_path / "mine"))
    assert app.default_journal() == tmp_path / "mine" / "journal.db"
    monkeypatch.delenv("KNEELOG_DATA_DIR")
    assert app.default_journal().name == "journal.db"
    assert "kneelog" in str(app.default_journal())


def test_the_app_opens_the_default_journal_and_creates_it(tmp_path):
    result = run_cli("--smoke", KNEELOG_DATA_DIR=str(tmp_path / "data"))
    assert result.returncode == 0, result.stderr
    journal = tmp_path / "data" / "journal.db"
    assert f"{journal} opened with 0 entries" in result.stdout
    assert journal.stat().st_mode & 0o777 == 0o600


def test_demo_smoke_draws_the_charts_and_writes_a_summary_leaving_the_default_alone(tmp_path):
    result = run_cli("--demo", "--smoke", KNEELOG_DATA_DIR=str(tmp_path / "data"))
    assert result.returncode == 0, result.stderr
    opened, charts, wrote = result.stdout.splitlines()
    assert "demo" in opened
    assert int(opened.split(" with ")[1].split()[0]) > 50
    assert charts.startswith("Drew the Charts tab (")
    assert wrote.startswith("Wrote ") and " pages, " in wrote
    pdf = Path(wrote.removeprefix("Wrote ").split(" (")[0])
    assert pdf.name == "summary.pdf" and pdf.parent.name.startswith("kneelog-smoke-")
    assert "Knee summary for" in pdf_words(pdf)
    assert not (tmp_path / "data").exists()


def test_a_file_that_is_not_a_journal_gets_a_message_not_a_traceback(
    qapp, monkeypatch, tmp_path, capsys
):
    monkeypatch.setattr(
        app, "has_display", lambda qapp: True
    )  # else no dialog: see test_app_journal_errors
    path = tmp_path / "notes.txt"
    path.write_text("my running notes")
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *args: shown.append(args))
    assert app.main(["--journal", str(path)]) == 1
    assert "not a kneelog journal" in shown[0][2]
    assert "not a kneelog journal" in capsys.readouterr().err
    assert path.read_text() == "my running notes"


def pdf_words(path) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(path).pages)


def test_summary_command_writes_the_pdf_for_the_last_weeks(tmp_path):
    import datetime as dt

    from pypdf import PdfReader

    from factories import make_run
    from kneelog.model import Settings

    journal, output = tmp_path / "journal.db", tmp_path / "for the physio.pdf"
    today = dt.date.today()
    with Store.open(journal) as store:
        store.save_settings(Settings(runner_name="Maren Okafor"))
        for days_ago, km in ((1, 6.0), (8, 7.5), (15, 9.0), (70, 30.0)):  # the last one is too old
            started = dt.datetime.combine(today - dt.timedelta(days=days_ago), dt.time(7, 0))
            store.save_entry(make_run(started=started, distance_km=km), today=today)
    result = run_cli(
        "summary",
        "--journal",
        str(journal),
        "--weeks",
        "6",
        "--output",
        str(output),
        "--questions",
        "Is 22 km a week enough?",
    )
    assert result.returncode == 0, result.stderr
    pages = len(PdfReader(output).pages)
    assert f"Wrote {output} ({pages} pages, " in result.stdout
    text = pdf_words(output)
    assert "Knee summary for Maren Okafor" in text
    assert "3 runs, 22.5 km" in text  # 6 + 7.5 + 9
    assert "Is 22 km a week enough?" in text
    assert output.stat().st_mode & 0o777 == 0o600


def test_summary_command_leaves_out_what_only_the_window_needs(tmp_path):
    """numpy and sqlite-utils (with click, dateutil, pluggy) take longer to import than the
    summary takes to compute: a journal opened to read does without them."""
    journal = tmp_path / "journal.db"
    assert run_cli("demo", str(journal), "--years", "1").returncode == 0
    code = (
        "import sys; from kneelog import app; "
        f"code = app.main(['summary', '--journal', {str(journal)!r}, '-o', {str(tmp_path / 's.pdf')!r}]); "
        "print(code, sorted({m.split('.')[0] for m in sys.modules} & {'numpy', 'sqlite_utils', 'click'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.stdout.split("\n")[-2] == "0 []", result.stdout + result.stderr


def test_summary_command_refuses_a_bad_period_or_journal(tmp_path):
    output = tmp_path / "summary.pdf"
    result = run_cli("summary", "--from", "2026-01-01", "--to", "2025-01-01", "-o", str(output))
    assert result.returncode == 2
    assert "kneelog: the period is empty" in result.stderr and "--from before --to" in result.stderr
    assert "Traceback" not in result.stderr

    notes = tmp_path / "notes.txt"
    notes.write_text("my running notes")
    result = run_cli("summary", "--journal", str(notes), "-o", str(output))
    assert result.returncode == 1
    assert "not a kneelog journal" in result.stderr and "Traceback" not in result.stderr
    assert notes.read_text() == "my running notes"

    typo = tmp_path / "jornal.db"
    result = run_cli("summary", "--journal", str(typo), "-o", str(output))
    assert result.returncode == 1
    assert f"there is no journal at {typo}" in result.stderr and "Traceback" not in result.stderr
    assert not typo.exists(), "a summary does not create a journal"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_summary_command_reads_the_journal_given_before_the_command(tmp_path):
    from kneelog.model import Settings

    journal, output = tmp_path / "mine.db", tmp_path / "summary.pdf"
    with Store.open(journal) as store:
        store.save_settings(Settings(runner_name="Only In This Journal"))
    result = run_cli(
        "--journal",
        str(journal),
        "summary",
        "-o",
        str(output),
        KNEELOG_DATA_DIR=str(tmp_path / "default"),
    )
    assert result.returncode == 0, result.stderr
    assert "(1 page, " in result.stdout
    assert "Knee summary for Only In This Journal" in pdf_words(output)
    assert not (tmp_path / "default").exists()


def test_the_log_goes_to_the_state_dir_or_beside_a_data_dir_override(monkeypatch, tmp_path):
    monkeypatch.setenv("KNEELOG_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("KNEELOG_DATA_DIR", str(tmp_path / "data"))
    assert app.state_dir() == tmp_path / "state"
    monkeypatch.delenv("KNEELOG_STATE_DIR")
    assert app.state_dir() == tmp_path / "data"
    monkeypatch.delenv("KNEELOG_DATA_DIR")
    assert app.state_dir().name == "kneelog"
    assert app.state_dir() != app.default_journal().parent or sys.platform != "linux"


@pytest.fixture
def log_file(tmp_path):
    path = app.start_logging(tmp_path / "state")
    yield path
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, app._PrivateLogFile)]:
        root.removeHandler(handler)
        handler.close()


def test_the_log_is_private_and_starting_it_again_does_not_log_twice(log_file, tmp_path):
    assert log_file == tmp_path / "state" / "kneelog.log"
    again = app.start_logging(tmp_path / "state")
    assert again == log_file
    app.log.info("one line")
    assert log_file.read_text().count("one line") == 1
    assert log_file.stat().st_mode & 0o777 == 0o600
    assert log_file.parent.stat().st_mode & 0o777 == 0o700


def test_a_full_log_moves_aside_and_only_the_two_before_it_are_kept(
    log_file, tmp_path, monkeypatch
):
    monkeypatch.setattr(app, "LOG_MAX_BYTES", 300)
    for n in range(40):
        app.log.info("line %02d %s", n, "x" * 40)
    logs = sorted(p.name for p in log_file.parent.iterdir())
    assert logs == ["kneelog.log", "kneelog.log.1", "kneelog.log.2"]
    for name in logs:
        path = log_file.parent / name
        assert path.stat().st_size <= 300 + 200, f"{name} was cut at about the limit"
        assert path.stat().st_mode & 0o777 == 0o600
    newest = log_file.read_text()
    assert "line 39" in newest and "line 00" not in newest
    before = (log_file.parent / "kneelog.log.1").read_text()
    assert before and "line 39" not in before, "the full log moved aside whole, newest last"


def test_a_folder_that_cannot_hold_the_log_leaves_kneelog_without_one(tmp_path):
    (tmp_path / "state").write_text("a file where the folder should be")
    assert app.start_logging(tmp_path / "state") is None
    assert "without" not in app.CrashReport(None).message()
    assert "could not write a log" in app.CrashReport(None).message()


def raise_and_catch(error: Exception):
    try:
        raise error
    except Exception as caught:
        return type(caught), caught, caught.__traceback__


@pytest.fixture
def on_a_desktop(monkeypatch):
    """As if a runner could see and click dialogs (tests run offscreen, where kneelog shows none)."""
    monkeypatch.setattr(app, "has_display", lambda qapp: True)


def test_an_uncaught_exception_is_logged_with_its_traceback_and_explained(
    qapp, monkeypatch, log_file, on_a_desktop
):
    shown = []
    report = app.CrashReport(log_file)

    def critical(parent, title, text):
        shown.append((title, text))
        report(*raise_and_catch(ValueError("while the dialog is up")))  # logged, no second dialog

    monkeypatch.setattr(QMessageBox, "critical", critical)
    report(*raise_and_catch(RuntimeError("the knee drawing fell over")))
    assert len(shown) == 1 and report.count == 2
    title, text = shown[0]
    assert "problem" in title
    assert str(log_file) in text and "safe" in text
    written = log_file.read_text()
    assert "Traceback (most recent call last)" in written
    assert "RuntimeError: the knee drawing fell over" in written
    assert "in raise_and_catch" in written
    assert "ValueError: while the dialog is up" in written


def test_without_stderr_as_in_a_windowed_app_the_log_and_the_dialog_still_tell(
    qapp, monkeypatch, log_file, on_a_desktop
):
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    monkeypatch.setattr(sys, "stderr", None)
    app.CrashReport(log_file)(*raise_and_catch(OSError("disk gone")))
    assert len(shown) == 1 and str(log_file) in shown[0]
    assert "OSError: disk gone" in log_file.read_text()


# Runs kneelog's own main() with an exception raised inside a Qt slot once the event loop runs,
# and the dialog replaced by a line on stdout.
RAISE_IN_A_SLOT = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from kneelog import app

QMessageBox.critical = lambda parent, title, text: print("DIALOG:", " ".join(text.split()))
app.has_display = lambda qapp: True  # as on a desktop: offscreen, kneelog shows no dialogs
qapp = QApplication(sys.argv[:1])
def slot():
    raise RuntimeError("raised inside a slot")
QTimer.singleShot(0, slot)
QTimer.singleShot(300, qapp.quit)
raise SystemExit(app.main(sys.argv[1:]))
"""


def test_an_exception_in_a_qt_slot_is_logged_and_the_window_says_where(tmp_path):
    journal = tmp_path / "journal.db"
    result = subprocess.run(
        [sys.executable, "-c", RAISE_IN_A_SLOT, "--journal", str(journal)],
        capture_output=True,
        text=True,
        timeout=60,
        env={
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "KNEELOG_STATE_DIR": str(tmp_path / "state"),
        },
    )
    log = tmp_path / "state" / "kneelog.log"
    assert result.returncode == 0, result.stderr  # the runner carries on after the dialog
    assert "DIALOG: Something went wrong inside kneelog." in result.stdout
    assert str(log) in result.stdout
    written = log.read_text()
    assert "Uncaught exception" in written and "Traceback (most recent call last)" in written
    assert "in slot" in written and "RuntimeError: raised inside a slot" in written
    assert f"Opened {journal}" in written


def test_the_smoke_test_fails_on_an_exception_in_a_slot_without_a_dialog(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", RAISE_IN_A_SLOT, "--smoke", "--demo"],
        capture_output=True,
        text=True,
        timeout=60,
        env={
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "KNEELOG_STATE_DIR": str(tmp_path / "state"),
        },
    )
    assert result.returncode == 1
    assert "DIALOG" not in result.stdout
    log = tmp_path / "state" / "kneelog.log"
    assert f"1 uncaught exception(s); see {log}" in result.stderr
    assert "RuntimeError: raised inside a slot" in log.read_text()


def test_qt_options_reach_qt_instead_of_an_invalid_choice(tmp_path):
    data = {"KNEELOG_DATA_DIR": str(tmp_path / "data")}
    for qt_options in (
        ["-style", "Fusion"],
        ["-style=Fusion"],
        ["--style", "Fusion"],
        ["-reverse"],
        ["-qwindowgeometry", "800x600+10+10"],
        ["-qwindowtitle", "my knee"],
    ):
        result = run_cli(*qt_options, "--smoke", **data)
        assert result.returncode == 0, (qt_options, result.stderr)
        assert "invalid choice" not in result.stderr and "unrecognized" not in result.stderr
        assert result.stdout.startswith("kneelog works:")
    # Qt reads them: "-platform" wins over a platform that does not exist, and Qt itself
    # names a style it does not have.
    result = run_cli("-platform", "offscreen", "--smoke", QT_QPA_PLATFORM="nonesuch", **data)
    assert result.returncode == 0, result.stderr
    result = run_cli("--smoke", "-style", "nonesuch", **data)
    assert result.returncode == 0 and "nonesuch" in result.stderr


def test_qt_options_are_told_apart_from_kneelogs_own():
    assert app.split_qt_arguments(
        ["-style", "Fusion", "--journal", "j.db", "-reverse", "--platform=offscreen", "--demo"]
    ) == (["-style", "Fusion", "-reverse", "--platform=offscreen"], ["--journal", "j.db", "--demo"])
    # Words that only look like Qt's stay kneelog's: a file name, anything after "--".
    assert app.split_qt_arguments(["summary", "-o", "-reverse.pdf", "--", "-reverse"]) == (
        [],
        ["summary", "-o", "-reverse.pdf", "--", "-reverse"],
    )
