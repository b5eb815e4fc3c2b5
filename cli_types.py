"""Parameter types and callbacks for render.py: validation at the boundary (R18, R19)."""

from __future__ import annotations

import math
from typing import Any

import click

from scenes import CATALOG


class PositiveFinite(click.ParamType):
    """A float that is > 0 and finite (click.FloatRange lets nan and inf through)."""

    name = "float"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        number = click.FLOAT.convert(value, param, ctx)
        if not (math.isfinite(number) and number > 0):
            self.fail(f"{value!r} is not a positive finite number.", param, ctx)
        return float(number)


class Numbers(click.ParamType):
    """Comma-separated numbers, such as a starting point `-1,1`."""

    name = "numbers"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> tuple[float, ...]:
        try:
            return tuple(float(part) for part in str(value).split(","))
        except ValueError:
            self.fail(f"{value!r} is not comma-separated numbers.", param, ctx)


class TraceFile(click.ParamType):
    """A trace saved with --save-trace, loaded (numpy only) and checked."""

    name = "trace.npz"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from sgdcore.trace import Trace, TraceFileError

        try:
            return Trace.load(value)
        except TraceFileError as error:
            self.fail(str(error), param, ctx)


def list_scenes(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """Print every scene with its description, without importing torch or manim."""
    if value:
        for name, entry in CATALOG.items():
            click.echo(f"{name:<16}{entry.description}")
        ctx.exit()


def raise_on_sigterm(_signum: int, _frame: Any) -> None:
    """Turn SIGTERM into KeyboardInterrupt so cleanup runs as for Ctrl-C."""
    raise KeyboardInterrupt
