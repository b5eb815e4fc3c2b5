"""A row of curve fits' step counter and point keys.

The counter stands alone in the frame's top-right corner, on the title's row, clear
of the subtitle under the title. The points need no legend of their own: each
panel's two loss readouts are keyed by the points their loss is measured on, a
filled dot before `training`, a ring before `validation`.
"""

from __future__ import annotations

import numpy as np
from manim import VMobject

from scenes.clock import StepClock
from scenes.panels.curve_fit import CurveFit
from scenes.panels.readouts import ReadoutColumn
from scenes.readout import Readout, glyph_atlas
from scenes.text import label, safe_right
from scenes.theme import Palette
from sgdcore.trace import Trace

COUNTER_BASELINE = 3.17  # the title's baseline (its top at the 5% margin, 3.6)
COUNTER_GAP = 0.2  # from the step counter's name to its number's widest
KEY_GAP = 0.14  # from a point's mark to its readout's name
KEY_LIFT = 0.1  # a mark's centre over its row's baseline: halfway up a lowercase x


def step_counter(
    palette: Palette,
    clock: StepClock,
    trace: Trace,
    right: float | None = None,
    baseline: float = COUNTER_BASELINE,
) -> tuple[VMobject, list[Readout]]:
    """`step 7 / 1000` ending at x = `right` (the safe area's edge if None) on
    `baseline`: the name (static) and the count, which shows every recorded step
    the replay reaches."""
    right = safe_right() if right is None else right
    last = trace.n_steps
    n_chars = len(f"{last} / {last}")
    name = label(palette, "step", palette.label_size, palette.muted)
    pitch = glyph_atlas(palette.mono_font, palette.label_size).pitch
    left = right - n_chars * pitch - COUNTER_GAP - name.width
    column = ReadoutColumn(
        palette,
        [("step", lambda k: f"{k} / {last}")],
        left=left,
        right=right,
        top=baseline,
        row_height=0.0,
        n_chars=n_chars,
        size=palette.label_size,
        on_baselines=True,
    )
    return column.static(), column.moving(clock, trace)


def point_keys(panel: CurveFit, top: float, row: float) -> list[VMobject]:
    """A filled dot and a ring, left of the panel's two loss readouts' names (their
    baselines `top` and `row` under it): the points each loss is measured on."""
    left = panel.box.corner[0]
    marks = panel.point_marks()
    for index, mark in enumerate(marks):
        centre = left - KEY_GAP - mark.width / 2, top - index * row + KEY_LIFT
        mark.move_to(np.array([*centre, 0.0]))
    return marks
