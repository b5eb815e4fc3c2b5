"""surface_3d: the loss surface as a bowl in 3-D, gradient descent rolling down it.

The height is log10(1 + (L - L*) / L*), so the bowl's floor is the least-squares
minimum and its walls stay in view however steep the loss gets. The camera turns
with the replay (a function of the step, not of time), so frames depend on the
step alone.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from manim import (
    DEGREES,
    IN,
    LEFT,
    Dot3D,
    Surface,
    ThreeDAxes,
    ThreeDCamera,
    ThreeDScene,
    ValueTracker,
    VGroup,
    VMobject,
)

from scenes.common import TraceScene, nice_range
from scenes.landscape import quadratic_form

TURN_DEGREES = 50  # how far the camera turns over the replay, so depth reads
SURFACE_RESOLUTION = (16, 16)  # faces per side: each is shaded and traced every frame


class Surface3D(TraceScene, ThreeDScene):
    """The bowl of the loss, the path rolling down it, readouts fixed in the frame.

    Nothing here can be cached as static: the camera moves, so every frame redraws
    the whole surface (its faces are most of the cost; see docs/benchmarks.md).
    """

    problem = "linear_regression"
    renderer_camera = ThreeDCamera
    default_pace = 10.0

    def construct(self) -> None:
        # The bowl over (slope, intercept), seen from above at an angle; the axes only
        # map coordinates (their lines cross at a = 0, away from the data's ranges)
        axes, surface = self.make_bowl()
        self.set_camera_orientation(phi=62 * DEGREES, theta=-70 * DEGREES, zoom=0.8)
        # Title and readouts stay flat in the frame while the camera turns
        title, labels = self.make_title(), self.make_readout_labels()
        self.add_fixed_in_frame_mobjects(title, labels)
        # The ball rolls down its path; the camera turns with the same clock
        step = ValueTracker(0)
        path, ball = self.make_path(axes, step)
        readouts = self.make_readouts(step)
        # The camera turns every frame, so the surface is redrawn too: it goes after the tracker
        self.add(step, surface, path, ball)
        self.add_fixed_in_frame_mobjects(*readouts)
        self.replay(step)

    def height(self, slopes: npt.NDArray[np.float64], intercepts: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """Bowl height at parameters: log10(1 + excess loss / minimum loss)."""
        params = np.stack([slopes, intercepts], axis=-1)
        excess = np.einsum("...i,ij,...j->...", params - self.best, self.hessian, params - self.best)
        return np.log10(1.0 + np.maximum(excess, 0.0) / self.floor)

    def make_bowl(self) -> tuple[ThreeDAxes, Surface]:
        """Axes spanning the path and the minimum, and the loss surface over them."""
        self.hessian, self.best, self.floor = quadratic_form(self.trace)
        finite = self.trace.params[np.isfinite(self.trace.params).all(axis=1)]
        points = np.vstack([finite, self.best[None, :]])
        low, high = points.min(axis=0), points.max(axis=0)
        pad = 0.15 * np.maximum(high - low, 0.5)
        a0 = nice_range(low[0] - pad[0], high[0] + pad[0], max_ticks=5)
        a1 = nice_range(low[1] - pad[1], high[1] + pad[1], max_ticks=5)
        corners = np.array([[a0[i], a1[j]] for i in (0, 1) for j in (0, 1)])
        top = float(self.height(corners[:, 0], corners[:, 1]).max())
        self.z_top = top
        axes = ThreeDAxes(
            x_range=list(a0), y_range=list(a1), z_range=[0, top, top / 4],
            x_length=6.5, y_length=6.5, z_length=3.2,
            axis_config={"color": self.palette.muted, "include_ticks": False},
            tips=False,
        ).shift(1.6 * IN + 0.6 * LEFT)  # IN is down on screen at this camera angle
        surface = Surface(
            lambda u, v: axes.c2p(u, v, float(self.height(np.array(u), np.array(v)))),
            u_range=[a0[0], a0[1]],
            v_range=[a1[0], a1[1]],
            resolution=SURFACE_RESOLUTION,
            fill_opacity=0.8,
            stroke_width=0.4,
            stroke_color=self.palette.background,
            checkerboard_colors=[self.palette.data, self.palette.lr_low],
        )
        surface.set_fill_by_value(
            axes=axes, colorscale=[(self.palette.data, 0.0), (self.palette.grid, top)], axis=2
        )
        return axes, surface

    def make_title(self) -> VGroup:
        """Title and settings, top left, flat in the frame."""
        return self.title_block(
            "The loss surface, and the path down it",
            f"height: log₁₀(1 + excess loss / minimum loss) · learning rate {self.number(self.trace.learning_rate, trim=True)}",
        )

    def make_readout_labels(self) -> VGroup:
        """Step and loss names, top right."""
        labels, self.baselines = self.label_column(["step", "loss"], 3.6, 1.9, 0.55)
        return labels

    def make_readouts(self, step: ValueTracker) -> list[VMobject]:
        """Step and loss of the latest recorded step."""
        trace = self.trace
        columns = [lambda k: f"{k} / {trace.n_steps}", lambda k: self.number(trace.loss[k])]
        readouts = []
        for row, column in enumerate(columns):
            readout = self.readout(10).put_on_baseline(6.8, self.baselines[row])
            readout.add_updater(lambda mob, column=column: mob.show(column(self.step_index(step))), call_updater=True)
            readouts.append(readout)
        return readouts

    def make_path(self, axes: ThreeDAxes, step: ValueTracker) -> tuple[VMobject, Dot3D]:
        """The path over the bowl so far, and a ball at the current step; turns the camera."""
        params = self.trace.params
        with np.errstate(invalid="ignore", over="ignore"):
            heights = np.clip(np.nan_to_num(self.height(params[:, 0], params[:, 1]), nan=self.z_top), 0, self.z_top)
        lift = 0.03 * self.z_top  # just above the surface, so it is never hidden in it
        points = np.array([axes.c2p(a, b, z + lift) for (a, b), z in zip(params, heights, strict=True)])
        path = VMobject(stroke_color=self.palette.fit, stroke_width=5)
        ball = Dot3D(points[0], radius=0.11, color=self.palette.fit, resolution=(8, 8))
        for face in ball.family_members_with_points():
            face.shade_in_3d = False  # drawn after the surface, so the bowl never hides it
        start_theta = -70 * DEGREES

        def roll(mob: VMobject) -> None:
            index, fraction = self.step_fraction(step)
            tip = points[index] if fraction == 0 else points[index] + fraction * (points[index + 1] - points[index])
            mob.set_points_as_corners(np.vstack([points[: index + 1], tip[None, :]]))
            ball.move_to(tip)
            turn = step.get_value() / max(self.trace.n_steps, 1)
            self.renderer.camera.set_theta(start_theta + TURN_DEGREES * DEGREES * turn)

        return path.add_updater(roll, call_updater=True), ball
