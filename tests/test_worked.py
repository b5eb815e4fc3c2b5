"""Numbers worked out from shown numbers agree with them (scenes/worked.py).

On the quadratic f(w) = c·(w − w*)² the readouts of f′(w) and f(w) are recomputed
from the shown w, so 2·w and w² check out by hand; w gets a decimal more where that
keeps f(w) within a unit of its last digit of the trace's loss, and f(w) of a run
alone has w's decimals where they stay true.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from scenes.numbers import parse_shown, shown_decimals
from scenes.panels.update_rule import LINE_CHARS, UpdateRule
from scenes.quadratic_rows import faithful, line_fits, quadratic_rows
from scenes.theme import DARK
from scenes.worked import (
    quiet_from,
    rounds_to,
    row_decimals,
    run_lr,
    settled_from,
    settled_label,
    settled_lines,
    update_label,
)
from sgdcore.trace import Trace
from tests.conftest import CONTROL_DATA, quadratic_trace

QUADRATIC_RUNS = sorted(
    path
    for path in CONTROL_DATA.glob("lr_*/*-run*.npz")
    if Trace.load(path).problem == "quadratic"
)


def unit(text: str) -> Decimal:
    """One unit of a shown number's last digit."""
    return Decimal(1).scaleb(-shown_decimals(text))


@pytest.mark.parametrize(
    "path", QUADRATIC_RUNS, ids=lambda p: f"{p.parent.name}/{p.stem}"
)
def test_slope_and_loss_are_worked_out_from_the_shown_w(path: Path) -> None:
    trace = Trace.load(path)
    shown = quadratic_rows(trace, 10, line_fits("1.1", 30))
    curvature = Decimal(repr(float(trace.meta["curvature"])))  # type: ignore[arg-type]
    minimum = Decimal(repr(float(trace.meta["minimum"])))  # type: ignore[arg-type]
    for rows in (shown.w, shown.loss, shown.grad):
        assert len({shown_decimals(text) for text in rows}) == 1  # one per row
        assert all(len(text) <= 10 for text in rows)
    for w, loss, grad, true_loss in zip(
        shown.w, shown.loss, shown.grad, trace.loss, strict=True
    ):
        offset = parse_shown(w) - minimum
        assert abs(parse_shown(grad) - 2 * curvature * offset) <= unit(grad) / 2
        assert abs(parse_shown(loss) - curvature * offset**2) <= unit(loss) / 2
        # off the trace's loss by its rounding and by what rounding w moves w²
        slack = Decimal("1e-6") * abs(Decimal(float(true_loss)))  # float32 loss
        half_w = unit(w) / 2
        moved = curvature * (2 * abs(offset) * half_w + half_w**2)
        off = abs(parse_shown(loss) - Decimal(float(true_loss)))
        assert off <= unit(loss) / 2 + moved + slack


@pytest.mark.parametrize(
    "path", QUADRATIC_RUNS, ids=lambda p: f"{p.parent.name}/{p.stem}"
)
def test_a_worked_lines_slope_is_worked_out_from_the_w_on_that_line(path: Path) -> None:
    # `= 1.769472 − 0.02 × 3.5390` would not check out: 2 × 1.769472 = 3.538944
    trace = Trace.load(path)
    fits = line_fits(run_lr(trace), LINE_CHARS)
    shown = quadratic_rows(trace, 10, fits, traced_slopes=True)
    worked = UpdateRule(DARK, trace, left=0, y=0, shown=shown, traced=True).worked
    curvature = Decimal(repr(float(trace.meta["curvature"])))  # type: ignore[arg-type]
    minimum = Decimal(repr(float(trace.meta["minimum"])))  # type: ignore[arg-type]
    for (first, _), readout in zip(worked, shown.grad, strict=False):
        if not first:
            continue
        w, _, grad = first.replace("(", "").replace(")", "").split()[1::2]
        if "×" in grad + w:  # a power: the readouts' own strings (tests above)
            continue
        assert shown_decimals(grad) == shown_decimals(w), first
        assert parse_shown(grad) == 2 * curvature * (parse_shown(w) - minimum), first
        # the readout beside (the trace's slope) is the line's, rounded
        assert rounds_to(grad, readout), (first, readout)


def test_w_and_its_slope_share_their_decimals() -> None:
    shown = quadratic_rows(quadratic_trace(12, learning_rate=0.4), 10)
    assert row_decimals(shown.w) == row_decimals(shown.grad)
    assert shown.w[:3] == ["2.0000", "0.4000", "0.0800"]
    assert shown.grad[:3] == ["4.0000", "0.8000", "0.1600"]


def test_w_takes_a_decimal_more_where_its_square_would_round_away() -> None:
    # w = 2·0.96^k: at three decimals 1.843² = 3.3966 shows 3.397, the loss 3.3974
    # shows 3.397 too, but later steps differ: a fourth decimal keeps them together
    trace = quadratic_trace(12, learning_rate=0.02)
    shown = quadratic_rows(trace, 10)
    assert row_decimals(shown.w) == 4
    # ...and f(w), worked out from that w, to the decimals that stay true to the
    # loss: at four, 1.6307² = 2.65918 reads 2.6592 where the loss is 2.65933
    assert row_decimals(shown.loss) == 3 and shown.loss[2] == "3.397"
    assert shown.loss[5] == "2.659" and faithful(shown.loss, trace.loss)
    finer = quadratic_rows(trace, 10, loss_decimals=4, w_decimals=4)
    assert finer.loss[5] == "2.6592" and not faithful(finer.loss, trace.loss)


def test_a_run_alone_writes_its_loss_no_rounder_than_w_where_it_fits() -> None:
    for learning_rate, n_steps in ((0.02, 20), (1.1, 10), (1.1, 30), (0.4, 10)):
        trace = quadratic_trace(n_steps, learning_rate=learning_rate)
        fits = line_fits(run_lr(trace), LINE_CHARS)
        shown = quadratic_rows(trace, 10, fits)
        widest = max(map(len, shown.loss))
        assert widest <= 10 and not any("×" in text for text in shown.loss)
        assert faithful(shown.loss, trace.loss), (learning_rate, n_steps)
        # fewer decimals only where the widest f(w) fills its cells with them, or
        # where w's decimals, worked out from the rounded w, part from the loss
        places = row_decimals(shown.w)
        if row_decimals(shown.loss) < places and widest < 10:
            finer = quadratic_rows(trace, 10, fits, loss_decimals=places)
            assert not faithful(finer.loss, trace.loss), (learning_rate, n_steps)


def test_a_run_too_wide_for_its_lines_takes_fewer_decimals() -> None:
    trace = quadratic_trace(10, learning_rate=1.1)
    roomy, tight = (
        quadratic_rows(trace, 10),
        quadratic_rows(trace, 10, line_fits("1.1", 24)),
    )
    assert row_decimals(tight.w) < row_decimals(roomy.w)
    assert line_fits("1.1", 24)(tight)


def test_a_worked_update_is_labelled_with_its_step_and_the_last_stays_at_the_end() -> (
    None
):
    assert update_label(0, 100) == "step 0 → 1"
    assert update_label(99, 100) == "step 99 → 100"
    # the closing frame: the last update made, beside readouts a step on
    assert update_label(100, 100) == "last step 99 → 100"
    assert update_label(100, 100, closing=False) == "step 99 → 100"
    assert update_label(100, 100, short=True) == "last 99 → 100"
    assert update_label(3, 100, short=True) == "3 → 4"
    assert update_label(12_344, 20_000) == "step 12\u2009344 → 12\u2009345"
    assert update_label(0, 0) == ""


def test_the_readouts_stand_still_from_the_first_update_that_moves_nothing() -> None:
    w, grad = ["1.00", "0.50", "0.50", "0.50"], ["1.00", "0.00", "0.00", "−0.00"]
    assert settled_from(w, grad) == 1
    assert settled_from(w, ["1.00", "0.01", "0.00", "0.00"]) == 2
    assert settled_from(["1.00", "0.50", "0.51"], ["1.00", "0.00", "0.00"]) is None
    assert settled_from(["1.00", "0.50"], ["1.00", "NaN"]) is None
    assert settled_from(["0.50"], ["0.00"]) is None
    assert settled_label(7, 7, 10) == "step 7 → 8"
    assert settled_label(7, 10, 10) == settled_label(7, 9, 10) == "steps 7 → 10"


def test_the_readouts_go_quiet_where_w_changes_only_in_its_last_digit() -> None:
    w = ["0.0160", "0.0032", "0.0006", "0.0001", "0.0000"]
    assert quiet_from(None, w) == 2  # 0.0006 on: last digit only, ×0.2 unreadable
    assert quiet_from(1, w) == 1 and quiet_from(3, w) == 2  # the sooner
    assert quiet_from(None, ["3.0006", "3.0001", "3.0000"]) == 0  # near its end
    assert quiet_from(None, ["2.0000", "1.9200", "1.8432"]) is None  # still moving
    assert quiet_from(None, ["1.00", "NaN"]) is None and quiet_from(4, []) == 4


def test_a_users_function_that_converges_closes_on_what_its_readouts_show() -> None:
    import sgd_anim
    from scenes.panels.update_rule import UpdateRule
    from scenes.theme import DARK

    (trace,) = sgd_anim.train(
        "lr_just_right", function=lambda w: (w - 1.5) ** 2, lr=0.45, steps=12
    )
    rule = UpdateRule(DARK, trace, left=0, y=0)
    shown = quadratic_rows(trace, 10, line_fits(run_lr(trace), 30))
    n = trace.n_steps
    assert rule.settled is not None and rule.settled < n
    assert rule.result(n) == "under 0.00005."
    # the bound holds for every update it speaks for, as recorded
    moves = 0.45 * abs(trace.grad[rule.settled : -1, 0])
    assert moves.max() < 0.00005
    assert all(parse_shown(g) == 0 for g in shown.grad[rule.settled :])
    assert len({w.strip() for w in shown.w[rule.settled :]}) == 1


def test_a_settled_bound_too_long_for_its_line_says_so_in_words() -> None:
    # lr·|f′(w)| rounded up to one digit: 0.4 × 2 × 2.56e-5 reads under 0.00003; a
    # rate of 1e-300 would need 300 zeros, which no line holds
    assert settled_lines([0.4 * 2 * 2.56e-5], 24)[1] == "under 0.00003."
    assert settled_lines([1e-300], 24) == (
        "Each step now moves w by",
        "too little to show.",
    )
