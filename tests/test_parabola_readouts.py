"""The parabola scenes' numbers: they change as the point lands, are written alike
everywhere in a clip (side by side too), and show the learning while the run still
moves. Planned on the
committed default runs, nothing rendered."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from scenes.numbers import format_fixed, shown_decimals
from scenes.readout import Readout
from scenes.replay import ReplayScene
from scenes.schedule import FAST_FORWARD_SECONDS
from scenes.worked import UPDATE_LABEL_ROW, exact
from tests.conftest import PLANS
from tests.planned import PLANNED_FPS, planned_default, planned_on

pytestmark = pytest.mark.xdist_group(PLANS)

FRACTIONS = (0.25, 0.5, 0.8)  # of a hop: the point is still in the air
LANDING = (0.91, 0.97)  # of a hop: its last frames, where the numbers show the landing
NEAR = 0.06  # scene units (8 px at 1080p): the point has all but landed by 0.97


def readouts(scene: ReplayScene) -> list[Readout]:
    """The numbers beside the plots (step, w, f(w), ...), not the worked lines."""
    return [
        mob
        for mob in scene.movers
        if isinstance(mob, Readout) and mob.row and mob.row != UPDATE_LABEL_ROW
    ]


def shown_at(scene: ReplayScene, step: float) -> list[str]:
    """Every readout's text with the clock at `step`."""
    scene.move_to_step(step)
    return [mob.shown or "" for mob in readouts(scene)]


def points_at(scene: ReplayScene, step: float) -> np.ndarray:
    """Where the watched points (the runs' balls) are with the clock at `step`."""
    scene.move_to_step(step)
    return np.array([mob.get_center() for mob in scene.watched])


@pytest.mark.parametrize("name", ["lr_too_high", "lr_compare"])
def test_readouts_change_when_the_point_lands_not_mid_hop(name: str) -> None:
    scene = planned_default(name)
    n_steps = max(trace.n_steps for trace in scene.traces)
    for k in range(n_steps):
        leaving, landed = shown_at(scene, k), shown_at(scene, k + 1)
        assert leaving != landed
        landing = points_at(scene, k + 1)
        for fraction in FRACTIONS:
            # in the air: the point is not where it lands, the numbers are the start's
            in_air = points_at(scene, k + fraction)
            assert np.linalg.norm(in_air - landing, axis=1).max() > 1e-3
            assert shown_at(scene, k + fraction) == leaving, (k, fraction)
        for fraction in LANDING:
            # as good as on the ground: the numbers are where it lands
            assert shown_at(scene, k + fraction) == landed, (k, fraction)
        close = np.linalg.norm(points_at(scene, k + LANDING[-1]) - landing, axis=1)
        assert (close < NEAR).all(), (k, close)
    # the worked update works out the update under way: from the step shown
    rule = planned_default("lr_too_high")
    rule.move_to_step(7.8)
    lines = [m for m in rule.movers if isinstance(m, Readout)]
    label = next(m.shown or "" for m in lines if m.row == UPDATE_LABEL_ROW)
    step = next(m.shown or "" for m in lines if m.row == "step")
    assert step.split("/")[0].strip() == "7" and "7 → 8" in label


def test_just_right_moves_on_to_its_verdict_once_w_changes_in_its_last_digit() -> None:
    # ten steps at lr 0.4 (the default six end before w reads the minimum)
    scene = planned_on("lr_just_right", "lr_just_right_settles", "dark", PLANNED_FPS)
    schedule, n_steps = scene.schedule, scene.trace.n_steps
    assert schedule is not None
    numbers = [i for i, mob in enumerate(readouts(scene)) if mob.row != "step"]
    texts = [[shown_at(scene, k)[i] for i in numbers] for k in range(n_steps + 1)]
    still = min(k for k in range(n_steps + 1) if all(t == texts[-1] for t in texts[k:]))
    assert 0 < still < n_steps  # the run's last steps change no number shown
    # from 0.00003 on, w only ticks down its last digit: ×0.2 no longer reads
    w = [Decimal(text[0].strip()) for text in texts]
    unit = Decimal(1).scaleb(-shown_decimals(texts[-1][0]))
    quiet = min(
        k for k in range(n_steps) if all(abs(v - w[-1]) < 10 * unit for v in w[k:])
    )
    assert 0 < quiet < still and w[quiet] == Decimal("0.00003")
    reached, closing = schedule.time_at(quiet), schedule.starts()[-1]
    assert closing - reached <= FAST_FORWARD_SECONDS + 1 / PLANNED_FPS
    # ...while every update before it keeps the replay's pace
    for k in range(quiet):
        update = schedule.time_at(k + 1) - schedule.time_at(k)
        assert update >= 1 / scene.pace - 1 / PLANNED_FPS, k


def test_verdict_writes_the_distance_as_the_w_readout_does() -> None:
    scene = planned_default("lr_too_low")
    assert scene.schedule is not None and scene.story is not None
    w_readout = next(mob for mob in readouts(scene) if mob.row == "w")
    last_w = shown_at(scene, scene.trace.n_steps)[readouts(scene).index(w_readout)]
    verdict = scene.schedule.beats[-1].sentence
    assert last_w.strip() in verdict, (last_w, verdict)


def test_compare_writes_every_f_as_the_square_of_its_w_true_to_its_loss() -> None:
    # each panel's f(w) row keeps one precision all clip: each f(w) is the w beside
    # it squared, rounded to that precision, and within a unit of its last digit of
    # the run's loss; read across the panels, the rows share their decimals, the
    # most that stay true in every panel (17.8322² = 317.98736 where the loss is
    # 317.98761: two), so the run that comes near the minimum reads 0.00 from w 0.0160
    scene = planned_default("lr_compare")
    rows = [mob.row for mob in readouts(scene)]
    places: list[set[int]] = [set(), set(), set()]
    for k in range(scene.trace.n_steps + 1):
        texts = shown_at(scene, k)
        pairs = [(texts[i], texts[i + 1]) for i, row in enumerate(rows) if row == "w"]
        assert len(pairs) == 3
        for panel, (w, f) in enumerate(pairs):
            w_value, f_value = exact(w), exact(f)
            assert w_value is not None and f_value is not None, (k, w, f)
            decimals = shown_decimals(f.strip())
            places[panel].add(decimals)
            assert f_value == exact(format_fixed(w_value**2, decimals)), (k, w, f)
            loss = Decimal(repr(float(scene.traces[panel].loss[k])))
            assert abs(f_value - loss) <= Decimal(1).scaleb(-decimals), (k, w, f)
    assert places == [{2}, {2}, {2}]


def test_the_three_learning_rate_clips_write_their_start_to_four_digits_or_more() -> (
    None
):
    # shown side by side in a lecture, w = 2 reads f(w) = 4 in each: f(w) takes four
    # digits at the starting loss, not at each run's typical one (4.00 for a run that
    # grows into the hundreds), or w's decimals if more (worked out from w, it reads
    # no rounder), and more in the run that comes near the minimum, whose f(w) must
    # not read 0 while w reads 0.0032
    starts = {}
    for name in ("lr_too_low", "lr_just_right", "lr_too_high"):
        scene = planned_default(name)
        rows = [mob.row for mob in readouts(scene)]
        texts = shown_at(scene, 0)
        starts[name] = tuple(texts[rows.index(row)].strip() for row in rows[1:])
    assert starts == {
        "lr_too_low": ("2.0000", "4.000", "4.0000"),
        # a decimal more on w and f′(w), whose slopes then round true
        "lr_just_right": ("2.00000", "4.00000", "4.00000"),
        "lr_too_high": ("2.0000", "4.000", "4.0000"),
    }
