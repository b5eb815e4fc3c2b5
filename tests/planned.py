"""Scenes planned on their committed runs, and what a clip should hold, from the
scene's own schedule (scenes/schedule.py)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sgd_anim.registry import SCENES
from sgdcore.trace import Trace, load_runs
from tests.conftest import CONTROL_DATA

if TYPE_CHECKING:
    from scenes.replay import ReplayScene
    from scenes.theme import Palette

PLANNED_FPS = 60


def plan_scene(
    name: str,
    traces: list[Trace],
    fps: int = PLANNED_FPS,
    pace: float | None = None,
    palette: Palette | None = None,
) -> ReplayScene:
    """Scene `name` on `traces`, its beats planned at `fps` (at `pace`, default the
    scene's; in `palette`, default the dark theme), nothing rendered."""
    from manim import tempconfig

    from scenes.theme import DARK

    spec = SCENES[name]
    settings = {"frame_rate": fps, "disable_caching": True, "verbosity": "WARNING"}
    with tempconfig(settings):
        scene = spec.scene_class()(
            *traces,
            pace=pace or spec.pace,
            palette=palette or DARK,
            plan_only=True,
        )
        scene.construct()
    assert scene.schedule is not None
    return scene


def planned_default(name: str, theme: str = "dark") -> ReplayScene:
    """The scene on its committed default runs in `theme`, planned at 60 fps."""
    return planned_on(name, "default", theme, PLANNED_FPS)


@cache
def planned_on(name: str, runs: str, theme: str, fps: int) -> ReplayScene:
    """The scene on its committed runs `<name>/<runs>-run*.npz` in `theme`, its
    beats planned at `fps`, nothing rendered. Planning is deterministic, so each is
    planned once a session and shared: tests read its schedule and story, or move
    it to a step (a move sets all it shows), and none changes it otherwise."""
    from scenes.theme import PALETTES

    paths = sorted((CONTROL_DATA / name).glob(f"{runs}-run*.npz"))
    assert paths, f"no committed runs {runs}-run*.npz for {name}"
    traces = [Trace.load(path) for path in paths]
    return plan_scene(name, traces, fps, palette=PALETTES[theme])


def planned_frames(scene: str, saved: Path, fps: int = 15) -> int:
    """The frames the scene's schedule gives the saved runs (scenes/schedule.py)."""
    schedule = plan_scene(scene, list(load_runs(saved)), fps).schedule
    assert schedule is not None
    return schedule.frames
