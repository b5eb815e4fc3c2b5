"""regularization: the same flexible model with and without weight decay.

Weight decay pulls coefficients towards zero at each step (the gradient plus λ times
the coefficient, as torch.optim's `weight_decay`), so the model cannot grow the large,
cancelling terms that wiggles need: it fits the training points a little worse and
the held-out ones better. The lesson's decay grows with the degree: 0.002·degree² on
each term's coefficient, so the high degrees that wiggle are pulled hardest. Not
torch's one decay for all, so the screen calls it decay by power and writes its λ
under the decayed panel's name; the speaker note gives the rule.

The verdict compares the decayed model's validation loss with the plain model's at
its best (where early stopping would have kept it) and at the end.
"""

from __future__ import annotations

import numpy as np
from manim import DL, DOWN, LEFT, UL, VGroup, VMobject

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
    step_counter,
)
from scenes.panels.legend import legend, line_mark, optimizer_name
from scenes.panels.loss_plot import LossPlot
from scenes.panels.notes import verdict_note
from scenes.panels.stop_mark import step_mark
from scenes.readout import Readout
from scenes.replay import ReplayScene
from scenes.text import label
from sgdcore.trace import Trace

# Two models and their validation losses across the frame, everything within
# |x| <= 6.4 and |y| <= 3.6: as tall as the names above them (under the subtitle),
# the decay's two-line note under its name, and, under the plots, the tick labels,
# two readouts and a two-line verdict allow
PANEL_LEFTS, PANEL_WIDTH = (-5.95, -1.75), 3.3
PANEL_BOTTOM, PANEL_HEIGHT = -1.2, 2.2
LOSS_CORNER, LOSS_SIZE = (2.85, PANEL_BOTTOM), (3.45, PANEL_HEIGHT)
NAME_GAP = 1.15  # from a plot's top to the baseline of its name: the note between
PANEL_TOP = PANEL_BOTTOM + PANEL_HEIGHT
NOTE_GAP = 0.15  # from the note's last line to the plot's top
NOTE_ROW_GAP = 0.08  # between the note's lines
COUNTER_RIGHT = 6.4  # the step counter's right edge, on the names' baseline
# first baseline under a panel, clear of the tick labels; row spacing
READOUT_TOP, READOUT_ROW = PANEL_BOTTOM - 0.75, 0.4
KEY_LEFT = 2.75  # the loss plot's key, under it where the other panels' numbers are
VERDICT_TOP = READOUT_TOP - READOUT_ROW - 0.41  # clear of the key beside them by 0.2
# The validation losses: the plain model's thin line over the decayed one's thick
# one, so that both show where they coincide (the first steps)
PLAIN_WIDTH, DECAYED_WIDTH = 3.0, 8.0
SECONDS_PER_DECADE = 2.2  # of steps, on log time (scenes.clock.log_time)


def short_name(trace: Trace) -> str:
    """`no decay`, `weight decay` (torch's, one for all: the subtitle says how much)
    or `decay by power` (grown with the degree: the note under the name says how)."""
    rule = decay_rule(trace)
    if not rule:
        return "no decay"
    return "decay by power" if "on x" in rule else "weight decay"


def what_decays(trace: Trace) -> str:
    """What the decay does, for the opening note: `` when it is one for all."""
    rule = decay_rule(trace)
    if "on x" not in rule:
        return ""
    return (
        f"Decay by power: weight decay stronger on higher powers of x, {rule}. Each "
        f"step adds to the gradient of the coefficient of xᵏ {rule.split(' on ')[0]} "
        "times that coefficient, as torch's weight_decay does with one number for "
        "all: the high powers, which wiggle, are pulled hardest, the constant not at "
        "all. "
    )


def how_it_decays(trace: Trace) -> str:
    """What the decayed panel says under its name, the rule's λ first: `` when it
    is one for all (the subtitle's name says it)."""
    rule = decay_rule(trace)
    return f"λ = {rule}:\nhigher k pulled more" if "on x" in rule else ""


class Regularization(ReplayScene):
    """Two copies of one model; weight decay keeps the second's curve smooth."""

    def construct(self) -> None:
        palette, traces = self.palette, list(self.traces)
        clock = StepClock(traces)
        # each model in its validation loss' colour (the key under the loss plot)
        colors = [color for color, _ in self.looks()]
        panels, legend = curve_fits_in_a_row(
            palette,
            traces,
            PANEL_LEFTS,
            PANEL_BOTTOM,
            (PANEL_WIDTH, PANEL_HEIGHT),
            colors,
        )
        self.add_static(self.make_title(), legend)
        # the counter on the names' row, under the legend and clear of the title
        counter, count = step_counter(
            palette, clock, self.trace, COUNTER_RIGHT, PANEL_TOP + NAME_GAP
        )
        self.add_static(counter)
        self.add_moving(clock, *count)
        decimals = shared_decimals(traces)
        for panel in panels:
            name = panel.name_above(short_name(panel.trace), NAME_GAP)
            self.add_static(panel.static(names=False), name, self.how(panel))
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
        # the decayed run's first, under the plain one's
        curves = [
            part
            for (color, width), trace in reversed(list(zip(looks, traces, strict=True)))
            for part in plot.curve(clock, trace.valid_loss, color, width)
        ]
        self.add_moving(clock, *curves)
        self.keep_inside(plot.box, *curves)
        plain = traces[0]
        best = best_step(plain)
        if 0 < best < plain.n_steps:  # where the plain model's turns up
            words = f"lowest: step {best}"
            self.add_moving(
                clock, *step_mark(palette, plot, clock, best, words, palette.warning)
            )

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
        """`0.1027 at best (step 7), 0.1863 at the end`; the end alone when the
        lowest is the first or the last step."""
        shown = fit_row(trace.valid_loss, places, LOSS_CHARS)
        best = best_step(trace)
        if 0 < best < trace.n_steps:
            return f"{shown[best]} at best (step {best}), {shown[-1]} at the end"
        return f"{shown[-1]} at the end"

    def make_title(self) -> VGroup:
        """Title, and what both panels share."""
        trace, decay = self.trace, decay_rule(self.traces[-1])
        # a decay that grows with the power is said under the decayed panel's name
        how = "" if how_it_decays(self.traces[-1]) else f" · decay {decay}"
        return self.title(
            f"Regularization: {short_name(self.traces[-1])}",
            f"degree {trace.meta['degree']} · {optimizer_name(trace)}, "
            f"lr {format_lr(trace.learning_rate)}{how}",
        )

    def how(self, panel: CurveFit) -> VMobject:
        """How the panel's decay works, between its name and its top (or nothing):
        clear of its gridlines and its curve."""
        words = how_it_decays(panel.trace)
        if not words:
            return VGroup()
        palette = self.palette
        lines = VGroup(
            *(
                label(palette, line, palette.label_size, palette.muted)
                for line in words.split("\n")
            )
        ).arrange(DOWN, aligned_edge=LEFT, buff=NOTE_ROW_GAP)
        left, _ = panel.box.corner
        return lines.move_to(
            np.array([left, PANEL_TOP + NOTE_GAP, 0.0]), aligned_edge=DL
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
        self.add_static(names)
        return numbers
