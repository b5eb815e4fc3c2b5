"""Issue 12's files that would exhaust memory or time: each refused from its headers,
fast and without growing the process's peak memory, before anything is unpacked."""

from __future__ import annotations

import json
import math
import re
import zipfile
import zlib
from pathlib import Path

import numpy as np
import pytest

from sgdcore.trace import Trace
from sgdcore.trace_schema import MAX_META_CHARS, MAX_META_DEPTH, MAX_STEPS
from tests.test_trace_files import (
    assert_refused,
    assert_refused_cheaply,
    members,
    npy,
    raw_zip,
    write,
)

# -- files that exhaust memory or time ---------------------------------------


def test_member_inflating_to_4_gb_is_refused_before_unpacking(
    tiny_trace: Trace, tmp_path: Path
) -> None:
    header = npy(descr="<f8", shape=(240_000_000, 2))  # 3.84 GB of zeros follow
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    # After a full flush the compressor starts afresh, so a MiB of zeros packs the same
    # way every time: the 3.7 MB stream is built without compressing 3.84 GB.
    start = compressor.compress(header) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(bytes(2**20)) + compressor.flush(zlib.Z_FULL_FLUSH)
    stream = start + block * 3662 + compressor.flush()
    bomb = {"packed": stream, "size": len(header) + 3662 * 2**20}
    data = raw_zip(members(tiny_trace, params=header), {"params.npy": bomb})
    path = write(tmp_path / "bomb.npz", data)
    assert 3_000_000 < path.stat().st_size < 4_000_000
    assert_refused_cheaply(
        path, r"params claims shape \(240000000, 2\); at most 100000 steps"
    )


def test_header_claiming_10_to_the_12_steps_is_refused(
    tiny_trace: Trace, tmp_path: Path
) -> None:
    header = npy(descr="<f8", shape=(10**12, 2))
    data = raw_zip(members(tiny_trace, params=header + bytes(16)))
    message = r"params claims shape \(1000000000000, 2\); at most 100000 steps"
    assert_refused_cheaply(write(tmp_path / "run.npz", data), message)


def test_member_larger_unpacked_than_its_header_says_is_refused(
    tiny_trace: Trace, tmp_path: Path
) -> None:
    data = raw_zip(members(tiny_trace), {"params.npy": {"size": 3_900_000_000}})
    assert_refused_cheaply(
        write(tmp_path / "run.npz", data), "params.npy is 3900000000 bytes"
    )


@pytest.mark.parametrize(
    ("shapes", "words"),
    [
        ({"x": (1_000_000, 40)}, r"x claims shape \(1000000, 40\); over 256 MiB"),
        ({"x": (2_000_000, 2)}, r"x claims shape .*; at most 1000000 points"),
        (
            {"x": (10**6, 20), "grad": (10**5, 200)},
            "arrays take 305.2 MiB, over 256 MiB",
        ),
    ],
    ids=["one-member", "points", "all-members"],
)
def test_arrays_over_the_memory_limit_are_refused_before_unpacking(
    tiny_trace: Trace, tmp_path: Path, shapes: dict[str, tuple[int, ...]], words: str
) -> None:
    headers = {name: npy(shape=shape) for name, shape in shapes.items()}
    sizes = {
        f"{name}.npy": {"size": len(headers[name]) + 8 * math.prod(shape)}
        for name, shape in shapes.items()
    }
    data = raw_zip(members(tiny_trace, **headers), sizes)
    assert_refused_cheaply(write(tmp_path / "run.npz", data), words)


def test_huge_meta_is_refused_before_unpacking(
    tiny_trace: Trace, tmp_path: Path
) -> None:
    data = raw_zip(members(tiny_trace, meta=npy(descr="<U300000000")))
    words = f"meta claims <U300000000 (); meta is a string of {MAX_META_CHARS} or fewer"
    assert_refused_cheaply(write(tmp_path / "run.npz", data), re.escape(words))


def test_meta_nested_200000_deep_is_refused_without_recursion(
    tiny_trace: Trace, tmp_path: Path
) -> None:
    meta = npy(np.array("[" * 200_000 + "]" * 200_000))
    data = raw_zip(members(tiny_trace, meta=meta))
    assert_refused_cheaply(write(tmp_path / "run.npz", data), "meta claims <U400000")


@pytest.mark.parametrize("depth", [MAX_META_DEPTH + 1, 30_000])
def test_meta_nested_too_deep_is_refused_without_recursion(
    tiny_trace: Trace, tmp_path: Path, depth: int
) -> None:
    nested = "[" * (depth - 1) + "]" * (depth - 1)
    text = json.dumps(tiny_trace.meta)[:-1] + f', "nested": {nested}}}'
    data = raw_zip(members(tiny_trace, meta=npy(np.array(text))))
    assert_refused_cheaply(
        write(tmp_path / "run.npz", data), "meta nests deeper than 8"
    )


def test_meta_nested_as_deep_as_the_limit_loads(
    tiny_trace: Trace, tmp_path: Path
) -> None:
    nested = json.loads("[" * (MAX_META_DEPTH - 1) + "]" * (MAX_META_DEPTH - 1))
    meta = {**tiny_trace.meta, "nested": nested, "text": '[[[[[[[[[[ \\" ]]'}
    data = raw_zip(members(tiny_trace, meta=npy(np.array(json.dumps(meta)))))
    assert Trace.load(write(tmp_path / "run.npz", data)).meta == meta


def test_encrypted_member_is_refused(tiny_trace: Trace, tmp_path: Path) -> None:
    data = raw_zip(members(tiny_trace), {"params.npy": {"flags": 0x1}})
    assert_refused(write(tmp_path / "run.npz", data), "params.npy is encrypted")


@pytest.mark.parametrize("method", [99, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_unknown_compression_method_is_refused(
    tiny_trace: Trace, tmp_path: Path, method: int
) -> None:
    data = raw_zip(members(tiny_trace), {"loss.npy": {"method": method}})
    assert_refused(
        write(tmp_path / "run.npz", data), f"loss.npy uses zip method {method}"
    )


def test_million_step_trace_is_refused_before_unpacking(
    tiny_trace: Trace, tmp_path: Path
) -> None:
    records = MAX_STEPS * 10 + 1
    steps = {name: np.zeros(records - 1, np.int64) for name in ("epoch", "iteration")}
    np.savez_compressed(
        tmp_path / "long.npz",
        meta=np.array(json.dumps(tiny_trace.meta)),
        params=np.zeros((records, 2)),
        loss=np.zeros(records),
        grad=np.zeros((records, 2)),
        full_loss=np.zeros(records),
        batch=np.zeros((records - 1, 0), np.int64),
        x=tiny_trace.x,
        y=tiny_trace.y,
        **steps,
    )
    assert_refused_cheaply(tmp_path / "long.npz", "at most 100000 steps")
