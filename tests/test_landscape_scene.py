"""The landscape scene as a lecturer reads it, planned but not played: the walk over
the contours stays in the plane's view at true shape on every frame, and the worked
updates show their arithmetic, lined up on their decimal points, within their cells.

Runs: the default, one that diverges (lr 1.2, committed), lr 1.5 (trained: it runs
away within a dozen steps) and a lecturer's own points, x from 0 to 10 (committed).
"""

from __future__ import annotations

import numpy as np
import pytest

from scenes.beats import frame_steps
from scenes.geometry import PlotBox, step_position
from scenes.landscape import CONTOUR_CORNER, CONTOUR_SIZE, UPDATE_CHARS
from scenes.numbers import shown_decimals
from scenes.panels.line_update import LineUpdate
from scenes.panels.parameter_plane import ParameterPlane
from scenes.view import plane_view
from sgd_anim.registry import SCENES
from sgdcore.config import RunOptions
from sgdcore.trace import Trace
from tests.built_panels import planned_with_panels
from tests.conftest import PLANS
from tests.layout_snapshots import runs_of

pytestmark = pytest.mark.xdist_group(PLANS)

EDGE = 1e-9  # relative to the view's width: a point on the edge is in view
CASES = ("landscape", "landscape_diverged", "lr 1.5", "landscape_user_data")


def runs(case: str) -> list[Trace]:
    """The case's runs: committed, or trained at lr 1.5."""
    if case == "lr 1.5":
        return SCENES["landscape"].train(RunOptions(learning_rate=1.5))
    return runs_of(case)


def walk_so_far(params: np.ndarray, value: float) -> np.ndarray:
    """The parameters a path has drawn at replay position `value`: every step
    reached and the point of the update under way, (m, 2), finite ones only."""
    index, fraction = step_position(value, len(params) - 1)
    points = params[: index + 1]
    if fraction:
        tip = points[-1] + fraction * (params[index + 1] - points[-1])
        points = np.vstack([points, tip])
    finite: np.ndarray = points[np.isfinite(points).all(axis=1)]
    return finite


def outside(box: PlotBox, points: np.ndarray) -> bool:
    """Whether any of `points` (data units, (m, 2)) lies outside `box`'s ranges."""
    (x_low, x_high), (y_low, y_high) = box.x_span, box.y_span
    slack = EDGE * (x_high - x_low)
    inside = (
        (points[:, 0] >= x_low - slack)
        & (points[:, 0] <= x_high + slack)
        & (points[:, 1] >= y_low - slack)
        & (points[:, 1] <= y_high + slack)
    )
    return not inside.all()


def test_a_plane_view_without_the_zoom_keeps_a_point_under_way_in_sight() -> None:
    # one long jump out of the view: it widens as fast as the point moves, not after
    path = np.array([[-1.0, 1.0], [-0.8, 1.1], [40.0, -30.0], [41.0, -29.0]])
    runaway = np.array([False, False, True, True])
    view = plane_view(
        [path], np.zeros(2), CONTOUR_CORNER, CONTOUR_SIZE, runaway, zoom=False
    )
    assert not view.fixed
    for value in np.linspace(0.0, 3.0, 121):
        assert not outside(view.box(float(value)), walk_so_far(path, value)), value


@pytest.mark.parametrize("case", CASES)
def test_the_walk_drawn_so_far_stays_in_the_planes_view_on_every_frame(
    case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    traces = runs(case)
    scene, planes = planned_with_panels(
        "landscape", ParameterPlane, monkeypatch, traces
    )
    (plane,) = planes
    assert scene.schedule is not None and plane.view.limit_step is None
    trace = traces[0]
    left_out: list[float] = []
    for beat in scene.schedule.beats:
        for value in frame_steps(beat):
            box = plane.view.box(value)
            (x_low, x_high), (y_low, y_high) = box.x_span, box.y_span
            # true shape: as many scene units per unit of a₁ as of a₂
            assert (x_high - x_low) / box.size[0] == pytest.approx(
                (y_high - y_low) / box.size[1], rel=1e-9
            )
            if outside(box, walk_so_far(trace.params, value)):
                left_out.append(round(value, 2))
    assert not left_out, f"{case}: the walk leaves the view at steps {left_out[:8]}"


def first_number_points(lines: list[str]) -> set[int]:
    """The column of the first number's decimal point (or where it would go) in
    each worked line `= v − lr × g ≈ r`."""
    columns = set()
    for line in lines:
        if line.startswith("= "):
            value = line[2:].lstrip()
            head = value.split(" ")[0].partition("×")[0]
            whole = head.partition(".")[0]
            columns.add(len(line) - len(value) + len(whole))
    return columns


@pytest.mark.parametrize("case", ["landscape", "landscape_user_data"])
def test_the_worked_rows_line_up_on_their_decimal_points_within_their_cells(
    case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, updates = planned_with_panels("landscape", LineUpdate, monkeypatch, runs(case))
    (update,) = updates
    lines = [line for row in update.lines for line in row]
    assert max(map(len, lines)) <= UPDATE_CHARS
    assert len(first_number_points(lines)) == 1, update.lines[0][:3]


def test_the_default_runs_worked_rows_all_show_their_arithmetic(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, updates = planned_with_panels("landscape", LineUpdate, monkeypatch)
    (update,) = updates
    arrows = [line for row in update.lines for line in row if "→" in line]
    assert not arrows, arrows[:3]


@pytest.mark.parametrize("scene", ["fit_line", "landscape", "minibatch"])
def test_both_worked_rows_write_their_first_numbers_to_one_number_of_decimals(
    scene: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, updates = planned_with_panels(scene, LineUpdate, monkeypatch)
    (update,) = updates
    lines = [line for row in update.lines for line in row if line.startswith("= ")]
    values = [line[2:].split()[0] for line in lines]
    assert len({shown_decimals(value) for value in values}) == 1, values[::40]
    assert len(first_number_points(lines)) == 1, lines[::40]


def test_the_arrows_key_is_shown_while_the_arrow_can_be_seen() -> None:
    from tests.planned import planned_default

    scene = planned_default("landscape")
    [key] = [m for m in scene.movers if "this step" in " ".join(words_of(m))]

    def drawn() -> bool:  # its points are taken away, not the key off screen
        return any(len(part.points) for part in key.get_family())

    scene.move_to_step(0)
    assert drawn()  # the first step's arrow, long: keyed
    scene.move_to_step(15)  # mid-replay the arrows are shorter than the dot
    assert not drawn()
    scene.move_to_step(scene.trace.n_steps)
    assert not drawn()  # no arrow left to see at the close


def words_of(mobject: object) -> list[str]:
    """The words of every text in `mobject`'s family."""
    from manim import Mobject

    family = mobject.get_family() if isinstance(mobject, Mobject) else []
    return [str(getattr(m, "original_text", "")) for m in family]
