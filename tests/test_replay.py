"""Every scene replays what --save-trace wrote, and --trace refuses runs a scene cannot
show, naming --trace, before anything renders.

Training is real (a few steps, in-process); rendering is conftest's stand-in, except in
the one slow test that renders a saved three-run file.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import av
import numpy as np
import pytest

from sgd_anim.registry import SCENES, same_problem
from sgdcore.config import RunOptions
from sgdcore.trace import ARRAY_DTYPES, Trace, load_runs, save_runs
from tests.conftest import assert_usage_error, invoke, quadratic_trace

pytestmark = pytest.mark.usefixtures("in_tmp_path")


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """A stand-in sgd_anim.files.export over real training: each render_scene call's arguments."""
    calls: list[dict[str, Any]] = []

    def render_scene(
        scene_class: Any, traces: list[Trace], output: Path, *_: Any, **__: Any
    ) -> SimpleNamespace:
        calls.append({"traces": traces, "output": output})
        return SimpleNamespace(width=854, height=480, frames=1, codec="h264")

    module = ModuleType("sgd_anim.files.export")
    module.render_scene = render_scene  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "sgd_anim.files.export", module)
    return calls


def few_steps(name: str) -> list[str]:
    """Options for a short run of scene `name`."""
    return ["--epochs", "1"] if name == "minibatch" else ["--steps", "3"]


@pytest.mark.parametrize("name", list(SCENES))
def test_every_scene_replays_the_runs_it_saved(
    name: str, drawn: list[dict[str, Any]]
) -> None:
    first = invoke("--scene", name, *few_steps(name), "--save-trace", "run.npz")
    assert first.exit_code == 0, first.output
    again = invoke("--scene", name, "--trace", "run.npz", "-o", "again.mp4")
    assert again.exit_code == 0, again.output
    trained, replayed = drawn[0]["traces"], drawn[1]["traces"]
    assert len(replayed) == len(trained) == SCENES[name].n_runs
    assert all(a.equals(b) for a, b in zip(trained, replayed, strict=True))


def test_optimizers_replays_fewer_runs(drawn: list[dict[str, Any]]) -> None:
    args = ["--scene", "optimizers", "--steps", "2", "--optimizers", "adam"]
    assert invoke(*args, "--save-trace", "run.npz").exit_code == 0
    assert invoke("--scene", "optimizers", "--trace", "run.npz").exit_code == 0
    assert [t.meta["optimizer"] for t in drawn[1]["traces"]] == ["adam"]


def crafted(path: Path, runs: list[tuple[dict[str, Any], dict[str, Any]]]) -> Path:
    """Write `(arrays, meta)` runs as a trace file, bypassing every check of save."""
    entries: dict[str, Any] = {}
    for index, (arrays, meta) in enumerate(runs):
        prefix = "" if len(runs) == 1 else f"run{index}/"
        entries[f"{prefix}meta"] = np.array(json.dumps(meta))
        entries.update({prefix + name: arrays[name] for name in ARRAY_DTYPES})
    np.savez(path, **entries)
    return path


def parts(trace: Trace) -> tuple[dict[str, Any], dict[str, Any]]:
    """A trace's arrays and meta, to be edited."""
    return {name: getattr(trace, name) for name in ARRAY_DTYPES}, dict(trace.meta)


@pytest.mark.parametrize(
    ("scene", "edit", "words"),
    [
        # each of these loaded, then failed mid-render with exit 1
        ("minibatch", {"batches_per_epoch": None}, "'batches_per_epoch'"),
        ("lr_too_high", {"curvature": 0.0}, "curvature"),
        ("lr_too_high", {"learning_rate": "fast"}, "learning_rate"),
        ("lr_too_high", {"minimum": float("inf")}, "minimum"),
        ("optimizers", {"optimizer": None}, "'optimizer'"),
    ],
)
def test_a_trace_missing_what_its_scene_reads_exits_2(
    scene: str, edit: dict[str, Any], words: str, tmp_path: Path
) -> None:
    spec = SCENES[scene]
    if spec.problem == "linear_regression":
        base = spec.train(RunOptions(n_steps=2))[0]
    else:
        base = quadratic_trace(3)
    arrays, meta = parts(base)
    for key, value in edit.items():
        if value is None:
            del meta[key]
        else:
            meta[key] = value
    runs = [(arrays, meta)] * (2 if scene == "minibatch" else 1)
    path = crafted(tmp_path / "bad.npz", runs)
    assert_usage_error(invoke("--scene", scene, "--trace", str(path)), "--trace", words)


@pytest.mark.parametrize(
    ("scene", "name", "scale"),
    [
        ("surface_3d", "params", 1e300),
        ("surface_3d", "y", 1e300),
        ("fit_line", "x", 1e20),
    ],
)
def test_values_past_any_plot_exit_2(
    scene: str, name: str, scale: float, tmp_path: Path
) -> None:
    # surface_3d failed with manim's "Not sure how you reached here"
    arrays, meta = parts(SCENES[scene].train(RunOptions(n_steps=2))[0])
    arrays[name] = arrays[name] * np.where(arrays[name] == 1.0, 1.0, scale)
    path = crafted(tmp_path / "far.npz", [(arrays, meta)])
    result = invoke("--scene", scene, "--trace", str(path))
    assert_usage_error(result, "--trace", "beyond any plot")


def test_a_quadratic_minimum_past_any_plot_exits_2(tmp_path: Path) -> None:
    # It failed mid-render with "math domain error"
    arrays, meta = parts(quadratic_trace(3))
    path = crafted(tmp_path / "far.npz", [(arrays, meta | {"minimum": 1e308})])
    result = invoke("--scene", "lr_too_high", "--trace", str(path))
    assert_usage_error(result, "--trace", "beyond any plot")


@pytest.mark.parametrize("scale", [0.0, 1e-300])
def test_data_on_a_line_for_the_bowl_exits_2(scale: float, tmp_path: Path) -> None:
    # The bowl's height divides by the least-squares loss, which is then zero
    arrays, meta = parts(SCENES["surface_3d"].train(RunOptions(n_steps=2))[0])
    arrays["y"] = arrays["y"] * scale
    path = crafted(tmp_path / "line.npz", [(arrays, meta)])
    result = invoke("--scene", "surface_3d", "--trace", str(path))
    assert_usage_error(result, "--trace", "lie on a line")


def test_a_trace_with_infinite_parameters_exits_2(tmp_path: Path) -> None:
    arrays, meta = parts(quadratic_trace(3))
    arrays["params"] = arrays["params"].copy()
    arrays["params"][1, 0] = np.inf
    path = crafted(tmp_path / "inf.npz", [(arrays, meta)])
    assert_usage_error(invoke("--scene", "lr_too_low", "--trace", str(path)), "--trace")


def test_a_line_fit_run_for_a_quadratic_scene_exits_2(trace_file: Path) -> None:
    result = invoke("--scene", "lr_too_high", "--trace", str(trace_file))
    assert_usage_error(result, "--trace", "linear_regression", "quadratic")


def test_runs_of_different_quadratics_exit_2(tmp_path: Path) -> None:
    runs = [quadratic_trace(3, lr) for lr in (0.02, 0.4)]
    runs.append(quadratic_trace(3, 1.1, curvature=2.0))
    save_runs(tmp_path / "mixed.npz", runs)
    assert not same_problem(runs[0], runs[2])
    result = invoke("--scene", "lr_compare", "--trace", str(tmp_path / "mixed.npz"))
    assert_usage_error(result, "--trace", "runs 0 and 2")


def test_a_run_with_no_steps_exits_2(tmp_path: Path) -> None:
    # Only the start recorded, as a run that diverged at step 0 would be
    arrays, meta = parts(quadratic_trace(1))
    for name in ("params", "loss", "grad", "full_loss"):
        arrays[name] = arrays[name][:1]
    for name in ("batch", "epoch", "iteration"):
        arrays[name] = arrays[name][:0]
    path = crafted(tmp_path / "none.npz", [(arrays, meta | {"diverged_at": 0})])
    assert_usage_error(invoke("--scene", "lr_too_low", "--trace", str(path)), "--trace")


@pytest.mark.slow
def test_lr_compare_renders_its_saved_runs_to_the_same_last_frame(
    tmp_path: Path,
) -> None:
    low = ["--scene", "lr_compare", "--quality", "low", "--steps", "2"]
    first = invoke(*low, "--save-trace", "run.npz", "-o", "a.mp4")
    assert first.exit_code == 0, first.output
    assert len(load_runs(tmp_path / "run.npz")) == 3
    second = invoke(*low[:4], "--trace", "run.npz", "-o", "b.mp4")
    assert second.exit_code == 0, second.output
    with av.open("a.mp4") as a, av.open("b.mp4") as b:
        last_a = list(a.decode(video=0))[-1].to_ndarray()
        last_b = list(b.decode(video=0))[-1].to_ndarray()
    assert (last_a == last_b).all()
