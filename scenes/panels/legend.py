"""Legends: rows of a mark (a dot, a stroke, a cross) and the words saying what it is."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import LEFT, RIGHT, UP, Line, Text, VGroup, VMobject

from scenes.numbers import format_lr, format_number, parse_shown
from scenes.text import glyphs, label, put_on_baseline
from scenes.theme import Palette
from sgdcore.trace import Trace

WORDS_FROM_MARKS = 0.35  # from the marks' common centre to the words' left edge
MARK_HALF = 0.22  # half a line mark's length
OPTIMIZER_NAMES = {"gd": "gradient descent", "momentum": "momentum", "adam": "Adam"}
ADAM_BETAS = [0.9, 0.999]  # torch.optim.Adam's, which a legend need not name


def optimizer_name(trace: Trace) -> str:
    """The run's optimiser, as sentences name it: `momentum 0.7`, `Adam`."""
    optimizer = str(trace.meta.get("optimizer", "gd"))
    momentum = trace.meta.get("momentum")
    if optimizer == "momentum" and isinstance(momentum, int | float):
        return f"{OPTIMIZER_NAMES[optimizer]} {format_lr(momentum)}"
    return OPTIMIZER_NAMES[optimizer]


def optimizer_and_lr(trace: Trace) -> str:
    """`Adam β₁ 0.8, lr 0.3`: the run's optimiser, any of Adam's betas other than
    torch's, and its learning rate, as a legend names the run."""
    betas = trace.meta.get("betas")
    changed = [
        f" β{sub} {format_lr(float(beta))}"
        for sub, beta, usual in zip(
            "₁₂", betas if isinstance(betas, list) else [], ADAM_BETAS, strict=False
        )
        if isinstance(beta, int | float) and beta != usual
    ]
    rate = format_lr(trace.learning_rate)
    return f"{optimizer_name(trace)}{''.join(changed)}, lr {rate}"


def steady_rate(trace: Trace) -> float | None:
    """Momentum's learning rate at full speed, lr / (1 − β): once its velocity is
    steady, each step is this times the gradient, as plain gradient descent's is its
    lr times it; None for the other optimisers, and for a β whose velocity never
    settles (|β| ≥ 1)."""
    momentum = trace.meta.get("momentum")
    if trace.meta.get("optimizer") != "momentum" or not isinstance(
        momentum, int | float
    ):
        return None
    if not abs(momentum) < 1:
        return None
    return trace.learning_rate / (1.0 - float(momentum))


def effective_rate(trace: Trace) -> str | None:
    """A momentum run's effective learning rate at full speed, lr / (1 − β), worked
    out from the digits the legend shows, `=` if exact, else `≈` to two significant
    digits: `eff. lr 0.05/(1−0.7) ≈ 0.17`; None for other runs."""
    momentum = trace.meta.get("momentum")
    if steady_rate(trace) is None or not isinstance(momentum, int | float):
        return None
    lr, beta = format_lr(trace.learning_rate), format_lr(momentum)
    if parse_shown(beta) == 1:  # β just under 1, shown rounded to it
        return None
    exact = parse_shown(lr) / (1 - parse_shown(beta))  # from the digits shown
    result = format_number(float(exact), 2, trim=True)
    sign = "=" if exact == parse_shown(result) else "≈"
    less = f"+{beta[1:]}" if beta.startswith("−") else f"−{beta}"  # 1 − (−0.5)
    return f"eff. lr {lr}/(1{less}) {sign} {result}"


def line_mark(color: str, width: float, half: float = MARK_HALF) -> Line:
    """A short horizontal stroke standing for a line or curve drawn `width` wide."""
    return Line(LEFT * half, RIGHT * half, color=color, stroke_width=width)


def keyed_words(
    mark: VMobject, words: Text, left: float, baseline: float, gap: float
) -> tuple[VMobject, Text]:
    """`mark` from `left`, halfway up the words' lowercase x, then `words` `gap`
    after it on `baseline`: one key, placed where it is needed."""
    put_on_baseline(words, left + mark.width + gap, baseline)
    x_height = glyphs("x", words.font, words.font_size).height
    mark.move_to(np.array([left + mark.width / 2, baseline + x_height / 2, 0.0]))
    return mark, words


def arrow_mark(color: str) -> VGroup:
    """A short arrow in `color` pointing right, a legend's mark for update arrows."""
    tip, base, half = 0.2 * RIGHT, 0.1 * RIGHT, 0.07 * UP
    head = VMobject(fill_color=color, fill_opacity=1.0, stroke_width=0)
    head.set_points_as_corners([tip, base + half, base - half, tip])
    shaft = Line(0.2 * LEFT, 0.12 * RIGHT, stroke_color=color, stroke_width=3)
    return VGroup(shaft, head)


def legend(
    palette: Palette,
    entries: Sequence[tuple[VMobject, str]],
    row_gap: float,
    mark_gap: float | None = None,
    size: float | None = None,
) -> VGroup:
    """Rows of `(mark, words)`, stacked and left-aligned, in muted text of `size`
    (label size if None).

    With `mark_gap` None the marks share one centred column (they differ in width) and
    every row's words start at the same x; otherwise each row is its mark, `mark_gap`,
    then its words.
    """
    size = size or palette.label_size
    # rows on baselines one line apart, whatever their letters: words without a
    # descender ("model") sit as far from the next row as words with one
    pitch = label(palette, "Mgy", size, palette.muted).height + row_gap
    middle = label(palette, "x", size, palette.muted).height / 2  # a mark's height
    rows = []
    for row_index, (mark, words) in enumerate(entries):
        words_text = label(palette, words, size, palette.muted)
        baseline = -row_index * pitch
        if mark_gap is None:  # the marks share one column centred on x = 0
            mark.set_x(0)
            words_text.next_to(mark, RIGHT, buff=WORDS_FROM_MARKS - mark.width / 2)
        else:
            mark.set_x(mark.width / 2)
            words_text.next_to(mark, RIGHT, buff=mark_gap)
        put_on_baseline(words_text, words_text.get_left()[0], baseline)
        mark.set_y(baseline + middle)
        rows.append(VGroup(mark, words_text))
    return VGroup(*rows)
