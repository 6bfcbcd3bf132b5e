"""View > Theme: System, Light or Dark, remembered; System follows the desktop while running."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QPalette
from PySide6.QtWidgets import QApplication, QLabel

from kneelog.ui import theme
from kneelog.ui.theme import ThemeSwitch, is_dark

Window = QPalette.ColorRole.Window


@pytest.fixture
def settings(qsettings):
    """The window's settings (conftest), where the theme chosen is kept."""
    return qsettings


@pytest.fixture
def switch(qapp, settings):
    switch = ThemeSwitch(qapp, settings)
    yield switch
    switch.set_choice("system")  # the next test starts on the desktop's own palette


def lightness(widget) -> int:
    return widget.palette().color(Window).lightness()


def test_dark_is_chosen_in_the_menu_kept_and_opened_again(qtbot, store, settings, open_window):
    window = open_window(store)
    try:
        system = window.findChild(QAction, "theme_system")
        assert system.isChecked()  # nothing chosen yet: the desktop's scheme
        window.findChild(QAction, "theme_dark").trigger()
        assert is_dark(window.palette()) and is_dark(window.form.palette())
        title = window.form.title
        assert title.palette().color(title.foregroundRole()).lightness() > 128  # light words
        window.close()

        again = open_window(store, show=False)
        assert again.findChild(QAction, "theme_dark").isChecked()
        assert is_dark(again.palette())
        again.findChild(QAction, "theme_light").trigger()
        assert not is_dark(again.palette())
        assert settings.value(theme.SETTING) == "light"
        again.close()
    finally:
        window.theme.set_choice("system")


def test_a_chosen_scheme_is_fusion_with_kneelogs_palette_and_system_gives_it_back(qapp, switch):
    desktop = qapp.palette().color(Window).name()
    switch.set_choice("dark")
    assert qapp.style().name().lower() == "fusion"
    assert lightness(qapp) < 60 and switch.dark
    switch.set_choice("light")
    assert lightness(qapp) > 200 and not switch.dark
    switch.set_choice("system")
    assert qapp.palette().color(Window).name() == desktop


def test_system_follows_the_desktop_while_kneelog_runs(qtbot, qapp, switch, monkeypatch):
    label = QLabel("hello")
    qtbot.addWidget(label)
    label.show()
    applied = []
    switch.scheme_applied.connect(applied.append)
    switch.set_choice("system")
    assert not is_dark(label.palette())

    monkeypatch.setattr(theme, "system_is_dark", lambda app: True)
    qapp.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    qtbot.waitUntil(lambda: is_dark(label.palette()))
    assert applied[-1] is True

    switch.set_choice("light")  # a chosen scheme stays, whatever the desktop does
    qapp.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    qapp.processEvents()
    assert not is_dark(label.palette())

    monkeypatch.setattr(theme, "system_is_dark", lambda app: False)
    switch.set_choice("system")
    qapp.processEvents()
    assert not is_dark(label.palette())


def test_an_unknown_setting_is_the_system_scheme(switch, settings):
    settings.setValue(theme.SETTING, "sepia")
    assert switch.choice() == "system"
    with pytest.raises(ValueError, match="one of system, light, dark"):
        switch.set_choice("sepia")


def test_the_stylesheet_is_whole_in_both_schemes():
    light, dark = theme.stylesheet(False), theme.stylesheet(True)
    assert "@" not in light and "@" not in dark and light != dark
    assert QApplication.instance() is not None
