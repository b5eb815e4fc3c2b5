"""lr_compare's captions say what each run does in a beat, worked out from the runs:
how far the first steps take each one, and whether each still crawls, stays at the
minimum or swings farther out over the replay; a run alone's replay says by how much
each step shrinks."""

from __future__ import annotations

import textwrap

import pytest

from scenes.lr_compare_story import LrCompareStory
from scenes.numbers import format_lr
from scenes.stories import QuadraticStory
from scenes.words import CAPTION_LINE
from sgdcore.trace import Trace
from tests.conftest import quadratic_trace
from tests.planned import planned_default


def story_of(traces: list[Trace]) -> LrCompareStory:
    names = [f"lr {format_lr(trace.learning_rate)}" for trace in traces]
    stories = [QuadraticStory(trace, "") for trace in traces]
    return LrCompareStory(traces, names, stories, "")


def test_the_default_clip_says_what_each_run_does_in_its_first_step_and_replay() -> (
    None
):
    scene = planned_default("lr_compare")
    assert scene.schedule is not None
    captions = {beat.name: beat.caption for beat in scene.schedule.beats[::-1]}
    # w: 2 → 1.92 (4% of the way), 2 → 0.4 (80%), 2 → −2.4 (across w* = 0)
    assert captions["first steps"] == (
        "lr 0.02 barely moves, lr 0.4 gets most of the way, "
        "lr 1.1 jumps past the minimum."
    )
    # steps 3 to 12: ×0.96 a step; within 1% of the start's distance; |w| grows
    assert captions["replay"] == (
        "lr 0.02 still crawls, lr 0.4 stays at the minimum, lr 1.1 swings farther out."
    )


def test_other_runs_get_their_own_words() -> None:
    runs = [
        quadratic_trace(8, 0.2),  # ×0.6 a step
        quadratic_trace(8, 0.5),  # straight to w* = 0
        quadratic_trace(8, 0.9),  # ×(−0.8) a step: across and back, closing in
    ]
    story = story_of(runs)
    assert story_of(runs[:2]).caption("first steps", 0, 1) == (
        "lr 0.2 gets part of the way, lr 0.5 reaches the minimum."
    )
    assert story.caption("first steps", 0, 1) == (  # all three: over two lines
        "lr 0.2 gets part of the way while lr 0.9 jumps past the minimum."
    )
    assert story.caption("replay", 1, 3) == (
        "lr 0.2 closes in, lr 0.5 stays at the minimum, lr 0.9 zigzags in."
    )
    # only the moment's caption is new after the first beat of first steps
    assert story.caption("first steps", 1, 2) == ""


def test_a_caption_too_long_for_two_lines_names_the_first_and_last_runs() -> None:
    runs = [quadratic_trace(6, lr) for lr in (0.001234, 0.002345, 0.003456, 1.2)]
    caption = story_of(runs).caption("replay", 1, 6)
    assert caption == "lr 0.001234 still crawls while lr 1.2 swings farther out."
    assert len(textwrap.wrap(caption, CAPTION_LINE)) <= 2


def test_a_run_over_before_the_beat_says_it_has_stopped() -> None:
    runs = [quadratic_trace(3, 0.02), quadratic_trace(8, 0.02)]
    caption = story_of(runs).caption("replay", 4, 8)
    assert caption == "lr 0.02 has stopped, lr 0.02 still crawls."


def test_a_converging_replay_says_what_each_step_multiplies_w_by() -> None:
    # a view zoomed in on the run draws late steps as large as early ones: the
    # caption says the factor the readouts show, 1 − 2·c·lr, w's each step
    for lr, said in ((0.4, "0.2"), (0.45, "0.1"), (0.3, "0.4")):
        trace = quadratic_trace(10, lr)
        w = trace.params[:, 0]
        assert float(trace.meta["minimum"]) == 0  # type: ignore[arg-type]
        assert w[1:5] / w[:4] == pytest.approx(float(said))
        caption = QuadraticStory(trace, "").caption("replay", 3, 7)
        assert caption == f"Each step: w × {said}."


def test_a_crawling_replay_says_what_share_of_the_gap_each_step_leaves() -> None:
    trace = quadratic_trace(20, 0.02)  # 1 − 2 · 0.02 = 0.96
    w = trace.params[:, 0]
    assert w[1:] / w[:-1] == pytest.approx(0.96)
    caption = QuadraticStory(trace, "").caption("replay", 3, 20)
    assert caption == "Tiny steps: each leaves 0.96 of the gap."
