"""Every value the CLI accepts must render: scenes built from runs drawn across the
options' whole accepted range (learning rate up to 10⁶, starts within ±10 000, long
runs), planned without playing. A readout too narrow, a worked update that cannot be
written or a plan that cannot be made fails here as it would fail a render with exit 1.
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from manim import tempconfig

from scenes.theme import DARK
from sgd_anim.registry import SCENES
from sgdcore.config import RunOptions
from tests.conftest import PLANS

pytestmark = pytest.mark.xdist_group(PLANS)

LINE_SCENES = ["fit_line", "landscape", "surface_3d", "minibatch", "optimizers"]
CURVE_SCENES = ["lr_too_high", "lr_too_low", "lr_just_right", "lr_compare"]
RATES = st.floats(1e-6, 1e6).filter(lambda lr: lr > 0)
STEPS = st.sampled_from([1, 2, 3, 7, 99, 1000, 3000])
# HOSTILE_EXAMPLES=500 for a long hunt; the suite draws two runs per scene
WIDE = settings(
    max_examples=int(os.environ.get("HOSTILE_EXAMPLES", "2")),
    deadline=timedelta(seconds=120),
    database=None,
    # the same runs on every machine; a long hunt (HOSTILE_EXAMPLES) draws at random
    derandomize="HOSTILE_EXAMPLES" not in os.environ,
)


def build(scene: str, options: RunOptions) -> None:
    """Train the scene's runs with `options` and plan its replay, as a render would."""
    spec = SCENES[scene]
    traces = spec.train(options)
    settings_ = {"disable_caching": True, "verbosity": "WARNING", "frame_rate": 15}
    with tempconfig(settings_):
        built = spec.scene_class()(
            *traces, pace=spec.pace, palette=DARK, plan_only=True
        )
        built.construct()
        assert built.schedule is not None and built.schedule.beats


@pytest.mark.slow
@pytest.mark.parametrize("scene", LINE_SCENES)
@WIDE
@given(
    lr=RATES,
    steps=STEPS,
    start=st.tuples(st.floats(-1e4, 1e4), st.floats(-1e4, 1e4)),
)
def test_a_line_scene_builds_for_any_accepted_run(
    scene: str, lr: float, steps: int, start: tuple[float, float]
) -> None:
    accepted = SCENES[scene].options
    options = RunOptions(
        learning_rate=lr if "lr" in accepted else None,
        n_steps=steps if "steps" in accepted else None,
        start=start if "start" in accepted else None,
    )
    if "epochs" in accepted:  # a mini-batch run: its steps come from epochs
        options = replace(options, n_steps=None, epochs=max(1, steps // 10))
    build(scene, options)


@pytest.mark.slow
@pytest.mark.parametrize("scene", CURVE_SCENES)
@WIDE
@given(lr=RATES, steps=STEPS, start=st.floats(-1e4, 1e4))
def test_a_learning_rate_scene_builds_for_any_accepted_run(
    scene: str, lr: float, steps: int, start: float
) -> None:
    accepted = SCENES[scene].options
    options = RunOptions(
        learning_rate=lr if "lr" in accepted else None,
        n_steps=steps if "steps" in accepted else None,
        start=(start,) if "start" in accepted else None,
    )
    build(scene, options)


POLYNOMIAL_SCENES = ["underfit_overfit", "validation", "regularization"]


@pytest.mark.slow
@pytest.mark.parametrize("scene", POLYNOMIAL_SCENES)
@WIDE
@given(
    lr=RATES,
    steps=STEPS,
    degrees=st.lists(st.integers(1, 40), min_size=3, max_size=3, unique=True),
    n=st.integers(60, 500),  # enough training points for degree 40
)
def test_a_polynomial_scene_builds_for_any_accepted_run(
    scene: str, lr: float, steps: int, degrees: list[int], n: int
) -> None:
    runs = len({run.degree for run in SCENES[scene].runs})
    options = RunOptions(
        learning_rate=lr,
        n_steps=steps,
        n=n,
        degree=tuple(sorted(degrees)[:runs]),
    )
    build(scene, options)
