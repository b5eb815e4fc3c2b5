"""lr_too_high, lr_too_low, lr_just_right: gradient descent on the lesson's quadratic.

Each step is drawn as a hop from w_t to w_{t+1} along the parabola, with the tangent
(the gradient) at the point it leaves from and the update's arithmetic written out.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from manim import (
    LEFT,
    RIGHT,
    UP,
    Dot,
    Triangle,
    ValueTracker,
    VGroup,
    VMobject,
)

from scenes.camera import KeptPath
from scenes.common import PlotBox, TraceScene, nice_range, polyline_curves
from sgdcore.trace import Trace

PLOT_CORNER, PLOT_SIZE = (-6.0, -3.3), (6.6, 5.3)
PANEL_LEFT, PANEL_RIGHT, PANEL_TOP, PANEL_ROW = 1.55, 6.75, 1.95, 0.55
HOP_SAMPLES = 16  # points along each drawn hop: smooth at 1080p, cheap to trace


def quadratic(trace: Trace, w: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """The trace's quadratic `c * (w - w*)**2`, from its recorded constants."""
    curvature, minimum = float(trace.meta["curvature"]), float(trace.meta["minimum"])  # type: ignore[arg-type]
    return curvature * (w - minimum) ** 2


def first_overshoot(trace: Trace) -> int | None:
    """The first step on the other side of the minimum from the start, if any."""
    offset = trace.params[:, 0] - float(trace.meta["minimum"])  # type: ignore[arg-type]
    crossed = np.nonzero(np.sign(offset[1:]) * np.sign(offset[0]) < 0)[0]
    return int(crossed[0]) + 1 if crossed.size else None


def view_for(traces: tuple[Trace, ...]) -> tuple[tuple[float, float, float], tuple[float, float, float]]:
    """Axis ranges that show the start, the minimum and a few overshoots, but not infinity."""
    minimum = float(traces[0].meta["minimum"])  # type: ignore[arg-type]
    reach = max(max(abs(float(t.params[0, 0]) - minimum) for t in traces), 1e-3)
    farthest = max(float(np.nanmax(np.abs(t.params[:, 0] - minimum))) for t in traces)
    # Room for a few overshoots of a high lr, but not for its runaway steps
    half_width = min(max(farthest, 1.2 * reach), 3.0 * reach)
    x_range = nice_range(minimum - half_width, minimum + half_width, max_ticks=7)
    top = float(quadratic(traces[0], np.array([x_range[0], x_range[1]])).max())
    return x_range, nice_range(0.0, top, max_ticks=6)


class ParabolaPanel:
    """One run on the parabola: curve, hop trail, moving point, tangent, off-chart marker."""

    def __init__(self, scene: TraceScene, trace: Trace, plot: PlotBox, color: str) -> None:
        self.scene, self.trace, self.plot, self.color = scene, trace, plot, color
        w = trace.params[:, 0]
        self.f = quadratic(trace, w)
        self.inside = (
            np.isfinite(w) & (w >= plot.x_span[0]) & (w <= plot.x_span[1]) & (self.f <= plot.y_span[1])
        )
        # Non-finite values count as far off the chart (NaN must not land on w = 0)
        far = 1e300
        with np.errstate(over="ignore", invalid="ignore"):
            points = plot.to_points(
                np.nan_to_num(w, nan=far, posinf=far, neginf=-far),
                np.nan_to_num(self.f, nan=far, posinf=far),
            )
        self.points = self.clamp(points)
        self.hop_height = 0.08 * plot.size[1]  # the tallest hop, for the longest jumps

    def clamp(self, points: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """Pull scene points back into the plot box (off-chart values sit on its edge)."""
        (left, bottom), (width, height) = self.plot.corner, self.plot.size
        clamped = points.copy()
        clamped[:, 0] = np.clip(clamped[:, 0], left, left + width)
        clamped[:, 1] = np.clip(clamped[:, 1], bottom, bottom + height)
        return clamped

    def hop(self, index: int, fraction: float) -> npt.NDArray[np.float64]:
        """Scene points along hop `index` (w_index to w_index+1) up to `fraction`."""
        s = np.linspace(0.0, fraction, HOP_SAMPLES)[:, None]
        start, end = self.points[index], self.points[index + 1]
        height = min(0.3 * float(np.linalg.norm(end - start)), self.hop_height)
        arc = start + s * (end - start) + np.sin(np.pi * s) * height * UP
        return self.clamp(arc)

    def make_curve(self) -> VMobject:
        """The parabola over the plot's width, cut at its top."""
        w = np.linspace(*self.plot.x_span, 200)
        f = quadratic(self.trace, w)
        keep = f <= self.plot.y_span[1] * 1.0001
        curve = VMobject(stroke_color=self.scene.palette.muted, stroke_width=4)
        curve.set_points_smoothly(self.plot.to_points(w[keep], f[keep]))
        return curve

    def make_minimum(self) -> Dot:
        """A hollow marker at the true minimum."""
        minimum = float(self.trace.meta["minimum"])  # type: ignore[arg-type]
        return Dot(self.plot.c2p(minimum, 0.0), radius=0.07, color=self.scene.palette.ink, fill_opacity=0.0, stroke_width=3)

    def make_moving(self, step: ValueTracker) -> list[VMobject]:
        """Trail of finished hops, the hop in progress, the tangent and the point itself."""
        style = {"stroke_color": self.color, "stroke_width": 2.5, "stroke_opacity": 0.55}
        trail = KeptPath(**style)  # finished hops: traced once per step, not per frame
        hop = VMobject(**style)
        tangent = VMobject(stroke_color=self.scene.palette.highlight, stroke_width=4)
        point = Dot(self.points[0], radius=0.11, color=self.color)
        marker = Triangle(color=self.scene.palette.warning, fill_opacity=1.0, stroke_width=0).scale(0.14)
        outside = VGroup()  # holds the marker only while the run is off the chart
        # Finished hops never change: their curves are built once, then sliced
        hops = [polyline_curves(self.hop(i, 1.0)) for i in range(self.trace.n_steps)]
        finished = np.vstack(hops) if hops else np.zeros((0, 3))
        ends = np.cumsum([0] + [len(curves) for curves in hops])
        width, height = self.plot.size
        scale = height / (self.plot.y_span[1] - self.plot.y_span[0]) / (width / (self.plot.x_span[1] - self.plot.x_span[0]))

        def follow(_: VMobject) -> None:
            index, fraction = self.scene.step_fraction(step, self.trace)
            here = self.points[index]
            trail.set_points(finished[: ends[index]]) if index else trail.clear_points()
            if fraction > 0:
                eased = fraction * fraction * (3 - 2 * fraction)  # ease in and out of each hop
                arc = self.hop(index, eased)
                here = arc[-1]
                hop.set_points(polyline_curves(arc))
            else:
                hop.clear_points()
            point.move_to(here)
            # The gradient at the point the step leaves from, as a tangent segment
            if self.inside[index]:
                slope = float(self.trace.grad[index, 0]) * scale
                direction = np.array([1.0, slope, 0.0]) / math.hypot(1.0, slope)
                centre = self.points[index]
                reach = 0.13 * self.plot.size[0] * direction
                tangent.set_points_as_corners([centre - reach, centre + reach])
            else:
                tangent.clear_points()
            # A marker on the edge while the run is off the chart (removed, not made invisible)
            off = not self.inside[index + 1 if fraction > 0 else index]
            marker.move_to(here + 0.2 * UP)
            if off != bool(outside.submobjects):
                outside.add(marker) if off else outside.remove(marker)

        trail.add_updater(follow, call_updater=True)
        return [trail, hop, tangent, point, outside]


class QuadraticScene(TraceScene):
    """Gradient descent on f(w) = c (w - w*)^2, one hop per step, arithmetic written out."""

    problem = "quadratic"
    default_pace = 1.25  # hops per second: slow enough to follow each jump
    title = "Gradient descent on a quadratic"
    verdict = ""
    verdict_tone = "ink"  # a Palette field

    def construct(self) -> None:
        # The parabola, its minimum and the panel labels: static, drawn once
        x_range, y_range = view_for(self.traces)
        plot, frame = self.make_plot(x_range, y_range, PLOT_CORNER, PLOT_SIZE)
        panel = ParabolaPanel(self, self.trace, plot, self.palette.fit)
        self.add_static(self.make_title(), frame, self.make_axis_names(plot))
        self.add_static(panel.make_curve(), panel.make_minimum(), self.make_panel_labels())
        # Each step hops along the curve; the readouts follow the trace
        step = ValueTracker(0)
        self.add(step, *panel.make_moving(step), *self.make_readouts(step))
        self.add(*self.make_notes(panel, step))
        self.replay(step)

    def telling_steps(self) -> list[int]:
        """Pause a deck just after the first overshoot, if the run has one."""
        step = first_overshoot(self.trace)
        return [] if step is None else [step]

    def make_title(self) -> VGroup:
        """Title, and the function and learning rate under it."""
        meta = self.trace.meta
        curvature = float(meta["curvature"])  # type: ignore[arg-type]
        return self.title_block(
            self.title,
            f"f(w) = {self.function_text()} · learning rate {self.number(self.trace.learning_rate, trim=True)}"
            f" · stable only below 1/c = {self.number(1 / curvature, trim=True)}",
        )

    def function_text(self) -> str:
        """The quadratic written with the trace's constants."""
        curvature = float(self.trace.meta["curvature"])  # type: ignore[arg-type]
        minimum = float(self.trace.meta["minimum"])  # type: ignore[arg-type]
        scale = "" if curvature == 1 else f"{self.number(curvature, trim=True)}·"
        inner = "w" if minimum == 0 else f"(w − {self.number(minimum, trim=True)})"
        return f"{scale}{inner}²"

    def make_axis_names(self, plot: PlotBox) -> VGroup:
        """Names of the axes: the parameter w and the loss f(w)."""
        w_name = self.text("w", self.palette.label_size, self.palette.muted)
        f_name = self.text("f(w)", self.palette.label_size, self.palette.muted)
        w_name.next_to(plot.c2p(plot.x_span[1], plot.y_span[0]), RIGHT, buff=0.2)
        f_name.next_to(plot.c2p(plot.x_span[0], plot.y_span[1]), UP, buff=0.15)
        return VGroup(w_name, f_name)

    def make_panel_labels(self) -> VGroup:
        """Readout names and the update rule, right of the plot."""
        names = ["step", "w", "loss f(w)", "gradient f′(w)"]
        labels, self.baselines = self.label_column(names, PANEL_LEFT, PANEL_TOP, PANEL_ROW)
        rule = self.text("update:  w ← w − lr · f′(w)", color=self.palette.ink)
        rule.move_to([PANEL_LEFT, PANEL_TOP - PANEL_ROW * 4.4, 0], aligned_edge=LEFT)
        self.rule_bottom = float(rule.get_bottom()[1])
        return VGroup(labels, rule)

    def make_readouts(self, step: ValueTracker) -> list[VMobject]:
        """Step, w, f(w), f'(w), and the update in progress with its numbers."""
        trace = self.trace
        lr = self.number(trace.learning_rate, trim=True)
        columns = [
            lambda k: f"{k} / {trace.n_steps}",
            lambda k: self.number(trace.params[k, 0]),
            lambda k: self.number(trace.loss[k]),
            lambda k: self.number(trace.grad[k, 0]),
        ]
        readouts: list[VMobject] = []
        for row, column in enumerate(columns):
            readout = self.readout(10).put_on_baseline(PANEL_RIGHT, self.baselines[row])
            readout.add_updater(lambda mob, column=column: mob.show(column(self.step_index(step))), call_updater=True)
            readouts.append(readout)

        def substituted(k: int) -> str:
            if k >= trace.n_steps:
                return ""
            grad = self.number(trace.grad[k, 0], 3)
            grad = f"({grad})" if grad.startswith("−") else grad
            return f"= {self.number(trace.params[k, 0], 3)} − {lr} × {grad}"

        def result(k: int) -> str:
            return "" if k >= trace.n_steps else f"= {self.number(trace.params[k + 1, 0], 3)}"

        for row, column in enumerate([substituted, result]):
            line = self.readout(24, self.palette.ink, align="left", size=self.palette.label_size)
            line.put_on_baseline(PANEL_LEFT + 0.3 + line.atlas.pitch * 24, self.rule_bottom - 0.5 * (row + 1))
            line.add_updater(lambda mob, column=column: mob.show(column(self.step_index(step))), call_updater=True)
            readouts.append(line)
        return readouts

    def make_notes(self, panel: ParabolaPanel, step: ValueTracker) -> list[VMobject]:
        """The verdict under the panel, shown when the replay ends; off-chart warning."""
        trace, notes = self.trace, []
        w = trace.params[:, 0]
        minimum = float(trace.meta["minimum"])  # type: ignore[arg-type]
        distance = abs(float(w[-1]) - minimum)
        verdict = self.verdict.format(
            steps=trace.n_steps, distance=self.number(distance, 3, trim=True),
            factor=self.number(1 - 2 * float(trace.meta["curvature"]) * trace.learning_rate, 3, trim=True),  # type: ignore[arg-type]
        )
        if trace.diverged_at is not None:
            verdict = f"diverged at step {trace.diverged_at}: loss {self.number(trace.loss[-1])}"
        if verdict:
            tone = self.palette.warning if trace.diverged_at is not None else getattr(self.palette, self.verdict_tone)
            note = self.text(verdict, self.palette.label_size, tone)
            note.move_to([PANEL_LEFT, -2.9, 0], aligned_edge=LEFT)
            notes.append(self.shown_while(note, lambda: self.replay_finished(step)))
        if not panel.inside.all():
            first_out = int(np.argmin(panel.inside))
            warning = self.text("left the chart: loss growing", self.palette.label_size, self.palette.warning)
            warning.move_to([PANEL_LEFT, -2.3, 0], aligned_edge=LEFT)
            notes.append(self.shown_while(warning, lambda: step.get_value() >= first_out - 0.5))
        return notes


class LrTooHigh(QuadraticScene):
    """A step too large: each jump overshoots the minimum and lands higher."""

    title = "Learning rate too high: every jump overshoots"
    verdict = "distance × {factor} every step"
    verdict_tone = "lr_high"


class LrTooLow(QuadraticScene):
    """A step too small: the point crawls towards the minimum."""

    title = "Learning rate too low: tiny steps crawl"
    verdict = "still {distance} from the minimum"
    verdict_tone = "lr_low"


class LrJustRight(QuadraticScene):
    """A good step: at the minimum in a handful of steps."""

    title = "Learning rate just right: there in a few steps"
    verdict = "within {distance} of the minimum"
    verdict_tone = "lr_good"
