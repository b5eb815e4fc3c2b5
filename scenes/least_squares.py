"""The loss of a line as a quadratic in its parameters: exact contours, floor and bowl.

The MSE of a line is L(a) = L* + (a − a*)ᵀ H (a − a*) with H = XᵀX / n, so its
contours are exact ellipses around the least-squares a*. Plain numpy, from the trace's
own data (sgdcore.landscape checks the same surface in torch).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from sgdcore.trace import Trace


def quadratic_form(
    trace: Trace,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], float]:
    """H = XᵀX / n, the least-squares a*, and the loss L* there."""
    hessian = trace.x.T @ trace.x / len(trace.y)
    best = np.asarray(
        np.linalg.solve(trace.x.T @ trace.x, trace.x.T @ trace.y), dtype=np.float64
    )
    return hessian, best, float(np.mean((trace.x @ best - trace.y) ** 2))


def contour_ellipse(
    hessian: npt.NDArray[np.float64],
    best: npt.NDArray[np.float64],
    excess: float,
    samples: int = 181,
) -> npt.NDArray[np.float64]:
    """Parameters, shape (2, samples), where the loss is `excess` above its minimum."""
    eigenvalues, eigenvectors = np.linalg.eigh(hessian)
    angles = np.linspace(0.0, 2 * np.pi, samples)
    circle = np.stack([np.cos(angles), np.sin(angles)])
    ellipse: npt.NDArray[np.float64] = best[:, None] + eigenvectors @ (
        circle * np.sqrt(excess / eigenvalues)[:, None]
    )
    return ellipse
