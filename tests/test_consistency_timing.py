"""How long the consistency checks take on the default runs that take them longest:
the README's numbers."""

from __future__ import annotations

import time

import pytest

from sgd_anim.registry import SCENES
from sgdcore.config import RunOptions
from sgdcore.trace_consistency import check_consistency


@pytest.mark.slow
def test_the_longest_default_runs_to_check_are_checked_in_well_under_a_second() -> None:
    # underfit_overfit's three 1,000-step runs (degrees 1, 5, 18): 0.06-0.1 s measured
    # on 2 shared cores, regularization's two degree-18 runs 0.05-0.09 s (README)
    for scene in ("underfit_overfit", "regularization"):
        traces = SCENES[scene].train(RunOptions())
        assert [trace.n_steps for trace in traces] == [1000] * len(traces)
        for trace in traces:
            check_consistency(trace)  # burn-in
        started = time.perf_counter()
        for trace in traces:
            check_consistency(trace)
        assert time.perf_counter() - started < 0.5, scene
