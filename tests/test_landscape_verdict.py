"""landscape's closing verdict on the last frame: no curve, path, contour, mark or
label of the loss plot or the parameter plane runs through it, for runs that diverge
(each placed somewhere else: the plane beside the walk, or the loss plot) and for one
that zigzags but settles. The default run keeps it in the loss plot's top right.
"""

from __future__ import annotations

from functools import cache

import pytest

from scenes import landscape
from scenes.panels.notes import VERDICT
from scenes.theme import PALETTES
from sgd_anim.registry import SCENES
from sgdcore.config import RunOptions
from sgdcore.trace import Trace
from tests.conftest import PLANS
from tests.layout_snapshots import Mark, marks_in, overlap, runs_of
from tests.planned import plan_scene
from tests.test_text_on_data import covers

pytestmark = pytest.mark.xdist_group(PLANS)

# (lr, steps): diverging at different steps, and one that zigzags but converges
RUNS = ((1.2, 30), (1.05, 30), (1.5, 30), (0.9, 30))


@cache
def last_frame(case: tuple[float, int] | str) -> tuple[Mark, ...]:
    """Every text and graphic leaf the scene shows on its last frame (dark theme)."""
    if isinstance(case, str):
        traces = runs_of(case)
    else:
        lr, steps = case
        options = RunOptions(learning_rate=lr, n_steps=steps)
        traces = SCENES["landscape"].train(options)
    scene = plan_scene("landscape", traces)
    scene.move_to_step(float(max(trace.n_steps for trace in traces)))
    seen: set[int] = set()
    shown = [*scene.statics, *scene.movers[1:]]
    return tuple(mark for mobject in shown for mark in marks_in(mobject, None, seen))


def unclear(marks: tuple[Mark, ...]) -> list[str]:
    """What runs through the verdict's lines: any drawn graphic but the gridlines
    and the verdict's own backing, and any other text's box."""
    palette = PALETTES["dark"]
    hidden = {palette.background.upper(), palette.grid.upper()}
    verdict = [mark for mark in marks if mark.role == VERDICT]
    assert verdict, "no verdict on the last frame"
    problems = []
    for line in verdict:
        for mark in marks:
            if mark.role == VERDICT:
                continue
            if mark.is_text and overlap(line.box, mark.box):
                problems.append(f"{line} meets the text {mark}")
            drawn = {colour.upper() for colour, _ in mark.paints} - hidden
            if not mark.is_text and drawn and covers(line, mark):
                problems.append(f"{mark.words} {drawn} runs through {line}")
    return problems


@pytest.mark.parametrize("run", RUNS, ids=[f"lr {lr}" for lr, _ in RUNS])
def test_nothing_drawn_runs_through_the_verdict(run: tuple[float, int]) -> None:
    problems = unclear(last_frame(run))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("case", ["landscape", "landscape_diverged"])
def test_nothing_drawn_runs_through_the_committed_runs_verdict(case: str) -> None:
    problems = unclear(last_frame(case))
    assert not problems, "\n".join(problems)


def test_the_default_runs_verdict_stays_in_the_loss_plots_top_right() -> None:
    verdict = [mark for mark in last_frame("landscape") if mark.role == VERDICT]
    # the loss plot: x 1.3..6.0, its top raised at most 0.1 a step above -1.59
    assert all(mark.box[0] > 1.3 and mark.box[3] < -1.0 for mark in verdict)
    assert max(mark.box[2] for mark in verdict) == pytest.approx(6.0, abs=0.02)


def test_the_verdict_of_a_run_that_blows_up_goes_beside_its_walk() -> None:
    traces: list[Trace] = runs_of("landscape_diverged")
    assert traces[0].n_steps < 30  # it stopped once it blew up
    verdict = [
        mark for mark in last_frame("landscape_diverged") if mark.role == VERDICT
    ]
    # in the plane (x -0.5..5.75, y -0.4..1.85), not the loss plot below it
    assert all(mark.box[1] > -0.4 for mark in verdict)


def test_the_fallback_verdicts_backing_is_drawn_over_what_runs_under_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # too wide for any spot on the plane: the verdict falls back to the loss plot,
    # where the curve's steep climb runs under it
    monkeypatch.setattr(landscape, "PLANE_VERDICT_WIDTHS", (20.0,))
    scene = plan_scene("landscape", runs_of("landscape_diverged"))
    scene.move_to_step(float(scene.traces[0].n_steps))
    seen: set[int] = set()
    shown = [*scene.statics, *scene.movers[1:]]  # in drawing order
    marks = [mark for mobject in shown for mark in marks_in(mobject, None, seen)]
    verdict = [mark for mark in marks if mark.role == VERDICT]
    assert all(mark.box[3] < -1.0 for mark in verdict)  # in the loss plot
    background = {PALETTES["dark"].background.upper()}
    (backing,) = (
        index
        for index, mark in enumerate(marks)
        if not mark.is_text
        and {colour.upper() for colour, _ in mark.paints} == background
        and all(within(line.box, mark.box) for line in verdict)
    )
    under = [
        index
        for index, mark in enumerate(marks)
        if not mark.is_text
        and index != backing
        and any(covers(line, mark) for line in verdict)
    ]
    assert under  # the curve: else this checks nothing
    assert all(index < backing for index in under), [marks[i].words for i in under]


def within(inner: tuple[float, ...], outer: tuple[float, ...]) -> bool:
    """Whether box `inner` lies inside box `outer`."""
    return (
        inner[0] >= outer[0]
        and inner[1] >= outer[1]
        and inner[2] <= outer[2]
        and inner[3] <= outer[3]
    )
