"""How numbers from a trace are written on screen: one formatter for all.

Plain Python and numpy, no Manim: the strings are tested directly. The rules, the
same wherever a number appears (readouts, worked updates, ticks, sentences):

- a true minus sign (−); NaN as `NaN`, infinities as `∞` and `−∞`; never e-notation:
  from 10⁴ up, whole digits (and counts) are grouped in threes by thin spaces
  (`12 383.0`); from 10⁶ up a number to significant digits, or one too wide for its
  place, is written with a power of ten (`1.201×10⁷`), a setting under 10⁻⁶ too;
- a trace value under 1e-4 in magnitude is shown to four decimals, so a value that
  is effectively zero reads `0.0000`, without a sign (never `2.048e−7`);
- a readout row shows every step with one number of decimals (`column_decimals`,
  `fit_row`), padded so the column's decimal points line up (`aligned`);
- an axis labels its ticks with one number of decimals, counted in a power of ten
  from 10⁴ up (`tick_labels`: `0.5 1.0 1.5` and `×10⁶` beside the axis).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

import numpy as np
import numpy.typing as npt

MINUS = "−"
THIN = "\u2009"  # thin space: groups of three digits
GROUP_FROM = 1e4  # whole parts from here up are grouped (four digits stay whole: 1024)
POWER_FROM = 1e6  # a number to significant digits is written m×10ⁿ from here up
TINY = 1e-4  # below this a trace value is shown to TINY_DECIMALS decimals
TINY_DECIMALS = 4
SETTING_IN_FULL = 1e-6  # a setting (lr) smaller than this is written `1×10⁻⁷`
POWER_DECIMALS = 3  # most decimals of a readout's mantissa written m×10ⁿ
# column_decimals: four significant digits at the row's typical (median) magnitude,
# at most five at its largest, and between one and five decimals in all
TYPICAL_DIGITS, LARGEST_DIGITS = 4, 5
MIN_DECIMALS, MAX_DECIMALS = 1, 5
DEFAULT_DECIMALS = 4  # a row with no finite nonzero value
SCALE_TICKS_FROM = 1e4  # an axis whose ticks reach this counts them in 10ⁿ
SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
FROM_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")

Number = float | Decimal


def not_finite(value: Number) -> str | None:
    """`NaN`, `∞` or `−∞` for a value that is not finite, else None."""
    if isinstance(value, Decimal):
        value = float(value) if not value.is_finite() else 0.0
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    return None


def power_of_ten(exponent: int) -> str:
    """`10⁶`, `10⁻⁵`: ten to a power, in superscript digits."""
    return "10" + str(exponent).translate(SUPERSCRIPTS)


def grouped(text: str) -> str:
    """A plain number's whole part in groups of three from five digits up
    (`12 383.0`, `−1 024 000`), true minus sign."""
    text = text.replace("-", MINUS)
    sign = MINUS if text.startswith(MINUS) else ""
    whole, point, fraction = text[len(sign) :].partition(".")
    if len(whole) > 4:
        head = len(whole) % 3 or 3
        parts = [whole[:head]] + [whole[i : i + 3] for i in range(head, len(whole), 3)]
        whole = THIN.join(parts)
    return sign + whole + point + fraction


def format_count(count: int, total: int | None = None) -> str:
    """A count (of a total), grouped from 10⁴ up: `12 / 100`, `10 000 / 10 000`."""
    return grouped(str(count)) + ("" if total is None else f" / {format_count(total)}")


def unsigned_zero(text: str) -> str:
    """`−0.000` as `0.000`: a value that rounds to zero has no sign."""
    return text[1:] if text[:1] in "-−" and not text.strip("-−0.") else text


def format_fixed(value: Number, decimals: int) -> str:
    """`value` with exactly `decimals` decimals (`0.0746`, `−2.400`, `12 383.0`).

    An exact Decimal (a result worked out from shown digits) is rounded half up, as
    by hand; a trace value as its binary value lies. Never e-notation.
    """
    special = not_finite(value)
    if special is not None:
        return special
    if isinstance(value, Decimal):
        with localcontext(prec=max(value.adjusted(), 0) + decimals + 5):
            value = value.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
        text = f"{value:f}"
    else:
        text = f"{value:.{decimals}f}"
    return grouped(unsigned_zero(text))


def format_power(value: Number, decimals: int, trim: bool = False) -> str:
    """`value` as `1.201×10⁷`: a mantissa with `decimals` decimals (`trim`: less its
    trailing zeros, `4×10⁶`), times a power of ten."""
    special = not_finite(value)
    if special is not None:
        return special
    if value == 0:
        return format_fixed(0.0, decimals)
    with localcontext(rounding=ROUND_HALF_UP):
        mantissa, exponent = f"{value:.{decimals}e}".split("e")
    if trim and "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}×{power_of_ten(int(exponent))}".replace("-", MINUS)


def significant(value: float, digits: int) -> str:
    """A finite `value` written out in full with `digits` significant digits."""
    return format(Decimal(f"{value:.{digits - 1}e}"), "f").replace("-", MINUS)


def format_number(value: float, digits: int = 4, trim: bool = False) -> str:
    """Format a trace value: `digits` significant digits; `trim` drops trailing zeros.

    Below TINY in magnitude a value gets TINY_DECIMALS decimals instead (`0.0000`,
    kept even with `trim` unless the value is exactly zero); from 10⁴ up its digits
    are grouped (`12 350`), from 10⁶ up it is written with a power of ten
    (`1.201×10⁷`).
    """
    special = not_finite(value)
    if special is not None:
        return special
    if value == 0 and trim:
        return "0"
    if abs(value) < TINY:
        return format_fixed(value, TINY_DECIMALS)
    if abs(float(f"{value:.{digits - 1}e}")) >= POWER_FROM:
        return format_power(value, digits - 1, trim)
    text = significant(value, digits)
    if trim and "." in text:
        text = text.rstrip("0")
    return grouped(text.rstrip("."))


def shown_decimals(text: str) -> int:
    """Digits after the point of a shown number (of its mantissa, if m×10ⁿ)."""
    return len(text.strip().partition("×")[0].partition(".")[2])


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
    values: Sequence[Number] | npt.ArrayLike, decimals: int, width: int
) -> list[str]:
    """Every value of a row with `decimals` decimals, each in at most `width` cells.

    If a value written out is too wide, the whole row takes fewer decimals (down to
    none); a value too wide even without decimals is written m×10ⁿ, every such value
    of the row with one number of decimals in its mantissa (at most POWER_DECIMALS).
    """
    row = list(values) if isinstance(values, Sequence) else list(np.ravel(values))
    huge = [len(format_fixed(value, 0)) > width for value in row]
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
    up; a row padded past `width` cells is padded only as far as it fits."""
    shapes = [
        {after_units(text) for text in row if text and "×" not in text} for row in rows
    ]
    most = max((max(shape) for shape in shapes if shape), default=0)
    padded = []
    for row, shape in zip(rows, shapes, strict=True):
        pad = most - max(shape) if shape else 0
        plain = [text for text in row if "×" not in text]
        room = min((width - len(text) for text in plain), default=pad) if width else pad
        spaces = " " * max(min(pad, room), 0)
        padded.append([text if "×" in text else text + spaces for text in row])
    return padded


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


def parse_shown(text: str) -> Decimal:
    """The exact decimal a shown number stands for (`−2.400`, `12 383.0`, `1.2×10⁷`)."""
    body = text.strip().replace(THIN, "").replace(MINUS, "-")
    mantissa, times, power = body.partition("×10")
    try:
        if "e" in mantissa.lower():
            raise InvalidOperation
        number = Decimal(mantissa)
        if times:
            number = number.scaleb(int(power.translate(FROM_SUPERSCRIPTS)))
    except (InvalidOperation, ValueError):
        raise ValueError(f"{text!r} is not a shown number") from None
    if not number.is_finite():
        raise ValueError(f"{text!r} is not a finite number")
    return number


def step_decimals(step: float) -> int:
    """The fewest decimals that write a tick step such as 0.25 exactly (to ten
    significant digits: a step divided by a power of ten is not exact in binary)."""
    exponent = Decimal(f"{step:.10g}").normalize().as_tuple().exponent
    return max(-exponent, 0) if isinstance(exponent, int) else 0


def tick_labels(values: Sequence[float], step: float) -> tuple[list[str], int]:
    """One axis' tick labels, all with one number of decimals, and the power of ten
    they count in: `0.0 0.5 1.0`, or from 10⁴ up `0 1 2 3` in units of 10⁶ (the
    axis then says `×10⁶`); a tick step under 10⁻⁴ counts in its own power of ten."""
    largest = max((abs(v) for v in values if math.isfinite(v)), default=0.0)
    power = 0
    if largest >= SCALE_TICKS_FROM:
        power = math.floor(math.log10(largest))
    elif 0 < step < TINY:
        power = math.floor(math.log10(step))
    unit = 10.0**power
    decimals = step_decimals(step / unit)
    return [format_fixed(value / unit, decimals) for value in values], power


def level_labels(values: Sequence[float], digits: int = 2) -> list[str]:
    """Labels of values on one log-spaced scale (contour levels), `digits`
    significant digits each: all written m×10ⁿ if one reaches 10⁶ (`1.3×10⁷`,
    `4.8×10⁵`), else all written out (`69`, `23`, `7.6`)."""
    if any(abs(v) >= POWER_FROM for v in values if math.isfinite(v)):
        return [format_power(v, digits - 1, trim=True) for v in values]
    return [format_number(v, digits, trim=True) for v in values]


def format_lr(value: float) -> str:
    """A learning rate or other setting, as typed: `0.1`, `1.1`, `0.02`, `0.00001`.

    A setting is not a measurement, so it never becomes `0.0000`: up to four
    significant digits, written out in full from SETTING_IN_FULL up and with a
    power of ten below (`2.5×10⁻⁹`, never thirty zeros that no line has room for).
    """
    if 0 < abs(value) < SETTING_IN_FULL:
        return format_power(value, 3, trim=True)
    if 0 < abs(value) < TINY:
        return format(Decimal(f"{value:.3e}").normalize(), "f").replace("-", MINUS)
    return format_number(value, trim=True)
