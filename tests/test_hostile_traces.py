"""Hostile trace files, fuzzed: any array, any meta; refused in one line or replayed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from sgd_anim.registry import SCENES
from sgdcore.trace import ARRAY_DTYPES, Trace, load_runs
from tests.conftest import CONTROL_DATA, invoke
from tests.test_hostile_input import FAST, assert_rendered_or_exit_2

# -- trace files ---------------------------------------------------------------------------


def golden_runs() -> dict[str, list[Trace]]:
    """Each scene's committed runs (tests/control_data), as `load_runs` gives them."""
    runs = {}
    for name in SCENES:
        files = sorted((CONTROL_DATA / name).glob("*_final-run*.npz"))
        runs[name] = [trace for path in files for trace in load_runs(path)]
    return runs


GOLDEN = golden_runs()
META_KEYS = [*sorted({key for runs in GOLDEN.values() for key in runs[0].meta}), "zz"]
META_VALUES = st.sampled_from(
    [
        *(None, 0, -1, 1, 0.5, 1e308, -1e308, 1e-308, "x", "", [], {}, True, 2**70),
        *([1e308], "quadratic", "linear_regression", "adam", np.nan, np.inf),
    ]
)
SCALES = st.sampled_from([1e300, -1.0, 0.0, 1e-300, np.nan, np.inf, 1e15, -1e15])
EDIT = st.one_of(
    st.tuples(st.just("meta"), st.sampled_from(META_KEYS), META_VALUES),
    st.tuples(st.just("drop"), st.sampled_from(META_KEYS), st.none()),
    st.tuples(st.just("scale"), st.sampled_from(list(ARRAY_DTYPES)), SCALES),
    st.tuples(st.just("cell"), st.sampled_from(list(ARRAY_DTYPES)), SCALES),
    st.tuples(st.just("rows"), st.sampled_from(list(ARRAY_DTYPES)), st.integers(-3, 3)),
    st.tuples(st.just("runs"), st.sampled_from(["drop", "copy", "swap"]), st.none()),
)


Run = tuple[dict[str, Any], dict[str, Any]]  # a run's arrays and meta


def mutated(traces: list[Trace], edits: list[tuple[str, Any, Any]]) -> list[Run]:
    """The runs' arrays and meta (the first run's), with each edit made."""
    runs = [({k: getattr(t, k) for k in ARRAY_DTYPES}, dict(t.meta)) for t in traces]
    for kind, what, value in edits:
        arrays, meta = runs[0]
        if kind == "meta":
            meta[what] = value
        elif kind == "drop":
            meta.pop(what, None)
        elif kind in ("scale", "cell"):
            arrays[what] = edited(arrays[what], kind, value)
        elif kind == "rows":
            arrays[what] = resized(arrays[what], value)
        elif kind == "runs" and what == "drop" and len(runs) > 1:
            runs.pop()
        elif kind == "runs" and what == "copy":
            runs.append((dict(arrays), dict(meta)))
        elif kind == "runs" and what == "swap":
            runs.reverse()
    return runs


def edited(array: Any, kind: str, value: float) -> Any:
    """`array` scaled by `value`, or with its middle cell set to it (ints: clipped)."""
    if array.dtype == np.int64:
        value = int(np.clip(np.nan_to_num(value), -(2**62), 2**62))
    out = array.copy()
    with np.errstate(all="ignore"):
        if kind == "scale":
            out *= value
        elif out.size:
            out.flat[out.size // 2] = value
    return out


def resized(array: Any, by: int) -> Any:
    """`array` with `by` rows fewer (negative) or more (its last row repeated)."""
    if by < 0:
        return array[: max(len(array) + by, 0)]
    return np.concatenate([array, np.repeat(array[-1:], by, axis=0)])


def write_runs(path: Path, runs: list[Run]) -> Path:
    """Write runs as a trace file would hold them, bypassing every check of saving."""
    entries: dict[str, Any] = {}
    for index, (arrays, meta) in enumerate(runs):
        prefix = "" if len(runs) == 1 else f"run{index}/"
        entries[f"{prefix}meta"] = np.array(json.dumps(meta))
        entries.update({prefix + name: array for name, array in arrays.items()})
    np.savez(path, **entries)
    return path


CRAFTED = st.tuples(
    st.sampled_from(list(SCENES)),
    st.sampled_from(list(SCENES)),
    st.lists(EDIT, max_size=3),
)


@FAST
@given(crafted=CRAFTED)
def test_any_crafted_trace_replays_or_exits_2_in_one_line(
    crafted: tuple[str, str, list[tuple[str, Any, Any]]],
    in_tmp_path: Path,
    rendered: list[dict[str, Any]],
) -> None:
    scene, source, edits = crafted
    path = write_runs(in_tmp_path / "crafted.npz", mutated(GOLDEN[source], edits))
    before = len(rendered)
    result = invoke("--scene", scene, "--trace", str(path), "-o", "clip.png")
    assert_rendered_or_exit_2(result, len(rendered) - before)
    if result.exit_code == 2:
        assert "--trace" in result.output.splitlines()[-1]


def test_a_trace_missing_what_its_optimiser_needs_is_refused_in_one_line(
    tmp_path: Path,
) -> None:
    # a momentum run without its momentum, an adam run without its betas: the update
    # cannot be replayed, so the trace is refused before any scene reads it
    for index, run in enumerate(GOLDEN["optimizers"]):
        if run.meta["optimizer"] == "gd":
            continue
        runs = mutated(GOLDEN["optimizers"], [])
        for key in ("momentum", "betas"):
            runs[index][1].pop(key, None)
        path = write_runs(tmp_path / f"run{index}.npz", runs)
        result = invoke("--scene", "optimizers", "--trace", str(path), "-o", "x.mp4")
        assert result.exit_code == 2, result.output
        assert "needs" in result.output.strip().splitlines()[-1], result.output
