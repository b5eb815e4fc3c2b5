"""minibatch: stochastic gradient descent, one random mini-batch per update."""

from __future__ import annotations

import math

from manim import DOWN, LEFT, RIGHT, UP, Circle, Line, VGroup, VMobject

from scenes.clock import StepClock
from scenes.numbers import format_lr
from scenes.panels.batch import BatchHighlight
from scenes.panels.data_plot import DataPlot, dashes
from scenes.panels.legend import legend
from scenes.panels.loss_plot import LossPlot
from scenes.panels.notes import verdict_note
from scenes.panels.readouts import ReadoutColumn
from scenes.replay import ReplayScene
from scenes.stories import MinibatchStory

# The same layout as fit_line: data left, readouts top right, loss bottom right.
DATA_CORNER, DATA_SIZE = (-5.9, -3.3), (6.7, 5.5)
LOSS_CORNER, LOSS_SIZE = (2.65, -3.3), (4.0, 1.9)
READOUT_LEFT, READOUT_RIGHT, READOUT_TOP, READOUT_ROW = 1.75, 6.65, 1.85, 0.55
DIMMED = 0.35  # opacity of the points outside the batch
VERDICT_CORNER = (READOUT_RIGHT, -0.02)  # its top right: under the readouts


class Minibatch(ReplayScene):
    """All points dimmed, the current batch lit, the line moving on the batch's gradient.

    The second trace is plain gradient descent over as many updates, drawn as a ghost.
    """

    def construct(self) -> None:
        trace, full_batch, palette = self.traces[0], self.traces[1], self.palette
        data = DataPlot(palette, trace, DATA_CORNER, DATA_SIZE)
        loss = LossPlot(palette, self.traces, LOSS_CORNER, LOSS_SIZE)
        readouts = self.make_readouts()
        story = MinibatchStory(trace)
        # The title, then the dimmed cloud of every point and the empty plots
        self.add_static(
            self.make_title(),
            data.frame(),
            data.dots(DIMMED),
            self.make_batch_legend(data),
        )
        self.add_static(loss.static(), loss.floor(trace), self.make_loss_legend(loss))
        self.add_static(readouts.static())
        # Each update lights up a fresh batch and moves the line on its gradient
        clock = StepClock(self.traces)
        # plain gradient descent: thin and dashed, over the model's line, so the
        # two stay apart where they agree
        ghost = data.line(clock, full_batch, palette.ink, width=2.5, dashed=True)
        line = data.line(clock, trace, palette.fit)
        verdict = verdict_note(
            palette, clock, story.verdict(), VERDICT_CORNER, width=6.0
        )
        batch = BatchHighlight(data)
        self.add_moving(
            clock, batch.used(clock), batch.moving(clock), line, ghost, *verdict
        )
        self.add_moving(
            clock,
            *loss.curve(clock, trace.loss, palette.highlight, 1.5),
            *loss.curve(clock, trace.full_loss, palette.fit, 4),
            *readouts.moving(clock, trace),
        )
        # The whole first epoch slowly, a batch a second, held at its end; then faster
        self.watch(line)
        self.replay(clock, story, slow_steps=int(trace.meta["batches_per_epoch"]))  # type: ignore[arg-type]

    def make_title(self) -> VGroup:
        """Title, and the run's settings from the trace."""
        meta = self.trace.meta
        return self.title(
            "SGD: a random mini-batch each step",
            f"batches of {meta['batch_size']} from {len(self.trace.y)} points"
            f" · learning rate {format_lr(self.trace.learning_rate)} · MSE loss",
        )

    def make_batch_legend(self, data: DataPlot) -> VGroup:
        """What the marks mean: the batch, the model, plain gradient descent."""
        palette = self.palette
        entries = [
            (
                Circle(
                    radius=0.08,
                    color=palette.highlight,
                    fill_opacity=1.0,
                    stroke_width=0,
                ),
                "this step's mini-batch",
            ),
            (
                Circle(
                    radius=0.06, color=palette.muted, fill_opacity=1.0, stroke_width=0
                ),
                "used earlier this epoch",
            ),
            (
                Line(LEFT * 0.22, RIGHT * 0.22, color=palette.fit, stroke_width=6),
                "model after each step",
            ),
            (
                VMobject(stroke_color=palette.ink, stroke_width=2.5).set_points(
                    dashes(0.22 * LEFT, 0.22 * RIGHT, dash=0.12, gap=0.08)
                ),
                "full-batch gradient descent",
            ),
        ]
        return data.in_top_left(legend(palette, entries, row_gap=0.16), 0.3)

    def make_loss_legend(self, loss: LossPlot) -> VGroup:
        """Which loss curve is which, top right: empty once the loss has dropped."""
        palette = self.palette
        entries = [
            (
                Line(LEFT * 0.18, RIGHT * 0.18, color=palette.fit, stroke_width=4),
                "all points",
            ),
            (
                Line(
                    LEFT * 0.18, RIGHT * 0.18, color=palette.highlight, stroke_width=2
                ),
                "the batch",
            ),
        ]
        rows = legend(palette, entries, row_gap=0.1, mark_gap=0.15)
        top_right = loss.box.c2p(loss.box.x_span[1], loss.box.y_span[1])
        return rows.move_to(top_right, aligned_edge=RIGHT + UP).shift(
            0.1 * LEFT + 0.12 * DOWN
        )

    def make_readouts(self) -> ReadoutColumn:
        """Epoch and batch counters, batch loss and the loss on all points."""
        trace = self.trace
        per_epoch = int(trace.meta["batches_per_epoch"])  # type: ignore[arg-type]
        epochs = math.ceil(trace.n_steps / per_epoch)

        def update_of(k: int) -> int:
            return min(k, trace.n_steps - 1)

        return ReadoutColumn(
            self.palette,
            [
                ("epoch", lambda k: f"{trace.epoch[update_of(k)] + 1} / {epochs}"),
                (
                    "batch",
                    lambda k: f"{trace.iteration[update_of(k)] + 1} / {per_epoch}",
                ),
                ("batch loss", trace.loss[:-1]),  # no batch once the run is over
                ("loss, all points", trace.full_loss),
            ],
            left=READOUT_LEFT,
            right=READOUT_RIGHT,
            top=READOUT_TOP,
            row_height=READOUT_ROW,
            n_chars=11,
        )
