"""The readouts of a run on f(w): w, and f′(w) and f(w) worked out from the shown w.

On the quadratic f(w) = c·(w − w*)² f′(w) and f(w) are worked out from the shown w
exactly (`decimal.Decimal`), so 2·w and w² check by hand: f(w) is c·w² of the shown
w rounded, and within a unit of its last digit of the trace's loss (digits that part
from it are not shown). Any other f(w) shows the trace's values. f(w) has four
significant digits at the starting loss (`start_loss_decimals`: `4.000`), or more
where a run comes near the minimum: it never reads zero beside a w that reads away
from it (`resolving_decimals`: `0.00001` beside `0.0032`). A run alone writes f(w)
to w's decimals where its cells hold them and they stay true. Runs side by side
show w alike, and f(w) alike where it fits and stays true.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from scenes.columns import clip_decimals, column_decimals, fit_row, fitting_decimals
from scenes.numbers import MAX_DECIMALS, THIN, format_fixed, shown_decimals
from scenes.parabola_geometry import lowest_point
from scenes.worked import exact, row_decimals, worked_updates
from sgdcore.trace import Trace

MORE_DECIMALS = 1  # at most this many decimals more on w, to make f(w) round true
# a w this many units of its last digit from the minimum reads as away from it (two
# significant digits of distance): its f(w) then never reads zero
AWAY_UNITS = 10
LOSS_SLACK = 1e-6  # relative: a float32 loss is w² only to about this


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
    w_decimals: int | None = None,
    traced_slopes: bool = False,
) -> ShownRun:
    """w, f(w) and f′(w) of a one-parameter run, each row in at most `width` cells.

    w and f′(w) share their decimals, so a worked update keeps w's. `fits` says
    whether a choice leaves room for what else shows the numbers (the worked
    updates); rows are tried from the most faithful down until one fits. f(w) has
    `loss_decimals` if given (those of every loss in the clip), else those of its
    starting loss (`start_loss_decimals`, fewer if the widest f(w) needs them),
    raised to w's where its cells hold them (`no_rounder`); w has `w_decimals` if
    given. `traced_slopes`: f′(w) is the trace's gradient rounded to w's decimals,
    not worked out from the shown w (where the worked updates write w to more
    decimals, and f′(w) from that: scenes/panels/update_rule.py)."""
    fits = fits or (lambda run: True)
    if trace.problem == "function":
        return sampled_rows(trace, width, fits, loss_decimals)
    w, loss = trace.params[:, 0], trace.loss
    curvature = Decimal(repr(float(trace.meta["curvature"])))  # type: ignore[arg-type]

    def rows(places: int, loss_places: int, cells: int = width) -> ShownRun:
        shown_w = fit_row(w, places, cells)
        offsets = shown_offsets(trace, shown_w)
        nan = Decimal("NaN")
        loss_rows = [curvature * o * o if o is not None else nan for o in offsets]
        slopes = (
            fit_row(trace.grad[:, 0], row_decimals(shown_w), cells, keep=True)
            if traced_slopes
            else shown_gradients(trace, shown_w, cells)
        )
        # decimals asked for are kept (a row shared by panels): wider values m×10ⁿ
        losses = fit_row(loss_rows, loss_places, cells, keep=loss_decimals is not None)
        return ShownRun(shown_w, losses, slopes)

    def no_rounder(run: ShownRun, cells: int = width) -> ShownRun:
        """`run`, its f(w) to w's decimals where it has fewer, its cells hold them
        (a run alone) and they stay true to the trace's loss (worked out from a
        rounded w, more digits may part from it): no rounder than w."""
        places = row_decimals(run.w)
        if loss_decimals is not None or row_decimals(run.loss) >= places:
            return run
        finer = rows(places, places, cells)
        true = faithful(finer.loss, loss) or not faithful(run.loss, loss)
        return finer if true else run

    base = column_decimals(w) if w_decimals is None else w_decimals
    more = MORE_DECIMALS if w_decimals is None else 0
    # never fewer than resolve the run's f(w) where w reads away from the minimum,
    # at the run's own precision (w to a decimal more asks no more of f(w))
    resolving = resolving_decimals(trace, min(base, column_decimals(w)))
    wanted = max(start_loss_decimals([trace]), resolving)
    loss_base = (
        fitting_decimals(within(loss, width), wanted, width)
        if loss_decimals is None
        else loss_decimals
    )
    least = min(resolving, loss_base)
    first = None
    for loss_places in range(
        loss_base, least - 1 if loss_decimals is None else loss_base - 1, -1
    ):
        for places in range(base, min(base + more, MAX_DECIMALS + 1) + 1):
            run = rows(places, loss_places)
            if not fits(run):
                continue
            first = first or run
            if faithful(run.loss, loss):
                return no_rounder(run)
    if first is not None:  # consistent with the shown w, if not with the trace
        return no_rounder(first)

    def narrower(places: int, cells: int) -> ShownRun:
        return no_rounder(rows(places, loss_base, cells), cells)

    return fewer(narrower, base, width, fits)


def shown_offsets(trace: Trace, shown_w: Sequence[str]) -> list[Decimal | None]:
    """w − w* of each shown w, exactly; None where w is not finite."""
    minimum = Decimal(repr(float(trace.meta["minimum"])))  # type: ignore[arg-type]
    return [
        number - minimum if (number := exact(t)) is not None else None for t in shown_w
    ]


def shown_gradients(trace: Trace, shown_w: Sequence[str], cells: int) -> list[str]:
    """f′(w) = 2c·(w − w*) of a quadratic run, worked out exactly from each shown w
    and written to its decimals, each in at most `cells` cells."""
    curvature = Decimal(repr(float(trace.meta["curvature"])))  # type: ignore[arg-type]
    nan = Decimal("NaN")
    grad = [
        2 * curvature * o if o is not None else nan
        for o in shown_offsets(trace, shown_w)
    ]
    return fit_row(grad, row_decimals(shown_w), cells, keep=True)


def panel_rows(
    traces: Sequence[Trace], width: int, fits: Fits | None = None
) -> list[ShownRun]:
    """`quadratic_rows` of runs shown side by side in one clip, every w alike, to the
    most decimals any run's w takes, where each still fits.

    Every f(w) has one number of decimals too, where each run's fits its cells
    beside its w and stays true to its loss: `start_loss_decimals`, or more where a
    run needs them (`resolving_decimals`), else the most that every run keeps true
    (a row read across the panels: `4.00`, `0.16`, `317.99`, the run that comes near
    the minimum reading 0.00 a step sooner than its own decimals would); else each
    has those it wants alone, else its own; true to each loss first, then (if none
    is) to the shown w.
    """
    runs = [quadratic_rows(trace, width, fits) for trace in traces]
    most = max(row_decimals(run.w) for run in runs)
    own = [
        row_decimals(quadratic_rows(trace, width, fits, w_decimals=most).loss)
        for trace in traces
    ]
    start = start_loss_decimals(traces)
    wanted = [max(start, resolving_decimals(t, most)) for t in traces]
    shared = [[places] * len(runs) for places in range(max(wanted), -1, -1)]
    choices = [(d, True) for d in [*shared, wanted, own]]
    choices += [(d, False) for d in [shared[0], wanted, own]]
    for losses, true in choices:
        alike = [
            quadratic_rows(trace, width, fits, places, most)
            for trace, places in zip(traces, losses, strict=True)
        ]
        if all(
            row_decimals(run.w) == most
            and row_decimals(run.loss) == places
            and (losses is own or lines_up(run, width))
            and (not true or faithful(run.loss, t.loss))
            for run, places, t in zip(alike, losses, traces, strict=True)
        ):
            return alike
    return runs


def start_loss_decimals(traces: Sequence[Trace]) -> int:
    """The decimals of every f(w) of runs on f(w): four significant digits at their
    starting loss. The learning-rate clips start alike, so their first f(w) reads
    alike in each (`4.000`), not as each run's typical loss would have it (`4.00`
    for a run that grows into the hundreds, `4.0000` for one that reaches 0)."""
    return column_decimals([trace.loss[0] for trace in traces])


def resolving_decimals(trace: Trace, w_places: int) -> int:
    """The fewest decimals that write f(w) as more than zero at every step whose w,
    to `w_places` decimals, is AWAY_UNITS units of its last digit or more from the
    lowest point: a readout of f(w) never says 0 beside a w that reads away from the
    minimum. Zero for a run that stays far from it (or whose lowest f is not 0)."""
    w, loss = trace.params[:, 0], trace.loss
    lowest = lowest_point(trace)[0]
    with np.errstate(invalid="ignore"):
        away = np.abs(w - lowest) >= AWAY_UNITS * 10.0**-w_places
    values = [abs(float(f)) for f in loss[away & np.isfinite(loss)] if f != 0]
    places = 0
    while values and places < 2 * MAX_DECIMALS:
        if all(float(format_fixed(f, places).replace(THIN, "")) for f in values):
            break
        places += 1
    return places


def within(values: npt.NDArray[np.float64], width: int) -> list[float]:
    """The finite values that `width` cells write without decimals (a wider one is
    written m×10ⁿ, and leaves the others their decimals)."""
    finite = [float(v) for v in values[np.isfinite(values)]]
    return [v for v in finite if len(format_fixed(v, 0)) <= width]


def lines_up(run: ShownRun, width: int) -> bool:
    """Whether a run's f(w), padded to line its decimal point up with w's, fits in
    `width` cells where written out (a value too wide for that is written m×10ⁿ)."""
    pad = max(0, row_decimals(run.w) - row_decimals(run.loss))
    return all("×" in text or len(text) + pad <= width for text in run.loss)


def sampled_rows(
    trace: Trace, width: int, fits: Fits, loss_decimals: int | None = None
) -> ShownRun:
    """A sampled f(w)'s rows: the trace's own values, w and f′(w) at w's decimals,
    f(w) alone at w's decimals at least, where its cells hold them."""
    w, loss, grad = trace.params[:, 0], trace.loss, trace.grad[:, 0]
    places = column_decimals(w)
    loss_places = (
        fitting_decimals(
            within(loss, width),
            max(
                clip_decimals([loss], width), resolving_decimals(trace, places), places
            ),
            width,
        )
        if loss_decimals is None
        else loss_decimals
    )

    def rows(places: int, cells: int) -> ShownRun:
        shown_w = fit_row(w, places, cells)
        return ShownRun(
            shown_w,
            fit_row(loss, loss_places, cells),
            fit_row(grad, row_decimals(shown_w), cells, keep=True),
        )

    return fewer(rows, places, width, fits)


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
