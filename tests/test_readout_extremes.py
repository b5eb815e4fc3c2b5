"""Every scene's readout columns fit the widest numbers a run the CLI accepts shows.

The CLI takes up to 100 000 steps (a counter `100 000 / 100 000`) and values
written with a power of ten. Each scene is built from its committed default runs,
its replay not planned; every readout column it builds is then asked to lay out the
widest counter: the numbers must end at the column's right edge, inside the frame,
reach no further left than the planned width did or NAME_GAP short of the names, at
no less than MIN_SHARE of the planned size.
"""

from __future__ import annotations

from typing import Any

import pytest
from manim import tempconfig

from scenes.numbers import THIN, format_count
from scenes.panels.readouts import NAME_GAP, ReadoutColumn
from scenes.readout import Readout
from scenes.text import readout
from scenes.theme import DARK
from sgd_anim.registry import SCENES
from sgdcore.trace import Trace
from tests.conftest import PLANS
from tests.test_beats import default_runs

pytestmark = pytest.mark.xdist_group(PLANS)

WIDEST = format_count(100_000, 100_000)  # the longest run the CLI allows
SAFE_X = 0.95 * 7.111  # 5% inside the frame's right edge
MIN_SHARE = 0.5  # of the column's planned font size
EDGE = 1e-6


def columns_of(name: str, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Each readout column the scene builds, with the trace it follows."""
    built: list[tuple[ReadoutColumn, Trace]] = []
    moving = ReadoutColumn.moving

    def caught(
        self: ReadoutColumn, clock: Any, trace: Trace, **how: bool
    ) -> list[Readout]:
        built.append((self, trace))
        return moving(self, clock, trace, **how)

    monkeypatch.setattr(ReadoutColumn, "moving", caught)
    spec = SCENES[name]
    settings = {"frame_rate": 15, "disable_caching": True, "verbosity": "WARNING"}
    with tempconfig(settings):
        scene = spec.scene_class()(
            *default_runs(name), pace=spec.pace, palette=DARK, plan_only=True
        )
        scene.replay = lambda *_, **__: None  # type: ignore[method-assign]
        scene.construct()
    return built


# Building every scene takes half a minute: the quick loop checks three
FAST = ("fit_line", "lr_too_low", "validation")


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(name, marks=() if name in FAST else pytest.mark.slow)
        for name in sorted(SCENES)
    ],
)
def test_every_readout_column_fits_the_widest_counter(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = columns_of(name, monkeypatch)
    if not built:
        pytest.skip(f"{name} shows no readout column")
    for column, trace in built:
        cells, drawn = column.cells(trace)
        cells = max(cells, len(WIDEST))
        size = column.number_size(max(drawn, len(WIDEST) - WIDEST.count(THIN) / 2))
        assert size >= MIN_SHARE * column.size
        names_right = max(float(text.get_right()[0]) for text in column.names)
        # as far left as the planned width reached, or to NAME_GAP from the names
        planned = (
            column.right
            - column.n_chars * readout(DARK, 1, size=column.size).atlas.pitch
        )
        furthest = min(planned, names_right + NAME_GAP)
        for baseline in column.baselines:
            number = readout(DARK, cells, size=size)
            number.put_on_baseline(column.right, baseline)
            number.show(WIDEST)
            left, right = number.get_left()[0], number.get_right()[0]
            assert right <= min(column.right, SAFE_X) + EDGE, (name, right)
            assert left >= furthest - EDGE, (name, left, furthest)


def test_counts_are_grouped_from_ten_thousand_like_any_number() -> None:
    assert format_count(6, 20) == "6 / 20"
    assert format_count(9999) == "9999"
    assert format_count(10_000, 100_000) == "10\u2009000 / 100\u2009000"
