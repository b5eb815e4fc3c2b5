"""The step where the run's loss comes within 1% of the lowest loss, marked on screen.

On the bowl that step is no sight to see: the ball already sits over the minimum's ×,
and the ring of loss 1% over the lowest is narrower than the ball. The numbers show
it: from that step on the loss readout is lit in the path's colour, and a note in the
same colour, where the closing verdict later stands, gives the step, its loss and the
lowest loss, each written as the loss readout writes it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from manim import Mobject

from scenes.clock import StepClock
from scenes.columns import column_decimals
from scenes.numbers import format_fixed
from scenes.panels.notes import verdict_note
from scenes.panels.readouts import nearest_step
from scenes.readout import Readout
from scenes.stories import SurfaceStory
from scenes.text import Holder, shown_while
from scenes.theme import Palette
from scenes.words import NEAR_FLOOR


def arrival_words(story: SurfaceStory) -> str | None:
    """What the note says, or None if the run never comes within 1% (after its start)."""
    step = story.arrival()
    if step is None:
        return None
    losses = np.asarray(story.trace.full_loss, dtype=np.float64)
    loss, lowest = (
        story.shown_loss(step),
        format_fixed(story.floor, column_decimals(losses)),
    )
    # the lowest loss's number only where it reads apart from the loss's
    lowest = "" if lowest == loss else f", {lowest}"
    # in the verdict's lines: the step, then the loss and what it is within of
    return (
        f"Step {step}:\nloss {loss}, within {NEAR_FLOOR:.0%}\n"
        f"of the lowest loss{lowest}."
    )


def arrived(clock: StepClock, story: SurfaceStory) -> Callable[[], bool]:
    """Whether the readouts show the arrival step or a later one (never, if none)."""
    step, trace = story.arrival(), story.trace
    return lambda: step is not None and nearest_step(clock, trace) >= step


def arrival_note(
    palette: Palette,
    clock: StepClock,
    story: SurfaceStory,
    corner: tuple[float, float],
    width: float,
) -> list[Holder]:
    """The note, its top left at `corner`, at most `width` wide: from the arrival
    step until the replay ends, where the verdict takes its place."""
    words = arrival_words(story)
    if words is None:
        return []
    # laid out as the verdict is, in the same place
    (laid_out,) = verdict_note(
        palette, clock, words, corner, "left", palette.fit, width
    )
    reached, finished = arrived(clock, story), clock.finished
    return [shown_while(laid_out.shown, lambda: reached() and not finished())]


def lit_from_arrival(
    readouts: Sequence[Readout],
    palette: Palette,
    clock: StepClock,
    story: SurfaceStory,
) -> Readout:
    """The loss's readout among `readouts` (its row named "loss"), in the path's
    colour from the arrival step on, in ink before it."""
    (readout,) = (each for each in readouts if each.row == "loss")
    reached = arrived(clock, story)

    def light(mob: Mobject) -> None:
        color = palette.fit if reached() else palette.ink
        if mob.get_fill_color().to_hex().upper() != color.upper():
            mob.set_fill(color)

    readout.add_updater(light, call_updater=True)
    return readout
