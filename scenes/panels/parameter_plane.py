"""The parameter plane: loss contours over (a₁, a₂), the minimum, and paths across them.

At true shape: one unit of a₁ is as long on screen as one unit of a₂, so the contours
are the ellipses they are and the gradient meets them at right angles. The contours
are labelled with their loss, the current step's update is an arrow (−lr·∇L, or the
step a run takes), and the view widens to follow a path that runs away
(scenes/view.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import cast

import numpy as np
import numpy.typing as npt
from manim import (
    DOWN,
    DR,
    LEFT,
    RIGHT,
    Cross,
    Dot,
    Line,
    Mobject,
    VGroup,
    VMobject,
)

from scenes.camera import KeptPath
from scenes.clock import StepClock, follow_view
from scenes.geometry import PlotBox, Points, polyline_curves
from scenes.least_squares import quadratic_form
from scenes.numbers import level_labels
from scenes.panels.axes import AxesDrawing, TickLabels, axis_names
from scenes.panels.legend import arrow_mark
from scenes.panels.plane_layout import CROSS_HALF, contour_runs, place_levels, rect_of
from scenes.placement import Ink
from scenes.readout import Readout
from scenes.text import label, tick_label
from scenes.theme import DRAWN, Palette
from scenes.view import LEAD_OUT, View, lead_view, plane_view
from sgdcore.trace import Trace

CONTOUR_LEVELS = 6  # ellipses, spaced by factors of CONTOUR_RATIO in excess loss
CONTOUR_RATIO = 3.0
RUNAWAY = 10.0  # a step whose loss passes this many times the start's has run away
TIP = 0.14  # the update arrow's head, at most
HEAD = 0.07  # the radius of the dot at a path's step
KEYS_ABOVE = 0.2  # from the plot's top edge to its keys, right of the a₂ name
KEY_GAP = 0.1  # between the keys' rows


class ParameterPlane:
    """Axes over (slope a₁, intercept a₂) at true shape, following every path."""

    def __init__(
        self,
        palette: Palette,
        traces: Sequence[Trace],
        corner: tuple[float, float],
        size: tuple[float, float],
        also: npt.NDArray[np.float64] | None = None,
        zoom: bool = True,
    ) -> None:
        """`also`: shape (m, 2), parameters the view holds besides the paths;
        `zoom`: whether it zooms in where the paths settle (scenes/view.py)."""
        self.palette, self.traces = palette, tuple(traces)
        self.hessian, self.best, self.floor = quadratic_form(traces[0])
        longest = max(traces, key=lambda trace: trace.n_steps)
        runaway = longest.full_loss > RUNAWAY * longest.full_loss[0]
        paths = [trace.params for trace in traces]
        self.view: View = plane_view(
            paths, self.best, corner, size, runaway, also, zoom
        )
        box = self.view.box(0)
        corners = np.array(
            [[box.x_span[i], box.y_span[j]] for i in (0, 1) for j in (0, 1)]
        )
        offsets = corners - self.best
        top = float(np.einsum("ij,jk,ik->i", offsets, self.hessian, offsets).max())
        # Excess losses of the drawn contours, fixed for the whole clip
        self.levels = [top / CONTOUR_RATIO ** (k + 0.5) for k in range(CONTOUR_LEVELS)]
        losses = [self.floor + excess for excess in self.levels]
        self.level_words = dict(
            zip(losses, level_labels(losses, trim=False), strict=True)
        )  # two significant digits each, zeros kept: `0.20` beside `0.12`
        # said before the outermost contour's loss in view ("loss 7.7"), if set; and
        # how far in from the plot's edges every loss keeps (scene units)
        self.level_name, self.level_margin = "", 0.0

    def lead_with(
        self, frames: Sequence[npt.NDArray[np.float64]], out: int = LEAD_OUT
    ) -> None:
        """Steps of a clip's own before the paths' (a LeadClock's lead), step k
        framing the parameters `frames[k]` (shape (m, 2)), eased from one to the
        next, then out to the walk's view over `out` steps; the contours stay those
        of the walk. The view is then the clip's: draw and path read it on the
        clip's clock."""
        self.view = lead_view(self.view, frames, out)

    # -- what follows the view -------------------------------------------------------
    def drawing(
        self,
        clock: StepClock,
        instead: Callable[[PlotBox], Ink | None] | None = None,
    ) -> list[Mobject]:
        """Axes, contours with their losses, and the minimum's cross. `instead`: what
        is drawn in a box in place of the paths (None: the paths), that the losses
        keep off; they may then sit beside their contours' arcs in view too."""
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
            curves = [polyline_curves(run) for run in contour_runs(self, box)]
            contours.set_points(
                np.vstack(curves)
            ) if curves else contours.clear_points()
            # named while the view rests: not jumping from spot to spot as it moves
            drawn = None if instead is None else instead(box)
            shown = self.shown_levels(box, drawn) if self.view.at_rest(box) else []
            levels.set_points(
                np.vstack([lab.points for lab in shown])
            ) if shown else levels.clear_points()
            levels.boxes = [rect_of(lab) for lab in shown]
            levels.words = [cast(Readout, lab).shown or "" for lab in shown]
            levels.version += 1

        def place_cross(box: PlotBox) -> None:
            # shown only while all of it is in view (a lead view may leave it out)
            centre = box.c2p(*best)
            reach = CROSS_HALF * np.array([[1.0, 1.0, 0.0], [-1.0, -1.0, 0.0]])
            inside = bool(box.contains(centre + reach).all())
            shown = 1.0 if inside else 0.0
            cross.move_to(centre).set_stroke(opacity=shown)
            cross.set_stroke(opacity=shown, background=True)  # a casing, if any

        return [
            follow_view(self.view, clock, axes, axes.draw),
            follow_view(self.view, clock, contours, draw_contours),
            follow_view(self.view, clock, levels, lambda box: None),
            follow_view(self.view, clock, cross, place_cross),
        ]

    def shown_levels(self, box: PlotBox, drawn: Ink | None = None) -> list[Mobject]:
        """The contours' losses shown in `box`, each just inside its contour where no
        contour, path, arrow or other loss is, or none of the ink `drawn` in place
        of the paths (plane_layout.place_levels)."""
        words = [self.level_words[self.floor + excess] for excess in self.levels]

        def texts(named: int) -> list[Mobject]:
            return [
                tick_label(
                    self.palette,
                    (self.level_name if k == named else "") + text,
                    "contour levels",
                )
                for k, text in enumerate(words)
            ]

        plain = place_levels(self, box, texts(-1), drawn, self.level_margin)
        if not self.level_name:
            return plain
        # the name on the first loss shown that has room for it, else on none
        for k, text in enumerate(words):
            if not any(cast(Readout, shown).shown == text for shown in plain):
                continue
            named = texts(k)
            shown = place_levels(self, box, named, drawn, self.level_margin)
            if named[k] in shown:
                return shown
        return plain

    @property
    def zoom_step(self) -> int | None:
        """The step at which the view has zoomed in on where the paths settle (it
        eases in over the update before it); None if it never zooms in."""
        widths = self.view.x[:, 1] - self.view.x[:, 0]
        narrower = np.flatnonzero(widths[1:] < widths[:-1])
        return int(narrower[0]) + 1 if narrower.size else None

    def names(self) -> VGroup:
        """a₁ right of the horizontal axis, a₂ above the vertical one."""
        return axis_names(self.palette, self.view.box(0), "a₁", "a₂")

    def minimum_cross(self) -> Cross:
        """The mark of the least-squares minimum."""
        return Cross(stroke_color=self.palette.ink, stroke_width=3, scale_factor=0.12)

    def minimum_key(self, size: float, name: str = "least-squares minimum") -> VGroup:
        """What the cross marks, `name`, in type of `size`."""
        words = label(self.palette, name, size, self.palette.muted)
        return VGroup(self.minimum_cross(), words).arrange(RIGHT, buff=0.2)

    def keys_above(self, color: str) -> VGroup:
        """What the update arrow (in `color`) and the cross are, in small type,
        stacked over the plot's top-right corner: no path or contour ever goes
        there, and the a₂ name keeps to the top-left one."""
        size = self.palette.tick_size
        keys = VGroup(self.arrow_key(color, size), self.minimum_key(size))
        keys.arrange(DOWN, aligned_edge=LEFT, buff=KEY_GAP)
        _, _, right, top = self.view.box(0).scene_bounds
        return keys.move_to(np.array([right, top + KEYS_ABOVE, 0.0]), aligned_edge=DR)

    def arrow_key(self, color: str, size: float) -> VGroup:
        """What the update arrow is: −lr·∇L, in type of `size`."""
        words = label(self.palette, "this step: −lr·∇L", size, self.palette.muted)
        return VGroup(arrow_mark(color), words).arrange(RIGHT, buff=0.2)

    # -- moving ---------------------------------------------------------------------
    def path(
        self,
        clock: StepClock,
        trace: Trace,
        color: str,
        views: StepClock | None = None,
        radius: float = HEAD,
    ) -> list[VMobject]:
        """`trace`'s parameters so far as a path, a dot of `radius` at the step; the
        view read on `views` (a clip's clock whose lead the view has), else `clock`."""
        viewing = clock if views is None else views
        finished = KeptPath(stroke_color=color, stroke_width=3)  # traced once per step
        leg = VMobject(stroke_color=color, stroke_width=3)  # the step under way
        head = Dot(radius=radius, color=color)

        def set_runs(mob: VMobject, line: Points, box: PlotBox) -> None:
            curves = [polyline_curves(run) for run in box.cut_runs(line)]
            mob.set_points(np.vstack(curves)) if curves else mob.clear_points()

        def walk(mob: Mobject) -> None:
            box = self.view.box(viewing.value)
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

    def update_arrow(
        self,
        clock: StepClock,
        trace: Trace,
        color: str,
        width: float = 3,
        taken: bool = False,
    ) -> VGroup:
        """The step's update −lr·∇L as an arrow from the point it leaves from, its
        shaft `width` wide and its head `width` / 3 times the usual 3-wide one's;
        `taken`: the step the run takes instead, to where the trace's next
        parameters are (momentum's and Adam's differ from −lr·∇L), from where its
        dot has got to, so the dot never covers the head.

        For plain gradient descent the two are one: it ends where the step lands.
        """
        shaft, flare = Line(stroke_color=color, stroke_width=width), width / 3
        head = VMobject(fill_color=color, fill_opacity=1.0, stroke_width=0)
        arrow = VGroup(shaft, head)

        def aim(_: Mobject) -> None:
            index = clock.index(trace)
            box = self.view.box(clock.value)
            if index >= trace.n_steps:
                shaft.set_opacity(0), head.set_opacity(0)
                return
            start = trace.params[index]
            update = -trace.learning_rate * trace.grad[index]
            end = trace.params[index + 1] if taken else start + update
            if taken:  # the part still to go: the run's dot rides its tail
                start = start + clock.position(trace)[1] * (end - start)
            with np.errstate(invalid="ignore", over="ignore"):
                ends = box.to_points(*np.array([start, end]).T)
            clipped = box.clip_segment(*ends) if np.isfinite(ends).all() else None
            if clipped is None or np.linalg.norm(clipped[1] - clipped[0]) < 1e-3:
                shaft.set_opacity(0), head.set_opacity(0)
                return
            a, b = clipped
            length = float(np.linalg.norm(b - a))
            tip = min(TIP, 0.4 * length)
            along = (b - a) / length
            across = np.array([-along[1], along[0], 0.0])
            base, half = b - tip * along, 0.55 * flare * tip * across
            shaft.put_start_and_end_on(a, base + 1e-4 * along).set_opacity(1)
            head.set_points_as_corners([b, base + half, base - half, b]).set_opacity(1)

        return arrow.add_updater(aim, call_updater=True)
