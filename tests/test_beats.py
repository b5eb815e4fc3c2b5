"""Every scene tells its run in beats: planned without rendering, from committed runs.

Each scene is built with `plan_only`, so construct() measures how far each step moves
what it watches and plans the schedule, then stops before playing anything.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from scenes.least_squares import quadratic_form
from scenes.replay import ReplayScene
from scenes.schedule import Schedule
from sgd_anim.registry import SCENES
from sgdcore.trace import Trace
from tests.conftest import CONTROL_DATA, PLANS
from tests.planned import PLANNED_FPS, plan_scene, planned_default

pytestmark = pytest.mark.xdist_group(PLANS)

FPS = PLANNED_FPS  # 60
FRAME = 1 / FPS
NUMBER = re.compile(r"[−-]?\d+(?:\.\d+)?(?:e[−-]?\d+)?")
SHOWN_DIGITS = 5e-3  # relative: numbers in sentences have 3 or 4 significant digits


def default_runs(name: str) -> list[Trace]:
    """The scene's default runs, as committed (trained once, so no torch here)."""
    paths = sorted((CONTROL_DATA / name).glob("default-run*.npz"))
    assert paths, f"no committed default runs for {name}"
    return [Trace.load(path) for path in paths]


def planned(name: str, traces: list[Trace], pace: float | None = None) -> ReplayScene:
    """The scene with its schedule planned, nothing rendered."""
    return plan_scene(name, traces, FPS, pace)


@pytest.fixture(scope="module", params=sorted(SCENES))
def scene_and_runs(request: pytest.FixtureRequest) -> tuple[str, list[Trace], Schedule]:
    traces = default_runs(request.param)
    schedule = planned_default(request.param).schedule
    assert schedule is not None
    return request.param, traces, schedule


def seconds_per_step(schedule: Schedule) -> dict[int, float]:
    """How long each update is on screen."""
    seconds: dict[int, float] = {}
    for beat in schedule.beats:
        if beat.moves:
            total = beat.frames / schedule.fps
            times = np.diff(beat.step_times) * total
            for k, duration in enumerate(times):
                seconds[int(beat.start) + k] = float(duration)
    return seconds


def test_opening_shows_the_plots_in_at_most_1_5_s_then_holds_the_start(
    scene_and_runs,
) -> None:
    _, _, schedule = scene_and_runs
    intro, opening = schedule.beats[:2]
    assert intro.name == "intro" and intro.frames / FPS <= 1.5
    assert opening.name == "opening" and opening.frames / FPS >= 1.5
    assert not intro.moves and not opening.moves


def test_first_three_updates_take_at_least_0_8_s(scene_and_runs) -> None:
    _, traces, schedule = scene_and_runs
    durations = seconds_per_step(schedule)
    for step in range(min(3, max(t.n_steps for t in traces))):
        assert durations[step] >= 0.8 - FRAME


def test_default_clip_is_8_to_25_seconds(scene_and_runs) -> None:
    # long enough to read every caption and to watch the learning, short enough
    # to hold a class's attention on one idea
    name, _, schedule = scene_and_runs
    assert 8 <= schedule.seconds <= 30, f"{name}: {schedule.seconds:.1f} s"


def test_closing_holds_the_verdict_two_seconds(scene_and_runs) -> None:
    _, traces, schedule = scene_and_runs
    closing = schedule.beats[-1]
    assert closing.name == "closing" and closing.frames / FPS >= 2.0
    # a scene showing batch gradients first gives each batch size a step of its clock
    lead = len(traces[0].noise_sizes)
    assert closing.start == max(t.n_steps for t in traces) + lead and closing.sentence


def test_no_stretch_over_two_seconds_where_nothing_visibly_moves(
    scene_and_runs,
) -> None:
    _, _, schedule = scene_and_runs
    for beat in schedule.beats:
        if beat.name == "fast forward":
            assert beat.frames / FPS <= 1.0 + FRAME


def test_every_beat_has_one_sentence(scene_and_runs) -> None:
    _, _, schedule = scene_and_runs
    assert all(
        beat.sentence.strip() and "\n" not in beat.sentence for beat in schedule.beats
    )


def allowed_numbers(traces: list[Trace], start: int, end: int) -> list[float]:
    """Every value a sentence about steps start..end may quote from the runs."""
    values: list[float] = [float(k) for k in range(end + 2)] + [1.0, 3.0]
    for trace in traces:
        steps = slice(max(start - 1, 0), min(end, trace.n_steps) + 1)
        for array in (trace.params, trace.loss, trace.full_loss, trace.grad):
            values += [float(v) for v in np.ravel(array[steps])]
        if trace.valid_loss.size:  # a validation set: its loss, and where it bottoms
            values += [float(v) for v in trace.valid_loss[steps]]
            lowest = int(np.argmin(trace.valid_loss))
            values += [float(trace.valid_loss[lowest]), float(trace.valid_loss[-1])]
        values += [float(v) for v in np.ravel(trace.params[[0, -1]])]
        values += [float(trace.loss[0]), float(trace.full_loss[0])]
        values += [
            trace.learning_rate,
            float(trace.loss[-1]),
            float(trace.full_loss[-1]),
            float(len(trace.y)),
            float(np.count_nonzero(trace.batch >= 0)),  # the points read in all
        ]
        values += [
            float(trace.meta.get(key, 0) or 0)
            for key in (
                "batch_size",
                "batches_per_epoch",
                "momentum",
                "degree",
                "weight_decay",
            )
        ]
        if trace.problem == "quadratic":
            curvature, minimum = (
                float(trace.meta["curvature"]),
                float(trace.meta["minimum"]),
            )  # type: ignore[arg-type]
            w = trace.params[:, 0]
            values += [
                1 / curvature,
                minimum,
                1 - 2 * curvature * trace.learning_rate,
                abs(1 - 2 * curvature * trace.learning_rate),  # "1.2× as far out"
                abs(w[-1] - minimum),
            ]
        elif trace.problem == "linear_regression":
            values.append(quadratic_form(trace)[2])
        values += noise_numbers(trace)
    return values


def noise_numbers(trace: Trace) -> list[float]:
    """The recorded batch gradients' numbers a sentence may quote: the full step, each
    batch size's mean step and its spread, measured and from the sampling maths, and
    how many times less 1/√B says the largest batches spread than the smallest."""
    if not trace.noise_sizes.size:
        return []
    lr, x, y = trace.learning_rate, trace.x, trace.y
    per_point = 2 * (x @ trace.params[0] - y)[:, None] * x
    full, n = -lr * per_point.mean(axis=0), len(y)
    variance = float(((per_point - per_point.mean(axis=0)) ** 2).sum(axis=1).mean())
    values = [*full, float(n)]
    for size, grads in zip(trace.noise_sizes, trace.noise_blocks(), strict=True):
        steps = -lr * grads
        measured = np.sqrt(((steps - full) ** 2).sum(axis=1).mean())
        expected = lr * np.sqrt(variance / size * (n - size) / (n - 1))
        values += [*steps.mean(axis=0), measured, expected, float(len(grads)), size]
    sizes = trace.noise_sizes
    return [*values, float(np.sqrt(sizes[-1] / sizes[0]))]  # what 1/√B says


def test_every_number_in_a_sentence_is_the_runs_value_at_its_steps(
    scene_and_runs,
) -> None:
    name, traces, schedule = scene_and_runs
    for beat in schedule.beats:
        allowed = np.array(allowed_numbers(traces, int(beat.start), int(beat.end)))
        for text in NUMBER.findall(
            beat.sentence.replace("²", "").replace("₁", "").replace("₂", "")
        ):
            value = float(text.replace("−", "-"))
            # to its digits, or as a readout shows it: within a unit of its last digit
            decimals = len(text.partition(".")[2])
            unit = 10.0**-decimals if decimals else 0.0
            close = np.abs(allowed - value) <= np.maximum(
                SHOWN_DIGITS * np.abs(allowed), unit
            )
            assert close.any(), (
                f"{name}: {text} in {beat.sentence!r} is no value of the run"
            )


@pytest.mark.parametrize("pace", [2.0, 30.0])
def test_pace_sets_the_full_speed(pace: float) -> None:
    schedule = planned("fit_line", default_runs("fit_line"), pace=pace).schedule
    assert schedule is not None
    replay = [b for b in schedule.beats if b.name == "replay"]
    fastest = min(
        seconds_per_step(schedule)[k]
        for b in replay
        for k in range(int(b.start), int(b.end))
    )
    assert fastest >= 1 / pace - FRAME


def test_held_moments_are_the_scenes_telling_steps() -> None:
    held = {}
    for name in ("lr_too_high", "minibatch", "fit_line", "lr_just_right"):
        schedule = planned_default(name).schedule
        assert schedule is not None
        held[name] = [
            (b.start, b.frames / FPS) for b in schedule.beats if b.name == "moment"
        ]
    assert held["lr_too_high"][0][0] == 1.0  # the first overshoot
    assert held["minibatch"][0][0] == 10.0  # the end of the first epoch
    loss, floor = (
        default_runs("fit_line")[0].full_loss,
        quadratic_form(default_runs("fit_line")[0])[2],
    )
    assert held["fit_line"][0][0] == int(
        np.argmax(loss <= 1.01 * floor)
    )  # within 1% of the floor
    assert all(seconds >= 1.0 for moments in held.values() for _, seconds in moments)


def test_minibatchs_later_epochs_each_take_over_1_5_s() -> None:
    # each epoch's lit batches are seen sweeping through the points
    trace = default_runs("minibatch")[0]
    schedule = planned_default("minibatch").schedule
    assert schedule is not None
    per_epoch = int(trace.meta["batches_per_epoch"])  # type: ignore[arg-type]
    durations = seconds_per_step(schedule)
    for first in range(per_epoch, trace.n_steps, per_epoch):
        epoch = range(first, min(first + per_epoch, trace.n_steps))
        assert sum(durations[k] for k in epoch) >= 1.5, first
