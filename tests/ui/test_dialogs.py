"""kneelog/ui/dialogs.py: the shoe and settings dialogs, typed into and clicked."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from conftest import show_active
from kneelog.model import Settings, Shoe, Units
from kneelog.ui.dialogs import SettingsDialog, ShoeDialog


def click_ok(qtbot, dialog: QDialog) -> None:
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)


def test_a_pair_without_a_name_is_refused_in_place(qtbot):
    dialog = ShoeDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    click_ok(qtbot, dialog)
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error.isVisible() and dialog.error.text()


def test_a_named_pair_is_accepted_as_typed(qtbot):
    dialog = ShoeDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.name, "  Blue trainers ")
    dialog.prior.setValue(120)
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        click_ok(qtbot, dialog)
    assert dialog.shoe() == Shoe(name="Blue trainers", prior_km=120.0, limit_km=800.0)


def test_the_settings_dialog_gives_back_what_was_chosen(qtbot):
    dialog = SettingsDialog(Settings(units=Units.KM, usual_sleep_h=7.5, runner_name="Sam"))
    qtbot.addWidget(dialog)
    assert dialog.settings() == Settings(units=Units.KM, usual_sleep_h=7.5, runner_name="Sam")
    dialog.units.setCurrentIndex(dialog.units.findData(Units.MI))
    dialog.name.setText(" Sam Runner ")
    assert dialog.settings() == Settings(
        units=Units.MI, usual_sleep_h=7.5, runner_name="Sam Runner"
    )


def test_a_name_another_pair_has_is_refused_whatever_its_case(qtbot):
    dialog = ShoeDialog(taken=["Blue trainers", "Racers"])
    qtbot.addWidget(dialog)
    show_active(qtbot, dialog)
    qtbot.keyClicks(dialog.name, "blue TRAINERS ")
    click_ok(qtbot, dialog)
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error.text().startswith(
        "You already have a pair called \u201cblue TRAINERS\u201d"
    )
    assert dialog.name.hasFocus()


def test_a_limit_out_of_range_is_refused_with_the_range(qtbot):
    dialog = ShoeDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.name, "Racers")
    dialog.limit.setFocus()
    dialog.limit.selectAll()
    qtbot.keyClicks(dialog.limit, "20")  # 20 km: no pair is worn out that soon
    click_ok(qtbot, dialog)
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error.text() == "Replace after: type a distance between 50 and 5,000 km."


def test_in_miles_the_dialog_asks_in_miles_and_keeps_km_inside(qtbot):
    shoe = Shoe(id=3, name="Blue", prior_km=100.0, limit_km=800.0)
    dialog = ShoeDialog(units=Units.MI, shoe=shoe)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.limit.suffix() == " mi"
    assert dialog.limit.value() == pytest.approx(497.1)  # 800 km
    assert dialog.shoe() == shoe  # untouched figures are not rounded through miles
    dialog.limit.setValue(300)
    assert dialog.shoe().limit_km == pytest.approx(300 * 1.609344)


def _mileage(*shoes):
    from kneelog.metrics import ShoeMileage

    return [
        ShoeMileage(shoe, shoe.prior_km, shoe.prior_km / shoe.limit_km, "fine") for shoe in shoes
    ]


def test_each_row_of_the_shoes_dialog_names_its_pair_in_its_buttons(qtbot):
    from kneelog.ui.dialogs import ShoesDialog

    dialog = ShoesDialog()
    qtbot.addWidget(dialog)
    dialog.set_shoes(
        _mileage(Shoe(id=1, name="Blue"), Shoe(id=2, name="Racers", retired=True)), Units.KM
    )
    dialog.show()
    buttons = [
        (
            dialog.table.cellWidget(row, col).text(),
            dialog.table.cellWidget(row, col).accessibleName(),
        )
        for row in range(2)
        for col in (3, 4)
    ]
    assert buttons == [
        ("Change...", "Change Blue"),
        ("Retire", "Retire Blue"),
        ("Change...", "Change Racers"),
        ("Bring back", "Bring back Racers"),
    ]
    assert dialog.table.cellWidget(0, 4).toolTip().startswith("Retire Blue")


def test_renaming_a_pair_and_changing_its_limit_in_the_shoes_dialog(qtbot):
    from kneelog.ui.dialogs import ShoesDialog

    dialog = ShoesDialog()
    qtbot.addWidget(dialog)
    blue = Shoe(id=1, name="Blue", prior_km=20.0, limit_km=800.0)
    dialog.set_shoes(_mileage(blue, Shoe(id=2, name="Racers")), Units.KM)
    dialog.show()
    qtbot.mouseClick(dialog.table.cellWidget(0, 3), Qt.MouseButton.LeftButton)
    change = dialog.change_dialog
    assert change.windowTitle() == "Change Blue"
    change.name.selectAll()
    qtbot.keyClicks(change.name, "Racers")  # the other pair's name
    click_ok(qtbot, change)
    assert "already have a pair called" in change.error.text()
    change.name.selectAll()
    qtbot.keyClicks(change.name, "Blue (old)")
    change.limit.selectAll()
    qtbot.keyClicks(change.limit, "650")
    with qtbot.waitSignal(dialog.shoe_changed) as signal:
        click_ok(qtbot, change)
    assert signal.args == [
        blue,
        Shoe(id=1, name="Blue (old)", prior_km=20.0, limit_km=650.0, retired=False),
    ]
