"""Text on screen: Pango labels in the palette's font, titles, and where text sits.

Every label is a Pango `Text` (never LaTeX), built once outside updaters; numbers
that change are `Readout`s (scenes/readout.py), which cost no Pango call per change.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from manim import DOWN, LEFT, UL, Mobject, Text, VGroup, VMobject, config

from scenes.readout import Readout, number_label
from scenes.theme import Palette

SIDE_MARGIN = 0.05  # of the frame's width: kept clear at its left and right
TOP_MARGIN = 0.4  # scene units kept clear above the title (5% of the frame's height)


def safe_right() -> float:
    """How far right of the centre anything may reach: 5% of the width in from the edge."""
    return float((0.5 - SIDE_MARGIN) * config.frame_width)


@lru_cache(maxsize=2048)
def glyphs(words: str, font: str, size: float) -> Text:
    """`words` laid out by Pango once a process: a scene, and every plan of it in
    either theme, asks for the same few hundred texts, and each layout costs far
    more than a copy of it."""
    return Text(words, font=font, font_size=size)


def label(
    palette: Palette, words: str, size: float | None = None, color: str | None = None
) -> Text:
    """A Pango text in the palette's font (default: body size, ink)."""
    text = glyphs(words, palette.font, size or palette.body_size).copy()
    return text.set_color(color or palette.ink)


def title_block(palette: Palette, title: str, subtitle: str) -> VGroup:
    """The scene's title over a muted subtitle, in the top-left corner; a long one
    drawn smaller, to stay inside the safe area."""
    lines = VGroup(
        label(palette, title, palette.title_size),
        label(palette, subtitle, palette.label_size, palette.muted),
    )
    lines.arrange(DOWN, aligned_edge=LEFT, buff=0.16)
    if lines.width > 2 * safe_right():
        lines.scale_to_fit_width(2 * safe_right())
    return lines.to_corner(UL, buff=TOP_MARGIN).set_x(-safe_right(), LEFT)


def readout(
    palette: Palette,
    n_chars: int,
    color: str | None = None,
    align: str = "right",
    size: float | None = None,
) -> Readout:
    """A changing number in the palette's monospace font, `n_chars` cells wide."""
    return Readout(
        n_chars,
        color or palette.ink,
        palette.mono_font,
        size or palette.body_size,
        align=align,
    )


def tick_label(
    palette: Palette, text: str, row: str = "", size: float | None = None
) -> Readout:
    """A small static number in the muted colour (tick size unless `size`), drawn
    from the glyph atlas; `row` names the numbers it goes with (an axis' ticks
    share their decimals)."""
    size = size or palette.tick_size
    tick = number_label(text, palette.muted, palette.mono_font, size)
    tick.row = row
    return tick


def baseline_of(text: Text) -> float:
    """A text's baseline: the bottom of its first glyph (our texts start without a descender)."""
    return float(text[0].get_bottom()[1])


# Glyphs that reach below the baseline (or float above it): a text starting with one
# takes its baseline from the first glyph that does not
OFF_BASELINE = "gjpqy()[]{},;′'\"`"


def ink_baseline(text: Text) -> float:
    """A text's baseline, read off its first glyph that sits on it: the same as
    `baseline_of` unless the text starts with a descender ("gradient")."""
    chars = [char for char in text.original_text if not char.isspace()]
    if len(chars) == len(text.submobjects):
        for char, glyph in zip(chars, text.submobjects, strict=True):
            if char not in OFF_BASELINE:
                return float(glyph.get_bottom()[1])
    return baseline_of(text)


def put_on_baseline(text: Text, left: float, baseline: float) -> Text:
    """Move a text so its left edge is at `left` and it sits on `baseline`."""
    return text.shift(
        np.array([left - text.get_left()[0], baseline - baseline_of(text), 0.0])
    )


class TextPath(VMobject):
    """A text drawn as one path (`one_path`): still words, for layout checks."""

    words: str = ""
    role: str = ""  # what the words are (a verdict, say), for layout checks


def one_path(text: Text) -> TextPath:
    """A one-colour text as a single path: one Cairo call per frame, not one per glyph."""
    glyphs = text.family_members_with_points()
    path = TextPath(
        fill_color=glyphs[0].get_fill_color(), fill_opacity=1.0, stroke_width=0
    )
    path.set_points(np.vstack([glyph.points for glyph in glyphs]))
    path.words = text.original_text  # what it says, for layout checks
    return path


def shown_while(mobject: VMobject, condition: Callable[[], bool]) -> Holder:
    """A holder containing `mobject` only while `condition()` is true.

    Hiding by removal, not by opacity, means a hidden text costs nothing per frame
    (a zero-opacity one is still recoloured and traced glyph by glyph).
    """
    shown = one_path(mobject) if isinstance(mobject, Text) else mobject

    def toggle(holder: Mobject) -> None:
        if condition() != bool(holder.submobjects):
            holder.add(shown) if not holder.submobjects else holder.remove(shown)

    return Holder(shown, condition).add_updater(toggle, call_updater=True)


def while_true(mobject: VMobject, condition: Callable[[], bool]) -> VMobject:
    """`mobject` drawn while `condition()` holds, its points taken away otherwise.

    Not taken off screen: a play keeps drawing what was on screen when it began, so a
    part removed mid-play would stay drawn.
    """
    members = [m for m in mobject.get_family() if len(m.points)]
    kept = [m.points.copy() for m in members]

    def toggle(_: Mobject) -> None:
        shown = condition()
        for member, points in zip(members, kept, strict=True):
            if shown != bool(len(member.points)):
                member.set_points(points) if shown else member.clear_points()

    return mobject.add_updater(toggle, call_updater=True)


def held_while(mobject: VMobject, condition: Callable[[], bool]) -> Holder:
    """A holder keeping `mobject`, drawn while `condition()` holds and its points
    taken away otherwise (as `while_true`): a part that goes in the middle of a play
    then goes from the screen too. Its points are taken at its first update, so it
    may still be placed until then."""
    holder = Holder(mobject, condition)
    holder.add(mobject)
    kept: dict[int, tuple[Mobject, npt.NDArray[np.float64]]] = {}

    def toggle(_: Mobject) -> None:
        if not kept:
            members = [m for m in mobject.get_family() if len(m.points)]
            kept.update((id(m), (m, m.points.copy())) for m in members)
        shown = condition()
        for member, points in kept.values():
            if shown != bool(len(member.points)):
                member.set_points(points) if shown else member.clear_points()

    return holder.add_updater(toggle)


class Holder(VGroup):
    """An empty group that holds `shown` while its updater says so (`shown_while`)."""

    def __init__(
        self, shown: VMobject, condition: Callable[[], bool] = lambda: True
    ) -> None:
        super().__init__()
        self.shown = shown  # for a 3-D camera's fixed-in-frame set, say
        self.condition = condition  # when it is held: for a backing shown with it
