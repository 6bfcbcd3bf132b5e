"""kneelog/ui/backup_dialogs.py: the list of backups a runner chooses from."""

from __future__ import annotations

import datetime as dt

from factories import make_run
from kneelog import backups
from kneelog.store import Store
from kneelog.ui.backup_dialogs import BackupList, found_backups

NOW = dt.datetime(2026, 11, 21, 9, 0)


def test_found_backups_lists_them_newest_first_with_what_can_be_read(journal_path):
    store = Store.open(journal_path)
    store.save_entry(make_run())
    older = backups.back_up(store.db.conn, journal_path, now=NOW - dt.timedelta(days=1))
    newer = backups.back_up(store.db.conn, journal_path, now=NOW)
    store.close()
    older.path.write_bytes(b"not a journal at all")
    assert found_backups(journal_path) == [(newer, 1), (older, None)]


def test_the_list_selects_the_newest_backup_that_can_be_read(qtbot, tmp_path):
    unreadable = backups.Backup(tmp_path / "a.db", NOW, backups.BY_HAND)
    good = backups.Backup(tmp_path / "b.db", NOW - dt.timedelta(days=2), backups.BEFORE_IMPORT)
    view = BackupList()
    qtbot.addWidget(view)
    view.set_backups([(unreadable, None), (good, 1234)])
    assert view.rowCount() == 2
    assert view.item(0, 2).text() == "cannot be read"
    assert view.item(1, 2).text() == "1,234"
    assert view.item(1, 1).text() == good.why
    assert view.selected_backup() == good
