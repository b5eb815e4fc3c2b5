"""A loss plot's x axis named right of its end, as a plane's a₁ is, for a plot whose
row under its tick labels is taken (a key, a legend)."""

from __future__ import annotations

import numpy as np
from manim import RIGHT, VMobject

from scenes.panels.axes import AXIS_NAME
from scenes.panels.loss_plot import LossPlot
from scenes.text import label
from scenes.theme import Palette

END_GAP = 0.12  # from the x axis' end to its name


def end_name(palette: Palette, loss: LossPlot, words: str = "step") -> VMobject:
    """What the plot's x axis counts, in the muted tick type, right of its end."""
    name = label(palette, words, palette.tick_size, palette.muted)
    name.role = AXIS_NAME  # type: ignore[attr-defined]
    _, bottom, right, _ = loss.box.scene_bounds
    return name.next_to(np.array([right, bottom, 0.0]), RIGHT, buff=END_GAP)
