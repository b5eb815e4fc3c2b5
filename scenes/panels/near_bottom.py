"""The step where the run's loss comes within 1% of the minimum loss, marked on screen.

That step is no sight to see: on the bowl the ball already sits over the minimum's ×
(the ring of loss 1% over the lowest is narrower than the ball), in the fit the line
no longer moves, and on a log loss axis the curve is already flat. The numbers show
it: from that step on the loss readout is lit in the colour of a good outcome (green:
the light theme's path is a dark brown that reads as ink), and a note in the same colour, where the closing verdict later stands, gives the step, its loss and the
lowest loss, each written as the loss readout writes it. A loss plot rings the curve
at that step (`arrival_ring`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np
from manim import Circle, Mobject

from scenes.clock import StepClock
from scenes.columns import column_decimals
from scenes.numbers import format_fixed
from scenes.panels.loss_plot import LossPlot
from scenes.panels.notes import verdict_note
from scenes.panels.readouts import nearest_step
from scenes.readout import Readout
from scenes.text import Holder, held_while, shown_while
from scenes.theme import Palette
from scenes.words import NEAR_FLOOR
from sgdcore.trace import Trace

RING_RADIUS = 0.1  # round the curve's head dot (0.06), which passes through it
RING_WIDTH = 2.5
RING_CASING = 5  # the background's colour round the ring, over gridlines and curve


class NearFloorStory(Protocol):
    """A story of a run nearing the lowest loss (scenes/stories.py, LineFitStory)."""

    trace: Trace
    floor: float  # the lowest loss

    def arrival(self) -> int | None:
        """The first step within 1% of the lowest loss, if the run gets there."""
        ...

    def shown_loss(self, step: int) -> str:
        """The loss at `step`, as the loss readout writes it."""
        ...


def arrival_words(
    story: NearFloorStory, floor_name: str | None = None, step_apart: bool = True
) -> str | None:
    """What the note says, or None if the run never comes within 1% (after its start).

    With `floor_name`, the lowest loss's name on a loss plot in view, the note is
    short and says no numbers: the lit loss readout and the floor's note show them.
    Without `step_apart`, the step shares the loss's line (two lines, not three)."""
    step = story.arrival()
    if step is None:
        return None
    if floor_name is not None:
        return f"Step {step}:\nloss within {NEAR_FLOOR:.0%}\nof the {floor_name}."
    losses = np.asarray(story.trace.full_loss, dtype=np.float64)
    loss, lowest = (
        story.shown_loss(step),
        format_fixed(story.floor, column_decimals(losses)),
    )
    # the lowest loss's number only where it reads apart from the loss's
    lowest = "" if lowest == loss else f", {lowest}"
    # in the verdict's lines: the step, then the loss and what it is within of
    after_step = "\n" if step_apart else " "
    return (
        f"Step {step}:{after_step}loss {loss}, within {NEAR_FLOOR:.0%}\n"
        f"of the minimum{lowest}."
    )


def arrived(clock: StepClock, story: NearFloorStory) -> Callable[[], bool]:
    """Whether the readouts show the arrival step or a later one (never, if none)."""
    step, trace = story.arrival(), story.trace
    return lambda: step is not None and nearest_step(clock, trace) >= step


def arrival_note(
    palette: Palette,
    clock: StepClock,
    story: NearFloorStory,
    corner: tuple[float, float],
    width: float,
    align: str = "left",
    small: bool = False,
    floor_name: str | None = None,
    step_apart: bool = True,
) -> list[Holder]:
    """The note, its top `align` corner at `corner`, at most `width` wide (in small
    type if `small`; its words as `arrival_words` gives them for `floor_name` and
    `step_apart`): from the arrival step until the replay ends, where the verdict
    takes its place; none if the run never arrives."""
    words = arrival_words(story, floor_name, step_apart)
    if words is None:
        return []
    # laid out as the verdict is, in the same place
    (laid_out,) = verdict_note(
        palette, clock, words, corner, align, palette.lr_good, width, small
    )
    reached, finished = arrived(clock, story), clock.finished
    # gone on the frame the verdict comes, though that is mid-play
    return [held_while(laid_out.shown, lambda: reached() and not finished())]


def lit_from_arrival(
    readouts: Sequence[Readout],
    palette: Palette,
    clock: StepClock,
    story: NearFloorStory,
) -> Readout:
    """The loss's readout among `readouts` (its row named "loss"), in the note's
    colour from the arrival step on, in ink before it."""
    (readout,) = (each for each in readouts if each.row == "loss")
    reached = arrived(clock, story)

    def light(mob: Mobject) -> None:
        color = palette.lr_good if reached() else palette.ink
        if mob.get_fill_color().to_hex().upper() != color.upper():
            mob.set_fill(color)

    readout.add_updater(light, call_updater=True)
    return readout


def arrival_ring(
    plot: LossPlot, palette: Palette, clock: StepClock, story: NearFloorStory
) -> list[Holder]:
    """A ring in the note's green round the loss curve's point at the arrival step,
    from that step on while the arrival note says what it marks (gone with it when
    the verdict comes); none if the run never arrives. Make it once the plot's axes
    are final (a verdict's place may raise them)."""
    step, trace = story.arrival(), story.trace
    if step is None:
        return []
    ring = Circle(RING_RADIUS, color=palette.lr_good, stroke_width=RING_WIDTH)
    ring.set_stroke(palette.background, RING_CASING, background=True)
    ring.move_to(plot.points(trace.loss)[step])
    reached, finished = arrived(clock, story), clock.finished
    return [shown_while(ring, lambda: reached() and not finished())]
