"""The closing frame of a line fit: its readouts show the last step and its gradient,
which no update used, so the worked lines beside them work out the update that
gradient would make (labelled `next: 100 → 101`), in the digits of the updates made."""

from __future__ import annotations

from pathlib import Path

import pytest

from scenes.numbers import shown_decimals
from scenes.panels.line_update import LineUpdate
from scenes.theme import DARK
from sgdcore.trace import Trace
from tests.test_update_rule import FIRST, RUNS, check_worked, halves, run_id


@pytest.mark.parametrize("path", RUNS, ids=run_id)
def test_the_closing_lines_work_out_the_last_steps_gradient(path: Path) -> None:
    # the closing readouts show step n and its gradient: the lines beside them work
    # out the update that gradient makes, in the digits of the updates made (a
    # mini-batch run's gradients are its batches': its lines end on the last made)
    trace = Trace.load(path)
    if trace.problem in ("quadratic", "function") or trace.meta["optimizer"] != "gd":
        return
    if trace.meta.get("batch_size", trace.meta["n"]) != trace.meta["n"]:
        return
    update = LineUpdate(DARK, trace, left=0, top=0)
    assert update.next_step, update.closing
    n = trace.n_steps
    for j, (made, line) in enumerate(zip(update.lines, update.closing, strict=True)):
        value, grad = float(trace.params[n, j]), float(trace.grad[n, j])
        lands = value - trace.learning_rate * grad  # where a step more would go
        check_worked(halves(line), value, trace.learning_rate, grad, lands)
        last, closing = FIRST.match(made[-2]), FIRST.match(line)
        assert last and closing
        assert [shown_decimals(text) for text in last.groups()] == [
            shown_decimals(text) for text in closing.groups()
        ]
        assert line.index(".") == made[-2].index(".")  # its point in the same column
