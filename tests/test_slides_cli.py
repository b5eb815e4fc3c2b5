"""Deck requests: what --slides refuses, and the options each scene of a deck gets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from scenes.theme import PALETTES
from sgd_anim import cli
from sgd_anim.registry import SCENES
from sgdcore.config import RunOptions
from tests.conftest import (
    PASSED_ON,
    assert_usage_error,
    invoke,
    parse,
    refused_with_all,
    run_options_of,
    sample_args,
)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (
            ["--scene", "fit_line", "--slides", "--format", "gif"],
            "--format does not apply",
        ),
        (["--scene", "fit_line", "--slides", "-o", "deck.mp4"], "must end in .html"),
        (["--scene", "all", "--slides", "--lr", "0.3"], "lr_compare takes no --lr"),
    ],
)
def test_impossible_deck_requests_exit_2(args: list[str], words: str) -> None:
    result = CliRunner().invoke(cli.main, args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert words in result.output


# -- a deck gets every option -----------------------------------------------------

# A deck of every scene refuses what a deck refuses, and what --scene all refuses.
REFUSED_IN_DECKS = {"fmt", "transparent", "poster", "captions", "save_trace"}


@pytest.mark.parametrize("param", PASSED_ON, ids=lambda param: str(param.name))
def test_deck_of_every_scene_gives_every_option_to_every_scene_or_refuses_it(
    param: click.Option,
    decks: list[dict[str, Any]],
    trained: dict[str, RunOptions],
    tmp_path: Path,
    trace_file: Path,
) -> None:
    args = ["--scene", "all", "--slides", "-o", str(tmp_path / "lesson.html")]
    args += sample_args(param, tmp_path, trace_file, partners=False)
    result = invoke(*args)
    name = str(param.name)
    if name in refused_with_all() | REFUSED_IN_DECKS:
        assert_usage_error(result, name.replace("_", "-").replace("fmt", "format"))
        assert decks == []
        return
    assert result.exit_code == 0, result.output
    params = parse(*args).params
    (deck,) = decks
    assert (deck["html"], deck["quality"]) == (
        tmp_path / "lesson.html",
        params["quality"],
    )
    assert deck["palette"] == PALETTES[params["theme"]]
    assert [scene for scene, _, _ in deck["scenes"]] == list(SCENES)
    for (_, traces, pace), spec in zip(deck["scenes"], SCENES.values(), strict=True):
        assert pace == (params["pace"] or spec.pace)
        assert len(traces) == spec.n_runs
        assert trained[spec.name] == run_options_of(params)


def test_deck_of_one_scene_gets_its_options(
    decks: list[dict[str, Any]], trained: dict[str, RunOptions], in_tmp_path: Path
) -> None:
    args = ["--scene", "fit_line", "--slides", "--quality", "low", "--theme", "light"]
    result = invoke(*args, "--pace", "3", "--lr", "0.3", "--steps", "5", "-o", "t.html")
    assert result.exit_code == 0, result.output
    (deck,) = decks
    assert deck["scenes"] == [("fit_line", ["fit_line-run0"], 3.0)]
    assert (deck["html"], deck["quality"], deck["palette"]) == (
        Path("t.html"),
        "low",
        PALETTES["light"],
    )
    assert trained["fit_line"] == RunOptions(learning_rate=0.3, n_steps=5)
    assert result.output.split() == ["t.html", "t.pptx"]
