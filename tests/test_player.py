"""The lecture player's page and options: the template filled, --vary read with each
option's parser, what a player refuses, the same runs giving the same bytes, and a
Clip of a player in a notebook. In a browser: tests/test_player_browser.py."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from scenes.theme import DARK
from sgd_anim import api
from sgd_anim.clip import EMBED_BYTES, Clip
from sgd_anim.errors import OptionError, RenderError
from sgd_anim.files import player
from sgd_anim.files.player import PlayerRun, build_player
from sgd_anim.options import RenderOptions
from sgd_anim.registry import SCENES
from sgd_anim.request import RenderRequest
from sgd_anim.values import BadValue
from sgd_anim.vary import vary
from sgdcore.config import RunOptions
from tests.conftest import assert_usage_error, invoke

SCENE = "lr_too_high"


def request(**options: Any) -> RenderRequest:
    """The checked request for lr_too_high with `options`, as render() makes it."""
    return RenderRequest.from_options(RenderOptions.parse(SCENE, options))


def test_the_template_is_filled_and_its_json_cannot_end_the_script() -> None:
    data = {"runs": [], "title": "</script><script>alert(1)</script>"}
    html = player.page_html("a < b", DARK, data)
    assert "{{" not in html and "<title>a &lt; b</title>" in html
    assert html.count("</script>") == 3  # the data, the captions and the player's
    assert "default-src 'none'" in html  # loads nothing from anywhere
    with pytest.raises(KeyError, match="missing"):
        player.fill("{{missing}}", {})


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


def test_a_clip_of_a_player_shows_it_in_a_frame(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text('<p title="a">player</p>', encoding="utf-8")
    clip = Clip(page, SCENE, "html", 854, 480, 10, "h264", traces=[])
    markup = clip._repr_html_()
    assert markup.startswith("<iframe") and 'allow="fullscreen"' in markup
    assert 'srcdoc="&lt;p title=&quot;a&quot;&gt;player&lt;/p&gt;"' in markup
    page.write_bytes(b" " * (EMBED_BYTES + 1))
    assert 'src="' in clip._repr_html_() and "srcdoc" not in clip._repr_html_()


def test_a_player_of_one_run_shows_its_progress_whatever_the_jobs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[bool] = []

    def render_run(*args: Any, progress: bool = False) -> Any:
        shown.append(progress)
        raise RuntimeError("drawn no further")

    monkeypatch.setattr(player, "render_run", render_run)
    for jobs in (1, 2):  # one run renders in this process, however many jobs
        with pytest.raises(RenderError, match="drawn no further"):
            api.render_player(
                request(fmt="html", output=tmp_path / "p.html", jobs=jobs, steps=3),
                progress=True,
            )
    assert shown == [True, True]
