"""A lit surface mesh drawn by whole-array numpy and a few Cairo fills.

Manim's `Surface` is one VMobject per face: every frame its camera projects, shades,
depth-sorts and traces each face in Python (about 0.1 ms a face). A `ShadedMesh` keeps
the faces as arrays: the light is fixed in the world, so each face's colour is worked
out once (Lambert shading, snapped to `SHADES` levels so that faces of one shade can
share a fill); per frame the camera (scenes/camera.py) projects every vertex at once,
splits the faces into those that face it and the others (each kind is free of
overlaps: fill_faces), and fills each kind's outline, then each shade's region within
it. A fill traces only the outline of its region, from the faces' neighbours
(region_loops): about 4,000 edges a frame for 1,536 faces, against 12,000 when every
face was traced for the outline and again for its shade.
"""

from __future__ import annotations

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
        self.neighbours = face_neighbours(self.faces)  # (F, 4) across each edge
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


def face_neighbours(faces: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """The face across each edge of each face (edge k runs from corner k to k + 1),
    or -1 where none does: shape (F, 4). Faces meet along whole edges."""
    starts = faces.ravel()
    ends = np.roll(faces, -1, axis=1).ravel()
    span = int(faces.max()) + 1
    keys = np.minimum(starts, ends) * span + np.maximum(starts, ends)
    order = np.argsort(keys, kind="stable")
    shared = np.flatnonzero(keys[order][1:] == keys[order][:-1])
    first, second = order[shared], order[shared + 1]
    neighbours = np.full(faces.size, -1, dtype=np.int64)
    neighbours[first], neighbours[second] = second // 4, first // 4
    return neighbours.reshape(faces.shape)


def region_loops(
    faces: npt.NDArray[np.int64],
    neighbours: npt.NDArray[np.int64],
    labels: npt.NDArray[np.int64],
) -> dict[int, list[list[int]]]:
    """The outlines of the regions that faces of one label make, as closed loops of
    vertex indices, by label.

    An edge is on an outline where the face across it has another label (or there is
    none). Faces wind one way, so every vertex of an outline has as many outline edges
    in as out, and pairing them in any order closes loops that wind once round their
    region (round a hole, the other way): a region is one fill of its loops.
    """
    across = np.where(neighbours >= 0, labels[np.maximum(neighbours, 0)], -1)
    face, corner = np.nonzero(across != labels[:, None])
    label = labels[face]
    starts = faces[face, corner]
    ends = faces[face, (corner + 1) % 4]
    leaving = np.lexsort((starts, label))  # edges by (label, first vertex)
    arriving = np.lexsort((ends, label))  # edges by (label, last vertex)
    following = np.empty(len(face), dtype=np.int64)
    following[arriving] = leaving  # an edge ending at v, then one leaving v
    after, first_vertex, edge_labels = (
        following.tolist(),
        starts.tolist(),
        label.tolist(),
    )
    seen = [False] * len(after)
    loops: dict[int, list[list[int]]] = {}
    for edge in leaving.tolist():
        if seen[edge]:
            continue
        loop = []
        while not seen[edge]:
            seen[edge] = True
            loop.append(first_vertex[edge])
            edge = after[edge]
        loops.setdefault(edge_labels[edge], []).append(loop)
    return loops


def fill_faces(
    ctx: cairo.Context[Any],
    points: Array,
    mesh: ShadedMesh,
    facing: npt.NDArray[np.bool_],
) -> int:
    """Fill the projected faces of a bowl: those facing the camera, then the others.

    A bowl is convex, so a line of sight crosses it at most twice: first where it
    faces away (the outside of the near wall, seen from below its rim), then where it
    faces the camera. Faces of one kind never overlap, so each kind is drawn in any
    order: one smooth fill of its outline in a middle shade, then one aliased fill per
    shade, which leaves no seams between faces. Each fill traces only the outline of
    what it fills (region_loops), not every face in it. Returns how many fills it took.

    Parameters
    ----------
    points : (V, 2) the mesh's vertices, projected.
    """
    xs, ys = points[:, 0].tolist(), points[:, 1].tolist()
    move_to, line_to, close = ctx.move_to, ctx.line_to, ctx.close_path

    def fill(loops: list[list[int]], level: int) -> None:
        for loop in loops:
            move_to(xs[loop[0]], ys[loop[0]])
            for vertex in loop[1:]:
                line_to(xs[vertex], ys[vertex])
            close()
        red, green, blue = mesh.colors[level]
        ctx.set_source_rgb(blue, green, red)  # Manim's pixels are RGBA; Cairo's BGRA
        ctx.fill()

    kinds = np.where(facing, 0, 1)  # 0: facing the camera, drawn first (farther)
    outlines = region_loops(mesh.faces, mesh.neighbours, kinds)
    shades = region_loops(mesh.faces, mesh.neighbours, kinds * SHADES + mesh.levels)
    fills = 0
    for kind in sorted(outlines):
        ctx.set_antialias(cairo.ANTIALIAS_DEFAULT)
        levels = np.sort(mesh.levels[kinds == kind])
        fill(outlines[kind], int(levels[len(levels) // 2]))
        ctx.set_antialias(cairo.ANTIALIAS_NONE)
        shown = sorted(region for region in shades if region // SHADES == kind)
        for region in shown:
            fill(shades[region], region % SHADES)
        fills += 1 + len(shown)
    ctx.set_antialias(cairo.ANTIALIAS_DEFAULT)
    return fills


def color_rgb(hex_color: str) -> tuple[float, float, float]:
    """A palette colour as RGB floats."""
    value = hex_color.lstrip("#")
    red, green, blue = (int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return red, green, blue
