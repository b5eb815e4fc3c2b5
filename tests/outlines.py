"""Points along what a graphic draws, for the layout checks (tests/layout_snapshots.py):
a VMobject's cubic pieces sampled, a raster layer's own dots and segments."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from manim import VMobject

from scenes.dot_layer import DotLayer, SegmentLayer

SAMPLES = np.linspace(0.0, 1.0, 9)  # along each cubic Bézier piece


def sampled(leaves: list[VMobject]) -> npt.NDArray[np.float64]:
    """Points along every cubic piece of `leaves`' outlines, (m, 2)."""
    pieces = []
    for leaf in leaves:
        if isinstance(leaf, DotLayer) and leaf.chunks:  # its points are a box round it
            pieces.append(layer_points(leaf))
            continue
        points = leaf.points[: len(leaf.points) // 4 * 4, :2].reshape(-1, 4, 2)
        if not len(points):
            continue
        t = SAMPLES[None, :, None]
        a, b, c, d = (points[:, k, None, :] for k in range(4))
        curve = (1 - t) ** 3 * a + 3 * (1 - t) ** 2 * t * b + 3 * (1 - t) * t**2 * c
        pieces.append((curve + t**3 * d).reshape(-1, 2))
    return np.vstack(pieces) if pieces else np.zeros((0, 2))


def layer_points(layer: DotLayer) -> npt.NDArray[np.float64]:
    """Points along a SegmentLayer's segments, or round a DotLayer's discs, (m, 2)."""
    rows = np.vstack(layer.chunks)
    if isinstance(layer, SegmentLayer):  # a point every 1/80 of each: under 0.1 apart
        t = np.linspace(0.0, 1.0, 81)[None, :, None]
        starts, ends = rows[:, None, :2], rows[:, None, 2:]
        return (starts + t * (ends - starts)).reshape(-1, 2)
    around = layer.radius * np.array([[1.0, 0], [-1.0, 0], [0, 1.0], [0, -1.0]])
    return (rows[:, None, :] + around[None, :, :]).reshape(-1, 2)
