"""Render a lesson-2 SGD scene from a real torch training run: `python render.py --help`."""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Any

import click

import scenes
from cli_types import Numbers, PositiveFinite, TraceFile, list_scenes, raise_on_sigterm
from scenes import CATALOG


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--list", is_flag=True, is_eager=True, expose_value=False, callback=list_scenes, help="List the scenes and exit.")
@click.option("--scene", type=click.Choice(list(CATALOG)), required=True, help="Scene to render.")
@click.option("--quality", type=click.Choice(["low", "medium", "high", "4k"]), default="high", show_default=True, help="480p15, 720p30, 1080p60 or 2160p60.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Video path.  [default: renders/SCENE.mp4]")
@click.option("--lr", type=PositiveFinite(), default=None, help="Learning rate.  [default: the scene's]")
@click.option("--steps", type=click.IntRange(min=1), default=None, help="Gradient-descent steps.  [default: the scene's]")
@click.option("--seed", type=int, default=42, show_default=True, help="Seed of the data (and batches).")
@click.option("--n", type=click.IntRange(min=2), default=100, show_default=True, help="Number of data points.")
@click.option("--batch-size", type=click.IntRange(min=1), default=None, help="Mini-batch size (minibatch scene).  [default: 10]")
@click.option("--epochs", type=click.IntRange(min=1), default=None, help="Passes over the data, instead of --steps (minibatch scene).  [default: 6]")
@click.option("--start", type=Numbers(), default=None, help="Starting parameters, comma-separated (fit_line: 'a1,a2'; quadratic scenes: 'w').  [default: the scene's]")
@click.option("--pace", type=PositiveFinite(), default=None, help="Steps shown per second of video.  [default: the scene's]")
@click.option("--trace", "loaded", type=TraceFile(), default=None, help="Replay this saved trace instead of training.")
@click.option("--save-trace", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Also save the trace used, as .npz.")
def main(scene: str, quality: str, output: Path | None, lr: float | None, steps: int | None, seed: int, n: int, batch_size: int | None, epochs: int | None, start: tuple[float, ...] | None, pace: float | None, loaded: Any, save_trace: Path | None) -> None:
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
    given = [name for name in ("lr", "steps", "seed", "n", "start", "batch_size", "epochs") if ctx.get_parameter_source(name).name != "DEFAULT"]
    if loaded is not None and given:
        options = ", ".join("--" + name.replace("_", "-") for name in given)
        raise click.UsageError(f"--trace replays a recorded run; {options} cannot change it.")
    from scenes.export import render_scene

    scene_class = scenes.scene_class(scene)
    if lr is not None and scene_class.n_traces > 1:
        raise click.BadParameter(f"{scene} compares its own {scene_class.n_traces} learning rates; it takes no --lr.", param_hint="'--lr'")
    if loaded is not None:
        if loaded.problem != scene_class.problem or scene_class.n_traces != 1:
            raise click.BadParameter(f"that is one {loaded.problem} trace; {scene} replays {scene_class.n_traces} {scene_class.problem} trace(s).", param_hint="'--trace'")
        traces = [loaded]
    else:
        from sgdcore.presets import RunOptions, build_traces

        try:
            traces = build_traces(scene, RunOptions(lr, steps, start, seed, n, batch_size, epochs))
        except ValueError as error:
            raise click.UsageError(f"{error}.") from None
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
