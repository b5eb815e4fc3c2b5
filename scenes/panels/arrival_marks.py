"""Where each run's loss first comes within 1% of the minimum, marked on the loss
plot: a dot on its curve at that step, in the run's colour, and under a key in the
plot's top right (`within 1% at step`) the step, in the same colour, in the runs'
order (the legend's, and the loss column's beside it); each once the replay reaches
its step."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import cast

from manim import DOWN, RIGHT, UP, Dot, Mobject, Text, VGroup

from scenes.clock import StepClock
from scenes.panels.loss_plot import LossPlot
from scenes.text import Holder, label, one_path, shown_while
from scenes.words import NEAR_FLOOR
from sgdcore.trace import Trace

NUMBER_GAP = 0.25  # between the step numbers
LINE_GAP = 0.08  # between the key's words and the numbers under them
DOT_RADIUS = 0.05
KEY_GAP = 0.08  # from the key's numbers down to a note moved under them
DOT_CASING = 2  # the background round each dot, over the curves it sits on


def arrival_marks(
    plot: LossPlot,
    clock: StepClock,
    traces: Sequence[Trace],
    arrivals: Sequence[int | None],
    colors: Sequence[str],
    floor: float,
) -> tuple[VGroup, list[Holder]]:
    """The key's words (static) and, per run that arrives, its dot and step number,
    each shown from its step on; none if no run arrives. Call before the plot's
    curves are made: the key may raise the plot's top (`LossPlot.hold_top_right`);
    it is left out if that would crowd the note of the `floor`."""
    palette = plot.palette
    # in the runs' order, as the legend and the losses beside the plot list them
    runs = [(step, k) for k, step in enumerate(arrivals) if step is not None]
    if not runs:
        return VGroup(), []
    words = label(
        palette, f"within {NEAR_FLOOR:.0%} at step", palette.tick_size, palette.muted
    )
    numbers = VGroup(
        *(label(palette, str(step), palette.tick_size, colors[k]) for step, k in runs)
    ).arrange(RIGHT, buff=NUMBER_GAP)
    numbers.next_to(words, DOWN, buff=LINE_GAP, aligned_edge=RIGHT)
    top, (_, crowded) = plot.box.y_span[1], plot.floor_spot(plot.box, floor)
    plot.hold_top_right(VGroup(words, numbers))
    # a top raised so far that the floor's note gets crowded: the dots alone
    keyed = plot.floor_spot(plot.box, floor)[1] <= crowded
    if not keyed:
        plot.box, plot.axes = plot.make_axes(top)
    marks = []
    for (step, k), number in zip(runs, numbers, strict=True):
        spot = plot.points(traces[k].loss)[step]
        dot = Dot(spot, radius=DOT_RADIUS, color=colors[k])
        dot.set_stroke(palette.background, DOT_CASING, background=True)
        mark = VGroup(dot, one_path(cast(Text, number))) if keyed else dot
        marks.append(shown_while(mark, arrived(clock, step)))
    return VGroup(one_path(words)) if keyed else VGroup(), marks


def arrived(clock: StepClock, step: int) -> Callable[[], bool]:
    """Whether the replay has reached `step`."""
    return lambda: clock.value >= step


def kept_under(holders: list[VGroup], key: VGroup) -> list[VGroup]:
    """Notes placed on the plot as the replay goes (`LossPlot.diverged_mark`), each
    moved under `key` if it comes to lie across it."""

    def clear(holder: Mobject) -> None:
        # the numbers under the key's words are as tall as they are
        left, top = key.get_left()[0], key.get_top()[1]
        below = key.get_bottom()[1] - LINE_GAP - key.height - KEY_GAP
        for note in holder.submobjects:
            across = note.get_right()[0] > left and note.get_bottom()[1] < top
            if across and note.get_top()[1] > below:
                note.shift((below - note.get_top()[1]) * UP)

    return [holder.add_updater(clear) for holder in holders]
