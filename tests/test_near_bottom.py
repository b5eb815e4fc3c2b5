"""surface_3d's arrival within 1% of the lowest loss: the held moment shows it.

On the bowl the step is no sight to see, so the note and the lit loss readout must
appear exactly at the step the moment holds on, with the numbers the screen shows.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from scenes.columns import column_decimals
from scenes.numbers import format_fixed
from scenes.panels.near_bottom import arrival_words
from scenes.readout import Readout
from scenes.replay import ReplayScene
from scenes.stories import SurfaceStory
from scenes.text import TextPath
from scenes.theme import DARK
from sgdcore.trace import Trace
from tests.conftest import CONTROL_DATA
from tests.planned import plan_scene, planned_default


def shown_lines(scene: ReplayScene) -> list[str]:
    """The words of every one-path text the moving parts show now."""
    return [
        member.words
        for mobject in scene.movers[1:]
        for member in mobject.get_family()
        if isinstance(member, TextPath) and len(member.points)
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
    return readout.get_fill_color().to_hex().upper() == DARK.fit.upper()


def test_the_held_arrival_shows_the_note_and_lights_the_loss_from_its_step() -> None:
    scene = planned_default("surface_3d")
    assert isinstance(scene.story, SurfaceStory) and scene.schedule is not None
    step = scene.story.arrival()
    assert step is not None
    held = [beat for beat in scene.schedule.beats if beat.name == "moment"]
    assert [(beat.start, beat.end) for beat in held] == [(step, step)]
    scene.move_to_step(step - 1)
    assert not lit(loss_readout(scene))
    assert not any("within" in line for line in shown_lines(scene))
    scene.move_to_step(step)
    readout = loss_readout(scene)
    assert lit(readout)
    losses = np.asarray(scene.trace.full_loss, dtype=np.float64)
    lowest = format_fixed(scene.story.floor, column_decimals(losses))
    assert shown_lines(scene) == [
        f"Step {step}:",
        f"loss {readout.shown.strip()}, within 1%",  # type: ignore[union-attr]
        f"of the lowest loss, {lowest}.",
    ]
    assert float(readout.shown) <= 1.01 * float(lowest)  # type: ignore[arg-type]
    # the verdict takes the note's place at the close; the loss stays lit
    scene.move_to_step(scene.trace.n_steps)
    assert lit(loss_readout(scene))
    assert not any("within" in line for line in shown_lines(scene))


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

    assert (
        words(0.07461) == "Step 1:\nloss 0.0753, within 1%\nof the lowest loss, 0.0746."
    )
    assert words(0.07528) == "Step 1:\nloss 0.0753, within 1%\nof the lowest loss."
