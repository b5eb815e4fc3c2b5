"""Shared fixtures, the golden-frame flags (after manim's conftest) and CLI helpers.

The CLI helpers run render.py in-process and stand in for what it calls (training,
render_scene, build_deck, child processes), so that what reaches each can be checked
without torch, manim or a render.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import click
import numpy as np
import pytest
from click.testing import CliRunner, Result

from sgd_anim import cli
from sgd_anim.cli import types as cli_types
from sgd_anim.registry import RUN_OPTIONS, SCENES, SceneSpec
from sgdcore.config import RunOptions
from sgdcore.trace import SCHEMA_VERSION, Trace
from tests.fake_children import FakeChild, children  # noqa: F401  # a fixture
from tests.player_stand_in import player_stand_in  # noqa: F401  # a fixture

REPO = Path(__file__).resolve(strict=True).parent.parent
CONTROL_DATA = (REPO / "tests" / "control_data").resolve(strict=True)
PLANS = "plans"  # the xdist group of files that plan scenes and render nothing


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Each file runs whole in one worker; those marked `xdist_group(PLANS)` share
    one, so that each plan (tests/planned.py keeps them) is made once a run."""
    for item in items:
        if item.get_closest_marker("xdist_group") is None:
            item.add_marker(pytest.mark.xdist_group(item.path.name))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--set_test",
        action="store_true",
        help="Write golden frames into tests/control_data instead of comparing.",
    )
    parser.addoption(
        "--show_diff",
        action="store_true",
        help="Save a PNG of rendered, control and difference under tests/diffs.",
    )


@pytest.fixture(scope="session", autouse=True)
def own_media_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Manim's own files (each text drawn as SVG) in a folder of this test process's:
    the processes that run tests side by side would otherwise write and read one
    file at once."""
    from manim import config

    before = config.media_dir
    config.media_dir = str(tmp_path_factory.mktemp("media"))
    yield
    config.media_dir = before


@pytest.fixture
def tiny_trace() -> Trace:
    """A hand-made 2-step gradient-descent run of a line, lr 0.1: no torch needed."""
    x = np.array([[-1.0, 1.0], [0.0, 1.0], [1.0, 1.0]])
    y = np.array([-1.0, 2.0, 5.0])
    params = [np.array([-1.0, 1.0])]
    for _ in range(2):
        now = params[-1]
        params.append(now - 0.1 * 2 * ((x @ now - y)[:, None] * x).mean(axis=0))
    params = np.array(params)
    loss = ((x @ params.T - y[:, None]) ** 2).mean(axis=0)
    grad = np.array([2 * ((x @ p - y)[:, None] * x).mean(axis=0) for p in params])
    return Trace(
        params=params,
        loss=loss,
        grad=grad,
        full_loss=loss.copy(),
        batch=np.tile(np.arange(3, dtype=np.int64), (2, 1)),
        epoch=np.arange(2, dtype=np.int64),
        iteration=np.zeros(2, dtype=np.int64),
        x=x,
        y=y,
        meta={
            "problem": "linear_regression",
            "schema_version": SCHEMA_VERSION,
            "learning_rate": 0.1,
            "n": 3,
            "diverged_at": None,
        },
    )


def quadratic_trace(
    n_steps: int, learning_rate: float = 0.4, start: float = 2.0, **meta: Any
) -> Trace:
    """A plain-GD run on f(w) = w², made with numpy: w_k = (1 - 2 lr)^k w_0."""
    w = start * (1 - 2 * learning_rate) ** np.arange(n_steps + 1, dtype=np.float64)
    steps = np.zeros(n_steps, dtype=np.int64)
    return Trace(
        params=w[:, None],
        loss=w**2,
        grad=(2 * w)[:, None],
        full_loss=w**2,
        batch=np.zeros((n_steps, 0), dtype=np.int64),
        epoch=np.arange(n_steps, dtype=np.int64),
        iteration=steps,
        x=np.zeros((0, 1)),
        y=np.zeros(0),
        meta={
            "problem": "quadratic",
            "schema_version": SCHEMA_VERSION,
            "learning_rate": learning_rate,
            "curvature": 1.0,
            "minimum": 0.0,
            "batch_size": 0,
            "batches_per_epoch": 1,
            "optimizer": "gd",
            "start": [start],
            "diverged_at": None,
            **meta,
        },
    )


def invoke(*args: str) -> Result:
    """Run the CLI in-process with `args`."""
    return CliRunner().invoke(cli.main, list(args))


def parse(*args: str) -> click.Context:
    """Parse `args` as render.py would, without running it."""
    return cli.main.make_context("render.py", list(args))


def assert_usage_error(result: Result, *words: str) -> str:
    """Exit 2, no traceback, and the output ends in one `Error:` line naming `words`."""
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    error_lines = [line for line in lines if line.startswith("Error:")]
    assert error_lines == [lines[-1]], result.output
    for word in words:
        assert word.lower() in lines[-1].lower(), result.output
    return lines[-1]


@pytest.fixture
def in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from an empty folder, so no `renders/` lands in the repo."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def trace_file(tiny_trace: Trace, tmp_path: Path) -> Path:
    """A valid linear-regression trace on disk."""
    path = tmp_path / "fit.npz"
    tiny_trace.save(path)
    return path


# -- CLI helpers ---------------------------------------------------------------------

OPTIONS = [
    param
    for param in cli.main.params
    if isinstance(param, click.Option) and param.expose_value
]
# --list answers and exits, --scene and -o are each child's own, --slides makes a deck:
# each has tests of its own; every other option must be passed on or refused.
# vary: test_player; jobs: test_parts (children of --scene all draw in one process)
OWN_TESTS = {"list", "scene", "output", "slides", "vary", "jobs"}
PASSED_ON = [param for param in OPTIONS if param.name not in OWN_TESTS]
# Each needs a partner to be valid at all: transparency needs a format with alpha.
PARTNERS = {"transparent": ["--format", "webm"]}
# The run options as RunOptions calls them (the CLI keeps the lesson's short names).
RUN_FIELDS = {"lr": "learning_rate", "steps": "n_steps"}


def flag_of(param: click.Parameter) -> str:
    """The long flag a user types for `param`."""
    return max(param.opts, key=len)


def sample_args(
    param: click.Option, tmp_path: Path, trace_file: Path, partners: bool = True
) -> list[str]:
    """Argv giving `param` a value that is not its default, picked by its type."""
    kind = param.type
    partner = PARTNERS.get(str(param.name), []) if partners else []
    if param.is_flag:
        return [flag_of(param), *partner]
    if isinstance(kind, click.Choice):
        value = str(kind.choices[-1])
    elif isinstance(kind, click.IntRange):  # cli_types.Count too
        value = str((kind.min or 0) + 3)
    elif param.name == "pace":  # slower than every default, short enough for all
        value = "2"
    elif isinstance(kind, cli_types.PositiveFinite):
        value = "0.75"
    elif isinstance(kind, cli_types.Real):  # a fraction, a weight decay
        value = "0.25"
    elif isinstance(kind, cli_types.Degrees):
        value = "3"
    elif isinstance(kind, cli_types.BatchSizes):
        value = "2,4"
    elif kind == click.INT:
        value = "7"
    elif isinstance(kind, cli_types.Numbers):
        value = "0.5"
    elif isinstance(kind, cli_types.Names):
        value = "gd"
    elif isinstance(kind, cli_types.TraceFile):
        value = str(trace_file)
    elif isinstance(kind, cli_types.DataFile):
        value = str(tmp_path / "points.csv")
        Path(value).write_text("x,y\n0,1\n1,3\n2,4.5\n")
    elif isinstance(kind, click.Path):
        value = str(tmp_path / f"{param.name}-sample.npz")
    else:
        pytest.fail(f"no sample value for {flag_of(param)}: teach sample_args its type")
    return [flag_of(param), value, *partner]


def refused_with_all() -> set[str]:
    """Options --scene all refuses: a saved run, and run options some scene refuses."""
    shared = frozenset.intersection(*(spec.options for spec in SCENES.values()))
    starts = {len(spec.runs[0].start) for spec in SCENES.values()}
    no_start_fits_all = {"start"} if len(starts) > 1 else set()
    return {"trace", "save_trace"} | (set(RUN_OPTIONS) - shared) | no_start_fits_all


def run_options_of(params: dict[str, object]) -> RunOptions:
    """The RunOptions that parsed CLI parameters stand for."""
    return RunOptions(
        **{RUN_FIELDS.get(name, name): params[name] for name in RUN_OPTIONS}
    )


@pytest.fixture
def trained(monkeypatch: pytest.MonkeyPatch) -> dict[str, RunOptions]:
    """No torch, no manim: each spec's class is its name and training is recorded."""
    record: dict[str, RunOptions] = {}

    def train(spec: SceneSpec, options: RunOptions = RunOptions()) -> list[str]:
        record[spec.name] = options
        return [f"{spec.name}-run{index}" for index in range(spec.n_runs)]

    monkeypatch.setattr(SceneSpec, "scene_class", lambda spec: spec.name)
    monkeypatch.setattr(SceneSpec, "train", train)
    return record


@pytest.fixture
def rendered(
    monkeypatch: pytest.MonkeyPatch, trained: dict[str, RunOptions]
) -> list[dict[str, Any]]:
    """A stand-in sgd_anim.files.export: each render_scene call's arguments, nothing drawn."""
    calls: list[dict[str, Any]] = []

    def render_scene(*args: Any, **kwargs: Any) -> SimpleNamespace:
        names = ("scene_class", "traces", "output", "quality")
        calls.append(dict(zip(names, args, strict=False)) | kwargs)
        return SimpleNamespace(width=1920, height=1080, frames=100, codec="h264")

    module = ModuleType("sgd_anim.files.export")
    module.render_scene = render_scene  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "sgd_anim.files.export", module)
    return calls


@pytest.fixture
def decks(
    monkeypatch: pytest.MonkeyPatch, trained: dict[str, RunOptions]
) -> list[dict[str, Any]]:
    """A stand-in sgd_anim.files.slides: each build_deck call's arguments, nothing drawn."""
    calls: list[dict[str, Any]] = []

    def build_deck(
        scenes: list[Any], html: Path, quality: str = "high", palette: Any = None
    ) -> tuple[Path, Path]:
        calls.append(
            {"scenes": scenes, "html": html, "quality": quality, "palette": palette}
        )
        return html, html.with_suffix(".pptx")

    module = ModuleType("sgd_anim.files.slides")
    module.build_deck = build_deck  # type: ignore[attr-defined]
    module.SlidesMissing = RuntimeError  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "sgd_anim.files.slides", module)
    return calls
