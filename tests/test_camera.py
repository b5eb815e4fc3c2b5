"""KeptPathCamera replays a readout's kept path: frames must match Manim's own camera."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from manim import LEFT, UP, Camera, Dot, Rectangle

from scenes.camera import KeptPath, KeptPathCamera, SurfaceCamera
from scenes.caption_band import CAPTION_BAND, PICTURE_TOP
from scenes.readout import Readout

# What happens to the readout before each frame: unchanged frames replay the kept path,
# the rest must trace anew.
Change = Callable[[Readout], object]
CHANGES: list[Change] = [
    lambda r: r.show("12.5"),
    lambda r: None,  # same string, same place: replayed
    lambda r: r.show("−0.031"),  # a new string
    lambda r: None,
    lambda r: r.shift(0.7 * LEFT + 0.3 * UP),  # moved
    lambda r: r.scale(1.5),  # same string, bigger
    lambda r: r.show("12.5"),  # an earlier string again, elsewhere now
]


def film(camera_class: type[Camera]) -> list[np.ndarray]:
    """The frames a camera draws of one readout (and a dot) through CHANGES."""
    camera = camera_class(pixel_width=320, pixel_height=180)
    readout = Readout(8, "#F0E442", "DejaVu Sans Mono", 48)
    dot = Dot(color="#56B4E9")
    frames = []
    for change in CHANGES:
        change(readout)
        camera.reset()
        camera.capture_mobjects([dot, readout])
        frames.append(camera.pixel_array.copy())
    return frames


def test_readout_frames_match_manims_camera() -> None:
    expected, actual = film(Camera), film(KeptPathCamera)
    assert len({frame.tobytes() for frame in expected}) == 5  # the changes do show
    for index, (want, got) in enumerate(zip(expected, actual, strict=True)):
        assert np.array_equal(want, got), f"frame {index} differs"


def test_unchanged_readout_is_not_traced_again(monkeypatch: pytest.MonkeyPatch) -> None:
    traced: list[str] = []
    original = Camera.set_cairo_context_path

    def counting(self: Camera, ctx: object, vmobject: object) -> object:
        if isinstance(vmobject, Readout):
            traced.append(str(vmobject.shown))
        return original(self, ctx, vmobject)

    monkeypatch.setattr(Camera, "set_cairo_context_path", counting)
    film(KeptPathCamera)
    # traced at the first frame and after each of the five real changes only
    assert traced == ["12.5", "−0.031", "−0.031", "−0.031", "12.5"]


def test_a_growing_trail_is_drawn_as_it_grows() -> None:
    # A KeptPath's default key (point count, first and last point) follows a trail that
    # only grows; each frame must equal Manim's own camera.
    hops = np.array([[-3.0 + k, (-1.0) ** k, 0.0] for k in range(6)])

    def film_trail(camera_class: type[Camera]) -> list[np.ndarray]:
        camera = camera_class(pixel_width=320, pixel_height=180)
        trail = KeptPath(stroke_color="#E69F00", stroke_width=6)
        frames = []
        for end in (2, 2, 3, 4, 4, 6):
            trail.set_points_as_corners(hops[:end])
            camera.reset()
            camera.capture_mobjects([trail])
            frames.append(camera.pixel_array.copy())
        return frames

    expected, actual = film_trail(Camera), film_trail(KeptPathCamera)
    assert len({frame.tobytes() for frame in expected}) == 4
    for index, (want, got) in enumerate(zip(expected, actual, strict=True)):
        assert np.array_equal(want, got), f"frame {index} differs"


@pytest.mark.parametrize("camera_class", [KeptPathCamera, SurfaceCamera])
def test_a_caption_band_keeps_the_frames_bottom_clear(
    camera_class: type[KeptPathCamera],
) -> None:
    """With a band, the whole frame is drawn 1 - band as large, centred across, at
    the top but for PICTURE_TOP of the band (so the picture's top margin is the
    frame's): a rectangle over the frame fills exactly that, the band stays background."""
    width, height = 1280, 720
    camera = camera_class(pixel_width=width, pixel_height=height)
    camera.band = CAPTION_BAND
    cover = Rectangle(
        width=camera.frame_width, height=camera.frame_height, stroke_width=0
    ).set_fill("#FFFFFF", 1.0)
    camera.capture_mobjects([cover])
    filled = camera.pixel_array[:, :, 0] > 128
    rows, columns = np.nonzero(filled)
    side = width * CAPTION_BAND / 2
    down = height * CAPTION_BAND * PICTURE_TOP  # 3.6 pixels
    assert rows.min() == pytest.approx(down, abs=0.6)
    assert rows.max() + 1 == pytest.approx(down + height * (1 - CAPTION_BAND), abs=0.6)
    assert columns.min() == pytest.approx(side, abs=1)
    assert columns.max() + 1 == pytest.approx(width - side, abs=1)
    inner = filled[round(down) + 1 : round(down + height * (1 - CAPTION_BAND)) - 1]
    assert inner[:, round(side) + 1 : round(width - side) - 1].all()
    camera.band = 0.0
    camera.reset()
    camera.capture_mobjects([cover])
    assert (camera.pixel_array[:, :, 0] > 128).all()  # no band: the frame is filled
