"""regularization: the same flexible model with and without weight decay.

Weight decay pulls coefficients towards zero at each step (the gradient plus λ times
the coefficient: torch.optim's `weight_decay`, one λ each), so the large, cancelling
terms that wiggles need stay smaller: worse on training, better held out.

The verdict sets the decayed model's validation loss against the plain model's at its
best (where early stopping keeps it) and at the end; each run's lowest is marked on
the loss plot where its validation loss turns up after it.
"""

from __future__ import annotations

from manim import VGroup, VMobject

from scenes.clock import MORPH_SHARE, StepClock, log_time
from scenes.columns import fit_row
from scenes.fit_stories import (
    CURVE_RAMP_STEPS,
    ComparedFitsStory,
    best_step,
    decay_rule,
    validation_turns,
)
from scenes.fit_verdicts import as_stopping_early, set_against
from scenes.numbers import format_lr
from scenes.panels.batch_loss import HEAD_RADIUS
from scenes.panels.curve_fit import (
    LOSS_CHARS,
    MODEL_WIDTH,
    CurveFit,
    curve_fits_in_a_row,
    shared_decimals,
)
from scenes.panels.fit_header import point_keys, step_counter
from scenes.panels.legend import keyed_words, line_mark, optimizer_name
from scenes.panels.loss_plot import LossPlot
from scenes.panels.notes import verdict_note
from scenes.panels.stop_mark import step_mark
from scenes.placement import Rect
from scenes.readout import Readout
from scenes.replay import ReplayScene
from scenes.text import label
from scenes.words import capital
from sgdcore.trace import Trace

# Two models and their validation losses across the frame, everything within
# |x| <= 6.4 and |y| <= 3.6. The models' plots run from under their names (clear of
# the subtitle) down to what their tick labels and two readouts leave; the loss plot,
# as high, two thirds as tall (its `1000` centred under its end, inside the margin),
# and the verdict under it. Each name has its model's stroke before it; the loss
# plot's key, under its step labels, has each run's stroke before its name.
PANEL_LEFTS, PANEL_WIDTH = (-5.95, -1.65), 3.4
PANEL_BOTTOM, PANEL_HEIGHT = -2.1, 3.85
PANEL_TOP = PANEL_BOTTOM + PANEL_HEIGHT
LOSS_HEIGHT = 2.6
LOSS_CORNER, LOSS_SIZE = (2.75, PANEL_TOP - LOSS_HEIGHT), (3.3, LOSS_HEIGHT)
NAME_GAP = 0.3  # from a plot's top to the baseline of its name
MARK_GAP, MARK_HALF = 0.15, 0.2  # from a name's mark to its words; half the mark
# The loss plot's key in a row under its step labels, no wider than the verdict: its
# baseline, mark to words, name to next mark, half a mark
KEY_BASELINE, KEY_GAP, KEY_SPACING, KEY_HALF = LOSS_CORNER[1] - 0.8, 0.1, 0.3, 0.15
# first baseline under a panel, clear of the tick labels; row spacing
READOUT_TOP, READOUT_ROW = PANEL_BOTTOM - 0.75, 0.4
# The verdict under the loss plot's key, from the tick labels' left edge to the
# frame's margin, in tick-sized text: two runs' lowest and last fit in four lines
VERDICT_CORNER = (2.1, KEY_BASELINE - 0.35)
VERDICT_WIDTH = 6.4 - VERDICT_CORNER[0]
# The plain model's validation loss over the decayed one's, twice as wide: where they
# coincide, purple each side of the vermillion (the key's marks are these strokes,
# solid as the models' curves); the decayed run's head the wider dot round the other
LOSS_WIDTH, DECAYED_WIDTH, DECAYED_HEAD = 3.0, 6.0, 0.09
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
    """Two copies of one model; weight decay keeps the second's wiggles smaller."""

    def construct(self) -> None:
        palette, traces = self.palette, list(self.traces)
        clock = StepClock(traces, MORPH_SHARE)
        # each model in its validation loss' colour, keyed by its name
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
        for panel, look in zip(panels, self.looks(), strict=True):
            self.add_static(panel.static(names=False), *self.keyed_name(panel, look))
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
                VERDICT_CORNER,
                align="left",
                width=VERDICT_WIDTH,
                small=True,
            ),
        )
        names = [short_name(trace) for trace in traces]
        # the closing caption in words; the verdict on screen has the numbers
        ending = self.ending()
        story = ComparedFitsStory(
            traces,
            names,
            " ".join(closing.splitlines()),
            setup=what_decays(traces[-1]),
            turn=validation_turns(traces[0], names[0]),
            climb="Wiggles grow; weight decay keeps them smaller.",
            ending=ending,
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
            caption="validation loss by step",
            log_steps=True,
            series=("valid_loss",),
        )
        looks = self.looks()
        self.add_static(plot.static(), self.loss_key())
        # the decayed run's first and wide, under the plain one's thin line
        (plain, thin), (decayed, wide) = looks
        curves = [
            *plot.curve(clock, traces[1].valid_loss, decayed, wide, DECAYED_HEAD),
            *plot.curve(clock, traces[0].valid_loss, plain, thin, HEAD_RADIUS),
        ]
        self.add_moving(clock, *curves)
        self.keep_inside(plot.box, *curves)
        # each run's lowest, where its validation loss visibly turns up after it
        _, places = shared_decimals(traces)
        marked: list[int] = []
        taken: list[Rect] = []  # the marks' words so far, kept clear of each other
        for (color, _), trace in zip(looks, traces, strict=True):
            best = turn_step(trace, places)
            if best is None or best in marked:
                continue
            # the mark is that run's alone: in its colour, its name in the words
            words = f"{short_name(trace)}\nlowest: step {best}"
            marks = step_mark(palette, plot, clock, best, words, color, taken)
            self.add_moving(clock, *marks)
            marked.append(best)

    def keyed_name(
        self, panel: CurveFit, look: tuple[str, float]
    ) -> tuple[VMobject, VMobject]:
        """The model's name over its plot, in its run's colour, after a stroke as
        its model's curve is drawn (solid, as wide)."""
        color, _ = look
        mark = line_mark(color, MODEL_WIDTH, half=MARK_HALF)
        text = label(self.palette, short_name(panel.trace), color=color)
        left, bottom = panel.box.corner
        baseline = bottom + panel.box.size[1] + NAME_GAP
        return keyed_words(mark, text, left, baseline, MARK_GAP)

    def loss_key(self) -> VGroup:
        """Which validation loss is which, in a row under the loss plot's step
        labels: each run's stroke as the plot draws it, its name."""
        palette, left, key = self.palette, VERDICT_CORNER[0], VGroup()
        for trace, (color, width) in zip(self.traces, self.looks(), strict=True):
            mark = line_mark(color, width, half=KEY_HALF)
            text = label(palette, short_name(trace), palette.tick_size, color)
            key.add(*keyed_words(mark, text, left, KEY_BASELINE, KEY_GAP))
            left = key[-1].get_right()[0] + KEY_SPACING
        return key

    def looks(self) -> list[tuple[str, float]]:
        """Each run's colour and its validation loss's width (the widths tell them
        apart where they coincide): the plain model's thin vermillion, the decayed
        one's wide purple, both apart from the training points' blue and the
        validation points' green."""
        palette = self.palette
        return [(palette.warning, LOSS_WIDTH), (palette.accent, DECAYED_WIDTH)]

    def closing(self) -> str:
        """Each run's validation loss as the readouts write it, a line a run: its
        lowest (where early stopping would have kept it) and its last."""
        _, places = shared_decimals(self.traces)
        plain, decayed = (self.best_and_last(trace, places) for trace in self.traces)
        names = [short_name(trace) for trace in self.traces]
        name, plain_name = (capital(name) for name in names[::-1])
        return f"{name}: validation {decayed}.\n{plain_name}: {plain}."

    def ending(self) -> str:
        """Both final losses of the decayed run against the plain one's, in words."""
        decimals, (plain, decayed) = shared_decimals(self.traces), self.traces
        rows: list[tuple[str, float, float, str, str]] = []
        for series, places in zip(("full_loss", "valid_loss"), decimals, strict=True):
            theirs, mine = (getattr(trace, series) for trace in (plain, decayed))
            mine_shown, theirs_shown = (
                fit_row(v, places, LOSS_CHARS)[-1].strip() for v in (mine, theirs)
            )
            what = "training" if series == "full_loss" else "validation"
            rows.append((what, mine[-1], theirs[-1], mine_shown, theirs_shown))
        said = set_against(capital(short_name(decayed)), rows, words=True)
        return as_stopping_early(plain, decayed) or said

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
        how = f" · decay {decay}" if decay else ""
        n_valid = len(trace.valid_index)
        return self.title(  # short enough to keep the title at its full size
            f"Regularization: {short_name(self.traces[-1])}",
            f"degree {trace.meta['degree']} · {len(trace.y) - n_valid} training, "
            f"{n_valid} held out · {optimizer_name(trace)}, "
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
