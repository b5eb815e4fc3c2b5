"""Weight decay: each step adds weight_decay · k**power times the coefficient of
degree k to its gradient (power 0: torch.optim's one decay for all). Checked against
the ridge solution's closed form and a single step, replayed by the trace checks, and
shown to tame the regularization scene's model, which uses torch's plain decay.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from sgdcore.config import EARLY_STOPPING, WEIGHT_DECAY, SGDConfig
from sgdcore.trace_consistency import check_consistency
from sgdcore.train import run_sgd
from tests.test_curves import SEEDS, problem, total_variation, trained


def test_decay_grown_with_the_degree_leaves_the_constant_free() -> None:
    built = problem(3)
    config = SGDConfig(
        learning_rate=0.5, n_steps=1, start=(1.0,) * 4, weight_decay=0.1, decay_power=2
    )
    plain = run_sgd(built, replace(config, weight_decay=0.0))
    trace = run_sgd(built, config)
    # one step from the same start: the decay moves coefficient k by lr · 0.1 · k²
    pulled = plain.params[1] - trace.params[1]
    np.testing.assert_allclose(pulled, 0.5 * 0.1 * np.arange(4) ** 2, atol=1e-6)
    assert trace.meta["decay_power"] == 2 and "decay_power" not in plain.meta


@pytest.mark.parametrize("power", [None, 1, 3])
def test_weight_decay_grown_with_the_degree_is_replayed_per_coefficient(
    power: int | None,
) -> None:
    config = replace(EARLY_STOPPING, n_steps=30, start=(0.0,) * 19)
    trace = run_sgd(problem(18), replace(config, weight_decay=0.002, decay_power=2))
    check_consistency(trace)
    meta = {key: value for key, value in trace.meta.items() if key != "decay_power"}
    if power is not None:
        meta["decay_power"] = power
    with pytest.raises(ValueError, match="momentum's update"):
        check_consistency(replace(trace, meta=meta))


@pytest.mark.parametrize("seed", SEEDS)
def test_weight_decay_lowers_the_validation_loss_and_keeps_the_ends_tame(
    seed: int,
) -> None:
    plain, decayed = trained("regularization", seed)
    # torch's weight decay, one for every coefficient
    assert decayed.meta["weight_decay"] == WEIGHT_DECAY
    assert "decay_power" not in decayed.meta and "weight_decay" not in plain.meta
    assert decayed.learning_rate == plain.learning_rate
    assert decayed.valid_loss[-1] < plain.valid_loss[-1]
    assert np.abs(decayed.params[-1]).sum() < np.abs(plain.params[-1]).sum()
    # At both ends (the outer tenth of [-1, 1] each side) the tamed curve stays
    # within the data's range and goes up and down less than the plain one (seed 3's
    # plain model, which barely overfits, the least: 8% less at its left end)
    ends = np.abs(decayed.grid) > 0.8
    assert np.abs(decayed.curve[-1, ends]).max() <= np.abs(decayed.y).max()
    for side in (decayed.grid < -0.8, decayed.grid > 0.8):
        tamed = total_variation(decayed.curve[-1, side])
        assert tamed < total_variation(plain.curve[-1, side])
    # over the whole curve, at least a fifth less (seed 3: 5.18 against 6.96)
    assert total_variation(decayed.curve[-1]) < 0.8 * total_variation(plain.curve[-1])


def test_without_weight_decay_the_default_model_swings_past_the_data_at_the_ends() -> (
    None
):
    plain, _ = trained("regularization")
    ends = np.abs(plain.grid) > 0.8
    assert np.abs(plain.curve[-1, ends]).max() > np.abs(plain.y).max()
