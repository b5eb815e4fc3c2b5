"""Render a lesson-2 SGD scene from a real torch training run: `python render.py --help`."""

from __future__ import annotations

from pathlib import Path

import click

from cli_options import output_options, run_options, scene_options, trace_options
from registry import SCENES
from render_cleanup import sigterm_as_interrupt, sweep_leftovers
from render_request import RenderRequest
from sgdcore.trace import Trace, save_runs


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@scene_options
@output_options
@run_options
@trace_options
def main(**_: object) -> None:
    """Train with torch, then render the run as a video with Manim."""
    # The options are read once, typed and checked against every limit, into the request.
    request = RenderRequest.from_context(click.get_current_context())
    # SIGTERM cleans up as Ctrl-C does; what killed runs left goes first
    with sigterm_as_interrupt():
        sweep_leftovers(*request.folders)
        if request.slides:
            from render_all import render_deck

            render_deck(request)
        elif request.scene == "all":
            from render_all import render_all

            render_all(request)
        else:
            render_one(request)


def render_one(request: RenderRequest) -> None:
    """Train (or load) the scene's runs, render them, and print what was written."""
    from scenes.export import render_scene
    from scenes.theme import PALETTES

    spec = SCENES[request.scene]
    traces = request.traces(spec)
    if request.save_trace is not None:
        save_traces(traces, request.save_trace)
    poster = request.poster_file
    try:
        info = render_scene(
            spec.scene_class(),
            traces,
            request.output,
            request.quality,
            fmt=request.fmt,
            transparent=request.transparent,
            poster=poster,
            captions=bool(request.caption_files),
            palette=PALETTES[request.theme],
            pace=request.pace_for(spec),
        )
    except Exception as error:
        raise click.ClickException(f"render failed: {error}") from error
    frames = f", {info.frames} frames" if request.fmt != "png" else ""
    size = f"{info.width}x{info.height}{frames}, {info.codec}"
    extra = [poster] if poster else []
    click.echo(
        "\n".join(
            [f"{request.output}  ({size})", *map(str, extra + request.caption_files)]
        )
    )


def save_traces(traces: list[Trace], path: Path) -> None:
    """Save every run used in one file (for --trace); the old file survives a failure."""
    try:
        save_runs(path, traces)
    except (ValueError, OSError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise click.ClickException(f"--save-trace {path}: {reason}") from None


if __name__ == "__main__":
    main()
