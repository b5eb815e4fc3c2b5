"""Every worked update on screen is recomputed from its shown strings.

For each step of the committed runs, the worked update `= w − lr × g` and its result
`= r` (or `≈ r`) are parsed back: an `=` must add up exactly from the shown digits,
an `≈` must be their sum rounded to its last digit (and not exact); the shown w and g
are the trace's own values, rounded (on the quadratic, f′(w) = 2c·(w − w*) of the
shown w), and the result lands within the rounding of the inputs of the trace's next
value. Each parameter's numbers keep one number of decimals for the whole clip.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scenes.clock import StepClock
from scenes.columns import fit_row
from scenes.numbers import (
    THIN,
    format_fixed,
    format_lr,
    parse_shown,
    shown_decimals,
)
from scenes.panels.line_update import LineUpdate
from scenes.panels.update_rule import (
    INDENT,
    LINE_CHARS,
    READOUT_CHARS,
    UpdateRule,
)
from scenes.quadratic_rows import line_fits, quadratic_rows
from scenes.text import readout
from scenes.theme import DARK
from scenes.worked import run_lr, worked_update
from scenes.worked_rows import aligned_values
from sgdcore.trace import Trace

CONTROL_DATA = Path(__file__).resolve(strict=True).parent / "control_data"
# Every committed run whose update a scene works out: not the polynomials' (Adam on
# 19 coefficients shows no worked update), nor momentum's and Adam's
RUNS = sorted(
    path
    for path in {
        *CONTROL_DATA.glob("lr_*/*-run*.npz"),
        *CONTROL_DATA.glob("*/default-run*.npz"),
    }
    if path.parent.name not in ("underfit_overfit", "validation", "regularization")
)
FIRST = re.compile(r"= +(\S+) +− (\S+) × \(?([^()\s]+)\)?")  # the value padded to align
SECOND = re.compile(r"([=≈→]) (\S+)")
FLOAT_SLACK = 1e-6  # relative: the runs are float32, so w − lr·g is not exact


def run_id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


def half_unit(text: str) -> Decimal:
    """Half a unit of a shown number's last digit."""
    return Decimal(5).scaleb(-shown_decimals(text) - 1)


def worked_lines(trace: Trace) -> list[list[tuple[str, str]]]:
    """Each parameter's worked update at every step, as the scene's panel shows it."""
    if trace.problem in ("quadratic", "function"):
        return [UpdateRule(DARK, trace, left=0, y=0).worked]
    update = LineUpdate(DARK, trace, left=0, top=0)
    return [[halves(line) for line in lines[:-1]] for lines in update.lines]


def halves(line: str) -> tuple[str, str]:
    """`= a − lr × g ≈ r` as its two halves, `= a − lr × g` and `≈ r`."""
    at = max(line.rfind(" = "), line.rfind(" ≈ "))
    return line[:at], line[at + 1 :]


def check_worked(
    lines: tuple[str, str], value: float, lr: float, grad: float, next_value: float
) -> bool:
    """Assert the lines add up from their digits and are the step's numbers, rounded;
    True if written with `=`."""
    lines = (lines[0].replace(THIN, ""), lines[1].replace(THIN, ""))  # 12 345.6
    first, second = FIRST.fullmatch(lines[0]), SECOND.fullmatch(lines[1].strip())
    assert first and second, lines
    shown_value, shown_lr, shown_grad = first.groups()
    sign, shown_next = second.groups()
    assert lines[0].count("(") == (shown_grad.startswith("−"))  # brackets: negative
    assert shown_lr == format_lr(lr)
    w, rate, g = map(parse_shown, (shown_value, shown_lr, shown_grad))
    exact, result = w - rate * g, parse_shown(shown_next)
    if sign == "→":  # where the run lands, which the shown digits round past
        assert abs(exact - result) <= 2 * half_unit(shown_next), lines
        assert abs(result - Decimal(next_value)) <= half_unit(shown_next) * 2, lines
    elif sign == "=":
        assert exact == result, lines
    else:
        assert abs(exact - result) <= half_unit(shown_next), lines
        assert exact != result, lines  # it would have said `=`
    # the value may carry more digits than its readout, so that the result rounds true
    assert shown_decimals(shown_next) <= shown_decimals(shown_value)
    # the inputs are the trace's numbers rounded, so the result is near the next one
    slack = Decimal(FLOAT_SLACK * (abs(value) + abs(lr * grad) + 1))
    assert abs(w - Decimal(value)) <= half_unit(shown_value) + slack, lines
    # the result is near the next value (as its readout writes it, where a line
    # with enough digits fits: tests/test_shown_numbers.py checks the clips)
    rounding = half_unit(shown_value) + rate * 3 * half_unit(shown_grad)
    assert abs(result - Decimal(next_value)) <= rounding + half_unit(shown_next) + slack
    return sign == "="


@pytest.mark.parametrize("path", RUNS, ids=run_id)
def test_every_shown_update_adds_up_or_says_approximately(path: Path) -> None:
    trace = Trace.load(path)
    if trace.meta["optimizer"] != "gd":  # momentum and Adam do not step by lr·g
        assert path.parent.name == "optimizers"
        return
    for j, lines in enumerate(worked_lines(trace)):
        places = {shown_decimals(first.split()[1]) for first, _ in lines}
        assert len(places) == 1, places  # one number of decimals for the clip
        for k, pair in enumerate(lines):
            assert max(map(len, pair)) <= 36
            value, grad = float(trace.params[k, j]), float(trace.grad[k, j])
            check_worked(
                pair, value, trace.learning_rate, grad, float(trace.params[k + 1, j])
            )


def test_update_rule_lines_show_the_steps_worked_update() -> None:
    trace = Trace.load(CONTROL_DATA / "lr_too_high" / "lr_too_high_final-run0.npz")
    rule, clock = UpdateRule(DARK, trace, left=0, y=0), StepClock([trace])
    substituted, result, which = rule.moving(clock)
    pitch = readout(DARK, LINE_CHARS, size=DARK.tick_size).atlas.pitch
    clock.tracker.set_value(1.5)
    substituted.update(), result.update(), which.update()
    assert (substituted.shown, result.shown) == (
        "= −2.40000 − 1.1 × (−4.80000)",  # one decimal more: every line adds up
        "= 2.8800",
    )
    assert which.shown is not None and which.shown.strip() == "step 1 → 2"
    for line in (substituted, result):  # in their cells, give or take a glyph's edge
        edge = line.atlas.pitch / 4
        assert line.get_left()[0] >= INDENT - edge
        assert line.get_right()[0] <= INDENT + rule.chars * line.atlas.pitch + edge
        # more cells, as wide as LINE_CHARS at the tick size: inside the safe area
        assert rule.chars * line.atlas.pitch == pytest.approx(LINE_CHARS * pitch, 0.02)
    clock.tracker.set_value(trace.n_steps)
    substituted.update(), result.update(), which.update()
    last = trace.n_steps - 1
    assert (substituted.shown, result.shown) == (
        rule.substituted(last),
        rule.result(last),
    )
    # the closing frame says which update that was, the last, beside the last
    # step's readouts (whose gradient is a step on from the lines')
    assert which.shown.strip() == f"last step {last} → {trace.n_steps}"
    assert which.get_left()[0] > result.get_right()[0]


def test_an_approximate_result_is_the_sum_of_the_shown_digits_rounded() -> None:
    # 2.36 + 0.081 = 2.441: 2.44, though the run itself lands on 2.45
    assert worked_update("2.36", "0.1", "−0.81", 2) == (
        "= 2.36 − 0.1 × (−0.81)",
        "≈ 2.44",
    )
    assert worked_update("1.09", "0.1", "−1.49", 2)[1] == "≈ 1.24"  # 1.239, not 1.23


def test_a_sum_with_no_digit_rounded_away_says_equals() -> None:
    assert worked_update("5.972", "1.1", "11.944", 3) == (
        "= 5.972 − 1.1 × 11.944",
        "≈ −7.166",  # −7.1664
    )
    assert worked_update("2.000", "1.1", "4.000", 3)[1] == "= −2.400"
    assert worked_update("NaN", "1.1", "4.000", 3) == ("", "")


def test_the_fit_lines_update_carries_its_readouts_digits_and_more() -> None:
    trace = Trace.load(CONTROL_DATA / "fit_line" / "default-run0.npz")
    update = LineUpdate(DARK, trace, left=0, top=0, decimals=[(3, 4), (3, 4)])
    first = FIRST.match(update.lines[0][0])
    assert first is not None
    # a₁ needs two decimals more than its readout (at three, −0.711 − 0.1 × (−2.6673)
    # would make −0.444, and the next readout is −0.445) and a₂ three: a₁ shows
    # three more too, so that the rows' first numbers have one number of decimals
    assert first.groups() == (
        format_fixed(float(trace.params[0, 0]), 6),
        "0.1",
        format_fixed(float(trace.grad[0, 0]), 4),
    )


def test_a_line_with_too_few_gradient_digits_shows_where_the_update_lands() -> None:
    # lr 10⁵ from the lesson's start: only "−3" of the gradient fits in a line, and
    # 1 − 10⁵ × (−3) is 11 000 away from where the run went
    import sgd_anim

    trace = sgd_anim.train("fit_line", lr=1e5, steps=1)[0]
    update = LineUpdate(DARK, trace, left=0, top=0, decimals=[(1, 1), (1, 1)])
    for row, lines in enumerate(update.lines):
        assert lines[0] == f"→ {format_fixed(float(trace.params[1, row]), 1)}"


@given(
    st.floats(min_value=-99.0, max_value=99.0),
    st.sampled_from(["0.001", "0.02", "0.1", "0.4", "1.1", "2.5"]),
    st.floats(min_value=-99.0, max_value=99.0),
    st.integers(min_value=0, max_value=4),
    st.integers(min_value=0, max_value=4),
)
def test_any_update_adds_up_or_says_approximately(
    value: float, lr: str, grad: float, decimals: int, grad_decimals: int
) -> None:
    shown_value = format_fixed(value, decimals)
    shown_grad = format_fixed(grad, grad_decimals)
    first, second = worked_update(shown_value, lr, shown_grad, decimals)
    assert first.startswith(f"= {shown_value} − {lr} × ")
    exact = parse_shown(shown_value) - Decimal(lr) * parse_shown(shown_grad)
    sign, result = second.split()
    assert shown_decimals(result) == decimals
    assert abs(parse_shown(result) - exact) <= half_unit(result)
    assert (sign == "=") == (parse_shown(result) == exact)


def test_worked_rows_line_up_their_first_numbers_and_stay_in_their_cells() -> None:
    rows = [["= −1.00000 − 0.1 × (−2.8863) ≈ −0.711"], ["= 1.000000 − 0.1 × 3 ≈ 0.7"]]
    padded = aligned_values(rows)
    assert padded == [
        ["= −1.00000  − 0.1 × (−2.8863) ≈ −0.711"],
        ["=  1.000000 − 0.1 × 3 ≈ 0.7"],
    ]
    runs = sorted(Path(__file__).parent.glob("control_data/fit_line/*-run0.npz"))
    for path in runs:
        trace = Trace.load(path)
        for chars in range(30, 41):
            try:
                update = LineUpdate(DARK, trace, left=0, top=0, chars=chars)
            except ValueError:
                continue
            for lines in update.lines:
                assert all(len(line) <= chars for line in lines), (path.name, chars)


def test_a_gradient_too_wide_for_its_row_is_a_power_and_the_rest_keep_ws_digits() -> (
    None
):
    # f′(w) reaches 5 910 834 as the double well diverges: written out it leaves room
    # for no decimals, and 2.00 − 0.28 × 24 = −4.72 would miss the readout −4.80
    assert fit_row([24.3, 5910834.0], 2, 10, keep=True) == ["24.30", "5.911×10⁶"]
    trace = Trace.load(
        CONTROL_DATA / "lr_too_high" / "lr_too_high_double_well-run0.npz"
    )
    shown = quadratic_rows(trace, READOUT_CHARS, line_fits(run_lr(trace), LINE_CHARS))
    assert (shown.w, shown.grad) == (
        ["2.00", "−4.80", "113.90"],
        ["24.30", "−423.96", "5.911×10⁶"],
    )
    rule = UpdateRule(DARK, trace, left=0, y=0, shown=shown)
    assert [rule.result(k) for k in range(2)] == ["≈ −4.80", "≈ 113.90"]


def test_once_the_readouts_stand_still_the_lines_say_so_not_zero_arithmetic() -> None:
    # lr 0.4 on w²: from step 7 f′(w) reads 0.0000 and w reads 0.0000
    trace = Trace.load(
        CONTROL_DATA / "lr_just_right" / "lr_just_right_settles-run0.npz"
    )
    shown = quadratic_rows(trace, READOUT_CHARS, line_fits(run_lr(trace), LINE_CHARS))
    rule, n = UpdateRule(DARK, trace, left=0, y=0, shown=shown), trace.n_steps
    assert (rule.substituted(6), rule.result(6)) == (
        "= 0.0001 − 0.4 × 0.0002",
        "≈ 0.0000",
    )
    assert rule.settled == 7
    for k in range(7, n + 1):
        assert shown.w[k] == "0.0000" and parse_shown(shown.grad[k]) == 0
        assert (rule.substituted(k), rule.result(k)) == (
            "Each step now moves w by",
            "under 0.00003.",  # step 7's update moves w by 0.4 × 2 × 2.56e-5
        )
    moves = 0.4 * abs(trace.grad[7:-1, 0])
    assert 0.00002 < moves.max() < 0.00003  # the largest, rounded up to one digit
    labels = [rule.label(k).strip() for k in (6, 7, 8, n)]
    assert labels == ["step 6 → 7", "step 7 → 8", "steps 7 → 9", "steps 7 → 10"]
    # a run still moving at its last step keeps its last update at the close
    moving = Trace.load(CONTROL_DATA / "lr_too_low" / "default-run0.npz")
    assert UpdateRule(DARK, moving, left=0, y=0).settled is None
