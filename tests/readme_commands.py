"""Reading the README's code blocks and running them quickly (tests/test_readme.py).

Each command of a ```bash block and each ```python block is found, rewritten to render
quickly (`--quality low`, a few steps for `--scene all`), run with the checkout's
virtualenv, and the files its options name are checked to be new.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

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
