"""The library's options: one parser per value, typed errors, the CLI mapped onto them."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import sgd_anim
from sgd_anim import values
from sgd_anim.cli.main import options_of
from sgd_anim.options import OPTIONS, RenderOptions
from sgd_anim.request import RenderRequest
from sgdcore.trace import Trace
from tests.conftest import assert_usage_error, invoke, parse

REPO = Path(__file__).resolve(strict=True).parent.parent
SUBPROCESS_TIMEOUT = 120


@pytest.fixture(autouse=True)
def from_tmp_path(in_tmp_path: Path) -> Path:
    """Run from an empty folder, so no `renders/` lands in the repo."""
    return in_tmp_path


@pytest.mark.parametrize(
    ("text", "number"), [("7", 7), (" 12 ", 12), ("+3", 3), ("-0", 0), (5, 5), (2.0, 2)]
)
def test_whole_numbers_read_ascii_digits(text: Any, number: int) -> None:
    assert values.whole_number(text) == number


@pytest.mark.parametrize("text", ["²", "1²", "٣", "1.5", "1e3", "", "one", True, 2.5])
def test_whole_numbers_refuse_what_int_would_not_read(text: Any) -> None:
    with pytest.raises(values.BadValue, match="not a valid integer"):
        values.whole_number(text)


# Digits of other scripts, superscripts, fullwidth digits, a no-break space and the
# underscores Python's int() and float() read: none is a number as typed here
NOT_ASCII = ["٣", "３", "۳", "१", "²", "1²", "1_000", "\u00a01", "1\u00a0", "𝟑"]


@pytest.mark.parametrize("text", NOT_ASCII)
def test_numbers_are_read_from_ascii_only(text: str) -> None:
    with pytest.raises(values.BadValue, match="not a valid integer"):
        values.whole_number(text)
    with pytest.raises(values.BadValue, match="not a valid float"):
        values.real_number(text)


@pytest.mark.parametrize(
    ("text", "number"),
    [("0.5", 0.5), (" -.5 ", -0.5), ("5.", 5.0), ("+2E-3", 0.002), ("1e6", 1e6)],
)
def test_real_numbers_read_ascii_decimal_and_exponent_syntax(
    text: str, number: float
) -> None:
    assert values.real_number(text) == number


@pytest.mark.parametrize(
    ("flag", "scene", "typed", "words"),
    [
        ("--lr", "fit_line", "٣", "not a valid float (ASCII digits 0-9 only)"),
        ("--lr", "fit_line", "0.３", "not a valid float"),
        ("--pace", "fit_line", "٢", "not a valid float"),
        ("--steps", "fit_line", "٣", "not a valid integer (ASCII digits 0-9 only)"),
        ("--seed", "fit_line", "１", "not a valid integer"),
        ("--start", "fit_line", "٣,1", "comma-separated numbers"),
        ("--degree", "underfit_overfit", "1,٥,9", "comma-separated whole numbers"),
        ("--batch-sizes", "gradient_noise", "١,١٠", "not comma-separated"),
        ("--vary", "fit_line", "lr=0.1,٠.٢", "not a valid float"),
        ("--vary", "fit_line", "steps=5,٥٠", "not a valid integer"),
        ("--weight-decay", "optimizers", "٠", "not a valid float"),
    ],
)
def test_unicode_digits_exit_2_from_every_numeric_option(
    flag: str, scene: str, typed: str, words: str
) -> None:
    result = invoke("--scene", scene, flag, typed)
    assert_usage_error(result, flag, words)


@pytest.mark.parametrize(
    ("keyword", "value"),
    [("lr", "٣"), ("steps", "٣"), ("start", "1,٣"), ("pace", "３"), ("seed", "²")],
)
def test_unicode_digits_from_python_are_an_option_error(
    keyword: str, value: str
) -> None:
    with pytest.raises(sgd_anim.OptionError) as raised:
        sgd_anim.render("fit_line", **{keyword: value})
    assert raised.value.option == keyword


@pytest.mark.parametrize("typed", ["²", "1,²,5", "1,2.5", "x"])
def test_superscript_degrees_exit_2_on_the_command_line(typed: str) -> None:
    result = invoke("--scene", "underfit_overfit", "--degree", typed)
    assert_usage_error(result, "--degree", "whole numbers")


def test_degrees_from_python_take_ints_and_sequences() -> None:
    assert values.degrees(3, most=40) == (3,)
    assert values.degrees((1, 5, 18), most=40) == (1, 5, 18)
    assert values.degrees("1, 5,18", most=40) == (1, 5, 18)


def test_range_messages_never_print_hundreds_of_digits() -> None:
    with pytest.raises(values.BadValue) as raised:
        values.positive_finite("1e300", most=1e6)
    assert len(str(raised.value)) < 80
    assert "at most 1000000." in str(raised.value)


@pytest.mark.parametrize(
    ("keyword", "value", "words"),
    [
        ("trace", 42, "neither a trace file nor Trace objects"),
        ("trace", [1, 2, 3], "neither a trace file nor Trace objects"),
        ("output", 123, "not a file name"),
        ("output", b"clip.mp4", "not a file name"),
        ("steps", "ten", "not a valid integer"),
        ("steps", True, "not a valid integer"),
        ("lr", [0.1], "not a valid float"),
        ("poster", "yes", "not True or False"),
        ("quality", "ultra", "not one of"),
        ("function", 3, "not one of"),
        ("start", object(), "not comma-separated numbers"),
    ],
)
def test_wrong_python_values_are_one_option_error_naming_the_keyword(
    keyword: str, value: Any, words: str
) -> None:
    with pytest.raises(sgd_anim.OptionError) as raised:
        sgd_anim.render("fit_line", **{keyword: value})
    message = str(raised.value)
    assert raised.value.option == keyword
    assert message.startswith(f"Invalid value for {keyword!r}:")
    assert words in message
    assert "\n" not in message


def test_fits_takes_traces_only(tiny_trace: Trace) -> None:
    assert "fit_line" in sgd_anim.fits(tiny_trace)
    with pytest.raises(TypeError, match="Trace objects"):
        sgd_anim.fits(object())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="nothing"):
        sgd_anim.fits()


def test_the_options_object_is_frozen_and_knows_what_was_given() -> None:
    options = RenderOptions.parse("fit_line", {"lr": "0.3", "seed": 42, "pace": None})
    assert options.lr == 0.3 and options.seed == 42 and options.pace is None
    assert options.given == {"lr", "seed"}
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.lr = 0.5  # type: ignore[misc]


def test_train_needs_no_output_quality_or_pace() -> None:
    traces = sgd_anim.train("lr_too_low", steps=3)
    assert traces[0].n_steps == 3
    with pytest.raises(sgd_anim.OptionError, match="no option 'quality'"):
        sgd_anim.train("lr_too_low", quality="low")


@pytest.mark.parametrize(
    "args",
    [
        ["--scene", "fit_line", "--lr", "0.3", "--steps", "7", "-o", "a/b.mp4"],
        ["--scene", "minibatch", "--batch-size", "5", "--theme", "light", "--poster"],
        ["--scene", "underfit_overfit", "--degree", "1,4,9", "--format", "gif"],
    ],
)
def test_the_cli_maps_its_flags_onto_the_same_options_the_api_builds(
    args: list[str],
) -> None:
    ctx = parse(*args)
    from_cli = options_of(ctx)
    keywords = {name: ctx.params[name] for name in from_cli.given}
    from_api = RenderOptions.parse(ctx.params["scene"], keywords)
    assert from_cli == from_api
    assert RenderRequest.from_options(from_cli) == RenderRequest.from_options(from_api)


@pytest.mark.parametrize(
    ("flag", "quality"),
    [("-ql", "low"), ("-qm", "medium"), ("-qh", "high"), ("-qk", "4k")],
)
def test_manim_quality_flags_set_the_quality(flag: str, quality: str) -> None:
    options = options_of(parse("--scene", "fit_line", flag))
    assert options.quality == quality
    assert "quality" in options.given


def test_manim_quality_flag_and_quality_that_disagree_exit_2() -> None:
    result = invoke("--scene", "fit_line", "-ql", "--quality", "high")
    assert_usage_error(result, "--quality", "disagree")


def test_every_option_has_one_definition_with_help() -> None:
    for name, option in OPTIONS.items():
        assert option.help.strip(), name
        assert option.flag.startswith("--"), name


def test_version_and_module_entry_point_answer_from_another_folder(
    tmp_path: Path,
) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "sgd_anim", "--version"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_TIMEOUT,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.startswith("sgd-anim, version ")
    listed = subprocess.run(
        [sys.executable, "-m", "sgd_anim", "--list"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_TIMEOUT,
    )
    assert listed.returncode == 0 and "fit_line" in listed.stdout


def test_transparent_dark_clip_says_its_ink_is_for_dark_slides() -> None:
    result = invoke(
        "--scene", "fit_line", "--transparent", "--format", "webm", "--list"
    )
    assert result.exit_code == 0  # --list answers first; the note comes with a render
    options = RenderOptions.parse(
        "fit_line", {"transparent": True, "fmt": "webm", "output": "clip.webm"}
    )
    (note,) = RenderRequest.from_options(options).advice
    assert "--theme light" in note and "\n" not in note
    light = dataclasses.replace(options, theme="light")
    assert RenderRequest.from_options(light).advice == []


def test_a_poster_of_a_png_exits_2_instead_of_being_ignored() -> None:
    result = invoke("--scene", "fit_line", "--format", "png", "--poster")
    assert_usage_error(result, "--poster", "already the last frame")


def test_a_refused_scene_all_makes_no_folders(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "c"
    result = invoke("--scene", "all", "-o", str(target), "--steps", "0")
    assert_usage_error(result, "--steps")
    assert not (tmp_path / "a").exists()
