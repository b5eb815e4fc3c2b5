"""The one number formatter: fixed decimals per readout row, no e-notation below 1e4.

Examples come from the committed runs (tests/control_data); properties are checked
with hypothesis: a shown string parses back to the value within half a unit of its
last digit, and a column's decimal points line up.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scenes.numbers import (
    DEFAULT_DECIMALS,
    MAX_DECIMALS,
    MIN_DECIMALS,
    aligned_rows,
    column_decimals,
    format_column,
    format_fixed,
    format_lr,
    format_number,
    format_tick,
    parse_shown,
)
from scenes.stories import LineFitStory, ManyRunsStory, MinibatchStory, QuadraticStory
from sgdcore.trace import Trace

CONTROL_DATA = Path(__file__).resolve(strict=True).parent / "control_data"
E_NOTATION = re.compile(r"\de")
BELOW_1E4 = st.floats(min_value=-9999.0, max_value=9999.0, allow_nan=False)


def default_run(name: str, index: int = 0) -> Trace:
    """A scene's committed default run."""
    return Trace.load(CONTROL_DATA / name / f"default-run{index}.npz")


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


def test_w_from_2_to_1e_minus_7_ends_on_zero_with_four_decimals() -> None:
    w = default_run("lr_just_right").params[:, 0]
    assert w[-1] == pytest.approx(2.048e-7, rel=1e-3)
    texts = format_column(w)
    assert texts[:5] == ["2.0000", "0.4000", "0.0800", "0.0160", "0.0032"]
    assert texts[-1] == "0.0000"


def test_diverging_w_gets_three_decimals_and_negatives_a_true_minus() -> None:
    w = default_run("lr_too_high").params[:, 0]
    assert format_column(w)[:3] == ["2.000", "−2.400", "2.880"]
    assert format_column(w)[-1] == "12.383"


def test_format_fixed_writes_zero_without_sign_and_large_values_in_e_notation() -> None:
    assert format_fixed(-2.048e-7, 4) == format_fixed(-0.0, 4) == "0.0000"
    assert format_fixed(-0.00005001, 4) == "−0.0001"
    assert format_fixed(9999.94, 1) == "9999.9"
    assert format_fixed(12345.6, 2) == "1.235e4"
    assert format_fixed(-3.2e-12 * -1e24, 3) == "3.200e12"
    assert [format_fixed(v, 3) for v in (np.nan, np.inf, -np.inf)] == [
        "NaN",
        "∞",
        "−∞",
    ]


def test_column_decimals_of_a_row_without_a_finite_nonzero_value() -> None:
    assert column_decimals([]) == DEFAULT_DECIMALS
    assert column_decimals([np.nan, 0.0, np.inf]) == DEFAULT_DECIMALS


def test_format_number_writes_tiny_values_as_zero_and_keeps_e_for_1e4() -> None:
    assert format_number(2.048e-7) == format_number(6.71e-17, 3) == "0.0000"
    assert format_number(-2.048e-7, 3, trim=True) == "0.0000"  # not exactly zero
    assert format_number(0.0, 3, trim=True) == "0"
    assert format_number(0.07459949) == "0.07460"
    assert format_number(9999.7) == "10000"
    assert format_number(12345.6) == "1.235e4"
    assert format_number(1e5, trim=True) == "1e5"
    assert format_number(-2.4, 3) == "−2.40"


def test_format_tick_and_format_lr_use_e_only_at_the_extremes() -> None:
    assert format_tick(2e-5) == "0.00002"
    assert format_tick(-0.0) == "0"
    assert format_tick(0.5) == "0.5" and format_tick(-20) == "−20"
    assert format_tick(1e6) == "1e6"
    assert [format_lr(v) for v in (0.1, 1.1, 0.02, 1 / 3, 1e-5)] == [
        "0.1",
        "1.1",
        "0.02",
        "0.3333",
        "0.00001",
    ]
    assert format_lr(1e-6) == "0.000001"
    assert format_lr(2.5e-9) == "2.5e−9" and format_lr(1e-300) == "1e−300"


def test_parse_shown_reads_true_minus_and_e_and_rejects_the_rest() -> None:
    assert parse_shown("−2.400") == Decimal("-2.4")
    assert parse_shown("1.235e4") == Decimal(12350)
    for text in ("NaN", "∞", "−∞", "", "12 / 100"):
        with pytest.raises(ValueError):
            parse_shown(text)


def test_sentences_quote_numbers_without_e_notation() -> None:
    line_fit = default_run("fit_line")
    minibatch, just_right = default_run("minibatch"), default_run("lr_just_right")
    quadratics = [default_run("lr_compare", i) for i in range(3)]
    stories = [
        LineFitStory(line_fit),
        MinibatchStory(minibatch),
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
def test_fixed_from_1e4_is_e_notation_with_four_digits(
    magnitude: float, negative: bool, decimals: int
) -> None:
    value = -magnitude if negative else magnitude
    text = format_fixed(value, decimals)
    assert re.fullmatch(r"−?\d\.\d{3}e\d+", text), text
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


@given(BELOW_1E4)
def test_format_tick_below_1e4_has_no_e_and_keeps_six_digits(value: float) -> None:
    text = format_tick(value)
    assert "e" not in text
    assert float(parse_shown(text)) == pytest.approx(value, rel=5e-6, abs=1e-300)


@given(st.lists(st.lists(BELOW_1E4, min_size=1, max_size=20), min_size=1, max_size=4))
def test_a_columns_decimal_points_line_up(rows: list[list[float]]) -> None:
    texts = aligned_rows([np.array(row) for row in rows])
    assert len({point_from_right(text) for row in texts for text in row}) == 1
    for row, shown in zip(rows, texts, strict=True):
        places = column_decimals(row)
        assert MIN_DECIMALS <= places <= MAX_DECIMALS
        assert {len(text.strip().partition(".")[2]) for text in shown} == {places}
