"""A plane's view that starts close in on the shared start and widens as the runs
spread: where several runs leave one point, their first steps lie on one another at
the scale of the whole walk. Plain numpy."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import numpy.typing as npt

from scenes.view import View, ease, framing

HELD = 3  # the view holds on the start through this many steps (the slow first ones)
OUT = 3  # then eases out to the walk's view over this many steps
ROOM = 1.15  # room round what a step's view must hold, as a factor of its half-width
WEIGHTS = np.linspace(0.0, 1.0, 101)  # how far out a step's view may be, tried in turn


def start_view(walk: View, paths: Sequence[npt.NDArray[np.float64]]) -> View:
    """`walk`, its first HELD steps framing only every point the runs reach by step
    HELD + 1 (each of those steps' arrows ends inside), then out to `walk`'s own
    ranges over OUT steps, each at least as far out as holds every point up to the
    step after it. `walk` itself if that would not be closer in, or too short."""
    last = HELD + OUT
    if len(walk.x) <= last + 1 or min(len(path) for path in paths) < last + 2:
        return walk  # a run that stopped (diverged) within the steps eased over
    points = np.stack([p[: last + 2] for p in paths])  # (runs, steps, 2)
    if not np.isfinite(points).all():
        return walk
    x0, y0 = framing(points[:, : HELD + 2].reshape(-1, 2), walk.size, walk.max_ticks)
    if x0[1] - x0[0] >= walk.x[HELD, 1] - walk.x[HELD, 0]:
        return walk
    x, y = walk.x.copy(), walk.y.copy()
    x[: HELD + 1], y[: HELD + 1] = x0, y0
    for k in range(1, OUT):
        row = HELD + k
        seen = points[:, : row + 2].reshape(-1, 2)
        low, high = seen.min(axis=0), seen.max(axis=0)
        centre, half = (low + high) / 2, (high - low) / 2 * ROOM
        need_low, need_high = centre - half, centre + half
        for weight in WEIGHTS:
            w = max(weight, ease(k / OUT))
            xs, ys = x0 + w * (walk.x[row] - x0), y0 + w * (walk.y[row] - y0)
            lows, highs = np.array([xs[0], ys[0]]), np.array([xs[1], ys[1]])
            if (lows <= need_low).all() and (highs >= need_high).all():
                break
        x[row], y[row] = xs, ys
    return replace(walk, x=x, y=y)
