"""A loss plot's mark at one step: a dashed line up the plot, named at its top.

It appears once the replay reaches that step (the lowest validation loss, so far).
"""

from __future__ import annotations

from manim import DOWN, RIGHT, DashedLine, VGroup, VMobject

from scenes.clock import StepClock
from scenes.panels.loss_plot import LossPlot
from scenes.text import label, shown_while
from scenes.theme import DRAWN, Palette

LINE_OPACITY = DRAWN["stop mark"].opacity


def step_mark(
    palette: Palette,
    loss: LossPlot,
    clock: StepClock,
    step: int,
    words: str,
    color: str | None = None,
    drop: float = 0.0,
) -> list[VMobject]:
    """A dashed line at `step` and `words` (in `color`, ink if None) at its top,
    `drop` further down (under another mark's words), shown from `step` on."""
    box = loss.box
    at = float(loss.step_x(step))
    bottom, top = box.c2p(at, box.y_span[0]), box.c2p(at, box.y_span[1])
    line = DashedLine(bottom, top, dash_length=0.08, stroke_width=2.5)
    line.set_stroke(palette.ink, opacity=LINE_OPACITY)
    name = label(palette, words, palette.tick_size, color or palette.ink)
    name.next_to(top, RIGHT, buff=0.1).shift((0.15 + drop) * DOWN)
    return [shown_while(VGroup(line, name), lambda: clock.value >= step)]
