"""Legends: rows of a mark (a dot, a stroke, a cross) and the words saying what it is."""

from __future__ import annotations

from collections.abc import Sequence

from manim import DOWN, LEFT, RIGHT, Line, VGroup, VMobject

from scenes.numbers import format_lr
from scenes.text import label
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


def line_mark(color: str, width: float, half: float = MARK_HALF) -> Line:
    """A short horizontal stroke standing for a line or curve drawn `width` wide."""
    return Line(LEFT * half, RIGHT * half, color=color, stroke_width=width)


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
    rows = []
    for mark, words in entries:
        words_text = label(palette, words, size or palette.label_size, palette.muted)
        row = VGroup(mark, words_text)
        if mark_gap is None:
            mark.set_x(0)
            words_text.next_to(mark, RIGHT, buff=WORDS_FROM_MARKS - mark.width / 2)
        else:
            row.arrange(RIGHT, buff=mark_gap)
        rows.append(row)
    if mark_gap is not None:
        return VGroup(*rows).arrange(DOWN, aligned_edge=LEFT, buff=row_gap)
    # stacked by height only: each row keeps its mark centred on x = 0
    stacked = VGroup(*rows).arrange(DOWN, buff=row_gap)
    for row in rows:
        row.shift(-row[0].get_x() * RIGHT)
    return stacked
