"""Notes that appear when the run gets there: divergence, verdicts."""

from __future__ import annotations

import re
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


GLUE = "\x00"  # a space no line breaks at


def verdict_lines(sentence: str, max_chars: int) -> list[str]:
    """A verdict in short lines: broken after its first colon, then wrapped by words,
    no number left alone on its last line. A verdict written in lines (`\\n` between
    them: parallel sentences, say) keeps them, each wrapped by clauses if too long."""
    if "\n" in sentence:
        return [
            line
            for part in sentence.split("\n")
            for line in unorphaned(by_clauses(part, max_chars))
        ]
    head, colon, rest = sentence.partition(": ")
    if not colon:
        return unorphaned(by_clauses(sentence, max_chars))
    return [
        *balanced(head + ":", max_chars),
        *unorphaned(by_clauses(rest, max_chars)),
    ]


def by_clauses(text: str, max_chars: int) -> list[str]:
    """`text` in lines that end where its clauses do (after `;` or `,`) wherever
    that takes no more lines than wrapping by words (`balanced`) does."""
    clauses = re.split(r"(?<=[;,]) ", text)
    lines: list[str] = []
    for clause in clauses:
        if lines and len(joined := f"{lines[-1]} {clause}") <= max_chars:
            lines[-1] = joined
        else:
            lines.extend(balanced(clause, max_chars))
    words = balanced(text, max_chars)
    return lines if len(lines) <= len(words) else words


def balanced(text: str, max_chars: int) -> list[str]:
    """`text` wrapped by words in as few lines as `max_chars` allows, each as short as
    those lines allow: "validation loss 0.1027; after 1000" / "steps, 0.1863." comes
    out as "validation loss 0.1027;" / "after 1000 steps, 0.1863.". An equation
    such as "B = 1's" stays on one line."""
    glued = text.replace(" = ", f"{GLUE}={GLUE}")
    lines = textwrap.wrap(glued, max_chars)
    width = max_chars
    while width > 1 and len(shorter := textwrap.wrap(glued, width - 1)) == len(lines):
        lines, width = shorter, width - 1
    return [line.replace(GLUE, " ") for line in lines]


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
    longest = max(sentence.split("\n"), key=len)
    whole = label(palette, longest, size, color)
    max_chars = max(12, int(width / whole.width * len(longest)))
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
