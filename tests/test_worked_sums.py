"""The worked updates of a run that overshoots add up by hand: each line's own
digits, worked out exactly, round to the next readout of w, with no line that only
says where the run went (`→ w`)."""

from __future__ import annotations

from decimal import Decimal

from scenes.columns import fit_row
from scenes.numbers import format_fixed
from scenes.panels.update_rule import WIDE_LINE_CHARS, UpdateRule
from scenes.theme import DARK
from sgdcore.trace import Trace
from tests.conftest import CONTROL_DATA


def test_too_high_shows_its_overshoots_digit_for_digit() -> None:
    trace = Trace.load(CONTROL_DATA / "lr_too_high" / "default-run0.npz")
    rule = UpdateRule(DARK, trace, left=0, y=0)
    # −4.9766 − 1.1 × (−9.9532) rounds to 5.9719, yet w reaches 5.9720: w to one
    # decimal more, f′(w) = 2w worked from it, and every line lands on the readout
    assert rule.chars == WIDE_LINE_CHARS  # "= −10.31956 − 1.1 × (−20.63912)": 31
    assert [(rule.substituted(k), rule.result(k)) for k in (0, 4, 5, 9)] == [
        ("= 2.00000 − 1.1 × 4.00000", "= −2.4000"),
        ("= 4.14720 − 1.1 × 8.29440", "≈ −4.9766"),  # −4.97664: a digit rounded away
        ("= −4.97664 − 1.1 × (−9.95328)", "≈ 5.9720"),
        ("= −10.31956 − 1.1 × (−20.63912)", "≈ 12.3835"),
    ]
    readouts = [text.strip() for text in fit_row(trace.params[:, 0], 4, 10)]
    for k in range(trace.n_steps):
        line = rule.substituted(k)[2:].replace("(", "").replace(")", "")
        value, lr, grad = map(Decimal, line.replace("−", "-").split(" ")[::2])
        sign, lands = rule.result(k).split(" ")
        assert grad == 2 * value  # f′(w) = 2w, from the line's own w
        assert format_fixed(value, 4) == readouts[k]
        worked = value - lr * grad  # the shown digits, added up by hand
        assert format_fixed(worked, 4) == lands == readouts[k + 1]
        assert sign == ("=" if worked == Decimal(lands.replace("−", "-")) else "≈")
    # the run over, the last update made stays on screen: no heading left bare
    last = trace.n_steps - 1
    assert rule.substituted(trace.n_steps) == rule.substituted(last) != ""
    assert rule.result(trace.n_steps) == rule.result(last) != ""
