"""Fast text for numbers: glyph outlines built once, readouts assembled from them.

A Pango `Text` costs about 0.1 s to build and a `copy()` is not free either, so a
readout that changes every few frames would dominate the render. Instead one `Text`
holding every glyph we need is built per font and size (the atlas), and a readout is
a row of empty slots whose points are set from the atlas when the shown string changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from manim import RIGHT, Text
from manim.typing import Vector3DLike

from scenes.camera import KeptPath

# Every character a readout or tick label may show. It starts and ends with "0" so
# that the monospace pitch can be measured from two identical glyphs.
CHARSET = (
    "0123456789.,:;+-−×/%()[]=<>~≈∞·←→↑↓"
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0"
)


@dataclass(frozen=True)
class GlyphAtlas:
    """Glyph outlines of one monospace font and size, keyed by character."""

    glyphs: dict[str, npt.NDArray[np.float64]]  # points relative to the cell origin
    pitch: float  # advance from one character cell to the next, in scene units
    digit_height: float


@lru_cache(maxsize=16)
def glyph_atlas(font: str, font_size: float) -> GlyphAtlas:
    """Build (once per font and size) the outlines of every character in CHARSET."""
    text = Text(CHARSET, font=font, font_size=font_size)
    shapes = list(text.submobjects)
    if len(shapes) != len(CHARSET):
        raise RuntimeError(f"font {font!r} did not give one glyph per character")
    pitch = (shapes[-1].get_left()[0] - shapes[0].get_left()[0]) / (len(CHARSET) - 1)
    # Cell i starts at the first "0"'s left ink edge plus i pitches, on one baseline.
    origin = np.array([shapes[0].get_left()[0], shapes[0].get_bottom()[1], 0.0])
    glyphs = {
        char: shape.points - (origin + index * pitch * RIGHT)
        for index, (char, shape) in enumerate(zip(CHARSET, shapes, strict=True))
    }
    return GlyphAtlas(glyphs=glyphs, pitch=pitch, digit_height=shapes[0].height)


class Readout(KeptPath):
    """A line of glyphs showing a string; changing it costs no Pango call.

    All glyphs are subpaths of this one VMobject, so a frame draws one Cairo path per
    readout rather than one per character. The first cell's origin (on the baseline)
    is tracked through `shift`, so an empty readout still knows where it is.
    """

    def __init__(
        self,
        n_chars: int,
        color: str,
        font: str,
        font_size: float,
        align: str = "left",
        placeholder: str | None = None,
    ) -> None:
        super().__init__(fill_color=color, fill_opacity=1.0, stroke_width=0)
        self.atlas = glyph_atlas(font, font_size)
        self.n_chars = n_chars
        self.align = align
        self.origin = np.zeros(3)
        self.shown: str | None = None
        self.show(placeholder if placeholder is not None else "0" * n_chars)

    def shift(self, *vectors: Vector3DLike) -> Readout:
        """Move the glyphs and the origin together."""
        super().shift(*vectors)
        self.origin = self.origin + np.sum(np.asarray(vectors, dtype=float), axis=0)
        return self

    def put_on_baseline(self, right: float, baseline: float) -> Readout:
        """Move so the text sits on `baseline` and its last cell ends at x = `right`."""
        end = self.origin + self.n_chars * self.atlas.pitch * RIGHT
        return self.shift(np.array([right - end[0], baseline - end[1], 0.0]))

    # Mobject.show(camera) pops up a preview window; a readout's show means "display
    # this text" and too many callers use it to rename it
    def show(self, text: str) -> Readout:  # type: ignore[override]
        """Show `text` (cut to the readout's width); a no-op when it is already shown."""
        text = text[: self.n_chars]
        if text == self.shown:
            return self
        self.shown = text
        pad = self.n_chars - len(text) if self.align == "right" else 0
        pieces = [
            self.atlas.glyphs[char]
            + self.origin
            + (pad + index) * self.atlas.pitch * RIGHT
            for index, char in enumerate(text)
            if char in self.atlas.glyphs
        ]
        if pieces:
            self.set_points(np.vstack(pieces))
        else:
            self.clear_points()
        return self

    def path_key(self) -> tuple[object, ...]:
        """What fixes this readout's outline: the string, and where and how big it is."""
        return (self.shown, *super().path_key())


def number_label(
    text: str, color: str, font: str, font_size: float, align: str = "left"
) -> Readout:
    """A static label (a tick number, say) drawn from the atlas instead of Pango."""
    return Readout(len(text), color, font, font_size, align=align, placeholder=text)
