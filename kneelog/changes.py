"""What one write to the journal changed, so that each view updates only what it reaches.

The journal session (kneelog/ui/session.py) makes every write and says after each what it
touched in one ChangeSet: the entries by id and the days they were on (before and after the
change), and whether the shoes, the settings or the triage state (red-flag answers, plans and
their ticks) changed. A change made by another program is told the same way, found by
comparing the entries before and after (`between`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from .model import Entry, Period


@dataclass(frozen=True)
class ChangeSet:
    entries: frozenset[int] = frozenset()  # ids of the entries saved, deleted or put back
    days: frozenset[dt.date] = frozenset()  # the days those entries were on, before and after
    shoes: bool = False
    settings: bool = False
    triage: bool = False  # red-flag answers, the assessment, plans and their ticks
    journal: bool = False  # another journal is shown (or one read again): everything is new
    # A write was refused: a view may show what the runner did (a box ticked) rather than what
    # the journal holds, so it is drawn again whole.
    redraw: bool = False

    @classmethod
    def of_entries(cls, *versions: Entry | None) -> ChangeSet:
        """The change from one version of entries to another (None: no entry)."""
        shown = [e for e in versions if e is not None]
        return cls(
            entries=frozenset(e.id for e in shown if e.id is not None),
            days=frozenset(e.day for e in shown),
            # a pair's distance is the sum of its runs: a run in shoes changes the shoes' figures
            shoes=any(e.shoe_id is not None for e in shown),
        )

    @classmethod
    def everything(cls) -> ChangeSet:
        return cls(shoes=True, settings=True, triage=True, journal=True)

    def __or__(self, other: ChangeSet) -> ChangeSet:
        return ChangeSet(
            self.entries | other.entries,
            self.days | other.days,
            self.shoes or other.shoes,
            self.settings or other.settings,
            self.triage or other.triage,
            self.journal or other.journal,
            self.redraw or other.redraw,
        )

    def __bool__(self) -> bool:
        return bool(self.entries or self.days) or any(
            (self.shoes, self.settings, self.triage, self.journal, self.redraw)
        )

    def reaches(self, period: Period) -> bool:
        """Whether what a view shows of `period` may differ after this change: an entry on one of
        its days, or a change that moves every figure (the units, another journal)."""
        if self.journal or self.settings:
            return True
        first, last = period.first or dt.date.min, period.last or dt.date.max
        return any(first <= day <= last for day in self.days)


def between(before: Mapping[int, Entry], after: Mapping[int, Entry]) -> ChangeSet:
    """The change from one reading of the journal's entries (by id) to another: the entries
    added, deleted, or saved again (a save counts up the version, also when nothing else moved)."""
    versions: list[Entry | None] = []
    for entry_id in before.keys() | after.keys():
        old, new = before.get(entry_id), after.get(entry_id)
        if old is None or new is None or old != new or old.version != new.version:
            versions += [old, new]
    return ChangeSet.of_entries(*versions)
