"""The player's panel: the numbers a scene's own readouts show at each step."""

from __future__ import annotations

from decimal import Decimal

from manim import tempconfig

from scenes.theme import DARK
from sgd_anim.files.shown_steps import shown_columns
from sgd_anim.registry import SCENES
from sgdcore.config import RunOptions


def within_last_digit(text: str, value: float) -> bool:
    """Whether a shown number is `value` to half a unit of its last digit (and a bit)."""
    number = Decimal(text.replace("−", "-").replace("\u2009", ""))
    unit = Decimal(1).scaleb(number.as_tuple().exponent)  # type: ignore[arg-type]
    return abs(number - Decimal(value)) <= unit


def test_the_panel_shows_the_clips_readouts_step_by_step() -> None:
    spec = SCENES["fit_line"]
    (trace,) = spec.train(RunOptions(n_steps=3))
    with tempconfig({"disable_caching": True, "verbosity": "WARNING"}):
        scene = spec.scene_class()(trace, pace=spec.pace, palette=DARK, plan_only=True)
        scene.construct()
        columns = shown_columns(scene)
    counter, updates = columns
    names = [row.name for row in counter.rows]
    assert names[:2] == ["step", "loss"] and [row.name for row in updates.rows] == [
        "update",
        "",
    ]
    loss = counter.rows[1].texts
    assert all(within_last_digit(loss[k], float(trace.loss[k])) for k in range(4))
    # each worked update starts from the parameter the column shows at that step,
    # to as many more digits as make its result the next step's readout
    slope = counter.rows[names.index("slope a₁")].texts
    for k in range(3):
        start = updates.rows[0].texts[k].split(" ")[1]
        assert start.startswith(slope[k][:-1]) and len(start) >= len(slope[k])
        assert updates.rows[0].texts[k].endswith(f" {slope[k + 1]}")
