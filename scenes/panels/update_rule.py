"""The update rule w ← w − lr · f′(w), and under it the step's own numbers filled in.

The worked lines add up: `w − lr × f′(w)` is recomputed exactly (`decimal.Decimal`)
from the strings shown, and the result is written with `=` only when the trace's
next value, shown to those digits, is exactly that; otherwise with `≈`. The digits
are chosen so that it adds up whenever the line has room (`worked_update`).
"""

from __future__ import annotations

import math
from decimal import Decimal, localcontext

import numpy as np
from manim import LEFT, VMobject

from scenes.clock import StepClock
from scenes.numbers import column_decimals, format_fixed, format_lr, parse_shown
from scenes.readout import Readout
from scenes.text import label, readout
from scenes.theme import Palette
from sgdcore.trace import Trace

LINE_CHARS = 25  # cells in each worked line: "= −3.456 − 1.1 × (−6.912)" fits
MORE_DECIMALS = 2  # how many decimals beyond the preferred ones may make it add up
INDENT = 0.15  # the worked lines sit this far right of the rule (25 cells fit in 5.2)
LINE_GAP = 0.5  # baseline to baseline


def worked_line(value: str, lr: str, grad: str) -> str:
    """`= w − lr × g`, a negative gradient in brackets."""
    grad = f"({grad})" if grad.startswith("−") else grad
    return f"= {value} − {lr} × {grad}"


def places(number: Decimal) -> int:
    """How many decimals it takes to write `number` exactly."""
    exponent = number.normalize().as_tuple().exponent
    return max(-exponent, 0) if isinstance(exponent, int) else 0


def shown_update(value: str, lr: str, grad: str) -> Decimal | None:
    """`value − lr × grad` exactly, from the shown strings; None if one is not finite."""
    try:
        with localcontext(prec=80):
            return parse_shown(value) - parse_shown(lr) * parse_shown(grad)
    except ValueError:  # NaN or ∞ shown: nothing to add up
        return None


def worked_update(
    value: float,
    lr: float,
    grad: float,
    next_value: float,
    *,
    decimals: int = 2,
    width: int = LINE_CHARS,
) -> tuple[str, str]:
    """The two worked lines of one update: `= w − lr × g` and `= w_next` (or `≈`).

    The value and gradient share one number of decimals: the fewest from `decimals`
    up (at most MORE_DECIMALS more) with which the shown digits add up exactly to the
    shown next value, itself given as many decimals as that sum has; if none does,
    `decimals` and `≈ w_next` at those decimals. Both lines fit in `width` cells:
    with fewer decimals if need be, else ValueError. One component of a vector
    update (a ← a − lr·∇L) is one call.
    """
    lr_text = format_lr(lr)

    def lines(places_shown: int) -> tuple[str, str]:
        shown_value = format_fixed(value, places_shown)
        shown_grad = format_fixed(grad, places_shown)
        first = worked_line(shown_value, lr_text, shown_grad)
        exact = shown_update(shown_value, lr_text, shown_grad)
        if exact is not None:
            result = format_fixed(next_value, max(places_shown, places(exact)))
            if math.isfinite(next_value) and parse_shown(result) == exact:
                return first, f"= {result}"
        return first, f"≈ {format_fixed(next_value, places_shown)}"

    candidates = {d: lines(d) for d in range(decimals + MORE_DECIMALS + 1)}
    fitting = [d for d, pair in candidates.items() if max(map(len, pair)) <= width]
    if not fitting:
        raise ValueError(
            f"the update {candidates[0][0]!r} {candidates[0][1]!r} does not fit in "
            f"{width} characters"
        )
    preferred = [d for d in fitting if d >= decimals] or [max(fitting)]
    for d in preferred:
        if candidates[d][1].startswith("="):
            return candidates[d]
    return candidates[preferred[0]]


class UpdateRule:
    """The rule, its left edge at `left` and centred on `y`, and the update in progress.

    The worked lines prefer the decimals a readout column gives w
    (`column_decimals`) unless `decimals` says otherwise; they are all built here,
    so a line that cannot fit raises ValueError before anything is drawn.
    """

    def __init__(
        self,
        palette: Palette,
        trace: Trace,
        left: float,
        y: float,
        decimals: int | None = None,
    ) -> None:
        self.palette, self.trace, self.left = palette, trace, left
        self.rule = label(palette, "update:  w ← w − lr · f′(w)", color=palette.ink)
        self.rule.move_to(np.array([left, y, 0.0]), aligned_edge=LEFT)
        self.decimals = (
            column_decimals(trace.params[:, 0]) if decimals is None else decimals
        )
        self.worked = [self.worked_at(k) for k in range(trace.n_steps)]

    def worked_at(self, k: int) -> tuple[str, str]:
        """Update k's two lines, or ValueError naming the step if they cannot fit."""
        trace = self.trace
        try:
            return worked_update(
                float(trace.params[k, 0]),
                trace.learning_rate,
                float(trace.grad[k, 0]),
                float(trace.params[k + 1, 0]),
                decimals=self.decimals,
            )
        except ValueError as error:
            raise ValueError(f"update rule, step {k}: {error}") from None

    def static(self) -> VMobject:
        """The rule in symbols."""
        return self.rule

    def substituted(self, k: int) -> str:
        """Update k with its numbers: `= w − lr × f′(w)`; empty once the run is over."""
        return self.worked[k][0] if k < self.trace.n_steps else ""

    def result(self, k: int) -> str:
        """Where update k lands: `= w_{k+1}` (`≈` if not exact); empty once over."""
        return self.worked[k][1] if k < self.trace.n_steps else ""

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
