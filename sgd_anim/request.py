"""The render request: one render's options, checked together once.

`RenderRequest.from_options` makes every check that needs more than one option or
the scene registry, before any work: which run options a scene takes, whether saved
runs fit it and agree with themselves, where the output goes and in which format (sgd_anim.outputs), and
whether the render stays within the limits (sgd_anim.limits). A single render,
`--scene all` and a deck all take the request, never raw options. Messages spell
other options as the caller does (`spell`: `--batch-size` on the command line,
`batch_size` from Python).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from sgd_anim.errors import OptionError
from sgd_anim.limits import (
    PIXELS,
    Plan,
    check_limits,
    frame_rate,
    sizes_of_configs,
    sizes_of_traces,
)
from sgd_anim.options import OPTIONS, RenderOptions
from sgd_anim.outputs import (
    PARTIAL_BYTES,
    check_alpha,
    deck_file,
    distinct_files,
    fitting_name,
    output_file,
    output_folder,
    replaceable,
    replaceable_folder,
    writable_folder,
)
from sgd_anim.player_checks import (
    check_player,
    default_format,
    player_quality,
    varied_runs,
)
from sgd_anim.registry import RUN_OPTIONS, SCENES, SceneSpec
from sgd_anim.run_checks import (
    Spell,
    check_consistent,
    check_runs_of_every_scene,
    check_trace,
    checked_run,
    refuse,
)
from sgd_anim.values import SavedRuns
from sgd_anim.vary import Vary
from sgdcore.config import RunOptions, chosen_configs
from sgdcore.trace import Trace

__all__ = ["RenderRequest", "Spell", "checked_run"]  # the API checks runs alone too


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
    jobs: int  # processes: scenes or runs at a time, or the parts of one mp4
    slides: bool  # a deck instead of video files
    replay: SavedRuns | None  # saved runs to replay instead of training
    save_trace: Path | None  # where to save the runs used
    run: RunOptions  # the run options, each scene's default where not given
    given: frozenset[str]  # the run options (RUN_OPTIONS names) the user typed
    vary: Vary | None = None  # a player's runs: one run option's values
    varied: tuple[RunOptions, ...] = ()  # the run options of each of those runs

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
    def written_files(self) -> list[tuple[str, Path]]:
        """Every file the render moves into place, with the option that names it."""
        if self.slides:
            deck = [self.output, self.output.with_suffix(".pptx")]
            return [("output", path) for path in deck]
        if self.scene != "all":
            files = [("output", self.output)]
            files += [("poster", self.poster_file)] if self.poster_file else []
            files += [("captions", path) for path in self.caption_files]
        else:  # each child writes its scene's file, poster and captions in the folder
            files = []
            for spec in self.specs:
                video = self.output / f"{spec.name}.{self.fmt}"
                files.append(("output", video))
                if self.fmt != "png" and self.poster:
                    files.append(("poster", video.with_suffix(".png")))
                if self.fmt != "png" and self.captions:
                    files += [
                        ("captions", video.with_suffix(s)) for s in (".vtt", ".srt")
                    ]
        return files + ([("save_trace", self.save_trace)] if self.save_trace else [])

    @property
    def written_folders(self) -> list[Path]:
        """The folders a deck moves into place beside its .html (each a folder or absent)."""
        if not self.slides:
            return []
        html = self.output
        return [html.with_name(f"{html.stem}_assets"), html.with_name("reveal.js")]

    @property
    def folders(self) -> list[Path]:
        """The folders this request writes files into (for leftovers of killed runs)."""
        into_folder = self.scene == "all" and not self.slides  # a deck is one .html
        written = self.output if into_folder else self.output.parent
        return [written] + ([self.save_trace.parent] if self.save_trace else [])

    @property
    def advice(self) -> list[str]:
        """One-line notes on choices that work but may not be what was meant."""
        notes = []
        if self.transparent and self.theme == "dark":
            notes.append(
                "note: --transparent with --theme dark draws light text and lines, "
                "for a dark slide; on a white slide use --theme light."
            )
        return notes

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
            raise OptionError(f"{error}.") from None

    def plan(self, spec: SceneSpec) -> Plan:
        """What rendering `spec` takes, in steps, bytes and frames (nothing is run)."""
        if self.replay is not None:
            runs = sizes_of_traces(self.replay.traces)
        else:
            try:
                configs = chosen_configs(spec.runs, self.run)
            except ValueError as error:  # sgdcore's word for bad run options
                raise OptionError(f"{error}.") from None
            line = spec.problem == "linear_regression"
            points = self.run.points(spec.problem) if line else 0
            points = len(self.run.data) if self.run.data and line else points
            runs = sizes_of_configs(configs, points)
        fps, pixels = frame_rate(self.quality, self.fmt), PIXELS[self.quality]
        redrawn = runs[0].width if spec.redraws else 0
        pace = self.pace_for(spec)
        return Plan(spec.name, runs, pace, fps, pixels, self.slides, redrawn, self.fmt)

    @classmethod
    def from_options(cls, options: RenderOptions, spell: Spell = str) -> RenderRequest:
        """Check the options together, before any work; OptionError names the first
        fault, with options spelled by `spell` (the command line's flags, say)."""
        typed = [name for name in OPTIONS if name in options.given]
        scene, slides, replay = options.scene, options.slides, options.trace
        output, fmt, save_trace = options.output, options.fmt, options.save_trace
        given = frozenset(name for name in RUN_OPTIONS if name in typed)
        specs = list(SCENES.values()) if scene == "all" else [SCENES[scene]]
        run = checked_run(options, specs, spell)
        if scene == "all":
            why = "--scene all renders each scene's own run; {} cannot apply to all."
            refuse(spell, typed, ("trace", "save_trace"), why)
        if slides:
            why = "--slides makes an HTML deck and a .pptx; {} does not apply."
            refused = ("fmt", "transparent", "poster", "captions", "save_trace")
            refuse(spell, typed, refused, why)
            output, fmt = deck_file(scene, output), "mp4"
        elif scene == "all":
            fmt = check_alpha(fmt or "mp4", options.transparent)
            output = output_folder(output)
        else:
            fmt = default_format(options)
            output, fmt = output_file(scene, output, fmt, options.transparent)
        check_player(options, fmt, spell)
        if options.captions and fmt == "png":
            raise OptionError(
                "a png is one frame; captions need a video (mp4, webm, mov or gif).",
                "captions",
            )
        if options.poster and fmt == "png" and scene != "all" and not slides:
            raise OptionError(
                "a png is already the last frame; a poster is for a video.", "poster"
            )
        if replay is not None:
            check_trace(spell, specs[0], replay, given)
        if save_trace is not None:
            writable_folder(save_trace.parent, "save_trace")
            fitting_name(save_trace, "save_trace", PARTIAL_BYTES)
        if scene == "all" and given:
            check_runs_of_every_scene(run)
        request = cls(
            scene=scene,
            output=output,
            fmt=fmt,
            quality=player_quality(options, fmt),
            theme=options.theme,
            transparent=options.transparent,
            poster=options.poster,
            captions=options.captions,
            pace=options.pace,
            jobs=options.jobs,
            slides=slides,
            replay=replay,
            save_trace=save_trace,
            run=run,
            given=given,
            vary=options.vary,
            varied=varied_runs(options, specs, spell),
        )
        request.check_files(spell)
        for spec in specs:
            check_limits(request.plan(spec), typed, save_trace is not None)
            for varied in request.varied:
                check_limits(replace(request, run=varied).plan(spec), [*typed], False)
        if replay is not None:  # after the limits: they bound what this recomputes
            check_consistent(replay)
        return request

    def check_files(self, spell: Spell = str) -> None:
        """Refuse two roles on one file, a role on a folder, a poster name too long, and
        writing over anything but a regular file."""
        poster, deck = self.poster_file, self.slides
        if poster is not None:
            fitting_name(poster, "poster", PARTIAL_BYTES)
        for captions in self.caption_files:
            fitting_name(captions, "captions", PARTIAL_BYTES)
        distinct_files(
            spell,
            [
                ("output", None if self.scene == "all" else self.output),
                ("output", self.output.with_suffix(".pptx") if deck else None),
                ("poster", poster),
                *(("captions", path) for path in self.caption_files),
                ("save_trace", self.save_trace),
                ("trace", self.replay.path if self.replay else None),
            ],
        )
        for name, path in self.written_files:
            replaceable(path, name)
        for folder in self.written_folders:
            replaceable_folder(folder, "output")

    def make_folders(self) -> None:
        """Make the folders the files go into (after every check has passed)."""
        # self.folders: the output's folder first, then the saved trace's
        for folder, name in zip(self.folders, ("output", "save_trace"), strict=False):
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                why = (error.strerror or type(error).__name__).lower()
                raise OptionError(f"cannot make {folder} ({why}).", name) from None
