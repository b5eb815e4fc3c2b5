"""Hostile and careless input, fuzzed: any options, any trace file.

Every run either gets as far as rendering or exits 2 with one `Error:` line, never a
traceback, never another exit code. Here training, rendering and child processes are
conftest's stand-ins, so each example takes milliseconds and the validation is what
is tested; test_hostile_renders.py renders for real, in time and memory limits.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from sgd_anim import api
from sgd_anim.options import FORMAT_NAMES, QUALITY_NAMES
from sgd_anim.registry import SCENES
from sgdcore.trace import Trace, save_runs
from tests.conftest import assert_usage_error, invoke, quadratic_trace

FAST = settings(
    max_examples=300,
    deadline=timedelta(seconds=5),
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

# -- options ----------------------------------------------------------------------------

WHOLE = st.sampled_from(
    [
        *("0", "1", "2", "3", "-1", "100000", "100001", "1000000", "1000001", "1e3"),
        *("x", "99999999999999999999999", "", "4294967296", "9" * 5000),
    ]
) | st.integers(-10, 10**13).map(str)
REAL = st.sampled_from(
    [
        *("0", "-1", "nan", "inf", "-inf", "1e-9", "1e-6", "0.001", "1", "12.5"),
        *("1000", "1001", "1e300", "1e-300", "fast", "", "5", "1e6", "1" * 5000),
    ]
) | st.floats().map(repr)
# What int() or float() would read, or str.isdigit() takes, that is not typed ASCII:
# other scripts' digits, fullwidth and mathematical digits, superscripts, a no-break
# space, an underscore
FOREIGN = st.sampled_from(["٣", "۷", "१", "３", "𝟘", "²", "³", "¹", "⁰", "\u00a0", "_"])


@st.composite
def with_foreign(draw: st.DrawFn, number: st.SearchStrategy[str]) -> str:
    """An ASCII number with one character put in or swapped for a FOREIGN one."""
    text, foreign = draw(number), draw(FOREIGN)
    at = draw(st.integers(0, len(text)))
    swap = draw(st.booleans()) and at < len(text)
    return text[:at] + foreign + text[at + swap :]


ASCII_WHOLE = st.integers(-10, 10**6).map(str)
ASCII_REAL = st.floats(-1e4, 1e4).map(repr)
WHOLE |= with_foreign(ASCII_WHOLE)
REAL |= with_foreign(ASCII_REAL)
STARTS = st.lists(REAL, min_size=1, max_size=3).map(",".join) | st.sampled_from(
    ["1e39,1", "1,-1e39", "3.4e38", "1e4", "-10000.5", ",", "1,2,3,4,5,6,7,8,9"]
)
# Files the fixture `playground` makes; the rest name what cannot work
PATHS = st.sampled_from(
    [
        *("out.mp4", "clip.gif", "still.png", "deck.html", "out.webm", "run.npz"),
        *("out", "/proc/x.mp4", "/sys/x.mp4", "/proc", "folder", "folder/x.mp4"),
        *("missing/x.mp4", "a" * 250 + ".mp4", "a" * 300 + ".npz", "é" * 130 + ".mp4"),
        *("", "same.mp4", "fit.npz", "bowl.npz", "three.npz", "notes.txt", "fifo.npz"),
        *("folder.png", "points.csv", "x" * 5000, "x" * 5000 + ".mp4"),
        # special files (the playground's), and the files beside them a render writes
        *("fifo.mp4", "/dev/null", "null.mp4", "null.npz", "clip.mp4", "talk.html"),
    ]
)
OPTION = st.one_of(
    st.tuples(
        st.sampled_from(["--steps", "--n", "--epochs", "--batch-size", "--seed"]),
        WHOLE,
    ),
    st.tuples(st.sampled_from(["--jobs"]), WHOLE),
    st.tuples(st.sampled_from(["--lr", "--pace"]), REAL),
    st.tuples(st.just("--start"), STARTS),
    st.tuples(
        st.sampled_from(["--degree", "--batch-sizes"]),
        st.lists(WHOLE, min_size=1, max_size=4).map(",".join),
    ),
    st.tuples(st.sampled_from(["--weight-decay", "--valid-fraction"]), REAL),
    st.tuples(
        st.just("--vary"),
        st.tuples(
            st.sampled_from(["lr=", "pace=", "steps=", "seed="]),
            st.lists(REAL, min_size=1, max_size=4).map(",".join),
        ).map("".join),
    ),
    st.tuples(st.just("--quality"), st.sampled_from([*QUALITY_NAMES, "8k"])),
    st.tuples(st.just("--format"), st.sampled_from([*FORMAT_NAMES, "avi"])),
    st.tuples(st.just("--theme"), st.sampled_from(["dark", "light", "neon"])),
    st.tuples(
        st.just("--optimizers"),
        st.sampled_from(["gd", "gd,adam", "sgd", ",", "x" * 5000, "gd," * 2000]),
    ),
    st.tuples(st.sampled_from(["-o", "--save-trace", "--trace", "--data"]), PATHS),
    st.tuples(
        st.just("--function"), st.sampled_from(["double_well", "quartic", "w**2"])
    ),
    st.tuples(st.sampled_from(["--poster", "--transparent", "--slides", "--captions"])),
)
SCENE_NAMES = st.sampled_from([*SCENES, "all", "fit_curve"])


def as_argv(scene: str, options: Sequence[tuple[str, ...]]) -> list[str]:
    """`--scene scene` followed by every option's tokens."""
    return ["--scene", scene, *(token for option in options for token in option)]


def assert_rendered_or_exit_2(result: Result, reached: int) -> None:
    """Exit 0 with a stand-in reached, or exit 2 in one `Error:` line; nothing else."""
    event(f"exit {result.exit_code}")  # --hypothesis-show-statistics counts them
    assert "Traceback" not in result.output, result.output
    if result.exit_code == 0:
        assert reached, result.output
        return
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    lines = result.output.strip().splitlines()
    assert [line for line in lines if line.startswith("Error:")] == lines[-1:], lines
    assert len(lines[-1]) <= LONGEST_ERROR, lines[-1]  # typed values echoed short


LONGEST_ERROR = 400  # characters in an error line, whatever was typed
# What the playground holds that is not a regular file: a render must never replace it
SPECIAL = ("fifo.npz", "fifo.mp4", "null.mp4", "null.npz", "clip.png", "clip.vtt")
SPECIAL += ("talk.pptx", "all/minibatch.mp4", "all/fit_line.png")


@pytest.fixture
def playground(in_tmp_path: Path, tiny_trace: Trace) -> Path:
    """A folder holding what PATHS names: traces, a text file, a FIFO, folders."""
    tiny_trace.save(in_tmp_path / "fit.npz")
    tiny_trace.save(in_tmp_path / "same.mp4")
    save_runs(in_tmp_path / "bowl.npz", [quadratic_trace(4)])
    save_runs(
        in_tmp_path / "three.npz", [quadratic_trace(3, lr) for lr in (0.1, 0.4, 1.1)]
    )
    (in_tmp_path / "notes.txt").write_text("not a trace\n")
    (in_tmp_path / "points.csv").write_text("x,y\n1,2\n2,3.5\n")
    (in_tmp_path / "all").mkdir()  # --scene all's default folder is renders/
    (in_tmp_path / "renders").symlink_to(in_tmp_path / "all")
    for name in SPECIAL:
        if name.startswith("null"):
            (in_tmp_path / name).symlink_to("/dev/null")
        else:
            os.mkfifo(in_tmp_path / name)
    (in_tmp_path / "folder").mkdir()
    (in_tmp_path / "folder.png").mkdir()
    return in_tmp_path


@FAST
@given(scene=SCENE_NAMES, options=st.lists(OPTION, max_size=6))
def test_any_options_render_or_exit_2_in_one_line(
    scene: str,
    options: list[tuple[str, ...]],
    playground: Path,
    rendered: list[dict[str, Any]],
    decks: list[dict[str, Any]],
    children: list[list[str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    saved: list[Path] = []
    monkeypatch.setattr(api, "save_traces", lambda _traces, path: saved.append(path))
    before = len(rendered) + len(decks) + len(children)
    result = invoke(*as_argv(scene, options))
    assert_rendered_or_exit_2(
        result, len(rendered) + len(decks) + len(children) - before
    )
    # Nothing reached a render that would move a file onto a special one
    written = [*saved, *(call["output"] for call in rendered[before:])]
    written += [call.get("poster") for call in rendered[before:]]
    written += [call["html"].with_suffix(".pptx") for call in decks]
    written += [Path(argv[argv.index("-o") + 1]) for argv in children]
    assert not any(path and not regular_or_absent(path) for path in written), written
    for name in SPECIAL:
        assert not (playground / name).is_file(), name


# Each numeric option, and how its value is written around one number
NUMERIC = {
    "--steps": "{}",
    "--n": "{}",
    "--epochs": "{}",
    "--batch-size": "{}",
    "--seed": "{}",
    "--jobs": "{}",
    "--lr": "{}",
    "--pace": "{}",
    "--weight-decay": "{}",
    "--valid-fraction": "{}",
    "--start": "1,{}",
    "--degree": "1,{},9",
    "--batch-sizes": "1,{}",
    "--vary": "lr=0.1,{}",
}


@FAST
@given(
    flag=st.sampled_from(sorted(NUMERIC)),
    typed=with_foreign(ASCII_WHOLE) | with_foreign(ASCII_REAL),
    scene=st.sampled_from(["fit_line", "optimizers", "gradient_noise", "validation"]),
)
def test_a_number_not_typed_in_ascii_exits_2_at_its_option(
    flag: str, typed: str, scene: str, in_tmp_path: Path
) -> None:
    # Whichever scene and option: read as a number nowhere, refused at the flag
    value = NUMERIC[flag].format(typed)
    line = assert_usage_error(invoke("--scene", scene, flag, value), flag)
    assert any(words in line for words in ("not a valid", "not comma-separated")), line


def regular_or_absent(path: Path) -> bool:
    """Whether `path` is a regular file (links followed) or nothing at all."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return True


LONG = "x" * 100_000


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (("--scene", "optimizers", "--optimizers", LONG), "--optimizers"),
        (("--scene", "optimizers", "--optimizers", f"gd,{LONG}"), "--optimizers"),
        (("--scene", "fit_line", "-o", LONG), "--output"),
        (("--scene", "fit_line", "-o", LONG + ".mp4"), "--output"),
        (("--scene", "fit_line", "--data", LONG), "--data"),
        (("--scene", "fit_line", "--trace", LONG), "--trace"),
        (("--scene", "fit_line", "--steps", "9" * 5000), "--steps"),
        (("--scene", "fit_line", "--lr", LONG), "--lr"),
        (("--scene", LONG), "--scene"),
        (("--scene", "fit_line", f"--{LONG}"), "No such option"),
        (("--scene", "fit_line", LONG), "extra argument"),
    ],
)
def test_a_huge_value_is_echoed_cut_to_its_two_ends(
    args: tuple[str, ...], flag: str, in_tmp_path: Path
) -> None:
    line = assert_usage_error(invoke(*args), flag)
    assert "x" * 51 not in line and "9" * 51 not in line, line
    assert "…" in line and len(line) < 400, line


@pytest.mark.parametrize(
    ("args", "flag", "shown"),
    [
        (("--scene", "fit_line", "--trace", "\n"), "--trace", "\\n"),
        (("--scene", "fit_line", "-o", "a\nb.mp4x"), "--output", "a\\nb.mp4x"),
        (("--scene", "fit_line", "--data", "a\rb\x1b[2J"), "--data", "a\\rb\\x1b[2J"),
        (("--scene", "fit_line", "--lr", "1\u20282"), "--lr", "\\u2028"),
    ],
)
def test_a_value_with_line_breaks_is_echoed_escaped_on_one_line(
    args: tuple[str, ...], flag: str, shown: str, in_tmp_path: Path
) -> None:
    line = assert_usage_error(invoke(*args), flag)
    assert shown in line, line
