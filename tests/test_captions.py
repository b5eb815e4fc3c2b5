"""--captions: WebVTT and SubRip beside the video, cues timed to the beats to the frame,
each the beat's caption; refused where there is no video to caption."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import av
import numpy as np
import pytest
from manim import ManimColor

from scenes.caption_band import CAPTION_BAND
from scenes.schedule import INTRO_SECONDS, whole_frames
from scenes.theme import DARK
from tests.conftest import assert_usage_error, invoke

TIME = r"(\d\d):(\d\d):(\d\d)[.,](\d{3})"


def seconds(match: tuple[str, ...]) -> float:
    """hh, mm, ss, mmm as seconds."""
    hours, minutes, secs, millis = map(int, match)
    return hours * 3600 + minutes * 60 + secs + millis / 1000


def parse(text: str, separator: str) -> list[tuple[float, float, str]]:
    """Cues of a WebVTT (`.`) or SubRip (`,`) file: (start, end, text)."""
    blocks = [block for block in text.strip().split("\n\n") if "-->" in block]
    cues = []
    for block in blocks:
        number, span, *words = block.split("\n")
        assert number.isdigit()
        times = re.fullmatch(f"{TIME} --> {TIME}", span)
        assert times and separator in span, span
        cues.append(
            (seconds(times.groups()[:4]), seconds(times.groups()[4:]), "\n".join(words))
        )
    return cues


@pytest.mark.slow
def test_captions_are_the_beats_timed_to_the_video(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke(
        "--scene", "lr_just_right", "--quality", "low", "--captions", "-o", "clip.mp4"
    )
    assert result.exit_code == 0, result.output
    assert result.output.split()[-2:] == ["clip.vtt", "clip.srt"]
    with av.open("clip.mp4") as container:
        stream = container.streams.video[0]
        frames = [
            frame.to_ndarray(format="rgb24") for frame in container.decode(stream)
        ]
        rate = float(stream.average_rate)  # read while the file is open
    duration = len(frames) / rate
    # the picture sits above a band the player's captions cover: background only
    background = np.array(ManimColor(DARK.background).to_int_rgb())
    height = frames[0].shape[0]
    lowest = 0  # the lowest row anything is drawn on
    for frame in frames[:: len(frames) // 8]:
        drawn = (np.abs(frame.astype(int) - background) > 6).any(axis=(1, 2))
        lowest = max(lowest, int(np.nonzero(drawn)[0].max()))
    assert height * (1 - CAPTION_BAND - 0.08) < lowest < height * (1 - CAPTION_BAND)
    vtt, srt = Path("clip.vtt").read_text(), Path("clip.srt").read_text()
    assert vtt.startswith("WEBVTT\n\n")
    cues = parse(vtt, ".")
    assert cues == parse(srt, ",")
    # the first caption comes with the starting state, once the title's intro is over
    intro = whole_frames(INTRO_SECONDS, rate)
    assert cues[0][0] == pytest.approx(intro / rate, abs=1e-3)
    assert abs(cues[-1][1] - duration) < 1e-3
    assert all(start < end for start, end, _ in cues)
    assert all(
        a[1] == pytest.approx(b[0], abs=1e-3) for a, b in itertools.pairwise(cues)
    )
    assert all(text.strip() for _, _, text in cues)
    # captions for students; the numbers are the speaker notes'
    assert cues[0][2] == "w starts away from the minimum."
    assert cues[-1][2] == "The rate is right: w closes in fast."
    assert all(len(line) <= 42 for _, _, text in cues for line in text.split("\n"))


def test_captions_of_a_png_exit_2() -> None:
    result = invoke("--scene", "fit_line", "--format", "png", "--captions")
    assert_usage_error(result, "--captions", "video")


def test_captions_in_a_deck_exit_2_decks_carry_them_already() -> None:
    result = invoke("--scene", "fit_line", "--slides", "--captions")
    assert_usage_error(result, "--captions", "does not apply")


def test_a_two_line_caption_breaks_evenly_never_mid_word() -> None:
    from sgd_anim.files.captions import LINE_CHARS, lines

    said = "lr 1.1: it overshoots, landing farther out."  # one word past 42
    assert lines(said) == "lr 1.1: it overshoots,\nlanding farther out."
    assert lines("Short one.") == "Short one."
    long_word = "a" * 30 + " " + "b" * 10 + " c"
    assert lines(long_word).split("\n") == ["a" * 30, "b" * 10 + " c"]
    assert all(len(line) <= LINE_CHARS for line in lines(said * 2).split("\n"))
    # a number stays with its word, a clause ends a line, no line ends on "w"
    assert lines("The model kept from step 7 is the better one.").split("\n") == [
        "The model kept from step 7",
        "is the better one.",
    ]
    assert lines("Degree 1 underfits; degree 5 fits; degree 18 overfits.").startswith(
        "Degree 1 underfits;\n"
    )
    assert lines("The rate is right: w closes in fast and holds.").startswith(
        "The rate is right:\n"
    )
    # a noun's phrase and a verb with its particle stay on one line
    assert "the better one" in lines("Step 7's model is the better one on validation.")
    assert lines("Momentum 0.8 catches up with gradient descent.").split("\n") == [
        "Momentum 0.8 catches up",
        "with gradient descent.",
    ]
