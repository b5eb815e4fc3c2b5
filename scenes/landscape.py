"""landscape: the fitted line, the path over the loss contours and the loss curve, on one clock.

The MSE of a line is a quadratic in its parameters, L(a) = L* + (a - a*)ᵀ H (a - a*)
with H = XᵀX / n, so its contours are exact ellipses around the least-squares a*.
Both come from the trace's own data (numpy here; sgdcore.landscape checks them in torch).
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Cross,
    DashedLine,
    Dot,
    ValueTracker,
    VGroup,
    VMobject,
)

from scenes.camera import KeptPath
from scenes.common import PlotBox, nice_range, polyline_curves
from scenes.fit_line import FitLine
from sgdcore.trace import Trace

CONTOUR_CORNER, CONTOUR_SIZE = (1.4, -0.95), (5.1, 3.3)
PANEL_LEFT, PANEL_RIGHT, PANEL_TOP, PANEL_ROW = 3.5, 6.9, -1.85, 0.45
CONTOUR_LEVELS = 7  # ellipses, spaced by factors of CONTOUR_RATIO in excess loss
CONTOUR_RATIO = 3.0


def quadratic_form(trace: Trace) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], float]:
    """H = XᵀX / n, the least-squares a*, and the loss L* there."""
    hessian = trace.x.T @ trace.x / len(trace.y)
    best = np.linalg.solve(trace.x.T @ trace.x, trace.x.T @ trace.y)
    return hessian, best, float(np.mean((trace.x @ best - trace.y) ** 2))


def inside_runs(points: npt.NDArray[np.float64], plot: PlotBox) -> list[npt.NDArray[np.float64]]:
    """The stretches of a scene-space polyline that lie inside the plot box."""
    (left, bottom), (width, height) = plot.corner, plot.size
    inside = (
        np.isfinite(points).all(axis=1)
        & (points[:, 0] >= left) & (points[:, 0] <= left + width)
        & (points[:, 1] >= bottom) & (points[:, 1] <= bottom + height)
    )
    edges = np.flatnonzero(np.diff(np.concatenate([[0], inside.astype(int), [0]])))
    return [points[start:stop] for start, stop in zip(edges[::2], edges[1::2], strict=True) if stop - start > 1]


class Landscape(FitLine):
    """Where gradient descent walks: the same step in the fit, on the loss surface and its curve."""

    data_corner, data_size = (-6.2, -0.95), (5.4, 3.3)
    loss_corner, loss_size = (-6.2, -3.5), (8.7, 1.55)
    contour_corner, contour_size = CONTOUR_CORNER, CONTOUR_SIZE
    diverged_note_right = (PANEL_RIGHT, -3.75)  # under the readouts
    outside_note_side = DOWN  # the subtitle sits right above this layout's data plot
    path_color_field = "fit"

    def construct(self) -> None:
        # Title, the data, the loss contours around the minimum, the empty loss curve
        self.add_static(self.make_title())
        plot, plot_frame = self.make_data_plot()
        self.add_static(plot_frame, self.make_data_dots(plot))
        contour, contour_frame = self.make_contour_plot()
        loss_plot, loss_frame = self.make_loss_plot("loss by step (log scale)")
        key = self.make_minimum_key()  # above the contours, flush with their right edge
        key.next_to(contour.c2p(contour.x_range[1], contour.y_range[1]), UP, buff=0.15, aligned_edge=RIGHT)
        self.add_static(contour_frame, self.make_contours(contour), key, loss_frame, self.make_loss_floor(loss_plot))
        self.add_static(self.make_readout_labels())
        # One clock moves the line, the point on the surface and the loss curve together
        step = ValueTracker(0)
        self.add(step, self.make_residuals(plot, step), self.make_fit_line(plot, step))
        self.add(*self.make_warnings(plot, step))
        self.add(*self.make_path(contour, step, self.trace, getattr(self.palette, self.path_color_field)))
        self.add(*self.make_loss_curve(loss_plot, step), *self.make_readouts(step))
        self.replay(step)

    # -- static -----------------------------------------------------------------------
    def make_title(self) -> VGroup:
        """Title, and the run's settings."""
        return self.title_block(
            "Where gradient descent walks",
            f"one step in three views · learning rate {self.number(self.trace.learning_rate, trim=True)}",
        )

    def make_contour_plot(self) -> tuple[PlotBox, VGroup]:
        """Axes over (slope a₁, intercept a₂) spanning every path and the minimum."""
        _, best, _ = quadratic_form(self.trace)
        finite = [t.params[np.isfinite(t.params).all(axis=1)] for t in self.traces]
        points = np.vstack([*finite, best[None, :]])
        low, high = points.min(axis=0), points.max(axis=0)
        pad = 0.12 * np.maximum(high - low, 0.5)
        a0 = nice_range(low[0] - pad[0], high[0] + pad[0], max_ticks=5)
        a1 = nice_range(low[1] - pad[1], high[1] + pad[1], max_ticks=5)
        plot, frame = self.make_plot(a0, a1, self.contour_corner, self.contour_size)
        size, muted = self.palette.label_size, self.palette.muted
        a0_name = self.text("a₁", size, muted).next_to(plot.c2p(a0[1], a1[0]), RIGHT, buff=0.2)
        a1_name = self.text("a₂", size, muted).next_to(plot.c2p(a0[0], a1[1]), UP, buff=0.15)
        return plot, VGroup(frame, a0_name, a1_name)

    def make_contours(self, plot: PlotBox) -> VGroup:
        """Ellipses of equal loss, faint, and a cross at the least-squares minimum."""
        hessian, best, _ = quadratic_form(self.trace)
        eigenvalues, eigenvectors = np.linalg.eigh(hessian)
        corners = np.array([[plot.x_range[i], plot.y_range[j]] for i in (0, 1) for j in (0, 1)])
        top = max(float((c - best) @ hessian @ (c - best)) for c in corners)
        angles = np.linspace(0.0, 2 * np.pi, 181)
        circle = np.stack([np.cos(angles), np.sin(angles)])
        contours = VMobject(stroke_color=self.palette.muted, stroke_width=1.5, stroke_opacity=0.55)
        curves = []
        for level in range(CONTOUR_LEVELS):
            excess = top / CONTOUR_RATIO ** (level + 0.5)
            ellipse = best[:, None] + eigenvectors @ (circle * np.sqrt(excess / eigenvalues)[:, None])
            for run in inside_runs(plot.to_points(ellipse[0], ellipse[1]), plot):
                curves.append(polyline_curves(run))
        if curves:
            contours.set_points(np.vstack(curves))
        return VGroup(contours, self.minimum_cross().move_to(plot.c2p(*best)))

    def minimum_cross(self) -> Cross:
        """The mark of the least-squares minimum."""
        return Cross(stroke_color=self.palette.ink, stroke_width=3, scale_factor=0.12)

    def make_minimum_key(self) -> VGroup:
        """What the cross marks, kept off the plot, where the paths run."""
        label = self.text("least-squares minimum", self.palette.label_size, self.palette.muted)
        return VGroup(self.minimum_cross(), label).arrange(RIGHT, buff=0.2)

    def make_loss_floor(self, plot: PlotBox) -> VGroup:
        """A dashed line at the least-squares loss, the floor every full-batch loss nears."""
        _, _, floor = quadratic_form(self.trace)
        level = math.log10(floor) if floor > 0 else -math.inf
        if not plot.y_range[0] <= level <= plot.y_range[1]:
            return VGroup()  # the runs stay far above it: nothing to compare on this plot
        left, right = plot.c2p(plot.x_range[0], level), plot.c2p(plot.x_range[1], level)
        line = DashedLine(left, right, dash_length=0.1, stroke_width=2, stroke_color=self.palette.ink)
        line.set_stroke(opacity=0.6)
        label = self.text(f"minimum {self.number(floor, 3)}", self.palette.tick_size, self.palette.muted)
        label.next_to(right, DOWN, buff=0.08, aligned_edge=RIGHT)  # curves approach from above
        if label.get_bottom()[1] < plot.corner[1]:  # no room below: above, where curves start high
            label.next_to(left, UP, buff=0.08, aligned_edge=LEFT).shift(0.1 * RIGHT)
        return VGroup(line, label)

    def make_readout_labels(self) -> VGroup:
        """Step, loss and both parameters, in a narrow column right of the contours."""
        names = ["step", "loss", "slope a₁", "intercept a₂"]
        labels = VGroup(*(self.text(name, self.palette.label_size, self.palette.muted) for name in names))
        for row, label in enumerate(labels):
            self.put_on_baseline(label, PANEL_LEFT, PANEL_TOP - PANEL_ROW * row)
        self.baselines = [PANEL_TOP - PANEL_ROW * row for row in range(len(names))]
        return labels

    # -- moving -----------------------------------------------------------------------
    def make_path(self, plot: PlotBox, step: ValueTracker, trace: Trace, color: str) -> list[VMobject]:
        """The parameters so far as a path over the contours, with a dot at the current step."""
        points = plot.to_points(trace.params[:, 0], trace.params[:, 1])
        path = KeptPath(stroke_color=color, stroke_width=3)  # finished steps: traced once each
        leg = VMobject(stroke_color=color, stroke_width=3)  # the step under way
        head = Dot(points[0], radius=0.07, color=color)

        def set_runs(mob: VMobject, line: npt.NDArray[np.float64]) -> None:
            curves = [polyline_curves(run) for run in inside_runs(line, plot)]
            mob.set_points(np.vstack(curves)) if curves else mob.clear_points()

        def walk(mob: VMobject) -> None:
            index, fraction = self.step_fraction(step, trace)
            tip = points[index] if fraction == 0 else points[index] + fraction * (points[index + 1] - points[index])
            set_runs(mob, points[: index + 1])
            set_runs(leg, np.vstack([points[index], tip]))
            inside = math.isfinite(tip[0]) and plot.corner[0] <= tip[0] <= plot.corner[0] + plot.size[0]
            inside = inside and plot.corner[1] <= tip[1] <= plot.corner[1] + plot.size[1]
            head.move_to(tip if inside else self.clamp_to(plot, tip)).set_opacity(1.0 if inside else 0.4)

        return [path.add_updater(walk, call_updater=True), leg, head]

    @staticmethod
    def clamp_to(plot: PlotBox, point: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """A point pulled back onto the plot's edge (non-finite values to a corner)."""
        (left, bottom), (width, height) = plot.corner, plot.size
        x = np.clip(np.nan_to_num(point[0], nan=left + width, posinf=left + width, neginf=left), left, left + width)
        y = np.clip(np.nan_to_num(point[1], nan=bottom + height, posinf=bottom + height, neginf=bottom), bottom, bottom + height)
        return np.array([x, y, 0.0])

    def make_readouts(self, step: ValueTracker) -> list[VMobject]:
        """Step, loss and parameters of the latest recorded step, in the narrow column."""
        trace = self.trace
        columns = [
            lambda k: str(k),
            lambda k: self.number(trace.loss[k], 3),
            lambda k: self.number(trace.params[k, 0], 3),
            lambda k: self.number(trace.params[k, 1], 3),
        ]
        readouts = []
        for row, column in enumerate(columns):
            readout = self.readout(7, size=self.palette.label_size).put_on_baseline(PANEL_RIGHT, self.baselines[row])
            readout.add_updater(lambda mob, column=column: mob.show(column(self.step_index(step))), call_updater=True)
            readouts.append(readout)
        return readouts
