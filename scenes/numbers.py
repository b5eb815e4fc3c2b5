"""How numbers from a trace are written on screen: one formatter for all (R13).

Plain Python and numpy, no Manim: the strings are tested directly. The rules, the
same wherever a number appears (readouts, worked updates, sentences):

- a true minus sign (−); NaN as `NaN`, infinities as `∞` and `−∞`;
- e-notation only from 1e4 up in magnitude (`1.235e4`), never below, but for a
  setting under 1e-6 (a learning rate of `1e−300` fits no line written out);
- a trace value under 1e-4 in magnitude is shown to four decimals, so a value that
  is effectively zero reads `0.0000`, without a sign (never `2.048e−7`);
- a readout row shows every step with one number of decimals (`column_decimals`),
  and a column pads its rows so that their decimal points line up (`aligned_rows`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

import numpy as np
import numpy.typing as npt

MINUS = "−"
E_NOTATION_FROM = 1e4  # smaller magnitudes are always written out in full
TINY = 1e-4  # below this a trace value is shown to TINY_DECIMALS decimals
TINY_DECIMALS = 4
SETTING_IN_FULL = 1e-6  # a setting (lr) smaller than this is written `1e−7`
E_DIGITS = 4  # significant digits of a number in e-notation
# column_decimals: four significant digits at the row's typical (median) magnitude,
# at most five at its largest, and between one and five decimals in all
TYPICAL_DIGITS, LARGEST_DIGITS = 4, 5
MIN_DECIMALS, MAX_DECIMALS = 1, 5
DEFAULT_DECIMALS = 4  # a row with no finite nonzero value


def not_finite(value: float) -> str | None:
    """`NaN`, `∞` or `−∞` for a value that is not finite, else None."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    return None


def e_notation(value: float, digits: int = E_DIGITS) -> str:
    """`value` as `1.235e4`: `digits` significant digits, a plain exponent."""
    mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
    return f"{mantissa}e{int(exponent)}".replace("-", MINUS)


def format_fixed(value: float, decimals: int) -> str:
    """`value` with exactly `decimals` decimals (`0.0746`, `−2.400`).

    From 1e4 up in magnitude it is written in e-notation instead; a value that
    rounds to zero shows as zero without a sign (`0.0000`, never `−0.0000`).
    """
    special = not_finite(value)
    if special is not None:
        return special
    if abs(value) >= E_NOTATION_FROM:
        return e_notation(value)
    text = f"{value:.{decimals}f}"
    if text.startswith("-") and not text.strip("-0."):
        text = text[1:]
    return text.replace("-", MINUS)


def significant(value: float, digits: int) -> str:
    """A finite `value` written out in full with `digits` significant digits."""
    return format(Decimal(f"{value:.{digits - 1}e}"), "f").replace("-", MINUS)


def format_number(value: float, digits: int = 4, trim: bool = False) -> str:
    """Format a trace value: `digits` significant digits; `trim` drops trailing zeros.

    Below TINY in magnitude a value gets TINY_DECIMALS decimals instead (`0.0000`,
    kept even with `trim` unless the value is exactly zero); from 1e4 up it may be
    written in e-notation (`1.235e4`).
    """
    special = not_finite(value)
    if special is not None:
        return special
    if value == 0 and trim:
        return "0"
    if abs(value) < TINY:
        return format_fixed(value, TINY_DECIMALS)
    if abs(value) < E_NOTATION_FROM:
        text = significant(value, digits)
    else:
        text = f"{value:#.{digits}g}".replace("-", MINUS)
        if "e" in text:
            mantissa, exponent = text.split("e")
            text = f"{mantissa}e{int(exponent.replace(MINUS, '-'))}"
    if trim and "." in text:
        mantissa, _, exponent = text.partition("e")
        text = mantissa.rstrip("0").rstrip(".") + (f"e{exponent}" if exponent else "")
    return text.rstrip(".")


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


def format_column(values: npt.ArrayLike, decimals: int | None = None) -> list[str]:
    """Each value with the same decimals (`column_decimals` unless given)."""
    array = np.asarray(values, dtype=np.float64).ravel()
    places = column_decimals(array) if decimals is None else decimals
    return [format_fixed(float(value), places) for value in array]


def aligned_rows(rows: Sequence[npt.ArrayLike]) -> list[list[str]]:
    """Each row formatted with its own decimals, padded on the right with spaces.

    Right-aligned in one monospace column, every row's decimal point then sits the
    same number of cells from the right edge: that of the row with most decimals.
    """
    decimals = [column_decimals(row) for row in rows]
    most = max(decimals, default=0)
    return [
        [text + " " * (most - places) for text in format_column(row, places)]
        for row, places in zip(rows, decimals, strict=True)
    ]


def parse_shown(text: str) -> Decimal:
    """The exact decimal a shown number stands for (`−2.400`, `1.235e4`)."""
    try:
        number = Decimal(text.strip().replace(MINUS, "-"))
    except InvalidOperation:
        raise ValueError(f"{text!r} is not a shown number") from None
    if not number.is_finite():
        raise ValueError(f"{text!r} is not a finite number")
    return number


def format_tick(value: float) -> str:
    """Format an axis tick: the shortest exact-looking form, true minus sign.

    Up to six significant digits, written out in full below 1e4 (`0.00002`, never
    `2e-05`) and as `1e6` rather than `1e+06` above; no `−0`.
    """
    special = not_finite(value)
    if special is not None:
        return special
    if value == 0:
        return "0"
    text = f"{value:.6g}"
    if "e" not in text:
        return text.replace("-", MINUS)
    if abs(value) < E_NOTATION_FROM:
        return format(Decimal(text).normalize(), "f").replace("-", MINUS)
    mantissa, exponent = text.split("e")
    return f"{mantissa}e{int(exponent)}".replace("-", MINUS)


def format_lr(value: float) -> str:
    """A learning rate or other setting, as typed: `0.1`, `1.1`, `0.02`, `0.00001`.

    A setting is not a measurement, so it never becomes `0.0000`: up to four
    significant digits, written out in full from SETTING_IN_FULL to 1e4 and in
    e-notation outside (`2.5e−9`, never thirty zeros that no line has room for).
    """
    if 0 < abs(value) < SETTING_IN_FULL:
        mantissa, exponent = f"{value:.3e}".split("e")
        mantissa = mantissa.rstrip("0").rstrip(".")
        return f"{mantissa}e{int(exponent)}".replace("-", MINUS)
    if 0 < abs(value) < TINY:
        return format(Decimal(f"{value:.3e}").normalize(), "f").replace("-", MINUS)
    return format_number(value, trim=True)
