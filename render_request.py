"""The render request: one `render.py` call, typed and checked once (R16, R19).

`RenderRequest.from_context` reads click's parsed options once and makes every check
that needs more than one option or the scene registry, before any work: which run
options a scene takes, whether saved runs fit it, where the output goes and in which
format (render_outputs.py), and whether the render stays within the limits
(render_limits.py). A single render, `--scene all` and `--slides` take the request,
never raw options. For `--scene all`, `forwarded` is every option the user typed,
turned back into argv from the command's own declarations, so each child gets them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import click

from cli_forwarding import as_argv, typed_names
from cli_types import SavedRuns, flag, parameter
from registry import RUN_OPTIONS, SCENES, SceneSpec
from render_limits import (
    PIXELS,
    Plan,
    check_limits,
    frame_rate,
    sizes_of_configs,
    sizes_of_traces,
)
from render_outputs import (
    PARTIAL_BYTES,
    check_alpha,
    deck_file,
    distinct_files,
    fitting_name,
    output_file,
    output_folder,
    writable_folder,
)
from sgdcore.config import RunOptions, chosen_configs
from sgdcore.trace import Trace

# A --scene all child gets its own scene and output file; every other option the
# user typed reaches it as typed.


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
    captions: bool  # also write the beats' sentences as .vtt and .srt
    pace: float | None  # steps shown per second; None: each scene's own
    jobs: int  # parallel renders with --scene all
    slides: bool  # a deck instead of video files
    replay: SavedRuns | None  # saved runs to replay instead of training
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
        one_video = self.scene != "all" and not self.slides and self.fmt != "png"
        return self.output.with_suffix(".png") if self.poster and one_video else None

    @property
    def caption_files(self) -> list[Path]:
        """Where the captions go (WebVTT, SubRip), if they are asked for."""
        one_video = self.scene != "all" and not self.slides and self.fmt != "png"
        if not (self.captions and one_video):
            return []
        return [self.output.with_suffix(".vtt"), self.output.with_suffix(".srt")]

    @property
    def folders(self) -> list[Path]:
        """The folders this request writes files into (for leftovers of killed runs)."""
        written = self.output if self.scene == "all" else self.output.parent
        return [written] + ([self.save_trace.parent] if self.save_trace else [])

    def pace_for(self, spec: SceneSpec) -> float:
        """The user's pace, else the scene's own."""
        return spec.pace if self.pace is None else self.pace

    def traces(self, spec: SceneSpec) -> list[Trace]:
        """The runs `spec` replays: the saved runs, or its runs with the user's options."""
        if self.replay is not None:
            return list(self.replay.traces)
        try:
            return spec.train(self.run)
        except ValueError as error:  # sgdcore's word for bad run options
            raise click.UsageError(f"{error}.") from None

    def plan(self, spec: SceneSpec) -> Plan:
        """What rendering `spec` takes, in steps, bytes and frames (nothing is run)."""
        if self.replay is not None:
            runs = sizes_of_traces(self.replay.traces)
        else:
            try:
                configs = chosen_configs(spec.runs, self.run)
            except ValueError as error:  # sgdcore's word for bad run options
                raise click.UsageError(f"{error}.") from None
            line = spec.problem == "linear_regression"
            points = self.run.points(spec.problem) if line else 0
            points = len(self.run.data) if self.run.data and line else points
            runs = sizes_of_configs(configs, points)
        fps, pixels = frame_rate(self.quality, self.fmt), PIXELS[self.quality]
        redrawn = runs[0].width if spec.redraws else 0
        pace = self.pace_for(spec)
        return Plan(spec.name, runs, pace, fps, pixels, self.slides, redrawn)

    @classmethod
    def from_context(cls, ctx: click.Context) -> RenderRequest:
        """Read click's parsed options once and check them together."""
        params, typed = ctx.params, typed_names(ctx)
        scene, slides, replay = params["scene"], params["slides"], params["trace"]
        output, fmt, save_trace = params["output"], params["fmt"], params["save_trace"]
        given = frozenset(name for name in RUN_OPTIONS if name in typed)
        specs = list(SCENES.values()) if scene == "all" else [SCENES[scene]]
        check_run_options(ctx, specs, given, every=scene == "all")
        if "data" in given:
            why = f"{flag(ctx, 'data')} brings its own points; {{}} cannot change how many."
            refuse(ctx, typed, ("n",), why)
        if scene == "all":
            why = "--scene all renders each scene's own run; {} cannot apply to all."
            refuse(ctx, typed, ("trace", "save_trace"), why)
        if slides:
            why = "--slides makes an HTML deck and a .pptx; {} does not apply."
            refuse(
                ctx,
                typed,
                ("fmt", "transparent", "poster", "captions", "save_trace"),
                why,
            )
            output, fmt = deck_file(ctx, scene, output), "mp4"
        elif scene == "all":
            fmt = check_alpha(ctx, fmt or "mp4", params["transparent"])
            output = output_folder(ctx, output)
        else:
            output, fmt = output_file(ctx, scene, output, fmt, params["transparent"])
        if params["captions"] and fmt == "png":
            raise click.BadParameter(
                "a png is one frame; captions need a video (mp4, webm, mov or gif).",
                ctx,
                parameter(ctx, "captions"),
            )
        if replay is not None:
            check_trace(ctx, specs[0], replay, given)
        if save_trace is not None:
            writable_folder(ctx, save_trace.parent, "save_trace")
            fitting_name(ctx, save_trace, "save_trace", PARTIAL_BYTES)
        run = RunOptions(
            learning_rate=params["lr"],
            n_steps=params["steps"],
            start=params["start"],
            seed=params["seed"],
            n=params["n"],
            batch_size=params["batch_size"],
            epochs=params["epochs"],
            optimizers=params["optimizers"],
            degree=params["degree"],
            weight_decay=params["weight_decay"],
            valid_fraction=params["valid_fraction"],
            data=params["data"],
            function=params["function"],
        )
        if scene == "all" and given:
            check_runs_of_every_scene(run)
        forwarded = as_argv(ctx, typed) if scene == "all" and not slides else ()
        request = cls(
            scene=scene,
            output=output,
            fmt=fmt,
            quality=params["quality"],
            theme=params["theme"],
            transparent=params["transparent"],
            poster=params["poster"],
            captions=params["captions"],
            pace=params["pace"],
            jobs=params["jobs"],
            slides=slides,
            replay=replay,
            save_trace=save_trace,
            run=run,
            given=given,
            forwarded=forwarded,
        )
        request.check_files(ctx)
        for spec in specs:
            check_limits(ctx, request.plan(spec), typed, save_trace is not None)
        return request

    def check_files(self, ctx: click.Context) -> None:
        """Refuse two roles on one file, a role on a folder, a poster name too long."""
        poster, deck = self.poster_file, self.slides
        if poster is not None:
            fitting_name(ctx, poster, "poster", PARTIAL_BYTES)
        for captions in self.caption_files:
            fitting_name(ctx, captions, "captions", PARTIAL_BYTES)
        distinct_files(
            ctx,
            [
                ("output", None if self.scene == "all" else self.output),
                ("output", self.output.with_suffix(".pptx") if deck else None),
                ("poster", poster),
                *(("captions", path) for path in self.caption_files),
                ("save_trace", self.save_trace),
                ("trace", self.replay.path if self.replay else None),
            ],
        )


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
    ctx: click.Context, spec: SceneSpec, replay: SavedRuns, given: frozenset[str]
) -> None:
    """Refuse saved runs that `spec` cannot replay, or run options that would change them."""
    if given:
        names = ", ".join(flag(ctx, name) for name in RUN_OPTIONS if name in given)
        message = f"--trace replays a recorded run; {names} cannot change it."
        raise click.UsageError(message, ctx)
    try:
        spec.check_traces(replay.traces)
    except ValueError as error:
        where = replay.path or "the recorded run"
        fitting = [s.name for s in SCENES.values() if s.replays(replay.traces)]
        fits = ", ".join(fitting) or "no scene"
        message = f"{where}: {error} (these runs fit {fits})."
        raise click.BadParameter(message, ctx, parameter(ctx, "trace")) from None


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
