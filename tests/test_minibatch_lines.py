"""minibatch's two lines where they agree: both read, in both themes.

At the end of the committed run the mini-batch line and plain gradient descent's
lie on one another. Measured on a 1080p frame, across the model's line: its coloured
rims run the whole way (the model reads whole), and the full-batch line's dashes
run down its middle, each in the background's colour, not the model's, so a dash
keeps 3:1 against what is around it.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest
from manim import config

from scenes.minibatch import GHOST_SLEEVE, GHOST_WIDTH, MODEL_WIDTH, Minibatch
from scenes.theme import PALETTES
from sgd_anim.files.export import still_config
from sgd_anim.registry import SCENES
from tests.contrast import contrast_ratio
from tests.layout_snapshots import LINE_WIDTH, runs_of

PIXELS = (1920, 1080)


def hex_rgb(colour: str) -> npt.NDArray[np.float64]:
    """A "#RRGGBB" colour as three numbers from 0 to 255."""
    return np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)], dtype=np.float64)


def rgb_hex(pixel: npt.NDArray[np.float64]) -> str:
    """A pixel's colour as "#RRGGBB"."""
    return "#" + "".join(f"{round(float(v)):02X}" for v in pixel[:3])


def final_frame(theme: str) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.float64]]:
    """The last frame, RGBA, and the model line's two ends in pixels."""
    spec = SCENES["minibatch"]
    with still_config(*PIXELS):
        scene = Minibatch(
            *runs_of("minibatch"),
            pace=spec.pace,
            palette=PALETTES[theme],
            plan_only=True,
        )
        scene.setup()
        scene.construct()
        scene.move_to_step(float(scene.trace.n_steps))
        scene.add(*scene.statics, *scene.movers)
        scene.renderer.update_frame(scene)
        frame = np.array(scene.renderer.get_frame(), dtype=np.uint8)
        [line] = scene.watched
        ends = np.array([line.points[0], line.points[-1]])[:, :2]
        per_unit = PIXELS[0] / config.frame_width
        pixels = np.stack(
            [
                (ends[:, 0] + config.frame_width / 2) * per_unit,
                (config.frame_height / 2 - ends[:, 1]) * per_unit,
            ],
            axis=1,
        )
    return frame, pixels


def across(
    frame: npt.NDArray[np.uint8], ends: npt.NDArray[np.float64], offset: float
) -> npt.NDArray[np.float64]:
    """The pixels along the line `offset` pixels to its side, its ends' tenths left out."""
    start, end = ends
    along = (end - start) / np.linalg.norm(end - start)
    normal = np.array([-along[1], along[0]])
    t = np.linspace(0.1, 0.9, 600)[:, None]
    spots = start + t * (end - start) + offset * normal
    rows, cols = np.round(spots[:, 1]).astype(int), np.round(spots[:, 0]).astype(int)
    return frame[rows, cols, :3].astype(np.float64)


def near(pixels: npt.NDArray[np.float64], colour: str) -> npt.NDArray[np.bool_]:
    """Which pixels are `colour`, within anti-aliasing."""
    return np.abs(pixels - hex_rgb(colour)).max(axis=1) < 40


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_where_the_two_lines_agree_both_read(theme: str) -> None:
    palette = PALETTES[theme]
    traces = runs_of("minibatch")
    assert np.allclose(traces[0].params[-1], traces[1].params[-1], atol=0.05)
    frame, ends = final_frame(theme)
    per_width = LINE_WIDTH * PIXELS[0] / config.frame_width  # pixels per stroke unit
    # the model's rims, between the sleeve's edge and its own: coloured all along
    rim = (GHOST_SLEEVE + MODEL_WIDTH) / 4 * per_width
    for side in (-rim, rim):
        assert near(across(frame, ends, side), palette.fit).mean() > 0.9
    # down the middle: the full-batch line's dashes, a good share of the way
    middle = across(frame, ends, 0.0)
    dashes = near(middle, palette.ink)
    assert 0.2 < dashes.mean() < 0.75
    # beside a dash, inside the sleeve: the background, which the dash stands out on
    beside = (GHOST_WIDTH + GHOST_SLEEVE) / 4 * per_width
    for side in (-beside, beside):
        around = across(frame, ends, side)[dashes]
        assert near(around, palette.background).mean() > 0.8
        ratios = np.array([contrast_ratio(palette.ink, rgb_hex(p)) for p in around])
        assert (ratios >= 3.0).mean() > 0.9, np.sort(ratios)[:10]
