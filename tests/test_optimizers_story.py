"""What the optimizers scene says on its default runs: why the learning rates differ,
that the view zooms in on the finish (and the zoom takes its time), and a sentence
for every run that arrives."""

from __future__ import annotations

import numpy as np

from scenes.optimizers import CONTOUR_CORNER, CONTOUR_SIZE, ZOOM_SECONDS
from scenes.panels.parameter_plane import ParameterPlane
from scenes.stories import RaceStory
from scenes.theme import DARK
from tests.planned import planned_default


def test_the_zoom_in_is_announced_on_its_beat_and_played_slowly() -> None:
    scene = planned_default("optimizers")
    story, schedule = scene.story, scene.schedule
    assert isinstance(story, RaceStory) and schedule is not None
    zoom = story.zoom_step
    assert zoom is not None
    # the step at which the plane's view has narrowed, 4× at once
    plane = ParameterPlane(DARK, story.traces, CONTOUR_CORNER, CONTOUR_SIZE)
    widths = plane.view.x[:, 1] - plane.view.x[:, 0]
    assert plane.zoom_step == zoom
    assert widths[zoom] < widths[zoom - 1] == widths[0]
    (beat,) = [b for b in schedule.beats if b.moves and b.start < zoom <= b.end]
    assert beat.caption == "Zooming in closer."
    # the update that zooms in gets ZOOM_SECONDS at least: nothing jumps
    times = np.array(beat.step_times) * beat.frames / schedule.fps
    k = zoom - 1 - int(beat.start)
    assert times[k + 1] - times[k] >= ZOOM_SECONDS - 1 / schedule.fps
    assert f"At step {zoom} the view zooms in" in beat.sentence


def test_every_arrival_caption_is_a_sentence_with_its_place() -> None:
    schedule = planned_default("optimizers").schedule
    assert schedule is not None
    held = [beat.caption for beat in schedule.beats if beat.name == "moment"]
    assert held == [
        "Momentum 0.7 arrives first.",
        "Adam arrives next.",
        "Gradient descent arrives last.",
    ]


def test_the_title_and_a_caption_say_the_rates_were_picked_per_optimiser() -> None:
    scene = planned_default("optimizers")
    said: list[str] = []
    title = scene.title
    try:
        scene.title = lambda *words: said.extend(words)  # type: ignore[method-assign]
        scene.make_title()
    finally:
        scene.title = title  # type: ignore[method-assign]
    assert said[1] == "same start · learning rates picked by hand for this surface"
    assert scene.schedule is not None
    assert "Each optimiser's rate was picked by hand." in scene.schedule.captions()
