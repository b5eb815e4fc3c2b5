"""Single frames without a video: the frame at any step of a scene, for golden tests.

The scene is planned (construct() with `plan_only`), its parts are put on screen as
they are at `step` and one frame is drawn; nothing is played or encoded. A step
between two recorded steps shows an update in progress, a view mid-zoom, say.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from manim import ValueTracker, tempconfig

from scenes.replay import ReplayScene
from sgdcore.trace import Trace


def render_frame_at(
    scene_class: type[ReplayScene],
    traces: list[Trace],
    width: int,
    height: int,
    step: float,
    **scene_options: Any,
) -> npt.NDArray[np.uint8]:
    """The scene's frame with its clock at `step`, RGBA uint8, shape (height, width, 4)."""
    work = Path(tempfile.mkdtemp(prefix="sgd-frame-"))
    settings = {
        "pixel_width": width,
        "pixel_height": height,
        "media_dir": str(work),
        "disable_caching": True,
        "verbosity": "WARNING",
        "progress_bar": "none",
        "write_to_movie": False,
    }
    try:
        with tempconfig(settings):
            scene = scene_class(*traces, plan_only=True, **scene_options)
            scene.setup()  # the background, as render() would
            scene.construct()
            tracker = next(m for m in scene.movers if isinstance(m, ValueTracker))
            tracker.set_value(step)
            for mobject in scene.movers:
                mobject.update()
            scene.add(*scene.statics, *scene.movers)
            scene.renderer.update_frame(scene)
            return np.array(scene.renderer.get_frame(), dtype=np.uint8)
    finally:
        shutil.rmtree(work, ignore_errors=True)
