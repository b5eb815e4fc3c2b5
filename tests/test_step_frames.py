"""Which frame shows each step: the plan's frames against a model beat and against the
frames the renderer wrote, step by step."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

import sgd_anim
from scenes.beats import Beat, Schedule
from scenes.replay import ReplayScene
from sgd_anim.files.encoder import StreamingFileWriter
from sgd_anim.files.step_frames import REACHED, chapters, clock_values, step_frames


def test_a_moving_beat_reaches_each_step_at_its_planned_frame() -> None:
    beats = (
        Beat("opening", 0.0, 0.0, 3, "start"),
        Beat("first steps", 0.0, 2.0, 6, "go", step_times=(0.0, 0.5, 1.0)),
        Beat("closing", 2.0, 2.0, 4, "end"),
    )
    schedule = Schedule(beats, 10.0)
    values = clock_values(schedule)
    assert len(values) == schedule.frames == 13
    # frame i of the moving beat shows the clock at (i + 1) / 6 of its timing: step 1
    # (timed at 0.5) on frame 2 of the beat, step 2 on its last frame, 5
    assert step_frames(schedule) == [0, 3 + math.ceil(0.5 * 6) - 1, 3 + 5]
    assert [c.frame for c in chapters(schedule)] == [0, 3, 9]


@pytest.mark.slow
def test_step_frames_are_the_frames_the_renderer_wrote(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    written: list[float] = []
    scenes: list[ReplayScene] = []
    replay, write = ReplayScene.replay, StreamingFileWriter.write_frame

    def remember(self: ReplayScene, *args: Any, **kwargs: Any) -> None:
        scenes.append(self)
        replay(self, *args, **kwargs)

    def record(self: StreamingFileWriter, frame: Any, num_frames: int = 1) -> None:
        written.extend([scenes[-1].movers[0].get_value()] * num_frames)
        write(self, frame, num_frames)

    monkeypatch.setattr(ReplayScene, "replay", remember)
    monkeypatch.setattr(StreamingFileWriter, "write_frame", record)
    clip = sgd_anim.render(
        "lr_too_low", steps=6, quality="low", output=tmp_path / "a.mp4"
    )
    schedule = scenes[-1].schedule
    assert schedule is not None and len(written) == clip.frames == schedule.frames
    intro = schedule.beats[0].frames
    firsts = [
        next(
            i
            for i, v in enumerate(written)
            if i >= intro and math.floor(v + REACHED) >= k
        )
        for k in range(7)
    ]
    assert step_frames(schedule) == firsts
