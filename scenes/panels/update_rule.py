"""The update rule w ← w − lr · f′(w), and under it the step's own numbers filled in.

The worked lines use the readouts' own strings of w and f′(w), and their result is
worked out exactly from those digits (scenes/worked.py): `=` when nothing is rounded
away, `≈` when something is. Once the readouts stand still (f′(w) reads zero and w
no longer changes) the lines say so instead of working out `0 − lr × 0`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import LEFT, VMobject

from scenes.clock import StepClock
from scenes.columns import fit_row
from scenes.numbers import format_fixed, shown_decimals
from scenes.panels.readouts import step_reader
from scenes.quadratic_rows import (
    ShownRun,
    line_fits,
    quadratic_rows,
    shown_gradients,
)
from scenes.readout import Readout
from scenes.text import label, readout, safe_right
from scenes.theme import Palette
from scenes.worked import (
    UPDATE_LABEL_ROW,
    exact,
    landing_updates,
    row_decimals,
    run_lr,
    settled_from,
    settled_label,
    settled_lines,
    update_label,
    worked_updates,
)
from sgdcore.trace import Trace

LINE_CHARS = 30  # cells in each worked line: "= −10.3200 − 1.1 × (−20.6400)" fits
# ...or up to this many, in a smaller font across the same width, where lines that
# add up from their shown digits need them: "= −10.31956 − 1.1 × (−20.63912)"
WIDE_LINE_CHARS = 32
READOUT_CHARS = 10  # cells of the readouts beside it, when it makes its own rows
INDENT = 0.15  # the worked lines sit this far right of the rule (30 cells fit in 5.1)
LINE_GAP = 0.45  # baseline to baseline
LABEL_GAP = 2  # cells at least between the result and the label of its update


class UpdateRule:
    """The rule, its left edge at `left` and centred on `y`, and the update in progress.

    `shown`: the strings the readouts show of w and f′(w) at every step, which the
    worked lines repeat (by default, `quadratic_rows` with room for the lines). The
    lines are all built here: one that cannot fit raises ValueError before anything
    is drawn.
    """

    def __init__(
        self,
        palette: Palette,
        trace: Trace,
        left: float,
        y: float,
        shown: ShownRun | None = None,
        traced: bool = False,
    ) -> None:
        """`shown`: the readouts' strings (else the rule's own); `traced`: their f′(w)
        is the trace's, which every line's slope must round to."""
        self.palette, self.trace, self.left = palette, trace, left
        self.traced = traced
        self.rule = label(palette, "update:  w ← w − lr · f′(w)", color=palette.ink)
        self.rule.move_to(np.array([left, y, 0.0]), aligned_edge=LEFT)
        lr = run_lr(trace)
        if shown is None:
            fits = line_fits(lr, LINE_CHARS)
            shown = quadratic_rows(trace, READOUT_CHARS, fits, traced_slopes=traced)
        # the fewest cells a line (LINE_CHARS at least) in which every line lands
        # on the next readout, its sum worked from its own digits
        self.chars, landed = LINE_CHARS, self.landing(shown, lr, LINE_CHARS)
        for chars in range(LINE_CHARS + 1, WIDE_LINE_CHARS + 1):
            if landed and not arrows(landed):
                break
            wider = self.landing(shown, lr, chars)
            if wider and not arrows(wider):
                self.chars, landed = chars, wider
        self.worked = landed or worked_updates(shown.w[:-1], shown.grad[:-1], lr)
        # from this update on nothing moves at the readouts' precision
        self.settled = settled_from(shown.w, shown.grad)
        moves = trace.learning_rate * np.abs(trace.grad[self.settled or 0 : -1, 0])
        self.still = settled_lines(
            [float(m) for m in moves if np.isfinite(m)], self.chars
        )
        for k, halves in enumerate(self.worked):
            if max(map(len, halves)) > self.chars:
                raise ValueError(
                    f"update rule, step {k}: {halves[0]!r} {halves[1]!r} does not fit "
                    f"in {self.chars} characters"
                )

        # the label's longest form that leaves LABEL_GAP cells beside every result
        self.cells = self.chars  # how far right the label reaches, in cells
        self.label_cut = self.cut_for(self.chars)
        if max(map(len, self.still)) > self.chars:
            raise ValueError(f"update rule: {self.still!r} does not fit")

    def writes_more_digits(self, shown: ShownRun) -> bool:
        """Whether a worked line writes w to more decimals than the readouts do."""
        places = row_decimals(shown.w)
        values = [first.split()[1] for first, _ in self.worked if first]
        return any(shown_decimals(v) > places for v in values if "×" not in v)

    def landing(
        self, shown: ShownRun, lr: str, chars: int
    ) -> list[tuple[str, str]] | None:
        """The worked updates in lines of `chars` cells, each result the next readout
        of w: w and f′(w) as the readouts write them, or to more decimals where their
        rounding would make a result miss it (None if no such line fits)."""
        trace = self.trace
        places = row_decimals(shown.w), row_decimals(shown.grad)

        def values(more: int) -> Sequence[str]:
            return fit_row(trace.params[:, 0], places[0] + more, chars // 3)

        # a quadratic's f′(w) is worked out from the line's own w, as the readout's
        # is from the shown w: each line can be checked by hand
        paired = trace.problem == "quadratic"

        def grads(more: int) -> Sequence[str]:
            if paired:
                return shown_gradients(trace, values(more), chars // 3)
            return fit_row(trace.grad[:, 0], places[1] + more, chars // 3, keep=True)

        return landing_updates(
            lambda more: shown.w if not more else values(more),
            lambda more: grads(more) if paired or more else shown.grad,
            lr,
            [text.strip() for text in shown.w],
            # a cell short of `chars`: the widest line ends inside the safe area
            lambda halves: max(map(len, halves)) < chars,
            paired=paired,
            # a line's slope, worked from its own w, rounds to the readout's
            slopes=[g.strip() for g in shown.grad] if paired and self.traced else None,
        )

    def cut_for(self, cells: int) -> bool:
        """Whether the label drops its first word ("step ") because its long form
        leaves no LABEL_GAP cells beside a result, in a line of `cells`."""
        n = self.trace.n_steps
        results = [result for _, result in self.worked]
        labels = [update_label(n - 1, n)]
        if self.settled is not None:
            results.append(self.still[1])
            labels.append(settled_label(self.settled, n, n))
        else:  # the run over, the last update made says so
            labels.append(update_label(n, n))
        widest = max(map(len, results), default=0)
        return max(map(len, labels)) > cells - widest - LABEL_GAP

    def still_at(self, k: int) -> bool:
        """Whether update k (the last, once the run is over) moves nothing shown."""
        last = min(k, self.trace.n_steps - 1)
        return self.settled is not None and last >= self.settled

    def static(self) -> VMobject:
        """The rule in symbols."""
        return self.rule

    def substituted(self, k: int) -> str:
        """Update k with its numbers: `= w − lr × f′(w)`; the run over, the last made;
        once the readouts stand still, that a step now moves w very little."""
        if self.still_at(k):
            return self.still[0]
        return self.worked[min(k, len(self.worked) - 1)][0] if self.worked else ""

    def result(self, k: int) -> str:
        """Where update k lands: `= w_{k+1}` (`≈` if not exact); the last, once over;
        once the readouts stand still, by less than what."""
        if self.still_at(k):
            return self.still[1]
        return self.worked[min(k, len(self.worked) - 1)][1] if self.worked else ""

    def label(self, k: int) -> str:
        """Which update the lines work out (`step 3 → 4`; `last step 9 → 10` once the
        run is over, beside readouts a step on), right-aligned on the result's line
        (`steps 7 → 10` while the readouts stand still); `3 → 4` where the long form
        has no room beside a result."""
        n = self.trace.n_steps
        if self.still_at(k) and self.settled is not None:
            text = settled_label(self.settled, k, n)
            text = text.partition(" ")[2] if self.label_cut else text
        else:
            text = update_label(k, n, short=self.label_cut)
        return text.rjust(self.cells)

    def moving(self, clock: StepClock) -> list[Readout]:
        """The two worked lines under the rule, and which update they work out: the
        one from the step the readouts show (a hop shows its landing's numbers as it
        lands), so a frame's f′(w) is the one its worked lines use."""
        bottom = float(self.rule.get_bottom()[1])
        step_of = step_reader(clock, landed=True)  # as the readouts beside it
        lines: list[Readout] = []
        rows = [
            (self.substituted, 0, self.palette.ink),
            (self.result, 1, self.palette.ink),
            (self.label, 1, self.palette.muted),
        ]
        for text_at, row, color in rows:
            # more cells a line in a smaller font: the lines keep their width
            size = self.palette.tick_size * LINE_CHARS / self.chars
            line = readout(self.palette, self.chars, color, "left", size)
            line.row = UPDATE_LABEL_ROW if text_at == self.label else ""
            line.quantity = "w" if text_at == self.substituted else ""
            if not lines:  # the label ends inside the frame's safe area
                inside = int((safe_right() - self.left - INDENT) / line.atlas.pitch)
                self.cells = min(self.chars, inside)
                self.label_cut = self.cut_for(self.cells)
            line.put_on_baseline(
                self.left + INDENT + line.atlas.pitch * self.chars,
                bottom - LINE_GAP * (row + 1),
            )
            line.add_updater(
                lambda mob, text_at=text_at: mob.show(text_at(step_of(self.trace))),
                call_updater=True,
            )
            lines.append(line)
        return lines


def arrows(pairs: Sequence[tuple[str, str]]) -> int:
    """How many worked updates say `→ r` (where the run lands) instead of a sum."""
    return sum(result.startswith("→") for _, result in pairs)


def rule_and_rows(
    palette: Palette, trace: Trace, left: float, y: float
) -> tuple[UpdateRule, ShownRun]:
    """The worked update and the readouts' strings it goes with. f(w) is worked out
    from the shown w; so is f′(w) where the lines write w as the readouts do (each
    line checks by hand); where they write it to more decimals, to land on the next
    readout, f′(w) is the trace's, which each line's slope (from its own longer w)
    rounds to; so is it where a slope worked out from the shown w would not be the
    trace's rounded (`off_slopes`)."""
    fits = line_fits(run_lr(trace), LINE_CHARS)
    shown = quadratic_rows(trace, READOUT_CHARS, fits)
    quadratic = trace.problem == "quadratic"
    # w to a decimal more, where its slopes then are the trace's rounded: the
    # readouts and the lines write the same digits and each line checks by hand
    finer = row_decimals(shown.w) + 1
    for decimals in (None, finer) if quadratic else (None,):
        if decimals is not None:
            shown = quadratic_rows(trace, READOUT_CHARS, fits, w_decimals=decimals)
        if quadratic and off_slopes(trace, shown):
            continue  # no untraced rule to try
        rule = UpdateRule(palette, trace, left, y, shown)
        if not (quadratic and rule.writes_more_digits(shown)):
            return rule, shown
    shown = quadratic_rows(trace, READOUT_CHARS, fits, traced_slopes=True)
    return UpdateRule(palette, trace, left, y, shown, traced=True), shown


def off_slopes(trace: Trace, shown: ShownRun) -> bool:
    """Whether a slope worked out from the shown w, of two significant digits or
    more, is not the trace's rounded (2 × a shown 0.0006 is 0.0012; the slope at
    w = 0.00064 is 0.00128)."""
    places = row_decimals(shown.grad)
    unit = 10.0**-places
    for text, value in zip(shown.grad, trace.grad[:, 0], strict=True):
        if exact(text) is None or not np.isfinite(value) or abs(value) < 10 * unit:
            continue
        if format_fixed(float(value), places) != text.strip():
            return True
    return False
