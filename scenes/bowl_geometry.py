"""Where the loss bowl sits in 3-D: its mesh, floor, axes' ranges and scales. Plain numpy.

The loss of a line is L(a) = L* + (a − a*)ᵀ H (a − a*) (scenes/least_squares.py), so
the bowl is an elliptic paraboloid. Its mesh is polar, in rings around the minimum, cut
at a rim of equal loss above every finite point of the run: its edge is a contour, and
it reads as a bowl rather than a sheet. The floor under it is the parameter plane at
true shape (one unit of a₁ as long as one of a₂, as in `landscape`); the height is the
loss itself, from 0 on the floor.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from scenes.geometry import nice_range, nice_step, true_spans
from scenes.least_squares import quadratic_form
from sgdcore.trace import Trace

Array = npt.NDArray[np.float64]
RINGS, SPOKES = 32, 48  # faces from the minimum out, and around: 1,536
RIM = 1.2  # the rim's excess loss, over the largest excess on the run
FLOOR_MARGIN = 1.12  # the floor's half-widths, over the rim's
FLOOR_LONG = 8.0  # the floor's longer side, in scene units
RIM_HEIGHT = 2.3  # the rim's height above the floor, in scene units


@dataclass(frozen=True)
class BowlGeometry:
    """The bowl of one run's loss, placed in scene units around the origin."""

    hessian: Array  # (2, 2)
    best: Array  # (2,) the least-squares a*
    least_loss: float  # L*, the loss at a*
    rim_excess: float  # the rim's loss above L*
    a1: tuple[float, float, float]  # the floor's a₁ range and tick step
    a2: tuple[float, float, float]
    loss: tuple[float, float, float]  # the loss axis: 0 to its top tick, step
    scale: float  # scene units per unit of a₁ or a₂
    z_scale: float  # scene units per unit of loss

    @property
    def centre(self) -> Array:
        """The floor's centre, in parameters (it goes to the scene's origin)."""
        return np.array([(self.a1[0] + self.a1[1]) / 2, (self.a2[0] + self.a2[1]) / 2])

    def to_scene(self, a1: Array, a2: Array, loss: Array) -> Array:
        """Scene points, shape (..., 3), of parameters and a loss (height)."""
        centre = self.centre
        return np.stack(
            [
                (np.asarray(a1) - centre[0]) * self.scale,
                (np.asarray(a2) - centre[1]) * self.scale,
                np.asarray(loss) * self.z_scale,
            ],
            axis=-1,
        )

    def point(self, a1: float, a2: float, loss: float = 0.0) -> Array:
        """The scene point, shape (3,), of one pair of parameters at height `loss`."""
        return self.to_scene(np.array(a1), np.array(a2), np.array(loss))

    def excess(self, params: Array) -> Array:
        """The loss above L* at parameters of shape (..., 2)."""
        offset = params - self.best
        excess: Array = np.einsum("...i,ij,...j->...", offset, self.hessian, offset)
        return excess

    def ellipse(self, excess: float, samples: int) -> Array:
        """Parameters, shape (samples, 2), where the loss is `excess` above L*."""
        eigenvalues, eigenvectors = np.linalg.eigh(self.hessian)
        angles = np.linspace(0.0, 2 * np.pi, samples)
        circle = np.stack([np.cos(angles), np.sin(angles)], axis=-1)
        ellipse: Array = self.best + (circle * np.sqrt(excess / eigenvalues)) @ (
            eigenvectors.T
        )
        return ellipse

    def mesh(self) -> tuple[Array, npt.NDArray[np.int64], Array]:
        """The bowl's vertices (scene units), quads and face normals.

        Returns
        -------
        vertices : ((RINGS + 1) · SPOKES, 3), ring by ring from the minimum out.
        faces : (RINGS · SPOKES, 4) vertex indices, anticlockwise seen from above.
        normals : (RINGS · SPOKES, 3) unit normals of the faces, pointing up.
        """
        eigenvalues, eigenvectors = np.linalg.eigh(self.hessian)
        radii = np.linspace(0.0, 1.0, RINGS + 1)
        angles = np.linspace(0.0, 2 * np.pi, SPOKES, endpoint=False)
        unit = np.stack([np.cos(angles), np.sin(angles)], axis=-1)  # (SPOKES, 2)
        axes = np.sqrt(self.rim_excess / eigenvalues)
        offsets = radii[:, None, None] * (unit * axes) @ eigenvectors.T
        params = (self.best + offsets).reshape(-1, 2)
        losses = self.least_loss + self.rim_excess * np.repeat(radii**2, SPOKES)
        vertices = self.to_scene(params[:, 0], params[:, 1], losses)
        ring, spoke = np.meshgrid(np.arange(RINGS), np.arange(SPOKES), indexing="ij")
        after = (spoke + 1) % SPOKES
        faces = np.stack(
            [
                ring * SPOKES + spoke,
                (ring + 1) * SPOKES + spoke,
                (ring + 1) * SPOKES + after,
                ring * SPOKES + after,
            ],
            axis=-1,
        ).reshape(-1, 4)
        corners = vertices[faces]
        normals = np.cross(corners[:, 2] - corners[:, 0], corners[:, 3] - corners[:, 1])
        normals *= np.sign(normals[:, 2:3] + 1e-300)  # up, whatever the winding
        normals /= np.linalg.norm(normals, axis=1, keepdims=True)
        return vertices, faces, normals


def bowl_geometry(trace: Trace) -> BowlGeometry:
    """The bowl for `trace`: its rim above every finite step, its floor around it."""
    hessian, best, least_loss = quadratic_form(trace)
    params = trace.params[np.isfinite(trace.params).all(axis=1)]
    offsets = params - best
    excess = np.einsum("...i,ij,...j->...", offsets, hessian, offsets)
    rim_excess = RIM * max(float(excess.max(initial=0.0)), 1e-6 * max(least_loss, 1.0))
    # The rim's extent along each parameter: sqrt(E · (H⁻¹)ₖₖ)
    half = FLOOR_MARGIN * np.sqrt(rim_excess * np.diag(np.linalg.inv(hessian)))
    # One tick step on both axes (true shape), about six ticks along the longer
    step = nice_step(2 * float(half.max()), 7)
    a1 = (float(best[0] - half[0]), float(best[0] + half[0]), step)
    a2 = (float(best[1] - half[1]), float(best[1] + half[1]), step)
    longest = max(a1[1] - a1[0], a2[1] - a2[0])
    top = least_loss + rim_excess
    loss = nice_range(0.0, top, 5)
    return BowlGeometry(
        hessian=hessian,
        best=best,
        least_loss=least_loss,
        rim_excess=rim_excess,
        a1=a1,
        a2=a2,
        loss=loss,
        scale=FLOOR_LONG / longest,
        z_scale=RIM_HEIGHT / top,
    )


def finite_rows(points: Array) -> Array:
    """The rows of `points` with every coordinate finite (at least one row)."""
    kept = points[np.isfinite(points).all(axis=1)]
    return kept if len(kept) else np.zeros((1, 3))


def broken_ring(points: Array, gaps: list[tuple[Array, float]]) -> list[Array]:
    """A closed ring of scene `points` (its first point repeated last) as the runs
    left where it passes no gap: a gap is a centre and a radius, as round a label
    set on the ring. One run, the whole ring, where none is near."""
    keep = np.ones(len(points), dtype=bool)
    for centre, radius in gaps:
        keep &= np.linalg.norm(points - centre, axis=1) > radius
    if keep.all():
        return [points]
    # round from a cut point, which closes the ring again: no run wraps round it
    start = int(np.argmin(keep))
    order = np.r_[np.roll(np.arange(len(points) - 1), -start), start]
    ring, kept = points[order], keep[order]
    return [ring[a:b] for a, b in true_spans(kept) if b - a > 1]
