"""Small dialogs: a new pair of shoes, the shoes, and the journal's settings. Each is made when
the runner opens it: the window's start-up does without this module."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
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

from ..model import KM_PER_MILE, InvalidEntry, Settings, Shoe, Units
from ..units import distance_value, format_distance


def _ok_cancel(dialog: QDialog) -> QDialogButtonBox:
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def _spin_range(low_km: float, high_km: float, units: Units) -> tuple[float, float]:
    """The range in the runner's unit, to the tenth, inside the km range."""
    low, high = distance_value(low_km, units), distance_value(high_km, units)
    return math.ceil(low * 10) / 10, math.floor(high * 10) / 10


class ShoeDialog(QDialog):
    """Asks for a new pair, or changes one (`shoe`: renamed, another limit); `shoe()` gives
    the pair once accepted. `taken`: the other pairs' names (a name must tell them apart)."""

    def __init__(
        self,
        parent: QWidget | None = None,
        units: Units = Units.KM,
        shoe: Shoe | None = None,
        taken: Iterable[str] = (),
    ):
        super().__init__(parent)
        self._units = units
        self._before = shoe
        self._taken = {name.strip().casefold() for name in taken}
        self.setWindowTitle("Add a pair of shoes" if shoe is None else f"Change {shoe.name}")
        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. Blue trainers")
        self.name.setAccessibleName("Name of the pair")
        suffix = f" {units.value}"
        self.prior = QDoubleSpinBox()
        self.prior.setRange(*_spin_range(0, 20_000, units))
        self.prior.setDecimals(1)
        self.prior.setSuffix(suffix)
        self.prior.setAccessibleName("Distance already run in them")
        self.limit = QDoubleSpinBox()
        self.limit.setRange(*_spin_range(50, 5_000, units))
        self.limit.setDecimals(1)
        self.limit.setValue(round(distance_value(800, units)))
        self.limit.setSuffix(suffix)
        self.limit.setAccessibleName("Replace after")
        self.limit.setToolTip(
            "Most pairs are replaced somewhere between "
            f"{format_distance(480, units)} and {format_distance(800, units)}."
        )
        if shoe is not None:
            self.name.setText(shoe.name)
            self.prior.setValue(distance_value(shoe.prior_km, units))
            self.limit.setValue(distance_value(shoe.limit_km, units))
        self.error = QLabel()
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)
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
        self.setMinimumWidth(420)  # room for a message on two lines at most

    def _km(self, spin: QDoubleSpinBox, before: float | None) -> float:
        """The spin box's distance in km; untouched, the pair's own figure (not rounded)."""
        if before is not None and spin.value() == round(distance_value(before, self._units), 1):
            return before
        value = spin.value()
        return value * KM_PER_MILE if self._units is Units.MI else value

    def shoe(self) -> Shoe:
        before = self._before
        return Shoe(
            name=self.name.text().strip(),
            id=before.id if before else None,
            prior_km=self._km(self.prior, before.prior_km if before else None),
            limit_km=self._km(self.limit, before.limit_km if before else None),
            retired=before.retired if before else False,
        )

    def _problem(self) -> tuple[str, QWidget] | None:
        """What is wrong with what is typed, and where, in words a runner can act on."""
        unit = self._units.value
        for spin, what in ((self.prior, "Already run in them"), (self.limit, "Replace after")):
            if not spin.hasAcceptableInput():
                return (
                    f"{what}: type a distance between {spin.minimum():,g} and "
                    f"{spin.maximum():,g} {unit}.",
                    spin,
                )
        name = self.name.text().strip()
        if name and name.casefold() in self._taken:
            return (
                f"You already have a pair called \u201c{name}\u201d. Give this one a name "
                "that tells the two apart.",
                self.name,
            )
        try:
            self.shoe().validate()
        except InvalidEntry as error:
            return error.message, self.name if error.field == "name" else self.limit
        return None

    def accept(self) -> None:
        problem = self._problem()
        if problem is not None:
            message, widget = problem
            self.error.setText(message)
            self.error.show()
            widget.setFocus()
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


class ShoesDialog(QDialog):
    """Every pair with its distance: rename one or change its limit, retire a worn-out pair
    or bring it back, or add one. Each row's buttons name their pair.

    Signals: shoe_changed(Shoe, Shoe): a pair as it was and as it should now be;
    add_requested().
    """

    shoe_changed = Signal(object, object)
    add_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Your shoes")
        self._units = Units.KM
        self._shoes: list[Shoe] = []
        self.change_dialog: ShoeDialog | None = None
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(["Pair", "Distance", "Replace after", "", ""])
        self.table.setAccessibleName("Your shoes")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3, 4):
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
        self.resize(640, 300)

    def set_shoes(self, mileage, units: Units = Units.KM) -> None:
        """mileage: metrics.ShoeMileage for every pair, retired ones included."""
        self._units = units
        self._shoes = [m.shoe for m in mileage]
        self.table.setRowCount(len(mileage))
        for row, m in enumerate(mileage):
            shoe = m.shoe
            name = shoe.name + (" (retired)" if shoe.retired else "")
            note = {
                "fine": "",
                "wearing": f" (past {distance_value(480, units):.0f} {units.value})",
                "replace": " (past its limit)",
            }[m.status]
            cells = (
                name,
                format_distance(m.km, units) + note,
                format_distance(shoe.limit_km, units),
            )
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
            change = QPushButton("Change...")
            change.setAccessibleName(f"Change {shoe.name}")
            change.setToolTip(f"Rename {shoe.name} or change its limit")
            change.clicked.connect(lambda _=False, s=shoe: self._on_change_clicked(s))
            self.table.setCellWidget(row, 3, change)
            verb = "Bring back" if shoe.retired else "Retire"
            retire = QPushButton(verb)
            retire.setAccessibleName(f"{verb} {shoe.name}")
            retire.setToolTip(
                f"Offer {shoe.name} in the form again"
                if shoe.retired
                else f"Retire {shoe.name}: no longer offered in the form, its runs are kept"
            )
            retire.clicked.connect(
                lambda _=False, s=shoe: self.shoe_changed.emit(s, replace(s, retired=not s.retired))
            )
            self.table.setCellWidget(row, 4, retire)

    def _on_change_clicked(self, shoe: Shoe) -> None:
        taken = [s.name for s in self._shoes if s.id != shoe.id]
        dialog = ShoeDialog(self, self._units, shoe, taken)
        dialog.accepted.connect(lambda: self._on_change_accepted(shoe, dialog.shoe()))
        self.change_dialog = dialog
        dialog.open()

    def _on_change_accepted(self, before: Shoe, after: Shoe) -> None:
        if after != before:
            self.shoe_changed.emit(before, after)
