"""`kneelog export`, `load`, `check` and `backups`: no window, plain messages, honest exit codes."""

from __future__ import annotations

import csv
import json
import sys

import pytest

from kneelog import app, backups
from kneelog.store import Store
from test_app import run_cli


@pytest.fixture
def demo(tmp_path):
    path = tmp_path / "demo.db"
    app.write_demo(path, years=1)
    return path


@pytest.fixture
def main(monkeypatch, capsys):
    """app.main in this process (it sets sys.excepthook: put back afterwards)."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)

    def run(*args):
        code = app.main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_export_command_writes_csv_and_json(demo, tmp_path):
    with Store.open(demo) as store:
        count = store.count()
    result = run_cli(
        "export", "--journal", str(demo), "--format", "csv", "--output", str(tmp_path / "a.csv")
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"Wrote {count} entries to {tmp_path / 'a.csv'}."
    with open(tmp_path / "a.csv", encoding="utf-8-sig", newline="") as f:
        assert len(list(csv.DictReader(f))) == count
    result = run_cli("export", "--journal", str(demo), "-o", str(tmp_path / "b.json"))
    assert result.returncode == 0, result.stderr
    assert len(json.loads((tmp_path / "b.json").read_text())["tables"]["entries"]) == count
    assert (tmp_path / "b.json").stat().st_mode & 0o777 == 0o600


def test_export_command_refuses_in_plain_words(main, demo, tmp_path):
    code, _, err = main(
        "export", "--journal", str(tmp_path / "none.db"), "-o", str(tmp_path / "x.csv")
    )
    assert code == 1 and "There is no journal at" in err
    assert not (tmp_path / "none.db").exists(), "exporting never creates a journal"
    code, _, err = main("export", "--journal", str(demo), "-o", str(tmp_path / "x.xlsx"))
    assert code == 1 and "CSV or JSON" in err
    code, _, err = main("export", "--journal", str(demo), "-o", str(tmp_path / "missing" / "x.csv"))
    assert code == 1 and "could not write" in err and "Traceback" not in err
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(demo.read_bytes()[:20_000])
    code, _, err = main("export", "--journal", str(damaged), "-o", str(tmp_path / "x.json"))
    assert code == 1 and "damaged" in err


def test_load_command_fills_a_new_journal_and_refuses_a_full_one(main, demo, tmp_path):
    exported = tmp_path / "all.json"
    assert main("export", "--journal", str(demo), "-o", str(exported))[0] == 0
    target = tmp_path / "moved" / "journal.db"
    code, out, err = main("load", str(exported), "--journal", str(target))
    assert code == 0, err
    with Store.open(demo) as a, Store.open(target) as b:
        assert b.entries() == a.entries() and out.startswith(f"Loaded {a.count():,} entries")
    before = target.read_bytes()
    code, _, err = main("load", str(exported), "--journal", str(target))
    assert code == 1 and "only into an empty journal" in err
    assert target.read_bytes() == before


def test_load_command_leaves_no_journal_behind_when_nothing_was_loaded(main, tmp_path):
    junk = tmp_path / "junk.json"
    junk.write_text(
        '{"format": "kneelog journal", "format_version": 1, "migrations": ["m001_initial"], '
        '"tables": {"entries": [{"kind": "walk", "started": "2026-01-01"}]}}'
    )
    target = tmp_path / "new.db"
    code, _, err = main("load", str(junk), "--journal", str(target))
    assert code == 1 and "Nothing was loaded" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["junk.json"]


def test_check_command_on_a_good_and_a_damaged_journal(main, demo, tmp_path):
    code, out, err = main("check", "--journal", str(demo))
    assert code == 0 and out.startswith("Your journal is in good order")
    damaged = tmp_path / "damaged.db"
    data = bytearray(demo.read_bytes())
    middle = len(data) // 2 // 4096 * 4096
    data[middle : middle + 4096] = bytes(4096)
    damaged.write_bytes(bytes(data))
    code, _, err = main("check", "--journal", str(damaged))
    assert code == 1 and "damaged" in err and "backup" in err
    assert damaged.read_bytes() == bytes(data)


def test_backups_command_lists_them_with_entry_counts(main, demo):
    code, out, err = main("backups", "--journal", str(demo))
    assert code == 0 and out.strip() == f"There are no backups of {demo} yet."
    code, out, err = main("backups", "--journal", str(demo), "--now")
    assert code == 0, err
    [backup] = backups.list_backups(demo)
    with Store.open(demo) as store:
        assert f"{backup.describe()}: {store.count():,} entries" in out
    assert backup.path.name in out
