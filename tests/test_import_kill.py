"""Killing `kneelog import` at any moment loses no file it said it imported, leaves no half
file (a file's runs are all in the journal or none are), and a second import of the folder
brings in exactly the rest; killed while it makes a new journal, the journal opens next time.
tests/kill_commands.py does the work; `make torture-kills` runs it with 200 kills."""

from __future__ import annotations

import kill_commands

KILLS_WHILE_IMPORTING = 22  # a few files in, after the first file of the round was confirmed
SEED = 20261204


def test_killed_imports_lose_no_confirmed_run_and_leave_no_half_file(tmp_path):
    figures = kill_commands.kill_imports(tmp_path, KILLS_WHILE_IMPORTING, SEED)
    assert figures.kills["importing"] == KILLS_WHILE_IMPORTING
    assert figures.kills["opening"] >= 5
    assert figures.kills["making the journal"] == KILLS_WHILE_IMPORTING // 2
    assert figures.confirmed >= KILLS_WHILE_IMPORTING
