"""Killing `kneelog load FILE --journal NEW` at any moment leaves either no journal at NEW or a
whole one holding every row of the export, which `kneelog check` passes and a second load
refuses; with none, the load runs again into the same path. tests/kill_commands.py does the
work; `make torture-kills` runs it with 200 kills."""

from __future__ import annotations

import kill_commands

KILLS = 22
SEED = 20261204


def test_killed_loads_leave_no_journal_or_a_whole_one(tmp_path):
    figures = kill_commands.kill_loads(tmp_path, KILLS, SEED)
    assert figures.kills["loading"] == KILLS
    assert figures.reruns >= 1
