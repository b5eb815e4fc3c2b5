"""The keys to gradient_noise's cloud: a batch's step, the full step, the mean of the
batches' steps, the ellipse of all possible batches and, once there are any, the
earlier (smaller) sizes' ellipses left behind, dashed; and, under them on single
points' beat, why most of those steps lie outside their ellipse."""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, RIGHT, Circle, VGroup, VMobject

from scenes.geometry import polyline_curves
from scenes.noise_geometry import NoiseLevel, ellipse, outside_share, sides_pull_apart
from scenes.panels.dots import dash_curves
from scenes.panels.gradient_cloud import DASH, EARLIER_WIDTH, GAP, MEAN_RADIUS
from scenes.panels.legend import legend, line_mark
from scenes.panels.noise_arrow import arrow
from scenes.text import label, one_path
from scenes.theme import Palette
from sgdcore.trace import Trace

LEGEND_OVAL = np.diag([0.048, 0.01])  # the ellipse in the keys: 0.44 by 0.2 across
# what the ellipse is: a batch's step's spread by the sampling maths, as the spread
# plot's "expected" curve, not the spread of the few steps drawn
EXPECTED_WORDS = "1 s.d., all possible batches"
EARLIER_WORDS = "1 s.d., each smaller B"  # the earlier sizes' ellipses, left behind
# One point's steps bunch in two arms, by the side of the line it lies on: most of
# them fall outside the ellipse, which sums up their spread and bounds nothing
ARMS_WORDS = "One point a step: the sign of its error picks the fan."
NOTE_GAP = 0.08  # from the first column's keys down to that line


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


def arms_note(
    palette: Palette, trace: Trace, level: NoiseLevel, keys: VGroup
) -> list[VMobject]:
    """Why single points' steps mostly lie outside their ellipse, in one muted line
    under the first column of `keys` (cloud_keys' rows, placed), on the row the
    dashed ellipses' key takes later, no wider than they are; none where the steps
    do not (fewer than half outside), where the batches are not single points or do
    not fall on both sides of the line, or where the line would be too wide."""
    if level.size != 1 or outside_share(level) <= 0.5 or not sides_pull_apart(trace):
        return []
    words = label(palette, ARMS_WORDS, palette.tick_size, palette.muted)
    if words.width > keys.width:
        return []
    first = VGroup(*keys[:2])
    words.next_to(first, DOWN, buff=NOTE_GAP).align_to(first, LEFT)
    return [one_path(words.align_to(keys[-1] if len(keys) > 4 else words, DOWN))]


def run_colors(palette: Palette) -> tuple[str, str]:
    """The runs' colours, vermillion and violet: apart in hue and for dichromats in
    both themes."""
    return palette.lr_high, palette.accent
