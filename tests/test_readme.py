"""The README's commands and Python examples run as written, from a copy of the checkout.

Every command of a ```bash block and every ```python block runs in a temporary copy of
the checkout's files, so nothing lands in the repository, with the checkout's
virtualenv. Renders are made quick: `--quality low` in place of the quality asked for
(or added), and a few steps for `--scene all`. The Quick start's `./scripts/setup` is
not re-run (it would reinstall) and its test command is this suite itself.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from sgd_anim.registry import SCENES
from tests.conftest import REPO
from tests.decks import check_lesson_deck
from tests.readme_commands import (
    ALL_SCENES_STEPS,
    BIN,
    COMMAND_TIMEOUT,
    README,
    SETUP,
    WORKERS,
    commands_of,
    fenced,
    quick_form,
    run_bash_block,
    run_python_block,
    written_by,
)


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
    # the README's deck of every scene is one: every scene's slides, each its video
    lessons = [
        path
        for command in commands
        if "--scene all" in command and "--slides" in command
        for path in written_by(quick_form(command) or [])
        if path.suffix == ".html"
    ]
    assert lessons, "the README shows no deck of every scene"
    for path in lessons:
        check_lesson_deck(checkout_copy / path)
