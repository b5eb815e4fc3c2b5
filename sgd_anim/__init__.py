"""sgd-anim from Python: render a scene, or train its runs, with the command's options.

    import sgd_anim

    clip = sgd_anim.render("fit_line", lr=0.3, quality="low")
    clip  # in Jupyter, the video plays inline

`render(scene, **options)` takes every command-line option as a keyword (`lr`,
`steps`, `data`, `fmt` for --format, ...) with the same default and the same checks,
and returns a `Clip` (path, size, frames, traces). `train(scene, **run_options)`
returns the Traces alone. A bad option raises `OptionError`, one line naming it.
Your own points: `data="points.csv"` or `data=(x, y)`; your own f(w): `function=f`;
your own loop: `sgdcore.recorder.Recorder`, then `render(scene, trace=recorder.trace())`;
`fits(trace)` names the scenes that can replay it.

The package, from the bottom up: `sgdcore` trains and records a Trace; `scenes`
draws a Trace with Manim; `sgd_anim.files` writes the frames to videos, decks and
captions; `sgd_anim.api` is this library; `sgd_anim.cli` the command over it.
Importing this package loads neither torch nor manim, nor click.
"""

from sgd_anim.api import fits, render, train
from sgd_anim.clip import Clip
from sgd_anim.errors import OptionError, RenderError
from sgd_anim.options import RenderOptions

__all__ = [
    "Clip",
    "OptionError",
    "RenderError",
    "RenderOptions",
    "fits",
    "render",
    "train",
]
