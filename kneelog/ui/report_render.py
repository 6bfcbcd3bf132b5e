"""Lays the physio summary out on paper: a QPainter on a 96-dpi device (PDF or printer).

Page 1 is readable in a minute: header, headline facts, a chart of pain against weekly
distance and the knee heat map (both drawn as vectors), warning signs, what sets the pain
off, what changed and the runner's questions. Then a chronological table of entries with
gaps shown as gaps. Text the runner typed is escaped: it prints exactly as typed.
"""

from __future__ import annotations

import functools
from html import escape
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QFontDatabase,
    QPageLayout,
    QPageSize,
    QPainter,
    QPainterPath,
    QPalette,
    QPdfWriter,
    QPen,
    QTextDocument,
    QTextLayout,
)

from ..content import describe_marks, label, region_name, resource_bytes
from ..files import check_pdf, write_atomically
from ..model import Kind, Side
from ..report import Gap, Summary, both_sides, ranked, top_regions
from ..rules import EASE_MAX, GO_MAX, PAIN_ZONES, SEVERE
from ..units import distance_value, format_climb, format_distance, format_duration, plural
from .knee_drawing import paint_heat_legend, paint_knee
from .theme import Colours
from .widgets import LEVEL_COLOURS

DPI = 96
MARGINS_MM = QMarginsF(14, 14, 14, 16)
# DejaVu Sans for text (Latin, Greek, Cyrillic and more); Noto Emoji (monochrome, 0.9 MB, SIL
# OFL) for the emoji runners type into notes, which Qt falls back to by itself.
FONT_FILES = ("fonts/DejaVuSans.ttf", "fonts/DejaVuSans-Bold.ttf", "fonts/NotoEmoji-Regular.ttf")
FAMILY = "DejaVu Sans"
SECTIONS = frozenset({"chart", "knees", "table"})  # the parts a runner may leave out
PAPER = {"a4": QPageSize.PageSizeId.A4, "letter": QPageSize.PageSizeId.Letter}
ON_PAPER = Colours(dark=False)  # the summary is printed on white, whatever the screen's theme
INK, MUTED, RULE, ALERT = QColor("#1f2a30"), QColor("#5f6b73"), QColor("#c5ccd3"), QColor("#b3261e")
CSS = """
body { font-family: 'DejaVu Sans'; font-size: 8.5pt; color: #1f2a30; }
h2 { font-size: 9.5pt; margin: 8px 0 2px 0; color: #1f3b4d; }
p { margin: 2px 0 4px 0; }
table { border-collapse: collapse; }
td, th { padding: 2px 4px; vertical-align: top; }
th { background: #e8eef2; text-align: left; font-weight: bold; }
.grid td, .grid th { border: 1px solid #c5ccd3; }
.muted { color: #5f6b73; }
.nowrap { white-space: nowrap; }
.alert { color: #b3261e; font-weight: bold; }
.gap td { color: #5f6b73; font-style: italic; background: #f4f6f7; }
"""


# Shown for a character that no font here can draw (the bundled fonts have no Chinese or
# Japanese; Qt falls back to any installed font that has them). Bundling a CJK font would
# add over 15 MB; a visible stand-in, explained on page 1, keeps the runner from thinking
# the text was lost.
PLACEHOLDER = "\u25a1"  # □, in DejaVu Sans
PLACEHOLDER_NOTE = (
    f"<p class='muted'>{PLACEHOLDER} stands for a character (such as Chinese or "
    "Japanese writing) that the fonts on this computer cannot print.</p>"
)
# Joiners and modifiers that make one emoji of several characters: one stand-in for them all.
JOINER = "\u200d"
EMOJI_PARTS = {JOINER, "\ufe0e", "\ufe0f", *map(chr, range(0x1F3FB, 0x1F400))}


@functools.cache
def can_print(char: str) -> bool:
    """Whether the report's font, or a font Qt falls back to, has a glyph for `char`."""
    layout = QTextLayout(char, QFont(FAMILY, 8))
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    return all(0 not in run.glyphIndexes() for run in layout.glyphRuns())


def printable(text: str) -> tuple[str, bool]:
    """`text` with each character no font can draw replaced by PLACEHOLDER, and whether any was.

    (Qt would otherwise leave it out of the PDF without a trace.) Markup is ASCII, so whole
    HTML goes through unchanged but for the text."""
    if text.isascii():
        return text, False
    register_fonts()
    out: list[str] = []
    replaced = joined = False
    for char in text:
        if out and out[-1] == PLACEHOLDER and char in EMOJI_PARTS:
            joined = char == JOINER
            continue
        if char.isascii() or can_print(char):
            out.append(char)
        else:
            replaced = True
            if not joined:
                out.append(PLACEHOLDER)
        joined = False
    return "".join(out), replaced


@functools.cache
def register_fonts() -> None:
    """The bundled fonts, once per process, whether or not the system has fonts of the same
    names: the PDF looks the same everywhere."""
    for name in FONT_FILES:
        QFontDatabase.addApplicationFontFromData(resource_bytes(name))


def _times(n: int) -> str:
    return {0: "never", 1: "once", 2: "twice"}.get(n, f"{n} times")


def _num(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _pain(value: int | None) -> str:
    return "-" if value is None else str(value)


class _Layout:
    """Paints onto one device, page by page, with the footer on each page."""

    def __init__(self, summary: Summary, device, painter: QPainter):
        self.s = summary
        self.device = device
        self.painter = painter
        self.width = device.width()
        self.height = device.height() - 22  # room for the footer
        self.units = summary.settings.units
        self.replaced = False  # whether a character was shown as PLACEHOLDER

    def printable(self, text: str) -> str:
        text, replaced = printable(text)
        self.replaced |= replaced
        return text

    def document(self, html: str, width: float, height: float | None = None) -> QTextDocument:
        html = self.printable(html)
        doc = QTextDocument()
        doc.documentLayout().setPaintDevice(
            self.device
        )  # else tables print at a third of their size
        doc.setDefaultFont(QFont(FAMILY, 8))
        doc.setDefaultStyleSheet(CSS)
        doc.setDocumentMargin(0)
        doc.setHtml(html)
        doc.setPageSize(QSizeF(width, height if height is not None else 1e7))
        return doc

    def draw_page_of(self, doc: QTextDocument, page: int, top: float, height: float) -> None:
        p = self.painter
        p.save()
        p.translate(0, top - page * height)
        clip = QRectF(0, page * height, doc.pageSize().width(), height)
        # Text without a colour of its own takes the context's palette, by default the
        # screen's: on paper it is ink, even when the screen is dark.
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette.setColor(QPalette.ColorRole.Text, INK)
        context.clip = clip
        p.setClipRect(clip)
        doc.documentLayout().draw(p, context)
        p.restore()

    def footer(self, page: int, pages: int) -> None:
        p = self.painter
        p.save()
        p.setPen(MUTED)
        p.setFont(QFont(FAMILY, 7))
        y = self.device.height() - 14
        name = self.printable(self.s.settings.runner_name) or "runner"
        p.drawText(
            QRectF(0, y, self.width, 14),
            Qt.AlignmentFlag.AlignLeft,
            f"kneelog summary for {name}, {self.s.first:%d %b %Y} to {self.s.last:%d %b %Y}",
        )
        p.drawText(
            QRectF(0, y, self.width, 14), Qt.AlignmentFlag.AlignRight, f"Page {page} of {pages}"
        )
        p.restore()


def _header_html(s: Summary) -> str:
    name = escape(s.settings.runner_name) if s.settings.runner_name else "a runner"
    return (
        f"<div style='font-size:15pt; font-weight:bold; color:#1f3b4d'>Knee summary for {name}</div>"
        f"<div>{s.first:%a %d %b %Y} to {s.last:%a %d %b %Y} "
        f"({s.weeks_span:.0f} weeks) &middot; printed {s.printed_on:%d %b %Y}</div>"
        "<div class='muted'>Self-reported log kept in kneelog. It records what the runner felt; "
        "it is not a diagnosis.</div>"
    )


def _facts_html(s: Summary, units) -> str:
    if s.empty:
        return (
            "<h2>Nothing logged in this period</h2><p>The journal has no entries between these "
            "dates, so there is nothing to summarise. Choose a longer period, or log a few runs "
            "first.</p>"
        )
    weeks = max(s.weeks_span, 1)
    rows = []
    if s.triage.onset:
        rows.append(
            (
                "Pain began",
                f"<b>{s.triage.onset:%a %d %b %Y}</b> (first day of the "
                "latest spell of pain at 3/10 or more)",
            )
        )
    first_week, last_week = (s.weeks[0], s.weeks[-1]) if s.weeks else (None, None)
    change = ""
    if first_week and last_week and first_week.distance_km > 0 and len(s.weeks) > 1:
        change = (
            f" (first week {format_distance(first_week.distance_km, units)}, "
            f"latest {format_distance(last_week.distance_km, units)})"
        )
    rows.append(
        (
            "Running",
            f"{len(s.runs)} runs, {format_distance(s.distance_km, units)}; "
            f"{len(s.runs) / weeks:.1f} runs and "
            f"{format_distance(s.distance_km / weeks, units)} a week{change}",
        )
    )
    if s.longest:
        rows.append(
            (
                "Longest run",
                f"{format_distance(s.longest.distance_km, units)} on {s.longest.started:%a %d %b}",
            )
        )
    if s.spikes:
        spikes = "; ".join(
            f"{sp.day:%d %b} {format_distance(sp.distance_km, units)} "
            f"({sp.spike:+.0%} on the month's longest)"
            for sp in s.spikes[-4:]
        )
        rows.append(("Runs longer than the month's longest by over 10%", spikes))
    else:
        rows.append(("Runs longer than the month's longest by over 10%", "none"))
    rows.append(
        (
            "Pain during runs (highest of start/middle/end, mean)",
            f"first two weeks {_num(s.pain_during[0])}, last two weeks {_num(s.pain_during[1])} (0-10)",
        )
    )
    rows.append(
        (
            "Pain next morning (mean)",
            f"first two weeks {_num(s.pain_morning[0])}, last two weeks {_num(s.pain_morning[1])}",
        )
    )
    if s.worst:
        value, entry = s.worst
        rows.append(
            (
                "Worst pain",
                f"{value}/10 on {entry.started:%a %d %b} ({label('kind', entry.kind).lower()})",
            )
        )
    cells = "".join(
        f"<tr><td width='38%' class='muted'>{escape(k)}</td><td>{v}</td></tr>" for k, v in rows
    )
    return f"<h2>At a glance</h2><table width='100%'>{cells}</table>"


def _counted(counter, group: str) -> str:
    if not counter:
        return "none logged"
    return ", ".join(f"{label(group, k).lower()} ({n})" for k, n in ranked(counter))


def _details_html(s: Summary, units) -> str:
    if s.empty:
        parts = []
    else:
        if s.warnings:
            listed = "; ".join(f"{label('warning', w)} on {d:%a %d %b}" for d, w in s.warnings)
            parts = [f"<h2 class='alert'>Warning signs reported</h2><p class='alert'>{listed}</p>"]
        else:
            parts = [
                "<h2>Warning signs reported</h2><p>None (swelling, locking, giving way, a pop, "
                "night pain or limping were never ticked).</p>"
            ]
        where = (
            "; ".join(
                f"{side.value} knee: {region_name(region).lower()} ({n})"
                for side, region, n in top_regions(s.marks, 4)
            )
            or "no spots marked"
        )
        parts.append(
            "<h2>Where, when and what sets it off</h2><table width='100%'>"
            f"<tr><td width='24%' class='muted'>Where (times marked)</td><td>{where}</td></tr>"
            f"<tr><td class='muted'>Sets it off</td><td>{_counted(s.triggers, 'trigger')}</td></tr>"
            f"<tr><td class='muted'>How it evolves</td><td>{_counted(s.time_course, 'time_course')}</td></tr>"
            "</table>"
        )
        changed = [_counted(s.changes, "change")]
        if s.new_shoes:
            changed.append("new shoes: " + ", ".join(escape(sh.name) for sh in s.new_shoes))
        extras = [
            plural(s.speed_runs, "tempo, interval or race run"),
            plural(s.hill_runs, "hill or trail run"),
            plural(s.strength_sessions, "strength session"),
            f"sleep less than usual {_times(s.sleep_less)}",
            f"stress higher than usual {_times(s.stress_more)}",
        ]
        surfaces = ", ".join(f"{label('surface', k).lower()} ({n})" for k, n in ranked(s.surfaces))
        shoes = (
            "; ".join(
                f"{escape(m.shoe.name)} {format_distance(m.km, units)} of "
                f"{format_distance(m.shoe.limit_km, units)}"
                for m in s.shoes
            )
            or "none recorded"
        )
        parts.append(
            "<h2>What changed</h2><table width='100%'>"
            f"<tr><td width='24%' class='muted'>Ticked by the runner</td><td>{'; '.join(changed)}</td></tr>"
            f"<tr><td class='muted'>From the log</td><td>{', '.join(extras)}</td></tr>"
            f"<tr><td class='muted'>Surfaces</td><td>{surfaces or 'not recorded'}</td></tr>"
            f"<tr><td class='muted'>Shoes (distance)</td><td>{shoes}</td></tr></table>"
        )
    if s.questions:
        text = escape(s.questions).replace("\n", "<br>")
        parts.append(f"<h2>The runner's questions</h2><p>{text}</p>")
    parts.append(_triage_html(s))
    return "".join(parts)


EVIDENCE_LINES = 1  # per pattern: page 1 is read in a minute; the panel has the rest


def _more(n: int) -> str:
    return f" <span class='muted'>(and {n} more in kneelog)</span>" if n > 0 else ""


def _triage_html(s: Summary) -> str:
    """The red flags, the journal's evidence and the plan, as on the triage panel at the end of
    the period."""
    t = s.triage
    if t.empty:
        return ""
    parts = []
    if t.flags_answered or t.flags_found or t.assessed_on:
        answered = [f"Answered yes: {q}" for q in t.flags_answered]
        listed = " ".join(escape(line) for line in answered + list(t.flags_found))
        assessed = (
            f"Assessed in person on {t.assessed_on:%a %d %b}."
            if t.assessed_on
            else "Not yet assessed in person."
        )
        parts.append(
            f"<h2 class='alert'>Red flags</h2><p><span class='alert'>{listed}</span> {assessed}</p>"
        )
    if t.plan:
        plan = t.plan
        kind = (
            "12-week tendon loading plan" if plan.kind == "tendon" else f"{plan.days}-day calm plan"
        )
        testing = f", testing: {escape(plan.change)}" if plan.change else ""
        text = (
            f"{kind} from {plan.started:%a %d %b}{testing}. Day {t.plan_day} of {plan.days}; "
            f"every box ticked on {t.full_days} of {t.plan_day} days, nothing ticked on "
            f"{t.skipped_days}."
        )
        if t.verdict:
            text += f" Review: {escape(t.verdict)}"
    else:
        text = "No self-help plan in this period."
    parts.append(f"<p><b>Plan followed:</b> {text}</p>")
    if t.evidence_before:
        parts.append(
            "<h2>What led up to the pain</h2><p class='muted'>The pain began on "
            f"{t.onset:%a %d %b %Y}, more than four weeks before this period, so what led up "
            "to it is outside this summary.</p>"
        )
    elif t.evidence:
        items = "".join(
            f"<b>{escape(name)}:</b> {escape(' '.join(lines[:EVIDENCE_LINES]))}"
            f"{_more(len(lines) - EVIDENCE_LINES)}<br>"
            for name, lines in t.evidence
        )
        parts.append(
            f"<h2>What led up to the pain (load patterns, not a diagnosis)</h2><p>{items}</p>"
        )
    return "".join(parts)


def _table_html(s: Summary, units) -> str:
    columns = (
        ("Date", 12),
        ("Kind", 14),
        ("Dist.", 9),
        ("Time", 8),
        ("Pain start / mid / end", 10),
        ("Next<br>morning", 10),
        ("Where", 15),
        ("Notes", 22),
    )
    head = (
        "<thead><tr>" + "".join(f"<th width='{w}%'>{t}</th>" for t, w in columns) + "</tr></thead>"
    )
    day_format = "%a %d %b" if s.first.year == s.last.year else "%d %b %Y"
    rows = []
    for row in s.rows:
        if isinstance(row, Gap):
            rows.append(
                f"<tr class='gap'><td colspan='8'>No entries for {row.days} days "
                f"({row.first:%d %b} to {row.last:%d %b})</td></tr>"
            )
            continue
        e = row
        kind = label("kind", e.kind)
        if e.kind is Kind.RUN and e.run_type:
            kind += f" ({label('run_type', e.run_type).lower()})"
        elif e.activity:
            kind += f" ({escape(e.activity)})"
        if e.kind is Kind.CHECKIN:
            pain = f"today {_pain(e.pain_later)}"
        else:
            pain = " / ".join(_pain(v) for v in (e.pain_start, e.pain_middle, e.pain_end))
        notes = escape(e.notes).replace("\r\n", "\n").replace("\n", "<br>")  # the runner's lines
        if e.warnings:
            notes = (
                "<span class='alert'>"
                + escape(", ".join(label("warning", w) for w in sorted(e.warnings)))
                + "</span> "
                + notes
            )
        climb = (
            f"<br><span class='muted'>{format_climb(e.elevation_gain_m, units)} up</span>"
            if e.elevation_gain_m
            else ""
        )
        rows.append(
            f"<tr><td class='nowrap'>{e.started.strftime(day_format)}</td><td>{kind}</td>"
            f"<td class='nowrap'>{format_distance(e.distance_km, units)}{climb}</td>"
            f"<td class='nowrap'>{format_duration(e.duration_s)}</td>"
            f"<td>{pain}</td><td>{_pain(e.pain_next_morning)}</td><td>{escape(describe_marks(e))}</td>"
            f"<td>{notes}</td></tr>"
        )
    return (
        f"<h2>Every entry, oldest first</h2><table class='grid' width='100%' cellspacing='0'>{head}"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _paint_chart(p: QPainter, rect: QRectF, s: Summary) -> None:
    """Weekly distance as bars, weekly pain during runs and next morning as lines (0-10)."""
    units = s.settings.units
    p.save()
    p.setFont(QFont(FAMILY, 7))
    title = QRectF(rect.left(), rect.top(), rect.width(), 16)
    p.setPen(QColor("#1f3b4d"))
    bold = QFont(FAMILY, 8)
    bold.setBold(True)
    p.setFont(bold)
    p.drawText(title, Qt.AlignmentFlag.AlignLeft, "Pain against weekly distance")
    p.setFont(QFont(FAMILY, 7))
    plot = rect.adjusted(30, 22, -26, -34)
    weeks = s.weeks
    # Bars, ticks and key in the runner's unit, as everything else the summary says.
    top = max([distance_value(w.distance_km, units) for w in weeks] + [1.0]) * 1.15
    # pain zones behind everything
    for level, low, high in PAIN_ZONES:
        tint = ON_PAPER[LEVEL_COLOURS[level]]
        tint.setAlpha(30)
        y1 = plot.bottom() - plot.height() * min(high, 10) / 10
        y0 = plot.bottom() - plot.height() * max(low, 0) / 10
        p.fillRect(QRectF(plot.left(), y1, plot.width(), y0 - y1), tint)
    p.setPen(QPen(RULE, 0.8))
    p.drawRect(plot)
    n = max(len(weeks), 1)
    slot = plot.width() / n
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("#8fb3d1"))
    for i, w in enumerate(weeks):
        h = plot.height() * distance_value(w.distance_km, units) / top
        p.drawRect(QRectF(plot.left() + i * slot + slot * 0.15, plot.bottom() - h, slot * 0.7, h))
    for attr, colour, _label in (
        ("pain_during", "#1f3b4d", "pain during runs"),
        ("pain_morning", "#c0392b", "next morning"),
    ):
        path = QPainterPath()
        started = False
        for i, w in enumerate(weeks):
            value = getattr(w, attr)
            if value is None:
                started = False
                continue
            point = QPointF(
                plot.left() + (i + 0.5) * slot, plot.bottom() - plot.height() * value / 10
            )
            if started:
                path.lineTo(point)
            else:
                path.moveTo(point)
            started = True
            p.setPen(QPen(QColor(colour), 1.2))
            p.setBrush(QColor(colour))
            p.drawEllipse(point, 2.2, 2.2)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.setPen(QPen(QColor(colour), 1.6))
        p.drawPath(path)
    # axes
    p.setPen(MUTED)
    for distance in _ticks(top):
        y = plot.bottom() - plot.height() * distance / top
        p.drawText(QRectF(rect.left(), y - 6, 27, 12), Qt.AlignmentFlag.AlignRight, f"{distance:g}")
    for pain in (0, GO_MAX, EASE_MAX, SEVERE, 10):
        y = plot.bottom() - plot.height() * pain / 10
        p.drawText(QRectF(plot.right() + 3, y - 6, 22, 12), Qt.AlignmentFlag.AlignLeft, str(pain))
    step = max(1, round(n / 8))
    for i in range(0, len(weeks), step):
        p.drawText(
            QRectF(plot.left() + i * slot - 20, plot.bottom() + 2, slot + 40, 12),
            Qt.AlignmentFlag.AlignHCenter,
            f"{weeks[i].start:%d %b}",
        )
    legend_y = rect.bottom() - 14
    x = plot.left()
    for colour, text, bar in (
        ("#8fb3d1", f"weekly distance ({units.value}, left)", True),
        ("#1f3b4d", "pain during runs (0-10, right)", False),
        ("#c0392b", "next morning", False),
    ):
        if bar:
            p.fillRect(QRectF(x, legend_y + 3, 10, 8), QColor(colour))
        else:
            p.setPen(QPen(QColor(colour), 1.6))
            p.drawLine(QPointF(x, legend_y + 7), QPointF(x + 10, legend_y + 7))
        p.setPen(MUTED)
        width = p.fontMetrics().horizontalAdvance(text)
        p.drawText(QRectF(x + 13, legend_y, width + 4, 14), Qt.AlignmentFlag.AlignLeft, text)
        x += width + 28
    p.restore()


def _ticks(top: float) -> list[float]:
    step = next(s for s in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500) if top / s <= 5)
    return [step * i for i in range(int(top // step) + 1)]


def _paint_knees(p: QPainter, rect: QRectF, s: Summary) -> None:
    """Where it hurt: both knees over the period, or one knee's first half against its second."""
    p.save()
    bold = QFont(FAMILY, 8)
    bold.setBold(True)
    p.setFont(bold)
    p.setPen(QColor("#1f3b4d"))
    p.drawText(
        QRectF(rect.left(), rect.top(), rect.width(), 16),
        Qt.AlignmentFlag.AlignLeft,
        "Where it hurt (times marked)",
    )
    p.setFont(QFont(FAMILY, 7))
    sides = [side for side, n in both_sides(s.marks).items() if n]
    if len(sides) == 1 and s.marks_start and s.marks_end:
        panels = [(sides[0], s.marks_start, "first half"), (sides[0], s.marks_end, "second half")]
    else:
        panels = [(Side.LEFT, s.marks, "left knee"), (Side.RIGHT, s.marks, "right knee")]
    counts = [n for _, c, _ in panels for n in c.values()] or [0]
    high = max(counts)
    body = rect.adjusted(0, 18, 0, -30)
    width = body.width() / len(panels)
    for i, (side, counter, caption) in enumerate(panels):
        cell = QRectF(body.left() + i * width, body.top(), width, body.height() - 14)
        paint_knee(p, cell, side=side, view="front", heat=dict(counter), scale_max=max(high, 1))
        p.setPen(MUTED)
        text = caption if caption.endswith("knee") else f"{side.value} knee, {caption}"
        p.drawText(
            QRectF(cell.left(), cell.bottom(), cell.width(), 14),
            Qt.AlignmentFlag.AlignHCenter,
            text,
        )
    if high:
        paint_heat_legend(
            p, QRectF(rect.left() + 10, rect.bottom() - 26, rect.width() - 20, 24), 1, high
        )
    else:
        p.drawText(
            QRectF(rect.left(), rect.bottom() - 24, rect.width(), 14),
            Qt.AlignmentFlag.AlignHCenter,
            "No spots were marked in this period.",
        )
    p.restore()


def render_summary(summary: Summary, device, sections: frozenset[str] = SECTIONS) -> int:
    """Paint the summary onto a paged device (QPdfWriter or QPrinter) and return the page count."""
    register_fonts()
    painter = QPainter(device)
    try:
        return _render(summary, device, painter, sections)
    finally:
        painter.end()


def _render(s: Summary, device, painter: QPainter, sections: frozenset[str]) -> int:
    layout = _Layout(s, device, painter)
    units = s.settings.units
    w, h = layout.width, layout.height
    # Header last: it says so when a character anywhere had to be shown as PLACEHOLDER.
    details = layout.document(_details_html(s, units), w)
    table = (
        layout.document(_table_html(s, units), w, h)
        if not s.empty and "table" in sections
        else None
    )
    header_html = layout.printable(_header_html(s) + _facts_html(s, units))
    header = layout.document(header_html + (PLACEHOLDER_NOTE if layout.replaced else ""), w)
    top_height = header.size().height()
    figures_top = top_height + 8
    figures = not s.empty and bool(sections & {"chart", "knees"})
    figures_height = 230 if figures else 0
    details_top = figures_top + figures_height + (6 if figures_height else 0)
    first_space = h - details_top
    details.setPageSize(QSizeF(w, first_space))
    # Details that do not fit under the figures go on following pages, at the same page height.
    detail_pages = details.pageCount() if details.toPlainText().strip() else 0
    table_pages = table.pageCount() if table else 0
    pages = max(1, detail_pages) + table_pages

    page = 1
    layout.draw_page_of(header, 0, 0, top_height)
    if figures and "chart" in sections:
        chart_width = w * 0.6 if "knees" in sections else w
        _paint_chart(painter, QRectF(0, figures_top, chart_width, figures_height), s)
    if figures and "knees" in sections:
        left = w * 0.62 if "chart" in sections else w * 0.3
        _paint_knees(painter, QRectF(left, figures_top, w * 0.38, figures_height), s)
    for i in range(detail_pages):
        if i:
            layout.footer(page, pages)
            device.newPage()
            page += 1
        layout.draw_page_of(details, i, details_top if i == 0 else 0, first_space)
    for i in range(table_pages):
        layout.footer(page, pages)
        device.newPage()
        page += 1
        layout.draw_page_of(table, i, 0, h)
    layout.footer(page, pages)
    return pages


def pdf_writer(path: str | Path, paper: str = "a4") -> QPdfWriter:
    writer = QPdfWriter(str(path))
    writer.setResolution(DPI)  # at higher resolutions text and lines come out out of scale
    writer.setPageLayout(
        QPageLayout(
            QPageSize(PAPER[paper]),
            QPageLayout.Orientation.Portrait,
            MARGINS_MM,
            QPageLayout.Unit.Millimeter,
        )
    )
    writer.setTitle("kneelog summary")
    writer.setCreator("kneelog")
    return writer


def write_pdf(
    summary: Summary, path: str | Path, paper: str = "a4", sections: frozenset[str] = SECTIONS
) -> int:
    """Write the summary as a PDF; the file appears whole or not at all.

    Qt's PDF writer says nothing when the disk fills up: the file is rendered under a private
    temporary name (made before Qt opens it, so a missing folder or no permission is a plain
    OSError, not a painter that cannot start), checked to be a whole PDF, flushed to disk and
    only then renamed over `path`. IncompleteFile (an OSError) when it came out cut short."""
    pages = 0

    def render(temp: Path) -> None:
        nonlocal pages
        writer = pdf_writer(temp, paper)
        pages = render_summary(summary, writer, sections)  # the painter's end closes the file

    write_atomically(Path(path), render, check_pdf)
    return pages
