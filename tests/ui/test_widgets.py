from PySide6.QtCore import Qt

from kneelog.model import Trigger
from kneelog.ui.widgets import ChipGroup, Scale


def click_cell(qtbot, scale: Scale, value: int) -> None:
    qtbot.mouseClick(
        scale, Qt.MouseButton.LeftButton, pos=scale.cell_rect(value).center().toPoint()
    )


def test_clicking_a_cell_picks_it_and_clicking_again_clears(qtbot):
    scale = Scale()
    qtbot.addWidget(scale)
    scale.resize(scale.sizeHint())
    scale.show()
    with qtbot.waitSignal(scale.value_changed) as signal:
        click_cell(qtbot, scale, 7)
    assert signal.args == [7]
    assert scale.value() == 7
    click_cell(qtbot, scale, 7)
    assert scale.value() is None


def test_every_cell_is_reachable_by_mouse(qtbot):
    scale = Scale()
    qtbot.addWidget(scale)
    scale.resize(400, 30)
    scale.show()
    for value in range(11):
        click_cell(qtbot, scale, value)
        assert scale.value() == value


def test_number_keys_arrows_and_delete(qtbot):
    scale = Scale()
    qtbot.addWidget(scale)
    scale.show()
    qtbot.keyClick(scale, Qt.Key.Key_4)
    assert scale.value() == 4
    qtbot.keyClick(scale, Qt.Key.Key_Right)
    assert scale.value() == 5
    qtbot.keyClick(scale, Qt.Key.Key_1)
    qtbot.keyClick(scale, Qt.Key.Key_0)
    assert scale.value() == 10
    qtbot.keyClick(scale, Qt.Key.Key_Right)
    assert scale.value() == 10, "never above the top of the scale"
    qtbot.keyClick(scale, Qt.Key.Key_Delete)
    assert scale.value() is None
    qtbot.keyClick(scale, Qt.Key.Key_0)
    assert scale.value() == 0


def test_chips_toggle_independently(qtbot):
    chips = ChipGroup([(t, t.value) for t in Trigger])
    qtbot.addWidget(chips)
    chips.show()
    with qtbot.waitSignal(chips.changed):
        qtbot.mouseClick(chips.button(Trigger.SITTING), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(chips.button(Trigger.STAIRS_DOWN), Qt.MouseButton.LeftButton)
    assert chips.selected() == {Trigger.SITTING, Trigger.STAIRS_DOWN}
    chips.button(Trigger.SITTING).setFocus()
    qtbot.keyClick(chips.button(Trigger.SITTING), Qt.Key.Key_Space)
    assert chips.selected() == {Trigger.STAIRS_DOWN}


def test_exclusive_chips_keep_one_or_none(qtbot):
    chips = ChipGroup([(-1, "Less"), (0, "Usual"), (1, "More")], exclusive=True)
    qtbot.addWidget(chips)
    chips.show()
    qtbot.mouseClick(chips.button(-1), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(chips.button(1), Qt.MouseButton.LeftButton)
    assert chips.value() == 1
    assert chips.selected() == {1}
    qtbot.mouseClick(chips.button(1), Qt.MouseButton.LeftButton)
    assert chips.value() is None
