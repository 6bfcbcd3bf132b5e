"""The triage panel's answers, plans and daily ticks are kept in the journal file."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from kneelog.store import Store
from kneelog.triage import Answers, Plan, summary_triage

TODAY = dt.date(2026, 11, 20)
DAY = dt.timedelta(days=1)


@pytest.fixture
def reopen(journal_path):
    """Close the open journal and open the same file again, as a restart would."""
    opened: list[Store] = []

    def _reopen(store: Store | None = None) -> Store:
        if store is not None:
            store.close()
        opened.append(Store.open(journal_path))
        return opened[-1]

    yield _reopen
    for s in opened:
        s.close()


def ended(store: Store, plan_id: int) -> dt.date | None:
    (value,) = store.db.execute("SELECT ended FROM plans WHERE id = ?", [plan_id]).fetchone()
    return dt.date.fromisoformat(value) if value else None


def tick_rows(store: Store) -> int:
    return store.db.execute("SELECT COUNT(*) FROM plan_ticks").fetchone()[0]


# -- answers ---------------------------------------------------------------------------------


def test_a_new_journal_has_no_answers_and_no_plan(reopen):
    store = reopen()
    assert store.triage_answers() == Answers()
    assert store.current_plan() is None


def test_answers_and_the_assessment_survive_reopening(reopen):
    store = reopen()
    store.answer_triage("cannot_walk", True, TODAY - 3 * DAY)
    store.answer_triage("fever_unwell", False, TODAY - 3 * DAY)
    store.answer_triage("pop_injury", True, TODAY - 2 * DAY)
    store.confirm_assessed(TODAY)
    store = reopen(store)
    assert store.triage_answers() == Answers(
        yes={"cannot_walk": TODAY - 3 * DAY, "pop_injury": TODAY - 2 * DAY}, assessed_on=TODAY
    )


def test_changing_an_answer_replaces_it(reopen):
    store = reopen()
    store.answer_triage("cannot_walk", True, TODAY - 5 * DAY)
    store.answer_triage("cannot_walk", False, TODAY - 4 * DAY)
    assert store.triage_answers().yes == {}
    store.answer_triage("cannot_walk", True, TODAY)  # yes again: dated the new day
    store = reopen(store)
    assert store.triage_answers().yes == {"cannot_walk": TODAY}
    rows = store.db.execute("SELECT COUNT(*) FROM triage_answers").fetchone()[0]
    assert rows == 1


def test_a_later_assessment_replaces_the_earlier_one(reopen):
    store = reopen()
    store.confirm_assessed(TODAY - 10 * DAY)
    store.confirm_assessed(TODAY - 1 * DAY)
    store = reopen(store)
    answers = store.triage_answers()
    assert answers.assessed_on == TODAY - DAY
    assert answers.yes == {}  # the assessment is not a red flag answer


# -- plans -----------------------------------------------------------------------------------


def test_a_plan_survives_reopening(reopen):
    store = reopen()
    plan = store.start_plan(
        Plan("calm", TODAY - 2 * DAY, 14, change="Softer surface only", pattern="shoes_surface")
    )
    assert plan.id is not None
    store = reopen(store)
    assert store.current_plan() == Plan(
        "calm",
        TODAY - 2 * DAY,
        14,
        change="Softer surface only",
        pattern="shoes_surface",
        id=plan.id,
    )


def test_a_plan_of_the_runner_s_own_change_has_no_pattern(reopen):
    store = reopen()
    plan = store.start_plan(Plan("tendon", TODAY, 84, change="Tendon loading"))
    store = reopen(store)
    assert store.current_plan() == plan
    assert store.current_plan().pattern is None


def test_starting_a_new_plan_ends_the_running_one(reopen):
    store = reopen()
    first = store.start_plan(Plan("calm", TODAY - 10 * DAY, 7, change="Fewer runs"))
    second = store.start_plan(Plan("calm", TODAY - 2 * DAY, 14, change="Flat routes"))
    store = reopen(store)
    assert store.current_plan() == second
    assert ended(store, first.id) == TODAY - 3 * DAY  # the day before the new one
    assert ended(store, second.id) is None


def test_end_and_reopen_a_plan(reopen):
    store = reopen()
    plan = store.start_plan(Plan("calm", TODAY - 5 * DAY, 7))
    store.tick(plan.id, TODAY - 5 * DAY, "ease", True)
    store.end_plan(plan.id, TODAY)
    store = reopen(store)
    assert store.current_plan() is None
    assert ended(store, plan.id) == TODAY
    assert store.plan_ticks(plan.id) == {(TODAY - 5 * DAY, "ease")}  # kept with the ended plan
    store.reopen_plan(plan.id)
    store = reopen(store)
    assert store.current_plan() == plan
    assert ended(store, plan.id) is None


def test_a_plan_needs_at_least_a_day(reopen):
    store = reopen()
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        store.start_plan(Plan("calm", TODAY, 0))
    assert store.current_plan() is None


# -- ticks -----------------------------------------------------------------------------------


def test_ticks_survive_reopening(reopen):
    store = reopen()
    plan = store.start_plan(Plan("calm", TODAY - 2 * DAY, 7))
    store.tick(plan.id, TODAY - 2 * DAY, "ease", True)
    store.tick(plan.id, TODAY - 2 * DAY, "strength", True)
    store.tick(plan.id, TODAY, "recovery", True)
    store = reopen(store)
    assert store.plan_ticks(plan.id) == {
        (TODAY - 2 * DAY, "ease"),
        (TODAY - 2 * DAY, "strength"),
        (TODAY, "recovery"),
    }


def test_ticking_on_and_off_twice_is_the_same_as_once(reopen):
    store = reopen()
    plan = store.start_plan(Plan("calm", TODAY, 7))
    store.tick(plan.id, TODAY, "ease", True)
    store.tick(plan.id, TODAY, "ease", True)
    assert store.plan_ticks(plan.id) == {(TODAY, "ease")}
    assert tick_rows(store) == 1
    store.tick(plan.id, TODAY, "ease", False)
    store.tick(plan.id, TODAY, "ease", False)
    store.tick(plan.id, TODAY, "never_ticked", False)
    store = reopen(store)
    assert store.plan_ticks(plan.id) == set()
    assert tick_rows(store) == 0


def test_ticks_belong_to_their_plan(reopen):
    store = reopen()
    first = store.start_plan(Plan("calm", TODAY - 9 * DAY, 7))
    store.tick(first.id, TODAY - 9 * DAY, "ease", True)
    second = store.start_plan(Plan("tendon", TODAY, 84))
    store.tick(second.id, TODAY, "loading", True)
    store = reopen(store)
    assert store.plan_ticks(first.id) == {(TODAY - 9 * DAY, "ease")}
    assert store.plan_ticks(second.id) == {(TODAY, "loading")}


def test_deleting_a_plan_takes_its_ticks_with_it(reopen):
    store = reopen()
    gone = store.start_plan(Plan("calm", TODAY - 9 * DAY, 7))
    store.tick(gone.id, TODAY - 9 * DAY, "ease", True)
    store.tick(gone.id, TODAY - 8 * DAY, "ease", True)
    kept = store.start_plan(Plan("calm", TODAY, 7))
    store.tick(kept.id, TODAY, "strength", True)
    with store.db.atomic():
        store.db.execute("DELETE FROM plans WHERE id = ?", [gone.id])
    store = reopen(store)
    assert store.plan_ticks(gone.id) == set()
    assert tick_rows(store) == 1
    assert store.plan_ticks(kept.id) == {(TODAY, "strength")}


def test_a_tick_for_a_plan_that_does_not_exist_is_refused(reopen):
    store = reopen()
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        store.tick(12345, TODAY, "ease", True)
    assert tick_rows(store) == 0


def test_a_second_plan_the_same_day_never_ends_the_first_before_it_began(reopen):
    store = reopen()
    first = store.start_plan(Plan("calm", TODAY, 7, change="Flat routes"))
    second = store.start_plan(Plan("calm", TODAY, 14, change="Grass only"))
    assert ended(store, first.id) == TODAY
    assert reopen(store).current_plan() == second


def test_reopening_an_ended_plan_ends_the_one_started_since(reopen):
    store = reopen()
    first = store.start_plan(Plan("calm", TODAY - 5 * DAY, 7))
    store.end_plan(first.id, TODAY - DAY)
    second = store.start_plan(Plan("calm", TODAY, 7))
    store.reopen_plan(first.id)
    running = store.db.execute("SELECT id FROM plans WHERE ended IS NULL").fetchall()
    assert running == [(first.id,)]
    assert ended(store, second.id) == TODAY


# -- the summary's triage: as it stood at the end of its period ------------------------------

from factories import make_run  # noqa: E402


def sore_autumn(store: Store) -> None:
    """Steady 6 km runs from June, more and longer from 14 Sep, sore from 12 Oct on."""
    first = dt.date(2026, 6, 1)
    for i in range(0, 170, 2):
        day = first + i * DAY
        if day > TODAY:
            break
        sore = day >= dt.date(2026, 10, 12)
        km = 6.0 if day < dt.date(2026, 9, 14) else 9.0
        store.save_entry(
            make_run(
                started=dt.datetime.combine(day, dt.time(7)),
                distance_km=km,
                pain_start=1 if sore else 0,
                pain_middle=2 if sore else 0,
                pain_end=3 if sore else 0,
                marks=() if not sore else make_run().marks,
            ),
            today=TODAY,
        )


def test_a_plan_counts_for_the_periods_it_ran_in(reopen):
    store = reopen()
    plan = store.start_plan(Plan("calm", dt.date(2026, 10, 20), 14, change="Grass"))
    store.end_plan(plan.id, dt.date(2026, 11, 2))
    from kneelog.model import Period

    assert store.current_plan() is None
    assert store.plan_during(Period(dt.date(2026, 10, 1), dt.date(2026, 10, 25))).id == plan.id
    assert store.plan_during(Period(dt.date(2026, 11, 2), TODAY)).id == plan.id
    assert store.plan_during(Period(dt.date(2026, 11, 3), TODAY)) is None
    assert store.plan_during(Period(dt.date(2026, 9, 1), dt.date(2026, 10, 19))) is None


def test_the_summary_s_triage_speaks_of_its_own_period(reopen):
    from kneelog.model import Period

    store = reopen()
    sore_autumn(store)
    store.start_plan(Plan("calm", dt.date(2026, 11, 16), 14, pattern="volume"))
    now = summary_triage(store, Period(dt.date(2026, 10, 12), TODAY), TODAY)
    assert now.onset == dt.date(2026, 10, 13) and now.plan is not None  # the first run from 12 Oct
    assert [e.pattern for e in now.evidence if e.found] == ["volume"]
    # Six weeks in the summer, before the pain: nothing to explain, no plan.
    summer = summary_triage(store, Period(dt.date(2026, 7, 6), dt.date(2026, 8, 16)), TODAY)
    assert summer.onset is None and summer.plan is None
    assert not any(e.found for e in summer.evidence)
