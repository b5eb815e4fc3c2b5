"""The camera every flat scene renders with: Manim's Cairo camera, steady outlines traced once.

Manim traces every moving VMobject into Cairo curve by curve in Python, every frame.
Readouts (scenes/readout.py) and the finished part of a growing trail are most of those
curves, yet they change only a few times a second: when the shown number changes, or a
step completes. Such a mobject is a KeptPath: the camera keeps its Cairo path, keyed by
`path_key()`, and replays it with one `append_path` until the key changes.
"""

from __future__ import annotations

from typing import Any, Self

import cairo
from manim import Camera, VMobject


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
    """A Cairo camera that replays a KeptPath's last path while its `path_key` holds."""

    def set_cairo_context_path(
        self, ctx: cairo.Context[Any], vmobject: VMobject
    ) -> Self:
        if not isinstance(vmobject, KeptPath) or len(vmobject.points) == 0:
            return super().set_cairo_context_path(ctx, vmobject)
        # Paths are kept in scene units, so the scene-to-pixel matrix is part of the key
        matrix = ctx.get_matrix()
        scale_and_offset = (
            matrix.xx,
            matrix.yx,
            matrix.xy,
            matrix.yy,
            matrix.x0,
            matrix.y0,
        )
        key = (scale_and_offset, vmobject.path_key())
        cached = vmobject.cairo_path
        if cached is not None and cached[0] == key:
            ctx.new_path()
            ctx.append_path(cached[1])
            return self
        super().set_cairo_context_path(ctx, vmobject)
        vmobject.cairo_path = (key, ctx.copy_path())
        return self
