"""The render request: one `render.py` call, typed and checked once (R16, R19).

`RenderRequest.from_context` reads click's parsed options once and makes every check
that needs more than one option or the scene registry: which run options a scene
takes, whether a saved trace fits it, where the output goes and in which format.
A single render, `--scene all` and `--slides` take the request, never raw options.
For `--scene all`, `forwarded` is every option the user typed, turned back into argv
from the command's own declarations, so each child process gets all of them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import click
from click.core import ParameterSource

from cli_types import ALPHA_FORMAT_NAMES, FORMAT_NAMES
from registry import RUN_OPTIONS, SCENES, SceneSpec
from sgdcore.config import RunOptions, chosen_configs
from sgdcore.trace import Trace

RENDERS = Path("renders")  # the default output folder, made when first needed
# A --scene all child gets its own scene and output file; every other option the
# user typed reaches it as typed.
PER_CHILD = ("scene", "output")
UNTYPED = (
    None,
    ParameterSource.DEFAULT,
)  # the sources of a value the user did not type


@dataclass(frozen=True)
class RenderRequest:
    """One checked render: which scenes, which runs, what to write and how."""

    scene: str  # a registry name, or "all"
    output: Path  # the file; the folder with --scene all; the .html with --slides
    fmt: str  # one of FORMAT_NAMES (a deck's movies are mp4)
    quality: str  # low, medium, high or 4k
    theme: str  # a palette name
    transparent: bool
    poster: bool  # also write the last frame as a PNG
    pace: float | None  # steps shown per second; None: each scene's own
    jobs: int  # parallel renders with --scene all
    slides: bool  # a deck instead of video files
    trace: Trace | None  # a saved run to replay instead of training
    save_trace: Path | None  # where to save the runs used
    run: RunOptions  # the run options, each scene's default where not given
    given: frozenset[str]  # the run options (RUN_OPTIONS names) the user typed
    forwarded: tuple[str, ...] = ()  # --scene all: the options typed but PER_CHILD

    @property
    def specs(self) -> list[SceneSpec]:
        """The registry entries to render, in registry order."""
        return list(SCENES.values()) if self.scene == "all" else [SCENES[self.scene]]

    @property
    def poster_file(self) -> Path | None:
        """Where the poster frame goes, if one is asked for."""
        wanted = self.poster and self.fmt != "png"
        return self.output.with_suffix(".png") if wanted else None

    def pace_for(self, spec: SceneSpec) -> float:
        """The user's pace, else the scene's own."""
        return spec.pace if self.pace is None else self.pace

    def traces(self, spec: SceneSpec) -> list[Trace]:
        """The runs `spec` replays: the saved trace, or its runs with the user's options."""
        if self.trace is not None:
            return [self.trace]
        try:
            return spec.train(self.run)
        except ValueError as error:  # sgdcore's word for bad run options
            raise click.UsageError(f"{error}.") from None

    @classmethod
    def from_context(cls, ctx: click.Context) -> RenderRequest:
        """Read click's parsed options once and check them together."""
        params, typed = ctx.params, typed_names(ctx)
        scene, slides, trace = params["scene"], params["slides"], params["trace"]
        output, fmt = params["output"], params["fmt"]
        given = frozenset(name for name in RUN_OPTIONS if name in typed)
        specs = list(SCENES.values()) if scene == "all" else [SCENES[scene]]
        check_run_options(ctx, specs, given, every=scene == "all")
        if scene == "all":
            why = "--scene all renders each scene's own run; {} cannot apply to all."
            refuse(ctx, typed, ("trace", "save_trace"), why)
        if slides:
            why = "--slides makes an HTML deck and a .pptx; {} does not apply."
            refuse(ctx, typed, ("fmt", "transparent", "poster", "save_trace"), why)
            output, fmt = deck_file(ctx, scene, output), "mp4"
        elif scene == "all":
            fmt = check_alpha(ctx, fmt or "mp4", params["transparent"])
            output = output_folder(ctx, output)
        else:
            output, fmt = output_file(ctx, scene, output, fmt, params["transparent"])
        if trace is not None:
            check_trace(ctx, specs[0], trace, given)
        if params["save_trace"] is not None:
            writable_folder(ctx, params["save_trace"].parent, "save_trace")
        run = RunOptions(
            learning_rate=params["lr"],
            n_steps=params["steps"],
            start=params["start"],
            seed=params["seed"],
            n=params["n"],
            batch_size=params["batch_size"],
            epochs=params["epochs"],
            optimizers=params["optimizers"],
        )
        if scene == "all" and given:
            check_runs_of_every_scene(run)
        forwarded = as_argv(ctx, typed) if scene == "all" and not slides else ()
        return cls(
            scene=scene,
            output=output,
            fmt=fmt,
            quality=params["quality"],
            theme=params["theme"],
            transparent=params["transparent"],
            poster=params["poster"],
            pace=params["pace"],
            jobs=params["jobs"],
            slides=slides,
            trace=trace,
            save_trace=params["save_trace"],
            run=run,
            given=given,
            forwarded=forwarded,
        )


def parameter(ctx: click.Context, name: str) -> click.Parameter:
    """The command's parameter called `name`."""
    return next(param for param in ctx.command.params if param.name == name)


def flag(ctx: click.Context, name: str) -> str:
    """The parameter's long flag, as the user types it (`--batch-size`)."""
    return max(parameter(ctx, name).opts, key=len)


def typed_names(ctx: click.Context) -> list[str]:
    """The parameters the user set, in the command's order (not left at defaults)."""
    names = [param.name for param in ctx.command.params if param.name in ctx.params]
    sources = {name: ctx.get_parameter_source(name) for name in names if name}
    return [name for name, source in sources.items() if source not in UNTYPED]


def as_argv(ctx: click.Context, names: list[str]) -> tuple[str, ...]:
    """The typed options but PER_CHILD, back as argv from their own declarations."""
    argv: list[str] = []
    for name in names:
        param, value = parameter(ctx, name), ctx.params[name]
        if name in PER_CHILD or not isinstance(param, click.Option):
            continue
        if param.is_flag:
            argv += [flag(ctx, name)] if value else param.secondary_opts[:1]
        else:
            argv += [flag(ctx, name), as_text(value)]
    return tuple(argv)


def as_text(value: object) -> str:
    """An option's value as typed: tuples comma-joined, paths and numbers as text."""
    if isinstance(value, tuple):
        return ",".join(str(item) for item in value)
    if isinstance(value, os.PathLike):
        return str(os.fspath(value))
    if isinstance(value, str | int | float):
        return str(value)  # str(float) reads back as the same float
    raise TypeError(f"no command-line text for {value!r}")


def refuse(
    ctx: click.Context, typed: list[str], names: tuple[str, ...], why: str
) -> None:
    """Exit 2 if the user typed any of `names`: `why` says why, naming the first."""
    for name in names:
        if name in typed:
            raise click.UsageError(why.format(flag(ctx, name)), ctx)


def check_run_options(
    ctx: click.Context, specs: list[SceneSpec], given: frozenset[str], every: bool
) -> None:
    """Refuse a run option that a scene does not take (with --scene all: any scene)."""
    for name in (name for name in RUN_OPTIONS if name in given):
        refusing = [spec.name for spec in specs if name not in spec.options]
        if not refusing:
            continue
        option = flag(ctx, name)
        if every:
            message = (
                f"cannot apply to all: {', '.join(refusing)} "
                f"take{'s' * (len(refusing) == 1)} no {option}."
            )
        else:
            taken = ", ".join(
                flag(ctx, o) for o in RUN_OPTIONS if o in specs[0].options
            )
            message = f"{refusing[0]} takes no {option} (it takes {taken})."
        raise click.BadParameter(message, ctx, parameter(ctx, name)) from None


def check_trace(
    ctx: click.Context, spec: SceneSpec, trace: Trace, given: frozenset[str]
) -> None:
    """Refuse a saved trace that `spec` cannot replay, or run options that would change it."""
    if given:
        names = ", ".join(flag(ctx, name) for name in RUN_OPTIONS if name in given)
        message = f"--trace replays a recorded run; {names} cannot change it."
        raise click.UsageError(message, ctx)
    if trace.problem != spec.problem or not spec.shows(1):
        message = (
            f"that is one {trace.problem} trace; {spec.name} replays "
            f"{spec.n_runs} {spec.problem} trace(s)."
        )
        raise click.BadParameter(message, ctx, parameter(ctx, "trace"))


def check_runs_of_every_scene(run: RunOptions) -> None:
    """Refuse run options that some scene's runs cannot take, before anything renders."""
    for spec in SCENES.values():
        try:
            chosen_configs(spec.runs, run)
        except ValueError as error:
            raise click.UsageError(
                f"--scene all gives every scene the same run options; {spec.name}: "
                f"{error}."
            ) from None


def check_alpha(ctx: click.Context, fmt: str, transparent: bool) -> str:
    """`fmt`, unless transparency was asked for and it has no alpha channel."""
    if transparent and fmt not in ALPHA_FORMAT_NAMES:
        message = (
            f"{fmt} has no alpha channel; transparent output needs "
            "--format webm (VP9), mov (ProRes 4444) or png."
        )
        raise click.BadParameter(message, ctx, parameter(ctx, "transparent"))
    return fmt


def writable_folder(ctx: click.Context, folder: Path, name: str) -> None:
    """Refuse (exit 2) a folder that does not exist or cannot be written."""
    if not folder.is_dir() or not os.access(folder, os.W_OK):
        message = f"cannot write to folder {folder}."
        raise click.BadParameter(message, ctx, parameter(ctx, name))


def output_file(
    ctx: click.Context, scene: str, output: Path | None, fmt: str | None, alpha: bool
) -> tuple[Path, str]:
    """The file to write and its format, from -o and --format; refuse what cannot work."""
    param = parameter(ctx, "output")
    if output is not None and output.is_dir():
        raise click.BadParameter(f"{output} is a folder; give a file name.", ctx, param)
    suffix = output.suffix.lstrip(".").lower() if output is not None else ""
    if output is not None and suffix not in FORMAT_NAMES:
        endings = ", .".join(FORMAT_NAMES)
        raise click.BadParameter(f"{output} must end in one of .{endings}.", ctx, param)
    if fmt is not None and output is not None and suffix != fmt:
        raise click.BadParameter(f"{output} does not end in .{fmt}.", ctx, param)
    fmt = check_alpha(ctx, fmt or suffix or "mp4", alpha)
    if output is None:
        output = RENDERS / f"{scene}.{fmt}"
        output.parent.mkdir(exist_ok=True)
    writable_folder(ctx, output.parent, "output")
    return output, fmt


def output_folder(ctx: click.Context, folder: Path | None) -> Path:
    """The folder --scene all writes into, made if missing."""
    folder = folder or RENDERS
    if folder.exists() and not folder.is_dir():
        message = f"{folder} is a file; --scene all writes into a folder."
        raise click.BadParameter(message, ctx, parameter(ctx, "output"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def deck_file(ctx: click.Context, scene: str, output: Path | None) -> Path:
    """The deck's .html (its .pptx goes beside it)."""
    output = output or RENDERS / f"{'lesson' if scene == 'all' else scene}.html"
    if output.suffix != ".html":
        message = f"{output} must end in .html (the .pptx is written beside it)."
        raise click.BadParameter(message, ctx, parameter(ctx, "output"))
    if output.parent == RENDERS:
        output.parent.mkdir(exist_ok=True)
    writable_folder(ctx, output.parent, "output")
    return output
