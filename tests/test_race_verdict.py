"""The optimisers' verdict says which run comes within 1% of the minimum first, and
when: the criterion stated, the step read from the runs, true for any set of runs."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from scenes.least_squares import quadratic_form
from scenes.panels.legend import optimizer_name
from scenes.stories import LineFitStory, RaceStory
from scenes.words import NEAR_FLOOR
from tests.number_runs import committed_runs

MOST_CHARS = 64  # the closing hold is its length / 16 + 0.5 s


def first_within(trace: Any) -> int | None:
    """The first step whose loss on all points is within 1% of the least."""
    floor = quadratic_form(trace)[2]
    hits = np.flatnonzero(trace.full_loss <= (1 + NEAR_FLOOR) * floor)
    return int(hits[0]) if hits.size and hits[0] > 0 else None


@pytest.mark.parametrize("case", ["optimizers", "optimizers_one_diverged"])
def test_verdict_names_the_first_run_within_1_percent_and_its_step(case: str) -> None:
    _, traces = committed_runs(case)
    names = [optimizer_name(trace) for trace in traces]
    verdict = RaceStory(traces, names, [LineFitStory(t) for t in traces]).verdict()
    arrivals = {name: first_within(t) for name, t in zip(names, traces, strict=True)}
    step = min(s for s in arrivals.values() if s is not None)
    first = [name for name, s in arrivals.items() if s == step]
    said = re.fullmatch(
        r"(.+) (?:is|are) first within 1% of the minimum loss, at step (\d+)\.",
        verdict,
    )
    assert said, verdict
    assert said[1].lower() == " and ".join(first).lower() and int(said[2]) == step
    assert verdict[0].isupper() and len(verdict) <= MOST_CHARS


def fake_run(arrival: int | None, diverged: bool = False, n_steps: int = 40) -> tuple:
    trace = SimpleNamespace(diverged_at=3 if diverged else None, n_steps=n_steps)
    story = SimpleNamespace(arrival=lambda: arrival, moments=lambda: [])
    return trace, story


@pytest.mark.parametrize(
    ("runs", "verdict"),
    [
        ([(None, True), (None, True)], "Every run diverges."),
        (
            [(None, True), (None, False)],
            "After 40 steps no run is within 1% of the minimum.",
        ),
        ([(12, False)], "Adam is within 1% of the minimum loss, at step 12."),
        (
            [(30, False), (12, False), (None, True)],
            "Adam is first within 1% of the minimum loss, at step 12.",
        ),
        (
            [(12, False), (12, False)],
            "Gradient descent and Adam are first within 1% of the minimum loss, "
            "at step 12.",
        ),
    ],
)
def test_verdict_holds_for_any_set_of_runs(runs: list, verdict: str) -> None:
    made = [fake_run(*run) for run in runs]
    names = ["gradient descent", "Adam", "momentum 0.7"][: len(runs)]
    if len(runs) == 1:
        names = ["Adam"]
    traces = [trace for trace, _ in made]
    stories = [story for _, story in made]
    assert RaceStory(traces, names, stories).verdict() == verdict  # type: ignore[arg-type]
