"""What a write changed (kneelog.changes): the entries and days it touched, and what else."""

from __future__ import annotations

import datetime as dt

from factories import make_run
from kneelog.changes import ChangeSet, between
from kneelog.model import Period

MON = dt.datetime(2026, 11, 16, 7)


def test_an_edit_that_moves_a_run_to_another_day_touches_both_days():
    before = make_run(id=4, started=MON)
    after = before.with_(started=MON + dt.timedelta(days=2))
    change = ChangeSet.of_entries(before, after)
    assert change.entries == {4}
    assert change.days == {dt.date(2026, 11, 16), dt.date(2026, 11, 18)}
    assert not change.shoes and not change.triage and not change.journal


def test_a_run_in_shoes_changes_the_shoes_figures():
    assert ChangeSet.of_entries(None, make_run(id=1, started=MON, shoe_id=2)).shoes
    assert not ChangeSet.of_entries(None, make_run(id=1, started=MON)).shoes


def test_a_change_reaches_a_period_holding_one_of_its_days():
    change = ChangeSet.of_entries(make_run(id=1, started=MON), None)
    assert change.reaches(Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30)))
    assert change.reaches(Period(first=dt.date(2026, 11, 16)))  # from that day on
    assert not change.reaches(Period(dt.date(2026, 11, 17), dt.date(2026, 11, 30)))
    assert ChangeSet(settings=True).reaches(Period(dt.date(2020, 1, 1), dt.date(2020, 1, 2)))
    assert not ChangeSet(triage=True).reaches(Period())


def test_nothing_changed_is_false_and_changes_add_up():
    assert not ChangeSet()
    both = ChangeSet.of_entries(make_run(id=1, started=MON)) | ChangeSet(triage=True)
    assert both and both.entries == {1} and both.triage and not both.shoes


def test_between_two_readings_names_what_another_program_added_changed_or_deleted():
    kept = make_run(id=1, started=MON, version=1)
    edited = make_run(id=2, started=MON + dt.timedelta(days=1), version=1)
    deleted = make_run(id=3, started=MON + dt.timedelta(days=2), version=1)
    added = make_run(id=4, started=MON + dt.timedelta(days=5), version=1)
    resaved = make_run(id=5, started=MON + dt.timedelta(days=6), version=1)
    before = {e.id: e for e in (kept, edited, deleted, resaved)}
    after = {
        1: kept,
        2: edited.with_(pain_end=6, version=2),
        4: added,
        5: resaved.with_(version=2),  # saved again as it was: another program's save all the same
    }
    change = between(before, after)
    assert change.entries == {2, 3, 4, 5}
    assert change.days == {MON.date() + dt.timedelta(days=d) for d in (1, 2, 5, 6)}
    assert not between(before, dict(before))
