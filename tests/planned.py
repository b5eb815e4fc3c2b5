"""What a clip should hold, from the scene's own schedule (scenes/schedule.py)."""

from __future__ import annotations

from pathlib import Path


def planned_frames(scene: str, saved: Path, fps: int = 15) -> int:
    """The frames the scene's schedule gives the saved runs (scenes/schedule.py)."""
    from manim import tempconfig

    from sgd_anim.registry import SCENES
    from sgdcore.trace import load_runs

    spec = SCENES[scene]
    settings = {"frame_rate": fps, "disable_caching": True, "verbosity": "WARNING"}
    with tempconfig(settings):
        planned = spec.scene_class()(*load_runs(saved), pace=spec.pace, plan_only=True)
        planned.construct()
    assert planned.schedule is not None
    return planned.schedule.frames
