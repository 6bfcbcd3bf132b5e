"""The journal as a file, from the window: export, open another, save a copy, restore, check,
and the recovery dialog a damaged journal opens at start-up."""

from __future__ import annotations

import datetime as dt
import json
import random
import sqlite3

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from factories import make_run
from kneelog import app, backups
from kneelog.demo import demo_journal
from kneelog.store import JournalDamaged, JournalDiskFull, Store
from kneelog.ui import journal_files
from kneelog.ui.backup_dialogs import RecoveryDialog, RestoreDialog, recover
from kneelog.ui.journal_files import CSV_FILTER, JSON_FILTER
from kneelog.ui.main_window import MainWindow

NOW = dt.datetime(2026, 11, 21, 8, 15)
LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def window(open_window, journal_path):
    """The window on a year of the demo journal."""
    store = Store.open(journal_path)
    store.add_journal(demo_journal(end=NOW.date(), years=1))
    return open_window(store)


@pytest.fixture
def save_as(monkeypatch):
    """Answer the next save dialogs with these (path, filter) answers; record what was asked."""
    asked = []

    def answer(*answers):
        queue = list(answers)

        def ask(parent, title, suggested, filters):
            asked.append((title, suggested, filters))
            return queue.pop(0)

        monkeypatch.setattr(journal_files, "ask_save_path", ask)
        return asked

    return answer


def click_row(table, row):
    rect = table.visualItemRect(table.item(row, 0))
    table.scrollToItem(table.item(row, 0))
    table.setFocus()
    from PySide6.QtTest import QTest

    QTest.mouseClick(table.viewport(), LEFT, pos=rect.center())


def damage_middle(path) -> bytes:
    """Overwrite three pages in the middle of the file with noise; return the damaged bytes."""
    data = bytearray(path.read_bytes())
    start = len(data) // 2 // 4096 * 4096
    data[start : start + 3 * 4096] = random.Random(5).randbytes(3 * 4096)
    path.write_bytes(bytes(data))
    return bytes(data)


def when_shown(qtbot, kind, act):
    """Run `act(dialog)` on the dialog of `kind` once it is up (it runs its own event loop)."""
    seen = []

    def look():
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, kind) and widget.isVisible():
                seen.append(widget)
                act(widget)
                return
        QTimer.singleShot(20, look)

    QTimer.singleShot(0, look)
    return seen


# -- recovery at start-up --------------------------------------------------------------------


@pytest.fixture
def damaged_with_backup(journal_path):
    """A 4-year journal, backed up, then damaged in the middle; with the entries it had."""
    with Store.open(journal_path) as store:
        store.add_journal(demo_journal(end=NOW.date(), years=4))
        backups.back_up_if_changed(store.db.conn, journal_path)
        entries = store.entries()
    damaged = damage_middle(journal_path)
    with pytest.raises(JournalDamaged):
        Store.open(journal_path)
    return entries, damaged


def test_a_damaged_journal_is_recovered_from_its_backup_with_every_entry(
    qtbot, journal_path, qsettings, damaged_with_backup, capsys
):
    entries, damaged = damaged_with_backup
    [backup] = backups.list_backups(journal_path)

    def restore(dialog):
        assert "cannot read your journal safely" in dialog.message.text()
        assert f"{backup.taken:%A %d %B %Y at %H:%M}" in dialog.message.text()
        assert f"{len(entries):,} entries" in dialog.message.text()
        qtbot.mouseClick(dialog.restore_button, LEFT)

    seen = when_shown(qtbot, RecoveryDialog, restore)
    assert app.run_window(journal_path, smoke=True, ask=True) == 0
    assert seen, "the recovery dialog was shown"
    assert f"opened with {len(entries)} entries" in capsys.readouterr().out
    for widget in QApplication.topLevelWidgets():  # the window run_window left open
        if isinstance(widget, MainWindow):
            assert "Restored the backup" in widget.statusBar().currentMessage()
            widget.close()
            widget.deleteLater()

    with Store.open(journal_path) as store:
        assert store.entries() == entries
    [aside] = journal_path.parent.glob("journal.damaged-*.db")
    assert aside.read_bytes() == damaged, "the damaged file is kept aside, untouched"


def test_recovery_offers_the_newest_good_backup_and_an_older_one_can_be_chosen(
    qtbot, journal_path, damaged_with_backup
):
    entries, _ = damaged_with_backup
    [good] = backups.list_backups(journal_path)
    # A newer backup that is itself damaged is not offered.
    bad = good.path.with_name(
        good.path.name.replace(
            good.taken.strftime(backups.STAMP),
            (good.taken + dt.timedelta(hours=1)).strftime(backups.STAMP),
        )
    )
    bad.write_bytes(good.path.read_bytes()[:8192])

    def restore(dialog):
        click_row(dialog.list, 0)
        qtbot.mouseClick(dialog.restore_button, LEFT)

    seen = when_shown(qtbot, RecoveryDialog, restore)
    store, said = recover(journal_path)
    try:
        assert seen[0].list.rowCount() == 1
        assert store.entries() == entries
        assert "The damaged journal is kept as journal.damaged-" in said
    finally:
        store.close()


def test_without_a_backup_the_damaged_file_is_put_aside_and_a_new_journal_started(
    qtbot, journal_path
):
    with Store.open(journal_path) as store:
        store.add_journal(demo_journal(end=NOW.date(), years=4))
    damaged = damage_middle(journal_path)
    seen = when_shown(qtbot, RecoveryDialog, lambda d: qtbot.mouseClick(d.start_button, LEFT))
    store, said = recover(journal_path)
    try:
        assert "There is no good backup" in seen[0].message.text()
        assert store.count() == 0 and said.startswith("Started a new journal.")
    finally:
        store.close()
    [aside] = journal_path.parent.glob("journal.damaged-*.db")
    assert aside.read_bytes() == damaged


def test_quitting_the_recovery_changes_nothing(qtbot, journal_path, damaged_with_backup):
    _, damaged = damaged_with_backup
    when_shown(qtbot, RecoveryDialog, lambda d: qtbot.mouseClick(d.quit_button, LEFT))
    assert recover(journal_path) is None
    assert journal_path.read_bytes() == damaged
    assert sorted(p.name for p in journal_path.parent.iterdir()) == ["backups", "journal.db"]


# -- restore from backup ---------------------------------------------------------------------


def test_restore_from_backup_brings_back_the_journal_as_it_was(qtbot, window, journal_path):
    older = backups.back_up(window.store.db.conn, journal_path, now=NOW - dt.timedelta(days=2))
    in_older = window.store.entries()
    for entry in in_older[:5]:
        window.store.delete_entry(entry.id)
    backups.back_up(
        window.store.db.conn, journal_path, backups.START_UP, now=NOW - dt.timedelta(days=1)
    )
    window.store.save_entry(
        make_run(started=NOW - dt.timedelta(hours=3), notes="today"), today=NOW.date()
    )
    window.session.reload()
    now_count = window.store.count()

    window.journal_files.restore_action.trigger()
    dialog = window.journal_files.dialog
    assert isinstance(dialog, RestoreDialog) and dialog.isVisible()
    assert dialog.list.rowCount() == 2
    assert dialog.list.item(1, 1).text() == "taken by hand"
    assert dialog.list.item(1, 2).text() == f"{len(in_older):,}"
    assert f"({now_count:,} entries)" in dialog.intro.text()
    click_row(dialog.list, 1)
    assert dialog.list.selected_backup() == older
    qtbot.mouseClick(dialog.restore_button, LEFT)

    assert window.store.entries() == in_older
    assert window.undo_stack.count() == 0
    message = window.statusBar().currentMessage()
    assert (
        message.startswith("Restored the backup from ") and f"{len(in_older):,} entries" in message
    )
    [aside] = journal_path.parent.glob("journal.replaced-*.db")
    assert aside.name in message
    with Store.open(aside) as kept:
        assert kept.count() == now_count and "today" in [e.notes for e in kept.entries()]
    reasons = [b.reason for b in backups.list_backups(journal_path)]
    assert backups.BEFORE_RESTORE in reasons, "the journal was backed up before the restore"
    assert older.path.exists()


def test_restore_with_no_backups_says_so(qtbot, window):
    window.journal_files.restore_action.trigger()
    assert "There are no backups of this journal yet" in window.journal_files.message.text()


def test_a_damaged_backup_is_not_restored_and_the_journal_stays(qtbot, window, journal_path):
    backup = backups.back_up(window.store.db.conn, journal_path, now=NOW - dt.timedelta(days=1))
    damage_middle(backup.path)
    before = window.store.entries()
    window.journal_files.restore(backup)
    assert "damaged too" in window.journal_files.message.text()
    assert window.store.entries() == before
    assert not list(journal_path.parent.glob("journal.replaced-*"))


# -- export, copies, other journals ----------------------------------------------------------


def test_export_to_json_and_csv_from_the_menu(qtbot, window, tmp_path, save_as):
    asked = save_as((tmp_path / "mine", JSON_FILTER), (tmp_path / "sheet.csv", CSV_FILTER))
    window.journal_files.export_action.trigger()
    written = tmp_path / "mine.json"
    data = json.loads(written.read_text())
    assert len(data["tables"]["entries"]) == window.store.count()
    assert written.stat().st_mode & 0o777 == 0o600
    assert f"to {written}" in window.statusBar().currentMessage()
    assert asked[0][2] == [CSV_FILTER, JSON_FILTER]

    window.journal_files.export_action.trigger()
    assert (tmp_path / "sheet.csv").read_text(encoding="utf-8-sig").count(
        "\n"
    ) == window.store.count() + 1
    assert asked[1][1].parent == tmp_path, "the next export is offered in the same folder"


def test_a_failed_export_is_explained(qtbot, window, tmp_path, save_as):
    save_as((tmp_path / "no such folder" / "x.csv", CSV_FILTER))
    window.journal_files.export_action.trigger()
    box = window.journal_files.message
    assert box.icon() == QMessageBox.Icon.Warning
    assert "could not write" in box.text() and "Traceback" not in box.text()


def test_save_a_copy_then_open_it_as_another_journal(
    qtbot, window, tmp_path, save_as, monkeypatch, qsettings
):
    copy = tmp_path / "usb" / "journal copy.db"
    copy.parent.mkdir()
    save_as((copy, journal_files.JOURNAL_FILTER))
    window.journal_files.save_copy_action.trigger()
    assert copy.stat().st_mode & 0o777 == 0o600
    assert "Saved a copy of the journal as" in window.statusBar().currentMessage()
    with Store.open(copy) as store:
        assert store.entries() == window.store.entries()
        store.save_entry(
            make_run(started=NOW - dt.timedelta(hours=2), notes="on the other computer"),
            today=NOW.date(),
        )

    first = window.store
    monkeypatch.setattr(journal_files, "ask_open_path", lambda *args: copy)
    qtbot.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    assert window.store.path == copy
    assert "on the other computer" in [e.notes for e in window.store.entries()]
    assert "journal copy.db" in window.windowTitle()
    with pytest.raises(sqlite3.ProgrammingError):
        first.db.execute("SELECT 1")  # the journal shown before is closed
    assert journal_files.remembered_journal(qsettings) == copy.resolve()


def test_a_copy_is_never_written_over_the_journal_itself(qtbot, window, save_as):
    before = window.store.entries()
    save_as((window.store.path, journal_files.JOURNAL_FILTER))
    window.journal_files.save_copy_action.trigger()
    assert "That is the journal itself" in window.journal_files.message.text()
    assert window.store.entries() == before


def test_a_file_that_is_not_a_journal_is_not_opened(qtbot, window, tmp_path, monkeypatch):
    notes = tmp_path / "notes.db"
    notes.write_text("not a journal")
    monkeypatch.setattr(journal_files, "ask_open_path", lambda *args: notes)
    shown = window.store.path
    window.journal_files.open_action.trigger()
    assert "not a kneelog journal" in window.journal_files.message.text()
    assert window.store.path == shown and window.store.count() > 0
    assert notes.read_text() == "not a journal"


# -- check journal and the start-up backup ---------------------------------------------------


def test_check_journal_says_it_is_in_good_order(qtbot, window):
    window.journal_files.check_action.trigger()
    box = window.journal_files.message
    assert box.isVisible() and box.icon() == QMessageBox.Icon.Information
    assert box.text().startswith("Your journal is in good order")


def test_check_journal_reports_pain_marks_without_their_entry(qtbot, window):
    db = window.store.db
    db.execute("PRAGMA foreign_keys = OFF")
    with db.atomic():
        db.execute("INSERT INTO pain_marks VALUES (99999, 'left', 'kneecap', 2)")
    window.journal_files.check_action.trigger()
    box = window.journal_files.message
    assert box.icon() == QMessageBox.Icon.Warning
    assert "1 pain mark points to missing entries" in box.text()


def test_the_start_up_backup_is_taken_after_the_window_is_painted(qtbot, journal_path, open_window):
    store = Store.open(journal_path)
    store.save_entry(make_run(), today=NOW.date())
    window = open_window(store, show=False)
    journal_files.after_first_paint(window, window.journal_files.back_up_at_start)
    assert backups.list_backups(journal_path) == [], "nothing happens before the window is shown"
    window.show()
    qtbot.waitUntil(lambda: len(backups.list_backups(journal_path)) == 1, timeout=3000)
    assert backups.list_backups(journal_path)[0].reason == backups.START_UP
    window.close()
    store.close()


def test_a_failed_start_up_backup_is_said_in_the_status_bar(qtbot, window, journal_path):
    (journal_path.parent / "backups").write_text("in the way")
    assert window.journal_files.back_up_at_start() is None
    assert "could not back up your journal" in window.statusBar().currentMessage()


def test_the_journal_opened_last_is_opened_at_the_next_start(qtbot, tmp_path, monkeypatch, capsys):
    other = tmp_path / "elsewhere" / "mine.db"
    with Store.open(other) as store:
        store.save_entry(make_run(), today=NOW.date())
    settings = QSettings("kneelog", "kneelog")
    settings.setValue(journal_files.REMEMBERED, str(other))
    monkeypatch.delenv("KNEELOG_DATA_DIR")  # a data-folder override wins over the one opened last
    try:
        assert app.run_window(None, smoke=True) == 0
    finally:
        settings.remove(journal_files.REMEMBERED)
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow):
                widget.close()
                widget.deleteLater()
    assert f"{other} opened with 1 entries" in capsys.readouterr().out


def test_a_journal_opened_last_that_is_gone_is_not_remembered(tmp_path, qsettings):
    qsettings.setValue(journal_files.REMEMBERED, str(tmp_path / "usb" / "gone.db"))
    assert journal_files.remembered_journal(qsettings) is None


def test_the_recovery_never_puts_aside_a_journal_that_opens(qtbot, journal_path):
    """Even asked for a journal that is not damaged (the disk was full a moment ago), the
    recovery opens it as it is: no dialog, nothing renamed."""
    with Store.open(journal_path) as store:
        store.add_journal(demo_journal(end=NOW.date(), years=1))
        entries = store.entries()
    seen = when_shown(qtbot, RecoveryDialog, lambda d: qtbot.mouseClick(d.start_button, LEFT))
    store, said = recover(journal_path)
    try:
        assert seen == [] and store.entries() == entries
        assert "not damaged" in said
    finally:
        store.close()
    assert sorted(p.name for p in journal_path.parent.iterdir() if "damaged" in p.name) == []


def test_a_restore_cut_short_is_finished_at_start_up_and_said_in_the_window(
    qtbot, journal_path, capsys
):
    """As kneelog leaves it when killed just after the backup took the journal's place."""
    with Store.open(journal_path) as store:
        store.save_entry(make_run(notes="in the backup"), today=NOW.date())
        backup = backups.back_up(store.conn, journal_path, now=NOW)
        store.save_entry(make_run(notes="replaced"), today=NOW.date())
    aside = journal_path.with_name("journal.replaced-2026-11-21T081500.db")
    temp = journal_path.with_name(".journal.db.k1ll3d.tmp")
    temp.write_bytes(backup.path.read_bytes())
    journal_path.with_name(".journal.db.swap").write_text(
        json.dumps({"new": temp.name, "aside": aside.name})
    )
    aside.hardlink_to(journal_path)
    temp.replace(journal_path)

    assert app.run_window(journal_path, smoke=True) == 0
    assert "the restore is finished" in capsys.readouterr().err
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, MainWindow) and widget.store.path == journal_path:
            assert "the restore is finished" in widget.statusBar().currentMessage()
            widget.close()
            widget.deleteLater()
    assert sorted(p.name for p in journal_path.parent.iterdir()) == sorted(
        ["backups", aside.name, "journal.db"]
    )
    with Store.open(journal_path) as store:
        assert [e.notes for e in store.entries()] == ["in the backup"]


def test_a_journal_that_cannot_be_opened_after_a_restore_is_explained_and_the_window_closes(
    qtbot, window, journal_path, monkeypatch
):
    backups.back_up(window.store.db.conn, journal_path, now=NOW - dt.timedelta(days=1))
    window.journal_files.restore_action.trigger()
    dialog = window.journal_files.dialog

    def disk_full(path):
        raise JournalDiskFull(f"The disk that holds {path} is full.")

    monkeypatch.setattr(journal_files.Store, "open", disk_full)
    qtbot.mouseClick(dialog.restore_button, LEFT)
    box = window.journal_files.message
    assert box.isVisible() and "is full" in box.text() and "kneelog closes now" in box.text()
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Ok), LEFT)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=2000)
