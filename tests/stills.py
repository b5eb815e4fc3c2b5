"""Single frames without a video: the frame at any step of a scene, for golden tests.

The scene is planned (construct() with `plan_only`), its parts are put on screen as
they are at `step` and one frame is drawn; nothing is played or encoded. A step
between two recorded steps shows an update in progress, a view mid-zoom, say.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from scenes.replay import ReplayScene
from sgd_anim.files.export import still_config
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
    with still_config(width, height):
        scene = scene_class(*traces, plan_only=True, **scene_options)
        scene.setup()  # the background, as render() would
        scene.construct()
        scene.move_to_step(step)
        scene.add(*scene.statics, *scene.movers)
        scene.renderer.update_frame(scene)
        return np.array(scene.renderer.get_frame(), dtype=np.uint8)
