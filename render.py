"""Render a lesson-2 SGD scene from a real torch training run: `python render.py --help`."""

from __future__ import annotations

import math
import os
import signal
from pathlib import Path
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


def list_scenes(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """Print every scene with its description, without importing torch or manim."""
    if value:
        for name, entry in CATALOG.items():
            click.echo(f"{name:<16}{entry.description}")
        ctx.exit()


def raise_on_sigterm(_signum: int, _frame: Any) -> None:
    """Turn SIGTERM into KeyboardInterrupt so cleanup runs as for Ctrl-C."""
    raise KeyboardInterrupt


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--list", is_flag=True, is_eager=True, expose_value=False, callback=list_scenes, help="List the scenes and exit.")
@click.option("--scene", type=click.Choice(list(CATALOG)), required=True, help="Scene to render.")
@click.option("--quality", type=click.Choice(["low", "medium", "high", "4k"]), default="high", show_default=True, help="480p15, 720p30, 1080p60 or 2160p60.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Video path.  [default: renders/SCENE.mp4]")
@click.option("--lr", type=PositiveFinite(), default=None, help="Learning rate.  [default: the scene's]")
@click.option("--steps", type=click.IntRange(min=1), default=None, help="Gradient-descent steps.  [default: the scene's]")
@click.option("--seed", type=int, default=42, show_default=True, help="Seed of the data (and batches).")
@click.option("--n", type=click.IntRange(min=2), default=100, show_default=True, help="Number of data points.")
@click.option("--start", type=str, default=None, help="Starting parameters, comma-separated (fit_line: 'a1,a2'; quadratic scenes: 'w').  [default: the scene's]")
@click.option("--pace", type=PositiveFinite(), default=None, help="Steps shown per second of video.  [default: the scene's]")
@click.option("--trace", "trace_path", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Replay this saved trace instead of training.")
@click.option("--save-trace", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Also save the trace used, as .npz.")
def main(scene: str, quality: str, output: Path | None, lr: float | None, steps: int | None, seed: int, n: int, start: str | None, pace: float | None, trace_path: Path | None, save_trace: Path | None) -> None:
    """Train with torch, then render the run as a video with Manim."""
    ctx = click.get_current_context()
    output = output or Path("renders") / f"{scene}.mp4"
    if output.suffix != ".mp4":
        raise click.BadParameter(f"{output} must end in .mp4.", param_hint="'-o' / '--output'")
    if output.parent == Path("renders"):
        output.parent.mkdir(exist_ok=True)
    if not output.parent.is_dir() or not os.access(output.parent, os.W_OK):
        raise click.BadParameter(f"cannot write to folder {output.parent}.", param_hint="'-o' / '--output'")
    if save_trace is not None and not (save_trace.parent.is_dir() and os.access(save_trace.parent, os.W_OK)):
        raise click.BadParameter(f"cannot write to folder {save_trace.parent}.", param_hint="'--save-trace'")
    if trace_path is not None and any(ctx.get_parameter_source(name).name != "DEFAULT" for name in ("lr", "steps", "seed", "n", "start")):
        raise click.UsageError("--trace replays a recorded run; --lr, --steps, --seed, --n and --start cannot change it.")
    from scenes.export import render_scene
    from sgdcore.trace import Trace, TraceFileError

    scene_class = __import__("scenes").scene_class(scene)
    if lr is not None and scene_class.n_traces > 1:
        raise click.BadParameter(f"{scene} compares its own {scene_class.n_traces} learning rates; it takes no --lr.", param_hint="'--lr'")
    if trace_path is not None:
        try:
            traces = [Trace.load(trace_path)]
        except TraceFileError as error:
            raise click.BadParameter(str(error), param_hint="'--trace'") from None
        if traces[0].problem != scene_class.problem or scene_class.n_traces != 1:
            raise click.BadParameter(f"{trace_path} is one {traces[0].problem} trace; {scene} replays {scene_class.n_traces} {scene_class.problem} trace(s).", param_hint="'--trace'")
    else:
        from sgdcore.presets import RunOptions, build_traces

        try:
            start_values = None if start is None else tuple(float(v) for v in start.split(","))
            traces = build_traces(scene, RunOptions(learning_rate=lr, n_steps=steps, start=start_values, seed=seed, n=n))
        except ValueError as error:
            raise click.BadParameter(str(error).replace("could not convert string to float", "not a number"), param_hint="'--start'") from None
    for index, trace in enumerate(traces if save_trace is not None else []):
        trace.save(save_trace if len(traces) == 1 else save_trace.with_stem(f"{save_trace.stem}-{index}"))
    signal.signal(signal.SIGTERM, raise_on_sigterm)
    try:
        info = render_scene(scene_class, traces, output, quality, steps_per_second=pace)
    except Exception as error:
        raise click.ClickException(f"render failed: {error}") from error
    click.echo(f"{output}  ({info.width}x{info.height}, {info.frames} frames, {info.codec})")


if __name__ == "__main__":
    main()
