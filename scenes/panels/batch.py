"""The current mini-batch, lit on the data plot with its residuals to the line.

On a step that ends an epoch (held there, say, or the run's last) every point the
epoch used is marked, so the pass over the data is seen complete, and the numbers
beside it (EpochEndClock) show the epoch's last update, the one that made the line:
its batch stays lit, as the numbers name it, without residuals (the line has taken
that update, so they are no longer what its batch loss measured).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import numpy.typing as npt
from manim import Mobject, VGroup, VMobject

from scenes.camera import KeptPath
from scenes.clock import StepClock
from scenes.dot_layer import LAYER_FROM, DotLayer, Segments
from scenes.geometry import PlotBox, segment_curves
from scenes.panels.data_plot import DataPlot
from scenes.panels.dots import dot_cloud, dot_radius
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


def updates_of(
    trace: Trace, epoch: int, start: int, stop: int
) -> npt.NDArray[np.int64]:
    """Sample indices of the updates of `epoch` from `start` up to (not) `stop`."""
    rows = trace.batch[start:stop][trace.epoch[start:stop] == epoch]
    members: npt.NDArray[np.int64] = rows[rows != PAD]
    return members


def epoch_ended_at(trace: Trace, value: float) -> int | None:
    """The epoch whose last update ends exactly at the replay's position `value`.

    None between steps, and on a step in the middle of an epoch. The run's last step
    ends its last epoch, whole or not.
    """
    step = round(value)
    if abs(value - step) > 1e-9 or not 1 <= step <= trace.n_steps:
        return None
    if step < trace.n_steps and trace.epoch[step] == trace.epoch[step - 1]:
        return None
    return int(trace.epoch[step - 1])


def used_by_epoch(trace: Trace, epoch: int) -> npt.NDArray[np.int64]:
    """Sample indices of every update in `epoch`."""
    rows = trace.batch[trace.epoch == epoch]
    members: npt.NDArray[np.int64] = rows[rows != PAD]
    return members


class EpochEndClock(StepClock):
    """The step clock as the numbers about a mini-batch read it.

    On a step that ends an epoch, the run's last included, its index is that
    epoch's last update: the batch, gradient and worked update that made the line
    shown, so that the closing frame shows that update whole, no row blank.
    Elsewhere it is StepClock's own.
    """

    def __init__(self, clock: StepClock) -> None:
        vars(self).update(vars(clock))  # the same tracker: one clock, read differently

    def index(self, trace: Trace) -> int:
        """The update whose batch the numbers show."""
        step = super().index(trace)
        if step >= 1 and epoch_ended_at(trace, self.value) is not None:
            return step - 1
        return step


class BatchHighlight:
    """The points of the update in progress, lit, and their residuals to the line.

    `closed`: while it holds (the run over, its keys gone with it), no point is lit
    or marked, the data plain: a closing frame with nothing left unexplained.
    """

    def __init__(
        self, data: DataPlot, closed: Callable[[], bool] = lambda: False
    ) -> None:
        self.data, self.trace, self.palette = data, data.trace, data.palette
        self.closed = closed

    def used(self, clock: StepClock) -> VMobject:
        """The points already used in the current epoch, marked (rebuilt once per step).

        So a pass over all the points is seen filling up, batch by batch.
        """
        trace = self.trace
        radius = dot_radius(len(trace.y))
        if len(trace.y) > LAYER_FROM:
            return self.used_layer(clock, radius)
        # thousands of dots by the end of an epoch: traced once per step, then replayed
        marked = KeptPath(
            fill_color=self.palette.muted, fill_opacity=1.0, stroke_width=0
        )
        shown: list[object] = [None]

        def mark(mob: Mobject) -> None:
            index, box = clock.index(trace), self.data.box_at(clock)
            ended, closed = epoch_ended_at(trace, clock.value), self.closed()
            if (index, box, ended, closed) == shown[0]:
                return
            shown[0] = (index, box, ended, closed)
            points = self.data.points_at(box)
            members = (
                used_in_epoch(trace, index)
                if ended is None
                else used_by_epoch(trace, ended)
            )
            members = members[:0] if closed else members
            cloud = dot_cloud(points[members], radius, self.palette.muted)
            marked.set_points(cloud.points) if len(members) else marked.clear_points()

        return marked.add_updater(mark, call_updater=True)

    def used_layer(self, clock: StepClock, radius: float) -> DotLayer:
        """`used` for a big cloud: a layer to which each step adds its batch's dots.

        It shows the updates of one epoch before some update (`upto`); a later step of
        the same epoch, in the same view, only adds the updates since.
        """
        trace = self.trace
        marked = DotLayer(radius, self.palette.muted)
        shown: list[tuple[int, int, PlotBox]] = []  # (epoch, upto, box)

        def mark(_: Mobject) -> None:
            index, box = clock.index(trace), self.data.box_at(clock)
            ended = epoch_ended_at(trace, clock.value)
            if self.closed():
                epoch, upto = -1, 0  # none marked
            elif ended is not None:
                epoch, upto = ended, int(np.flatnonzero(trace.epoch == ended)[-1]) + 1
            elif index < trace.n_steps:
                epoch, upto = int(trace.epoch[index]), index
            else:
                epoch, upto = -1, 0  # the run is over, no epoch ended here: none
            points = self.data.points_at(box)
            if shown and shown[0][0] == epoch and shown[0][2] == box:
                if upto == shown[0][1]:
                    return
                if upto > shown[0][1]:
                    marked.add_dots(points[updates_of(trace, epoch, shown[0][1], upto)])
                    shown[0] = (epoch, upto, box)
                    return
            marked.show_dots(points[updates_of(trace, epoch, 0, upto)])
            shown[:] = [(epoch, upto, box)]

        return marked.add_updater(mark, call_updater=True)

    def moving(self, clock: StepClock) -> VGroup:
        """Residuals (redrawn each frame) under the lit points (rebuilt once per step)."""
        trace, palette = self.trace, self.palette
        radius = LIT_SCALE * dot_radius(len(trace.y))
        big = trace.batch.shape[1] > LAYER_FROM  # a layer, not traced every frame
        lit = (
            DotLayer(radius, palette.highlight)
            if big
            else VMobject(
                fill_color=palette.highlight, fill_opacity=1.0, stroke_width=0
            )
        )
        residuals = (Segments if big else VMobject)(
            stroke_color=palette.highlight,
            stroke_width=2,
            stroke_opacity=DRAWN["batch residuals"].opacity,
        )
        shown: list[object] = [None]  # the step (and view) whose batch is lit

        numbers = EpochEndClock(clock)  # the update the readouts name

        def light(_: Mobject) -> None:
            index = numbers.index(trace)
            box = self.data.box_at(clock)
            points = self.data.points_at(box)
            ended = epoch_ended_at(trace, clock.value) is not None
            closed = self.closed()
            members = batch_members(trace, index)[: 0 if closed else None]
            if (index, box, ended, closed) != shown[0]:
                shown[0] = (index, box, ended, closed)
                if isinstance(lit, DotLayer):
                    lit.show_dots(points[members])
                else:
                    cloud = dot_cloud(points[members], radius, palette.highlight)
                    lit.set_points(cloud.points) if len(members) else lit.clear_points()
            slope, intercept = clock.params(trace)
            if (
                ended
                or not len(members)
                or not (math.isfinite(slope) and math.isfinite(intercept))
            ):
                residuals.clear_points()
                return
            xs = trace.x[members, 0]
            ends = box.to_points(xs, np.clip(slope * xs + intercept, *box.y_span))
            residuals.set_points(segment_curves(points[members], ends))

        residuals.add_updater(light, call_updater=True)
        return VGroup(residuals, lit)
