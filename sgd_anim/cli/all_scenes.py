"""Many scenes from one command: `--scene all` (a file each) and `--slides` (one deck).

For `--scene all` each scene renders in its own `python -m sgd_anim` process (its own temporary
media folder and output file, so parallel renders never touch the same files),
`--jobs` at a time, each given every option the user typed (`forwarded`).
The children stop with the parent: Ctrl-C reaches them all, SIGTERM (turned into
KeyboardInterrupt by the command) makes the parent stop them and wait, and a parent
killed outright takes them with it (sgd_anim.cleanup.end_with_parent). A deck renders
its scenes in order in this process.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import IO, NamedTuple

import click

from sgd_anim.cleanup import PARENT_VARIABLE
from sgd_anim.outputs import no_space_named
from sgd_anim.request import RenderRequest

# Each child runs this same command, from the installed package
COMMAND = (sys.executable, "-m", "sgd_anim")
POLL_SECONDS = 0.2  # how often to look at running children when none has finished
STOP_SECONDS = 10.0  # how long a stopped child may take to clean up before SIGKILL


class Child(NamedTuple):
    """A running child render: its process, the file its stderr goes to, when it began."""

    process: subprocess.Popen[str]
    log: IO[str]
    began: float

    def finished(self) -> bool:
        """Whether the process has exited."""
        return self.process.poll() is not None


def start_child(
    forwarded: tuple[str, ...], name: str, output: Path, logs: ExitStack
) -> Child:
    """Start the command for scene `name` into `output`, with every option the user gave."""
    # A file, not a pipe: a child's progress bar would fill a pipe and stall it.
    log: IO[str] = logs.enter_context(tempfile.TemporaryFile("w+"))  # noqa: SIM115
    # --jobs is how many children run at once; each draws its clip in one process
    scene = ["--scene", name, "-o", str(output), "--jobs", "1"]
    command = [*COMMAND, *scene, *forwarded]
    # The child ends when this process does, however it ends (cleanup.end_with_parent)
    environment = {**os.environ, PARENT_VARIABLE: str(os.getpid())}
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=log, text=True, env=environment
    )
    return Child(process, log, time.perf_counter())


def render_all(request: RenderRequest, forwarded: tuple[str, ...] = ()) -> None:
    """Render every scene into the output folder, printing a line as each finishes."""
    folder, fmt = request.output, request.fmt
    outputs = {spec.name: folder / f"{spec.name}.{fmt}" for spec in request.specs}
    waiting, running, failed = list(outputs), dict[str, Child](), list[str]()
    total = len(outputs)
    with ExitStack() as logs:
        try:
            while waiting or running:
                while waiting and len(running) < request.jobs:
                    name = waiting.pop(0)
                    running[name] = start_child(forwarded, name, outputs[name], logs)
                finished = [name for name, child in running.items() if child.finished()]
                for name in finished:
                    child = running.pop(name)
                    count = f"[{total - len(waiting) - len(running)}/{total}]"
                    if not report(count, name, outputs[name], child):
                        failed.append(name)
                time.sleep(0 if finished else POLL_SECONDS)
        finally:
            stop(list(running.values()))
    if failed:
        raise click.ClickException(
            f"{len(failed)} scene(s) failed: {', '.join(failed)}"
        )


def stop(children: list[Child]) -> None:
    """Stop running children (Ctrl-C, SIGTERM, a failure here) and wait for them.

    SIGTERM lets each clean up as it would for Ctrl-C; one still running after
    STOP_SECONDS is killed, and the next run sweeps what it left.
    """
    for child in children:
        child.process.terminate()
    deadline = time.monotonic() + STOP_SECONDS
    for child in children:
        try:
            child.process.wait(timeout=max(deadline - time.monotonic(), 0))
        except subprocess.TimeoutExpired:
            child.process.kill()
            child.process.wait()


def report(count: str, name: str, output: Path, child: Child) -> bool:
    """Print one line for a finished child; whether it succeeded."""
    if child.process.returncode == 0:
        click.echo(f"{count} {output}  ({time.perf_counter() - child.began:.0f} s)")
        return True
    child.log.seek(0)
    reason = (child.log.read().strip().splitlines() or ["no message"])[-1]
    click.echo(f"{count} {name} failed: {reason}", err=True)
    return False


def render_deck(request: RenderRequest) -> None:
    """Build one slide deck (HTML and PowerPoint) of the request's scenes, in order."""
    from scenes.theme import PALETTES
    from sgd_anim.files.slides import SlidesMissing, build_deck

    request.make_folders()
    decks = [
        (spec.scene_class(), request.traces(spec), request.pace_for(spec))
        for spec in request.specs
    ]
    try:
        with no_space_named(Path(tempfile.gettempdir()), request.output.parent):
            html, pptx = build_deck(
                decks, request.output, request.quality, palette=PALETTES[request.theme]
            )
    except SlidesMissing as error:
        raise click.UsageError(str(error)) from None
    except Exception as error:
        raise click.ClickException(f"deck failed: {error}") from error
    click.echo(f"{html}\n{pptx}")
