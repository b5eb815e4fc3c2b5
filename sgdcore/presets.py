"""The run behind each scene: which problem, and the lesson's default settings."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sgdcore.data import LESSON_COEFFICIENTS, make_line_data
from sgdcore.problems import LinearRegression, Problem
from sgdcore.trace import Trace
from sgdcore.train import SGDConfig, run_sgd


@dataclass(frozen=True)
class RunOptions:
    """What a user may change about a scene's run; None keeps the scene's default."""

    learning_rate: float | None = None
    n_steps: int | None = None
    start: tuple[float, ...] | None = None
    seed: int = 42
    n: int = 100


@dataclass(frozen=True)
class Preset:
    """A scene's problem and its default training settings."""

    problem: str
    config: SGDConfig


PRESETS: dict[str, Preset] = {
    # The notebook exactly: lr 0.1, 100 steps from a = (-1, 1).
    "fit_line": Preset("linear_regression", SGDConfig()),
}


def make_problem(name: str, options: RunOptions) -> Problem:
    """The problem called `name`, with data drawn from the options' seed."""
    if name == "linear_regression":
        x, y = make_line_data(options.n, LESSON_COEFFICIENTS, options.seed)
        return LinearRegression(x, y, LESSON_COEFFICIENTS)
    raise ValueError(f"unknown problem {name!r}")


def build_trace(scene: str, options: RunOptions = RunOptions()) -> Trace:
    """Train the run behind `scene`, with the user's overrides, and return its trace."""
    preset = PRESETS[scene]
    config = replace(
        preset.config,
        learning_rate=options.learning_rate or preset.config.learning_rate,
        n_steps=options.n_steps or preset.config.n_steps,
        start=options.start or preset.config.start,
        seed=options.seed,
    )
    return run_sgd(make_problem(preset.problem, options), config)
