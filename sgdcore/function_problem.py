"""A function of one number, f(w), as a problem for the one training loop."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import torch

from sgdcore.functions import Function1D
from sgdcore.trace import MetaValue


@dataclass(frozen=True)
class FunctionProblem:
    """Minimise a user's or a built-in f(w) over one parameter w; no data."""

    function: Function1D
    name: str = field(default="function", init=False)

    @property
    def n_samples(self) -> int:
        """No data: 0."""
        return 0

    def loss(self, params: torch.Tensor, batch_indices: torch.Tensor) -> torch.Tensor:
        """f(w) for the single parameter w, as a scalar autograd can differentiate."""
        value = self.function.f(params)
        if not isinstance(value, torch.Tensor) or value.numel() != 1:
            got = getattr(value, "shape", type(value).__name__)
            raise ValueError(
                f"{self.function.name}(w) must give one number as a tensor for one w, "
                f"not {got}"
            )
        return value.sum()

    def data(self) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """No data: two empty arrays."""
        return np.zeros((0, 1)), np.zeros(0)

    def describe(self) -> dict[str, MetaValue]:
        """Problem name, the function's name and how the scenes write it."""
        return {
            "problem": self.name,
            "function": self.function.name,
            "formula": self.function.formula,
        }
