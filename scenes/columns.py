"""How a row of trace values is written: one number of decimals per row (or per
clip, for a kind of quantity such as the losses), padded so the decimal points of
a column line up. Built on the one formatter (scenes/numbers.py).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from scenes.numbers import (
    DEFAULT_DECIMALS,
    LARGEST_DIGITS,
    MAX_DECIMALS,
    MIN_DECIMALS,
    POWER_DECIMALS,
    TYPICAL_DIGITS,
    Number,
    format_fixed,
    format_power,
    parse_shown,
    shown_decimals,
)


def column_decimals(values: npt.ArrayLike) -> int:
    """The decimals one readout row shows all its values with.

    Four significant digits at the row's typical magnitude (the median of its finite
    absolute values), but no more than five at its largest, clamped to 1..5:
    a loss from 8.232 down to 0.0746 gets 4 (`8.2318`, `0.0746`), w from 2 down to
    1e-7 gets 4 (`2.0000`, `0.0000`), w from 2 up to 12.38 gets 3 (`12.383`).
    """
    magnitudes = np.abs(np.asarray(values, dtype=np.float64).ravel())
    magnitudes = magnitudes[np.isfinite(magnitudes)]
    if not (magnitudes > 0).any():
        return DEFAULT_DECIMALS
    largest = LARGEST_DIGITS - 1 - math.floor(math.log10(float(magnitudes.max())))
    typical_magnitude = float(np.median(magnitudes))
    typical = (
        TYPICAL_DIGITS - 1 - math.floor(math.log10(typical_magnitude))
        if typical_magnitude > 0
        else largest
    )
    return min(max(min(typical, largest), MIN_DECIMALS), MAX_DECIMALS)


def fitting_decimals(values: Sequence[Number], decimals: int, width: int) -> int:
    """The most decimals, up to `decimals`, that write every value in `width` cells
    (none if even that is too wide)."""
    places = decimals
    while places > 0 and any(len(format_fixed(v, places)) > width for v in values):
        places -= 1
    return places


def clip_decimals(rows: Sequence[npt.ArrayLike], width: int) -> int:
    """One number of decimals for every value of `rows` (every loss of a clip):
    `column_decimals` of all of them together, or the most that still write the
    widest in `width` cells (a run that diverges takes the whole clip down with it)."""
    values = np.concatenate(
        [np.ravel(np.asarray(row, dtype=np.float64)) for row in rows]
    )
    finite = [float(v) for v in values[np.isfinite(values)]]
    fits = [v for v in finite if len(format_fixed(v, 0)) <= width]
    return fitting_decimals(fits, column_decimals(values), width)


def clip_rows(rows: Sequence[npt.ArrayLike], width: int) -> list[list[str]]:
    """Every row written with one number of decimals (`clip_decimals`), fitted to
    `width` (a value too wide even without decimals is written m×10ⁿ)."""
    places = clip_decimals(rows, width)
    return [fit_row(np.asarray(row, dtype=np.float64), places, width) for row in rows]


def fit_row(
    values: Sequence[Number] | npt.ArrayLike,
    decimals: int,
    width: int,
    keep: bool = False,
) -> list[str]:
    """Every value of a row with `decimals` decimals, each in at most `width` cells.

    If a value written out is too wide, the whole row takes fewer decimals (down to
    none); a value too wide even without decimals is written m×10ⁿ, every such value
    of the row with one number of decimals in its mantissa (at most POWER_DECIMALS).
    `keep`: the row keeps its `decimals` (a row that worked arithmetic reads from),
    and every value too wide with them is written m×10ⁿ instead.
    """
    row = list(values) if isinstance(values, Sequence) else list(np.ravel(values))
    huge = [len(format_fixed(value, decimals if keep else 0)) > width for value in row]
    places = fitting_decimals(
        [v for v, big in zip(row, huge, strict=True) if not big], decimals, width
    )
    mantissa = POWER_DECIMALS
    while mantissa > 0 and any(
        len(format_power(value, mantissa)) > width
        for value, big in zip(row, huge, strict=True)
        if big
    ):
        mantissa -= 1
    return [
        format_power(value, mantissa) if big else format_fixed(value, places)
        for value, big in zip(row, huge, strict=True)
    ]


def format_column(values: npt.ArrayLike, decimals: int | None = None) -> list[str]:
    """Each value with the same decimals (`column_decimals` unless given)."""
    array = np.asarray(values, dtype=np.float64).ravel()
    places = column_decimals(array) if decimals is None else decimals
    return [format_fixed(float(value), places) for value in array]


def after_units(text: str) -> int:
    """Cells of a shown number right of its units digit: its point and decimals."""
    places = shown_decimals(text)
    return places + 1 if places else 0


def aligned(rows: Sequence[Sequence[str]], width: int | None = None) -> list[list[str]]:
    """Rows of shown numbers, padded on the right with spaces so that, right-aligned
    in one monospace column, every decimal point (or the place it would take) lines
    up; a number that padding would push past `width` cells is written m×10ⁿ."""
    shapes = [
        {after_units(text) for text in row if text and "×" not in text} for row in rows
    ]
    most = max((max(shape) for shape in shapes if shape), default=0)
    padded = []
    for row, shape in zip(rows, shapes, strict=True):
        pad = most - max(shape) if shape else 0

        def spaced(text: str, pad: int = pad) -> str:
            if "×" in text or not text:
                return text
            if width and len(text) + pad > width:
                return in_power(text, width)  # too wide to line up: m×10ⁿ
            return text + " " * pad

        padded.append([spaced(text) for text in row])
    return padded


def in_power(text: str, width: int) -> str:
    """A shown number too wide to line up written m×10ⁿ in at most `width` cells
    (as many mantissa decimals as fit), or as it is if it is not a finite number."""
    try:
        value = parse_shown(text)
    except ValueError:
        return text
    for decimals in range(POWER_DECIMALS, -1, -1):
        power = format_power(value, decimals)
        if len(power) <= width:
            return power
    return text


def fit_aligned(
    rows: Sequence[npt.NDArray[np.float64] | Sequence[str]], width: int
) -> list[list[str]]:
    """Rows in a column of `width` cells, `aligned`: a row of values at its
    `column_decimals` (a row of texts as it is), and refitted to the room its
    padding leaves if the padding would push it past `width` (fewer decimals, or
    m×10ⁿ), so that every decimal point lines up and nothing is wider than `width`."""

    def plain(texts: Sequence[str]) -> list[str]:
        return [text for text in texts if text and "×" not in text]

    texts = [
        fit_row(row, column_decimals(row), width)
        if isinstance(row, np.ndarray)
        else list(row)
        for row in rows
    ]
    for _ in range(MAX_DECIMALS + 2):  # each refit takes a decimal or a cell off
        most = max((after_units(t) for row in texts for t in plain(row)), default=0)
        refits = 0
        for index, row in enumerate(rows):
            shown = plain(texts[index])
            if not isinstance(row, np.ndarray) or not shown:
                continue
            pad = most - max(map(after_units, shown))
            if max(map(len, shown)) + pad > width:
                texts[index] = fit_row(row, column_decimals(row), width - pad)
                refits += 1
        if not refits:
            break
    return aligned(texts, width)


def aligned_rows(rows: Sequence[npt.ArrayLike], width: int = 12) -> list[list[str]]:
    """Each row at its own `column_decimals`, fitted to `width`, then `aligned`."""
    texts = [fit_row(row, column_decimals(row), width) for row in rows]
    return aligned(texts, width)
