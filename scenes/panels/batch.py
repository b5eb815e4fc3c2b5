"""The current mini-batch, lit on the data plot with its residuals to the line."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from manim import Mobject, VGroup, VMobject

from scenes.camera import KeptPath
from scenes.clock import StepClock
from scenes.geometry import segment_curves
from scenes.panels.data_plot import DataPlot, dot_cloud, dot_radius
from scenes.theme import DRAWN
from sgdcore.trace import PAD, Trace

LIT_SCALE = 1.7  # a lit point's radius, in plain points' radii


def batch_members(trace: Trace, index: int) -> npt.NDArray[np.int64]:
    """Sample indices of update `index` (none once the run is over)."""
    if index >= trace.n_steps:
        return np.zeros(0, dtype=np.int64)
    row = trace.batch[index]
    members: npt.NDArray[np.int64] = row[row != PAD]
    return members


def used_in_epoch(trace: Trace, index: int) -> npt.NDArray[np.int64]:
    """Sample indices used by the updates before `index` in the same epoch."""
    if index >= trace.n_steps or index == 0:
        return np.zeros(0, dtype=np.int64)
    same = np.flatnonzero(trace.epoch[:index] == trace.epoch[index])
    rows = trace.batch[same]
    members: npt.NDArray[np.int64] = rows[rows != PAD]
    return members


class BatchHighlight:
    """The points of the update in progress, lit, and their residuals to the line."""

    def __init__(self, data: DataPlot) -> None:
        self.data, self.trace, self.palette = data, data.trace, data.palette

    def used(self, clock: StepClock) -> VMobject:
        """The points already used in the current epoch, marked (rebuilt once per step).

        So a pass over all the points is seen filling up, batch by batch.
        """
        trace = self.trace
        radius = dot_radius(len(trace.y))
        # thousands of dots by the end of an epoch: traced once per step, then replayed
        marked = KeptPath(
            fill_color=self.palette.muted, fill_opacity=1.0, stroke_width=0
        )
        shown: list[object] = [None]

        def mark(mob: Mobject) -> None:
            index, box = clock.index(trace), self.data.box_at(clock)
            if (index, box) == shown[0]:
                return
            shown[0] = (index, box)
            points = self.data.points_at(box)
            members = used_in_epoch(trace, index)
            cloud = dot_cloud(points[members], radius, self.palette.muted)
            marked.set_points(cloud.points) if len(members) else marked.clear_points()

        return marked.add_updater(mark, call_updater=True)

    def moving(self, clock: StepClock) -> VGroup:
        """Residuals (redrawn each frame) under the lit points (rebuilt once per step)."""
        trace, palette = self.trace, self.palette
        radius = LIT_SCALE * dot_radius(len(trace.y))
        lit = VMobject(fill_color=palette.highlight, fill_opacity=1.0, stroke_width=0)
        residuals = VMobject(
            stroke_color=palette.highlight,
            stroke_width=2,
            stroke_opacity=DRAWN["batch residuals"].opacity,
        )
        shown: list[object] = [None]  # the step (and view) whose batch is lit

        def light(_: Mobject) -> None:
            index = clock.index(trace)
            box = self.data.box_at(clock)
            points = self.data.points_at(box)
            members = batch_members(trace, index)
            if (index, box) != shown[0]:
                shown[0] = (index, box)
                cloud = dot_cloud(points[members], radius, palette.highlight)
                lit.set_points(cloud.points) if len(members) else lit.clear_points()
            slope, intercept = clock.params(trace)
            if not len(members) or not (
                math.isfinite(slope) and math.isfinite(intercept)
            ):
                residuals.clear_points()
                return
            xs = trace.x[members, 0]
            ends = box.to_points(xs, np.clip(slope * xs + intercept, *box.y_span))
            residuals.set_points(segment_curves(points[members], ends))

        residuals.add_updater(light, call_updater=True)
        return VGroup(residuals, lit)
