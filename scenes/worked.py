"""Worked arithmetic on screen: results computed from the numbers shown, so they agree.

A worked update `= w − lr × g` is followed by its result, worked out exactly
(`decimal.Decimal`) from the shown strings and rounded half up to w's decimals:
written `=` when nothing was rounded away, `≈` when something was (`worked_update`).

On the quadratic f(w) = c·(w − w*)² the readouts of f′(w) and f(w) are worked out
from the shown w the same way, so that 2·w and w² can be checked by hand, and w gets
enough decimals (where there is room) that f(w) stays within a unit of its last digit
of the trace's loss (`quadratic_rows`). Any other f(w) shows the trace's values.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext

import numpy as np
import numpy.typing as npt

from scenes.numbers import (
    MAX_DECIMALS,
    clip_decimals,
    column_decimals,
    fit_row,
    format_count,
    format_fixed,
    format_lr,
    format_power,
    parse_shown,
    shown_decimals,
)
from sgdcore.trace import Trace

MORE_DECIMALS = 1  # at most this many decimals more on w, to make f(w) round true
LOSS_SLACK = 1e-6  # relative: a float32 loss is w² only to about this


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
) -> list[tuple[str, str]] | None:
    """Every step's worked update, ending where the readouts (`lands`) put the run.

    `values(d)`, `grads(d)`: the operands at every step with d decimals more than
    their readouts (one number for the whole clip). The fewest more decimals (the
    value's first, at most `most`) that make every result the next readout, with each
    shown value rounding to its readout, win; if none does, the fitting choice with
    the fewest `→ r` lines. None if no choice fits.
    """
    best: tuple[int, list[tuple[str, str]]] | None = None
    for total in range(sum(most) + 1):
        for to_grad in range(min(total, most[1]) + 1):
            to_value = total - to_grad
            if to_value > most[0]:
                continue
            shown = values(to_value)
            if not all(map(rounds_to, shown, lands)):
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


@dataclass(frozen=True)
class ShownRun:
    """What a run on f(w) shows at every recorded step: w, f(w) and f′(w)."""

    w: list[str]
    loss: list[str]
    grad: list[str]


Fits = Callable[[ShownRun], bool]


def quadratic_rows(
    trace: Trace,
    width: int,
    fits: Fits | None = None,
    loss_decimals: int | None = None,
) -> ShownRun:
    """w, f(w) and f′(w) of a one-parameter run, each row in at most `width` cells.

    w and f′(w) share their decimals, so a worked update keeps w's. `fits` says
    whether a choice leaves room for what else shows the numbers (the worked
    updates); rows are tried from the most faithful down until one fits. f(w) has
    `loss_decimals` if given (those of every loss in the clip), else its own
    `clip_decimals`.
    """
    fits = fits or (lambda run: True)
    if trace.problem == "function":
        return sampled_rows(trace, width, fits, loss_decimals)
    w, loss = trace.params[:, 0], trace.loss
    curvature = Decimal(repr(float(trace.meta["curvature"])))  # type: ignore[arg-type]
    minimum = Decimal(repr(float(trace.meta["minimum"])))  # type: ignore[arg-type]

    def rows(places: int, loss_places: int, cells: int = width) -> ShownRun:
        shown_w = fit_row(w, places, cells)
        offsets = [
            number - minimum if (number := exact(t)) is not None else None
            for t in shown_w
        ]
        nan = Decimal("NaN")
        grad = [2 * curvature * o if o is not None else nan for o in offsets]
        loss_rows = [curvature * o * o if o is not None else nan for o in offsets]
        return ShownRun(
            shown_w,
            fit_row(loss_rows, loss_places, cells),
            fit_row(grad, row_decimals(shown_w), cells),
        )

    base = column_decimals(w)
    loss_base = clip_decimals([loss], width) if loss_decimals is None else loss_decimals
    first = None
    for loss_places in range(
        loss_base, -1 if loss_decimals is None else loss_base - 1, -1
    ):
        for places in range(base, min(base + MORE_DECIMALS, MAX_DECIMALS + 1) + 1):
            run = rows(places, loss_places)
            if not fits(run):
                continue
            first = first or run
            if faithful(run.loss, loss):
                return run
    if first is not None:  # consistent with the shown w, if not with the trace
        return first
    return fewer(
        lambda places, cells: rows(places, loss_base, cells), base, width, fits
    )


def clip_quadratic_rows(
    traces: Sequence[Trace], width: int, fits: Fits | None = None
) -> list[ShownRun]:
    """`quadratic_rows` of runs shown in one clip, every f(w) with one number of
    decimals: that of all their losses (`clip_decimals`), or fewer if a run's f(w),
    worked out from its shown w, needs fewer to fit."""
    places = clip_decimals([trace.loss for trace in traces], width)
    runs = [quadratic_rows(trace, width, fits, places) for trace in traces]
    fewest = min(row_decimals(run.loss) for run in runs)
    if fewest < places:
        runs = [quadratic_rows(trace, width, fits, fewest) for trace in traces]
    return runs


def sampled_rows(
    trace: Trace, width: int, fits: Fits, loss_decimals: int | None = None
) -> ShownRun:
    """A sampled f(w)'s rows: the trace's own values, w and f′(w) at w's decimals."""
    w, loss, grad = trace.params[:, 0], trace.loss, trace.grad[:, 0]
    loss_places = (
        clip_decimals([loss], width) if loss_decimals is None else loss_decimals
    )

    def rows(places: int, cells: int) -> ShownRun:
        shown_w = fit_row(w, places, cells)
        return ShownRun(
            shown_w,
            fit_row(loss, loss_places, cells),
            fit_row(grad, row_decimals(shown_w), cells),
        )

    return fewer(rows, column_decimals(w), width, fits)


def fewer(
    rows: Callable[[int, int], ShownRun], places: int, width: int, fits: Fits
) -> ShownRun:
    """`rows(places, cells)` with the most decimals, then the most cells, that fits."""
    for cells in range(width, 3, -1):
        for fewer_places in range(places, -1, -1):
            run = rows(fewer_places, cells)
            if fits(run):
                return run
    raise ValueError(f"no way of writing the run's numbers fits in {width} cells")


def faithful(texts: Sequence[str], values: npt.NDArray[np.float64]) -> bool:
    """Whether every shown text is within a unit of its last digit of its value (NaN
    and ∞ where the value is): worked out from a rounded w, it may be a unit off."""
    for text, value in zip(texts, values, strict=True):
        number = exact(text)
        if number is None or not np.isfinite(value):
            if (number is None) != (not np.isfinite(value)):
                return False
            continue
        unit = Decimal(1).scaleb(-shown_decimals(text))
        slack = Decimal(LOSS_SLACK * abs(float(value)))
        if abs(number - Decimal(float(value))) > unit + slack:
            return False
    return True


def line_fits(lr: str, width: int, joined: bool = False) -> Fits:
    """Whether every worked update of a run fits in `width` cells (both halves on
    one line if `joined`, else each on its own)."""

    def fits(run: ShownRun) -> bool:
        for first, second in worked_updates(run.w[:-1], run.grad[:-1], lr):
            halves = [f"{first} {second}"] if joined else [first, second]
            if max(map(len, halves)) > width:
                return False
        return True

    return fits


UPDATE_LABEL_ROW = "update made"  # the row name of the `step k → k+1` label


def update_label(k: int, n_steps: int) -> str:
    """Which update a worked update at step `k` is: `step 3 → 4`; once the run is
    over, the last one made (`step 99 → 100` beside the readouts of step 100)."""
    if n_steps < 1:
        return ""
    made = min(k, n_steps - 1)
    return f"step {format_count(made)} → {format_count(made + 1)}"


def run_lr(trace: Trace) -> str:
    """The run's learning rate as the worked updates write it."""
    return format_lr(trace.learning_rate)
