"""The Charts view's figures (kneelog.dashboard): a ChartCache told which entries were saved,
edited and deleted gives exactly what chart_data() computes from scratch."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import fields, replace

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kneelog.dashboard import EVERY_PART, ChartCache, ChartData, chart_data
from kneelog.demo import demo_journal
from kneelog.model import Entry, Intensity, Kind, PainMark, Region, Shoe, Side, Units

START = dt.datetime(2025, 3, 3, 7)  # a Monday; the journals below run over about half a year
SHOES = [Shoe("Blue", id=1, prior_km=100.0, limit_km=600.0), Shoe("Trail", id=2, limit_km=800.0)]


def assert_same(got: ChartData, expected: ChartData) -> None:
    for f in fields(ChartData):
        if f.name == "changed":  # what the last step redrew, not a figure
            continue
        a, b = getattr(got, f.name), getattr(expected, f.name)
        if isinstance(b, np.ndarray):
            assert a.shape == b.shape and np.array_equal(a, b, equal_nan=True), f.name
        else:
            assert a == b, f.name


pain = st.sampled_from([None, 0, 0, 0, 1, 2, 4, 7])  # pain-free weeks set the usual morning


@st.composite
def entries(draw, entry_id: int) -> Entry:
    kind = draw(st.sampled_from([Kind.RUN] * 4 + [Kind.STRENGTH, Kind.CROSS, Kind.CHECKIN]))
    started = START + dt.timedelta(
        days=draw(st.integers(0, 180)), minutes=draw(st.integers(0, 900))
    )
    return Entry(
        kind=kind,
        id=entry_id,
        started=started,
        distance_km=draw(st.integers(1, 4000)) / 100 if kind is Kind.RUN else None,
        duration_s=draw(st.none() | st.integers(600, 9000)),
        rpe=draw(st.none() | st.integers(1, 10)),
        shoe_id=draw(st.none() | st.sampled_from([1, 2])),
        pain_start=draw(pain),
        pain_end=draw(pain),
        pain_next_morning=draw(pain),
    )


@st.composite
def journals_and_changes(draw):
    journal = {i: draw(entries(i)) for i in range(1, draw(st.integers(0, 25)) + 1)}
    changes = []
    for _ in range(draw(st.integers(1, 8))):
        what = draw(
            st.sampled_from(["save", "save", "edit", "edit", "delete", "day", "units", "shoes"])
        )
        changes.append((what, draw(entries(100 + len(changes))), draw(st.integers(0, 10**6))))
    return journal, changes


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(journals_and_changes())
def test_a_cache_kept_up_to_date_gives_what_a_fresh_computation_gives(case):
    journal, changes = case
    today, units, shoes = (START + dt.timedelta(days=190)).date(), Units.KM, list(SHOES)
    cache = ChartCache()
    assert_same(
        cache.compute(list(journal.values()), shoes, units, today),
        chart_data(list(journal.values()), shoes, units, today),
    )
    for what, entry, pick in changes:
        ids = sorted(journal)
        touched: set[int] = set()
        if what == "save" or not ids and what in ("edit", "delete"):
            journal[entry.id] = entry
            touched.add(entry.id)
        elif what == "edit":
            old = journal.pop(ids[pick % len(ids)])
            journal[old.id] = (
                entry.with_(id=old.id)
                if pick % 3
                else old.with_(pain_next_morning=None if old.pain_next_morning else 0)
            )
            touched.add(old.id)
        elif what == "delete":
            touched.add(ids[pick % len(ids)])
            del journal[ids[pick % len(ids)]]
        elif what == "day":
            today += dt.timedelta(days=1)
        elif what == "units":
            units = Units.MI if units is Units.KM else Units.KM
        else:
            shoes = [replace(shoes[0], prior_km=float(pick % 300)), shoes[1]]
        shuffled = dict(random.Random(pick).sample(list(journal.items()), len(journal)))
        assert_same(
            cache.apply(touched, shuffled, shoes, units, today),  # in any order
            chart_data(list(journal.values()), shoes, units, today),
        )


def test_a_save_today_recomputes_only_the_last_weeks():
    """On ten years, a new run today leaves the figures of earlier years untouched (the same
    objects), and still equals a fresh computation."""
    demo = demo_journal(end=dt.date(2026, 11, 21), years=10, seed=11)
    journal = {i: e.with_(id=i) for i, e in enumerate(demo.entries, start=1)}
    today = dt.date(2026, 11, 21)
    cache = ChartCache()
    before = cache.compute(list(journal.values()), demo.shoes, Units.KM, today)
    run = Entry(
        Kind.RUN,
        dt.datetime(2026, 11, 21, 6),
        id=10_000,
        distance_km=7.0,
        duration_s=2400,
        rpe=4,
        pain_start=1,
        pain_end=2,
    )
    journal[run.id] = run
    after = cache.apply([run.id], journal, demo.shoes, Units.KM, today)
    assert after is not before, "the data on screen is not changed under the charts"
    assert after.pain[-1].entry_id == run.id and after.runs[run.id] is run
    assert after.weeks[0] is before.weeks[0] and after.pain[0] is before.pain[0]
    assert after.weeks[-1] is not before.weeks[-1]
    assert_same(after, chart_data(list(journal.values()), demo.shoes, Units.KM, today))

    old = journal.pop(500)  # an edit years back reaches its own weeks, and the EWMA after it
    journal[old.id] = old.with_(distance_km=(old.distance_km or 0) + 5, kind=Kind.RUN)
    assert_same(
        cache.apply([old.id], journal, demo.shoes, Units.KM, today),
        chart_data(list(journal.values()), demo.shoes, Units.KM, today),
    )


def test_a_result_names_the_parts_of_the_charts_it_changed():
    runs = {
        d: Entry(Kind.RUN, START + dt.timedelta(days=d), id=d, distance_km=5.0, pain_end=1)
        for d in range(1, 60, 3)
    }
    cache = ChartCache()
    assert cache.compute(list(runs.values()), SHOES, Units.KM, None).changed == EVERY_PART
    checkin = Entry(Kind.CHECKIN, START + dt.timedelta(days=30), id=1000, pain_later=2)
    journal = {**runs, checkin.id: checkin}
    assert cache.apply([checkin.id], journal, SHOES, Units.KM, None).changed == set()
    journal[4] = journal[4].with_(distance_km=9.0, shoe_id=1)  # pain at the end only
    assert cache.apply([4], journal, SHOES, Units.KM, None).changed == {
        "pain:end",
        "pain:trend",
        "bars",
        "spikes",  # 9 km after 5 km runs: a spike
        "ratio",
        "shoes",
    }
    retired = [replace(SHOES[0], retired=True), SHOES[1]]
    assert cache.apply([], journal, retired, Units.KM, None).changed == {"shoes"}
    marked = PainMark(Side.LEFT, Region.KNEECAP, Intensity.MILD)
    journal[7] = journal[7].with_(marks=(marked,))  # a spot marked: the knee's heat map moves
    assert "marks" in cache.apply([7], journal, retired, Units.KM, None).changed
    journal[7] = journal[7].with_(marks=())  # and unmarked again
    assert "marks" in cache.apply([7], journal, retired, Units.KM, None).changed
