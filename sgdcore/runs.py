"""Train the runs a scene shows: its default runs with the user's overrides applied.

Which runs a scene shows is the scene registry's business (registry.py); this module
only turns a problem name, default configs and a user's RunOptions into traces.
"""

from __future__ import annotations

from collections.abc import Sequence

from sgdcore.config import RunOptions, SGDConfig, chosen_configs
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


def build_traces(
    problem: str, defaults: Sequence[SGDConfig], options: RunOptions = RunOptions()
) -> list[Trace]:
    """Train every run in `defaults` on `problem`, with the user's overrides."""
    configs = chosen_configs(defaults, options)
    return [run_sgd(make_problem(problem, options, c), c) for c in configs]
