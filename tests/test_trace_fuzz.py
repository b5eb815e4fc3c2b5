"""Fuzzed trace files: whatever the bytes, loading gives checked Traces or one
TraceFileError line naming the file, never any other exception."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sgdcore.trace import Trace, TraceFileError, load_runs, save_runs
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
    one = CONTROL_DATA / "validation" / "validation_final-run0.npz"
    two = tmp_path_factory.mktemp("fuzz") / "two.npz"
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
