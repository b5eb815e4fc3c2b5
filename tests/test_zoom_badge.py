"""The parabola scenes' zoom badge: `zoomed in: w 30×, f 1000×` above a plot whose
view follows its run, each axis' first span over the one drawn now: exactly at
rest (the view zooms by the round factors it names, or the badge says `≈`), to two
significant digits while the axes zoom.
Planned on the committed default runs and a few others, nothing rendered."""

from __future__ import annotations

import math

import pytest
from manim import Mobject

from scenes.learning_rate import BADGE_LEFT
from scenes.numbers import THIN
from scenes.panels.axes import AxesDrawing
from scenes.panels.parabola import HOP_SAMPLES, Parabola, run_view
from scenes.panels.zoom_badge import (
    BADGE,
    EXACT,
    SHOWN_FROM,
    both_words,
    zoom_words,
)
from scenes.readout import Readout
from scenes.replay import ReplayScene
from scenes.theme import PALETTES
from sgd_anim.registry import SCENES
from sgdcore.config import RunOptions
from tests.conftest import PLANS
from tests.planned import plan_scene, planned_default

pytestmark = pytest.mark.xdist_group(PLANS)

STEPS = (0.0, 0.5, 0.9, 1.0, 1.2, 1.5, 1.9, 2.0, 2.2, 2.5, 3.0, 4.0, 7.0, 10.0, 12.0)


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


def said_by(badge: Readout) -> str:
    """A badge's words, on one row or two (`zoomed out:` over `w 10×, f 100×`)."""
    said: str = getattr(badge, "said", "")
    assert said.endswith(badge.shown or ""), (said, badge.shown)
    return said


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


def shown_ratios(text: str) -> dict[str, tuple[float, bool]]:
    """The ratio a badge says of each axis it names (`zoomed in: w 30×, f 1000×`,
    or axes zoomed opposite ways `w out 3×, f in 2×`): above 1 zoomed in, below 1
    zoomed out; and whether it says it exactly (no `≈`)."""
    way, colon, rest = text.partition(": ")
    if colon:
        way = way.removeprefix("zoomed ")
        assert way in ("in", "out"), text
        parts = [part.split(" ") for part in rest.split(", ")]
        said = [(name, way, times) for name, times in parts]
    else:
        said = [tuple(part.split(" ")) for part in text.split(", ")]  # type: ignore[misc]
    ratios = {}
    for name, direction, times in said:
        assert name in ("w", "f") and direction in ("in", "out"), text
        assert times.endswith("×") and "e" not in times, text
        exact = not times.startswith("≈")
        size = float(times.removeprefix("≈").removesuffix("×").replace(THIN, ""))
        ratios[name] = (size if direction == "in" else 1 / size, exact)
    return ratios


def said_truly(said: tuple[float, bool], true: float) -> bool:
    """Whether a factor said is the true ratio: exactly, or (`≈`) to two
    significant digits and not exactly."""
    size, exact = said
    if exact:
        return abs(size - true) <= EXACT * max(size, 1 / size)
    return two_digits_off(size, true) and abs(size - true) > EXACT * size


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
        (8.0, "zoomed in 8×"),
        (7.6, "zoomed in ≈8×"),
        (7.5, "zoomed in ≈8×"),
        (9.6, "zoomed in ≈10×"),
        (80.0, "zoomed in 80×"),
        (80.4, "zoomed in ≈80×"),
        (1234.0, "zoomed in ≈1200×"),
        (12_000.0, f"zoomed in 12{THIN}000×"),
        (12_345.0, f"zoomed in ≈12{THIN}000×"),
        (1 / 120.0, "zoomed out 120×"),
        (1e-7, f"zoomed out 10{THIN}000{THIN}000×"),
    ],
)
def test_zoom_words_say_whole_times_grouped_never_e_notation_about_if_not_exact(
    ratio: float, words: str
) -> None:
    assert zoom_words(ratio) == words


@pytest.mark.parametrize(
    ("w_ratio", "f_ratio", "words"),
    [
        (1.0, 1.0, ""),
        (1.5, 2.3, "zoomed in: f ≈2×"),
        (30.0, 910.0, "zoomed in: w 30×, f 910×"),
        (30.2, 912.0, "zoomed in: w ≈30×, f ≈910×"),
        (1 / 5, 1 / 25, "zoomed out: w 5×, f 25×"),
        (1 / 3, 2.0, "w out 3×, f in 2×"),
    ],
)
def test_both_words_name_each_axis_and_its_own_zoom(
    w_ratio: float, f_ratio: float, words: str
) -> None:
    assert both_words(w_ratio, f_ratio) == words
    short = words.removeprefix("zoomed ")
    assert both_words(w_ratio, f_ratio, short=True) == short


@pytest.mark.parametrize(
    ("name", "n_badges"), [("lr_just_right", 1), ("lr_too_high", 1), ("lr_compare", 1)]
)
def test_badge_says_the_first_spans_of_both_axes_over_the_drawn_ones(
    name: str, n_badges: int
) -> None:
    scene = planned_default(name)
    shown = badges(scene)
    assert len(shown) == n_badges  # a panel whose view never moves has none
    scene.move_to_step(0.0)
    plots = [axes_under(scene, badge) for badge in shown]
    first = [spans(plot) for plot in plots]
    said = set()
    last = max(trace.n_steps for trace in scene.traces)
    at_rest = set()  # the spans of the views at whole steps: between them, a zoom
    for step in range(last + 1):
        scene.move_to_step(float(step))
        at_rest |= {spans(plot) for plot in plots}
    for step in [s for s in STEPS if s <= last]:
        scene.move_to_step(step)
        for badge, plot, first_spans in zip(shown, plots, first, strict=True):
            text = said_by(badge)
            ratios = shown_ratios(text) if text else {}
            drawn = spans(plot)
            if drawn not in at_rest:  # through a zoom: nothing said
                assert not text, (step, text)
                continue
            for axis, first_span, span in zip("wf", first_spans, drawn, strict=True):
                ratio = first_span / span
                if 1 / SHOWN_FROM < ratio < SHOWN_FROM:
                    assert axis not in ratios, (step, text, axis, ratio)
                    continue
                said.add(axis)
                assert axis in ratios, (step, text, axis, ratio)
                assert said_truly(ratios[axis], ratio), (step, text, axis, ratio)
    assert said == {"w", "f"}  # both axes' zooms, each named


@pytest.mark.parametrize(
    ("name", "learning_rate"),
    [
        ("lr_just_right", None),
        ("lr_just_right", 0.3),
        ("lr_just_right", 0.45),
        ("lr_too_high", None),
        ("lr_too_high", 1.3),
        ("lr_too_low", 0.1),
        ("lr_compare", None),
    ],
)
def test_a_badge_at_rest_says_the_ratio_of_the_axis_ranges_shown_exactly(
    name: str, learning_rate: float | None
) -> None:
    """The parabola's views zoom by round factors only: at every recorded step the
    badge names each axis' factor with no `≈`, and it is the first span over the
    one drawn."""
    traces = SCENES[name].train(RunOptions(learning_rate=learning_rate))
    scene = plan_scene(name, traces)
    shown = badges(scene)
    scene.move_to_step(0.0)
    plots = [axes_under(scene, badge) for badge in shown]
    first = [spans(plot) for plot in plots]
    for step in range(max(trace.n_steps for trace in traces) + 1):
        scene.move_to_step(float(step))
        for badge, plot, first_spans in zip(shown, plots, first, strict=True):
            text = said_by(badge)
            assert "≈" not in text, (step, text)
            ratios = shown_ratios(text) if text else {}
            for axis, first_span, span in zip(
                "wf", first_spans, spans(plot), strict=True
            ):
                if axis in ratios:
                    assert said_truly(ratios[axis], first_span / span), (step, text)


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


def test_lr_compares_badge_says_zoomed_out_in_full_on_two_rows() -> None:
    scene = planned_default("lr_compare")
    (badge,) = badges(scene)
    scene.move_to_step(float(scene.trace.n_steps))
    head = [
        m
        for m in members(scene)
        if isinstance(m, Readout) and (m.shown or "").startswith("zoomed out:")
    ]
    assert len(head) == 1 and head[0].get_bottom()[1] > badge.get_top()[1]
    assert said_by(badge).startswith("zoomed out: w ")


def test_a_diverging_runs_badge_names_both_axes_in_its_room() -> None:
    # lr 1.5: f's axis grows a millionfold, too long to say in full beside w's
    traces = SCENES["lr_too_high"].train(RunOptions(learning_rate=1.5))
    scene = plan_scene("lr_too_high", traces)
    (badge,) = badges(scene)
    scene.move_to_step(float(traces[0].n_steps))
    ratios = shown_ratios(said_by(badge))
    assert set(ratios) == {"w", "f"} and ratios["f"][0] < 1e-5, badge.shown
    assert badge.origin[0] >= BADGE_LEFT - 1e-9
