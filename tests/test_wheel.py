"""The wheel: the three packages, every module and reveal.js, working outside the checkout.

pip builds the wheel from a copy of the source tree, then it is installed into venvs
outside the checkout and run from an empty folder with no PYTHONPATH. On Python 3.11 it
comes with its dependencies and the checkout's own torch (pip's local wheel, not a new
download) and trains, renders and builds a deck. On 3.12 and 3.13 it comes without
torch and replays a committed trace. Those two venvs hold only the dependencies
(manimpango and pycairo may build from source) and are kept under
~/.cache/sgd-anim-tests, keyed by interpreter and dependency list; only the wheel is
reinstalled. pip installs without compiling bytecode: the runs compile what they import.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import av
import pytest
from packaging.requirements import Requirement

from tests.conftest import CONTROL_DATA, REPO
from tests.decks import check_deck, references

PACKAGES = ("sgd_anim", "scenes", "sgdcore")
REVEAL = "sgd_anim/files/revealjs"
TRACE = CONTROL_DATA / "traces" / "lr_too_low.npz"  # 4 steps, written by --save-trace
CLIP = ("--scene", "lr_too_low", "--quality", "low", "--steps", "3")
CACHE = (
    Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "sgd-anim-tests"
)
INSTALL_TIMEOUT = 1200  # a cold install with manimpango and pycairo built from source
RUN_TIMEOUT = 300
LOW_QUALITY = ("h264", 854, 480)


def run(*command: str | Path, cwd: Path, timeout: float = RUN_TIMEOUT) -> str:
    """Run a command without PYTHONPATH; its stdout, or fail showing what it printed."""
    hidden = ("PYTHONPATH", "VIRTUAL_ENV")
    env = {key: value for key, value in os.environ.items() if key not in hidden}
    result = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def find_python(version: str) -> Path:
    """An interpreter of `version` with venv, on PATH or among pyenv's; else skip."""
    pyenv = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv")
    found = sorted(
        pyenv.glob(f"versions/{version}.*/bin/python{version}"), reverse=True
    )
    for candidate in [shutil.which(f"python{version}"), *found]:
        if candidate is None:
            continue
        probe = subprocess.run(
            [
                candidate,
                "-c",
                "import sys, venv; print('%d.%d' % sys.version_info[:2])",
            ],
            capture_output=True,
            text=True,
        )  # a pyenv shim of a version not selected fails here
        if probe.returncode == 0 and probe.stdout.strip() == version:
            return Path(candidate)
    pytest.skip(f"no Python {version} with venv on PATH or in {pyenv}/versions")


def source_files() -> set[str]:
    """Every file of the three packages in the source tree, as paths in a wheel."""
    return {
        path.relative_to(REPO).as_posix()
        for package in PACKAGES
        for path in (REPO / package).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


def requirements_without_torch(wheel: Path) -> list[str]:
    """The wheel's dependencies with its slides extra, torch left out, markers dropped."""
    with zipfile.ZipFile(wheel) as archive:
        (metadata,) = [
            n for n in archive.namelist() if n.endswith(".dist-info/METADATA")
        ]
        lines = archive.read(metadata).decode().splitlines()
    wanted = []
    for line in lines:
        if not line.startswith("Requires-Dist:"):
            continue
        requirement = Requirement(line.removeprefix("Requires-Dist:").strip())
        marker = requirement.marker
        if requirement.name == "torch" or (
            marker and not marker.evaluate({"extra": "slides"})
        ):
            continue
        requirement.marker = None
        wanted.append(str(requirement))
    return sorted(wanted)


def cached_venv(version: str, wheel: Path) -> Path:
    """A venv of Python `version` with the wheel's dependencies but torch, kept."""
    python = find_python(version)
    requirements = requirements_without_torch(wheel)
    interpreter = run(python, "-c", "import sys; print(sys.version)", cwd=REPO)
    key = hashlib.sha256("\n".join([interpreter, *requirements]).encode()).hexdigest()
    venv = CACHE / f"venv-{version}-{key[:16]}"
    if not (venv / "ready").exists():
        for stale in CACHE.glob(f"venv-{version}-*"):
            shutil.rmtree(stale)  # an older dependency list, or a build cut short
        CACHE.mkdir(parents=True, exist_ok=True)
        run(python, "-m", "venv", venv, cwd=CACHE)
        pip = (venv / "bin" / "python", "-m", "pip", "install", "-q", "--no-compile")
        run(*pip, "--upgrade", "pip", cwd=CACHE, timeout=INSTALL_TIMEOUT)
        run(*pip, *requirements, cwd=CACHE, timeout=INSTALL_TIMEOUT)
        (venv / "ready").write_text("\n".join(requirements) + "\n")
    return venv


def check_clip(path: Path) -> None:
    """An h264 video at low quality's 854×480, with frames to decode."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        assert (stream.codec_context.name, stream.width, stream.height) == LOW_QUALITY
        assert sum(1 for _ in container.decode(stream)) > 0


def check_offline_deck(html: Path) -> None:
    """The deck's own checks, and every file its style sheets load lies beside it."""
    check_deck(html)
    sheets = [link for link in references(html) if link.endswith(".css")]
    assert any(sheet.startswith("reveal.js/dist/theme/") for sheet in sheets), sheets
    for sheet in sheets:
        css = html.parent / sheet
        for url in re.findall(r"url\(([^)]+)\)", css.read_text()):
            url = url.strip("'\"")
            if not url.startswith("data:"):
                assert (css.parent / url).is_file(), f"{sheet} loads {url}: missing"


def deck_videos(html: Path) -> list[Path]:
    """The videos a deck plays, one a slide."""
    videos = [link for link in references(html) if link.endswith(".mp4")]
    assert videos, f"{html} plays no video"
    return [html.parent / link for link in videos]


def installed_with_torch(venv: Path, cwd: Path) -> bool:
    """Whether `venv` has torch; `import sgd_anim` there must load `venv`'s own copy."""
    probe = "import importlib.util, sgd_anim; "
    probe += (
        "print(sgd_anim.__file__); print(importlib.util.find_spec('torch') is not None)"
    )
    where, has_torch = run(venv / "bin" / "python", "-c", probe, cwd=cwd).split()
    assert Path(where).is_relative_to(venv), f"sgd_anim imported from {where}"
    return has_torch == "True"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built by pip from a copy of the source tree (the checkout stays clean)."""
    source = tmp_path_factory.mktemp("source")
    for package in PACKAGES:
        ignore = shutil.ignore_patterns("__pycache__")
        shutil.copytree(REPO / package, source / package, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    built = tmp_path_factory.mktemp("wheel")
    run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "-q",
        "--no-deps",
        "-w",
        built,
        source,
        cwd=built,
    )
    (path,) = built.glob("*.whl")
    return path


@pytest.fixture(scope="module")
def venv_311(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new Python 3.11 venv with the wheel, its slides extra and the checkout's torch."""
    python = find_python("3.11")
    venv = tmp_path_factory.mktemp("venv-3.11")
    run(python, "-m", "venv", venv, cwd=venv)
    pip = (venv / "bin" / "python", "-m", "pip", "install", "-q", "--no-compile")
    torch = f"torch=={importlib.metadata.version('torch')}"
    # Offline, from pip's local wheels: left to the index, pip would pick its newest torch
    local = subprocess.run(
        [*pip, "--no-index", "--no-deps", torch], capture_output=True
    )
    if local.returncode != 0:
        pytest.skip(f"{torch} is not among pip's local wheels (find-links)")
    run(*pip, f"{wheel}[slides]", cwd=venv, timeout=INSTALL_TIMEOUT)
    return venv


@pytest.mark.slow
def test_wheel_holds_every_module_and_reveal_js_and_nothing_else(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        tops = {name.split("/")[0] for name in names}
        (info,) = [top for top in tops if top.endswith(".dist-info")]
        entry_points = archive.read(f"{info}/entry_points.txt").decode()
    assert tops == {*PACKAGES, info}
    packaged = {name for name in names if not name.startswith(f"{info}/")}
    assert sorted(source_files() - packaged) == [], "missing from the wheel"
    assert sorted(packaged - source_files()) == [], "not in the source tree"
    assert {f"{REVEAL}/LICENSE", f"{REVEAL}/dist/reveal.js"} <= packaged
    player = {
        "player/player.html",
        "player/player.js",
        "player/player.css",
        "captions.js",
    }
    assert {f"sgd_anim/files/{name}" for name in player} <= packaged
    assert "sgd-anim = sgd_anim.cli:main" in entry_points


@pytest.mark.slow
def test_wheel_on_3_11_trains_renders_and_builds_a_deck(
    venv_311: Path, tmp_path: Path
) -> None:
    assert installed_with_torch(venv_311, tmp_path)
    # Each entry point renders once: the module a deck, the script a clip
    python = venv_311 / "bin" / "python"
    run(python, "-m", "sgd_anim", *CLIP, "--slides", "-o", "d/lr.html", cwd=tmp_path)
    run(venv_311 / "bin" / "sgd-anim", *CLIP, "-o", "b.mp4", cwd=tmp_path)
    check_clip(tmp_path / "b.mp4")
    check_offline_deck(tmp_path / "d" / "lr.html")
    for video in deck_videos(tmp_path / "d" / "lr.html"):
        check_clip(video)


@pytest.mark.slow
@pytest.mark.parametrize("version", ["3.12", "3.13"])
def test_wheel_replays_a_committed_trace_without_torch(
    version: str, wheel: Path, tmp_path: Path
) -> None:
    venv = cached_venv(version, wheel)
    pip = (venv / "bin" / "python", "-m", "pip", "install", "-q", "--no-compile")
    run(*pip, "--no-deps", "--force-reinstall", wheel, cwd=tmp_path)
    assert not installed_with_torch(venv, tmp_path)
    shutil.copy2(TRACE, tmp_path / TRACE.name)
    replay = ("--scene", "lr_too_low", "--trace", TRACE.name, "--quality", "low")
    run(venv / "bin" / "python", "-m", "sgd_anim", *replay, "-o", "r.mp4", cwd=tmp_path)
    run(venv / "bin" / "sgd-anim", *replay, "--slides", "-o", "d/lr.html", cwd=tmp_path)
    check_clip(tmp_path / "r.mp4")
    check_offline_deck(tmp_path / "d" / "lr.html")
