"""How scenes are built: one base, panels not parents, small files, words from the run."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from scenes.replay import ReplayScene
from sgd_anim.registry import SCENES
from tests.conftest import REPO

MAX_LINES = 300
SOURCE_FILES = sorted(
    path
    for folder in ("scenes", "sgdcore", "sgd_anim", "tests", "bench")
    for path in (REPO / folder).rglob("*.py")
) + sorted(REPO.glob("*.py"))


@pytest.mark.parametrize("name", sorted(SCENES))
def test_every_scene_is_a_direct_subclass_of_the_replay_base(name: str) -> None:
    scene = SCENES[name].scene_class()
    assert ReplayScene in scene.__bases__, f"{name}: {scene.__bases__}"
    others = {SCENES[other].scene_class() for other in SCENES} - {scene}
    assert not any(issubclass(scene, other) for other in others), (
        f"{name} inherits a scene"
    )


@pytest.mark.parametrize(
    "path", SOURCE_FILES, ids=lambda path: str(path.relative_to(REPO))
)
def test_source_files_are_short_and_say_what_they_are(path: Path) -> None:
    source = path.read_text()
    assert len(source.splitlines()) <= MAX_LINES, f"{path.name}: over {MAX_LINES} lines"
    if source.strip():
        docstring = ast.get_docstring(ast.parse(source))
        assert docstring, f"{path.name} does not open with a docstring"


@pytest.mark.parametrize(
    ("learning_rate", "title"),
    [
        (1.1, "too high"),  # each step multiplies the distance by −1.2
        (1.0, "at its limit"),  # by −1: it hops back and forth for ever
        (0.02, "too low"),  # keeps 96% of the distance each step
        (1e-300, "too low"),  # 1 − 2e-300 is 1.0 in float: w never moves
        (0.4, "just right"),  # keeps 20%
        (0.8, "overshoots, then settles"),  # by −0.6: overshoots, shrinking
    ],
)
def test_learning_rate_scene_title_follows_the_runs_learning_rate(
    learning_rate: float, title: str
) -> None:
    from scenes.learning_rate import case_of
    from sgdcore.trace import Trace

    trace = Trace.load(
        REPO / "tests/control_data/lr_too_high/lr_too_high_final-run0.npz"
    )
    meta = {**trace.meta, "learning_rate": learning_rate}
    moved = Trace(**{**trace.__dict__, "meta": meta})
    assert title in case_of(moved).title
