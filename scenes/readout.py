"""Fast text for numbers: glyph outlines built once, readouts assembled from them.

A Pango `Text` costs about 0.1 s to build and a `copy()` is not free either, so a
readout that changes every few frames would dominate the render. Instead a few `Text`s
holding every glyph we need are built per font and size (the atlas), and a readout is
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
from scenes.numbers import THIN

# Every character a readout or tick label may show
CHARSET = (
    "0123456789.,:;+-−×/%()[]=<>~≈∞·←→↑↓⁰¹²³⁴⁵⁶⁷⁸⁹⁻"
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
)
# Pango lays a Text out in a box as wide as the video: at 427 pixels a line of the
# whole set would wrap, so the atlas is built from short lines of it
CHUNK = 30
THIN_CELL = 0.5  # a thin space (between groups of digits) is half a cell wide


@dataclass(frozen=True)
class GlyphAtlas:
    """Glyph outlines of one monospace font and size, keyed by character."""

    glyphs: dict[str, npt.NDArray[np.float64]]  # points relative to the cell origin
    pitch: float  # advance from one character cell to the next, in scene units
    digit_height: float


@lru_cache(maxsize=16)
def glyph_atlas(font: str, font_size: float) -> GlyphAtlas:
    """Build (once per font and size) the outlines of every character in CHARSET.

    Each line of CHUNK characters starts and ends with "0", so that the monospace
    pitch is measured between two identical glyphs and each cell's origin from the
    first one's left ink edge, on its baseline.
    """
    glyphs: dict[str, npt.NDArray[np.float64]] = {}
    pitches, height = [], 0.0
    for start in range(0, len(CHARSET), CHUNK):
        line = "0" + CHARSET[start : start + CHUNK] + "0"
        shapes = list(Text(line, font=font, font_size=font_size).submobjects)
        if len(shapes) != len(line):
            raise RuntimeError(f"font {font!r} did not give one glyph per character")
        pitch = (shapes[-1].get_left()[0] - shapes[0].get_left()[0]) / (len(line) - 1)
        origin = np.array([shapes[0].get_left()[0], shapes[0].get_bottom()[1], 0.0])
        for index, (char, shape) in enumerate(zip(line, shapes, strict=True)):
            glyphs.setdefault(char, shape.points - (origin + index * pitch * RIGHT))
        pitches.append(pitch)
        height = shapes[0].height
    return GlyphAtlas(glyphs=glyphs, pitch=float(np.mean(pitches)), digit_height=height)


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
        self.row = ""  # what it shows (a readout's name, a tick axis), for checks
        self.quantity = ""  # the value a worked update works out ("a₁"), for checks
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
        cells = np.cumsum([0.0] + [THIN_CELL if c == THIN else 1.0 for c in text])
        pad = self.n_chars - cells[-1] if self.align == "right" else 0.0
        pieces = [
            self.atlas.glyphs[char]
            + self.origin
            + (pad + cells[index]) * self.atlas.pitch * RIGHT
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
