"""`kneelog import` and `kneelog load` killed with SIGKILL at seeded random moments, and what
each kill left checked; tests/test_import_kill.py and tests/test_load_kill.py run CI-sized
rounds of it.

    python tests/kill_commands.py torture [--kills N] [--seed S]   (make torture-kills)
    python tests/kill_commands.py child ARGS...                    (the process that is killed)

A child imports what the command needs, prints "ready" and waits for a line on stdin, so the
next one can start while the current one works; then it runs `kneelog ARGS` as the command
line does. Import: one journal and one folder of watch files, imported again and again, each
time killed a few files in or while opening; a file is confirmed once its "imported" line has
been printed (after its transaction). Load: an export loaded into a new journal path, killed
anywhere between the start and the end of the load; the path is then either absent or a whole
journal, and the load is run again into it until one gets through.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import signal
import sqlite3
import sys
import tempfile
import time
from collections import Counter, defaultdict
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from kill_child import Child

HERE = Path(__file__).resolve().parent
LINE_TIMEOUT_S = 30
SPARE_FILES = 60  # watch files not yet imported at the start of a round


class Command(Child):
    """One kneelog command in a process of its own (this script's `child`)."""

    def __init__(self, *args: str):
        super().__init__(Path(__file__).resolve(), "child", *args, line_timeout_s=LINE_TIMEOUT_S)

    def killed(self) -> bool:
        return self.proc.returncode == -signal.SIGKILL

    def finish(self) -> tuple[int, str]:
        """Let it run to its end; its exit code and stderr."""
        self.proc.wait(timeout=600)
        return self.proc.returncode, self.stop()


def child(args: list[str]) -> int:
    # What the commands import, imported before "ready": the kill lands in their work.
    import sqlite_utils  # noqa: F401

    import kneelog.app
    import kneelog.export
    import kneelog.importers.fit
    import kneelog.importers.gpx
    import kneelog.importers.tcx
    import kneelog.importing  # noqa: F401

    # Each line leaves as it is printed, so the parent sees when the work was done.
    sys.stdout.reconfigure(line_buffering=True)
    print("ready", flush=True)
    if not sys.stdin.readline():  # the parent went away without saying go
        return 0
    return kneelog.app.main(args)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def fully_migrated(conn: sqlite3.Connection) -> bool:
    from kneelog.store import migrations

    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "_sqlite_migrations" not in tables:
        return False
    applied = {
        r[0]
        for r in conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", [migrations.name]
        )
    }
    return applied == set(migrations.names)


# -- import ------------------------------------------------------------------------------


class WatchFolder:
    """A folder of watch files, seeded: mostly one-run FIT files, some FIT files with several
    runs (so half a file would show), GPX and TCX, and a few that are never imported (another
    sport, cut short). Every run starts at its own minute. What a whole import of each file
    gives is worked out here with kneelog's own reader, so the checks are about what a kill
    leaves, not about parsing. Files are added as the imports use them up."""

    def __init__(self, folder: Path, seed: int):
        import datetime as dt

        from factories import sample_maker

        self.folder = folder
        self.expected: dict[str, list] = {}  # source hash -> the entries of a whole import
        self.names: dict[str, str] = {}  # source hash -> file name
        self.refused = 0  # files never imported
        self._samples = sample_maker()
        self._rng = random.Random(seed)
        self._first = dt.datetime(2019, 3, 4, 6, 0, tzinfo=self._samples.UTC)
        # fit-tool takes a while to encode records: every FIT file shares one block of them,
        # and has its own file id, session(s) and activity (kneelog reads the sessions).
        self._records = self._samples.fit_records(
            self._first,
            1800,
            distance=5000.0,
            hr=146,
            strides=85,
            fraction=0.25,
            positions=True,
            cadence=None,
            every=120,
        )
        self._made = 0
        folder.mkdir(parents=True, exist_ok=True)

    def add(self, count: int) -> None:
        import datetime as dt

        from kneelog.importers import read_bytes
        from kneelog.importing import to_entry

        samples, records, rng = self._samples, self._records, self._rng
        for number in range(self._made, self._made + count):
            start = self._first + dt.timedelta(hours=8 * number)  # room for a file's runs
            roll = rng.random()
            refused = roll < 0.06 and number % 2
            distance = round(rng.uniform(3000, 21000), 1)
            elapsed = int(distance / rng.uniform(2.2, 3.8))
            name = f"{number:05d}.fit"
            if refused:
                tail = samples.fit_tail(
                    start,
                    elapsed,
                    elapsed,
                    distance * 4,
                    100,
                    100,
                    130,
                    None,
                    None,
                    "cycling",
                    "generic",
                    85,
                )
                ride = samples.fit_file(samples.fit_head(start, "Edge 530"), records, tail)
                data = ride if number % 4 == 1 else ride[: len(ride) // 2]
            elif roll < 0.70:
                data = _fit_runs(samples, records, [(start, distance, elapsed)], rng)
            elif roll < 0.82:  # several runs in one file, as a multisport watch file holds them
                runs = [
                    (start + dt.timedelta(minutes=95 * i), distance / (i + 1), elapsed // (i + 1))
                    for i in range(rng.randint(2, 4))
                ]
                data = _fit_runs(samples, records, runs, rng)
            elif roll < 0.91:
                name, data = (
                    f"{number:05d}.gpx",
                    samples.gpx_run(
                        start,
                        every=30,
                        points=rng.randint(20, 80),
                        lat_step=0.001,
                        stop=(5, 8),
                        climb=0.5,
                        hr=(140, 150),
                        cad=(85, 86),
                        creator="Forerunner 255",
                    ),
                )
            else:
                name, data = (
                    f"{number:05d}.tcx",
                    samples.tcx_run(
                        start,
                        laps=((elapsed // 2, elapsed // 2 - 10, distance / 2),) * 2,
                        every=60,
                        hr=150,
                        run_cadence=88,
                        creator="Forerunner 965",
                        positions=rng.random() < 0.5,
                    ),
                )
            (self.folder / name).write_bytes(data)
            if refused:
                self.refused += 1
                continue
            source = hashlib.sha256(data).hexdigest()
            entries = sorted(
                (to_entry(a, source) for a in read_bytes(data)), key=lambda e: e.started
            )
            assert entries, name
            self.expected[source] = entries
            self.names[source] = name
        self._made += count

    def by_path(self) -> dict[str, str]:
        return {str(self.folder / name): source for source, name in self.names.items()}


def _fit_runs(samples, records: bytes, runs: list, rng: random.Random) -> bytes:
    tails = [
        samples.fit_tail(
            start,
            elapsed,
            elapsed - rng.randint(0, 90),
            distance,
            rng.randint(0, 200),
            rng.randint(0, 200),
            rng.randint(120, 170),
            rng.randint(78, 92),
            rng.choice([0.0, 0.25, 0.5]),
            "running",
            rng.choice(["generic", "treadmill"]),
            None,
        )
        for start, distance, elapsed in runs
    ]
    return samples.fit_file(samples.fit_head(runs[0][0], "Forerunner 245"), records, *tails)


def imported_files(lines: list[str]) -> list[str]:
    """The files a `kneelog import` said it imported, by path: whole lines only (a line cut
    short by the kill was not confirmed)."""
    found = []
    for line in lines:
        if line.endswith("\n") and line.lstrip().startswith("imported  "):
            found.append(line.lstrip().removeprefix("imported  ").split(": ", 1)[0])
    return found


def check_imports(path: Path, watch: WatchFolder, confirmed: set[str]) -> set[str]:
    """The journal after a kill: whole, every confirmed file's runs in it, every file's runs
    all there or none, nothing twice. Reads without writing. Returns the files in it, by
    source hash."""
    from kneelog.checks import check_journal
    from kneelog.store import Store

    if not path.exists():
        assert not confirmed, "files were confirmed but there is no journal"
        return set()
    if _hot(path):
        # Killed while its first open turned WAL on: a rollback journal that only a writer may
        # play back (the next open does); nothing can have been imported into it yet.
        assert not confirmed, "files were confirmed into a journal not yet made"
        return set()
    with closing(read_only(path)) as conn:
        assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        if not fully_migrated(conn):  # killed during its first open: nothing imported yet
            assert not confirmed, "files were confirmed into a journal without its tables"
            return set()
        result = check_journal(path)  # what `kneelog check` says
        assert result.ok, result.summary
        entries = Store(conn, path).entries()
        marks = conn.execute("SELECT count(*) FROM pain_marks").fetchone()[0]
    assert marks == 0, "imported runs have no pain marks, yet there are some"
    starts = Counter(e.started for e in entries)
    twice = [when for when, n in starts.items() if n > 1]
    assert not twice, f"runs imported twice: {twice[:5]}"
    by_source = defaultdict(list)
    for entry in entries:
        by_source[entry.source_hash].append(entry.with_(id=None))
    for source, got in by_source.items():
        assert source in watch.expected, f"an entry from no file of the folder: {source}"
        want = watch.expected[source]
        got.sort(key=lambda e: e.started)
        assert got == want, (
            f"{watch.names[source]}: {len(got)} of its {len(want)} runs, or "
            f"runs not as the file has them:\n{got}\n{want}"
        )
    missing = sorted(watch.names[s] for s in confirmed - by_source.keys())
    assert not missing, f"confirmed as imported, but not in the journal: {missing}"
    return set(by_source)


@dataclass
class Figures:
    kills: Counter = field(default_factory=Counter)  # moment -> kills
    confirmed: int = 0
    ended: int = 0  # commands that got to their end before the kill
    reruns: int = 0  # loads into a path where a load had been killed
    entries: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)


def kill_imports(
    work: Path, kills: int, seed: int, window_s: float = 0.04, opening_s: float = 0.08
) -> Figures:
    """`kills` kills a few files into an import, one in four more while it opens; then an
    import to the end that must bring in exactly the files not yet in the journal; then half
    as many into new journals, while each is made."""
    first_opens = max(1, kills // 2)
    began = time.perf_counter()
    rng = random.Random(seed)
    path = work / "journal" / "journal.db"
    opening = max(1, kills // 4)
    rounds = ["opening"] + ["importing"] * kills
    for slot in rng.sample(range(2, len(rounds)), opening - 1):  # the first kill: opening
        rounds.insert(slot, "opening")
    watch = WatchFolder(work / "watch", seed)
    command = ["import", str(watch.folder), "--journal", str(path)]

    figures = Figures()
    confirmed: set[str] = set()
    present: set[str] = set()
    children = [Command(*command)]  # the next child starts while the current one works
    try:
        for number, moment in enumerate(rounds):
            # A round imports some 5 files here before its kill; the folder always holds far
            # more not yet imported, so that no import gets to its end before the kill.
            if len(watch.expected) - len(present) < SPARE_FILES:
                watch.add(2 * SPARE_FILES)
            by_path = watch.by_path()
            current = children[-1]
            children.append(Command(*command))
            current.go()
            if moment == "importing":
                while (line := current.next_line()) is not None and not imported_files([line]):
                    pass
                assert line is not None, f"the import ended before a file:\n{current.stop()}"
                time.sleep(rng.uniform(0.0, window_s))
            else:
                time.sleep(rng.uniform(0.0, opening_s))
            stderr = current.stop()
            assert current.killed(), f"round {number}: the import ended before its kill:\n{stderr}"
            this_round = {by_path[p] for p in imported_files(current.seen)}
            again = this_round & present  # in the journal before this round
            assert not again, f"imported again: {sorted(watch.names[s] for s in again)}"
            if moment == "importing":
                assert this_round
            confirmed |= this_round
            figures.kills[moment] += 1
            present = check_imports(path, watch, confirmed)

        # The same folder once more, to the end: exactly the rest comes in, nothing twice.
        # (A file written just before a kill, its line not yet printed, is in the journal
        # unconfirmed: the last import finds it there.)
        last = children.pop()
        last.go()
        code, stderr = last.finish()
        assert code == 0, stderr
        by_path = watch.by_path()
        rest = {by_path[p] for p in imported_files(last.seen)}
        assert not rest & present, "imported again by the last import"
        assert rest | present == watch.expected.keys(), "files the last import left out"
        assert check_imports(path, watch, set(watch.expected)) == watch.expected.keys()
        figures.entries = sum(len(e) for e in watch.expected.values())
        figures.confirmed = len(confirmed)
        figures.notes.append(
            f"{len(watch.expected) + watch.refused} files, {len(confirmed)} confirmed before a "
            f"kill, {len(present - confirmed)} written but killed before saying so, "
            f"{len(rest)} imported by the last import"
        )

        # Into new journals: kills while the journal is made.
        left = kill_first_opens(work / "new", first_opens, seed, watch)
        figures.kills["making the journal"] = sum(left.values())
        figures.notes.append(
            "kills while making a journal left "
            + ", ".join(f"{what} {n} times" for what, n in sorted(left.items()))
        )
    finally:
        for spare in children:
            spare.stop()
    figures.seconds = time.perf_counter() - began
    return figures


def _hot(path: Path) -> bool:
    """Whether a rollback journal beside `path` holds a write to play back."""
    journal = Path(f"{path}-journal")
    return journal.exists() and journal.stat().st_size > 0


def kill_first_opens(work: Path, kills: int, seed: int, watch: WatchFolder) -> Counter:
    """`kneelog import FILE --journal NEW` killed anywhere from its start to a fifth past the
    time a whole one takes, most of it spent making the new journal. Each path is then opened
    as the next start opens it, and holds the file's runs whole or nothing. Returns what the
    kills left at the paths."""
    from kneelog.store import Store

    rng = random.Random(seed)
    source, name = next(iter(watch.names.items()))
    want = watch.expected[source]
    left: Counter = Counter()

    def start(number: int) -> tuple[Child, Path]:
        path = work / f"new-{number}" / "journal.db"
        return Command("import", str(watch.folder / name), "--journal", str(path)), path

    whole, path = start(0)  # to know how long one takes
    whole.go()
    while (line := whole.next_line()) is not None and not imported_files([line]):
        pass
    duration = time.perf_counter() - whole.began
    code, stderr = whole.finish()
    assert code == 0 and line is not None, stderr
    children = [start(1)]
    try:
        for number in range(1, kills + 1):
            current, path = children[-1]
            if number < kills:
                children.append(start(number + 1))
            current.go()
            time.sleep(rng.uniform(0.0, duration * 1.2))
            current.stop()
            confirmed = bool(imported_files(current.seen))
            left[
                "no journal"
                if not path.exists()
                else "a journal and its rollback journal"
                if _hot(path)
                else "a journal"
            ] += 1
            with Store.open(path) as store:  # what the next start does
                assert store.integrity_ok()
                got = sorted((e.with_(id=None) for e in store.entries()), key=lambda e: e.started)
            assert got in ([], want), f"{path}: {len(got)} of the file's {len(want)} runs"
            assert got or not confirmed, f"{path}: confirmed, but not in the journal"
    finally:
        for spare, _ in children:
            spare.stop()
    return left


# -- load --------------------------------------------------------------------------------


def make_export(folder: Path, years: float, seed: int) -> tuple[Path, dict]:
    """A demo journal written through a Store and exported as JSON; the export read back."""
    import datetime as dt

    from kneelog.demo import demo_journal
    from kneelog.export import export, read_export
    from kneelog.store import Store

    folder.mkdir(parents=True, exist_ok=True)
    with Store.open(folder / "source.db") as store:
        store.add_journal(demo_journal(end=dt.date(2026, 11, 21), years=years, seed=seed))
        export(store, folder / "export.json")
    return folder / "export.json", read_export(folder / "export.json")


def check_loaded(path: Path, data: dict) -> str | None:
    """The target after a load was killed: absent (and nothing beside it in its name), or a
    whole journal that `kneelog check` passes holding every row of the export. The journal's
    sha256 when there is one."""
    from kneelog.checks import check_journal
    from kneelog.export import journal_data

    if not path.exists():
        beside = [p.name for p in path.parent.glob(f"{path.name}*")] if path.parent.is_dir() else []
        assert not beside, f"no journal, but files in its name: {beside}"
        return None
    result = check_journal(path)
    assert result.ok, result.summary
    with closing(read_only(path)) as conn:
        assert fully_migrated(conn)
        tables = journal_data(conn)["tables"]
    assert tables.keys() == data["tables"].keys()
    for table, rows in data["tables"].items():
        assert tables[table] == rows, f"{table}: {len(tables[table])} rows of {len(rows)}"
    return sha256(path)


def refused_again(path: Path, data: dict) -> None:
    """Loading into the whole journal a load left is refused and changes nothing."""
    from kneelog.export import ExportError, load_export
    from kneelog.store import Store

    before = sha256(path)
    with Store.open(path) as store:
        try:
            load_export(store, data)
        except ExportError as error:
            assert "empty" in str(error) or "already" in str(error), error
        else:
            raise AssertionError("a second load into a loaded journal was not refused")
    assert sha256(path) == before


def kill_loads(work: Path, kills: int, seed: int, years: float = 6.0) -> Figures:
    """`kills` loads killed at random moments from start to end; a killed load that left no
    journal is run again into the same path (and killed again, until one gets through)."""
    began = time.perf_counter()
    rng = random.Random(seed)
    export_path, data = make_export(work / "source", years, seed)
    loads = work / "loads"

    def command(target: Path) -> list[str]:
        return ["load", str(export_path), "--journal", str(target)]

    figures = Figures()
    # One whole load, to know how long one takes from the go to its end.
    whole = Command(*command(loads / "whole.db"))
    whole.go()
    line = whole.next_line()
    duration = time.perf_counter() - whole.began
    code, stderr = whole.finish()
    assert code == 0 and line.startswith("Loaded "), stderr
    check_loaded(loads / "whole.db", data)
    figures.notes.append(
        f"{len(data['tables']['entries']):,} entries in the export; a whole "
        f"load took {duration * 1000:.0f} ms after its start-up"
    )

    targets = 0

    def new_target() -> Path:
        nonlocal targets
        targets += 1
        # Every third one in folders that do not exist yet: the load makes them.
        if targets % 3 == 0:
            return loads / f"new-{targets}" / "deeper" / "journal.db"
        return loads / f"journal-{targets}.db"

    target = new_target()
    current = Command(*command(target))
    attempts = Counter()
    outcomes = Counter()  # what each load left at its path
    try:
        while figures.kills["loading"] < kills:
            assert figures.ended < 2 * kills, "the loads end before the kills"
            attempts[target] += 1
            current.go()
            # Up to the whole load's time and a fifth beyond: some loads get to the end.
            time.sleep(rng.uniform(0.0, duration * 1.2))
            stderr = current.stop()
            done = any(line.startswith("Loaded ") and line.endswith("\n") for line in current.seen)
            if current.killed():
                figures.kills["loading"] += 1
            else:
                assert current.proc.returncode == 0 and done, stderr
                figures.ended += 1
            if done:
                figures.confirmed += 1
                assert target.exists(), "the load said it loaded, but there is no journal"
            left_whole = check_loaded(target, data) is not None
            outcomes[
                ("a whole journal" if left_whole else "no journal") + (", said so" if done else "")
            ] += 1
            if left_whole:
                refused_again(target, data)
                target = new_target()
            current = Command(*command(target))  # run again into the same path when it is absent
        # The last path, loaded to the end.
        current.go()
        code, stderr = current.finish()
        assert code == 0, stderr
        assert check_loaded(target, data) is not None
        refused_again(target, data)
    finally:
        current.stop()
    leftovers = [p for p in loads.rglob(".*") if p.is_file()]
    figures.notes.append(", ".join(f"{n} left {what}" for what, n in sorted(outcomes.items())))
    figures.notes.append(
        f"{targets} journal paths, up to {max(attempts.values())} loads into one; "
        f"{len(leftovers)} temporary files left by killed loads "
        f"({sum(p.stat().st_size for p in leftovers) / 1e6:.1f} MB)"
    )
    figures.entries = len(data["tables"]["entries"])
    figures.reruns = sum(attempts.values()) - len(attempts)
    figures.seconds = time.perf_counter() - began
    return figures


# -- make torture-kills --------------------------------------------------------------------


def torture(kills: int, seed: int) -> int:
    with tempfile.TemporaryDirectory(prefix="kneelog-torture-kills-") as tmp:
        work = Path(tmp)
        # The children's log and settings stay in the sandbox, never in the runner's folders.
        for name, sub in (
            ("XDG_CONFIG_HOME", "config"),
            ("KNEELOG_DATA_DIR", "data"),
            ("KNEELOG_STATE_DIR", "state"),
        ):
            os.environ[name] = str(work / sub)
        failed = 0
        for what, run in (("import", kill_imports), ("load", kill_loads)):
            try:
                figures = run(work / what, kills, seed)
            except Exception as error:  # an assertion, or a journal refused when opened
                failed += 1
                print(f"{what}: FAILED: {type(error).__name__}: {error}", flush=True)
                continue
            for note in figures.notes:
                print(f"{what}: {note}")
            moments = ", ".join(f"{n} {moment}" for moment, n in figures.kills.items())
            print(
                f"{what}: {sum(figures.kills.values())} kills ({moments}), {figures.ended} "
                f"ended before the kill, {figures.entries:,} entries checked, "
                f"{figures.seconds:.0f} s, seed {seed}",
                flush=True,
            )
        print("torture-kills:", "FAILED" if failed else "passed")
        return 1 if failed else 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["child"]:
        return child(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    t = commands.add_parser("torture")
    t.add_argument("--kills", type=int, default=200)
    t.add_argument("--seed", type=int, default=int(time.time()))
    args = parser.parse_args(argv)
    return torture(args.kills, args.seed)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
