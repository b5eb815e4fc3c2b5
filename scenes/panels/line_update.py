"""The update a ← a − lr · ∇L for a line's two parameters, with the step's numbers.

Under the rule in symbols, one worked line per parameter, from the trace:
`a₁ = −0.7114 − 0.1 × (−2.6673) ≈ −0.445`. The result is worked out exactly from the
shown digits (scenes/worked.py) and rounded to the readout's decimals, and it is the
readout of the next step: the value (and if need be the gradient) is shown to as
many more decimals than its readout as that takes, one number for the whole clip.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import cast

import numpy as np
import numpy.typing as npt
from manim import Mobject, VGroup

from scenes.clock import StepClock
from scenes.columns import column_decimals, fit_row
from scenes.readout import Readout
from scenes.text import label, put_on_baseline, readout
from scenes.theme import Palette
from scenes.worked import (
    UPDATE_LABEL_ROW,
    exact,
    landing_updates,
    run_lr,
    update_label,
)
from sgdcore.trace import Trace

LINE_CHARS = 38  # cells in a worked line: "= −0.711370 − 0.1 × (−2.8863) ≈ −0.445"
NUMBER_CELLS = 11  # the most cells one number of a line takes
LINE_GAP = 0.42  # baseline to baseline
LABEL_GAP = 0.3  # from the rule to the label of the update it works out
NAMES = ("a₁", "a₂")
MORE_VALUE, MORE_GRAD = 3, 2  # most decimals a worked line adds to a readout's


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
        shown: Sequence[Sequence[str]] | None = None,
        chars: int = LINE_CHARS,
    ) -> None:
        """`gap`: from one baseline to the next; `decimals`: each parameter's value
        and gradient decimals (a readout column's), else each row's own; `shown`:
        each parameter as its readout writes it at every step, else in NUMBER_CELLS
        at its decimals; `chars`: the cells a worked line may take."""
        self.palette, self.trace, self.left, self.top = palette, trace, left, top
        self.gap, self.chars = gap, chars
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
        if shown is None:
            shown = [
                fit_row(values, places[0], NUMBER_CELLS)
                for values, places in zip(trace.params.T, decimals, strict=False)
            ]
        lines = [
            self.worked(component, places, lands)
            for component, (places, lands) in enumerate(
                zip(decimals, shown, strict=True)
            )
        ]
        # lined up where the padding keeps every line within its cells
        padded = aligned_values(lines)
        fits = all(len(line) <= chars for rows in padded for line in rows)
        self.lines = padded if fits else lines

    def worked(
        self, component: int, decimals: tuple[int, int], lands: Sequence[str]
    ) -> list[str]:
        """Every step's worked line for one parameter; the last one again at the end.

        `lands`: the parameter as its readout writes it at every step. A line's
        result is the shown digits worked out and rounded to the readout's decimals,
        so it must be the next readout: the value and gradient take as many decimals
        more than `decimals` (one number for the whole clip, fewest first) as make
        every result the next readout, with the readout their rounding. Where none
        that fits does, the line with the fewest misses says `→ r` at a miss (where
        the run went, as the readout writes it); a number too wide is written m×10ⁿ.
        """
        trace = self.trace
        values, grads = trace.params[:, component], trace.grad[:, component]
        lr = run_lr(trace)
        lands = [text.strip() for text in lands]
        best = None
        for cells in range(NUMBER_CELLS, 3, -1):
            best = landing_updates(
                partial(digits_more, values, decimals[0], cells),
                partial(digits_more, grads, decimals[1], cells),
                lr,
                lands,
                lambda pair: len(f"{pair[0]} {pair[1]}".strip()) <= self.chars,
                (MORE_VALUE, MORE_GRAD),
            )
            if best is not None:
                break
        if best is not None:
            lines = [f"{first} {second}".strip() for first, second in best]
        else:  # no worked line fits (a learning rate of 10⁵ on a far start needs
            # more digits of the gradient than there is room for): each line keeps
            # where its update lands, as the readouts write it
            lines = [f"→ {text}" if exact(text) is not None else "" for text in lands]
            lines = lines[1:]
        # the run over, the last update made stays: no blank rows at the end
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
            line.quantity = NAMES[row]

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


def aligned_values(rows: list[list[str]]) -> list[list[str]]:
    """The worked lines (`= v − lr × (g) ≈ r`) with each line's first number padded
    to one field for all rows and steps, its decimal point in one column: the rows'
    operators line up though one parameter's value shows more decimals."""

    def split(line: str) -> tuple[str, str, str] | None:
        words = line.split(" ", 2)
        if len(words) < 3 or words[0] != "=":
            return None
        return words[0], words[1], words[2]

    parts = [part for lines in rows for part in map(split, lines) if part]
    if not parts:
        return rows
    whole = max(len(value.split(".")[0]) for _, value, _ in parts)
    fraction = max(len(value) - len(value.split(".")[0]) for _, value, _ in parts)

    def padded(line: str) -> str:
        part = split(line)
        if part is None:
            return line
        sign, value, rest = part
        head, dot, tail = value.partition(".")
        return f"{sign} {head.rjust(whole)}{(dot + tail).ljust(fraction)} {rest}"

    return [[padded(line) for line in lines] for lines in rows]


def digits_more(
    values: npt.NDArray[np.float64], decimals: int, cells: int, more: int
) -> list[str]:
    """`values` with `more` decimals more than `decimals`, in `cells`."""
    return fit_row(values, decimals + more, cells)
