"""Every render option in one table: its keyword, flag, default, help and parser.

The Python API's keywords and the command line's flags are both made from
`OPTIONS` (sgd_anim.api, sgd_anim.cli.options), so they cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from sgd_anim import values, vary
from sgd_anim.limits import (
    MAX_DEGREE,
    MAX_LR,
    MAX_PACE,
    MAX_POINTS,
    MAX_SEED,
    MAX_START,
    MAX_STEPS,
    MAX_WEIGHT_DECAY,
    QUALITY_NAMES,
)
from sgd_anim.registry import RUN_OPTIONS, SCENES
from sgd_anim.values import Range

# The names of sgd_anim.files.formats.FORMATS (and PAGE_FORMATS) and
# scenes.theme.PALETTES, listed here so
# that --help and --list import no manim (tests check that they agree).
FORMAT_NAMES = ["mp4", "webm", "mov", "gif", "html", "png"]
ALPHA_FORMAT_NAMES = ["mov", "png", "webm"]
THEME_NAMES = ["dark", "light"]
SCENE_NAMES = [*SCENES, "all"]
__all__ = ["QUALITY_NAMES"]  # re-exported beside the other name lists


@dataclass(frozen=True)
class Option:
    """One render option: its keyword, long flag, default, help and parser."""

    name: str  # the keyword and RenderOptions' field
    flag: str  # the command line's long flag
    default: Any
    help: str  # for --help and the API's docstrings
    parse: Callable[[Any], Any]  # text or a Python value -> the typed value
    bounds: Range | None = None  # a number's range, shown by --help


def counting(low: int, high: int) -> Callable[[Any], int]:
    """The parser of a whole number from `low` to `high`."""
    return partial(values.count, bounds=Range(low, high))


def option_list() -> list[Option]:
    """Every option, in --help's order."""
    return [
        Option(
            "scene",
            "--scene",
            None,
            "Scene to render; 'all' renders each into the -o folder.",
            partial(values.choice, choices=SCENE_NAMES),
        ),
        Option(
            "quality",
            "--quality",
            "high",
            "480p15, 720p30, 1080p60 or 2160p60 (gif: 25 fps).",
            partial(values.choice, choices=QUALITY_NAMES),
        ),
        Option(
            "output",
            "--output",
            None,
            "File to write (a folder with --scene "
            "all); missing folders are made.  [default: renders/SCENE.FORMAT]",
            values.path,
        ),
        Option(
            "fmt",
            "--format",
            None,
            "mp4 (H.264, plays everywhere), webm (VP9), "
            "mov (ProRes, for editors), gif (looping), png (last frame), html (a "
            "lecture player: one file, steps, beats, numbers; 720p30 unless "
            "--quality says).  [default: from -o, else mp4; html with --vary]",
            partial(values.choice, choices=FORMAT_NAMES),
        ),
        Option(
            "transparent",
            "--transparent",
            False,
            "No background: webm (VP9 alpha), mov (ProRes 4444) or png only. "
            "PowerPoint ignores alpha in video.",
            values.flag,
        ),
        Option(
            "theme",
            "--theme",
            "dark",
            "dark: Manim's look; light: dark ink on white slides.",
            partial(values.choice, choices=THEME_NAMES),
        ),
        Option(
            "poster",
            "--poster",
            False,
            "Also write the final frame as a PNG next to the video.",
            values.flag,
        ),
        Option(
            "captions",
            "--captions",
            False,
            "Also write each beat's sentence as "
            "captions next to the video: NAME.vtt (WebVTT, for HTML5 and "
            "PowerPoint) and NAME.srt, the picture drawn above a band kept "
            "clear for them. Decks carry them always.",
            values.flag,
        ),
        Option(
            "pace",
            "--pace",
            None,
            "Steps shown per second of video.  [default: the scene's]",
            partial(values.positive_finite, most=MAX_PACE),
            Range(0, MAX_PACE, low_open=True),
        ),
        Option(
            "jobs",
            "--jobs",
            1,
            "Processes at once: scenes (all), runs (--vary) or parts of an mp4.",
            counting(1, len(SCENES)),
            Range(1, len(SCENES)),
        ),
        Option(
            "slides",
            "--slides",
            False,
            "A slide deck instead: reveal.js HTML "
            "(plays offline) and PowerPoint, pausing where a lecturer talks. With "
            "--scene all, one deck of every scene.",
            values.flag,
        ),
        Option(
            "vary",
            "--vary",
            None,
            "A run option set to 2-9 values, a run each, in one player "
            "(--format html) with a slider: lr=0.02,0.1,0.4,1.1 (values holding "
            "commas: start=-1,1;2,0.5).",
            vary.vary,
        ),
        *run_option_list(),
        Option(
            "trace",
            "--trace",
            None,
            "Replay the runs saved by --save-trace instead of training.",
            values.saved_runs,
        ),
        Option(
            "save_trace",
            "--save-trace",
            None,
            "Also save the runs used, all in one .npz (for --trace).",
            values.path,
        ),
    ]


def run_option_list() -> list[Option]:
    """The options that change what is trained (registry.RUN_OPTIONS), in order."""
    return [
        Option(
            "lr",
            "--lr",
            None,
            "Learning rate.  [default: the scene's]",
            partial(values.positive_finite, most=MAX_LR),
            Range(0, MAX_LR, low_open=True),
        ),
        Option(
            "steps",
            "--steps",
            None,
            "Gradient-descent steps.  [default: the scene's]",
            counting(1, MAX_STEPS),
            Range(1, MAX_STEPS),
        ),
        Option(
            "start",
            "--start",
            None,
            "Starting parameters, comma-separated, each "
            "within ±10000 (fit_line: 'a1,a2'; quadratic scenes: 'w').  [default: "
            "the scene's]",
            partial(values.numbers, bound=MAX_START),
        ),
        Option(
            "seed",
            "--seed",
            42,
            "Seed of the data (and batches).",
            counting(0, MAX_SEED),
            Range(0, MAX_SEED),
        ),
        Option(
            "n",
            "--n",
            None,
            "Number of data points.  [default: 100; 30 for the curve scenes]",
            counting(2, MAX_POINTS),
            Range(2, MAX_POINTS),
        ),
        Option(
            "batch_size",
            "--batch-size",
            None,
            "Mini-batch size (minibatch scene).  [default: 10]",
            counting(1, MAX_POINTS),
            Range(1, MAX_POINTS),
        ),
        Option(
            "epochs",
            "--epochs",
            None,
            "Passes over the data, instead of --steps (minibatch scene).  [default: 6]",
            counting(1, MAX_STEPS),
            Range(1, MAX_STEPS),
        ),
        Option(
            "optimizers",
            "--optimizers",
            None,
            "Which to show, comma-separated: "
            "gd, momentum, adam (optimizers scene).  [default: all three]",
            values.names,
        ),
        Option(
            "degree",
            "--degree",
            None,
            "Polynomial degree (validation, "
            "regularization), or three, comma-separated (underfit_overfit).  "
            "[default: 18; 1,5,18]",
            partial(values.degrees, most=MAX_DEGREE),
        ),
        Option(
            "weight_decay",
            "--weight-decay",
            None,
            "Weight decay of the regularised model (regularization): torch's "
            "weight_decay, one for every coefficient.  [default: 0.02]",
            partial(values.real, bounds=Range(0, MAX_WEIGHT_DECAY)),
            Range(0, MAX_WEIGHT_DECAY),
        ),
        Option(
            "valid_fraction",
            "--valid-fraction",
            0.3,
            "Share of the points held out for validation (curve scenes).",
            partial(values.real, bounds=Range(0, 1, True, True)),
            Range(0, 1, True, True),
        ),
        Option(
            "data",
            "--data",
            None,
            "Your own points instead of the lesson's: a "
            "CSV of two numeric columns x, y (header row optional), for the scenes "
            "that fit a line.  [default: the lesson's noisy line]",
            values.points,
        ),
        Option(
            "function",
            "--function",
            None,
            "Another f(w) for lr_too_high, "
            "lr_too_low and lr_just_right (double_well has a local minimum).  "
            "[default: the lesson's w²]",
            values.function,
        ),
        Option(
            "batch_sizes",
            "--batch-sizes",
            None,
            "Batch sizes whose gradients to compare, comma-separated and "
            "increasing; the runs use the first and the last (gradient_noise).  "
            "[default: 1,5,10,50]",
            partial(values.batch_sizes, most=MAX_POINTS),
        ),
    ]


OPTIONS: dict[str, Option] = {option.name: option for option in option_list()}
assert tuple(name for name in OPTIONS if name in RUN_OPTIONS) == RUN_OPTIONS
