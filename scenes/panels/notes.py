"""Notes that appear when the run gets there: divergence, verdicts."""

from __future__ import annotations

import textwrap

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, VGroup

from scenes.clock import StepClock
from scenes.text import Holder, label, one_path, shown_while
from scenes.theme import Palette
from sgdcore.trace import Trace

VERDICT = "verdict"  # the role a closing verdict's lines play, for layout checks


def diverged_note(
    palette: Palette, clock: StepClock, trace: Trace, right: float, y: float
) -> list[VGroup]:
    """ "diverged at step k", right edge at (right, y), from step k on; none if it never did."""
    at = trace.diverged_at
    if at is None:
        return []
    note = label(palette, f"diverged at step {at}", color=palette.warning)
    note.move_to(np.array([right, y, 0.0]), aligned_edge=RIGHT)
    return [shown_while(note, lambda: clock.index(trace) >= at)]


ORPHAN = 4  # a last line this short ("25.") takes the word before it along


def verdict_lines(sentence: str, max_chars: int) -> list[str]:
    """A verdict in short lines: broken after its first colon, then wrapped by words,
    no number left alone on its last line."""
    head, colon, rest = sentence.partition(": ")
    if not colon:
        return unorphaned(textwrap.wrap(sentence, max_chars))
    return [
        *textwrap.wrap(head + ":", max_chars),
        *unorphaned(textwrap.wrap(rest, max_chars)),
    ]


def unorphaned(lines: list[str]) -> list[str]:
    """`lines` with a last line that is one number, or at most ORPHAN characters,
    joined by the word before it ("at step" / "25." as "at" / "step 25.", "√50 ≈" /
    "7.1×." as "√50" / "≈ 7.1×.")."""
    last = lines[-1] if lines else ""
    alone = len(last) <= ORPHAN or (last[:1].isdigit() and " " not in last)
    if len(lines) < 2 or not alone or " " not in lines[-2]:
        return lines
    before, word = lines[-2].rsplit(" ", 1)
    return [*lines[:-2], before, f"{word} {lines[-1]}"]


def verdict_note(
    palette: Palette,
    clock: StepClock,
    sentence: str,
    corner: tuple[float, float],
    align: str = "right",
    color: str | None = None,
    width: float = 5.0,
    small: bool = False,
) -> list[Holder]:
    """The closing verdict, at most `width` wide, its top `align` corner at `corner`.

    Shown once the replay ends.
    """
    color = color or palette.ink
    size = palette.tick_size if small else palette.label_size
    whole = label(palette, sentence, size, color)
    max_chars = max(12, int(width / whole.width * len(sentence)))
    texts = [
        label(palette, line, size, color) for line in verdict_lines(sentence, max_chars)
    ]
    # characters differ in width: a line of wide ones may still overrun, so rewrap
    while max_chars > 12 and max(text.width for text in texts) > width:
        max_chars -= 1
        lines_of = verdict_lines(sentence, max_chars)
        texts = [label(palette, line, size, color) for line in lines_of]
    edge = RIGHT if align == "right" else LEFT
    lines = VGroup(*texts).arrange(DOWN, aligned_edge=edge, buff=0.12)
    lines.move_to(np.array([*corner, 0.0]), aligned_edge=UP + edge)
    # one path per line: drawn in one Cairo call each, not glyph by glyph
    paths = [one_path(text) for text in texts]
    for path in paths:
        path.role = VERDICT
    return [shown_while(VGroup(*paths), clock.finished)]
