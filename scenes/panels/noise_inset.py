"""The largest batch size's steps, magnified: an inset beside the parameter plane.

At the plane's one scale for every batch size, the largest size's ellipse is a dot
under the full step's arrowhead. During that size's beat the inset shows the tip of
the full step a whole number of times larger, at true shape: the batches' steps
reaching in from the point, their tips, the ellipse of all possible batches round
their mean and the ring on it (the earlier sizes' ellipses, larger, would only
cross it as arcs). Its title says which size and how many times larger (`B = 50,
zoomed in 9×`), as the zoom badges of other scenes say it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from manim import DL, Circle, Mobject, VGroup, VMobject

from scenes.clock import LeadClock
from scenes.dot_layer import DotLayer, SegmentLayer
from scenes.geometry import PlotBox, polyline_curves
from scenes.noise_geometry import NoiseLevel, ellipse
from scenes.panels.dots import dot_radius
from scenes.panels.gradient_cloud import (
    BATCH_WIDTH,
    MEAN_RADIUS,
    RING_SHARE,
    GradientCloud,
    before_runs,
    shown_ring,
    sized_ring,
)
from scenes.panels.noise_arrow import arrow
from scenes.panels.zoom_badge import SHOWN_FROM, zoom_words
from scenes.text import label, one_path, while_true
from scenes.theme import Palette

ROOM = 1.4  # the framed marks take at most 1/ROOM of the inset either way
TITLE_GAP = 0.12  # from the inset's top edge up to its title
MOST = 40.0  # zoomed in at most this many times
RING_GROWN = 2.0  # the ring, this many times the plane's, where the ellipse allows
HEAD_SHARE = 0.7  # the full step's arrowhead, this share of the ring's radius long


class NoiseInset:
    """The last batch size's beat, magnified, in a box at `corner` of `size`."""

    def __init__(
        self,
        palette: Palette,
        cloud: GradientCloud,
        levels: Sequence[NoiseLevel],
        corner: tuple[float, float],
        size: tuple[float, float],
    ) -> None:
        self.palette, self.cloud, self.levels = palette, cloud, list(levels)
        self.last = len(self.levels) - 1
        plane = cloud.view.box(len(self.levels))
        left, _, right, _ = plane.scene_bounds
        plane_scale = (right - left) / (plane.x_span[1] - plane.x_span[0])
        level, start = self.levels[-1], cloud.start
        framed = np.vstack(
            [
                start + level.full,
                start + level.steps,
                ellipse(start + level.mean, level.covariance),
            ]
        )
        low, high = framed.min(axis=0), framed.max(axis=0)
        reach = np.maximum(high - low, 1e-300) * ROOM
        most = min(size[0] / reach[0], size[1] / reach[1]) / plane_scale
        # a whole number of times (at most MOST: two digits), as the badges say it
        times = float(math.floor(min(most, MOST)))
        self.times = times
        # nothing to magnify: a spread of none, or one the plane already shows
        self.shown = bool((high - low).max() > 0) and times >= SHOWN_FROM
        half = np.array(size) / (2 * max(times, 1.0) * plane_scale)
        middle = (low + high) / 2
        self.box = PlotBox(
            (float(middle[0] - half[0]), float(middle[0] + half[0]), 1.0),
            (float(middle[1] - half[1]), float(middle[1] + half[1]), 1.0),
            corner,
            size,
        )

    def showing(self, clock: LeadClock) -> bool:
        """Whether the inset shows: the last size's beat, before the runs."""
        return (
            self.shown
            and before_runs(clock)
            and GradientCloud.phase(clock)[0] == self.last
        )

    def points(self, params: np.ndarray) -> np.ndarray:
        """Parameter rows (m, 2) as scene points (m, 3) in the inset."""
        return self.box.to_points(params[:, 0], params[:, 1])

    def curves(self, params: np.ndarray) -> np.ndarray:
        """A parameter polyline as curves, cut at the inset's edge."""
        runs = self.box.clip_polyline(self.points(params))
        return np.vstack([polyline_curves(r) for r in runs] or [np.zeros((0, 3))])

    def static(self, clock: LeadClock) -> list[Mobject]:
        """The frame, its title and the full step, while the inset shows."""
        if not self.shown:
            return []
        palette, box = self.palette, self.box
        left, bottom, right, top = box.scene_bounds
        frame = VMobject(stroke_color=palette.muted, stroke_width=1.5)
        corners = [(left, bottom), (right, bottom), (right, top), (left, top)]
        frame.set_points_as_corners(np.pad(np.array(corners), [(0, 0), (0, 1)]))
        frame.close_path()
        title = label(
            palette,
            f"B = {self.levels[-1].size}, {zoom_words(self.times)}",
            palette.tick_size,
            palette.muted,
        )
        title.move_to(np.array([left, top + TITLE_GAP, 0]), aligned_edge=DL)
        start = self.cloud.start
        ends = self.points(np.vstack([start, start + self.levels[0].full]))
        cut = box.clip_segment(ends[0], ends[1])
        parts = VGroup(frame, one_path(title))
        if cut is not None:
            # its head inside the ring that sits on it once the epoch is whole
            head = HEAD_SHARE * self.ring_radius()
            parts.add(*arrow(cut[0], cut[1], palette.ink, 4.0, tip=head))
        return [while_true(parts, lambda: self.showing(clock))]

    def ring_radius(self) -> float:
        """The ring's radius: up to RING_GROWN times the plane's, as the ellipse
        allows, its arrowhead inside it."""
        level = self.levels[-1]
        narrowest = np.sqrt(max(np.linalg.eigvalsh(level.covariance)[0], 0.0))
        left, _, right, _ = self.box.scene_bounds
        scale = (right - left) / (self.box.x_span[1] - self.box.x_span[0])
        grown = min(RING_GROWN * MEAN_RADIUS, RING_SHARE * narrowest * scale)
        return float(max(grown, 1e-3))

    def moving(self, clock: LeadClock) -> list[Mobject]:
        """The batches' steps drawn so far, their tips, the ellipse round their mean
        and the ring on it, as the plane draws them."""
        if not self.shown:
            return []
        palette, level = self.palette, self.levels[-1]
        lines = SegmentLayer(BATCH_WIDTH, palette.data)
        tips = DotLayer(0.5 * dot_radius(len(level.steps)), palette.data)
        spread = VMobject(stroke_color=palette.highlight, stroke_width=3)
        radius = self.ring_radius()
        ring = Circle(radius=MEAN_RADIUS, stroke_color=palette.highlight)
        ring.set_background_stroke(color=palette.background)
        sized_ring(ring, min(radius, MEAN_RADIUS))
        ring.scale(radius / min(radius, MEAN_RADIUS))  # its strokes the plane ring's
        shown: list[int] = [-1]
        start = self.cloud.start
        centre = self.points(start[None, :])[0]

        def draw(_: Mobject) -> None:
            k, grown = GradientCloud.phase(clock)
            on = self.showing(clock) and k == self.last
            count = math.ceil(grown * len(level.steps) - 1e-9) if on else 0
            if count == shown[0]:
                return
            shown[0] = count
            empty = np.zeros((0, 3))
            ends = self.points(start + level.steps[:count])
            cut = [self.box.clip_segment(centre, end) for end in ends]
            kept = [c for c in cut if c is not None]
            lines.show_segments(
                np.array([c[0] for c in kept]) if kept else empty,
                np.array([c[1] for c in kept]) if kept else empty,
            )
            tips.show_dots(ends[self.box.contains(ends)] if count else empty)
            if count == 0:
                spread.clear_points()
                shown_ring(ring, 0.0)
                return
            # the plane's ellipse: over all possible batches, round the epoch's mean
            spread.set_points(
                self.curves(ellipse(start + level.mean, level.covariance))
            )
            mean = start + level.steps[:count].mean(axis=0)
            shown_ring(ring.move_to(self.points(mean[None, :])[0]), 1.0)

        lines.add_updater(draw, call_updater=True)
        return [lines, tips, spread, ring]
