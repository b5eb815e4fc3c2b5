"""minibatch: stochastic gradient descent, one random mini-batch per update."""

from __future__ import annotations

import math

import numpy as np
from manim import DL, UL, UR, Mobject, VGroup

from scenes.clock import StepClock
from scenes.columns import clip_rows
from scenes.numbers import format_count, format_lr
from scenes.panels.batch import BatchHighlight, EpochEndClock
from scenes.panels.batch_dip import BatchDip, marked_floor
from scenes.panels.batch_legend import BatchLegend, backed
from scenes.panels.batch_loss import fit_axis, loss_keys, sleeved_dashes, step_name
from scenes.panels.data_plot import DataPlot
from scenes.panels.line_update import LineUpdate
from scenes.panels.loss_plot import LossPlot
from scenes.panels.notes import verdict_note
from scenes.panels.readouts import ReadoutColumn
from scenes.placement import grown
from scenes.readout import Readout
from scenes.replay import ReplayScene
from scenes.stories import MinibatchStory
from scenes.text import shown_while, while_true
from scenes.theme import DRAWN

# fit_line's layout, a shorter data plot (398 px at 1080p): data left, the update
# under it (rows closer than fit_line's); the points' three keys in the corner the
# whole replay leaves clear, the lines' two under its tick labels; readouts top
# right, loss bottom right (371 px, log axis fitted to the losses, the lowest dip's
# words above the curves), its x axis named under its tick labels. The verdict goes
# where the last frame leaves room (make_verdict), which needs the data plot this tall
DATA_CORNER, DATA_SIZE = (-5.6, -0.85), (6.2, 2.95)
UPDATE_LEFT, UPDATE_TOP = -6.3, -1.64  # the rule's left end and baseline
UPDATE_GAP = 0.38  # from one of its baselines to the next
LEGEND_TOPS = (-6.3, -2.6), (-6.3, -1.32)  # top left: all keys', the lines' alone
LOSS_CORNER, LOSS_SIZE = (2.3, -2.95), (4.05, 2.75)
READOUT_LEFT, READOUT_RIGHT = 1.45, 6.4
READOUT_TOP, READOUT_ROW = 2.2, 0.36  # top: the first baseline
MARKS_X = READOUT_LEFT - 0.3  # the centres of the curves' marks
# the numbers' planned width: room left of it for the names that say whose loss
READOUT_CHARS = MinibatchStory.CHARS
DIMMED = DRAWN["dimmed points"].opacity  # the points outside the batch
# the verdict's lines, small, at most: it goes into a corner, the narrower ones
# (more lines) where the wider would not fit
VERDICT_WIDTHS = (5.0, 3.2, 2.4)
VERDICT_AIR = 0.12  # more room round it than a legend keeps from the points
# Plain gradient descent's line: short dashes of ink, each in a sleeve of the
# background, so that on the model's line its dashes still stand out (against the
# background, not the model's colour) and the model's line shows between them
MODEL_WIDTH, GHOST_WIDTH, GHOST_SLEEVE = 9.5, 2.5, 5.5
# each dash (its length, the gap, the first's lead) inside its sleeve's, past both
# ends: long dashes, half the way, so that the line reads as a dashed line of its own
GHOST_DASHES, SLEEVE_DASHES = (0.13, 0.11, 0.03), (0.19, 0.05, 0.0)
LABEL_AIR = 0.3  # from the update's closing label to the loss plot's tick labels
FLOOR_WORDS = "all-points minimum"  # the words of the loss plot's floor
BATCH_WIDTH = 2.5  # the batch-loss curve: its dips below the floor stand out
# The loss curves on all points: the model's wide, plain gradient descent's dashed
# in ink over dashes of the background (its width, its sleeve's), so that where the
# two agree it still shows as a dashed line down the model's, in both themes
SGD_LOSS_WIDTH, FULL_LOSS_WIDTHS = 7.0, (1.8, 3.6)
FLOOR_WIDTH = 2.5  # the floor's dots, thin and muted: apart from GD's inked dashes
FIRST_READ_STEPS, FIRST_READ_SECONDS = 3, 2.0  # the first steps, each at least
SLOW_STEPS = 6  # at most, the slow opening pace's (then the pace rises)
# make_readouts' loss rows: the batches' (keying their curve: each is taken where its
# step starts, not where the lines are), the model's and plain gradient descent's on
# all points, at the step the lines show (the batch's gradient is in the worked lines)
BATCH_ROW, ALL_POINTS_ROW, FULL_BATCH_ROW = 2, 3, 4


class Minibatch(ReplayScene):
    """All points dimmed, the current batch lit, the line moving on the batch's gradient.

    The second trace is plain gradient descent over as many updates, drawn as a ghost.
    """

    def construct(self) -> None:
        trace, full_batch, palette = self.traces[0], self.traces[1], self.palette
        data = DataPlot(palette, trace, DATA_CORNER, DATA_SIZE)
        loss = LossPlot(
            palette,
            self.traces,
            LOSS_CORNER,
            LOSS_SIZE,
            floor_words=FLOOR_WORDS,
        )
        clock = StepClock(self.traces)
        batch_losses, readouts = self.make_readouts()
        # the loss axis spans the losses drawn; the floor named by its line (or keyed)
        fit_axis(loss)
        dip = BatchDip(palette, loss, trace, batch_losses)
        floor = marked_floor(palette, loss, trace, FLOOR_WIDTH, dip.point())
        story = MinibatchStory(trace, full_batch)
        # The title, then the dimmed cloud of every point and the empty plots
        keys = BatchLegend(palette, DIMMED, MODEL_WIDTH, GHOST_WIDTH)
        under = keys.place(data, list(self.traces), *LEGEND_TOPS)
        verdict, keys_stay = self.make_verdict(clock, story, data, keys)
        self.add_static(self.make_title(), data.names(), keys.lines)
        self.add_static(loss.static(), step_name(palette, loss), floor)
        self.add_static(self.make_loss_marks(readouts))
        top = UPDATE_TOP - (UPDATE_GAP if under else 0.0)  # under the lines' keys
        right = float(loss.static().get_left()[0]) - LABEL_AIR  # label's limit
        update = LineUpdate(palette, trace, UPDATE_LEFT, top, UPDATE_GAP, right=right)
        self.add_static(readouts.static(), update.static())
        self.add_drawing(clock, *data.drawing(clock, DIMMED))
        if keys_stay:  # over the plot's grid, however it is drawn
            self.add_moving(clock, keys.backing, keys.points, in_intro=True)
        else:  # once the points' keys have left, the plain points' own
            self.add_moving(clock, shown_while(keys.data, clock.finished))
        # Each update lights up a fresh batch and moves the line on its gradient
        # plain gradient descent: thin and dashed in a sleeve, over the model's line,
        # so the two stay apart where they agree
        line = data.line(clock, trace, palette.fit, width=MODEL_WIDTH)
        sleeve, ghost = (
            data.line(clock, full_batch, color, width=width, dashed=dashed)
            for color, width, dashed in (
                (palette.background, GHOST_SLEEVE, SLEEVE_DASHES),
                (palette.ink, GHOST_WIDTH, GHOST_DASHES),
            )
        )
        # the closing frame lights no batch once its key has left
        batch = BatchHighlight(data, (lambda: False) if keys_stay else clock.finished)
        # the lit batch and its residuals over both lines: seen where the fit is good
        self.add_moving(
            clock,
            batch.used(clock),
            line,
            sleeve,
            ghost,
            batch.moving(clock),
            *verdict,
        )
        # the batch's loss in violet: apart from the model's orange in both themes
        curves = [
            *loss.curve(clock, trace.loss, palette.accent, BATCH_WIDTH, stepwise=True),
            *loss.curve(clock, trace.full_loss, palette.fit, SGD_LOSS_WIDTH),
            # plain gradient descent's, dashed in a sleeve over the model's
            *sleeved_dashes(
                loss, clock, full_batch.full_loss, palette, *FULL_LOSS_WIDTHS
            ),
        ]
        # at an epoch's end the numbers show the update that finished it
        finished = EpochEndClock(clock)
        # the first batch below the floor, ringed over the curves as they reach it
        note = floor[1] if len(floor) > 1 else None  # the floor's key
        self.add_moving(
            clock,
            *curves,
            *dip.moving(clock, note),
            *self.numbers(readouts, clock, finished),
            *update.moving(finished, latest=True),
        )
        self.keep_inside(data.box, line, ghost)
        self.keep_inside(loss.box, *curves)
        # The first epoch slowly, held at its end; then faster. Its first steps
        # slowest: time to read each batch's numbers and worked update
        self.watch(line)
        least = np.zeros(trace.n_steps)
        least[:FIRST_READ_STEPS] = FIRST_READ_SECONDS
        per_epoch = int(trace.meta["batches_per_epoch"])  # type: ignore[arg-type]
        # the clip's length bounds the slow ones: within 30 s
        slow = min(SLOW_STEPS, per_epoch)
        self.replay(clock, story, slow_steps=slow, least_seconds=least)

    def make_title(self) -> VGroup:
        """Title, and the run's settings from the trace."""
        meta = self.trace.meta
        return self.title(
            "SGD: a random mini-batch each step",
            f"batches of {meta['batch_size']} from {len(self.trace.y)} points"
            f" · learning rate {format_lr(self.trace.learning_rate)} · MSE loss",
        )

    def make_verdict(
        self,
        clock: StepClock,
        story: MinibatchStory,
        data: DataPlot,
        legend: BatchLegend,
    ) -> tuple[list[Mobject], bool]:
        """The closing verdict, and whether the points' keys stay beside it.

        It goes into a corner of the data plot that the last frame leaves clear (the
        points, the two lines where they end, the points' keys; the last batch is lit
        then, over its own points, with no residuals);
        if none is, it takes the keys' place and they leave when the run is over,
        and with them the lit batch and the epoch's marks (BatchHighlight's `closed`):
        the plain points are then keyed by the data's key, after the lines' keys.
        """
        keys = legend.points
        last = float(max(trace.n_steps for trace in self.traces))
        ink = data.ink(self.traces, at=[last])
        left, bottom, right, top = (*keys.get_corner(DL)[:2], *keys.get_corner(UR)[:2])
        grid = np.mgrid[left:right:12j, bottom:top:6j].reshape(2, -1).T
        ink.add_points(grid)
        # its usual width, else narrower (more lines) for a smaller corner
        for width in VERDICT_WIDTHS:
            [note] = verdict_note(
                self.palette,
                clock,
                story.verdict(),
                (0, 0),
                "left",
                width=width,
                small=True,
            )
            corner = data.clear_corner(note.shown, ink)
            if corner is not None:
                left, top = float(corner[0]), float(corner[1])
                box = (left, top - note.shown.height, left + note.shown.width, top)
                # a verdict keeps further from the points than a legend does
                if ink.crowding(grown(box, data.clearance() + VERDICT_AIR)):
                    continue
                note.shown.move_to(corner, aligned_edge=UL)
                return [
                    shown_while(backed(note.shown, self.palette), clock.finished),
                    note,
                ], True
        note = verdict_note(
            self.palette,
            clock,
            story.verdict(),
            (keys.get_left()[0], keys.get_top()[1]),
            "left",
            width=VERDICT_WIDTHS[0],
            small=True,
        )[0]
        backing = shown_while(backed(note.shown, self.palette), clock.finished)
        # its points taken away, not the group off screen: the replay's last frame
        # would still draw what was on screen when the play began
        running = while_true(VGroup(legend.backing, keys), lambda: not clock.finished())
        return [running, backing, note], False

    def make_loss_marks(self, readouts: ReadoutColumn) -> VGroup:
        """The loss curves' strokes (plain gradient descent's dashed) beside the
        readouts of the same losses: which curve is which, where the numbers are."""
        palette, rows = self.palette, readouts.baselines
        keys = [
            (palette.accent, BATCH_WIDTH, False),
            (palette.fit, SGD_LOSS_WIDTH, False),
            (palette.ink, FULL_LOSS_WIDTHS[0], True),
        ]
        keyed = (BATCH_ROW, ALL_POINTS_ROW, FULL_BATCH_ROW)
        return loss_keys(
            {rows[i] + 0.1: k for i, k in zip(keyed, keys, strict=True)}, MARKS_X
        )

    def numbers(
        self, readouts: ReadoutColumn, clock: StepClock, finished: EpochEndClock
    ) -> list[Readout]:
        """The readouts' numbers: the batch's as `finished` reads the clock, the loss on
        all points (the line's own) as the line lands on each step."""
        batch_rows = readouts.moving(finished, self.trace, latest=True)
        line_rows = readouts.moving(clock, self.trace, landed=True)
        return [
            line_rows[i] if i in (ALL_POINTS_ROW, FULL_BATCH_ROW) else number
            for i, number in enumerate(batch_rows)
        ]

    def make_readouts(self) -> tuple[list[str], ReadoutColumn]:
        """The batches' losses as written (the dip's words), and the readouts: epoch
        and batch counters, the batch losses' key and the loss on all points."""
        trace = self.trace
        per_epoch = int(trace.meta["batches_per_epoch"])  # type: ignore[arg-type]
        epochs = math.ceil(trace.n_steps / per_epoch)

        def update_of(k: int) -> int:
            return min(k, trace.n_steps - 1)

        # the losses with one number of decimals, for the whole clip
        losses = [trace.loss[:-1], trace.full_loss, self.traces[1].full_loss]
        batch_losses, all_loss, full_loss = clip_rows(losses, READOUT_CHARS)
        return batch_losses, ReadoutColumn(
            self.palette,
            [
                (
                    "epoch",
                    lambda k: format_count(trace.epoch[update_of(k)] + 1, epochs),
                ),
                (
                    "batch",
                    lambda k: format_count(
                        trace.iteration[update_of(k)] + 1, per_epoch
                    ),
                ),
                ("loss on each batch", lambda k: ""),  # its curve's key: no number
                ("SGD loss, all points", all_loss),
                ("full-batch GD loss", full_loss),
            ],
            left=READOUT_LEFT,
            right=READOUT_RIGHT,
            top=READOUT_TOP,
            row_height=READOUT_ROW,
            n_chars=READOUT_CHARS,
            size=self.palette.label_size,
            on_baselines=True,
        )
