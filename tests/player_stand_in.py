"""A stand-in lecture player for the CLI tests that stand in for rendering (`rendered`).

With the `rendered` fixture, `sgd_anim.files.player.build_player` hands each run to
that fixture's stand-in render_scene, so `--format html` and `--vary` are checked
like any render, with nothing drawn.
"""

from __future__ import annotations

import sys
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def player_stand_in(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When a test uses `rendered`, a player renders each run through its stand-in."""
    if "rendered" not in request.fixturenames:
        return
    request.getfixturevalue("rendered")  # its stand-in export module is in place
    render_scene = sys.modules["sgd_anim.files.export"].render_scene

    def build_player(scene: str, runs: list[Any], *args: Any, **kwargs: Any) -> Any:
        infos = [render_scene(scene, run.traces, *args, **kwargs) for run in runs]
        return infos[0]

    player = ModuleType("sgd_anim.files.player")
    player.build_player = build_player  # type: ignore[attr-defined]
    player.PlayerRun = lambda label, traces: SimpleNamespace(label=label, traces=traces)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "sgd_anim.files.player", player)
