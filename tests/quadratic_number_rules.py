"""The rules the readouts of a run on f(w) keep over a clip (collected by
tests/shown_numbers.py): f(w) and f′(w) worked out from the shown w, true to the
run's loss, and never zero beside a w away from the minimum."""

from __future__ import annotations

import math
from decimal import Decimal

from scenes.columns import column_decimals
from scenes.parabola_geometry import lowest_point
from scenes.quadratic_rows import AWAY_UNITS
from sgdcore.trace import Trace
from tests.shown_numbers import Shown, decimals_of, half_unit, value_of


def quadratic_problems(shown: Shown, trace: Trace) -> list[str]:
    """f(w) readouts that the shown w does not give, rounded; f′(w) readouts that
    are not the shown w's either, or, in a clip whose worked updates write w to more
    decimals than its readout (and f′(w) from that), not the trace's gradient."""
    if trace.problem != "quadratic":
        return []
    curvature = Decimal(repr(float(trace.meta["curvature"])))  # type: ignore[arg-type]
    minimum = Decimal(repr(float(trace.meta["minimum"])))  # type: ignore[arg-type]
    problems = []
    for step, w, f, g in shown.quadratics:
        offset = value_of(w) - minimum
        slope = traced_slope(trace, w, g) if longer_lines(shown, w) else None
        for text, exact, name in (
            (f, curvature * offset * offset, "f(w)"),
            (g, 2 * curvature * offset if slope is None else slope, "f′(w)"),
        ):
            if text and not abs(exact - value_of(text)) <= half_unit(text):
                problems.append(
                    f"step {step}: w {w} gives {name} {exact}, shown {text}"
                )
    return sorted(set(problems))


def untrue_loss_problems(shown: Shown, traces: tuple[Trace, ...]) -> list[str]:
    """f(w) readouts more than a unit of their last digit from the loss of the run
    whose w they stand beside: worked out from a rounded w, a readout may not show
    digits the loss does not have."""
    problems = []
    for step, w, f, _ in shown.quadratics:
        if not f or "×" in w + f or step != int(step):
            continue
        losses = [
            float(t.loss[int(step)])
            for t in traces
            if t.problem == "quadratic"
            and int(step) < len(t.loss)
            and abs(Decimal(repr(float(t.params[int(step), 0]))) - value_of(w))
            <= half_unit(w) * Decimal("1.001")
        ]
        if losses and not any(
            abs(value_of(f) - Decimal(repr(loss)))
            <= 2 * half_unit(f) + Decimal(repr(1e-6 * abs(loss)))
            for loss in losses
        ):
            problems.append(
                f"step {step:g}: f(w) reads {f}, the run's loss is {losses}"
            )
    return sorted(set(problems))


def zero_loss_problems(shown: Shown, trace: Trace) -> list[str]:
    """f(w) readouts that read zero beside a w that reads AWAY_UNITS units of its
    last digit or more from the lowest point: the loss row has too few decimals for
    where the run is."""
    if trace.problem not in ("quadratic", "function"):
        return []
    lowest = Decimal(repr(lowest_point(trace)[0]))
    problems = []
    for step, w, f, _ in shown.quadratics:
        if not f or "×" in w + f:
            continue
        # in units of the run's own precision (a w written to a decimal more, for
        # its slopes to round true, reads away no sooner)
        own = column_decimals(trace.params[:, 0])
        unit = Decimal(1).scaleb(-min(decimals_of(w), own))
        if abs(value_of(w) - lowest) >= AWAY_UNITS * unit and value_of(f) == 0:
            problems.append(f"step {step}: f(w) reads {f} beside w {w}")
    return sorted(set(problems))


def longer_lines(shown: Shown, w: str) -> bool:
    """Whether a worked update writes its w to more decimals than the readout `w`."""
    firsts = [text.split()[1] for _, text in shown.equations if len(text.split()) > 1]
    places = decimals_of(w)
    return any(decimals_of(f) > places for f in firsts if "×" not in f)


def traced_slope(trace: Trace, w: str, g: str) -> Decimal | None:
    """The trace's gradient at the step whose w the readout `w` shows that comes
    nearest the readout `g`; None if no step's w rounds to it."""
    if not g:
        return None
    steps = [
        k
        for k, value in enumerate(trace.params[:, 0])
        if math.isfinite(value)
        and abs(Decimal(float(value)) - value_of(w)) <= half_unit(w)
    ]
    slopes = [Decimal(float(trace.grad[k, 0])) for k in steps]
    return min(slopes, key=lambda slope: abs(slope - value_of(g)), default=None)
