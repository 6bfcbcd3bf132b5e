"""A corpus of 300+ mutated and hostile watch files (tests/hostile_files.py, seeded), imported in a
child process: only clean outcomes, refusals in words, no traceback, no crash, no file slower
than the bound, and the journal's bytes unchanged by every file not imported.
`make torture-files` runs thousands, with huge files among them."""

from __future__ import annotations

import collections

import pytest

import hostile_files

COUNT = 320


@pytest.fixture(scope="module")
def outcome(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    files = hostile_files.corpus(COUNT, seed=12)
    hostile_files.write(files, folder / "files")
    results, died = hostile_files.run(folder / "files", folder / "journal.db", timeout=240)
    return files, results, died


def test_the_corpus_is_the_same_every_time():
    assert hostile_files.corpus(COUNT, seed=12) == hostile_files.corpus(COUNT, seed=12)
    assert len(hostile_files.corpus(COUNT, seed=12)) >= 300


def test_no_file_crashes_the_importer(outcome):
    _, _, died = outcome
    assert died is None, died


def test_every_file_has_a_clean_outcome_in_bounded_time(outcome):
    files, results, _ = outcome
    assert hostile_files.problems(results, len(files)) == []


def test_the_corpus_reaches_past_the_first_check(outcome):
    # Not all refused at the door: some mutants are still runs, and refusals have many reasons.
    _, results, _ = outcome
    counts = collections.Counter(r["outcome"] for r in results)
    assert counts["imported"] >= 3 and counts["rejected"] >= 200
    assert len({r["message"] for r in results if r["outcome"] == "rejected"}) >= 15


@pytest.mark.parametrize(
    "name",
    [
        "deep-200000-gpx-extensions.gpx",
        "billion-laughs.gpx",
        "fit-chained-100.fit",
        "many-namespaces.gpx",
    ],
)
def test_named_hostile_files_are_in_the_corpus_and_refused_or_read_once(outcome, name):
    _, results, _ = outcome
    [result] = [r for r in results if r["file"] == name]
    assert result["outcome"] in ("rejected", "imported", "duplicate")
    if name == "fit-chained-100.fit":
        assert result["outcome"] == "imported" and ";" not in result["message"]  # one run
