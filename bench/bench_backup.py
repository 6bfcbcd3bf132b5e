"""The start-up backup of a 10-year journal, which runs just after the window's first paint.

Two figures: the backup itself when the journal changed since the last one (SQLite backup
API, integrity_check of the copy, rename, thinning out the old ones), and the look at an
unchanged journal that finds no backup is needed (what most start-ups cost).
"""

import datetime as dt

from common import figure, median_time, ten_year_journal

from kneelog import backups
from kneelog.store import Store

TARGET_BACKUP_MS = 100.0
TARGET_UNCHANGED_MS = 10.0


def main() -> None:
    path = ten_year_journal()
    store = Store.open(path)
    marker = backups.folder_of(path) / f"{path.stem}.last-backup"
    days = iter(range(10_000))

    def changed():
        marker.unlink(missing_ok=True)  # as if the journal had changed since the last backup
        when = dt.datetime(2026, 1, 1) + dt.timedelta(days=next(days))
        assert backups.back_up_if_changed(store.db.conn, path, now=when) is not None

    def unchanged():
        assert backups.back_up_if_changed(store.db.conn, path) is None

    backup_ms = median_time(changed, repeat=20) * 1000
    unchanged_ms = median_time(unchanged, repeat=50) * 1000
    size_kib = path.stat().st_size / 1024
    print(
        f"journal holds {store.count()} entries in {size_kib:.0f} KiB; "
        f"{len(backups.list_backups(path))} backups kept after {20} taken on successive days"
    )
    figure(
        "start-up look at an unchanged 10-year journal",
        unchanged_ms,
        "ms",
        f"< {TARGET_UNCHANGED_MS:g} ms",
        unchanged_ms < TARGET_UNCHANGED_MS,
    )
    figure(
        "start-up backup of a changed 10-year journal",
        backup_ms,
        "ms",
        f"< {TARGET_BACKUP_MS:g} ms",
        backup_ms < TARGET_BACKUP_MS,
    )


if __name__ == "__main__":
    main()
