"""Train the runs a scene shows: its default runs with the user's overrides applied.

Which runs a scene shows is the scene registry's business (registry.py); this module
only turns a problem name, default configs and a user's RunOptions into traces.
"""

from __future__ import annotations

from collections.abc import Sequence

from sgdcore.config import RunOptions, SGDConfig, chosen_configs
from sgdcore.data import LESSON_COEFFICIENTS, make_line_data, user_points
from sgdcore.function_problem import FunctionProblem
from sgdcore.problems import LinearRegression, Problem, Quadratic
from sgdcore.trace import Trace
from sgdcore.train import run_sgd

# The lesson's quadratic: f(w) = w**2, minimum at 0 (sgdcore.config's runs start at 2).
QUADRATIC = Quadratic(curvature=1.0, minimum=0.0)


def make_problem(name: str, options: RunOptions) -> Problem:
    """The problem called `name`, with data drawn from the options' seed."""
    if name == "linear_regression" and options.data is not None:
        return user_points(options.data)
    if name == "linear_regression":
        x, y = make_line_data(options.n, LESSON_COEFFICIENTS, options.seed)
        return LinearRegression(x, y, LESSON_COEFFICIENTS)
    if name == "quadratic" and options.function is not None:
        return FunctionProblem(options.function)
    if name == "quadratic":
        return QUADRATIC
    raise ValueError(f"unknown problem {name!r}")


def build_traces(
    problem: str, defaults: Sequence[SGDConfig], options: RunOptions = RunOptions()
) -> list[Trace]:
    """Train every run in `defaults` on `problem`, with the user's overrides."""
    configs = chosen_configs(defaults, options)
    built = make_problem(problem, options)
    return [run_sgd(built, config) for config in configs]
