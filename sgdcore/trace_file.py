"""The trace file: an `.npz` of one run or several, read without trusting its bytes.

One run's members are `meta.npy`, `params.npy`, ... (as `Trace.save` writes them),
several runs' `run0/meta.npy`, ..., `run1/meta.npy`, ... Nothing is unpacked until
the path is a regular file within MAX_TRACE_BYTES and every member a known name,
stored or deflated, unencrypted, with an `.npy` header declaring the schema's dtype
and a shape within the limits below. Every failure is a `TraceFileError`: one line.
"""

from __future__ import annotations

import io
import itertools
import json
import math
import os
import re
import stat
import struct
import tokenize
import warnings
import zipfile
import zlib
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any
from zipfile import ZipInfo

import numpy as np
import numpy.typing as npt
from numpy.lib import format as npy

from sgdcore.trace_schema import (
    ARRAY_DTYPES,
    AXIS_LIMITS,
    EMPTY,
    LIMIT_WORDS,
    MAX_ARRAY_BYTES,
    MAX_MEMBERS,
    MAX_META_CHARS,
    MAX_META_DEPTH,
    MAX_RUNS,
    MAX_STEPS,
    MAX_TRACE_BYTES,
    MEMBERS,
    SCHEMA,
)

RUN = re.compile(r"run([0-9]{1,2})/")  # how a numbered run's members begin
ENCRYPTED = 0x1 | 0x40  # zip flag bits: traditional and strong encryption
COMPRESSIONS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)  # what numpy writes
HEADER_READERS = {(1, 0): npy.read_array_header_1_0, (2, 0): npy.read_array_header_2_0}
KINDS = {stat.S_IFDIR: "a folder", stat.S_IFIFO: "a FIFO", stat.S_IFCHR: "a device"}
# What malformed zips, deflate streams, .npy headers and JSON make the readers raise
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, struct.error, EOFError, OSError)
HEADER_ERRORS = (ValueError, SyntaxError, tokenize.TokenError, Warning)  # from numpy
READ_ERRORS = (*ZIP_ERRORS, *HEADER_ERRORS, LookupError, ArithmeticError, RuntimeError)

Arrays = dict[str, npt.NDArray[Any]]
# A member and its checked .npy header: shape, Fortran order, dtype, offset, data bytes
Header = tuple[ZipInfo, tuple[int, ...], bool, np.dtype[Any], int, int]


class TraceFileError(ValueError):
    """A file that is not a readable trace of this schema."""


class Refused(Exception):
    """Why a file is refused; `read_runs` adds the file's name."""


def read_runs(path: str | Path, *, single: bool = False) -> list[tuple[Arrays, Any]]:
    """Each run in a trace file as `(arrays, meta)`; `single`: refuse several runs."""
    try:
        return unpack(path, single)
    except Refused as error:
        raise TraceFileError(f"{path}: {error}") from None
    except READ_ERRORS as error:
        reason = describe(error)
        raise TraceFileError(f"{path}: not a readable trace ({reason})") from None


def unpack(path: str | Path, single: bool = False) -> list[tuple[Arrays, Any]]:
    """`read_runs`, raising `Refused` or READ_ERRORS without the file's name."""
    with zipfile.ZipFile(io.BytesIO(read_bounded(path))) as archive:
        runs = member_layout(archive)
        if single and len(runs) > 1:
            raise Refused(f"holds {len(runs)} runs; Trace.load reads one-run files")
        infos = [info for run in runs for info in run.values()]
        headers = {info: read_header(archive, info) for info in infos}
        total = sum(header[-1] for header in headers.values())
        if total > MAX_ARRAY_BYTES:
            raise Refused(f"its arrays take {mib(total)}, over {mib(MAX_ARRAY_BYTES)}")
        unpacked = [
            {name: read_data(archive, headers[info]) for name, info in run.items()}
            for run in runs
        ]
    for arrays in unpacked:  # a schema-2 file: what it lacks is empty
        arrays.update({k: v.copy() for k, v in EMPTY.items() if k not in arrays})
    metas = [parse_meta(arrays.pop("meta")) for arrays in unpacked]
    return list(zip(unpacked, metas, strict=True))


def read_bounded(path: str | Path) -> bytes:
    """The bytes of `path`, if it is a regular file no larger than a trace can be."""
    try:
        check_regular(os.stat(path))
    except FileNotFoundError:
        raise Refused("no such file") from None
    except (OSError, ValueError) as error:
        raise Refused(f"cannot read it ({describe(error)})") from None
    # O_NONBLOCK: should the path become a FIFO after the stat, the open cannot block
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    with open(fd, "rb") as handle:
        check_regular(os.fstat(handle.fileno()))
        data = handle.read(MAX_TRACE_BYTES)  # more only if it grew since: then damaged
    if not data.startswith(b"PK\x03\x04"):
        # Binary files hold zero bytes: 4 KiB of random bytes lack one 1e-7 of the time
        kind = "a text file" if b"\0" not in data[:4096] else "not a zip archive"
        raise Refused(f"not a saved trace ({kind if data else 'an empty file'})")
    # zipfile makes an object per central directory entry: count them before it does
    if data.count(b"PK\x01\x02") > MAX_MEMBERS:
        raise Refused(f"not a saved trace (over {MAX_MEMBERS} members)")
    return data


def check_regular(status: os.stat_result) -> None:
    """Refuse anything but a regular file of at most MAX_TRACE_BYTES."""
    if not stat.S_ISREG(status.st_mode):
        kind = KINDS.get(stat.S_IFMT(status.st_mode), "not a regular file")
        raise Refused(f"not a saved trace ({kind})")
    if status.st_size > MAX_TRACE_BYTES:
        size, limit = mib(status.st_size), mib(MAX_TRACE_BYTES)
        raise Refused(f"not a saved trace ({size}; at most {limit})")


def member_layout(archive: zipfile.ZipFile) -> list[dict[str, ZipInfo]]:
    """Each run's members by array name; refuse unknown, missing or unreadable ones."""
    infos = {info.filename: info for info in archive.infolist()}
    numbered = (int(match[1]) for name in infos if (match := RUN.match(name)))
    n_runs = 1 + max(numbered, default=-1)
    if n_runs > MAX_RUNS:
        raise Refused(f"holds {n_runs} runs; at most {MAX_RUNS}")
    prefixes = [f"run{index}/" for index in range(n_runs)] or [""]
    names = [prefix + name for prefix in prefixes for name in MEMBERS]
    missing = [
        name
        for name in names
        if f"{name}.npy" not in infos and name.split("/")[-1] not in EMPTY
    ]
    if missing:
        raise Refused(f"not a saved trace (missing {', '.join(missing)})")
    unexpected = sorted(set(infos) - {f"{name}.npy" for name in names})
    if unexpected:
        raise Refused(f"not a saved trace (unexpected {unexpected[0]})")
    for info in infos.values():
        if info.flag_bits & ENCRYPTED:
            raise Refused(f"{info.filename} is encrypted; traces never are")
        if info.compress_type not in COMPRESSIONS:
            method = info.compress_type
            raise Refused(f"{info.filename} uses zip method {method}, not deflate")
    return [
        {
            name: infos[f"{at}{name}.npy"]
            for name in MEMBERS
            if f"{at}{name}.npy" in infos
        }
        for at in prefixes
    ]


def read_header(archive: zipfile.ZipFile, info: ZipInfo) -> Header:
    """The member's `.npy` header, checked against the schema and the limits."""
    with archive.open(info) as stream, warnings.catch_warnings():
        warnings.simplefilter("error")  # numpy warns of headers only Python 2 wrote
        try:
            version = npy.read_magic(stream)
            if version not in HEADER_READERS:
                raise ValueError(f"format version {version}")
            shape, fortran, dtype = HEADER_READERS[version](stream)
        except HEADER_ERRORS as error:
            reason = describe(error)
            raise Refused(f"{info.filename} is not an .npy ({reason})") from None
        offset = stream.tell()
    check_declared(info.filename.split("/")[-1].removesuffix(".npy"), shape, dtype)
    n_bytes = math.prod(shape) * dtype.itemsize
    if info.file_size != offset + n_bytes:
        size, declared = info.file_size, offset + n_bytes
        raise Refused(f"{info.filename} is {size} bytes, not {declared}")
    return info, shape, fortran, dtype, offset, n_bytes


def check_declared(name: str, shape: tuple[int, ...], dtype: np.dtype[Any]) -> None:
    """Refuse a member whose dtype or shape no trace within the limits has."""
    text = dtype.name if dtype.isnative and dtype.kind in "biuf" else dtype.str
    claims = f"{name} claims {text} {shape}"
    if dtype.hasobject:
        raise Refused(f"{name} holds Python objects (pickled data); traces never do")
    if name == "meta":
        if dtype.kind != "U" or shape != () or dtype.itemsize // 4 > MAX_META_CHARS:
            raise Refused(f"{claims}; meta is a string of {MAX_META_CHARS} or fewer")
        return
    expected, axes = SCHEMA[name]
    if dtype != expected or len(shape) != len(axes) or min(shape, default=0) < 0:
        raise Refused(f"{claims}; a trace's is {len(axes)}-d {np.dtype(expected)}")
    for size, axis in zip(shape, axes, strict=True):
        if size > AXIS_LIMITS.get(axis, size):
            limit = LIMIT_WORDS.get(axis, f"{MAX_STEPS} steps")
            raise Refused(f"{name} claims shape {shape}; at most {limit}")
    if math.prod(shape) * dtype.itemsize > MAX_ARRAY_BYTES:
        raise Refused(f"{name} claims shape {shape}; over {mib(MAX_ARRAY_BYTES)}")


def read_data(archive: zipfile.ZipFile, header: Header) -> Any:
    """The member's array: exactly the bytes its checked header declares."""
    info, shape, fortran, dtype, offset, n_bytes = header
    buffer = bytearray(n_bytes)
    view, filled = memoryview(buffer), 0
    with archive.open(info) as stream:
        stream.read(offset)
        # zipfile stops at the checked size, and there checks the CRC
        while chunk := stream.read(2**20):
            view[filled : filled + len(chunk)] = chunk
            filled += len(chunk)
    if filled < len(buffer):
        raise Refused(f"{info.filename} ends early")
    array = np.frombuffer(buffer, dtype) if buffer else np.zeros(shape, dtype)
    return array.reshape(shape, order="F" if fortran else "C")


def parse_meta(array: npt.NDArray[Any]) -> Any:
    """The meta JSON object, refused if too deep to parse safely."""
    # Decoded here: numpy fails on code points past U+10FFFF with a SystemError
    utf32 = "utf-32-be" if array.dtype.byteorder == ">" else "utf-32-le"
    text = array.tobytes().decode(utf32).rstrip("\0")
    if json_depth(text) > MAX_META_DEPTH:
        raise Refused(f"meta nests deeper than {MAX_META_DEPTH} levels")
    try:
        meta = json.loads(text)
    except ValueError as error:
        raise Refused(f"meta is not JSON ({describe(error)})") from None
    if not isinstance(meta, dict):
        raise Refused(f"meta must be a JSON object, not {type(meta).__name__}")
    return meta


def json_depth(text: str) -> int:
    """How deep brackets nest in JSON `text`, found without recursion."""
    # Drop escapes, then strings: both patterns match in linear time
    bare = re.sub(r'"[^"]*"', "", re.sub(r"\\.", "", text, flags=re.DOTALL))
    steps = [1 if char in "[{" else -1 for char in bare if char in "[]{}"]
    return max(itertools.accumulate(steps), default=0)


def write_runs(path: str | Path, runs: Sequence[tuple[Mapping[str, Any], str]]) -> None:
    """Write `(arrays, meta JSON)` runs as one `.npz` (one run without prefixes).

    A file that `read_runs` would refuse raises ValueError and is never written.
    """
    if not 1 <= len(runs) <= MAX_RUNS:
        raise ValueError(f"a trace file holds 1 to {MAX_RUNS} runs, got {len(runs)}")
    entries: dict[str, Any] = {}
    for index, (arrays, meta_text) in enumerate(runs):
        prefix = "" if len(runs) == 1 else f"run{index}/"
        entries[prefix + "meta"] = np.array(meta_text)
        entries.update({prefix + name: arrays[name] for name in ARRAY_DTYPES})
    write_atomically(Path(path), lambda handle: np.savez_compressed(handle, **entries))


def write_atomically(path: Path, write: Callable[[IO[bytes]], None]) -> None:
    """Write `path` through a temporary file beside it and a rename.

    Any failure, Ctrl-C included, removes the temporary; the old file stays as it was.
    """
    # The PID in its name: a later run removes what a killed save left (render_cleanup)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        with open(partial, "xb") as handle:  # x: never someone else's file
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        unpack(partial)  # what saves must load
        os.replace(partial, path)
    except Refused as error:
        partial.unlink()
        raise ValueError(f"cannot save {path}: {error}") from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def mib(n_bytes: int) -> str:
    """`n_bytes` in MiB, such as "64 MiB"."""
    return f"{n_bytes / 2**20:,.4g} MiB"


def describe(error: BaseException) -> str:
    """An exception as a short phrase (an OSError's without the file it names)."""
    text = error.strerror if isinstance(error, OSError) else None
    return text or (str(error).splitlines() or [type(error).__name__])[0][:120]
