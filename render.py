"""Render a lesson-2 SGD scene from a real torch training run: `python render.py --help`."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Any

import click

from cli_types import output_options, run_options, scene_options, trace_options
from registry import SCENES
from render_request import RenderRequest
from sgdcore.trace import Trace


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@scene_options
@output_options
@run_options
@trace_options
def main(**_: object) -> None:
    """Train with torch, then render the run as a video with Manim."""
    # The options are read once, typed and checked, into the request.
    request = RenderRequest.from_context(click.get_current_context())
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
    signal.signal(signal.SIGTERM, raise_on_sigterm)
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
            palette=PALETTES[request.theme],
            pace=request.pace_for(spec),
        )
    except Exception as error:
        raise click.ClickException(f"render failed: {error}") from error
    frames = f", {info.frames} frames" if request.fmt != "png" else ""
    size = f"{info.width}x{info.height}{frames}, {info.codec}"
    click.echo(f"{request.output}  ({size})" + (f"\n{poster}" if poster else ""))


def save_traces(traces: list[Trace], path: Path) -> None:
    """Save the runs used: `path` for one, `path-0`, `path-1`, ... for several."""
    for index, trace in enumerate(traces):
        several = path.with_stem(f"{path.stem}-{index}")
        trace.save(path if len(traces) == 1 else several)


def raise_on_sigterm(_signum: int, _frame: Any) -> None:
    """Turn SIGTERM into KeyboardInterrupt so cleanup runs as for Ctrl-C."""
    raise KeyboardInterrupt


if __name__ == "__main__":
    main()
