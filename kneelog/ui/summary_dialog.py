"""File > Print summary: choose the period and sections, add questions, preview, print or save."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QDate, QLocale, Signal
from PySide6.QtGui import QPageLayout, QPageSize
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..files import why
from ..model import Period
from ..report import Summary, last_weeks
from .report_render import MARGINS_MM, PAPER, render_summary, write_pdf

PRESETS = (
    ("Last 6 weeks", 6),
    ("Last 3 months", 13),
    ("Last 12 months", 52),
    ("Choose dates", None),
)
SECTION_LABELS = {
    "chart": "Chart of pain against weekly distance",
    "knees": "Drawing of where it hurt",
    "table": "Table of every entry (page 2 on)",
}


def default_paper() -> str:
    imperial = QLocale.system().measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem
    return "letter" if imperial else "a4"


class SummaryDialog(QDialog):
    """Takes a function that builds the Summary for a period and questions.

    Signals: pdf_saved(str) with the path of a PDF just written.
    """

    pdf_saved = Signal(str)

    def __init__(
        self,
        make_summary: Callable[[Period, str], Summary],
        today: dt.date,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle("Summary for your physio")
        self._make_summary = make_summary
        self._today = today
        self.preset = QComboBox()
        for text, weeks in PRESETS:
            self.preset.addItem(text, weeks)
        self.preset.currentIndexChanged.connect(self._on_preset_changed)
        self.first = QDateEdit(calendarPopup=True, displayFormat="d MMM yyyy")
        self.last = QDateEdit(calendarPopup=True, displayFormat="d MMM yyyy")
        self.first.setAccessibleName("Summary from")
        self.last.setAccessibleName("Summary up to")
        for edit in (self.first, self.last):
            edit.setMaximumDate(QDate(today))
            edit.dateChanged.connect(self._on_date_edited)
        dates = QHBoxLayout()
        dates.addWidget(self.first)
        dates.addWidget(QLabel("to"))
        dates.addWidget(self.last)
        self.sections = {key: QCheckBox(text) for key, text in SECTION_LABELS.items()}
        for box in self.sections.values():
            box.setChecked(True)
        self.questions = QPlainTextEdit()
        self.questions.setPlaceholderText("Questions you want to ask, one per line")
        self.questions.setTabChangesFocus(True)
        self.questions.setFixedHeight(80)
        self.paper = QComboBox()
        self.paper.addItem("A4", "a4")
        self.paper.addItem("US Letter", "letter")
        self.paper.setCurrentIndex(self.paper.findData(default_paper()))
        self.status = QLabel()
        self.status.setProperty("role", "hint")
        self.status.setWordWrap(True)

        form = QFormLayout()
        form.addRow("&Period", self.preset)
        form.addRow("", dates)
        sections = QVBoxLayout()
        for box in self.sections.values():
            sections.addWidget(box)
        form.addRow("Include", sections)
        form.addRow("&Questions", self.questions)
        form.addRow("Pap&er", self.paper)  # Alt+P is the period's

        self.preview_button = QPushButton("Print pre&view...")
        self.print_button = QPushButton("P&rint...")
        self.save_button = QPushButton("&Save as PDF...")
        self.save_button.setDefault(True)
        close = QPushButton("Close")
        self.preview_button.clicked.connect(self._on_preview_clicked)
        self.print_button.clicked.connect(self._on_print_clicked)
        self.save_button.clicked.connect(self._on_save_clicked)
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.print_button)
        buttons.addStretch()
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self._on_preset_changed(0)

    # -- state ---------------------------------------------------------------------------

    def period(self) -> Period:
        first, last = self.first.date().toPython(), self.last.date().toPython()
        return Period(min(first, last), max(first, last))

    def chosen_sections(self) -> frozenset[str]:
        return frozenset(key for key, box in self.sections.items() if box.isChecked())

    def summary(self) -> Summary:
        return self._make_summary(self.period(), self.questions.toPlainText())

    def _on_preset_changed(self, index: int) -> None:
        weeks = self.preset.itemData(index)
        if weeks is None:
            self.first.setFocus()
            return
        period = last_weeks(weeks, self._today)
        for edit, day in ((self.first, period.first), (self.last, period.last)):
            edit.blockSignals(True)
            edit.setDate(QDate(day))
            edit.blockSignals(False)

    def _on_date_edited(self) -> None:
        self.preset.blockSignals(True)
        self.preset.setCurrentIndex(len(PRESETS) - 1)
        self.preset.blockSignals(False)

    # -- output --------------------------------------------------------------------------

    def _printer(self) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)  # 96 dpi, as the layout expects
        printer.setPageLayout(
            QPageLayout(
                QPageSize(PAPER[self.paper.currentData()]),
                QPageLayout.Orientation.Portrait,
                MARGINS_MM,
                QPageLayout.Unit.Millimeter,
            )
        )
        return printer

    def _on_preview_clicked(self) -> None:
        summary, sections = self.summary(), self.chosen_sections()
        # The preview dialog does not own its printer: keep it alive as long as the preview.
        self._preview_printer = self._printer()
        self.preview = QPrintPreviewDialog(self._preview_printer, self)
        self.preview.paintRequested.connect(
            lambda printer: render_summary(summary, printer, sections)
        )
        self.preview.open()

    def _on_print_clicked(self) -> None:
        printer = self._printer()
        dialog = QPrintDialog(printer, self)
        summary, sections = self.summary(), self.chosen_sections()
        dialog.accepted.connect(lambda: render_summary(summary, printer, sections))
        dialog.open()
        self.print_dialog = dialog

    def _on_save_clicked(self) -> None:
        suggested = str(Path.home() / f"knee-summary-{self._today:%Y-%m-%d}.pdf")
        path, _ = QFileDialog.getSaveFileName(
            self, "Save the summary as PDF", suggested, "PDF (*.pdf)"
        )
        if not path:
            return
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        try:
            pages = write_pdf(
                self.summary(), path, self.paper.currentData(), self.chosen_sections()
            )
        except OSError as error:
            self.status.setText(f"Could not save the PDF: {why(error)}. Nothing was changed there.")
            return
        self.status.setText(f"Saved {path} ({pages} page{'s' if pages != 1 else ''}).")
        self.pdf_saved.emit(path)
