"""kneelog/ui/dialogs.py: the shoe and settings dialogs, typed into and clicked."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox

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
