"""The physio summary on paper: real PDFs written with write_pdf and read back with pypdf."""

import datetime as dt
import os
import re
import unicodedata

import pytest
from pypdf import PdfReader
from pypdf.generic import IndirectObject
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QImage

from kneelog.model import Period, Settings, Units
from kneelog.report import build_summary
from kneelog.ui.report_render import (
    PLACEHOLDER,
    SECTIONS,
    can_print,
    render_summary,
    write_pdf,
)
from kneelog.ui.theme import ThemeSwitch
from test_report import PERIOD, SETTINGS, TODAY, run, sample_journal, sample_shoes, sample_summary

LITERAL = "<b>bold</b> &amp; <i>x</i>"
A4, LETTER = (595.3, 841.9), (612, 792)


def pages_text(path) -> list[str]:
    """Each page's text, with ligatures undone and every run of white space made one space."""
    return [
        " ".join(unicodedata.normalize("NFKC", page.extract_text()).split())
        for page in PdfReader(path).pages
    ]


def resolve(obj):
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


@pytest.fixture
def pdf(qapp, tmp_path):
    """Writes a summary to a fresh file and returns (pages written, path)."""
    count = iter(range(100))

    def write(summary, paper="a4", sections=SECTIONS):
        path = tmp_path / f"summary-{next(count)}.pdf"
        pages = write_pdf(summary, path, paper, sections)
        return pages, path

    return write


@pytest.fixture(scope="module")
def six_weeks(qapp, tmp_path_factory):
    """The sample journal's 6-week summary, with a question that looks like markup."""
    path = tmp_path_factory.mktemp("six-weeks") / "summary.pdf"
    journal = sample_journal()
    journal[-1] = journal[-1].with_(notes=f"Felt it on the hill {LITERAL}")
    summary = build_summary(
        journal,
        sample_shoes(),
        SETTINGS,
        PERIOD,
        TODAY,
        f"Is it OK to run downhill?\nWhat about {LITERAL}?",
    )
    pages = write_pdf(summary, path)
    return pages, path, pages_text(path)


# -- what page 1 says ---------------------------------------------------------------------


def test_six_weeks_of_a_small_journal_fit_on_two_pages(six_weeks):
    pages, path, text = six_weeks
    assert pages == 2
    assert len(PdfReader(path).pages) == 2
    assert "Page 1 of 2" in text[0] and "Page 2 of 2" in text[1]
    for page in text:
        assert "kneelog summary for Maren Okafor, 12 Oct 2026 to 21 Nov 2026" in page


def test_page_one_has_the_runner_the_period_and_the_disclaimer(six_weeks):
    first = six_weeks[2][0]
    assert "Knee summary for Maren Okafor" in first
    assert "Mon 12 Oct 2026 to Sat 21 Nov 2026 (6 weeks)" in first
    assert "printed 21 Nov 2026" in first
    assert "it is not a diagnosis" in first


def test_page_one_has_the_numbers(six_weeks):
    first = six_weeks[2][0]
    weeks = 41 / 7
    # 8 runs, 9 + 13.5 + 6 + 15 + 10 + 8 + 12 + 16.6 km
    assert f"8 runs, 90.1 km; {8 / weeks:.1f} runs and {90.1 / weeks:.1f} km a week" in first
    assert "1.4 runs and 15.4 km a week" in first
    assert "(first week 28.5 km, latest 0.0 km)" in first
    assert "Longest run 16.6 km on Sun 15 Nov" in first
    assert (
        "15 Oct 13.5 km (+12% on the month's longest); 24 Oct 15.0 km (+11% on the month's "
        "longest); 15 Nov 16.6 km (+11% on the month's longest)"
    ) in first
    during = (
        f"first two weeks {(3 + 5 + 1 + 4) / 4:.1f}, last two weeks {(2 + 6 + 3) / 3:.1f} (0-10)"
    )
    assert during in first and "last two weeks 3.7" in during
    assert f"first two weeks {(2 + 4 + 3) / 3:.1f}, last two weeks {(2 + 5 + 1) / 3:.1f}" in first
    assert "Worst pain 7/10 on Tue 27 Oct (knee check-in)" in first


def test_page_one_lists_warning_signs_with_dates_and_what_changed(six_weeks):
    first = six_weeks[2][0]
    assert (
        "Swelling on Sun 18 Oct; Giving way on Tue 27 Oct; Pain at night on Tue 27 Oct; "
        "Swelling on Thu 12 Nov"
    ) in first
    assert "right knee: kneecap and around it (4); left knee:" in first
    assert "going downstairs (2), sitting a long time (1)" in first
    assert "got worse as the run went on (2)" in first
    assert "more distance (2), new shoes (1); new shoes: Blue racers" in first
    assert (
        "1 strength session, sleep less than usual twice, stress higher than usual twice" in first
    )
    assert "Old trainers 320.0 km of 800.0 km; Blue racers 14.0 km of 800.0 km" in first


def test_typed_text_prints_as_typed_not_as_markup(six_weeks):
    first, table = six_weeks[2]
    assert f"Is it OK to run downhill? What about {LITERAL}?" in first
    assert f"Felt it on the hill {LITERAL}" in table


def test_a_runner_name_with_markup_prints_as_typed(pdf):
    s = build_summary(
        sample_journal(), [], Settings(runner_name="Jo <i>Lee</i> & co"), PERIOD, TODAY
    )
    _, path = pdf(s)
    first = pages_text(path)[0]
    assert "Knee summary for Jo <i>Lee</i> & co" in first
    assert "kneelog summary for Jo <i>Lee</i> & co," in first


def test_miles_when_the_runner_chose_miles(pdf):
    s = build_summary(sample_journal(), [], Settings(units=Units.MI), PERIOD, TODAY)
    _, path = pdf(s)
    first = pages_text(path)[0]
    assert f"8 runs, {90.1 / 1.609344:.1f} mi" in first
    assert f"Longest run {16.6 / 1.609344:.1f} mi on Sun 15 Nov" in first
    assert "Knee summary for a runner" in first


def placed_text(path, page: int = 0) -> list[tuple[float, float, str]]:
    """(x, y, text) of each piece of text on a page, in points from the bottom left."""
    parts = []

    def visit(text, cm, tm, _font, _size):
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            parts.append((x, y, " ".join(text.split())))

    PdfReader(path).pages[page].extract_text(visitor_text=visit)
    return parts


def chart_labels(path) -> tuple[list[str], list[str]]:
    """Page 1's chart: the distance axis's numbers (bottom up) and the key's words."""
    parts = placed_text(path)
    [(_, top, _)] = [p for p in parts if p[2] == "Pain against weekly distance"]
    [(_, bottom, _)] = [p for p in parts if p[2].startswith("weekly distance")]
    inside = [p for p in parts if bottom <= p[1] < top]
    # The distance axis is on the left, in the chart's first 30 px (22.5 pt) past the margin.
    axis = sorted((y, text) for x, y, text in inside if x < 14 / 25.4 * 72 + 22.5)
    key = [text for x, y, text in inside if y == bottom]
    return [text for _, text in axis], key


@pytest.mark.parametrize(
    ("units", "ticks", "key"),
    [
        # The longest week, 9 Nov: 8 + 12 + 16.6 = 36.6 km, which is 22.7 mi: the axis tops
        # out in the twenties in miles, and at 40 in km.
        (Units.MI, ["0", "10", "20"], "weekly distance (mi, left)"),
        (Units.KM, ["0", "10", "20", "30", "40"], "weekly distance (km, left)"),
    ],
)
def test_the_chart_measures_weeks_in_the_runners_unit(pdf, units, ticks, key):
    s = build_summary(sample_journal(), [], Settings(units=units), PERIOD, TODAY)
    _, path = pdf(s)
    axis, keys = chart_labels(path)
    assert axis == ticks
    assert keys[0] == key
    assert not any(("km" if units is Units.MI else "mi") in text for text in keys)


# -- the table ----------------------------------------------------------------------------


def test_every_entry_and_the_gap_are_in_the_table(six_weeks):
    table = " ".join(six_weeks[2][1:])
    assert "Every entry, oldest first" in table
    for entry in sample_journal()[2:]:
        assert entry.started.strftime("%a %d %b") in table
    assert "Sun 20 Sep" not in table and "Mon 05 Oct" not in table, "runs before the period"
    assert "No entries for 10 days (31 Oct to 09 Nov)" in table
    assert (
        table.index("Fri 30 Oct")
        < table.index("No entries for 10 days")
        < table.index("Tue 10 Nov")
    )
    assert "Woke up twice" in table and "today 7" in table  # the check-in


def test_a_long_period_breaks_the_table_over_pages_with_footers(pdf):
    period = Period(dt.date(2026, 3, 2), dt.date(2026, 5, 31))
    journal = [
        run(3, 2, 5.0, (1, 2, 2), 1).with_(
            started=dt.datetime(2026, 3, 2, 7) + dt.timedelta(days=d)
        )
        for d in range(90)
    ]
    pages, path = pdf(build_summary(journal, [], SETTINGS, period, dt.date(2026, 5, 31)))
    text = pages_text(path)
    assert pages == len(text) >= 3
    for n, page in enumerate(text, 1):
        assert f"Page {n} of {pages}" in page
    table = " ".join(text[1:])
    days = [(dt.date(2026, 3, 2) + dt.timedelta(days=d)).strftime("%a %d %b") for d in range(90)]
    positions = [table.index(day) for day in days]
    assert positions == sorted(positions), "every day, in order, none lost at a page break"


# -- an empty period ----------------------------------------------------------------------


def test_an_empty_period_is_one_page_saying_so(pdf):
    period = Period(dt.date(2027, 1, 4), dt.date(2027, 2, 14))
    pages, path = pdf(
        build_summary(sample_journal(), sample_shoes(), SETTINGS, period, dt.date(2027, 2, 14))
    )
    [text] = pages_text(path)
    assert pages == 1
    assert "Knee summary for Maren Okafor" in text
    assert "Nothing logged in this period" in text
    assert "Page 1 of 1" in text
    assert "Every entry" not in text and "Pain against weekly distance" not in text


def test_an_empty_period_still_carries_the_questions(pdf):
    period = Period(dt.date(2027, 1, 4), dt.date(2027, 2, 14))
    s = build_summary([], [], SETTINGS, period, dt.date(2027, 2, 14), "Can I start again?")
    pages, path = pdf(s)
    [text] = pages_text(path)
    assert pages == 1
    assert "Nothing logged in this period" in text and "Can I start again?" in text


# -- sections -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sections", "pages", "shown", "hidden"),
    [
        (
            {"table"},
            2,
            ["Every entry"],
            ["Pain against weekly distance", "Where it hurt (times marked)"],
        ),
        (
            {"chart"},
            1,
            ["Pain against weekly distance"],
            ["Every entry", "Where it hurt (times marked)"],
        ),
        (
            {"knees"},
            1,
            ["Where it hurt (times marked)"],
            ["Every entry", "Pain against weekly distance"],
        ),
        (
            set(),
            1,
            ["At a glance", "Warning signs reported"],
            ["Every entry", "Pain against weekly distance", "Where it hurt (times marked)"],
        ),
    ],
)
def test_leaving_out_sections(pdf, sections, pages, shown, hidden):
    written, path = pdf(sample_summary("Should I rest?"), sections=frozenset(sections))
    text = pages_text(path)
    assert written == len(text) == pages
    everything = " ".join(text)
    for words in shown + ["Should I rest?", "Swelling on Sun 18 Oct"]:
        assert words in everything
    for words in hidden:
        assert words not in everything
    assert f"Page {pages} of {pages}" in text[-1]


# -- the paper and the file ---------------------------------------------------------------


@pytest.mark.parametrize(("paper", "size"), [("a4", A4), ("letter", LETTER)])
def test_paper_size(pdf, paper, size):
    _, path = pdf(sample_summary(), paper=paper)
    for page in PdfReader(path).pages:
        box = page.mediabox
        assert float(box.width) == pytest.approx(size[0], abs=1)
        assert float(box.height) == pytest.approx(size[1], abs=1)


def test_fonts_are_embedded(six_weeks):
    _, path, _ = six_weeks
    for page in PdfReader(path).pages:
        fonts = resolve(page["/Resources"])["/Font"]
        assert len(fonts) >= 1
        for name, ref in fonts.items():
            font = resolve(ref)
            if font["/Subtype"] == "/Type0":
                font = resolve(font["/DescendantFonts"][0])
            descriptor = resolve(font["/FontDescriptor"])
            assert "/FontFile2" in descriptor, f"{name} ({font['/BaseFont']}) is not embedded"
            assert "DejaVu" in str(font["/BaseFont"])


def images(resources) -> list:
    """Image XObjects in these resources, looking inside form XObjects too."""
    found = []
    for ref in resolve(resources or {}).get("/XObject", {}).values():
        xobject = resolve(ref)
        if xobject.get("/Subtype") == "/Image":
            found.append(xobject)
        elif xobject.get("/Subtype") == "/Form":
            found += images(xobject.get("/Resources"))
    return found


def test_the_chart_and_the_knees_are_vectors(six_weeks):
    _, path, _ = six_weeks
    first = PdfReader(path).pages[0]
    assert images(first["/Resources"]) == []
    # and they were drawn: their titles and axis labels are there as text
    text = pages_text(path)[0]
    assert "Pain against weekly distance" in text and "Where it hurt (times marked)" in text


def test_the_file_is_private_and_nothing_else_is_left(pdf, tmp_path):
    pages, path = pdf(sample_summary())
    assert os.stat(path).st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]
    assert path.read_bytes().startswith(b"%PDF-")
    # writing again over it replaces it whole
    old = path.read_bytes()
    assert write_pdf(sample_summary("Another question"), path) == pages
    assert path.read_bytes() != old
    assert "Another question" in pages_text(path)[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]
    assert os.stat(path).st_mode & 0o777 == 0o600


def test_a_failed_write_leaves_no_partial_file(qapp, tmp_path):
    target = tmp_path / "summary.pdf"
    target.mkdir()  # a folder where the PDF should go: the last step cannot replace it
    with pytest.raises(OSError):
        write_pdf(sample_summary(), target)
    assert [p.name for p in tmp_path.iterdir()] == ["summary.pdf"]
    assert target.is_dir() and not any(target.iterdir())
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".part")]


def test_a_missing_folder_is_a_plain_error_before_anything_is_painted(qapp, tmp_path):
    target = tmp_path / "gone" / "summary.pdf"
    with pytest.raises(FileNotFoundError):
        write_pdf(sample_summary(), target)
    assert not (tmp_path / "gone").exists()


# -- what the triage panel adds --------------------------------------------------------------


def test_page_one_carries_the_red_flags_the_evidence_and_the_plan(pdf):
    from kneelog.triage import Answers, Plan, assess

    journal = sample_journal()
    plan = Plan("calm", TODAY - dt.timedelta(days=8), 14, change="Flat <routes> & grass", id=1)
    ticks = {
        (plan.started + dt.timedelta(days=i), step)
        for i in (0, 1, 2, 4)
        for step in ("ease", "one_change", "strength", "recovery")
    }
    triage = assess(
        journal, sample_shoes(), Answers(yes={"cannot_walk": TODAY}), TODAY, plan, ticks
    )
    assert any(e.found for e in triage.evidence), "the sample journal points to some pattern"
    summary = build_summary(journal, sample_shoes(), SETTINGS, PERIOD, TODAY, triage=triage)
    _, path = pdf(summary)
    page1 = pages_text(path)[0]
    assert "Red flags Answered yes: Does the pain make normal walking hard?" in page1
    assert "Not yet assessed in person." in page1
    assert (
        "14-day calm plan from Fri 13 Nov, testing: Flat <routes> & grass. Day 9 of 14; every box "
        "ticked on 4 of 9 days, nothing ticked on 4."
    ) in page1
    assert "What led up to the pain (load patterns, not a diagnosis)" in page1
    for pattern in triage.evidence:
        if pattern.found:
            assert pattern.lines[0] in page1


def test_no_triage_section_without_a_triage(six_weeks):
    _, _, text = six_weeks
    assert "Plan followed" not in text[0] and "What led up to the pain" not in text[0]


# -- text beyond the bundled font, and line breaks ---------------------------------------


def raw_pages_text(path) -> list[str]:
    """Each page's text as pypdf reads it, line breaks kept."""
    return [unicodedata.normalize("NFKC", page.extract_text()) for page in PdfReader(path).pages]


def test_line_breaks_in_notes_are_kept(pdf):
    journal = sample_journal()
    journal[-1] = journal[-1].with_(notes="Stairs hurt\nHill felt fine\r\nIced after")
    _, path = pdf(build_summary(journal, sample_shoes(), SETTINGS, PERIOD, TODAY))
    lines = [" ".join(line.split()) for line in raw_pages_text(path)[-1].splitlines()]
    # Each line of the note on a line of its own in the table cell, not run together.
    assert {"Stairs hurt", "Hill felt fine", "Iced after"} <= set(lines), lines


def test_greek_cyrillic_and_accents_print_as_typed(pdf):
    journal = sample_journal()
    journal[-1] = journal[-1].with_(notes="Колено болит, γόνατο, Knie tut weh: genoù")
    s = build_summary(journal, sample_shoes(), Settings(runner_name="Zoë Ørsted"), PERIOD, TODAY)
    _, path = pdf(s)
    text = " ".join(pages_text(path))
    assert "Колено болит, γόνατο, Knie tut weh: genoù" in text
    assert "Knee summary for Zoë Ørsted" in text
    assert PLACEHOLDER not in text


def test_emoji_print_as_typed_with_the_bundled_font(pdf):
    """Emoji vanished from the PDF without a trace; the bundled Noto Emoji prints them on any
    computer, and the PDF embeds it."""
    journal = sample_journal()
    journal[-1] = journal[-1].with_(notes="Knee 🦵 sore 👍 ok")
    s = build_summary(journal, sample_shoes(), Settings(runner_name="Sam 🏃"), PERIOD, TODAY)
    _, path = pdf(s)
    first, *_, table = pages_text(path)
    # Qt's PDF writer maps glyphs beyond the first 65,536 characters to no text, so a text
    # reader sees one unnamed character where each emoji is drawn: there, not a stand-in.
    drawn = re.search(r"Knee (\S) sore (\S) ok", table)
    assert drawn and PLACEHOLDER not in drawn.groups(), table
    assert PLACEHOLDER not in first and "cannot print" not in first
    fonts = {
        font["/BaseFont"].split("+")[-1].lstrip("/")
        for page in PdfReader(path).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any(name.startswith("NotoEmoji") for name in fonts), fonts


def test_characters_no_font_has_are_shown_by_a_placeholder_and_explained(pdf):
    """Egyptian hieroglyphs are in no font kneelog bundles (nor on most computers): a visible □
    stands in, once for a character built of several, and page 1 says what it means."""
    hieroglyph = "\U00013000"
    assert not can_print(hieroglyph)
    journal = sample_journal()
    journal[-1] = journal[-1].with_(notes=f"Knee {hieroglyph} sore {hieroglyph}\ufe0f end")
    s = build_summary(
        journal, sample_shoes(), Settings(runner_name=f"Sam {hieroglyph}"), PERIOD, TODAY
    )
    _, path = pdf(s)
    first, *_, table = pages_text(path)
    assert f"Knee {PLACEHOLDER} sore {PLACEHOLDER} end" in table
    assert f"Knee summary for Sam {PLACEHOLDER}" in first
    assert "cannot print" in first


def test_nothing_is_explained_when_every_character_printed(six_weeks):
    first, _ = six_weeks[2]
    assert "cannot print" not in first


class Sheets(QImage):
    """A paged device of A4 sheets at 96 dpi, keeping each page as it is finished."""

    def __init__(self):
        super().__init__(794, 1123, QImage.Format.Format_RGB32)
        self.fill(Qt.GlobalColor.white)
        self.pages: list[QImage] = []

    def newPage(self) -> bool:
        self.pages.append(self.copy())
        self.fill(Qt.GlobalColor.white)
        return True


def test_the_summary_is_printed_alike_whatever_the_screens_theme(qapp, tmp_path):
    summary = sample_summary()
    drawn = {}
    switch = ThemeSwitch(qapp, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    try:
        for scheme in ("light", "dark"):
            switch.set_choice(scheme)
            sheets = Sheets()
            render_summary(summary, sheets)
            drawn[scheme] = sheets.pages[0] if sheets.pages else sheets.copy()
    finally:
        switch.set_choice("system")
    assert drawn["light"] == drawn["dark"]


def test_the_table_gives_the_climb_in_the_runners_unit(pdf):
    journal = [*sample_journal(), run(11, 20, 10.0, (1, 1, 1), 1, elevation_gain_m=304.8)]
    s = build_summary(journal, [], Settings(units=Units.MI), PERIOD, TODAY)
    _, path = pdf(s)
    assert "1000 ft up" in " ".join(pages_text(path)[1:])
    s = build_summary(journal, [], Settings(units=Units.KM), PERIOD, TODAY)
    _, path = pdf(s)
    assert "305 m up" in " ".join(pages_text(path)[1:])
