"""The update a ← a − lr · ∇L for a line's two parameters, with the step's numbers.

Under the rule in symbols, one worked line per parameter, from the trace:
`a₁ = −1.000 − 0.1 × (−9.412) = −0.0588`, written with "=" only when the shown digits
add up (scenes/panels/update_rule.worked_update), else with "≈".
"""

from __future__ import annotations

from typing import cast

import numpy as np
from manim import Mobject, VGroup

from scenes.clock import StepClock
from scenes.panels.update_rule import worked_update
from scenes.readout import Readout
from scenes.text import label, put_on_baseline, readout
from scenes.theme import Palette
from sgdcore.trace import Trace

LINE_CHARS = 36  # cells in a worked line: "= −0.199 − 0.1 × (−1.945) = −0.0045"
LINE_GAP = 0.42  # baseline to baseline
NAMES = ("a₁", "a₂")


class LineUpdate:
    """The rule, its left edge at `left` and its baseline at `top`, then a worked line
    for each parameter of the update in progress."""

    def __init__(
        self,
        palette: Palette,
        trace: Trace,
        left: float,
        top: float,
        gap: float = LINE_GAP,
    ) -> None:
        """`gap`: from one baseline to the next."""
        self.palette, self.trace, self.left, self.top = palette, trace, left, top
        self.gap = gap
        rule = label(
            palette, "update:  a ← a − lr · ∇L", palette.label_size, palette.ink
        )
        self.rule = put_on_baseline(rule, left, top)
        self.names = VGroup(
            *(
                put_on_baseline(
                    label(palette, name, palette.label_size, palette.muted),
                    left + 0.3,
                    top - gap * (row + 1),
                )
                for row, name in enumerate(NAMES)
            )
        )
        self.lines = [self.worked(component) for component in range(len(NAMES))]

    def worked(self, component: int) -> list[str]:
        """Every step's worked line for one parameter; empty once the run is over."""
        trace, lines = self.trace, []
        for k in range(trace.n_steps):
            value, grad = trace.params[k, component], trace.grad[k, component]
            if not (np.isfinite(value) and np.isfinite(grad)):
                lines.append("")
                continue
            for decimals in (3, 2, 1, 0):  # fewer when a line would not fit
                first, second = worked_update(
                    float(value),
                    trace.learning_rate,
                    float(grad),
                    float(trace.params[k + 1, component]),
                    decimals=decimals,
                    width=LINE_CHARS,
                )
                if len(first) + 1 + len(second) <= LINE_CHARS:
                    break
            lines.append(f"{first} {second}")
        return [*lines, ""]

    def static(self) -> VGroup:
        """The rule in symbols and the parameters' names."""
        return VGroup(self.rule, self.names)

    def moving(self, clock: StepClock) -> list[Readout]:
        """The worked lines of the update in progress."""
        numbers = []
        for row, lines in enumerate(self.lines):
            width = max(len(text) for text in lines)  # never cut a number short
            line = readout(
                self.palette, width, self.palette.ink, "left", self.palette.tick_size
            )
            right = self.left + 0.75 + line.atlas.pitch * width
            line.put_on_baseline(right, self.top - self.gap * (row + 1))

            def show(mob: Mobject, lines: list[str] = lines) -> None:
                index = min(clock.index(self.trace), len(lines) - 1)
                cast(Readout, mob).show(lines[index])

            numbers.append(line.add_updater(show, call_updater=True))
        return numbers
