"""The triage panel in the window, driven with real clicks: flags, evidence, plan, review."""

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QPushButton, QWidget

from factories import make_run
from kneelog.model import Change, WarningSign
from kneelog.store import Store

TODAY = dt.date(2026, 11, 21)


class Clock:
    def __init__(self, day: dt.date):
        self.now = dt.datetime.combine(day, dt.time(19, 0))

    def __call__(self) -> dt.datetime:
        return self.now


def volume_jump_journal(store: Store) -> None:
    """Eight steady weeks of 20 km, then 32 km the week the knee starts to hurt."""
    monday = TODAY - dt.timedelta(days=TODAY.weekday() + 7 * 9)
    for week in range(9):
        km = 10.0 if week < 8 else 16.0
        for offset in (1, 5):
            day = monday + dt.timedelta(days=7 * week + offset)
            sore = week == 8
            store.save_entry(
                make_run(
                    started=dt.datetime.combine(day, dt.time(7)),
                    distance_km=km,
                    duration_s=int(km * 330),
                    pain_start=2 if sore else 0,
                    pain_middle=3 if sore else 0,
                    pain_end=4 if sore else 0,
                    marks=make_run().marks if sore else (),
                    changes=frozenset({Change.VOLUME}) if sore else frozenset(),
                ),
                today=TODAY,
            )


@pytest.fixture
def clock():
    return Clock(TODAY)


@pytest.fixture
def open_window(open_window, clock):
    """The window at 19:00 on TODAY (the clock can move), wide enough for the triage panel."""
    return lambda: open_window(clock=clock, size=(1500, 900), panel=True)


def visible(panel: QWidget, kind, name: str):
    """The widget the runner sees now (a rebuilt section leaves its old widgets hidden)."""
    found = [w for w in panel.findChildren(kind, name) if w.isVisibleTo(panel)]
    assert len(found) == 1, f"{name}: {len(found)} visible"
    return found[0]


def settle(qtbot) -> None:
    """Let the panel lay out what it rebuilt, as the event loop does before a runner's next click."""
    qtbot.wait(1)


def click(qtbot, panel, widget: QWidget) -> None:
    settle(qtbot)
    panel.scroll.ensureWidgetVisible(widget)
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=widget.rect().center())


def click_words(qtbot, panel, box: QCheckBox) -> None:
    """Click the wrapped words next to a box, as most people do."""
    words = box.parentWidget().words
    settle(qtbot)
    panel.scroll.ensureWidgetVisible(words)
    qtbot.mouseClick(words, Qt.MouseButton.LeftButton, pos=words.rect().center())


def test_the_panel_says_it_is_not_advice_and_stays_in_view(open_window):
    window = open_window()
    panel = window.triage
    assert panel.not_advice.isVisible()
    assert "not medical advice" in panel.not_advice.text()
    panel.scroll.verticalScrollBar().setValue(panel.scroll.verticalScrollBar().maximum())
    assert panel.not_advice.isVisible() and panel.not_advice.y() == 0


def test_an_empty_journal_gets_calm_words_not_blanks(open_window):
    panel = open_window().triage
    texts = [w.text() for w in panel.findChildren(QLabel) if w.isVisibleTo(panel)]
    assert any("Nothing marked on the knee" in t for t in texts)
    assert sum("No sore spell in the last 12 weeks" in t for t in texts) == 1
    assert "Log a run" in visible(panel, QLabel, "guidance").text()


def test_a_red_flag_answer_blocks_the_plan_until_assessed(qtbot, open_window, journal_path):
    with Store.open(journal_path) as store:
        volume_jump_journal(store)
    window = open_window()
    panel = window.triage
    assert visible(panel, QPushButton, "start_7")

    click_words(qtbot, panel, visible(panel, QCheckBox, "flag:cannot_walk"))
    assert window.store.triage_answers().yes == {"cannot_walk": TODAY}
    card = visible(panel, QWidget, "redFlagCard")
    assert "looked at in person" in card.findChildren(QLabel)[0].text()
    assert not [b for b in panel.findChildren(QPushButton, "start_7") if b.isVisibleTo(panel)]
    assert not [
        b
        for b in panel.findChildren(QPushButton)
        if b.text() == "Test this one" and b.isVisibleTo(panel)
    ]

    click(qtbot, panel, visible(panel, QPushButton, "assessed"))
    assert window.store.triage_answers().assessed_on == TODAY
    assert not [c for c in panel.findChildren(QWidget, "redFlagCard") if c.isVisibleTo(panel)]
    assert visible(panel, QPushButton, "start_7").isEnabled()
    assert visible(panel, QCheckBox, "flag:cannot_walk").isChecked(), "the answer is still shown"


def test_a_warning_sign_logged_in_an_entry_raises_the_flag_live(qtbot, open_window):
    window = open_window()
    panel = window.triage
    assert not [c for c in panel.findChildren(QWidget, "redFlagCard") if c.isVisibleTo(panel)]
    window.session.put_entry(
        None,
        make_run(started=dt.datetime(2026, 11, 19, 7), warnings=frozenset({WarningSign.LOCKING})),
    )
    visible(panel, QWidget, "redFlagCard")
    texts = [w.text() for w in panel.findChildren(QLabel) if w.isVisibleTo(panel)]
    assert any("Locking or catching (19 Nov)" in t for t in texts)
    window.session.put_entry(window.store.entries()[0], None)
    assert not [c for c in panel.findChildren(QWidget, "redFlagCard") if c.isVisibleTo(panel)]


def test_evidence_to_plan_ticks_that_survive_a_restart(qtbot, open_window, journal_path, clock):
    with Store.open(journal_path) as store:
        volume_jump_journal(store)
    window = open_window()
    panel = window.triage
    volume = visible(panel, QWidget, "pattern:volume")
    assert volume.property("role") == "patternFound"
    lines = " ".join(label.text() for label in volume.findChildren(QLabel))
    assert "20.0 km \u2192 32.0 km (+60%)" in lines

    click(qtbot, panel, visible(panel, QPushButton, "test:volume"))
    change = visible(panel, QComboBox, "change")
    assert change.currentData() == "volume"
    click(qtbot, panel, visible(panel, QPushButton, "start_7"))
    plan = window.store.current_plan()
    assert (plan.kind, plan.started, plan.days, plan.pattern) == ("calm", TODAY, 7, "volume")
    assert plan.change == change.currentText()
    assert any("Day 1 of 7" in w.text() for w in panel.findChildren(QLabel) if w.isVisibleTo(panel))

    click_words(qtbot, panel, visible(panel, QCheckBox, "tick:ease"))
    click(qtbot, panel, visible(panel, QCheckBox, "tick:strength"))
    assert window.store.plan_ticks(plan.id) == {(TODAY, "ease"), (TODAY, "strength")}
    click(qtbot, panel, visible(panel, QCheckBox, "tick:strength"))
    assert window.store.plan_ticks(plan.id) == {(TODAY, "ease")}
    window.close()

    clock.now += dt.timedelta(days=2)
    again = open_window()
    panel = again.triage
    assert any("Day 3 of 7" in w.text() for w in panel.findChildren(QLabel) if w.isVisibleTo(panel))
    assert not visible(panel, QCheckBox, "tick:ease").isChecked(), "a new day starts unticked"
    strip = visible(panel, QWidget, "daysStrip")
    cells = [c.text() for c in strip.findChildren(QLabel)]
    assert cells[0].endswith("1/4") and cells[1].endswith("0/4")
    skipped = [
        w.text()
        for w in panel.findChildren(QLabel)
        if w.isVisibleTo(panel) and "nothing ticked" in w.text()
    ]
    assert skipped and "22 Nov" in skipped[0]


def test_an_own_change_is_needed_and_recorded(qtbot, open_window, monkeypatch):
    window = open_window()
    panel = window.triage
    told = []
    monkeypatch.setattr(
        "kneelog.ui.main_window.QMessageBox.information", lambda *a: told.append(a[1])
    )
    change = visible(panel, QComboBox, "change")
    assert change.currentData() == "__own__", "with no pattern found, only the runner's own"
    click(qtbot, panel, visible(panel, QPushButton, "start_14"))
    assert told == ["One change at a time"] and window.store.current_plan() is None

    own = visible(panel, QWidget, "ownChange")
    click(qtbot, panel, own)
    qtbot.keyClicks(own, "Grass loop <b>only</b>")
    click(qtbot, panel, visible(panel, QPushButton, "start_14"))
    plan = window.store.current_plan()
    assert (plan.days, plan.change, plan.pattern) == (14, "Grass loop <b>only</b>", None)
    assert any(
        "Testing: Grass loop <b>only</b>" in w.text()
        for w in panel.findChildren(QLabel)
        if w.isVisibleTo(panel)
    )


def test_ending_a_plan_can_be_undone(qtbot, open_window):
    window = open_window()
    panel = window.triage
    qtbot.keyClicks(visible(panel, QWidget, "ownChange"), "Flat routes")
    click(qtbot, panel, visible(panel, QPushButton, "start_7"))
    plan = window.store.current_plan()
    click(qtbot, panel, visible(panel, QPushButton, "endPlan"))
    assert window.store.current_plan() is None
    assert visible(panel, QPushButton, "start_7")
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.store.current_plan() == plan
    assert visible(panel, QPushButton, "endPlan")


def test_the_review_compares_the_plan_with_the_days_before(qtbot, open_window, journal_path, clock):
    start = TODAY - dt.timedelta(days=8)
    with Store.open(journal_path) as store:
        for i, pain in enumerate((5, 5, 4)):  # before the plan: average 4.67
            store.save_entry(
                make_run(
                    started=dt.datetime.combine(start - dt.timedelta(days=2 + 2 * i), dt.time(7)),
                    pain_start=1,
                    pain_middle=2,
                    pain_end=pain,
                ),
                today=TODAY,
            )
        for i, pain in enumerate((3, 2, 2)):  # during: average 2.33
            store.save_entry(
                make_run(
                    started=dt.datetime.combine(start + dt.timedelta(days=1 + 2 * i), dt.time(7)),
                    pain_start=1,
                    pain_middle=1,
                    pain_end=pain,
                ),
                today=TODAY,
            )
        from kneelog.triage import Plan

        store.start_plan(Plan(kind="calm", started=start, days=14, change="Flat routes"))
    window = open_window()
    panel = window.triage
    table = visible(panel, QWidget, "reviewTable")
    cells = [w.text() for w in table.findChildren(QLabel)]
    assert "4.7/10" in cells and "2.3/10" in cells
    assert visible(panel, QLabel, "verdict").text() == "Your pain was lower during the plan."

    # One more run in the plan's days: its figures move, the verdict stays, and the table
    # shown says what a panel drawn from scratch says.
    window.session.put_entry(
        None,
        make_run(
            started=dt.datetime.combine(start + dt.timedelta(days=7), dt.time(7)),
            pain_start=1,
            pain_middle=1,
            pain_end=3,
        ),
    )
    settle(qtbot)
    assert visible(panel, QWidget, "reviewTable") is table, "written in place"
    cells = [w.text() for w in table.findChildren(QLabel)]
    assert "2.5/10" in cells, "during the plan: (3 + 2 + 2 + 3) / 4"
    from kneelog.ui.triage_panel import TriagePanel

    fresh = TriagePanel()
    qtbot.addWidget(fresh)
    fresh.set_triage(window.session.triage(), TODAY, window.session.settings.units)
    assert cells == [w.text() for w in fresh.findChild(QWidget, "reviewTable").findChildren(QLabel)]
    assert (
        visible(panel, QLabel, "reviewText").text() == fresh.findChild(QLabel, "reviewText").text()
    )


def test_panel_and_charts_fit_a_laptop_screen(qtbot, open_window):
    window = open_window()
    window.tabs.setCurrentIndex(2)
    assert window.charts is not None
    assert window.triage_dock.isVisible()
    assert window.minimumSizeHint().width() <= 1280, "a 1366-pixel screen must hold the window"


def test_opening_another_journal_shows_its_own_triage(qtbot, open_window, tmp_path):
    window = open_window()
    panel = window.triage
    qtbot.keyClicks(visible(panel, QWidget, "ownChange"), "Flat routes")
    click(qtbot, panel, visible(panel, QPushButton, "start_7"))
    assert visible(panel, QPushButton, "endPlan")
    old = window.store
    other = Store.open(tmp_path / "other.db")
    window.set_store(other)
    old.close()
    assert visible(panel, QPushButton, "start_7"), "the other journal has no plan"
    window.set_store(Store.open(old.path))
    other.close()
    assert visible(panel, QPushButton, "endPlan")


def test_the_tendon_plan_is_offered_when_the_tendon_dominates(qtbot, open_window, journal_path):
    from kneelog.model import Intensity, PainMark, Region, Side

    with Store.open(journal_path) as store:
        for day in (14, 17, 19):
            store.save_entry(
                make_run(
                    started=dt.datetime(2026, 11, day, 7),
                    marks=(PainMark(Side.LEFT, Region.PATELLAR_TENDON, Intensity.MODERATE),),
                ),
                today=TODAY,
            )
    window = open_window()
    panel = window.triage
    click(qtbot, panel, visible(panel, QPushButton, "start_tendon"))
    plan = window.store.current_plan()
    assert (plan.kind, plan.days) == ("tendon", 84)
    tick = visible(panel, QCheckBox, "tick:loading")
    assert tick.parentWidget().words.text() == "Did today's tendon loading (3 sets of 15)."
    click(qtbot, panel, tick)
    assert window.store.plan_ticks(plan.id) == {(TODAY, "loading")}


def test_no_tendon_plan_for_a_kneecap_picture(open_window, journal_path):
    with Store.open(journal_path) as store:
        store.save_entry(make_run(started=dt.datetime(2026, 11, 19, 7)), today=TODAY)
    panel = open_window().triage
    assert not [b for b in panel.findChildren(QPushButton, "start_tendon") if b.isVisibleTo(panel)]


def test_a_save_redraws_only_the_steps_it_changes(qtbot, open_window):
    window = open_window()
    panel = window.triage
    question = visible(panel, QCheckBox, "flag:cannot_walk")
    said = visible(panel, QLabel, "guidance").text()
    window.session.put_entry(
        None, make_run(started=dt.datetime(2026, 11, 20, 7), pain_start=1, pain_end=1)
    )
    assert visible(panel, QCheckBox, "flag:cannot_walk") is question, (
        "no flag changed: kept as it was"
    )
    guidance = visible(panel, QLabel, "guidance").text()
    assert guidance != said and "20 Nov" in guidance


def test_a_triage_write_kept_out_by_another_kneelog_says_so_and_shows_the_truth(qtbot, open_window):
    """Another kneelog writing for longer than a write waits: the answer is not stored, the
    status bar says so in plain words, and the box shows what the journal holds (unticked)."""
    import sqlite3

    window = open_window()
    panel = window.triage
    window.store.write_patience_s = 0.3
    other = sqlite3.connect(window.store.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        click_words(qtbot, panel, visible(panel, QCheckBox, "flag:cannot_walk"))
    finally:
        other.execute("ROLLBACK")
        other.close()
    message = window.statusBar().currentMessage()
    assert message.startswith("Not saved: your answer.") and "Another kneelog is writing" in message
    assert window.store.triage_answers().yes == {}
    settle(qtbot)
    assert not visible(panel, QCheckBox, "flag:cannot_walk").isChecked()
    click_words(
        qtbot, panel, visible(panel, QCheckBox, "flag:cannot_walk")
    )  # once the other is done
    assert window.store.triage_answers().yes == {"cannot_walk": TODAY}


PAIN_FREE = {"pain_start": 0, "pain_middle": 0, "pain_end": 0, "marks": ()}


def test_a_save_that_moves_a_figure_under_a_pattern_writes_it_into_the_card_shown(
    qtbot, open_window, journal_path
):
    from kneelog.ui.triage_panel import TriagePanel

    with Store.open(journal_path) as store:
        volume_jump_journal(store)
    window = open_window()
    panel = window.triage
    card = visible(panel, QLabel, "lines:volume")
    before = card.text()
    assert "Week of 9 Nov: 20.0 km \u2192 32.0 km (+60%)" in before
    # A short run the week before the jump: the jump is smaller, still the same pattern.
    window.session.put_entry(
        None, make_run(started=dt.datetime(2026, 11, 4, 7), distance_km=2.0, **PAIN_FREE)
    )
    settle(qtbot)
    assert visible(panel, QLabel, "lines:volume") is card, "written in place, not made anew"
    assert "Week of 9 Nov: 22.0 km \u2192 32.0 km (+45%)" in card.text()
    fresh = TriagePanel()
    qtbot.addWidget(fresh)
    fresh.set_triage(window.session.triage(), TODAY, window.session.settings.units)
    assert card.text() == fresh.findChild(QLabel, "lines:volume").text(), (
        "what a panel drawn from scratch shows"
    )
