"""Child process of bench_startup.py: the floor for any Qt app, a bare PySide6 window.

Reports its first paint exactly as `kneelog` does under KNEELOG_BENCH_FIRST_PAINT (see
kneelog.app.report_first_paint): "painted", the peak memory so far in KiB, once the event
loop is back after the first paint, and the processor time it used; then it quits.
"""

import resource  # Unix; kneelog's benchmarks run on Linux and macOS
import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel


def main() -> None:
    app = QApplication(sys.argv[:1])
    window = QLabel("Hello")

    def painted() -> None:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        peak //= 1024 if sys.platform == "darwin" else 1  # macOS counts bytes, Linux KiB
        print(f"painted {peak} {time.process_time():.4f}", flush=True)
        app.quit()

    class Watcher(QObject):
        def eventFilter(self, obj, event) -> bool:
            if event.type() == QEvent.Type.Paint:
                window.removeEventFilter(self)
                QTimer.singleShot(0, window, painted)
            return False

    watcher = Watcher(window)
    window.installEventFilter(watcher)
    window.show()
    app.exec()


if __name__ == "__main__":
    main()
