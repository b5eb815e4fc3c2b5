"""The runs the on-screen number check replays (tests/test_shown_numbers.py).

Committed runs (tests/control_data) need no training: every scene's default, and three
that diverge. The others are trained when the slow tests run: each scene at a learning
rate of 1.5 (lr_compare keeps its rates and starts far out instead), and the scenes
that fit a line on a CSV of points whose x runs from 0 to 10.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sgd_anim.registry import SCENES
from sgdcore.config import RunOptions
from sgdcore.trace import Trace
from sgdcore.user_data import read_points
from tests.conftest import CONTROL_DATA

# Committed runs replayed without training: every scene's default, and three that
# diverge (fit_line at lr 5, gradient descent among the optimisers at 1.5, and the
# double well at 0.28, whose last gradient is too wide for its row)
COMMITTED = {name: (name, "default") for name in SCENES} | {
    "fit_line_diverged": ("fit_line", "fit_line_diverged"),
    "optimizers_one_diverged": ("optimizers", "optimizers_one_diverged"),
    "lr_too_high_double_well": ("lr_too_high", "lr_too_high_double_well"),
    # ten steps at lr 0.4: its last steps change no readout (the lines say so)
    "lr_just_right_settles": ("lr_just_right", "lr_just_right_settles"),
}
# The scenes that write out each update
WORKED = (
    "fit_line",
    "minibatch",
    "landscape",
    "lr_too_high",
    "lr_too_low",
    "lr_just_right",
)


def committed_runs(case: str) -> tuple[str, list[Trace]]:
    """A committed case's scene and runs (tests/control_data)."""
    scene, prefix = COMMITTED[case]
    paths = sorted((CONTROL_DATA / scene).glob(f"{prefix}-run*.npz"))
    assert paths, f"no committed runs {prefix}-run*.npz for {scene}"
    return scene, [Trace.load(path) for path in paths]


def user_csv(folder: Path) -> Path:
    """A CSV of 40 points whose x runs from 0 to 10 (the lesson's are in [−1, 1])."""
    path = folder / "points.csv"
    x = np.linspace(0.0, 10.0, 40)
    y = 3.0 * x + 2.0 + np.random.default_rng(7).normal(0.0, 1.0, x.shape)
    rows = "\n".join(f"{a:.4f},{b:.4f}" for a, b in zip(x, y, strict=True))
    path.write_text("x,y\n" + rows + "\n", encoding="utf-8")
    return path


def trained_cases() -> dict[str, tuple[str, str]]:
    """Runs to train: each scene at lr 1.5 (lr_compare keeps its rates and starts
    far out instead), and the scenes that fit a line on the CSV's points, at their
    own learning rate and at the lesson's 0.1 (too high for x up to 10)."""
    cases = {}
    for name, spec in SCENES.items():
        if "lr" in spec.options:
            cases[f"{name}-lr1.5"] = (name, "lr 1.5")
        else:
            cases[f"{name}-far"] = (name, "start 100")
        if "data" in spec.options:
            cases[f"{name}-points"] = (name, "your points")
            cases[f"{name}-points-lr0.1"] = (name, "your points at lr 0.1")
    return cases


def trained_runs(case: str, folder: Path) -> tuple[str, list[Trace]]:
    """A trained case's scene and runs."""
    scene, kind = trained_cases()[case]
    options = {
        "lr 1.5": RunOptions(learning_rate=1.5),
        "start 100": RunOptions(start=(100.0,)),
        "your points": RunOptions(data=read_points(user_csv(folder))),
        "your points at lr 0.1": RunOptions(
            data=read_points(user_csv(folder)), learning_rate=0.1
        ),
    }[kind]
    return scene, SCENES[scene].train(options)
