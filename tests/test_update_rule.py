"""Every worked update on screen is recomputed from its shown strings (R32).

For each step of the committed runs, the two lines `= w − lr × g` and `= w_next`
(or `≈ w_next`) are parsed back: an `=` line must add up exactly from its digits, an
`≈` line to within the rounding of the numbers shown, and every shown number must be
the trace's own value, rounded.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scenes.clock import StepClock
from scenes.numbers import column_decimals, parse_shown
from scenes.panels.update_rule import INDENT, LINE_CHARS, UpdateRule, worked_update
from scenes.theme import DARK
from sgdcore.trace import Trace

CONTROL_DATA = Path(__file__).resolve(strict=True).parent / "control_data"
# Every committed run whose update a scene works out: not the polynomials' (Adam on
# 19 coefficients shows no worked update)
RUNS = sorted(
    path
    for path in {
        *CONTROL_DATA.glob("lr_*/*-run*.npz"),
        *CONTROL_DATA.glob("*/default-run*.npz"),
    }
    if path.parent.name not in ("underfit_overfit", "validation", "regularization")
)
FIRST = re.compile(r"= (\S+) − (\S+) × \(?([^()\s]+)\)?")
SECOND = re.compile(r"([=≈]) (\S+)")
FLOAT_SLACK = 1e-6  # relative: the runs are float32, so w − lr·g is not exact


def run_id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


def half_unit(text: str) -> Decimal:
    """Half a unit of a shown number's last digit."""
    exponent = parse_shown(text).as_tuple().exponent
    assert isinstance(exponent, int)
    return Decimal(5).scaleb(exponent - 1)


def check_worked(
    lines: tuple[str, str], value: float, lr: float, grad: float, next_value: float
) -> bool:
    """Assert the lines are the step's numbers and add up; True if written with `=`."""
    first, second = FIRST.fullmatch(lines[0]), SECOND.fullmatch(lines[1])
    assert first and second, lines
    shown_value, shown_lr, shown_grad = first.groups()
    sign, shown_next = second.groups()
    assert lines[0].count("(") == (shown_grad.startswith("−"))  # brackets: negative
    for text, true in [
        (shown_value, value),
        (shown_lr, lr),
        (shown_grad, grad),
        (shown_next, next_value),
    ]:
        assert abs(parse_shown(text) - Decimal(true)) <= half_unit(text), (text, true)
    w, rate, g = map(parse_shown, (shown_value, shown_lr, shown_grad))
    exact, result = w - rate * g, parse_shown(shown_next)
    if sign == "=":
        assert exact == result, lines
    else:
        rounding = half_unit(shown_value) + rate * half_unit(shown_grad)
        slack = Decimal(FLOAT_SLACK * (abs(value) + abs(lr * grad) + 1))
        assert abs(exact - result) <= rounding + half_unit(shown_next) + slack, lines
        assert exact != result, lines  # it would have said `=`
    return sign == "="


@pytest.mark.parametrize("path", RUNS, ids=run_id)
def test_every_shown_update_adds_up_or_says_approximately(path: Path) -> None:
    trace = Trace.load(path)
    if trace.meta["optimizer"] != "gd":  # momentum and Adam do not step by lr·g
        assert path.parent.name == "optimizers"
        return
    rule = (
        UpdateRule(DARK, trace, left=0, y=0) if trace.problem == "quadratic" else None
    )
    for j in range(trace.params.shape[1]):
        decimals = column_decimals(trace.params[:, j])
        for k in range(trace.n_steps):
            numbers = [trace.params[k, j], trace.learning_rate, trace.grad[k, j]]
            lines = worked_update(
                *map(float, numbers), float(trace.params[k + 1, j]), decimals=decimals
            )
            if rule is not None:
                assert (rule.substituted(k), rule.result(k)) == lines
            assert max(map(len, lines)) <= LINE_CHARS
            check_worked(lines, *map(float, numbers), float(trace.params[k + 1, j]))


def test_quadratic_lessons_mostly_add_up_exactly() -> None:
    exact, total = 0, 0
    for path in RUNS:
        trace = Trace.load(path)
        if trace.problem != "quadratic":
            continue
        rule = UpdateRule(DARK, trace, left=0, y=0)
        exact += sum(rule.result(k).startswith("=") for k in range(trace.n_steps))
        total += trace.n_steps
    assert exact >= total / 2, f"{exact} of {total}"


def test_too_high_shows_its_overshoots_digit_for_digit() -> None:
    trace = Trace.load(CONTROL_DATA / "lr_too_high" / "default-run0.npz")
    rule = UpdateRule(DARK, trace, left=0, y=0)
    assert [(rule.substituted(k), rule.result(k)) for k in range(4)] == [
        ("= 2.000 − 1.1 × 4.000", "= −2.400"),
        ("= −2.400 − 1.1 × (−4.800)", "= 2.880"),
        ("= 2.880 − 1.1 × 5.760", "= −3.456"),
        ("= −3.456 − 1.1 × (−6.912)", "= 4.1472"),
    ]
    assert rule.substituted(trace.n_steps) == rule.result(trace.n_steps) == ""


def test_update_rule_lines_show_the_steps_worked_update() -> None:
    trace = Trace.load(CONTROL_DATA / "lr_too_high" / "lr_too_high_final-run0.npz")
    rule, clock = UpdateRule(DARK, trace, left=0, y=0), StepClock([trace])
    substituted, result = rule.moving(clock)
    clock.tracker.set_value(1.5)
    substituted.update(), result.update()
    assert (substituted.shown, result.shown) == (
        "= −2.400 − 1.1 × (−4.800)",
        "= 2.880",
    )
    for line in (substituted, result):  # in their cells, give or take a glyph's edge
        edge = line.atlas.pitch / 4
        assert line.get_left()[0] >= INDENT - edge
        assert line.get_right()[0] <= INDENT + LINE_CHARS * line.atlas.pitch + edge
    clock.tracker.set_value(trace.n_steps)
    substituted.update(), result.update()
    assert substituted.shown == result.shown == ""


def test_the_issues_step_now_adds_up_with_one_more_decimal() -> None:
    # shown as "5.97 − 1.1 × 11.9 = −7.17", which is −7.12 by hand
    assert worked_update(5.971968, 1.1, 11.943936, -7.1663616, decimals=2) == (
        "= 5.972 − 1.1 × 11.944",
        "= −7.1664",
    )


def test_rounded_inputs_that_never_add_up_say_approximately() -> None:
    # 1 − 1.1 × 0.33 = 0.637, 1 − 1.1 × 0.333 = 0.6337, ...: never 1 − 1.1/3 rounded
    assert worked_update(1.0, 1.1, 1 / 3, 1 - 1.1 / 3, decimals=2) == (
        "= 1.00 − 1.1 × 0.33",
        "≈ 0.63",
    )


def test_an_update_too_wide_for_its_line_is_an_error() -> None:
    with pytest.raises(ValueError, match="does not fit in 25 characters"):
        worked_update(-1e9, 1.1, -2e9, 1.2e9)


@given(
    st.floats(min_value=-99.0, max_value=99.0),
    st.sampled_from([0.001, 0.02, 0.1, 0.4, 1.1, 2.5]),
    st.floats(min_value=-99.0, max_value=99.0),
    st.floats(min_value=-1e-6, max_value=1e-6),
    st.integers(min_value=1, max_value=4),
)
def test_any_update_fits_and_adds_up_or_says_approximately(
    value: float, lr: float, grad: float, noise: float, decimals: int
) -> None:
    next_value = value - lr * grad + noise
    lines = worked_update(value, lr, grad, next_value, decimals=decimals)
    assert max(map(len, lines)) <= LINE_CHARS
    check_worked(lines, value, lr, grad, next_value)
