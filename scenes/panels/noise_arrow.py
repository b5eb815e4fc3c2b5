"""The full step's arrow on gradient_noise's plane, its inset and its keys."""

from __future__ import annotations

import numpy as np
from manim import Line, VGroup, VMobject

TIP = 0.16  # the arrowhead, at most


def arrow(
    start: np.ndarray, end: np.ndarray, color: str, width: float, tip: float = TIP
) -> VGroup:
    """A straight arrow from `start` to `end`, its head filled."""
    length = float(np.linalg.norm(end - start))
    along = (end - start) / max(length, 1e-9)
    across = np.array([-along[1], along[0], 0.0])
    head_length = min(tip, 0.4 * length)
    base = end - head_length * along
    shaft = Line(start, base + 1e-4 * along, stroke_color=color, stroke_width=width)
    head = VMobject(fill_color=color, fill_opacity=1.0, stroke_width=0)
    head.set_points_as_corners(
        [
            end,
            base + 0.55 * head_length * across,
            base - 0.55 * head_length * across,
            end,
        ]
    )
    return VGroup(shaft, head)
