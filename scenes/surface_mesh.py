"""A lit surface mesh drawn by whole-array numpy and a few Cairo fills.

Manim's `Surface` is one VMobject per face: every frame its camera projects, shades,
depth-sorts and traces each face in Python (about 0.1 ms a face). A `ShadedMesh` keeps
the faces as arrays: the light is fixed in the world, so each face's colour is worked
out once (Lambert shading, snapped to `SHADES` levels so that faces of one shade can
share a fill); per frame the camera (scenes/camera.py) projects every vertex at once,
orders the faces, and fills each run of same-shade faces as one Cairo path.

When no face is turned away from the camera, no face can hide another (a height field
seen from above at any angle steeper than its walls), so order does not matter and
each shade is one fill. Otherwise the faces go far to near, as Manim orders them, and
only neighbours in that order that share a shade share a fill.
"""

from __future__ import annotations

import itertools
from typing import Any

import cairo
import numpy as np
import numpy.typing as npt
from manim import VGroup, VMobject

Array = npt.NDArray[np.float64]
SHADES = 48  # light levels: 1/48 apart, finer than a step the eye sees on a slope
AMBIENT = 0.45  # light on a face turned away from the lamp, as a share of full
LIGHT = np.array([-0.45, -0.6, 1.0])  # towards the lamp: above, front left


def shade_levels(normals: Array, light: Array = LIGHT) -> npt.NDArray[np.int64]:
    """Each face's Lambert light, AMBIENT to 1, snapped to one of SHADES levels.

    Parameters
    ----------
    normals : (F, 3) unit normals, facing up out of the bowl.

    Returns
    -------
    (F,) integer levels in [0, SHADES - 1].
    """
    towards = light / np.linalg.norm(light)
    lambert = np.clip(normals @ towards, 0.0, 1.0)
    levels = np.rint(lambert * (SHADES - 1)).astype(np.int64)
    return levels


def level_colors(lit: Array) -> Array:
    """The RGB of every level: `lit` dimmed to AMBIENT at level 0, shape (SHADES, 3)."""
    light = AMBIENT + (1 - AMBIENT) * np.linspace(0.0, 1.0, SHADES)
    colors: Array = np.clip(light[:, None] * lit[None, :], 0.0, 1.0)
    return colors


class ShadedMesh(VMobject):
    """Quads over a grid of vertices, each filled in its level's colour.

    Its own points are only the vertices' bounding box (for centring and layout); the
    faces live in `vertices`, `faces` and `levels` and are drawn by a SurfaceCamera.
    Fill opacity applies to the mesh as a whole (faces are opaque among themselves).
    """

    def __init__(
        self,
        vertices: Array,
        faces: npt.NDArray[np.int64],
        normals: Array,
        levels: npt.NDArray[np.int64],
        colors: Array,
        opacity: float = 1.0,
        **kwargs: Any,
    ) -> None:
        super().__init__(fill_opacity=opacity, stroke_width=0, **kwargs)
        self.vertices = np.asarray(vertices, dtype=np.float64)  # (V, 3) scene units
        self.faces = np.asarray(faces, dtype=np.int64)  # (F, 4) vertex indices
        self.normals = np.asarray(normals, dtype=np.float64)  # (F, 3) unit, upward
        self.levels = np.asarray(levels, dtype=np.int64)  # (F,) into `colors`
        self.colors = np.asarray(colors, dtype=np.float64)  # (levels, 3) RGB
        low, high = self.vertices.min(axis=0), self.vertices.max(axis=0)
        self.set_points_as_corners([low, high])

    def as_polygons(self) -> VGroup:
        """The same mesh as one Manim VMobject per face, for Manim's own camera."""
        polygons = []
        for face, level in zip(self.faces, self.levels, strict=True):
            corners = self.vertices[np.append(face, face[0])]
            color = self.colors[level]
            # a hairline in the face's colour hides the seams, as Manim's Surface does
            polygon = VMobject(
                fill_color=color, fill_opacity=1.0, stroke_color=color, stroke_width=1
            )
            polygon.set_points_as_corners(corners)
            polygon.shade_in_3d = True  # Manim depth-sorts only these
            polygons.append(polygon)
        return VGroup(*polygons)


def facing_camera(
    vertices: Array,
    faces: npt.NDArray[np.int64],
    normals: Array,
    rotation: Array,
    focal_distance: float,
) -> npt.NDArray[np.bool_]:
    """Which faces turn their (upward) side towards a camera `focal_distance` away.

    Parameters
    ----------
    vertices : (V, 3), relative to the point the camera looks at.
    rotation : (3, 3) Manim's camera rotation: the camera sits on its third row's axis.
    """
    centres = vertices[faces].mean(axis=1)
    camera = focal_distance * rotation[2]
    facing: npt.NDArray[np.bool_] = np.einsum("ij,ij->i", normals, camera - centres) > 0
    return facing


def fill_faces(
    ctx: cairo.Context[Any],
    quads: Array,
    levels: npt.NDArray[np.int64],
    colors: Array,
    facing: npt.NDArray[np.bool_],
) -> int:
    """Fill the projected faces of a bowl: those facing the camera, then the others.

    A bowl is convex, so a line of sight crosses it at most twice: first where it
    faces away (the outside of the near wall, seen from below its rim), then where it
    faces the camera. Faces of one kind never overlap, so each kind is drawn in any
    order: one smooth fill of its outline in a middle shade, then one aliased fill per
    shade, which leaves no seams between faces. Returns how many fills it took.
    """
    corners = np.ascontiguousarray(quads[..., :2]).reshape(-1, 8)
    move_to, line_to, close = ctx.move_to, ctx.line_to, ctx.close_path

    def trace(faces: list[list[float]]) -> None:
        for x0, y0, x1, y1, x2, y2, x3, y3 in faces:
            move_to(x0, y0)
            line_to(x1, y1)
            line_to(x2, y2)
            line_to(x3, y3)
            close()

    def fill(level: int) -> None:
        red, green, blue = colors[level]
        ctx.set_source_rgb(blue, green, red)  # Manim's pixels are RGBA; Cairo's BGRA
        ctx.fill()

    fills = 0
    for kind in (facing, ~facing):
        order = np.flatnonzero(kind)
        if len(order) == 0:
            continue
        order = order[np.argsort(levels[order], kind="stable")]
        ordered, ordered_corners = levels[order], corners[order].tolist()
        ctx.set_antialias(cairo.ANTIALIAS_DEFAULT)
        trace(ordered_corners)
        fill(int(ordered[len(ordered) // 2]))
        ctx.set_antialias(cairo.ANTIALIAS_NONE)
        breaks = [0, *(np.flatnonzero(np.diff(ordered)) + 1).tolist(), len(order)]
        for start, end in itertools.pairwise(breaks):
            trace(ordered_corners[start:end])
            fill(int(ordered[start]))
        fills += len(breaks)
    ctx.set_antialias(cairo.ANTIALIAS_DEFAULT)
    return fills
