"""Writes journal entries until it is killed; run by tests/test_store_kill.py.

    python tests/kill_writer.py JOURNAL ROUND

Prints "ready" once its imports are done and waits for a line on stdin, so that the test
can start it ahead of time. Then it opens the journal and saves entries forever, each with
several pain marks, and prints "saved <id> <number of marks>" only after save_entry has
returned. The number of marks is also written at the start of the entry's notes
("marks=N;"), so every entry in the file can be checked, confirmed or not.
"""

from __future__ import annotations

import datetime as dt
import random
import sys

from factories import make_run
from kneelog.model import Intensity, PainMark, Region, Side
from kneelog.store import Store

SPOTS = [(side, region) for side in Side for region in Region]
FIRST_START = dt.datetime(2020, 1, 1, 6, 0)
TODAY = dt.date(2026, 11, 21)


def marks_in(notes: str) -> int:
    """How many marks the writer gave an entry, read back from its notes."""
    head = notes.split(";", 1)[0]
    assert head.startswith("marks="), notes[:40]
    return int(head.removeprefix("marks="))


def main() -> None:
    path, round_number = sys.argv[1], int(sys.argv[2])
    rng = random.Random(round_number)
    print("ready", flush=True)
    if not sys.stdin.readline():  # the test went away without saying go
        return
    store = Store.open(path)
    for seq in range(10**9):
        count = rng.randint(2, 12)
        marks = tuple(
            PainMark(side, region, rng.choice(list(Intensity)))
            for side, region in rng.sample(SPOTS, count)
        )
        entry = make_run(
            started=FIRST_START + dt.timedelta(seconds=round_number * 100_000 + seq),
            notes=f"marks={count};" + "knee " * rng.randint(0, 1500),  # up to 2 pages
            marks=marks,
        )
        saved = store.save_entry(entry, today=TODAY)
        print(f"saved {saved.id} {count}", flush=True)


if __name__ == "__main__":
    main()
