"""Forwarding a command line: the options the user set, back as argv for a child
process (`--scene all` renders each scene in its own process)."""

from __future__ import annotations

import os

from sgd_anim.cli.options import FLAG_OPTIONS
from sgd_anim.options import OPTIONS, RenderOptions

# Each child gets its own scene and output, and draws its clip in one process
PER_CHILD = ("scene", "output", "jobs")


def as_argv(options: RenderOptions) -> tuple[str, ...]:
    """The options set but PER_CHILD, back as argv in their long flags."""
    argv: list[str] = []
    for name, option in OPTIONS.items():
        if name not in options.given or name in PER_CHILD:
            continue
        value = getattr(options, name)
        if name in FLAG_OPTIONS:
            argv += [option.flag] if value else []
        else:
            argv += [option.flag, as_text(value)]
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
