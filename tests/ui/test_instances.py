"""A second kneelog on a journal that a window has open: found, and offered that window."""

import datetime as dt
import hashlib
import os
import signal
import subprocess
import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from conftest import show_active
from kneelog.store import Store
from kneelog.ui.instances import JournalLock, bring_forward, lock_path, offer_the_open_window

NOW = dt.datetime(2026, 11, 21, 8, 15)
# Another kneelog holding the lock, in a process of its own, until it is killed.
HOLDER = """
import sys
from pathlib import Path
from PySide6.QtCore import QCoreApplication
from kneelog.ui.instances import JournalLock
app = QCoreApplication([])
lock = JournalLock(Path(sys.argv[1]))
print("held" if lock.acquire() else "refused", flush=True)
app.exec()
"""


@pytest.fixture
def lock(qapp, journal_path):
    held = JournalLock(journal_path)
    assert held.acquire()
    yield held
    held.release()


def test_a_second_kneelog_brings_the_open_window_forward(qtbot, lock, open_window, journal_path):
    window = open_window()
    store = window.store
    lock.raise_requested.connect(lambda: bring_forward(window))
    in_front = QWidget()  # the runner has been using another window since
    qtbot.addWidget(in_front)
    show_active(qtbot, in_front)
    assert not window.isActiveWindow()

    second = JournalLock(journal_path)
    assert not second.acquire(), "the journal is open in a window already"
    box = offer_the_open_window(second)
    qtbot.addWidget(box)
    box.show()
    qtbot.waitExposed(box)
    assert "already open in another kneelog window" in box.text()
    forward = next(b for b in box.buttons() if b.text() == "Bring that window forward")
    with qtbot.waitSignal(lock.raise_requested, timeout=3000):
        qtbot.mouseClick(forward, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    store.close()


def test_a_lock_taken_before_the_first_paint_answers_once_it_listens(qtbot, journal_path):
    held = JournalLock(journal_path)
    assert held.acquire(listen=False)
    try:
        second = JournalLock(journal_path)
        assert not second.acquire(), "the journal is held before anyone can knock"
        assert not second.ask_to_raise(), "nobody answers yet: the window is still starting"
        held.listen()
        with qtbot.waitSignal(held.raise_requested, timeout=3000):
            assert second.ask_to_raise()
    finally:
        held.release()


def test_another_journal_is_not_held(qapp, lock, tmp_path):
    other = JournalLock(tmp_path / "other" / "journal.db")
    assert other.acquire()
    other.release()


def test_the_lock_is_private_and_let_go_when_the_window_closes(qapp, lock, journal_path):
    assert oct(os.stat(lock_path(journal_path)).st_mode & 0o777) == "0o600"
    lock.release()
    again = JournalLock(journal_path)
    assert again.acquire()
    again.release()


def test_a_kneelog_in_another_process_holds_the_journal_until_it_is_killed(qapp, journal_path):
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(journal_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline() == "held\n", holder.stderr.read()
        assert not JournalLock(journal_path).acquire()
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.communicate()
    # Its lock file is still there, but its kneelog is gone: the lock is taken over.
    assert lock_path(journal_path).exists()
    after = JournalLock(journal_path)
    assert after.acquire()
    after.release()


def test_kneelog_on_an_open_journal_says_so_and_leaves_it_alone(lock, journal_path):
    with Store.open(journal_path):
        pass
    files = sorted(journal_path.parent.iterdir())
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}
    done = subprocess.run(
        [sys.executable, "-m", "kneelog", "--smoke", "--journal", str(journal_path)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 1
    assert "is already open in another kneelog window" in done.stderr
    after = {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(journal_path.parent.iterdir())
    }
    assert after == before


def test_opening_another_journal_moves_the_lock_and_respects_another_windows(
    qtbot, lock, journal_path, tmp_path, monkeypatch, open_window
):
    from kneelog.ui import journal_files

    window = open_window()
    store = window.store
    window.journal_files.hold(lock)
    other_path = tmp_path / "other" / "journal.db"
    with Store.open(other_path):
        pass
    elsewhere = JournalLock(other_path)  # another kneelog window has it open
    assert elsewhere.acquire()
    monkeypatch.setattr(journal_files, "ask_open_path", lambda *args: other_path)

    qtbot.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    assert "already open in another kneelog window" in window.journal_files.message.text()
    assert window.store is store, "the journal shown stays"
    window.journal_files.message.done(0)

    elsewhere.release()
    qtbot.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    assert window.store.path == other_path
    assert not JournalLock(other_path).acquire(), "this window holds the journal it shows"
    first_again = JournalLock(journal_path)
    assert first_again.acquire(), "and no longer the one it showed before"
    first_again.release()
    window.journal_files.lock.release()
    window.store.close()


def test_a_folder_where_no_lock_can_be_made_is_left_to_the_journal_to_refuse(qapp, tmp_path):
    locked = tmp_path / "read-only"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("running as a user who can write anywhere")
        assert JournalLock(locked / "journal.db").acquire()
        assert JournalLock(locked / "sub" / "journal.db").acquire()
    finally:
        locked.chmod(0o700)
