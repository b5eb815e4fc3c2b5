"""The curve scenes' options from the command line: out-of-range values exit 2.

Each refusal is one `Error:` line, given before anything is trained.
"""

from __future__ import annotations

import pytest

from tests.conftest import assert_usage_error, invoke


@pytest.mark.parametrize(
    ("args", "words"),  # words: what the one error line must say
    [
        (["--scene", "validation", "--degree", "0"], ("from 1 to 40, not 0",)),
        (
            ["--scene", "validation", "--degree", "25"],
            (
                "from 1 to 20",
                "21 training",
            ),
        ),
        (
            ["--scene", "validation", "--n", "6", "--degree", "5"],
            ("4 training points",),
        ),
        (
            ["--scene", "underfit_overfit", "--degree", "1,5"],
            (
                "give 3 degree",
                "1,5,18",
            ),
        ),
        (["--scene", "validation", "--degree", "3,4"], ("give 1 degree",)),
        (["--scene", "validation", "--degree", "2.5"], ("whole numbers",)),
        (["--scene", "validation", "--valid-fraction", "1"], ("less than 1",)),
        (["--scene", "validation", "--valid-fraction", "0"], ("more than 0",)),
        (["--scene", "validation", "--valid-fraction", "nan"], ("not a number",)),
        (["--scene", "regularization", "--weight-decay", "-1"], ("at least 0",)),
        (["--scene", "regularization", "--weight-decay", "inf"], ("at most 1000",)),
        (
            ["--scene", "validation", "--weight-decay", "0.1"],
            ("takes no --weight-decay",),
        ),
        (["--scene", "validation", "--n", "3"], ("n from 4 to 10,000",)),
        (["--scene", "validation", "--n", "10001"], ("10,001",)),
        (["--scene", "fit_line", "--degree", "3"], ("fit_line takes no --degree",)),
        (["--scene", "validation", "--start", "1"], ("validation takes no --start",)),
    ],
)
def test_bad_curve_options_exit_2(args: list[str], words: tuple[str, ...]) -> None:
    assert_usage_error(invoke(*args, "-o", "never.png"), *words)
