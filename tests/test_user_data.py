"""Your own points: --data FILE.csv, or arrays from Python, checked once."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

import sgd_anim
from sgdcore.user_data import MAX_ROWS, read_points
from tests.conftest import assert_usage_error, invoke


@pytest.fixture(autouse=True)
def from_tmp_path(in_tmp_path: Path) -> Path:
    """Run every command from an empty folder, so no `renders/` lands in the repo."""
    return in_tmp_path


def csv_file(text: str, name: str = "points.csv") -> Path:
    """`text` written to a file in the current (temporary) folder."""
    path = Path(name)
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", ("points.csv is empty",)),
        ("\n\n", ("points.csv is empty",)),
        ("x,y\n", ("holds 0 point(s)",)),
        ("x,y\n1,2\n", ("holds 1 point(s)", "at least 2")),
        ("1,2\n2,abc\n3,4\n", ("line 2", "y 'abc' is not a number")),
        ("x,y\n1,2\n2,3\nthree,4\n", ("line 4", "x 'three' is not a number")),
        ("x,y\n1,2\n2,nan\n", ("line 3", "y = nan is not finite")),
        ("1,2\n2,inf\n", ("line 2", "y = inf is not finite")),
        ("1,2\n-inf,3\n", ("line 2", "x = -inf is not finite")),
        ("1,2\n2,1e9\n", ("line 2", "too large")),
        ("1,2\n2,3,4\n", ("line 2", "3 value(s)", "two: x, y")),
        ("1,2\n1,3\n", ("every x is 1", "two different x")),
    ],
)
def test_bad_csv_exits_2_in_one_line_naming_the_row(
    text: str, words: tuple[str, ...]
) -> None:
    path = csv_file(text)
    result = invoke("--scene", "fit_line", "--data", str(path), "-o", "x.mp4")
    assert_usage_error(result, "--data", *words)


def test_missing_csv_exits_2() -> None:
    result = invoke("--scene", "fit_line", "--data", "nowhere.csv")
    assert_usage_error(result, "--data", "nowhere.csv", "no such file")


def test_folder_as_csv_exits_2() -> None:
    Path("folder").mkdir()
    result = invoke("--scene", "fit_line", "--data", "folder")
    assert_usage_error(result, "--data", "not a file")


def test_csv_with_too_many_rows_exits_2_naming_the_first_row_past_the_limit() -> None:
    rows = "".join(f"{i},{i % 7}\n" for i in range(MAX_ROWS + 2))
    path = csv_file("x,y\n" + rows)
    result = invoke("--scene", "fit_line", "--data", str(path))
    assert_usage_error(result, "--data", f"line {MAX_ROWS + 2}", "at most 100,000")


@pytest.mark.parametrize("header", ["", "x,y\n"])
def test_csv_one_row_past_the_limit_exits_2_with_or_without_a_header(
    header: str,
) -> None:
    rows = "".join(f"{i},{i % 7}\n" for i in range(MAX_ROWS + 1))
    path = csv_file(header + rows)
    result = invoke("--scene", "fit_line", "--data", str(path), "-o", "x.mp4")
    past = MAX_ROWS + 1 + (1 if header else 0)  # the file line of row MAX_ROWS + 1
    assert_usage_error(result, "--data", f"line {past}", "at most 100,000")


def test_csv_of_exactly_the_limit_is_read_with_or_without_a_header() -> None:
    rows = "".join(f"{i},{i % 7}\n" for i in range(MAX_ROWS))
    assert len(read_points(csv_file(rows))) == MAX_ROWS
    assert len(read_points(csv_file("x,y\n" + rows, "headed.csv"))) == MAX_ROWS


def test_csv_not_utf8_exits_2() -> None:
    Path("latin.csv").write_bytes(b"x,y\n1,2\n\xff\xfe,3\n")
    result = invoke("--scene", "fit_line", "--data", "latin.csv")
    assert_usage_error(result, "--data", "not UTF-8")


def test_data_with_a_scene_that_fits_no_line_exits_2() -> None:
    path = csv_file("1,2\n2,3\n")
    result = invoke("--scene", "lr_too_high", "--data", str(path))
    assert_usage_error(result, "lr_too_high takes no --data")


def test_data_and_n_together_exit_2() -> None:
    path = csv_file("1,2\n2,3\n")
    result = invoke("--scene", "fit_line", "--data", str(path), "--n", "50")
    assert_usage_error(result, "--n", "--data brings its own points")


def test_csv_reads_header_blank_lines_spaces_and_a_byte_order_mark() -> None:
    Path("excel.csv").write_bytes(b"\xef\xbb\xbfhours, score\n1, 2.5\n\n3 ,4\n")
    points = read_points("excel.csv")
    np.testing.assert_array_equal(points.x, [1.0, 3.0])
    np.testing.assert_array_equal(points.y, [2.5, 4.0])


def test_trained_run_holds_the_csv_points() -> None:
    path = csv_file("x,y\n10,21\n20,39.5\n30,61\n")
    (trace,) = sgd_anim.train("fit_line", data=str(path), lr=0.001, steps=3)
    np.testing.assert_array_equal(trace.x, [[10, 1], [20, 1], [30, 1]])
    np.testing.assert_array_equal(trace.y, [21, 39.5, 61])
    assert trace.meta["n"] == 3


def test_arrays_from_python_train_the_same_run_as_the_csv() -> None:
    path = csv_file("x,y\n0.5,1\n1.5,2.25\n-2,0.125\n")
    from_file = sgd_anim.train("landscape", data=path, steps=4)[0]
    x, y = [0.5, 1.5, -2], [1, 2.25, 0.125]
    for data in ((x, y), np.column_stack([x, y])):
        from_arrays = sgd_anim.train("landscape", data=data, steps=4)[0]
        for name in ("params", "loss", "grad", "x", "y"):
            np.testing.assert_array_equal(
                getattr(from_arrays, name), getattr(from_file, name)
            )


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (([1, 2], [1, np.nan]), "point 1: y = nan is not finite"),
        (([1, 2, 3], [1, 2]), "1-d and as long"),
        (np.zeros((3, 3)), "(n, 2)"),
        ((["a", "b"], [1, 2]), "must be numbers"),
    ],
)
def test_bad_arrays_raise_one_option_error(data: object, words: str) -> None:
    with pytest.raises(sgd_anim.OptionError, match="'data'") as raised:
        sgd_anim.train("fit_line", data=data)
    assert words in str(raised.value)
    assert "\n" not in str(raised.value)


@pytest.mark.slow
def test_csv_of_10000_rows_renders() -> None:
    rng = np.random.default_rng(5)
    x = rng.uniform(100, 200, 10_000)
    rows = "".join(
        f"{a:.3f},{0.5 * a - 20 + b:.3f}\n"
        for a, b in zip(x, rng.random(10_000), strict=True)
    )
    path = csv_file("size,price\n" + rows)
    clip = sgd_anim.render(
        "fit_line", data=path, lr=1e-5, steps=12, quality="low", output="big.mp4"
    )
    assert len(clip.trace.y) == 10_000 and clip.trace.x[:, 0].min() >= 100
    with av.open(str(clip.path)) as container:
        frames = sum(1 for _ in container.decode(video=0))
    assert frames == clip.frames > 0 and clip.size == (854, 480)
