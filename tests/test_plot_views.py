"""Views that follow the run, built alone without rendering: the parabola's and the
parameter plane's (true shape, widening for a run that leaves, zooming in on a run
that settles, contours, the arrow)."""

from __future__ import annotations

import numpy as np
import pytest

from scenes.clock import StepClock
from scenes.curve_views import FLOOR, ZOOM_FROM
from scenes.learning_rate import READOUT_CHARS
from scenes.panels import parabola as parabola_module
from scenes.panels.parabola import (
    HOP_SAMPLES,
    OLDER_HOPS,
    RECENT_HOPS,
    Parabola,
    run_view,
)
from scenes.panels.parameter_plane import ParameterPlane
from scenes.panels.readouts import landed_step
from scenes.panels.step_marks import plane_marks
from scenes.panels.update_rule import LINE_CHARS
from scenes.parabola_geometry import quadratic
from scenes.quadratic_rows import line_fits, quadratic_rows
from scenes.theme import DARK
from scenes.view import SETTLED, ZOOM
from scenes.worked import run_lr
from tests.conftest import quadratic_trace
from tests.test_panels import CORNER, PLACE, SIZE, at_step, run


def test_parameter_plane_path_head_follows_the_parameters() -> None:
    traces = [run("optimizers/optimizers_final", i) for i in range(3)]
    plane, clock = ParameterPlane(DARK, traces, CORNER, SIZE), StepClock(traces)
    for trace in traces:
        finished, leg, head = plane.path(clock, trace, DARK.fit)
        for step in (0, 4, trace.n_steps):
            at_step(clock, step, finished, leg, head)
            box = plane.view.box(step)
            np.testing.assert_allclose(
                head.get_center(), box.c2p(*trace.params[step]), atol=PLACE
            )


@pytest.mark.parametrize(
    "name", ["landscape/landscape_final", "landscape/landscape_diverged"]
)
def test_parameter_plane_has_equal_units_on_both_axes(name: str) -> None:
    trace = run(name)
    plane = ParameterPlane(DARK, [trace], CORNER, SIZE)
    for step in np.linspace(0, trace.n_steps, 7):
        box = plane.view.box(float(step))
        origin, a1, a2 = box.c2p(0, 0), box.c2p(1, 0), box.c2p(0, 1)
        assert np.linalg.norm(a1 - origin) == pytest.approx(
            np.linalg.norm(a2 - origin), rel=1e-9
        )


def test_parameter_plane_widens_to_follow_a_path_that_runs_away() -> None:
    trace = run("landscape/landscape_diverged")
    plane, clock = ParameterPlane(DARK, [trace], CORNER, SIZE), StepClock([trace])
    assert not plane.view.fixed
    finished, leg, head = plane.path(clock, trace, DARK.fit)
    for step in range(trace.n_steps + 1):
        at_step(clock, step, finished, leg, head)
        box = plane.view.box(step)
        if np.isfinite(trace.params[step]).all() and plane.view.limit_step is None:
            assert box.contains(box.c2p(*trace.params[step])[None, :]).all()


def test_parameter_plane_zooms_in_once_the_runs_settle_and_keeps_them_in_view() -> None:
    traces = [run("optimizers/optimizers_final", i) for i in range(3)]
    plane, clock = ParameterPlane(DARK, traces, CORNER, SIZE), StepClock(traces)
    view = plane.view
    widths, heights = np.ptp(view.x, axis=1), np.ptp(view.y, axis=1)
    zooms = np.flatnonzero(widths[1:] < widths[:-1]) + 1
    assert len(zooms) == 1  # in once, then held
    k = int(zooms[0])
    assert widths[k] == pytest.approx(widths[k - 1] / ZOOM)
    assert heights[k] == pytest.approx(heights[k - 1] / ZOOM)  # still true shape
    # only once every point still to come fits in 1/SETTLED of the view before it
    ahead = np.vstack([trace.params[k:] for trace in traces] + [plane.best[None, :]])
    assert (SETTLED * np.ptp(ahead, axis=0) <= [widths[k - 1], heights[k - 1]]).all()
    for trace in traces:
        finished, leg, head = plane.path(clock, trace, DARK.fit)
        for step in range(k, trace.n_steps + 1):
            at_step(clock, step, finished, leg, head)
            box = view.box(step)
            assert box.contains(box.c2p(*trace.params[step])[None, :]).all()
            assert head.get_fill_opacity() == 1.0


def test_contours_are_equal_loss_ellipses_inside_the_plane() -> None:
    trace = run("landscape/landscape_final")
    plane, clock = ParameterPlane(DARK, [trace], CORNER, SIZE), StepClock([trace])
    _, ellipses, levels, cross = plane.drawing(clock)
    box = plane.view.box(0)
    assert box.contains(ellipses.points).all() and levels.has_points()
    np.testing.assert_allclose(cross.get_center(), box.c2p(*plane.best), atol=1e-6)
    # Back to parameters: the loss on each drawn ellipse takes its level's value
    points = ellipses.points[::4]
    a1 = box.x_span[0] + (points[:, 0] - CORNER[0]) / SIZE[0] * np.ptp(box.x_span)
    a2 = box.y_span[0] + (points[:, 1] - CORNER[1]) / SIZE[1] * np.ptp(box.y_span)
    loss = np.mean((np.stack([a1, a2], axis=1) @ trace.x.T - trace.y) ** 2, axis=1)
    excess = loss - plane.floor
    nearest = np.min(
        np.abs(excess[:, None] / np.array(plane.levels)[None, :] - 1), axis=1
    )
    # exactly on the samples; where the view's edge cuts an arc, on the chord between
    # two of them (181 round the ellipse: a sagitta of a ten-thousandth)
    assert np.median(nearest) < 1e-6 and nearest.max() < 1e-3


def test_update_arrow_ends_where_gradient_descent_lands() -> None:
    trace = run("landscape/landscape_final")
    plane, clock = ParameterPlane(DARK, [trace], CORNER, SIZE), StepClock([trace])
    arrow = plane.update_arrow(clock, trace, DARK.highlight)
    at_step(clock, 2, arrow)
    tip = arrow[1].points[0]
    np.testing.assert_allclose(tip, plane.view.box(2).c2p(*trace.params[3]), atol=1e-4)


def test_parabola_point_and_tangent_follow_the_run() -> None:
    trace = run("lr_too_low/lr_too_low_final")
    view = run_view(trace, CORNER, SIZE)
    parabola, clock = Parabola(DARK, trace, view, DARK.fit), StepClock([trace])
    marks, _, trail, _, tangent, point, outside = parabola.moving(clock)
    box = view.box(0)
    assert view.fixed and box.x_span[0] < 0 < box.x_span[1] / 4  # the half it walks
    for step in (0, 5, trace.n_steps - 1):
        at_step(clock, step, trail)
        w = trace.params[step, 0]
        np.testing.assert_allclose(
            point.get_center(),
            box.c2p(w, float(quadratic(trace, np.array(w)))),
            atol=PLACE,
        )
        start, end = tangent.get_start_and_end()
        data_slope = (
            (end - start)[1]
            / SIZE[1]
            * np.ptp(box.y_span)
            / ((end - start)[0] / SIZE[0] * np.ptp(box.x_span))
        )
        assert data_slope == pytest.approx(trace.grad[step, 0], rel=1e-9)
        assert len(marks.points) == 4 * step  # a mark per w the run has left
    assert not outside.submobjects


def test_parabola_tangent_moves_to_the_landing_point_with_the_readouts() -> None:
    """Through a hop the tangent stays where the step leaves from; in its last frames,
    once the readouts and the worked update show the step it lands on, it is there."""
    trace = run("lr_too_low/lr_too_low_final")
    view = run_view(trace, CORNER, SIZE)
    parabola, clock = Parabola(DARK, trace, view, DARK.fit), StepClock([trace])
    _, _, trail, _, tangent, _, _ = parabola.moving(clock)
    box = view.box(0)
    for value, shown in ((3.5, 3), (3.95, 4), (4.0, 4)):
        at_step(clock, value, trail)
        assert landed_step(clock, trace) == shown
        w = trace.params[shown, 0]
        start, end = tangent.get_start_and_end()
        np.testing.assert_allclose(
            (start + end) / 2,
            box.c2p(w, float(quadratic(trace, np.array(w)))),
            atol=PLACE,
        )


def test_parabola_view_widens_so_a_diverging_run_stays_on_the_chart() -> None:
    trace = run("lr_too_high/lr_too_high_final")
    view = run_view(trace, CORNER, SIZE)
    parabola, clock = Parabola(DARK, trace, view, DARK.fit), StepClock([trace])
    assert not view.fixed and view.limit_step is None
    _, _, trail, _, _, point, outside = parabola.moving(clock)
    for value in np.arange(0, trace.n_steps + 0.01, 0.25):
        at_step(clock, float(value), trail)
        box = view.box(float(value))
        assert box.contains(point.get_center()[None, :]).all()
        assert not outside.submobjects
    widths = [np.ptp(view.box(k).x_span) for k in range(trace.n_steps + 1)]
    assert widths[-1] > 4 * widths[0] and widths == sorted(widths)


def test_parabola_view_zooms_in_on_a_run_that_settles_and_keeps_it_in_sight() -> None:
    trace = quadratic_trace(10, learning_rate=0.4)  # lr_just_right: w_k = 2 · 0.2^k
    view = run_view(trace, CORNER, SIZE)
    parabola, clock = Parabola(DARK, trace, view, DARK.fit), StepClock([trace])
    _, _, trail, _, _, point, outside = parabola.moving(clock)
    for value in np.arange(0, trace.n_steps + 0.01, 0.125):
        at_step(clock, float(value), trail)
        box = view.box(float(value))
        assert box.contains(point.get_center()[None, :]).all()
        assert not outside.submobjects
    widths = np.ptp(view.x, axis=1)
    held = widths[:-1]  # the last step opens out again: the closing frame's
    assert list(held) == sorted(held, reverse=True)  # never back out before
    assert (view.x[-1] == view.x[0]).all() and (view.y[-1] == view.y[0]).all()
    # It zooms only once the rest of the run lies well inside the view, and holds
    # still from its floor on: the run's last steps are seen arriving and staying
    w = trace.params[:, 0]
    for k in np.flatnonzero(held[1:] < held[:-1]) + 1:
        assert ZOOM_FROM * np.abs(w[k:]).max() <= view.x[0, 1]
    assert held[-1] <= 4 * FLOOR and (held[-4:] == held[-1]).all()


def test_parabola_view_follows_a_settling_run_in_until_its_shown_w_stops_changing() -> (
    None
):
    # lr_just_right's run: while its readout of w still changes, the point stays a
    # visible way from the minimum on screen, in every frame (not a few pixels; it
    # comes closest as it lands, before the view zooms in on it: 2% of the width is
    # 20 px at 1080p)
    trace = quadratic_trace(10, learning_rate=0.4)
    shown = quadratic_rows(trace, READOUT_CHARS, line_fits(run_lr(trace), LINE_CHARS))
    last = max(k for k, text in enumerate(shown.w) if text != shown.w[-1])
    assert last >= 5  # 2.0000 0.4000 ... 0.0006 0.0001, then 0.0000
    view = run_view(trace, CORNER, SIZE)
    parabola, clock = Parabola(DARK, trace, view, DARK.fit), StepClock([trace])
    _, _, trail, _, _, point, _ = parabola.moving(clock)
    for value in np.arange(1, last + 0.01, 0.125):
        at_step(clock, float(value), trail)
        box = view.box(float(value))
        away = point.get_center()[0] - box.c2p(0.0, 0.0)[0]
        assert away >= 0.02 * box.size[0], value
        # and the curve keeps its shape: the view's height is f at its far side
        top = box.y_span[1] * (1 + 1e-9)  # the view's f top at f(w) of its far w
        assert top >= box.x_span[1] ** 2 > box.y_span[1] / 2


def test_parabola_view_of_a_crawling_run_does_not_zoom() -> None:
    trace = quadratic_trace(20, learning_rate=0.02)  # lr_too_low: ends at 0.88
    assert run_view(trace, CORNER, SIZE).fixed


def test_parabola_trail_of_a_long_run_draws_each_finished_hop_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A thousand steps crawling in a still view: each frame draws only the hops
    # finished since the last, not the whole trail again (a frame per step would
    # otherwise cost the square of the run's length)
    trace = quadratic_trace(1000, learning_rate=0.0005)
    view = run_view(trace, CORNER, SIZE)
    assert view.fixed
    parabola, clock = Parabola(DARK, trace, view, DARK.fit), StepClock([trace])
    drawn: list[int] = []
    hop_arcs = parabola_module.hop_arcs

    def counted(box: object, starts: np.ndarray, *rest: object) -> np.ndarray:
        drawn.append(len(starts))
        return hop_arcs(box, starts, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(parabola_module, "hop_arcs", counted)
    # every hop counts, however short (the clip leaves out those under HOP_SEEN)
    monkeypatch.setattr(parabola_module, "HOP_SEEN", 0.0)
    _, faded, trail, _, _, _, _ = parabola.moving(clock)
    for step in range(trace.n_steps + 1):
        at_step(clock, step, trail)
    # older hops once each, the last few and the hop under way every frame
    assert sum(drawn) <= (2 + RECENT_HOPS) * (trace.n_steps + 1)
    # The faint hops are those drawn from scratch (the latest OLDER_HOPS of them
    # before the close), the last few drawn in full over them, and a step back
    # redraws both
    fresh = Parabola(DARK, trace, view, DARK.fit)
    box, n, per_hop = (
        view.box(float(trace.n_steps)),
        trace.n_steps,
        4 * (HOP_SAMPLES - 1),
    )
    older = fresh.finished_hops(box, fresh.points(box), n, RECENT_HOPS)
    assert len(older) == per_hop * (n - RECENT_HOPS)
    # at the close, every older hop in view, the way the run came
    np.testing.assert_array_equal(faded.points, older)
    assert len(trail.points) == per_hop * RECENT_HOPS
    at_step(clock, 5, trail)
    assert len(faded.points) == per_hop * min(5 - RECENT_HOPS, OLDER_HOPS)
    assert len(trail.points) == per_hop * RECENT_HOPS


@pytest.mark.parametrize(
    "name", ["landscape/landscape_final", "landscape/landscape_diverged"]
)
def test_step_marks_sit_on_each_step_passed_that_the_view_holds(name: str) -> None:
    trace = run(name)
    plane, clock = ParameterPlane(DARK, [trace], CORNER, SIZE), StepClock([trace])
    marks = plane_marks(plane.view, DARK, clock, trace, DARK.fit)
    for step in (0, 1, 5, trace.n_steps):
        at_step(clock, step, marks)
        box = plane.view.box(step)
        with np.errstate(invalid="ignore", over="ignore"):
            points = box.to_points(trace.params[:, 0], trace.params[:, 1])
        held = points[: step + 1][box.contains(points[: step + 1])]
        assert len(held) >= 1
        centres = np.array([dot.get_center() for dot in marks.submobjects])
        np.testing.assert_allclose(centres, held, atol=PLACE)
