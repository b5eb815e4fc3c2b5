"""The scene registry: every scene has every part; the CLI's checks and --scene all read it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pytest
from click.core import ParameterSource

from sgd_anim import cli
from sgd_anim.cli import all_scenes
from sgd_anim.registry import RUN_OPTIONS, SCENES, SceneSpec
from sgdcore.config import RunOptions
from tests.conftest import (
    OPTIONS,
    PASSED_ON,
    REPO,
    assert_usage_error,
    flag_of,
    invoke,
    parse,
    refused_with_all,
    run_options_of,
    sample_args,
)
from tests.fake_children import FakeChild

# Every command runs from an empty folder, so no `renders/` lands in the repo.
pytestmark = pytest.mark.usefixtures("in_tmp_path")

SPECS = list(SCENES.values())
FEW_STEPS = 2  # enough to check what training gives, cheap for every scene


def ids(spec: SceneSpec) -> str:
    return spec.name


def test_each_entry_is_keyed_by_its_cli_name() -> None:
    assert all(name == spec.name for name, spec in SCENES.items())


@pytest.mark.parametrize("spec", SPECS, ids=ids)
def test_scene_class_imports_and_replays_traces(spec: SceneSpec) -> None:
    from scenes.replay import ReplayScene

    scene_class = spec.scene_class()
    assert isinstance(scene_class, type)
    assert issubclass(scene_class, ReplayScene)


@pytest.mark.parametrize("spec", SPECS, ids=ids)
def test_default_runs_train_into_traces_of_the_scenes_problem(spec: SceneSpec) -> None:
    options = RunOptions(n_steps=FEW_STEPS) if "steps" in spec.options else RunOptions()
    traces = spec.train(options)
    assert len(traces) == spec.n_runs
    assert spec.shows(len(traces))
    for trace in traces:
        assert trace.problem == spec.problem
        assert trace.n_steps <= FEW_STEPS  # a run that diverges stops early


@pytest.mark.parametrize("spec", SPECS, ids=ids)
def test_scene_takes_only_run_options_and_has_a_pace_and_a_one_line_description(
    spec: SceneSpec,
) -> None:
    assert spec.options <= set(RUN_OPTIONS)
    assert spec.pace > 0
    assert spec.description.strip() == spec.description
    assert spec.description and "\n" not in spec.description
    assert len(f"{spec.name:<16}{spec.description}") <= 88  # one --list line


@pytest.mark.parametrize("spec", SPECS, ids=ids)
def test_scene_shows_its_runs_and_no_more(spec: SceneSpec) -> None:
    assert spec.shows(spec.n_runs)
    assert not spec.shows(spec.n_runs + 1)
    assert not spec.shows(0)


@pytest.mark.parametrize("name", RUN_OPTIONS)
def test_every_run_option_is_taken_by_a_scene_and_is_a_cli_option(name: str) -> None:
    assert any(name in spec.options for spec in SPECS)
    options = {param.name: param for param in cli.main.params}
    assert isinstance(options.get(name), click.Option)


def test_list_prints_the_registry_in_order() -> None:
    result = invoke("--list")
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert [line.split(maxsplit=1) for line in lines] == [
        [spec.name, spec.description] for spec in SPECS
    ]
    # Every description starts in one column, two spaces past the longest name
    column = max(len(spec.name) for spec in SPECS) + 2
    assert {
        line.index(spec.description) for line, spec in zip(lines, SPECS, strict=True)
    } == {column}


def test_importing_the_registry_loads_neither_torch_nor_manim() -> None:
    probe = (
        "import json, sys\n"
        "import sgd_anim.registry\n"
        "print(json.dumps([m for m in ('torch', 'manim') if m in sys.modules]))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert json.loads(completed.stdout) == []


# -- the registry decides what each scene takes -------------------------------------


@pytest.mark.parametrize(
    ("scene", "name"),
    [
        (spec.name, name)
        for spec in SCENES.values()
        for name in RUN_OPTIONS
        if name not in spec.options
    ],
)
def test_run_option_a_scene_does_not_take_exits_2(
    scene: str, name: str, tmp_path: Path, trace_file: Path
) -> None:
    param = next(param for param in OPTIONS if param.name == name)
    result = invoke("--scene", scene, *sample_args(param, tmp_path, trace_file))
    line = assert_usage_error(result, f"{scene} takes no {flag_of(param)}")
    for taken in SCENES[scene].options:
        assert taken.replace("_", "-") in line


def test_every_run_option_reaches_run_options(
    rendered: list[dict[str, Any]], trained: dict[str, RunOptions]
) -> None:
    args = ["--scene", "minibatch", "--lr", "0.3", "--start", "0.5,-2", "--seed", "3"]
    args += ["--n", "40", "--batch-size", "4", "--epochs", "2"]
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    expected = RunOptions(0.3, None, (0.5, -2.0), 3, 40, 4, 2, None, None, None, 0.3)
    assert trained["minibatch"] == expected == run_options_of(parse(*args).params)


def test_lr_with_lr_compare_exits_2() -> None:
    result = invoke("--scene", "lr_compare", "--lr", "0.3")
    assert_usage_error(result, "'--lr'", "lr_compare takes no --lr")


def test_single_trace_file_for_lr_compare_exits_2(tmp_path: Path) -> None:
    saved = tmp_path / "one.npz"
    (trace,) = SCENES["lr_too_high"].train()
    trace.save(saved)
    result = invoke("--scene", "lr_compare", "--trace", str(saved))
    assert_usage_error(result, "--trace", "replays 3 quadratic run(s), not 1")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (
            ["--scene", "minibatch", "--batch-size", "101"],
            "batch size must be between 1 and n = 100",
        ),
        (
            ["--scene", "minibatch", "--n", "20", "--batch-size", "30"],
            "batch size must be between 1 and n = 20",
        ),
        (["--scene", "minibatch", "--batch-size", "0"], "range"),
        (["--scene", "minibatch", "--epochs", "2", "--steps", "5"], "not both"),
        (
            ["--scene", "fit_line", "--batch-size", "5"],
            "fit_line takes no --batch-size",
        ),
        (["--scene", "lr_too_low", "--epochs", "2"], "lr_too_low takes no --epochs"),
    ],
)
def test_bad_minibatch_options_exit_2(args: list[str], words: str) -> None:
    assert_usage_error(invoke(*args), words)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (
            ["--scene", "optimizers", "--optimizers", "gd,rmsprop"],
            "optimizers must be some of gd, momentum, adam",
        ),
        (["--scene", "optimizers", "--optimizers", ","], "got none"),
        (
            ["--scene", "fit_line", "--optimizers", "adam"],
            "fit_line takes no --optimizers",
        ),
    ],
)
def test_bad_optimizers_exit_2(args: list[str], words: str) -> None:
    assert_usage_error(invoke(*args), words)


# -- --scene all passes every option on to every child -----------------------------------


@pytest.mark.parametrize("param", PASSED_ON, ids=lambda param: str(param.name))
def test_scene_all_passes_every_option_to_every_child_or_refuses_it(
    param: click.Option, children: list[list[str]], tmp_path: Path, trace_file: Path
) -> None:
    args = ["--scene", "all", "-o", str(tmp_path / "out")]
    args += sample_args(param, tmp_path, trace_file)
    result = invoke(*args)
    name = str(param.name)
    if name in refused_with_all():
        assert_usage_error(result, name.replace("_", "-"))
        assert children == []
        return
    assert result.exit_code == 0, result.output
    given = parse(*args)
    assert [parse(*argv[3:]).params["scene"] for argv in children] == list(SCENES)
    for argv in children:
        assert argv[:3] == list(all_scenes.COMMAND)
        child = parse(*argv[3:])
        assert child.params[name] == given.params[name], argv
        assert child.get_parameter_source(name) == ParameterSource.COMMANDLINE


def test_scene_all_gives_each_child_its_scene_and_output_file(
    children: list[list[str]], tmp_path: Path
) -> None:
    folder = tmp_path / "stills"
    result = invoke("--scene", "all", "--format", "png", "-o", str(folder))
    assert result.exit_code == 0, result.output
    outputs = [parse(*argv[3:]).params["output"] for argv in children]
    assert outputs == [folder / f"{name}.png" for name in SCENES]
    assert result.output.count(f"/{len(SCENES)}]") == len(SCENES)


def test_scene_all_pace_reaches_every_child(children: list[list[str]]) -> None:
    # It once rendered every scene at its own pace, silently.
    result = invoke("--scene", "all", "--pace", "3")
    assert result.exit_code == 0, result.output
    assert len(children) == len(SCENES)
    assert all(parse(*argv[3:]).params["pace"] == 3.0 for argv in children)


def test_scene_all_with_list_lists_and_starts_nothing(
    children: list[list[str]],
) -> None:
    result = invoke("--scene", "all", "--list")
    assert result.exit_code == 0, result.output
    assert children == []


def test_scene_all_with_an_option_some_scenes_refuse_names_them() -> None:
    line = assert_usage_error(invoke("--scene", "all", "--seed", "3"), "'--seed'")
    refusing = [spec.name for spec in SCENES.values() if "seed" not in spec.options]
    assert refusing
    assert f"{', '.join(refusing)} take no --seed" in line


def test_scene_all_with_a_start_no_scene_pair_shares_exits_2() -> None:
    assert_usage_error(
        invoke("--scene", "all", "--start", "1"), "start", "underfit_overfit"
    )


@pytest.mark.parametrize(
    "args", [["--lr", "nan"], ["--quality", "8k"], ["--transparent"], ["--n", "1"]]
)
def test_scene_all_bad_input_exits_2(
    args: list[str], children: list[list[str]]
) -> None:
    assert_usage_error(invoke("--scene", "all", *args), args[0])
    assert children == []


def test_a_failed_child_fails_scene_all(
    children: list[list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(FakeChild, "returncode", 1)
    monkeypatch.setattr(FakeChild, "complaint", "Usage: ...\n\nError: boom\n")
    result = invoke("--scene", "all")
    assert result.exit_code == 1, result.output
    assert f"{len(SCENES)} scene(s) failed" in result.output
    assert "Error: boom" in result.output
