"""How much one render may ask for, and the check made before any work.

Every limit is far beyond a lecture and well inside this machine (2 cores, 24 GiB):
the lesson's runs are 100 steps over 100 points, its clips 10 seconds. The limits on
steps and points are the trace file's own (sgdcore.trace_file), so whatever renders
can be saved and whatever loads can render. From the options (or a loaded trace) the
check works out the frames the render would make and the memory it would need, with
no training and no drawing, and refuses with one line naming the option to change.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sgd_anim.errors import OptionError
from sgdcore.trace_schema import MAX_ARRAY_BYTES, MAX_POINTS, MAX_STEPS, MAX_TRACE_BYTES

if TYPE_CHECKING:
    from sgdcore.config import SGDConfig
    from sgdcore.trace import Trace

# Re-exported: the CLI's ranges are the trace file's.
__all__ = ["MAX_POINTS", "MAX_STEPS", "check_limits"]

MAX_SEED = 2**32 - 1  # numpy's and torch's seeds both take it; a lecture uses 0..99
MAX_START = 1e4  # the lesson starts at (-1, 1) and w = 2; float32 squares stay finite
MAX_PACE = 1000.0  # steps per second: past 60, several steps share a frame anyway
# Every lesson problem diverges at the first step long before 1e6; torch's optimisers
# fail outright past float32's 3.4e38.
MAX_LR = 1e6
# A polynomial of degree 40 already needs 41 training points; float32 Legendre
# features stay exact long past it. A weight decay of 1e3 flattens any model.
MAX_DEGREE = 40
MAX_WEIGHT_DECAY = 1e3
# Ten minutes at 60 fps: ten times the longest clip a lecture shows, 12 minutes of
# rendering at 1080p on two cores, about 50 at 4k.
MAX_FRAMES = 36_000
# One render process may take a sixth of this machine: --jobs 2 leaves room to spare.
MAX_MEMORY = 4 * 2**30

QUALITY_NAMES = ["low", "medium", "high", "4k"]  # Manim's 480p15 ... 2160p60
# Manim's presets (sgd_anim.files.export.QUALITIES), gif's fixed rate
# (sgd_anim.files.formats.GIF_FPS)
# and the replay's timing (scenes.replay.ReplayScene), kept here so the check imports
# no manim; tests/test_limits.py checks that they agree.
FPS = dict(zip(QUALITY_NAMES, (15, 30, 60, 60), strict=True))
PIXELS = dict(
    zip(QUALITY_NAMES, (854 * 480, 1280 * 720, 1920 * 1080, 3840 * 2160), strict=True)
)
GIF_FPS = 25
# A clip is its steps at the scene's pace plus its beats (scenes/schedule.py): the
# intro, the opening and closing holds, the fast-forward, up to four held moments, the
# slow first steps (at most SLOW_STEPS of them) and the ramp from them to full pace.
# BEATS_SECONDS bounds all that from above; tests/test_limits.py checks it does.
BEATS_SECONDS = 30.0

# The memory model, measured with /usr/bin/time (peak RSS) on this machine: a process
# with torch, manim and a scene loaded takes 380 MiB; each recorded byte is held up to
# three times while training; each data point drawn costs 2.9 KiB (fit_line and
# minibatch, n = 2e4 to 1e6: 3.1 GiB at a million); each frame in flight (camera,
# encoder ring) 4 bytes a pixel.
BASE_BYTES = 400 * 2**20
RECORD_COPIES = 3
BYTES_PER_POINT = 3000
FRAMES_IN_FLIGHT = 16
# What each format holds beyond those frames, a pixel, measured with
# bench/bench_memory.py (fit_line, 480p to 4k): libvpx-vp9's own frame buffers and
# lookahead (webm at 4k: 1,830 MiB against mp4's 958); a gif's colour conversions and
# palette mapping, about nine RGBA frames (1,231 MiB at 4k). A png is the last frame
# alone, with no frames in flight: about six RGBA frames in all (520 MiB at 4k).
FORMAT_BYTES_PER_PIXEL = {"webm": 110, "gif": 36, "png": 24 - FRAMES_IN_FLIGHT * 4}
# Drawing a residual for every point each frame costs about the square of the points
# (Cairo, one path): at 480p 0.16 s a frame for 20,000 points, 4 s for 100,000, and
# more at higher resolutions. An hour of that is the most one render may spend.
DRAW_SECONDS, DRAW_POINTS = 0.16, 20_000
MAX_DRAW_SECONDS = 3600.0


@dataclass(frozen=True)
class RunSize:
    """What one run records: its steps, batch width, parameters and data points."""

    steps: int
    width: int
    n_params: int
    n_points: int

    @property
    def array_bytes(self) -> int:
        """The bytes of its trace's arrays (sgdcore.trace's schema)."""
        records = self.steps + 1
        per_record = 2 * self.n_params + 2  # params, grad, loss, full_loss
        per_step = self.width + 2  # batch, epoch, iteration
        return 8 * (records * per_record + self.steps * per_step + 3 * self.n_points)


@dataclass(frozen=True)
class Plan:
    """One scene's render, in numbers: its runs, pace, frame rate and pixels."""

    scene: str
    runs: Sequence[RunSize]
    pace: float
    fps: int
    pixels: int
    slides: bool = False
    redrawn: int = 0  # points whose residuals are drawn again in every frame
    fmt: str = "mp4"  # the --format (a deck's movies are mp4)

    @property
    def steps(self) -> int:
        """The longest run's steps: the replay's length."""
        return max(run.steps for run in self.runs)

    @property
    def array_bytes(self) -> int:
        """The bytes every run's trace arrays take."""
        return sum(run.array_bytes for run in self.runs)

    @property
    def frames(self) -> float:
        """The frames the render makes (a float: huge for absurd paces, never inf)."""
        # a deck is the clip cut at its beats: the same frames
        return self.fps * (self.steps / self.pace + BEATS_SECONDS)

    @property
    def drawing_seconds(self) -> float:
        """About how long drawing the residuals of `redrawn` points takes, in all."""
        larger = 1 + 0.1 * (self.pixels / PIXELS["low"] - 1)  # 1080p: 1.4 times 480p
        per_frame = DRAW_SECONDS * (self.redrawn / DRAW_POINTS) ** 2 * larger
        return self.frames * per_frame

    @property
    def memory(self) -> int:
        """The bytes the render process is expected to peak at."""
        points = max(run.n_points for run in self.runs)
        return (
            BASE_BYTES
            + RECORD_COPIES * self.array_bytes
            + BYTES_PER_POINT * points
            + (FRAMES_IN_FLIGHT * 4 + FORMAT_BYTES_PER_PIXEL.get(self.fmt, 0))
            * self.pixels
        )


def frame_rate(quality: str, fmt: str) -> int:
    """Frames per second of a render at `quality` in `fmt`."""
    return GIF_FPS if fmt == "gif" else FPS[quality]


def check_limits(plan: Plan, typed: Sequence[str], saving: bool) -> None:
    """Refuse a render past a limit (OptionError), naming the typed option to change.

    `typed`: the options the user typed, in command order; `saving`: --save-trace.
    """
    steps, name = plan.steps, plan.scene
    if steps > MAX_STEPS:  # only --epochs gets here: --steps has its range
        raise refuse(
            typed,
            ("epochs", "trace"),
            f"{name} would take {steps} steps (epochs × batches); at most {MAX_STEPS}.",
        )
    size = plan.array_bytes
    if size > MAX_ARRAY_BYTES:
        why = f"{name}'s runs would record {mib(size)}; at most {mib(MAX_ARRAY_BYTES)}."
        raise refuse(typed, ("n", "steps", "epochs", "batch_size"), why)
    if saving and size > MAX_TRACE_BYTES:
        why = f"{name}'s runs record {mib(size)}; a trace file holds {mib(MAX_TRACE_BYTES)}."
        raise refuse(typed, ("save_trace",), why)
    if plan.frames > MAX_FRAMES:
        why = (
            f"{name}: {steps} steps at {plan.pace:g} a second make "
            f"{frame_count(plan.frames)} frames at {plan.fps} fps; at most {MAX_FRAMES:,} "
            f"({MAX_FRAMES // 3600} minutes at 60 fps)."
        )
        raise refuse(typed, ("pace", "steps", "epochs", "trace", "quality"), why)
    if plan.memory > MAX_MEMORY:
        why = (
            f"{name} would need about {gib(plan.memory)} of memory; at most "
            f"{gib(MAX_MEMORY)}."
        )
        raise refuse(typed, ("n", "trace", "steps", "quality"), why)
    if plan.drawing_seconds > MAX_DRAW_SECONDS:
        why = (
            f"{name} would take about {plan.drawing_seconds / 3600:,.1f} hours to draw "
            f"{plan.redrawn:,} residuals in each of {plan.frames:,.0f} frames; at most "
            f"{MAX_DRAW_SECONDS / 3600:.0f} hour."
        )
        blamed = ("n", "batch_size", "trace", "pace", "steps", "epochs", "quality")
        raise refuse(typed, blamed, why)


def refuse(typed: Sequence[str], blamed: Sequence[str], why: str) -> OptionError:
    """The error naming the first of `blamed` the user typed (else no option)."""
    for name in blamed:
        if name in typed:
            return OptionError(why, name)
    return OptionError(why)


def frame_count(frames: float) -> str:
    """A number of frames in a message: digits up to a trillion, then "over 10^N"
    (a pace of 1e-300 would otherwise print a 300-digit count)."""
    if frames < 1e12:
        return f"{frames:,.0f}"
    if not math.isfinite(frames):  # a pace near the smallest float
        return "over 10^308"
    return f"over 10^{math.floor(math.log10(frames))}"


def mib(n_bytes: float) -> str:
    """`n_bytes` in MiB, such as "763 MiB"."""
    return f"{n_bytes / 2**20:,.0f} MiB"


def gib(n_bytes: float) -> str:
    """`n_bytes` in GiB, such as "5.2 GiB"."""
    return f"{n_bytes / 2**30:,.1f} GiB"


def sizes_of_configs(configs: Sequence[SGDConfig], n_points: int) -> list[RunSize]:
    """What training `configs` on `n_points` points would record."""
    return [
        RunSize(c.n_steps, c.batch_size or n_points, len(c.start), n_points)
        for c in configs
    ]


def sizes_of_traces(traces: Sequence[Trace]) -> list[RunSize]:
    """What loaded traces hold."""
    return [
        RunSize(t.n_steps, t.batch.shape[1], t.params.shape[1], len(t.y))
        for t in traces
    ]
