"""A readout's f′(w) is the trace's slope rounded: where 2 × a rounded w would read
otherwise (0.0012 beside w = 0.0006, whose slope is 0.00128), w and f′(w) take a
decimal more if there they agree (0.00064, 0.00128), else the readout shows the
trace's slope and the worked lines write w to the decimals that make it add up. A
slope under ten units of its last digit, worked from the shown w, may part from
the trace's rounded by a unit (2 × 0.00003 beside a slope of 0.0000512)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from scenes.numbers import format_fixed, parse_shown
from scenes.panels.update_rule import off_slopes, rule_and_rows
from scenes.quadratic_rows import line_fits, quadratic_rows
from scenes.theme import DARK
from scenes.worked import row_decimals, run_lr
from tests.conftest import quadratic_trace


def test_a_slope_worked_from_a_rounded_w_takes_a_decimal_more() -> None:
    trace = quadratic_trace(10, learning_rate=0.4)
    worked = quadratic_rows(trace, 10, line_fits(run_lr(trace), 30))
    assert worked.w[5].strip() == "0.0006" and worked.grad[5].strip() == "0.0012"
    assert off_slopes(trace, worked)  # the slope at 0.00064 is 0.00128
    rule, shown = rule_and_rows(DARK, trace, 0.0, 0.0)
    assert shown.w[5].strip() == "0.00064" and shown.grad[5].strip() == "0.00128"
    # each slope is twice the shown w, and each worked line writes the readouts'
    # own digits and adds up from them to the next readout of w
    for k, (w, slope) in enumerate(zip(shown.w, shown.grad, strict=True)):
        assert parse_shown(slope) == 2 * parse_shown(w), k
    for k, (first, second) in enumerate(rule.worked):
        w, _, lr, _, slope = first.split()[1:6]
        assert (w, slope) == (shown.w[k].strip(), shown.grad[k].strip()), k
        result = parse_shown(second.split()[1])
        exact = parse_shown(w) - parse_shown(lr) * parse_shown(slope)
        unit = Decimal(10) ** -row_decimals([second.split()[1]])
        assert abs(exact - result) <= unit / 2, (first, second)
        assert second.split()[1] == shown.w[k + 1].strip(), k


@pytest.mark.parametrize("rate", [0.02, 0.4, 1.1, 0.45])
def test_every_slope_readout_is_the_traces_rounded(rate: float) -> None:
    trace = quadratic_trace(12, learning_rate=rate)
    _, shown = rule_and_rows(DARK, trace, 0.0, 0.0)
    places = row_decimals(shown.grad)
    unit = 10.0**-places
    for text, value in zip(shown.grad, trace.grad[:, 0], strict=True):
        rounded = format_fixed(float(value), places)
        if abs(value) >= 10 * unit:
            assert text.strip() == rounded, (rate, text)
        else:
            assert abs(float(parse_shown(text)) - float(value)) <= 1.5 * unit, text
