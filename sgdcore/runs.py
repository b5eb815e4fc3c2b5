"""Train the runs a scene shows: its default runs with the user's overrides applied.

Which runs a scene shows is the scene registry's business (registry.py); this module
only turns a problem name, default configs and a user's RunOptions into traces.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from typing import TypeVar

from sgdcore.config import RunOptions, SGDConfig
from sgdcore.data import LESSON_COEFFICIENTS, make_line_data
from sgdcore.problems import LinearRegression, Problem, Quadratic
from sgdcore.trace import Trace
from sgdcore.train import run_sgd

T = TypeVar("T")

# The lesson's quadratic: f(w) = w**2, minimum at 0 (sgdcore.config's runs start at 2).
QUADRATIC = Quadratic(curvature=1.0, minimum=0.0)


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


def chosen_configs(
    defaults: Sequence[SGDConfig], options: RunOptions
) -> tuple[SGDConfig, ...]:
    """The default runs, with the user's overrides applied and checked."""
    n_params = len(defaults[0].start)
    if options.start is not None and len(options.start) != n_params:
        raise ValueError(f"the start is {n_params} number(s), got {len(options.start)}")
    if options.epochs is not None and options.n_steps is not None:
        raise ValueError("give --epochs or --steps, not both")
    batch_size = next((c.batch_size for c in defaults if c.batch_size), None)
    if batch_size is not None:
        batch_size = pick(options.batch_size, batch_size)
        if not 1 <= batch_size <= options.n:
            raise ValueError(
                f"batch size must be between 1 and n = {options.n}, got {batch_size}"
            )
    n_steps = options.n_steps
    if options.epochs is not None and batch_size is not None:
        n_steps = options.epochs * math.ceil(
            options.n / batch_size
        )  # updates per epoch
    configs = tuple(defaults)
    if options.optimizers is not None:
        offered = [config.optimizer for config in configs]
        unknown = [name for name in options.optimizers if name not in offered]
        if unknown or not options.optimizers:
            given = ", ".join(options.optimizers) or "none"
            raise ValueError(
                f"optimizers must be some of {', '.join(offered)}, got {given}"
            )
        configs = tuple(c for c in configs if c.optimizer in options.optimizers)
    return tuple(
        replace(
            config,
            learning_rate=pick(options.learning_rate, config.learning_rate),
            n_steps=pick(n_steps, config.n_steps),
            start=pick(options.start, config.start),
            batch_size=batch_size if config.batch_size else None,
            seed=options.seed,
        )
        for config in configs
    )


def build_traces(
    problem: str, defaults: Sequence[SGDConfig], options: RunOptions = RunOptions()
) -> list[Trace]:
    """Train every run in `defaults` on `problem`, with the user's overrides."""
    configs = chosen_configs(defaults, options)
    built = make_problem(problem, options)
    return [run_sgd(built, config) for config in configs]
