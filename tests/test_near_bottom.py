"""The arrival within 1% of the lowest loss (surface_3d, fit_line, landscape): the
held moment shows it.

The step is no sight to see (the ball over the ×, a line that no longer moves), so the
note and the lit loss readout must appear exactly at the step the moment holds on,
with the numbers the screen shows; the loss plot, where there is one, rings the curve.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from manim import Circle, Dot, Text

from scenes.columns import column_decimals
from scenes.numbers import format_fixed
from scenes.panels.axes import TickLabels
from scenes.panels.near_bottom import arrival_words
from scenes.readout import Readout
from scenes.replay import ReplayScene
from scenes.stories import LineFitStory, SurfaceStory
from scenes.text import TextPath
from scenes.theme import DARK
from sgdcore.trace import Trace
from tests.conftest import CONTROL_DATA, PLANS
from tests.planned import plan_scene, planned_default, planned_on

pytestmark = pytest.mark.xdist_group(PLANS)

SCENES = ("surface_3d", "fit_line", "landscape")
WITH_LOSS_PLOT = ("fit_line", "landscape")


def shown_lines(scene: ReplayScene) -> list[str]:
    """The words of every one-path text the moving parts show now."""
    return [
        member.words
        for mobject in scene.movers[1:]
        for member in mobject.get_family()
        if isinstance(member, TextPath) and len(member.points)
    ]


def shown_texts(scene: ReplayScene) -> list[str]:
    """The words of every label drawn, still or moving."""
    return [
        str(member.original_text)
        for mobject in [*scene.statics, *scene.movers]
        for member in mobject.get_family()
        if isinstance(member, Text)
    ]


def loss_readout(scene: ReplayScene) -> Readout:
    """The readout of the loss."""
    (readout,) = (
        mobject
        for mobject in scene.movers
        if isinstance(mobject, Readout) and mobject.row == "loss"
    )
    return readout


def lit(readout: Readout) -> bool:
    """Whether the readout is drawn in the path's colour rather than in ink."""
    return readout.get_fill_color().to_hex().upper() == DARK.lr_good.upper()


def rings(scene: ReplayScene) -> list[Circle]:
    """The rings the moving parts show now."""
    return [
        member
        for mobject in scene.movers[1:]
        for member in mobject.get_family()
        if type(member) is Circle and len(member.points)
    ]


@pytest.mark.parametrize("name", SCENES)
def test_the_held_arrival_shows_the_note_and_lights_the_loss_from_its_step(
    name: str,
) -> None:
    scene = planned_default(name)
    assert isinstance(scene.story, LineFitStory) and scene.schedule is not None
    step = scene.story.arrival()
    assert step is not None
    held = [beat for beat in scene.schedule.beats if beat.name == "moment"]
    assert [(beat.start, beat.end) for beat in held] == [(step, step)]
    scene.move_to_step(step - 1)
    assert not lit(loss_readout(scene))
    assert not any("within" in line for line in shown_lines(scene))
    assert not rings(scene)
    scene.move_to_step(step)
    readout = loss_readout(scene)
    assert lit(readout)
    losses = np.asarray(scene.trace.full_loss, dtype=np.float64)
    lowest = format_fixed(scene.story.floor, column_decimals(losses))
    if name == "landscape":  # the numbers beside it: the readout, the floor's value
        assert shown_lines(scene) == [
            f"Step {step}:",
            "loss within 1%",
            "of the minimum.",
        ]
        ticks = [
            member.words
            for mobject in scene.statics
            for member in mobject.get_family()
            if isinstance(member, TickLabels)
        ]
        assert "minimum" in shown_texts(scene) and any(lowest in w for w in ticks)
    else:
        loss = f"loss {readout.shown.strip()}, within 1%"  # type: ignore[union-attr]
        # in fit_line the step and the loss share a line (three would crowd)
        head = (
            [f"Step {step}: {loss}"] if name == "fit_line" else [f"Step {step}:", loss]
        )
        assert shown_lines(scene) == [*head, f"of the minimum, {lowest}."]
    assert float(readout.shown) <= 1.01 * float(lowest)  # type: ignore[arg-type]
    # the verdict takes the note's place at the close; the loss stays lit
    scene.move_to_step(scene.trace.n_steps)
    assert lit(loss_readout(scene))
    assert not any("within" in line for line in shown_lines(scene))


@pytest.mark.parametrize("name", WITH_LOSS_PLOT)
def test_the_loss_curve_is_ringed_from_the_arrival_step_until_the_verdict(
    name: str,
) -> None:
    scene = planned_default(name)
    assert isinstance(scene.story, LineFitStory)
    step = scene.story.arrival()
    assert step is not None
    scene.move_to_step(step)
    (ring,) = rings(scene)
    head = [
        member
        for mobject in scene.movers[1:]
        for member in mobject.get_family()
        if isinstance(member, Dot) and len(member.points)
    ]
    # the curve's head is at the step's point: the ring is round it
    assert any(
        np.allclose(dot.get_center(), ring.get_center(), atol=1e-6) for dot in head
    )
    assert ring.get_stroke_color().to_hex().upper() == DARK.lr_good.upper()
    scene.move_to_step(scene.trace.n_steps - 1)
    assert len(rings(scene)) == 1
    # gone with the arrival note when the verdict comes: nothing then says what
    # it marks
    scene.move_to_step(scene.trace.n_steps)
    assert not rings(scene)


@pytest.mark.parametrize(
    ("name", "runs"),
    [
        ("fit_line", "user_data"),
        ("fit_line", "fit_line_diverged"),
        ("landscape", "user_data"),
        ("landscape", "landscape_diverged"),
    ],
)
def test_a_run_that_never_comes_within_1_percent_shows_no_sign_of_it(
    name: str, runs: str
) -> None:
    scene = planned_on(name, runs, "dark", 60)
    assert isinstance(scene.story, LineFitStory)
    assert scene.story.arrival() is None
    for step in range(scene.trace.n_steps + 1):
        scene.move_to_step(step)
        assert not lit(loss_readout(scene))
        assert not any("within" in line for line in shown_lines(scene))
        assert not rings(scene)


def test_a_run_short_of_1_percent_shows_no_note_and_no_lit_loss() -> None:
    trace = Trace.load(CONTROL_DATA / "surface_3d" / "surface_3d_final-run0.npz")
    scene = plan_scene("surface_3d", [trace])
    assert isinstance(scene.story, SurfaceStory)
    assert scene.story.arrival() is None
    for step in range(trace.n_steps + 1):
        scene.move_to_step(step)
        assert not lit(loss_readout(scene))
        assert not any("within" in line for line in shown_lines(scene))


def test_the_note_names_the_lowest_loss_only_where_it_reads_apart() -> None:
    def words(floor: float) -> str | None:
        trace = SimpleNamespace(full_loss=np.array([8.2318, 0.07532, 0.07461]))
        story = SimpleNamespace(
            trace=trace, floor=floor, arrival=lambda: 1, shown_loss=lambda k: "0.0753"
        )
        return arrival_words(story)  # type: ignore[arg-type]

    assert words(0.07461) == "Step 1:\nloss 0.0753, within 1%\nof the minimum, 0.0746."
    assert words(0.07528) == "Step 1:\nloss 0.0753, within 1%\nof the minimum."
