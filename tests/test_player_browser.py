"""The lecture player: one HTML file that steps through the run, tested in a real browser.

The player's frames are checked against the frames the renderer wrote; its page is
opened from disk in headless Chromium with the network off (tests/browser.py) and
driven as a lecturer would: seek to a step, switch run, jump to a beat, press keys.
What it shows is checked against the mp4 inside it (pixels), the trace (numbers) and
the beat plan (frames, captions).
"""

from __future__ import annotations

import base64
import io
import json
import re
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
from PIL import Image

import sgd_anim
from sgd_anim.registry import SCENES
from sgdcore.config import RunOptions
from tests.browser import Browser, chromium
from tests.test_shown_steps import within_last_digit

SCENE = "lr_too_high"
STEPS = 4
RATES = (0.4, 1.1)
PIXEL_TOLERANCE = 4.0  # mean per channel: Chromium's YUV to RGB is not FFmpeg's
needs_chromium = pytest.mark.skipif(
    chromium() is None,
    reason="no chromium on PATH: apt-get install chromium (./scripts/setup does)",
)


def page_data(html: Path) -> dict[str, Any]:
    """The player's JSON value."""
    text = html.read_text(encoding="utf-8")
    found = re.search(
        r'<script type="application/json" id="player-data">(.*?)</script>', text, re.S
    )
    assert found is not None
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def mp4_frames(data: dict[str, Any], run: int, folder: Path) -> list[np.ndarray]:
    """Every frame of run `run`'s clip, decoded by FFmpeg, as RGB."""
    path = folder / f"run{run}.mp4"
    path.write_bytes(base64.b64decode(data["runs"][run]["video"]))
    with av.open(str(path)) as container:
        return [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]


def shown_pixels(state: dict[str, Any]) -> np.ndarray:
    """The video frame the page drew into its probe, as RGB."""
    png = base64.b64decode(state["pixels"].split(",", 1)[1])
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A two-run player of lr_too_high (lr 0.4 and 1.1), rendered in parallel."""
    html = tmp_path_factory.mktemp("player") / "lr.html"
    clip = sgd_anim.render(
        SCENE,
        fmt="html",
        vary={"lr": list(RATES)},
        steps=STEPS,
        quality="low",
        jobs=2,
        output=html,
    )
    assert clip.path == html and clip.fmt == "html"
    return html


@pytest.fixture(scope="module")
def browser() -> Any:
    """One headless Chromium, offline, for the module."""
    if chromium() is None:
        pytest.skip(
            "no chromium on PATH: apt-get install chromium (./scripts/setup does)"
        )
    with Browser(1280, 720) as opened:
        yield opened


def probe(browser: Browser, html: Path, fragment: str) -> dict[str, Any]:
    """Open the player at `fragment` and read what it shows."""
    browser.open("about:blank", "true")
    browser.open(
        f"{html.as_uri()}#{fragment}&probe", "document.getElementById('probe')"
    )
    state: dict[str, Any] = json.loads(
        browser.evaluate("document.getElementById('probe').textContent")
    )
    return state


def assert_shows_frame(
    state: dict[str, Any], frames: list[np.ndarray], frame: int
) -> None:
    """The page shows exactly `frame` of the mp4: closer to it than to its neighbours."""
    shown = shown_pixels(state).astype(np.int16)
    difference = {
        k: float(np.abs(frames[k].astype(np.int16) - shown).mean())
        for k in range(max(frame - 1, 0), min(frame + 2, len(frames)))
    }
    assert difference[frame] < PIXEL_TOLERANCE, difference
    for other, value in difference.items():
        if other != frame and not np.array_equal(frames[other], frames[frame]):
            assert value > difference[frame], difference


def rows(state: dict[str, Any]) -> dict[str, str]:
    """The numbers panel, name to text."""
    return {name: text for name, text in state["rows"]}


@pytest.mark.slow
@needs_chromium
def test_the_page_is_one_file_that_loads_offline(two_runs: Path) -> None:
    text = two_runs.read_text(encoding="utf-8")
    assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", text)
    assert "default-src 'none'" in text
    data = page_data(two_runs)
    assert [run["label"] for run in data["runs"]] == ["0.4", "1.1"]
    assert (data["width"], data["height"], data["fps"]) == (854, 480, 15.0)


@pytest.mark.slow
@needs_chromium
@pytest.mark.parametrize("step", [0, 1, 3, STEPS])
def test_seeking_a_step_shows_its_planned_frame_and_the_traces_numbers(
    two_runs: Path, browser: Browser, step: int, tmp_path: Path
) -> None:
    data = page_data(two_runs)
    state = probe(browser, two_runs, f"step={step}")
    planned = data["runs"][0]["stepFrames"][step]
    assert (state["run"], state["step"], state["frame"]) == (0, step, planned)
    assert_shows_frame(state, mp4_frames(data, 0, tmp_path), planned)
    (trace,) = SCENES[SCENE].train(RunOptions(learning_rate=RATES[0], n_steps=STEPS))
    shown = rows(state)
    assert shown["step"] == f"{step} / {STEPS}"
    assert within_last_digit(shown["w"], float(trace.params[step, 0]))
    assert within_last_digit(shown["loss f(w)"], float(trace.loss[step]))
    assert within_last_digit(shown["gradient f′(w)"], float(trace.grad[step, 0]))
    assert shown["update"].startswith(f"= {shown['w']} − 0.4 × ") or step == STEPS


@pytest.mark.slow
@needs_chromium
def test_the_run_slider_switches_run_and_keeps_the_step(
    two_runs: Path, browser: Browser, tmp_path: Path
) -> None:
    data = page_data(two_runs)
    probe(browser, two_runs, "step=3")
    browser.evaluate(
        "const run = document.getElementById('run');"
        " run.value = '1'; run.dispatchEvent(new Event('input'));"
    )
    # the switch is done when run 1's video shows, settled, and its name is written
    browser.wait_for(
        "document.getElementById('run-shown').textContent === '1.1'"
        " && !document.getElementById('video-1').hidden"
        " && !document.getElementById('video-1').seeking"
    )
    browser.evaluate("probe()")
    state = json.loads(browser.evaluate("document.getElementById('probe').textContent"))
    planned = data["runs"][1]["stepFrames"][3]
    assert (state["run"], state["step"], state["frame"]) == (1, 3, planned)
    assert_shows_frame(state, mp4_frames(data, 1, tmp_path), planned)
    (trace,) = SCENES[SCENE].train(RunOptions(learning_rate=RATES[1], n_steps=STEPS))
    assert within_last_digit(rows(state)["w"], float(trace.params[3, 0]))


@pytest.mark.slow
@needs_chromium
def test_the_captions_track_has_the_plans_cues_and_beats_land_on_their_frames(
    two_runs: Path, browser: Browser
) -> None:
    data = page_data(two_runs)
    run = data["runs"][0]
    state = probe(browser, two_runs, "beat=2")
    assert state["cues"] == [len(run["cues"])] and run["cues"]
    assert state["captionMode"] == ["hidden"]  # drawn on a line under the video
    shown = (run["chapters"][2]["frame"] + 0.5) / data["fps"]
    (cue,) = [text for start, end, text in run["cues"] if start <= shown < end]
    assert state["captionLine"] == cue
    assert state["frame"] == run["chapters"][2]["frame"]
    assert state["beat"] == 2


@pytest.mark.slow
@needs_chromium
def test_every_control_is_labelled_and_reached_by_the_keyboard(
    two_runs: Path, browser: Browser
) -> None:
    probe(browser, two_runs, "step=0")
    unnamed = browser.evaluate(
        "[...document.querySelectorAll('button, input, select')]"
        ".filter((c) => !c.closest('[hidden]') && !c.closest('dialog'))"
        ".filter((c) => !(c.getAttribute('aria-label') || (c.labels && c.labels.length)"
        " || c.textContent.trim())).map((c) => c.id)"
    )
    assert unnamed == []
    controls = browser.evaluate(
        "[...document.querySelectorAll('#controls button, #controls input, #controls select')]"
        ".filter((c) => !c.closest('[hidden]')).map((c) => c.id)"
    )
    assert {
        "play",
        "back",
        "forward",
        "step",
        "beat",
        "run",
        "captions",
        "fullscreen",
        "help",
    } <= set(controls)
    browser.evaluate("document.activeElement.blur()")
    reached = []
    for _ in range(len(controls) + 2):
        for kind in ("rawKeyDown", "keyUp"):
            browser.send(
                "Input.dispatchKeyEvent",
                type=kind,
                key="Tab",
                code="Tab",
                windowsVirtualKeyCode=9,
            )
        reached.append(browser.evaluate("document.activeElement.id"))
    assert set(controls) <= set(reached), reached


@pytest.mark.slow
@needs_chromium
def test_arrow_keys_step_and_question_mark_opens_the_keys(
    two_runs: Path, browser: Browser
) -> None:
    probe(browser, two_runs, "step=1")
    browser.evaluate("document.activeElement.blur()")
    for key, code in (("ArrowRight", 39), ("ArrowRight", 39), ("ArrowLeft", 37)):
        for kind in ("rawKeyDown", "keyUp"):
            browser.send(
                "Input.dispatchKeyEvent",
                type=kind,
                key=key,
                code=key,
                windowsVirtualKeyCode=code,
            )
        browser.wait_for("!document.querySelector('video:not([hidden])').seeking")
    assert (
        browser.evaluate("document.getElementById('step-shown').textContent")
        == f"2 / {STEPS}"
    )
    browser.send(
        "Input.dispatchKeyEvent", type="keyDown", key="?", text="?", code="Slash"
    )
    assert browser.evaluate("document.getElementById('keys').open") is True
