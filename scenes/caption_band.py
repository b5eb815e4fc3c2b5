"""The band kept clear under the picture for a player's captions, and the scene-to-pixel
matrix that draws the picture above it."""

from __future__ import annotations

import cairo

# Of the frame's height: kept clear below the picture for captions a player lays
# over the video's bottom (two lines at 5% of the height each, as browsers draw them,
# fit with the picture's own bottom margin)
CAPTION_BAND = 0.1
# Of the picture's height: its own margin above the title. Drawn smaller over a band,
# the picture comes down by as much of the band, so the title keeps 5% of the frame
PICTURE_TOP = 0.05


def above_band(
    matrix: cairo.Matrix, band: float, size: tuple[int, int]
) -> cairo.Matrix:
    """`matrix` drawing `1 - band` as large, centred across, and PICTURE_TOP of the
    band down from the top (so the picture's top margin stays that of the frame)."""
    scale = 1.0 - band
    pixel_width, pixel_height = size
    return cairo.Matrix(
        matrix.xx * scale,
        matrix.yx * scale,
        matrix.xy * scale,
        matrix.yy * scale,
        matrix.x0 * scale + pixel_width * band / 2,
        matrix.y0 * scale + pixel_height * band * PICTURE_TOP,
    )
