"""A whole Strava or Garmin export into the journal: parsed on every core, written by one
writer. No Qt.

The activity files are read from the export one after another here (zip members are cheap
to read) and handed to worker processes, one per core, which unpack and parse them (the
slow part); their activities come back in the export's order and are written here in
batches, one transaction per batch. A batch is all or nothing, and so each activity: an
import stopped (cancelled, killed, the power gone) keeps every batch written before, and
importing the same export again skips what is in and goes on with the rest.

An activity is not written twice. Before it is, the journal (the batch being written
included) is searched for the same activity:
- the same file (by the sha256 of its content: the export imported before);
- an activity that started in the same minute (the single-file import's rule);
- an activity of the same kind that started within 15 minutes and is as long within 5%
  (or 200 m): the same run from Strava and from Garmin Connect, whose files differ;
- a run logged by hand on the same day and as long within 5% (or 200 m): a hand-logged
  run's start time is often a guess, its distance rarely.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import multiprocessing
import os
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path

from .importers import Activity, ImportRejected, NotAnActivity, read_bytes
from .importers.activity import local_time
from .importers.archive import Export, Member, unpacked
from .importers.export_meta import HandEntry, Meta, gear_key
from .journal_file import JournalError
from .model import Entry, InvalidEntry, Kind, Period, Shoe
from .store import Store

NEAR = dt.timedelta(minutes=15)
SAME_LENGTH = 0.05
SAME_LENGTH_KM = 0.2
BATCH_MEMBERS = 50  # written in one transaction, or sooner:
BATCH_SECONDS = 0.5
PARSERS = ("kneelog.importers.fit", "kneelog.importers.gpx", "kneelog.importers.tcx")
IN_PROCESS_UP_TO = 12  # a small export is parsed here: starting workers would take longer


@dataclass(frozen=True)
class Parsed:
    """A worker's answer for one member: its activities, or why there are none."""

    source: str = ""  # sha256 of the unpacked content
    activities: tuple[Activity, ...] = ()
    rejected: str = ""
    not_activity: bool = False


def parse(name: str, raw: bytes, zone: dt.tzinfo | None) -> Parsed:
    """In a worker process: unpack a member and read it. Never raises."""
    try:
        data = unpacked(name, raw)
        source = hashlib.sha256(data).hexdigest()
        return Parsed(source, tuple(read_bytes(data, zone)))
    except NotAnActivity as error:
        return Parsed(rejected=error.reason, not_activity=True)
    except ImportRejected as error:
        return Parsed(rejected=error.reason)
    except Exception:  # the last guard: one bad member never stops the rest
        return Parsed(rejected="it is damaged and cannot be read")


def by_hand(entry: HandEntry, zone: dt.tzinfo | None) -> Parsed:
    """An activity entered by hand on Strava, as its row describes it (no file to parse). Its
    source is who it is on Strava, so a second import of the export finds it in the journal as
    it finds a file imported before."""
    if entry.problem or entry.started is None:
        return Parsed(rejected=entry.problem or "its date cannot be read")
    try:
        started = local_time(entry.started, zone)
    except ImportRejected as error:
        return Parsed(rejected=error.reason)
    activity = Activity(
        started,
        sport=entry.sport,
        distance_km=entry.distance_km,
        elapsed_s=entry.elapsed_s,
        moving_s=entry.moving_s,
    )
    return Parsed(hashlib.sha256(entry.key.encode()).hexdigest(), (activity,))


def _warm_up(parent: int, gentle: bool) -> None:
    """In each worker as it starts: the parsing libraries, once, and a watch on the importing
    process. A worker waits for work on a pipe that it holds open itself, so it would never
    learn that kneelog was killed: it would wait for ever, holding kneelog's output open."""
    for parser in PARSERS:
        __import__(parser)
    if gentle and hasattr(os, "nice"):
        os.nice(5)  # the window, on the same cores, goes first
    if os.name == "posix":  # elsewhere os.kill(pid, 0) would end the process it asks about
        threading.Thread(target=_end_with, args=(parent,), daemon=True).start()


def _end_with(parent: int) -> None:
    while True:
        time.sleep(0.5)
        try:
            os.kill(parent, 0)
        except ProcessLookupError:
            os._exit(0)
        except OSError:  # there, but not ours to signal: it is alive
            pass


def _pool(workers: int, gentle: bool = False) -> ProcessPoolExecutor:
    """Worker processes for parsing. As with any multiprocessing, the main script must start
    kneelog under `if __name__ == "__main__":` (kneelog's own entry points do): a worker
    loads the main script, and would otherwise run it. Should the workers fail anyway, the
    import goes on in this process."""
    # Fork would copy the parent's threads' locks (the window's, sqlite's) mid-use; a fork
    # server starts workers from a clean process, and spawn does where there is none.
    if sys.platform.startswith("linux"):
        context = multiprocessing.get_context("forkserver")
        # The fork server loads the parsers once, and each worker is a fork of it; it would
        # otherwise load the main script, which is the one running this import.
        context.set_forkserver_preload([__name__, *PARSERS])
    else:
        context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(
        workers,
        mp_context=context,
        initializer=_warm_up,
        initargs=(os.getpid(), gentle),
    )


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


Outcome = str  # importing.Outcome's values: this module hands back plain results
Done = Callable[[Member, str, str, tuple[Entry, ...]], None]  # member, outcome, message, entries


class Writer:
    """Writes parsed members into the journal in batches; reports each member once its batch
    is committed (so what is said imported is there)."""

    def __init__(
        self,
        store: Store,
        export: Export,
        done: Done,
        *,
        cross_training: bool,
        zone: dt.tzinfo | None,
        today: dt.date | None,
    ):
        self.store = store
        self.export = export
        self.done = done
        self.cross_training = cross_training
        self.today = today
        self.by_start = {
            local_time(dt.datetime.fromtimestamp(s, dt.UTC), zone).replace(second=0): meta
            for s, meta in export.by_start.items()
        }
        self._shoes = {gear_key(s.name): s.id for s in store.shoes()}
        self._pending: list[tuple[Member, Parsed]] = []
        self._since = time.monotonic()

    def add(self, member: Member, parsed: Parsed) -> None:
        self._pending.append((member, parsed))
        if len(self._pending) >= BATCH_MEMBERS or time.monotonic() - self._since >= BATCH_SECONDS:
            self.flush()

    def flush(self) -> None:
        pending, self._pending = self._pending, []
        self._since = time.monotonic()
        if not pending:
            return
        said: list[tuple[Member, str, str, tuple[Entry, ...]]] = []
        try:
            with self.store.writing():
                for member, parsed in pending:
                    said.append((member, *self._write(member, parsed)))
        except (JournalError, OSError) as error:
            self._shoes = {gear_key(s.name): s.id for s in self.store.shoes()}
            said = [(m, "rejected", str(error), ()) for m, _ in pending]
        except Exception as error:  # sqlite3 errors: the disk full, the file taken away
            self._shoes = {gear_key(s.name): s.id for s in self.store.shoes()}
            said = [
                (m, "rejected", f"the journal could not be written ({error})", ())
                for m, _ in pending
            ]
        for item in said:
            self.done(*item)

    def add_shoes(self) -> None:
        """The pairs of shoes.csv that no imported run named: the runner has them too."""
        missing = [s for s in self.export.shoes if gear_key(s.name) not in self._shoes]
        if missing:
            with self.store.writing():
                for row in missing:
                    if gear_key(row.name) not in self._shoes:
                        saved = self.store.save_shoe(Shoe(row.name))
                        self._shoes[gear_key(row.name)] = saved.id

    def _write(self, member: Member, parsed: Parsed) -> tuple[str, str, tuple[Entry, ...]]:
        from .importing import describe, sport_label, to_entry

        if parsed.not_activity:
            return "not an activity", parsed.rejected, ()
        if parsed.rejected:
            return "rejected", parsed.rejected, ()
        if not parsed.activities:
            return "rejected", "it holds no activity", ()
        if self.store.has_source(parsed.source):
            return "duplicate", "already in your journal (imported before)", ()
        activities = [self._with_meta(a, member.meta) for a in parsed.activities]
        if not self.cross_training:
            others = [a for a in activities if not a.is_run]
            activities = [a for a in activities if a.is_run]
            if not activities:
                sports = ", ".join(dict.fromkeys(sport_label(a.sport).lower() for a in others))
                return "not a run", f"{sports}, not a run", ()
        entries = []
        for activity in activities:
            meta = member.meta if member.meta != Meta() else self._garmin(activity)
            try:
                entry = to_entry(activity, parsed.source)
            except ImportRejected as error:
                return "rejected", error.reason, ()
            twin = self._twin(entry)
            if twin is not None:
                how = "logged by hand" if twin.source_hash is None else "imported"
                return (
                    "duplicate",
                    f"the same {'run' if entry.kind is Kind.RUN else 'activity'} is in your "
                    f"journal already ({describe(twin)}, {how})",
                    (),
                )
            entries.append(self._add_meta(entry, meta))
        try:
            saved = self.store.save_entries(entries, today=self.today)
        except InvalidEntry as error:
            return "rejected", f"it holds a value kneelog cannot store: {error.message}", ()
        units = self.store.settings().units
        return "imported", "; ".join(describe(e, units) for e in saved), tuple(saved)

    def _garmin(self, activity: Activity) -> Meta:
        return self.by_start.get(activity.started.replace(second=0), Meta())

    def _with_meta(self, activity: Activity, meta: Meta) -> Activity:
        """The export's word for the sport wins over the file's: a GPX often says nothing, or
        a number only its app knows, and the runner may have corrected it on the site."""
        meta = meta if meta != Meta() else self._garmin(activity)
        if meta.sport and meta.sport != activity.sport:
            cadence = activity.cadence_spm if meta.sport == "running" else None
            return replace(activity, sport=meta.sport, cadence_spm=cadence)
        return activity

    def _add_meta(self, entry: Entry, meta: Meta) -> Entry:
        changes: dict[str, object] = {}
        if meta.note:
            changes["notes"] = meta.note
        if meta.rpe is not None:
            changes["rpe"] = meta.rpe
        if meta.gear and entry.kind is Kind.RUN:
            changes["shoe_id"] = self._shoe(meta.gear)
        return entry.with_(**changes) if changes else entry

    def _shoe(self, name: str) -> int | None:
        key = gear_key(name)
        if key not in self._shoes:
            self._shoes[key] = self.store.save_shoe(Shoe(name.strip()[:80])).id
        return self._shoes[key]

    def _twin(self, entry: Entry) -> Entry | None:
        """The same activity in the journal (this batch included), by the rules above."""
        same = self.store.entry_started_at(entry.started)
        if same is not None:
            return same
        day = entry.started.date()
        near = self.store.entries(
            Period(day - dt.timedelta(days=1), day + dt.timedelta(days=1)),
            kinds=(Kind.RUN, Kind.CROSS),
        )
        for other in near:
            if other.kind is not entry.kind or not _same_length(other, entry):
                continue
            if abs(other.started - entry.started) <= NEAR:
                return other
            if other.kind is Kind.RUN and other.source_hash is None and other.day == day:
                return other
        return None


def _same_length(a: Entry, b: Entry) -> bool:
    if a.distance_km is None or b.distance_km is None:
        return a.distance_km is None and b.distance_km is None
    gap = abs(a.distance_km - b.distance_km)
    return gap <= SAME_LENGTH_KM or gap <= SAME_LENGTH * max(a.distance_km, b.distance_km)


def parsed_members(
    export: Export,
    zone: dt.tzinfo | None,
    workers: int | None,
    cancelled: Callable[[], bool],
    gentle: bool = False,
) -> Iterator[tuple[Member, Parsed]]:
    """Each member with what its file holds, in the export's order, parsed by `workers`
    processes (None: one per core; 0: here) at a lower priority when `gentle` (a window shares
    the cores). Stops early when `cancelled()` says so."""
    members = export.members
    if workers is None:
        workers = cores() if len(members) > IN_PROCESS_UP_TO else 0
    if workers <= 0:
        for member in members:
            if cancelled():
                return
            if member.by_hand is not None:
                yield member, by_hand(member.by_hand, zone)
            else:
                yield member, _read_and_parse(export, member, zone)
        return
    pool = _pool(workers, gentle)
    window: deque[tuple[Member, Future[Parsed] | Parsed]] = deque()
    ahead = 4 * workers  # in flight: enough to keep every worker busy, little memory
    try:
        queue = iter(members)
        for member in queue:
            if cancelled():
                return
            if member.by_hand is not None:
                window.append((member, by_hand(member.by_hand, zone)))
            else:
                try:
                    raw = export.read(member)
                except ImportRejected as error:
                    window.append((member, Parsed(rejected=error.reason)))
                else:
                    try:
                        window.append((member, pool.submit(parse, member.name, raw, zone)))
                    except BrokenProcessPool:  # the workers could not start, or died: here
                        window.append((member, parse(member.name, raw, zone)))
                    del raw
            while len(window) >= ahead or (window and _ready(window[0][1])):
                yield _take(window)
                if cancelled():
                    return
        while window:
            if cancelled():
                return
            yield _take(window)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _ready(item: Future[Parsed] | Parsed) -> bool:
    return not isinstance(item, Future) or item.done()


def _take(window: deque[tuple[Member, Future[Parsed] | Parsed]]) -> tuple[Member, Parsed]:
    member, item = window.popleft()
    if isinstance(item, Parsed):
        return member, item
    try:
        return member, item.result()
    except Exception:  # a worker gone (killed, out of memory): this member failed, not all
        return member, Parsed(rejected="it could not be read (the reading process stopped)")


def _read_and_parse(export: Export, member: Member, zone: dt.tzinfo | None) -> Parsed:
    try:
        raw = export.read(member)
    except ImportRejected as error:
        return Parsed(rejected=error.reason)
    return parse(member.name, raw, zone)


def import_export(
    store: Store,
    export: Export,
    done: Done,
    *,
    cross_training: bool = False,
    zone: dt.tzinfo | None = None,
    today: dt.date | None = None,
    cancelled: Callable[[], bool] = lambda: False,
    workers: int | None = None,
    gentle: bool = False,
) -> bool:
    """Every activity of the export into the journal; done(member, outcome, message, entries)
    for each member once it is settled. False when it was cancelled before the end."""
    for name in export.missing:
        done(
            Member(name),
            "rejected",
            "activities.csv lists it but it is not in the export (download the export again)",
            (),
        )
    writer = Writer(store, export, done, cross_training=cross_training, zone=zone, today=today)
    finished = True
    try:
        for member, parsed in parsed_members(export, zone, workers, cancelled, gentle):
            writer.add(member, parsed)
        finished = not cancelled()
    finally:
        writer.flush()
    if finished:
        writer.add_shoes()
    return finished


def export_path(export: Export, member: Member) -> Path:
    """Where the runner finds the member: the export's path, then the path inside it."""
    return Path(export.path) / member.name
