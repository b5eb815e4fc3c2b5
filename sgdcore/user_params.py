"""The parameters a loop hands to `Recorder.step`, as the leaf tensors behind them.

A loop keeps its parameters as one tensor `a` (the lesson's), as several `[w, b]`, or
in a module such as `nn.Linear(1, 1)`. Each form comes down to the leaf tensors the
loop's update moves, in the Trace's order: a line's (slope, intercept), f's w.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeGuard

import torch
from torch import nn

FORMS = "a tensor, a list of tensors such as [w, b], or an nn.Module"
LINE_SCENES = "fit_line, landscape, surface_3d and optimizers"
FUNCTION_SCENES = "lr_too_high, lr_too_low and lr_just_right"


@dataclass(frozen=True)
class Leaves:
    """The leaf tensors behind a loop's parameters, and how they map to the Trace's."""

    tensors: tuple[torch.Tensor, ...]
    names: tuple[str, ...]  # each tensor's, for error messages: "params[1]", "bias"
    mapping: str | None  # how a list's or module's parameters became the Trace's

    def values(self) -> torch.Tensor:
        """The parameters as one flat vector, detached."""
        return torch.cat([tensor.detach().reshape(-1) for tensor in self.tensors])

    def grad(self) -> torch.Tensor:
        """Their gradients as one flat vector; ValueError if backward() left any out."""
        grads = []
        for tensor, name in zip(self.tensors, self.names, strict=True):
            if not tensor.requires_grad:
                raise ValueError(
                    f"{name} does not require grad, so backward() gives it no .grad: "
                    "create it with requires_grad=True, or as an nn.Parameter"
                )
            if tensor.grad is None:
                raise ValueError(
                    f"{name}.grad is empty: call recorder.step after loss.backward()"
                )
            grads.append(tensor.grad.reshape(-1))
        return torch.cat(grads)


def leaves_of(params: object, n_params: int, *, updated: bool = True) -> Leaves:
    """The leaf tensors behind `params`: a tensor, a sequence of them or a module.

    `n_params` is how many numbers the recording draws: 2 for a line's (slope,
    intercept), 1 for f's w. `updated`: the tensors are the ones the loop's update
    moves, so they must be leaves (a final state may be any tensor). Raises
    ValueError, one sentence, for anything else.
    """
    if isinstance(params, nn.Module):
        leaves = module_leaves(params, n_params)
    elif isinstance(params, torch.Tensor):
        leaves = Leaves((params,), ("params",), None)
    elif is_tensors(params):
        names = tuple(f"params[{index}]" for index in range(len(params)))
        mapping = f"[{', '.join(trace_names(n_params))}] in order"
        leaves = Leaves(tuple(params), names, mapping)
    else:
        raise ValueError(f"params must be {FORMS}, not {described(params)}")
    for tensor, name in zip(leaves.tensors, leaves.names, strict=True):
        if updated and not tensor.is_leaf:
            raise ValueError(non_leaf_message(name, n_params))
    count = sum(tensor.numel() for tensor in leaves.tensors)
    if count != n_params:
        raise ValueError(
            f"params has {count} numbers; this recording fits {fits(n_params)}"
        )
    return leaves


def module_leaves(module: nn.Module, n_params: int) -> Leaves:
    """A module's parameters: a weight and a bias for a line, one number for f."""
    named = dict(module.named_parameters())
    kind = type(module).__name__
    if n_params == 2:
        by_role = {name.rsplit(".", 1)[-1]: name for name in named}
        if (
            len(named) == 2
            and sorted(by_role) == ["bias", "weight"]
            and all(parameter.numel() == 1 for parameter in named.values())
        ):
            weight, bias = by_role["weight"], by_role["bias"]
            return Leaves(
                (named[weight], named[bias]),
                (weight, bias),
                f"{kind}.{weight} as the slope a1, {kind}.{bias} as the intercept a2",
            )
        needs = (
            "a line needs one weight and one bias of one number each, as "
            "nn.Linear(1, 1) has (or pass step([slope, intercept], loss))"
        )
    else:
        if len(named) == 1 and next(iter(named.values())).numel() == 1:
            ((name, w),) = named.items()
            return Leaves((w,), (name,), f"{kind}.{name} as w")
        needs = "f(w) needs one parameter of one number, its w"
    has = ", ".join(f"{n} {tuple(p.shape)}" for n, p in named.items()) or "none"
    raise ValueError(f"the {kind} module's parameters are {has}; {needs}")


def is_tensors(params: object) -> TypeGuard[Sequence[torch.Tensor]]:
    """True for a non-empty list or tuple of tensors."""
    return (
        isinstance(params, list | tuple)
        and len(params) > 0
        and all(isinstance(item, torch.Tensor) for item in params)
    )


def trace_names(n_params: int) -> tuple[str, ...]:
    """The Trace's names for its parameters."""
    return ("slope", "intercept") if n_params == 2 else ("w",)


def fits(n_params: int) -> str:
    """What a recording of `n_params` numbers fits, in words, and which scenes."""
    if n_params == 2:
        return f"a line's slope and intercept, 2 numbers ({LINE_SCENES})"
    return f"one number w ({FUNCTION_SCENES})"


def non_leaf_message(name: str, n_params: int) -> str:
    """Why a computed tensor cannot be recorded, and what to pass instead."""
    instead = (
        "recorder.step([w, b], loss)" if n_params == 2 else "recorder.step(w, loss)"
    )
    return (
        f"{name} is not a leaf tensor (it was computed from others, by torch.stack, "
        "indexing or .float() say), so backward() fills no .grad for it and the "
        f"update never moves it; pass the tensors you update: {instead}"
    )


def described(value: object) -> str:
    """`value`'s type in a few words: "list of float", "str"."""
    kind = type(value).__name__
    if isinstance(value, list | tuple) and value:
        kinds = sorted({type(item).__name__ for item in value})
        return f"{kind} of {' and '.join(kinds)}"
    return f"an empty {kind}" if isinstance(value, list | tuple) else kind
