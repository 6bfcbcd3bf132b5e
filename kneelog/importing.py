"""Importing watch files into the journal: files in, one result per file out. No Qt.

Each file is all or nothing: its activities are written in one transaction, or, when anything
about it is wrong, nothing is written and the result says why. A file seen before (the same
bytes) or an activity already in the journal (a run that started in the same minute) is
skipped, and the result says so. The work can run on a worker thread, with a Store opened on
that thread, and be cancelled between files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from . import backups
from .importers import SUFFIXES, Activity, ImportRejected, load, read_bytes
from .journal_file import JournalError
from .model import Entry, InvalidEntry, Kind, Surface, Units
from .store import Store
from .units import format_distance, plural

if TYPE_CHECKING:
    from .importers.archive import Export, Member

log = logging.getLogger(__name__)

SURFACES = {
    "treadmill": Surface.TREADMILL,
    "indoor_running": Surface.TREADMILL,
    "indoor": Surface.TREADMILL,
    "trail": Surface.TRAIL,
    "track": Surface.TRACK,
}


class Outcome(StrEnum):
    IMPORTED = "imported"
    DUPLICATE = "duplicate"  # already in the journal
    NOT_A_RUN = "not a run"  # another sport, and cross-training was not asked for
    NOT_ACTIVITY = "not an activity"  # in an export: watch settings, daily monitoring, ...
    REJECTED = "rejected"  # a bad file: nothing of it was written


@dataclass(frozen=True)
class FileResult:
    path: Path
    outcome: Outcome
    message: str  # what happened, in words: "6.0 km run on Sat 14 Jun 2025 09:05"
    entries: tuple[Entry, ...] = ()
    sports: tuple[str, ...] = ()  # NOT_A_RUN: the sports it holds
    export: Path | None = None  # the export (zip or folder) that holds it, if one does


@dataclass
class ImportReport:
    results: list[FileResult] = field(default_factory=list)
    cancelled: bool = False

    def of(self, outcome: Outcome) -> list[FileResult]:
        return [r for r in self.results if r.outcome is outcome]

    @property
    def entries(self) -> list[Entry]:
        return [e for r in self.results for e in r.entries]

    def summary(self) -> str:
        """One sentence: "2 runs imported, 1 file already in your journal, 1 file rejected."."""
        imported = self.entries
        runs = sum(e.kind is Kind.RUN for e in imported)
        parts = [] if imported else ["nothing imported"]
        if runs:
            parts.append(plural(runs, "run") + " imported")
        if len(imported) > runs:
            parts.append(plural(len(imported) - runs, "cross-training session") + " imported")
        for outcome, one, many in (
            (Outcome.DUPLICATE, "already in your journal", "already in your journal"),
            (Outcome.NOT_A_RUN, "not a run (skipped)", "not runs (skipped)"),
            (Outcome.NOT_ACTIVITY, "not an activity (skipped)", "not activities (skipped)"),
            (Outcome.REJECTED, "could not be imported", "could not be imported"),
        ):
            if found := self.of(outcome):
                words = one if len(found) == 1 else many
                # What an export holds are activities, some entered by hand with no file;
                # a file that holds no activity is a file.
                from_exports = all(r.export is not None for r in found)
                nouns = (
                    ("activity", "activities")
                    if from_exports and outcome is not Outcome.NOT_ACTIVITY
                    else ("file", "files")
                )
                parts.append(f"{plural(len(found), *nouns)} {words}")
        text = ", ".join(parts) + "."
        return text[0].upper() + text[1:] + (" Cancelled before the end." if self.cancelled else "")


def find_files(paths: Iterable[str | os.PathLike[str]]) -> tuple[list[Path], list[FileResult]]:
    """The files to import: files as given, folders searched (with their sub-folders) for
    GPX, TCX and FIT files, in name order, each file once. A zip, or a folder laid out as a
    Strava or Garmin export, is one item: the export. Paths that give nothing come back as
    rejections."""
    from .importers.archive import is_export

    found: list[Path] = []
    problems: list[FileResult] = []
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if is_export(path) and path.exists():
            candidates = [path]
        elif path.is_dir():
            # Hidden files are skipped: macOS leaves a "._run.fit" beside every file it copies.
            inside = sorted(
                (
                    p
                    for p in path.rglob("*")
                    if p.suffix.lower() in SUFFIXES and not p.name.startswith(".") and p.is_file()
                ),
                key=lambda p: str(p).lower(),
            )
            if not inside:
                problems.append(
                    FileResult(
                        path, Outcome.REJECTED, "there are no GPX, TCX or FIT files in this folder"
                    )
                )
            candidates = inside
        elif path.exists():
            candidates = [path]
        else:
            problems.append(FileResult(path, Outcome.REJECTED, "there is no such file or folder"))
            candidates = []
        for candidate in candidates:
            key = candidate.resolve()
            if key not in seen:
                seen.add(key)
                found.append(candidate)
    return found, problems


def import_files(
    store: Store,
    paths: Iterable[str | os.PathLike[str]],
    *,
    cross_training: bool = False,
    zone: dt.tzinfo | None = None,
    today: dt.date | None = None,
    progress: Callable[[int, int, FileResult], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    workers: int | None = None,
    gentle: bool = False,
) -> ImportReport:
    """Import every file (folders searched, exports opened); `progress(done, total, result)`
    after each file (an export's files counted one by one).

    cross_training: import activities other than runs as cross-training (otherwise they are
    reported as NOT_A_RUN). zone: the runner's time zone (None: this computer's).
    workers: processes that parse an export's files (None: one per core; 0: none); gentle:
    at a lower priority than this process (the window's import: the window goes first).
    """
    from .importers.archive import ArchiveRefused, is_export, open_export

    files, problems = find_files(paths)
    report = ImportReport(results=list(problems))
    items: list[Path | Export] = []
    for path in files:
        if not is_export(path):
            items.append(path)
            continue
        try:
            items.append(open_export(path))
        except ArchiveRefused as error:
            report.results.append(FileResult(path, Outcome.REJECTED, error.reason))
    total = sum(1 if isinstance(i, Path) else len(i.members) + len(i.missing) for i in items)
    done = 0
    stop = cancelled or (lambda: False)

    def settled(result: FileResult) -> None:
        nonlocal done
        done += 1
        report.results.append(result)
        if progress is not None:
            progress(done, total, result)

    try:
        if items and store.count():
            try:
                backups.before_import(store.conn, store.path)
            except backups.BackupFailed as error:  # each file goes in whole or not at all anyway
                log.warning("No backup before the import: %s", error)
        for item in items:
            if stop():
                report.cancelled = True
                break
            if isinstance(item, Path):
                settled(
                    import_file(store, item, cross_training=cross_training, zone=zone, today=today)
                )
            elif not _import_export(
                store, item, settled, cross_training, zone, today, stop, workers, gentle
            ):
                report.cancelled = True
                break
    finally:
        for item in items:
            if not isinstance(item, Path):
                item.close()
    return report


def _import_export(
    store: Store,
    export: Export,
    settled: Callable[[FileResult], None],
    cross_training: bool,
    zone: dt.tzinfo | None,
    today: dt.date | None,
    cancelled: Callable[[], bool],
    workers: int | None,
    gentle: bool,
) -> bool:
    from .archive_import import export_path, import_export

    def done(member: Member, outcome: str, message: str, entries: tuple[Entry, ...]) -> None:
        path = export_path(export, member)
        settled(FileResult(path, Outcome(outcome), message, entries, export=export.path))

    return import_export(
        store,
        export,
        done,
        cross_training=cross_training,
        zone=zone,
        today=today,
        cancelled=cancelled,
        workers=workers,
        gentle=gentle,
    )


def import_file(
    store: Store,
    path: Path,
    *,
    cross_training: bool = False,
    zone: dt.tzinfo | None = None,
    today: dt.date | None = None,
) -> FileResult:
    try:
        data = load(path)
    except ImportRejected as error:
        return FileResult(path, Outcome.REJECTED, error.reason)
    return import_data(store, path, data, cross_training=cross_training, zone=zone, today=today)


def import_data(
    store: Store,
    path: Path,
    data: bytes,
    *,
    cross_training: bool = False,
    zone: dt.tzinfo | None = None,
    today: dt.date | None = None,
) -> FileResult:
    """One file's content into the journal, in one transaction, or nothing and the reason."""
    source = hashlib.sha256(data).hexdigest()
    if store.has_source(source):
        return FileResult(path, Outcome.DUPLICATE, "already in your journal (imported before)")
    try:
        activities = read_bytes(data, zone)
    except ImportRejected as error:
        return FileResult(path, Outcome.REJECTED, error.reason)
    if not activities:
        return FileResult(path, Outcome.REJECTED, "this file holds no activity")
    others = [a for a in activities if not a.is_run]
    if others and not cross_training:
        activities = [a for a in activities if a.is_run]
        if not activities:
            sports = tuple(dict.fromkeys(a.sport for a in others))
            return FileResult(
                path, Outcome.NOT_A_RUN, f"{_sport_words(sports)}, not a run", sports=sports
            )
    new: list[Activity] = []
    already: list[Activity] = []
    for activity in activities:
        (already if store.entry_started_at(activity.started) else new).append(activity)
    if not new:
        when = already[0].started
        return FileResult(
            path,
            Outcome.DUPLICATE,
            f"an activity starting {when:%a %d %b %Y %H:%M} is already in your journal",
        )
    try:
        entries = [to_entry(a, source) for a in new]
        saved = store.save_entries(entries, today=today)
    except ImportRejected as error:
        return FileResult(path, Outcome.REJECTED, error.reason)
    except InvalidEntry as error:
        return FileResult(
            path, Outcome.REJECTED, f"it holds a value kneelog cannot store: {error.message}"
        )
    except JournalError as error:
        return FileResult(path, Outcome.REJECTED, str(error))
    units = store.settings().units
    return FileResult(
        path, Outcome.IMPORTED, "; ".join(describe(e, units) for e in saved), tuple(saved)
    )


def to_entry(activity: Activity, source_hash: str) -> Entry:
    """The journal entry for an activity: a run, or cross-training named after its sport."""
    run = activity.is_run
    if run and not activity.distance_km:
        raise ImportRejected("this run has no distance in it; log it by hand with its distance")
    return Entry(
        kind=Kind.RUN if run else Kind.CROSS,
        started=activity.started,
        activity="" if run else sport_label(activity.sport),
        distance_km=_round(activity.distance_km, 3),
        duration_s=_whole(activity.elapsed_s),
        moving_s=_whole(activity.moving_s),
        surface=SURFACES.get(activity.sub_sport) if run else None,
        elevation_gain_m=_round(activity.elevation_gain_m, 1),
        elevation_loss_m=_round(activity.elevation_loss_m, 1),
        avg_hr=_whole(activity.avg_hr),
        cadence_spm=_round(activity.cadence_spm, 1) if run else None,
        device=activity.device,
        source_hash=source_hash,
        pain_pending=True,
    )


def sport_label(sport: str) -> str:
    return sport.replace("_", " ").capitalize()


def _sport_words(sports: tuple[str, ...]) -> str:
    names = [sport_label(s).lower() for s in sports]
    return (
        ("a " if len(names) == 1 else "")
        + " and ".join(names)
        + (" activity" if len(names) == 1 else " activities")
    )


def describe(entry: Entry, units: Units = Units.KM) -> str:
    """An imported entry in words: "6.01 km run on Sat 14 Jun 2025 09:05"."""
    what = "run" if entry.kind is Kind.RUN else entry.activity.lower()
    distance = f"{format_distance(entry.distance_km, units)} " if entry.distance_km else ""
    return f"{distance}{what} on {entry.started:%a %d %b %Y %H:%M}"


def _whole(value: float | None) -> int | None:
    return None if value is None else max(1, round(value))


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)
