"""Child of bench_summary.py: the floor for any Qt PDF, a plain QTextDocument of N pages."""

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QPageSize, QPdfWriter, QTextDocument  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

ROWS_PER_PAGE = 34


def main() -> None:
    pages, path = int(sys.argv[1]), sys.argv[2]
    app = QApplication(sys.argv[:1])  # noqa: F841
    writer = QPdfWriter(path)
    writer.setResolution(96)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    rows = "".join(
        f"<tr><td>Mon 0{i % 9 + 1} Jan</td><td>Run (easy)</td><td>8.4 km</td><td>52:30</td>"
        f"<td>1 / 2 / 3</td><td>1</td><td>Right: kneecap</td><td>note {i}</td></tr>"
        for i in range(pages * ROWS_PER_PAGE)
    )
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(writer)
    doc.setHtml(f"<table border='1' cellspacing='0' width='100%'>{rows}</table>")
    doc.print_(writer)


if __name__ == "__main__":
    main()
