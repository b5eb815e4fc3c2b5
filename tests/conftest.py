"""Shared fixtures and the golden-frame flags (after manim's tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner, Result

import render
from sgdcore.trace import SCHEMA_VERSION, Trace

REPO = Path(__file__).resolve(strict=True).parent.parent
CONTROL_DATA = (REPO / "tests" / "control_data").resolve(strict=True)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--set_test",
        action="store_true",
        help="Write golden frames into tests/control_data instead of comparing.",
    )
    parser.addoption(
        "--show_diff",
        action="store_true",
        help="Save a PNG of rendered, control and difference under tests/diffs.",
    )


@pytest.fixture
def tiny_trace() -> Trace:
    """A hand-made 2-step linear-regression trace: no torch needed."""
    x = np.array([[-1.0, 1.0], [0.0, 1.0], [1.0, 1.0]])
    y = np.array([-1.0, 2.0, 5.0])
    params = np.array([[-1.0, 1.0], [0.5, 1.5], [2.0, 1.9]])
    loss = ((x @ params.T - y[:, None]) ** 2).mean(axis=0)
    grad = np.array([2 * ((x @ p - y)[:, None] * x).mean(axis=0) for p in params])
    return Trace(
        params=params,
        loss=loss,
        grad=grad,
        full_loss=loss.copy(),
        batch=np.tile(np.arange(3, dtype=np.int64), (2, 1)),
        epoch=np.arange(2, dtype=np.int64),
        iteration=np.zeros(2, dtype=np.int64),
        x=x,
        y=y,
        meta={
            "problem": "linear_regression",
            "schema_version": SCHEMA_VERSION,
            "learning_rate": 0.1,
            "n": 3,
            "diverged_at": None,
        },
    )


def invoke(*args: str) -> Result:
    """Run the CLI in-process with `args`."""
    return CliRunner().invoke(render.main, list(args))


def assert_usage_error(result: Result, *words: str) -> str:
    """Exit 2, no traceback, and the output ends in one `Error:` line naming `words`."""
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    error_lines = [line for line in lines if line.startswith("Error:")]
    assert error_lines == [lines[-1]], result.output
    for word in words:
        assert word.lower() in lines[-1].lower(), result.output
    return lines[-1]
