"""How the optimizers clip tells its finish: Adam's overshoot held where its loss has
climbed back, said with the losses read off its trace; every run named at its end on
the last frame, its leader stopping at its own dot; the minimum's cross in a colour
of its own, apart from the runs' dots that rest on it."""

from __future__ import annotations

import numpy as np
import pytest

from scenes.clock import StepClock
from scenes.optimizers import (
    CONTOUR_CORNER,
    CONTOUR_SIZE,
    CROSS_TONE,
    LEVEL_MARGIN,
    PLANE_HEADS,
    Optimizers,
    head_size,
)
from scenes.panels.legend import optimizer_name
from scenes.panels.parameter_plane import ParameterPlane
from scenes.panels.path_labels import Leaders, end_labels
from scenes.race_words import CLIMB
from scenes.start_view import start_view
from scenes.theme import DRAWN_OVER, PALETTES
from scenes.words import n
from tests.contrast import GRAPHIC_RATIO, contrast_ratio
from tests.planned import planned_default
from tests.test_panels import at_step

REACHED = 1e-6  # scene units: a leader ends on its dot's edge


def test_adams_overshoot_is_held_where_its_loss_has_climbed_back() -> None:
    scene = planned_default("optimizers")
    assert scene.schedule is not None
    beats = list(scene.schedule.beats)
    (beat,) = [b for b in beats if "overshoots" in b.caption]
    assert beat.name == "moment"
    assert beat.caption == "Adam overshoots."
    adam = next(t for t in scene.traces if t.meta["optimizer"] == "adam")
    loss, held = adam.full_loss, int(beat.start)
    low = int(np.argmin(loss[:held]))
    # held on the top of the climb, which stands CLIMB above the low before it
    assert loss[held] >= (1 + CLIMB) * loss[low]
    assert loss[held] == loss[low : held + 1].max()
    # before Adam arrives; the note gives the loss held on, the replay that leads
    # to it the low it climbed from (each sentence quotes its own steps' values)
    arrival = int(np.flatnonzero(loss <= 1.01 * loss.min())[0])
    assert held < arrival
    assert f"{n(loss[held])} by step {held}" in beat.sentence
    leading = beats[beats.index(beat) - 1]
    assert leading.moves and leading.end == held and leading.start <= low + 1
    assert f"fell to {n(loss[low])} at step {low}" in leading.sentence


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_every_run_is_named_at_its_end_on_the_last_frame(theme: str) -> None:
    scene = planned_default("optimizers")
    assert isinstance(scene, Optimizers)
    palette = PALETTES[theme]
    plane = ParameterPlane(palette, scene.traces, CONTOUR_CORNER, CONTOUR_SIZE)
    plane.level_margin = LEVEL_MARGIN
    plane.view = start_view(plane.view, [trace.params for trace in scene.traces])
    clock = StepClock(scene.traces)
    names = [optimizer_name(trace) for trace in scene.traces]
    radii = [head_size(PLANE_HEADS, k) for k in range(len(names))]
    shown = end_labels(plane, clock, names, scene.colors(), radii)
    at_step(clock, scene.traces[0].n_steps, shown)
    (group,) = shown.submobjects
    leaders, *texts = group.submobjects
    assert isinstance(leaders, Leaders)
    assert sorted(text.original_text for text in texts) == sorted(names)
    # each leader stops on the edge of its own run's dot, at the path's end
    box = plane.view.box(plane.view.x.shape[0] - 1)
    stops = leaders.points[3::4]
    for trace, radius, stop in zip(scene.traces, radii, stops, strict=True):
        end = box.to_points(trace.params[-1:, 0], trace.params[-1:, 1])[0]
        assert np.linalg.norm(stop - end) == pytest.approx(radius, abs=REACHED)


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_the_minimums_cross_reads_apart_from_the_dots_on_it(theme: str) -> None:
    palette = PALETTES[theme]
    cross = getattr(palette, CROSS_TONE)
    assert cross != palette.ink
    assert contrast_ratio(cross, palette.background) >= GRAPHIC_RATIO
    # each run's colour is checked against it as a mark drawn over it
    runs = {("fit", CROSS_TONE), ("lr_low", CROSS_TONE), ("accent", CROSS_TONE)}
    assert runs <= set(DRAWN_OVER)
