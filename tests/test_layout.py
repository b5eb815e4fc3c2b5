"""Layout of every scene, both themes, at several steps: no text on text, all inside.

Each scene is built with `plan_only` from committed runs (its default runs, and runs
that diverge), the replay is moved to a few steps, and the bounding boxes of what is
drawn are read off the mobjects: no video is rendered. Three rules (issue 13):

- no text overlaps another text or a tick label (Text, Readout, TextPath, and each
  label of a TickLabels path);
- everything lies inside the frame's 5% safe margin;
- what a scene declares with `keep_inside` stays inside its plot's box.

A 3-D scene's flat parts (fixed in the frame) are checked; its 3-D parts are not.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, replace
from dataclasses import fields as fields_of
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from manim import MarkupText, Mobject, Text, VMobject, config, tempconfig

from scenes.panels.axes import TickLabels
from scenes.readout import Readout
from scenes.text import TextPath
from scenes.theme import PALETTES, Palette
from sgd_anim.registry import SCENES
from sgdcore.trace import Trace

CONTROL_DATA = Path(__file__).resolve().parent / "control_data"
TOLERANCE = 0.02  # scene units: a touch, not an overlap
# A line clipped at a plot's edge straddles it by half its stroke, and a point on the
# edge by its radius (0.11 at most): the geometry stays in, the ink may not.
EDGE_INK = 0.12
SAFE = 0.95  # of the frame's half-width and half-height
LINE_WIDTH = 0.01  # scene units per unit of stroke width (manim's Cairo camera)
# Texts, each checked whole; each label of a TickLabels path counts as one too
TEXTS = (Text, MarkupText, Readout, TextPath)

# Each case: (scene, committed runs "<folder>/<prefix>-run*.npz"). Every scene's default
# runs, and runs that diverge, whose notes and markers the default runs never show.
CASES = {name: (name, "default") for name in SCENES} | {
    "fit_line_diverged": ("fit_line", "fit_line_diverged"),
    "landscape_diverged": ("landscape", "landscape_diverged"),
    "lr_too_high_final": ("lr_too_high", "lr_too_high_final"),
    "optimizers_one_diverged": ("optimizers", "optimizers_one_diverged"),
    "lr_too_low_double_well": ("lr_too_low", "lr_too_low_double_well"),
    "lr_too_high_double_well": ("lr_too_high", "lr_too_high_double_well"),
}

Box = tuple[float, float, float, float]  # left, bottom, right, top


@dataclass(frozen=True)
class Mark:
    """One drawn thing: a text (a whole label or readout) or a graphic's leaf."""

    is_text: bool
    words: str  # the text shown, or the graphic's class
    box: Box  # stroke included
    paints: tuple[tuple[str, float], ...]  # (colour "#RRGGBB", opacity) it is drawn in
    flat: bool  # in frame coordinates (always, but in a 3-D scene's 3-D parts)

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
    return Mark(
        is_text=isinstance(mobject, TEXTS),
        words=words_of(mobject),
        box=(float(left), float(bottom), float(right), float(top)),
        paints=tuple(dict.fromkeys(p for leaf in leaves for p in paints_of(leaf))),
        flat=fixed is None or mobject in fixed,
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
        yield Mark(True, text, (left, bottom, right, top), paints, flat)


def named(mark: Mark, palette: Palette) -> Mark:
    """A graphic's mark named by its class and its palette colours."""
    if mark.is_text:
        return mark
    names = {}
    for field in reversed(fields_of(palette)):  # the first field of a colour wins
        value = getattr(palette, field.name)
        if isinstance(value, str) and value.startswith("#"):
            names[value.upper()] = field.name
    colours = "/".join(names.get(colour.upper(), colour) for colour, _ in mark.paints)
    return replace(mark, words=f"{mark.words} ({colours})")


def runs_of(case: str) -> list[Trace]:
    """The case's committed runs."""
    scene, prefix = CASES[case]
    paths = sorted((CONTROL_DATA / scene).glob(f"{prefix}-run*.npz"))
    assert paths, f"no committed runs {prefix}-run*.npz in {CONTROL_DATA / scene}"
    return [Trace.load(path) for path in paths]


def steps_of(last: int) -> list[float]:
    """The start, the first step, mid-way through the second, the middle, the end."""
    return sorted({0.0, min(1.0, last), min(1.5, last), float(last // 2), float(last)})


@cache
def snapshots(case: str, theme: str) -> tuple[Snapshot, ...]:
    """The case's scene, planned but not played, seen at each of `steps_of`."""
    spec = SCENES[CASES[case][0]]
    settings = {"disable_caching": True, "verbosity": "WARNING", "frame_rate": 15}
    with tempconfig(settings):
        palette = PALETTES[theme]
        scene = spec.scene_class()(
            *runs_of(case), pace=spec.pace, palette=palette, plan_only=True
        )
        scene.construct()
        fixed = getattr(scene.renderer.camera, "fixed_in_frame_mobjects", None)
        frame = (float(config.frame_width), float(config.frame_height))

        def marks(mobjects: list[Mobject]) -> tuple[Mark, ...]:
            seen: set[int] = set()
            found = (m for mob in mobjects for m in marks_in(mob, fixed, seen))
            return tuple(named(mark, palette) for mark in found)

        shots = []
        for step in steps_of(max(trace.n_steps for trace in scene.traces)):
            scene.move_to_step(step)
            shown = marks([*scene.statics, *scene.movers[1:]])
            regions = tuple((box.scene_bounds, marks(m)) for box, m in scene.regions)
            shots.append(Snapshot(step, frame, shown, regions, fixed is not None))
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


CASE_THEMES = [
    pytest.param(case, theme, id=f"{case}-{theme}")
    for case in CASES
    for theme in PALETTES
]


@pytest.mark.parametrize("case", CASES)
def test_the_walk_finds_titles_tick_labels_and_graphics(case: str) -> None:
    for shot in snapshots(case, "dark"):
        words = [mark.words for mark in shot.marks if mark.is_text]
        assert len(words) >= 3 and any(not mark.is_text for mark in shot.marks)
        assert shot.three_d or "tick label" in words, words


@pytest.mark.parametrize(("case", "theme"), CASE_THEMES)
def test_no_text_overlaps_another_text_or_tick_label(case: str, theme: str) -> None:
    problems: dict[str, list[float]] = {}
    for shot in snapshots(case, theme):
        # a 3-D scene's labels in the world are checked as projected, in its own tests
        texts = [mark for mark in shot.marks if mark.is_text and mark.flat]
        for first, second in itertools.combinations(texts, 2):
            if overlap(first.box, second.box):
                note(problems, f"{first} overlaps {second}", shot.step)
    assert not problems, report(case, theme, problems)


@pytest.mark.parametrize(("case", "theme"), CASE_THEMES)
def test_everything_lies_inside_the_safe_margin(case: str, theme: str) -> None:
    problems: dict[str, list[float]] = {}
    for shot in snapshots(case, theme):
        half_width, half_height = (SAFE * size / 2 for size in shot.frame)
        safe = (-half_width, -half_height, half_width, half_height)
        where = f"outside the safe area x ±{half_width:.2f}, y ±{half_height:.2f}"
        for mark in shot.marks:
            if mark.flat and outside(mark.box, safe):
                note(problems, f"{mark} {where}", shot.step)
    assert not problems, report(case, theme, problems)


@pytest.mark.parametrize(("case", "theme"), CASE_THEMES)
def test_what_a_plot_keeps_inside_stays_in_its_box(case: str, theme: str) -> None:
    shots = snapshots(case, theme)
    problems: dict[str, list[float]] = {}
    if not shots[0].three_d and not shots[0].regions:
        note(problems, "the scene declares nothing it keeps in a plot (keep_inside)", 0)
    for shot in shots:
        for bounds, marks in shot.regions:
            left, bottom, right, top = bounds
            box = f"x {left:.2f}..{right:.2f}, y {bottom:.2f}..{top:.2f}"
            for mark in marks:
                if mark.flat and outside(mark.box, bounds, EDGE_INK):
                    note(problems, f"{mark} leaves its plot [{box}]", shot.step)
    assert not problems, report(case, theme, problems)
