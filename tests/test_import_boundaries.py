"""Imports flow one way: sgdcore → scenes → sgd_anim.files → the library → the CLI.

sgdcore never loads manim, scenes never load torch, nothing below the command line
(sgd_anim.cli) loads click, and nothing loads a layer above its own.

Each side is imported in a fresh interpreter, module by module in dependency order,
recording which heavy libraries are in `sys.modules` after each import. The first
module whose import brings a library in is the one that pulled it.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve(strict=True).parent.parent
SGDCORE = (REPO / "sgdcore").resolve(strict=True)
SCENES = (REPO / "scenes").resolve(strict=True)
HEAVY = ("torch", "manim", "click")
SUBPROCESS_TIMEOUT = 120

# Dependency order, so a module's own imports are already cached when it is probed.
TORCH_FREE_SGDCORE = ["sgdcore", "sgdcore.trace", "sgdcore.config"]
TORCH_SIDE = ["sgdcore.data", "sgdcore.problems", "sgdcore.train", "sgdcore.runs"]
TORCH_SIDE += sorted(
    f"sgdcore.{path.stem}"
    for path in SGDCORE.glob("*.py")
    if f"sgdcore.{path.stem}" not in TORCH_FREE_SGDCORE + TORCH_SIDE
    and path.stem != "__init__"
)
SCENE_FOUNDATIONS = ["scenes", "scenes.theme", "scenes.geometry", "scenes.numbers"]
SCENE_FOUNDATIONS += ["scenes.readout", "scenes.text", "scenes.clock", "scenes.replay"]


def module_name(path: Path) -> str:
    """The dotted module name of a file under the repository."""
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


# Then every other scenes module, panels included, so a newly added one is probed too.
SCENE_MODULES = SCENE_FOUNDATIONS + sorted(
    module_name(path)
    for path in SCENES.rglob("*.py")
    if module_name(path) not in SCENE_FOUNDATIONS
)
# manim mobjects that typeset with LaTeX, besides Tex and MathTex themselves.
LATEX_MOBJECTS = {
    "Tex",
    "MathTex",
    "SingleStringMathTex",
    "Title",
    "BulletedList",
    "DecimalNumber",
    "Integer",
    "Variable",
    "Matrix",
    "IntegerMatrix",
    "DecimalMatrix",
    "BraceLabel",
    "BraceText",
}

PROBE = f"""
import importlib, json, sys
report = {{}}
for name in sys.argv[1:]:
    importlib.import_module(name)
    report[name] = [lib for lib in {HEAVY!r} if lib in sys.modules]
print(json.dumps(report))
"""


def heavy_modules_after_import(modules: list[str]) -> dict[str, list[str]]:
    """Import `modules` in order in a fresh interpreter; heavy libraries after each."""
    completed = subprocess.run(
        [sys.executable, "-c", PROBE, *modules],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_TIMEOUT,
    )
    assert completed.returncode == 0, completed.stderr
    report: dict[str, list[str]] = json.loads(completed.stdout.strip().splitlines()[-1])
    return report


def python_files(folder: Path) -> list[Path]:
    """Every .py file under `folder`."""
    files = sorted(folder.rglob("*.py"))
    assert files, f"no python files under {folder}"
    return files


def imported_modules(path: Path) -> set[str]:
    """Top-level names of every module `path` imports, at any depth of its code."""
    modules: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            modules.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module.split(".")[0])
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", None) in {"__import__", "import_module"}
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            modules.add(str(node.args[0].value).split(".")[0])
    return modules


@pytest.fixture(scope="module")
def sgdcore_report() -> dict[str, list[str]]:
    """Heavy libraries after each sgdcore import, in one fresh interpreter."""
    return heavy_modules_after_import(TORCH_FREE_SGDCORE + TORCH_SIDE)


@pytest.fixture(scope="module")
def scenes_report() -> dict[str, list[str]]:
    """Heavy libraries after each scenes import, in one fresh interpreter."""
    return heavy_modules_after_import(SCENE_MODULES)


# -- in a fresh interpreter ----------------------------------------------------------


@pytest.mark.parametrize("module", TORCH_FREE_SGDCORE)
def test_sgdcore_package_and_trace_load_neither_torch_nor_manim(
    sgdcore_report: dict[str, list[str]], module: str
) -> None:
    assert sgdcore_report[module] == []


@pytest.mark.parametrize("module", TORCH_SIDE)
def test_sgdcore_training_modules_never_load_manim(
    sgdcore_report: dict[str, list[str]], module: str
) -> None:
    assert "manim" not in sgdcore_report[module]


@pytest.mark.parametrize("module", SCENE_MODULES)
def test_scene_modules_never_load_torch(
    scenes_report: dict[str, list[str]], module: str
) -> None:
    # (manim itself loads click for its own command line: scenes are checked for
    # click in their source instead)
    assert "torch" not in scenes_report[module]


def test_probe_sees_torch_once_training_is_imported(
    sgdcore_report: dict[str, list[str]],
) -> None:
    # Guards the probe itself: it must notice a heavy import when one happens.
    assert sgdcore_report["sgdcore.train"] == ["torch"]


def test_probe_covers_every_listed_scene_module(
    scenes_report: dict[str, list[str]],
) -> None:
    for module in (
        "scenes.fit_line",
        "scenes.replay",
        "scenes.panels.data_plot",
    ):
        assert module in scenes_report


def test_probe_sees_manim_once_a_scene_is_imported(
    scenes_report: dict[str, list[str]],
) -> None:
    assert "manim" in scenes_report["scenes.replay"]


def test_scene_registry_loads_neither_torch_nor_manim(
    scenes_report: dict[str, list[str]],
) -> None:
    # `render.py --list` reads the registry, so it must stay light.
    assert scenes_report["scenes"] == []
    report = heavy_modules_after_import(["sgd_anim.registry"])
    assert report == {"sgd_anim.registry": []}


@pytest.mark.parametrize("module", ["scenes.geometry", "scenes.numbers"])
def test_plot_geometry_and_number_formats_need_no_manim(
    scenes_report: dict[str, list[str]], module: str
) -> None:
    assert scenes_report[module] == []


def test_importing_render_loads_neither_torch_nor_manim() -> None:
    assert heavy_modules_after_import(["render"]) == {"render": ["click"]}


# -- in the source -------------------------------------------------------------------


@pytest.mark.parametrize("path", python_files(SCENES), ids=lambda path: path.name)
def test_scenes_source_has_no_tex_or_mathtex(path: Path) -> None:
    source = path.read_text()
    assert re.search(r"(?<![A-Za-z_])Tex\(", source) is None
    assert "MathTex" not in source


@pytest.mark.parametrize("path", python_files(SCENES), ids=lambda path: path.name)
def test_scenes_use_no_latex_backed_mobjects(path: Path) -> None:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    names |= {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        # Cairo's own Matrix is a transform, not Manim's LaTeX one
        and not (isinstance(node.value, ast.Name) and node.value.id == "cairo")
    }
    names |= {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert names & LATEX_MOBJECTS == set()


@pytest.mark.parametrize("path", python_files(SGDCORE), ids=lambda path: path.name)
def test_sgdcore_never_imports_manim(path: Path) -> None:
    assert "manim" not in imported_modules(path)
    assert re.search(r"^\s*(import|from)\s+manim\b", path.read_text(), re.M) is None


@pytest.mark.parametrize("path", python_files(SCENES), ids=lambda path: path.name)
def test_scenes_never_import_torch_even_lazily(path: Path) -> None:
    assert "torch" not in imported_modules(path)


@pytest.mark.parametrize("name", ["__init__.py", "trace.py", "config.py"])
def test_trace_and_package_never_import_torch_even_lazily(name: str) -> None:
    assert "torch" not in imported_modules(SGDCORE / name)


def test_scenes_import_only_trace_from_sgdcore() -> None:
    for path in python_files(SCENES):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                if node.module.split(".")[0] == "sgdcore":
                    assert node.module == "sgdcore.trace", f"{path.name}: {node.module}"
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.split(".")[0] == "sgdcore":
                        assert alias.name == "sgdcore.trace", f"{path.name}"


def test_import_scanner_finds_imports_at_any_depth(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import numpy as np\n"
        "def later():\n"
        "    from manim import Text\n"
        "    import torch.nn\n"
        "    return __import__('scenes')\n"
    )
    assert imported_modules(sample) == {"numpy", "manim", "torch", "scenes"}
