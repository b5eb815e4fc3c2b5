"""What the optimizers scene says on its default runs: that momentum's rate at full
speed is gradient descent's (a fair race, worked out in the legend), what Adam's steps
are, read off its trace, that momentum starts slowest and speeds up, that the view
zooms in on the finish (said as it zooms, the zoom taking its time, its note shown
once zoomed), and a plain sentence for every run that arrives, the steps kept clear
of the losses;
that each arrow is the step its run takes, shown one by one at the start; and that
its three colours are checked to stay apart."""

from __future__ import annotations

import re
from itertools import combinations

import numpy as np
import pytest
from manim import Text

from scenes.clock import StepClock
from scenes.optimizers import (
    CONTOUR_CORNER,
    CONTOUR_SIZE,
    KEY_GAP,
    LOSS_CORNER,
    TONES,
    ZOOM_SECONDS,
    Optimizers,
    loss_size,
)
from scenes.panels.arrival_marks import arrival_marks
from scenes.panels.loss_plot import LossPlot
from scenes.panels.parameter_plane import ParameterPlane
from scenes.panels.step_arrows import step_arrows, steps_seen
from scenes.race_words import overtakes_caption
from scenes.schedule import FIRST_STEPS
from scenes.stories import RaceStory
from scenes.theme import DARK, TOLD_APART
from tests.planned import planned_default
from tests.test_panels import PLACE, at_step

EDGE = 1e-6  # scene units: aligned edges
SHOWN = 5e-4  # four significant digits, as a sentence writes a number


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
    # said as the update that zooms in starts, not before
    assert beat.start == zoom - 1 and beat.caption == "Closing in on the ×."
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
        "Adam overshoots.",
        "Adam is first within 1% of the minimum.",
        "Momentum 0.8 is next.",
        "Gradient descent is last.",
    ]


def test_the_title_says_the_rates_were_picked() -> None:
    scene = planned_default("optimizers")
    said: list[str] = []
    title = scene.title
    try:
        scene.title = lambda *words: said.extend(words)  # type: ignore[method-assign]
        scene.make_title()
    finally:
        scene.title = title  # type: ignore[method-assign]
    assert said[1] == "same start · learning rates picked by hand for this surface"


def momentum_run() -> tuple[float, float]:
    """The default momentum run's learning rate and β, from its trace's metadata."""
    traces = planned_default("optimizers").traces
    (run,) = [t for t in traces if t.meta["optimizer"] == "momentum"]
    return run.learning_rate, float(run.meta["momentum"])  # type: ignore[arg-type]


def test_the_legend_works_out_momentums_effective_rate_under_its_row() -> None:
    scene = planned_default("optimizers")
    assert isinstance(scene, Optimizers)
    plane = ParameterPlane(DARK, scene.traces, CONTOUR_CORNER, CONTOUR_SIZE)
    rows = scene.make_legend(plane)
    said = [[part.text for part in row if isinstance(part, Text)] for row in rows]
    lr, beta = momentum_run()
    assert (lr, beta) == (0.02, 0.8)
    worked = f"eff. lr {lr:g}/(1−{beta:g}) = {lr / (1 - beta):g}"
    assert said == [
        ["gradientdescent,lr0.1"],
        ["momentum0.8,lr0.02", worked.replace(" ", "")],
        ["Adamβ₁0.8,lr0.3"],
        ["least-squaresminimum"],
        ["eachrun'sstep,initscolor"],  # last: it goes while no step can be seen
    ]
    # at the legend's size, under its own row's words, above the next row: no entry
    # takes more than two lines
    words, gloss = rows[1][1], rows[1][2]
    assert gloss.height == pytest.approx(words.height, rel=0.2)
    assert gloss.get_left()[0] == pytest.approx(words.get_left()[0], abs=EDGE)
    assert words.get_bottom()[1] > gloss.get_top()[1] > rows[2].get_top()[1]


def test_the_arrows_key_shows_while_some_step_is_long_enough_to_see() -> None:
    # the first steps are long; by step 20 every step hides under its run's dot
    scene = planned_default("optimizers")
    assert isinstance(scene, Optimizers)
    plane = ParameterPlane(DARK, scene.traces, CONTOUR_CORNER, CONTOUR_SIZE)
    seen = steps_seen(plane, scene.traces)
    assert seen[0] and seen[3] and not seen[20] and not seen[-1]


def test_the_rates_beat_says_momentum_overtakes_as_its_losses_show() -> None:
    scene = planned_default("optimizers")
    schedule = scene.schedule
    assert schedule is not None
    (beat,) = [b for b in schedule.beats if b.start == FIRST_STEPS and b.moves]
    caption = "Momentum 0.8 catches up with gradient descent."
    assert beat.caption == caption
    # behind where the beat starts, ahead where it ends, on the losses shown
    gd, momentum = (
        next(t for t in scene.traces if t.meta["optimizer"] == name)
        for name in ("gd", "momentum")
    )
    start, end = int(beat.start), int(beat.end)
    assert momentum.full_loss[start] > gd.full_loss[start]
    assert momentum.full_loss[end] < gd.full_loss[end]
    # the worked rate is said in the beat's sentence
    told = re.search(r"(\S+) / \(1 − (\S+)\) = (\S+) times the gradient", beat.sentence)
    assert told is not None, beat.sentence
    lr, beta, steady = (float(value) for value in told.groups())
    assert (lr, beta) == momentum_run()
    assert steady == pytest.approx(lr / (1 - beta), rel=SHOWN)
    # the same as plain gradient descent's: a fair race
    assert "the same as gradient descent's 0.1" in beat.sentence
    assert steady == pytest.approx(0.1, rel=SHOWN)


def test_what_the_rates_beat_says_of_adams_steps_holds_on_its_trace() -> None:
    scene = planned_default("optimizers")
    assert scene.schedule is not None
    (beat,) = [b for b in scene.schedule.beats if b.start == FIRST_STEPS and b.moves]
    said = "Adam's first step is its lr, 0.3, in each coordinate, whatever the "
    assert f"{said}gradient's size; none after is longer." in beat.sentence
    (adam,) = [t for t in scene.traces if t.meta["optimizer"] == "adam"]
    moves = np.abs(np.diff(adam.params, axis=0))
    np.testing.assert_allclose(moves[0], adam.learning_rate, rtol=1e-3)
    assert moves.max() <= adam.learning_rate * (1 + 1e-3)


def test_the_zoom_note_shows_once_the_view_is_at_its_zoom() -> None:
    scene = planned_default("optimizers")
    assert isinstance(scene, Optimizers)
    plane = ParameterPlane(DARK, scene.traces, CONTOUR_CORNER, CONTOUR_SIZE)
    zoom = plane.zoom_step
    assert zoom is not None
    clock = StepClock(scene.traces)
    (note,) = scene.make_zoom_note(plane, clock)
    for step, shown in [(zoom - 1, False), (zoom - 0.05, False), (zoom, True)]:
        at_step(clock, step, note)
        assert bool(note.submobjects) == shown, step


def test_the_arrival_steps_keep_clear_of_the_runs_losses() -> None:
    scene = planned_default("optimizers")
    assert isinstance(scene, Optimizers)
    loss = LossPlot(DARK, scene.traces, LOSS_CORNER, loss_size(DARK))
    clock = StepClock(scene.traces)
    story = scene.make_story(None)
    colors = scene.colors()
    _, marks = arrival_marks(loss, clock, scene.traces, story.arrivals, colors)
    names = [str(trace.meta["optimizer"]) for trace in scene.traces]
    losses = scene.make_losses(clock, loss, names, colors)[1:]
    at_step(clock, scene.traces[0].n_steps, *marks, *losses)
    right = max(mark[0][2].get_right()[0] for mark in marks)
    left = min(number.get_left()[0] for number in losses)
    assert left - right >= KEY_GAP - EDGE


def test_the_first_steps_say_momentum_starts_slowest_and_speeds_up() -> None:
    scene = planned_default("optimizers")
    assert scene.schedule is not None
    (beat,) = [b for b in scene.schedule.beats if b.name == "first steps"]
    assert beat.caption == "Momentum 0.8 starts slowest and speeds up."
    end = int(beat.end)
    for trace in scene.traces:
        moves = np.diff(trace.params[: end + 1], axis=0)
        growing = np.all(np.diff(np.linalg.norm(moves, axis=1)) > 0)
        assert growing == (trace.meta["optimizer"] == "momentum")
    # and its loss, shown beside the plot, is the highest of the three there
    worst = max(scene.traces, key=lambda trace: trace.full_loss[end])
    assert worst.meta["optimizer"] == "momentum"


@pytest.mark.parametrize("first, second", list(combinations(TONES.values(), 2)))
def test_the_three_paths_colours_are_checked_to_stay_apart(
    first: str, second: str
) -> None:
    assert (first, second) in TOLD_APART or (second, first) in TOLD_APART


def test_each_arrow_is_the_step_its_run_takes_drawn_longest_first() -> None:
    traces = planned_default("optimizers").traces
    plane = ParameterPlane(DARK, traces, CONTOUR_CORNER, CONTOUR_SIZE)
    clock = StepClock(traces)
    colors = [DARK.fit, DARK.lr_low, DARK.accent]
    arrows = step_arrows(plane, clock, traces, colors)
    firsts = []
    for arrow in arrows:
        (k,) = [k for k, c in enumerate(colors) if arrow[1].fill_color.to_hex() == c]
        trace = traces[k]
        firsts.append(np.linalg.norm(trace.params[1] - trace.params[0]))
        for step in (0, 1, 3):
            at_step(clock, step, arrow)
            tail, tip = arrow[0].get_start(), arrow[1].points[0]
            box = plane.view.box(step)
            np.testing.assert_allclose(tail, box.c2p(*trace.params[step]), atol=PLACE)
            np.testing.assert_allclose(
                tip, box.c2p(*trace.params[step + 1]), atol=PLACE
            )
        # mid-step, from where the run's dot has got to: the dot never hides the head
        at_step(clock, 3.5, arrow)
        box, ahead = plane.view.box(3.5), (trace.params[3] + trace.params[4]) / 2
        np.testing.assert_allclose(arrow[0].get_start(), box.c2p(*ahead), atol=PLACE)
    assert firsts == sorted(firsts, reverse=True)
    # not −lr·∇L: Adam's first move is a third of it, momentum's steps grow
    (adam,) = [t for t in traces if t.meta["optimizer"] == "adam"]
    gradient_step = np.linalg.norm(adam.learning_rate * adam.grad[0])
    assert np.linalg.norm(adam.params[1] - adam.params[0]) < gradient_step / 2


def test_the_opening_hold_adds_one_arrow_per_part_in_drawing_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    scene = planned_default("optimizers")
    assert isinstance(scene, Optimizers) and scene.schedule is not None
    (opening,) = [b for b in scene.schedule.beats if b.name == "opening"]
    added: list[list[object]] = []
    waited: list[float] = []
    monkeypatch.setattr(scene, "wait", waited.append)
    monkeypatch.setattr(scene, "remove", lambda *mobjects: None)
    monkeypatch.setattr(scene, "add", lambda *mobjects: added.append(list(mobjects)))
    scene.play_beat(StepClock(scene.traces), opening)
    # the start alone, then each arrow over those before it; the movers back in order
    assert added[: len(scene.arrows) + 1] == [
        scene.arrows[:k] for k in range(len(scene.arrows) + 1)
    ]
    assert added[-1] == scene.movers
    assert sum(int(seconds * 60) for seconds in waited) == opening.frames


def test_the_overtaking_caption_is_said_only_once_the_losses_have_crossed() -> None:
    traces = planned_default("optimizers").traces
    names = [str(trace.meta["optimizer"]) for trace in traces]
    gd, momentum = (names.index(name) for name in ("gd", "momentum"))
    crossed = int(np.argmax(traces[momentum].full_loss < traces[gd].full_loss))
    assert crossed > FIRST_STEPS
    assert overtakes_caption(names, traces, FIRST_STEPS, crossed - 1) == ""
    said = "Momentum catches up with gd."
    assert overtakes_caption(names, traces, FIRST_STEPS, crossed) == said
    # whatever order the runs come in
    order = slice(None, None, -1)
    assert overtakes_caption(names[order], traces[order], FIRST_STEPS, crossed) == said


def test_the_closing_caption_ranks_the_runs_at_their_hand_picked_rates() -> None:
    # an order at rates picked by hand is that of those rates, and the caption says
    # so; the verdict on screen gives who was first and when
    schedule = planned_default("optimizers").schedule
    assert schedule is not None
    closing = schedule.beats[-1]
    assert closing.caption == "At these hand-picked rates, Adam is first."
    assert closing.sentence.startswith("Adam is first within 1% of the minimum loss")
