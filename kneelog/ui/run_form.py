"""The post-run form: everything about one entry, quick with keys, with the knee drawing."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDateTime, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
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
from ..model import (
    Change,
    Entry,
    InvalidEntry,
    Kind,
    Relative,
    RunType,
    Shoe,
    Surface,
    TimeCourse,
    Trigger,
    Units,
    Warning,
)
from ..units import format_distance, format_duration, format_pace, parse_distance, parse_duration, parse_number
from .body_map import BodyMap
from .widgets import ChipGroup, Scale

ADD_SHOE = "add"
# Entry fields the form does not show, recorded by a watch: an edit keeps them as they were.
RECORDED = ("moving_s", "elevation_loss_m", "avg_hr", "cadence_spm", "device", "source_hash")

# Which rows each kind of entry shows; pain rows are named after the Entry field.
ROWS = {
    Kind.RUN: {"distance", "duration", "run_type", "surface", "elevation", "shoes", "rpe",
               "pain_start", "pain_middle", "pain_end", "pain_later", "pain_next_morning",
               "time_course"},
    Kind.STRENGTH: {"duration", "activity", "rpe", "pain_middle", "pain_end", "pain_later",
                    "pain_next_morning"},
    Kind.CROSS: {"activity", "distance", "duration", "rpe", "pain_middle", "pain_end",
                 "pain_later", "pain_next_morning"},
    Kind.CHECKIN: {"pain_later", "pain_next_morning"},
}
PAIN_LABELS = {
    "pain_start": "Pain at the start",
    "pain_middle": "Pain in the middle",
    "pain_end": "Pain at the end",
    "pain_later": "Pain later that day",
    "pain_next_morning": "Pain next morning",
}
CHECKIN_PAIN_LABELS = {"pain_later": "Pain today"}


def recorded_text(entry: Entry) -> str:
    """What a watch recorded beyond the form's fields, in one line ('' when nothing)."""
    parts = []
    if entry.moving_s:
        parts.append(f"moving {format_duration(entry.moving_s)}")
    if entry.avg_hr:
        parts.append(f"{entry.avg_hr} bpm")
    if entry.cadence_spm:
        parts.append(f"{entry.cadence_spm:.0f} steps/min")
    if entry.elevation_loss_m and entry.elevation_gain_m is not None:
        parts.append(f"{entry.elevation_gain_m:.0f} m up, {entry.elevation_loss_m:.0f} m down")
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
        self._kind = Kind.RUN  # the last kind chosen: an exclusive choice must keep one
        self._build()
        self._on_kind_changed()
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.submit,
                      context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence("Escape"), self, self._on_cancel_clicked,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)

    # -- construction --------------------------------------------------------------------

    def _build(self) -> None:
        self.title = QLabel("How did it go?")
        self.title.setProperty("role", "title")
        self.recorded = QLabel()  # what the watch recorded, for an imported entry
        self.recorded.setProperty("role", "hint")
        self.recorded.setWordWrap(True)
        self.recorded.hide()
        self.kind = ChipGroup([(k, label("kind", k)) for k in Kind], columns=4, exclusive=True)
        self.kind.set_value(Kind.RUN)
        self.kind.changed.connect(self._on_kind_changed)

        self.when = QDateTimeEdit()
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("ddd d MMM yyyy  HH:mm")
        self.distance = QLineEdit()
        self.distance.setPlaceholderText("8.4")
        self.duration = QLineEdit()
        self.duration.setPlaceholderText("52:30")
        self.pace = QLabel()
        self.pace.setProperty("role", "hint")
        for edit in (self.distance, self.duration):
            edit.textChanged.connect(self._update_pace)
        self.activity = QLineEdit()
        self.activity.setPlaceholderText("Bike, swim, gym...")
        self.run_type = QComboBox()
        self.surface = QComboBox()
        self.time_course = QComboBox()
        for combo, group, enum in ((self.run_type, "run_type", RunType),
                                   (self.surface, "surface", Surface),
                                   (self.time_course, "time_course", TimeCourse)):
            combo.addItem("-", None)
            for value in enum:
                combo.addItem(label(group, value), value)
        self.shoes = QComboBox()
        self.shoes.activated.connect(self._on_shoes_activated)
        self.elevation = QLineEdit()
        self.elevation.setPlaceholderText("0")
        self.rpe = Scale(zones=False)
        self.pains = {name: Scale() for name in PAIN_LABELS}

        self.body_map = BodyMap()
        self.triggers = ChipGroup([(t, label("trigger", t)) for t in Trigger], columns=2)
        self.changes = ChipGroup([(c, label("change", c)) for c in Change], columns=2)
        self.warnings = ChipGroup([(w, label("warning", w)) for w in Warning], columns=3, warning=True)
        self.sleep = ChipGroup([(r, label("sleep", r)) for r in Relative], columns=3, exclusive=True)
        self.stress = ChipGroup([(r, label("stress", r)) for r in Relative], columns=3, exclusive=True)
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText("Anything else worth remembering")
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(64)

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
        details = QGridLayout()
        details.setColumnStretch(1, 1)
        details.setVerticalSpacing(6)

        def row(key: str | None, text: str, *widgets: QWidget) -> None:
            r = details.rowCount()
            caption = QLabel(text)
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
            caption.setBuddy(widgets[0])
            if key:
                self._rows[key] = [caption, *widgets]
                self._captions[key] = caption

        row(None, "&When", self.when)
        row("activity", "Activity", self.activity)
        row("distance", "&Distance", self.distance)
        row("duration", "&Time", self.duration, self.pace)
        row("run_type", "T&ype", self.run_type)
        row("surface", "Surface", self.surface)
        row("elevation", "Climb (m)", self.elevation)
        row("shoes", "S&hoes", self.shoes)
        row("rpe", "Effort", self.rpe)
        for name, text in PAIN_LABELS.items():
            row(name, text, self.pains[name])
        row("time_course", "How it e&volved", self.time_course)
        row(None, "Sleep", self.sleep)
        row(None, "Stress", self.stress)

        left = QVBoxLayout()
        left.addWidget(self.title)
        left.addWidget(self.recorded)
        left.addWidget(self.kind)
        left.addSpacing(6)
        left.addLayout(details)
        left.addWidget(_header("Notes"))
        left.addWidget(self.notes)
        left.addStretch()

        right = QVBoxLayout()
        right.addWidget(_header("Where does it hurt? Click the knee"))
        self.body_map.setMinimumHeight(360)
        right.addWidget(self.body_map, 1)
        right.addWidget(_header("What sets it off"))
        right.addWidget(self.triggers)
        right.addWidget(_header("What changed in the last two weeks"))
        right.addWidget(self.changes)
        right.addWidget(_header("Warning signs"))
        right.addWidget(self.warnings)

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
        scroll = QScrollArea()
        scroll.setWidget(fields)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll, 1)
        outer.addLayout(buttons)
        self._field_widgets = {
            "started": self.when, "distance_km": self.distance, "duration_s": self.duration,
            "elevation_gain_m": self.elevation, "shoe_id": self.shoes, "rpe": self.rpe,
            "marks": self.body_map, "activity": self.activity, **self.pains,
        }

    # -- data in -------------------------------------------------------------------------

    def set_units(self, units: Units) -> None:
        self._units = units
        self._captions["distance"].setText(f"&Distance ({units.value})")
        self._update_pace()

    def set_shoes(self, shoes: list[Shoe], select: int | None = None) -> None:
        current = select if select is not None else self.shoes.currentData()
        self.shoes.clear()
        self.shoes.addItem("-", None)
        for shoe in shoes:
            if not shoe.retired or shoe.id == current:
                self.shoes.addItem(shoe.name, shoe.id)
        self.shoes.addItem("Add a pair...", ADD_SHOE)
        self._select(self.shoes, current)
        self._shoe_choice = self.shoes.currentData()

    def start_new(self, now: dt.datetime, last_run: Entry | None = None) -> None:
        """An empty form, with type, surface, shoes and knee side taken from the last run."""
        self._editing = None
        self._fill(Entry(kind=Kind.RUN, started=now.replace(second=0, microsecond=0)))
        if last_run:
            self._select(self.run_type, last_run.run_type)
            self._select(self.surface, last_run.surface)
            self._select(self.shoes, last_run.shoe_id)
            self._shoe_choice = self.shoes.currentData()
            if last_run.marks:
                self.body_map.set_side(last_run.marks[0].side)
        self.title.setText("How did it go?")
        self.recorded.hide()
        self.save_button.setText("Save entry")
        self.cancel_button.hide()

    def edit(self, entry: Entry, title: str | None = None) -> None:
        self._editing = entry
        self._fill(entry)
        self.title.setText(title or f"Editing the entry of {entry.started:%a %d %b %Y}")
        self.recorded.setText(recorded_text(entry))
        self.recorded.setVisible(bool(self.recorded.text()))
        self.save_button.setText("Save changes")
        self.cancel_button.show()

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
        self.when.setDateTime(QDateTime(e.started))
        self.distance.setText(format_distance(e.distance_km, self._units, unit=False))
        self.duration.setText(format_duration(e.duration_s))
        self.activity.setText(e.activity)
        self._select(self.run_type, e.run_type)
        self._select(self.surface, e.surface)
        self._select(self.time_course, e.time_course)
        self._select(self.shoes, e.shoe_id)
        self._shoe_choice = self.shoes.currentData()
        self.elevation.setText("" if e.elevation_gain_m is None else f"{e.elevation_gain_m:g}")
        self.rpe.set_value(e.rpe)
        for name, scale in self.pains.items():
            scale.set_value(getattr(e, name))
        self.body_map.set_marks(e.marks)
        if e.marks:
            self.body_map.set_side(e.marks[0].side)
        self.triggers.set_selected(e.triggers)
        self.changes.set_selected(e.changes)
        self.warnings.set_selected(e.warnings)
        self.sleep.set_value(e.sleep)
        self.stress.set_value(e.stress)
        self.notes.setPlainText(e.notes)

    @staticmethod
    def _select(combo: QComboBox, data: object) -> None:
        index = combo.findData(data)
        combo.setCurrentIndex(max(index, 0))

    # -- data out ------------------------------------------------------------------------

    def collect(self) -> Entry:
        """The entry as typed; raises InvalidEntry for text that is not a number or a time."""
        kind = self.kind.value()
        shown = ROWS[kind]

        def ask(key: str, value):
            return value if key in shown else None

        started = self.when.dateTime().toPython().replace(second=0, microsecond=0)
        distance = parse_distance(self.distance.text(), self._units)
        before = self._editing
        if before and self.distance.text() == format_distance(before.distance_km, self._units, unit=False):
            distance = before.distance_km  # untouched: keep the watch's metres, not the rounded text
        # What the watch recorded stays with the entry; saving it means the pain is logged.
        recorded = {}
        if before:
            recorded = {name: getattr(before, name) for name in RECORDED}
            # Which entry, and which version of it, the form was filled from: a save over a
            # version changed elsewhere since is caught instead of silently replacing it.
            recorded.update(uuid=before.uuid, version=before.version)
        return Entry(
            **recorded,
            id=self.editing_id(),
            kind=kind,
            started=started,
            distance_km=ask("distance", distance),
            duration_s=ask("duration", parse_duration(self.duration.text())),
            activity=self.activity.text().strip() if "activity" in shown else "",
            run_type=ask("run_type", _choice(self.run_type, RunType)),
            surface=ask("surface", _choice(self.surface, Surface)),
            elevation_gain_m=ask("elevation", parse_number(self.elevation.text(), "elevation_gain_m",
                                                           "the climb in metres")),
            shoe_id=ask("shoes", self.shoes.currentData()),
            rpe=ask("rpe", self.rpe.value()),
            **{name: ask(name, scale.value()) for name, scale in self.pains.items()},
            time_course=ask("time_course", _choice(self.time_course, TimeCourse)),
            triggers=self.triggers.selected(),
            changes=self.changes.selected(),
            warnings=self.warnings.selected(),
            sleep=self.sleep.value(),
            stress=self.stress.value(),
            notes=self.notes.toPlainText().strip(),
            marks=self.body_map.marks(),
        )

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
        for key, widgets in self._rows.items():
            for widget in widgets:
                widget.setVisible(key in ROWS[kind])
        self._captions["pain_later"].setText(
            CHECKIN_PAIN_LABELS["pain_later"] if kind is Kind.CHECKIN else PAIN_LABELS["pain_later"]
        )

    def _on_shoes_activated(self, index: int) -> None:
        if self.shoes.itemData(index) == ADD_SHOE:
            self._select(self.shoes, self._shoe_choice)
            self.add_shoe_requested.emit()
        else:
            self._shoe_choice = self.shoes.itemData(index)

    def _on_cancel_clicked(self) -> None:
        if self._editing is not None:
            self.cancelled.emit()

    def _update_pace(self) -> None:
        try:
            km = parse_distance(self.distance.text(), self._units)
            seconds = parse_duration(self.duration.text())
        except InvalidEntry:
            km = seconds = None
        self.pace.setText(format_pace(seconds / km, self._units) if km and seconds else "")
