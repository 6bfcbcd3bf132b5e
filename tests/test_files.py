"""kneelog/files.py: private folders, free names and atomic writes, on a real temp folder."""

from __future__ import annotations

import os
import stat
import sys

import pytest

from kneelog.files import IncompleteFile, free_name, private_folder, write_atomically

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")


@posix_only
def test_private_folder_makes_every_missing_folder_private(tmp_path):
    folder = tmp_path / "a" / "b" / "c"
    assert private_folder(folder) == folder
    for made in (tmp_path / "a", tmp_path / "a" / "b", folder):
        assert stat.S_IMODE(made.stat().st_mode) == 0o700, made
    assert private_folder(folder) == folder  # there already: fine


def test_private_folder_refuses_a_file(tmp_path):
    file = tmp_path / "journal"
    file.write_text("not a folder")
    with pytest.raises(NotADirectoryError):
        private_folder(file)


def test_free_name_counts_up_past_existing_files(tmp_path):
    summary = tmp_path / "summary.pdf"
    assert free_name(summary) == summary
    summary.touch()
    assert free_name(summary) == tmp_path / "summary-2.pdf"
    (tmp_path / "summary-2.pdf").touch()
    assert free_name(summary) == tmp_path / "summary-3.pdf"


@posix_only
def test_write_atomically_replaces_the_target_privately_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "export.json"
    target.write_text("old")
    write_atomically(target, lambda temp: temp.write_text("new"))
    assert target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert os.listdir(tmp_path) == ["export.json"]


def test_a_failed_check_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "export.json"
    target.write_text("old")

    def check(temp):
        raise IncompleteFile(5, "short", str(temp))

    with pytest.raises(IncompleteFile):
        write_atomically(target, lambda temp: temp.write_text("ne"), check)
    assert target.read_text() == "old"
    assert os.listdir(tmp_path) == ["export.json"]
