"""Whether a trace's numbers agree with each other: what the scenes say must be true.

A Trace is checked for shapes and ranges when built (sgdcore.trace_checks); before a
scene replays one, `check_consistency` checks its arrays against each other, in
numpy (a trace replays where torch is not installed):

- losses are >= 0 for the squared-error problems, and a run marked diverged is
  diverged: recorded up to that step only, its loss there not finite or grown;
- the meta's start, point count and batch size are the arrays'; the epochs and
  batch numbers are the ones its batches make;
- every step is the update the trace's optimiser and learning rate make from the
  recorded gradient (sgdcore.update_replay);
- the recorded loss and gradient are the problem's at the recorded parameters on
  the step's batch (all training points for the last row), the full and the
  validation losses on all training and held-out points, a polynomial's curve
  its coefficients' (sgdcore.recompute), and any recorded batch gradients average
  to the gradient on all points (sgdcore.trace_noise). Every row, or, for runs too long to
  recompute in a blink, a seeded sample of rows, always with the first and last.

A user's own f(w) cannot be recomputed: its losses and gradients are checked against
the curve the trace samples it on, and its formula is shown as recorded.
Each failure is a ValueError of one line naming the first step and the quantity.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from sgdcore.epochs import epoch_numbers
from sgdcore.recompute import (
    EPS32,
    FORMULAS,
    ROUNDING,
    RTOL,
    Values,
    model_of,
    polynomial_curve,
    terms,
)
from sgdcore.trace_checks import PAD
from sgdcore.trace_noise import check_noise_mean
from sgdcore.update_replay import expected_params

if TYPE_CHECKING:
    from sgdcore.trace import Trace

Rows = npt.NDArray[np.int64]
Found = tuple[int, ValueError] | None  # the first step that disagrees, and why
SQUARED_ERRORS = ("linear_regression", "polynomial", "quadratic")
# Points gathered to recompute a run's rows (rows × points × parameters): about a
# tenth of a second of numpy. A longer run is checked on a seeded sample of its rows.
BUDGET = 2**21
MIN_ROWS = 256  # sampled rows, however many points each row sums over
SAMPLE_SEED = 0  # the same rows every time a file is checked


def check_consistency(trace: Trace) -> None:
    """Raise ValueError, one line naming a step and a quantity, unless the trace's
    numbers agree with each other (the module docstring lists the checks)."""
    check_signs_and_divergence(trace)
    check_meta_matches(trace)
    check_noise_mean(trace)
    found = [wrong_update(trace), *wrong_values(trace, rows_to_check(trace))]
    errors = [item for item in found if item is not None]
    if errors:  # the earliest step that disagrees, whatever the quantity
        raise min(errors, key=lambda item: item[0])[1]


def disagree(step: int, quantity: str, recorded: float, reference: str) -> ValueError:
    """The one-line error for a recorded value that is not what it claims to be."""
    return ValueError(
        f"step {step}: {quantity} is {recorded:.6g}, but {reference} "
        f"(a trace's numbers must agree to {RTOL:g}, relative)"
    )


def settled_rows(trace: Trace) -> int:
    """How many rows precede the divergence (all rows if the run did not diverge)."""
    diverged_at = trace.diverged_at
    return trace.n_steps + 1 if diverged_at is None else diverged_at


def check_signs_and_divergence(trace: Trace) -> None:
    """Refuse a negative squared error, and a divergence that is not one."""
    names = ["loss", "full_loss"] + (["valid_loss"] if trace.valid_loss.size else [])
    if trace.problem in SQUARED_ERRORS:
        for name in names:
            values = getattr(trace, name)
            with np.errstate(invalid="ignore"):
                negative = np.flatnonzero(values < 0)
            if negative.size:
                step = int(negative[0])
                raise ValueError(
                    f"step {step}: {name} is {values[step]:.6g}; a mean of squares is "
                    "never below 0"
                )
    diverged_at = trace.diverged_at
    if diverged_at is None:
        return
    if diverged_at != trace.n_steps:
        raise ValueError(
            f"meta says the run diverged at step {diverged_at}, but it records steps "
            f"up to {trace.n_steps}; recording stops where a run diverges"
        )
    loss, start = trace.full_loss[diverged_at], trace.full_loss[0]
    if diverged_at > 0 and np.isfinite(loss) and loss <= start:
        raise ValueError(
            f"step {diverged_at}: meta says the run diverged here, but its full_loss, "
            f"{loss:.6g}, is no higher than at the start, {start:.6g}"
        )


def check_meta_matches(trace: Trace) -> None:
    """Refuse meta that says other than the arrays: start, points, batches, epochs."""
    start = trace.meta.get("start")
    if isinstance(start, list) and len(start) == trace.params.shape[1]:
        wanted = np.array(start, dtype=np.float64).astype(np.float32)
        if not np.array_equal(wanted.astype(np.float64), trace.params[0]):
            raise ValueError(
                f"step 0: params are {trace.params[0].tolist()}, but meta 'start' is "
                f"{start}"
            )
    if "n" in trace.meta and trace.meta["n"] != len(trace.y):
        points = len(trace.y)
        raise ValueError(f"meta 'n' is {trace.meta['n']}, but the trace holds {points}")
    width = trace.meta.get("batch_size")
    if width is not None and width != trace.batch.shape[1]:
        raise ValueError(
            f"meta 'batch_size' is {width}, but the batches are {trace.batch.shape[1]} "
            "wide"
        )
    sizes = (trace.batch != PAD).sum(axis=1).tolist()
    epoch, iteration = epoch_numbers(sizes, len(trace.y) - len(trace.valid_index))
    for name, recounted in (("epoch", epoch), ("iteration", iteration)):
        wrong = np.flatnonzero(getattr(trace, name) != recounted)
        if wrong.size:
            step = int(wrong[0])
            raise ValueError(
                f"step {step}: {name} is {getattr(trace, name)[step]}, but the batches "
                f"before it make it {recounted[step]}"
            )


def wrong_update(trace: Trace) -> Found:
    """The first step that is not the update of the trace's optimiser and lr."""
    if trace.n_steps == 0:
        return None
    expected, slack, overflows = expected_params(trace)
    after = trace.params[1:]
    with np.errstate(invalid="ignore"):
        wrong = ~(np.abs(after - expected) <= slack)
    # The diverged row may hold what float32 made of a step past its range
    last = settled_rows(trace) - 1
    if trace.diverged_at is not None and last >= 0:
        wrong[last] &= ~(overflows[last] & ~np.isfinite(after[last]))
    bad = np.argwhere(wrong)
    if not bad.size:
        return None
    step, index = (int(value) for value in bad[0])
    optimizer = trace.meta.get("optimizer", "gd")
    rule = "params − lr · grad" if optimizer == "gd" else f"{optimizer}'s update"
    return step + 1, disagree(
        step + 1,
        f"params[{index}]",
        float(after[step, index]),
        f"{rule} from step {step} with lr = {trace.learning_rate:g} makes it "
        f"{expected[step, index]:.6g}",
    )


def rows_to_check(trace: Trace) -> Rows:
    """Every row, or a seeded sample of them (with the first and last) for long runs."""
    n_rows = trace.n_steps + 1
    points = trace.batch.shape[1] + len(trace.y) + 1
    per_row = points * trace.params.shape[1] + len(trace.grid)
    count = max(MIN_ROWS, BUDGET // max(per_row, 1))
    if count >= n_rows:
        return np.arange(n_rows, dtype=np.int64)
    sample = np.random.default_rng(SAMPLE_SEED).choice(n_rows, count, replace=False)
    return np.union1d(sample, [0, n_rows - 1]).astype(np.int64)


def wrong_values(trace: Trace, rows: Rows) -> list[Found]:
    """The first of `rows` whose loss, gradient, full or validation loss or curve is
    not what the problem, recomputed at the recorded parameters, gives (per kind)."""
    model, params = model_of(trace), trace.params[rows]
    last = trace.n_steps
    train, held_out = trace.train_index, trace.valid_index
    has_data = trace.problem not in ("quadratic", "function")
    everyone = np.tile(train if has_data else np.zeros(1, np.int64), (len(rows), 1))
    if has_data:
        batches = np.full((len(rows), max(trace.batch.shape[1], len(train))), PAD)
        steps = rows[rows < last]
        batches[: len(steps), : trace.batch.shape[1]] = trace.batch[steps]
        batches[rows == last, : len(train)] = train
    else:
        batches = everyone
    where = "on the step's batch" if has_data else ""
    on_all = model.evaluate(params, everyone)
    # Plain gradient descent's batch is every training point: one recomputation
    same = batches.shape == everyone.shape and np.array_equal(batches, everyone)
    on_batch = on_all if same else model.evaluate(params, batches)
    found = [
        first_wrong(trace, rows, "loss", on_batch, where),
        first_wrong(trace, rows, "full_loss", on_all, ""),
    ]
    if trace.valid_loss.size:
        valid = np.tile(held_out, (len(rows), 1))
        values = model.evaluate(params, valid)
        found.append(first_wrong(trace, rows, "valid_loss", values, "held out"))
    found.append(wrong_curve(trace, rows))
    return found


def first_wrong(
    trace: Trace, rows: Rows, name: str, values: Values, where: str
) -> Found:
    """The first row where `name` (and, for the loss, the gradient) disagrees."""
    recorded = getattr(trace, name)[rows]
    grad = trace.grad[rows] if name == "loss" else values.grad
    diverged = rows == trace.diverged_at
    # At the diverged row float32 may have overflowed where float64 did not; and a
    # mini-batch run's diverged row was computed on a batch the trace does not keep
    unknown = diverged & values.overflows
    if name == "loss" and trace.batch.shape[1] < len(trace.train_index):
        unknown |= diverged
    with np.errstate(invalid="ignore"):
        wrong = ~((recorded >= values.low) & (recorded <= values.high)) & ~unknown
        off = ~(np.abs(grad - values.grad) <= values.grad_slack) & ~unknown[:, None]
    bad = np.flatnonzero(wrong | off.any(axis=1))
    if not bad.size:
        return None
    at, step = int(bad[0]), int(rows[bad[0]])
    place = f"at params[{step}]" + (f" {where}" if where else "")
    if wrong[at]:
        reference = f"the problem's {name} {place} is {values.loss[at]:.6g}"
        if not np.isfinite(recorded[at]) and np.isfinite(trace.params[step]).all():
            reference += ", while the parameters are finite: not a divergence"
        return step, disagree(step, name, float(recorded[at]), reference)
    index = int(np.flatnonzero(off[at])[0])
    gradient = f"the problem's gradient {place} is {values.grad[at, index]:.6g}"
    return step, disagree(step, f"grad[{index}]", float(grad[at, index]), gradient)


def wrong_curve(trace: Trace, rows: Rows) -> Found:
    """The first row whose drawn curve is not the model's (polynomial, built-in f)."""
    formula = str(trace.meta.get("formula"))
    if trace.problem == "polynomial":
        expected = polynomial_curve(trace, rows)
        recorded = trace.curve[rows]
        scale = np.abs(trace.params[rows]).sum(axis=1, keepdims=True)
        slack = RTOL * scale
        labels = rows
    elif trace.problem == "function" and formula in FORMULAS:
        with np.errstate(all="ignore"):
            expected, _, size, _ = terms(FORMULAS[formula], trace.grid)
        expected, recorded = expected[None, :], trace.curve
        slack = RTOL * np.abs(expected) + ROUNDING * EPS32 * size[None, :]
        labels = np.zeros(1, dtype=np.int64)
    else:
        return None
    with np.errstate(invalid="ignore"):
        wrong = ~(np.abs(recorded - expected) <= slack) & np.isfinite(expected)
    bad = np.argwhere(wrong)
    if not bad.size:
        return None
    at, sample = (int(value) for value in bad[0])
    step = int(labels[at])
    at_input = f"{trace.grid[sample]:.6g}"
    if trace.problem == "function":
        where = f"the function at w = {at_input}"
    else:
        where = f"the polynomial of params[{step}] at x = {at_input}"
    return step, disagree(
        step,
        f"curve[{step}, {sample}]",
        float(recorded[at, sample]),
        f"{where} is {expected[at, sample]:.6g}",
    )
