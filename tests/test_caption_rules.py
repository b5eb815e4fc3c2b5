"""Captions a student can read, and time where the learning happens, in every scene.

Each scene is planned (nothing rendered) on its default runs in both themes, on a run
whose learning rate is too high, and on the user's kind of input (points from a CSV
for the scenes that fit a line, another f(w) for the learning-rate scenes, another
data set for the curve scenes). Every caption cue must be readable at playing speed,
every text that appears at the close must be part of the verdict (or name a run),
held long enough to read, and in every default clip the headline quantity's middle 80% of change must
take at least 3 s of screen time.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from manim import Mobject, Text

from scenes.panels.axes import TickLabels
from scenes.readout import Readout
from scenes.replay import ReplayScene
from scenes.schedule import CLOSING_MOST
from scenes.text import TextPath
from scenes.theme import DARK, Palette
from sgd_anim.registry import SCENES
from sgdcore.config import RunOptions
from sgdcore.trace import Trace
from sgdcore.user_data import read_points
from tests.conftest import PLANS
from tests.planned import PLANNED_FPS, plan_scene, planned_default

pytestmark = pytest.mark.xdist_group(PLANS)

FPS = PLANNED_FPS  # 60
FRAME = 1 / FPS
READING_SPEED = 17.0  # characters a second, at most
SHORTEST_CUE = 1.2  # seconds
LINE, LINES = 42, 2
LEARNING_SECONDS = 3.0  # the middle 80% of the headline's change, at least
FIND_VERDICT = 0.5  # seconds to find the verdict on screen, before reading it
DOUBLED = re.compile(r"[.,;:!?]\s*[.,;:!?]")
# A caption opens with a capital letter, or with a symbol the lesson writes lowercase
OPENS = re.compile(r"^(?:[A-Z]|(?:w|lr|a)\b)")
LINE_SCENES = [name for name, spec in SCENES.items() if "data" in spec.options]
FUNCTION_SCENES = [name for name, spec in SCENES.items() if "function" in spec.options]
# A learning rate too high for each scene's problem (lr_too_high's own run already is)
TOO_HIGH = {"quadratic": 1.3, "linear_regression": 1.5, "polynomial": 5.0}


def planned(name: str, traces: list[Trace], palette: Palette = DARK) -> ReplayScene:
    """The scene with its beats planned, nothing rendered."""
    scene = plan_scene(name, traces, FPS, palette=palette)
    assert scene.story is not None
    return scene


def assert_readable(name: str, scene: ReplayScene) -> None:
    """Every cue: read at ≤ 17 characters a second, ≥ 1.2 s, two lines of 42, a sentence."""
    assert scene.schedule is not None
    cues = scene.schedule.cues()
    # the first caption comes with the starting state it speaks of: after the intro
    beats, fps = scene.schedule.beats, scene.schedule.fps
    shown = sum(b.frames for b in beats if b.name == "intro") / fps
    assert cues and cues[0][0] == pytest.approx(shown), name
    for start, end, text in cues:
        seconds = end - start
        where = f"{name}: {text!r} at {start:.2f} s"
        assert seconds >= SHORTEST_CUE - FRAME, f"{where} lasts {seconds:.2f} s"
        assert len(text) / seconds <= READING_SPEED + 0.1, (
            f"{where}: {len(text) / seconds:.1f} characters a second"
        )
        assert len(textwrap.wrap(text, LINE)) <= LINES, f"{where}: over two lines"
        assert DOUBLED.search(text) is None, f"{where}: doubled punctuation"
        assert OPENS.match(text) and text.endswith((".", "!", "?")), where
    texts = [text for _, _, text in cues]
    assert len(set(texts)) == len(texts), f"{name}: a caption said twice: {texts}"
    # the first steps show their own caption (the rule, say) before any moment's
    beats = scene.schedule.beats
    first = next(b for b in beats if b.name == "first steps")
    if scene.story.caption("first steps", 0, int(first.end)) not in (
        scene.story.caption("opening", 0, 0),
        "",
    ):
        assert first.caption, f"{name}: the first steps lost their caption"


def visible_words(mobject: Mobject) -> Iterator[str]:
    """The words of every text on screen under `mobject` (readouts and tick labels,
    which are numbers, left out)."""
    if isinstance(mobject, (Readout, TickLabels)):
        return
    if isinstance(mobject, Text):
        yield str(mobject.original_text)
        return
    if isinstance(mobject, TextPath):
        yield mobject.words
        return
    for child in mobject.submobjects:
        yield from visible_words(child)


def words_at(scene: ReplayScene, step: float) -> set[str]:
    """Every text on screen when the clock shows `step`."""
    scene.move_to_step(step)
    return {
        words.strip()
        for mobject in [*scene.statics, *scene.movers[1:]]
        for words in visible_words(mobject)
        if words.strip()
    }


def assert_verdict_readable(name: str, scene: ReplayScene) -> None:
    """What appears on screen at the close is the verdict's words, and the closing
    hold lasts long enough to find and read the verdict, or CLOSING_MOST: the last
    frame stays on screen once the clip ends."""
    assert scene.schedule is not None
    closing = scene.schedule.beats[-1]
    verdict = " ".join(closing.sentence.split())
    last = closing.end
    appeared = words_at(scene, last) - words_at(scene, max(last - 1, 0))
    assert appeared, f"{name}: nothing appears at the close"
    # a run's name beside where its path ends, or a one-word key taking over from
    # keys that left (minibatch's `data`), is a label, not more to read
    names = set(getattr(scene.story, "names", ()))
    for words in {w for w in appeared - names if len(w.split()) > 1}:
        assert " ".join(words.split()) in verdict, (
            f"{name}: {words!r} appears at the close but is not in {verdict!r}"
        )
    seconds = closing.frames / scene.schedule.fps
    needed = min(len(verdict) / READING_SPEED + FIND_VERDICT, CLOSING_MOST)
    assert seconds >= needed - FRAME, (
        f"{name}: the verdict {verdict!r} is held {seconds:.2f} s, "
        f"reading it takes {needed:.2f} s"
    )


def crossing(values: npt.NDArray[np.float64], share: float) -> float:
    """The (fractional) step where `values` has done `share` of its largest change."""
    reach = np.abs(values - values[0])
    far = int(np.nanargmax(reach))
    target = share * reach[far]
    k = int(np.flatnonzero(reach[: far + 1] >= target)[0])
    if k == 0:
        return 0.0
    return k - 1 + float((target - reach[k - 1]) / (reach[k] - reach[k - 1]))


@pytest.fixture(scope="module", params=sorted(SCENES))
def default_scene(request: pytest.FixtureRequest) -> tuple[str, ReplayScene]:
    scene = planned_default(request.param)
    assert scene.story is not None
    return request.param, scene


def test_default_captions_are_readable(default_scene: tuple[str, ReplayScene]) -> None:
    assert_readable(*default_scene)


def test_default_verdicts_are_held_long_enough_to_read(
    default_scene: tuple[str, ReplayScene],
) -> None:
    assert_verdict_readable(*default_scene)


def test_captions_are_the_same_in_both_themes(
    default_scene: tuple[str, ReplayScene],
) -> None:
    name, dark = default_scene
    light = planned_default(name, "light")
    assert dark.schedule is not None and light.schedule is not None
    assert light.schedule.cues() == dark.schedule.cues()


def test_learning_takes_at_least_three_seconds(
    default_scene: tuple[str, ReplayScene],
) -> None:
    name, scene = default_scene
    assert scene.schedule is not None and scene.story is not None
    headline = np.atleast_2d(scene.story.headline())[0]
    headline = headline[np.isfinite(headline)]
    begin, end = crossing(headline, 0.1), crossing(headline, 0.9)
    seconds = scene.schedule.time_at(end) - scene.schedule.time_at(begin)
    assert seconds >= LEARNING_SECONDS - FRAME, (
        f"{name}: steps {begin:.1f} to {end:.1f} pass in {seconds:.2f} s"
    )


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(SCENES))
def test_captions_of_a_learning_rate_too_high_are_readable(name: str) -> None:
    spec = SCENES[name]
    options = RunOptions(learning_rate=TOO_HIGH[spec.problem])
    traces = spec.train(options if "lr" in spec.options else RunOptions())
    scene = planned(name, traces)
    assert_readable(name, scene)
    assert_verdict_readable(name, scene)


@pytest.fixture(scope="module")
def points_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A lecturer's CSV: 60 points on a line, x from 0 to 10, with a header."""
    rng = np.random.default_rng(7)
    x = np.linspace(0, 10, 60)
    y = 0.8 * x + 3 + rng.normal(0, 0.6, x.size)
    path = tmp_path_factory.mktemp("data") / "points.csv"
    path.write_text(
        "x,y\n" + "".join(f"{a:.4f},{b:.4f}\n" for a, b in zip(x, y, strict=True))
    )
    return path


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(SCENES))
def test_captions_of_the_users_input_are_readable(name: str, points_file: Path) -> None:
    spec = SCENES[name]
    if name in LINE_SCENES:
        # a learning rate this data can take: the lesson's 0.1 is for x in [-1, 1]
        options = RunOptions(data=read_points(points_file), learning_rate=0.005)
    elif name in FUNCTION_SCENES:
        options = RunOptions(function=_double_well())
    elif spec.problem == "polynomial":
        options = RunOptions(n=60, seed=3)
    else:
        options = RunOptions(n_steps=8)
    scene = planned(name, spec.train(options))
    assert_readable(name, scene)
    assert_verdict_readable(name, scene)


def _double_well():  # type: ignore[no-untyped-def]
    """The built-in f(w) with a local minimum."""
    from sgdcore.functions import as_function

    return as_function("double_well")
