"""Your own points for the line-fitting scenes: a CSV file or arrays, checked once.

numpy and the standard library only, so a refusal imports no torch.
A CSV holds two numeric columns, x and y, one point a row, with an optional header
row; every failure is a `DataError`, one line naming the line of the file (or the
index of the array) at fault.
"""

from __future__ import annotations

import csv
import math
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

# A slide shows hundreds of points; the scenes stay quick up to tens of thousands
# (minibatch draws its points as one path). 100,000 rows is past any lecture.
MAX_ROWS = 100_000
# About 40 bytes a row at the most rows, with room for long decimals and comments.
MAX_BYTES = 16 * 2**20
# float32 training squares x and y: past 1e6 the lesson's learning rates explode at
# once and the loss soon overflows; rescale the data instead.
MAX_VALUE = 1e6
COLUMNS = ("x", "y")
SHOWN_NAME = 40  # characters of a file's name a message repeats


class DataError(ValueError):
    """Points that cannot be fitted: one line naming the row at fault."""


@dataclass(frozen=True, eq=False)
class Points:
    """Points to fit a line to, checked: at least 2, finite, two different x."""

    x: npt.NDArray[np.float64]  # (n,) inputs
    y: npt.NDArray[np.float64]  # (n,) targets
    source: str  # the file they came from, or "arrays"

    def __len__(self) -> int:
        return len(self.x)


def read_points(path: str | os.PathLike[str]) -> Points:
    """The points in a CSV file of two numeric columns (x, y), header row optional."""
    name = os.fspath(path)
    try:
        return read_file(name)
    except DataError as error:  # messages name the file: a long name is shortened
        if len(name) <= SHOWN_NAME:
            raise
        short = name[:SHOWN_NAME] + "…"
        raise DataError(str(error).replace(name, short)) from None


def read_file(name: str) -> Points:
    """read_points for a file name; messages give the name in full."""
    if "\x00" in name:
        raise DataError(f"{name!r} holds a NUL byte: no file can have it")
    try:
        info = os.stat(name)
    except OSError as error:
        raise DataError(f"{name}: {(error.strerror or 'unreadable').lower()}") from None
    if not stat.S_ISREG(info.st_mode):
        raise DataError(f"{name} is not a file; give a CSV of x, y rows")
    if info.st_size > MAX_BYTES:
        raise DataError(f"{name} is {info.st_size:,} bytes; at most {MAX_BYTES:,}")
    rows = list(numbered_rows(name))
    if not rows:
        raise DataError(f"{name} is empty; it needs rows of two numbers: x, y")
    if not any(number(field) is not None for field in rows[0][1]):
        rows = rows[1:]  # a header row: no field in it is a number
    if len(rows) > MAX_ROWS:  # the reader let one more through, in case of a header
        raise too_many_rows(name, rows[MAX_ROWS][0])
    values = np.empty((len(rows), 2))
    for index, (line, fields) in enumerate(rows):
        if len(fields) != 2:
            raise DataError(
                f"{name}, line {line}: {len(fields)} value(s); each row needs two: x, y"
            )
        for column, field in enumerate(fields):
            value = number(field)
            if value is None:
                text = field.strip()[:20]
                raise DataError(
                    f"{name}, line {line}: {COLUMNS[column]} {text!r} is not a number"
                )
            values[index, column] = value
    lines = [line for line, _ in rows]
    return checked(values[:, 0], values[:, 1], name, lambda i: f"line {lines[i]}")


def numbered_rows(name: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) of each non-blank row, at most MAX_ROWS + 1 data rows."""
    try:
        with open(name, newline="", encoding="utf-8-sig") as file:
            reader = csv.reader(file)
            count = 0
            for fields in reader:
                if not any(field.strip() for field in fields):
                    continue
                count += 1
                if count > MAX_ROWS + 1:  # the first may be a header
                    raise too_many_rows(name, reader.line_num)
                yield reader.line_num, fields
    except UnicodeDecodeError as error:
        line = "line 1" if error.start < 1 else "a line"
        raise DataError(f"{name}: {line} is not UTF-8 text") from None
    except csv.Error as error:
        raise DataError(f"{name}: not CSV ({error})") from None
    except OSError as error:
        raise DataError(f"{name}: {(error.strerror or 'unreadable').lower()}") from None


def too_many_rows(name: str, line: int) -> DataError:
    """The error for a file whose data rows go past MAX_ROWS at `line`."""
    return DataError(
        f"{name}, line {line}: more than {MAX_ROWS:,} rows; at most {MAX_ROWS:,} points"
    )


def number(field: str) -> float | None:
    """The field as a float (nan and inf included), or None if it is not a number."""
    try:
        return float(field)
    except ValueError:
        return None


def points_from_arrays(data: Any) -> Points:
    """Points from `(x, y)` (two sequences of numbers) or an (n, 2) array."""
    try:
        if isinstance(data, tuple | list) and len(data) == 2:
            x, y = (np.asarray(part, dtype=np.float64) for part in data)
        else:
            array = np.asarray(data, dtype=np.float64)
            if array.ndim != 2 or array.shape[1] != 2:
                raise DataError(f"data of shape {array.shape}: give (x, y) or (n, 2)")
            x, y = array[:, 0], array[:, 1]
    except (TypeError, ValueError) as error:
        if isinstance(error, DataError):
            raise
        raise DataError(
            f"data must be numbers: (x, y) or (n, 2), not {error}"
        ) from None
    if x.ndim != 1 or x.shape != y.shape:
        raise DataError(f"x and y must be 1-d and as long, not {x.shape}, {y.shape}")
    if len(x) > MAX_ROWS:
        raise DataError(f"{len(x):,} points; at most {MAX_ROWS:,}")
    return checked(x, y, "arrays", lambda i: f"point {i}")


def checked(
    x: npt.NDArray[np.float64],
    y: npt.NDArray[np.float64],
    source: str,
    where: Any,
) -> Points:
    """The points, unless one is non-finite or too large, or they cannot fit a line.

    `where(i)` names row `i` in messages ("line 7", "point 6").
    """
    for column, values in zip(COLUMNS, (x, y), strict=True):
        bad = np.flatnonzero(~(np.abs(values) <= MAX_VALUE))  # nan too
        if bad.size:
            value = float(values[bad[0]])
            why = "is not finite" if not math.isfinite(value) else "is too large"
            raise DataError(
                f"{source}, {where(int(bad[0]))}: {column} = {value:g} {why}; "
                f"every value must be finite and within ±{MAX_VALUE:g}"
            )
    if len(x) < 2:
        raise DataError(
            f"{source} holds {len(x)} point(s); a line needs at least 2 rows of x, y"
        )
    if np.ptp(x) == 0:
        raise DataError(f"{source}: every x is {x[0]:g}; a line needs two different x")
    return Points(x.copy(), y.copy(), source)


def as_points(value: Any) -> Points:
    """Points from a CSV path, `(x, y)`, an (n, 2) array, or Points already checked."""
    if isinstance(value, Points):
        return value
    if isinstance(value, str | os.PathLike):
        return read_points(Path(value))
    return points_from_arrays(value)
