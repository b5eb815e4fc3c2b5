"""The panels a scene makes, recorded while it is built on its committed runs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

import pytest
from manim import tempconfig

from scenes.replay import ReplayScene
from scenes.theme import PALETTES
from sgd_anim.registry import SCENES
from sgdcore.trace import Trace
from tests.layout_snapshots import runs_of

T = TypeVar("T")


def panels_built(scene: str, kind: type[T], monkeypatch: pytest.MonkeyPatch) -> list[T]:
    """Every panel of `kind` the scene makes when built on its committed runs."""
    return planned_with_panels(scene, kind, monkeypatch)[1]


def planned_with_panels(
    scene: str,
    kind: type[T],
    monkeypatch: pytest.MonkeyPatch,
    traces: Sequence[Trace] | None = None,
) -> tuple[ReplayScene, list[T]]:
    """The scene built and planned, not played, on `traces` (its committed runs if
    None), and every panel of `kind` it made."""
    made: list[T] = []
    build = kind.__init__

    def record(panel: T, *args: object, **kwargs: object) -> None:
        build(panel, *args, **kwargs)
        made.append(panel)

    monkeypatch.setattr(kind, "__init__", record)
    spec = SCENES[scene]
    runs = runs_of(scene) if traces is None else traces
    with tempconfig({"disable_caching": True, "verbosity": "WARNING"}):
        built = spec.scene_class()(
            *runs, pace=spec.pace, palette=PALETTES["dark"], plan_only=True
        )
        built.construct()
    return built, made
