"""Opening a journal file: each way it can fail is its own error with a true message, and a
file that is refused is never written to (its sha256, and its folder, are the same after).

Full disks, read-only files and read-only folders are made for real, not mocked: a full
disk by RLIMIT_FSIZE in a child process (writes past the limit fail as they do on a full
disk) and by a small tmpfs filled up, in a private mount namespace; read-only by the
immutable attribute (`chattr +i`, which stops root too, unlike chmod) and by a read-only
bind mount. Each is skipped where this machine cannot make it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import textwrap
import uuid
from contextlib import closing, contextmanager
from pathlib import Path

import pytest

from factories import folder_state, make_run
from kneelog import backups, journal_file
from kneelog import store as store_module
from kneelog.demo import demo_journal
from kneelog.store import JournalError, Store

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def journal_bytes(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("whole") / "journal.db"
    with Store.open(path) as store:
        store.add_journal(demo_journal(years=1, seed=5))
    return path.read_bytes()


@pytest.fixture
def healthy(tmp_path, journal_bytes) -> Path:
    path = tmp_path / "journal" / "journal.db"
    path.parent.mkdir()
    path.write_bytes(journal_bytes)
    return path


def refused(path: Path, kind: str, *phrases: str, opener=Store.open) -> JournalError:
    """Opening `path` fails with the error class `kind`, saying `phrases`, writing nothing."""
    before = folder_state(path.parent)
    with pytest.raises(JournalError) as info:
        opener(path).close()
    error = info.value
    assert type(error).__name__ == kind, f"{type(error).__name__}: {error}"
    for phrase in phrases:
        assert phrase.lower() in str(error).lower(), (phrase, str(error))
    assert str(path) in str(error)
    assert folder_state(path.parent) == before, "a refused file is never written, nor its folder"
    return error


# -- files that are not journals kneelog may write -------------------------------------------


def test_an_empty_file_is_refused_not_made_into_a_journal(tmp_path):
    path = tmp_path / "journal.db"
    path.touch()
    refused(path, "JournalEmpty", "empty", "0 bytes", "backup")


def test_another_apps_empty_database_is_refused_not_taken_over(tmp_path):
    path = tmp_path / "other.db"
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA user_version = 3")  # a header and nothing else: no tables
    refused(path, "NotAJournal", "not a kneelog journal", "another program")


def test_a_newer_journal_without_the_migrations_table_is_refused_untouched(tmp_path, journal_bytes):
    """A later kneelog might keep its migrations elsewhere: this one must not add its own."""
    path = tmp_path / "journal.db"
    path.write_bytes(journal_bytes)
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("ALTER TABLE _sqlite_migrations RENAME TO kneelog_versions")
        conn.commit()
    refused(path, "JournalTooNew", "newer version of kneelog", "update kneelog")


def test_a_text_file_is_not_called_damaged(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("Monday: 8 km easy, knee fine.\n" * 50)
    error = refused(path, "NotAJournal", "not a kneelog journal")
    assert "damaged" not in str(error)


def test_a_damaged_journal_is_still_called_damaged(tmp_path, journal_bytes):
    path = tmp_path / "journal.db"
    start = len(journal_bytes) // 2 // 4096 * 4096
    path.write_bytes(journal_bytes[:start] + bytes(3 * 4096) + journal_bytes[start + 3 * 4096 :])
    refused(path, "JournalDamaged", "damaged", "backup")


# -- a full disk ----------------------------------------------------------------------------


def run_child(code: str, *, limit: int | None = None, wrap: str = "", timeout: float = 60):
    """Run `code` in a fresh Python with kneelog importable; with `limit`, RLIMIT_FSIZE is set
    (SIGXFSZ ignored, so a write past it fails with EFBIG as a full disk fails with ENOSPC)."""
    prelude = "import resource, signal, sys\n"
    if limit is not None:
        prelude += (
            f"signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
            f"resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))\n"
        )
    script = prelude + textwrap.dedent(code)
    command = [sys.executable, "-c", script]
    if wrap:
        command = ["unshare", "-m", "sh", "-c", wrap + ' && exec "$@"', "sh", *command]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests")]),
        "QT_QPA_PLATFORM": "offscreen",
    }
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env)


OPEN_AND_SAY = """
from kneelog.store import Store, JournalError
try:
    Store.open({path!r}).close()
    print("OPENED")
except JournalError as error:
    print(type(error).__name__)
    print(error)
"""


def test_a_full_disk_is_said_and_the_healthy_journal_is_left_alone(healthy):
    """RLIMIT_FSIZE below the 32 KiB of the -shm index SQLite makes beside a WAL journal."""
    before = folder_state(healthy.parent)
    result = run_child(OPEN_AND_SAY.format(path=str(healthy)), limit=16_000)
    kind, _, message = result.stdout.partition("\n")
    assert kind == "JournalDiskFull", result.stdout + result.stderr
    for phrase in ("full", "free", "not changed"):
        assert phrase in message.lower(), message
    assert "damaged" not in message
    assert folder_state(healthy.parent) == before, "no rename, no write, no -wal/-shm left"


def can_unshare_mounts() -> bool:
    if not shutil.which("unshare") or os.geteuid() != 0:
        return False
    return (
        subprocess.run(
            ["unshare", "-m", "sh", "-c", "mount -t tmpfs tmpfs /mnt"], capture_output=True
        ).returncode
        == 0
    )


needs_mounts = pytest.mark.skipif(
    not can_unshare_mounts(), reason="needs root and mount namespaces (unshare -m)"
)


@needs_mounts
def test_a_full_tmpfs_is_said_and_the_journal_is_left_alone(tmp_path, journal_bytes):
    disk = tmp_path / "disk"
    disk.mkdir()
    source = tmp_path / "journal.db"
    source.write_bytes(journal_bytes)
    code = OPEN_AND_SAY.format(path=str(disk / "journal.db")) + textwrap.dedent(f"""
        import hashlib, os
        print("SHA", hashlib.sha256(open({str(disk / "journal.db")!r}, "rb").read()).hexdigest())
        print("FILES", sorted(os.listdir({str(disk)!r})))
    """)
    wrap = (
        f"mount -t tmpfs -o size=512k tmpfs {disk} && cp {source} {disk}/journal.db && "
        f"(dd if=/dev/zero of={disk}/filler bs=4k 2>/dev/null; true)"
    )
    result = run_child(code, wrap=wrap)
    lines = result.stdout.splitlines()
    assert lines and lines[0] == "JournalDiskFull", result.stdout + result.stderr
    assert f"SHA {hashlib.sha256(journal_bytes).hexdigest()}" in lines
    assert "FILES ['filler', 'journal.db']" in lines


# -- read-only files and folders ----------------------------------------------------------------


@contextmanager
def immutable(path: Path):
    """`chattr +i`: not even root may write the file, or add files to the folder."""
    if not shutil.which("chattr"):
        pytest.skip("chattr is not installed")
    if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
        pytest.skip("this file system has no immutable attribute")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def test_a_read_only_file_is_called_read_only(healthy):
    with immutable(healthy):
        error = refused(healthy, "JournalReadOnly", "read-only", "not changed")
    assert "damaged" not in str(error) and "full" not in str(error)


def test_a_read_only_folder_is_called_read_only(healthy):
    with immutable(healthy.parent):
        error = refused(healthy, "JournalReadOnly", "read-only", "folder", "not changed")
    assert "damaged" not in str(error) and "full" not in str(error)


def test_a_journal_cannot_be_made_in_a_read_only_folder(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    with immutable(folder), pytest.raises(JournalError) as info:
        Store.open(folder / "journal.db")
    assert type(info.value).__name__ == "JournalReadOnly", info.value
    assert list(folder.iterdir()) == []


@needs_mounts
def test_a_read_only_mount_is_called_read_only(healthy):
    before = folder_state(healthy.parent)
    folder = healthy.parent
    result = run_child(
        OPEN_AND_SAY.format(path=str(healthy)),
        wrap=f"mount --bind {folder} {folder} && mount -o remount,bind,ro {folder}",
    )
    kind, _, message = result.stdout.partition("\n")
    assert kind == "JournalReadOnly", result.stdout + result.stderr
    assert "read-only" in message and "damaged" not in message
    assert folder_state(healthy.parent) == before


def test_a_journal_another_program_holds_locked_is_called_locked(healthy, monkeypatch):
    monkeypatch.setattr(journal_file, "BUSY_TIMEOUT_S", 0.2)
    holder = sqlite3.connect(healthy, isolation_level=None)
    try:
        holder.execute("PRAGMA locking_mode = EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
        holder.execute("INSERT INTO settings (key, value) VALUES ('held', 'yes')")
        error = refused(healthy, "JournalLocked", "another program", "try again")
        assert "damaged" not in str(error)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


# -- what kneelog creates is private ------------------------------------------------------------


def test_every_folder_made_for_a_new_journal_is_private(tmp_path):
    path = tmp_path / "a" / "b" / "c" / "journal.db"
    with Store.open(path) as store:
        store.save_entry(make_run(), today=store_module.dt.date(2026, 11, 21))
    for folder in (tmp_path / "a", tmp_path / "a" / "b", tmp_path / "a" / "b" / "c"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_new_journal_appears_whole_or_not_at_all(journal_path, monkeypatch):
    """A first open cut short (disk error, or killed) leaves nothing at the path, so the next
    open starts again instead of finding half a journal or an empty file."""
    from sqlite_utils import Database

    def disk_error(db, sql):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(Database, "executescript", disk_error)
    with pytest.raises(JournalError):
        Store.open(journal_path)
    monkeypatch.undo()
    assert list(journal_path.parent.iterdir()) == [], "no journal, no temporary file"
    with Store.open(journal_path) as store:
        store.save_entry(make_run(), today=store_module.dt.date(2026, 11, 21))
        assert store.count() == 1


# -- leftovers of killed backups and restores ---------------------------------------------------


def test_hidden_copies_left_by_killed_backups_and_restores_are_removed_on_the_next_open(healthy):
    folder = healthy.parent
    (folder / "backups").mkdir(mode=0o700)
    stale = [
        folder / ".journal.db.k1l2x9.tmp",
        folder / ".journal.db.k1l2x9.tmp-journal",
        folder / "backups" / ".journal.2026-11-21T081500.start-up.db.a8b7c6.tmp",
    ]
    for leftover in stale:
        leftover.write_bytes(b"x" * 70_000)
    keep = [folder / ".other.db.a1b2c3.tmp", folder / "notes.tmp"]
    for other in keep:
        other.write_bytes(b"not kneelog's")
    with Store.open(healthy):
        pass
    assert [p for p in stale if p.exists()] == []
    assert all(p.exists() for p in keep), "only this journal's leftovers are removed"


def test_a_temporary_copy_still_being_written_is_not_removed(healthy):
    from kneelog.files import temporary_beside

    with temporary_beside(healthy) as temp:
        temp.write_bytes(b"half a copy")
        with Store.open(healthy):
            pass
        assert temp.exists(), "another kneelog is still writing it"


# -- an interrupted restore ----------------------------------------------------------------------


CRASH_RESTORE = """
import os
from pathlib import Path
from kneelog import backups
crash_at = int(sys.argv[1])
steps = 0
for name in ("replace", "link", "unlink", "rename"):
    real = getattr(os, name)
    def step(*args, _real=real, **kwargs):
        global steps
        steps += 1
        if steps == crash_at:
            os._exit(9)  # as a SIGKILL would: no finally, no clean-up
        return _real(*args, **kwargs)
    setattr(os, name, step)
journal = Path(sys.argv[2])
[backup] = [b for b in backups.list_backups(journal) if b.reason == "by-hand"]
backups.restore(backup, journal)
print("RESTORED", steps)
"""


def entries_at(path: Path) -> list[str]:
    """The notes of the journal's entries, read without writing."""
    with closing(journal_file.read_only(path)) as conn:
        return sorted(r[0] for r in conn.execute("SELECT notes FROM entries"))


def leave_in_the_wal(journal: Path, notes: str) -> None:
    """Save an entry that stays in the journal's -wal, as when the app that saved it was killed
    before a checkpoint (a damaged journal's recovery restores over such a journal)."""
    saved = journal.parent / "saved"
    saved.mkdir()
    with closing(sqlite3.connect(journal)) as conn:
        conn.execute("PRAGMA wal_autocheckpoint = 0")
        conn.execute(
            "INSERT INTO entries (kind, started, notes, uuid) "
            "VALUES ('checkin', '2026-11-20T07:00:00', ?, ?)",
            [notes, str(uuid.uuid4())],
        )
        conn.commit()
        for name in ("journal.db", "journal.db-wal"):
            shutil.copyfile(journal.with_name(name), saved / name)
    for name in ("journal.db", "journal.db-wal"):  # as they were before the close checkpointed
        shutil.copyfile(saved / name, journal.with_name(name))
    shutil.rmtree(saved)


@pytest.mark.parametrize("wal", [False, True], ids=["closed", "with its wal"])
def test_a_restore_killed_at_any_step_is_finished_or_undone_at_the_next_open(tmp_path, wal):
    """The restore is killed at its 1st, 2nd, ... file-system step in turn: the journal's path
    always holds a whole journal, and the next open finishes the restore or puts the journal
    back as it was (its -wal too), and says which."""
    code = textwrap.dedent(CRASH_RESTORE)
    repaired = {"finished": 0, "undone": 0}
    for crash_at in range(1, 30):
        folder = tmp_path / f"crash{crash_at}"
        journal = folder / "journal.db"
        with Store.open(journal) as store:
            store.save_entry(make_run(notes="in the backup"))
            backups.back_up(store.conn, journal, backups.BY_HAND)
            store.save_entry(make_run(notes="after the backup", distance_km=3.0))
        old, new = ["after the backup", "in the backup"], ["in the backup"]
        if wal:
            leave_in_the_wal(journal, "in the wal")
            assert journal.with_name("journal.db-wal").stat().st_size > 0
            old = sorted([*old, "in the wal"])
        result = subprocess.run(
            [sys.executable, "-c", "import sys\n" + code, str(crash_at), str(journal)],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        finished = result.returncode == 0
        assert finished or result.returncode == 9, result.stderr
        assert journal.exists(), f"step {crash_at}: no journal at its path"
        at_path = entries_at(journal)
        # Between moving the -wal aside and the backup's rename, the journal at the path is
        # whole but as of its last checkpoint; the -wal is beside its aside name, and the next
        # open puts it back (a -wal cannot go in the same step as the file it belongs to).
        mid_swap = wal and at_path == ["after the backup", "in the backup"]
        assert at_path in (old, new) or mid_swap, f"step {crash_at}: not a whole journal"
        with Store.open(journal) as store:
            notes = sorted(e.notes for e in store.entries())
            said = store.notice
        assert notes in (old, new), crash_at
        if notes == new:  # the journal it replaced is kept whole, with what was in its -wal
            [aside] = folder.glob("journal.replaced-*.db")
            assert entries_at(aside) == old, crash_at
        if finished:
            assert notes == new and said is None
            break
        if notes == new:  # killed after the swap: finished now, or already whole
            assert said is None or ("finished" in said and "restore" in said), (crash_at, said)
            repaired["finished"] += said is not None
        else:
            assert said is None or ("restore" in said and "as it was" in said), (crash_at, said)
            repaired["undone"] += said is not None
            assert list(folder.glob("journal.replaced-*")) == []
        leftovers = [p.name for p in folder.iterdir() if p.name.startswith(".")]
        assert leftovers == [], (crash_at, leftovers)
    else:
        pytest.fail("the restore never finished")
    assert crash_at >= 4, "the restore has several steps, each crashed in turn"
    assert repaired["finished"] and repaired["undone"], (
        "crashes fell on both sides of the swap, and the next open said what it did"
    )


# -- a save cut short in rollback-journal mode ------------------------------------------------


def hot_journal(path: Path, app_id: int) -> None:
    """A database in rollback-journal mode with a save cut short: its -journal is "hot"."""
    with closing(sqlite3.connect(path)) as conn:
        conn.execute(f"PRAGMA application_id = {app_id}")
        conn.execute("CREATE TABLE t (x TEXT)")
        conn.execute("CREATE TABLE _sqlite_migrations (migration_set TEXT, name TEXT)")
        conn.execute("INSERT INTO t VALUES ('kept')")
        conn.commit()
    code = textwrap.dedent(f"""
        import os, sqlite3
        conn = sqlite3.connect({str(path)!r}, isolation_level=None)
        conn.execute("PRAGMA cache_size = 1")  # pages spill to the file before the commit
        conn.execute("BEGIN")
        conn.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                     "WHERE i < 2000) INSERT INTO t SELECT hex(randomblob(500)) FROM n")
        os._exit(9)  # killed mid-save
    """)
    subprocess.run([sys.executable, "-c", code], check=False)
    assert path.with_name(path.name + "-journal").exists()


def test_a_journal_with_a_save_cut_short_in_rollback_mode_opens_as_last_saved(tmp_path):
    """A restored backup is in rollback mode until kneelog switches it to WAL: killed then,
    it needs SQLite's own recovery, which a read-only check cannot do."""
    path = tmp_path / "journal.db"
    hot_journal(path, store_module.APPLICATION_ID)
    assert journal_file.inspect(path, "kneelog", []) == set()
    with closing(journal_file.read_only(path)) as conn:
        assert conn.execute("SELECT x FROM t").fetchall() == [("kept",)]


def test_another_apps_database_with_a_save_cut_short_is_refused_untouched(tmp_path):
    path = tmp_path / "other.db"
    hot_journal(path, 0)
    refused(path, "NotAJournal", "not a kneelog journal")


def test_an_empty_journal_made_where_one_was_lost_says_where_the_entries_are(
    tmp_path, journal_bytes
):
    """What an earlier kneelog left when a restore was cut short: no journal at the path, the
    entries in journal.replaced-*.db beside it. Starting again empty is never silent."""
    journal = tmp_path / "journal.db"
    journal.with_name("journal.replaced-2026-11-21T081500.db").write_bytes(journal_bytes)
    with Store.open(journal) as store:
        assert store.count() == 0
        said = store.notice
    assert (
        said and "journal.replaced-2026-11-21T081500.db" in said and "Open another journal" in said
    )
    with Store.open(tmp_path / "other.db") as store:
        assert store.notice is None, "a journal kneelog makes new for the first time needs no word"


def test_a_journal_in_a_read_only_folder_can_still_be_checked_and_read(healthy):
    """Refused for writing, but `kneelog check` and the summary only read."""
    from kneelog.checks import check_journal

    before = folder_state(healthy.parent)
    with immutable(healthy.parent):
        result = check_journal(healthy)
        with Store.open_to_read(healthy) as store:
            count = store.count()
    assert result.ok, result.summary
    assert count > 100 and f"all {count:,} entries" in result.summary
    assert folder_state(healthy.parent) == before


def test_the_migrations_a_journal_may_have_are_those_the_store_applies():
    """A journal is judged too new by the names in journal_file; the store applies its own: a
    migration added to one and not the other would refuse this kneelog's own journals."""
    from kneelog.store import migrations

    assert list(journal_file.MIGRATIONS) == migrations.names
    assert migrations.name == journal_file.MIGRATION_SET
