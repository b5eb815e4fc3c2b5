"""regularization: the same flexible model with and without weight decay.

Weight decay pulls coefficients towards zero at each step (the gradient plus λ times
the coefficient: torch.optim's `weight_decay`, one λ for every coefficient), so the
model cannot grow the large, cancelling terms that wiggles need: it fits the
training points a little worse and the held-out ones better.

The verdict compares the decayed model's validation loss with the plain model's at
its best (where early stopping would have kept it) and at the end; each run's
lowest is marked on the loss plot where its validation loss turns up after it.
"""

from __future__ import annotations

import numpy as np
from manim import UL, VGroup

from scenes.clock import StepClock, log_time
from scenes.columns import fit_row
from scenes.fit_stories import (
    CURVE_RAMP_STEPS,
    ComparedFitsStory,
    best_step,
    decay_rule,
    validation_turns,
)
from scenes.numbers import format_lr
from scenes.panels.curve_fit import (
    LOSS_CHARS,
    CurveFit,
    curve_fits_in_a_row,
    shared_decimals,
)
from scenes.panels.fit_header import point_keys, step_counter
from scenes.panels.legend import legend, line_mark, optimizer_name
from scenes.panels.loss_plot import LossPlot
from scenes.panels.notes import verdict_note
from scenes.panels.stop_mark import step_mark
from scenes.readout import Readout
from scenes.replay import ReplayScene
from sgdcore.trace import Trace

# Two models and their validation losses across the frame, everything within
# |x| <= 6.4 and |y| <= 3.6: as tall as the names above them (under the subtitle)
# and, under the plots, the tick labels, two readouts and a two-line verdict allow
PANEL_LEFTS, PANEL_WIDTH = (-5.95, -1.75), 3.3
PANEL_BOTTOM, PANEL_HEIGHT = -1.25, 3.0
LOSS_CORNER, LOSS_SIZE = (2.85, PANEL_BOTTOM), (3.45, PANEL_HEIGHT)
NAME_GAP = 0.4  # from a plot's top to the baseline of its name
PANEL_TOP = PANEL_BOTTOM + PANEL_HEIGHT
# first baseline under a panel, clear of the tick labels; row spacing
READOUT_TOP, READOUT_ROW = PANEL_BOTTOM - 0.75, 0.4
KEY_LEFT = 2.75  # the loss plot's key, under it where the other panels' numbers are
VERDICT_TOP = READOUT_TOP - READOUT_ROW - 0.41  # clear of the key beside them by 0.2
MARK_ROW = 0.3  # a second step mark's name, this far under the first's
# The validation losses: the plain model's thin line over the decayed one's thick
# one, cased in the background's colour, so that both show where they coincide
# (the first steps): green, a dark gap, the vermillion line, a dark gap, green
PLAIN_WIDTH, DECAYED_WIDTH, CASING_WIDTH = 3.0, 12.0, 6.0
SECONDS_PER_DECADE = 2.2  # of steps, on log time (scenes.clock.log_time)


def short_name(trace: Trace) -> str:
    """`no decay` or `weight decay` (the subtitle says how much)."""
    return "weight decay" if decay_rule(trace) else "no decay"


def what_decays(trace: Trace) -> str:
    """What the decay does, for the opening note."""
    rule = decay_rule(trace)
    return (
        f"Weight decay {rule}: each step adds {rule} times each coefficient to its "
        "gradient, as torch's weight_decay does, pulling every coefficient towards "
        "zero. "
        if rule
        else ""
    )


def turn_step(trace: Trace, places: int) -> int | None:
    """The step of the run's lowest validation loss if the loss then turns up by
    enough to show in `places` decimals (None: it does not, or the first or last)."""
    best = best_step(trace)
    shown = fit_row(trace.valid_loss, places, LOSS_CHARS)
    if 0 < best < trace.n_steps and shown[best] != shown[-1]:
        return best
    return None


class Regularization(ReplayScene):
    """Two copies of one model; weight decay keeps the second's curve smooth."""

    def construct(self) -> None:
        palette, traces = self.palette, list(self.traces)
        clock = StepClock(traces)
        # each model in its validation loss' colour (the key under the loss plot)
        colors = [color for color, _ in self.looks()]
        panels = curve_fits_in_a_row(
            palette,
            traces,
            PANEL_LEFTS,
            PANEL_BOTTOM,
            (PANEL_WIDTH, PANEL_HEIGHT),
            colors,
        )
        self.add_static(self.make_title())
        # the step counter alone on the title's row, top right
        counter, count = step_counter(palette, clock, self.trace)
        self.add_static(counter)
        self.add_moving(clock, *count)
        decimals = shared_decimals(traces)
        for panel in panels:
            name = panel.name_above(short_name(panel.trace), NAME_GAP)
            self.add_static(panel.static(names=False), name)
            model = panel.model(clock)
            self.add_moving(clock, model, *self.readouts(panel, clock, decimals))
            # the points over the curve: a wild one hides none of them
            self.add_moving(clock, panel.points(), in_intro=True)
            self.keep_inside(panel.box, model)
            self.watch(model)
        self.validation_losses(clock)
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
            ),
        )
        names = [short_name(trace) for trace in traces]
        story = ComparedFitsStory(
            traces,
            names,
            closing.replace("\n", " "),
            setup=what_decays(traces[-1]),
            turn=validation_turns(traces[0], names[0]),
            climb="Unchecked, the wiggles grow.",
        )
        self.replay(
            clock,
            story,
            ramp_steps=CURVE_RAMP_STEPS,
            # the plain model's wiggles grow all run long, the tamed one's settle:
            # each decade of steps gets its time, the last nine hundred as the first
            least_seconds=log_time(clock.last_step, SECONDS_PER_DECADE),
        )

    def validation_losses(self, clock: StepClock) -> None:
        """Both runs' validation loss by step, growing with the replay: the plain
        model's turns up where it starts to learn the noise, the decayed one's not."""
        palette, traces = self.palette, self.traces
        plot = LossPlot(
            palette,
            traces,
            LOSS_CORNER,
            LOSS_SIZE,
            caption="validation loss",
            log_steps=True,
            series=("valid_loss",),
        )
        looks = self.looks()
        key = legend(
            palette,
            [
                (line_mark(color, width, half=0.2), short_name(trace))
                for (color, width), trace in zip(looks, traces, strict=True)
            ],
            row_gap=0.12,
        )
        top = READOUT_TOP + 0.5 * key[0].height
        key.move_to(np.array([KEY_LEFT, top, 0.0]), aligned_edge=UL)
        self.add_static(plot.static(), key)
        # the decayed run's first, under the plain one's and its casing
        (plain, plain_width), (decayed, decayed_width) = looks
        background = palette.background
        curves = [
            *plot.curve(clock, traces[1].valid_loss, decayed, decayed_width),
            *plot.curve(clock, traces[0].valid_loss, background, CASING_WIDTH, 0.09),
            *plot.curve(clock, traces[0].valid_loss, plain, plain_width),
        ]
        self.add_moving(clock, *curves)
        self.keep_inside(plot.box, *curves)
        # each run's lowest, where its validation loss visibly turns up after it
        _, places = shared_decimals(traces)
        marked: list[int] = []
        for (color, _), trace in zip(looks, traces, strict=True):
            best = turn_step(trace, places)
            if best is None or best in marked:
                continue
            words = f"lowest: step {best}"
            row = len(marked) * MARK_ROW
            marks = step_mark(palette, plot, clock, best, words, color, row)
            self.add_moving(clock, *marks)
            marked.append(best)

    def looks(self) -> list[tuple[str, float]]:
        """Each run's colour and its validation loss' width: the plain model's
        vermillion, the decayed one's green, both apart from the points' blue."""
        palette = self.palette
        return [(palette.warning, PLAIN_WIDTH), (palette.lr_good, DECAYED_WIDTH)]

    def closing(self) -> str:
        """What weight decay did to the validation loss, one line a run, written as
        the readouts above write it: each run's lowest (where early stopping would
        have kept it) and its last."""
        _, places = shared_decimals(self.traces)
        plain, decayed = (self.best_and_last(trace, places) for trace in self.traces)
        names = [short_name(trace) for trace in self.traces]
        name, plain_name = (f"{name[:1].upper()}{name[1:]}" for name in names[::-1])
        return f"{name}: validation {decayed}.\n{plain_name}: {plain}."

    @staticmethod
    def best_and_last(trace: Trace, places: int) -> str:
        """`0.1027 at best (step 7), 0.1863 at the end`; the end alone, `its
        lowest` when it shows the lowest, when the loss does not turn up."""
        shown = fit_row(trace.valid_loss, places, LOSS_CHARS)
        best = turn_step(trace, places)
        if best is not None:
            return f"{shown[best]} at best (step {best}), {shown[-1]} at the end"
        if shown[best_step(trace)] == shown[-1]:
            return f"{shown[-1]} at the end, its lowest"
        return f"{shown[-1]} at the end"

    def make_title(self) -> VGroup:
        """Title, and what both panels share."""
        trace, decay = self.trace, decay_rule(self.traces[-1])
        how = f" · weight decay {decay}" if decay else ""
        return self.title(
            f"Regularization: {short_name(self.traces[-1])}",
            f"degree {trace.meta['degree']} · {optimizer_name(trace)}, "
            f"lr {format_lr(trace.learning_rate)}{how}",
        )

    def readouts(
        self, panel: CurveFit, clock: StepClock, decimals: tuple[int, int]
    ) -> list[Readout]:
        """Training and validation loss under the panel; the names drawn once."""
        names, numbers = panel.loss_readouts(
            clock,
            ("training", "validation"),
            READOUT_TOP,
            READOUT_ROW,
            decimals,
        )
        self.add_static(names, *point_keys(panel, READOUT_TOP, READOUT_ROW))
        return numbers
