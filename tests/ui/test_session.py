"""The journal session: every write goes through it and is told in one ChangeSet; what it keeps
in memory (for the triage panel and the charts) stays equal to the journal read afresh."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from factories import make_run
from kneelog.changes import ChangeSet
from kneelog.dashboard import ChartCache, chart_data
from kneelog.demo import demo_journal
from kneelog.model import Kind, Period, Shoe
from kneelog.store import EntryChanged, Store
from kneelog.triage import assess_journal
from kneelog.ui.session import JournalSession

NOW = dt.datetime(2026, 11, 21, 19, 0)
TODAY = NOW.date()


@pytest.fixture
def session(qapp, journal_path):
    store = Store.open(journal_path)
    made = JournalSession(store, clock=lambda: NOW)
    yield made
    made.stop_watching()
    store.close()


def told(qtbot, session, write):
    """What the session said after `write`: one ChangeSet, or none."""
    said = []
    session.changed.connect(said.append)
    try:
        result = write()
    finally:
        session.changed.disconnect(said.append)
    return result, said


def test_a_save_an_edit_a_delete_and_their_undo_each_name_the_entry_and_its_days(qtbot, session):
    saved, said = told(
        qtbot,
        session,
        lambda: session.save(None, make_run(started=NOW - dt.timedelta(days=2)), "s"),
    )
    assert said == [
        ChangeSet(entries=frozenset({saved.id}), days=frozenset({TODAY - dt.timedelta(days=2)}))
    ]
    moved, said = told(
        qtbot,
        session,
        lambda: session.save(saved, saved.with_(started=NOW - dt.timedelta(days=1)), "e"),
    )
    assert said[0].entries == {saved.id}
    assert said[0].days == {TODAY - dt.timedelta(days=2), TODAY - dt.timedelta(days=1)}
    _, said = told(qtbot, session, lambda: session.delete(moved, "d"))
    assert [c.entries for c in said] == [{saved.id}] and session.count() == 0
    _, said = told(qtbot, session, session.undo_stack.undo)
    assert [c.entries for c in said] == [{saved.id}] and session.count() == 1
    _, said = told(qtbot, session, session.undo_stack.undo)  # back to the first version
    assert said[0].days == {TODAY - dt.timedelta(days=2), TODAY - dt.timedelta(days=1)}
    assert session.entry(saved.id).day == TODAY - dt.timedelta(days=2)


def test_shoes_settings_and_the_triage_state_are_named_as_what_changed(qtbot, session):
    _, said = told(qtbot, session, lambda: session.save_shoe(Shoe("Blue")))
    assert said == [ChangeSet(shoes=True)]
    _, said = told(qtbot, session, lambda: session.save_settings(session.settings))
    assert said == [ChangeSet(settings=True)]
    for write in (
        lambda: session.answer_triage("cannot_walk", True),
        session.confirm_assessed,
        lambda: session.start_plan("calm", 7, "softer surface only", None),
        lambda: session.tick("rest", True),
        session.end_plan,
    ):
        _, said = told(qtbot, session, write)
        assert said == [ChangeSet(triage=True)]
    assert session.current_plan() is None
    _, said = told(qtbot, session, session.undo_stack.undo)  # the end of the plan taken back
    assert said == [ChangeSet(triage=True)] and session.current_plan() is not None


def test_a_refused_save_changes_nothing_and_says_nothing(qtbot, session):
    saved = session.save(None, make_run(started=NOW - dt.timedelta(days=1)), "s")
    session.save(saved, saved.with_(pain_end=5), "e")
    with pytest.raises(EntryChanged):
        told(qtbot, session, lambda: session.save(saved, saved.with_(pain_end=9), "stale"))
    _, said = told(qtbot, session, lambda: None)
    assert said == [] and session.entry(saved.id).pain_end == 5


def test_a_change_another_kneelog_makes_is_found_and_named(qtbot, session, journal_path):
    mine = session.save(None, make_run(started=NOW - dt.timedelta(days=3)), "s")
    session.entries()  # the session holds every entry: what changed can be named
    with Store.open(journal_path) as other:
        theirs = other.save_entry(make_run(started=NOW - dt.timedelta(days=1)), today=TODAY)
        other.delete_entry(mine.id)
    with qtbot.waitSignal(session.changed, timeout=3000) as change:
        pass  # found by the session's own look at the journal, a few times a second
    assert change.args[0].entries == {mine.id, theirs.id}
    assert change.args[0].days == {TODAY - dt.timedelta(days=3), TODAY - dt.timedelta(days=1)}
    assert set(session.entries()) == {theirs.id}


PERIODS = (
    Period(),
    Period(TODAY - dt.timedelta(days=27), TODAY),
    Period(TODAY - dt.timedelta(days=90)),
    Period(None, TODAY - dt.timedelta(days=40)),
)


def test_what_the_session_keeps_equals_the_journal_read_afresh_after_saves_deletes_and_undo(
    qtbot, session
):
    """The triage and the charts the session keeps up to date change by change are the same as
    those computed from scratch on the journal file, step by step."""
    demo = demo_journal(end=TODAY, years=1, seed=3)
    session.store.add_journal(demo)
    session.reload()
    cache = ChartCache()
    cache.compute(list(session.entries().values()), session.shoes(), session.settings.units, TODAY)
    session.changed.connect(
        lambda change: cache.apply(
            change.entries,
            session.entries(),
            session.shoes(),
            session.settings.units,
            TODAY,
            shoe_use=session.shoe_use(),
        )
    )

    def check() -> None:
        assert session.triage() == assess_journal(session.store, TODAY)
        fresh = chart_data(
            session.store.entries(), session.store.shoes(), session.settings.units, TODAY
        )
        assert cache.data.pain == fresh.pain and cache.data.weeks == fresh.weeks
        assert cache.data.spikes == fresh.spikes and cache.data.shoes == fresh.shoes
        for period in PERIODS:
            for kinds in (None, [Kind.RUN], [Kind.CROSS, Kind.CHECKIN]):
                assert session.entries_in(period, kinds) == session.store.entries(period, kinds)

    check()
    shoe = session.shoes()[0]
    steps = [
        lambda: session.save(None, make_run(started=NOW - dt.timedelta(hours=2), pain_end=7), "a"),
        lambda: session.save(
            None, make_run(started=NOW - dt.timedelta(days=40), shoe_id=shoe.id, pain_end=5), "b"
        ),
        lambda: session.delete(max(session.entries().values(), key=lambda e: e.started), "c"),
        lambda: session.save(
            (e := min(session.entries().values(), key=lambda e: e.started)),
            e.with_(started=NOW - dt.timedelta(days=1)),
            "d",
        ),
        session.undo_stack.undo,
        session.undo_stack.undo,
        session.undo_stack.redo,
        lambda: session.answer_triage("swelling_instability", True),
        lambda: session.start_plan("calm", 14, "no hills", None),
        lambda: session.tick("rest", True),
    ]
    for step in steps:
        step()
        check()


def test_a_journal_closed_under_the_session_stops_its_watch(qtbot, session):
    session.store.close()
    qtbot.wait(600)  # a look at the closed journal ends the looking, without an error
    with pytest.raises(sqlite3.ProgrammingError):
        session.store.data_version()
