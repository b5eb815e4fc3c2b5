"""The run behind each scene: which problem, and the lesson's default settings."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import TypeVar

from sgdcore.data import LESSON_COEFFICIENTS, make_line_data
from sgdcore.problems import LinearRegression, Problem, Quadratic
from sgdcore.trace import Trace
from sgdcore.train import SGDConfig, run_sgd

T = TypeVar("T")


@dataclass(frozen=True)
class RunOptions:
    """What a user may change about a scene's run; None keeps the scene's default."""

    learning_rate: float | None = None
    n_steps: int | None = None
    start: tuple[float, ...] | None = None
    seed: int = 42
    n: int = 100
    batch_size: int | None = None  # mini-batch scenes only
    epochs: int | None = None  # mini-batch scenes only; sets the steps
    optimizers: tuple[str, ...] | None = None  # the optimizers scene only: which to run


@dataclass(frozen=True)
class Preset:
    """A scene's problem and its default training settings, one per trace it shows."""

    problem: str
    configs: tuple[SGDConfig, ...]


# The lesson's quadratic: f(w) = w**2, so f'(w) = 2w and each step multiplies w by
# (1 - 2 * lr). Plain gradient descent is stable only for lr < 1 / curvature = 1.
QUADRATIC = Quadratic(curvature=1.0, minimum=0.0)
QUADRATIC_START = (2.0,)
# 1.1: every jump overshoots and lands 1.2 times further out (factor -1.2).
TOO_HIGH = SGDConfig(learning_rate=1.1, n_steps=10, start=QUADRATIC_START)
# 0.02: each step keeps 96% of the distance; after 20 steps w is still 0.88 away.
TOO_LOW = SGDConfig(learning_rate=0.02, n_steps=20, start=QUADRATIC_START)
# 0.4: each step keeps 20% of the distance; within 0.01 of the minimum in 4 steps.
JUST_RIGHT = SGDConfig(learning_rate=0.4, n_steps=10, start=QUADRATIC_START)

PRESETS: dict[str, Preset] = {
    # The notebook exactly: lr 0.1, 100 steps from a = (-1, 1).
    "fit_line": Preset("linear_regression", (SGDConfig(),)),
    "lr_too_high": Preset("quadratic", (TOO_HIGH,)),
    "lr_too_low": Preset("quadratic", (TOO_LOW,)),
    "lr_just_right": Preset("quadratic", (JUST_RIGHT,)),
    # Mini-batches of 10 of the 100 points, 6 epochs = 60 updates at lr 0.1; the
    # second run is plain gradient descent over as many updates, shown as a ghost.
    "minibatch": Preset(
        "linear_regression",
        (SGDConfig(n_steps=60, batch_size=10), SGDConfig(n_steps=60)),
    ),
    # The lesson's run, seen on the loss surface as well.
    "landscape": Preset("linear_regression", (SGDConfig(),)),
    "surface_3d": Preset("linear_regression", (SGDConfig(),)),
    # Plain GD, momentum and Adam from the lesson's start at lr 0.1: momentum swings
    # past the minimum and back, Adam moves both parameters at a similar pace.
    "optimizers": Preset(
        "linear_regression",
        tuple(SGDConfig(n_steps=60, optimizer=name) for name in ("gd", "momentum", "adam")),
    ),
    # Same start and step count for all three, so the panels stay in sync.
    "lr_compare": Preset(
        "quadratic",
        tuple(replace(config, n_steps=12) for config in (TOO_LOW, JUST_RIGHT, TOO_HIGH)),
    ),
}


def make_problem(name: str, options: RunOptions) -> Problem:
    """The problem called `name`, with data drawn from the options' seed."""
    if name == "linear_regression":
        x, y = make_line_data(options.n, LESSON_COEFFICIENTS, options.seed)
        return LinearRegression(x, y, LESSON_COEFFICIENTS)
    if name == "quadratic":
        return QUADRATIC
    raise ValueError(f"unknown problem {name!r}")


def pick(override: T | None, default: T) -> T:
    """The user's value when given (even 0, which the config then refuses), else the default."""
    return default if override is None else override


def n_params(scene: str) -> int:
    """How many numbers a start point of `scene`'s problem has."""
    return len(PRESETS[scene].configs[0].start)


def build_traces(scene: str, options: RunOptions = RunOptions()) -> list[Trace]:
    """Train every run behind `scene`, with the user's overrides, and return the traces."""
    preset = PRESETS[scene]
    if options.start is not None and len(options.start) != n_params(scene):
        raise ValueError(
            f"{scene} starts from {n_params(scene)} number(s), got {len(options.start)}"
        )
    batch_size = next((c.batch_size for c in preset.configs if c.batch_size), None)
    if batch_size is None and (options.batch_size or options.epochs):
        raise ValueError(f"{scene} uses no mini-batches; --batch-size and --epochs do not apply")
    if options.epochs is not None and options.n_steps is not None:
        raise ValueError("give --epochs or --steps, not both")
    if batch_size is not None:
        batch_size = pick(options.batch_size, batch_size)
        if not 1 <= batch_size <= options.n:
            raise ValueError(f"batch size must be between 1 and n = {options.n}, got {batch_size}")
    n_steps = options.n_steps
    if options.epochs is not None and batch_size is not None:
        n_steps = options.epochs * math.ceil(options.n / batch_size)  # updates per epoch
    configs = preset.configs
    if options.optimizers is not None:
        offered = [config.optimizer for config in configs]
        if scene != "optimizers":
            raise ValueError(f"{scene} runs one optimiser; --optimizers does not apply")
        unknown = [name for name in options.optimizers if name not in offered]
        if unknown or not options.optimizers:
            raise ValueError(f"optimizers must be some of {', '.join(offered)}, got {', '.join(options.optimizers) or 'none'}")
        configs = tuple(config for config in configs if config.optimizer in options.optimizers)
    problem = make_problem(preset.problem, options)
    return [
        run_sgd(
            problem,
            replace(
                config,
                learning_rate=pick(options.learning_rate, config.learning_rate),
                n_steps=pick(n_steps, config.n_steps),
                start=pick(options.start, config.start),
                batch_size=batch_size if config.batch_size else None,
                seed=options.seed,
            ),
        )
        for config in configs
    ]


def build_trace(scene: str, options: RunOptions = RunOptions()) -> Trace:
    """The (first) trace behind `scene`."""
    return build_traces(scene, options)[0]
