"""How far the batch steps scatter, by batch size: measured, and the sampling maths.

Both axes logarithmic, so σ/√B is a straight line of slope −1/2. The maths' curve
bends below it as B nears n: a batch of B of n points drawn without replacement
varies (n − B)/(n − 1) times less. Each size's measured spread appears with its beat
(lead step k of a LeadClock), a dot with its number.
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
from scenes.panels.dots import dashes
from scenes.panels.legend import legend, line_mark
from scenes.panels.loss_scale import decade_labels
from scenes.text import label, shown_while, tick_label
from scenes.theme import Palette

CURVE_SAMPLES = 64  # along the maths' curves, evenly in log B
X_PAD = 0.12  # decades of B left and right of the sizes shown
DOT_RADIUS = 0.06
KEYS_INSET = 0.12  # from the axes to the keys' corner...
KEYS_SIDE = 0.32  # ...and from the y axis, clear of its tick labels' TICK_ROOM
TICK_ROOM = 0.25  # kept clear across between the keys and a y tick label
TICK_ROW = 0.13  # half a y tick label's height
# Room kept clear round a number or the keys: of the curves, the dots, each other
CLEARANCE = 0.06
NUMBER_ROOM = 0.2  # a number keeps this clear of the curves, the dots, the others
HEADROOM = 0.42  # scene units above the largest spread: its number goes there
FOOTROOM = np.arange(0.0, 4.01, 0.25)  # decades the axis may reach below the spreads
# Where a dot's number may go: its centre this far from the dot (across, 1.5 times
# as far), the nearest place clear of everything, above the falling curves if it can
NUMBER_OFFSETS = np.round(np.arange(-0.7, 0.71, 0.05), 2)
BELOW_COST = 0.15  # scene units a place under the curves counts as further away
Box = tuple[float, float, float, float]  # left, bottom, right, top


def dashed_mark(color: str) -> VMobject:
    """A short dashed stroke standing for the dashed σ/√B line."""
    mark = VMobject(stroke_color=color, stroke_width=2.5)
    return mark.set_points(dashes(0.22 * LEFT, 0.22 * RIGHT, 0.1, 0.07))


def inset(inward: Points) -> Points:
    """From a corner of the plot to the keys' corner: KEYS_INSET up or down, and
    KEYS_SIDE from the y axis (KEYS_INSET from the right end)."""
    side = KEYS_SIDE if inward[0] > 0 else KEYS_INSET
    return np.array([side * inward[0], KEYS_INSET * inward[1], 0.0])


def box_of(mobject: Mobject, pad: float = 0.0) -> Box:
    """A mobject's box in scene units, grown by `pad` on every side."""
    (left, bottom, _), (right, top, _) = mobject.get_corner(DL), mobject.get_corner(UR)
    return left - pad, bottom - pad, right + pad, top + pad


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
        self.decades = (low, high)
        x_low, x_high = math.log10(sizes[0]) - X_PAD, math.log10(sizes[-1]) + X_PAD
        self.numbers = shown_spreads(self.levels)[0]
        self.name = label(palette, "B", palette.label_size, palette.muted)
        self.keys = self.make_keys()
        # the axis lowered until the keys fit in a corner clear of curves and dots
        for footroom in FOOTROOM:
            bottom = low - footroom
            # room over the largest spread for its number: the top at least
            # HEADROOM above it in the scene
            largest = math.log10(max(shown)) - bottom
            top = bottom + max(high - bottom, largest * size[1] / (size[1] - HEADROOM))
            self.box = PlotBox((x_low, x_high, 1.0), (bottom, top, 1.0), corner, size)
            self.name.next_to(self.box.c2p(x_high, bottom), RIGHT, buff=0.2)
            self.spots = self.at(sizes, [level.spread for level in self.levels])
            self.curves = self.make_curves()
            if self.place_keys():
                break
        x_labels = {math.log10(b): str(b) for b in sizes}
        y_labels = decade_labels(low, high)
        self.axes = AxesDrawing(palette).draw(self.box, y_labels, x_labels)
        self.labels = self.make_numbers()

    def at(self, sizes: npt.ArrayLike, spreads: npt.ArrayLike) -> Points:
        """Scene points of (B, spread) pairs."""
        logs = np.log10(np.maximum(np.asarray(spreads, dtype=np.float64), 1e-300))
        low, high = self.box.y_span
        return self.box.to_points(np.log10(sizes), np.clip(logs, low, high))

    def static(self) -> VGroup:
        """The axes, their names, the maths' two curves and what they are."""
        palette, box = self.palette, self.box
        top_left = box.c2p(box.x_span[0], box.y_span[1])
        # the y axis' name over its top, as the plane's a₂; B names the x axis
        name = label(palette, "spread of a step", palette.label_size, palette.muted)
        name.role = AXIS_NAME  # type: ignore[attr-defined]
        name.next_to(top_left, UP, buff=0.18).align_to(top_left, LEFT)
        return VGroup(self.axes, name, self.name, *self.curves, self.keys)

    def make_curves(self) -> list[VMobject]:
        """σ/√B dashed (straight, on log–log axes) and, solid, the same times
        √((n − B)/(n − 1)); `self.ink` keeps points densely along both. The dashes
        go over the solid line in their own colour, so that where the two coincide
        both still show, dash and gap."""
        palette = self.palette
        plain = self.at(self.sizes, [self.sigma / math.sqrt(b) for b in self.sizes])
        dashed = VMobject(stroke_color=palette.accent, stroke_width=2.5)
        dashed.set_points(dashes(plain[0], plain[-1], 0.1, 0.07))
        corrected = [
            self.sigma / math.sqrt(b) * math.sqrt(finite_correction(self.n, round(b)))
            for b in self.sizes
        ]
        solid = self.at(self.sizes, corrected)
        exact = VMobject(stroke_color=palette.ink, stroke_width=2.5)
        exact.set_points(polyline_curves(solid))
        self.ink = np.vstack([densified(plain), densified(solid)])
        return [exact, dashed]

    def clear(self, box: Box, taken: Sequence[Box]) -> bool:
        """Whether `box`, grown by the clearance, stays off the curves, the dots and
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
        """What the dots and the two curves are."""
        palette = self.palette
        return legend(
            palette,
            [
                (Dot(radius=DOT_RADIUS, color=palette.data), "measured"),
                # σ/√B (σ: one point's spread, B = 1's) holds for batches drawn
                # from endless data; drawn from n points, no point twice in a
                # batch, they spread √((n − B)/(n − 1)) times that: said in words,
                # the maths is in the speaker notes
                (dashed_mark(palette.accent), "σ/√B, endless data"),
                (line_mark(palette.ink, 2.5), f"exact, {self.n} points"),
            ],
            row_gap=0.06,
            size=palette.tick_size,
        )

    def place_keys(self) -> bool:
        """Put the keys in the first inner corner of the plot (bottom left, under the
        falling curves, first) clear of the curves and dots; False if none is."""
        box, keys = self.box, self.keys
        (x_low, x_high), (y_low, y_high) = box.x_span, box.y_span
        corners = [
            (box.c2p(x_low, y_low), UP + RIGHT),
            (box.c2p(x_high, y_high), DOWN + LEFT),
            (box.c2p(x_low, y_high), DOWN + RIGHT),
            (box.c2p(x_high, y_low), UP + LEFT),
        ]
        for corner, inward in corners:
            keys.move_to(corner + inset(inward), aligned_edge=-inward)
            if self.clear(box_of(keys), [box_of(self.name), *self.tick_rows()]):
                return True
        corner, inward = corners[0]
        keys.move_to(corner + inset(inward), aligned_edge=-inward)
        return False

    def tick_rows(self) -> list[Box]:
        """Where the y tick labels stand, left of the axis, reaching TICK_ROOM right of it: the
        keys keep that clear of them."""
        left = self.box.scene_bounds[0]
        rows = []
        for decade in decade_labels(*self.decades):
            y = self.box.c2p(self.box.x_span[0], decade)[1]
            rows.append((left - 1.0, y - TICK_ROW, left, y + TICK_ROW))
        return [(a, b, c + TICK_ROOM, d) for a, b, c, d in rows]

    def make_numbers(self) -> list[VMobject | None]:
        """Each dot's spread beside it where it is clear of the curves, the dots, the
        keys and the numbers placed before: the smallest and largest batch sizes'
        first. A number with no such place is left out (the notes say it)."""
        # each key's row: a short one leaves room over it, under the line
        taken = [*(box_of(row) for row in self.keys), box_of(self.name)]
        numbers: list[VMobject | None] = [None] * len(self.levels)
        last = len(self.levels) - 1
        for k in dict.fromkeys([0, last, *range(1, last)]):
            number = tick_label(self.palette, self.numbers[k], "spread")
            # roomy if it can be, else as close as the clearance allows
            best = self.number_spot(k, number, taken, NUMBER_ROOM)
            if best is None:
                best = self.number_spot(k, number, taken, CLEARANCE)
            if best is not None:
                numbers[k] = number.move_to(best)
                taken.append(box_of(number))
        return numbers

    def number_spot(
        self, k: int, number: VMobject, taken: list[Box], room: float
    ) -> Points | None:
        """The centre nearest dot k that keeps `number` `room` clear of the curves,
        the dots and the boxes `taken`, inside the plot; None if none does."""
        left, bottom, right, top = self.box.scene_bounds
        best: tuple[float, Points] | None = None
        for du, dv in itertools.product(NUMBER_OFFSETS, NUMBER_OFFSETS):
            centre = self.spots[k] + np.array([du * 1.5, dv, 0.0])
            number.move_to(centre)
            spot = box_of(number)
            inside = spot[0] >= left + CLEARANCE and spot[2] <= right
            inside &= spot[1] >= bottom and spot[3] <= top
            nearest = np.linalg.norm(self.spots[:, :2] - centre[:2], axis=1)
            inside &= int(np.argmin(nearest)) == k  # reads as its dot's
            if not inside or not self.clear(box_of(number, room - CLEARANCE), taken):
                continue
            # how far the number is from its dot; under the curves costs more
            x, y = self.spots[k][:2]
            across = max(spot[0] - x, x - spot[2], 0.0)
            up = max(spot[1] - y, y - spot[3], 0.0)
            cost = math.hypot(across, up) + (BELOW_COST if dv < 0 else 0.0)
            if best is None or cost < best[0]:
                best = (cost, centre)
        return None if best is None else best[1]

    def moving(self, clock: LeadClock) -> list[Mobject]:
        """Each size's measured spread, a dot and its number, from its beat on."""
        parts: list[Mobject] = []
        for k, (spot, number) in enumerate(zip(self.spots, self.labels, strict=True)):
            dot = Dot(spot, radius=DOT_RADIUS, color=self.palette.data)
            mark = VGroup(dot) if number is None else VGroup(dot, number)

            def reached(k: int = k) -> bool:
                return clock.tracker.get_value() >= k + 1 - 1e-9

            parts.append(shown_while(mark, reached))
        return parts
