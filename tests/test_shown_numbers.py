"""Every number on screen agrees with itself, over every scene's whole clip.

Each scene is built without rendering on committed runs (its default, and runs that
diverge) and, marked slow, on runs trained here (a learning rate of 1.5, and a CSV of
points whose x runs from 0 to 10). At every step and half-step every readout, worked
update, tick label and text it shows is collected (tests/shown_numbers.py) and must
keep the rules: one number of decimals per row, no e-notation, and every worked
update and f(w) adding up from its shown digits.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from sgdcore.trace import Trace
from tests import quadratic_number_rules, shown_number_rules
from tests.conftest import PLANS
from tests.number_runs import (
    COMMITTED,
    WORKED,
    trained_cases,
    trained_runs,
)
from tests.planned import planned_on
from tests.shown_numbers import Shown, shown_by, shown_in

pytestmark = pytest.mark.xdist_group(PLANS)

CASES = [pytest.param(case, id=case) for case in COMMITTED] + [
    pytest.param(case, id=case, marks=pytest.mark.slow) for case in trained_cases()
]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("points")


@cache
def collected(case: str, folder: Path) -> tuple[Shown, str, tuple[Trace, ...]]:
    """What the case's scene shows over its clip, the scene, and the runs it shows."""
    if case in COMMITTED:  # planned once for these and the layout checks
        scene, runs = COMMITTED[case]
        planned = planned_on(scene, runs, "dark", 15)
        return shown_in(planned), scene, tuple(planned.traces)
    scene, traces = trained_runs(case, folder)
    return shown_by(scene, traces), scene, tuple(traces)


def report(problems: list[str]) -> str:
    """The first problems, one a line, and how many there are."""
    return f"{len(problems)} problem(s):\n" + "\n".join(problems[:20])


@pytest.mark.parametrize("case", CASES)
def test_every_row_keeps_one_number_of_decimals(case: str, folder: Path) -> None:
    shown, _, _ = collected(case, folder)
    assert shown.count() >= 20  # the walk found the numbers
    problems = shown_number_rules.decimal_problems(shown)
    assert not problems, report(problems)


@pytest.mark.parametrize("case", CASES)
def test_no_number_is_written_in_e_notation(case: str, folder: Path) -> None:
    shown, _, _ = collected(case, folder)
    problems = shown_number_rules.e_problems(shown)
    assert not problems, report(problems)


@pytest.mark.parametrize("case", CASES)
def test_every_worked_update_adds_up_from_its_shown_digits(
    case: str, folder: Path
) -> None:
    shown, scene, _ = collected(case, folder)
    problems = shown_number_rules.equation_problems(shown)
    assert not problems, report(problems)
    assert bool(shown.equations) == (scene in WORKED)


@pytest.mark.parametrize("case", CASES)
def test_f_of_w_and_its_slope_are_worked_out_from_the_shown_w(
    case: str, folder: Path
) -> None:
    shown, _, traces = collected(case, folder)
    problems = [
        p
        for t in traces[:1]
        for p in quadratic_number_rules.quadratic_problems(shown, t)
    ]
    assert not problems, report(problems)
    if traces[0].problem == "quadratic":
        assert shown.quadratics  # the walk found w, f(w) and f′(w)


@pytest.mark.parametrize("case", CASES)
def test_f_of_w_of_a_run_alone_never_reads_zero_beside_a_w_away_from_it(
    case: str, folder: Path
) -> None:
    shown, _, traces = collected(case, folder)
    # a run alone; runs side by side write f(w) alike, to the decimals all keep true
    problems = [
        p
        for t in traces[: 1 if len(traces) == 1 else 0]
        for p in quadratic_number_rules.zero_loss_problems(shown, t)
    ]
    assert not problems, report(problems)
    if case == "lr_just_right":  # w 0.00320 reads f(w) 0.00001
        assert ("0.00320", "0.00001") in {(w, f) for _, w, f, _ in shown.quadratics}


@pytest.mark.parametrize("case", CASES)
def test_f_of_w_is_the_runs_loss_to_its_last_digit(case: str, folder: Path) -> None:
    shown, _, traces = collected(case, folder)
    problems = quadratic_number_rules.untrue_loss_problems(shown, traces)
    assert not problems, report(problems)


@pytest.mark.parametrize("case", CASES)
def test_every_worked_update_lands_where_the_next_step_shows_the_run(
    case: str, folder: Path
) -> None:
    shown, scene, _ = collected(case, folder)
    problems = shown_number_rules.landing_problems(shown)
    assert not problems, report(problems)
    if scene in WORKED:
        assert any(key[2] for key in shown.updates)  # the walk knows each update's a


@pytest.mark.parametrize("case", CASES)
def test_every_loss_readout_keeps_one_number_of_decimals_all_clip(
    case: str, folder: Path
) -> None:
    shown, _, _ = collected(case, folder)
    problems = shown_number_rules.loss_decimal_problems(shown)
    assert not problems, report(problems)


@pytest.mark.parametrize("case", CASES)
def test_every_quantity_keeps_one_number_of_decimals_in_every_panel(
    case: str, folder: Path
) -> None:
    shown, _, _ = collected(case, folder)
    problems = shown_number_rules.quantity_decimal_problems(shown)
    assert not problems, report(problems)


@pytest.mark.parametrize("case", CASES)
def test_a_row_across_panels_keeps_one_number_of_decimals(
    case: str, folder: Path
) -> None:
    shown, _, _ = collected(case, folder)
    problems = shown_number_rules.row_decimal_problems(shown)
    assert not problems, report(problems)


@pytest.mark.parametrize("case", CASES)
def test_a_readout_columns_decimal_points_line_up(case: str, folder: Path) -> None:
    shown, _, _ = collected(case, folder)
    problems = shown_number_rules.alignment_problems(shown)
    assert not problems, report(problems)


@pytest.mark.parametrize("case", CASES)
def test_a_line_saying_w_stays_quotes_readouts_that_stand_still(
    case: str, folder: Path
) -> None:
    shown, _, _ = collected(case, folder)
    problems = shown_number_rules.settled_problems(shown)
    assert not problems, report(problems)
    if case == "lr_just_right_settles":  # its run reads 0.00000 from step 9
        assert any(text.startswith(shown_number_rules.STILL) for text in shown.texts)
