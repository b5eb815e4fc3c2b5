"""The key to a parabola plot's marks: the tangent is the slope f′(w), a tick above
the w axis is a w the run has been at; optionally, the ring round w* is the minimum.
One row: a stroke, its words, a tick, its words (a ring, its words).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import LEFT, RIGHT, UP, Dot, Line, Mobject, VGroup

from scenes.panels.start_ring import dashed_ring
from scenes.text import label, put_on_baseline
from scenes.theme import Palette

SLOPE_WORDS, VISITED_WORDS, MINIMUM_WORDS = "slope", "earlier w", "minimum"
START_WORDS = "start"
GAP = 0.08  # from a mark to its words
ENTRY_GAP = 0.2  # from an entry's words to the next one's mark
SLOPE_LENGTH, STUB = 0.3, 0.04  # the tangent's stroke; the axis each side of a tick
TICK_GAP = 0.08  # between ticks of several runs
TITLE_GAP = 0.5  # at least this from words on its row (a subtitle) to the key
KEY = "hop key"  # its role, for layout checks
KEY_RING = 0.09  # the minimum's ring in a key


def hop_key(
    palette: Palette,
    colors: Sequence[str],
    left: float,
    baseline: float,
    size: float,
    mark_length: float,
    tangent_width: float,
    ring: float | None = None,
    start: bool = False,
) -> VGroup:
    """The key, starting at x = `left` on `baseline` in muted words of `size`: a
    tangent's stroke (`tangent_width` wide, the highlight) and a visited w's tick
    (`mark_length` tall, one in each run's colour of `colors`); with `ring`, a
    radius, the minimum's ring too, drawn as on the plots; with `start`, the dashed
    ring left where a run started (scenes/panels/start_ring.py), before it, in the
    run's colour if there is one."""
    slope_words = label(palette, SLOPE_WORDS, size, palette.muted)
    put_on_baseline(slope_words, left + SLOPE_LENGTH + GAP, baseline)
    middle = float(slope_words.get_center()[1])
    slope = Line(
        np.array([left, middle - 0.08, 0.0]),
        np.array([left + SLOPE_LENGTH, middle + 0.08, 0.0]),
        color=palette.highlight,
        stroke_width=tangent_width,
    )
    tick_x = float(slope_words.get_right()[0]) + ENTRY_GAP + STUB
    feet = [
        np.array([tick_x + TICK_GAP * k, baseline, 0.0]) for k in range(len(colors))
    ]
    ticks = [
        Line(foot, foot + mark_length * UP, color=color, stroke_width=3)
        for foot, color in zip(feet, colors, strict=True)
    ]
    axis = Line(feet[0] + STUB * LEFT, feet[-1] + STUB * RIGHT, color=palette.muted)
    axis.set_stroke(width=2)
    visited_words = label(palette, VISITED_WORDS, size, palette.muted)
    put_on_baseline(visited_words, float(feet[-1][0]) + STUB + GAP, baseline)
    key = VGroup(slope, slope_words, axis, *ticks, visited_words)
    last = visited_words
    if start:
        # in the run's colour, as on the plot; muted for runs of several colours
        dashed = dashed_ring(colors[0] if len(colors) == 1 else palette.muted)
        dashed.move_to(
            np.array(
                [
                    float(last.get_right()[0]) + ENTRY_GAP + dashed.width / 2,
                    float(last.get_center()[1]),
                    0.0,
                ]
            )
        )
        last = label(palette, START_WORDS, size, palette.muted)
        put_on_baseline(last, float(dashed.get_right()[0]) + 1.5 * GAP, baseline)
        key.add(dashed, last)
    if ring is not None:
        middle = float(last.get_center()[1])
        ring_x = float(last.get_right()[0]) + ENTRY_GAP + ring
        circle = Dot(
            np.array([ring_x, middle, 0.0]),
            radius=ring,
            color=palette.ink,
            fill_opacity=0.0,
            stroke_width=2.5,
        )
        minimum_words = label(palette, MINIMUM_WORDS, size, palette.muted)
        put_on_baseline(minimum_words, ring_x + ring + 1.5 * GAP, baseline)
        key.add(circle, minimum_words)
    key.role = KEY  # type: ignore[attr-defined]
    return key


def clear_of(key: VGroup, words: Mobject) -> bool:
    """Whether `key` starts at least TITLE_GAP right of where `words` end: read as
    apart, not as one line."""
    return bool(key.get_left()[0] >= words.get_right()[0] + TITLE_GAP)
