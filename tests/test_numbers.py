"""The one number formatter: fixed decimals per readout row, never e-notation.

Examples from the committed runs; hypothesis properties: a shown string parses back
to its value within half a unit of its last digit, a fitted row keeps one number of
decimals, a column's points line up, an axis' tick labels share their decimals."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scenes.columns import (
    aligned,
    aligned_rows,
    column_decimals,
    fit_row,
    format_column,
)
from scenes.numbers import (
    DEFAULT_DECIMALS,
    MAX_DECIMALS,
    MIN_DECIMALS,
    THIN,
    format_fixed,
    format_lr,
    format_number,
    format_power,
    level_labels,
    parse_shown,
    shown_decimals,
    tick_labels,
)
from scenes.stories import LineFitStory, ManyRunsStory, MinibatchStory, QuadraticStory
from sgdcore.trace import Trace

CONTROL_DATA = Path(__file__).resolve(strict=True).parent / "control_data"
E_NOTATION = re.compile(r"\de")
BELOW_1E4 = st.floats(min_value=-9999.0, max_value=9999.0, allow_nan=False)
ANY_SIZE = st.floats(min_value=-1e300, max_value=1e300, allow_nan=False)


def default_run(name: str, index: int = 0, prefix: str = "default") -> Trace:
    """A scene's committed default run (or another of its committed runs)."""
    return Trace.load(CONTROL_DATA / name / f"{prefix}-run{index}.npz")


def half_unit(text: str) -> Decimal:
    """Half a unit of a shown number's last digit."""
    exponent = parse_shown(text).as_tuple().exponent
    assert isinstance(exponent, int)
    return Decimal(5).scaleb(exponent - 1)


def point_from_right(text: str) -> int:
    """How many cells the decimal point sits from the text's right end."""
    return len(text) - text.index(".")


# -- examples ------------------------------------------------------------------------


def test_loss_from_8_2_to_0_07_shows_four_decimals() -> None:
    loss = default_run("fit_line").loss
    assert column_decimals(loss) == 4
    texts = format_column(loss)
    assert (texts[0], texts[-1]) == ("8.2318", "0.0746")


def test_w_from_2_to_1e_minus_7_ends_on_zero_with_four_decimals() -> None:  # ten steps
    w = default_run("lr_just_right", prefix="lr_just_right_settles").params[:, 0]
    assert w[-1] == pytest.approx(2.048e-7, rel=1e-3)
    texts = format_column(w)
    assert texts[:5] == ["2.0000", "0.4000", "0.0800", "0.0160", "0.0032"]
    assert texts[-1] == "0.0000"


def test_diverging_w_gets_three_decimals_and_negatives_a_true_minus() -> None:
    w = default_run("lr_too_high").params[:, 0]
    assert format_column(w)[:3] == ["2.000", "−2.400", "2.880"]
    assert format_column(w)[-1] == "12.383"


def test_format_fixed_writes_zero_without_sign_and_groups_large_values() -> None:
    assert format_fixed(-2.048e-7, 4) == format_fixed(-0.0, 4) == "0.0000"
    assert format_fixed(-0.00005001, 4) == "−0.0001"
    assert format_fixed(9999.94, 1) == "9999.9"
    assert format_fixed(12345.6, 2) == f"12{THIN}345.60"
    assert format_fixed(-3.2e-12 * -1e24, 0) == THIN.join(
        ["3", "200", "000", "000", "000"]
    )
    assert [format_fixed(v, 3) for v in (np.nan, np.inf, -np.inf)] == [
        "NaN",
        "∞",
        "−∞",
    ]


def test_format_fixed_rounds_a_worked_out_decimal_half_up_as_by_hand() -> None:
    assert format_fixed(Decimal("2.4415"), 3) == "2.442"
    assert format_fixed(Decimal("-2.4415"), 3) == "−2.442"
    assert format_fixed(Decimal("-0.0004"), 3) == "0.000"


def test_format_power_writes_a_mantissa_times_a_power_of_ten() -> None:
    assert format_power(1.201e7, 3) == "1.201×10⁷"
    assert format_power(-8.2318e300, 1) == "−8.2×10³⁰⁰"
    assert format_power(2.5e-9, 1) == "2.5×10⁻⁹"
    assert parse_shown("−8.2×10³⁰⁰") == Decimal("-8.2e300")


def test_column_decimals_of_a_row_without_a_finite_nonzero_value() -> None:
    assert column_decimals([]) == DEFAULT_DECIMALS
    assert column_decimals([np.nan, 0.0, np.inf]) == DEFAULT_DECIMALS


def test_format_number_writes_tiny_values_as_zero_and_large_ones_without_e() -> None:
    assert format_number(2.048e-7) == format_number(6.71e-17, 3) == "0.0000"
    assert format_number(-2.048e-7, 3, trim=True) == "0.0000"  # not exactly zero
    assert format_number(0.0, 3, trim=True) == "0"
    assert format_number(0.07459949) == "0.07460"
    assert format_number(9999.7) == f"10{THIN}000"
    assert format_number(12345.6) == f"12{THIN}350"
    assert format_number(1e5, trim=True) == f"100{THIN}000"
    assert format_number(1.2014853e7) == "1.201×10⁷"
    assert format_number(4e6, trim=True) == "4×10⁶"
    assert format_number(-2.4, 3) == "−2.40"


def test_format_lr_writes_settings_as_typed_and_tiny_ones_with_a_power() -> None:
    assert [format_lr(v) for v in (0.1, 1.1, 0.02, 1 / 3, 1e-5)] == [
        "0.1",
        "1.1",
        "0.02",
        "0.3333",
        "0.00001",
    ]
    assert format_lr(1e-6) == "0.000001"
    assert format_lr(2.5e-9) == "2.5×10⁻⁹" and format_lr(1e-300) == "1×10⁻³⁰⁰"


def test_tick_labels_share_their_decimals_and_count_in_a_power_from_1e4() -> None:
    assert tick_labels([-0.5, 0.0, 0.5, 1.0], 0.5) == (["−0.5", "0.0", "0.5", "1.0"], 0)
    assert tick_labels([0.0, 10.0, 20.0], 10.0) == (["0", "10", "20"], 0)
    assert tick_labels([0.0, 5e5, 1e6, 1.5e6], 5e5) == (["0.0", "0.5", "1.0", "1.5"], 6)
    assert tick_labels([-2e4, 0.0, 2e4], 2e4) == (["−2", "0", "2"], 4)
    assert tick_labels([0.0, 2e-5, 4e-5], 2e-5) == (["0", "2", "4"], -5)


def test_parse_shown_reads_true_minus_groups_and_powers_and_rejects_the_rest() -> None:
    assert parse_shown("−2.400") == Decimal("-2.4")
    assert parse_shown(f"12{THIN}383.0") == Decimal("12383")
    assert parse_shown("1.201×10⁷") == Decimal(12010000)
    for text in ("NaN", "∞", "−∞", "", "12 / 100", "1.235e4"):
        with pytest.raises(ValueError):
            parse_shown(text)


def test_a_row_too_wide_for_its_column_drops_decimals_then_writes_powers() -> None:
    loss = np.array([8.2318, 11.0, 2854.0, 12014853.0])
    assert fit_row(loss, 1, 11) == ["8", "11", "2854", f"12{THIN}014{THIN}853"]
    assert fit_row(loss, 1, 9) == ["8.2", "11.0", "2854.0", "1.201×10⁷"]
    assert fit_row(np.array([0.5, -8.2318e300]), 4, 8) == ["0.5000", "−8×10³⁰⁰"]


def test_sentences_quote_numbers_without_e_notation() -> None:
    line_fit = default_run("fit_line")
    minibatch, just_right = default_run("minibatch"), default_run("lr_just_right")
    quadratics = [default_run("lr_compare", i) for i in range(3)]
    stories = [
        LineFitStory(line_fit),
        MinibatchStory(minibatch, default_run("minibatch", 1)),
        QuadraticStory(just_right, "done"),
        ManyRunsStory(
            quadratics,
            ["low", "right", "high"],
            [QuadraticStory(t, "") for t in quadratics],
            "done",
        ),
    ]
    for story, runs in zip(
        stories, [[line_fit], [minibatch], [just_right], quadratics], strict=True
    ):
        sentences = [story.opening(), story.first_steps(3), story.verdict()]
        last = min(trace.n_steps for trace in runs)
        sentences += [story.replay(3, last), story.fast_forward(5, last)]
        sentences += [moment.sentence for moment in story.moments()]
        for sentence in sentences:
            assert not E_NOTATION.search(sentence), sentence


# -- properties ----------------------------------------------------------------------


@given(BELOW_1E4, st.integers(min_value=0, max_value=8))
def test_fixed_parses_back_within_half_a_unit_and_never_shows_e(
    value: float, decimals: int
) -> None:
    text = format_fixed(value, decimals)
    assert "e" not in text and "-" not in text
    shown = parse_shown(text)
    assert abs(shown - Decimal(value)) <= Decimal(5).scaleb(-decimals - 1)
    assert not (shown == 0 and text.startswith("−"))
    assert len(text.partition(".")[2]) == decimals


@given(
    st.floats(min_value=1e4, max_value=1e300),
    st.booleans(),
    st.integers(min_value=0, max_value=5),
)
def test_fixed_from_1e4_groups_its_digits_in_threes(
    magnitude: float, negative: bool, decimals: int
) -> None:
    value = -magnitude if negative else magnitude
    text = format_fixed(value, decimals)
    assert re.fullmatch(r"−?\d{1,3}(\u2009\d{3})+(\.\d+)?", text), text
    assert abs(parse_shown(text) - Decimal(value)) <= half_unit(text)


@given(BELOW_1E4, st.integers(min_value=1, max_value=6), st.booleans())
def test_format_number_below_1e4_has_no_e_and_parses_back(
    value: float, digits: int, trim: bool
) -> None:
    text = format_number(value, digits, trim)
    assert "e" not in text
    shown = parse_shown(text)
    last_digit = Decimal(5).scaleb(shown.adjusted() - digits) if shown else 0
    assert abs(shown - Decimal(value)) <= max(half_unit(text), last_digit)
    if abs(value) < 1e-4:
        assert text in ("0", "0.0000", "0.0001", "−0.0001")


@given(ANY_SIZE, st.integers(min_value=1, max_value=6), st.booleans())
def test_format_number_of_any_size_has_no_e_and_parses_back(
    value: float, digits: int, trim: bool
) -> None:
    text = format_number(value, digits, trim)
    assert not E_NOTATION.search(text)
    shown = parse_shown(text)
    if abs(value) >= 1e-4:
        assert float(shown) == pytest.approx(value, rel=5 * 10.0**-digits)


@given(
    st.lists(ANY_SIZE, min_size=1, max_size=20),
    st.integers(min_value=0, max_value=5),
    st.integers(min_value=8, max_value=14),
)
def test_a_fitted_row_keeps_one_number_of_decimals_in_its_width(
    values: list[float], decimals: int, width: int
) -> None:
    texts = fit_row(np.array(values), decimals, width)
    assert all(len(text) <= width and not E_NOTATION.search(text) for text in texts)
    for form in (True, False):  # written out, or m×10ⁿ
        places = {shown_decimals(t) for t in texts if ("×" in t) == form}
        assert len(places) <= 1, texts
    for text, value in zip(texts, values, strict=True):
        assert abs(parse_shown(text) - Decimal(value)) <= half_unit(text)


@given(
    st.floats(min_value=-1e9, max_value=1e9, allow_nan=False),
    st.sampled_from([1e-5, 2e-4, 0.25, 0.5, 1.0, 2.5, 5.0, 2e3, 5e4, 1e6]),
)
def test_an_axis_labels_its_ticks_with_one_number_of_decimals(
    start: float, step: float
) -> None:
    ticks = [round(start / step) * step + k * step for k in range(6)]
    texts, power = tick_labels(ticks, step)
    assert len({shown_decimals(text) for text in texts}) == 1
    assert not any(E_NOTATION.search(text) for text in texts)
    for text, tick in zip(texts, ticks, strict=True):
        shown = float(parse_shown(text)) * 10.0**power
        assert shown == pytest.approx(tick, rel=1e-9, abs=1e-9 * step)


@given(st.lists(st.lists(BELOW_1E4, min_size=1, max_size=20), min_size=1, max_size=4))
def test_a_columns_decimal_points_line_up(rows: list[list[float]]) -> None:
    texts = aligned_rows([np.array(row) for row in rows])
    assert len({point_from_right(text) for row in texts for text in row}) == 1
    for row, shown in zip(rows, texts, strict=True):
        places = column_decimals(row)
        assert MIN_DECIMALS <= places <= MAX_DECIMALS
        assert {len(text.strip().partition(".")[2]) for text in shown} == {places}


def test_a_whole_number_row_lines_its_units_up_with_the_others() -> None:
    (loss, slope) = aligned([["12", "8"], ["2.50", "−1.25"]])
    assert loss == ["12   ", "8   "] and slope == ["2.50", "−1.25"]


def test_contour_levels_share_one_form_a_power_once_one_reaches_1e6() -> None:
    assert level_labels([69.2, 23.1, 7.62]) == ["69", "23", "7.6"]
    assert level_labels([1.3e7, 4.3e6, 4.8e5]) == ["1.3×10⁷", "4.3×10⁶", "4.8×10⁵"]
