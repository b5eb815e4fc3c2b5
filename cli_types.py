"""Parameter types and callbacks for render.py: validation at the boundary (R18, R19)."""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

import click

import scenes
from scenes import CATALOG

TRAINING_OPTIONS = ("lr", "steps", "seed", "n", "start", "batch_size", "epochs", "optimizers")
# The names of scenes.formats.FORMATS, listed here so --help needs no manim import.
FORMAT_NAMES = ["mp4", "webm", "mov", "gif", "png"]
ALPHA_FORMAT_NAMES = ["mov", "png", "webm"]


class PositiveFinite(click.ParamType):  # type: ignore[type-arg]  # generic only in stubs
    """A float that is > 0 and finite (click.FloatRange lets nan and inf through)."""

    name = "float"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        number = click.FLOAT.convert(value, param, ctx)
        if not (math.isfinite(number) and number > 0):
            self.fail(f"{value!r} is not a positive finite number.", param, ctx)
        return float(number)


class Numbers(click.ParamType):  # type: ignore[type-arg]
    """Comma-separated numbers, such as a starting point `-1,1`."""

    name = "numbers"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> tuple[float, ...]:
        try:
            return tuple(float(part) for part in str(value).split(","))
        except ValueError:
            self.fail(f"{value!r} is not comma-separated numbers.", param, ctx)


class Names(click.ParamType):  # type: ignore[type-arg]
    """Comma-separated names, such as `gd,adam`."""

    name = "names"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> tuple[str, ...]:
        return tuple(part.strip() for part in str(value).split(",") if part.strip())


class TraceFile(click.ParamType):  # type: ignore[type-arg]
    """A trace saved with --save-trace, loaded (numpy only) and checked."""

    name = "trace.npz"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from sgdcore.trace import Trace, TraceFileError

        try:
            return Trace.load(value)
        except TraceFileError as error:
            self.fail(str(error), param, ctx)


def list_scenes(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """Print every scene with its description, without importing torch or manim."""
    if value:
        for name, entry in CATALOG.items():
            click.echo(f"{name:<16}{entry.description}")
        ctx.exit()


def raise_on_sigterm(_signum: int, _frame: Any) -> None:
    """Turn SIGTERM into KeyboardInterrupt so cleanup runs as for Ctrl-C."""
    raise KeyboardInterrupt


def writable_folder(folder: Path, hint: str) -> None:
    """Refuse (exit 2) a folder that does not exist or cannot be written."""
    if not folder.is_dir() or not os.access(folder, os.W_OK):
        raise click.BadParameter(f"cannot write to folder {folder}.", param_hint=hint)


def resolve_output(
    scene: str, output: Path | None, fmt: str | None, transparent: bool
) -> tuple[Path, str]:
    """The file to write and its format, from -o and --format; refuse what cannot work."""
    hint = "'-o' / '--output'"
    if output is not None and output.is_dir():
        raise click.BadParameter(f"{output} is a folder; give a file name.", param_hint=hint)
    suffix = output.suffix.lstrip(".").lower() if output is not None else ""
    if output is not None and suffix not in FORMAT_NAMES:
        raise click.BadParameter(f"{output} must end in one of .{', .'.join(FORMAT_NAMES)}.", param_hint=hint)
    if fmt is not None and output is not None and suffix != fmt:
        raise click.BadParameter(f"{output} does not end in .{fmt}.", param_hint=hint)
    fmt = fmt or suffix or "mp4"
    if transparent and fmt not in ALPHA_FORMAT_NAMES:
        raise click.BadParameter(
            f"{fmt} has no alpha channel; transparent output needs --format webm (VP9), mov (ProRes 4444) or png.",
            param_hint="'--transparent'",
        )
    if output is None:
        output = Path("renders") / f"{scene}.{fmt}"
        output.parent.mkdir(exist_ok=True)
    writable_folder(output.parent, hint)
    return output, fmt


def given_options(ctx: click.Context, names: tuple[str, ...]) -> list[str]:
    """The options among `names` that the user set (not left at their defaults)."""
    sources = {name: ctx.get_parameter_source(name) for name in names}
    return [name for name, source in sources.items() if source is not None and source.name != "DEFAULT"]


def traces_for(scene: str, loaded: Any, given: list[str], options: dict[str, Any]) -> list[Any]:
    """The traces `scene` replays: the loaded one, or new runs with the user's options."""
    scene_class = scenes.scene_class(scene)
    if loaded is not None and given:
        raise click.UsageError(f"--trace replays a recorded run; {', '.join('--' + g.replace('_', '-') for g in given)} cannot change it.")
    if options["lr"] is not None and scene_class.own_learning_rates:
        raise click.BadParameter(f"{scene} compares its own {scene_class.n_traces} learning rates; it takes no --lr.", param_hint="'--lr'")
    if loaded is not None:
        if loaded.problem != scene_class.problem or scene_class.n_traces != 1:
            raise click.BadParameter(f"that is one {loaded.problem} trace; {scene} replays {scene_class.n_traces} {scene_class.problem} trace(s).", param_hint="'--trace'")
        return [loaded]
    from sgdcore.presets import RunOptions, build_traces

    try:
        run = RunOptions(learning_rate=options["lr"], n_steps=options["steps"], start=options["start"], seed=options["seed"], n=options["n"], batch_size=options["batch_size"], epochs=options["epochs"], optimizers=options["optimizers"])
        return build_traces(scene, run)
    except ValueError as error:
        raise click.UsageError(f"{error}.") from None
