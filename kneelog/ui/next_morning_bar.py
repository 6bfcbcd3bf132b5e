"""The question about the morning after a run, in a bar above the tabs."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from .widgets import Scale


class NextMorningBar(QFrame):
    """A one-click question about the morning after a run.

    Signals: rated(int), dismissed().
    """

    rated = Signal(int)
    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setProperty("role", "banner")
        self.question = QLabel()
        self.question.setWordWrap(True)  # two lines on a narrow screen, never cut off
        self.scale = Scale()
        self.scale.setAccessibleName("Pain this morning")
        self.scale.value_changed.connect(self._on_scale_value_changed)
        later = QPushButton("Not now")
        later.clicked.connect(self.dismissed)
        layout = QHBoxLayout(self)
        layout.addWidget(self.question, 1)
        layout.addWidget(self.scale)
        layout.addWidget(later)
        self.hide()

    def ask(self, question: str) -> None:
        self.question.setText(question)
        self.scale.blockSignals(True)
        self.scale.set_value(None)
        self.scale.blockSignals(False)
        self.show()

    def _on_scale_value_changed(self, value) -> None:
        if value is not None:
            self.rated.emit(value)
