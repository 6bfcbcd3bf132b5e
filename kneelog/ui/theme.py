"""Light or dark: the system's colour scheme, or the runner's choice in View > Theme.

Widgets take their colours from their palette, or from `colours_for(widget)`: kneelog's
named colours (resources/colours.toml) of the scheme their palette is in. A widget that
paints redraws on a palette change; the main window sets the stylesheet of the scheme.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QColor, QPalette
from PySide6.QtWidgets import QApplication, QMenu, QStyleFactory, QWidget

from ..colours import colours, fill_in, text_on
from ..content import resource_bytes

CHOICES = (("system", "&System"), ("light", "&Light"), ("dark", "&Dark"))
SETTING = "view/theme"
# Properties of the application: whether kneelog's palette or scheme is in place (so that
# "system" gives the desktop's back), and the style it started with.
OURS, NATIVE_STYLE = "kneelogPalette", "kneelogNativeStyle"

Role = QPalette.ColorRole
Group = QPalette.ColorGroup
# Each palette role and the colour it takes, by name in resources/colours.toml.
PALETTE_ROLES = {
    Role.Window: "window",
    Role.WindowText: "window_text",
    Role.Base: "base",
    Role.AlternateBase: "alternate_base",
    Role.Text: "text",
    Role.Button: "button",
    Role.ButtonText: "button_text",
    Role.Highlight: "highlight",
    Role.HighlightedText: "highlighted_text",
    Role.Link: "link",
    Role.LinkVisited: "link_visited",
    Role.ToolTipBase: "tooltip_base",
    Role.ToolTipText: "tooltip_text",
    Role.PlaceholderText: "placeholder",
    Role.Light: "light",
    Role.Midlight: "midlight",
    Role.Mid: "mid",
    Role.Dark: "dark",
    Role.Shadow: "shadow",
    Role.BrightText: "bright_text",
}


class Colours:
    """The named colours of one scheme: `colours["title"]` is a QColor."""

    def __init__(self, dark: bool):
        self.dark = dark
        self.names = colours(dark)

    def __getitem__(self, name: str) -> QColor:
        return QColor(self.names[name])

    @staticmethod
    def text_on(fill: QColor) -> QColor:
        """Black or white, whichever reads better on this fill."""
        return QColor(text_on(fill.name()))


def is_dark(palette: QPalette) -> bool:
    """Whether a palette is a dark one: light text on a dark window."""
    return palette.color(Role.Window).lightness() < palette.color(Role.WindowText).lightness()


def colours_for(widget: QWidget) -> Colours:
    """kneelog's colours of the scheme the widget's palette is in."""
    return Colours(is_dark(widget.palette()))


def repaints_for(event: QEvent) -> bool:
    """Whether a widget's changeEvent may bring another scheme (its colours to pick again)."""
    return event.type() in (
        QEvent.Type.PaletteChange,
        QEvent.Type.ApplicationPaletteChange,
        QEvent.Type.StyleChange,
    )


def palette(dark: bool) -> QPalette:
    """The whole palette of a scheme, for Qt's Fusion style."""
    named = Colours(dark)
    result = QPalette()
    for role, name in PALETTE_ROLES.items():
        result.setColor(role, named[name])
    for role in (Role.WindowText, Role.Text, Role.ButtonText, Role.PlaceholderText):
        result.setColor(Group.Disabled, role, named["disabled_text"])
    result.setColor(Group.Disabled, Role.Highlight, named["mid"])
    return result


def stylesheet(dark: bool) -> str:
    """kneelog's stylesheet (resources/style.qss) in the colours of a scheme."""
    return fill_in(resource_bytes("style.qss").decode("utf-8"), colours(dark))


def system_is_dark(app: QApplication) -> bool:
    """Whether the desktop asks for dark: its colour scheme, else its palette."""
    scheme = app.styleHints().colorScheme()
    if scheme != Qt.ColorScheme.Unknown:
        return scheme == Qt.ColorScheme.Dark
    return is_dark(app.palette())


class ThemeSwitch(QObject):
    """Light or dark for the whole application, by the runner's choice (kept in the settings)
    or, for "system", by the desktop's colour scheme while kneelog runs.

    A chosen Light or Dark sets Qt's Fusion style and its palette, which look the same on any
    desktop; "system" keeps the desktop's own style and palette, and only when the desktop's
    scheme and palette disagree (a dark scheme with a light palette) gives kneelog's palette.

    Signals: scheme_applied(bool) after each change of palette, with whether it is dark:
    widgets under a stylesheet keep the palette they were polished with until the stylesheet
    is set again.
    """

    scheme_applied = Signal(bool)

    def __init__(self, app: QApplication, settings: QSettings, parent: QObject | None = None):
        super().__init__(parent)
        self._app = app
        self._settings = settings
        self._applying = False
        self.dark = is_dark(app.palette())
        app.styleHints().colorSchemeChanged.connect(self._on_hints_color_scheme_changed)

    def _native_style(self) -> str:
        """The style Qt gave the application, noted before kneelog first changes it. Asked
        only then: app.style() makes PySide6 build its QStyle type, 5 ms of start-up
        (bench_startup), and a runner on "system" never needs it."""
        if not self._app.property(NATIVE_STYLE):
            self._app.setProperty(NATIVE_STYLE, self._app.style().name())
        return str(self._app.property(NATIVE_STYLE))

    def choice(self) -> str:
        value = self._settings.value(SETTING, "system")
        return value if value in dict(CHOICES) else "system"

    def set_choice(self, choice: str) -> None:
        if choice not in dict(CHOICES):
            raise ValueError(f"The theme is one of {', '.join(dict(CHOICES))}, not {choice!r}.")
        self._settings.setValue(SETTING, choice)
        self.apply()

    def add_menu(self, menu: QMenu) -> QMenu:
        """A Theme submenu of `menu`: System, Light, Dark, the current choice checked."""
        themes = menu.addMenu("Th&eme")
        group = QActionGroup(themes)
        for choice, text in CHOICES:
            action = QAction(text, themes, checkable=True)
            action.setObjectName(f"theme_{choice}")
            action.setChecked(choice == self.choice())
            action.triggered.connect(lambda _checked, c=choice: self.set_choice(c))
            group.addAction(action)
            themes.addAction(action)
        return themes

    def apply(self) -> None:
        """Give the application the palette and style of the chosen scheme."""
        app, choice = self._app, self.choice()
        self._applying = True  # asking Qt for a scheme may itself announce a change
        try:
            hints = app.styleHints()
            if choice == "system":
                if app.property(OURS):  # the desktop's own back, and only then: start-up
                    if hasattr(hints, "unsetColorScheme"):  # Qt 6.8 and newer
                        hints.unsetColorScheme()
                    if app.style().name().lower() != self._native_style().lower():
                        app.setStyle(QStyleFactory.create(self._native_style()))
                    app.setPalette(QPalette())
                    app.setProperty(OURS, False)
                dark = system_is_dark(app)
                if dark != is_dark(app.palette()):
                    app.setPalette(palette(dark))
                    app.setProperty(OURS, True)
            else:
                dark = choice == "dark"
                if hasattr(hints, "setColorScheme"):
                    hints.setColorScheme(Qt.ColorScheme.Dark if dark else Qt.ColorScheme.Light)
                self._native_style()  # noted before it is changed
                if app.style().name().lower() != "fusion":
                    app.setStyle(QStyleFactory.create("Fusion"))
                app.setPalette(palette(dark))
                app.setProperty(OURS, True)
        finally:
            self._applying = False
        self.dark = dark
        self.scheme_applied.emit(dark)

    def _on_hints_color_scheme_changed(self, _scheme) -> None:
        if not self._applying and self.choice() == "system":
            self.apply()
