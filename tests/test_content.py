"""Every stored value the app shows has words for people in resources/labels.toml."""

from __future__ import annotations

import inspect
from enum import Enum

import pytest

from kneelog import content, model
from kneelog.model import (
    Change,
    Intensity,
    Kind,
    Region,
    Relative,
    RunType,
    Side,
    Surface,
    TimeCourse,
    Trigger,
    WarningSign,
)

# Label group(s) for each enum the app shows; Region has its own name and hint.
GROUPS: dict[type[Enum], tuple[str, ...]] = {
    Kind: ("kind",),
    RunType: ("run_type",),
    Surface: ("surface",),
    TimeCourse: ("time_course",),
    Trigger: ("trigger",),
    Change: ("change",),
    WarningSign: ("warning",),
    Side: ("side",),
    Intensity: ("intensity",),
    Relative: ("sleep", "stress"),
}
# Enums that are not shown through labels, and why.
NOT_LABELLED = {
    model.Units: "shown as the unit itself (km, mi)",
    Region: "has a name and a hint, checked below",
}

CASES = [
    pytest.param(group, value, id=f"{group}-{value.name}")
    for enum, groups in GROUPS.items()
    for group in groups
    for value in enum
]


def model_enums() -> set[type[Enum]]:
    return {
        obj
        for obj in vars(model).values()
        if inspect.isclass(obj) and issubclass(obj, Enum) and obj.__module__ == model.__name__
    }


def test_every_enum_in_the_model_is_covered():
    """A new enum in model.py needs labels (add it to GROUPS) or a reason here."""
    assert model_enums() == set(GROUPS) | set(NOT_LABELLED)


@pytest.mark.parametrize(("group", "value"), CASES)
def test_every_value_has_a_label(group, value):
    label = content.label(group, value)
    assert isinstance(label, str) and label.strip()
    assert label == label.strip()


@pytest.mark.parametrize("region", list(Region), ids=lambda r: r.name)
def test_every_region_has_a_name_and_a_hint(region):
    name, hint = content.region_name(region), content.region_hint(region)
    assert isinstance(name, str) and name.strip()
    assert isinstance(hint, str) and hint.strip()
    assert name != hint


@pytest.mark.parametrize(
    ("group", "enum"),
    [(g, e) for e, groups in GROUPS.items() for g in groups] + [("region", Region)],
)
def test_no_label_is_left_over_from_a_value_that_no_longer_exists(group, enum):
    stored = {str(int(v)) if isinstance(v, int) else str(v) for v in enum}
    assert set(content.labels()[group]) == stored


def test_labels_within_a_group_tell_values_apart():
    for enum, groups in GROUPS.items():
        for group in groups:
            labels = [content.label(group, v) for v in enum]
            assert len(set(labels)) == len(labels), group
    names = [content.region_name(r) for r in Region]
    assert len(set(names)) == len(names)
