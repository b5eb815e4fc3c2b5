"""render() and train(): the command line's options as keywords, checked the same way.

The keywords are render.py's options, by their Python names (`lr`, `steps`,
`batch_size`, `fmt` for --format), with their defaults and checks: both read the
one list `cli_options.every_option`. The values go through click as a default map,
so each is converted and range-checked by the option's own type, then checked
together by `RenderRequest.from_context`, exactly as on the command line.
"""

from __future__ import annotations

import inspect
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from difflib import get_close_matches
from pathlib import Path
from typing import Any

import click

from cli_options import every_option
from cli_types import API_SPELLING
from registry import RUN_OPTIONS, SCENES
from render_limits import MAX_PACE
from render_request import RenderRequest
from sgd_anim.clip import Clip
from sgdcore.trace import Trace, save_runs


class OptionError(ValueError):
    """A bad option: one line naming it (render.py prints it and exits 2)."""


class RenderError(RuntimeError):
    """Rendering or saving failed after the options were accepted (render.py: exit 1)."""


def command_of(options: Callable[[Callable[..., None]], Callable[..., None]]) -> Any:
    """A click command carrying `options`: the API's parser, twin of render.py's."""

    def nothing(**_: object) -> None:
        """Never run: the command only parses."""

    return click.command("sgd_anim")(options(nothing))


COMMAND = command_of(every_option)
# The keywords: every option that carries a value (--list only prints and exits)
KEYWORDS = {
    str(param.name): param
    for param in COMMAND.params
    if param.expose_value and param.name != "scene"
}
# Names people reach for (RunOptions', Python's) and the keyword they mean
ALIASES = {"learning_rate": "lr", "n_steps": "steps", "format": "fmt"}
# Each keyword's default, as click resolves it (a flag's is False)
DEFAULTS = COMMAND.make_context("sgd_anim", ["--scene", next(iter(SCENES))]).params
# train() takes the run options: the rest are about pictures and files
TRAIN_KEYWORDS = [name for name in KEYWORDS if name in RUN_OPTIONS]


@contextmanager
def option_errors(ctx: click.Context | None = None) -> Iterator[None]:
    """Turn click's usage errors into OptionError, naming options as Python does."""
    try:
        yield
    except click.UsageError as error:
        if ctx is None or ctx.meta.get(API_SPELLING):
            param = getattr(error, "param", None)
            if param is not None and getattr(error, "param_hint", None) is None:
                error.param_hint = repr(param.name)  # type: ignore[attr-defined]
        raise OptionError(error.format_message()) from None


def parsed(scene: str, options: dict[str, Any], allowed: list[str]) -> click.Context:
    """The option values converted and range-checked by their click types."""
    unknown = [name for name in options if name not in allowed]
    if unknown:
        close = [ALIASES[unknown[0]]] if unknown[0] in ALIASES else []
        close = close or get_close_matches(unknown[0], allowed, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else f"; one of {allowed}"
        raise OptionError(f"no option {unknown[0]!r}{hint}")
    # Each value behind a function: click calls a callable default, and f(w) is one
    values = {
        name: returning(value) for name, value in {**options, "scene": scene}.items()
    }
    with option_errors():
        ctx: click.Context = COMMAND.make_context("sgd_anim", [], default_map=values)
    ctx.meta[API_SPELLING] = True
    return ctx


def returning(value: Any) -> Callable[[], Any]:
    """A function returning `value` (click calls a default map's callables)."""
    return lambda: value


def request_from(ctx: click.Context) -> RenderRequest:
    """The checked request behind a parsed command line or API call."""
    with option_errors(ctx):
        return RenderRequest.from_context(ctx)


def checked_request(scene: str, **options: Any) -> RenderRequest:
    """The request render() would carry out, checked, with nothing trained or drawn."""
    request = request_from(parsed(scene, options, list(KEYWORDS)))
    if request.scene == "all" or request.slides:
        raise OptionError(
            "render() makes one clip of one scene; for every scene or a slide deck "
            "use render.py --scene all or --slides"
        )
    return request


def render(scene: str, **options: Any) -> Clip:
    """Train (or replay) a scene's runs and render them; the finished Clip."""
    return render_request(checked_request(scene, **options))


def train(scene: str, **options: Any) -> list[Trace]:
    """Train a scene's runs with the run options given (the rest left at defaults)."""
    ctx = parsed(scene, options, TRAIN_KEYWORDS)
    # Nothing is drawn: no output file, and the quickest pace bounds no frames
    ctx.params.update(output=Path(tempfile.gettempdir()) / "sgd-train.png")
    ctx.params.update(quality="low", pace=MAX_PACE)
    request = request_from(ctx)
    with option_errors(ctx):
        return request.traces(SCENES[request.scene])


def fits(*traces: Trace) -> list[str]:
    """The scenes that can replay these runs (a recording's, say), in registry order."""
    return [spec.name for spec in SCENES.values() if spec.replays(traces)]


def render_request(request: RenderRequest) -> Clip:
    """Carry out a checked one-scene request: train, save the runs, render, describe."""
    from scenes.export import render_scene
    from scenes.theme import PALETTES

    spec = SCENES[request.scene]
    with option_errors():
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
            progress=sys.stderr.isatty(),  # a progress bar for people, not for logs
            fmt=request.fmt,
            transparent=request.transparent,
            poster=poster,
            captions=bool(request.caption_files),
            palette=PALETTES[request.theme],
            pace=request.pace_for(spec),
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


def save_traces(traces: list[Trace], path: Path) -> None:
    """Save every run used in one file (for --trace); the old file survives a failure."""
    try:
        save_runs(path, traces)
    except (ValueError, OSError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise RenderError(f"--save-trace {path}: {reason}") from None


def signature(keywords: list[str]) -> inspect.Signature:
    """`(scene, *, lr=None, steps=None, ...)`: the options with their CLI defaults."""
    scene = inspect.Parameter("scene", inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return inspect.Signature(
        [scene]
        + [
            inspect.Parameter(
                name, inspect.Parameter.KEYWORD_ONLY, default=DEFAULTS[name]
            )
            for name in keywords
        ]
    )


def option_lines(keywords: list[str]) -> str:
    """Each keyword with its default and help, for the functions' docstrings."""
    lines = []
    for name in keywords:
        param = KEYWORDS[name]
        text = " ".join(str(getattr(param, "help", "") or "").split())
        lines.append(f"    {name}={DEFAULTS[name]!r}: {text}")
    return "\n".join(lines)


# help(), Jupyter's Shift-Tab and IDEs show every option with its default
for function, keywords in ((render, list(KEYWORDS)), (train, TRAIN_KEYWORDS)):
    function.__dict__["__signature__"] = signature(keywords)
    function.__doc__ = f"{function.__doc__}\n\nOptions:\n{option_lines(keywords)}\n"
