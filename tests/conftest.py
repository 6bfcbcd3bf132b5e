"""Shared fixtures. Qt runs offscreen: no test needs a display."""

from __future__ import annotations

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
