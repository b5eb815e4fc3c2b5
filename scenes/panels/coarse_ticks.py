"""Axes whose x labels name every tick they label in that tick step's own digits.

An x axis too crowded to label every tick labels every other one (axes.py), and its
labels keep the digits of the finer step: `0.0 1.0 2.0` beside a y axis saying
`0 2 4`. These axes draw such an x axis at the coarser step instead: `0 1 2`.
"""

from __future__ import annotations

from dataclasses import replace

from scenes.geometry import PlotBox, coarser, tick_values
from scenes.panels.axes import AxesDrawing


class CoarseTickAxes(AxesDrawing):
    """`AxesDrawing` with an x axis labelled at every tick it draws."""

    def draw(
        self,
        box: PlotBox,
        y_labels: dict[float, str] | None = None,
        x_labels: dict[float, str] | None = None,
    ) -> CoarseTickAxes:
        """Draw the axes of `box`; where its x axis labels only every other tick (or
        fewer), again at the next coarser x tick step."""
        super().draw(box, y_labels, x_labels)
        # one label dropped at the plot's corner is no sign of a crowded axis
        labelled, ticks = len(self.labels.rows[0]), len(tick_values(box.x_range))
        if x_labels is not None or 2 * labelled > ticks + 1:
            return self
        low, high, step = box.x_range
        super().draw(replace(box, x_range=(low, high, coarser(step))), y_labels)
        return self
