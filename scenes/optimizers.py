"""optimizers: plain gradient descent, momentum and Adam on the same loss contours."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from manim import DOWN, DR, LEFT, UL, Mobject, VGroup, config

from scenes.clock import StepClock
from scenes.numbers import format_count, format_lr
from scenes.panels.arrival_marks import arrival_marks, dip_marks, near_misses
from scenes.panels.batch_loss import end_name
from scenes.panels.legend import optimizer_name
from scenes.panels.loss_plot import LossPlot
from scenes.panels.notes import verdict_note
from scenes.panels.optimizer_legend import ROW_GAP, optimizer_legend
from scenes.panels.parameter_plane import ParameterPlane
from scenes.panels.path_labels import end_labels
from scenes.panels.readouts import ReadoutColumn
from scenes.panels.run_losses import (
    column_left,
    loss_heading,
    run_losses,
    shown_losses,
)
from scenes.panels.step_arrows import keyed_while_seen, step_arrows
from scenes.replay import ReplayScene
from scenes.schedule import Beat
from scenes.start_view import start_view
from scenes.stories import LineFitStory, RaceStory
from scenes.text import (
    Holder,
    label,
    safe_right,
    shown_while,
)
from scenes.theme import Palette
from scenes.view import PLANE_ZOOM
from sgdcore.trace import Trace

# Paths in colours told apart without red versus green, and as thin lines without
# blue versus green (Palette fields).
TONES = {"gd": "fit", "momentum": "lr_low", "adam": "accent"}
CONTOUR_CORNER, CONTOUR_SIZE = (-5.6, -3.22), (5.4, 5.32)
# the loss plot, its right edge KEY_GAP left of each run's loss now, a column
# LOSS_CHARS wide: the arrival steps on the plot are read apart from the losses;
# its bottom a line higher than the legend's top needs, for the arrivals' key
LOSS_CORNER, LOSS_HEIGHT, KEY_GAP = (1.1, 0.18), 1.75, 0.15
KEY_BELOW = 0.07  # from the loss plot's step labels down to the arrivals' key
LOSS_CHARS = 7
NOTE_GAP = 0.05  # from a note on the loss plot to the column right of it
LOSS_TOP = 0.75  # the heading's baseline this many lines under the plot's top
LEGEND_CORNER = (1.1, -0.57)  # its top-left, under the loss plot's step labels
# its top left: under the legend, so that a verdict of two lines ends above -3.60,
VERDICT_CORNER = (1.1, -3.0)  # right of the plane's a₁, which ends level with it
VERDICT_WIDTH = 5.3  # to the safe margin: the default verdict takes two lines
ZOOM_SECONDS = 0.8  # the update in which the plane zooms in takes at least this long
CROSS_CASING = 5  # stroke width of the background round the minimum's cross
# and its colour: muted, not the ink, so that it reads apart from a dark run's dot
# (the light theme's brown) resting on it
CROSS_TONE = "muted"
CROSS_SCALE = 1.4  # and its size, against the plane's own: it reaches out of the dots
LEVEL_CASING = 6  # and round the contours' losses, that gridlines pass behind
LEVEL_MARGIN = 0.2  # the contours' losses keep this far in from the plane's edges
ZOOM_NOTE_ABOVE = 0.12  # from the plane's top edge to its zoom note's bottom
# Each run's dot on the plane and the loss plot, the first's largest: drawn in order,
# each inside the ones before, a ring of each colour shows where runs meet
PLANE_HEADS, LOSS_HEADS = (0.13, 0.105, 0.08), (0.085, 0.055, 0.03)
HEAD_CASING = 2  # the background round each dot, between the rings


class Optimizers(ReplayScene):
    """The same start, one clock, a path and a loss curve per optimiser."""

    arrows: list[VGroup]  # each run's step, in drawing order

    def construct(self) -> None:
        palette = self.palette
        plane = ParameterPlane(palette, self.traces, CONTOUR_CORNER, CONTOUR_SIZE)
        plane.level_margin = LEVEL_MARGIN
        plane.view = start_view(plane.view, [trace.params for trace in self.traces])
        loss = LossPlot(palette, self.traces, LOSS_CORNER, loss_size(palette))
        # a note on the plot (`diverged at step k`) keeps left of each run's loss
        loss.note_right = column_left(palette, safe_right(), LOSS_CHARS) - NOTE_GAP
        longest = max(self.traces, key=lambda trace: trace.n_steps)
        counter = ReadoutColumn(
            palette,
            [("step", lambda k: format_count(k, longest.n_steps))],
            left=3.2,
            right=6.4,
            top=3.3,
            row_height=0,
            n_chars=9,
        )
        story = self.make_story(plane.zoom_step)
        clock = StepClock(self.traces)
        # The title, the contours at true shape, the loss plot, which colour is which
        self.add_static(self.make_title(), plane.names())
        key, arrivals = arrival_marks(
            loss, clock, self.traces, story.arrivals, self.colors()
        )
        floor = loss.floor(self.trace)
        self.add_static(loss.static(), floor, self.under(loss, key))
        self.add_static(end_name(self.palette, loss))
        legend = self.make_legend(plane)
        arrow_key = legend.submobjects.pop()  # there while some step can be seen
        self.add_static(legend)
        self.add_moving(clock, keyed_while_seen(arrow_key, plane, clock, self.traces))
        self.add_static(counter.static())
        # the minimum's cross goes over the paths, cased in the background, and the
        # contours' losses over the gridlines; the dots over the cross, whose arms
        # reach out past them, so runs resting on it show as rings round its centre
        *plane_drawing, cross = plane.drawing(clock)
        cross.scale(CROSS_SCALE).set_stroke(getattr(palette, CROSS_TONE))
        cross.set_stroke(palette.background, CROSS_CASING, background=True)
        plane_drawing[2].set_stroke(palette.background, LEVEL_CASING, background=True)
        self.add_drawing(clock, *plane_drawing)
        # Every optimiser takes its steps on the same clock; its arrow is the step
        heads = []
        for k, trace in enumerate(self.traces):
            color = self.tone(trace)
            *curve, head = loss.curve(
                clock, trace.loss, color, 3, head_size(LOSS_HEADS, k)
            )
            *path, dot = plane.path(
                clock, trace, color, radius=head_size(PLANE_HEADS, k)
            )
            self.add_moving(clock, *path, *curve)
            self.keep_inside(plane.view.box(0), *path, dot)
            self.keep_inside(loss.box, *curve, head)
            heads += [dot, head]
            self.add_moving(clock, *loss.diverged_mark(clock, trace, head))
            self.watch(dot)
        self.add_moving(clock, cross)
        for head in heads:
            head.set_stroke(palette.background, HEAD_CASING)
        # the arrows under the dots: a run's arrow never hides another run's dot
        self.add_moving(clock, *self.make_arrows(plane, clock))
        self.add_moving(clock, *heads, *arrivals)
        if len(floor) > 1:  # a dip drawn on the floor, not within 1%: its loss
            shown = shown_losses(self.traces, LOSS_CHARS)  # as its row writes it
            dips = near_misses(self.traces, story.arrivals, shown, self.colors())
            self.add_moving(clock, *dip_marks(loss, clock, dips, floor[1]))
        names = [optimizer_name(trace) for trace in self.traces]
        colors = self.colors()
        ends = [head_size(PLANE_HEADS, k) for k in range(len(self.traces))]
        self.add_moving(clock, end_labels(plane, clock, names, colors, ends))
        self.add_moving(clock, *self.make_losses(clock, loss, names, colors))
        verdict = verdict_note(
            palette,
            clock,
            story.verdict(),
            VERDICT_CORNER,
            "left",
            width=VERDICT_WIDTH,
            small=True,
        )
        self.add_moving(clock, *counter.moving(clock, longest), *verdict)
        self.add_moving(clock, *self.make_zoom_note(plane, clock))
        # The start, the first steps slowly, time following the paths (the zoom
        # slowly, announced); who got there
        self.replay(clock, story, least_seconds=self.zoom_seconds(plane.zoom_step))

    def make_arrows(self, plane: ParameterPlane, clock: StepClock) -> list[VGroup]:
        """Each run's arrow, the step it takes, in drawing order (kept: see play_beat)."""
        colors = self.colors()
        self.arrows = step_arrows(plane, clock, self.traces, colors)
        self.keep_inside(plane.view.box(0), *self.arrows)
        return self.arrows

    def play_beat(self, clock: StepClock, beat: Beat) -> None:
        """The opening hold shows the start, then each run's first step one arrow at
        a time, in drawing order: they lie nearly on one another."""
        if beat.name != "opening" or not self.arrows:
            super().play_beat(clock, beat)
            return
        parts = len(self.arrows) + 1
        cuts = np.round(np.linspace(0, beat.frames, parts + 1)).astype(int)
        self.remove(*self.arrows)
        for k, frames in enumerate(np.diff(cuts)):
            self.add(*self.arrows[:k])  # drawn in order, each over the one before
            self.wait((frames + 0.5) / config.frame_rate)  # frozen: `frames` frames
        # back into drawing order: what the clock moves after the arrows goes over
        self.remove(*self.movers)
        self.add(*self.movers)

    def make_story(self, zoom_step: int | None) -> RaceStory:
        """The runs named by their optimisers; the verdict says which reach the
        minimum, in what order; the beat that zooms in says so."""
        names = [optimizer_name(trace) for trace in self.traces]
        stories = [LineFitStory(trace) for trace in self.traces]
        return RaceStory(self.traces, names, stories, zoom_step)

    def zoom_seconds(self, zoom_step: int | None) -> npt.NDArray[np.float64] | None:
        """Each update's least screen time: the one that zooms in, ZOOM_SECONDS, so
        the eye can follow the view as it narrows."""
        if zoom_step is None:
            return None
        least = np.zeros(max(trace.n_steps for trace in self.traces))
        least[zoom_step - 1] = ZOOM_SECONDS
        return least

    def make_zoom_note(self, plane: ParameterPlane, clock: StepClock) -> list[Holder]:
        """`zoomed in 4×` over the plane's top right corner, once the view is at
        that zoom, the update that zooms in done (none if it never zooms)."""
        zoom_step = plane.zoom_step
        if zoom_step is None:
            return []
        note = label(
            self.palette,
            f"zoomed in {PLANE_ZOOM:g}× on the finish",
            self.palette.label_size,
            self.palette.muted,
        )
        _, _, right, top = plane.view.box(0).scene_bounds
        corner = np.array([right, top + ZOOM_NOTE_ABOVE, 0.0])
        note.move_to(corner, aligned_edge=DR)
        return [shown_while(note, lambda: clock.value >= zoom_step)]

    def colors(self) -> list[str]:
        """Each run's colour, in the traces' order."""
        return [self.tone(trace) for trace in self.traces]

    def tone(self, trace: Trace) -> str:
        """The palette colour of a run's path, by its optimiser."""
        return str(getattr(self.palette, TONES[str(trace.meta["optimizer"])]))

    def make_title(self) -> VGroup:
        """Title, and the shared settings (the learning rates, when they are shared)."""
        rates = {trace.learning_rate for trace in self.traces}
        shared = (
            f"same learning rate {format_lr(rates.pop())}"
            if len(rates) == 1
            else "learning rates picked by hand for this surface"
        )
        return self.title("Optimizers on one loss surface", f"same start · {shared}")

    def make_legend(self, plane: ParameterPlane) -> VGroup:
        """One row per optimiser shown, in its path's colour and with its learning
        rate (a momentum run's rate at full speed worked out under it), then the
        arrow (each run's step) and the minimum's cross."""
        cross = plane.minimum_cross().scale(CROSS_SCALE)
        cross.set_stroke(getattr(self.palette, CROSS_TONE))
        rows = optimizer_legend(self.palette, self.traces, self.colors(), cross)
        rows.move_to(np.array([*LEGEND_CORNER, 0.0]), aligned_edge=UL)
        # long learning rates: in from the safe margin, towards the plane
        overflow = rows.get_right()[0] - safe_right()
        return rows.shift(max(overflow, 0.0) * LEFT)

    def under(self, loss: LossPlot, key: VGroup) -> VGroup:
        """`key` under the loss plot's step labels, in line with its left edge."""
        if not key.submobjects:
            return key
        corner = np.array([loss.box.scene_bounds[0], loss.axes.get_bottom()[1], 0.0])
        return key.move_to(corner + KEY_BELOW * DOWN, aligned_edge=UL)

    def make_losses(
        self, clock: StepClock, loss: LossPlot, names: list[str], colors: list[str]
    ) -> list[Mobject]:
        """Right of the loss plot, under `loss`, each run's loss now in its colour,
        in the legend's order, from the plot's top down."""
        height = label(self.palette, "Mgy", self.palette.label_size).height
        pitch = height + ROW_GAP
        first = loss.box.scene_bounds[3] - LOSS_TOP * height  # the heading's baseline
        baselines = [first - (k + 1) * pitch for k in range(len(names))]
        right = safe_right()
        heading = loss_heading(self.palette, right, first)
        numbers = run_losses(
            self.palette,
            clock,
            self.traces,
            names,
            colors,
            right=right,
            baselines=baselines,
            n_chars=LOSS_CHARS,
        )
        return [heading, *numbers]


def loss_size(palette: Palette) -> tuple[float, float]:
    """The loss plot's size: from LOSS_CORNER to KEY_GAP left of each run's loss."""
    left = column_left(palette, safe_right(), LOSS_CHARS)
    return left - KEY_GAP - LOSS_CORNER[0], LOSS_HEIGHT


def head_size(sizes: tuple[float, ...], k: int) -> float:
    """The `k`th run's dot: the `k`th of `sizes`, the last for any run past them."""
    return sizes[min(k, len(sizes) - 1)]
