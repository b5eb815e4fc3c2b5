"""regularization: the same flexible model with and without weight decay.

Weight decay (torch.optim's `weight_decay`) pulls every coefficient towards zero at
each step, so the model cannot grow the large, cancelling terms that wiggles need:
it fits the training points a little worse and the held-out ones better.
"""

from __future__ import annotations

import numpy as np
from manim import UR, VGroup, VMobject

from scenes.clock import StepClock
from scenes.fit_stories import ComparedFitsStory, final_losses
from scenes.numbers import format_lr
from scenes.panels.curve_fit import CurveFit
from scenes.panels.notes import verdict_note
from scenes.panels.readouts import ReadoutColumn
from scenes.replay import ReplayScene
from scenes.stories import n
from scenes.text import label, put_on_baseline
from sgdcore.trace import Trace

PANEL_LEFTS, PANEL_WIDTH = (-5.75, 0.95), 5.6
PANEL_BOTTOM, PANEL_HEIGHT = -1.05, 2.6
NAME_GAP = 0.38
READOUT_TOP, READOUT_ROW = -1.85, 0.4
VERDICT_TOP = -2.7
LEGEND_TOP_RIGHT = (6.75, 3.75)


def decay_of(trace: Trace) -> float:
    """The run's weight decay (0 when it has none)."""
    decay = trace.meta.get("weight_decay", 0.0)
    return float(decay) if isinstance(decay, int | float) else 0.0


def run_name(trace: Trace) -> str:
    """`no weight decay` or `weight decay 0.01`."""
    decay = decay_of(trace)
    return f"weight decay {format_lr(decay)}" if decay else "no weight decay"


class Regularization(ReplayScene):
    """Two copies of one model; weight decay keeps the second's curve smooth."""

    def construct(self) -> None:
        palette, traces = self.palette, list(self.traces)
        clock = StepClock(traces)
        panels = [
            CurveFit(palette, trace, (left, PANEL_BOTTOM), (PANEL_WIDTH, PANEL_HEIGHT))
            for left, trace in zip(PANEL_LEFTS, traces, strict=True)
        ]
        legend = panels[0].points_legend()
        legend.move_to(np.array([*LEGEND_TOP_RIGHT, 0.0]), aligned_edge=UR)
        self.add_static(self.make_title(), legend)
        for panel in panels:
            name = label(palette, run_name(panel.trace), palette.body_size)
            left, bottom = panel.box.corner
            put_on_baseline(name, left, bottom + PANEL_HEIGHT + NAME_GAP)
            self.add_static(panel.static(names=False), name)
            model = panel.model(clock)
            self.add_moving(clock, model, *self.readouts(panel, clock))
            self.keep_inside(panel.box, model)
            self.watch(model)
        closing = self.closing()
        self.add_moving(
            clock,
            *verdict_note(
                palette,
                clock,
                closing,
                (PANEL_LEFTS[0], VERDICT_TOP),
                align="left",
                width=12.4,
                small=True,
            ),
        )
        names = [run_name(trace) for trace in traces]
        self.replay(clock, ComparedFitsStory(traces, names, closing))

    def closing(self) -> str:
        """What weight decay did to each loss, from the runs' last steps."""
        (plain_train, plain_valid), (decayed_train, decayed_valid) = (
            final_losses(trace) for trace in self.traces
        )
        decay = format_lr(decay_of(self.traces[1]))
        return (
            f"Weight decay {decay}: validation loss {n(decayed_valid)} instead of "
            f"{n(plain_valid)}; training loss {n(decayed_train)} instead of "
            f"{n(plain_train)}."
        )

    def make_title(self) -> VGroup:
        """Title, and what both panels share."""
        trace = self.trace
        return self.title(
            "Regularization: weight decay",
            f"degree {trace.meta['degree']}, the same points and start · Adam, "
            f"learning rate {format_lr(trace.learning_rate)}",
        )

    def readouts(self, panel: CurveFit, clock: StepClock) -> list[VMobject]:
        """Training and validation loss under the panel, decimal points aligned."""
        trace, (left, _) = panel.trace, panel.box.corner
        column = ReadoutColumn(
            self.palette,
            [("training loss", trace.full_loss), ("validation loss", trace.valid_loss)],
            left=left,
            right=left + PANEL_WIDTH,
            top=READOUT_TOP,
            row_height=READOUT_ROW,
            n_chars=9,
            size=self.palette.label_size,
            on_baselines=True,
        )
        self.add_static(column.static())
        return list(column.moving(clock, trace))
