"""The update a ← a − lr · ∇L for a line's two parameters, with the step's numbers.

Under the rule in symbols, one worked line per parameter, from the trace:
`a₁ = −1.000 − 0.1 × (−9.4117) ≈ −0.059`. Each parameter's value and gradient keep
one number of decimals for the whole clip (the readouts' own, where they fit), and
the result is worked out exactly from the shown digits (scenes/worked.py): "=" when
nothing is rounded away, "≈" when something is.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import cast

import numpy as np
import numpy.typing as npt
from manim import Mobject, VGroup

from scenes.clock import StepClock
from scenes.numbers import column_decimals, fit_row, shown_decimals
from scenes.readout import Readout
from scenes.text import label, put_on_baseline, readout
from scenes.theme import Palette
from scenes.worked import (
    UPDATE_LABEL_ROW,
    ShownRun,
    exact,
    line_fits,
    run_lr,
    update_label,
    worked_updates,
)
from sgdcore.trace import Trace

LINE_CHARS = 36  # cells in a worked line: "= −1.000 − 0.1 × (−9.4117) ≈ −0.059"
NUMBER_CELLS = 11  # the most cells one number of a line takes
LINE_GAP = 0.42  # baseline to baseline
LABEL_GAP = 0.3  # from the rule to the label of the update it works out
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
        decimals: Sequence[tuple[int, int]] | None = None,
    ) -> None:
        """`gap`: from one baseline to the next; `decimals`: each parameter's value
        and gradient decimals (a readout column's), else each row's own."""
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
        if decimals is None:
            decimals = [
                (column_decimals(values), column_decimals(grads))
                for values, grads in zip(
                    trace.params.T, trace.grad[:-1].T, strict=False
                )
            ]
        self.lines = [
            self.worked(component, places) for component, places in enumerate(decimals)
        ]

    def worked(self, component: int, decimals: tuple[int, int]) -> list[str]:
        """Every step's worked line for one parameter; the last one again at the end.

        The value and gradient take `decimals`, or fewer (both by one at a time) until
        every line fits; a number too wide even then is written m×10ⁿ.
        """
        trace = self.trace
        values, grads = trace.params[:, component], trace.grad[:, component]
        lr = run_lr(trace)
        fits = line_fits(lr, LINE_CHARS, joined=True)
        for cells in range(NUMBER_CELLS, 3, -1):
            for drops in fewer_decimals(decimals):
                run = shown_rows(values, grads, decimals, drops, cells)
                if fits(run):
                    pairs = worked_updates(run.w[:-1], run.grad[:-1], lr)
                    if not lands_true([second for _, second in pairs], values[1:]):
                        continue
                    lines = [f"{first} {second}".strip() for first, second in pairs]
                    # the run over, the last update made stays: no blank rows at the end
                    return [*lines, lines[-1] if lines else ""]
        # no line that fits also lands where the run went (a learning rate of 10⁵ on
        # a far start needs more digits of the gradient than there is room for): the
        # line keeps where each update lands, as the readouts write it
        shown = fit_row(values, decimals[0], NUMBER_CELLS)
        lines = [f"→ {text}" if exact(text) is not None else "" for text in shown[1:]]
        return [*lines, lines[-1] if lines else ""]

    def static(self) -> VGroup:
        """The rule in symbols and the parameters' names."""
        return VGroup(self.rule, self.names)

    def moving(self, clock: StepClock) -> list[Readout]:
        """The worked lines of the update in progress, and which update it is."""
        numbers = [self.step_label(clock)]
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

    def step_label(self, clock: StepClock) -> Readout:
        """`step k → k+1` after the rule: the update the lines work out, so that on
        the closing frame the last update made reads as such beside the readouts."""
        trace = self.trace
        width = len(update_label(trace.n_steps - 1, trace.n_steps))
        text = readout(
            self.palette, width, self.palette.muted, "left", self.palette.tick_size
        )
        text.row = UPDATE_LABEL_ROW
        right = float(self.rule.get_right()[0]) + LABEL_GAP + text.atlas.pitch * width
        text.put_on_baseline(right, self.top)

        def show(mob: Mobject) -> None:
            cast(Readout, mob).show(update_label(clock.index(trace), trace.n_steps))

        return text.add_updater(show, call_updater=True)


def fewer_decimals(decimals: tuple[int, int]) -> list[tuple[int, int]]:
    """How many decimals to drop from a value and its gradient, fewest first; of as
    many, from the gradient first (lr·g moves the result less than the value)."""
    most = sum(decimals)
    return [
        (total - from_grad, from_grad)
        for total in range(most + 1)
        for from_grad in range(min(total, decimals[1]), -1, -1)
        if total - from_grad <= decimals[0]
    ]


def shown_rows(
    values: npt.NDArray[np.float64],
    grads: npt.NDArray[np.float64],
    decimals: tuple[int, int],
    drops: tuple[int, int],
    cells: int,
) -> ShownRun:
    """Values and gradients with `drops` decimals fewer than `decimals`, in `cells`."""
    shown_values = fit_row(values, decimals[0] - drops[0], cells)
    shown_grads = fit_row(grads, decimals[1] - drops[1], cells)
    return ShownRun(shown_values, [], shown_grads)


def lands_true(results: Sequence[str], values: npt.NDArray[np.float64]) -> bool:
    """Whether each worked result (`= r`, `≈ r`) is within two units of its last digit
    of where the run went: rounding the shown value, gradient and result moves it by
    less; a gradient cut to too few digits moves it further."""
    for result, value in zip(results, values, strict=True):
        number = exact(result[2:])
        if number is None or not np.isfinite(value):
            continue
        unit = Decimal(1).scaleb(-shown_decimals(result[2:]))
        if "×" in result:  # m×10ⁿ: a unit of the mantissa's last digit, scaled
            unit *= Decimal(10) ** int(number.adjusted())
        if abs(number - Decimal(float(value))) > 2 * unit:
            return False
    return True
