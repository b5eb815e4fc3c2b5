"""render.py's parameter types: each value checked alone, with its range (R18, R19).

The option groups that use them are in cli_options.py; checks that need several
options or the scene registry live in render_request.py.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import click

if TYPE_CHECKING:
    from sgdcore.functions import Function1D
    from sgdcore.trace import Trace
    from sgdcore.user_data import Points

# The names of scenes.formats.FORMATS and scenes.theme.PALETTES, listed here so that
# --help and --list import no manim (tests check that they agree).
FORMAT_NAMES = ["mp4", "webm", "mov", "gif", "png"]
ALPHA_FORMAT_NAMES = ["mov", "png", "webm"]
THEME_NAMES = ["dark", "light"]
QUALITY_NAMES = ["low", "medium", "high", "4k"]  # Manim's 480p15 ... 2160p60
# Set in a context's meta by the Python API (sgd_anim): name options as keywords
API_SPELLING = "sgd_anim.keywords"


class Bounded(click.ParamType):  # type: ignore[type-arg]  # generic only in stubs
    """Range checks that name the limit: "1000000000 is out of range: at most 100000"."""

    def within(
        self, number: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> Any:
        """`number` if inside the range, else a one-line failure naming the bound."""
        # click's IntRange or FloatRange, mixed in after this class, holds the range
        low, high = getattr(self, "min", None), getattr(self, "max", None)
        min_open, max_open = getattr(self, "min_open", 0), getattr(self, "max_open", 0)
        if low is not None and (number <= low if min_open else number < low):
            more = "more than" if min_open else "at least"
            self.fail(f"{number} is out of range: {more} {low}.", param, ctx)
        if high is not None and (number >= high if max_open else number > high):
            less = "less than" if max_open else "at most"
            self.fail(f"{number} is out of range: {less} {high}.", param, ctx)
        return number


class Count(Bounded, click.IntRange):
    """A whole number within limits, shown in --help as `[1<=x<=100000]`."""

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> int:
        return int(self.within(click.INT.convert(value, param, ctx), param, ctx))


class PositiveFinite(Bounded, click.FloatRange):
    """A finite float > 0, at most `max` (click.FloatRange lets nan and inf through)."""

    name = "float"

    def __init__(self, max: float | None = None) -> None:
        super().__init__(min=0, max=max, min_open=True)

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        number = click.FLOAT.convert(value, param, ctx)
        if not (math.isfinite(number) and number > 0):
            self.fail(f"{value!r} is not a positive finite number.", param, ctx)
        return float(self.within(number, param, ctx))


class Real(Bounded, click.FloatRange):
    """A float within a range (click.FloatRange lets nan through): a fraction in
    (0, 1), a weight decay from 0 to its limit."""

    name = "float"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        number = click.FLOAT.convert(value, param, ctx)
        if math.isnan(number):
            self.fail(f"{value!r} is not a number.", param, ctx)
        return float(self.within(number, param, ctx))


def fraction() -> Real:
    """A share strictly between 0 and 1, such as the points held out."""
    return Real(min=0, max=1, min_open=True, max_open=True)


def non_negative(most: float) -> Real:
    """A float from 0 to `most`, such as a weight decay (0: none)."""
    return Real(min=0, max=most)


class Degrees(click.ParamType):  # type: ignore[type-arg]
    """Comma-separated whole numbers from 1 to `most`, such as `1,5,18`."""

    name = "degrees"

    def __init__(self, most: int, count: int = 3) -> None:
        self.most, self.count = most, count

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> tuple[int, ...]:
        if isinstance(value, tuple):
            return value
        parts = str(value).split(",")
        if len(parts) > self.count:
            self.fail(f"at most {self.count} degrees, not {len(parts)}.", param, ctx)
        if not all(part.strip().isdigit() for part in parts):
            self.fail(
                f"{short(value)} is not comma-separated whole numbers.", param, ctx
            )
        degrees = tuple(int(part) for part in parts)
        for degree in degrees:
            if not 1 <= degree <= self.most:
                self.fail(
                    f"each degree from 1 to {self.most}, not {degree}.", param, ctx
                )
        return degrees


class Numbers(click.ParamType):  # type: ignore[type-arg]
    """Comma-separated numbers, such as a starting point `-1,1`, each within a bound."""

    name = "numbers"

    def __init__(self, bound: float, most: int = 8) -> None:
        self.bound, self.most = bound, most  # largest size; most numbers

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> tuple[float, ...]:
        if isinstance(value, tuple):
            return value
        parts = str(value).split(",")
        if len(parts) > self.most:
            self.fail(f"at most {self.most} numbers, not {len(parts)}.", param, ctx)
        try:
            numbers = tuple(float(part) for part in parts)
        except ValueError:
            self.fail(f"{short(value)} is not comma-separated numbers.", param, ctx)
        for number in numbers:
            if not abs(number) <= self.bound:  # nan too
                limit = f"between -{self.bound:g} and {self.bound:g}"
                self.fail(f"each number {limit}, not {number:g}.", param, ctx)
        return numbers


class Names(click.ParamType):  # type: ignore[type-arg]
    """Comma-separated names, such as `gd,adam`."""

    name = "names"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> tuple[str, ...]:
        if isinstance(value, tuple):
            return value
        return tuple(part.strip() for part in str(value).split(",") if part.strip())


class SavedRuns(NamedTuple):
    """A trace file given as --trace: where it is, and the runs it holds."""

    path: Path | None  # None: runs recorded in Python, given as Trace objects
    traces: tuple[Trace, ...]


class TraceFile(click.ParamType):  # type: ignore[type-arg]
    """A trace saved with --save-trace (one run or several), loaded safely."""

    name = "trace.npz"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> SavedRuns:
        from sgdcore.trace import Trace, TraceFileError, load_runs

        if isinstance(value, SavedRuns):
            return value
        runs = [value] if isinstance(value, Trace) else value
        if isinstance(runs, list | tuple) and all(isinstance(t, Trace) for t in runs):
            return SavedRuns(None, tuple(runs))  # from Python: Trace objects
        try:
            return SavedRuns(Path(value), tuple(load_runs(value)))
        except TraceFileError as error:
            self.fail(str(error), param, ctx)


class DataFile(click.ParamType):  # type: ignore[type-arg]
    """Points to fit: a CSV of x, y rows (from Python also arrays), checked at once."""

    name = "file.csv"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> Points:
        from sgdcore.user_data import DataError, as_points

        try:
            return as_points(value)
        except DataError as error:
            self.fail(f"{error}.", param, ctx)


class FunctionName(click.Choice):  # type: ignore[type-arg]
    """A built-in f(w) by name (from Python also any callable), never evaluated text."""

    def __init__(self) -> None:
        from sgdcore.functions import BUILT_IN

        super().__init__(list(BUILT_IN))

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> Function1D:
        from sgdcore.functions import Function1D, as_function

        if not isinstance(value, Function1D) and not callable(value):
            value = super().convert(value, param, ctx)
        return as_function(value)


def parameter(ctx: click.Context, name: str) -> click.Parameter:
    """The command's parameter called `name`."""
    return next(param for param in ctx.command.params if param.name == name)


def flag(ctx: click.Context, name: str) -> str:
    """The parameter's long flag, as the user types it (`--batch-size`; from Python
    the keyword, `batch_size`)."""
    if ctx.meta.get(API_SPELLING):
        return name
    return max(parameter(ctx, name).opts, key=len)


def short(value: object, most: int = 40) -> str:
    """The repr of `value`, cut to `most` characters for a one-line message."""
    text = repr(value)
    return text if len(text) <= most else text[: most - 3] + "..."
