"""render.py's options: types, ranges and help, in groups (R18).

Each group is one decorator, as manim-slides' `commons.py` does it, so render.py
stays a page long. The ranges are the limits of render_limits.py, so --help shows
them; the types are cli_types.py's.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from cli_types import (
    FORMAT_NAMES,
    QUALITY_NAMES,
    THEME_NAMES,
    Count,
    DataFile,
    Degrees,
    FunctionName,
    Names,
    Numbers,
    PositiveFinite,
    TraceFile,
    fraction,
    non_negative,
)
from registry import SCENES
from render_limits import (
    MAX_DEGREE,
    MAX_LR,
    MAX_PACE,
    MAX_POINTS,
    MAX_SEED,
    MAX_START,
    MAX_STEPS,
    MAX_WEIGHT_DECAY,
)

F = TypeVar("F", bound=Callable[..., Any])


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
        "--captions",
        is_flag=True,
        help="Also write each beat's sentence as captions next to the video: "
        "NAME.vtt (WebVTT, for HTML5 and PowerPoint) and NAME.srt. Decks carry "
        "them always.",
    ),
    option(
        "--pace",
        type=PositiveFinite(MAX_PACE),
        default=None,
        help="Steps shown per second of video.  [default: the scene's]",
    ),
    option(
        "--jobs",
        type=Count(1, len(SCENES)),
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
        type=PositiveFinite(MAX_LR),
        default=None,
        help="Learning rate.  [default: the scene's]",
    ),
    option(
        "--steps",
        type=Count(1, MAX_STEPS),
        default=None,
        help="Gradient-descent steps.  [default: the scene's]",
    ),
    option(
        "--start",
        type=Numbers(MAX_START),
        default=None,
        help="Starting parameters, comma-separated, each within ±10000 (fit_line: "
        "'a1,a2'; quadratic scenes: 'w').  [default: the scene's]",
    ),
    option(
        "--seed",
        type=Count(0, MAX_SEED),
        default=42,
        help="Seed of the data (and batches).",
    ),
    option(
        "--n",
        type=Count(2, MAX_POINTS),
        default=None,
        help="Number of data points.  [default: 100; 30 for the curve scenes]",
    ),
    option(
        "--batch-size",
        type=Count(1, MAX_POINTS),
        default=None,
        help="Mini-batch size (minibatch scene).  [default: 10]",
    ),
    option(
        "--epochs",
        type=Count(1, MAX_STEPS),
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
    option(
        "--degree",
        type=Degrees(MAX_DEGREE),
        default=None,
        help="Polynomial degree (validation, regularization), or three, "
        "comma-separated (underfit_overfit).  [default: 18; 1,5,18]",
    ),
    option(
        "--weight-decay",
        type=non_negative(MAX_WEIGHT_DECAY),
        default=None,
        help="Weight decay of the regularised model (regularization).  [default: 0.01]",
    ),
    option(
        "--valid-fraction",
        type=fraction(),
        default=0.3,
        help="Share of the points held out for validation (curve scenes).",
    ),
    option(
        "--data",
        type=DataFile(),
        default=None,
        help="Your own points instead of the lesson's: a CSV of two numeric columns "
        "x, y (header row optional), for the scenes that fit a line.  "
        "[default: the lesson's noisy line]",
    ),
    option(
        "--function",
        type=FunctionName(),
        default=None,
        help="Another f(w) for lr_too_high, lr_too_low and lr_just_right "
        "(double_well has a local minimum).  [default: the lesson's w²]",
    ),
)

trace_options = group(
    option(
        "--trace",
        type=TraceFile(),
        default=None,
        help="Replay the runs saved by --save-trace instead of training.",
    ),
    option(
        "--save-trace",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Also save the runs used, all in one .npz (for --trace).",
    ),
)

# Every option of a render, in --help's order: render.py's command and the Python API
# (sgd_anim.py) are both built from this one list.
every_option = group(scene_options, output_options, run_options, trace_options)
