"""The style gates CI enforces: ruff format, ruff check and mypy, as the README's
test command runs them. Each runs the tool over the whole project in a subprocess."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

BIN = Path(sys.executable).parent
TOOL_TIMEOUT = 300  # mypy from a cold cache takes about a minute on two cores


def run_tool(*command: str) -> subprocess.CompletedProcess[str]:
    """Run a tool from the virtualenv at the repository root."""
    return subprocess.run(
        [str(BIN / command[0]), *command[1:]],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=TOOL_TIMEOUT,
    )


@pytest.mark.parametrize(
    "command",
    [("ruff", "format", "--check", "."), ("ruff", "check", "."), ("mypy",)],
    ids=["ruff-format", "ruff-check", "mypy"],
)
def test_project_passes_style_gate(command: tuple[str, ...]) -> None:
    result = run_tool(*command)
    assert result.returncode == 0, result.stdout + result.stderr
