"""No text sits on the data: a label, readout, legend or tick label over a data point,
a run's line or path, a curve or a contour is a defect wherever the scene puts it.

Graphics count as data by what they are drawn in (scenes.theme.DRAWN): the palette's
data, model, highlight, warning and learning-rate colours, the contours' muted lines
at their own opacity, and the ink of the minimum's marks; axes, ticks, gridlines and
the dashed loss floor are the plot's frame, not its data. A text is on the data when
a point along a data graphic's outline lies inside the text's box.

Leader lines (from a path's name to where the path ends) are drawn in the axes' muted
ink, but they too run through no text: not another name, not a contour's loss. Each
starts just off its own name, outside that name's box.
"""

from __future__ import annotations

from dataclasses import fields

import numpy as np
import pytest

from scenes.panels.path_labels import Leaders
from scenes.theme import DRAWN, GRAPHIC, PALETTES, Palette
from tests.conftest import PLANS
from tests.layout_snapshots import CASES, TOLERANCE, Mark, note, report, snapshots

pytestmark = pytest.mark.xdist_group(PLANS)

DATA_COLOURS = (
    "data",
    "fit",
    "accent",
    "highlight",
    "warning",
    "lr_low",
    "lr_good",
    "lr_high",
)
DATA_KINDS = ("contours", "minimum marks")


def data_paints(palette: Palette) -> set[tuple[str, float]]:
    """The (colour, opacity) pairs a data graphic is drawn in, in this palette."""
    colours = {getattr(palette, name).upper() for name in DATA_COLOURS}
    paints: set[tuple[str, float]] = set()
    for drawn in DRAWN.values():
        hexes = {getattr(palette, name).upper() for name in drawn.fields}
        if drawn.kind != GRAPHIC:
            continue
        if drawn.name in DATA_KINDS or hexes <= colours:
            paints |= {(colour, round(drawn.opacity, 2)) for colour in hexes}
    return paints


def is_data(mark: Mark, paints: set[tuple[str, float]]) -> bool:
    """Whether a graphic is drawn as data."""
    return not mark.is_text and any(
        (colour.upper(), round(opacity, 2)) in paints for colour, opacity in mark.paints
    )


def covers(text: Mark, graphic: Mark) -> bool:
    """Whether a point of `graphic`'s outline lies inside `text`'s box (less a touch)."""
    left, bottom, right, top = text.box
    points = graphic.outline
    inside = (
        (points[:, 0] > left + TOLERANCE)
        & (points[:, 0] < right - TOLERANCE)
        & (points[:, 1] > bottom + TOLERANCE)
        & (points[:, 1] < top - TOLERANCE)
    )
    return bool(inside.any())


CASE_THEMES = [
    pytest.param(case, theme, id=f"{case}-{theme}")
    for case in CASES
    for theme in PALETTES
]


@pytest.mark.parametrize(("case", "theme"), CASE_THEMES)
def test_no_text_sits_on_the_data(case: str, theme: str) -> None:
    paints = data_paints(PALETTES[theme])
    problems: dict[str, list[float]] = {}
    for shot in snapshots(case, theme):
        texts = [mark for mark in shot.marks if mark.is_text and mark.flat]
        data = [mark for mark in shot.marks if mark.flat and is_data(mark, paints)]
        for text in texts:
            for graphic in data:
                if covers(text, graphic):
                    note(problems, f"{text} lies on {graphic.words}", shot.step)
    assert not problems, report(case, theme, problems)


def is_leader(mark: Mark) -> bool:
    """Whether a graphic is the leader lines from names to their paths' ends."""
    return not mark.is_text and mark.words.startswith(f"{Leaders.__name__} (")


@pytest.mark.parametrize(("case", "theme"), CASE_THEMES)
def test_no_leader_line_runs_through_a_text(case: str, theme: str) -> None:
    problems: dict[str, list[float]] = {}
    for shot in snapshots(case, theme):
        texts = [mark for mark in shot.marks if mark.is_text and mark.flat]
        for leader in (mark for mark in shot.marks if is_leader(mark)):
            for text in texts:
                if covers(text, leader):
                    note(problems, f"a leader runs through {text}", shot.step)
    assert not problems, report(case, theme, problems)


def test_the_check_finds_the_leaders_once_the_paths_are_named() -> None:
    # the default runs settle together, and the view zoomed in on them leaves no
    # room for their names; one run that diverged is named at its end
    last = snapshots("optimizers_one_diverged", "dark")[-1]
    assert any(is_leader(mark) for mark in last.marks)


def test_the_check_knows_data_from_the_frame() -> None:
    names = {field.name for field in fields(Palette)}
    assert set(DATA_COLOURS) <= names
    paints = data_paints(PALETTES["dark"])
    dark = PALETTES["dark"]
    assert (dark.data.upper(), 1.0) in paints  # points
    assert (dark.muted.upper(), 0.75) in paints  # contours
    assert (dark.muted.upper(), 1.0) not in paints  # axes
    assert (dark.grid.upper(), 1.0) not in paints
    line = Mark(False, "line", (0, 0, 2, 2), ((dark.fit, 1.0),), True)
    text = Mark(True, "label", (0.5, 0.5, 1.5, 1.5), (), True)
    crossing = Mark(
        False, "line", (0, 0, 2, 2), ((dark.fit, 1.0),), True, np.array([[1.0, 1.0]])
    )
    assert not covers(text, line) and covers(text, crossing)
