"""Forwarding a command line: which options the user typed, and those options back
as argv for a child process (`--scene all` renders each scene in its own process)."""

from __future__ import annotations

import os

import click
from click.core import ParameterSource

from cli_types import flag, parameter

PER_CHILD = ("scene", "output")  # each child gets its own
UNTYPED = (None, ParameterSource.DEFAULT)  # sources of a value the user did not type


def typed_names(ctx: click.Context) -> list[str]:
    """The parameters the user set, in the command's order (not left at defaults)."""
    names = [param.name for param in ctx.command.params if param.name in ctx.params]
    sources = {name: ctx.get_parameter_source(name) for name in names if name}
    return [name for name, source in sources.items() if source not in UNTYPED]


def as_argv(ctx: click.Context, names: list[str]) -> tuple[str, ...]:
    """The typed options but PER_CHILD, back as argv from their own declarations."""
    argv: list[str] = []
    for name in names:
        param, value = parameter(ctx, name), ctx.params[name]
        if name in PER_CHILD or not isinstance(param, click.Option):
            continue
        if param.is_flag:
            argv += [flag(ctx, name)] if value else param.secondary_opts[:1]
        else:
            argv += [flag(ctx, name), as_text(value)]
    return tuple(argv)


def as_text(value: object) -> str:
    """An option's value as typed: tuples comma-joined, paths and numbers as text."""
    if isinstance(value, tuple):
        return ",".join(str(item) for item in value)
    if isinstance(value, os.PathLike):
        return str(os.fspath(value))
    if isinstance(value, str | int | float):
        return str(value)  # str(float) reads back as the same float
    raise TypeError(f"no command-line text for {value!r}")
