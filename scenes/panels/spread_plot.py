"""How far the batch steps scatter, by batch size: measured, and the sampling maths.

Both axes logarithmic, so σ/√B is a straight line of slope −1/2. The maths' curve
bends below it as B nears n: a batch of B of n points drawn without replacement
varies (n − B)/(n − 1) times less. Each size's measured spread appears with its beat
(lead step k of a LeadClock), a dot with its number.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from manim import DL, DOWN, DR, LEFT, RIGHT, UL, UP, UR, Dot, Mobject, VGroup, VMobject

from scenes.clock import LeadClock
from scenes.geometry import Points, polyline_curves
from scenes.noise_geometry import NoiseLevel, finite_correction
from scenes.numbers import format_column
from scenes.panels.axes import plot_axes
from scenes.panels.dots import dashes
from scenes.panels.legend import legend, line_mark
from scenes.panels.loss_scale import decade_labels
from scenes.text import label, safe_right, shown_while, tick_label
from scenes.theme import Palette

CURVE_SAMPLES = 64  # along the maths' curves, evenly in log B
X_PAD = 0.12  # decades of B left and right of the sizes shown
NUMBER_GAP = 0.1  # from a dot to its number
KEYS_INSET = 0.12  # from the axes to the keys' corner


def dashed_mark(color: str) -> VMobject:
    """A short dashed stroke standing for the dashed σ/√B line."""
    mark = VMobject(stroke_color=color, stroke_width=2.5)
    return mark.set_points(dashes(0.22 * LEFT, 0.22 * RIGHT, 0.1, 0.07))


def overlap(one: Mobject, other: Mobject) -> bool:
    """Whether two mobjects' boxes meet."""
    return bool(
        one.get_left()[0] < other.get_right()[0]
        and other.get_left()[0] < one.get_right()[0]
        and one.get_bottom()[1] < other.get_top()[1]
        and other.get_bottom()[1] < one.get_top()[1]
    )


class SpreadPlot:
    """Spread of a batch's step against B, log–log, bottom-left at `corner`."""

    def __init__(
        self,
        palette: Palette,
        levels: Sequence[NoiseLevel],
        n_points: int,
        corner: tuple[float, float],
        size: tuple[float, float],
    ) -> None:
        self.palette, self.levels, self.n = palette, list(levels), n_points
        sizes = [level.size for level in self.levels]
        # σ/√B at B = 1: what both curves are drawn from
        first = self.levels[0]
        self.sigma = first.unsampled * math.sqrt(first.size)
        self.sizes = np.geomspace(sizes[0], sizes[-1], CURVE_SAMPLES)
        spreads = [self.sigma / math.sqrt(b) for b in self.sizes]
        spreads += [level.spread for level in self.levels]
        spreads += [level.expected for level in self.levels]
        shown = [s for s in spreads if s > 0]
        low = math.floor(math.log10(min(shown)))
        high = max(math.ceil(math.log10(max(shown))), low + 1)
        x_low, x_high = math.log10(sizes[0]) - X_PAD, math.log10(sizes[-1]) + X_PAD
        x_labels = {math.log10(b): str(b) for b in sizes}
        self.box, self.axes = plot_axes(
            palette,
            (x_low, x_high, 1.0),
            (float(low), float(high), 1.0),
            corner,
            size,
            decade_labels(low, high),
            x_labels,
        )
        self.numbers = format_column([level.spread for level in self.levels])
        self.name = label(palette, "B", palette.label_size, palette.muted)
        self.name.next_to(self.box.c2p(x_high, float(low)), RIGHT, buff=0.2)
        self.keys = self.make_keys()
        self.curves = self.make_curves()

    def at(self, sizes: npt.ArrayLike, spreads: npt.ArrayLike) -> Points:
        """Scene points of (B, spread) pairs."""
        logs = np.log10(np.maximum(np.asarray(spreads, dtype=np.float64), 1e-300))
        low, high = self.box.y_span
        return self.box.to_points(np.log10(sizes), np.clip(logs, low, high))

    def static(self) -> VGroup:
        """The axes, their caption, the maths' two curves and what they are."""
        palette, box = self.palette, self.box
        top_left = box.c2p(box.x_span[0], box.y_span[1])
        caption = label(
            palette, "spread by batch size", palette.label_size, palette.muted
        )
        caption.next_to(top_left, UP, buff=0.25).align_to(top_left, LEFT)
        return VGroup(self.axes, caption, self.name, *self.curves, self.keys)

    def make_curves(self) -> list[VMobject]:
        """σ/√B dashed (straight, on log–log axes) and, solid, the same times
        √((n − B)/(n − 1))."""
        palette = self.palette
        plain = self.at(self.sizes, [self.sigma / math.sqrt(b) for b in self.sizes])
        dashed = VMobject(stroke_color=palette.muted, stroke_width=2.5)
        dashed.set_points(dashes(plain[0], plain[-1], 0.1, 0.07))
        corrected = [
            self.sigma / math.sqrt(b) * math.sqrt(finite_correction(self.n, round(b)))
            for b in self.sizes
        ]
        exact = VMobject(stroke_color=palette.ink, stroke_width=2.5)
        exact.set_points(polyline_curves(self.at(self.sizes, corrected)))
        return [dashed, exact]

    def make_keys(self) -> VGroup:
        """What the dots and the two curves are, under the falling curves, where no
        dot goes."""
        palette, box = self.palette, self.box
        keys = legend(
            palette,
            [
                (Dot(radius=0.06, color=palette.data), "measured"),
                (dashed_mark(palette.muted), "σ/√B"),
                (line_mark(palette.ink, 2.5), "× √((n − B)/(n − 1))"),
            ],
            row_gap=0.06,
            size=palette.tick_size,
        )
        corner = box.c2p(box.x_span[0], box.y_span[0]) + KEYS_INSET * (UP + RIGHT)
        return keys.move_to(corner, aligned_edge=DOWN + LEFT)

    def place_number(self, number: Mobject, spot: Points, taken: list[Mobject]) -> None:
        """Put a dot's number above right of it, or else in the first place around
        it clear of the frame's edge, the curves, and every dot and number placed
        before."""
        curves = np.vstack([curve.points for curve in self.curves])
        for buff in (NUMBER_GAP, 2 * NUMBER_GAP, 3 * NUMBER_GAP):
            for corner in (UR, DL, UL, DR, UP, DOWN, RIGHT, LEFT):
                number.next_to(spot, corner, buff=buff)
                inside = number.get_right()[0] <= safe_right()
                (left, bottom, _), (right, top, _) = (
                    number.get_corner(DL),
                    number.get_corner(UR),
                )
                on_curve = (
                    (curves[:, 0] > left)
                    & (curves[:, 0] < right)
                    & (curves[:, 1] > bottom)
                    & (curves[:, 1] < top)
                ).any()
                if (
                    inside
                    and not on_curve
                    and not any(overlap(number, o) for o in taken)
                ):
                    return
        number.next_to(spot, UP + RIGHT, buff=NUMBER_GAP)

    def moving(self, clock: LeadClock) -> list[Mobject]:
        """Each size's measured spread, a dot and its number, from its beat on."""
        parts: list[Mobject] = []
        spots = self.at(
            [lv.size for lv in self.levels], [lv.spread for lv in self.levels]
        )
        taken: list[Mobject] = [Dot(spot, radius=0.06) for spot in spots]
        taken += [*self.keys, self.name]
        for k, (spot, text) in enumerate(zip(spots, self.numbers, strict=True)):
            number = tick_label(self.palette, text, "spread")
            self.place_number(number, spot, taken)
            taken.append(number)
            mark = VGroup(Dot(spot, radius=0.06, color=self.palette.data), number)

            def reached(k: int = k) -> bool:
                return clock.tracker.get_value() >= k + 1 - 1e-9

            parts.append(shown_while(mark, reached))
        return parts
