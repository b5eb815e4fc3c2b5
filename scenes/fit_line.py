"""fit_line: the lesson's line fit, replayed step by step from a torch trace."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from manim import DOWN, LEFT, RIGHT, UL, UP, Dot, Line, ValueTracker, VGroup, VMobject

from scenes.camera import KeptPath
from scenes.common import (
    PlotBox,
    TraceScene,
    dot_cloud,
    dot_radius,
    nice_range,
    segment_curves,
    visible_span,
)
from scenes.readout import format_tick
from sgdcore.trace import Trace

# Layout in scene units (the frame is 14.2 wide and 8 high, centred on 0).
DATA_CORNER, DATA_SIZE = (-5.9, -3.3), (6.7, 5.5)
LOSS_CORNER, LOSS_SIZE = (2.65, -3.3), (4.0, 2.1)
READOUT_LEFT, READOUT_RIGHT, READOUT_TOP, READOUT_ROW = 1.75, 6.65, 1.85, 0.55


class FitLine(TraceScene):
    """Points, the fitted line at every step, and the loss falling beside them."""

    problem = "linear_regression"
    # Where the plots go (bottom-left corner, size), so subclasses can lay out differently
    data_corner, data_size = DATA_CORNER, DATA_SIZE
    loss_corner, loss_size = LOSS_CORNER, LOSS_SIZE
    diverged_note_right = (READOUT_RIGHT, READOUT_TOP - 4.2 * READOUT_ROW)  # right edge, centre
    outside_note_side = UP  # above the data plot's top-right corner (DOWN: just inside it)

    def construct(self) -> None:
        # The title, the data and the empty plots: static, so Manim draws them once
        self.add_static(self.make_title())
        plot, plot_frame = self.make_data_plot()
        self.add_static(plot_frame, self.make_data_dots(plot), self.make_legend(plot))
        loss_plot, loss_frame = self.make_loss_plot()
        self.add_static(loss_frame, self.make_readout_labels())
        # Each step nudges the line downhill; everything added from here on moves
        step = ValueTracker(0)
        self.add(step, self.make_residuals(plot, step), self.make_fit_line(plot, step))
        self.add(*self.make_warnings(plot, step))
        self.add(*self.make_loss_curve(loss_plot, step), *self.make_readouts(step))
        # Replay every recorded step, then hold on the final fit
        self.replay(step)

    # -- static ---------------------------------------------------------------------
    def make_title(self) -> VGroup:
        """Title, and a subtitle with the run's settings, top left."""
        start = ", ".join(self.number(value, 3, trim=True) for value in self.trace.params[0])
        return self.title_block(
            "Gradient descent fits a line",
            f"MSE loss · learning rate {self.number(self.trace.learning_rate, trim=True)}"
            f" · {len(self.trace.y)} points · start a = ({start})",
        )

    def make_data_plot(self) -> tuple[PlotBox, VGroup]:
        """The data plot, bottom left, spanning every point with a margin."""
        x_data, y_data = self.trace.x[:, 0], self.trace.y
        pad = 0.08 * float(y_data.max() - y_data.min())
        x_range = nice_range(min(-1.0, float(x_data.min())), max(1.0, float(x_data.max())))
        y_range = nice_range(float(y_data.min()) - pad, float(y_data.max()) + pad)
        plot, frame = self.make_plot(x_range, y_range, self.data_corner, self.data_size)
        x_name = self.text("x", self.palette.label_size, self.palette.muted)
        y_name = self.text("y", self.palette.label_size, self.palette.muted)
        x_name.next_to(plot.c2p(x_range[1], y_range[0]), RIGHT, buff=0.2)
        y_name.next_to(plot.c2p(x_range[0], y_range[1]), LEFT, buff=0.5)
        return plot, VGroup(frame, x_name, y_name)

    def make_data_dots(self, plot: PlotBox) -> VMobject:
        """Every sample as one path of dots, built once."""
        points = plot.to_points(self.trace.x[:, 0], self.trace.y)
        return dot_cloud(points, dot_radius(len(points)), self.palette.data)

    def make_legend(self, plot: PlotBox) -> VGroup:
        """Which mark is data and which is the model, in the plot's empty top-left."""
        size, muted = self.palette.label_size, self.palette.muted
        dot = Dot(radius=0.07, color=self.palette.data)
        stroke = Line(LEFT * 0.22, RIGHT * 0.22, color=self.palette.fit, stroke_width=6)
        rows = [
            VGroup(dot, self.text("data", size, muted)),
            VGroup(stroke, self.text("model  y = a₁·x + a₂", size, muted)),
        ]
        for row in rows:
            row.arrange(RIGHT, buff=0.2)
            row[0].set_x(0)  # marks share one column
            row[1].next_to(row[0], RIGHT, buff=0.35 - row[0].width / 2)
        legend = VGroup(*rows).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        return legend.move_to(plot.c2p(plot.x_range[0], plot.y_range[1]), aligned_edge=UL).shift(
            0.35 * RIGHT + 0.1 * DOWN
        )

    def make_loss_plot(self, caption_text: str = "loss by step (log scale)") -> tuple[PlotBox, VGroup]:
        """A log-scale loss-by-step plot, bottom right, spanning every trace's losses."""
        loss = np.concatenate([np.concatenate([t.loss, t.full_loss]) for t in self.traces])
        finite = loss[np.isfinite(loss) & (loss > 0)]
        low = math.floor(math.log10(finite.min())) if finite.size else -1
        high = max(math.ceil(math.log10(finite.max())) if finite.size else 1, low + 1)
        stride = math.ceil((high - low + 1) / 5)  # at most five decade labels
        # Plain numbers up to four characters (0.01 to 1000), powers beyond: none overflows the frame
        labels = {
            float(k): format_tick(10.0**k) if -2 <= k <= 3 else f"1e{k}".replace("-", "−")
            for k in range(low, high + 1, stride)
        }
        x_range = nice_range(0, max(*(t.n_steps for t in self.traces), 1), max_ticks=5)
        plot, frame = self.make_plot(
            (0.0, x_range[1], x_range[2]), (low, high, 1), self.loss_corner, self.loss_size, labels
        )
        caption = self.text(caption_text, self.palette.label_size, self.palette.muted)
        caption.next_to(plot.c2p(0, high), UP, buff=0.25).align_to(plot.c2p(0, high), LEFT)
        return plot, VGroup(frame, caption)

    def make_readout_labels(self) -> VGroup:
        """The names beside the readouts: step, loss and both parameters."""
        names = ["step", "loss", "slope a₁", "intercept a₂"]
        labels, self.baselines = self.label_column(names, READOUT_LEFT, READOUT_TOP, READOUT_ROW)
        return labels

    # -- moving ---------------------------------------------------------------------
    def make_fit_line(
        self,
        plot: PlotBox,
        step: ValueTracker,
        trace: Trace | None = None,
        color: str | None = None,
        opacity: float = 1.0,
    ) -> VMobject:
        """A trace's line (default: the model's) at the current step, clipped to the plot."""
        line = VMobject(stroke_color=color or self.palette.fit, stroke_width=6, stroke_opacity=opacity)

        def follow(mob: VMobject) -> None:
            slope, intercept = self.params_at(step, trace)
            span = visible_span(slope, intercept, plot.x_span, plot.y_span)
            if span is None:
                mob.clear_points()
                return
            xs = np.array(span)
            mob.set_points_as_corners(plot.to_points(xs, slope * xs + intercept))

        return line.add_updater(follow, call_updater=True)

    def make_residuals(self, plot: PlotBox, step: ValueTracker) -> VMobject:
        """Faint segments from each point to the line: what the MSE squares and averages."""
        residuals = VMobject(stroke_color=self.palette.fit, stroke_width=1.5, stroke_opacity=0.4)
        x_data = self.trace.x[:, 0]
        starts = plot.to_points(x_data, self.trace.y)

        def follow(mob: VMobject) -> None:
            slope, intercept = self.params_at(step)
            if not (math.isfinite(slope) and math.isfinite(intercept)):
                mob.clear_points()
                return
            ends = plot.to_points(x_data, np.clip(slope * x_data + intercept, *plot.y_span))
            mob.set_points(segment_curves(starts, ends))

        return residuals.add_updater(follow, call_updater=True)

    def make_warnings(self, plot: PlotBox, step: ValueTracker) -> list[VMobject]:
        """Notes for a line outside the view and for a diverged run, shown only then."""
        warnings: list[VMobject] = []
        outside = [visible_span(*p, plot.x_span, plot.y_span) is None for p in self.trace.params]
        if any(outside):
            note = self.text("the line has left the view", self.palette.label_size, self.palette.warning)
            note.next_to(plot.c2p(plot.x_span[1], plot.y_span[1]), self.outside_note_side, buff=0.15)
            note.align_to(plot.c2p(plot.x_span[1], 0), RIGHT)

            def line_outside() -> bool:
                return visible_span(*self.params_at(step), plot.x_span, plot.y_span) is None

            warnings.append(self.shown_while(note, line_outside))
        at = self.trace.diverged_at
        if at is not None:
            diverged = self.text(f"diverged at step {at}", color=self.palette.warning)
            diverged.move_to([*self.diverged_note_right, 0], aligned_edge=RIGHT)
            warnings.append(self.shown_while(diverged, lambda: self.step_index(step) >= at))
        return warnings

    def make_loss_curve(
        self,
        plot: PlotBox,
        step: ValueTracker,
        values: npt.NDArray[np.float64] | None = None,
        color: str | None = None,
        width: float = 3,
    ) -> list[VMobject]:
        """A loss series (default: the trace's loss) drawn up to the current step; its head dot last."""
        low, high = plot.y_span
        color = color or self.palette.fit
        with np.errstate(divide="ignore", invalid="ignore"):
            logs = np.log10(self.trace.loss if values is None else values)
        logs = np.clip(np.nan_to_num(logs, nan=high, posinf=high, neginf=low), low, high)
        points = plot.to_points(np.arange(len(logs), dtype=np.float64), logs)
        curve = KeptPath(stroke_color=color, stroke_width=width)  # finished steps: traced once each
        leg = VMobject(stroke_color=color, stroke_width=width)  # the step under way
        head = Dot(points[0], radius=0.06, color=color)

        last = len(points) - 1  # a run that diverged early stops there; the others go on

        def grow(mob: VMobject) -> None:
            value = min(max(step.get_value(), 0.0), float(last))
            index = math.floor(value)
            tip = points[index]
            if index < last:
                tip = tip + (value - index) * (points[index + 1] - tip)
            mob.set_points_as_corners(points[: index + 1])
            leg.set_points_as_corners(np.vstack([points[index], tip]))
            head.move_to(tip)

        return [curve.add_updater(grow, call_updater=True), leg, head]

    def make_readouts(self, step: ValueTracker) -> list[VMobject]:
        """Step, loss and both parameters of the latest recorded step, right-aligned."""
        trace = self.trace
        columns = [
            lambda k: f"{k} / {trace.n_steps}",
            lambda k: self.number(trace.loss[k]),
            lambda k: self.number(trace.params[k, 0]),
            lambda k: self.number(trace.params[k, 1]),
        ]
        readouts = []
        for row, column in enumerate(columns):
            readout = self.readout(11)
            readout.put_on_baseline(READOUT_RIGHT, self.baselines[row])
            readout.add_updater(
                lambda mob, column=column: mob.show(column(self.step_index(step))),
                call_updater=True,
            )
            readouts.append(readout)
        return readouts
