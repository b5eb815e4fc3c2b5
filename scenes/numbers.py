"""How numbers from a trace are written on screen: one formatter for all (R13).

Plain Python, no Manim: the strings are tested directly.
"""

from __future__ import annotations

import math


def format_number(value: float, digits: int = 4, trim: bool = False) -> str:
    """Format a trace value: `digits` significant digits; `trim` drops trailing zeros."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    text = f"{value:#.{digits}g}".replace("-", "−")
    if "e" in text:
        mantissa, exponent = text.split("e")
        if trim and "." in mantissa:
            mantissa = mantissa.rstrip("0")
        power = int(exponent.replace("−", "-"))
        text = f"{mantissa.rstrip('.')}e{power}".replace("-", "−")
    elif trim and "." in text:
        text = text.rstrip("0")
    return text.rstrip(".")


def format_tick(value: float) -> str:
    """Format an axis tick: the shortest exact-looking form, true minus sign."""
    text = f"{value:.6g}"
    return text.replace("-", "−")


def format_lr(value: float) -> str:
    """A learning rate or other setting, as typed: `0.1`, `1.1`, `0.02`."""
    return format_number(value, trim=True)
