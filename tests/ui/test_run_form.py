import dataclasses
import datetime as dt
import enum
import types
import typing

import pytest
from PySide6.QtCore import Qt

from conftest import show_active
from factories import make_run
from kneelog.fields import FIELDS
from kneelog.model import (
    Change,
    Entry,
    Intensity,
    InvalidEntry,
    Kind,
    PainMark,
    Region,
    Relative,
    RunType,
    Shoe,
    Side,
    Surface,
    TimeCourse,
    Trigger,
    Units,
    WarningSign,
)
from kneelog.ui.run_form import RunForm

NOW = dt.datetime(2026, 11, 20, 18, 45)


@pytest.fixture
def form(qtbot):
    form = RunForm()
    qtbot.addWidget(form)
    form.set_shoes([Shoe(id=1, name="Blue trainers"), Shoe(id=2, name="Old pair", retired=True)])
    form.start_new(NOW)
    form.resize(1100, 900)
    show_active(qtbot, form)
    return form


def type_into(qtbot, widget, text):
    widget.setFocus()
    qtbot.keyClicks(widget, text)


def pick(qtbot, combo, text):
    """Choose an item the way a keyboard user does: focus the box and type its first letters."""
    combo.setFocus()
    qtbot.keyClicks(combo, text)
    assert combo.currentText().startswith(text)


def click(qtbot, widget):
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def test_a_run_logged_with_keys_and_clicks_comes_out_whole(qtbot, form):
    type_into(qtbot, form.distance, "8.4")
    type_into(qtbot, form.duration, "52:30")
    assert form.pace.text() == "6:15 /km"
    pick(qtbot, form.run_type, "Tempo")
    pick(qtbot, form.surface, "Trail")
    pick(qtbot, form.shoes, "Blue")
    type_into(qtbot, form.elevation, "120")
    form.rpe.setFocus()
    qtbot.keyClick(form.rpe, Qt.Key.Key_6)
    for name, key in (
        ("pain_start", Qt.Key.Key_1),
        ("pain_middle", Qt.Key.Key_3),
        ("pain_end", Qt.Key.Key_5),
    ):
        form.pains[name].setFocus()
        qtbot.keyClick(form.pains[name], key)
    pick(qtbot, form.time_course, "Got")  # no space: Space opens a combo's list
    click(qtbot, form.triggers.button(Trigger.STAIRS_DOWN))
    click(qtbot, form.changes.button(Change.SHOES))
    click(qtbot, form.warnings.button(WarningSign.SWELLING))
    click(qtbot, form.sleep.button(Relative.LESS))
    click(qtbot, form.stress.button(Relative.MORE))
    body = form.body_map
    qtbot.mouseClick(body, Qt.MouseButton.LeftButton, pos=body.region_center(Region.KNEECAP))
    qtbot.mouseClick(body, Qt.MouseButton.LeftButton, pos=body.region_center(Region.KNEECAP))
    type_into(qtbot, form.notes, "Stairs at work hurt <b>a lot</b>")

    with qtbot.waitSignal(form.entry_submitted) as signal:
        qtbot.keyClick(form.notes, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    entry = signal.args[0]
    assert entry.kind is Kind.RUN
    assert entry.started == NOW
    assert entry.distance_km == pytest.approx(8.4)
    assert entry.duration_s == 52 * 60 + 30
    assert (entry.run_type, entry.surface, entry.shoe_id) == (RunType.TEMPO, Surface.TRAIL, 1)
    assert entry.elevation_gain_m == 120
    assert entry.rpe == 6
    assert (entry.pain_start, entry.pain_middle, entry.pain_end) == (1, 3, 5)
    assert entry.pain_next_morning is None
    assert entry.time_course is TimeCourse.BUILDS
    assert entry.triggers == {Trigger.STAIRS_DOWN}
    assert entry.changes == {Change.SHOES}
    assert entry.warnings == {WarningSign.SWELLING}
    assert (entry.sleep, entry.stress) == (Relative.LESS, Relative.MORE)
    assert entry.marks == (PainMark(Side.RIGHT, Region.KNEECAP, Intensity.MODERATE),)
    assert entry.notes == "Stairs at work hurt <b>a lot</b>"


def test_typed_nonsense_shows_at_the_field_and_keeps_everything(qtbot, form):
    type_into(qtbot, form.distance, "eight")
    type_into(qtbot, form.duration, "40")
    form.pains["pain_end"].setFocus()
    qtbot.keyClick(form.pains["pain_end"], Qt.Key.Key_4)
    with qtbot.assertNotEmitted(form.entry_submitted):
        click(qtbot, form.save_button)
    assert "number" in form.error_text()
    assert form.distance.property("invalid") is True
    assert form.distance.hasFocus()
    assert form.distance.text() == "eight"
    assert form.duration.text() == "40"
    assert form.pains["pain_end"].value() == 4
    form.distance.selectAll()
    qtbot.keyClicks(form.distance, "6")
    with qtbot.waitSignal(form.entry_submitted):
        click(qtbot, form.save_button)
    assert form.error_text() == ""
    assert form.distance.property("invalid") is False


def test_each_kind_shows_only_its_fields(qtbot, form):
    click(qtbot, form.kind.button(Kind.CHECKIN))
    assert not form.distance.isVisible()
    assert not form.pains["pain_start"].isVisible()
    assert form.pains["pain_later"].isVisible()
    click(qtbot, form.kind.button(Kind.STRENGTH))
    assert form.activity.isVisible() and form.duration.isVisible()
    assert not form.shoes.isVisible()
    click(qtbot, form.kind.button(Kind.STRENGTH))
    assert form.kind.value() is Kind.STRENGTH, "one kind is always chosen"


def test_a_check_in_is_titled_and_worded_as_a_check_in(qtbot, form):
    assert form.title.text() == "How did it go?"
    click(qtbot, form.kind.button(Kind.CHECKIN))
    assert form.title.text() == "Knee check-in: how does it feel today?"
    captions = [c.text() for c in form._captions.values() if c.isVisible()]
    assert "Pain today" in captions
    assert "Pain the morning after" in captions
    assert "Pain next morning" not in captions
    click(qtbot, form.kind.button(Kind.RUN))
    assert form.title.text() == "How did it go?"
    assert form._captions["pain_next_morning"].text() == "Pain next morning"


def test_a_check_in_keeps_only_check_in_fields(qtbot, form):
    type_into(qtbot, form.distance, "5")
    click(qtbot, form.kind.button(Kind.CHECKIN))
    form.pains["pain_later"].setFocus()
    qtbot.keyClick(form.pains["pain_later"], Qt.Key.Key_2)
    with qtbot.waitSignal(form.entry_submitted) as signal:
        click(qtbot, form.save_button)
    entry = signal.args[0]
    assert entry.kind is Kind.CHECKIN
    assert entry.distance_km is None
    assert entry.pain_later == 2


def test_editing_fills_every_field_and_keeps_the_id(qtbot, form):
    run = make_run(
        id=42,
        shoe_id=1,
        notes="hilly",
        triggers=frozenset({Trigger.SITTING}),
        time_course=TimeCourse.EASES,
        pain_next_morning=2,
        elevation_gain_m=80.0,
        sleep=Relative.USUAL,
    )
    form.edit(run)
    assert form.cancel_button.isVisible()
    with qtbot.waitSignal(form.entry_submitted) as signal:
        click(qtbot, form.save_button)
    assert signal.args[0] == run


def test_new_form_takes_defaults_from_the_last_run(qtbot, form):
    last = make_run(
        run_type=RunType.LONG,
        surface=Surface.GRASS,
        shoe_id=1,
        marks=(PainMark(Side.LEFT, Region.IT_BAND),),
    )
    form.start_new(NOW, last)
    assert form.run_type.currentText() == "Long"
    assert form.surface.currentText() == "Grass"
    assert form.shoes.currentData() == 1
    assert form.body_map.side() is Side.LEFT
    assert form.body_map.marks() == ()
    assert form.distance.text() == ""


def test_miles_are_stored_as_km(qtbot, form):
    form.set_units(Units.MI)
    type_into(qtbot, form.distance, "5")
    with qtbot.waitSignal(form.entry_submitted) as signal:
        click(qtbot, form.save_button)
    assert signal.args[0].distance_km == pytest.approx(8.04672)


def test_retired_shoes_are_not_offered_and_add_a_pair_asks(qtbot, form):
    names = [form.shoes.itemText(i) for i in range(form.shoes.count())]
    assert "Old pair" not in names
    form.shoes.setFocus()
    with qtbot.waitSignal(form.add_shoe_requested):
        qtbot.keyClick(form.shoes, Qt.Key.Key_End)
    assert form.shoes.currentData() is None, "the previous choice stays while the dialog is open"


def not_asked(kind: Kind) -> set[str]:
    """What the form clears on purpose when an entry is edited: what its kind is not asked."""
    return {f.name for f in FIELDS if f.widget is not None and kind not in f.kinds}


SAMPLE_SHOE = 7


def sample_value(name: str, hint):
    """A value for an Entry field, chosen by its type, that every form widget can show: so a
    field added to Entry later is part of the round trip below without listing it there."""
    if name == "marks":
        return (PainMark(Side.LEFT, Region.KNEECAP, Intensity.MODERATE),)
    if name == "started":
        return dt.datetime(2026, 11, 3, 7, 15)
    if name == "uuid":
        return "0b0c6f3e-8a63-4f0a-9d55-7b1f0d5c2a11"
    if name == "shoe_id":
        return SAMPLE_SHOE
    if isinstance(hint, types.UnionType):  # X | None
        hint = next(a for a in typing.get_args(hint) if a is not type(None))
    kind = typing.get_origin(hint) or hint
    if kind is frozenset:
        members = list(typing.get_args(hint)[0])
        return frozenset({members[0], members[2]})
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return list(kind)[1]
    return {bool: True, int: 7, float: 7.5, str: "x"}[kind]


def sample_entry(kind: Kind) -> Entry:
    """An entry of `kind` with every field set, the ones its kind does not ask for too."""
    hints = typing.get_type_hints(Entry)
    values = {
        f.name: sample_value(f.name, hints[f.name])
        for f in dataclasses.fields(Entry)
        if f.name != "kind"
    }
    return Entry(kind=kind, **values)


@pytest.mark.parametrize("kind", list(Kind))
def test_an_edit_saved_unchanged_keeps_every_field_of_every_kind(qtbot, form, kind):
    """Opening an entry and saving it as it is changes nothing but what saving means: the
    pain is logged now, and the fields its kind does not ask for are cleared. A field the form
    neither shows nor keeps would be erased here without a word."""
    form.set_shoes([Shoe(id=SAMPLE_SHOE, name="Sample pair")])
    entry = sample_entry(kind)
    form.edit(entry)
    with qtbot.waitSignal(form.entry_submitted) as signal:
        click(qtbot, form.save_button)
    saved = signal.args[0]
    bare = Entry(kind=kind, started=entry.started)
    defaults = {f.name: getattr(bare, f.name) for f in dataclasses.fields(Entry)}
    expected = entry.with_(pain_pending=False, **{name: defaults[name] for name in not_asked(kind)})
    for f in dataclasses.fields(Entry):
        assert getattr(saved, f.name) == getattr(expected, f.name), f.name


def test_a_runs_temperature_is_asked_after_the_climb_and_refused_at_its_field(qtbot, form):
    type_into(qtbot, form.distance, "8")
    type_into(qtbot, form.temperature_c, "-4,5")
    captions = [form._captions[key] for key in ("elevation", "temperature_c", "shoes")]
    assert [c.text() for c in captions] == ["Climb (m)", "Temperature (\u00b0C)", "Sh&oes"]
    assert captions[0].y() < captions[1].y() < captions[2].y()
    entry = form.collect()
    assert entry.temperature_c == -4.5
    with pytest.raises(InvalidEntry) as refused:
        entry.with_(temperature_c=80.0).validate(NOW.date())
    form.show_error(refused.value)
    assert form.error_text() == "Temperature must be between -50 and 60 \u00b0C."
    assert form.temperature_c.property("invalid") is True and form.temperature_c.hasFocus()
    click(qtbot, form.kind.button(Kind.STRENGTH))
    assert not form.temperature_c.isVisible()
    assert form.collect().temperature_c is None


def test_in_miles_the_climb_is_asked_and_shown_in_feet(qtbot, form):
    form.set_units(Units.MI)
    assert form._captions["elevation"].text() == "Climb (ft)"
    type_into(qtbot, form.distance, "5")
    type_into(qtbot, form.elevation, "500")
    with qtbot.waitSignal(form.entry_submitted) as signal:
        click(qtbot, form.save_button)
    assert signal.args[0].elevation_gain_m == pytest.approx(152.4)  # 500 ft

    run = make_run(id=7, elevation_gain_m=123.5, elevation_loss_m=130.0, device="Watch")
    form.edit(run)
    assert form.elevation.text() == "405"  # 123.5 m
    assert "405 ft up, 427 ft down" in form.recorded.text()
    with qtbot.waitSignal(form.entry_submitted) as signal:
        click(qtbot, form.save_button)
    assert signal.args[0].elevation_gain_m == 123.5, "untouched, not rounded through feet"
