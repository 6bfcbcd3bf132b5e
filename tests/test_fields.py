"""The field specification: it names every field of Entry and every column of the journal."""

from __future__ import annotations

import dataclasses

import pytest

from kneelog import fields
from kneelog.fields import FIELDS, Widget
from kneelog.model import Entry, Kind
from kneelog.store import Store


def test_every_entry_field_has_one_line():
    names = [f.name for f in FIELDS]
    assert len(names) == len(set(names))
    assert set(names) == {f.name for f in dataclasses.fields(Entry)}


def test_the_entries_table_has_exactly_the_specified_columns(journal_path):
    with Store.open(journal_path) as store:
        columns = [r[1] for r in store.conn.execute("PRAGMA table_info(entries)")]
    assert sorted(columns) == sorted(fields.COLUMNS)


@pytest.mark.parametrize("widget", [Widget.CHOICE, Widget.ONE_OF, Widget.CHIPS, Widget.WARNINGS])
def test_fields_with_values_to_choose_name_their_words(widget):
    for field in FIELDS:
        if field.widget is widget:
            assert field.words, field.name
            fields.enum_of(field)  # an enum, or a TypeError


def test_what_the_form_does_not_show_is_kept_or_said_why_not():
    assert {f.name for f in FIELDS if f.widget is None and not f.kept} == {"pain_pending"}


def test_a_check_in_asks_only_about_the_knee_and_the_day():
    assert [f.name for f in fields.asked(Kind.CHECKIN)] == [
        "started",
        "kind",
        "pain_later",
        "pain_next_morning",
        "marks",
        "triggers",
        "changes",
        "warnings",
        "sleep",
        "stress",
        "notes",
    ]


def test_each_kind_is_asked_what_it_was_asked_before_the_specification():
    """The form's rows per kind, as they were listed by hand before they came from FIELDS."""
    rows = {
        Kind.RUN: {
            "distance_km",
            "duration_s",
            "run_type",
            "surface",
            "elevation_gain_m",
            "shoe_id",
            "rpe",
            "pain_start",
            "pain_middle",
            "pain_end",
            "pain_later",
            "pain_next_morning",
            "time_course",
        },
        Kind.STRENGTH: {
            "duration_s",
            "activity",
            "rpe",
            "pain_middle",
            "pain_end",
            "pain_later",
            "pain_next_morning",
        },
        Kind.CROSS: {
            "activity",
            "distance_km",
            "duration_s",
            "rpe",
            "pain_middle",
            "pain_end",
            "pain_later",
            "pain_next_morning",
        },
        Kind.CHECKIN: {"pain_later", "pain_next_morning"},
    }
    always = {
        "started",
        "kind",
        "marks",
        "triggers",
        "changes",
        "warnings",
        "sleep",
        "stress",
        "notes",
    }
    listed = always.union(*rows.values())  # a field added since is asked as its line says
    for kind, names in rows.items():
        assert {f.name for f in fields.asked(kind)} & listed == names | always, kind
