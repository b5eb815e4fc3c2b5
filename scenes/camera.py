"""The camera every flat scene renders with: Manim's Cairo camera, readouts traced once.

Manim traces every moving VMobject into Cairo curve by curve in Python, every frame.
Readouts (scenes/readout.py) are most of those curves (a dozen readouts of a dozen
glyphs is over a thousand curves a frame), yet they change only when the shown number
does, a few times a second at most. So the Cairo path of a readout is kept, keyed by
what it shows and where, and replayed with one `append_path` until either changes.
"""

from __future__ import annotations

from typing import Any

import cairo
from manim import Camera, VMobject


class ReadoutCamera(Camera):
    """A Cairo camera that replays a readout's last path while its `path_key` holds."""

    def set_cairo_context_path(self, ctx: cairo.Context, vmobject: VMobject) -> Any:
        path_key = getattr(vmobject, "path_key", None)
        if path_key is None or len(vmobject.points) == 0:
            return super().set_cairo_context_path(ctx, vmobject)
        # Paths are kept in scene units, so the scene-to-pixel matrix is part of the key
        key = (tuple(ctx.get_matrix()), path_key())
        cached = vmobject.cairo_path
        if cached is not None and cached[0] == key:
            ctx.new_path()
            ctx.append_path(cached[1])
            return self
        super().set_cairo_context_path(ctx, vmobject)
        vmobject.cairo_path = (key, ctx.copy_path())
        return self
