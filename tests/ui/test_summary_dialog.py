"""File > Print summary, driven from the main window as a runner would."""

import datetime as dt
import unicodedata

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QDate, Qt
from PySide6.QtPrintSupport import QPrintPreviewDialog, QPrintPreviewWidget
from PySide6.QtWidgets import QApplication, QFileDialog

from kneelog.store import Store
from kneelog.ui.summary_dialog import SummaryDialog
from test_report import SETTINGS, TODAY, sample_journal, sample_shoes

NOW = dt.datetime.combine(TODAY, dt.time(8, 15))  # Saturday 21 Nov 2026


def pdf_text(path) -> str:
    return " ".join(
        " ".join(unicodedata.normalize("NFKC", p.extract_text()).split())
        for p in PdfReader(path).pages
    )


@pytest.fixture
def window(open_window, journal_path):
    store = Store.open(journal_path)
    store.save_settings(SETTINGS)
    for shoe in sample_shoes():
        store.save_shoe(shoe)  # with its id, which the entries refer to
    for entry in sample_journal():
        store.save_entry(entry, today=TODAY)
    return open_window(store, clock=lambda: NOW)


@pytest.fixture
def dialog(qtbot, window) -> SummaryDialog:
    qtbot.keyClick(QApplication.activeWindow(), Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    d = window.summary_dialog
    qtbot.waitExposed(d)
    assert d.isVisible() and d.parent() is window
    return d


@pytest.fixture
def save_to(monkeypatch):
    """Answers the save dialog with `path`; records what it was asked."""
    asked = []

    def answer(path):
        def get_save_file_name(*args):
            asked.append(args)
            return (str(path), "PDF (*.pdf)")

        monkeypatch.setattr(QFileDialog, "getSaveFileName", get_save_file_name)
        return asked

    return answer


def test_ctrl_p_opens_the_dialog_on_the_last_six_weeks(dialog):
    assert dialog.preset.currentText() == "Last 6 weeks"
    assert dialog.first.date() == QDate(2026, 10, 12)  # Monday five weeks before this one
    assert dialog.last.date() == QDate(2026, 11, 21)
    assert all(box.isChecked() for box in dialog.sections.values())


def test_save_as_pdf_with_questions_on_letter_paper(qtbot, window, dialog, save_to, tmp_path):
    asked = save_to(tmp_path / "for my physio")
    qtbot.keyClicks(dialog.questions, "Can I keep running?")
    qtbot.keyClick(dialog.questions, Qt.Key.Key_Return)
    qtbot.keyClicks(dialog.questions, "Is the swelling a worry?")
    knees = dialog.sections["knees"]
    qtbot.mouseClick(knees, Qt.MouseButton.LeftButton, pos=knees.rect().center())
    assert not knees.isChecked()
    qtbot.keyClicks(dialog.paper, "US")  # typing a space would open the list
    assert dialog.paper.currentText() == "US Letter"
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    [(parent, _caption, suggested, filters)] = asked
    assert (
        parent is dialog
        and suggested.endswith("knee-summary-2026-11-21.pdf")
        and "*.pdf" in filters
    )
    path = tmp_path / "for my physio.pdf"
    assert path.exists() and not (tmp_path / "for my physio").exists()
    reader = PdfReader(path)
    assert len(reader.pages) == 2
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(
            (612, 792), abs=1
        )
    text = pdf_text(path)
    assert "Can I keep running? Is the swelling a worry?" in text
    assert "Knee summary for Maren Okafor" in text
    assert "8 runs, 90.1 km" in text, "the sample journal's 6 weeks, from the store"
    assert "Pain against weekly distance" in text
    assert "Where it hurt (times marked)" not in text, "the drawing was left out"
    assert window.statusBar().currentMessage() == f"Saved the summary to {path}."
    assert dialog.status.text() == f"Saved {path} (2 pages)."


def test_the_chosen_paper_and_period_go_into_the_pdf(qtbot, dialog, save_to, tmp_path):
    save_to(tmp_path / "a4.PDF")  # a .pdf suffix in capitals is kept as it is
    dialog.paper.setCurrentIndex(dialog.paper.findData("a4"))
    qtbot.keyClick(dialog.preset, Qt.Key.Key_Down)  # Last 6 weeks -> Last 3 months
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    path = tmp_path / "a4.PDF"
    page = PdfReader(path).pages[0]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(
        (595, 842), abs=1
    )
    text = pdf_text(path)
    assert "Mon 24 Aug 2026 to Sat 21 Nov 2026 (13 weeks)" in text
    assert "10 runs, 112.1 km" in text, "the two September/October runs are in it now"


def test_presets_move_the_dates(qtbot, dialog):
    qtbot.keyClick(dialog.preset, Qt.Key.Key_Down)
    assert dialog.preset.currentText() == "Last 3 months"
    assert dialog.first.date() == QDate(2026, 8, 24)  # 13 weeks: Monday 16 Nov less 12 weeks
    assert dialog.last.date() == QDate(2026, 11, 21)
    dialog.preset.setCurrentIndex(dialog.preset.findText("Last 12 months"))
    assert dialog.first.date() == QDate(2025, 11, 24)  # Monday 16 Nov less 51 weeks
    assert dialog.first.date().dayOfWeek() == 1
    assert dialog.preset.currentText() == "Last 12 months", "moving the dates itself is no edit"


def test_editing_a_date_switches_to_choose_dates(qtbot, dialog):
    dialog.first.setFocus()
    qtbot.keyClick(dialog.first, Qt.Key.Key_Up)  # the day: 12 Oct -> 13 Oct
    assert dialog.first.date() == QDate(2026, 10, 13)
    assert dialog.preset.currentText() == "Choose dates"
    assert dialog.period().first == dt.date(2026, 10, 13)
    dialog.last.setDate(QDate(2026, 10, 1))  # before From: the period runs the right way round
    assert (dialog.period().first, dialog.period().last) == (
        dt.date(2026, 10, 1),
        dt.date(2026, 10, 13),
    )
    dialog.last.setDate(QDate(2027, 1, 1))
    assert dialog.last.date() == QDate(2026, 11, 21), "no later than today"


def test_a_save_that_fails_says_so_and_keeps_the_dialog(qtbot, window, dialog, save_to, tmp_path):
    save_to(tmp_path / "no such folder" / "summary")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.status.text().startswith("Could not save the PDF: there is no such folder.")
    assert "Choose another folder" in dialog.status.text()
    assert dialog.isVisible()
    assert not window.statusBar().currentMessage().startswith("Saved")
    assert not list(tmp_path.rglob("*.pdf")) and not list(tmp_path.rglob("*.part"))


def test_cancelling_the_save_dialog_writes_nothing(qtbot, window, dialog, save_to, tmp_path):
    save_to("")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.status.text() == ""
    assert not list(tmp_path.rglob("*.pdf"))


def test_print_preview_shows_the_summary(qtbot, dialog):
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    preview = dialog.preview
    assert isinstance(preview, QPrintPreviewDialog)
    qtbot.waitExposed(preview)
    assert preview.isVisible()
    widget = preview.findChild(QPrintPreviewWidget)
    qtbot.waitUntil(lambda: widget.pageCount() == 2)
    preview.close()
    assert not preview.isVisible()
