"""The update rule w ← w − lr · f′(w), and under it the step's own numbers filled in."""

from __future__ import annotations

import numpy as np
from manim import LEFT, VMobject

from scenes.clock import StepClock
from scenes.numbers import format_lr, format_number
from scenes.readout import Readout
from scenes.text import label, readout
from scenes.theme import Palette
from sgdcore.trace import Trace

LINE_CHARS = 24  # cells in each worked line: "= 5.97 − 1.1 × (−11.9)" fits
INDENT = 0.3  # the worked lines sit this far right of the rule
LINE_GAP = 0.5  # baseline to baseline


class UpdateRule:
    """The rule, its left edge at `left` and centred on `y`, and the update in progress."""

    def __init__(self, palette: Palette, trace: Trace, left: float, y: float) -> None:
        self.palette, self.trace, self.left = palette, trace, left
        self.rule = label(palette, "update:  w ← w − lr · f′(w)", color=palette.ink)
        self.rule.move_to(np.array([left, y, 0.0]), aligned_edge=LEFT)

    def static(self) -> VMobject:
        """The rule in symbols."""
        return self.rule

    def substituted(self, k: int) -> str:
        """Update k with its numbers: `= w − lr × f′(w)`; empty once the run is over."""
        trace = self.trace
        if k >= trace.n_steps:
            return ""
        grad = format_number(trace.grad[k, 0], 3)
        grad = f"({grad})" if grad.startswith("−") else grad
        return f"= {format_number(trace.params[k, 0], 3)} − {format_lr(trace.learning_rate)} × {grad}"

    def result(self, k: int) -> str:
        """Where update k lands: `= w_{k+1}`; empty once the run is over."""
        trace = self.trace
        return (
            ""
            if k >= trace.n_steps
            else f"= {format_number(trace.params[k + 1, 0], 3)}"
        )

    def moving(self, clock: StepClock) -> list[Readout]:
        """The two worked lines under the rule, following the clock."""
        bottom = float(self.rule.get_bottom()[1])
        lines = []
        for row, text_at in enumerate([self.substituted, self.result]):
            line = readout(
                self.palette,
                LINE_CHARS,
                self.palette.ink,
                "left",
                self.palette.label_size,
            )
            line.put_on_baseline(
                self.left + INDENT + line.atlas.pitch * LINE_CHARS,
                bottom - LINE_GAP * (row + 1),
            )
            line.add_updater(
                lambda mob, text_at=text_at: mob.show(text_at(clock.index(self.trace))),
                call_updater=True,
            )
            lines.append(line)
        return lines
