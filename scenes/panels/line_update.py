"""The update a ← a − lr · ∇L for a line's two parameters, with the step's numbers.

Under the rule in symbols, one worked line per parameter, from the trace:
`a₁ = −0.7114 − 0.1 × (−2.6673) ≈ −0.445`. The result is worked out exactly from the
shown digits (scenes/worked.py) and rounded to the readout's decimals, and it is the
readout of the next step: the value (and if need be the gradient) is shown to as
many more decimals than its readout as that takes, one number for the whole clip,
the two rows' decimal points lined up where that keeps them in their cells
(scenes/worked_rows.py).

The closing frame's readouts show the last step's gradient, which no update used:
its lines work out the update that gradient would make (`from step 100`), in the
same digits, so that the gradient in the lines is the one beside them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import cast

import numpy as np
import numpy.typing as npt
from manim import Mobject, VGroup

from scenes.clock import StepClock
from scenes.columns import column_decimals, fit_row
from scenes.numbers import format_fixed, shown_decimals
from scenes.panels.readouts import step_reader
from scenes.readout import Readout, glyph_atlas
from scenes.text import label, put_on_baseline, readout, safe_right
from scenes.theme import Palette
from scenes.worked import UPDATE_LABEL_ROW, run_lr, update_label, worked_update
from scenes.worked_rows import chosen_rows, row_choices, value_parts
from sgdcore.trace import Trace

LINE_CHARS = 38  # cells in a worked line: "= −0.711370 − 0.1 × (−2.8863) ≈ −0.445"
NUMBER_CELLS = 11  # the most cells one number of a line takes
LINE_GAP = 0.42  # baseline to baseline
LABEL_GAP = 0.3  # from the rule to the label of the update it works out
NAME_INDENT = 0.3  # from the rule's left end to the parameters' names
NAME_GAP = 0.45  # from a name's left end to its worked line's
NAMES = ("a₁", "a₂")
MORE_VALUE, MORE_GRAD = 3, 2  # most decimals a worked line adds to a readout's
# the most cells the closing label takes with the word `step` (`last step 99 →
# 100`); a longer run's drops it (`last 999 → 1000`), so the first word makes it
# no wider than the replay's label from 1000 steps up:
# landscape's loss plot title sits on the same baseline, half a unit to the right of
# a label this wide
LABEL_CELLS = 18


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
        indent: float = NAME_INDENT,
        right: float | None = None,
    ) -> None:
        """`gap`: from one baseline to the next; `decimals`: each parameter's value
        and gradient decimals (a readout column's), else each row's own; `shown`:
        each parameter as its readout writes it at every step, else in NUMBER_CELLS
        at its decimals; `chars`: the cells a worked line may take; `indent`: from
        the rule's left end to the names; `right`: the furthest right the closing
        label reaches (a panel beside it), else the safe margin."""
        self.palette, self.trace, self.left, self.top = palette, trace, left, top
        self.right = safe_right() if right is None else right
        self.gap, self.chars, self.indent = gap, chars, indent
        # a mini-batch's step follows its batch's gradient, not the loss on all points
        n = trace.meta.get("n")
        batched = trace.meta.get("batch_size", n) not in (n, None, 0)
        rule = label(
            palette,
            f"update:  a ← a − lr · ∇L{'(batch)' if batched else ''}",
            palette.label_size,
            palette.ink,
        )
        self.rule = put_on_baseline(rule, left, top)
        self.names = VGroup(
            *(
                put_on_baseline(
                    label(palette, name, palette.label_size, palette.muted),
                    left + indent,
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
        lr = run_lr(trace)
        rows = [
            row_choices(
                partial(fit_more, values, places[0]),
                partial(fit_more, grads, places[1]),
                lr,
                [text.strip() for text in lands],
                chars,
                range(NUMBER_CELLS, 3, -1),
                (MORE_VALUE, MORE_GRAD),
            )
            for values, grads, places, lands in zip(
                trace.params.T, trace.grad.T, decimals, shown, strict=False
            )
        ]
        # each parameter's digits, chosen with the lining up of the rows counted
        self.lines = chosen_rows(rows, chars)
        # the closing frame works out the update its own readouts' gradient makes
        closing = [
            next_line(lines[-1], values[-1], grads[-1], lr, chars)
            for lines, values, grads in zip(
                self.lines, trace.params.T, trace.grad.T, strict=False
            )
        ]
        self.next_step = len(trace.grad) > trace.n_steps and all(closing)
        self.closing = (
            closing if self.next_step else [lines[-1] for lines in self.lines]
        )

    def static(self) -> VGroup:
        """The rule in symbols and the parameters' names."""
        return VGroup(self.rule, self.names)

    def moving(self, clock: StepClock, latest: bool = False) -> list[Readout]:
        """The worked lines of the update from the step the readouts show (the
        nearest: past half-way a hop shows its landing and the update after it), and
        which update it is: a frame's gradient is the one its worked lines use. With
        `latest`, the update as the clock's own index reads it, as readouts of the
        batch under way do (ReadoutColumn.moving)."""
        step_of = step_reader(clock, latest)
        numbers = [self.step_label(step_of, latest, clock)]
        for row, made in enumerate(self.lines):
            # the readouts of the update under way end on the last one made
            lines = made if latest else [*made[:-1], self.closing[row]]
            width = max(len(text) for text in lines)  # never cut a number short
            line = readout(
                self.palette, width, self.palette.ink, "left", self.palette.tick_size
            )
            start = self.left + self.indent + NAME_GAP
            right = start + line.atlas.pitch * width
            line.put_on_baseline(right, self.top - self.gap * (row + 1))
            line.quantity = NAMES[row]

            def show(mob: Mobject, lines: list[str] = lines) -> None:
                index = min(step_of(self.trace), len(lines) - 1)
                cast(Readout, mob).show(lines[index])

            numbers.append(line.add_updater(show, call_updater=True))
        return numbers

    def step_label(
        self, step_of: Callable[[Trace], int], latest: bool, clock: StepClock
    ) -> Readout:
        """`step k → k+1` after the rule, k read by `step_of`: the update the lines
        work out. On the closing frame, the update the readouts' gradient would
        make (next_label); where the lines cannot show it, the last update made:
        `last step 99 → 100` (with `latest` the readouts show the update under way,
        and once `clock` has finished the last one made, whose gradient is the
        lines'). The closing label drops `step` where it would take more than
        LABEL_CELLS, or run past `right`."""
        n = self.trace.n_steps
        if self.next_step and not latest:
            return self.next_label(step_of)
        pitch = glyph_atlas(self.palette.mono_font, self.palette.tick_size).pitch
        room = (self.right - float(self.rule.get_right()[0]) - LABEL_GAP) / pitch
        short = len(update_label(n, n)) > min(LABEL_CELLS, room)

        def label_at(k: int) -> str:
            k = n if latest and clock.finished() else k
            return update_label(k, n, short=short and k >= n)

        width = max(len(label_at(n - 1)), len(label_at(n)))
        return self.placed_label(step_of, label_at, width)

    def next_label(self, step_of: Callable[[Trace], int]) -> Readout:
        """`step k → k+1` after the rule; on the closing frame the update from the
        last step's parameters and gradient, which no step took: `next: 100 →
        101`."""
        n = self.trace.n_steps
        closing = f"{FROM_LAST} {update_label(n, n + 1, short=True)}"

        def label_at(k: int) -> str:
            return closing if k >= n else update_label(k, n, closing=False)

        return self.placed_label(
            step_of, label_at, max(len(label_at(n - 1)), len(closing))
        )

    def placed_label(
        self,
        step_of: Callable[[Trace], int],
        label_at: Callable[[int], str],
        width: int,
    ) -> Readout:
        """The label `label_at(step)`, `width` cells, after the rule on its baseline."""
        text = readout(
            self.palette, width, self.palette.muted, "left", self.palette.tick_size
        )
        text.row = UPDATE_LABEL_ROW
        right = float(self.rule.get_right()[0]) + LABEL_GAP + text.atlas.pitch * width
        text.put_on_baseline(right, self.top)

        def show(mob: Mobject) -> None:
            cast(Readout, mob).show(label_at(step_of(self.trace)))

        return text.add_updater(show, call_updater=True)


FROM_LAST = "next:"  # the closing label's start: the update no step made


def next_line(last: str, value: float, grad: float, lr: str, chars: int) -> str:
    """The worked update from the run's last parameter `value` and its gradient, in
    the digits of `last` (the row's last update made, `=  3.050938 − 0.1 × (−0.0024)
    ≈ 3.051`), its first number padded as that one's; `` if `last` works nothing
    out or the line would take more than `chars`."""
    body = last[2:]
    pad = len(body) - len(body.lstrip(" "))
    parts = value_parts(f"= {body.lstrip(' ')}")
    if parts is None or (" ≈ " not in last and " = " not in body):
        return ""
    _, shown, rest = parts
    result = rest.rsplit(" ", 1)[1]
    text = format_fixed(value, shown_decimals(shown))
    first, second = worked_update(
        text,
        lr,
        format_fixed(grad, shown_decimals(rest.split(" ")[3].strip("()"))),
        shown_decimals(result),
    )
    pad += len(shown) - len(text)
    line = f"= {' ' * max(pad, 0)}{first[2:]} {second}"
    return line if first and len(line) <= chars else ""


def fit_more(
    values: npt.NDArray[np.float64], decimals: int, cells: int, more: int
) -> list[str]:
    """`values` with `more` decimals more than `decimals`, in `cells`."""
    return fit_row(values, decimals + more, cells)
