"""The post-run form: everything about one entry, quick with keys, with the knee drawing."""

from __future__ import annotations

import dataclasses
import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ..content import label
from ..fields import FIELDS, UNIT_WORDS, Field, Widget, enum_of
from ..model import Entry, InvalidEntry, Kind, Shoe, Units
from ..units import (
    climb_unit,
    format_climb,
    format_distance,
    format_duration,
    format_pace,
    parse_climb,
    parse_distance,
    parse_duration,
    parse_number,
)
from .body_map import BodyMap
from .when_edit import WhenEdit
from .widgets import ChipGroup, Scale

ADD_SHOE = "add"
# The form's title for a new entry, by kind: a check-in is not a session that "went".
TITLES = {Kind.CHECKIN: "Knee check-in: how does it feel today?"}
TITLE = "How did it go?"
# The form's widgets are attributes named after their field, except these (older, shorter
# names that the main window and the tests use). Pain scales are in `pains`, by field name.
ATTRIBUTES = {
    "started": "when",
    "distance_km": "distance",
    "duration_s": "duration",
    "elevation_gain_m": "elevation",
    "shoe_id": "shoes",
    "marks": "body_map",
}
# Widget kinds shown under a heading in the right column, beside the rows.
BESIDE = (Widget.KNEE, Widget.CHIPS, Widget.WARNINGS)
SHOWN = [f for f in FIELDS if f.widget is not None and f.widget is not Widget.KIND]
DEFAULTS = {
    f.name: f.default for f in dataclasses.fields(Entry) if f.default is not dataclasses.MISSING
}


def recorded_text(entry: Entry, units: Units = Units.KM) -> str:
    """What a watch recorded beyond the form's fields, in one line ('' when nothing)."""
    parts = []
    if entry.moving_s:
        parts.append(f"moving {format_duration(entry.moving_s)}")
    if entry.avg_hr:
        parts.append(f"{entry.avg_hr} bpm")
    if entry.cadence_spm:
        parts.append(f"{entry.cadence_spm:.0f} steps/min")
    if entry.elevation_loss_m and entry.elevation_gain_m is not None:
        parts.append(
            f"{format_climb(entry.elevation_gain_m, units)} up, "
            f"{format_climb(entry.elevation_loss_m, units)} down"
        )
    if not parts and not entry.device:
        return ""
    source = f"Recorded by {entry.device}" if entry.device else "Recorded"
    return source + (": " + ", ".join(parts) if parts else "")


def _header(text: str) -> QLabel:
    header = QLabel(text)
    header.setProperty("role", "section")
    return header


def _choice(combo: QComboBox, enum):
    """The chosen enum member (Qt hands item data back as the plain value)."""
    data = combo.currentData()
    return None if data is None else enum(data)


class RunForm(QWidget):
    """Signals: entry_submitted(Entry) when the runner saves (id set when editing);
    add_shoe_requested() when they pick "Add a pair..."; cancelled() when an edit is abandoned.
    """

    entry_submitted = Signal(object)
    add_shoe_requested = Signal()
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._units = Units.KM
        self._editing: Entry | None = None
        self._shoe_choice: int | None = None
        self._offered_shoes: list[tuple[str, int | None]] | None = None  # in the shoes list
        self._kind = Kind.RUN  # the last kind chosen: an exclusive choice must keep one
        self._build()
        self._on_kind_changed()
        self.set_units(self._units)  # the captions say their unit from the start
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(
                QKeySequence(keys),
                self,
                self.submit,
                context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
            ).setWhatsThis("Save the entry")
        QShortcut(
            QKeySequence("Escape"),
            self,
            self._on_cancel_clicked,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        ).setWhatsThis("Stop editing an entry, changing nothing")

    # -- construction --------------------------------------------------------------------

    def _build(self) -> None:
        self.title = QLabel(TITLE)
        self.title.setProperty("role", "title")
        self.recorded = QLabel()  # what the watch recorded, for an imported entry
        self.recorded.setProperty("role", "hint")
        self.recorded.setWordWrap(True)
        self.recorded.hide()
        self.kind = ChipGroup(
            [(k, label("kind", k)) for k in Kind], columns=4, exclusive=True, name="Kind of entry"
        )
        self.kind.set_value(Kind.RUN)
        self.kind.changed.connect(self._on_kind_changed)

        self.pace = QLabel()  # beside the time, worked out from distance and time
        self.pace.setProperty("role", "hint")
        self.pains: dict[str, Scale] = {}
        self._inputs: dict[str, QWidget] = {}  # field name -> the widget that asks for it
        for field in SHOWN:
            widget = self._make(field)
            self._inputs[field.name] = widget
            if field.widget is Widget.PAIN:
                self.pains[field.name] = widget
            else:
                setattr(self, ATTRIBUTES.get(field.name, field.name), widget)

        self.error = QLabel()
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)
        self.error.hide()
        self.save_button = QPushButton("Save entry")
        self.save_button.setMinimumWidth(160)
        self.save_button.setDefault(True)
        self.save_button.setToolTip("Save (Ctrl+Enter)")
        self.save_button.clicked.connect(self.submit)
        self.cancel_button = QPushButton("Cancel edit")
        self.cancel_button.clicked.connect(self._on_cancel_clicked)
        self.cancel_button.hide()

        self._rows: dict[str, list[QWidget]] = {}
        self._captions: dict[str, QLabel] = {}
        self._row_fields: dict[str, Field] = {}
        details = QGridLayout()
        details.setColumnStretch(1, 1)
        details.setVerticalSpacing(6)

        def row(field: Field, *widgets: QWidget) -> None:
            r = details.rowCount()
            caption = QLabel(field.caption())
            caption.setBuddy(widgets[0])  # Alt+letter focuses the input, never the box around it
            details.addWidget(caption, r, 0)
            if len(widgets) == 1:
                details.addWidget(widgets[0], r, 1)
            else:
                box = QHBoxLayout()
                for w in widgets:
                    box.addWidget(w)
                box.addStretch()
                holder = QWidget()
                holder.setLayout(box)
                box.setContentsMargins(0, 0, 0, 0)
                details.addWidget(holder, r, 1)
                widgets = (holder,)
            key = ATTRIBUTES.get(field.name, field.name)
            self._inputs[field.name].setAccessibleName(caption.text().replace("&", ""))
            self._rows[key] = [caption, *widgets]
            self._captions[key] = caption
            self._row_fields[key] = field

        beside: list[QWidget] = []
        below: list[QWidget] = []
        for field in SHOWN:
            widget = self._inputs[field.name]
            if field.widget in BESIDE:
                beside += [_header(field.label), widget]
            elif field.widget is Widget.NOTES:
                below += [_header(field.label), widget]
            elif field.widget is Widget.DURATION:
                row(field, widget, self.pace)
            else:
                row(field, widget)

        left = QVBoxLayout()
        left.addWidget(self.title)
        left.addWidget(self.recorded)
        left.addWidget(self.kind)
        left.addSpacing(6)
        left.addLayout(details)
        for widget in below:
            left.addWidget(widget)
        left.addStretch()

        right = QVBoxLayout()
        for widget in beside:
            right.addWidget(
                widget, 1 if widget is self.body_map else 0
            )  # the knee takes the height

        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addSpacing(16)
        columns.addLayout(right, 1)

        buttons = QHBoxLayout()
        buttons.addWidget(self.error, 1)
        buttons.addStretch()
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)

        # The fields scroll on small screens; Save stays in sight below them.
        fields = QWidget()
        fields.setLayout(columns)
        self._fields = fields
        scroll = QScrollArea()
        scroll.setWidget(fields)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll, 1)
        outer.addLayout(buttons)
        self._field_widgets = self._inputs  # where an error about a field is shown
        self._order_tabs()

    def _order_tabs(self) -> None:
        """Tab reads the form as a page: the kind, the left column top to bottom (the rows,
        then the notes), then the right one (the knee's buttons, the knee, the chips), then
        the buttons. Widgets made in FIELDS order alone would jump to the knee and back."""
        left = [f for f in SHOWN if f.widget not in BESIDE]
        right = [f for f in SHOWN if f.widget in BESIDE]
        chain: list[QWidget] = list(self.kind.buttons())
        for field in left + right:
            widget = self._inputs[field.name]
            if isinstance(widget, ChipGroup):
                chain += widget.buttons()
            elif isinstance(widget, BodyMap):
                chain += [*widget.controls(), widget]
            else:
                chain.append(widget)
        chain += [self.cancel_button, self.save_button]
        for before, after in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(before, after)

    def _make(self, field: Field) -> QWidget:
        """The widget that asks for `field`, by its widget kind."""
        kind = field.widget
        if kind is Widget.WHEN:
            return WhenEdit()
        if kind in (Widget.TEXT, Widget.DISTANCE, Widget.DURATION, Widget.NUMBER, Widget.CLIMB):
            edit = QLineEdit()
            edit.setPlaceholderText(field.hint)
            if kind in (Widget.DISTANCE, Widget.DURATION):
                edit.textChanged.connect(self._update_pace)
            if kind is Widget.DURATION:
                edit.editingFinished.connect(lambda: self._tidy_duration(edit))
            return edit
        if kind is Widget.CHOICE:
            combo = QComboBox()
            combo.addItem("-", None)
            for value in enum_of(field):
                combo.addItem(label(field.words, value), value)
            return combo
        if kind is Widget.SHOES:
            shoes = QComboBox()
            shoes.activated.connect(self._on_shoes_activated)
            return shoes
        if kind in (Widget.EFFORT, Widget.PAIN):
            return Scale(zones=kind is Widget.PAIN)
        if kind in (Widget.ONE_OF, Widget.CHIPS, Widget.WARNINGS):
            values = [(v, label(field.words, v)) for v in enum_of(field)]
            name = field.label.replace("&", "")
            if kind is Widget.ONE_OF:
                return ChipGroup(values, columns=3, exclusive=True, name=name)
            if kind is Widget.WARNINGS:  # what each sign means, as the triage panel says it
                tips = {v: label("warning_meaning", v) for v in enum_of(field)}
                return ChipGroup(values, columns=3, warning=True, name=name, tips=tips)
            return ChipGroup(values, columns=2, name=name)
        if kind is Widget.KNEE:
            body_map = BodyMap()
            body_map.setMinimumHeight(360)
            return body_map
        if kind is Widget.NOTES:
            notes = QPlainTextEdit()
            notes.setPlaceholderText(field.hint)
            notes.setTabChangesFocus(True)
            notes.setFixedHeight(64)
            notes.setAccessibleName(field.label)
            return notes
        raise ValueError(f"no widget for {kind}")

    # -- data in -------------------------------------------------------------------------

    def set_units(self, units: Units) -> None:
        self._units = units
        for key, field in self._row_fields.items():
            if field.widget is Widget.DISTANCE:
                self._set_caption(key, f"{field.caption()} ({units.value})")
            elif field.widget is Widget.CLIMB:
                self._set_caption(key, f"{field.caption()} ({climb_unit(units)})")
        self._update_pace()

    def set_shoes(self, shoes: list[Shoe], select: int | None = None) -> None:
        current = select if select is not None else self.shoes.currentData()
        offered = [(s.name, s.id) for s in shoes if not s.retired or s.id == current]
        if offered != self._offered_shoes:  # a run saved in shoes changes their distance only
            self._offered_shoes = offered
            self.shoes.clear()
            self.shoes.addItem("-", None)
            for name, shoe_id in offered:
                self.shoes.addItem(name, shoe_id)
            self.shoes.addItem("Add a pair...", ADD_SHOE)
        self._select(self.shoes, current)
        self._shoe_choice = self.shoes.currentData()

    def start_new(self, now: dt.datetime, last_run: Entry | None = None) -> None:
        """An empty form, with type, surface, shoes and knee side taken from the last run."""
        self._editing = None
        self.when.set_today(now.date())
        self._fill(Entry(kind=Kind.RUN, started=now.replace(second=0, microsecond=0)))
        if last_run:
            self._select(self.run_type, last_run.run_type)
            self._select(self.surface, last_run.surface)
            self._select(self.shoes, last_run.shoe_id)
            self._shoe_choice = self.shoes.currentData()
            if last_run.marks:
                self.body_map.set_side(last_run.marks[0].side)
        self.title.setText(TITLE)
        self.recorded.hide()
        self.save_button.setText("Save entry")
        self.cancel_button.hide()

    def edit(self, entry: Entry, title: str | None = None) -> None:
        self._editing = entry
        self._fill(entry)
        self.title.setText(title or f"Editing the entry of {entry.started:%a %d %b %Y}")
        self.recorded.setText(recorded_text(entry, self._units))
        self.recorded.setVisible(bool(self.recorded.text()))
        self.save_button.setText("Save changes")
        self.cancel_button.show()

    def comfortable_width(self) -> int:
        """The width at which every field shows without scrolling sideways (the form scrolls
        up and down on a low screen)."""
        scroll_bar = self.style().pixelMetric(self.style().PixelMetric.PM_ScrollBarExtent)
        return self._fields.minimumSizeHint().width() + scroll_bar + 4

    def focus_first_field(self) -> None:
        """Keyboard focus on the first thing to type for the kind chosen (a run: the distance)."""
        for key, field in self._row_fields.items():
            if key != "when" and self.kind.value() in field.kinds:
                self._inputs[field.name].setFocus(Qt.FocusReason.ShortcutFocusReason)
                return

    def focus_pain(self) -> None:
        """Keyboard focus on the first pain scale: digits rate it, Tab moves on."""
        self.pains["pain_start" if self.kind.value() is Kind.RUN else "pain_middle"].setFocus()

    def editing_id(self) -> int | None:
        return self._editing.id if self._editing else None

    def editing(self) -> Entry | None:
        """The entry the form was filled from (None: a new one), as it was then."""
        return self._editing

    def _fill(self, e: Entry) -> None:
        self.clear_error()
        self.kind.set_value(e.kind)
        for field in SHOWN:
            self._show(field, self._inputs[field.name], getattr(e, field.name))

    def _show(self, field: Field, widget: QWidget, value) -> None:
        kind = field.widget
        if kind is Widget.WHEN:
            widget.setDateTime(value)
        elif kind is Widget.DISTANCE:
            widget.setText(format_distance(value, self._units, unit=False))
        elif kind is Widget.DURATION:
            widget.setText(format_duration(value))
        elif kind is Widget.NUMBER:
            widget.setText("" if value is None else f"{value:g}")
        elif kind is Widget.CLIMB:
            widget.setText(format_climb(value, self._units, unit=False))
        elif kind is Widget.TEXT:
            widget.setText(value)
        elif kind is Widget.NOTES:
            widget.setPlainText(value)
        elif kind in (Widget.CHOICE, Widget.SHOES):
            self._select(widget, value)
            if kind is Widget.SHOES:
                self._shoe_choice = widget.currentData()
        elif kind is Widget.KNEE:
            widget.set_marks(value)
            if value:
                widget.set_side(value[0].side)
        elif kind in (Widget.CHIPS, Widget.WARNINGS):
            widget.set_selected(value)
        else:  # EFFORT, PAIN, ONE_OF
            widget.set_value(value)

    @staticmethod
    def _select(combo: QComboBox, data: object) -> None:
        index = combo.findData(data)
        combo.setCurrentIndex(max(index, 0))

    # -- data out ------------------------------------------------------------------------

    def collect(self) -> Entry:
        """The entry as typed; raises InvalidEntry for text that is not a number or a time.

        Every field the form shows is read (so nonsense in a hidden one is still caught), and
        saved only when the kind asks for it. What the form does not show stays as it was in
        the entry being edited: what a watch recorded, and which entry and which version of
        it the form was filled from, so that a save over a version changed elsewhere since is
        caught instead of silently replacing it. Saving means the pain is logged."""
        kind = self.kind.value()
        before = self._editing
        values = {
            f.name: getattr(before, f.name)
            for f in FIELDS
            if before and f.widget is None and f.kept
        }
        for field in SHOWN:
            value = self._read(field, self._inputs[field.name])
            values[field.name] = value if kind in field.kinds else DEFAULTS[field.name]
        return Entry(**values, kind=kind)

    def _read(self, field: Field, widget: QWidget):
        kind = field.widget
        if kind is Widget.WHEN:
            return widget.value()
        if kind is Widget.DISTANCE:
            before = self._editing
            if before and widget.text() == format_distance(
                getattr(before, field.name), self._units, unit=False
            ):
                return getattr(
                    before, field.name
                )  # untouched: the watch's metres, not the rounded text
            return parse_distance(widget.text(), self._units)
        if kind is Widget.DURATION:
            return parse_duration(widget.text())
        if kind is Widget.CLIMB:
            before = self._editing
            if before and widget.text() == format_climb(
                getattr(before, field.name), self._units, unit=False
            ):
                return getattr(before, field.name)  # untouched: not rounded through feet
            return parse_climb(widget.text(), self._units)
        if kind is Widget.NUMBER:
            unit = UNIT_WORDS.get(field.unit, field.unit)
            return parse_number(widget.text(), field.name, f"the {field.label.lower()} in {unit}")
        if kind is Widget.TEXT:
            return widget.text().strip()
        if kind is Widget.NOTES:
            return widget.toPlainText().strip()
        if kind is Widget.CHOICE:
            return _choice(widget, enum_of(field))
        if kind is Widget.SHOES:
            return widget.currentData()
        if kind is Widget.KNEE:
            return widget.marks()
        if kind in (Widget.CHIPS, Widget.WARNINGS):
            return widget.selected()
        return widget.value()  # EFFORT, PAIN, ONE_OF

    def submit(self) -> None:
        self.clear_error()
        try:
            entry = self.collect()
        except InvalidEntry as error:
            self.show_error(error)
            return
        self.entry_submitted.emit(entry)

    def show_error(self, error: InvalidEntry) -> None:
        """Show the message and mark the field; everything typed stays as it is."""
        self.clear_error()
        self.error.setText(error.message)
        self.error.show()
        widget = self._field_widgets.get(error.field)
        if widget is not None:
            widget.setProperty("invalid", True)
            widget.style().unpolish(widget)
            widget.style().polish(widget)
            widget.setFocus()
            widget.setToolTip(error.message)

    def error_text(self) -> str:
        return self.error.text() if self.error.isVisibleTo(self) else ""

    def clear_error(self) -> None:
        self.error.hide()
        self.error.clear()
        for widget in self._field_widgets.values():
            if widget.property("invalid"):
                widget.setProperty("invalid", False)
                widget.setToolTip("")
                widget.style().unpolish(widget)
                widget.style().polish(widget)

    # -- reactions -----------------------------------------------------------------------

    def _on_kind_changed(self) -> None:
        kind = self.kind.value()
        if kind is None:
            self.kind.set_value(self._kind)
            return
        self._kind = kind
        if self._editing is None:
            self.title.setText(TITLES.get(kind, TITLE))
        for key, widgets in self._rows.items():
            field = self._row_fields[key]
            for widget in widgets:
                widget.setVisible(kind in field.kinds)
            if field.kind_labels:
                self._set_caption(key, field.caption(kind))

    def _set_caption(self, key: str, text: str) -> None:
        """A row's caption, and the name a screen reader gives its field."""
        self._captions[key].setText(text)
        self._inputs[self._row_fields[key].name].setAccessibleName(text.replace("&", ""))

    def _on_shoes_activated(self, index: int) -> None:
        if self.shoes.itemData(index) == ADD_SHOE:
            self._select(self.shoes, self._shoe_choice)
            self.add_shoe_requested.emit()
        else:
            self._shoe_choice = self.shoes.itemData(index)

    def _on_cancel_clicked(self) -> None:
        if self._editing is not None:
            self.cancelled.emit()

    @staticmethod
    def _tidy_duration(edit: QLineEdit) -> None:
        """Show a time typed with a dot as it was read ('52.30' as 52:30), so that no reading
        goes unseen."""
        if not any(mark in edit.text() for mark in ".,"):
            return
        try:
            seconds = parse_duration(edit.text())
        except InvalidEntry:
            return  # kept as typed: saving says how to write it
        if seconds is not None and edit.text() != format_duration(seconds):
            edit.setText(format_duration(seconds))

    def _update_pace(self) -> None:
        try:
            km = parse_distance(self.distance.text(), self._units)
            seconds = parse_duration(self.duration.text())
        except InvalidEntry:
            km = seconds = None
        self.pace.setText(format_pace(seconds / km, self._units) if km and seconds else "")
