"""The package's layers: the library under the command line, files under both.

Nothing below `sgd_anim.cli` imports click; sgdcore and scenes never import the
package above them; the file writers never import the library or the command line.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.test_import_boundaries import (
    REPO,
    SCENES,
    SGDCORE,
    heavy_modules_after_import,
    imported_modules,
    python_files,
)

LIBRARY = (REPO / "sgd_anim").resolve(strict=True)
CLI = (LIBRARY / "cli").resolve(strict=True)
FILES = (LIBRARY / "files").resolve(strict=True)


def test_the_library_loads_no_click_torch_or_manim_until_it_works() -> None:
    # `import sgd_anim`, its options and checks: a notebook pays for none of them
    modules = ["sgd_anim", "sgd_anim.options", "sgd_anim.request", "sgd_anim.api"]
    assert heavy_modules_after_import(modules) == {name: [] for name in modules}


def library_files() -> list[Path]:
    """Every module of sgd_anim outside its command line."""
    return [path for path in python_files(LIBRARY) if CLI not in path.parents]


@pytest.mark.parametrize(
    "path",
    python_files(SGDCORE) + python_files(SCENES) + library_files(),
    ids=lambda path: str(path.relative_to(REPO)),
)
def test_nothing_below_the_command_line_imports_click(path: Path) -> None:
    assert "click" not in imported_modules(path)


@pytest.mark.parametrize(
    "path", python_files(SGDCORE) + python_files(SCENES), ids=lambda path: path.name
)
def test_core_and_scenes_never_import_the_package_above_them(path: Path) -> None:
    assert "sgd_anim" not in imported_modules(path)


@pytest.mark.parametrize("path", python_files(FILES), ids=lambda path: path.name)
def test_file_writers_never_import_the_library_or_the_cli(path: Path) -> None:
    imported = dotted_imports(path)
    assert not any(
        name.startswith(("sgd_anim.api", "sgd_anim.cli")) for name in imported
    )


def dotted_imports(path: Path) -> set[str]:
    """The full dotted names `path` imports from (absolute imports only)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names
