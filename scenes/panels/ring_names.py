"""Each batch size's name beside its ellipse on the parameter plane ("B = 5"), for
the beats after its own, when the ellipse stays behind as a thin muted ring.

A name goes outside its ellipse, as near it as it can be clear of everything drawn
while it shows: every ellipse, the later sizes' steps, the full step, the contours
and their losses (`also`) and the names placed before it. Where the rings lie too
close for it, it goes further out along the same ray, a thin line (its leader) back
to its ring, which crosses no other ring nor contour where it can, else cuts a gap
in them as it crosses. A name with no clear place is left out.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import DL, UR, Line, Mobject, VGroup

from scenes.geometry import PlotBox
from scenes.noise_geometry import ELLIPSE_POINTS, NoiseLevel, ellipse
from scenes.placement import Ink, Rect, grown, within
from scenes.text import label
from scenes.theme import Palette

NAME_GAP = 0.08  # from an ellipse to its name's nearest edge
NAME_ROOM = 0.08  # kept clear round a name of every other mark
LABEL_ROOM = 0.35  # and round it of the other words: the contours' losses, the names
SIDES = 24  # directions round the ellipse a name may sit in
TIP_ROOM = 0.2  # round the full step's tip: its arrowhead and the ring on it
FURTHER = np.arange(0.0, 2.01, 0.1)  # how much further out a name may go than NAME_GAP
LEADER_WIDTH = 1.0
TOUCHING = 0.04  # a leader shorter than this is left out: the name is by its ring
LEADER_SHORT = 0.03  # a leader stops this short of its name
LEADER_GAP = 12.0  # the gap a crossing leader cuts in the lines it crosses


def ring_names(
    palette: Palette,
    levels: Sequence[NoiseLevel],
    start: np.ndarray,
    box: PlotBox,
    also: Ink,
    under: Ink | None = None,
) -> list[VGroup | None]:
    """Every size's name but the last's (its ring is never left behind), placed in
    `box` with its leader (empty if it sits by its ring), or None if nowhere is
    clear. `under`: lines a name keeps off and a leader may cross (the contours)."""
    rings = [scene(box, ellipse(start + lv.mean, lv.covariance)) for lv in levels]
    centre = scene(box, start[None, :])
    tip = scene(box, (start + levels[0].full)[None, :])
    names: list[VGroup | None] = []
    placed = Ink().extend(also)
    for k, level in enumerate(levels[:-1]):
        # what neither a name nor a leader may cross, then the rings: only a name
        marks = Ink().add_segments(centre, tip).extend(placed)
        marks.add_points(tip + TIP_ROOM * np.array([[0, 0, 0], [1, 0, 0], [-1, 0, 0]]))
        marks.add_points(tip + TIP_ROOM * np.array([[0, 1, 0], [0, -1, 0]]))
        for later in levels[k + 1 :]:
            ends = box.clip_rays(centre[0], scene(box, start + later.steps))
            marks.add_segments(np.repeat(centre, len(ends), axis=0), ends)
        ink = Ink().extend(marks)
        if under is not None:
            ink.extend(under)
        for ring in rings:
            for run in box.inside_runs(ring):
                ink.add_polyline(run)
        name = label(palette, f"B = {level.size}", palette.tick_size, palette.muted)
        spots = [
            (rect, leader)
            for rect, leader in beside(rings[k], name.width, name.height)
            if within(rect, box.scene_bounds)
            and not ink.crowding(grown(rect, NAME_ROOM))
            and not placed.crowding(grown(rect, LABEL_ROOM))
            and not crosses(marks, leader)
        ]
        if not spots:
            names.append(None)
            continue
        # a leader that crosses no other ring nor contour if there is one; else it
        # crosses them through a gap cut in the background's colour
        avoid = Ink().extend(marks).extend(under or Ink())
        for other in rings[:k] + rings[k + 1 :]:
            for run in box.inside_runs(other):
                avoid.add_polyline(run)
        clear = [spot for spot in spots if not crosses(avoid, spot[1])]
        rect, leader = (clear or spots)[0]
        line = Line(*leader, stroke_color=palette.muted, stroke_width=LEADER_WIDTH)
        if not clear:
            line.set_background_stroke(color=palette.background, width=LEADER_GAP)
        if np.linalg.norm(leader[1] - leader[0]) < 1e-9:
            line.clear_points()
        left, bottom, right, top = rect
        name.move_to(np.array([(left + right) / 2, (bottom + top) / 2, 0]))
        names.append(VGroup(line, name))
        placed.extend(rect_ink(rect)).add_segments(leader[:1], leader[1:])
    return names


def scene(box: PlotBox, params: np.ndarray) -> np.ndarray:
    """Parameter rows (m, 2) as scene points (m, 3) in `box`."""
    return box.to_points(params[:, 0], params[:, 1])


def beside(
    ring: np.ndarray, width: float, height: float
) -> list[tuple[Rect, np.ndarray]]:
    """Boxes of `width` × `height` outside a closed ellipse `ring` (m, 3), nearest
    first: along the ray through each of SIDES corners of it, NAME_GAP and further
    off it, each with its leader from the corner to LEADER_SHORT short of the box."""
    corners = ring[:-1:, :2]
    mid = corners.mean(axis=0)
    spots: list[tuple[float, Rect, np.ndarray]] = []
    for point in corners[:: max(ELLIPSE_POINTS // SIDES, 1)]:
        outward = (point - mid) / max(float(np.linalg.norm(point - mid)), 1e-9)
        reach = abs(outward[0]) * width / 2 + abs(outward[1]) * height / 2
        # from the box's centre back along the ray to its edge: the leader ends
        # short of the box there, not of its far corner
        edge = min(
            width / 2 / max(abs(float(outward[0])), 1e-9),
            height / 2 / max(abs(float(outward[1])), 1e-9),
        )
        for out in FURTHER:
            x, y = point + outward * (NAME_GAP + out + reach)
            rect = (x - width / 2, y - height / 2, x + width / 2, y + height / 2)
            # none where the name's box meets the ray right by the ring: a name off
            # it along a slanting ray stands clear of it, and is led to it too
            length = out + reach - edge
            length = length + NAME_GAP - LEADER_SHORT if length > TOUCHING else 0.0
            leader = np.array([point, point + outward * length])
            spots.append((float(out), rect, np.pad(leader, [(0, 0), (0, 1)])))
    # nearest first: the least further out, then the shortest leader
    spots.sort(
        key=lambda spot: (spot[0], float(np.linalg.norm(spot[2][1] - spot[2][0])))
    )
    return [(rect, leader) for _, rect, leader in spots]


def crosses(marks: Ink, leader: np.ndarray) -> bool:
    """Whether a leader (2, 3) comes within NAME_ROOM of any of `marks`."""
    length = float(np.linalg.norm(leader[1] - leader[0]))
    if length < 1e-9:
        return False
    along = np.linspace(leader[0], leader[1], int(np.ceil(length / NAME_ROOM)) + 1)
    return any(marks.crowding(grown((x, y, x, y), NAME_ROOM)) for x, y, _ in along)


def rect_ink(rect: Rect) -> Ink:
    """A name's box as ink other marks keep off: its edges and points across it."""
    left, bottom, right, top = rect
    xs, ys = np.meshgrid(np.linspace(left, right, 5), np.linspace(bottom, top, 3))
    edges = np.array(
        [[left, bottom], [right, bottom], [right, top], [left, top], [left, bottom]]
    )
    return (
        Ink().add_polyline(edges).add_points(np.column_stack([xs.ravel(), ys.ravel()]))
    )


def names_ink(names: Sequence[Mobject | None]) -> Ink:
    """Texts' boxes as ink, and their leaders (a name's VGroup's first part)."""
    ink = Ink()
    for name in names:
        if name is None:
            continue
        words = name[1] if isinstance(name, VGroup) else name
        left, bottom, _ = words.get_corner(DL)
        right, top, _ = words.get_corner(UR)
        ink.extend(rect_ink((left, bottom, right, top)))
        if isinstance(name, VGroup) and len(name[0].points):
            ink.add_segments(name[0].get_start()[None, :], name[0].get_end()[None, :])
    return ink
