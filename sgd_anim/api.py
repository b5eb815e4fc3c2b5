"""render(), train() and fits(): the library under the command line.

The keywords are the command line's options by their Python names (`lr`, `steps`,
`batch_size`, `fmt` for --format), with the same defaults: both are made from
`sgd_anim.options.OPTIONS`. Each value goes through its option's parser, then the
whole set through `RenderRequest.from_options`, exactly as on the command line; a
bad one raises OptionError before anything is trained or drawn.
"""

from __future__ import annotations

import inspect
import sys
import warnings
from dataclasses import replace
from typing import Any

from sgd_anim.clip import Clip
from sgd_anim.errors import OptionError, RenderError
from sgd_anim.options import OPTIONS, Option, RenderOptions
from sgd_anim.player_checks import PLAYER
from sgd_anim.registry import RUN_OPTIONS, SCENES
from sgd_anim.request import RenderRequest, checked_run
from sgdcore.trace import Trace, save_runs
from sgdcore.trace_consistency import check_consistency

# train() takes the run options: the rest are about pictures and files
TRAIN_OPTIONS = {
    name: option for name, option in OPTIONS.items() if name in RUN_OPTIONS
}
RENDER_OPTIONS = {name: option for name, option in OPTIONS.items() if name != "scene"}
NOTEBOOK_QUALITY = "medium"  # 720p30: a default clip embeds well under 2 MiB


def in_notebook() -> bool:
    """Whether this runs in a Jupyter kernel (Colab's included), not a terminal."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return getattr(shell, "kernel", None) is not None


def render(scene: str, **options: Any) -> Clip:
    """Train (or replay) a scene's runs and render them; the finished Clip."""
    return render_request(checked_request(scene, **options))


def checked_request(scene: str, **options: Any) -> RenderRequest:
    """The request render() would carry out, checked, with nothing trained or drawn."""
    # In a notebook the default clip is one that embeds and plays inline
    defaults = {"quality": NOTEBOOK_QUALITY} if in_notebook() else {}
    parsed = RenderOptions.parse(scene, options, RENDER_OPTIONS, defaults)
    if parsed.scene == "all" or parsed.slides:
        raise OptionError(
            "render() makes one clip of one scene; for every scene or a slide deck "
            "use python -m sgd_anim --scene all or --slides"
        )
    request = RenderRequest.from_options(parsed)
    for note in request.advice:
        warnings.warn(note.removeprefix("note: "), stacklevel=3)
    return request


def train(scene: str, **options: Any) -> list[Trace]:
    """Train a scene's runs with the run options given (the rest left at defaults)."""
    parsed = RenderOptions.parse(scene, options, TRAIN_OPTIONS)
    if parsed.scene == "all":
        raise OptionError("train() trains one scene's runs; name one scene")
    spec = SCENES[parsed.scene]
    run = checked_run(parsed, [spec])
    try:
        return spec.train(run)
    except ValueError as error:  # sgdcore's word for run options that cannot work
        raise OptionError(f"{error}.") from None


def fits(*traces: Trace) -> list[str]:
    """The scenes that can replay these runs (a recording's, say), in registry order;
    OptionError for runs whose numbers disagree (sgdcore.trace_consistency)."""
    wrong = [item for item in traces if not isinstance(item, Trace)]
    if wrong or not traces:
        given = type(wrong[0]).__name__ if wrong else "nothing"
        raise TypeError(f"fits() takes Trace objects (a Recorder's, say), not {given}")
    for index, trace in enumerate(traces):
        try:
            check_consistency(trace)
        except ValueError as error:
            run = f"run {index}: " if len(traces) > 1 else ""
            raise OptionError(f"{run}{error}; no scene replays it.") from None
    return [spec.name for spec in SCENES.values() if spec.replays(traces)]


def render_request(request: RenderRequest, progress: bool | None = None) -> Clip:
    """Carry out a checked one-scene request: train, save the runs, render, describe.

    `progress`: show Manim's progress bar (default: in a terminal or a notebook).
    """
    from scenes.theme import PALETTES
    from sgd_anim.files.export import render_scene

    spec = SCENES[request.scene]
    if request.fmt == PLAYER:
        return render_player(request, progress)
    traces = request.traces(spec)
    request.make_folders()
    if request.save_trace is not None:
        save_traces(traces, request.save_trace)
    if progress is None:
        progress = sys.stderr.isatty() or in_notebook()  # not for logs
    poster = request.poster_file
    try:
        info = render_scene(
            spec.scene_class(),
            traces,
            request.output,
            request.quality,
            progress=progress,
            fmt=request.fmt,
            transparent=request.transparent,
            poster=poster,
            captions=bool(request.caption_files),
            palette=PALETTES[request.theme],
            pace=request.pace_for(spec),
            jobs=request.jobs,
        )
    except Exception as error:
        raise RenderError(f"render failed: {error}") from error
    return Clip(
        path=request.output,
        scene=request.scene,
        fmt=request.fmt,
        width=info.width,
        height=info.height,
        frames=info.frames,
        codec=info.codec,
        traces=traces,
        poster=poster,
        captions=request.caption_files,
    )


def render_player(request: RenderRequest, progress: bool | None = None) -> Clip:
    """Carry out a checked request for a player: a run per --vary value (or one)."""
    from scenes.theme import PALETTES
    from sgd_anim.files.player import PlayerRun, build_player

    spec = SCENES[request.scene]
    runs = [
        PlayerRun(label, tuple(replace(request, run=run).traces(spec)))
        for label, run in zip(
            request.vary.labels if request.vary else [""],
            request.varied or [request.run],
            strict=True,
        )
    ]
    request.make_folders()
    if request.save_trace is not None:
        save_traces([trace for run in runs for trace in run.traces], request.save_trace)
    if progress is None:
        progress = sys.stderr.isatty() or in_notebook()
    try:
        info = build_player(
            spec.name,
            runs,
            request.output,
            request.quality,
            PALETTES[request.theme],
            request.pace_for(spec),
            jobs=request.jobs,
            vary=request.vary.name if request.vary else None,
            progress=progress,  # shown only when the runs render one by one
        )
    except Exception as error:
        raise RenderError(f"render failed: {error}") from error
    return Clip(
        path=request.output,
        scene=request.scene,
        fmt=request.fmt,
        width=info.width,
        height=info.height,
        frames=info.frames,
        codec=info.codec,
        traces=list(runs[0].traces),
    )


def save_traces(traces: list[Trace], path: Any) -> None:
    """Save every run used in one file (for --trace); the old file survives a failure."""
    try:
        save_runs(path, traces)
    except (ValueError, OSError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise RenderError(f"--save-trace {path}: {reason}") from None


def signature(options: dict[str, Option]) -> inspect.Signature:
    """`(scene, *, lr=None, steps=None, ...)`: the options with their defaults."""
    scene = inspect.Parameter("scene", inspect.Parameter.POSITIONAL_OR_KEYWORD)
    keywords = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=option.default)
        for name, option in options.items()
    ]
    return inspect.Signature([scene, *keywords])


def option_lines(options: dict[str, Option]) -> str:
    """Each keyword with its default and help, for the functions' docstrings."""
    return "\n".join(
        f"    {name}={option.default!r}: {' '.join(option.help.split())}"
        for name, option in options.items()
    )


# help(), Jupyter's Shift-Tab and IDEs show every option with its default
for function, keywords in ((render, RENDER_OPTIONS), (train, TRAIN_OPTIONS)):
    function.__dict__["__signature__"] = signature(keywords)
    function.__doc__ = f"{function.__doc__}\n\nOptions:\n{option_lines(keywords)}\n"
