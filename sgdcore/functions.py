"""One-dimensional functions f(w) for the learning-rate scenes, beyond the lesson's w².

The built-in ones are chosen by name from the command line (never by evaluating what
a user typed); from Python any torch-differentiable `f(w)` will do. Each definition
uses only tensor methods, so this module imports no torch: the CLI can list
and check the names without loading it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Curve = Callable[[Any], Any]  # a tensor of w in, a tensor of f(w) out, elementwise


@dataclass(frozen=True)
class Function1D:
    """A function of one parameter for gradient descent to minimise."""

    name: str  # a built-in name, or the callable's own (recorded in the trace)
    formula: str  # how the scenes write it ("f(w)" when it is the user's code)
    f: Curve
    span: tuple[float, float] | None = None  # always drawn, besides what the run covers


def double_well(w: Any) -> Any:
    """Two valleys: a local minimum near w = 0.96, a lower one near w = −1.04."""
    return (w * w - 1) ** 2 + 0.3 * w


def bumpy(w: Any) -> Any:
    """A bowl with ripples: a small learning rate stops in the first ripple it meets."""
    return 0.5 * w * w + (3 * w).sin()


def quartic(w: Any) -> Any:
    """A flat-bottomed bowl: the gradient 4w³ fades near the minimum, so steps shrink."""
    return w**4


BUILT_IN = {
    function.name: function
    for function in (
        Function1D("double_well", "(w² − 1)² + 0.3·w", double_well, (-1.6, 1.6)),
        Function1D("bumpy", "w²/2 + sin 3w", bumpy, (-3.0, 3.0)),
        Function1D("quartic", "w⁴", quartic, (-1.0, 1.0)),
    )
}


def as_function(value: Any) -> Function1D:
    """A built-in function by name, a Function1D, or any callable f(w)."""
    if isinstance(value, Function1D):
        return value
    if isinstance(value, str):
        if value not in BUILT_IN:
            names = ", ".join(BUILT_IN)
            raise ValueError(f"{value!r} is not a built-in function; one of {names}")
        return BUILT_IN[value]
    if callable(value):
        name = getattr(value, "__name__", "f")
        return Function1D("f" if name == "<lambda>" else str(name)[:40], "f(w)", value)
    raise ValueError(f"a function is a name or a callable f(w), not {type(value)}")
