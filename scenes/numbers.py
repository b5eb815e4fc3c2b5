"""How numbers from a trace are written on screen: one formatter for all.

Plain Python and numpy, no Manim: the strings are tested directly. The rules, the
same wherever a number appears (readouts, worked updates, ticks, sentences):

- a true minus sign (−); NaN as `NaN`, infinities as `∞` and `−∞`; never e-notation:
  from 10⁴ up, whole digits (and counts) are grouped in threes by thin spaces
  (`12 383.0`); from 10⁶ up a number to significant digits, or one too wide for its
  place, is written with a power of ten (`1.201×10⁷`), a setting under 10⁻⁶ too;
- a trace value under 1e-4 in magnitude is shown to four decimals, so a value that
  is effectively zero reads `0.0000`, without a sign (never `2.048e−7`);
- a readout row shows every step with one number of decimals (scenes/columns.py:
  `column_decimals`, `fit_row`), padded so its decimal points line up (`aligned`);
- an axis labels its ticks with one number of decimals, counted in a power of ten
  from 10⁴ up (`tick_labels`: `0.5 1.0 1.5` and `×10⁶` beside the axis).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

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


def tick_labels(
    values: Sequence[float], step: float, short: bool = False
) -> tuple[list[str], int]:
    """One axis' tick labels, all with one number of decimals, and the power of ten
    they count in: `0.0 0.5 1.0`, or from 10⁴ up `0 1 2 3` in units of 10⁶ (the
    axis then says `×10⁶`); a tick step under 10⁻⁴ counts in its own power of ten.
    `short`: a step under 1 counts in the power of ten of its last digit, so every
    tick is whole (`0.0025 0.0050` as `25 50` and `×10⁻⁴`), and one of 10 or more
    in its own (`−2000 −1000` as `−2 −1` and `×10³`), for an axis with no room for
    their zeros."""
    largest = max((abs(v) for v in values if math.isfinite(v)), default=0.0)
    power = 0
    if largest >= SCALE_TICKS_FROM:
        power = math.floor(math.log10(largest))
    elif short and 0 < step < 1:
        magnitude = math.floor(math.log10(step))
        power = magnitude - step_decimals(step / 10.0**magnitude)
    elif (short and step >= 10) or 0 < step < TINY:
        power = math.floor(math.log10(step))
    unit = 10.0**power
    decimals = step_decimals(step / unit)
    return [format_fixed(value / unit, decimals) for value in values], power


def level_labels(
    values: Sequence[float], digits: int = 2, trim: bool = True
) -> list[str]:
    """Labels of values on one log-spaced scale (contour levels), `digits`
    significant digits each: all written m×10ⁿ if one reaches 10⁶ (`1.3×10⁷`,
    `4.8×10⁵`), else all written out (`69`, `23`, `7.6`); `trim` drops trailing
    zeros (`8`, not `8.0`)."""
    if any(abs(v) >= POWER_FROM for v in values if math.isfinite(v)):
        return [format_power(v, digits - 1, trim=trim) for v in values]
    return [format_number(v, digits, trim=trim) for v in values]


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


def ratio_shown(ratio: Decimal) -> str:
    """A ratio to two significant digits (`1.3`, `7.1`), whole from 10 on (`22`)."""
    tenths = ratio.quantize(Decimal("0.1"), ROUND_HALF_UP)
    return str(tenths if tenths < 10 else ratio.quantize(Decimal(1), ROUND_HALF_UP))
