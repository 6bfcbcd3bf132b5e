"""A table's last column as wide as its text, and wider to fill the view where there is room."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QTableView


class LastColumnFit(QObject):
    """Keeps `table`'s last column as wide as its text (set_text_width: the header and the
    first rows, as the table's owner measures its other columns), and wider when the other
    columns leave room, so that it ends at the view's edge.

    Qt's own stretchLastSection fills the room too, but where the other columns take it all
    (the History on a 1366 px laptop, beside the triage panel) it leaves the last column at
    100 px whatever it holds: "Swelling, Giving w..." at the end of the sideways scroll. And
    when the view narrows a lot at once (the panel shown again, a maximised window restored)
    it keeps the width it had been stretched to, a blank stretch to scroll past.
    """

    def __init__(self, table: QTableView):
        super().__init__(table)
        self._table = table
        self._text_width = 0
        self._fitting = False
        header = table.horizontalHeader()
        header.setStretchLastSection(False)
        header.sectionResized.connect(self._on_header_section_resized)
        table.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self._table.viewport():
            self.fit()
        return False

    def set_text_width(self, width: int) -> None:
        """The width the last column's text needs."""
        self._text_width = width
        self.fit()

    def fit(self) -> None:
        header = self._table.horizontalHeader()
        last = header.count() - 1
        if last < 0 or self._fitting:
            return
        others = sum(header.sectionSize(c) for c in range(last) if not header.isSectionHidden(c))
        width = max(self._text_width, self._table.viewport().width() - others)
        if header.sectionSize(last) != width:
            self._fitting = True  # the resize below reports itself through sectionResized
            try:
                header.resizeSection(last, width)
            finally:
                self._fitting = False

    def _on_header_section_resized(self, column: int, _old: int, _new: int) -> None:
        if column != self._table.horizontalHeader().count() - 1:
            self.fit()
