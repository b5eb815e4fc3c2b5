"""A worked update works out the update from the step the readouts show: a frame never
shows one gradient beside the readouts and another in its worked lines. Planned on the
committed default runs, nothing rendered."""

from __future__ import annotations

import re

import pytest

from scenes.panels.line_update import FROM_LAST
from scenes.readout import Readout
from scenes.replay import ReplayScene
from scenes.worked import SETTLED, UPDATE_LABEL_ROW
from tests.planned import planned_default

FRACTIONS = (0.0, 0.3, 0.49, 0.51, 0.8, 0.95)  # of a hop


def shown(scene: ReplayScene, step: float) -> tuple[int, int]:
    """With the clock at `step`: the step the readouts show, and the first step of
    the update the worked lines work out (the step shown itself, once they say the
    updates from one step on change nothing shown: `steps 7 → 10`)."""
    scene.move_to_step(step)
    numbers = [m for m in scene.movers if isinstance(m, Readout)]
    counter = next(m.shown or "" for m in numbers if m.row == "step")
    label = next(m.shown or "" for m in numbers if m.row == UPDATE_LABEL_ROW)
    if label.startswith(FROM_LAST):  # the closing update, from the step shown
        at = int(counter.split("/")[0].replace(" ", ""))
        return at, at
    worked = re.search(r"(steps?) (\d[\d ]*) → (\d[\d ]*)", label)
    assert worked, label
    at = int(counter.split("/")[0].replace(" ", ""))
    first, last = (int(worked[i].replace(" ", "")) for i in (2, 3))
    if worked[1] == "steps":  # a stretch of still updates, the step shown in it
        assert first <= at <= last, (label, at)
        return at, min(at, last - 1)
    return at, first


@pytest.mark.parametrize(
    "name", ["fit_line", "landscape", "lr_too_low", "lr_too_high", "lr_just_right"]
)
def test_worked_lines_work_out_the_update_from_the_step_shown(name: str) -> None:
    scene = planned_default(name)
    n_steps = scene.trace.n_steps
    for k in range(min(n_steps, 12)):
        for fraction in FRACTIONS:
            step, worked = shown(scene, k + fraction)
            # a run's last step shows the last update made: no update comes after it
            assert worked == min(step, n_steps - 1), (k, fraction, step, worked)
    step, worked = shown(scene, n_steps)
    label = closing_label(scene)
    if label.startswith(FROM_LAST):
        # a line's closing frame works out the update its last gradient would make
        assert (step, worked) == (n_steps, n_steps), label
        assert name in ("fit_line", "landscape")
        return
    assert (step, worked) == (n_steps, n_steps - 1)
    # ...said to be the last: the readouts beside it are a step on, their gradient
    # not the one in its lines (lines that say the steps now move w very little
    # show no gradient, and name the update or stretch of steps they speak for)
    numbers = [m for m in scene.movers if isinstance(m, Readout)]
    lines = next(m.shown or "" for m in numbers if getattr(m, "quantity", "") == "w")
    if lines.strip().startswith(SETTLED):
        assert re.fullmatch(rf"steps? (\d+ → )?{n_steps}", label), label
    else:
        assert label == f"last step {n_steps - 1} → {n_steps}", label


def closing_label(scene: ReplayScene) -> str:
    """The worked update's label on the closing frame."""
    scene.move_to_step(scene.trace.n_steps)
    labels = [m for m in scene.movers if isinstance(m, Readout)]
    return next(m.shown or "" for m in labels if m.row == UPDATE_LABEL_ROW).strip()


def test_minibatch_worked_lines_use_the_batch_gradient_shown() -> None:
    # the epoch and batch counters read the batch under way (at an epoch's end, the
    # one that ended it): the worked update is that batch's, its gradient the trace's
    # rounded
    scene = planned_default("minibatch")
    trace = scene.trace
    per_epoch = int(trace.meta["batches_per_epoch"])  # type: ignore[arg-type]
    updates = set()
    for step in (0.0, 0.5, 3.0, 3.4, 3.8, 9.5, 10.0, 10.3, 30.0, 60.0):
        scene.move_to_step(step)
        numbers = [m for m in scene.movers if isinstance(m, Readout)]
        shown = {m.row: (m.shown or "").strip() for m in numbers}
        epoch, batch = (int(shown[row].split("/")[0]) for row in ("epoch", "batch"))
        update = (epoch - 1) * per_epoch + batch - 1
        updates.add(update)
        worked = next(
            m.shown or "" for m in numbers if getattr(m, "quantity", "") == "a₁"
        )
        used = re.search(r"× \(?([−\d.]+)\)?", worked)
        assert used, worked
        places = len(used[1].partition(".")[2])
        gradient = float(used[1].replace("−", "-"))
        assert abs(gradient - trace.grad[update, 0]) <= 0.5 * 10.0**-places + 1e-9
    assert updates == {0, 3, 9, 10, 29, 59}
    # so its closing frame's label is the update's own, the last one made: no
    # gradient disagrees
    assert closing_label(scene) == "last 59 → 60"  # short of the loss plot
