"""The README's commands and Python examples run as written, from a copy of the checkout.

Every command of a ```bash block and every ```python block runs in a temporary copy of
the checkout's files, so nothing lands in the repository, with the checkout's
virtualenv. Renders are made quick: `--quality low` in place of the quality asked for
(or added), and a few steps for `--scene all`. The Quick start's `./scripts/setup` is
not re-run (it would reinstall) and its test command is this suite itself.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

import pytest

from sgd_anim.registry import SCENES
from tests.conftest import REPO

README = (REPO / "README.md").resolve(strict=True)
VENV_BIN = REPO / ".venv" / "bin"  # the README's `.venv/bin/python`
BIN = VENV_BIN if (VENV_BIN / "python").exists() else Path(sys.executable).parent
COMMAND_TIMEOUT = 300  # seconds: a deck of every scene at low quality takes about 50
WORKERS = 2  # the blocks run side by side on the project machine's two cores
ALL_SCENES_STEPS = "3"  # every scene in one command: a few steps each stay quick
SETUP = "./scripts/setup && "
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
# Flags that take no value; every other flag of the command takes one
BARE_FLAGS = {
    *("--list", "--version", "-h", "--help", "--slides", "--poster", "--captions"),
    *("--transparent", "-ql", "-qm", "-qh", "-qk"),
}
# Runs before each Python block: renders go at low quality, and say what they wrote
QUICK_RENDER = """\
import functools

import sgd_anim

_render = sgd_anim.render


@functools.wraps(_render)
def _quick_render(scene, **options):
    clip = _render(scene, **{**options, "quality": "low"})
    print("README-CLIP", clip.path.resolve(), flush=True)
    return clip


sgd_anim.render = _quick_render
del functools
"""


def fenced(language: str) -> list[str]:
    """The bodies of the README's code blocks in `language`, in order."""
    text = README.read_text(encoding="utf-8")
    return [body for lang, body in FENCE.findall(text) if lang == language]


def commands_of(block: str) -> list[str]:
    """A bash block's commands, one per line (backslash continuations joined)."""
    joined = re.sub(r"\\\n\s*", " ", block)
    return [line.strip() for line in joined.splitlines() if line.strip()]


def quick_form(command: str) -> list[str] | None:
    """The command as the test runs it, as argv; None for the test suite itself.

    The Quick start's setup is dropped, the venv's programs are named by absolute
    path, and renders are made quick. A command that is not the project's own (a
    shell line) comes back as `bash -c` with the venv on its PATH.
    """
    if command.startswith(SETUP):
        command = command.removeprefix(SETUP)
    if "scripts/setup" in command:
        raise ValueError(f"the test cannot run setup: {command!r}")
    args = shlex.split(command, comments=True)
    if args[:1] == [".venv/bin/python"]:
        args[0] = str(BIN / "python")
        if args[1:3] == ["-m", "pytest"]:
            return None
    elif args[:1] in ([".venv/bin/sgd-anim"], ["sgd-anim"]):
        args[0] = str(BIN / "sgd-anim")
    else:
        return ["bash", "-c", shell_line(command)]
    return quick_render(args)


def shell_line(command: str) -> str:
    """A shell line; a completion line must also register its completion."""
    line = f"set -e\n{command}"
    completed = re.search(r"_COMPLETE=bash_source (\S+)\)", command)
    return f"{line}\ncomplete -p {completed.group(1)}" if completed else line


def quick_render(args: list[str]) -> list[str]:
    """A render at low quality (`--scene all`: with a few steps)."""
    if "--scene" not in args:
        return args
    args = ["-ql" if arg in ("-qm", "-qh", "-qk") else arg for arg in args]
    if "--quality" in args:
        args[args.index("--quality") + 1] = "low"
    elif "-ql" not in args:
        args += ["--quality", "low"]
    run_given = {"--steps", "--epochs", "--trace"} & set(args)
    if values_of(args).get("--scene") == "all" and not run_given:
        args += ["--steps", ALL_SCENES_STEPS]
    return args


def values_of(args: list[str]) -> dict[str, str]:
    """Each flag's value (the last, if repeated); bare flags are left out."""
    values: dict[str, str] = {}
    for flag, value in pairwise(args):
        if flag.startswith("-") and flag not in BARE_FLAGS and not flag[1:2].isdigit():
            values[flag] = value
    return values


def written_by(args: list[str]) -> list[Path]:
    """The files a command says it writes, relative to where it runs."""
    values = values_of(args)
    scene = values.get("--scene")
    if scene is None:
        return []
    output = values.get("-o", values.get("--output"))
    files = [Path(values["--save-trace"])] if "--save-trace" in values else []
    if "--slides" in args:
        deck = Path(output or f"renders/{'lesson' if scene == 'all' else scene}.html")
        return [*files, deck, deck.with_suffix(".pptx")]
    fmt = values.get("--format", Path(output or ".mp4").suffix.lstrip(".") or "mp4")
    if scene == "all":
        folder = Path(output or "renders")
        return [*files, *(folder / f"{name}.{fmt}" for name in SCENES)]
    return [*files, Path(output or f"renders/{scene}.{fmt}")]


@dataclass
class Run:
    """One command or Python block as run: what it was, and what went wrong."""

    shown: str  # as the README writes it
    seconds: float = 0.0
    clips: int = 0  # renders a Python block made
    problems: list[str] = field(default_factory=list)


def run(argv: list[str], shown: str, where: Path, stdin: str | None = None) -> Run:
    """Run one command from `where`; a problem if it fails."""
    started = time.time()
    result = subprocess.run(
        argv,
        cwd=where,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
        env={
            **os.environ,
            "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
            "PYTHONPATH": str(where),  # the copy's modules, for every program
        },
    )
    outcome = Run(shown, time.time() - started)
    if result.returncode != 0:
        tail = (result.stdout + result.stderr)[-2000:]
        outcome.problems.append(f"exit {result.returncode}:\n{tail}")
    clips = [
        Path(line.removeprefix("README-CLIP "))
        for line in result.stdout.splitlines()
        if line.startswith("README-CLIP ")
    ]
    outcome.clips = len(clips)
    outcome.problems += [
        f"rendered {clip}, but wrote no such file"
        for clip in clips
        if not fresh(clip, started)
    ]
    return outcome


def fresh(path: Path, since: float) -> bool:
    """Whether `path` is a non-empty file written at or after `since`."""
    slack = 0.05  # file times come from the kernel's coarser clock
    return (
        path.is_file()
        and path.stat().st_size > 0
        and path.stat().st_mtime > since - slack
    )


def run_bash_block(block: str, where: Path) -> list[Run]:
    """Each command in order, until one fails (the next may need its files)."""
    runs = []
    for command in commands_of(block):
        argv = quick_form(command)
        if argv is None:
            continue
        started = time.time()
        outcome = run(argv, command, where)
        outcome.problems += [
            f"wrote no {path}"
            for path in written_by(argv)
            if not fresh(where / path, started)
        ]
        runs.append(outcome)
        if outcome.problems:
            break
    return runs


def run_python_block(block: str, where: Path) -> list[Run]:
    """The block as a script after QUICK_RENDER; each render() must write its file."""
    # compiled as its own file, so a traceback gives the block's line numbers
    script = f"{QUICK_RENDER}exec(compile({block!r}, 'README block', 'exec'))\n"
    outcome = run([str(BIN / "python"), "-"], block, where, script)
    calls = block.count("sgd_anim.render(")
    if outcome.clips < calls and not outcome.problems:
        outcome.problems.append(f"{calls} render() calls made {outcome.clips} clips")
    return [outcome]


@pytest.fixture(scope="module")
def checkout_copy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The checkout's files (tracked, and new ones not ignored) in a temporary folder."""
    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout: no list of its files")
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.decode()
    copy = tmp_path_factory.mktemp("checkout")
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if source.is_file():  # a file deleted but not yet committed is left out
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name, follow_symlinks=False)
    yield copy
    shutil.rmtree(copy, ignore_errors=True)


def test_quick_form_makes_renders_quick_and_skips_setup_and_the_suite() -> None:
    def argv(program: str, args: str) -> list[str]:
        return [str(BIN / program), *args.split()]

    quick_start = f"{SETUP}.venv/bin/python render.py --scene fit_line"
    assert quick_form(quick_start) == argv(
        "python", "render.py --scene fit_line --quality low"
    )
    assert quick_form(f"{SETUP}.venv/bin/python -m pytest") is None
    assert quick_form("sgd-anim --scene fit_line -qh --lr 0.3  # a comment") == argv(
        "sgd-anim", "--scene fit_line -ql --lr 0.3"
    )
    assert quick_form(".venv/bin/sgd-anim --scene all --quality 4k -o a/") == argv(
        "sgd-anim", f"--scene all --quality low -o a/ --steps {ALL_SCENES_STEPS}"
    )
    assert quick_form(".venv/bin/python render.py --list") == argv(
        "python", "render.py --list"
    )
    with pytest.raises(ValueError, match="setup"):
        quick_form("./scripts/setup")


def test_the_files_checked_follow_the_output_options() -> None:
    def written(args: str) -> list[Path]:
        return written_by(["sgd-anim", *args.split()])

    assert written("--scene fit_line --save-trace r.npz") == [
        Path("r.npz"),
        Path("renders/fit_line.mp4"),
    ]
    assert written("--scene minibatch --slides -o t/a.html") == [
        Path("t/a.html"),
        Path("t/a.pptx"),
    ]
    assert written("--scene fit_line --start -1,1 -o f.gif") == [Path("f.gif")]
    assert written("--scene all --format png") == [
        Path("renders") / f"{name}.png" for name in SCENES
    ]


def test_quick_start_is_the_two_setup_commands_then_more_to_run() -> None:
    (quick_start, *rest) = fenced("bash")
    assert commands_of(quick_start) == [
        f"{SETUP}.venv/bin/python render.py --scene fit_line",
        f"{SETUP}.venv/bin/python -m pytest",
    ]
    assert sum(len(commands_of(block)) for block in rest) >= 5
    assert fenced("python")


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_readme_completion_line_prints_a_completion_script(shell: str) -> None:
    # zsh and fish may not be installed: the script sgd-anim prints for them is checked
    assert f"_SGD_ANIM_COMPLETE={shell}_source sgd-anim" in README.read_text("utf-8")
    result = subprocess.run(
        [str(BIN / "sgd-anim")],
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
        env={**os.environ, "_SGD_ANIM_COMPLETE": f"{shell}_source"},
    )
    assert result.returncode == 0, result.stderr
    assert "_sgd_anim_completion" in result.stdout and "sgd-anim" in result.stdout


@pytest.mark.slow
def test_readme_commands_and_examples_run_as_written(checkout_copy: Path) -> None:
    jobs = [(run_bash_block, block) for block in fenced("bash")]
    jobs += [(run_python_block, block) for block in fenced("python")]
    # Every scene in one command takes longest: it starts first, the rest beside it
    jobs.sort(key=lambda job: "--scene all" not in job[1])
    with ThreadPoolExecutor(WORKERS) as pool:
        blocks = list(pool.map(lambda job: job[0](job[1], checkout_copy), jobs))
    runs = [outcome for block in blocks for outcome in block]
    failed = [
        f"{outcome.shown}\n  " + "\n  ".join(outcome.problems)
        for outcome in runs
        if outcome.problems
    ]
    assert not failed, "\n\n".join(failed)
    # and none was left out: each command but the suite, and each Python block
    commands = [command for block in fenced("bash") for command in commands_of(block)]
    ran = sum(quick_form(command) is not None for command in commands)
    assert len(runs) == ran + len(fenced("python"))
