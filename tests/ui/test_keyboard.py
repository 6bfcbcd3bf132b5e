"""The whole window from the keyboard alone, as the README's Keys table promises."""

import datetime as dt
import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget

from kneelog.model import Kind
from kneelog.ui.widgets import Scale

NOW = dt.datetime(2026, 11, 21, 18, 52)  # a Saturday evening, home from a run
CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier


@pytest.fixture
def window(open_window):
    return open_window(clock=lambda: NOW)


def focused() -> QWidget:
    return QApplication.focusWidget()


def press(qtbot, key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(focused(), key, modifiers)


def type_(qtbot, text: str) -> None:
    qtbot.keyClicks(focused(), text)


def tab_to(qtbot, widget: QWidget, most: int) -> int:
    """Press Tab until `widget` has the focus; how many presses it took."""
    for presses in range(1, most + 1):
        press(qtbot, Qt.Key.Key_Tab)
        if focused() is widget:
            return presses
    raise AssertionError(f"{most} Tabs did not reach {widget!r}; focus is on {focused()!r}")


def test_ctrl_n_then_type_a_whole_run_and_save_it_with_ctrl_enter(qtbot, window):
    form = window.form
    window.tabs.setCurrentWidget(window.history)
    press(qtbot, Qt.Key.Key_N, CTRL)
    assert window.tabs.currentWidget() is form
    assert focused() is form.distance
    type_(qtbot, "8.4")
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is form.duration
    type_(qtbot, "52:30")
    tab_to(qtbot, form.pains["pain_start"], most=8)
    type_(qtbot, "2")
    press(qtbot, Qt.Key.Key_Tab)
    type_(qtbot, "3")
    press(qtbot, Qt.Key.Key_Tab)
    type_(qtbot, "4")
    press(qtbot, Qt.Key.Key_Return, CTRL)

    [entry] = window.store.entries()
    assert entry.kind is Kind.RUN
    assert entry.started == dt.datetime(2026, 11, 21, 18, 52)
    assert entry.distance_km == pytest.approx(8.4)
    assert entry.duration_s == 52 * 60 + 30
    assert (entry.pain_start, entry.pain_middle, entry.pain_end) == (2, 3, 4)
    assert entry.pain_later is None and entry.marks == ()


def test_the_day_is_typed_in_words_and_is_one_tab_stop(qtbot, window):
    form = window.form
    press(qtbot, Qt.Key.Key_N, CTRL)
    press(qtbot, Qt.Key.Key_W, ALT)  # &When
    assert focused() is form.when
    form.when.selectAll()
    type_(qtbot, "yesterday 7:15")
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is form.distance, "one Tab from the day to the distance"
    assert form.when.text() == "Fri 20 Nov 2026  07:15"
    type_(qtbot, "5")
    press(qtbot, Qt.Key.Key_Return, CTRL)
    [entry] = window.store.entries()
    assert entry.started == dt.datetime(2026, 11, 20, 7, 15)


def test_arrows_move_the_day_and_page_keys_the_hour(qtbot, window):
    form = window.form
    form.when.setFocus()
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_PageUp)
    assert form.when.text() == "Thu 19 Nov 2026  19:52"
    press(qtbot, Qt.Key.Key_Up)
    assert form.when.text() == "Fri 20 Nov 2026  19:52"


def test_a_day_that_cannot_be_read_is_refused_at_the_field(qtbot, window):
    form = window.form
    form.when.setFocus()
    form.when.selectAll()
    type_(qtbot, "last tuesday-ish")
    press(qtbot, Qt.Key.Key_Return, CTRL)
    assert window.store.count() == 0
    assert "yesterday 7:15" in form.error_text()
    assert focused() is form.when and form.when.text() == "last tuesday-ish"


def test_a_time_typed_with_a_dot_is_read_as_minutes_and_seconds_and_shown_so(qtbot, window):
    form = window.form
    press(qtbot, Qt.Key.Key_N, CTRL)
    type_(qtbot, "10")
    press(qtbot, Qt.Key.Key_Tab)
    type_(qtbot, "52.30")
    press(qtbot, Qt.Key.Key_Tab)
    assert form.duration.text() == "52:30"
    assert form.pace.text() == "5:15 /km"
    press(qtbot, Qt.Key.Key_Return, CTRL)
    assert window.store.entries()[0].duration_s == 52 * 60 + 30


def test_a_decimal_time_is_refused_with_the_way_to_write_it(qtbot, window):
    form = window.form
    press(qtbot, Qt.Key.Key_N, CTRL)
    press(qtbot, Qt.Key.Key_Tab)
    type_(qtbot, "52.5")
    press(qtbot, Qt.Key.Key_Return, CTRL)
    assert window.store.count() == 0
    assert "52:30" in form.error_text()
    assert form.duration.text() == "52.5", "what was typed stays, to be put right"


def test_alt_t_puts_the_focus_in_the_time_field(qtbot, window):
    form = window.form
    press(qtbot, Qt.Key.Key_N, CTRL)
    press(qtbot, Qt.Key.Key_T, ALT)
    assert focused() is form.duration


@pytest.mark.qt_log_ignore("This plugin does not support grabbing the keyboard")  # offscreen
@pytest.mark.parametrize(("key", "title"), [(Qt.Key.Key_H, "&Help"), (Qt.Key.Key_V, "&View")])
def test_alt_letters_of_the_menus_open_them_from_the_form(qtbot, window, key, title):
    window.form.distance.setFocus()
    press(qtbot, key, ALT)
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == title)
    qtbot.waitUntil(menu.isVisible, timeout=2000)
    assert QApplication.activePopupWidget() is menu
    menu.close()


def mnemonics(widgets) -> list[str]:
    letters = []
    for widget in widgets:
        if isinstance(widget, QLabel) and widget.buddy() is None:
            continue
        text = widget.text() if isinstance(widget, (QLabel, QAbstractButton)) else ""
        if m := re.search(r"&([^&\s])", text.replace("&&", "")):
            letters.append(m[1].lower())
    return letters


@pytest.mark.parametrize("tab", [0, 1, 2])
def test_each_view_has_its_own_alt_letters_and_leaves_the_menus_theirs(qtbot, window, tab):
    window.tabs.setCurrentIndex(tab)
    qtbot.wait(50)
    page = window.tabs.currentWidget()
    shown = [w for w in page.findChildren(QWidget) if w.isVisibleTo(window)]
    if tab == 0:
        for kind in Kind:  # every kind shows other rows: none may clash with another
            window.form.kind.set_value(kind)
            shown += [w for w in page.findChildren(QWidget) if w.isVisibleTo(window)]
        shown = list(dict.fromkeys(shown))
    letters = mnemonics(shown)
    menus = mnemonics(a for a in window.menuBar().actions())
    assert len(letters) == len(set(letters)), letters
    assert not set(letters) & set(menus), (letters, menus)


def test_the_pain_scales_take_digits_and_arrows(qtbot, window):
    scale = window.form.pains["pain_end"]
    scale.setFocus()
    type_(qtbot, "6")
    press(qtbot, Qt.Key.Key_Right)
    assert scale.value() == 7
    assert isinstance(focused(), Scale)


def test_the_keyboard_shortcuts_page_lists_every_shortcut_of_the_window(qtbot, window):
    from PySide6.QtGui import QAction, QKeySequence, QShortcut

    from kneelog.ui.shortcuts import ShortcutsDialog

    press(qtbot, Qt.Key.Key_F1)
    dialog = window.shortcuts_dialog
    assert isinstance(dialog, ShortcutsDialog) and dialog.isVisible()
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    assert any("Keyboard shortcuts" in a.text() for a in help_menu.actions())
    text = dialog.text()
    native = QKeySequence.SequenceFormat.NativeText
    for action in window.findChildren(QAction):
        for keys in action.shortcuts():
            assert keys.toString(native) in text, (action.text(), keys.toString(native))
    for shortcut in window.findChildren(QShortcut):
        assert shortcut.key().toString(native) in text
    for words in ("Ctrl+N", "Ctrl+Return", "Ctrl+Z", "Ctrl+T", "Ctrl+1", "Esc", "Delete"):
        assert words in text
    assert "New entry" in text and "Save the entry" in text
    assert "Page Up" in text and "The left or the right knee" in text
    dialog.close()


def test_quit_has_ctrl_q_where_the_platform_gives_it_no_key(qtbot, window):
    from PySide6.QtGui import QKeySequence

    # The offscreen platform the tests run on is one of those (Windows is another).
    assert QKeySequence.keyBindings(QKeySequence.StandardKey.Quit) == []
    press(qtbot, Qt.Key.Key_F1)
    lines = window.shortcuts_dialog.page.toPlainText().splitlines()
    window.shortcuts_dialog.close()
    file_menu = lines.index("File")
    assert "Ctrl+Q" in lines[file_menu:]
    assert lines[lines.index("Ctrl+Q", file_menu) + 1] == "Quit"
    qtbot.keyClick(window, Qt.Key.Key_Q, CTRL)
    assert not window.isVisible()


@pytest.mark.qt_log_ignore("This plugin does not support grabbing the keyboard")  # offscreen
def test_the_day_can_be_picked_on_a_calendar_too(qtbot, window):
    from PySide6.QtCore import QDate
    from PySide6.QtWidgets import QCalendarWidget, QTableView, QToolButton

    form = window.form
    [button] = [b for b in form.when.findChildren(QToolButton) if b.isVisible()]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    calendar = form.when.calendar_menu.findChild(QCalendarWidget)
    qtbot.waitUntil(calendar.isVisible, timeout=2000)
    assert calendar.maximumDate() == QDate(2026, 11, 21), "no day after today"
    days = calendar.findChild(QTableView)
    model = days.model()
    [seventeenth] = [
        model.index(row, column)
        for row in range(model.rowCount())
        for column in range(model.columnCount())
        if model.index(row, column).data() == 17
    ]
    qtbot.mouseClick(
        days.viewport(), Qt.MouseButton.LeftButton, pos=days.visualRect(seventeenth).center()
    )
    assert form.when.text() == "Tue 17 Nov 2026  18:52", "the time of day stays"
    assert not calendar.isVisible()


def test_each_dialog_has_its_own_alt_letters(qtbot, window, monkeypatch):
    from PySide6.QtWidgets import QDialog

    from kneelog.ui.dialogs import SettingsDialog, ShoeDialog, ShoesDialog
    from kneelog.ui.summary_dialog import SummaryDialog

    shown = []
    for dialog_class in (ShoesDialog, SettingsDialog, ShoeDialog, SummaryDialog):
        monkeypatch.setattr(dialog_class, "open", lambda self: shown.append(self))
    window._on_shoes_triggered()
    window._on_settings_triggered()
    window._on_form_add_shoe_requested()
    window._on_print_summary_triggered()
    assert len(shown) == 4
    for dialog in shown:
        qtbot.addWidget(dialog)
        dialog.show()
        letters = mnemonics(w for w in dialog.findChildren(QWidget) if w.isVisibleTo(dialog))
        assert len(letters) == len(set(letters)), (type(dialog).__name__, letters)
        assert isinstance(dialog, QDialog)
        dialog.close()
