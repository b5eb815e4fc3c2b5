"""The camera every flat scene renders with: Manim's Cairo camera, steady outlines traced once.

Manim traces every moving VMobject into Cairo curve by curve in Python, every frame.
Readouts (scenes/readout.py) and the finished part of a growing trail are most of those
curves, yet they change only a few times a second: when the shown number changes, or a
step completes. Such a mobject is a KeptPath: the camera keeps its Cairo path, keyed by
`path_key()`, and replays it with one `append_path` until the key changes. Big clouds
of dots are DotLayers (scenes/dot_layer.py), painted from a raster layer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Self

import cairo
import numpy as np
import numpy.typing as npt
from manim import Camera, ThreeDCamera, VMobject
from manim.typing import Point3D_Array

from scenes.caption_band import above_band
from scenes.dot_layer import DotLayer, DotLayers, Segments, trace_segments
from scenes.placement import points_inside
from scenes.surface_mesh import ShadedMesh, facing_camera, fill_faces


class KeptPath(VMobject):
    """A VMobject whose Cairo path the KeptPathCamera keeps between frames.

    `path_key()` must change whenever the points do. The default (how many points,
    and the first and last) suits outlines that only grow or move as a whole.
    """

    cairo_path: tuple[object, cairo.Path] | None = None

    def path_key(self) -> tuple[object, ...]:
        """What fixes this outline."""
        points = self.points
        return (len(points), *points[0, :2], *points[-1, :2])


class KeptPathCamera(Camera):
    """A Cairo camera that replays a KeptPath's last path while its `path_key` holds,
    and paints DotLayers from their layers.

    `band`: of the frame's height kept clear at its bottom; the whole picture is drawn
    smaller by as much, centred across, above it, its top margin still 5% of the frame.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.dot_layers = DotLayers()
        self.band = 0.0

    def get_cairo_context(self, pixel_array: Any) -> cairo.Context[Any]:
        ctx = super().get_cairo_context(pixel_array)  # kept per array: set each time
        size = (self.pixel_width, self.pixel_height)
        ctx.set_matrix(above_band(self.frame_matrix(), self.band, size))
        return ctx

    def frame_matrix(self) -> cairo.Matrix:
        """Manim's scene-to-pixel matrix: the frame fills the picture."""
        scale_x = self.pixel_width / self.frame_width
        scale_y = self.pixel_height / self.frame_height
        centre = self.frame_center
        return cairo.Matrix(
            scale_x,
            0,
            0,
            -scale_y,
            self.pixel_width / 2 - centre[0] * scale_x,
            self.pixel_height / 2 + centre[1] * scale_y,
        )

    def display_vectorized(self, vmobject: VMobject, ctx: cairo.Context[Any]) -> Self:
        if not isinstance(vmobject, DotLayer):
            return super().display_vectorized(vmobject, ctx)
        self.dot_layers.paint(ctx, vmobject, self.pixel_width, self.pixel_height)
        return self

    def set_cairo_context_path(
        self, ctx: cairo.Context[Any], vmobject: VMobject
    ) -> Self:
        if isinstance(vmobject, Segments):
            trace_segments(ctx, vmobject.points)
            return self
        if not isinstance(vmobject, KeptPath) or len(vmobject.points) == 0:
            return super().set_cairo_context_path(ctx, vmobject)
        # Paths are kept in scene units, so the scene-to-pixel matrix is part of the key
        key = (scale_and_offset(ctx), vmobject.path_key())
        cached = vmobject.cairo_path
        if cached is not None and cached[0] == key:
            ctx.new_path()
            ctx.append_path(cached[1])
            return self
        super().set_cairo_context_path(ctx, vmobject)
        vmobject.cairo_path = (key, ctx.copy_path())
        return self


def scale_and_offset(ctx: cairo.Context[Any]) -> tuple[float, ...]:
    """The context's scene-to-pixel matrix as a tuple, for keys."""
    matrix = ctx.get_matrix()
    return (matrix.xx, matrix.yx, matrix.xy, matrix.yy, matrix.x0, matrix.y0)


class SurfaceCamera(KeptPathCamera, ThreeDCamera):
    """Manim's 3-D Cairo camera, with the 3-D image shifted in the frame and meshes
    (scenes/surface_mesh.py) drawn whole.

    A mesh is filled opaque into a layer of its own, which is then painted over the
    frame at the mesh's opacity: seams between fills never show the floor through, and
    while the view holds the layer is painted again without being redrawn.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.image_offset = np.zeros(2)  # scene units: where the world's origin goes
        self.layers: dict[
            int, tuple[object, cairo.ImageSurface, tuple[int, int, int, int]]
        ] = {}
        # Per mesh: a layer, an opacity, and the layer scaled by it once it holds
        self.faded: dict[
            int, tuple[cairo.ImageSurface, float, cairo.ImageSurface | None]
        ] = {}

    def project_points(self, points: Point3D_Array) -> Point3D_Array:
        """Manim's projection, then the shift of the 3-D image in the frame."""
        projected = super().project_points(points)
        projected[:, :2] += self.image_offset
        return projected

    def fit_image(
        self,
        points: Point3D_Array,
        thetas: Sequence[float] | npt.NDArray[np.float64],
        box: tuple[float, float, float, float],
        clear_of: tuple[float, float, float, float] | None = None,
    ) -> None:
        """Zoom and shift the 3-D image so `points` stay in `box` (left, right, bottom,
        top) seen from each of `thetas`; with `clear_of` (a box of flat text in the
        same form), the box's top comes down until no point falls in that one."""
        left, right, bottom, top = box
        while True:
            seen = self.fit_box(points, thetas, (left, right, bottom, top))
            if clear_of is None or top <= bottom + 1.0:
                return
            text_left, text_right, text_bottom, text_top = clear_of
            text = (text_left, text_bottom, text_right, text_top)
            if not points_inside(text, seen).any():
                return
            top -= 0.05

    def fit_box(
        self,
        points: Point3D_Array,
        thetas: Sequence[float] | npt.NDArray[np.float64],
        box: tuple[float, float, float, float],
    ) -> npt.NDArray[np.float64]:
        """`fit_image` into `box` alone; where the points are then seen, from every
        one of `thetas` (stacked)."""
        held = self.get_theta()
        self.set_zoom(1.0)
        self.image_offset = np.zeros(2)
        seen = []
        for theta in thetas:
            self.set_theta(theta)
            self.reset_rotation_matrix()
            seen.append(self.project_points(np.asarray(points))[:, :2])
        self.set_theta(held)
        self.reset_rotation_matrix()
        low, high = np.vstack(seen).min(axis=0), np.vstack(seen).max(axis=0)
        left, right, bottom, top = box
        zoom = min((right - left) / (high - low)[0], (top - bottom) / (high - low)[1])
        self.set_zoom(float(zoom))
        middle = np.array([(left + right) / 2, (bottom + top) / 2])
        self.image_offset = middle - zoom * (low + high) / 2
        shown: npt.NDArray[np.float64] = np.vstack(seen) * zoom + self.image_offset
        return shown

    def display_vectorized(self, vmobject: VMobject, ctx: cairo.Context[Any]) -> Self:
        if not isinstance(vmobject, ShadedMesh):
            return super().display_vectorized(vmobject, ctx)
        opacity = float(vmobject.get_fill_opacity())
        if opacity <= 0:
            return self
        layer, pixels = self.mesh_layer(vmobject, ctx)
        left, top, right, bottom = pixels
        if right <= left or bottom <= top:
            return self  # out of the frame
        source, alpha = self.see_through(vmobject, layer, opacity, pixels)
        ctx.save()
        ctx.identity_matrix()
        ctx.rectangle(left, top, right - left, bottom - top)
        ctx.clip()  # only where the mesh is: a third of the frame, say
        ctx.set_source_surface(source, *((0, 0) if source is layer else (left, top)))
        if alpha == 1.0:
            ctx.paint()
        else:
            ctx.paint_with_alpha(alpha)
        ctx.restore()
        return self

    def see_through(
        self,
        mesh: ShadedMesh,
        layer: cairo.ImageSurface,
        opacity: float,
        pixels: tuple[int, int, int, int],
    ) -> tuple[cairo.ImageSurface, float]:
        """What to paint for `layer` at `opacity`, and with what alpha.

        The second time in a row that the same layer is painted at the same opacity
        (the view holds), its pixels are scaled by the opacity once and kept: painting
        them is half the work of painting the layer with an alpha every frame.
        """
        left, top, right, bottom = pixels
        kept = self.faded.get(id(mesh))
        if kept is None or kept[0] is not layer or kept[1] != opacity:
            self.faded[id(mesh)] = (layer, opacity, None)
            return layer, opacity
        if kept[2] is None:
            faded = cairo.ImageSurface(cairo.FORMAT_ARGB32, right - left, bottom - top)
            faded_ctx = cairo.Context(faded)
            faded_ctx.set_source_surface(layer, -left, -top)
            faded_ctx.paint_with_alpha(opacity)
            self.faded[id(mesh)] = (layer, opacity, faded)
            return faded, 1.0
        return kept[2], 1.0

    def set_cairo_context_path(
        self, ctx: cairo.Context[Any], vmobject: VMobject
    ) -> Self:
        """Kept paths (readouts) are kept only where flat in the frame: elsewhere
        their outline moves with the camera."""
        if vmobject in self.fixed_in_frame_mobjects:
            return super().set_cairo_context_path(ctx, vmobject)
        return Camera.set_cairo_context_path(self, ctx, vmobject)

    def mesh_layer(
        self, mesh: ShadedMesh, ctx: cairo.Context[Any]
    ) -> tuple[cairo.ImageSurface, tuple[int, int, int, int]]:
        """The mesh filled opaque on a clear layer, redrawn only when the view moved,
        and the pixels it covers (left, top, right, bottom)."""
        view: tuple[object, ...] = (
            self.get_rotation_matrix().tobytes(),
            self.get_zoom(),
            self.get_focal_distance(),
            tuple(self.image_offset),
            scale_and_offset(ctx),
            (self.pixel_width, self.pixel_height),
            mesh.vertices.ctypes.data,
        )
        kept = self.layers.get(id(mesh))
        if kept is not None and kept[0] == view:
            return kept[1], kept[2]
        layer = cairo.ImageSurface(
            cairo.FORMAT_ARGB32, self.pixel_width, self.pixel_height
        )  # a new one is clear; reusing one costs a clearing paint just the same
        layer_ctx = cairo.Context(layer)
        layer_ctx.set_matrix(ctx.get_matrix())
        projected = self.project_points(mesh.vertices)
        facing = facing_camera(
            mesh.vertices - self.frame_center,
            mesh.faces,
            mesh.normals,
            self.get_rotation_matrix(),
            self.get_focal_distance(),
        )
        fill_faces(layer_ctx, projected[:, :2], mesh, facing)
        matrix = layer_ctx.get_matrix()
        to_device = np.array([[matrix.xx, matrix.yx], [matrix.xy, matrix.yy]])
        corners = projected[:, :2] @ to_device + np.array([matrix.x0, matrix.y0])
        (left, top), (right, bottom) = corners.min(axis=0), corners.max(axis=0)
        pixels = (
            max(int(left) - 2, 0),
            max(int(top) - 2, 0),
            min(int(right) + 3, self.pixel_width),
            min(int(bottom) + 3, self.pixel_height),
        )
        self.layers[id(mesh)] = (view, layer, pixels)
        return layer, pixels
