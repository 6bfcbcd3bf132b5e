"""Writes to a journal from several threads for a while; run by tests/test_store_writers.py.

    python tests/busy_writer.py JOURNAL NAME SECONDS THREADS

Each thread opens its own Store and, until SECONDS have passed, saves a new entry, edits one
of its own entries, deletes one and puts it back (undo), or saves a batch of three (as an
import does), with 0-50 ms between writes. It prints one line per write once the Store has returned:
"saved <id> <notes>" for each entry written, "failed <error>" for a write that raised.
The last line is "done".
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import threading
import time
import zlib

from factories import make_run
from kneelog.store import Store

TODAY = dt.date(2026, 11, 21)
_print = threading.Lock()


def say(line: str) -> None:
    with _print:
        print(line, flush=True)


def write_for(path: str, name: str, seconds: float, seed: int) -> None:
    rng = random.Random(seed)
    deadline = time.monotonic() + seconds
    mine = []  # this thread's entries, as last saved
    with Store.open(path) as store:
        seq = 0
        while time.monotonic() < deadline:
            seq += 1
            what = rng.random()
            try:
                if mine and what < 0.3:
                    i = rng.randrange(len(mine))
                    saved = [store.save_entry(mine[i].with_(notes=f"{name}-{seq}"), today=TODAY)]
                    mine[i] = saved[0]
                elif mine and what < 0.4:  # undo of a delete, while the others write new entries
                    i = rng.randrange(len(mine))
                    deleted = store.delete_entry(mine[i].id, version=mine[i].version)
                    time.sleep(rng.uniform(0, 0.02))
                    saved = [store.restore_entry(deleted, today=TODAY)]
                    assert (saved[0].id, saved[0].uuid) == (deleted.id, deleted.uuid)
                    mine[i] = saved[0]
                else:
                    count = 3 if what > 0.8 else 1
                    first = dt.datetime(2000, 1, 1) + dt.timedelta(minutes=seed * 10**4 + seq * 3)
                    new = [
                        make_run(started=first + dt.timedelta(minutes=k), notes=f"{name}-{seq}")
                        for k in range(count)
                    ]
                    saved = (
                        store.save_entries(new, today=TODAY)
                        if count > 1
                        else [store.save_entry(new[0], today=TODAY)]
                    )
                    mine += saved
            except Exception as error:  # noqa: BLE001  every failure is reported, none stops the run
                say(f"failed {type(error).__name__}: {error}".replace("\n", " "))
            else:
                for entry in saved:
                    say(f"saved {entry.id} {entry.notes}")
            time.sleep(rng.uniform(0, 0.05))


def main() -> None:
    path, name, seconds, threads = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
    names = [f"{name}.{t}" for t in range(threads)]
    workers = [
        threading.Thread(
            target=write_for, args=(path, each, seconds, zlib.crc32(each.encode()) % 997)
        )
        for each in names
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    say("done")


if __name__ == "__main__":
    main()
