"""gradient_noise: why mini-batches work. At one point, each batch's gradient step
scatters round the full-batch step, centred on it, less as the batches grow (the
largest size's in an inset); then small and large batches train side by side from
there, the view widening to them, each update that raised a loss marked."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import numpy as np
from manim import LEFT, RIGHT, UL, Mobject, Text, VGroup, VMobject

from scenes.clock import LeadClock
from scenes.geometry import PlotBox
from scenes.least_squares import quadratic_form
from scenes.noise_geometry import NoiseLevel, ellipse, noise_levels
from scenes.noise_story import NoiseStory
from scenes.numbers import format_lr, level_labels
from scenes.panels.batch_loss import step_name
from scenes.panels.gradient_cloud import GradientCloud, before_runs
from scenes.panels.legend import legend, line_mark
from scenes.panels.loss_plot import LossPlot
from scenes.panels.noise_inset import NoiseInset
from scenes.panels.noise_keys import cloud_keys, run_colors
from scenes.panels.notes import verdict_note
from scenes.panels.parameter_plane import ParameterPlane
from scenes.panels.plane_layout import path_ink
from scenes.panels.spread_plot import SpreadPlot
from scenes.panels.uphill_marks import uphill_key, uphill_marks
from scenes.placement import Ink
from scenes.replay import ReplayScene
from scenes.text import label, one_path, shown_while, while_true
from sgdcore.trace import Trace

# The plane left, at true shape, its keys under it (the verdict takes their place at
# the close); the spread by batch size top right (1.63 high: 220 px at 1080p), its
# two-line axis name 0.19 over its top tick label, beside the subtitle's end (which
# stops short of the column), and its keys in a row under its tick labels; the loss
# under it (1.64 high: 221 px at 1080p), its title clear of those keys, its x axis
# named under its tick labels at their size.
PLANE_CORNER, PLANE_SIZE = (-5.75, -2.15), (6.45, 3.8)  # a₁ clear of the loss ticks
SPREAD_CORNER, SPREAD_SIZE = (2.25, 0.11), (3.8, 1.63)
LOSS_CORNER, LOSS_SIZE = (2.55, -2.92), (3.45, 1.64)
KEYS_TOP = -2.68  # the plane's keys, under its tick labels
KEYS_LEFT = -5.75  # their first column's left end
KEYS_GAP = 0.6  # from the first column's widest words to the second column's marks
PHASE_GAP = 0.9  # from the plane's left edge to the batch size's words above it
VERDICT_WIDTH = 7.6  # under the plane, in two lines
VERDICT_DROP = 0.12  # below where the keys were: 0.3 under the tick labels
GROW_SECONDS = 1.4  # a batch size's steps growing out of the point...
LAST_GROW = 1.7  # ...the last size's slower: the inset magnifies them as they grow
# the runs' first update, in which the view eases out from the clouds' scale to
# theirs, at least this long: from then on it holds still
RUN_EASE, EASING_SECONDS = 1, 1.0
UPDATE_SECONDS = 0.18  # and every update after, at least: a rise can be seen
# the last size's beat magnified, where the loss plot comes later
INSET_CORNER, INSET_SIZE = (2.35, -3.3), (3.9, 2.05)
RUN_WIDTH = 3.0
MINIMUM_ROOM = 0.1  # round the minimum's cross, a share of the paths' wider span
LEVEL_MARGIN = 0.12  # the contours' losses keep this inside the plane's edges
# where the runs end close on the loss plot the later head, smaller and in a ring of
# the background, leaves the first's showing round it
HEAD_SCALE, HEAD_RING = 0.7, 2.0
RUN_COUNT = {1: "a", 2: "two", 3: "three"}  # the subtitle's count of runs


class GradientNoise(ReplayScene):
    """Every batch's step of one epoch at the start, one batch size a beat; then the
    smallest and the largest batch sizes' runs on one clock."""

    def construct(self) -> None:
        trace, palette = self.trace, self.palette
        levels = noise_levels(trace)
        clock = LeadClock(self.traces, len(levels))
        runs = clock.runs()
        tips = np.vstack([trace.params[0] + level.steps for level in levels])
        held = np.vstack([tips, minimum_room(self.traces)])  # all the view holds
        plane = ParameterPlane(
            palette, self.traces, PLANE_CORNER, PLANE_SIZE, held, zoom=False
        )
        spread = SpreadPlot(
            palette, levels, len(trace.train_index), SPREAD_CORNER, SPREAD_SIZE
        )
        loss = LossPlot(
            palette,
            self.traces,
            LOSS_CORNER,
            LOSS_SIZE,
            "loss on all points (log)",
            series=("full_loss",),
        )
        label_levels(plane)
        plane.level_margin = LEVEL_MARGIN
        # One scale for the full step and every batch size's beat: all their steps
        plane.lead_with(lead_frames(trace, levels), RUN_EASE)
        cloud = GradientCloud(palette, plane, levels)
        story = NoiseStory(self.traces, levels)
        colors = run_colors(palette)
        # Title, contours, the empty spread plot; the loss plot and its keys come later
        self.add_static(self.make_title(), plane.names(), spread.static())
        # the rises' key in the loss plot's top right (which may raise its top)
        rises_key = loss.hold_top_right(uphill_key(palette, self.traces, colors))

        def running() -> bool:
            return not before_runs(clock)

        named = VGroup(loss.static(), step_name(palette, loss, "steps"))
        panel = VGroup(named, loss.floor(trace), rises_key)
        # the contours' losses keep off the cloud, then off the whole paths: beside
        # their arcs too, so that they still show while the view eases out
        cloud_ink = cloud.ink(clock)

        def drawn(box: PlotBox) -> Ink:
            ink = cloud_ink(box)
            return path_ink(plane, box) if ink is None else ink

        self.add_drawing(clock, *plane.drawing(clock, drawn))
        self.add_moving(clock, shown_while(panel, running))
        # Then the smallest and largest batches train from the same start (drawn
        # under the cloud, which covers their heads until they leave the point)
        heads: list[Mobject] = []
        rises: list[Mobject] = []  # over every run's curve, under the heads
        curve_heads: list[VMobject] = []
        for run, color in zip(self.traces, colors, strict=True):
            path = plane.path(runs, run, color, clock)
            curve = loss.curve(runs, run.full_loss, color, RUN_WIDTH)
            # each head ringed; a later run's smaller, over the first's
            line, head = VGroup(*curve[:-1]), curve[-1]
            head.set_stroke(palette.background, HEAD_RING)
            if heads:
                head.scale(HEAD_SCALE)
            curve_heads.append(head)
            rises += uphill_marks(loss, runs, run.full_loss, color, RUN_EASE)
            self.add_moving(clock, *path, shown_while(line, running))
            self.keep_inside(plane.view.box(0), *path)
            self.keep_inside(loss.box, *curve)
            heads.append(path[-1])
        self.add_moving(clock, *rises)
        self.add_moving(clock, *[shown_while(h, running) for h in curve_heads])
        # One batch size a beat: every batch's step from the point, their mean and
        # spread, and the spread measured beside
        keys = self.make_keys(clock, levels)
        phases = self.make_phase_words(clock, plane, story)
        # the ellipse and the ring over the full step's arrowhead: a small one shows
        moving = cloud.moving(clock)
        marks = [*moving[:3], *cloud.full_step(clock), *moving[3:]]
        self.add_moving(clock, *keys, *marks, *self.make_ring_names(clock, cloud))
        self.keep_inside(plane.view.box(0), *marks)
        self.add_moving(clock, *spread.moving(clock), *phases)
        inset = NoiseInset(palette, cloud, levels, INSET_CORNER, INSET_SIZE)
        self.add_moving(clock, *inset.static(clock), *inset.moving(clock))
        # The verdict where the cloud's keys were, a little clearer of the ticks
        corner = (KEYS_LEFT, KEYS_TOP - VERDICT_DROP)
        verdict = verdict_note(
            palette, clock, story.verdict(), corner, "left", None, VERDICT_WIDTH, True
        )
        self.add_moving(clock, *verdict)
        self.watch(cloud.ring, *heads)
        lead = np.full(clock.lead, GROW_SECONDS)
        lead[-1] = LAST_GROW if inset.shown else GROW_SECONDS
        least = np.concatenate(
            [lead, np.full(clock.last_step - clock.lead, UPDATE_SECONDS)]
        )
        least[clock.lead : clock.lead + RUN_EASE] = EASING_SECONDS
        self.replay(clock, story, slow_steps=clock.lead, least_seconds=least)

    def make_title(self) -> VGroup:
        """Title, and the setting from the trace: short, so that it ends before the
        right column and the spread plot's name can stand beside it."""
        trace = self.trace
        return self.title(
            "Why mini-batches work",
            f"{len(trace.train_index)} points · learning rate "
            f"{format_lr(trace.learning_rate)} · "
            f"{RUN_COUNT.get(len(self.traces), len(self.traces))} "
            f"{trace.n_steps}-step run{'s' if len(self.traces) > 1 else ''}",
        )

    def make_keys(self, clock: LeadClock, levels: list[NoiseLevel]) -> list[Mobject]:
        """The cloud's keys in two columns under the plane until the runs start; the
        dashed ellipses' key from the second size on (why most single points' steps
        lie outside their ellipse is in the notes)."""
        rows = cloud_keys(self.palette, self.palette.tick_size, len(levels) > 1)
        columns = [VGroup(*rows[:2]), VGroup(*rows[2:])]
        left = KEYS_LEFT
        for column in columns:
            column.move_to(np.array([left, KEYS_TOP, 0.0]), aligned_edge=UL)
            left = column.get_right()[0] + KEYS_GAP

        def left_behind() -> bool:
            return GradientCloud.phase(clock)[0] > 0

        keys = [VGroup(*rows[:2]), VGroup(*rows[2:4])]
        shown: list[Mobject] = [while_true(k, lambda: before_runs(clock)) for k in keys]
        return shown + [while_true(row, left_behind) for row in rows[4:]]

    def make_run_keys(self, names: tuple[str, ...]) -> VGroup:
        """Which run is which colour, in a row: for the plane's paths and the loss
        plot's curves alike."""
        entries = [
            (line_mark(color, RUN_WIDTH), name)
            for name, color in zip(names, run_colors(self.palette), strict=True)
        ]
        rows = legend(self.palette, entries, row_gap=0.06, size=self.palette.tick_size)
        return rows.arrange(RIGHT, buff=KEYS_GAP)

    def make_ring_names(self, clock: LeadClock, cloud: GradientCloud) -> list[Mobject]:
        """Each earlier size's name by its ellipse (and its leader), from the next
        size's beat on."""
        names: list[Mobject] = []
        for k, name in enumerate(cloud.names):

            def after(k: int = k) -> bool:
                return GradientCloud.phase(clock)[0] > k

            if name is not None:
                leader, words = name
                text = cast(Text, words)
                names.append(while_true(VGroup(leader, one_path(text)), after))
        return names

    def make_phase_words(
        self, clock: LeadClock, plane: ParameterPlane, story: NoiseStory
    ) -> list[Mobject]:
        """The batch size shown, above the plane, while its steps are; then the
        runs' keys there, as soon as they start."""
        levels, names = story.levels, story.names
        left, _, _, top = plane.view.box(0).scene_bounds
        words: list[Mobject] = []
        for k, level in enumerate(levels):
            text = label(
                self.palette,
                f"B = {level.size}: {len(level.steps)} batches",
                self.palette.label_size,
            )
            place = np.array([left + PHASE_GAP, top + 0.3, 0.0])
            text.move_to(place, aligned_edge=LEFT)

            def showing(k: int = k) -> bool:
                return GradientCloud.phase(clock)[0] == k

            words.append(while_true(one_path(text), showing))

        # then, from the runs' first update on, which run is which and the ✕ they
        # head for, while the view eases out to them
        def running() -> bool:
            return clock.value > clock.lead

        cross = plane.minimum_key(self.palette.tick_size, "minimum")
        keys = VGroup(self.make_run_keys(names), cross).arrange(RIGHT, buff=KEYS_GAP)
        keys.move_to(np.array([left + PHASE_GAP, top + 0.3, 0.0]), aligned_edge=LEFT)
        return [*words, while_true(keys, running)]


def label_levels(plane: ParameterPlane) -> None:
    """The contours' losses in one style, two significant digits each with their
    zeros kept (`8.0`, `2.7`, `0.96`), the first shown saying what they are."""
    plane.level_name = "loss "
    losses = list(plane.level_words)
    plane.level_words = dict(zip(losses, level_labels(losses, trim=False), strict=True))


def lead_frames(trace: Trace, levels: list[NoiseLevel]) -> list[np.ndarray]:
    """What each lead step frames: for all, the full step, every batch's step and the
    first ellipse. One scale, so each later ellipse shows inside the earlier ones."""
    start, first = trace.params[0], levels[0]
    steps = np.vstack([level.steps for level in levels])
    shown = np.vstack(
        [
            start + np.vstack([np.zeros(2), first.full]),
            start + steps,
            ellipse(start + first.mean, first.covariance),
        ]
    )
    return [shown] * (len(levels) + 1)


def minimum_room(traces: Sequence[Trace]) -> np.ndarray:
    """Points round the minimum the plane's view holds too, so that its cross and
    innermost contours sit clear of the plane's edges: MINIMUM_ROOM of the paths'
    wider span each way (none if no path stays finite)."""
    params = np.vstack([trace.params for trace in traces])
    params = params[np.isfinite(params).all(axis=1)]
    if not len(params):
        return np.zeros((0, 2))
    reach = MINIMUM_ROOM * float(np.ptp(params, axis=0).max())
    ways = np.array([[1.0, 0.0], [-1.0, 0.0], [0.0, 1.0], [0.0, -1.0]])
    return quadratic_form(traces[0])[1] + reach * ways
