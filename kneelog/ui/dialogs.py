"""Small dialogs: a new pair of shoes, the journal's settings, and the next-morning question."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..model import InvalidEntry, Settings, Shoe, Units
from ..units import format_distance
from .widgets import Scale


def _ok_cancel(dialog: QDialog) -> QDialogButtonBox:
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


class ShoeDialog(QDialog):
    """Asks for a new pair; `shoe()` gives it once accepted."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Add a pair of shoes")
        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. Blue trainers")
        self.prior = QDoubleSpinBox()
        self.prior.setRange(0, 20_000)
        self.prior.setSuffix(" km")
        self.limit = QDoubleSpinBox()
        self.limit.setRange(50, 5_000)
        self.limit.setValue(800)
        self.limit.setSuffix(" km")
        self.limit.setToolTip("Most pairs are replaced somewhere between 480 and 800 km.")
        self.error = QLabel()
        self.error.setProperty("role", "error")
        self.error.hide()
        form = QFormLayout()
        form.addRow("&Name", self.name)
        form.addRow("Already &run in them", self.prior)
        form.addRow("Replace &after", self.limit)  # Alt+R: "Already run"
        buttons = _ok_cancel(self)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def shoe(self) -> Shoe:
        return Shoe(
            name=self.name.text().strip(), prior_km=self.prior.value(), limit_km=self.limit.value()
        )

    def accept(self) -> None:
        try:
            self.shoe().validate()
        except InvalidEntry as error:
            self.error.setText(error.message)
            self.error.show()
            return
        super().accept()


class SettingsDialog(QDialog):
    """The journal's own settings (kept in the journal file)."""

    def __init__(self, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Journal settings")
        self.name = QLineEdit(settings.runner_name)
        self.name.setPlaceholderText("Printed on the summary for your physio")
        self.units = QComboBox()
        self.units.addItem("Kilometres", Units.KM)
        self.units.addItem("Miles", Units.MI)
        self.units.setCurrentIndex(self.units.findData(settings.units))
        self.sleep = QDoubleSpinBox()
        self.sleep.setRange(3, 14)
        self.sleep.setSingleStep(0.5)
        self.sleep.setSuffix(" h")
        self.sleep.setValue(settings.usual_sleep_h)
        form = QFormLayout(self)
        form.addRow("Your &name", self.name)
        form.addRow("&Distances in", self.units)
        form.addRow("Usual &sleep", self.sleep)
        buttons = _ok_cancel(self)
        form.addRow(buttons)

    def settings(self) -> Settings:
        return Settings(
            units=Units(self.units.currentData()),
            usual_sleep_h=self.sleep.value(),
            runner_name=self.name.text().strip(),
        )


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


class ShoesDialog(QDialog):
    """Every pair with its distance; retire a worn-out pair or bring it back, or add one.

    Signals: retire_toggled(Shoe) with the pair as it should now be; add_requested().
    """

    retire_toggled = Signal(object)
    add_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Your shoes")
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Pair", "Distance", "Replace after", ""])
        self.table.setAccessibleName("Your shoes")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        add = QPushButton("&Add a pair...")
        add.clicked.connect(self.add_requested)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addStretch()
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.resize(560, 300)

    def set_shoes(self, mileage, units: Units = Units.KM) -> None:
        """mileage: metrics.ShoeMileage for every pair, retired ones included."""
        self.table.setRowCount(len(mileage))
        for row, m in enumerate(mileage):
            shoe = m.shoe
            name = shoe.name + (" (retired)" if shoe.retired else "")
            note = {"fine": "", "wearing": " (past 480 km)", "replace": " (past its limit)"}[
                m.status
            ]
            cells = (
                name,
                format_distance(m.km, units) + note,
                format_distance(shoe.limit_km, units),
            )
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
            button = QPushButton("Bring back" if shoe.retired else "Retire")
            button.clicked.connect(
                lambda _=False, s=shoe: self.retire_toggled.emit(replace(s, retired=not s.retired))
            )
            self.table.setCellWidget(row, 3, button)
