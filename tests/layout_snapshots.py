"""What a scene draws at a few steps of its replay, read off its mobjects.

Each scene is built with `plan_only` from committed runs, the replay is moved to a
few steps, and every text (a whole label or readout, each tick label on its own) and
every graphic leaf is recorded with its box, colours and, for graphics, points along
its outline. No video is rendered. tests/test_layout.py and tests/test_text_on_data.py
check these snapshots.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from dataclasses import fields as fields_of
from functools import cache
from pathlib import Path

import numpy as np
import numpy.typing as npt
from manim import MarkupText, Mobject, Text, VMobject, config, tempconfig

from scenes.panels.axes import AxesDrawing, TickLabels
from scenes.readout import Readout
from scenes.text import TextPath
from scenes.theme import PALETTES, Palette
from sgd_anim.registry import SCENES
from sgdcore.trace import Trace
from tests.outlines import sampled
from tests.planned import planned_on

CONTROL_DATA = Path(__file__).resolve().parent / "control_data"
TOLERANCE = 0.02  # scene units: a touch, not an overlap
# A line clipped at a plot's edge straddles it by half its stroke, and a point on the
# edge by its radius (0.11 at most): the geometry stays in, the ink may not.
EDGE_INK = 0.12
# The safe area: 5% of the frame's width in from either side, 5% of its height in from
# top and bottom (SAFE_HEIGHT: the share of the height left between them)
SIDE_MARGIN, SAFE_HEIGHT = 0.05, 0.9
LINE_WIDTH = 0.01  # scene units per unit of stroke width (manim's Cairo camera)
# Texts, each checked whole; each label of a TickLabels path counts as one too
TEXTS = (Text, MarkupText, Readout, TextPath)

# Each case: (scene, committed runs "<folder>/<prefix>-run*.npz"). Every scene's default
# runs, and runs that diverge, whose notes and markers the default runs never show.
CASES = (
    {name: (name, "default") for name in SCENES}
    | {
        "fit_line_diverged": ("fit_line", "fit_line_diverged"),
        "landscape_diverged": ("landscape", "landscape_diverged"),
        "lr_too_high_final": ("lr_too_high", "lr_too_high_final"),
        "optimizers_one_diverged": ("optimizers", "optimizers_one_diverged"),
        "lr_too_low_double_well": ("lr_too_low", "lr_too_low_double_well"),
        "lr_too_high_double_well": ("lr_too_high", "lr_too_high_double_well"),
    }
    | {
        # A lecturer's own points (x from 0 to 10), in every scene that fits a line
        f"{name}_user_data": (name, "user_data")
        for name in ("fit_line", "minibatch", "landscape", "surface_3d", "optimizers")
    }
)

Box = tuple[float, float, float, float]  # left, bottom, right, top
TICK_LABEL = "tick label"


@dataclass(frozen=True)
class Mark:
    """One drawn thing: a text (a whole label or readout) or a graphic's leaf."""

    is_text: bool
    words: str  # the text shown, or the graphic's class
    box: Box  # stroke included
    paints: tuple[tuple[str, float], ...]  # (colour "#RRGGBB", opacity) it is drawn in
    flat: bool  # in frame coordinates (always, but in a 3-D scene's 3-D parts)
    # a graphic's outline, sampled densely: shape (m, 2); empty for a text
    outline: npt.NDArray[np.float64] = field(
        default_factory=lambda: np.zeros((0, 2)), compare=False, repr=False
    )
    role: str = ""  # what a text is: "tick label", "axis name", "verdict" or ""

    def __str__(self) -> str:
        left, bottom, right, top = self.box
        return f"{self.words!r} [x {left:.2f}..{right:.2f}, y {bottom:.2f}..{top:.2f}]"


@dataclass(frozen=True)
class Snapshot:
    """What one scene draws at one step of its replay."""

    step: float
    frame: tuple[float, float]  # width and height, centred on 0
    marks: tuple[Mark, ...]
    regions: tuple[tuple[Box, tuple[Mark, ...]], ...]  # a plot's box, what stays in
    three_d: bool
    plots: tuple[Box, ...] = ()  # every 2-D plot's box, as its axes are drawn


def words_of(mobject: Mobject) -> str:
    """The words a text shows (a TextPath's only if it was given `words`)."""
    if isinstance(mobject, (Text, MarkupText)):
        return str(mobject.original_text)
    if isinstance(mobject, Readout):
        return mobject.shown or ""
    return str(getattr(mobject, "words", type(mobject).__name__))


def paints_of(leaf: VMobject) -> list[tuple[str, float]]:
    """The colours a leaf puts on screen, with their opacities."""
    paints = []
    if leaf.get_fill_opacity() > 0:
        paints.append((leaf.get_fill_color().to_hex(), float(leaf.get_fill_opacity())))
    if leaf.get_stroke_width() > 0 and leaf.get_stroke_opacity() > 0:
        stroke = leaf.get_stroke_color().to_hex()
        paints.append((stroke, float(leaf.get_stroke_opacity())))
    return paints


def mark_of(
    mobject: VMobject, leaves: list[VMobject], fixed: set[Mobject] | None
) -> Mark:
    """The mark `leaves` make: a text's glyphs, or one graphic leaf alone."""
    points = np.vstack([leaf.points for leaf in leaves])[:, :2]
    widths = [
        leaf.get_stroke_width()
        for leaf in leaves
        if leaf.get_stroke_width() > 0 and leaf.get_stroke_opacity() > 0
    ]
    pad = max(widths, default=0.0) * LINE_WIDTH / 2  # half the stroke lies outside
    (left, bottom), (right, top) = points.min(axis=0) - pad, points.max(axis=0) + pad
    is_text = isinstance(mobject, TEXTS)
    return Mark(
        is_text=is_text,
        words=words_of(mobject),
        box=(float(left), float(bottom), float(right), float(top)),
        paints=tuple(dict.fromkeys(p for leaf in leaves for p in paints_of(leaf))),
        flat=fixed is None or mobject in fixed,
        role=str(getattr(mobject, "role", "")) if is_text else "",
        outline=np.zeros((0, 2)) if is_text else sampled(leaves),
    )


def marks_in(
    mobject: Mobject, fixed: set[Mobject] | None, seen: set[int]
) -> Iterator[Mark]:
    """Every text (as a whole) and every graphic leaf under `mobject`, once each."""
    if id(mobject) in seen:
        return
    seen.add(id(mobject))
    if isinstance(mobject, TickLabels):  # every tick label of a plot, one path
        yield from tick_marks(mobject, fixed)
        return
    if isinstance(mobject, TEXTS):
        glyphs = [
            m
            for m in mobject.family_members_with_points()
            if isinstance(m, VMobject) and paints_of(m)
        ]
        if glyphs:
            yield mark_of(mobject, glyphs, fixed)
        return
    if isinstance(mobject, VMobject) and len(mobject.points) and paints_of(mobject):
        yield mark_of(mobject, [mobject], fixed)
    for child in mobject.submobjects:
        yield from marks_in(child, fixed, seen)


def tick_marks(labels: TickLabels, fixed: set[Mobject] | None) -> Iterator[Mark]:
    """One text mark per tick label, from the extents the path keeps."""
    if not len(labels.points):
        return
    words = getattr(labels, "texts", None) or ["tick label"] * len(labels.boxes)
    paints = tuple(paints_of(labels))
    for text, box in zip(words, labels.boxes, strict=True):
        left, bottom, right, top = (float(edge) for edge in box)
        flat = fixed is None or labels in fixed
        box = (left, bottom, right, top)
        yield Mark(True, text, box, paints, flat, role=TICK_LABEL)


def named(mark: Mark, palette: Palette) -> Mark:
    """A graphic's mark named by its class and its palette colours."""
    if mark.is_text:
        return mark
    names = {}
    for colour in reversed(fields_of(palette)):  # the first field of a colour wins
        value = getattr(palette, colour.name)
        if isinstance(value, str) and value.startswith("#"):
            names[value.upper()] = colour.name
    colours = "/".join(names.get(colour.upper(), colour) for colour, _ in mark.paints)
    return replace(mark, words=f"{mark.words} ({colours})")


def plot_boxes(mobjects: list[Mobject]) -> tuple[Box, ...]:
    """The box of every 2-D plot's axes among `mobjects`, as last drawn."""
    boxes = {
        id(member): member.box.scene_bounds
        for mobject in mobjects
        for member in mobject.get_family()
        if isinstance(member, AxesDrawing) and member.box is not None
    }
    return tuple(boxes.values())


def runs_of(case: str) -> list[Trace]:
    """The case's committed runs."""
    scene, prefix = CASES[case]
    paths = sorted((CONTROL_DATA / scene).glob(f"{prefix}-run*.npz"))
    assert paths, f"no committed runs {prefix}-run*.npz in {CONTROL_DATA / scene}"
    return [Trace.load(path) for path in paths]


def steps_of(last: int, beats: list[float] | None = None) -> list[float]:
    """The start, the first step, mid-way through the second, the middle, the end,
    and every step where a beat of the clip begins or ends."""
    steps = {0.0, min(1.0, last), min(1.5, last), float(last // 2), float(last)}
    return sorted(steps | set(beats or ()))


@cache
def snapshots(case: str, theme: str) -> tuple[Snapshot, ...]:
    """The case's scene, planned but not played, seen at each of `steps_of`."""
    settings = {"disable_caching": True, "verbosity": "WARNING", "frame_rate": 15}
    scene = planned_on(*CASES[case], theme, 15)  # shared with tests/shown_numbers.py
    with tempconfig(settings):
        palette = PALETTES[theme]
        fixed = getattr(scene.renderer.camera, "fixed_in_frame_mobjects", None)
        frame = (float(config.frame_width), float(config.frame_height))

        def marks(mobjects: list[Mobject]) -> tuple[Mark, ...]:
            seen: set[int] = set()
            found = (m for mob in mobjects for m in marks_in(mob, fixed, seen))
            return tuple(named(mark, palette) for mark in found)

        shots = []
        assert scene.schedule is not None
        edges = [
            edge for beat in scene.schedule.beats for edge in (beat.start, beat.end)
        ]
        for step in steps_of(max(trace.n_steps for trace in scene.traces), edges):
            scene.move_to_step(step)
            shown = marks([*scene.statics, *scene.movers[1:]])
            regions = tuple((box.scene_bounds, marks(m)) for box, m in scene.regions)
            plots = plot_boxes([*scene.statics, *scene.movers[1:]])
            three_d = fixed is not None
            shots.append(Snapshot(step, frame, shown, regions, three_d, plots))
    return tuple(shots)


def overlap(first: Box, second: Box) -> bool:
    """Whether two boxes overlap by more than the tolerance, across and up."""
    across = min(first[2], second[2]) - max(first[0], second[0])
    up = min(first[3], second[3]) - max(first[1], second[1])
    return across > TOLERANCE and up > TOLERANCE


def outside(box: Box, bounds: Box, tolerance: float = TOLERANCE) -> bool:
    """Whether `box` reaches past `bounds` by more than `tolerance`."""
    below = min(box[0] - bounds[0], box[1] - bounds[1])  # left of or under it
    above = max(box[2] - bounds[2], box[3] - bounds[3])  # right of or over it
    return below < -tolerance or above > tolerance


def note(problems: dict[str, list[float]], problem: str, step: float) -> None:
    """Add `problem` at `step` (once per step)."""
    steps = problems.setdefault(problem, [])
    if step not in steps:
        steps.append(step)


def report(case: str, theme: str, problems: dict[str, list[float]]) -> str:
    """One line per problem, with the steps it shows at."""
    lines = [
        f"  steps {', '.join(f'{s:g}' for s in steps)}: {problem}"
        for problem, steps in problems.items()
    ]
    return f"{case} ({theme}), {len(lines)} problem(s):\n" + "\n".join(lines)
