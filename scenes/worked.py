"""Worked arithmetic on screen: results computed from the numbers shown, so they agree.

A worked update `= w − lr × g` is followed by its result, worked out exactly
(`decimal.Decimal`) from the shown strings and rounded half up to w's decimals:
written `=` when nothing was rounded away, `≈` when something was (`worked_update`).
The readouts of f(w) are worked the same way (scenes/quadratic_rows.py).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from decimal import ROUND_FLOOR, Decimal, localcontext

from scenes.numbers import (
    format_count,
    format_fixed,
    format_lr,
    format_power,
    parse_shown,
    shown_decimals,
)
from sgdcore.trace import Trace


def worked_line(value: str, lr: str, grad: str) -> str:
    """`= w − lr × g`, a negative gradient in brackets."""
    grad = f"({grad})" if grad.startswith("−") else grad
    return f"= {value} − {lr} × {grad}"


def exact(text: str) -> Decimal | None:
    """The number a shown string stands for; None for NaN, ∞ or nothing."""
    try:
        return parse_shown(text)
    except ValueError:
        return None


def shown_update(value: str, lr: str, grad: str) -> Decimal | None:
    """`value − lr × grad` exactly, from the shown strings; None if one is not finite."""
    numbers = [exact(text) for text in (value, lr, grad)]
    if any(number is None for number in numbers):
        return None
    w, rate, g = numbers
    with localcontext(prec=80):
        return w - rate * g  # type: ignore[operator]


def row_decimals(texts: Sequence[str]) -> int:
    """The decimals of a row's numbers written out (its first such text's)."""
    plain = (text for text in texts if exact(text) is not None and "×" not in text)
    return shown_decimals(next(plain, ""))


def worked_update(value: str, lr: str, grad: str, decimals: int) -> tuple[str, str]:
    """The two halves of one worked update: `= w − lr × g`, and `= r` or `≈ r`.

    r is `w − lr·g` worked out exactly from the shown strings and rounded half up to
    `decimals` (or written m×10ⁿ like an input that is); `=` only when nothing was
    rounded away. Both halves are empty when a shown number is not finite.
    """
    result = shown_update(value, lr, grad)
    if result is None:
        return "", ""
    powers = [text for text in (value, grad) if "×" in text]
    if powers:
        text = format_power(result, max(map(shown_decimals, powers)))
    else:
        text = format_fixed(result, decimals)
    sign = "=" if parse_shown(text) == result else "≈"
    return worked_line(value, lr, grad), f"{sign} {text}"


def landing_update(value: str, lr: str, grad: str, lands: str) -> tuple[str, str]:
    """A worked update that ends where the readouts say the run lands, `lands`.

    The result is worked out from the shown digits and rounded to `lands`' decimals;
    if that is not `lands` (the rounded operands miss the run's own value by a unit),
    the second half says where the run went instead: `→ lands`, no arithmetic claimed.
    """
    first, second = worked_update(value, lr, grad, shown_decimals(lands))
    if first and lands and second[2:] != lands:
        return first, f"→ {lands}"
    return first, second


def rounds_to(fine: str, coarse: str) -> bool:
    """Whether `coarse` is `fine` rounded half up to its decimals (a number shown to
    more digits in a worked update than in its readout); True unless both are plain
    finite numbers."""
    more, less = exact(fine), exact(coarse)
    if more is None or less is None or "×" in fine + coarse:
        return True
    rounded = format_fixed(more, shown_decimals(coarse))
    return exact(rounded) == less


Halves = Callable[[tuple[str, str]], bool]  # whether a worked update's halves fit


def landing_updates(
    values: Callable[[int], Sequence[str]],
    grads: Callable[[int], Sequence[str]],
    lr: str,
    lands: Sequence[str],
    fits: Halves,
    most: tuple[int, int] = (3, 2),
    paired: bool = False,
    slopes: Sequence[str] | None = None,
) -> list[tuple[str, str]] | None:
    """Every step's worked update, ending where the readouts (`lands`) put the run.

    `values(d)`, `grads(d)`: the operands at every step with d decimals more than
    their readouts (one number for the whole clip). The fewest more decimals (the
    value's first, at most `most`) that make every result the next readout, with each
    shown value rounding to its readout, win; if none does, the fitting choice with
    the fewest `→ r` lines. None if no choice fits. `paired`: `grads(d)` is worked
    out from `values(d)`, so a line's gradient is worked from the value on its own
    line, to as many decimals (up to `most[0]` more), and the line can be checked by
    hand: f′(w) is the shown w's. `slopes`: the readouts of the gradient, which
    every line's gradient must round to.
    """
    if paired:
        extra = [(more, more) for more in range(most[0] + 1)]
    else:  # the fewest decimals more, the value's first
        extra = sorted(
            itertools.product(range(most[0] + 1), range(most[1] + 1)),
            key=lambda pair: (sum(pair), pair[1]),
        )
    best: tuple[int, list[tuple[str, str]]] | None = None
    for to_value, to_grad in extra:
        shown = values(to_value)
        if not all(map(rounds_to, shown, lands)):
            continue
        if slopes is not None and not all(map(rounds_to, grads(to_grad), slopes)):
            continue
        pairs = [
            landing_update(value, lr, grad, land)
            for value, grad, land in zip(
                shown[:-1], grads(to_grad)[:-1], lands[1:], strict=False
            )
        ]
        if not all(map(fits, pairs)) or not all(map(near, pairs, lands[1:])):
            continue
        misses = sum(second.startswith("→") for _, second in pairs)
        if not misses:
            return pairs
        if best is None or misses < best[0]:
            best = (misses, pairs)
    return None if best is None else best[1]


def near(pair: tuple[str, str], lands: str) -> bool:
    """Whether a `→ r` update's shown digits come within a unit of r's last digit
    (a gradient cut to too few digits goes further: such a line would mislead)."""
    if not pair[1].startswith("→") or "×" in lands:
        return True
    value, lr, grad = pair[0].replace("(", "").replace(")", "").split(" ")[1::2]
    result, landing = shown_update(value, lr, grad), exact(lands)
    if result is None or landing is None:
        return True
    return abs(result - landing) <= Decimal(1).scaleb(-shown_decimals(lands))


def worked_updates(
    values: Sequence[str], grads: Sequence[str], lr: str
) -> list[tuple[str, str]]:
    """Every step's worked update, each result with the values' decimals."""
    decimals = row_decimals(values)
    return [
        worked_update(value, lr, grad, decimals)
        for value, grad in zip(values, grads, strict=True)
    ]


UPDATE_LABEL_ROW = "update made"  # the row name of the `step k → k+1` label
LAST = "last"  # the label's first word once the run is over


def update_label(
    k: int, n_steps: int, closing: bool = True, short: bool = False
) -> str:
    """Which update a worked update at step `k` is: `step 3 → 4`. Once the run is
    over, the last one made, said to be the last when `closing` (`last step 99 →
    100` beside the readouts of step 100, whose gradient it did not use). `short`:
    without the word `step` (`3 → 4`, `last 99 → 100`)."""
    if n_steps < 1:
        return ""
    made = min(k, n_steps - 1)
    text = f"{format_count(made)} → {format_count(made + 1)}"
    text = text if short else f"step {text}"
    return f"{LAST} {text}" if closing and k >= n_steps else text


# the lines once the readouts stand still (in the readouts' glyphs: no prime)
SETTLED = "Each step now moves w by"
UNDER = "under "


def settled_from(values: Sequence[str], grads: Sequence[str]) -> int | None:
    """The first update from which the readouts stand still: at it and every later
    step f′(w) reads zero and w reads as it ends; None if the last update still moves
    w, or its gradient does not read zero."""
    if len(values) < 2 or len(values) != len(grads):
        return None
    end = values[-1].strip()
    return trailing_from(
        [
            exact(grad) == 0 and value.strip() == end
            for value, grad in zip(values[:-1], grads[:-1], strict=True)
        ]
    )


def trailing_from(holds: Sequence[bool]) -> int | None:
    """The first index from which every later one of `holds` is true; None if the
    last is not."""
    first = None
    for k in range(len(holds) - 1, -1, -1):
        if not holds[k]:
            break
        first = k
    return first


def quiet_from(settled: int | None, values: Sequence[str]) -> int | None:
    """The first update from which the readouts show next to nothing: `settled`
    (they stand still), or sooner, the first from which every later readout of
    `values` differs from the last in its last digit only (less than ten of its
    units: `0.0006`, `0.0001`, `0.0000`), a step before the end or sooner."""
    end = exact(values[-1]) if values else None
    first = None
    if end is not None:
        unit = Decimal(1).scaleb(-shown_decimals(values[-1]))
        shown = [exact(value) for value in values]
        first = trailing_from(
            [v is not None and abs(v - end) < 10 * unit for v in shown]
        )
    quiet = first if first is not None and first < len(values) - 1 else None
    return min((k for k in (settled, quiet) if k is not None), default=None)


def settled_lines(moves: Sequence[float], chars: int) -> tuple[str, str]:
    """What the worked lines say once the readouts stand still: no arithmetic is left
    to show, but how far a step can still move w is: the largest of `moves` (each
    update's lr·|f′(w)| from then on, as recorded), rounded up to one significant
    digit: `Each step now moves w by`, `under 0.00003.` (the full stop ends the
    sentence before the label of the steps it speaks for); `too little to show.`
    where that bound takes more than `chars` characters (a rate such as 1e-300)."""
    largest = max((abs(move) for move in moves), default=0.0)
    if not largest > 0:
        return "The gradient is 0:", "steps leave w there."
    step = Decimal(1).scaleb(math.floor(math.log10(largest)))
    digits = Decimal(repr(largest)) / step
    bound = (digits.to_integral_value(rounding=ROUND_FLOOR) + 1) * step
    said = f"{UNDER}{bound.normalize():f}."
    return SETTLED, said if len(said) <= chars else "too little to show."


def settled_label(first: int, k: int, n_steps: int) -> str:
    """The updates the settled lines speak for, up to the one at step `k`: `step 7 →
    8`, then `steps 7 → 10`."""
    made = min(k, n_steps - 1)
    if made <= first:
        return update_label(first, n_steps)
    return f"steps {format_count(first)} → {format_count(made + 1)}"


def run_lr(trace: Trace) -> str:
    """The run's learning rate as the worked updates write it."""
    return format_lr(trace.learning_rate)
