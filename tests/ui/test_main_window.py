"""The whole window, end to end, driven as a runner would."""

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from factories import make_run
from kneelog.model import Intensity, Kind, PainMark, Region, Side
from kneelog.store import Store
from kneelog.ui.dialogs import ShoeDialog

NOW = dt.datetime(2026, 11, 21, 8, 15)


def log_a_run(qtbot, window, distance="8.4", region=Region.KNEECAP):
    form = window.form
    window.new_entry()
    form.distance.setFocus()
    qtbot.keyClicks(form.distance, distance)
    form.pains["pain_end"].setFocus()
    qtbot.keyClick(form.pains["pain_end"], Qt.Key.Key_4)
    qtbot.mouseClick(
        form.body_map, Qt.MouseButton.LeftButton, pos=form.body_map.region_center(region)
    )
    qtbot.keyClick(form.distance, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def history_rows(window):
    """The rows of the History, as the runner sees them on its tab (Ctrl+2), which shows it."""
    window.tabs.setCurrentWidget(window.history)
    model = window.history.model
    return [
        [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def test_log_a_run_see_it_reopen_it_delete_and_undo(qtbot, journal_path, qsettings, open_window):
    window = open_window()
    assert window.tabs.currentIndex() == 0, "the form is what kneelog offers first"
    log_a_run(qtbot, window)

    [saved] = window.store.entries()
    assert saved.distance_km == pytest.approx(8.4)
    assert saved.pain_end == 4
    assert saved.marks == (PainMark(Side.RIGHT, Region.KNEECAP, Intensity.MILD),)
    assert "Saved your 8.4 km run" in window.statusBar().currentMessage()
    assert window.form.distance.text() == "", "the form is ready for the next entry"
    [row] = history_rows(window)
    columns = window.history.model.COLUMNS
    pain, where = columns.index("Pain start \u2192 end"), columns.index("Where")
    assert row[2] == "8.4 km" and row[pain] == "4" and "kneecap" in row[where]
    window.close()
    window.store.close()

    again = open_window()
    assert [r[2] for r in history_rows(again)] == ["8.4 km"]
    again.tabs.setCurrentWidget(again.history)
    table = again.history.table
    table.selectRow(0)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert again.store.count() == 0
    assert history_rows(again) == []
    assert "Ctrl+Z" in again.statusBar().currentMessage()
    qtbot.keyClick(again, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    [back] = again.store.entries()
    assert back == saved, "undo brings the entry back whole, with its id and marks"
    assert len(history_rows(again)) == 1
    qtbot.keyClick(
        again, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert again.store.count() == 0, "redo deletes it again"
    again.store.close()


def test_bad_input_is_shown_at_the_field_and_nothing_is_saved(qtbot, window):
    form = window.form
    form.distance.setFocus()
    qtbot.keyClicks(form.distance, "500")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert "at most 400 km" in form.error_text()
    assert form.distance.property("invalid") is True
    assert form.distance.text() == "500"
    assert window.store.count() == 0


def test_a_date_in_the_future_is_refused(qtbot, window):
    form = window.form
    form.when.setDateTime(NOW + dt.timedelta(days=2))
    form.distance.setFocus()
    qtbot.keyClicks(form.distance, "5")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert "future" in form.error_text()
    assert window.store.count() == 0


def test_double_click_edits_and_undo_restores_the_old_version(qtbot, window):
    original = window.store.save_entry(make_run(started=dt.datetime(2026, 11, 19, 18, 0)))
    window.session.reload()
    window.tabs.setCurrentWidget(window.history)
    table = window.history.table
    rect = table.visualRect(window.history.model.index(0, 0))
    # A real double-click arrives as press, release, double-click, release.
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.tabs.currentIndex() == 0
    assert window.form.editing_id() == original.id
    window.form.distance.selectAll()
    qtbot.keyClicks(window.form.distance, "12")
    qtbot.mouseClick(window.form.save_button, Qt.MouseButton.LeftButton)
    assert window.store.entry(original.id).distance_km == 12
    assert window.store.count() == 1
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.store.entry(original.id) == original


def test_next_morning_question_saves_in_one_click(qtbot, journal_path, qsettings, open_window):
    with Store.open(journal_path) as store:
        run = store.save_entry(make_run(started=NOW - dt.timedelta(hours=14)))
    window = open_window()
    bar = window.next_morning
    assert bar.isVisible()
    assert "8.4 km" in bar.question.text()
    qtbot.mouseClick(
        bar.scale, Qt.MouseButton.LeftButton, pos=bar.scale.cell_rect(3).center().toPoint()
    )
    assert window.store.entry(run.id).pain_next_morning == 3
    assert not bar.isVisible()
    window.store.close()


def test_next_morning_question_can_be_dismissed_for_good(
    qtbot, journal_path, qsettings, open_window
):
    with Store.open(journal_path) as store:
        store.save_entry(make_run(started=NOW - dt.timedelta(hours=14)))
    window = open_window()
    [not_now] = [
        b
        for b in window.next_morning.findChildren(type(window.form.save_button))
        if b.text() == "Not now"
    ]
    qtbot.mouseClick(not_now, Qt.MouseButton.LeftButton)
    assert not window.next_morning.isVisible()
    window.close()
    window.store.close()
    again = open_window()
    assert not again.next_morning.isVisible()
    assert again.store.entries()[0].pain_next_morning is None
    again.store.close()


def test_adding_a_pair_of_shoes_from_the_form(qtbot, window, monkeypatch):
    opened = []
    monkeypatch.setattr(ShoeDialog, "open", lambda self: opened.append(self))
    window.form.shoes.setFocus()
    qtbot.keyClick(window.form.shoes, Qt.Key.Key_End)
    [dialog] = opened
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.name, "Trail shoes")
    qtbot.mouseClick(
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok),
        Qt.MouseButton.LeftButton,
    )
    [shoe] = window.store.shoes()
    assert shoe.name == "Trail shoes"
    assert window.form.shoes.currentData() == shoe.id


def test_an_empty_shoe_name_is_refused_in_the_dialog(qtbot):
    dialog = ShoeDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok),
        Qt.MouseButton.LeftButton,
    )
    assert dialog.isVisible()
    assert "name" in dialog.error.text()


def test_the_window_remembers_its_size_and_tab(qtbot, journal_path, qsettings, open_window):
    window = open_window()
    window.resize(760, 540)  # within the offscreen screen (800x600), which clamps geometry
    window.tabs.setCurrentIndex(1)
    window.close()
    window.store.close()
    again = open_window()
    assert (again.width(), again.height()) == (760, 540)
    assert again.tabs.currentIndex() == 1
    again.store.close()


def test_history_filters_by_period_and_shows_an_empty_state(qtbot, window):
    window.store.save_entry(make_run(started=NOW - dt.timedelta(days=200)))
    window.store.save_entry(make_run(started=NOW - dt.timedelta(days=3), kind=Kind.RUN))
    window.session.reload()
    window.history.set_period_index(0)  # last 4 weeks
    assert len(history_rows(window)) == 1
    window.history.set_period_index(3)  # everything
    assert len(history_rows(window)) == 2
    window.history.set_period_index(0)
    window.store.delete_entry(window.store.entries()[0].id)
    window.session.reload()
    window.tabs.setCurrentWidget(window.history)
    assert window.history.stack.currentWidget() is window.history.empty
    assert "longer period" in window.history.empty.text()


def test_a_failed_write_keeps_the_form_and_says_what_to_do(qtbot, window, monkeypatch):
    import sqlite3

    def full_disk(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(type(window.store), "_write_entry", full_disk)
    window.form.distance.setFocus()
    qtbot.keyClicks(window.form.distance, "7")
    qtbot.mouseClick(window.form.save_button, Qt.MouseButton.LeftButton)
    assert "disk is not full" in window.form.error_text()
    assert window.form.distance.text() == "7"
    monkeypatch.undo()
    assert window.store.count() == 0


def test_settings_live_in_the_journal_and_switch_units(qtbot, window, monkeypatch):
    from kneelog.model import Units
    from kneelog.ui.dialogs import SettingsDialog

    window.store.save_entry(make_run(started=NOW - dt.timedelta(days=1), distance_km=16.09344))
    window.session.reload()
    opened = []
    monkeypatch.setattr(SettingsDialog, "open", lambda self: opened.append(self))
    qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    [dialog] = opened
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.name, "Alex Runner")
    dialog.units.setCurrentIndex(dialog.units.findData(Units.MI))
    qtbot.mouseClick(
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok),
        Qt.MouseButton.LeftButton,
    )
    settings = window.store.settings()
    assert (settings.runner_name, settings.units) == ("Alex Runner", Units.MI)
    assert history_rows(window)[0][2] == "10.0 mi"
    assert window.form._captions["distance"].text() == "&Distance (mi)"


def test_a_worn_out_pair_can_be_retired_and_brought_back(qtbot, window, monkeypatch):
    from kneelog.model import Shoe
    from kneelog.ui.dialogs import ShoesDialog

    old = window.session.save_shoe(Shoe(name="Old trainers", prior_km=700))
    window.session.save_shoe(Shoe(name="New pair"))
    window.form.set_shoes(window.store.shoes())
    window.session.put_entry(
        None, make_run(started=NOW - dt.timedelta(days=1), distance_km=50.0, shoe_id=old.id)
    )
    opened = []
    monkeypatch.setattr(ShoesDialog, "open", lambda self: opened.append(self))
    qtbot.keyClick(
        window,
        Qt.Key.Key_H,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    [dialog] = opened
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.table.item(0, 1).text() == "750.0 km (past 480 km)"
    retire = dialog.table.cellWidget(0, 4)
    assert retire.accessibleName() == "Retire Old trainers"
    qtbot.mouseClick(retire, Qt.MouseButton.LeftButton)
    assert [s.retired for s in window.store.shoes()] == [True, False]
    offered = [window.form.shoes.itemText(i) for i in range(window.form.shoes.count())]
    assert "Old trainers" not in offered and "New pair" in offered
    assert dialog.table.item(0, 0).text() == "Old trainers (retired)"
    bring_back = dialog.table.cellWidget(0, 4)
    assert bring_back.accessibleName() == "Bring back Old trainers"
    qtbot.mouseClick(bring_back, Qt.MouseButton.LeftButton)
    assert not window.store.shoes()[0].retired


def test_save_stays_in_sight_on_a_small_screen(qtbot, window):
    window.resize(760, 540)
    qtbot.wait(20)
    button = window.form.save_button
    assert not button.visibleRegion().isEmpty(), "the fields scroll, the Save button does not"
    assert button.visibleRegion().boundingRect().size() == button.size()


def test_on_a_screen_too_narrow_for_both_the_panel_hides_and_says_where_it_went(
    qtbot, journal_path, qsettings, open_window
):
    from PySide6.QtWidgets import QMainWindow

    older = QMainWindow()  # what kneelog 0.1 saved: a small window, no panel in its state
    older.resize(640, 480)
    qsettings.setValue("window/geometry", older.saveGeometry())
    qsettings.setValue("window/state", older.saveState())
    window = open_window()
    screen = window.screen().availableGeometry()
    assert screen.width() == 800, "the offscreen platform's screen: too narrow for both"
    assert window.frameGeometry().width() <= screen.width()
    assert not window.triage_dock.isVisible()
    assert "Ctrl+T" in window.statusBar().currentMessage()
    button = window.panel_button
    assert button.isVisible() and "Ctrl+T" in button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert window.triage_dock.isVisible()
    assert not button.isVisible()
    window.resize(760, 540)  # the runner's own choice is kept from then on
    window.close()
    window.store.close()
    again = open_window()
    assert (again.width(), again.height()) == (760, 540)
    assert again.triage_dock.isVisible(), "shown by the runner: it stays shown"
    again.store.close()


# -- undo, and other windows on the same journal ------------------------------------------


def delete_newest(qtbot, window):
    window.tabs.setCurrentWidget(window.history)
    table = window.history.table
    table.selectRow(0)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Delete)


def edit_newest(qtbot, window):
    window.session.reload()
    window.tabs.setCurrentWidget(window.history)
    table = window.history.table
    rect = table.visualRect(window.history.model.index(0, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.form.editing_id() is not None


def type_distance(qtbot, window, text):
    window.form.distance.selectAll()
    qtbot.keyClicks(window.form.distance, text)


def undo(qtbot, window, redo=False):
    modifiers = Qt.KeyboardModifier.ControlModifier
    if redo:
        modifiers |= Qt.KeyboardModifier.ShiftModifier
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    qtbot.keyClick(window, Qt.Key.Key_Z, modifiers)


def test_undo_of_a_delete_after_an_import_keeps_the_imported_run(qtbot, window):
    from factories import DATA

    older = window.store.save_entry(make_run(started=NOW - dt.timedelta(days=3), notes="older"))
    newest = window.store.save_entry(make_run(started=NOW - dt.timedelta(days=1), notes="newest"))
    window.session.reload()
    delete_newest(qtbot, window)
    assert window.store.count() == 1
    window.imports.choose_files = lambda parent: [str(DATA / "run.fit")]
    with qtbot.waitSignal(window.imports.finished, timeout=30000) as finished:
        qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    [imported] = finished.args[0].entries
    window.imports.summary.done(0)

    undo(qtbot, window)
    assert {e.id: e for e in window.store.entries()} == {
        older.id: older,
        newest.id: newest,
        imported.id: imported,
    }
    assert window.store.entry(newest.id).uuid == newest.uuid
    assert len(history_rows(window)) >= 2
    undo(qtbot, window, redo=True)
    assert {e.id for e in window.store.entries()} == {older.id, imported.id}


def test_undo_of_a_delete_after_a_save_in_another_window_keeps_that_save(
    qtbot, journal_path, qsettings, open_window
):
    first = open_window()
    kept = first.store.save_entry(make_run(started=NOW - dt.timedelta(days=3), notes="kept"))
    deleted = first.store.save_entry(make_run(started=NOW - dt.timedelta(days=1), notes="deleted"))
    first.session.reload()
    delete_newest(qtbot, first)
    second = open_window()
    log_a_run(qtbot, second, distance="5")
    [saved] = [e for e in second.store.entries() if e.distance_km == 5]

    undo(qtbot, first)
    assert {e.id: e for e in first.store.entries()} == {
        kept.id: kept,
        deleted.id: deleted,
        saved.id: saved,
    }
    undo(qtbot, second)  # the other window's own step: only its save goes
    assert {e.id for e in first.store.entries()} == {kept.id, deleted.id}
    first.store.close()
    second.store.close()


def test_two_windows_editing_one_entry_lose_neither_edit(
    qtbot, journal_path, qsettings, open_window
):
    with Store.open(journal_path) as store:
        entry = store.save_entry(make_run(started=NOW - dt.timedelta(days=1), distance_km=8.0))
    first = open_window()
    second = open_window()
    edit_newest(qtbot, first)
    type_distance(qtbot, first, "11")
    edit_newest(qtbot, second)
    type_distance(qtbot, second, "12")
    qtbot.mouseClick(second.form.save_button, Qt.MouseButton.LeftButton)
    assert second.store.entry(entry.id).distance_km == 12

    qtbot.mouseClick(first.form.save_button, Qt.MouseButton.LeftButton)
    box = first.conflict_box
    qtbot.waitUntil(box.isVisible)
    assert "changed in another kneelog window" in box.text()
    assert "12.0 km run" in box.informativeText()
    assert first.store.entry(entry.id).distance_km == 12, "the other window's edit is still there"
    assert first.form.distance.text() == "11", "and so is what this window's form holds"
    save_mine = next(b for b in box.buttons() if b.text() == "Save mine over it")
    qtbot.mouseClick(save_mine, Qt.MouseButton.LeftButton)
    assert first.store.count() == 1 and first.store.entry(entry.id).distance_km == 11

    undo(qtbot, second)  # its edit was saved over since: undo leaves the journal alone
    assert first.store.entry(entry.id).distance_km == 11
    assert "changed or deleted elsewhere" in second.statusBar().currentMessage()
    undo(qtbot, first)  # this window's own step: back to the version it saved over
    assert first.store.entry(entry.id).distance_km == 12
    first.store.close()
    second.store.close()


def test_an_entry_deleted_elsewhere_while_edited_can_be_saved_back_or_left(
    qtbot, journal_path, qsettings, open_window
):
    with Store.open(journal_path) as store:
        entry = store.save_entry(make_run(started=NOW - dt.timedelta(days=1), distance_km=8.0))
    window = open_window()
    edit_newest(qtbot, window)
    type_distance(qtbot, window, "9")
    with Store.open(journal_path) as other:
        other.delete_entry(entry.id)
    qtbot.mouseClick(window.form.save_button, Qt.MouseButton.LeftButton)
    box = window.conflict_box
    qtbot.waitUntil(box.isVisible)
    assert "deleted in another kneelog window" in box.text()
    assert window.store.count() == 0, "nothing was brought back unasked"
    qtbot.mouseClick(
        next(b for b in box.buttons() if b.text() == "Save mine"), Qt.MouseButton.LeftButton
    )
    [back] = window.store.entries()
    assert (back.id, back.uuid, back.distance_km) == (entry.id, entry.uuid, 9)
    window.store.close()


def test_runs_imported_by_another_kneelog_show_within_a_second(qtbot, window, tmp_path):
    """`kneelog import` on the command line while the window is open: the history, the charts
    and the summary count the new runs without a restart."""
    import subprocess
    import sys
    import time

    from factories import sample_maker

    for days in (2, 4, 6):
        window.store.save_entry(make_run(started=NOW - dt.timedelta(days=days, hours=1)))
    window.session.reload()
    maker = sample_maker()
    folder = tmp_path / "watch"
    folder.mkdir()
    for day in range(5):
        start = dt.datetime.combine(NOW.date() - dt.timedelta(days=day + 1), dt.time(6), dt.UTC)
        (folder / f"run{day}.gpx").write_bytes(maker.gpx_run(**{**maker.GPX_RUN, "start": start}))
    window.tabs.setCurrentIndex(2)  # the charts are on screen while the other kneelog writes
    qtbot.waitUntil(lambda: window.charts is not None and len(window.charts.data.runs) == 3)

    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "kneelog",
            "import",
            "--journal",
            str(window.store.path),
            str(folder),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "5 runs imported" in done.stdout
    finished = time.monotonic()
    qtbot.waitUntil(lambda: len(window.charts.data.runs) == 8, timeout=3000)
    assert time.monotonic() - finished < 1.0
    window.tabs.setCurrentWidget(window.history)
    assert len(history_rows(window)) == 8
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitExposed(window.summary_dialog)
    assert len(window.summary_dialog.summary().runs) == 8
    window.summary_dialog.reject()


def test_a_delete_while_another_kneelog_keeps_the_journal_busy_says_so_and_keeps_the_entry(
    qtbot, window
):
    import sqlite3

    entry = window.store.save_entry(make_run(started=NOW - dt.timedelta(days=1)))
    window.session.reload()
    window.store.write_patience_s = 0.3
    other = sqlite3.connect(window.store.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another kneelog in the middle of a long write
    try:
        delete_newest(qtbot, window)
    finally:
        other.execute("ROLLBACK")
        other.close()
    message = window.statusBar().currentMessage()
    assert "Nothing was deleted" in message and "Another kneelog is writing" in message
    assert "locked" not in message
    assert window.store.entries() == [entry]
    delete_newest(qtbot, window)  # once the other is done
    assert window.store.count() == 0


def test_a_renamed_pair_is_renamed_everywhere_and_ctrl_z_takes_it_back(qtbot, window, monkeypatch):
    from kneelog.model import Shoe
    from kneelog.ui.dialogs import ShoeDialog, ShoesDialog

    window.session.save_shoe(Shoe(name="Blue", limit_km=800))
    window.form.set_shoes(window.store.shoes())
    shown = []
    monkeypatch.setattr(ShoesDialog, "open", lambda self: shown.append(self))
    monkeypatch.setattr(ShoeDialog, "open", lambda self: shown.append(self))
    window._on_shoes_triggered()
    dialog = shown[0]
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.table.cellWidget(0, 3), Qt.MouseButton.LeftButton)
    change = shown[1]
    change.show()
    change.name.selectAll()
    qtbot.keyClicks(change.name, "Blue (worn)")
    qtbot.mouseClick(
        change.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok),
        Qt.MouseButton.LeftButton,
    )
    assert [s.name for s in window.store.shoes()] == ["Blue (worn)"]
    assert dialog.table.item(0, 0).text() == "Blue (worn)"
    assert window.form.shoes.findText("Blue (worn)") >= 0
    assert "Renamed Blue to Blue (worn)." in window.statusBar().currentMessage()
    window.undo_stack.undo()
    assert [s.name for s in window.store.shoes()] == ["Blue"]
    assert dialog.table.item(0, 0).text() == "Blue"


def test_no_good_morning_at_five_in_the_afternoon(qtbot, journal_path, qsettings, open_window):
    afternoon = dt.datetime(2026, 11, 21, 17, 6)
    with Store.open(journal_path) as store:
        store.save_entry(make_run(started=dt.datetime(2026, 11, 20, 18, 30)))
    window = open_window(clock=lambda: afternoon)
    text = window.next_morning.question.text()
    assert window.next_morning.isVisible()
    assert text.startswith("Good afternoon! How did your knee feel this morning")
    assert "Good morning" not in text
    window.store.close()


def test_saving_a_run_at_the_minute_of_another_asks_first_no_by_default(qtbot, window):
    log_a_run(qtbot, window, distance="8.4")
    assert window.store.count() == 1
    # The same minute again (the form starts at the clock's minute): a slip, most likely.
    log_a_run(qtbot, window, distance="8.4")
    box = window.duplicate_box
    qtbot.waitUntil(box.isVisible)
    assert box.text() == (
        "Your journal already has a run that started at 08:15 on Sat 21 Nov (8.4 km). "
        "Save this one as well?"
    )
    qtbot.keyClick(box, Qt.Key.Key_Return)  # the default: No
    assert window.store.count() == 1
    assert window.form.distance.text() == "8.4", "what was typed stays in the form"

    window.form.submit()
    box = window.duplicate_box
    qtbot.waitUntil(box.isVisible)
    [save] = [b for b in box.buttons() if b.text() == "Save it as well"]
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert window.store.count() == 2


def test_a_run_a_minute_apart_or_an_edit_saves_without_asking(qtbot, window):
    log_a_run(qtbot, window)
    saved = window.store.latest()
    window.form.edit(saved)
    window.form.distance.selectAll()
    qtbot.keyClicks(window.form.distance, "9")
    window.form.submit()
    assert window.duplicate_box is None
    assert window.store.entry(saved.id).distance_km == 9
    window.new_entry()
    window.form.when.setDateTime(window.form.when.dateTime().addSecs(-60))
    window.form.distance.setText("5")
    window.form.submit()
    assert window.duplicate_box is None and window.store.count() == 2


def test_the_history_is_ready_after_the_first_paint_and_at_once_when_it_was_left_open(
    qtbot, journal_path, qsettings, open_window
):
    with Store.open(journal_path) as store:
        store.save_entry(make_run(started=NOW - dt.timedelta(days=1), distance_km=6.0))
    window = open_window()  # on the Log tab: the history is made once the window is painted
    assert window.tabs.tabText(1) == "History"
    assert window.tabs.widget(1) is window.history
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.history
    assert window.history.model.rowCount() == 1
    window.history.period.setCurrentIndex(2)  # the last 12 months, kept for next time
    window.close()
    window.store.close()

    again = open_window(show=False)  # left on the History: it shows at the first paint
    assert again.tabs.currentIndex() == 1
    assert again.tabs.currentWidget() is again.history
    assert again.history.period.currentIndex() == 2
    assert again.history.model.data(again.history.model.index(0, 2)) == "6.0 km"


def test_the_knee_on_the_charts_counts_a_spot_marked_in_a_save(qtbot, open_window, journal_path):
    with Store.open(journal_path) as store:  # a few weeks of runs for the charts to show
        for days in range(3, 40, 4):
            store.save_entry(make_run(started=NOW - dt.timedelta(days=days), marks=()))
    window = open_window(size=(1400, 900))
    log_a_run(qtbot, window, region=Region.KNEECAP)
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)  # the charts
    heat = window.charts.heat
    kneecap = (Side.RIGHT, Region.KNEECAP)
    qtbot.waitUntil(lambda: (heat._heat or {}).get(kneecap) == 1)
    marked = PainMark(Side.RIGHT, Region.KNEECAP, Intensity.MILD)
    # Saved while the charts are on screen (as from another window): the knee counts it.
    window.session.put_entry(None, make_run(started=NOW - dt.timedelta(hours=30), marks=(marked,)))
    qtbot.waitUntil(lambda: heat._heat.get(kneecap) == 2)
    window.session.put_entry(None, make_run(started=NOW - dt.timedelta(hours=50), marks=()))
    qtbot.wait(200)
    assert heat._heat.get(kneecap) == 2, "a run with no spot marked leaves the count"
