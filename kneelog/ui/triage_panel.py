"""The triage side panel: draws a triage.Triage, sends what the runner chose as signals.

It computes nothing and writes nothing; the main window turns the signals into journal
writes and hands back a fresh Triage. Every text comes from resources/triage.toml.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ..content import label, region_name, triage_text
from ..model import Units, WarningSign
from ..units import format_days, format_distance

if TYPE_CHECKING:
    from collections.abc import Collection

    from ..triage import Review, Step, Triage

PLAN_CHOICE_OWN = "__own__"


def _label(words: str, role: str | None = None) -> QLabel:
    """Plain words, wrapped. Never rich text: a save that changes a figure in the panel lays
    out the labels again, and rich text made that the longest part of the save's frame (some
    5 ms, bench_frame)."""
    widget = QLabel(words)
    widget.setWordWrap(True)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    if role:
        widget.setProperty("role", role)
    return widget


def _write_words(body: QWidget, words: dict[str, str]) -> bool:
    """Write each text into the label of that name in `body`, where it differs (an unchanged
    label is not laid out again); False, writing nothing, when a label is missing."""
    shown = {name: body.findChild(QLabel, name) for name in words}
    if any(widget is None for widget in shown.values()):
        return False
    for name, widget in shown.items():
        if widget.text() != words[name]:
            widget.setText(words[name])
    return True


def _bullets(lines) -> str:
    return "\n".join(f"\u2022 {line}" for line in lines)


class WrappedCheck(QWidget):
    """A check box whose words wrap to the panel's width (QCheckBox's own text never wraps).

    Clicking the words ticks the box, as with a plain QCheckBox."""

    def __init__(self, words: str, name: str, checked: bool, tip: str = ""):
        super().__init__()
        self.setToolTip(tip)  # the box and its words
        self.box = QCheckBox()
        self.box.setObjectName(name)
        self.box.setChecked(checked)
        self.box.setAccessibleName(words)
        self.box.setToolTip(tip)
        self.words = QLabel(words)
        self.words.setWordWrap(True)
        self.words.setBuddy(self.box)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.box, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.words, 1)

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.box.toggle()
            self.box.setFocus()


class Section(QFrame):
    """A numbered step of the panel with a title; its body is rebuilt on every update."""

    def __init__(self, number: int, title: str):
        super().__init__()
        self.setProperty("role", "triageSection")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 10)
        layout.setSpacing(6)
        self.title = _label(f"{number}. {title}", "section")
        layout.addWidget(self.title)
        self.body = QWidget()
        layout.addWidget(self.body)

    def clear(self) -> None:
        """Start the step's body afresh; `add` fills it and `show_body` puts it in place."""
        self._next = QWidget()
        self.body_layout = QVBoxLayout(self._next)
        self.body_layout.setContentsMargins(0, 0, 0, 0)
        self.body_layout.setSpacing(6)

    def add(self, widget: QWidget) -> QWidget:
        self.body_layout.addWidget(widget)
        return widget

    def show_body(self) -> None:
        """Swap the new body in, shown in one go (showing each widget as it comes is slow).

        A new body made of the same widgets as the one on screen (the same kinds, names and
        roles, in the same order: the figures moved, nothing else) is not shown: its words are
        written into the widgets on screen, far quicker than styling and laying out new ones.
        """
        if _same_shape(self.body, self._next):
            for shown, new in zip(
                self.body.findChildren(QWidget), self._next.findChildren(QWidget), strict=True
            ):
                if isinstance(shown, QLabel) and shown.text() != new.text():
                    shown.setText(new.text())
                if shown.toolTip() != new.toolTip():
                    shown.setToolTip(new.toolTip())
            self._next.deleteLater()
            return
        old, self.body = self.body, self._next
        self.layout().replaceWidget(old, self.body)
        old.hide()  # gone now; deleted once the event that rebuilt it is over
        old.deleteLater()
        self.body.show()


_PLAIN = (QLabel, QFrame, QPushButton)  # widgets whose state is all in their words


def _shape(body: QWidget) -> list[tuple] | None:
    """What a step's body is made of, or None when it holds a widget with a state of its own
    (a box to tick, a list to choose from) that words alone do not carry over."""
    shape = []
    for w in body.findChildren(QWidget):
        if type(w) is not QWidget and type(w) not in _PLAIN:
            return None
        words = w.text() if isinstance(w, QPushButton) else None
        shape.append((type(w), w.objectName(), w.property("role"), words))
    return shape


def _same_shape(shown: QWidget, new: QWidget) -> bool:
    before = _shape(shown)
    return before is not None and bool(before) and before == _shape(new)


class TriagePanel(QWidget):
    """Signals:
    answer_changed(str question id, bool yes); assessed(); plan_requested(str kind, int days,
    str change, object pattern id or None); plan_ended(); tick_changed(str step id, bool done)
    for today.
    """

    answer_changed = Signal(str, bool)
    assessed = Signal()
    plan_requested = Signal(str, int, str, object)
    plan_ended = Signal()
    tick_changed = Signal(str, bool)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._triage: Triage | None = None
        self._units = Units.KM
        self._today = dt.date.today()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.setMinimumWidth(300)

    def _build(self) -> None:
        """The banner and the five steps, made with the first triage shown rather than with
        the panel: the window's first paint does without them (8 ms of start-up,
        bench_startup), and the panel appears whole at once."""
        self._words = triage_text()
        self.guidance = _label("", "guidance-none")  # today's word on running, in the plan step
        self.guidance.setObjectName("guidance")
        outer = self.layout()
        self.not_advice = _label(self._words["not_advice"], "notAdvice")
        self.not_advice.setObjectName("notAdvice")
        outer.addWidget(self.not_advice)

        content = QWidget()
        content.setObjectName("triageContent")
        column = QVBoxLayout(content)
        column.setContentsMargins(6, 6, 6, 6)
        column.setSpacing(8)
        w = self._words
        self.flags = Section(1, w["red_flags"]["title"])
        self.where = Section(2, w["where"]["title"])
        self.patterns = Section(3, w["patterns"]["title"])
        self.plan = Section(4, w["plan"]["title"])
        self.review = Section(5, w["review"]["title"])
        for section in (self.flags, self.where, self.patterns, self.plan, self.review):
            column.addWidget(section)
        column.addStretch(1)

        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(content)
        outer.addWidget(self.scroll, 1)
        for widget in (self.not_advice, self.scroll):  # now: a layout would show them later
            widget.show()

    def sizeHint(self) -> QSize:
        return QSize(420, 800)

    @property
    def shown(self) -> Triage | None:
        """The triage on show; None until the window's first paint has been followed by one."""
        return self._triage

    # -- data in ---------------------------------------------------------------------------

    def set_triage(
        self,
        triage: Triage,
        today: dt.date,
        units: Units = Units.KM,
        steps: Collection[Step] | None = None,
    ) -> None:
        """Show `triage`, drawing again the steps named (all of them by default; see
        triage.changed_steps). Today's guidance is written into its place without drawing
        the plan again."""
        from .. import triage as reasoning  # loaded after the first paint, as the panel is filled

        Step = reasoning.Step  # noqa: N806  (the enum, under its own name)
        if self._triage is None:
            self._build()
        before = self._triage
        self._triage, self._today, self._units = triage, today, units
        steps = frozenset(Step) if steps is None else frozenset(steps)
        for step, section, fill in (
            (Step.RED_FLAGS, self.flags, self._fill_flags),
            (Step.WHERE, self.where, self._fill_where),
            (Step.PATTERNS, self.patterns, self._fill_patterns),
            (Step.PLAN, self.plan, self._fill_plan),
            (Step.REVIEW, self.review, self._fill_review),
        ):
            if step in steps:
                if step is Step.PATTERNS and before and self._write_pattern_lines(before, triage):
                    continue
                if step is Step.REVIEW and before and self._write_review_figures(before, triage):
                    continue
                section.clear()
                fill(triage)
                section.show_body()
        if Step.GUIDANCE in steps:
            self._show_guidance(triage)

    def _write_pattern_lines(self, before: Triage, after: Triage) -> bool:
        """When only the journal's lines under found patterns changed (a save moved a figure),
        write them into their cards rather than making the six cards anew (a millisecond of
        the save's frame, bench_frame). False when anything else changed."""

        def cards(t: Triage) -> tuple:
            return (
                t.onset is None,
                t.plan is None and t.plan_allowed,
                [(e.pattern, e.found, e.enough_data, bool(e.lines)) for e in t.evidence],
            )

        if cards(before) != cards(after):
            return False
        return _write_words(
            self.patterns.body,
            {f"lines:{e.pattern}": _bullets(e.lines) for e in after.evidence if e.lines},
        )

    @property
    def shown_for(self) -> tuple[dt.date, Units]:
        """The day and units the triage on show was drawn for."""
        return self._today, self._units

    def _show_guidance(self, t: Triage) -> None:
        self.guidance.setText(t.guidance.text)
        self.guidance.setProperty("role", f"guidance-{t.guidance.level or 'none'}")
        self.guidance.style().unpolish(self.guidance)
        self.guidance.style().polish(self.guidance)

    def _fill_flags(self, t: Triage) -> None:
        w = self._words["red_flags"]
        flags = t.red_flags
        section = self.flags
        section.add(_label(w["intro"], "hint"))
        for question in w["questions"]:
            check = WrappedCheck(
                question["text"],
                f"flag:{question['id']}",
                question["id"] in flags.answered_yes,
                tip=question["why"],
            )
            check.box.toggled.connect(
                lambda on, qid=question["id"]: self.answer_changed.emit(qid, on)
            )
            section.add(check)
        days = w["lookback_days"]
        if flags.logged:
            signs = "; ".join(
                f"{label('warning', WarningSign(f.id))} ({format_days(f.days)})"
                for f in flags.logged
            )
            logged = _label(f"{w['logged_intro'].format(days=days)} {signs}", "flagged")
            logged.setToolTip(
                "\n\n".join(
                    f"{label('warning', WarningSign(f.id))}: {label('warning_meaning', f.id)}"
                    for f in flags.logged
                )
            )
            section.add(logged)
        if flags.found:
            lines = [w["found"][f.id].format(detail=f.detail) for f in flags.found]
            found = _label(f"{w['found_intro']}\n{_bullets(lines)}", "flagged")
            found.setObjectName("flagsFound")
            section.add(found)
        if not flags.raised:
            section.add(_label(w["none_logged"].format(days=days), "hint"))
        if flags.blocks_plan:
            card = QFrame()
            card.setObjectName("redFlagCard")
            card.setProperty("role", "redCard")
            layout = QVBoxLayout(card)
            if flags.urgent:
                layout.addWidget(_label(w["card_title_urgent"], "cardTitle"))
                layout.addWidget(_label(w["card_text_urgent"]))
            else:
                layout.addWidget(_label(w["card_title"], "cardTitle"))
                why = " ".join(dict.fromkeys(f.reason for f in flags.open))
                layout.addWidget(_label(w["card_text"].format(why=why)))
            button = QPushButton(w["assessed_button"])
            button.setObjectName("assessed")
            button.clicked.connect(self.assessed)
            layout.addWidget(button)
            section.add(card)
        elif flags.assessed_on is not None and flags.raised:
            section.add(
                _label(w["assessed_note"].format(day=format_days([flags.assessed_on])), "hint")
            )

    def _fill_where(self, t: Triage) -> None:
        w = self._words["where"]
        p = t.picture
        section = self.where
        if p.empty:
            section.add(_label(w["nothing"].format(days=w["days"]), "hint"))
            return
        if not p.recent:
            section.add(
                _label(
                    w["older"].format(
                        days=w["days"], first=format_days([p.first]), last=format_days([p.last])
                    ),
                    "hint",
                )
            )
        lines = []
        if p.regions:
            spots = ", ".join(
                f"{side.value} knee, {region_name(region).lower()} (\u00d7{n})"
                for (side, region), n in p.regions[:4]
            )
            lines.append(f"Marked: {spots}.")
        if p.triggers:
            lines.append(
                "Brought on by: "
                + ", ".join(
                    f"{label('trigger', t_).lower()} (\u00d7{n})" for t_, n in p.triggers[:4]
                )
                + "."
            )
        if p.time_courses:
            lines.append(
                "How it went: "
                + ", ".join(
                    f"{label('time_course', c).lower()} (\u00d7{n})" for c, n in p.time_courses[:3]
                )
                + "."
            )
        if p.runs:
            if p.rising:
                behaviour = w["during_rising"].format(n=p.rising, total=p.runs)
                if p.easing:
                    behaviour += " " + w["during_easing"].format(n=p.easing)
            elif p.easing:
                behaviour = w["during_easing"].format(n=p.easing)
            else:
                behaviour = w["during_flat"]
            lines.append(behaviour)
        section.add(_label(_bullets(lines)))
        if p.resembles:
            items = _bullets(
                f"{r.name.capitalize()}: {r.recovery}."
                + (f" ({w['needs_assessment']})" if r.needs_assessment else "")
                for r in p.resembles
            )
            resemble = _label(f"{w['resembles_intro']}\n{items}")
            resemble.setObjectName("resembles")
            section.add(resemble)
            section.add(_label(w["not_a_diagnosis"], "caution"))

    def _fill_patterns(self, t: Triage) -> None:
        w = self._words["patterns"]
        section = self.patterns
        section.add(_label(w["intro"], "hint"))
        if t.onset is None:
            section.add(_label(w["no_spell"], "hint"))
        names = {item["id"]: item for item in w["items"]}
        can_test = t.plan is None and t.plan_allowed
        for ev in t.evidence:
            item = names[ev.pattern]
            box = QFrame()
            box.setObjectName(f"pattern:{ev.pattern}")
            box.setProperty("role", "patternFound" if ev.found else "patternNone")
            layout = QVBoxLayout(box)
            layout.setContentsMargins(8, 6, 8, 6)
            layout.setSpacing(3)
            head = QHBoxLayout()
            head.addWidget(_label(item["name"], "patternName"), 1)
            if ev.found and can_test and "change" in item:
                button = QPushButton(w["test_this"])
                button.setObjectName(f"test:{ev.pattern}")
                button.clicked.connect(lambda _=False, pid=ev.pattern: self._choose_pattern(pid))
                head.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
            layout.addLayout(head)
            if ev.found:
                lines = _label(_bullets(ev.lines))
                lines.setObjectName(f"lines:{ev.pattern}")
                layout.addWidget(lines)
                if "assess" in item:
                    layout.addWidget(_label(item["assess"], "flagged"))
            else:
                if t.onset is not None:
                    layout.addWidget(
                        _label(w["no_sign" if ev.enough_data else "too_little"], "hint")
                    )
                layout.addWidget(_label(item["looks_like"], "hint"))
            section.add(box)

    def _fill_plan(self, t: Triage) -> None:
        w = self._words["plan"]
        section = self.plan
        guidance = self.guidance  # moves into the new body; its words are _show_guidance's
        if not t.plan_allowed:
            section.add(guidance)
            section.add(_label(w["blocked"], "hint"))
            return
        if t.plan is None:
            section.add(_label(w["intro"]))
            section.add(guidance)
            section.add(_label(w["choose_change"], "fieldLabel"))
            self.change = QComboBox()
            self.change.setObjectName("change")
            self.change.setAccessibleName(w["choose_change"].rstrip(":"))
            changes = {item["id"]: item.get("change") for item in self._words["patterns"]["items"]}
            for ev in t.evidence:
                if ev.found and changes[ev.pattern]:
                    self.change.addItem(changes[ev.pattern], ev.pattern)
            self.change.addItem(w["own_change"], PLAN_CHOICE_OWN)
            self.own_change = QLineEdit()
            self.own_change.setObjectName("ownChange")
            self.own_change.setAccessibleName(w["own_change"])
            self.own_change.setPlaceholderText("e.g. softer surface only, same shoes, same effort")
            self.change.currentIndexChanged.connect(self._update_own_change)
            section.add(self.change)
            section.add(self.own_change)
            self._update_own_change()
            buttons = QHBoxLayout()
            for days, key in ((7, "start_7"), (14, "start_14")):
                button = QPushButton(w[key])
                button.setObjectName(key)
                button.clicked.connect(lambda _=False, d=days: self._start("calm", d))
                buttons.addWidget(button)
            row = QWidget()
            row.setLayout(buttons)
            buttons.setContentsMargins(0, 0, 0, 0)
            section.add(row)
            if t.picture.tendon_dominates:
                section.add(_label(w["tendon_offer"], "hint"))
                section.add(_label(w["tendon"]["intro"], "hint"))
                button = QPushButton(w["start_tendon"])
                button.setObjectName("start_tendon")
                button.clicked.connect(lambda: self._start("tendon", 84))
                section.add(button)
            return
        plan, progress = t.plan, t.progress
        head = w["day_of"].format(day=progress.day, days=plan.days)
        if plan.change:
            head += "  \u00b7  " + w["testing"].format(change=plan.change)
        section.add(_label(head, "planHead"))
        section.add(guidance)
        if plan.kind == "tendon":
            section.add(_label(w["tendon"]["intro"], "hint"))
        done_today = progress.ticked.get(self._today, frozenset())
        if self._today <= plan.last_day:
            section.add(_label(f"{w['today']} ({format_days([self._today])}):", "fieldLabel"))
            for step_id, words in plan.steps(self._today):
                check = WrappedCheck(words, f"tick:{step_id}", step_id in done_today)
                check.box.toggled.connect(lambda on, sid=step_id: self.tick_changed.emit(sid, on))
                section.add(check)
        section.add(self._days_strip(t))
        if progress.streak:
            section.add(_label(w["streak"].format(n=progress.streak), "hint"))
        if progress.skipped:
            section.add(_label(w["skipped"].format(days=format_days(progress.skipped)), "hint"))
        end = QPushButton(w["end"])
        end.setObjectName("endPlan")
        end.clicked.connect(self.plan_ended)
        section.add(end)

    def _days_strip(self, t: Triage) -> QWidget:
        """One cell per plan day so far: how many of its boxes were ticked."""
        plan, progress = t.plan, t.progress
        steps = len(plan.steps(self._today))
        strip = QWidget()
        strip.setObjectName("daysStrip")
        grid = QGridLayout(strip)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(3)
        last = min(self._today, plan.last_day)
        for i in range((last - plan.started).days + 1):
            day = plan.started + dt.timedelta(days=i)
            done = len(progress.ticked.get(day, ()))
            cell = QLabel(f"{day:%a}\n{done}/{steps}")
            cell.setAlignment(Qt.AlignmentFlag.AlignCenter)
            cell.setProperty(
                "role", "dayFull" if done >= steps else "dayPart" if done else "dayEmpty"
            )
            cell.setToolTip(f"{format_days([day])}: {done} of {steps} ticked")
            grid.addWidget(cell, i // 7, i % 7)
        return strip

    def _fill_review(self, t: Triage) -> None:
        w = self._words["review"]
        section = self.review
        if t.plan is None:
            section.add(
                _label("Start a plan and kneelog will compare it with the days before.", "hint")
            )
            return
        r = t.review
        if not t.plan_allowed:
            verdict = _label(w["blocked"], "flagged")
            verdict.setObjectName("verdict")
            section.add(verdict)
            return
        if r is None:
            first = t.plan.started + dt.timedelta(days=7)
            section.add(_label(w["waiting"].format(day=format_days([first])), "hint"))
            return
        table = QWidget()
        table.setObjectName("reviewTable")
        grid = QGridLayout(table)
        grid.setContentsMargins(0, 0, 0, 0)
        for col, heading in enumerate(w["columns"]):
            grid.addWidget(_label(heading, "fieldLabel"), 0, col)
        for (row, col), value in self._review_figures(r).items():
            figure = _label(value)
            figure.setObjectName(f"review:{row}:{col}")
            grid.addWidget(figure, row, col)
        for row, heading in enumerate(w["rows"], start=1):
            grid.addWidget(_label(heading, "hint"), row, 0)
        section.add(table)
        verdict = _label(w[r.verdict], "verdict")
        verdict.setObjectName("verdict")
        section.add(verdict)
        said = _label(r.text)
        said.setObjectName("reviewText")
        section.add(said)

    def _review_figures(self, r: Review) -> dict[tuple[int, int], str]:
        """The review's table: (row, column) -> words; before the plan, then during it."""
        table = {}
        for col, figures in ((1, r.before), (2, r.during)):
            values = [
                f"{figures.entries}  ({format_days([figures.first])}\u2013{format_days([figures.last])})",
                "\u2013" if figures.pain_during is None else f"{figures.pain_during:.1f}/10",
                "\u2013" if figures.pain_morning is None else f"{figures.pain_morning:.1f}/10",
                format_distance(figures.distance_km, self._units),
            ]
            for row, value in enumerate(values, start=1):
                table[row, col] = value
        return table

    def _write_review_figures(self, before: Triage, after: Triage) -> bool:
        """When only the review's figures and words changed (a save in the plan's days), write
        them into the table shown rather than making it anew (bench_frame). False when the
        review's parts changed."""
        old, new = before.review, after.review
        if (
            old is None
            or new is None
            or not (before.plan_allowed and after.plan_allowed)
            or before.plan != after.plan
            or old.verdict != new.verdict
        ):
            return False
        words = {f"review:{row}:{col}": v for (row, col), v in self._review_figures(new).items()}
        words["reviewText"] = new.text
        return _write_words(self.review.body, words)

    # -- choices out ---------------------------------------------------------------------------

    def _update_own_change(self) -> None:
        self.own_change.setVisible(self.change.currentData() == PLAN_CHOICE_OWN)

    def _choose_pattern(self, pattern: str) -> None:
        self.change.setCurrentIndex(self.change.findData(pattern))
        self.scroll.ensureWidgetVisible(self.change)
        self.change.setFocus()

    def _start(self, kind: str, days: int) -> None:
        choice = self.change.currentData()
        if choice == PLAN_CHOICE_OWN:
            change, pattern = self.own_change.text().strip(), None
        else:
            change, pattern = self.change.currentText(), str(choice)
        self.plan_requested.emit(kind, days, change, pattern)
