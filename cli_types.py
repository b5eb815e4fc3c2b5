"""render.py's options: their types, ranges and help, in groups (R18, R19).

Each group is one decorator, as manim-slides' `commons.py` does it, so render.py
stays a page long. Values are checked here one option at a time; checks that need
several options or the scene registry live in render_request.py.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from registry import SCENES

# The names of scenes.formats.FORMATS and scenes.theme.PALETTES, listed here so that
# --help and --list import no manim (tests check that they agree).
FORMAT_NAMES = ["mp4", "webm", "mov", "gif", "png"]
ALPHA_FORMAT_NAMES = ["mov", "png", "webm"]
THEME_NAMES = ["dark", "light"]
QUALITY_NAMES = ["low", "medium", "high", "4k"]  # Manim's 480p15 ... 2160p60

F = TypeVar("F", bound=Callable[..., Any])


class PositiveFinite(click.ParamType):  # type: ignore[type-arg]  # generic only in stubs
    """A float that is > 0 and finite (click.FloatRange lets nan and inf through)."""

    name = "float"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        number = click.FLOAT.convert(value, param, ctx)
        if not (math.isfinite(number) and number > 0):
            self.fail(f"{value!r} is not a positive finite number.", param, ctx)
        return float(number)


class Numbers(click.ParamType):  # type: ignore[type-arg]
    """Comma-separated numbers, such as a starting point `-1,1`."""

    name = "numbers"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> tuple[float, ...]:
        if isinstance(value, tuple):
            return value
        try:
            return tuple(float(part) for part in str(value).split(","))
        except ValueError:
            self.fail(f"{value!r} is not comma-separated numbers.", param, ctx)


class Names(click.ParamType):  # type: ignore[type-arg]
    """Comma-separated names, such as `gd,adam`."""

    name = "names"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> tuple[str, ...]:
        if isinstance(value, tuple):
            return value
        return tuple(part.strip() for part in str(value).split(",") if part.strip())


class TraceFile(click.ParamType):  # type: ignore[type-arg]
    """A trace saved with --save-trace, loaded (numpy only) and checked."""

    name = "trace.npz"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> Any:
        from sgdcore.trace import Trace, TraceFileError

        if isinstance(value, Trace):
            return value
        try:
            return Trace.load(value)
        except TraceFileError as error:
            self.fail(str(error), param, ctx)


def list_scenes(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """Print every scene with its description, without importing torch or manim."""
    if value:
        for name, spec in SCENES.items():
            click.echo(f"{name:<16}{spec.description}")
        ctx.exit()


def option(*declarations: str, **attributes: Any) -> Callable[[F], F]:
    """A click option that shows its default in --help (R18)."""
    return click.option(*declarations, show_default=True, **attributes)


def group(*options: Callable[[F], F]) -> Callable[[F], F]:
    """One decorator applying `options` in order (the first is listed first)."""

    def apply(function: F) -> F:
        for decorate in reversed(options):
            function = decorate(function)
        return function

    return apply


scene_options = group(
    option(
        "--list",
        is_flag=True,
        is_eager=True,
        expose_value=False,
        callback=list_scenes,
        help="List the scenes and exit.",
    ),
    option(
        "--scene",
        type=click.Choice([*SCENES, "all"]),
        required=True,
        help="Scene to render; 'all' renders each into the -o folder.",
    ),
)

output_options = group(
    option(
        "--quality",
        type=click.Choice(QUALITY_NAMES),
        default="high",
        help="480p15, 720p30, 1080p60 or 2160p60 (gif: 25 fps).",
    ),
    option(
        "-o",
        "--output",
        type=click.Path(path_type=Path),
        default=None,
        help="File to write (a folder with --scene all).  "
        "[default: renders/SCENE.FORMAT]",
    ),
    option(
        "--format",
        "fmt",
        type=click.Choice(FORMAT_NAMES),
        default=None,
        help="mp4 (H.264, plays everywhere), webm (VP9), mov (ProRes, for editors), "
        "gif (looping), png (last frame).  [default: from -o, else mp4]",
    ),
    option(
        "--transparent",
        is_flag=True,
        help="No background: webm (VP9 alpha), mov (ProRes 4444) or png only. "
        "PowerPoint ignores alpha in video.",
    ),
    option(
        "--theme",
        type=click.Choice(THEME_NAMES),
        default="dark",
        help="dark: Manim's look; light: dark ink on white slides.",
    ),
    option(
        "--poster",
        is_flag=True,
        help="Also write the final frame as a PNG next to the video.",
    ),
    option(
        "--pace",
        type=PositiveFinite(),
        default=None,
        help="Steps shown per second of video.  [default: the scene's]",
    ),
    option(
        "--jobs",
        type=click.IntRange(min=1),
        default=1,
        help="Parallel renders with --scene all.",
    ),
    option(
        "--slides",
        is_flag=True,
        help="A slide deck instead: reveal.js HTML (plays offline) and PowerPoint, "
        "pausing where a lecturer talks. With --scene all, one deck of every scene.",
    ),
)

# The run options: their parameter names are registry.RUN_OPTIONS.
run_options = group(
    option(
        "--lr",
        type=PositiveFinite(),
        default=None,
        help="Learning rate.  [default: the scene's]",
    ),
    option(
        "--steps",
        type=click.IntRange(min=1),
        default=None,
        help="Gradient-descent steps.  [default: the scene's]",
    ),
    option(
        "--start",
        type=Numbers(),
        default=None,
        help="Starting parameters, comma-separated (fit_line: 'a1,a2'; "
        "quadratic scenes: 'w').  [default: the scene's]",
    ),
    option(
        "--seed",
        type=int,
        default=42,
        help="Seed of the data (and batches).",
    ),
    option(
        "--n",
        type=click.IntRange(min=2),
        default=100,
        help="Number of data points.",
    ),
    option(
        "--batch-size",
        type=click.IntRange(min=1),
        default=None,
        help="Mini-batch size (minibatch scene).  [default: 10]",
    ),
    option(
        "--epochs",
        type=click.IntRange(min=1),
        default=None,
        help="Passes over the data, instead of --steps (minibatch scene).  "
        "[default: 6]",
    ),
    option(
        "--optimizers",
        type=Names(),
        default=None,
        help="Which to show, comma-separated: gd, momentum, adam (optimizers scene). "
        " [default: all three]",
    ),
)

trace_options = group(
    option(
        "--trace",
        type=TraceFile(),
        default=None,
        help="Replay this saved trace instead of training.",
    ),
    option(
        "--save-trace",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Also save the trace used, as .npz.",
    ),
)
