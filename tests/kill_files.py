"""Backs up, restores or migrates journals until it is killed; run by tests/test_files_kill.py.

    python tests/kill_files.py backup|restore|migrate FOLDER ROUND

Prints "ready" once its imports are done and waits for a line on stdin, so that the test can
start it ahead of time. Then it repeats its operation forever, printing a line only after the
operation has returned:

- backup: saves an entry ("saved <id>"), then backs the journal up ("backup <file name>").
- restore: restores FOLDER/journal.db from the backup taken by hand ("restored <entries>"),
  then from the one taken before an import, and so on, and deletes the replaced journal each
  time so the folder does not fill up.
- migrate: copies FOLDER/old.db (a kneelog 0.1 journal) to FOLDER/<n>/journal.db under a
  temporary name ("copied <n>"), then opens it, which brings it up to date ("migrated <n>").
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
from pathlib import Path

from factories import make_run
from kneelog import backups
from kneelog.store import Store

TODAY = dt.date(2026, 11, 21)


def back_up_forever(folder: Path, round_number: int) -> None:
    journal = folder / "journal.db"
    with Store.open(journal) as store:
        for seq in range(10**9):
            saved = store.save_entry(
                make_run(
                    started=dt.datetime(2020, 1, 1, 6)
                    + dt.timedelta(minutes=round_number * 10_000 + seq),
                    notes=f"round {round_number}, entry {seq}",
                ),
                today=TODAY,
            )
            print(f"saved {saved.id}", flush=True)
            backup = backups.back_up(store.conn, journal)
            print(f"backup {backup.path.name}", flush=True)


def restore_forever(folder: Path) -> None:
    journal = folder / "journal.db"
    found = {b.reason: b for b in backups.list_backups(journal)}
    sources = [found[backups.BY_HAND], found[backups.BEFORE_IMPORT]]
    for seq in range(10**9):
        backup = sources[seq % 2]
        aside = backups.restore(backup, journal)
        print(f"restored {backups.entry_count(backup)}", flush=True)
        if aside is not None:
            aside.unlink()


def migrate_forever(folder: Path, round_number: int) -> None:
    for seq in range(10**9):
        target = folder / f"{round_number}-{seq}" / "journal.db"
        target.parent.mkdir()
        temp = target.with_name("copying")
        shutil.copyfile(folder / "old.db", temp)
        os.replace(temp, target)
        print(f"copied {target.parent.name}", flush=True)
        Store.open(target).close()
        print(f"migrated {target.parent.name}", flush=True)


def main() -> None:
    what, folder, round_number = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
    print("ready", flush=True)
    if not sys.stdin.readline():  # the test went away without saying go
        return
    if what == "backup":
        back_up_forever(folder, round_number)
    elif what == "restore":
        restore_forever(folder)
    else:
        migrate_forever(folder, round_number)


if __name__ == "__main__":
    main()
