"""Shared fixtures. Qt runs offscreen: no test needs a display."""

from __future__ import annotations

import datetime as dt
import gc
import os
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Window settings, the default journal and the log of a test run never touch the real user's files.
_sandbox = tempfile.mkdtemp(prefix="kneelog-tests-")
os.environ["XDG_CONFIG_HOME"] = os.path.join(_sandbox, "config")
os.environ["KNEELOG_DATA_DIR"] = os.path.join(_sandbox, "data")
os.environ["KNEELOG_STATE_DIR"] = os.path.join(_sandbox, "state")

# The environment above is set before anything of kneelog's is imported.
import pytest  # noqa: E402

from factories import make_run  # noqa: E402, F401  (re-exported: `from conftest import make_run`)


@pytest.fixture(autouse=True)
def _free_garbage_on_the_main_thread(request):
    """Qt objects a Qt test leaves in reference cycles are freed after it, on the main thread.
    Left to the collector they would be freed in whatever thread next allocates (an import's
    worker, a kill test's reader), and a Qt object destroyed off its own thread can deadlock."""
    yield
    if "qapp" in request.fixturenames:
        gc.collect()


@pytest.fixture
def journal_path(tmp_path):
    return tmp_path / "journal" / "journal.db"


@pytest.fixture
def store(journal_path):
    from kneelog.store import Store

    s = Store.open(journal_path)
    yield s
    s.close()


def show_active(qtbot, widget) -> None:
    """Show a top-level widget and make it the active window, as a runner's click would.

    Keyboard shortcuts only reach the active window, and the offscreen platform does not
    activate a window on show by itself.
    """
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow, timeout=2000)


def show_window(qtbot, window) -> None:
    """Show the main window as at start-up, and wait for what it fills in after its first
    paint (the triage panel), so that no test closes the journal under it."""
    show_active(qtbot, window)
    qtbot.waitUntil(lambda: window.triage.shown is not None, timeout=3000)


NOW = dt.datetime(2026, 11, 21, 8, 15)  # a Saturday morning: the day the window tests live on


@pytest.fixture
def qsettings(tmp_path):
    """The window's own settings (size, tab, period), in a file of the test's."""
    from PySide6.QtCore import QSettings

    return QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def open_window(qtbot, journal_path, qsettings):
    """Opens the main window as kneelog starts it: on a Store given (else on the journal at
    `path`, by default the test's own), with the clock at NOW unless told, shown and with its
    triage panel filled in. `size` resizes it first; `panel` shows the triage panel even where
    the test screen is too narrow for it to start shown. Each window's journal is closed after
    the test."""
    from kneelog.store import Store
    from kneelog.ui.main_window import MainWindow

    windows = []

    def opener(store=None, *, path=None, clock=None, size=None, panel=False, show=True):
        window = MainWindow(
            store or Store.open(path or journal_path), qsettings, clock=clock or (lambda: NOW)
        )
        qtbot.addWidget(window)
        windows.append(window)
        if size is not None:
            window.resize(*size)
        if show:
            show_window(qtbot, window)
        if panel:
            window.triage_dock.show()
        return window

    yield opener
    for window in windows:
        window.store.close()  # the one it shows now: opening another journal may have changed it


@pytest.fixture
def window(open_window):
    """The main window on the test's own journal, empty unless the test fills it first."""
    return open_window()
