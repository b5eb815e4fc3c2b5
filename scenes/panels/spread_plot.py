"""How far the batch steps scatter, by batch size: measured, and the sampling maths.

Both axes logarithmic. The spread of a batch's step is its root mean square
distance from the full step, in the plane's units (those of a₁ and a₂). The maths'
curve is σ/√B (a straight line of slope −1/2) times √((n − B)/(n − 1)): a batch of
B of n points drawn without replacement varies that much less, so the curve bends
down as B nears n. That is the spread expected over all possible batches; a dot
measures one epoch's batches, a sample, and lands near the curve, not on it. Each
size's measured spread appears with its beat (lead step k of a LeadClock), a dot
with its number right beside it. The keys stand in one row under the plot, clear
of everything in it.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from manim import DL, DOWN, LEFT, RIGHT, UP, UR, Dot, Mobject, VGroup, VMobject

from scenes.clock import LeadClock
from scenes.geometry import PlotBox, Points, polyline_curves
from scenes.noise_geometry import NoiseLevel, finite_correction, shown_spreads
from scenes.panels.axes import AXIS_NAME, AxesDrawing
from scenes.panels.legend import legend, line_mark
from scenes.panels.loss_scale import decade_labels
from scenes.placement import grown
from scenes.text import label, shown_while, tick_label
from scenes.theme import Palette

CURVE_SAMPLES = 64  # along the maths' curve, evenly in log B
X_PAD = 0.12  # decades of B left of the smallest size...
X_PAD_RIGHT = 0.35  # ...and right of the largest: room for its number beside it
DOT_RADIUS = 0.06
# The y axis from FOOT decades under the least spread to HEAD scene units over the
# largest (its number's room), widened to take in at least two decades' labels
FOOT, HEAD = 0.12, 0.3
KEYS_DROP = 0.05  # from the x tick labels down to the keys' row
KEYS_APART = 0.45  # from the first key's words to the second key's mark
NAME_LIFT = (
    0.29  # from the plot's top to the y axis' name: 0.19 over its top tick label
)
# Room kept clear round a number: of the curve, the dots, each other
CLEARANCE = 0.06
NUMBER_ROOM = 0.1  # a number keeps this clear of the curve, the dots, the others
# Where a dot's number may go: its centre this far from the dot (across, 1.5 times
# as far), the nearest place clear of everything, above the falling curve if it can
NUMBER_OFFSETS = np.round(np.arange(-0.7, 0.71, 0.05), 2)
BELOW_COST = 0.15  # scene units a place under the curve counts as further away
TIGHT_COST = 0.1  # and a place only CLEARANCE clear of things
Box = tuple[float, float, float, float]  # left, bottom, right, top


OWN_DOT = 0.7  # a number's distance to its dot, at most, of that to the next dot


def box_of(mobject: Mobject) -> Box:
    """A mobject's box in scene units."""
    (left, bottom, _), (right, top, _) = mobject.get_corner(DL), mobject.get_corner(UR)
    return left, bottom, right, top


def boxes_meet(one: Box, other: Box) -> bool:
    """Whether two boxes overlap."""
    return (
        one[0] < other[2]
        and other[0] < one[2]
        and one[1] < other[3]
        and other[1] < one[3]
    )


def points_in(box: Box, points: Points) -> bool:
    """Whether any of `points` (m, 2 or 3) lies inside `box`."""
    left, bottom, right, top = box
    return bool(
        (
            (points[:, 0] > left)
            & (points[:, 0] < right)
            & (points[:, 1] > bottom)
            & (points[:, 1] < top)
        ).any()
    )


def densified(points: Points, pieces: int = 12) -> Points:
    """A polyline's corners and `pieces − 1` points evenly between each two."""
    t = np.linspace(0.0, 1.0, pieces, endpoint=False)[None, :, None]
    between = points[:-1, None, :] + t * (points[1:, None, :] - points[:-1, None, :])
    return np.vstack([between.reshape(-1, points.shape[1]), points[-1:]])


def two_decades(bottom: float, top: float) -> tuple[float, float]:
    """[bottom, top] (log10) widened to the nearest decades, the nearer end first,
    until at least two whole decades lie inside it."""
    while math.floor(top) - math.ceil(bottom) < 1:
        down, up = bottom - math.floor(bottom), math.ceil(top) - top
        down, up = down or 1.0, up or 1.0  # an end on a decade reaches the next
        if down <= up:
            bottom -= down
        else:
            top += up
    return bottom, top


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
        # σ/√B at B = 1: what the maths' curve is drawn from
        first = self.levels[0]
        self.sigma = first.unsampled * math.sqrt(first.size)
        self.sizes = np.geomspace(sizes[0], sizes[-1], CURVE_SAMPLES)
        self.maths = [
            self.sigma / math.sqrt(b) * math.sqrt(finite_correction(self.n, round(b)))
            for b in self.sizes
        ]
        spreads = [level.spread for level in self.levels] + self.maths
        shown = [s for s in spreads if s > 0] or [1.0]
        least, most = math.log10(min(shown)), math.log10(max(shown))
        # the top HEAD over the largest spread in the scene, as the span works out
        span = max(most - least + FOOT, 0.5)
        top = most + HEAD * span / max(size[1] - HEAD, 0.5)
        bottom, top = two_decades(least - FOOT, top)
        self.decades = (math.ceil(bottom), math.floor(top))
        x_low = math.log10(sizes[0]) - X_PAD
        x_high = math.log10(sizes[-1]) + X_PAD_RIGHT
        self.box = PlotBox((x_low, x_high, 1.0), (bottom, top, 1.0), corner, size)
        self.numbers = shown_spreads(self.levels)[0]
        self.name = label(palette, "B", palette.label_size, palette.muted)
        self.name.next_to(self.box.c2p(x_high, bottom), RIGHT, buff=0.12)
        self.spots = self.at(sizes, [level.spread for level in self.levels])
        self.curves = self.make_curves()
        x_labels = {math.log10(b): str(b) for b in sizes}
        y_labels = decade_labels(*self.decades)
        self.axes = AxesDrawing(palette).draw(self.box, y_labels, x_labels)
        self.keys = self.make_keys()
        self.labels = self.make_numbers()

    def at(self, sizes: npt.ArrayLike, spreads: npt.ArrayLike) -> Points:
        """Scene points of (B, spread) pairs."""
        logs = np.log10(np.maximum(np.asarray(spreads, dtype=np.float64), 1e-300))
        low, high = self.box.y_span
        return self.box.to_points(np.log10(sizes), np.clip(logs, low, high))

    def static(self) -> VGroup:
        """The axes, their names, the maths' curve and the keys under them."""
        palette, box = self.palette, self.box
        top_left = box.c2p(box.x_span[0], box.y_span[1])
        # the y axis' name over its top, saying what is measured and in what
        name = VGroup(
            label(
                palette, "spread of a batch's step", palette.label_size, palette.muted
            ),
            label(
                palette,
                "RMS distance to the full step",
                palette.tick_size,
                palette.muted,
            ),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.04)
        name.role = AXIS_NAME  # type: ignore[attr-defined]
        name.next_to(top_left, UP, buff=NAME_LIFT).align_to(top_left, LEFT)
        self.heading = name
        return VGroup(self.axes, name, self.name, *self.curves, self.keys)

    def make_curves(self) -> list[VMobject]:
        """The sampling maths' spread, σ/√B · √((n − B)/(n − 1)), solid; `self.ink`
        keeps points densely along it."""
        solid = self.at(self.sizes, self.maths)
        curve = VMobject(stroke_color=self.palette.ink, stroke_width=2.5)
        curve.set_points(polyline_curves(solid))
        self.ink = densified(solid)
        return [curve]

    def clear(self, box: Box, taken: Sequence[Box]) -> bool:
        """Whether `box`, grown by the clearance, stays off the curve, the dots and
        every box `taken`."""
        room: Box = (
            box[0] - CLEARANCE,
            box[1] - CLEARANCE,
            box[2] + CLEARANCE,
            box[3] + CLEARANCE,
        )
        dots = [
            (x - DOT_RADIUS, y - DOT_RADIUS, x + DOT_RADIUS, y + DOT_RADIUS)
            for x, y, _ in self.spots
        ]
        return not points_in(room, self.ink) and not any(
            boxes_meet(room, other) for other in [*dots, *taken]
        )

    def make_keys(self) -> VGroup:
        """What the dots and the curve are, in one row under the x tick labels,
        from the y axis' end."""
        palette = self.palette
        rows = legend(
            palette,
            [
                # the dots measure one epoch's batches: a sample, near the curve
                (Dot(radius=DOT_RADIUS, color=palette.data), "measured"),
                # the curve: what all possible batches spread on average, σ/√B
                # (σ one point's spread) times √((n − B)/(n − 1)), no point twice
                # in a batch; said in words, the maths in the notes
                (line_mark(palette.ink, 2.5), "expected"),
            ],
            row_gap=0.06,
            size=palette.tick_size,
        )
        first, second = rows
        # the second row beside the first, on its baseline
        second.shift(
            (first[0].get_y() - second[0].get_y()) * UP
            + (first.get_right()[0] + KEYS_APART - second.get_left()[0]) * RIGHT
        )
        left = self.box.scene_bounds[0]
        rows.next_to(self.axes, DOWN, buff=KEYS_DROP)
        return rows.align_to(np.array([left, 0.0, 0.0]), LEFT)

    def make_numbers(self) -> list[VMobject | None]:
        """Each dot's spread beside it where it is clear of the curve, the dots, the
        axis name and the numbers placed before: the smallest and largest batch
        sizes' first. A number with no such place is left out (the notes say it)."""
        taken = [box_of(self.name)]
        numbers: list[VMobject | None] = [None] * len(self.levels)
        last = len(self.levels) - 1
        for k in dict.fromkeys([0, last, *range(1, last)]):
            number = tick_label(self.palette, self.numbers[k], "spread")
            # the nearest place, a roomy one counting TIGHT_COST nearer
            spots = [
                self.number_spot(k, number, taken, room)
                for room in (NUMBER_ROOM, CLEARANCE)
            ]
            # rounded, so that a tie goes to the roomy place whatever the last bits
            costs = [
                (round(spot[0] + TIGHT_COST * tight, 9), spot[1])
                for tight, spot in enumerate(spots)
                if spot is not None
            ]
            if costs:
                numbers[k] = number.move_to(min(costs, key=lambda c: c[0])[1])
                taken.append(box_of(number))
        return numbers

    def number_spot(
        self, k: int, number: VMobject, taken: list[Box], room: float
    ) -> tuple[float, Points] | None:
        """The centre nearest dot k that keeps `number` `room` clear of the curve,
        the dots and the boxes `taken`, inside the plot, and how far it is; None if
        none does."""
        left, bottom, right, top = self.box.scene_bounds
        half = np.array([number.width, number.height]) / 2
        best: tuple[float, Points] | None = None
        for du, dv in itertools.product(NUMBER_OFFSETS, NUMBER_OFFSETS):
            centre = self.spots[k] + np.array([du * 1.5, dv, 0.0])
            low, high = centre[:2] - half, centre[:2] + half
            spot = (low[0], low[1], high[0], high[1])
            inside = spot[0] >= left + CLEARANCE and spot[2] <= right
            inside &= spot[1] >= bottom and spot[3] <= top
            nearest = np.linalg.norm(self.spots[:, :2] - centre[:2], axis=1)
            # reads as its dot's: clearly nearer it than any other
            inside &= bool(nearest[k] <= OWN_DOT * np.delete(nearest, k).min())
            if not inside or not self.clear(grown(spot, room - CLEARANCE), taken):
                continue
            # how far the number is from its dot; under the curves costs more
            x, y = self.spots[k][:2]
            across = max(spot[0] - x, x - spot[2], 0.0)
            up = max(spot[1] - y, y - spot[3], 0.0)
            cost = math.hypot(across, up) + (BELOW_COST if dv < 0 else 0.0)
            if best is None or cost < best[0]:
                best = (cost, centre)
        return best

    def moving(self, clock: LeadClock) -> list[Mobject]:
        """Each size's measured spread, a dot and its number, from its beat on; the
        first size's with the second's, where the plot is pointed at (the first
        size's beat is about the plane's steps and their mean)."""
        parts: list[Mobject] = []
        first = min(1, len(self.spots) - 1)
        for k, (spot, number) in enumerate(zip(self.spots, self.labels, strict=True)):
            dot = Dot(spot, radius=DOT_RADIUS, color=self.palette.data)
            mark = VGroup(dot) if number is None else VGroup(dot, number)

            def reached(k: int = max(k, first)) -> bool:
                return clock.tracker.get_value() >= k + 1 - 1e-9

            parts.append(shown_while(mark, reached))
        return parts
