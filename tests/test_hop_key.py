"""The key to the parabola's marks shares the subtitle's row without touching it: a
learning rate written long makes the subtitle write it `lr`, then drop its
convergence note."""

from __future__ import annotations

import pytest
from manim import Mobject, VGroup

from scenes.panels.hop_key import KEY, TITLE_GAP
from scenes.replay import ReplayScene
from tests.conftest import PLANS, quadratic_trace
from tests.planned import plan_scene

pytestmark = pytest.mark.xdist_group(PLANS)


def parts(scene: ReplayScene) -> tuple[Mobject, VGroup | None]:
    """The scene's subtitle and its hop key (None if it shows none)."""
    title = next(m for m in scene.statics if isinstance(m, VGroup) and len(m) == 2)
    keys = [m for m in scene.statics if getattr(m, "role", "") == KEY]
    return title[1], (keys[0] if keys else None)


@pytest.mark.parametrize("rate", [0.02, 0.0123, 0.00123, 0.0001234, 0.0123, 0.45, 1.05])
def test_the_key_keeps_clear_of_the_subtitle(rate: float) -> None:
    scene = plan_scene("lr_too_low", [quadratic_trace(6, learning_rate=rate)])
    subtitle, key = parts(scene)
    assert key is not None, "the key was left out"
    gap = key.get_left()[0] - subtitle.get_right()[0]
    assert gap >= TITLE_GAP - 1e-9, (rate, gap)


def test_the_default_subtitle_keeps_its_convergence_note() -> None:
    scene = plan_scene("lr_too_low", [quadratic_trace(6, learning_rate=0.02)])
    subtitle, _ = parts(scene)
    assert "converges" in str(getattr(subtitle, "text", ""))


@pytest.mark.parametrize(
    ("rate", "written"),
    [(0.02, ",lr0.02,convergesforlr<1"), (0.0001234, ",learningrate0.0001234")],
)
def test_a_long_learning_rate_shortens_the_subtitle_not_the_key(
    rate: float, written: str
) -> None:
    scene = plan_scene("lr_too_low", [quadratic_trace(6, learning_rate=rate)])
    subtitle, key = parts(scene)
    assert key is not None
    assert str(getattr(subtitle, "text", "")).endswith(written)
