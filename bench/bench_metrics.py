"""Every metric of the Charts view over a 10-year journal, from entries in memory."""

from common import figure, median_time

from kneelog.dashboard import chart_data
from kneelog.demo import demo_journal

TARGET_MS = 50.0


def main() -> None:
    journal = demo_journal(years=10, seed=11)
    ms = median_time(lambda: chart_data(journal.entries, journal.shoes), repeat=15) * 1000
    print(f"{len(journal.entries)} entries over 10 years")
    figure("all chart metrics, 10 years", ms, "ms", f"< {TARGET_MS:.0f} ms", ms < TARGET_MS)


if __name__ == "__main__":
    main()
