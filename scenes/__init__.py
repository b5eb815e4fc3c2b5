"""Manim scenes, one per module, each replaying a Trace.

This file imports nothing heavy, so `render.py --list` answers without loading manim;
`scene_class(name)` imports a scene's module only when it is rendered.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scenes.common import TraceScene


@dataclass(frozen=True)
class SceneEntry:
    """Where a scene lives and what it shows."""

    module: str
    class_name: str
    description: str


CATALOG: dict[str, SceneEntry] = {
    "fit_line": SceneEntry(
        "scenes.fit_line", "FitLine", "gradient descent fits a line to 100 noisy points"
    ),
    "lr_too_high": SceneEntry(
        "scenes.learning_rate", "LrTooHigh", "a learning rate above 1/c: every jump overshoots"
    ),
    "lr_too_low": SceneEntry(
        "scenes.learning_rate", "LrTooLow", "a tiny learning rate crawls towards the minimum"
    ),
    "lr_just_right": SceneEntry(
        "scenes.learning_rate", "LrJustRight", "a good learning rate: the minimum in a few steps"
    ),
    "lr_compare": SceneEntry(
        "scenes.lr_compare", "LrCompare", "too low, just right and too high, side by side"
    ),
    "minibatch": SceneEntry(
        "scenes.minibatch", "Minibatch", "stochastic gradient descent: a random mini-batch per step"
    ),
    "landscape": SceneEntry(
        "scenes.landscape", "Landscape", "the line, its path over the loss contours and the loss curve, in step"
    ),
    "surface_3d": SceneEntry(
        "scenes.surface_3d", "Surface3D", "the loss surface in 3-D, gradient descent rolling down it"
    ),
    "optimizers": SceneEntry(
        "scenes.optimizers", "Optimizers", "gradient descent, momentum and Adam on the same contours"
    ),
}


def scene_class(name: str) -> type[TraceScene]:
    """The scene class registered under `name`."""
    entry = CATALOG[name]
    scene: type[TraceScene] = getattr(importlib.import_module(entry.module), entry.class_name)
    return scene
