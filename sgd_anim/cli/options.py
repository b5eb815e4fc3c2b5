"""The command's options, made from the library's one list (sgd_anim.options.OPTIONS).

Each option keeps its keyword as click's parameter name, so the values click parses
map one to one onto `RenderOptions`; the help, defaults and ranges are the
library's, and --help shows them. Manim's own quality flags (-ql -qm -qh -qk) are
accepted beside --quality, and --list and --version answer and exit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from sgd_anim.cli.types import type_of
from sgd_anim.options import OPTIONS
from sgd_anim.registry import SCENES

F = TypeVar("F", bound=Callable[..., Any])

SHORT_FLAGS = {"output": ["-o"]}
FLAG_OPTIONS = {"transparent", "poster", "captions", "slides"}
# Manim's -ql, -qm, -qh and -qk, as its users type them
MANIM_QUALITY = {"-ql": "low", "-qm": "medium", "-qh": "high", "-qk": "4k"}


def list_scenes(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """Print every scene with its description, without importing torch or manim."""
    if value:
        width = max(map(len, SCENES)) + 2
        for name, spec in SCENES.items():
            click.echo(f"{name:<{width}}{spec.description}")
        ctx.exit()


def manim_quality(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """-ql and its kin: the quality, unless --quality says otherwise."""
    if value:
        ctx.meta.setdefault("manim_quality", MANIM_QUALITY[param.opts[0]])


def library_option(name: str) -> Callable[[F], F]:
    """The click option for OPTIONS[name]: its flag, type, default and help."""
    option = OPTIONS[name]
    declarations = [*SHORT_FLAGS.get(name, []), option.flag, name]
    if name in FLAG_OPTIONS:
        return click.option(
            *declarations, is_flag=True, show_default=True, help=option.help
        )
    if name == "scene":  # no default at all: click then reports it missing
        return click.option(
            *declarations, type=type_of(name), required=True, help=option.help
        )
    return click.option(
        *declarations,
        type=type_of(name),
        default=option.default,
        show_default=option.default is not None,
        help=option.help,
    )


def every_option(function: F) -> F:
    """Every option of a render, in --help's order, then --list and -q*."""
    decorators: list[Callable[[F], F]] = [
        click.option(
            "--list",
            is_flag=True,
            is_eager=True,
            expose_value=False,
            callback=list_scenes,
            help="List the scenes and exit.",
        ),
        *(library_option(name) for name in OPTIONS),
        *(
            click.option(
                flag,
                is_flag=True,
                expose_value=False,
                callback=manim_quality,
                help=f"Manim's spelling of --quality {quality}.",
            )
            for flag, quality in MANIM_QUALITY.items()
        ),
    ]
    for decorate in reversed(decorators):
        function = decorate(function)
    return function
