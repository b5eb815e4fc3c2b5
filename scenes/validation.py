"""validation: one flexible model trained long, and the step whose model to keep.

Above, the model's curve over the training points (filled) and the held-out ones
(hollow); below, both losses by step. The training loss keeps falling; the
validation loss bottoms out and turns up. Early stopping keeps the model with the
lowest validation loss seen so far: the scene marks that step when the replay reaches
it and, from then on, draws that model dashed over the one still training and keys it
in the legend (not before: until then no one knows which step it will be).
"""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, RIGHT, UL, DashedLine, DashedVMobject, VGroup, VMobject

from scenes.clock import MORPH_SHARE, StepClock, log_time
from scenes.columns import clip_rows
from scenes.fit_stories import CURVE_RAMP_STEPS, EarlyStoppingStory, best_step
from scenes.numbers import format_count, format_lr
from scenes.panels.curve_fit import CurveFit
from scenes.panels.legend import legend, line_mark, optimizer_name
from scenes.panels.loss_plot import LossPlot
from scenes.panels.notes import verdict_note
from scenes.panels.readouts import ReadoutColumn
from scenes.panels.stop_mark import step_mark
from scenes.replay import ReplayScene
from scenes.text import shown_while
from scenes.theme import DRAWN

# Layout in scene units: the two plots stacked on the left, numbers on the right
# (everything within |x| <= 6.4 and |y| <= 3.6: the frame's 5% margin). The curves'
# plot as tall as the room under the subtitle allows (y's name beside its top, not
# over it), 2.5 to 6.2 wide; the loss plot 236 px tall at 1080p, its five marks
# (0.01 to 1) apart. The losses' readouts are their keys: each name has its line's
# mark before it
CURVE_CORNER, CURVE_SIZE = (-5.6, -0.3), (6.2, 2.5)
LOSS_CORNER, LOSS_SIZE = (-5.6, -3.2), (6.2, 1.75)
READOUT_LEFT, READOUT_RIGHT, READOUT_TOP, READOUT_ROW = 1.9, 6.4, 1.95, 0.46
LEGEND_CORNER = (1.9, 0.65)  # its top left
KEY_GAP = 0.12  # from a loss' mark to its readout's name
NOTE_CORNER, NOTE_WIDTH = (1.9, -1.45), 4.5  # the verdict's top left; its widest
FOOTNOTE_GAP = 0.2  # from the verdict's last line to the footnote under it
# The model kept: in its own colour and dashed, drawn over the model's solid 5 and
# wider, so that while the two coincide it reads as dashes with the model between
STOPPED_WIDTH, STOPPED_OPACITY = 6.0, DRAWN["stopped model"].opacity
STOPPED_DASH = 0.14  # scene units: a dash and a gap each this long
# On log time (steps on the loss plot's log axis), each decade of steps takes this long:
# steps 3 to 7, where the validation loss bottoms out, take 1 s, one by one
SECONDS_PER_DECADE = 2.6


class Validation(ReplayScene):
    """Training and validation loss part ways; the lowest validation loss is the stop."""

    def construct(self) -> None:
        trace, palette = self.trace, self.palette
        clock = StepClock(self.traces, MORPH_SHARE)
        best = best_step(trace)
        # the held-out points in their loss' green, as in every curve scene
        fit = CurveFit(palette, trace, CURVE_CORNER, CURVE_SIZE)
        loss = LossPlot(
            palette,
            [trace],
            LOSS_CORNER,
            LOSS_SIZE,
            caption="loss at each step (log scales)",
            log_steps=True,
        )
        # both losses with one number of decimals, for the whole clip
        chars = 11
        train_texts, valid_texts = clip_rows([trace.full_loss, trace.valid_loss], chars)
        readouts = ReadoutColumn(
            palette,
            [
                ("step", lambda k: format_count(k, trace.n_steps)),
                ("training loss", train_texts),
                ("validation loss", valid_texts),
            ],
            left=READOUT_LEFT,
            right=READOUT_RIGHT,
            top=READOUT_TOP,
            row_height=READOUT_ROW,
            n_chars=chars,
            size=palette.label_size,
        )
        self.add_static(self.make_title(), fit.static(y_beside=True), loss.static())
        keys, kept_key = self.make_legend(fit)
        self.add_static(readouts.static(), keys, *self.loss_keys(readouts.static()))
        # the model kept, and its key, once the replay has found it
        kept = fit.frozen_model(best, palette.accent, STOPPED_WIDTH, STOPPED_OPACITY)
        stopped, kept_key = (
            shown_while(mob, lambda: clock.value >= best)
            for mob in (dashed(kept), kept_key)
        )
        model = fit.model(clock)
        # the points over both curves: a wild one hides none of them
        self.add_moving(clock, model, stopped, kept_key)
        self.add_moving(clock, fit.points(), in_intro=True)
        self.add_moving(clock, *readouts.moving(clock, trace))
        training = loss.curve(clock, trace.full_loss, palette.data)
        validation = loss.curve(clock, trace.valid_loss, palette.lr_good)
        self.add_moving(
            clock,
            *training,
            *validation,
            *step_mark(palette, loss, clock, best, f"kept: step {best}"),
        )
        story = EarlyStoppingStory(trace)
        note = verdict_note(
            palette,
            clock,
            "\n".join(story.verdict_lines()),
            NOTE_CORNER,
            align="left",
            width=NOTE_WIDTH,
        )
        self.add_moving(clock, *note)
        # under it, muted: the kept model's score was read off the very points that
        # chose it
        bottom = min(holder.shown.get_bottom()[1] for holder in note)
        footnote = story.footnote() and verdict_note(
            palette,
            clock,
            story.footnote(),
            (NOTE_CORNER[0], bottom - FOOTNOTE_GAP),
            align="left",
            color=palette.muted,
            width=NOTE_WIDTH,
        )
        self.add_moving(clock, *(footnote or []))
        self.keep_inside(fit.box, model)
        self.keep_inside(loss.box, *training, *validation)
        # Time follows the model and the validation loss's head: late in the run the
        # wiggles grow by less than a pixel a step, yet the whole climb is the
        # lesson, so none of it may be skipped as invisible
        self.watch(model, validation[-1])
        self.replay(
            clock,
            story,
            ramp_steps=CURVE_RAMP_STEPS,
            least_seconds=log_time(trace.n_steps, SECONDS_PER_DECADE),
        )

    def make_title(self) -> VGroup:
        """Title, and the model and its data."""
        trace = self.trace
        n_valid = len(trace.valid_index)
        return self.title(
            "When to stop: the validation set",
            f"degree {trace.meta['degree']}, {len(trace.y) - n_valid} training points, "
            f"{n_valid} held out · {optimizer_name(trace)}, learning rate {format_lr(trace.learning_rate)}",
        )

    def make_legend(self, fit: CurveFit) -> tuple[VGroup, VMobject]:
        """What each mark and line is, beside the plots; the model kept's key, last
        and apart, shown from the step it names on."""
        palette = self.palette
        points = fit.points_legend()
        stopped = DashedLine(
            0.2 * LEFT, 0.2 * RIGHT, dash_length=STOPPED_DASH, dashed_ratio=0.5
        )
        stopped.set_stroke(palette.accent, STOPPED_WIDTH, STOPPED_OPACITY)
        lines = legend(
            palette,
            [
                (line_mark(palette.fit, 5, half=0.2), "model"),
                (stopped, f"model kept (step {best_step(self.trace)})"),
            ],
            row_gap=0.1,
        )
        both = VGroup(points, lines).arrange(DOWN, aligned_edge=LEFT, buff=0.14)
        both.move_to(np.array([*LEGEND_CORNER, 0.0]), aligned_edge=UL)
        # every row's words in the column of the readouts' names, its mark hung left
        for block in (points, lines):
            block.shift((LEGEND_CORNER[0] - block[0][1].get_left()[0]) * RIGHT)
        kept = lines[-1]
        lines.remove(kept)
        return both, kept

    def loss_keys(self, names: VGroup) -> list[VMobject]:
        """The loss plot's line marks, each before its loss' readout name."""
        palette = self.palette
        marks: list[VMobject] = []
        for name, color in zip(names[1:], (palette.data, palette.lr_good), strict=True):
            mark = line_mark(color, 4, half=0.2)
            marks.append(mark.next_to(name, LEFT, buff=KEY_GAP))
        return marks


def dashed(curve: VMobject) -> VMobject:
    """`curve` drawn in dashes STOPPED_DASH long, gaps as long between them."""
    if not curve.has_points():
        return curve
    n_dashes = max(1, round(curve.get_arc_length() / (2 * STOPPED_DASH)))
    return DashedVMobject(curve, num_dashes=n_dashes, dashed_ratio=0.5)
