"""minibatch: stochastic gradient descent, one random mini-batch per update."""

from __future__ import annotations

import math

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UL,
    UP,
    Circle,
    Line,
    ValueTracker,
    VGroup,
    VMobject,
)

from scenes.common import PlotBox, dot_cloud, dot_radius, segment_curves
from scenes.fit_line import (
    READOUT_LEFT,
    READOUT_RIGHT,
    READOUT_ROW,
    READOUT_TOP,
    FitLine,
)
from sgdcore.trace import PAD


class Minibatch(FitLine):
    """All points dimmed, the current batch lit, the line moving on the batch's gradient."""

    n_traces = 2  # the mini-batch run, and plain gradient descent as a ghost
    default_pace = 6.0  # updates per second: each batch is on screen for 10 frames at 60 fps

    def construct(self) -> None:
        # The dimmed cloud of every point and the empty plots: static, drawn once
        self.add_static(self.make_title())
        plot, plot_frame = self.make_data_plot()
        self.add_static(plot_frame, self.make_point_cloud(plot), self.make_batch_legend(plot))
        loss_plot, loss_frame = self.make_loss_plot("loss by step (log scale)")
        self.add_static(loss_frame, self.make_loss_legend(loss_plot), self.make_readout_labels())
        # Each update lights up a fresh batch and moves the line on its gradient
        step = ValueTracker(0)
        ghost = self.make_fit_line(plot, step, self.traces[1], self.palette.muted, opacity=0.5)
        self.add(step, ghost, self.make_batch(plot, step), self.make_fit_line(plot, step))
        full_curve = self.make_loss_curve(loss_plot, step, self.trace.full_loss, self.palette.fit, 4)
        batch_curve = self.make_loss_curve(loss_plot, step, self.trace.loss, self.palette.highlight, 1.5)
        self.add(*batch_curve, *full_curve, *self.make_readouts(step))
        self.replay(step)

    def telling_steps(self) -> list[int]:
        """Pause a deck at the first epoch boundary: every point has now been used once."""
        return [int(self.trace.meta["batches_per_epoch"])]  # type: ignore[arg-type]

    # -- static -------------------------------------------------------------------
    def make_title(self) -> VGroup:
        """Title, and the run's settings from the trace."""
        meta = self.trace.meta
        return self.title_block(
            "SGD: a random mini-batch each step",
            f"batches of {meta['batch_size']} from {len(self.trace.y)} points"
            f" · learning rate {self.number(self.trace.learning_rate, trim=True)} · MSE loss",
        )

    def make_point_cloud(self, plot: PlotBox) -> VMobject:
        """Every point, dimmed, as one path: cheap however many there are."""
        points = plot.to_points(self.trace.x[:, 0], self.trace.y)
        return dot_cloud(points, dot_radius(len(points)), self.palette.data, opacity=0.35)

    def make_batch_legend(self, plot: PlotBox) -> VGroup:
        """What the marks mean: the batch, the model, plain gradient descent."""
        size, muted = self.palette.label_size, self.palette.muted
        marks = [
            Circle(radius=0.08, color=self.palette.highlight, fill_opacity=1.0, stroke_width=0),
            Line(LEFT * 0.22, RIGHT * 0.22, color=self.palette.fit, stroke_width=6),
            Line(LEFT * 0.22, RIGHT * 0.22, color=self.palette.muted, stroke_width=6, stroke_opacity=0.5),
        ]
        words = ["this step's mini-batch", "model after each step", "full-batch gradient descent"]
        rows = [VGroup(mark, self.text(word, size, muted)) for mark, word in zip(marks, words, strict=True)]
        for row in rows:
            row[0].set_x(0)
            row[1].next_to(row[0], RIGHT, buff=0.35 - row[0].width / 2)
        legend = VGroup(*rows).arrange(DOWN, aligned_edge=LEFT, buff=0.16)
        corner = plot.c2p(plot.x_range[0], plot.y_range[1])
        return legend.move_to(corner, aligned_edge=UL).shift(0.3 * RIGHT + 0.1 * DOWN)

    def make_loss_legend(self, plot: PlotBox) -> VGroup:
        """Which loss curve is which, top right: empty once the loss has dropped."""
        size, muted = self.palette.label_size, self.palette.muted
        rows = [
            VGroup(Line(LEFT * 0.18, RIGHT * 0.18, color=self.palette.fit, stroke_width=4),
                   self.text("all points", size, muted)),
            VGroup(Line(LEFT * 0.18, RIGHT * 0.18, color=self.palette.highlight, stroke_width=2),
                   self.text("the batch", size, muted)),
        ]
        for row in rows:
            row.arrange(RIGHT, buff=0.15)
        legend = VGroup(*rows).arrange(DOWN, aligned_edge=LEFT, buff=0.1)
        top_right = plot.c2p(plot.x_range[1], plot.y_range[1])
        return legend.move_to(top_right, aligned_edge=RIGHT + UP).shift(0.1 * LEFT + 0.12 * DOWN)

    def make_readout_labels(self) -> VGroup:
        """Names beside the readouts: epoch, batch, both losses."""
        names = ["epoch", "batch", "batch loss", "loss, all points"]
        labels, self.baselines = self.label_column(names, READOUT_LEFT, READOUT_TOP, READOUT_ROW)
        return labels

    # -- moving -------------------------------------------------------------------
    def make_batch(self, plot: PlotBox, step: ValueTracker) -> VGroup:
        """The current batch: its points lit, and their residuals to the line."""
        radius = 1.7 * dot_radius(len(self.trace.y))
        lit = VMobject(fill_color=self.palette.highlight, fill_opacity=1.0, stroke_width=0)
        residuals = VMobject(stroke_color=self.palette.highlight, stroke_width=2, stroke_opacity=0.7)
        points = plot.to_points(self.trace.x[:, 0], self.trace.y)
        shown: list[int] = [-1]

        def light(_: VMobject) -> None:
            index = self.step_index(step)
            members = self.batch_members(index)
            if index != shown[0]:
                shown[0] = index
                cloud = dot_cloud(points[members], radius, self.palette.highlight)
                lit.set_points(cloud.points) if len(members) else lit.clear_points()
            slope, intercept = self.params_at(step)
            if not len(members) or not (math.isfinite(slope) and math.isfinite(intercept)):
                residuals.clear_points()
                return
            xs = self.trace.x[members, 0]
            ends = plot.to_points(xs, np.clip(slope * xs + intercept, *plot.y_span))
            residuals.set_points(segment_curves(points[members], ends))

        residuals.add_updater(light, call_updater=True)
        return VGroup(residuals, lit)

    def batch_members(self, index: int) -> np.ndarray:
        """Sample indices of update `index` (none once the run is over)."""
        if index >= self.trace.n_steps:
            return np.zeros(0, dtype=np.int64)
        row = self.trace.batch[index]
        return row[row != PAD]

    def make_readouts(self, step: ValueTracker) -> list[VMobject]:
        """Epoch and batch counters, batch loss and full loss of the update in progress."""
        trace = self.trace
        per_epoch = int(trace.meta["batches_per_epoch"])  # type: ignore[arg-type]
        epochs = math.ceil(trace.n_steps / per_epoch)

        def update_of(k: int) -> int:
            return min(k, trace.n_steps - 1)

        columns = [
            lambda k: f"{trace.epoch[update_of(k)] + 1} / {epochs}",
            lambda k: f"{trace.iteration[update_of(k)] + 1} / {per_epoch}",
            lambda k: self.number(trace.loss[k]) if k < trace.n_steps else "",  # no batch at the end
            lambda k: self.number(trace.full_loss[k]),
        ]
        readouts = []
        for row, column in enumerate(columns):
            readout = self.readout(11).put_on_baseline(READOUT_RIGHT, self.baselines[row])
            readout.add_updater(
                lambda mob, column=column: mob.show(column(self.step_index(step))),
                call_updater=True,
            )
            readouts.append(readout)
        return readouts
