"""`render.py --scene all`: every scene with the same output options, one file each.

Each scene renders in its own `render.py` process (its own temporary media folder and
output file, so parallel renders never touch the same files), `--jobs` at a time.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import click

from cli_types import resolve_output
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
