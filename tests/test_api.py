"""The Python API: the command line's options, defaults and checks, one definition."""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import click
import pytest
import torch

import sgd_anim
from sgd_anim import cli
from sgd_anim.registry import SCENES, SceneSpec
from sgdcore.trace import Trace
from tests.conftest import assert_usage_error, invoke, parse

SUBPROCESS_TIMEOUT = 120


@pytest.fixture(autouse=True)
def from_tmp_path(in_tmp_path: Path) -> Path:
    """Run every call from an empty folder, so no `renders/` lands in the repo."""
    return in_tmp_path


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Real training, no drawing: a stand-in sgd_anim.files.export records each render."""
    calls: list[dict[str, Any]] = []

    def render_scene(*args: Any, **kwargs: Any) -> SimpleNamespace:
        calls.append(dict(zip(("scene", "traces", "output"), args, strict=False)))
        Path(args[2]).write_bytes(b"not really a video")
        return SimpleNamespace(width=854, height=480, frames=90, codec="h264")

    module = ModuleType("sgd_anim.files.export")
    module.render_scene = render_scene  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "sgd_anim.files.export", module)
    monkeypatch.setattr(SceneSpec, "scene_class", lambda spec: spec.name)
    return calls


# -- one definition of the options -------------------------------------------------------


def test_every_cli_option_is_a_keyword_with_the_same_default() -> None:
    keywords = inspect.signature(sgd_anim.render).parameters
    defaults = parse("--scene", "fit_line").params
    for param in cli.main.params:
        if not param.expose_value or param.name == "scene":
            continue
        name = str(param.name)
        assert name in keywords, f"{name} is not a keyword of sgd_anim.render"
        assert keywords[name].default == defaults[name], name
    assert set(keywords) == {"scene"} | {
        str(p.name) for p in cli.main.params if p.expose_value
    }


def test_train_takes_the_run_options_with_the_cli_defaults() -> None:
    keywords = inspect.signature(sgd_anim.train).parameters
    defaults = parse("--scene", "fit_line").params
    assert {"lr", "steps", "start", "seed", "n", "data"} <= set(keywords)
    for name, keyword in keywords.items():
        if name != "scene":
            assert keyword.default == defaults[name], name


@pytest.mark.parametrize(
    ("scene", "options", "argv"),
    [
        ("fit_line", {"lr": 0.3, "steps": 20}, ["--lr", "0.3", "--steps", "20"]),
        (
            "minibatch",
            {"batch_size": 4, "epochs": 2, "seed": 7, "n": 40},
            ["--batch-size", "4", "--epochs", "2", "--seed", "7", "--n", "40"],
        ),
        (
            "lr_too_low",
            {"start": (1.5,), "steps": 5},
            ["--start", "1.5", "--steps", "5"],
        ),
        ("optimizers", {"optimizers": ("gd", "adam")}, ["--optimizers", "gd,adam"]),
    ],
)
def test_api_and_cli_save_byte_identical_traces(
    scene: str, options: dict[str, Any], argv: list[str], drawn: list[dict[str, Any]]
) -> None:
    result = invoke("--scene", scene, "-o", "cli.mp4", "--save-trace", "cli.npz", *argv)
    assert result.exit_code == 0, result.output
    clip = sgd_anim.render(scene, output="api.mp4", save_trace="api.npz", **options)
    assert Path("cli.npz").read_bytes() == Path("api.npz").read_bytes()
    assert [call["output"] for call in drawn] == [Path("cli.mp4"), Path("api.mp4")]
    assert clip.traces == drawn[1]["traces"]
    assert (clip.path, clip.size, clip.frames) == (Path("api.mp4"), (854, 480), 90)
    assert result.output.strip() == clip.summary().replace("api.mp4", "cli.mp4")


def test_train_alone_is_not_held_to_a_clip_s_length() -> None:
    (trace,) = sgd_anim.train("lr_too_low", steps=20_000)  # 2.8 hours at its pace
    assert trace.n_steps == 20_000


def test_train_alone_gives_the_scene_runs() -> None:
    (trace,) = sgd_anim.train("lr_too_high")
    (builtin,) = SCENES["lr_too_high"].train()
    assert trace.equals(builtin)
    assert not list(Path().iterdir()), "train() wrote files"


# -- one exception for bad options ------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "api_words", "cli_argv", "cli_words"),
    [
        ({"lr": 0}, "'lr'", ["--lr", "0"], "'--lr'"),
        ({"seed": 3}, "lr_too_high takes no seed", ["--seed", "3"], "no --seed"),
        ({"steps": 0}, "'steps'", ["--steps", "0"], "'--steps'"),
        ({"quality": "8k"}, "'quality'", ["--quality", "8k"], "'--quality'"),
        ({"output": "a.txt"}, "'output'", ["-o", "a.txt"], "'--output'"),
    ],
)
def test_bad_option_is_one_option_error_and_the_cli_exit_2(
    options: dict[str, Any], api_words: str, cli_argv: list[str], cli_words: str
) -> None:
    with pytest.raises(sgd_anim.OptionError) as raised:
        sgd_anim.render("lr_too_high", **options)
    assert api_words in str(raised.value) and "\n" not in str(raised.value)
    assert_usage_error(invoke("--scene", "lr_too_high", *cli_argv), cli_words)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("learning_rate", "lr"), ("format", "fmt"), ("batchsize", "batch_size")],
)
def test_unknown_keyword_suggests_the_one_meant(typed: str, meant: str) -> None:
    with pytest.raises(sgd_anim.OptionError, match=f"no option '{typed}'.*'{meant}'"):
        sgd_anim.render("fit_line", **{typed: 1})


def test_render_only_options_are_not_keywords_of_train() -> None:
    with pytest.raises(sgd_anim.OptionError, match="no option 'quality'"):
        sgd_anim.train("fit_line", quality="low")


def test_every_scene_at_once_is_the_cli_s_business() -> None:
    with pytest.raises(sgd_anim.OptionError, match="--scene all"):
        sgd_anim.render("all")


def test_a_recorded_trace_that_fits_another_scene_is_refused_naming_those(
    tiny_trace: Trace,
) -> None:
    with pytest.raises(sgd_anim.OptionError, match="these runs fit fit_line"):
        sgd_anim.render("lr_compare", trace=tiny_trace)


def test_refusing_bad_options_imports_neither_torch_nor_manim() -> None:
    probe = (
        "import sys, sgd_anim\n"
        "for scene, bad in [('fit_line', {'lr': -1}), ('fit_line', {'data': 'no.csv'}),"
        " ('fit_line', {'data': ([1, 1], [2, 3])}), ('lr_too_low', {'function': 'x'})]:\n"
        "    try:\n        sgd_anim.render(scene, **bad)\n"
        "    except sgd_anim.OptionError as e:\n        print(e)\n"
        "print([m for m in ('torch', 'manim') if m in sys.modules])"
    )
    completed = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_TIMEOUT,
    )
    lines = completed.stdout.strip().splitlines()
    assert len(lines) == 5 and "'lr'" in lines[0], completed.stdout + completed.stderr
    assert lines[-1] == "[]", completed.stdout + completed.stderr


def test_cli_errors_still_name_flags_not_keywords() -> None:
    result = invoke("--scene", "fit_line", "--batch-size", "3")
    assert_usage_error(result, "fit_line takes no --batch-size")
    assert isinstance(parse("--scene", "fit_line"), click.Context)


@pytest.mark.parametrize(
    ("function", "words"),
    [
        (lambda w: torch.tensor(1.0), "does not depend on w"),
        (lambda w: (w**2).detach().sum(), "does not depend on w"),
        (lambda w: torch.tensor(3), "real floating-point"),
        (lambda w: (w * 1j).sum(), "real floating-point"),
        (lambda w: (w * float("nan")).sum(), "not a number at w = 2"),
    ],
)
def test_a_function_torch_cannot_train_is_one_option_error(
    function: Any, words: str
) -> None:
    with pytest.raises(sgd_anim.OptionError, match=words) as raised:
        sgd_anim.train("lr_too_high", function=function, steps=3)
    assert "\n" not in str(raised.value)


def test_an_error_raised_by_the_user_s_function_passes_through() -> None:
    def broken(w: Any) -> Any:
        raise KeyError("mine")

    with pytest.raises(KeyError, match="mine"):
        sgd_anim.train("lr_too_high", function=broken, steps=3)


@pytest.mark.parametrize("name", ["output", "save_trace", "trace", "data"])
@pytest.mark.parametrize("value", ["\x00", "runs\x00.npz", Path("a\x00b")])
def test_a_file_name_with_a_nul_byte_is_an_option_error(
    name: str, value: object
) -> None:
    with pytest.raises(sgd_anim.OptionError, match=name):
        sgd_anim.render("fit_line", steps=2, **{name: value})
