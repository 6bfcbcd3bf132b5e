"""The open journal: its Store, its undo stack and the entries the views need, in one place.

Every write goes through the session (entries, shoes, settings, triage answers, plans and
ticks, undo and redo, imports) and is followed by one changed(ChangeSet) naming what it
reached; a change another program made to the journal is found (PRAGMA data_version) and told
the same way. Views update only what the change reaches.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from ..changes import ChangeSet, between
from ..model import Entry, Kind, Period, Settings, Shoe, ShoeUse
from ..store import EntryChanged, JournalError, Store

if TYPE_CHECKING:
    from ..triage import Answers, Plan, Triage

log = logging.getLogger(__name__)

WATCH_MS = 400  # how often the session looks for changes another kneelog made to the journal


def _newest_first(entry: Entry) -> tuple[dt.datetime, int]:
    """The journal's order, reversed: Store.entries lists by start, then id, newest first."""
    return entry.started, entry.id or 0


class EntryChange(QUndoCommand):
    """One version of an entry turned into another (None: no entry), already written; undo
    turns it back, redo turns it forward again.

    Each step writes only over the version the step before it wrote, and a deleted entry comes
    back under its own id (never reused), so nothing else is touched. When the entry was changed
    elsewhere meanwhile (another window, another kneelog), the step is dropped and the session
    says so; the journal keeps the newer version.
    """

    def __init__(
        self, session: JournalSession, before: Entry | None, after: Entry | None, text: str
    ):
        super().__init__(text)
        self._session, self._before, self._after = session, before, after
        self._written = True  # pushed after the change was made: the first redo has nothing to do

    def redo(self) -> None:
        if self._written:
            self._written = False
            return
        self._after = self._put(self._before, self._after)

    def undo(self) -> None:
        self._before = self._put(self._after, self._before)

    def _put(self, current: Entry | None, target: Entry | None) -> Entry | None:
        try:
            return self._session.put_entry(current, target)
        except JournalError as error:  # EntryChanged, or the journal could not be written
            self.setObsolete(True)  # QUndoStack drops the step: it was not made
            self._session.refuse_step(error)
            return target


class Reversible(QUndoCommand):
    """A change already made, with the call that takes it back and the one that makes it again."""

    def __init__(self, text: str, undo: Callable[[], None], redo: Callable[[], None]):
        super().__init__(text)
        self._undo, self._redo = undo, redo
        self._applied = True  # pushed after the change was made: the first redo has nothing to do

    def redo(self) -> None:
        if not self._applied:
            self._redo()
        self._applied = False

    def undo(self) -> None:
        self._undo()


class JournalSession(QObject):
    """Signals: changed(ChangeSet) after every write, undo, redo, import, journal switch and
    change found from elsewhere; step_refused(str) with the reason an undo or redo was not made.

    Writes raise what the Store raises (InvalidEntry, EntryChanged, JournalError) and change
    nothing then; the caller tells the runner.
    """

    changed = Signal(object)
    step_refused = Signal(str)

    def __init__(
        self,
        store: Store,
        clock: Callable[[], dt.datetime] = dt.datetime.now,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self._clock = clock
        self.undo_stack = QUndoStack(self)
        self.importing = False  # the window's import is writing through its own connection
        self._watch = QTimer(self)
        self._watch.setInterval(WATCH_MS)
        self._watch.timeout.connect(self._on_watch_timeout)
        self._use(store)

    def _use(self, store: Store) -> None:
        self.store = store
        self.settings: Settings = store.settings()
        self._entries: dict[int, Entry] | None = None  # every entry, read when first needed
        # What the triage reads, kept until a change reaches it: the entries of its lookback
        # (by the day it was read for), the shoes and their use, the answers and the plan.
        self._recent: tuple[dt.date, dict[int, Entry]] | None = None
        self._shoes: list[Shoe] | None = None
        self._shoe_use: dict[int, ShoeUse] | None = None
        self._triage_state: tuple[Answers, Plan | None, set[tuple[dt.date, str]]] | None = None
        # Another kneelog (`kneelog import`, a second window) may write to the journal: what it
        # wrote shows here within a second. data_version is one read of shared memory.
        self._data_version = store.data_version()
        self._watch.start()

    # -- reading -------------------------------------------------------------------------

    @property
    def path(self):
        return self.store.path

    def now(self) -> dt.datetime:
        return self._clock()

    def today(self) -> dt.date:
        return self._clock().date()

    def entries(self) -> dict[int, Entry]:
        """Every entry by id, read once and then kept in step with every write (the charts,
        the summary and the shoes' mileage need them all). Not to be changed by the caller."""
        if self._entries is None:
            self._entries = {e.id: e for e in self.store.entries() if e.id is not None}
        return self._entries

    def entries_in(self, period: Period, kinds: Iterable[Kind] | None = None) -> list[Entry]:
        """The entries of a period (of these kinds), newest first: from the session's copy
        once it holds every entry (a save's frame then reads nothing from the disk, and the
        history keeps the texts of the entries it showed before), else from the journal."""
        if self._entries is None:
            return self.store.entries(period, kinds=kinds)
        wanted = None if kinds is None else frozenset(Kind(k) for k in kinds)
        found = [
            e
            for e in self._entries.values()
            if e.day in period and (wanted is None or e.kind in wanted)
        ]
        found.sort(key=_newest_first, reverse=True)
        return found

    def entry(self, entry_id: int) -> Entry:
        """KeyError when the journal no longer holds it."""
        return self.store.entry(entry_id)

    def latest(self) -> Entry | None:
        return self.store.latest()

    def count(self) -> int:
        return self.store.count()

    def shoes(self) -> list[Shoe]:
        if self._shoes is None:
            self._shoes = self.store.shoes()
        return self._shoes

    def awaiting_next_morning(self) -> Entry | None:
        return self.store.awaiting_next_morning(self._clock())

    def current_plan(self) -> Plan | None:
        return self.store.current_plan()

    def shoe_use(self) -> dict[int, ShoeUse]:
        """metrics.shoe_use of the whole journal, kept until an entry with shoes changes: from
        the session's copy of the entries when it holds them (no reading from the disk in a
        save's frame), else from the journal."""
        if self._shoe_use is None:
            from .. import metrics

            self._shoe_use = (
                self.store.shoe_use()
                if self._entries is None
                else metrics.shoe_use(self._entries.values())
            )
        return self._shoe_use

    def triage(self) -> Triage:
        """What the triage panel shows today. After a save only what the save reached is read
        again: the entries of the lookback are kept in step with each write, and the shoes,
        answers and plan are read again only when a change names them."""
        from ..triage import LOOKBACK_DAYS, assess

        today = self.today()
        if self._recent is None or self._recent[0] != today:
            first = today - dt.timedelta(days=LOOKBACK_DAYS)
            self._recent = (
                today,
                {e.id: e for e in self.store.entries(Period(first, today)) if e.id is not None},
            )
        if self._triage_state is None:
            plan = self.store.current_plan()
            ticks = self.store.plan_ticks(plan.id) if plan and plan.id is not None else set()
            self._triage_state = (self.store.triage_answers(), plan, ticks)
        answers, plan, ticks = self._triage_state
        return assess(
            self._recent[1].values(),
            self.shoes(),
            answers,
            today,
            plan,
            ticks,
            self.settings.units,
            shoe_use=self.shoe_use(),
        )

    def summary_triage(self, period: Period) -> Triage:
        from ..triage import summary_triage

        return summary_triage(self.store, period, self.today())

    # -- entries -------------------------------------------------------------------------

    def save(self, before: Entry | None, entry: Entry, text: str) -> Entry:
        """Save `entry` over `before` (None: a new entry), as one step to undo called `text`."""
        saved = self._write(before, entry)
        assert saved is not None  # a save writes an entry
        self.undo_stack.push(EntryChange(self, before, saved, text))
        return saved

    def delete(self, entry: Entry, text: str) -> None:
        """Delete the version of `entry` given, and only that one (EntryChanged if the journal
        holds another)."""
        self._write(entry, None)
        self.undo_stack.push(EntryChange(self, entry, None, text))

    def put_entry(self, current: Entry | None, target: Entry | None) -> Entry | None:
        """Make the journal hold `target` where it held `current` (undo and redo); return it as
        written. EntryChanged when the journal no longer holds `current`."""
        return self._write(current, target, today=max(self.today(), target.day) if target else None)

    def refuse_step(self, error: JournalError) -> None:
        """An undo or redo that was not made: show the journal as it is, and say why."""
        self.reload()
        if isinstance(error, EntryChanged):
            message = (
                "Undo and redo left the entry as it is: it was changed or deleted elsewhere "
                "(in another kneelog window, or by another program) after that step."
            )
        else:
            message = str(error)
        self.step_refused.emit(message)

    def _write(
        self, current: Entry | None, target: Entry | None, today: dt.date | None = None
    ) -> Entry | None:
        """The one place entries change: the journal first, then the session's copies of it.

        `current` is the version the change was made from: the journal must still hold it
        (else EntryChanged and nothing is written). Without a current version, a target with
        an id is an entry deleted before, put back under its id (undo); else a new entry.
        """
        today = today or self.today()
        if target is None:
            assert current is not None and current.id is not None  # a delete of a saved entry
            self.store.delete_entry(current.id, version=current.version)
            written = None
        elif current is None and target.id is not None:
            written = self.store.restore_entry(target, today=today)
        else:
            if current is not None:
                target = target.with_(id=current.id, version=current.version)
            written = self.store.save_entry(target, today=today)
        self._keep_in_step(current, written)
        self._emit(ChangeSet.of_entries(current, written))
        return written

    def _keep_in_step(self, before: Entry | None, after: Entry | None) -> None:
        for copy in (self._entries, self._recent[1] if self._recent else None):
            if copy is not None and before is not None:
                copy.pop(before.id, None)  # type: ignore[arg-type]
        if after is not None and after.id is not None:
            if self._entries is not None:
                self._entries[after.id] = after
            if self._recent is not None:
                from ..triage import LOOKBACK_DAYS

                today = self._recent[0]
                if today - dt.timedelta(days=LOOKBACK_DAYS) <= after.day <= today:
                    self._recent[1][after.id] = after
        shoes = {e.shoe_id for e in (before, after) if e is not None and e.shoe_id is not None}
        if shoes and self._shoe_use is not None:
            if self._entries is None:
                self._shoe_use = None
            else:  # only the pairs the change reached are summed again
                from .. import metrics

                again = metrics.shoe_use(e for e in self._entries.values() if e.shoe_id in shoes)
                kept = {k: v for k, v in self._shoe_use.items() if k not in shoes}
                self._shoe_use = kept | again

    def rate_next_morning(self, run: Entry, value: int) -> Entry:
        """The next-morning pain of `run`, as one step to undo."""
        return self.save(run, run.with_(pain_next_morning=value), "next-morning pain")

    def dismiss_next_morning(self, run: Entry) -> None:
        assert run.id is not None
        self.store.dismiss_next_morning(run.id)

    # -- shoes and settings --------------------------------------------------------------

    def save_shoe(self, shoe: Shoe) -> Shoe:
        saved = self.store.save_shoe(shoe)
        self._shoes = None
        self._emit(ChangeSet(shoes=True))
        return saved

    def change_shoe(self, before: Shoe, after: Shoe) -> None:
        """A pair renamed, its limit changed, retired or brought back, as one step to undo."""
        self.save_shoe(after)
        self.undo_stack.push(
            Reversible(
                f"change to {before.name}",
                undo=lambda: self._put_shoe(before),
                redo=lambda: self._put_shoe(after),
            )
        )

    def _put_shoe(self, shoe: Shoe) -> None:
        """Undo and redo of a change to a pair: a write refused then is said, as for entries."""
        try:
            self.save_shoe(shoe)
        except JournalError as error:
            self.resync()
            self.step_refused.emit(f"Not saved: the change to your shoes. {error}")

    def get_value(self, key: str, default: str) -> str:
        """A value the journal keeps for kneelog (the runner's last answer to a question)."""
        return self.store.get_value(key, default)

    def set_value(self, key: str, value: str) -> None:
        """Keep a value in the journal; no view shows it, so no change is told."""
        self.store.set_value(key, value)

    def save_settings(self, settings: Settings) -> None:
        self.store.save_settings(settings)
        self.settings = settings
        self._emit(ChangeSet(settings=True))

    # -- the triage panel's state --------------------------------------------------------

    def answer_triage(self, question: str, yes: bool) -> None:
        self.store.answer_triage(question, yes, self.today())
        self._triage_changed()

    def confirm_assessed(self) -> None:
        self.store.confirm_assessed(self.today())
        self._triage_changed()

    def start_plan(self, kind: str, days: int, change: str, pattern: str | None) -> None:
        from ..triage import Plan

        self.store.start_plan(
            Plan(kind=kind, started=self.today(), days=days, change=change, pattern=pattern)
        )
        self._triage_changed()

    def end_plan(self) -> None:
        """End the current plan, as one step to undo."""
        plan = self.store.current_plan()
        assert plan is not None and plan.id is not None  # the panel offers it with a plan only
        plan_id = plan.id

        def end() -> None:
            self.store.end_plan(plan_id, self.today())
            self._triage_changed()

        def reopen() -> None:
            self.store.reopen_plan(plan_id)
            self._triage_changed()

        end()
        self.undo_stack.push(Reversible("end the plan", undo=reopen, redo=end))

    def tick(self, step: str, done: bool) -> None:
        plan = self.store.current_plan()
        assert plan is not None and plan.id is not None  # the panel offers ticks with a plan only
        self.store.tick(plan.id, self.today(), step, done)
        self._triage_changed()

    def _triage_changed(self) -> None:
        self._triage_state = None
        self._emit(ChangeSet(triage=True))

    # -- the journal as a whole ----------------------------------------------------------

    def resync(self) -> None:
        """A write was refused: tell every view to show the journal as it is (a box the runner
        ticked must show the journal's state again)."""
        self._shoes = self._shoe_use = self._triage_state = None
        self._emit(ChangeSet(shoes=True, triage=True, redraw=True))

    def open(self, store: Store) -> None:
        """Show another journal (opened elsewhere, restored from a backup). The caller closes
        the journal shown before. Undo stops at the switch: its steps belong to the other file."""
        self.undo_stack.clear()
        self._use(store)
        self._emit(ChangeSet.everything())

    def reload(self) -> None:
        """Read the journal again: another connection (an import, another kneelog) wrote to it.
        Entries, shoes, settings and the triage state may all have changed; what did is told."""
        self._data_version = self.store.data_version()  # what is read now is up to date
        before = self._entries
        self._entries = self._recent = None
        self._shoes = self._shoe_use = self._triage_state = None
        settings = self.store.settings()
        moved = settings != self.settings
        self.settings = settings
        if before is None:  # nothing to compare with: every view reads what it shows again
            change = ChangeSet(shoes=True, triage=True, settings=moved, journal=True)
        else:
            change = between(before, self.entries()) | ChangeSet(
                shoes=True, triage=True, settings=moved
            )
        self._emit(change)

    def _on_watch_timeout(self) -> None:
        if self.importing:
            # An import's batches would redraw everything each second; it ends with a reload,
            # and the next look after it catches up.
            return
        try:
            version = self.store.data_version()
        except sqlite3.ProgrammingError:  # the journal was closed under the session (shutting down)
            self._watch.stop()
            return
        if version != self._data_version:
            self._data_version = version
            self.reload()

    def prepare_writes(self) -> None:
        """Load what writing needs (sqlite-utils) while the runner reads the window."""
        self.store.prepare_writes()

    def stop_watching(self) -> None:
        self._watch.stop()

    def _emit(self, change: ChangeSet) -> None:
        if change:
            self.changed.emit(change)


def describe(entry: Entry, units) -> str:
    """An entry in a few words, for the status bar and the undo steps."""
    from ..content import label
    from ..units import format_distance

    what = label("kind", entry.kind).lower()
    if entry.kind is Kind.RUN and entry.distance_km:
        what = f"{format_distance(entry.distance_km, units)} run"
    return f"{what} of {entry.started:%a %d %b}"
