"""Saving one entry (with pain marks) into a 10-year journal: one transaction, synchronous=FULL."""

import datetime as dt
import itertools

from common import figure, median_time, ten_year_journal

from kneelog.model import Entry, Intensity, Kind, PainMark, Region, RunType, Side
from kneelog.store import Store

TARGET_MS = 5.0


def main() -> None:
    store = Store.open(ten_year_journal())
    minutes = itertools.count()
    base = dt.datetime.combine(dt.date.today(), dt.time(0, 0))

    def save():
        store.save_entry(
            Entry(
                kind=Kind.RUN,
                started=base + dt.timedelta(minutes=next(minutes) % 1000),
                distance_km=8.4,
                duration_s=2950,
                run_type=RunType.EASY,
                pain_start=1,
                pain_end=3,
                marks=(
                    PainMark(Side.RIGHT, Region.KNEECAP, Intensity.MODERATE),
                    PainMark(Side.RIGHT, Region.PATELLAR_TENDON, Intensity.MILD),
                ),
            )
        )

    ms = median_time(save, repeat=50) * 1000
    print(f"journal holds {store.count()} entries")
    figure("saving one entry", ms, "ms", f"< {TARGET_MS} ms", ms < TARGET_MS)


if __name__ == "__main__":
    main()
