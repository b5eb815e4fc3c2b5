"""Big clouds of dots as one raster layer: each dot traced once, the layer painted per frame.

Manim traces a VMobject into Cairo curve by curve in Python and fills it again every
time it is drawn: 100,000 dots are 800,000 curves, a second or so a frame. A DotLayer
holds only the dots' centres; the KeptPathCamera (scenes/camera.py) fills them as
discs into a layer of its own once, adds to that layer only the dots added since, and
paints the layer over the frame (one Cairo paint) whenever the mobject is drawn.
Small clouds stay plain paths (scenes/panels/data_plot.py: dot_cloud), which draw
the same discs from Manim's own circle outline.
"""

from __future__ import annotations

import math
from typing import Any

import cairo
import numpy as np
import numpy.typing as npt
from manim import VMobject

from scenes.geometry import Points

LAYER_FROM = 200  # a cloud that may hold more dots than this is a DotLayer


class DotLayer(VMobject):
    """Discs of one radius and colour at many centres, drawn from a raster layer.

    Its points are the outline of the box around its discs, so it has a place and a
    size (and fades in as any mobject does: the layer is painted at its fill opacity).
    """

    def __init__(self, radius: float, color: str, opacity: float = 1.0) -> None:
        super().__init__(fill_color=color, fill_opacity=opacity, stroke_width=0)
        self.radius = radius
        self.chunks: list[npt.NDArray[np.float64]] = []  # centres, added in turn
        self.generation = 0  # changes whenever dots are taken away or moved

    def show_dots(self, centres: Points) -> DotLayer:
        """Show exactly `centres` (shape (n, 3)), in place of every dot shown before."""
        columns = 2 if centres.shape[1] == 3 else centres.shape[1]
        self.chunks = (
            [np.array(centres[:, :columns], dtype=np.float64)] if len(centres) else []
        )
        self.generation += 1
        return self.outline()

    def add_dots(self, centres: Points) -> DotLayer:
        """Show `centres` too, over the dots shown already."""
        if len(centres):
            columns = 2 if centres.shape[1] == 3 else centres.shape[1]
            self.chunks.append(np.array(centres[:, :columns], dtype=np.float64))
            self.outline()
        return self

    def trace(self, ctx: cairo.Context[Any], chunk: npt.NDArray[np.float64]) -> None:
        """Draw one chunk into a layer, in `ctx`'s current source."""
        trace_discs(ctx, chunk, self.radius)

    def outline(self) -> DotLayer:
        """Points around every disc: the box they fill, or none."""
        if not self.chunks:
            self.clear_points()
            return self
        ends = [chunk.reshape(-1, 2) for chunk in self.chunks]  # a segment's two ends
        low = np.min([chunk.min(axis=0) for chunk in ends], axis=0) - self.radius
        high = np.max([chunk.max(axis=0) for chunk in ends], axis=0) + self.radius
        corners = [(low[0], low[1]), (high[0], low[1]), (high[0], high[1])]
        corners += [(low[0], high[1]), (low[0], low[1])]
        self.set_points_as_corners([np.array([x, y, 0.0]) for x, y in corners])
        return self


class SegmentLayer(DotLayer):
    """Straight segments of one width and colour, drawn from a raster layer as a
    DotLayer's discs are: thousands of lines, each traced once. Its "centres" are rows
    (x₀, y₀, x₁, y₁), one per segment."""

    def __init__(self, stroke_width: float, color: str) -> None:
        # Manim draws a stroke of width w as w / 100 scene units
        super().__init__(stroke_width / 100, color)

    def show_segments(self, starts: Points, ends: Points) -> SegmentLayer:
        """Show exactly the segments from `starts` to `ends` (each (m, 3))."""
        self.show_dots(np.hstack([starts[:, :2], ends[:, :2]]))
        return self

    def add_segments(self, starts: Points, ends: Points) -> SegmentLayer:
        """Show these segments too, over those shown already."""
        self.add_dots(np.hstack([starts[:, :2], ends[:, :2]]))
        return self

    def trace(self, ctx: cairo.Context[Any], chunk: npt.NDArray[np.float64]) -> None:
        """Stroke one chunk of segments into a layer."""
        ctx.new_path()
        for x0, y0, x1, y1 in chunk.tolist():
            ctx.move_to(x0, y0)
            ctx.line_to(x1, y1)
        ctx.set_line_width(self.radius)
        ctx.stroke()


class DotLayers:
    """The camera's layers, one per DotLayer, each kept while its view holds."""

    def __init__(self) -> None:
        # id(mobject) -> (key: matrix, size, generation), layer, chunks drawn into it
        self.kept: dict[int, tuple[object, cairo.ImageSurface, int]] = {}

    def paint(
        self, ctx: cairo.Context[Any], dots: DotLayer, width: int, height: int
    ) -> None:
        """Paint `dots` over the frame `ctx` draws on (width × height pixels)."""
        opacity = float(dots.get_fill_opacity())
        if not dots.chunks or opacity <= 0:
            return
        matrix = ctx.get_matrix()
        key = (
            (matrix.xx, matrix.yx, matrix.xy, matrix.yy, matrix.x0, matrix.y0),
            (width, height, dots.generation),
        )
        kept = self.kept.get(id(dots))
        if kept is None or kept[0] != key:
            kept = (key, cairo.ImageSurface(cairo.FORMAT_ARGB32, width, height), 0)
        layer, drawn = kept[1], kept[2]
        if drawn < len(dots.chunks):
            layer_ctx = cairo.Context(layer)
            layer_ctx.set_matrix(matrix)
            # Manim's frame holds RGBA where Cairo writes BGRA: colours go in reversed
            red, green, blue = dots.get_fill_color().to_rgb()
            layer_ctx.set_source_rgb(blue, green, red)
            for chunk in dots.chunks[drawn:]:
                dots.trace(layer_ctx, chunk)
            layer.flush()
        self.kept[id(dots)] = (key, layer, len(dots.chunks))
        # Only where the discs are: the box of the outline, in pixels
        low, high = dots.points[:, :2].min(axis=0), dots.points[:, :2].max(axis=0)
        corners = [matrix.transform_point(*low), matrix.transform_point(*high)]
        left, right = sorted(c[0] for c in corners)
        top, bottom = sorted(c[1] for c in corners)
        ctx.save()
        ctx.identity_matrix()
        ctx.new_path()
        ctx.rectangle(
            math.floor(left) - 1,
            math.floor(top) - 1,
            math.ceil(right - left) + 3,
            math.ceil(bottom - top) + 3,
        )
        ctx.clip()
        ctx.set_source_surface(layer, 0, 0)
        ctx.paint_with_alpha(opacity)
        ctx.restore()


def trace_discs(
    ctx: cairo.Context[Any], centres: npt.NDArray[np.float64], radius: float
) -> None:
    """Fill a disc of `radius` at each centre, in `ctx`'s current source."""
    for x, y in centres.tolist():
        ctx.new_sub_path()
        ctx.arc(x, y, radius, 0.0, math.tau)
    ctx.fill()


class Segments(VMobject):
    """Straight segments, each its own four Bézier points (scenes.geometry:
    segment_curves), which the camera traces as lines in one pass: many of them (a
    big batch's residuals) cost one Python loop, not Manim's walk over subpaths."""


def trace_segments(ctx: cairo.Context[Any], points: Points) -> None:
    """Set `ctx`'s path to the segments whose ends are every fourth point."""
    ctx.new_path()
    for (x0, y0), (x1, y1) in zip(
        points[0::4, :2].tolist(), points[3::4, :2].tolist(), strict=True
    ):
        ctx.move_to(x0, y0)
        ctx.line_to(x1, y1)
