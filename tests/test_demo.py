"""The demo journal: repeatable, valid, and telling the story the app is meant to show.

Weeks are counted back from the journal's last day (week 0 is its last seven days), which
is how the demo describes its last 26 weeks: base weeks 15-25, build-up weeks 10-14,
sore weeks 7-9 and a calmer block since. The story has to hold whatever weekday the demo
ends on, because `kneelog --demo` ends it today.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import statistics
from collections import defaultdict
from itertools import pairwise

import pytest

from kneelog.demo import demo_journal
from kneelog.model import Change, Entry, Journal, Kind
from kneelog.store import Store

END = dt.date(2026, 11, 21)
BASE_WEEKS = range(15, 26)
BUILD_WEEKS = range(10, 15)
SORE_WEEKS = range(7, 10)
LAST_WEEKS = range(0, 4)
ENDS_ON_EVERY_WEEKDAY = [END - dt.timedelta(days=n) for n in range(7)]


def week(entry: Entry, end: dt.date) -> int:
    return (end - entry.day).days // 7


def runs(journal: Journal) -> list[Entry]:
    return [e for e in journal.entries if e.kind is Kind.RUN]


def test_the_same_seed_gives_the_same_journal():
    first, again = demo_journal(end=END, seed=11), demo_journal(end=END, seed=11)
    assert first.entries == again.entries
    assert first.shoes == again.shoes
    assert first.settings == again.settings
    assert demo_journal(end=END, seed=12).entries != first.entries


def test_six_months_by_default():
    journal = demo_journal(end=END)
    days = [e.day for e in journal.entries]
    assert max(days) <= END
    assert (END - min(days)).days < 26 * 7
    assert (END - min(days)).days >= 25 * 7


@pytest.mark.parametrize("end", ENDS_ON_EVERY_WEEKDAY, ids=lambda d: d.strftime("%a"))
def test_the_build_up_adds_more_than_10_percent_a_week_at_least_twice(end):
    km = defaultdict(float)
    for run in runs(demo_journal(end=end)):
        km[week(run, end)] += run.distance_km
    steep = [w for w in BUILD_WEEKS if km[w + 1] and km[w] > 1.10 * km[w + 1]]
    assert len(steep) >= 2, {w: round(km[w], 1) for w in range(9, 16)}


@pytest.mark.parametrize("end", ENDS_ON_EVERY_WEEKDAY, ids=lambda d: d.strftime("%a"))
def test_the_knee_gets_sore_after_the_build_up_and_settles_again(end):
    pain = defaultdict(list)
    for run in runs(demo_journal(end=end)):
        pain[week(run, end)].append(run.pain_end)

    def mean(weeks: range) -> float:
        values = [p for w in weeks for p in pain[w]]
        assert values, weeks
        return statistics.mean(values)

    base, sore, last = mean(BASE_WEEKS), mean(SORE_WEEKS), mean(LAST_WEEKS)
    assert sore >= base + 3, (base, sore)
    assert last <= sore - 2, (sore, last)


def test_shoes_change_with_the_change_logged_but_never_near_the_build_up():
    """One cause in the story: the build-up. A new pair in it would be a second one."""
    journal = demo_journal(end=END, years=1)
    assert len(journal.shoes) >= 2
    assert len({s.id for s in journal.shoes}) == len(journal.shoes)
    ordered = sorted(runs(journal), key=lambda e: e.started)
    switches = [now for before, now in pairwise(ordered) if now.shoe_id != before.shoe_id]
    assert switches, "no run is in new shoes"
    for run in switches:
        assert run.shoe_id in {s.id for s in journal.shoes}
        assert Change.SHOES in run.changes
        assert week(run, END) not in (*range(7, 19),), week(run, END)


@pytest.mark.parametrize("end", ENDS_ON_EVERY_WEEKDAY, ids=lambda d: d.strftime("%a"))
def test_the_pain_settles_by_the_next_morning_on_most_sore_runs(end):
    sore = [
        r
        for r in runs(demo_journal(end=end))
        if r.pain_end >= 3 and r.pain_next_morning is not None
    ]
    assert len(sore) >= 8
    settled = [r for r in sore if r.pain_next_morning <= 1]
    assert len(settled) >= 0.75 * len(sore)


@pytest.mark.parametrize("end", ENDS_ON_EVERY_WEEKDAY, ids=lambda d: d.strftime("%a"))
@pytest.mark.parametrize("seed", [7, 1, 2])
def test_the_triage_finds_the_one_cause_the_story_built_in(end, seed):
    """The demo's build-up is more and longer runs, nothing else: triage must find the volume
    pattern and no other, raise no red flag, and see the knee calm enough to run today."""
    from kneelog.triage import Answers, assess

    journal = demo_journal(end=end, years=1, seed=seed)
    result = assess(journal.entries, journal.shoes, Answers(), end)
    assert [e.pattern for e in result.evidence if e.found] == ["volume"]
    assert not result.red_flags.raised
    assert result.guidance.level == "go"
    assert [r.id for r in result.picture.resembles] == ["patellofemoral"]


@pytest.mark.parametrize("years", [0.5, 10])
def test_every_entry_validates_and_none_is_in_the_future(years):
    today = dt.date.today()
    journal = demo_journal(years=years)
    assert journal.entries
    for entry in journal.entries:
        entry.validate(today=today)
        assert entry.day <= today
    known_shoes = {s.id for s in journal.shoes}
    assert all(e.shoe_id in known_shoes for e in journal.entries if e.shoe_id is not None)


def test_ten_years_write_to_a_journal_and_read_back_whole(journal_path):
    journal = demo_journal(years=10)
    assert len(journal.entries) > 1000
    with Store.open(journal_path) as store:
        store.add_journal(journal)
    with Store.open(journal_path) as store:
        found = store.entries()
        assert store.count() == len(journal.entries) == len(found)
        shoes = store.shoes()
        settings = store.settings()

    assert [s.name for s in shoes] == [s.name for s in journal.shoes]
    assert settings == journal.settings
    shoe_names = {s.id: s.name for s in journal.shoes}
    stored_shoe_names = {s.id: s.name for s in shoes}

    def comparable(entry: Entry, names: dict) -> tuple:
        return (
            dataclasses.replace(entry, id=None, shoe_id=None, marks=()),
            names.get(entry.shoe_id),
            frozenset(entry.marks),
        )

    def key(e: Entry):
        return e.started, e.kind.value, e.notes

    expected = sorted((comparable(e, shoe_names) for e in journal.entries), key=lambda c: key(c[0]))
    read_back = sorted((comparable(e, stored_shoe_names) for e in found), key=lambda c: key(c[0]))
    assert read_back == expected
