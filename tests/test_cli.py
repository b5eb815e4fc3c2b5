"""render.py at the boundary: bad input exits 2 in one clear line; --list is light."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import click
import numpy as np
import pytest
from click.testing import CliRunner

from scenes.theme import DARK, PALETTES
from sgd_anim import cli
from sgd_anim.options import THEME_NAMES
from sgd_anim.registry import SCENES
from sgdcore.config import RunOptions
from sgdcore.trace import ARRAY_DTYPES, Trace, load_runs
from tests.conftest import assert_usage_error, invoke

REPO = Path(__file__).resolve(strict=True).parent.parent
SUBPROCESS_TIMEOUT = 120


@pytest.fixture(autouse=True)
def from_tmp_path(in_tmp_path: Path) -> Path:
    """Run every command from an empty folder, so no `renders/` lands in the repo."""
    return in_tmp_path


def render_args(*args: str) -> list[str]:
    """`--scene fit_line -o out.mp4` followed by `args`."""
    return ["--scene", "fit_line", "-o", "out.mp4", *args]


# -- bad input exits 2 -------------------------------------------------------------


def test_unknown_scene_exits_2_and_lists_the_scenes() -> None:
    line = assert_usage_error(invoke("--scene", "fit_curve"), "--scene", "fit_curve")
    for name in SCENES:
        assert name in line


def test_missing_scene_exits_2_and_lists_the_scenes() -> None:
    # click's own "Missing option" message lists the choices on lines of their own.
    result = invoke("-o", "out.mp4")
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert "Error: Missing option '--scene'" in result.output
    for name in SCENES:
        assert name in result.output


@pytest.mark.parametrize(
    ("option", "value", "word"),
    [
        ("--lr", "0", "positive finite"),
        ("--lr", "-1", "positive finite"),
        ("--lr", "nan", "positive finite"),
        ("--lr", "inf", "positive finite"),
        ("--lr", "-inf", "positive finite"),
        ("--lr", "fast", "float"),
        ("--steps", "0", "range"),
        ("--steps", "-5", "range"),
        ("--n", "1", "range"),
        ("--pace", "0", "positive finite"),
        ("--pace", "nan", "positive finite"),
        ("--quality", "8k", "8k"),
    ],
)
def test_invalid_option_value_exits_2(option: str, value: str, word: str) -> None:
    assert_usage_error(invoke(*render_args(option, value)), option, word)


def test_lr_nan_exits_2() -> None:
    assert_usage_error(invoke(*render_args("--lr", "nan")), "--lr", "nan")


def test_output_in_missing_folders_makes_them(
    tmp_path: Path, rendered: list[dict[str, Any]]
) -> None:
    output = tmp_path / "talk" / "clips" / "fit.mp4"
    result = invoke("--scene", "fit_line", "-o", str(output))
    assert result.exit_code == 0, result.output
    assert output.parent.is_dir()
    assert rendered[0]["output"] == output


def test_output_under_a_file_exits_2_and_makes_nothing(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("a file, not a folder")
    output = tmp_path / "notes.txt" / "clips" / "fit.mp4"
    result = invoke("--scene", "fit_line", "-o", str(output))
    assert_usage_error(result, "--output", "cannot write", "is a file")
    assert (tmp_path / "notes.txt").read_text() == "a file, not a folder"


def test_refused_render_makes_no_folders(tmp_path: Path) -> None:
    output = tmp_path / "a" / "b" / "fit.mp4"
    result = invoke("--scene", "fit_line", "--steps", "0", "-o", str(output))
    assert_usage_error(result, "--steps")
    assert not (tmp_path / "a").exists()


def test_output_with_txt_suffix_exits_2() -> None:
    result = invoke("--scene", "fit_line", "-o", "fit.txt")
    assert_usage_error(result, "--output", ".mp4")


def test_trace_in_missing_file_exits_2() -> None:
    result = invoke(*render_args("--trace", "missing.npz"))
    assert_usage_error(result, "--trace", "missing.npz", "no such file")


def test_trace_in_garbage_file_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "garbage.npz"
    path.write_bytes(np.random.default_rng(0).bytes(2048))
    assert_usage_error(invoke(*render_args("--trace", str(path))), "--trace", "trace")


def test_trace_in_text_file_is_not_a_saved_trace(tmp_path: Path) -> None:
    # It was called "pickled (object) data".
    path = tmp_path / "notes.npz"
    path.write_text("not a trace\n")
    result = invoke(*render_args("--trace", str(path)))
    assert_usage_error(result, "--trace", "not a saved trace", "text file")


def test_trace_with_object_array_exits_2(tiny_trace: Trace, tmp_path: Path) -> None:
    path = tmp_path / "pickled.npz"
    arrays = {name: getattr(tiny_trace, name) for name in ARRAY_DTYPES}
    arrays["params"] = tiny_trace.params.astype(object)
    np.savez(path, meta=np.array(json.dumps(tiny_trace.meta)), **arrays)
    result = invoke(*render_args("--trace", str(path)))
    line = assert_usage_error(result, "--trace")
    assert "object" in line.lower() or "pickle" in line.lower()


def test_trace_of_another_problem_exits_2(trace_file: Path) -> None:
    result = invoke("--scene", "lr_too_high", "--trace", str(trace_file))
    assert_usage_error(result, "--trace", "quadratic", "linear_regression")


def test_trace_of_a_real_quadratic_run_exits_2(tmp_path: Path) -> None:
    from sgdcore.problems import Quadratic
    from sgdcore.train import SGDConfig, run_sgd

    path = tmp_path / "bowl.npz"
    run_sgd(Quadratic(), SGDConfig(start=(3.0,), n_steps=3)).save(path)
    assert_usage_error(invoke(*render_args("--trace", str(path))), "quadratic")


def test_trace_in_npy_file_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "params.npy"
    np.save(path, np.zeros((3, 2)))
    assert_usage_error(invoke(*render_args("--trace", str(path))), "--trace")


@pytest.mark.parametrize(
    "override",
    [("--lr", "0.2"), ("--steps", "5"), ("--seed", "1"), ("--n", "10")],
)
def test_trace_combined_with_training_option_exits_2(
    trace_file: Path, override: tuple[str, str]
) -> None:
    result = invoke(*render_args("--trace", str(trace_file), *override))
    assert_usage_error(result, "--trace", override[0])


def test_save_trace_into_missing_folder_makes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Real training, no drawing: only the saved runs are looked at
    module = ModuleType("sgd_anim.files.export")
    module.render_scene = lambda *_, **__: SimpleNamespace(  # type: ignore[attr-defined]
        width=854, height=480, frames=1, codec="png"
    )
    monkeypatch.setitem(sys.modules, "sgd_anim.files.export", module)
    target = tmp_path / "runs" / "today" / "run.npz"
    args = ["--quality", "low", "--steps", "2", "--save-trace", str(target)]
    result = invoke("--scene", "fit_line", "-o", str(tmp_path / "fit.mp4"), *args)
    assert result.exit_code == 0, result.output
    assert load_runs(target)[0].n_steps == 2


# -- --list and --help ------------------------------------------------------------


def test_list_needs_no_scene_and_renders_nothing(tmp_path: Path) -> None:
    result = invoke("--list", "--scene", "fit_line")
    assert result.exit_code == 0, result.output
    assert list(tmp_path.iterdir()) == []


def test_list_loads_neither_torch_nor_manim() -> None:
    probe = (
        "import json, runpy, sys\n"
        "sys.argv = ['render.py', '--list']\n"
        "try:\n"
        "    runpy.run_path('render.py', run_name='__main__')\n"
        "except SystemExit as done:\n"
        "    code = done.code\n"
        "else:\n"
        "    code = 'no exit'\n"
        "heavy = [name for name in ('torch', 'manim') if name in sys.modules]\n"
        "print(json.dumps({'code': code, 'heavy': heavy}))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_TIMEOUT,
        check=True,
    )
    *listing, report_line = completed.stdout.strip().splitlines()
    report = json.loads(report_line)
    assert report["code"] in (0, None)
    assert any(line.startswith("fit_line") for line in listing)
    assert report["heavy"] == []


def test_help_exits_0_and_mentions_every_option() -> None:
    result = invoke("--help")
    assert result.exit_code == 0, result.output
    options = [param for param in cli.main.params if isinstance(param, click.Option)]
    assert len(options) >= 10
    for option in options:
        assert option.help, f"{option.name} has no help text"
        for flag in option.opts:
            assert flag in result.output, f"{flag} missing from --help"
    assert "--help" in result.output


def test_installed_console_script_lists_scenes() -> None:
    script = Path(sys.executable).parent / "sgd-anim"
    completed = subprocess.run(
        [str(script), "--list"],
        cwd=os.getcwd(),
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_TIMEOUT,
    )
    assert completed.returncode == 0, completed.stderr
    assert "fit_line" in completed.stdout
    assert "Traceback" not in completed.stderr


@pytest.mark.parametrize("value", ["nan", "inf", "abc", "1,2"])
def test_bad_start_for_quadratic_scene_exits_2(value: str) -> None:
    result = CliRunner().invoke(cli.main, ["--scene", "lr_too_high", "--start", value])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "start" in result.output


# -- one render gets every option ----------------------------------------------------


def test_scene_lr_too_high_renders_as_before(rendered: list[dict[str, Any]]) -> None:
    result = invoke("--scene", "lr_too_high")
    assert result.exit_code == 0, result.output
    (call,) = rendered
    spec = SCENES["lr_too_high"]
    assert call["scene_class"] == "lr_too_high"
    assert call["traces"] == ["lr_too_high-run0"]
    assert call["output"] == Path("renders/lr_too_high.mp4")
    assert (call["quality"], call["fmt"], call["transparent"]) == ("high", "mp4", False)
    assert (call["poster"], call["palette"], call["pace"]) == (None, DARK, spec.pace)
    assert result.output == "renders/lr_too_high.mp4  (1920x1080, 100 frames, h264)\n"


def test_render_gets_every_output_option(
    rendered: list[dict[str, Any]], trained: dict[str, RunOptions]
) -> None:
    args = "--scene fit_line -o clip.webm --quality low --transparent --theme light"
    args += " --poster --pace 3 --lr 0.3 --seed 5"
    result = invoke(*args.split())
    assert result.exit_code == 0, result.output
    (call,) = rendered
    assert (call["output"], call["quality"], call["fmt"]) == (
        Path("clip.webm"),
        "low",
        "webm",
    )
    assert (call["transparent"], call["poster"]) == (True, Path("clip.png"))
    assert (call["palette"], call["pace"]) == (PALETTES["light"], 3.0)
    assert trained["fit_line"] == RunOptions(learning_rate=0.3, seed=5)


def test_cli_theme_names_match_the_palettes() -> None:
    assert sorted(THEME_NAMES) == sorted(PALETTES)
