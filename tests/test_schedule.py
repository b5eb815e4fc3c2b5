"""The beats of a clip, planned without rendering: holds, slow first steps, time that
follows change, the fast-forward, the closing; and captions written from them."""

from __future__ import annotations

import itertools
import re

import numpy as np
import pytest

from scenes.motion import largest_motion
from scenes.schedule import (
    CLOSING_HOLD,
    CLOSING_MOST,
    FAST_FORWARD_SECONDS,
    HEADLINE_SECONDS,
    INVISIBLE,
    READING_SPEED,
    VERDICT_MARGIN,
    Moment,
    Schedule,
    plan,
    reading_seconds,
)
from sgd_anim.files.captions import LINE_CHARS, subrip, timestamp, webvtt

FPS = 60
FRAME = 1 / FPS


class Words:
    """A story that names each beat by its steps, with one moment at `moment`; its
    captions are `caption` (or the beat's name) and its headline `headline`."""

    def __init__(
        self,
        moment: int | None = None,
        headline: np.ndarray | None = None,
        caption: str | None = None,
        verdict: str = "verdict",
    ) -> None:
        self.moment, self.values, self.said = moment, headline, caption
        self.closing = verdict

    def caption(self, beat: str, start: int, end: int) -> str:
        return self.said if self.said is not None else beat

    def headline(self) -> np.ndarray:
        return np.zeros(2) if self.values is None else self.values

    def opening(self) -> str:
        return "start"

    def first_steps(self, end: int) -> str:
        return f"first to {end}"

    def replay(self, start: int, end: int) -> str:
        return f"replay {start}-{end}"

    def moments(self) -> list[Moment]:
        return (
            []
            if self.moment is None
            else [Moment(self.moment, f"moment {self.moment}", "held")]
        )

    def fast_forward(self, start: int, end: int) -> str:
        return f"fast {start}-{end}"

    def verdict(self) -> str:
        return self.closing


def decaying(n: int, first: float = 1.0, ratio: float = 0.9) -> np.ndarray:
    """Motion that shrinks geometrically, as gradient descent's does."""
    return first * ratio ** np.arange(n)


def step_durations(schedule: Schedule) -> dict[int, float]:
    """Seconds each update takes on screen, by update index."""
    seconds: dict[int, float] = {}
    for beat in schedule.beats:
        if beat.moves:
            total = beat.frames / schedule.fps
            for k, (a, b) in enumerate(
                zip(beat.step_times, beat.step_times[1:], strict=False)
            ):
                seconds[int(beat.start) + k] = (b - a) * total
    return seconds


def beats_named(schedule: Schedule, name: str) -> list:
    return [beat for beat in schedule.beats if beat.name == name]


def test_opening_shows_the_plots_quickly_then_holds_the_start() -> None:
    schedule = plan(decaying(40), Words(), pace=12.5, fps=FPS)
    intro, opening = schedule.beats[:2]
    assert (intro.name, opening.name) == ("intro", "opening")
    assert intro.frames / FPS <= 1.5 and opening.frames / FPS >= 1.5
    assert intro.start == intro.end == opening.end == 0.0


def test_first_three_updates_take_at_least_0_8_s_each() -> None:
    schedule = plan(decaying(40), Words(), pace=12.5, fps=FPS)
    durations = step_durations(schedule)
    assert all(durations[k] >= 0.8 - FRAME for k in range(3))
    assert beats_named(schedule, "first steps")[0].end == 3.0


def test_later_updates_speed_up_smoothly_but_never_past_the_pace() -> None:
    schedule = plan(decaying(60, ratio=0.97), Words(), pace=12.5, fps=FPS)
    durations = [step_durations(schedule)[k] for k in range(3, 60)]
    assert all(d >= 1 / 12.5 - FRAME for d in durations)
    assert all(
        later <= earlier + FRAME for earlier, later in itertools.pairwise(durations)
    )
    assert durations[-1] < durations[0] / 4


@pytest.mark.parametrize("pace", [1.25, 3.0, 12.5])
def test_pace_is_the_full_speed(pace: float) -> None:
    schedule = plan(np.full(30, 5.0), Words(), pace=pace, fps=FPS)
    assert min(step_durations(schedule).values()) >= 1 / pace - FRAME


def test_steps_that_move_nothing_are_fast_forwarded_in_a_second_and_said() -> None:
    motion = np.concatenate([decaying(20), np.full(80, INVISIBLE / 10)])
    schedule = plan(motion, Words(), pace=12.5, fps=FPS)
    (fast,) = beats_named(schedule, "fast forward")
    assert (fast.start, fast.end) == (20.0, 100.0)
    assert fast.frames / FPS <= FAST_FORWARD_SECONDS
    assert fast.sentence == "fast 20-100"


def test_a_telling_moment_is_held_at_least_a_second_at_its_step() -> None:
    schedule = plan(decaying(30), Words(moment=7), pace=12.5, fps=FPS)
    (moment,) = beats_named(schedule, "moment")
    assert moment.start == moment.end == 7.0 and moment.frames / FPS >= 1.0
    before = schedule.beats[schedule.beats.index(moment) - 1]
    assert before.moves and before.end == 7.0


def test_the_clip_closes_on_the_verdict_held_two_seconds() -> None:
    schedule = plan(decaying(30), Words(), pace=12.5, fps=FPS)
    closing = schedule.beats[-1]
    assert closing.name == "closing" and closing.sentence == "verdict"
    assert closing.start == 30.0 and closing.frames / FPS >= CLOSING_HOLD


@pytest.mark.parametrize("length", [10, 40, 120])
def test_the_closing_holds_long_enough_to_read_the_verdict_on_screen(
    length: int,
) -> None:
    verdict = "v" * length
    schedule = plan(decaying(30), Words(verdict=verdict), pace=12.5, fps=FPS)
    closing = schedule.beats[-1]
    # a long one no longer than CLOSING_MOST: the last frame stays once the clip ends
    reading = min(length / READING_SPEED + VERDICT_MARGIN, CLOSING_MOST)
    needed = max(CLOSING_HOLD, reading)
    assert closing.sentence == verdict
    assert needed - FRAME <= closing.frames / FPS <= needed + FRAME


def test_beats_cover_every_step_in_order_in_whole_frames() -> None:
    schedule = plan(decaying(50), Words(moment=10), pace=12.5, fps=FPS)
    moving = [beat for beat in schedule.beats if beat.moves]
    assert moving[0].start == 0.0 and moving[-1].end == 50.0
    assert all(a.end == b.start for a, b in itertools.pairwise(moving))
    assert schedule.frames == sum(beat.frames for beat in schedule.beats)
    assert all(
        beat.position(0.0) == 0.0 and beat.position(1.0) == 1.0 for beat in moving
    )


def test_slow_steps_keep_a_whole_first_epoch_at_about_a_step_a_second() -> None:
    schedule = plan(decaying(60), Words(moment=10), pace=6.0, fps=FPS, slow_steps=10)
    durations = step_durations(schedule)
    assert all(0.8 <= durations[k] <= 1.2 for k in range(10))
    assert durations[30] < 0.5


def test_largest_motion_is_the_farthest_any_point_moves() -> None:
    positions = [
        np.array([[0.0, 0, 0], [1, 1, 0]]),
        np.array([[3.0, 4, 0], [1, 1, 0]]),
        np.array([[3.0, 4, 0], [1, 1.5, 0]]),
    ]
    np.testing.assert_allclose(largest_motion(positions), [5.0, 0.5])
    assert (
        largest_motion([np.array([[0.0, 0, 0]]), np.array([[np.nan, 0, 0]])])[0]
        == np.inf
    )


def test_cues_follow_the_beats_and_merge_repeated_sentences() -> None:
    schedule = plan(decaying(30), Words(moment=7), pace=12.5, fps=FPS)
    cues = schedule.cues()
    # the opening's cue comes once the intro has shown the starting state
    intro, opening = schedule.beats[:2]
    assert cues[0][2] == "opening" and cues[0][0] == pytest.approx(intro.frames / FPS)
    assert cues[0][1] == pytest.approx((intro.frames + opening.frames) / FPS)
    assert all(a[1] == pytest.approx(b[0]) for a, b in itertools.pairwise(cues))
    assert cues[-1][1] == pytest.approx(schedule.seconds)


def test_webvtt_and_srt_carry_every_cue_with_increasing_times() -> None:
    cues = [
        (0.0, 2.5, "start"),
        (2.5, 61.25, "replay 0-3"),
        (61.25, 3725.004, "verdict"),
    ]
    vtt, srt = webvtt(cues), subrip(cues)
    assert vtt.startswith("WEBVTT\n\n1\n00:00:00.000 --> 00:00:02.500\nstart\n")
    assert "00:01:01.250 --> 01:02:05.004" in vtt
    assert "00:00:02,500 --> 00:01:01,250\nreplay 0-3" in srt
    spans = re.findall(r"(\d\d:\d\d:\d\d,\d{3}) --> (\d\d:\d\d:\d\d,\d{3})", srt)
    assert [start for start, _ in spans] == sorted(start for start, _ in spans)
    assert timestamp(3725.004, ",") == "01:02:05,004"


@pytest.mark.parametrize("length", [5, 30, 60])
def test_a_hold_lasts_as_long_as_its_caption_takes_to_read(length: int) -> None:
    caption = "x" * length
    schedule = plan(decaying(30), Words(moment=7, caption=caption), pace=12.5, fps=FPS)
    for beat in schedule.beats:
        if not beat.moves and beat.name != "intro":
            assert beat.frames / FPS >= reading_seconds(beat.caption) - FRAME
    for start, end, text in schedule.cues():
        assert end - start >= max(1.2, len(text) / READING_SPEED) - FRAME


def test_a_moving_beat_too_short_to_read_keeps_the_caption_before_it() -> None:
    # a long caption on a fast-forward of well under a second
    motion = np.concatenate([decaying(20), np.full(80, INVISIBLE / 10)])
    story = Words(caption="a caption far too long to read in under a second")
    schedule = plan(motion, story, pace=12.5, fps=FPS)
    (fast,) = beats_named(schedule, "fast forward")
    assert fast.caption == ""
    index = schedule.beats.index(fast)
    assert schedule.captions()[index] == schedule.captions()[index - 1]


def test_steps_that_change_the_headline_get_its_share_of_screen_time() -> None:
    # the headline falls by 80% of its change in update 10 alone, on no motion
    headline = np.concatenate([np.full(11, 10.0), np.full(20, 2.0)])
    headline[:10] = np.linspace(11.0, 10.0, 10)
    headline = np.concatenate([headline, [1.0]])
    schedule = plan(np.full(31, 0.01), Words(headline=headline), 12.5, FPS)
    durations = step_durations(schedule)
    share = 8.0 / 10.0  # update 10 changes it by 8 of its total 10
    assert durations[10] >= HEADLINE_SECONDS * share - FRAME
    assert schedule.time_at(11) - schedule.time_at(10) >= 3.2 - FRAME


def test_captions_are_written_on_at_most_two_lines_of_42() -> None:
    text = "Degree 1 underfits; degree 5 fits; degree 18 overfits."
    vtt = webvtt([(0.0, 4.0, text)])
    lines = vtt.split("\n\n")[1].splitlines()[2:]
    assert 1 < len(lines) <= 2
    assert all(len(line) <= LINE_CHARS for line in lines)
    assert " ".join(lines) == text


def test_a_led_in_moments_caption_starts_with_the_steps_that_lead_to_it() -> None:
    # a new drawing grows over update 6: its caption comes with it, not after it
    class LedIn(Words):
        def moments(self) -> list[Moment]:
            return [
                Moment(6, "moment 6", "a caption longer than one step", led_in=True)
            ]

    schedule = plan(decaying(20), LedIn(caption=""), pace=12.5, fps=FPS)
    moment = next(b for b in schedule.beats if b.name == "moment")
    index = schedule.beats.index(moment)
    lead = schedule.beats[index - 1]
    assert (lead.end, lead.caption) == (6.0, "a caption longer than one step")
    assert moment.caption == ""
    # the hold keeps it on screen until it is read, and at least a held moment's time
    start, end, _ = next(c for c in schedule.cues() if c[2] == lead.caption)
    assert start == pytest.approx(schedule.starts()[index - 1])
    assert end - start >= reading_seconds(lead.caption) - FRAME
    assert moment.frames / FPS >= 1.2 - FRAME
