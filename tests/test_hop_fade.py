"""A hop whose start the view zooms away from fades out while the view narrows,
rather than sweeping off the plot cut at its edge and vanishing at once."""

from __future__ import annotations

from itertools import pairwise

import numpy as np

from scenes.panels.hop_fade import hop_opacity
from scenes.panels.parabola import Parabola, run_view
from scenes.theme import DARK
from tests.conftest import quadratic_trace
from tests.test_panels import CORNER, SIZE

FRACTIONS = np.linspace(0.0, 1.0, 21)


def test_a_hop_left_outside_a_zoom_fades_as_the_view_narrows() -> None:
    trace = quadratic_trace(6, learning_rate=0.4)
    view = run_view(trace, CORNER, SIZE, 5)
    parabola = Parabola(DARK, trace, view, DARK.fit)
    assert view.settle > 0
    faded = 0
    for k in range(trace.n_steps):
        after = view.box(float(k + 1))
        start = parabola.points(after)[k]
        left_out = view.rescales(k) < 0 and not after.contains(start[None, :])[0]
        shares = [hop_opacity(view, parabola.points, k, f) for f in FRACTIONS]
        if not left_out:  # a hop still in view, or no zoom: drawn whole throughout
            assert shares == [1.0] * len(FRACTIONS), k
            continue
        faded += 1
        # whole while the point flies, then fading with the zoom, gone as it ends
        flying = 1 - view.settle - 1e-9 > FRACTIONS
        assert all(s == 1.0 for s, fly in zip(shares, flying, strict=True) if fly), k
        assert shares[-1] == 0.0
        assert all(b <= a for a, b in pairwise(shares)), k
    assert faded  # some zoom leaves a hop's start behind
