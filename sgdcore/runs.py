"""Train the runs a scene shows: its default runs with the user's overrides applied.

Which runs a scene shows is the scene registry's business (registry.py); this module
only turns a problem name, default configs and a user's RunOptions into traces. A
default learning rate is set for the lesson's own inputs; on the user's points or
f(w), and on every curve's points, it becomes its share of their curvature's limit
(sgdcore.curvature) unless the user gave --lr.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from sgdcore.config import RunOptions, SGDConfig, chosen_configs
from sgdcore.curvature import for_data, for_function
from sgdcore.data import (
    CURVE_NOISE,
    LESSON_COEFFICIENTS,
    make_curve_data,
    make_line_data,
    split,
    user_points,
)
from sgdcore.function_problem import FunctionProblem
from sgdcore.problems import LinearRegression, PolynomialRegression, Problem, Quadratic
from sgdcore.trace import Trace
from sgdcore.train import run_sgd

# The lesson's quadratic: f(w) = w**2, minimum at 0 (sgdcore.config's runs start at 2).
QUADRATIC = Quadratic(curvature=1.0, minimum=0.0)


def make_problem(name: str, options: RunOptions, config: SGDConfig) -> Problem:
    """The problem called `name` for `config`, with data from the options' seed."""
    n = options.points(name)
    if name == "linear_regression" and options.data is not None:
        return user_points(options.data)
    if name == "linear_regression":
        x, y = make_line_data(n, LESSON_COEFFICIENTS, options.seed)
        return LinearRegression(x, y, LESSON_COEFFICIENTS)
    if name == "quadratic" and options.function is not None:
        return FunctionProblem(options.function)
    if name == "quadratic":
        return QUADRATIC
    if name == "polynomial" and config.degree is not None:
        x, y = make_curve_data(n, CURVE_NOISE, options.seed)
        _, valid = split(x, options.valid_fraction, options.seed)
        return PolynomialRegression(x, y, config.degree, valid, CURVE_NOISE)
    raise ValueError(f"unknown problem {name!r}")


def suited(config: SGDConfig, problem: Problem, options: RunOptions) -> SGDConfig:
    """`config` with a learning rate suited to `problem`'s curvature, where it needs one.

    The user's --lr stands, and so does Adam's (its steps do not grow with the
    gradient); so does the lesson's own line, whose data the defaults were set for.
    """
    if options.learning_rate is not None or config.optimizer == "adam":
        return config
    if isinstance(problem, FunctionProblem):
        return for_function(config, problem.function)
    if isinstance(problem, PolynomialRegression) or (
        isinstance(problem, LinearRegression) and options.data is not None
    ):
        return for_data(config, problem.design())
    return config


def build_traces(
    problem: str, defaults: Sequence[SGDConfig], options: RunOptions = RunOptions()
) -> list[Trace]:
    """Train every run in `defaults` on `problem`, with the user's overrides.

    Polynomials side by side on the same points share one learning rate: the one
    suited to the largest degree, whose curvature is the largest (its features
    include every smaller model's), so it is stable for each of them too; each
    run's meta keeps its own stable limit.
    """
    configs = chosen_configs(defaults, options)
    problems = [make_problem(problem, options, config) for config in configs]
    suited_configs = [
        suited(config, built, options)
        for config, built in zip(configs, problems, strict=True)
    ]
    if problem == "polynomial" and len({c.degree for c in configs}) > 1:
        largest = max(range(len(configs)), key=lambda i: configs[i].degree or 0)
        shared = suited_configs[largest]
        suited_configs = [
            replace(config, learning_rate=shared.learning_rate)
            for config in suited_configs
        ]
    return [
        run_sgd(built, config)
        for built, config in zip(problems, suited_configs, strict=True)
    ]
