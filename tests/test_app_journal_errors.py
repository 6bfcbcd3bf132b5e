"""At start-up and on the command line, a journal kneelog cannot open is explained in words
that are true, and nothing waits for a click that no one can give: `--smoke`, and any run
without a display, prints the reason and exits non-zero."""

from __future__ import annotations

import os
import resource
import signal
import sqlite3
import stat
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from factories import folder_state
from kneelog import app
from kneelog.demo import demo_journal
from kneelog.store import Store

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def journal_bytes(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("whole") / "journal.db"
    with Store.open(path) as store:
        store.add_journal(demo_journal(years=1, seed=9))
    return path.read_bytes()


@pytest.fixture
def modals(qapp):
    """Every modal dialog that opens is noted and closed at once, so none can block a test."""
    seen = []

    def close_any() -> None:
        modal = QApplication.activeModalWidget()
        if modal is not None:
            seen.append(modal.windowTitle())
            modal.close()

    timer = QTimer()
    timer.timeout.connect(close_any)
    timer.start(20)
    yield seen
    timer.stop()


def text_file(folder: Path, _: bytes) -> Path:
    path = folder / "notes.db"
    path.write_text("Monday: 8 km easy\n" * 40)
    return path


def empty_file(folder: Path, _: bytes) -> Path:
    path = folder / "journal.db"
    path.touch()
    return path


def foreign_database(folder: Path, _: bytes) -> Path:
    path = folder / "contacts.db"
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE contacts (name TEXT)")
    return path


def empty_foreign_database(folder: Path, _: bytes) -> Path:
    path = folder / "other.db"
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA user_version = 1")
    return path


def damaged_journal(folder: Path, data: bytes) -> Path:
    path = folder / "journal.db"
    start = len(data) // 2 // 4096 * 4096
    path.write_bytes(data[:start] + bytes(3 * 4096) + data[start + 3 * 4096 :])
    return path


def newer_journal(folder: Path, data: bytes) -> Path:
    path = folder / "journal.db"
    path.write_bytes(data)
    with closing(sqlite3.connect(path)) as conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('kneelog', 'm999_future', '2031-01-01')"
        )
        conn.commit()
    return path


def newer_journal_without_migrations(folder: Path, data: bytes) -> Path:
    path = folder / "journal.db"
    path.write_bytes(data)
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("DROP TABLE _sqlite_migrations")
        conn.commit()
    return path


REFUSED = {  # how each is made, and words its message must have
    text_file: "not a kneelog journal",
    empty_file: "empty",
    foreign_database: "not a kneelog journal",
    empty_foreign_database: "not a kneelog journal",
    damaged_journal: "damaged",
    newer_journal: "newer version",
    newer_journal_without_migrations: "newer version",
}


@pytest.mark.parametrize("make", list(REFUSED), ids=lambda f: f.__name__)
def test_smoke_prints_why_a_journal_is_refused_and_never_waits_for_a_click(
    make, tmp_path, journal_bytes, modals, capsys
):
    path = make(tmp_path, journal_bytes)
    before = folder_state(tmp_path)
    assert app.run_window(path, smoke=True) == 1
    assert modals == [], "no dialog opened"
    err = capsys.readouterr().err
    assert REFUSED[make] in err, err
    assert folder_state(tmp_path) == before, "a refused file is never written, nor renamed"


def test_without_a_display_the_window_prints_and_exits(
    tmp_path, journal_bytes, modals, capsys, monkeypatch
):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    path = damaged_journal(tmp_path, journal_bytes)
    before = folder_state(tmp_path)
    assert app.main(["--journal", str(path)]) == 1  # offscreen: no one to click
    assert modals == []
    assert "damaged" in capsys.readouterr().err
    assert folder_state(tmp_path) == before


def full_disk(limit: int):
    def limit_file_size() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return limit_file_size


def test_a_full_disk_at_start_up_is_said_and_renames_nothing(tmp_path, journal_bytes):
    """The recovery dialog once opened here, and its only offer renamed the journal away."""
    journal = tmp_path / "data" / "journal.db"
    journal.parent.mkdir()
    journal.write_bytes(journal_bytes)
    before = folder_state(journal.parent)
    result = subprocess.run(
        [sys.executable, "-m", "kneelog"],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=full_disk(16_000),
        env={
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "KNEELOG_DATA_DIR": str(journal.parent),
            "KNEELOG_STATE_DIR": str(tmp_path / "state"),
            "PYTHONDONTWRITEBYTECODE": "1",
        },
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "full" in result.stderr and "damaged" not in result.stderr, result.stderr
    assert folder_state(journal.parent) == before


def test_check_calls_a_text_file_not_a_journal_and_an_empty_file_empty(
    tmp_path, capsys, monkeypatch
):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    text = text_file(tmp_path, b"")
    assert app.main(["check", "--journal", str(text)]) == 1
    err = capsys.readouterr().err
    assert "not a kneelog journal" in err
    assert "damaged" not in err and "restore it from a backup" not in err.lower()
    empty = empty_file(tmp_path, b"")
    assert app.main(["check", "--journal", str(empty)]) == 1
    err = capsys.readouterr().err
    assert "empty" in err and "damaged" not in err


def test_everything_kneelog_creates_is_private_parents_included(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "kneelog", "--smoke"],
        capture_output=True,
        text=True,
        timeout=60,
        env={
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "XDG_CONFIG_HOME": str(home / "config"),
            "KNEELOG_DATA_DIR": str(home / "data" / "kneelog"),
            "KNEELOG_STATE_DIR": str(home / "state" / "kneelog"),
        },
    )
    assert result.returncode == 0, result.stderr
    made = sorted(home.rglob("*"))
    assert home / "config" / "kneelog" / "kneelog.conf" in made
    assert home / "data" / "kneelog" / "journal.db" in made
    loose = [
        f"{p.relative_to(home)} {stat.S_IMODE(p.stat().st_mode):o}"
        for p in made
        if stat.S_IMODE(p.stat().st_mode) != (0o700 if p.is_dir() else 0o600)
    ]
    assert loose == []
