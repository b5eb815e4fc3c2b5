"""The loss as a 3-D bowl over (a₁, a₂), its floor, and the path rolling down it.

The floor is the parameter plane of `landscape` at true shape, with the loss
contours, the minimum's × and the path's shadow on it; the bowl over it is the loss
itself, lit and see-through, with the path and a ball on it. Axes for a₁ and a₂ run
along two edges of the floor and the loss axis stands at a back corner. Geometry is
in scenes/bowl_geometry.py; the bowl is one ShadedMesh (scenes/surface_mesh.py).
"""

from __future__ import annotations

from typing import cast

import numpy as np
from manim import Cross, Dot, Mobject, Polygon, VGroup, VMobject

from scenes.bowl_geometry import BowlGeometry, bowl_geometry, broken_ring, finite_rows
from scenes.clock import StepClock
from scenes.geometry import Points, polyline_curves, segment_curves, tick_values
from scenes.numbers import power_of_ten, tick_labels
from scenes.panels.bowl_marks import early_marks
from scenes.panels.dots import dash_curves
from scenes.panels.step_marks import BOWL_RADIUS, MARKS, marks_where, step_dots
from scenes.surface_mesh import ShadedMesh, color_rgb, level_colors, shade_levels
from scenes.text import label, tick_label
from scenes.theme import DRAWN, Palette
from sgdcore.trace import Trace

CONTOUR_RATIO = 3.0  # five floor contours, spaced by this factor in excess loss
# The bowl's rings, evenly up its height (of the rim's excess loss): clear of the
# floor's rings, which the floor's inner levels lifted onto the bowl would double
BOWL_RINGS = (0.2, 0.4, 0.6, 0.8)
# See-through enough that the floor's marks keep 3:1 under it; its rim gives its edge
SURFACE_OPACITY = DRAWN["bowl"].opacity
TICK = 0.12  # tick length, scene units
LABEL_GAP = 0.42  # from an axis to its tick labels' centres
LIFT = 0.02  # the path over the bowl, in scene units, so it never dips into a face
# The marks on the floor that the see-through bowl covers (the minimum's ×, and
# the losses and step marks of scenes/panels/bowl_marks.py, are drawn over it)
SHADOW_DASH = (0.14, 0.09)  # the shadow's dashes and gaps, in scene units
FLOOR_MARKS = ("floor contours", "shadow", "plumb line")


class LossBowl:
    """The bowl of one run's loss, and every 3-D part drawn with it."""

    def __init__(self, palette: Palette, trace: Trace) -> None:
        self.palette, self.trace = palette, trace
        self.geometry: BowlGeometry = bowl_geometry(trace)

    # -- static: the floor and its axes --------------------------------------------
    def corner(self, i: int, j: int, loss: float = 0.0) -> Points:
        """A corner of the floor (i, j: low or high a₁, a₂), at height `loss`."""
        g = self.geometry
        return g.point(g.a1[i], g.a2[j], loss)

    def floor(self) -> Polygon:
        """The parameter plane under the bowl: a faint rectangle."""
        corners = [self.corner(0, 0), self.corner(1, 0), self.corner(1, 1)]
        corners.append(self.corner(0, 1))
        return Polygon(
            *corners,
            fill_color=self.palette.grid,
            fill_opacity=0.35,
            stroke_color=self.palette.grid,
            stroke_width=1.5,
        )

    def contours(
        self, lifted: bool = False, gaps: list[tuple[Points, float]] | None = None
    ) -> VMobject:
        """Ellipses of equal loss on the floor, as on landscape's plane, broken at
        `gaps` (where their losses sit); `lifted`: rings on the bowl evenly up its
        height (BOWL_RINGS), so its depth reads."""
        g = self.geometry
        curves: list[Points] = []
        excesses = g.rim_excess * np.asarray(BOWL_RINGS)
        for excess in excesses if lifted else self.floor_excesses():
            ellipse, height = g.ellipse(excess, 121), g.least_loss + excess
            height = np.full(121, height if lifted else 0.0)
            points = g.to_scene(ellipse[:, 0], ellipse[:, 1], height)
            curves += map(polyline_curves, broken_ring(points, gaps or []))
        name = "bowl contours" if lifted else "floor contours"
        contours = VMobject(
            name=name,
            stroke_color=self.palette.data if lifted else self.palette.ink,
            stroke_width=2,
            stroke_opacity=DRAWN[name].opacity,
        )
        return contours.set_points(np.vstack(curves))

    def floor_excesses(self) -> Points:
        """The floor contours' losses over the least, outermost first."""
        powers = np.arange(5, dtype=np.float64) + 0.5
        return np.asarray(self.geometry.rim_excess / CONTOUR_RATIO**powers, np.float64)

    def minimum_cross(self) -> Cross:
        """The least-squares minimum's ×, on the floor: wider than the ball that comes
        to rest over it and drawn over it, cased, so it reads through the ball."""
        g, palette = self.geometry, self.palette
        cross = Cross(stroke_color=palette.ink, stroke_width=3, scale_factor=0.3)
        cross.set_stroke(palette.background, width=6, background=True)
        cross.name = "minimum"
        return cross.move_to(g.point(g.best[0], g.best[1]))

    def axes(self) -> VMobject:
        """a₁ along the front edge, a₂ along the right one, the loss up the front left
        corner (clear of the bowl, which rises over the back ones); each with ticks."""
        g = self.geometry
        starts, ends = [], []
        front, right = self.corner(0, 0), self.corner(1, 0)
        starts += [front, right, front]
        ends += [right, self.corner(1, 1), self.corner(0, 0, g.loss[1])]
        for value in tick_values(g.a1):
            at = g.point(value, g.a2[0])
            starts.append(at)
            ends.append(at + np.array([0.0, -TICK, 0.0]))
        for value in tick_values(g.a2):
            at = g.point(g.a1[1], value)
            starts.append(at)
            ends.append(at + np.array([TICK, 0.0, 0.0]))
        for value in tick_values(g.loss):
            at = self.corner(0, 0, value)
            starts.append(at)
            ends.append(at + np.array([-TICK, 0.0, 0.0]))
        axes = VMobject(stroke_color=self.palette.muted, stroke_width=2)
        return axes.set_points(segment_curves(np.array(starts), np.array(ends)))

    def labels(self) -> list[Mobject]:
        """Tick labels and the axes' names, each to be drawn facing the camera."""
        g, palette = self.geometry, self.palette
        out: list[Mobject] = []
        # Each axis' labels share their decimals; past 10⁴ they count in 10ⁿ
        a1_ticks, a2_ticks, loss_ticks = (tick_values(r) for r in (g.a1, g.a2, g.loss))
        a1_texts, a1_power = tick_labels(a1_ticks, g.a1[2])
        a2_texts, a2_power = tick_labels(a2_ticks, g.a2[2])
        loss_texts, loss_power = tick_labels(loss_ticks, g.loss[2])
        for value, words in zip(a1_ticks, a1_texts, strict=True):
            at = g.point(value, g.a2[0])
            out.append(tick_label(palette, words, "bowl a₁").move_to(at))
            out[-1].shift(np.array([0.0, -LABEL_GAP, 0.0]))
        for value, words in zip(a2_ticks, a2_texts, strict=True):
            at = g.point(g.a1[1], value)
            out.append(tick_label(palette, words, "bowl a₂").move_to(at))
            out[-1].shift(np.array([LABEL_GAP, 0.0, 0.0]))
        for value, words in zip(loss_ticks, loss_texts, strict=True):
            loss_label = tick_label(palette, words, "bowl loss")
            out.append(loss_label.move_to(self.corner(0, 0, value)))
            out[-1].shift(np.array([-LABEL_GAP - loss_label.width / 2, 0.0, 0.0]))
        powers = [
            f" ×{power_of_ten(p)}" if p else ""
            for p in (a1_power, a2_power, loss_power)
        ]
        # Each name beside the middle of its axis, past the tick labels
        middle_a1, middle_a2 = (g.a1[0] + g.a1[1]) / 2, (g.a2[0] + g.a2[1]) / 2
        names = [
            ("a₁" + powers[0], g.point(middle_a1, g.a2[0])),
            ("a₂" + powers[1], g.point(g.a1[1], middle_a2)),
            ("loss" + powers[2], self.corner(0, 0, g.loss[1])),
        ]
        shifts = [np.array([0.0, -2.2 * LABEL_GAP, 0.0])]
        shifts += [np.array([2.4 * LABEL_GAP, 0.0, 0.0]), np.array([0.0, 0.0, 0.55])]
        for (words, at), shift in zip(names, shifts, strict=True):
            name = label(palette, words, palette.label_size, palette.muted)
            out.append(name.move_to(at + shift))
        return out

    def extent(self) -> Points:
        """Points that the 3-D image must keep in the frame: floor, rim, loss axis."""
        g = self.geometry
        floor = [self.corner(i, j) for i in (0, 1) for j in (0, 1)]
        top = [self.corner(0, 0, g.loss[1])]
        rim = g.ellipse(g.rim_excess, 48)
        rim_points = g.to_scene(
            rim[:, 0], rim[:, 1], np.full(48, g.least_loss + g.rim_excess)
        )
        return np.vstack([*floor, *top, rim_points])

    # -- the bowl -------------------------------------------------------------------
    def surface(self) -> ShadedMesh:
        """The bowl: a polar mesh, lit from the front left, seen through."""
        vertices, faces, normals = self.geometry.mesh()
        lit = np.array(color_rgb(self.palette.data))
        return ShadedMesh(
            vertices,
            faces,
            normals,
            shade_levels(normals),
            level_colors(lit),
            opacity=SURFACE_OPACITY,
        )

    def rim(self) -> VMobject:
        """The bowl's edge, a contour at the rim's height: it outlines the see-through
        surface at full strength."""
        g = self.geometry
        rim = g.ellipse(g.rim_excess, 4 * 48 + 1)
        height = np.full(len(rim), g.least_loss + g.rim_excess)
        edge = VMobject(
            stroke_color=self.palette.data,
            stroke_width=2.5,
            stroke_opacity=DRAWN["bowl rim"].opacity,
        )
        return edge.set_points(
            polyline_curves(g.to_scene(rim[:, 0], rim[:, 1], height))
        )

    # -- moving ---------------------------------------------------------------------
    def heights(self) -> Points:
        """The loss at every recorded step, where finite (else the rim's)."""
        g = self.geometry
        top = g.least_loss + g.rim_excess
        with np.errstate(invalid="ignore", over="ignore"):
            losses = g.least_loss + g.excess(self.trace.params)
        return np.clip(np.nan_to_num(losses, nan=top, posinf=top), 0.0, top)

    def shadow(self, clock: StepClock) -> list[VMobject]:
        """The path's shadow on the floor, and a plumb line from the ball down to it."""
        g, palette = self.geometry, self.palette
        params = self.trace.params
        floor = g.to_scene(params[:, 0], params[:, 1], np.zeros(len(params)))
        on_bowl = g.to_scene(params[:, 0], params[:, 1], self.heights())
        # In ink, not the path's colour: the dark theme's path colour would drop under
        # 3:1 where the bowl covers it; dashed, unlike the floor's contours
        shadow = VMobject(
            name="shadow",
            stroke_color=palette.ink,
            stroke_width=3,
            stroke_opacity=DRAWN["floor shadow"].opacity,
        )
        # A plain VMobject: Manim's Line re-derives its angle on every move (0.4 ms)
        plumb = VMobject(
            name="plumb line",
            stroke_color=palette.ink,
            stroke_width=2,
            stroke_opacity=DRAWN["plumb line"].opacity,
        )

        def follow(mob: Mobject) -> None:
            tip, below = self.tip(clock, floor), self.tip(clock, on_bowl)
            index = clock.position(self.trace)[0]
            line = np.vstack([floor[: index + 1], tip[None, :]])
            dashes = dash_curves(finite_rows(line), *SHADOW_DASH)
            cast(VMobject, mob).set_points(dashes)
            plumb.set_points(segment_curves(tip[None, :], below[None, :]))

        return [shadow.add_updater(follow, call_updater=True), plumb]

    def path(self, clock: StepClock) -> tuple[VMobject, Dot]:
        """The path over the bowl so far, and a ball at the current step."""
        g, palette = self.geometry, self.palette
        params = self.trace.params
        points = g.to_scene(params[:, 0], params[:, 1], self.heights())
        points[:, 2] += LIFT
        # Cased in the background's colour: the path keeps its contrast over any shade
        path = VMobject(
            stroke_color=palette.fit,
            stroke_width=5,
            background_stroke_color=palette.background,
            background_stroke_width=9,
        )
        ball = Dot(
            points[0],
            radius=0.12,
            fill_color=palette.fit,
            stroke_color=palette.background,
            stroke_width=2,
        )

        def roll(mob: Mobject) -> None:
            tip = self.tip(clock, points)
            index = clock.position(self.trace)[0]
            line = np.vstack([points[: index + 1], tip[None, :]])
            cast(VMobject, mob).set_points(polyline_curves(finite_rows(line)))
            ball.move_to(tip)

        return path.add_updater(roll, call_updater=True), ball

    def step_marks(self, clock: StepClock) -> VGroup:
        """A small dot on the bowl at each step the replay has passed."""
        params = self.trace.params[:MARKS]
        points = self.geometry.to_scene(
            params[:, 0], params[:, 1], self.heights()[:MARKS]
        )
        points[:, 2] += LIFT
        dots = step_dots(len(points), self.palette, self.palette.fit, BOWL_RADIUS)
        early_marks(dots, points)
        return marks_where(clock, self.trace, dots, lambda passed: points[:passed])

    def tip(self, clock: StepClock, points: Points) -> Points:
        """Where the replay is along `points` (one per recorded step)."""
        index, fraction = clock.position(self.trace)
        tip: Points = points[index]
        if fraction != 0:
            tip = tip + fraction * (points[index + 1] - points[index])
        if np.isfinite(tip).all():
            return tip
        last: Points = finite_rows(points[: index + 1])[-1]
        return last
