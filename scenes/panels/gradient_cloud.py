"""The gradient noise on the parameter plane: from the current point, the full step
and every batch's step of one epoch, their mean, and round it the one-standard-deviation
ellipse of a batch's step over all possible batches (the sampling maths', not the
few steps drawn: two steps would only make a line).

One batch size a beat: on a LeadClock, lead step k − 1 to k draws the k-th size's
batches one after another, as the DataLoader gave them, the ring at the mean of those
drawn so far; at step k the epoch is whole and the ring on the full step. The ellipses
of the smaller sizes stay behind, thinner, dashed and named, to compare (dashed in
the ellipse's colour, so that they read as its earlier selves, not as contours);
once the runs start, the cloud goes. Everything is drawn in the plane's view at the clock's step, cut at
its edge: steps that reach past the view stop there.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import cast

import numpy as np
from manim import (
    DL,
    ORIGIN,
    RIGHT,
    UR,
    Circle,
    Dot,
    Mobject,
    VMobject,
)

from scenes.clock import LeadClock
from scenes.dot_layer import DotLayer, SegmentLayer
from scenes.geometry import PlotBox, polyline_curves
from scenes.noise_geometry import NoiseLevel, ellipse
from scenes.panels.dots import dash_curves, dot_radius
from scenes.panels.noise_arrow import arrow
from scenes.panels.parameter_plane import ParameterPlane
from scenes.panels.plane_layout import contour_ink, grid_ink
from scenes.panels.ring_names import names_ink, ring_names
from scenes.placement import Ink
from scenes.theme import Palette

BATCH_WIDTH = 1.2  # a batch's step: thin, so a thousand of them read as a cloud
MEAN_RADIUS = 0.09  # the ring in the keys: the plane's, at full strokes from this on
HEAD_RING = 0.14  # the ring round the batches' mean step, at most...
RING_SHARE = 0.4  # ...and at most this share of its ellipse's narrowest half-width
HEAD_SHARE = 0.7  # the full step's head: this share of the first ring's radius long
EARLIER_WIDTH = 2.0  # their dashes: thinner than the shown size's ellipse (3)
DASH, GAP = 0.07, 0.05  # an earlier ellipse's dashes and the gaps between them
RING_WIDTH, RING_EDGE = 4.0, 9.0  # the ring's stroke and its edge, at MEAN_RADIUS
STEP_WIDTH, STEP_EDGE = 4.0, 3.0  # the full step's shaft; its rim, either side


class GradientCloud:
    """Each batch size's steps from the start, drawn on `plane`'s view at the start."""

    def __init__(
        self, palette: Palette, plane: ParameterPlane, levels: Sequence[NoiseLevel]
    ) -> None:
        self.palette, self.levels = palette, list(levels)
        self.view = plane.view
        self.start = plane.traces[0].params[0]
        # the earlier sizes' names, in the one view of every size's beat, clear of
        # the contours and of their losses placed there
        box, self.names = self.view.box(len(levels)), []
        every = len(levels) - 1
        losses = names_ink(plane.shown_levels(box, self.ink_at(every, box)))
        contours = contour_ink(plane, box).extend(grid_ink(box))  # off the grid too
        self.names = ring_names(palette, levels, self.start, box, losses, contours)
        # the ring round the batches' mean step: what the scene watches move
        self.ring = Circle(
            radius=MEAN_RADIUS, stroke_color=palette.highlight, stroke_width=RING_WIDTH
        )
        # edged in the background's colour: it reads apart from the arrowhead it
        # sits on once the epoch is whole (their mean is the full step)
        self.ring.set_background_stroke(color=palette.background, width=RING_EDGE)

    def box(self, clock: LeadClock) -> PlotBox:
        """The plane's box at the clock's step."""
        return self.view.box(clock.value)

    @staticmethod
    def scene(params: np.ndarray, box: PlotBox) -> np.ndarray:
        """Parameter rows (m, 2) as scene points (m, 3) in `box`."""
        return box.to_points(params[:, 0], params[:, 1])

    def ink(self, clock: LeadClock) -> Callable[[PlotBox], Ink | None]:
        """What the cloud draws in a box at the clock's step, whole: the full step,
        the batch size's steps and ellipse, the earlier ones' ellipses, the ring;
        None once the runs have started (the paths are drawn then, not the cloud)."""

        # every size's cloud at once: the view holds from the full step to the last
        # size, so what is placed in it (the contours' losses) must keep off all
        every = len(self.levels) - 1

        def drawn(box: PlotBox) -> Ink | None:
            return self.ink_at(every, box) if before_runs(clock) else None

        return drawn

    def ink_at(self, k: int, box: PlotBox) -> Ink:
        """What the cloud draws in `box` with sizes up to k's batches whole (-1:
        none)."""
        ink = Ink()
        centre = self.scene(self.start[None, :], box)
        tip = self.scene((self.start + self.levels[0].full)[None, :], box)
        ink.add_segments(centre, tip).add_points(centre)
        if k < 0:
            return ink
        steps = self.scene(
            self.start + np.vstack([level.steps for level in self.levels[: k + 1]]),
            box,
        )
        ends = box.clip_rays(centre[0], steps)
        ink.add_segments(np.repeat(centre, len(ends), axis=0), ends)
        for level in self.levels[: k + 1]:
            around = ellipse(self.start + level.mean, level.covariance)
            for run in box.inside_runs(self.scene(around, box)):
                ink.add_polyline(run)
        ink.extend(names_ink(self.names[:k]))
        ring = np.array([[1.0, 0, 0], [0, 1.0, 0]]) * self.ring_radius(k, box)
        return ink.add_points(np.vstack([tip + ring, tip - ring]))

    def ring_radius(self, k: int, box: PlotBox) -> float:
        """The ring's radius round size k's mean in `box`: HEAD_RING, less where its
        ellipse is narrow, so that the ellipse shows clear of it."""
        left, _, right, _ = box.scene_bounds
        scale = (right - left) / (box.x_span[1] - box.x_span[0])
        narrowest = np.sqrt(max(np.linalg.eigvalsh(self.levels[k].covariance)[0], 0))
        return float(min(HEAD_RING, RING_SHARE * narrowest * scale))

    @staticmethod
    def phase(clock: LeadClock) -> tuple[int, float]:
        """`(k, grown)`: the batch size shown (0-based; -1 for none) and how far its
        steps have grown (0..1)."""
        value = clock.tracker.get_value()
        if value <= 0 or value > clock.lead + 1e-9:
            return -1, 0.0
        k = min(math.ceil(value - 1e-9), clock.lead) - 1
        return k, min(1.0, value - k)

    def full_step(self, clock: LeadClock) -> list[Mobject]:
        """The full-batch step −lr·∇L as an arrow from the current parameters (a
        dot), both shown until the runs start. Both are edged in the background's
        colour, drawn first: they cut a dark rim through the batches' steps under
        them, so they read as on top of the fan."""
        ends = np.vstack([self.start, self.start + self.levels[0].full])
        ink, background = self.palette.ink, self.palette.background
        dot = Dot(radius=0.08, color=ink)
        rim = Dot(radius=0.08, color=background).set_stroke(background, 2 * STEP_EDGE)
        disc = dot.points.copy()  # round the origin
        step = arrow(ORIGIN, RIGHT, ink, STEP_WIDTH)
        edge = arrow(ORIGIN, RIGHT, background, STEP_WIDTH + 2 * STEP_EDGE)
        drawn: list[object] = [None]

        def follow(_: Mobject) -> None:
            box = self.box(clock) if before_runs(clock) else None
            seen = None if box is None else (box.x_range, box.y_range)
            if seen == drawn[0]:
                return
            drawn[0] = seen
            if box is None:
                for part in (rim, dot, *edge, *step):
                    part.clear_points()
                return
            start, end = self.scene(ends, box)
            dot.set_points(disc + start)
            rim.set_points(disc + start)
            end = box.clip_rays(start, end[None, :])[0]  # every lead view holds it
            # its head inside the first size's ring, the ring on the epoch's mean
            head = HEAD_SHARE * self.ring_radius(0, box)
            new = arrow(start, end, ink, STEP_WIDTH, tip=head)
            for part, shape in [
                *zip(edge, new, strict=True),
                *zip(step, new, strict=True),
            ]:
                part.set_points(shape.points)

        rim.add_updater(follow, call_updater=True)
        # the head's rim: its outline stroked in the background's colour
        edge[1].set_stroke(background, 2 * STEP_EDGE)
        return [rim, *edge, dot, step]

    def moving(self, clock: LeadClock) -> list[Mobject]:
        """Earlier sizes' ellipses, this size's steps and their tips, its ellipse and
        the ring round their mean, in drawing order."""
        palette = self.palette
        earlier = VMobject(
            stroke_color=palette.highlight_thin, stroke_width=EARLIER_WIDTH
        )
        lines = SegmentLayer(BATCH_WIDTH, palette.data)
        most = max(len(level.steps) for level in self.levels)
        tips = DotLayer(0.5 * dot_radius(most), palette.data)
        spread = VMobject(stroke_color=palette.highlight, stroke_width=3)
        ring = self.ring
        # the size shown (-2: nothing drawn yet), how many batches, in which box
        shown: list[object] = [-2, 0, None]

        def curves(
            points: np.ndarray, box: PlotBox, dashed: bool = False
        ) -> np.ndarray:
            runs = [
                dash_curves(run, DASH, GAP) if dashed else polyline_curves(run)
                for run in box.clip_polyline(points)
            ]
            return np.vstack(runs) if runs else np.zeros((0, 3))

        def draw(_: Mobject) -> None:
            k, grown = self.phase(clock)
            count = 0 if k < 0 else math.ceil(grown * len(self.levels[k].steps) - 1e-9)
            box = self.box(clock)
            seen = (box.x_range, box.y_range)
            if shown == [k, count, seen]:
                return
            # afresh when the size or the view changes: else only batches are added
            if shown[:1] != [k] or count < cast(int, shown[1]) or shown[2] != seen:
                empty = np.zeros((0, 3))
                lines.show_segments(empty, empty), tips.show_dots(empty)
                shown[:] = [k, 0, seen]
                before = [
                    curves(
                        self.scene(ellipse(self.start + lv.mean, lv.covariance), box),
                        box,
                        dashed=True,
                    )
                    for lv in self.levels[: max(k, 0)]
                ]
                earlier.set_points(np.vstack(before) if before else np.zeros((0, 3)))
                if k >= 0:
                    sized_ring(ring, self.ring_radius(k, box))
            if k < 0 or count == 0:
                spread.clear_points()
                shown_ring(ring, 0.0)
                return
            level, done = self.levels[k], cast(int, shown[1])
            centre = self.scene(self.start[None, :], box)
            # cut at the plane's edge while a view zooms out to the whole cloud
            ends = self.scene(self.start + level.steps[done:count], box)
            cut = box.clip_rays(centre[0], ends)
            lines.add_segments(np.repeat(centre, len(ends), axis=0), cut)
            tips.add_dots(ends[box.contains(ends)])
            shown[1] = count
            # the spread expected over all possible batches, round the epoch's mean
            # step (the full step) from the first batch; the ring at the mean of
            # the batches so far
            around = ellipse(self.start + level.mean, level.covariance)
            spread.set_points(curves(self.scene(around, box), box))
            mean = self.start + level.steps[:count].mean(axis=0)
            place = self.scene(mean[None, :], box)[0]
            reach = ring.width / 2 * np.array([DL, UR])
            inside = box.contains(place + reach).all()
            shown_ring(ring.move_to(place), 1.0 if inside else 0.0)

        earlier.add_updater(draw, call_updater=True)
        return [earlier, lines, tips, spread, ring]


def shown_ring(ring: Circle, opacity: float) -> None:
    """The ring and its edge shown (opacity 1) or hidden (0)."""
    ring.set_stroke(opacity=opacity).set_stroke(opacity=opacity, background=True)


def sized_ring(ring: Circle, radius: float) -> None:
    """The ring `radius` across from its centre, its stroke and edge thinner with it."""
    share = min(radius / MEAN_RADIUS, 1.0)  # a wider ring keeps the widest strokes
    ring.scale(2 * radius / ring.width)
    ring.set_stroke(width=max(RING_WIDTH * share, 1.5))
    ring.set_stroke(width=max(RING_EDGE * share, 4.0), background=True)


def before_runs(clock: LeadClock) -> bool:
    """Whether the runs have yet to start."""
    return bool(clock.tracker.get_value() <= clock.lead + 1e-9)
