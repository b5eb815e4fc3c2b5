"""One value at a time: each option's parser, the same from Python and the command line.

Every parser takes what a user may give (the text typed after a flag, or a Python
value) and returns the typed value, or raises `BadValue` with one sentence saying
what was wrong. The command line's parameter types call these parsers
(sgd_anim.cli.types), so a number is read one way everywhere.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from sgd_anim.echo import MOST_ECHOED, clipped_words, short, shown

if TYPE_CHECKING:
    from sgdcore.functions import Function1D
    from sgdcore.trace import Trace
    from sgdcore.user_data import Points

# Numbers as typed on a keyboard, in ASCII: int() and float() also read any script's
# decimal digits ('٣', fullwidth '３') and underscores ('1_000'), str.isdigit() takes
# '²' too (which int() refuses), and str.strip() drops a no-break space
WHOLE = re.compile(r"[+-]?[0-9]+", re.ASCII)
REAL = re.compile(
    r"[+-]?(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:e[+-]?[0-9]+)?|inf|infinity|nan)",
    re.ASCII | re.IGNORECASE,
)
SPACE = " \t\n\r\f\v"  # what may surround a typed number
MOST_DIGITS = 30  # a sign, and digits far past every count's range (2**64 has 20)


class BadValue(ValueError):
    """A value its option cannot take: the sentence says why."""


def not_typed(value: Any, kind: str) -> BadValue:
    """The error for `value` that is not a `kind` ('integer', 'float') as typed."""
    hint = (
        " (ASCII digits 0-9 only)"
        if isinstance(value, str) and not value.isascii()
        else ""
    )
    return BadValue(f"{short(value)} is not a valid {kind}{hint}.")


def whole_number(value: Any) -> int:
    """An int from an int or from text of ASCII digits (not a bool, not 2.5)."""
    if isinstance(value, bool) or not isinstance(value, int | str | float):
        raise not_typed(value, "integer")
    if isinstance(value, float):
        if not value.is_integer():
            raise not_typed(value, "integer")
        return int(value)
    if isinstance(value, str):
        text = value.strip(SPACE)
        if WHOLE.fullmatch(text) is None:
            raise not_typed(value, "integer")
        if len(text) > MOST_DIGITS:  # int() refuses past 4300 digits
            raise BadValue(f"{short(value)} is far out of range.")
        return int(text)
    return value


def real_number(value: Any) -> float:
    """A float from a number or from text of ASCII digits: `-1.5`, `.5`, `2e-3`,
    `inf`, `nan` (the ranges of the options refuse these two)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise not_typed(value, "float")
    if isinstance(value, str) and REAL.fullmatch(value.strip(SPACE)) is None:
        raise not_typed(value, "float")
    try:
        return float(value)
    except (ValueError, OverflowError):  # an int past float's range
        raise not_typed(value, "float") from None


class Range(NamedTuple):
    """Bounds for a number; an open end excludes its bound."""

    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False

    def check(self, number: float) -> None:
        """Raise BadValue naming the bound that `number` breaks."""
        low, high = self.low, self.high
        if low is not None and (number <= low if self.low_open else number < low):
            more = "more than" if self.low_open else "at least"
            raise BadValue(f"{shown(number)} is out of range: {more} {shown(low)}.")
        if high is not None and (number >= high if self.high_open else number > high):
            less = "less than" if self.high_open else "at most"
            raise BadValue(f"{shown(number)} is out of range: {less} {shown(high)}.")

    def describe(self) -> str:
        """The range as click shows it in --help: `1<=x<=100000`, `0<x<1`."""
        low = (
            ""
            if self.low is None
            else f"{shown(self.low)}{'<' if self.low_open else '<='}"
        )
        high = (
            ""
            if self.high is None
            else f"{'<' if self.high_open else '<='}{shown(self.high)}"
        )
        return f"{low}x{high}"


def count(value: Any, bounds: Range) -> int:
    """A whole number within `bounds`: steps, points, a seed, a batch size."""
    number = whole_number(value)
    bounds.check(number)
    return number


def positive_finite(value: Any, most: float | None = None) -> float:
    """A finite float above 0 and at most `most`: a learning rate, a pace."""
    number = real_number(value)
    if not (math.isfinite(number) and number > 0):
        raise BadValue(f"{short(value)} is not a positive finite number.")
    Range(0, most, low_open=True).check(number)
    return number


def real(value: Any, bounds: Range) -> float:
    """A float within `bounds`, never nan: a fraction, a weight decay."""
    number = real_number(value)
    if math.isnan(number):
        raise BadValue(f"{short(value)} is not a number.")
    bounds.check(number)
    return number


def parts(value: Any, what: str) -> list[Any]:
    """Comma-separated text, a lone value or a sequence, as a list of items."""
    if isinstance(value, str):
        return value.split(",")
    if isinstance(value, Sequence):
        return list(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return [value]
    raise BadValue(f"{short(value)} is not comma-separated {what}.")


def numbers(value: Any, bound: float, most: int = 8) -> tuple[float, ...]:
    """Numbers such as a start point `-1,1`, each within ±`bound`, at most `most`."""
    items = parts(value, "numbers")
    if len(items) > most:
        raise BadValue(f"at most {most} numbers, not {len(items)}.")
    try:
        result = tuple(real_number(item) for item in items)
    except BadValue:
        raise BadValue(f"{short(value)} is not comma-separated numbers.") from None
    for number in result:
        if not abs(number) <= bound:  # nan too
            limit = f"between -{bound:g} and {bound:g}"
            raise BadValue(f"each number {limit}, not {number:g}.")
    return result


def degrees(value: Any, most: int, how_many: int = 3) -> tuple[int, ...]:
    """Polynomial degrees such as `1,5,18`, each from 1 to `most`."""
    items = parts(value, "whole numbers")
    if len(items) > how_many:
        raise BadValue(f"at most {how_many} degrees, not {len(items)}.")
    try:
        result = tuple(whole_number(item) for item in items)
    except BadValue:
        raise BadValue(
            f"{short(value)} is not comma-separated whole numbers."
        ) from None
    for degree in result:
        if not 1 <= degree <= most:
            raise BadValue(f"each degree from 1 to {most}, not {degree}.")
    return result


def batch_sizes(value: Any, most: int, how_many: int = 8) -> tuple[int, ...]:
    """Batch sizes such as `1,5,10,50`: increasing, each from 1 to `most`."""
    try:
        result = degrees(value, most, how_many)
    except BadValue as error:
        raise BadValue(str(error).replace("degree", "batch size")) from None
    if not result or any(b <= a for a, b in pairwise(result)):
        raise BadValue(f"batch sizes must increase (one or more), not {short(value)}.")
    return result


def names(value: Any, most: int = 8) -> tuple[str, ...]:
    """Names such as `gd,adam` (empty items dropped), at most `most` of them, each
    short enough to repeat in a message."""
    items = parts(value, "names")
    if not all(isinstance(item, str) for item in items):
        raise BadValue(f"{short(value)} is not comma-separated names.")
    result = tuple(item.strip() for item in items if item.strip())
    if len(result) > most:
        raise BadValue(f"at most {most} names, not {len(result)}.")
    for name in result:
        if len(name) > MOST_ECHOED:
            raise BadValue(f"{short(name)} is too long to be a name.")
    return result


def choice(value: Any, choices: Sequence[str]) -> str:
    """One of `choices`, exactly as listed."""
    if not isinstance(value, str) or value not in choices:
        listed = ", ".join(repr(name) for name in choices)
        raise BadValue(f"{short(value)} is not one of {listed}.")
    return value


def flag(value: Any) -> bool:
    """True or False (a switch such as `poster`)."""
    if not isinstance(value, bool):
        raise BadValue(f"{short(value)} is not True or False.")
    return value


def path(value: Any) -> Path:
    """A file or folder name, as text or a path."""
    if isinstance(value, str | os.PathLike) and not isinstance(value, bytes):
        text = os.fspath(value)
        if isinstance(text, str) and "\x00" in text:
            raise BadValue(f"{short(text)} holds a NUL byte: no file can have it.")
        if isinstance(text, str) and text:
            return Path(text)
    raise BadValue(f"{short(value)} is not a file name (give a str or a Path).")


class SavedRuns(NamedTuple):
    """Runs to replay: the file they came from, and the runs."""

    path: Path | None  # None: runs recorded in Python, given as Trace objects
    traces: tuple[Trace, ...]


def saved_runs(value: Any) -> SavedRuns:
    """Runs saved with --save-trace (loaded safely), or Trace objects from Python."""
    from sgdcore.trace import Trace, TraceFileError, load_runs

    if isinstance(value, SavedRuns):
        return value
    runs = [value] if isinstance(value, Trace) else value
    if (
        isinstance(runs, list | tuple)
        and runs
        and all(isinstance(t, Trace) for t in runs)
    ):
        return SavedRuns(None, tuple(runs))
    try:
        file = path(value)
    except BadValue:
        raise BadValue(
            f"{short(value)} is neither a trace file nor Trace objects."
        ) from None
    try:
        return SavedRuns(file, tuple(load_runs(file)))
    except TraceFileError as error:  # its message names the file, perhaps twice
        raise BadValue(clipped_words(str(error))) from None


def points(value: Any) -> Points:
    """Points to fit: a CSV of x, y rows, or (from Python) a pair of arrays."""
    from sgdcore.user_data import DataError, as_points

    try:
        return as_points(value)
    except DataError as error:
        raise BadValue(f"{error}.") from None


def function(value: Any) -> Function1D:
    """An f(w): a built-in one by name, or (from Python) any callable; never eval'd text."""
    from sgdcore.functions import BUILT_IN, Function1D, as_function

    if isinstance(value, str):
        choice(value, list(BUILT_IN))
    elif not isinstance(value, Function1D) and not callable(value):
        listed = ", ".join(repr(name) for name in BUILT_IN)
        raise BadValue(f"{short(value)} is not one of {listed} or a function of w.")
    return as_function(value)
