"""Child process of bench_startup.py: what one part kneelog loads after its first paint would
have added to the start-up, had it been loaded before.

    python bench/deferred_imports.py MODULE

Imports what the window imports before its first paint, then MODULE, and prints the processor
time MODULE took to import, in ms. `sqlite-utils` stands for sqlite-utils as kneelog loads it
(store._database: numpy and pandas hidden from it), `sqlite_utils` for the plain import.
"""

import gc
import os
import sqlite3
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
gc.disable()  # as in the window's start-up, and so that no collection lands in the timing

from PySide6.QtWidgets import QApplication  # noqa: E402

import kneelog.ui.main_window  # noqa: E402, F401
from kneelog import store  # noqa: E402

app = QApplication(sys.argv[:1])
started = time.process_time()
if sys.argv[1] == "sqlite-utils":
    store._database(sqlite3.connect(":memory:"))
else:
    __import__(sys.argv[1])
print(f"{(time.process_time() - started) * 1000:.1f}")
