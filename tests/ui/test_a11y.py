"""What a screen reader hears: a name for everything a runner can use, the scales' values and
the knee's marks, and a Tab order that follows the page."""

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from factories import make_run
from kneelog import backups
from kneelog.model import Intensity, PainMark, Region, Shoe, Side
from kneelog.store import Store
from kneelog.ui.body_map import BodyMap
from kneelog.ui.widgets import Scale

NOW = dt.datetime(2026, 11, 21, 8, 15)
INTERACTIVE = (
    QAbstractButton,
    QLineEdit,
    QAbstractSpinBox,
    QComboBox,
    QPlainTextEdit,
    QTextEdit,
    QAbstractItemView,
    Scale,
    BodyMap,
)


def spoken_name(widget: QWidget) -> str:
    """The name assistive technology is given: the accessible name, or what Qt finds for it
    (a button's text, a label that is its buddy). A combo box's own name is not asked of Qt:
    on Linux Qt answers with the item chosen and leaves the name to its label's relation."""
    if widget.accessibleName():
        return widget.accessibleName()
    if isinstance(widget, QComboBox):
        labels = widget.window().findChildren(QLabel)
        return next((lb.text().replace("&", "") for lb in labels if lb.buddy() is widget), "")
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name).strip() if interface else ""


def unnamed(top: QWidget) -> list[str]:
    missing = []
    for widget in top.findChildren(QWidget):
        if not isinstance(widget, INTERACTIVE) or not widget.isVisibleTo(top):
            continue
        if isinstance(widget, QLineEdit) and isinstance(widget.parentWidget(), QAbstractSpinBox):
            continue  # the text part of a spin box or date field: the box is named
        if isinstance(widget, QLineEdit) and isinstance(widget.parentWidget(), QComboBox):
            continue
        if type(widget).__name__ in ("QDockWidgetTitleButton", "QToolBarExtension"):
            continue  # Qt's own, named by Qt ("Close", "Float")
        if isinstance(widget, QHeaderView):
            continue  # read as part of its table, column by column
        if not spoken_name(widget):
            where = widget.parentWidget()
            missing.append(f"{type(widget).__name__} {widget.objectName()!r} in {where!r}")
    return missing


@pytest.fixture
def window(open_window, journal_path):
    store = Store.open(journal_path)
    for days in (30, 20, 10, 3, 1):
        store.save_entry(
            make_run(
                started=NOW - dt.timedelta(days=days),
                distance_km=8.0,
                marks=(PainMark(Side.RIGHT, Region.KNEECAP, Intensity.MILD),),
            )
        )
    store.save_shoe(Shoe(name="Blue trainers"))
    return open_window(store, clock=lambda: NOW, size=(1400, 900), panel=True)


@pytest.mark.parametrize("tab", [0, 1, 2])
def test_every_control_of_every_view_has_a_name(qtbot, window, tab):
    window.tabs.setCurrentIndex(tab)
    qtbot.wait(50)
    if tab == 0:
        window.form.kind.set_value(window.form.kind.value())  # the run's rows
    missing = unnamed(window)
    assert not missing, "\n".join(missing)


def test_the_triage_panel_names_its_plan_controls(qtbot, window):
    panel = window.triage
    assert panel.shown is not None
    change = getattr(panel, "change", None)
    if change is not None:
        change.setCurrentIndex(change.count() - 1)  # "my own change": the text field shows
    missing = unnamed(window.triage_dock)
    assert not missing, "\n".join(missing)


def test_every_dialog_names_its_controls(qtbot, window, tmp_path, monkeypatch):
    from kneelog.ui.backup_dialogs import RecoveryDialog, RestoreDialog
    from kneelog.ui.dialogs import SettingsDialog, ShoeDialog, ShoesDialog
    from kneelog.ui.shortcuts import ShortcutsDialog

    shown = []
    for dialog_class in (ShoesDialog, SettingsDialog, ShoeDialog, ShortcutsDialog):
        monkeypatch.setattr(dialog_class, "open", lambda self: shown.append(self))
    window._on_shoes_triggered()
    window._on_settings_triggered()
    window._on_form_add_shoe_requested()
    window._on_shortcuts_triggered()
    from kneelog.ui.summary_dialog import SummaryDialog

    monkeypatch.setattr(SummaryDialog, "open", lambda self: shown.append(self))
    window._on_print_summary_triggered()
    backup = backups.Backup(tmp_path / "b.db", NOW, backups.BY_HAND)
    shown.append(RestoreDialog([(backup, 12)], window.store.path, 5, window))
    shown.append(RecoveryDialog(window.store.path, [(backup, 12)], window))
    assert len(shown) == 7
    for dialog in shown:
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        missing = unnamed(dialog)
        assert not missing, "\n".join(missing)
        dialog.close()


def test_the_two_usual_chips_say_which_is_which(window):
    form = window.form
    names = {spoken_name(b) for b in (*form.sleep.findChildren(QAbstractButton),)}
    names |= {spoken_name(b) for b in form.stress.findChildren(QAbstractButton)}
    assert "Sleep: usual" in names and "Stress: usual" in names


def test_a_scale_says_its_value(qtbot, window):
    scale = window.form.pains["pain_end"]
    assert spoken_name(scale) == "Pain at the end"
    described = QAccessible.queryAccessibleInterface(scale).text(QAccessible.Text.Description)
    assert "not given" in described.lower()
    scale.setFocus()
    qtbot.keyClick(scale, Qt.Key.Key_4)
    described = QAccessible.queryAccessibleInterface(scale).text(QAccessible.Text.Description)
    assert "4 out of 10" in described
    value = QAccessible.queryAccessibleInterface(scale).text(QAccessible.Text.Value)
    assert value == "4"
    morning = window.next_morning.scale
    assert spoken_name(morning)


def test_the_knee_says_which_knee_and_view_and_what_is_marked(qtbot, window):
    knee = window.form.body_map
    knee.setFocus()
    qtbot.keyClick(knee, Qt.Key.Key_Space)  # nothing in focus yet: marks nothing
    qtbot.mouseClick(
        knee, Qt.MouseButton.LeftButton, pos=knee.region_center(Region.PATELLAR_TENDON)
    )
    interface = QAccessible.queryAccessibleInterface(knee)
    said = interface.text(QAccessible.Text.Description) + interface.text(QAccessible.Text.Value)
    assert "right knee" in said.lower() and "front" in said.lower()
    assert "just below the kneecap: mild" in said.lower()
    qtbot.keyClick(knee, Qt.Key.Key_L)
    said = interface.text(QAccessible.Text.Description) + interface.text(QAccessible.Text.Value)
    assert "left knee" in said.lower()
    assert "right knee" in said.lower(), "the marks on the other knee are not kept quiet"


def test_tab_walks_the_form_in_reading_order_through_the_knee_buttons(qtbot, window):
    form = window.form
    form.distance.setFocus()
    seen: list[QWidget] = []
    for _ in range(120):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        widget = QApplication.focusWidget()
        if seen and seen[-1] is widget:
            continue  # Tab walks the knee's spots
        if widget is form.save_button or widget in seen:
            break
        seen.append(widget)
    order = [spoken_name(w) for w in seen]
    knee = [
        "Left knee (L)",
        "Right knee (R)",
        "Front of the knee (F)",
        "Back of the knee (B)",
        "Deep inside / hard to point at",
    ]
    at = order.index(knee[0])
    assert order[at : at + 5] == knee
    rows = ["Time", "Type", "Surface", "Climb (m)", "Temperature (\u00b0C)", "Shoes", "Effort"]
    assert [name for name in order if name in rows] == rows
    assert order.index("Pain at the start") < order.index("Pain next morning") < at
    assert order.index("Sleep: usual") < order.index("Notes") < at, "the left column first"
    assert at < order.index(spoken_name(form.warnings.findChildren(QAbstractButton)[0]))


def test_warning_signs_and_red_flags_explain_themselves(window):
    for button in window.form.warnings.findChildren(QAbstractButton):
        assert len(button.toolTip()) > 30, button.text()
    from PySide6.QtWidgets import QCheckBox

    flags = [c for c in window.triage.findChildren(QCheckBox) if c.objectName().startswith("flag:")]
    assert flags
    for box in flags:
        if box.isVisibleTo(window.triage):
            assert len(box.toolTip()) > 30, box.objectName()
