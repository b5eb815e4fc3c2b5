"""The lesson's synthetic line: shapes, ranges, the true line and seeding."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest
import torch

from sgdcore.data import LESSON_COEFFICIENTS, make_line_data

# y is computed in float32, so y - x @ a carries a few float32 roundings of |y| <= ~6.
FLOAT32_ATOL = 1e-5


def noise_of(
    x: torch.Tensor, y: torch.Tensor, coefficients: tuple[float, float]
) -> npt.NDArray[np.float64]:
    """What `make_line_data` added to the exact line, computed in float64."""
    return y.double().numpy() - x.double().numpy() @ np.array(coefficients)


def test_lesson_coefficients_are_slope_3_intercept_2() -> None:
    assert LESSON_COEFFICIENTS == (3.0, 2.0)


def test_x_is_n_by_2_float32_with_a_column_of_ones() -> None:
    x, y = make_line_data(n=50)
    assert x.shape == (50, 2)
    assert y.shape == (50,)
    assert x.dtype == torch.float32
    assert y.dtype == torch.float32
    assert torch.all(x[:, 1] == 1.0)


def test_x_column_0_is_uniform_in_minus_1_to_1() -> None:
    x, _ = make_line_data(n=10_000)
    inputs = x[:, 0].double().numpy()
    assert inputs.min() >= -1.0
    assert inputs.max() < 1.0
    # Spread over the whole interval, not a constant inside it.
    assert inputs.min() < -0.99
    assert inputs.max() > 0.99
    np.testing.assert_allclose(inputs.mean(), 0.0, rtol=0, atol=0.03)
    np.testing.assert_allclose(inputs.std(), 1 / np.sqrt(3), rtol=0, atol=0.02)


def test_y_is_lesson_line_plus_noise_in_0_to_1() -> None:
    x, y = make_line_data(n=10_000)
    noise = noise_of(x, y, LESSON_COEFFICIENTS)
    assert noise.min() >= -FLOAT32_ATOL
    assert noise.max() < 1.0 + FLOAT32_ATOL
    # Uniform noise: it really is there, and fills [0, 1).
    assert noise.min() < 0.01
    assert noise.max() > 0.99
    np.testing.assert_allclose(noise.mean(), 0.5, rtol=0, atol=0.02)


def test_y_follows_the_coefficients_it_is_given() -> None:
    coefficients = (-1.5, 0.25)
    x, y = make_line_data(n=1000, coefficients=coefficients)
    noise = noise_of(x, y, coefficients)
    assert noise.min() >= -FLOAT32_ATOL
    assert noise.max() < 1.0 + FLOAT32_ATOL
    # The lesson line would not explain this data.
    assert noise_of(x, y, LESSON_COEFFICIENTS).min() < -1.0


def test_same_seed_gives_bit_identical_tensors() -> None:
    x_first, y_first = make_line_data(n=100, seed=7)
    x_again, y_again = make_line_data(n=100, seed=7)
    assert torch.equal(x_first, x_again)
    assert torch.equal(y_first, y_again)


def test_different_seed_gives_different_data() -> None:
    x_first, y_first = make_line_data(n=100, seed=7)
    x_other, y_other = make_line_data(n=100, seed=8)
    assert not torch.equal(x_first[:, 0], x_other[:, 0])
    assert not torch.equal(y_first, y_other)


def test_data_leaves_the_global_torch_rng_alone() -> None:
    torch.manual_seed(0)
    expected = torch.rand(3)
    torch.manual_seed(0)
    make_line_data(n=100, seed=123)
    assert torch.equal(torch.rand(3), expected)


def test_two_points_are_enough() -> None:
    x, y = make_line_data(n=2)
    assert x.shape == (2, 2)
    assert y.shape == (2,)


@pytest.mark.parametrize("n", [1, 0, -5])
def test_fewer_than_two_points_raise_value_error(n: int) -> None:
    with pytest.raises(ValueError, match="at least 2"):
        make_line_data(n=n)
