"""How stories write: numbers in sentences, step counts, and a sentence's shape.

Every number a note quotes is a trace value formatted by the one number formatter
(scenes/numbers.py), so captions and speaker notes say what the screen shows.
"""

from __future__ import annotations

import numpy as np

from scenes.columns import column_decimals
from scenes.numbers import format_fixed, format_number

NEAR_FLOOR = 0.01  # "within 1% of the minimum loss"
TOO_LOW_FACTOR = 0.75  # a step that keeps more than 3/4 of the distance crawls
STEADY = "The rest changes little."  # a fast-forward's caption


def n(value: float) -> str:
    """A trace number in a sentence: four significant digits, no trailing zeros.

    Below 1e-4 it reads 0.0000 and only from 1e4 up may it be `1.235e4`, as on screen.
    """
    return format_number(float(value), trim=True)


def as_shown(values: np.ndarray, step: int) -> str:
    """`values[step]` as a readout row of all of `values` writes it: one number of
    decimals for the whole row (`0.0757`, where `n` would say `0.07572`)."""
    return format_fixed(float(values[step]), column_decimals(values))


def floor_label(value: float) -> str:
    """The least loss as a loss plot's dashed floor labels it (`minimum 0.0746`)."""
    return format_number(float(value), 3)


def to_decimals(shown: str) -> str:
    """How far a number written `shown` is exact: ` to 4 decimals` for 0.0746,
    ` to 1 decimal` for 2.5, nothing for a whole number."""
    decimals = len(shown.partition(".")[2])
    if not decimals:
        return ""
    return f" to {decimals} decimal{'s' if decimals > 1 else ''}"


def steps(count: int) -> str:
    """`1 step`, `3 steps`."""
    return f"{count} step" if count == 1 else f"{count} steps"


def point(params: np.ndarray) -> str:
    """Parameters as `(a₁, a₂)`."""
    return "(" + ", ".join(format_number(float(v), 3, trim=True) for v in params) + ")"


CAPTION_LINE = 42  # characters a caption line holds (two lines at most)


SYMBOLS = ("lr", "w")  # written lowercase even where a sentence begins


def capital(text: str) -> str:
    """`text` opening a sentence: its first letter in upper case."""
    return text[:1].upper() + text[1:]


def sentence(text: str) -> str:
    """`text` as a sentence: a capital letter first (not on a symbol such as lr) and
    a full stop at the end."""
    text = text.strip()
    if not text:
        return text
    if text.split(maxsplit=1)[0].rstrip(":,") not in SYMBOLS:
        text = capital(text)
    return text if text.endswith((".", "!", "?")) else text + "."


def first_step_where(mask: np.ndarray) -> int | None:
    """The first index where `mask` holds, if any."""
    hits = np.flatnonzero(mask)
    return int(hits[0]) if hits.size else None


def rose(times: int) -> str:
    """How often a run's loss went up, in words."""
    return {0: "never up", 1: "up once"}.get(times, f"up {times} times")
