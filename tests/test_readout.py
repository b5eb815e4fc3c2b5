"""Readouts: glyphs from an atlas built once, the same at any video size, and digits
grouped by thin spaces half a cell wide."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from manim import tempconfig

from scenes.numbers import THIN
from scenes.readout import CHARSET, glyph_atlas
from scenes.text import readout
from scenes.theme import DARK


def test_the_glyph_atlas_is_the_same_at_any_video_size(tmp_path: Path) -> None:
    # Pango lays text out as wide as the video: a long line would wrap at 427 pixels
    atlases = []
    for width, height in ((427, 240), (1920, 1080)):
        glyph_atlas.cache_clear()
        media = tmp_path / str(width)  # no SVG made at one size is reused at another
        settings = {"pixel_width": width, "pixel_height": height, "media_dir": media}
        with tempconfig(settings):
            atlases.append(glyph_atlas(DARK.mono_font, DARK.body_size))
    glyph_atlas.cache_clear()
    small, large = atlases
    assert small.pitch == pytest.approx(large.pitch, rel=1e-6)
    for char in CHARSET:
        np.testing.assert_allclose(small.glyphs[char], large.glyphs[char], atol=1e-6)


def test_grouped_digits_are_set_with_half_a_cell_between_groups() -> None:
    number = readout(DARK, 11)
    right = number.get_right()[0]
    number.show(f"12{THIN}014{THIN}853")
    assert number.width == pytest.approx(
        9 * number.atlas.pitch, abs=0.5 * number.atlas.pitch
    )
    assert number.get_right()[0] == pytest.approx(right, abs=0.25 * number.atlas.pitch)
