"""The panels a scene makes, recorded while it is built on its committed runs."""

from __future__ import annotations

from typing import TypeVar

import pytest
from manim import tempconfig

from scenes.theme import PALETTES
from sgd_anim.registry import SCENES
from tests.layout_snapshots import runs_of

T = TypeVar("T")


def panels_built(scene: str, kind: type[T], monkeypatch: pytest.MonkeyPatch) -> list[T]:
    """Every panel of `kind` the scene makes when built on its committed runs."""
    made: list[T] = []
    build = kind.__init__

    def record(panel: T, *args: object, **kwargs: object) -> None:
        build(panel, *args, **kwargs)
        made.append(panel)

    monkeypatch.setattr(kind, "__init__", record)
    spec = SCENES[scene]
    with tempconfig({"disable_caching": True, "verbosity": "WARNING"}):
        built = spec.scene_class()(
            *runs_of(scene), pace=spec.pace, palette=PALETTES["dark"], plan_only=True
        )
        built.construct()
    return made
