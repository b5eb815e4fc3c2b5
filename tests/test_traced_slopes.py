"""A readout's f′(w) is the trace's slope rounded: where 2 × a rounded w would read
otherwise (0.0012 beside w = 0.0006, whose slope is 0.00128), the readout shows the
trace's and the worked lines write w to the decimals that make it add up."""

from __future__ import annotations

import pytest

from scenes.numbers import format_fixed, parse_shown
from scenes.panels.update_rule import off_slopes, rule_and_rows
from scenes.quadratic_rows import line_fits, quadratic_rows
from scenes.theme import DARK
from scenes.worked import row_decimals, run_lr
from tests.conftest import quadratic_trace


def test_a_slope_worked_from_a_rounded_w_is_replaced_by_the_traces() -> None:
    trace = quadratic_trace(10, learning_rate=0.4)
    worked = quadratic_rows(trace, 10, line_fits(run_lr(trace), 30))
    assert worked.w[5].strip() == "0.0006" and worked.grad[5].strip() == "0.0012"
    assert off_slopes(trace, worked)  # the slope at 0.00064 is 0.00128
    rule, shown = rule_and_rows(DARK, trace, 0.0, 0.0)
    places = row_decimals(shown.grad)
    for text, value in zip(shown.grad, trace.grad[:, 0], strict=True):
        assert text.strip() == format_fixed(float(value), places)
    assert shown.grad[5].strip() == "0.0013"
    # the worked line writes w and f′(w) to more decimals, and adds up from them
    first, second = rule.worked[5]
    w, _, lr, _, slope = first.split()[1:6]
    result = parse_shown(second.split()[1])
    exact = parse_shown(w) - parse_shown(lr) * parse_shown(slope)
    unit = 10.0 ** -row_decimals([second.split()[1]])
    assert abs(float(exact) - float(result)) <= unit / 2 + 1e-12, (first, second)


@pytest.mark.parametrize("rate", [0.02, 0.4, 1.1, 0.45])
def test_every_slope_readout_is_the_traces_rounded(rate: float) -> None:
    trace = quadratic_trace(12, learning_rate=rate)
    _, shown = rule_and_rows(DARK, trace, 0.0, 0.0)
    places = row_decimals(shown.grad)
    for text, value in zip(shown.grad, trace.grad[:, 0], strict=True):
        assert text.strip() == format_fixed(float(value), places), (rate, text)
