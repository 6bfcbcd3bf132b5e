"""kneelog/ui/next_morning_bar.py: the question about the morning after a run."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from kneelog.ui.next_morning_bar import NextMorningBar


def test_the_bar_asks_takes_one_click_and_can_be_put_off(qtbot):
    bar = NextMorningBar()
    qtbot.addWidget(bar)
    assert bar.isHidden(), "nothing to ask until asked"
    bar.ask("How was the knee this morning, after Thursday's 8.4 km run?")
    bar.resize(700, 60)
    assert bar.isVisible() and "Thursday" in bar.question.text()
    with qtbot.waitSignal(bar.rated) as rated:
        qtbot.mouseClick(
            bar.scale, Qt.MouseButton.LeftButton, pos=bar.scale.cell_rect(2).center().toPoint()
        )
    assert rated.args == [2]

    bar.ask("And today?")
    assert bar.scale.value() is None, "a new question starts with nothing chosen"
    [later] = [b for b in bar.findChildren(QPushButton) if b.text() == "Not now"]
    with qtbot.waitSignal(bar.dismissed):
        qtbot.mouseClick(later, Qt.MouseButton.LeftButton)
