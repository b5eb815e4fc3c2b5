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
import math
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
from manim import tempconfig
from PIL import Image

import sgd_anim
from scenes.beats import Beat, Schedule
from scenes.replay import ReplayScene
from scenes.theme import DARK
from sgd_anim.clip import EMBED_BYTES, Clip
from sgd_anim.errors import OptionError
from sgd_anim.files import player
from sgd_anim.files.encoder import StreamingFileWriter
from sgd_anim.files.player import PlayerRun, build_player
from sgd_anim.files.shown_steps import shown_columns
from sgd_anim.files.step_frames import REACHED, chapters, clock_values, step_frames
from sgd_anim.options import RenderOptions
from sgd_anim.registry import SCENES
from sgd_anim.request import RenderRequest
from sgd_anim.values import BadValue
from sgd_anim.vary import vary
from sgdcore.config import RunOptions
from tests.browser import Browser, chromium
from tests.conftest import assert_usage_error, invoke

SCENE = "lr_too_high"
STEPS = 4
RATES = (0.4, 1.1)
PIXEL_TOLERANCE = 4.0  # mean per channel: Chromium's YUV to RGB is not FFmpeg's
needs_chromium = pytest.mark.skipif(
    chromium() is None,
    reason="no chromium on PATH: apt-get install chromium (./scripts/setup does)",
)


def request(**options: Any) -> RenderRequest:
    """The checked request for lr_too_high with `options`, as render() makes it."""
    return RenderRequest.from_options(RenderOptions.parse(SCENE, options))


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


# -- the frames of each step ----------------------------------------------------------
def test_a_moving_beat_reaches_each_step_at_its_planned_frame() -> None:
    beats = (
        Beat("opening", 0.0, 0.0, 3, "start"),
        Beat("first steps", 0.0, 2.0, 6, "go", step_times=(0.0, 0.5, 1.0)),
        Beat("closing", 2.0, 2.0, 4, "end"),
    )
    schedule = Schedule(beats, 10.0)
    values = clock_values(schedule)
    assert len(values) == schedule.frames == 13
    # frame i of the moving beat at alpha = i / 5.5: step 1 is reached at alpha 0.5
    assert step_frames(schedule) == [0, 3 + math.ceil(0.5 * 5.5), 9]
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


# -- the page -------------------------------------------------------------------------
def test_the_template_is_filled_and_its_json_cannot_end_the_script() -> None:
    data = {"runs": [], "title": "</script><script>alert(1)</script>"}
    html = player.page_html("a < b", DARK, data)
    assert "{{" not in html and "<title>a &lt; b</title>" in html
    assert html.count("</script>") == 3  # the data, the captions and the player's
    assert "default-src 'none'" in html  # loads nothing from anywhere
    with pytest.raises(KeyError, match="missing"):
        player.fill("{{missing}}", {})


# -- options --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("given", "name", "values"),
    [
        ("lr=0.02,0.1,0.4,1.1", "lr", (0.02, 0.1, 0.4, 1.1)),
        ("start=-1,1;2,0.5", "start", ((-1.0, 1.0), (2.0, 0.5))),
        ({"steps": [3, 5]}, "steps", (3, 5)),
    ],
)
def test_vary_reads_each_value_with_its_options_parser(
    given: Any, name: str, values: tuple[Any, ...]
) -> None:
    chosen = vary(given)
    assert (chosen.name, chosen.values) == (name, values)
    assert len(chosen.labels) == len(values)


@pytest.mark.parametrize(
    ("given", "words"),
    [
        ("lr=0.1", "2 to 9 values"),
        ("lr=" + ",".join(str(k / 10) for k in range(1, 11)), "not 10"),
        ("lr=0.1,0.1", "each value of lr once"),
        ("lr=0.1,-2", "lr: '-2' is not a positive"),
        ("speed=1,2", "not a run option"),
        ("0.1,0.2", "NAME=VALUE"),
    ],
)
def test_vary_refuses_what_cannot_make_runs(given: str, words: str) -> None:
    with pytest.raises(BadValue, match=re.escape(words)):
        vary(given)


def test_a_player_is_720p30_unless_asked_and_vary_implies_one() -> None:
    assert request(fmt="html").quality == "medium"
    assert request(fmt="html", quality="low").quality == "low"
    varied = request(vary="lr=0.1,1.1")
    assert (varied.fmt, varied.output.suffix) == ("html", ".html")
    assert [run.learning_rate for run in varied.varied] == [0.1, 1.1]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--vary", "lr=0.1,1.1", "--format", "mp4"], ["--vary", "--format html"]),
        (["--vary", "lr=0.1,1.1", "--lr", "0.3"], ["--lr is given and varied"]),
        (["--vary", "batch_size=2,3"], ["takes no --batch-size"]),
        (["--format", "html", "--poster"], ["--poster does not apply to a player"]),
        (["--format", "html", "--transparent"], ["html has no alpha"]),
        (["--vary", "lr=0.1,1.1", "--slides"], ["--vary", "--slides"]),
        (["--vary", "lr=0.1,1.1", "--save-trace", "t.npz"], ["--save-trace"]),
    ],
)
def test_player_options_that_cannot_work_exit_2(
    args: list[str], words: list[str]
) -> None:
    assert_usage_error(invoke("--scene", SCENE, *args), *words)


def test_render_refuses_vary_from_python_without_a_player() -> None:
    with pytest.raises(OptionError, match="html"):
        request(fmt="mp4", vary={"lr": [0.1, 1.1]})


# -- in the browser -------------------------------------------------------------------
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


def within_last_digit(text: str, value: float) -> bool:
    """Whether a shown number is `value` to half a unit of its last digit (and a bit)."""
    number = Decimal(text.replace("−", "-").replace("\u2009", ""))
    unit = Decimal(1).scaleb(number.as_tuple().exponent)  # type: ignore[arg-type]
    return abs(number - Decimal(value)) <= unit


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
        "(async () => { const run = document.getElementById('run');"
        " run.value = '1'; run.dispatchEvent(new Event('input'));"
        " await new Promise((done) => setTimeout(done, 1500)); probe(); })()"
    )
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
    assert state["captionMode"] == ["showing"]
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


@pytest.mark.slow
def test_the_same_runs_make_the_same_bytes(tmp_path: Path) -> None:
    spec = SCENES["lr_too_low"]
    traces = tuple(spec.train(RunOptions(n_steps=3)))
    pages = []
    for name in ("a.html", "b.html"):
        build_player(
            spec.name, [PlayerRun("", traces)], tmp_path / name, "low", DARK, spec.pace
        )
        pages.append((tmp_path / name).read_bytes())
    assert pages[0] == pages[1]


def test_the_panel_shows_the_clips_readouts_step_by_step() -> None:
    spec = SCENES["fit_line"]
    (trace,) = spec.train(RunOptions(n_steps=3))
    with tempconfig({"disable_caching": True, "verbosity": "WARNING"}):
        scene = spec.scene_class()(trace, pace=spec.pace, palette=DARK, plan_only=True)
        scene.construct()
        columns = shown_columns(scene)
    counter, updates = columns
    names = [row.name for row in counter.rows]
    assert names[:2] == ["step", "loss"] and [row.name for row in updates.rows] == [
        "update",
        "",
    ]
    loss = counter.rows[1].texts
    assert all(within_last_digit(loss[k], float(trace.loss[k])) for k in range(4))
    # each worked update starts from the parameter the column shows at that step
    slope = counter.rows[names.index("slope a₁")].texts
    assert all(
        updates.rows[0].texts[k].startswith(f"= {slope[k]} − ") for k in range(3)
    )


def test_a_clip_of_a_player_shows_it_in_a_frame(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text('<p title="a">player</p>', encoding="utf-8")
    clip = Clip(page, SCENE, "html", 854, 480, 10, "h264", traces=[])
    markup = clip._repr_html_()
    assert markup.startswith("<iframe") and 'allow="fullscreen"' in markup
    assert 'srcdoc="&lt;p title=&quot;a&quot;&gt;player&lt;/p&gt;"' in markup
    page.write_bytes(b" " * (EMBED_BYTES + 1))
    assert 'src="' in clip._repr_html_() and "srcdoc" not in clip._repr_html_()
