"""Many scenes from one command: `--scene all` (a file each) and `--slides` (one deck).

For `--scene all` each scene renders in its own `render.py` process (its own temporary
media folder and output file, so parallel renders never touch the same files),
`--jobs` at a time. A deck renders its scenes in order in this process.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import click

from cli_types import given_options, resolve_output, traces_for, writable_folder
from scenes import CATALOG

RENDER = Path(__file__).resolve().with_name("render.py")


def render_all(ctx: click.Context, folder: Path | None, fmt: str | None, jobs: int, refused: list[str]) -> None:
    """Render every scene into `folder`, printing a line as each one finishes."""
    if refused:
        names = ", ".join("--" + name.replace("_", "-") for name in refused)
        raise click.UsageError(f"--scene all renders each scene's own run; {names} cannot apply to all.")
    folder = folder or Path("renders")
    if folder.exists() and not folder.is_dir():
        raise click.BadParameter(f"{folder} is a file; --scene all writes into a folder.", param_hint="'-o' / '--output'")
    folder.mkdir(parents=True, exist_ok=True)
    params = ctx.params
    outputs = {name: resolve_output(name, folder / f"{name}.{fmt or 'mp4'}", fmt, params["transparent"])[0] for name in CATALOG}
    shared = ["--quality", params["quality"], "--theme", params["theme"]]
    shared += ["--transparent"] * params["transparent"] + ["--poster"] * params["poster"]
    waiting = list(outputs.items())
    running: dict[str, tuple[subprocess.Popen[str], float]] = {}
    failed: list[str] = []
    try:
        while waiting or running:
            while waiting and len(running) < jobs:
                name, output = waiting.pop(0)
                command = [sys.executable, str(RENDER), "--scene", name, "-o", str(output), *shared]
                process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                running[name] = (process, time.perf_counter())
            for name, (process, began) in list(running.items()):
                if process.poll() is None:
                    continue
                _, stderr = process.communicate()
                del running[name]
                done = len(outputs) - len(waiting) - len(running)
                if process.returncode == 0:
                    click.echo(f"[{done}/{len(outputs)}] {outputs[name]}  ({time.perf_counter() - began:.0f} s)")
                else:
                    reason = (stderr.strip().splitlines() or ["no message"])[-1]
                    click.echo(f"[{done}/{len(outputs)}] {name} failed: {reason}", err=True)
                    failed.append(name)
            time.sleep(0.2)
    finally:
        for process, _ in running.values():
            process.terminate()
    if failed:
        raise click.ClickException(f"{len(failed)} scene(s) failed: {', '.join(failed)}")


def render_deck(ctx: click.Context, names: list[str], output: Path | None, loaded: Any, given: list[str]) -> None:
    """Build one slide deck (HTML and PowerPoint) of `names`, in order, and print both paths."""
    from scenes import scene_class
    from scenes.slides import SlidesMissing, build_deck
    from scenes.theme import PALETTES

    params = ctx.params
    for name in given_options(ctx, ("fmt", "transparent", "poster", "save_trace")):
        raise click.UsageError(f"--slides makes an HTML deck and a .pptx; --{name.replace('_', '-')} does not apply.")
    if len(names) > 1 and (given or loaded is not None):
        raise click.UsageError("a deck of every scene uses each scene's own run; training options cannot apply to all.")
    output = output or Path("renders") / f"{names[0] if len(names) == 1 else 'lesson'}.html"
    if output.suffix != ".html":
        raise click.BadParameter(f"{output} must end in .html (the .pptx is written beside it).", param_hint="'-o' / '--output'")
    if output.parent == Path("renders"):
        output.parent.mkdir(exist_ok=True)
    writable_folder(output.parent, "'-o' / '--output'")
    decks = [(scene_class(name), traces_for(name, loaded, given, params)) for name in names]
    try:
        html, pptx = build_deck(decks, output, params["quality"], palette=PALETTES[params["theme"]], steps_per_second=params["pace"])
    except SlidesMissing as error:
        raise click.UsageError(str(error)) from None
    except Exception as error:
        raise click.ClickException(f"deck failed: {error}") from error
    click.echo(f"{html}\n{pptx}")
