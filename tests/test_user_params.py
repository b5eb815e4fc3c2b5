"""The parameters a loop hands to Recorder.step: the forms taken, and plain refusals."""

from __future__ import annotations

from typing import Any

import pytest
import torch
from torch import nn

from sgdcore.data import make_line_data
from sgdcore.recorder import Recorder
from sgdcore.user_params import leaves_of


def stepped(params: Any, loss: torch.Tensor, function: bool = False) -> Recorder:
    """A Recorder (of a line, or of f(w)) after recording one step of `params`."""
    x, y = make_line_data(10)
    recorder = (
        Recorder(function="double_well", lr=0.1) if function else Recorder(x, y, lr=0.1)
    )
    recorder.step(params, loss)
    return recorder


def test_parameters_of_another_count_say_plainly_what_fits() -> None:
    with pytest.raises(ValueError, match="3 numbers; this recording fits a line"):
        stepped(torch.zeros(3, requires_grad=True), torch.tensor(1.0))


def test_step_before_backward_is_refused() -> None:
    with pytest.raises(ValueError, match=r"after loss\.backward\(\)"):
        stepped(nn.Parameter(torch.zeros(2)), torch.tensor(1.0))


def test_stacked_w_and_b_are_refused_as_not_a_leaf_naming_the_list_form() -> None:
    w, b = nn.Parameter(torch.tensor(-1.0)), nn.Parameter(torch.tensor(1.0))
    params = torch.stack([w, b])
    loss = params.square().sum()
    loss.backward()
    with pytest.raises(ValueError, match="params is not a leaf tensor") as error:
        stepped(params, loss)
    assert "recorder.step([w, b], loss)" in str(error.value)


def test_a_list_holding_a_computed_tensor_names_which_one() -> None:
    w = nn.Parameter(torch.tensor([-1.0]))
    b = nn.Parameter(torch.tensor([1.0])) * 1
    with pytest.raises(ValueError, match=r"params\[1\] is not a leaf tensor"):
        stepped([w, b], (w + b).sum())


@pytest.mark.parametrize(
    ("module", "has"),
    [
        (nn.Linear(2, 1), "weight \\(1, 2\\), bias \\(1,\\)"),
        (nn.Linear(1, 1, bias=False), "weight \\(1, 1\\);"),
        (
            nn.Sequential(nn.Linear(1, 4), nn.Linear(4, 1)),
            "0.weight \\(4, 1\\), 0.bias",
        ),
        (nn.ReLU(), "none;"),
        (
            nn.Sequential(nn.Linear(1, 1), nn.Linear(1, 1)),
            "0.weight \\(1, 1\\), 0.bias",
        ),
    ],
    ids=["two inputs", "no bias", "two layers", "no parameters", "two lines"],
)
def test_module_other_than_one_weight_and_one_bias_is_refused(
    module: nn.Module, has: str
) -> None:
    words = f"module's parameters are {has}.* a line needs one weight and one bias"
    with pytest.raises(ValueError, match=words):
        stepped(module, torch.tensor(1.0))


def test_a_module_wrapping_one_linear_maps_its_weight_and_bias() -> None:
    model = nn.Sequential(nn.Linear(1, 1))
    leaves = leaves_of(model, 2)
    assert leaves.tensors == (model[0].weight, model[0].bias)
    assert leaves.mapping == (
        "Sequential.0.weight as the slope a1, Sequential.0.bias as the intercept a2"
    )


def test_a_module_of_one_number_is_fs_w() -> None:
    model = nn.Module()
    model.w = nn.Parameter(torch.tensor(0.5))
    model.w.sum().backward()
    recorder = stepped(model, torch.tensor(1.0), function=True)
    assert recorder.meta["params_from"] == "Module.w as w"
    with pytest.raises(ValueError, match=r"f\(w\) needs one parameter of one number"):
        stepped(nn.Linear(1, 1), torch.tensor(1.0), function=True)


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ([1.0, 2.0], "not list of float"),
        ("a", "not str"),
        ([], "not an empty list"),
        ({"w": torch.zeros(1)}, "not dict"),
        ((torch.zeros(1), 2.0), "not tuple of Tensor and float"),
    ],
)
def test_params_of_another_kind_are_refused_in_one_sentence(
    params: Any, words: str
) -> None:
    with pytest.raises(ValueError, match=f"a tensor, a list of tensors .* {words}$"):
        stepped(params, torch.tensor(1.0))


def test_parameters_that_do_not_require_grad_say_so() -> None:
    with pytest.raises(
        ValueError, match=r"params does not require grad.* nn\.Parameter"
    ):
        stepped(torch.zeros(2), torch.tensor(1.0))


def test_loss_of_many_numbers_is_refused() -> None:
    a = nn.Parameter(torch.zeros(2))
    a.sum().backward()
    with pytest.raises(
        ValueError, match=r"loss must be one number \(a mean\), not shape \(3,\)"
    ):
        stepped(a, torch.zeros(3))


@pytest.mark.parametrize(
    ("x", "words"),
    [
        (torch.ones(5, 3), "not \\(5, 3\\)"),
        (torch.stack([torch.ones(5), torch.arange(5.0)], 1), "\\[x, 1\\] rows"),
        ("abc", "x must be numbers"),
    ],
)
def test_x_of_another_shape_is_refused(x: Any, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        Recorder(x, torch.arange(5.0), lr=0.1)
