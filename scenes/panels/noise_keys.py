"""The keys to gradient_noise's cloud: a batch's step, the full step, the mean of the
batches' steps, the ellipse of all possible batches and, once there are any, the
earlier (smaller) sizes' ellipses left behind, dashed."""

from __future__ import annotations

import numpy as np
from manim import LEFT, RIGHT, Circle, VGroup, VMobject

from scenes.geometry import polyline_curves
from scenes.noise_geometry import ellipse
from scenes.panels.dots import dash_curves
from scenes.panels.gradient_cloud import DASH, EARLIER_WIDTH, GAP, MEAN_RADIUS
from scenes.panels.legend import legend, line_mark
from scenes.panels.noise_arrow import arrow
from scenes.theme import Palette

LEGEND_OVAL = np.diag([0.048, 0.01])  # the ellipse in the keys: 0.44 by 0.2 across
# what the ellipse is: a batch's step's spread by the sampling maths, as the spread
# plot's "expected" curve, not the spread of the few steps drawn
EXPECTED_WORDS = "1 s.d., all possible batches"
EARLIER_WORDS = "1 s.d., each smaller B"  # the earlier sizes' ellipses, left behind


def cloud_keys(palette: Palette, size: float, earlier: bool) -> VGroup:
    """What the cloud's marks are, one row each, in muted words of `size`; the
    earlier sizes' dashed ellipses last, if `earlier`."""
    oval = np.pad(ellipse(np.zeros(2), LEGEND_OVAL), [(0, 0), (0, 1)])
    entries = [
        (line_mark(palette.data, 2), "a batch's step"),
        (
            arrow(0.22 * LEFT, 0.22 * RIGHT, palette.ink, 3.0, tip=0.12),
            "full step −lr·∇L",
        ),
        (ring_key(palette.highlight), "mean of the batch steps"),
        (
            VMobject(stroke_color=palette.highlight, stroke_width=3).set_points(
                polyline_curves(oval)
            ),
            EXPECTED_WORDS,
        ),
    ]
    if earlier:
        dashed = VMobject(
            stroke_color=palette.highlight_thin, stroke_width=EARLIER_WIDTH
        )
        entries.append((dashed.set_points(dash_curves(oval, DASH, GAP)), EARLIER_WORDS))
    return legend(palette, entries, row_gap=0.08, size=size)


def ring_key(color: str) -> Circle:
    """The ring in the keys."""
    return Circle(radius=MEAN_RADIUS, stroke_color=color, stroke_width=3)


def run_colors(palette: Palette) -> tuple[str, str]:
    """The runs' colours, vermillion and violet: apart in hue and for dichromats in
    both themes."""
    return palette.lr_high, palette.accent
