"""A hop whose start a zoom leaves outside the view fades out while the view narrows.

The view zooms in after a hop lands (scenes/view.py); the hop's start, out of the
narrowed view, takes its arc with it. Cut off at the box, the arc's far part would
sweep off the plot as a straight stroke, then vanish at once: it fades instead.
"""

from __future__ import annotations

from collections.abc import Callable

from scenes.geometry import PlotBox, Points
from scenes.view import View


def hop_opacity(
    view: View, points_at: Callable[[PlotBox], Points], index: int, fraction: float
) -> float:
    """The share of its opacity that update `index`'s hop keeps at `fraction` of the
    update: 1, but while the view narrows after the hop has landed, if the hop's
    start lies outside the narrowed view, the share of the narrowing still to come."""
    if not view.settle or view.rescales(index) >= 0:
        return 1.0
    after = view.box(float(index + 1))
    if bool(after.contains(points_at(after)[index][None, :])[0]):
        return 1.0
    return min(1.0, max(0.0, (1.0 - fraction) / view.settle))
