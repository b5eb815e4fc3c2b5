"""The parabola scenes' zoom badge: `w axis zoomed in 80×` above a plot whose view
follows its run, the first view's w span over the one drawn now, to two significant
digits.
Planned on the committed default runs, nothing rendered."""

from __future__ import annotations

import math

import pytest
from manim import Mobject

from scenes.numbers import THIN
from scenes.panels.axes import AxesDrawing
from scenes.panels.parabola import HOP_SAMPLES, Parabola, run_view
from scenes.panels.zoom_badge import BADGE, SHOWN_FROM, zoom_words
from scenes.readout import Readout
from scenes.replay import ReplayScene
from scenes.theme import PALETTES
from tests.planned import planned_default

STEPS = (0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 7.0, 10.0, 12.0)


def members(scene: ReplayScene) -> list[Mobject]:
    """Everything the scene draws, once each."""
    found: dict[int, Mobject] = {}
    for mobject in [*scene.statics, *scene.movers[1:]]:
        found.update((id(m), m) for m in mobject.get_family())
    return list(found.values())


def badges(scene: ReplayScene) -> list[Readout]:
    """The zoom badges, left to right."""
    shown = [m for m in members(scene) if getattr(m, "role", "") == BADGE]
    assert all(isinstance(badge, Readout) for badge in shown)
    return sorted(shown, key=lambda badge: badge.origin[0])  # type: ignore[misc]


def axes_under(scene: ReplayScene, badge: Readout) -> AxesDrawing:
    """The plot whose right end the badge ends at."""
    right = badge.origin[0] + badge.n_chars * badge.atlas.pitch
    ends = {
        id(plot): (abs(plot.box.corner[0] + plot.box.size[0] - right), plot)
        for plot in members(scene)
        if isinstance(plot, AxesDrawing) and plot.box is not None
    }
    return min(ends.values(), key=lambda end: end[0])[1]


def spans(plot: AxesDrawing) -> tuple[float, float]:
    """The x (w) and y (f) spans of the plot as last drawn."""
    assert plot.box is not None
    (left, right), (low, high) = plot.box.x_span, plot.box.y_span
    return right - left, high - low


def shown_ratio(text: str) -> float:
    """The ratio a badge says of the w axis (`w axis zoomed in 8×`, or in a narrow
    panel `w zoomed out 10×`): above 1 zoomed in, below 1 zoomed out."""
    words = text.removeprefix("w axis ").removeprefix("w ").split(" ", 2)
    assert text.startswith("w ") and words[0] == "zoomed", text
    assert words[1] in ("in", "out") and text.endswith("×"), text
    times = float(words[2].removesuffix("×").replace(THIN, ""))
    return times if words[1] == "in" else 1 / times


def two_digits_off(said: float, true: float) -> bool:
    """Whether `said` is `true` in whole times, to two significant digits from 10,
    either way up."""
    said, true = (said, true) if true >= 1 else (1 / said, 1 / true)
    half_digit = 0.5 * 10.0 ** max(math.floor(math.log10(true)) - 1, 0)
    return abs(said - true) <= half_digit * (1 + 1e-9)


@pytest.mark.parametrize(
    ("ratio", "words"),
    [
        (1.0, ""),
        (1.99, ""),
        (1 / 1.99, ""),
        (2.0, "zoomed in 2×"),
        (7.6, "zoomed in 8×"),
        (9.6, "zoomed in 10×"),
        (80.4, "zoomed in 80×"),
        (1234.0, "zoomed in 1200×"),
        (12_345.0, f"zoomed in 12{THIN}000×"),
        (1 / 120.0, "zoomed out 120×"),
        (1e-7, f"zoomed out 10{THIN}000{THIN}000×"),
    ],
)
def test_zoom_words_say_whole_times_grouped_never_e_notation(
    ratio: float, words: str
) -> None:
    assert zoom_words(ratio) == words


@pytest.mark.parametrize(
    ("name", "n_badges"), [("lr_just_right", 1), ("lr_too_high", 1), ("lr_compare", 1)]
)
def test_badge_says_the_first_w_span_over_the_drawn_one(
    name: str, n_badges: int
) -> None:
    scene = planned_default(name)
    shown = badges(scene)
    assert len(shown) == n_badges  # a panel whose view never moves has none
    scene.move_to_step(0.0)
    plots = [axes_under(scene, badge) for badge in shown]
    first = [spans(plot) for plot in plots]
    said_something = False
    last = max(trace.n_steps for trace in scene.traces)
    for step in [s for s in STEPS if s <= last]:
        scene.move_to_step(step)
        for badge, plot, (first_w, _) in zip(shown, plots, first, strict=True):
            ratio, text = first_w / spans(plot)[0], badge.shown or ""
            if 1 / SHOWN_FROM < ratio < SHOWN_FROM:
                assert text == "", (step, text, ratio)
                continue
            said_something = True
            assert "e" not in text.split()[-1], text
            assert two_digits_off(shown_ratio(text), ratio), (step, text, ratio)
    assert said_something


def finished_at(name: str, step: int) -> tuple[int, int]:
    """Of the whole hops before `step` with both ends in view: how many, and how many
    the trail draws."""
    trace = planned_default(name).trace
    view = run_view(trace, (-5.5, -3.2), (6.1, 5.2))
    parabola = Parabola(PALETTES["dark"], trace, view, "#FF8800")
    box = view.box(step)
    inside = box.contains(parabola.points(box)[: step + 1])
    curves = parabola.finished_hops(box, parabola.points(box), step)
    per_hop = 4 * (HOP_SAMPLES - 1)  # a cubic Bézier per segment of the arc
    return int((inside[:-1] & inside[1:]).sum()), len(curves) // per_hop


def test_a_view_that_zooms_in_only_between_hops_keeps_every_hop_in_view() -> None:
    in_view, drawn = finished_at("lr_just_right", 3)  # it zoomed after hop 2 → 3
    assert drawn == in_view >= 1


def test_a_view_that_only_widens_keeps_every_hop_in_view() -> None:
    in_view, drawn = finished_at("lr_too_high", 10)
    assert drawn == in_view >= 5
