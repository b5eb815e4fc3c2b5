"""Fuzzed trace files: whatever the bytes, loading gives checked Traces or one
TraceFileError line naming the file, never any other exception. Fuzzed runs: a
perturbed trace is refused in one line or its numbers are still true. Fuzzed API
arguments: one OptionError or TypeError line, or accepted."""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sgd_anim
from sgd_anim.api import checked_request
from sgd_anim.errors import OptionError
from sgdcore.trace import Trace, TraceFileError, load_runs, save_runs
from sgdcore.trace_consistency import check_consistency
from sgdcore.trace_schema import MEMBERS
from tests.conftest import CONTROL_DATA

FUZZ = settings(max_examples=200, deadline=timedelta(seconds=5), database=None)
# An edit: what, where (negative: from the end, where the zip directory lies), bytes
EDITS = st.lists(
    st.tuples(
        st.sampled_from(["flip", "insert", "delete", "truncate"]),
        st.integers(-600, 600) | st.integers(0, 2**16),
        st.binary(min_size=1, max_size=8),
    ),
    min_size=1,
    max_size=4,
)


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """A committed one-run file and a two-run file of real runs, as bytes.

    The one-run file is a polynomial's, so every member, the validation loss and
    the curve included, holds values to mutate.
    """
    folder = tmp_path_factory.mktemp("fuzz")
    # saved afresh, so that it holds every member this schema writes
    one, two = folder / "one.npz", folder / "two.npz"
    Trace.load(CONTROL_DATA / "validation" / "validation_final-run0.npz").save(one)
    bowl = CONTROL_DATA / "lr_too_high" / "lr_too_high_final-run0.npz"
    save_runs(two, [Trace.load(bowl), Trace.load(bowl)])
    return {"one": one.read_bytes(), "two": two.read_bytes()}


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where each example's file is written."""
    return tmp_path_factory.mktemp("fuzz") / "mutated.npz"


def edit(data: bytes, edits: list[tuple[str, int, bytes]]) -> bytes:
    """`data` with each edit applied in turn."""
    buffer = bytearray(data)
    for kind, position, payload in edits:
        at = position % (len(buffer) + 1)
        if kind == "flip" and at < len(buffer):
            buffer[at] ^= payload[0] or 0xFF
        elif kind == "insert":
            buffer[at:at] = payload
        elif kind == "delete":
            del buffer[at : at + 8 * len(payload)]
        elif kind == "truncate":
            del buffer[at:]
    return bytes(buffer)


def assert_loads_or_refuses(path: Path) -> None:
    """load_runs and Trace.load give checked Traces or a one-line TraceFileError."""
    for load in (load_runs, Trace.load):
        try:
            loaded = load(path)
        except TraceFileError as error:
            message = str(error)
            assert message.startswith(f"{path}: ") and "\n" not in message, message
        else:
            traces = loaded if isinstance(loaded, list) else [loaded]
            assert traces and all(isinstance(trace, Trace) for trace in traces)


@FUZZ
@given(which=st.sampled_from(["one", "two"]), edits=EDITS)
def test_mutated_file_loads_or_is_refused_in_one_line(
    saved: dict[str, bytes],
    scratch: Path,
    which: str,
    edits: list[tuple[str, int, bytes]],
) -> None:
    scratch.write_bytes(edit(saved[which], edits))
    assert_loads_or_refuses(scratch)


@FUZZ
@given(member=st.sampled_from(MEMBERS), edits=EDITS, deflate=st.booleans())
def test_file_with_a_mutated_member_loads_or_is_refused_in_one_line(
    saved: dict[str, bytes],
    scratch: Path,
    member: str,
    edits: list[tuple[str, int, bytes]],
    deflate: bool,
) -> None:
    # The member's own bytes change, but the zip around them stays valid (CRCs
    # agree), so the .npy headers, the values and the meta JSON are what is tested.
    method = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
    with zipfile.ZipFile(io.BytesIO(saved["one"])) as original:
        entries = {name: original.read(name) for name in original.namelist()}
    entries[f"{member}.npy"] = edit(entries[f"{member}.npy"], edits)
    with zipfile.ZipFile(scratch, "w", compression=method) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    assert_loads_or_refuses(scratch)


# -- consistency: a perturbed run is refused, or still tells the truth ------------

CHECKS = settings(max_examples=150, deadline=timedelta(seconds=5), database=None)
LINE = CONTROL_DATA / "fit_line" / "default-run0.npz"
# What an accepted trace may still differ by from float64 arithmetic: far below any
# digit a scene shows, and ten times what the checks allow (sgdcore.recompute.RTOL)
TRUTH_RTOL, LOSS_ATOL, GRAD_ATOL = 1e-3, 1e-6, 1e-4
FACTORS = st.one_of(
    st.floats(-1e-3, 1e-3),  # within and around the tolerance
    st.floats(-3, 3),  # anything from a nudge to a sign flip
    st.sampled_from([-2.0, -1.0, 99.0]),
)


@pytest.fixture(scope="module")
def line_run() -> Trace:
    """The lesson's committed line fit."""
    return Trace.load(LINE)


def assert_tells_the_truth(trace: Trace) -> None:
    """Losses, gradients and steps as float64 arithmetic gives them, near enough."""
    x, y = trace.x, trace.y
    residual = trace.params @ x.T - y
    for name in ("loss", "full_loss"):
        np.testing.assert_allclose(
            getattr(trace, name),
            (residual**2).mean(axis=1),
            rtol=TRUTH_RTOL,
            atol=LOSS_ATOL,
            err_msg=name,
        )
    grad = 2 * residual @ x / len(y)
    np.testing.assert_allclose(trace.grad, grad, rtol=TRUTH_RTOL, atol=GRAD_ATOL)
    steps = trace.params[1:] - trace.params[:-1]
    # a step is lr times a gradient: it may be off by lr times the gradient's slack
    lr = trace.learning_rate
    np.testing.assert_allclose(
        steps, -lr * trace.grad[:-1], rtol=TRUTH_RTOL, atol=lr * GRAD_ATOL
    )


@CHECKS
@given(
    name=st.sampled_from(["params", "loss", "grad", "full_loss", "y", "x"]),
    row=st.integers(0, 100),
    column=st.integers(0, 1),
    factor=FACTORS,
)
def test_perturbed_run_is_refused_in_one_line_or_still_true(
    line_run: Trace, name: str, row: int, column: int, factor: float
) -> None:
    array = getattr(line_run, name).copy()
    at = (row % len(array), column) if array.ndim == 2 else row % len(array)
    if name == "x":
        at = (row % len(array), 0)  # the column of ones stays ones
    array[at] *= 1 + factor
    try:
        perturbed = replace(line_run, **{name: array})
    except ValueError:
        return  # refused as it is built
    try:
        check_consistency(perturbed)
    except ValueError as error:
        message = str(error)
        assert "\n" not in message and message.startswith(("step ", "meta ")), message
    else:
        assert_tells_the_truth(perturbed)


# -- the API's arguments: OptionError or TypeError in one sentence, or accepted ----

ANYTHING = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=8),
    st.binary(max_size=8),
    st.lists(st.integers(), max_size=3),
    st.tuples(st.floats(), st.text(max_size=3)),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.builds(object),
)
ARGUMENTS = st.sampled_from(
    ["trace", "output", "save_trace", "data", "function", "lr", "steps", "start"]
)


@pytest.fixture(scope="module")
def elsewhere(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Run from an empty folder, so nothing a value names is found or written."""
    before = Path.cwd()
    os.chdir(tmp_path_factory.mktemp("api"))
    yield
    os.chdir(before)


@CHECKS
@given(argument=ARGUMENTS, value=ANYTHING)
def test_any_value_of_an_api_argument_is_one_line_or_accepted(
    elsewhere: None, argument: str, value: object
) -> None:
    scene = "lr_too_high" if argument == "function" else "fit_line"
    try:
        checked_request(scene, **{argument: value})
    except (OptionError, TypeError) as error:
        message = str(error)
        assert message and "\n" not in message, message
        if isinstance(error, OptionError):
            assert error.option in (argument, None), message


@CHECKS
@given(values=st.lists(ANYTHING, max_size=3))
def test_fits_of_anything_but_traces_is_one_type_error(values: list[object]) -> None:
    with pytest.raises(TypeError, match="fits\\(\\) takes Trace objects"):
        sgd_anim.fits(*values)
