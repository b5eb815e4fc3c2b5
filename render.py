"""Render a lesson-2 SGD scene from a real torch training run: `python render.py --help`."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Any

import click

import scenes
from cli_types import (
    FORMAT_NAMES,
    TRAINING_OPTIONS,
    Names,
    Numbers,
    PositiveFinite,
    TraceFile,
    given_options,
    list_scenes,
    raise_on_sigterm,
    resolve_output,
    traces_for,
    writable_folder,
)
from scenes import CATALOG


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--list", is_flag=True, is_eager=True, expose_value=False, callback=list_scenes, help="List the scenes and exit.")
@click.option("--scene", type=click.Choice([*CATALOG, "all"]), required=True, help="Scene to render; 'all' renders each into the -o folder.")
@click.option("--quality", type=click.Choice(["low", "medium", "high", "4k"]), default="high", show_default=True, help="480p15, 720p30, 1080p60 or 2160p60 (gif: 25 fps).")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None, help="File to write (a folder with --scene all).  [default: renders/SCENE.FORMAT]")
@click.option("--format", "fmt", type=click.Choice(FORMAT_NAMES), default=None, help="mp4 (H.264, plays everywhere), webm (VP9), mov (ProRes, for editors), gif (looping), png (last frame).  [default: from -o, else mp4]")
@click.option("--transparent", is_flag=True, help="No background: webm (VP9 alpha), mov (ProRes 4444) or png only. PowerPoint ignores alpha in video.")
@click.option("--theme", type=click.Choice(["dark", "light"]), default="dark", show_default=True, help="dark: Manim's look; light: dark ink on white slides.")
@click.option("--poster", is_flag=True, help="Also write the final frame as a PNG next to the video.")
@click.option("--jobs", type=click.IntRange(min=1), default=1, show_default=True, help="Parallel renders with --scene all.")
@click.option("--slides", is_flag=True, help="A slide deck instead: reveal.js HTML (plays offline) and PowerPoint, pausing where a lecturer talks. With --scene all, one deck of every scene.")
@click.option("--lr", type=PositiveFinite(), default=None, help="Learning rate.  [default: the scene's]")
@click.option("--steps", type=click.IntRange(min=1), default=None, help="Gradient-descent steps.  [default: the scene's]")
@click.option("--seed", type=int, default=42, show_default=True, help="Seed of the data (and batches).")
@click.option("--n", type=click.IntRange(min=2), default=100, show_default=True, help="Number of data points.")
@click.option("--batch-size", type=click.IntRange(min=1), default=None, help="Mini-batch size (minibatch scene).  [default: 10]")
@click.option("--epochs", type=click.IntRange(min=1), default=None, help="Passes over the data, instead of --steps (minibatch scene).  [default: 6]")
@click.option("--optimizers", type=Names(), default=None, help="Which to show, comma-separated: gd, momentum, adam (optimizers scene).  [default: all three]")
@click.option("--start", type=Numbers(), default=None, help="Starting parameters, comma-separated (fit_line: 'a1,a2'; quadratic scenes: 'w').  [default: the scene's]")
@click.option("--pace", type=PositiveFinite(), default=None, help="Steps shown per second of video.  [default: the scene's]")
@click.option("--trace", "loaded", type=TraceFile(), default=None, help="Replay this saved trace instead of training.")
@click.option("--save-trace", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Also save the trace used, as .npz.")
def main(scene: str, output: Path | None, fmt: str | None, jobs: int, loaded: Any, save_trace: Path | None, slides: bool, **options: Any) -> None:
    """Train with torch, then render the run as a video with Manim."""
    ctx = click.get_current_context()
    given = given_options(ctx, TRAINING_OPTIONS)
    if slides:
        from render_all import render_deck

        return render_deck(ctx, [*CATALOG] if scene == "all" else [scene], output, loaded, given)
    if scene == "all":
        from render_all import render_all

        return render_all(ctx, output, fmt, jobs, given + ["trace"] * (loaded is not None) + ["save_trace"] * (save_trace is not None))
    output, fmt = resolve_output(scene, output, fmt, options["transparent"])
    if save_trace is not None:
        writable_folder(save_trace.parent, "'--save-trace'")
    from scenes.export import render_scene
    from scenes.theme import PALETTES

    scene_class = scenes.scene_class(scene)
    traces = traces_for(scene, loaded, given, options)
    for index, trace in enumerate(traces):
        if save_trace is not None:
            trace.save(save_trace if len(traces) == 1 else save_trace.with_stem(f"{save_trace.stem}-{index}"))
    signal.signal(signal.SIGTERM, raise_on_sigterm)
    poster = output.with_suffix(".png") if options["poster"] and fmt != "png" else None
    try:
        info = render_scene(scene_class, traces, output, options["quality"], fmt=fmt, transparent=options["transparent"], poster=poster, palette=PALETTES[options["theme"]], steps_per_second=options["pace"])
    except Exception as error:
        raise click.ClickException(f"render failed: {error}") from error
    frames = f", {info.frames} frames" if fmt != "png" else ""
    click.echo(f"{output}  ({info.width}x{info.height}{frames}, {info.codec})" + (f"\n{poster}" if poster else ""))


if __name__ == "__main__":
    main()
