"""The loss as a 3-D bowl over (slope, intercept), and the path rolling down it.

The height is log10(1 + (L − L*) / L*), so the bowl's floor is the least-squares
minimum and its walls stay in view however steep the loss gets.
"""

from __future__ import annotations

from typing import cast

import numpy as np
import numpy.typing as npt
from manim import IN, LEFT, Dot3D, Mobject, Surface, ThreeDAxes, VMobject

from scenes.clock import StepClock
from scenes.geometry import nice_range
from scenes.least_squares import quadratic_form
from scenes.theme import Palette
from sgdcore.trace import Trace

FLOOR = 6.5  # the floor's longer side, in scene units
SURFACE_RESOLUTION = (16, 16)  # faces per side: each is shaded and traced every frame


class LossBowl:
    """Axes spanning the path and the minimum, the surface over them, the path on it."""

    def __init__(self, palette: Palette, trace: Trace) -> None:
        self.palette, self.trace = palette, trace
        self.hessian, self.best, self.floor = quadratic_form(trace)
        finite = trace.params[np.isfinite(trace.params).all(axis=1)]
        points = np.vstack([finite, self.best[None, :]])
        low, high = points.min(axis=0), points.max(axis=0)
        pad = 0.15 * np.maximum(high - low, 0.5)
        self.a1 = nice_range(low[0] - pad[0], high[0] + pad[0], max_ticks=5)
        self.a2 = nice_range(low[1] - pad[1], high[1] + pad[1], max_ticks=5)
        corners = np.array([[self.a1[i], self.a2[j]] for i in (0, 1) for j in (0, 1)])
        self.top = float(self.height(corners[:, 0], corners[:, 1]).max())
        # The floor at true shape: one unit of a₁ as long as one of a₂
        longest = max(self.a1[1] - self.a1[0], self.a2[1] - self.a2[0])
        self.axes = ThreeDAxes(
            x_range=list(self.a1),
            y_range=list(self.a2),
            z_range=[0, self.top, self.top / 4],
            x_length=FLOOR * (self.a1[1] - self.a1[0]) / longest,
            y_length=FLOOR * (self.a2[1] - self.a2[0]) / longest,
            z_length=3.2,
            axis_config={"color": palette.muted, "include_ticks": False},
            # manim types **kwargs as dict[str, Any] values; `tips` is a bool in Axes
            tips=False,  # type: ignore[arg-type]
        ).shift(1.6 * IN + 0.6 * LEFT)  # IN: down on screen at the scene's camera angle

    def height(
        self, slopes: npt.NDArray[np.float64], intercepts: npt.NDArray[np.float64]
    ) -> npt.NDArray[np.float64]:
        """Bowl height at parameters: log10(1 + excess loss / minimum loss)."""
        params = np.stack([slopes, intercepts], axis=-1)
        offset = params - self.best
        excess = np.einsum("...i,ij,...j->...", offset, self.hessian, offset)
        height: npt.NDArray[np.float64] = np.log10(
            1.0 + np.maximum(excess, 0.0) / self.floor
        )
        return height

    def surface(self) -> Surface:
        """The loss surface, shaded from the floor's colour up to the grid's."""
        axes, palette = self.axes, self.palette
        surface = Surface(
            lambda u, v: axes.c2p(u, v, float(self.height(np.array(u), np.array(v)))),
            u_range=(self.a1[0], self.a1[1]),
            v_range=(self.a2[0], self.a2[1]),
            resolution=SURFACE_RESOLUTION,
            fill_opacity=0.8,
            stroke_width=0.4,
            stroke_color=palette.background,
            checkerboard_colors=[palette.data, palette.lr_low],
        )
        colorscale = [(palette.data, 0.0), (palette.grid, self.top)]
        return surface.set_fill_by_value(axes=axes, colorscale=colorscale, axis=2)

    def path(self, clock: StepClock) -> tuple[VMobject, Dot3D]:
        """The path over the bowl so far, and a ball at the current step."""
        params, top = self.trace.params, self.top
        with np.errstate(invalid="ignore", over="ignore"):
            heights = np.clip(
                np.nan_to_num(self.height(params[:, 0], params[:, 1]), nan=top), 0, top
            )
        lift = 0.03 * top  # just above the surface, so it is never hidden in it
        points = np.array(
            [
                self.axes.c2p(a, b, z + lift)
                for (a, b), z in zip(params, heights, strict=True)
            ]
        )
        path = VMobject(stroke_color=self.palette.fit, stroke_width=5)
        ball = Dot3D(points[0], radius=0.11, color=self.palette.fit, resolution=(8, 8))
        for face in ball.family_members_with_points():
            # drawn after the surface, so the bowl never hides it
            cast(VMobject, face).shade_in_3d = False

        def roll(mob: Mobject) -> None:
            index, fraction = clock.position(self.trace)
            tip = points[index]
            if fraction != 0:
                tip = tip + fraction * (points[index + 1] - points[index])
            cast(VMobject, mob).set_points_as_corners(  # `path`
                np.vstack([points[: index + 1], tip[None, :]])
            )
            ball.move_to(tip)

        return path.add_updater(roll, call_updater=True), ball
