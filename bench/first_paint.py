"""Child process of bench_startup.py: open a window and report when it first paints.

Modes: `bare` (a PySide6 window with a label, the floor for any Qt app) and `kneelog PATH`
(the real main window on a journal). Prints the seconds since the interpreter started and
the process's peak memory (resident set) so far, in KiB.
"""

import sys
import time

START = time.perf_counter()  # as close to interpreter start as Python code gets


def peak_memory_kib() -> int:
    import resource  # Unix; kneelog's benchmarks run on Linux and macOS

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak  # macOS counts bytes, Linux KiB


def report_on_first_paint(window, app):
    from PySide6.QtCore import QEvent, QObject

    class Watcher(QObject):
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint:
                print(f"{time.perf_counter() - START:.6f} {peak_memory_kib()}", flush=True)
                app.quit()
            return False

    watcher = Watcher()
    window.installEventFilter(watcher)
    return watcher


def main() -> None:
    mode = sys.argv[1]
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication(sys.argv[:1])
    if mode == "bare":
        window = QLabel("Hello")
    else:
        from PySide6.QtCore import QSettings

        from kneelog.store import Store
        from kneelog.ui.main_window import MainWindow

        store = Store.open(sys.argv[2])
        window = MainWindow(store, QSettings(sys.argv[3], QSettings.Format.IniFormat))
    watcher = report_on_first_paint(window, app)  # noqa: F841 (kept alive)
    window.show()
    app.exec()


if __name__ == "__main__":
    main()
