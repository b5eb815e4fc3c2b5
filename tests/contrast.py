"""Colour maths for legibility: WCAG 2.1 contrast, alpha blending, colour-blind views.

Plain Python and numpy, no Manim. Colours are "#RRGGBB" strings or RGB triples in 0..1
(sRGB, gamma-encoded, as Cairo stores them); rendered frames are uint8 RGB arrays.

- WCAG 2.1 relative luminance and contrast ratio (success criteria 1.4.3 and 1.4.11):
  text needs 4.5:1 against what is behind it, other meaningful marks 3:1.
- `over`: a colour drawn at an opacity over a background, composited in sRGB as Cairo
  does, so a faint mark is measured as it lands on screen.
- `simulate`: how a colour looks to a dichromat (Machado, Oliveira and Fernandes 2009,
  severity 1), and `color_distance`, CIE76 ΔE in CIELAB (D65), to check that colours
  which must be told apart stay apart for protanopes and deuteranopes too, and as
  thin lines, where everyone sees blue-yellow differences weakly (tritanopia).
- `pixel_contrast`: the same ratio between two rendered images, pixel by pixel, to
  measure a mark against what it is drawn on where blending makes the colour vary.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

RGB = tuple[float, float, float]  # sRGB, gamma-encoded, each in 0..1

TEXT_RATIO = 4.5  # WCAG 2.1 SC 1.4.3, normal-size text (AA)
GRAPHIC_RATIO = 3.0  # WCAG 2.1 SC 1.4.11, non-text contrast (AA)

# Linear-RGB matrices of Machado et al. (2009) at severity 1.0.
DICHROMATS: dict[str, tuple[RGB, RGB, RGB]] = {
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
}
# The same, tritanopia: no blue-yellow axis. Thin lines come close (small-field
# tritanopia): a mark a few pixels wide is too small for the S cones to tell its
# blue from its green or yellow as well as on a patch.
TRITANOPIA: tuple[RGB, RGB, RGB] = (
    (1.255528, -0.076749, -0.178779),
    (-0.078411, 0.930809, 0.147602),
    (0.004733, 0.691367, 0.303900),
)
SMALL_FIELD = "tritanopia"
MATRICES = {**DICHROMATS, SMALL_FIELD: TRITANOPIA}
D65_WHITE = (0.95047, 1.0, 1.08883)  # XYZ of the sRGB white point


def to_rgb(color: str | RGB) -> RGB:
    """A "#RRGGBB" string (or an RGB triple, returned as is) as RGB in 0..1."""
    if not isinstance(color, str):
        return color
    digits = color.removeprefix("#")
    if len(digits) != 6:
        raise ValueError(f"expected #RRGGBB, got {color!r}")
    red, green, blue = (int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return red, green, blue


def to_hex(color: RGB) -> str:
    """An RGB triple in 0..1 as "#RRGGBB"."""
    return "#" + "".join(f"{round(min(max(c, 0.0), 1.0) * 255):02X}" for c in color)


def linear(channel: float) -> float:
    """An sRGB channel in 0..1, gamma removed (the WCAG 2.1 formula)."""
    if channel <= 0.04045:
        return channel / 12.92
    return float(((channel + 0.055) / 1.055) ** 2.4)


def encoded(channel: float) -> float:
    """A linear channel in 0..1, gamma applied (the inverse of `linear`)."""
    channel = min(max(channel, 0.0), 1.0)
    if channel <= 0.0031308:
        return 12.92 * channel
    return float(1.055 * channel ** (1 / 2.4) - 0.055)


def relative_luminance(color: str | RGB) -> float:
    """WCAG 2.1 relative luminance: 0 for black, 1 for white."""
    red, green, blue = (linear(c) for c in to_rgb(color))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str | RGB, second: str | RGB) -> float:
    """WCAG 2.1 contrast ratio (L_light + 0.05) / (L_dark + 0.05), from 1 to 21."""
    lighter, darker = sorted(
        (relative_luminance(first), relative_luminance(second)), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


def over(color: str | RGB, background: str | RGB, opacity: float) -> RGB:
    """`color` drawn at `opacity` over an opaque `background`, blended as Cairo does."""
    if not 0.0 <= opacity <= 1.0:
        raise ValueError(f"opacity must lie in [0, 1], got {opacity}")
    front, back = to_rgb(color), to_rgb(background)
    red, green, blue = (
        opacity * f + (1.0 - opacity) * b for f, b in zip(front, back, strict=True)
    )
    return red, green, blue


def simulate(color: str | RGB, deficiency: str) -> RGB:
    """How `color` looks to a dichromat: "protanopia", "deuteranopia", "tritanopia"."""
    matrix = MATRICES[deficiency]
    channels = [linear(c) for c in to_rgb(color)]
    red, green, blue = (
        encoded(sum(m * c for m, c in zip(row, channels, strict=True)))
        for row in matrix
    )
    return red, green, blue


def lab(color: str | RGB) -> RGB:
    """CIELAB (L*, a*, b*) of an sRGB colour, D65 white."""
    red, green, blue = (linear(c) for c in to_rgb(color))
    xyz = (
        0.4124 * red + 0.3576 * green + 0.1805 * blue,
        0.2126 * red + 0.7152 * green + 0.0722 * blue,
        0.0193 * red + 0.1192 * green + 0.9505 * blue,
    )

    def f(t: float) -> float:
        return math.cbrt(t) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    fx, fy, fz = (f(v / w) for v, w in zip(xyz, D65_WHITE, strict=True))
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def color_distance(first: str | RGB, second: str | RGB) -> float:
    """CIE76 ΔE between two colours: about 2.3 is just noticeable, 20+ clearly apart."""
    return math.dist(lab(first), lab(second))


def pixel_luminance(pixels: npt.NDArray[np.uint8]) -> npt.NDArray[np.float64]:
    """WCAG 2.1 relative luminance of every pixel of an (..., 3) uint8 RGB array."""
    channels = pixels.astype(np.float64) / 255
    lin = np.where(
        channels <= 0.04045, channels / 12.92, ((channels + 0.055) / 1.055) ** 2.4
    )
    luminance: npt.NDArray[np.float64] = lin @ np.array([0.2126, 0.7152, 0.0722])
    return luminance


def pixel_contrast(
    first: npt.NDArray[np.uint8], second: npt.NDArray[np.uint8]
) -> npt.NDArray[np.float64]:
    """The WCAG 2.1 contrast ratio between two images of RGB pixels, pixel by pixel."""
    one, other = pixel_luminance(first), pixel_luminance(second)
    ratio: npt.NDArray[np.float64] = (np.maximum(one, other) + 0.05) / (
        np.minimum(one, other) + 0.05
    )
    return ratio
