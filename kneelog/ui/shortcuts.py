"""Help > Keyboard shortcuts: every key of the window, read from its actions and shortcuts.

Nothing here lists a key by hand but the keys inside a field (the pain scales, the knee, the
day), which each widget states itself in its KEYS; a menu item or shortcut added anywhere in
the window shows up here by itself.
"""

from __future__ import annotations

import html

from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMenu,
    QMenuBar,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from .body_map import BodyMap
from .when_edit import WhenEdit
from .widgets import Scale

NATIVE = QKeySequence.SequenceFormat.NativeText
FIELD_KEYS = (
    ("On a pain or effort scale", Scale.KEYS),
    ("On the knee drawing", BodyMap.KEYS),
    ("In the day and time", WhenEdit.KEYS),
)


def _words(text: str) -> str:
    """A menu item's text as read in a sentence: no Alt+letter mark, no dots."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").removesuffix("...")


def _keys(sequences) -> str:
    return " or ".join(s.toString(NATIVE) for s in sequences if not s.isEmpty())


def window_keys(window: QWidget, menu_bar: QMenuBar) -> list[tuple[str, list[tuple[str, str]]]]:
    """[(where, [(keys, what it does)])]: each menu's items with a key, then the shortcuts
    that belong to a part of the window (their whatsThis says what they do)."""
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    in_menus: set[QAction] = set()

    def walk(menu: QMenu, title: str) -> None:
        rows = []
        for action in menu.actions():
            in_menus.add(action)
            if action.menu() is not None:
                walk(action.menu(), f"{title} > {_words(action.text())}")
            elif keys := _keys(action.shortcuts()):
                rows.append((keys, _words(action.text())))
        if rows:
            groups.append((title, rows))

    for top in menu_bar.actions():
        if top.menu() is not None:
            walk(top.menu(), _words(top.text()))
    elsewhere = [
        (keys, _words(action.text()))
        for action in window.findChildren(QAction)
        if action not in in_menus and (keys := _keys(action.shortcuts()))
    ]
    elsewhere += [
        (keys, shortcut.whatsThis())
        for shortcut in window.findChildren(QShortcut)
        if shortcut.whatsThis() and (keys := _keys(shortcut.keys()))
    ]
    if elsewhere:
        groups.append(("In the form and the history", _merged(elsewhere)))
    groups += [(where, [(k, w[0].upper() + w[1:]) for k, w in keys]) for where, keys in FIELD_KEYS]
    return groups


def _merged(rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """One row for each thing done, with every key that does it (Ctrl+Return or Ctrl+Enter)."""
    keys: dict[str, list[str]] = {}
    for key, what in rows:
        keys.setdefault(what, [])
        if key not in keys[what]:
            keys[what].append(key)
    return [(" or ".join(k), what) for what, k in keys.items()]


class ShortcutsDialog(QDialog):
    """The window's keys, grouped by where they work; read-only."""

    def __init__(self, window: QWidget, menu_bar: QMenuBar, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.page = QTextBrowser()
        self.page.setAccessibleName("Keyboard shortcuts")
        rows = []  # one table, so that the columns line up from group to group
        for where, keys in window_keys(window, menu_bar):
            rows.append(
                f"<tr><td colspan='2' style='padding:12px 0 4px 0'><b>{html.escape(where)}</b>"
                "</td></tr>"
            )
            rows += [
                f"<tr><td style='padding:2px 18px 2px 8px'>{html.escape(key)}</td>"
                f"<td style='padding:2px 0'>{html.escape(what)}</td></tr>"
                for key, what in keys
            ]
        self.page.setHtml(f"<table>{''.join(rows)}</table>")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.page)
        layout.addWidget(buttons)
        self.resize(620, 600)

    def text(self) -> str:
        return self.page.toPlainText()
