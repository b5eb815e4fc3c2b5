"""The parameter plane: loss contours over (a₁, a₂), the minimum, and paths across them.

At true shape: one unit of a₁ is as long on screen as one unit of a₂, so the contours
are the ellipses they are and the gradient meets them at right angles. The contours
are labelled with their loss, the current step's update −lr·∇L is an arrow, and the
view widens to follow a path that runs away (scenes/view.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import numpy as np
from manim import (
    DL,
    DOWN,
    DR,
    LEFT,
    RIGHT,
    UL,
    UP,
    UR,
    Cross,
    Dot,
    Line,
    Mobject,
    VGroup,
    VMobject,
)

from scenes.camera import KeptPath
from scenes.clock import StepClock
from scenes.geometry import PlotBox, Points, polyline_curves
from scenes.least_squares import contour_ellipse, quadratic_form
from scenes.numbers import level_labels
from scenes.panels.axes import AxesDrawing, TickLabels, axis_names, follow_view
from scenes.readout import Readout
from scenes.text import label, tick_label
from scenes.theme import DRAWN, Palette
from scenes.view import View, plane_view
from sgdcore.trace import Trace

CONTOUR_LEVELS = 6  # ellipses, spaced by factors of CONTOUR_RATIO in excess loss
CONTOUR_RATIO = 3.0
RUNAWAY = 10.0  # a step whose loss passes this many times the start's has run away
TIP = 0.14  # the update arrow's head, at most


class ParameterPlane:
    """Axes over (slope a₁, intercept a₂) at true shape, following every path."""

    def __init__(
        self,
        palette: Palette,
        traces: Sequence[Trace],
        corner: tuple[float, float],
        size: tuple[float, float],
    ) -> None:
        self.palette, self.traces = palette, tuple(traces)
        self.keys: list[Mobject] = []  # keys inside the plot, made before drawing()
        self.hessian, self.best, self.floor = quadratic_form(traces[0])
        longest = max(traces, key=lambda trace: trace.n_steps)
        runaway = longest.full_loss > RUNAWAY * longest.full_loss[0]
        paths = [trace.params for trace in traces]
        self.view: View = plane_view(paths, self.best, corner, size, runaway)
        box = self.view.box(0)
        corners = np.array(
            [[box.x_span[i], box.y_span[j]] for i in (0, 1) for j in (0, 1)]
        )
        offsets = corners - self.best
        top = float(np.einsum("ij,jk,ik->i", offsets, self.hessian, offsets).max())
        # Excess losses of the drawn contours, fixed for the whole clip
        self.levels = [top / CONTOUR_RATIO ** (k + 0.5) for k in range(CONTOUR_LEVELS)]
        losses = [self.floor + excess for excess in self.levels]
        self.level_words = dict(zip(losses, level_labels(losses), strict=True))

    # -- what follows the view -------------------------------------------------------
    def drawing(self, clock: StepClock) -> list[Mobject]:
        """Axes, contours with their losses, and the minimum's cross."""
        axes = AxesDrawing(self.palette)
        contours = VMobject(
            stroke_color=self.palette.muted,
            stroke_width=1.5,
            stroke_opacity=DRAWN["contours"].opacity,
        )
        levels = TickLabels(
            fill_color=self.palette.muted, fill_opacity=1.0, stroke_width=0
        )
        cross = self.minimum_cross()
        best = self.best

        def draw_contours(box: PlotBox) -> None:
            curves, labels = [], []
            for excess in self.levels:
                ellipse = contour_ellipse(self.hessian, best, excess)
                points = box.to_points(ellipse[0], ellipse[1])
                runs = box.inside_runs(points)
                curves += [polyline_curves(run) for run in runs]
                if runs:
                    labels.append(self.level_label(box, points, self.floor + excess))
            contours.set_points(
                np.vstack(curves)
            ) if curves else contours.clear_points()
            # outer contours first; an inner label that would touch one, or the
            # minimum's cross, is left out
            cross = self.minimum_cross().move_to(box.c2p(*best))
            taken: list[Mobject] = [cross, *self.keys]
            shown: list[Mobject] = []
            for lab in labels:
                if lab is not None and not any(overlaps(lab, other) for other in taken):
                    taken.append(lab)
                    shown.append(lab)
            levels.set_points(
                np.vstack([lab.points for lab in shown])
            ) if shown else levels.clear_points()
            levels.boxes = [
                (
                    lab.get_left()[0],
                    lab.get_bottom()[1],
                    lab.get_right()[0],
                    lab.get_top()[1],
                )
                for lab in shown
            ]
            levels.words = [cast(Readout, lab).shown or "" for lab in shown]
            levels.version += 1

        return [
            follow_view(self.view, clock, axes, axes.draw),
            follow_view(self.view, clock, contours, draw_contours),
            follow_view(self.view, clock, levels, lambda box: None),
            follow_view(
                self.view, clock, cross, lambda box: cross.move_to(box.c2p(*best))
            ),
        ]

    def level_label(self, box: PlotBox, points: Points, loss: float) -> Mobject | None:
        """The loss of a contour, written just inside its top, if that is in the plot."""
        top = points[int(np.argmax(points[:, 1]))]
        text = tick_label(self.palette, self.level_words[loss], "contour levels")
        text.next_to(top, DOWN, buff=0.06)
        inside = box.contains(np.array([text.get_corner(DL), text.get_corner(UR)]))
        return text if inside.all() else None

    def names(self) -> VGroup:
        """a₁ right of the horizontal axis, a₂ above the vertical one."""
        return axis_names(self.palette, self.view.box(0), "a₁", "a₂")

    def minimum_cross(self) -> Cross:
        """The mark of the least-squares minimum."""
        return Cross(stroke_color=self.palette.ink, stroke_width=3, scale_factor=0.12)

    def minimum_key(self) -> VGroup:
        """What the cross marks."""
        words = label(
            self.palette,
            "least-squares minimum",
            self.palette.label_size,
            self.palette.muted,
        )
        return VGroup(self.minimum_cross(), words).arrange(RIGHT, buff=0.2)

    def key_in_corner(self) -> VGroup:
        """The minimum's key inside the bottom-right corner, where paths from the
        start (bottom left, on the lesson's runs) do not go."""
        box = self.view.box(0)
        corner = box.c2p(box.x_span[1], box.y_span[0])
        key = self.minimum_key().move_to(corner, aligned_edge=DR).shift(0.15 * UL)
        self.keys.append(key)  # contour labels keep clear of it
        return key

    def arrow_key(self, color: str) -> VGroup:
        """What the update arrow is, inside the top-left corner, above where the
        lesson's paths climb from their start."""
        box = self.view.box(0)
        head = VMobject(fill_color=color, fill_opacity=1.0, stroke_width=0)
        head.set_points_as_corners(
            [
                0.2 * RIGHT,
                0.1 * RIGHT + 0.07 * UP,
                0.1 * RIGHT + 0.07 * DOWN,
                0.2 * RIGHT,
            ]
        )
        arrow = VGroup(
            Line(0.2 * LEFT, 0.12 * RIGHT, stroke_color=color, stroke_width=3), head
        )
        words = label(
            self.palette,
            "this step: −lr·∇L",
            self.palette.label_size,
            self.palette.muted,
        )
        key = VGroup(arrow, words).arrange(RIGHT, buff=0.2)
        corner = box.c2p(box.x_span[0], box.y_span[1])
        key.move_to(corner, aligned_edge=UL).shift(0.15 * DR)
        self.keys.append(key)  # contour labels keep clear of it
        return key

    # -- moving ---------------------------------------------------------------------
    def path(self, clock: StepClock, trace: Trace, color: str) -> list[VMobject]:
        """`trace`'s parameters so far as a path over the contours, a dot at the step."""
        finished = KeptPath(stroke_color=color, stroke_width=3)  # traced once per step
        leg = VMobject(stroke_color=color, stroke_width=3)  # the step under way
        head = Dot(radius=0.07, color=color)

        def set_runs(mob: VMobject, line: Points, box: PlotBox) -> None:
            curves = [polyline_curves(run) for run in box.inside_runs(line)]
            mob.set_points(np.vstack(curves)) if curves else mob.clear_points()

        def walk(mob: Mobject) -> None:
            box = self.view.box(clock.value)
            with np.errstate(invalid="ignore", over="ignore"):
                points = box.to_points(trace.params[:, 0], trace.params[:, 1])
            index, fraction = clock.position(trace)
            tip = points[index]
            if fraction != 0:
                tip = tip + fraction * (points[index + 1] - points[index])
            set_runs(cast(VMobject, mob), points[: index + 1], box)
            set_runs(leg, np.vstack([points[index], tip]), box)
            inside = bool(box.contains(tip[None, :])[0])
            head.move_to(box.clamp(tip[None, :])[0]).set_opacity(1.0 if inside else 0.0)

        return [finished.add_updater(walk, call_updater=True), leg, head]

    def update_arrow(self, clock: StepClock, trace: Trace, color: str) -> VGroup:
        """The step's update −lr·∇L as an arrow from the point it leaves from.

        For plain gradient descent it ends where the step lands.
        """
        shaft = Line(stroke_color=color, stroke_width=3)
        head = VMobject(fill_color=color, fill_opacity=1.0, stroke_width=0)
        arrow = VGroup(shaft, head)

        def aim(_: Mobject) -> None:
            index = clock.index(trace)
            box = self.view.box(clock.value)
            if index >= trace.n_steps:
                shaft.set_opacity(0), head.set_opacity(0)
                return
            start = trace.params[index]
            end = start - trace.learning_rate * trace.grad[index]
            ends = box.to_points(
                np.array([start[0], end[0]]), np.array([start[1], end[1]])
            )
            clipped = box.clip_segment(ends[0], ends[1])
            if clipped is None or np.linalg.norm(clipped[1] - clipped[0]) < 1e-3:
                shaft.set_opacity(0), head.set_opacity(0)
                return
            a, b = clipped
            length = float(np.linalg.norm(b - a))
            tip = min(TIP, 0.4 * length)
            along = (b - a) / length
            across = np.array([-along[1], along[0], 0.0])
            base = b - tip * along
            shaft.put_start_and_end_on(a, base + 1e-4 * along).set_opacity(1)
            head.set_points_as_corners(
                [b, base + 0.55 * tip * across, base - 0.55 * tip * across, b]
            )
            head.set_opacity(1)

        return arrow.add_updater(aim, call_updater=True)


def overlaps(a: Mobject, b: Mobject, gap: float = 0.05) -> bool:
    """Whether two mobjects' bounding boxes come closer than `gap`."""
    return not (
        a.get_right()[0] + gap < b.get_left()[0]
        or b.get_right()[0] + gap < a.get_left()[0]
        or a.get_top()[1] + gap < b.get_bottom()[1]
        or b.get_top()[1] + gap < a.get_bottom()[1]
    )
