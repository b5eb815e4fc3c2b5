"""lr_too_high, lr_too_low, lr_just_right: gradient descent on the lesson's quadratic.

One scene for all three: what it says comes from the run itself. Each step multiplies
the distance to the minimum by 1 − 2·c·lr, so the trace's curvature and learning rate
decide whether the title says too high (or at its limit, −1), too low or just right.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from manim import LEFT, RIGHT, Mobject, Text, VGroup, VMobject

from scenes.clock import StepClock
from scenes.function_story import FunctionStory, formula_of, function_case
from scenes.numbers import (
    format_count,
    format_fixed,
    format_lr,
    format_number,
    shown_decimals,
)
from scenes.panels.axes import axis_names
from scenes.panels.hop_key import KEY_RING, clear_of, hop_key
from scenes.panels.notes import verdict_note
from scenes.panels.parabola import MARK_LENGTH, TANGENT_WIDTH, Parabola, run_view
from scenes.panels.readouts import ReadoutColumn
from scenes.panels.start_ring import start_ring
from scenes.panels.update_rule import rule_and_rows
from scenes.panels.zoom_badge import zoom_badge
from scenes.parabola_geometry import curvature_of, minimum_of, sampled
from scenes.quadratic_rows import (
    ShownRun,
    shown_offsets,
    start_loss_decimals,
)
from scenes.replay import ReplayScene
from scenes.schedule import TAIL_MOTION
from scenes.stories import QuadraticStory
from scenes.text import baseline_of, label, shown_while
from scenes.view import View
from scenes.words import sentence
from scenes.worked import quiet_from
from sgdcore.trace import Trace

# Room on the left for tick labels such as 0.025 (f(w) counts in 10ⁿ from 10⁴ up),
# on the right for the w axis' name, 0.2 or more clear of the verdict, and below for
# the w labels, set down clear of the minimum's ring
PLOT_CORNER, PLOT_SIZE = (-5.44, -3.14), (6.04, 5.14)
PANEL_LEFT, PANEL_RIGHT, PANEL_TOP, PANEL_ROW, READOUT_CHARS = 1.4, 6.4, 1.95, 0.55, 10
BADGE_LEFT = -4.15  # the zoom badge starts right of f(w)'s name and a ×10ⁿ
VERDICT_TOP, OFF_CHART_Y = -2.35, -1.95  # under the update rule: top, centre
TOO_LOW_FACTOR = 0.75  # a step that keeps more than 3/4 of the distance crawls


@dataclass(frozen=True)
class LrCase:
    """What the scene says about a learning rate: its title and its closing verdict."""

    title: str
    # str.format fields: steps, distance (of w, the readout's digits), growth, crosses
    verdict: str
    tone: str  # a Palette field


TOO_HIGH = LrCase(
    "Learning rate too high: each hop lands farther out",
    "each hop lands {crosses}{growth}× as far out: it diverges",
    "lr_high",
)
TOO_LOW = LrCase(
    "Learning rate too low: tiny steps crawl",
    "after {steps} steps, w is still {distance} from the minimum",
    "lr_low",
)
JUST_RIGHT = LrCase(
    "Learning rate just right: there in a few steps",
    "after {steps} steps, w is within {distance} of the minimum",
    "lr_good",
)
AT_LIMIT = LrCase(  # lr = 1/c: each hop lands across the minimum, as far out
    "Learning rate at its limit: w hops back and forth",
    "each hop lands across the minimum, as far out: it never settles",
    "lr_high",
)
OVERSHOOTS = LrCase(
    "Learning rate high: each jump overshoots, then settles",
    "w ends within {distance} of the minimum",
    "lr_good",
)


def step_factor(trace: Trace) -> float:
    """What one step multiplies the distance to the minimum by: 1 − 2·c·lr."""
    return 1 - 2 * curvature_of(trace) * trace.learning_rate


def case_of(trace: Trace) -> LrCase:
    """The story the run tells, from its step factor (1, too low: 1e-300 moves no w)."""
    if (factor := step_factor(trace)) == -1:
        return AT_LIMIT
    if factor > 1 or factor < -1:
        return TOO_HIGH
    if factor > TOO_LOW_FACTOR:
        return TOO_LOW
    return OVERSHOOTS if factor < -0.5 else JUST_RIGHT


class LearningRate(ReplayScene):
    """Gradient descent on f(w) = c (w − w*)², one hop per step, arithmetic written out."""

    def construct(self) -> None:
        trace, palette = self.trace, self.palette
        # One set of strings for the readouts and the worked update
        rule, shown = rule_and_rows(
            palette, trace, PANEL_LEFT, PANEL_TOP - PANEL_ROW * 4.4
        )
        # zoomed in no further than f(w) at its starting digits still changes: a run
        # whose readout takes more decimals near the minimum is not followed further
        zoom = min(shown_decimals(shown.loss[0]), start_loss_decimals([trace]))
        view = run_view(trace, PLOT_CORNER, PLOT_SIZE, zoom)
        parabola = Parabola(palette, trace, view, palette.fit)
        readouts = self.make_readouts(shown)
        shown = as_read(readouts)  # a loss too wide to line up reads m×10ⁿ there
        self.still_from = quiet_from(rule.settled, shown.w)  # readouts next to still
        clock = StepClock(self.traces)
        names = axis_names(palette, view.box(0), "w", "f(w)")
        # The title; the parabola and its minimum (following the run if it leaves);
        # the readouts' names and the rule
        for brief in range(3):  # a long learning rate: a shorter subtitle
            title = self.make_title(brief)
            if clear_of(key := self.make_key(title), title[1]):
                break
        self.add_static(title, names, readouts.static(), rule.static())
        if clear_of(key, title[1]):
            self.add_static(key)
        self.add_drawing(clock, *parabola.drawing(clock))
        self.add_drawing(clock, *self.make_zoom_badge(view, clock, names))
        # Each step hops along the curve; the numbers and the worked update follow
        hops = parabola.moving(clock)
        verdict, tone = self.verdict(shown)
        self.add_moving(
            # the readouts change as the point lands, with the worked update's label
            clock,
            start_ring(parabola, clock),  # under the point
            *hops,
            *readouts.moving(clock, trace, landed=True),
            *rule.moving(clock),
        )
        self.add_moving(clock, *self.make_notes(parabola, clock, verdict, tone))
        # The start, three hops slowly, the overshoot held, then the verdict
        self.watch(*hops[-2:-1])  # the point
        self.keep_inside(view.box(0), *hops[1:-1])  # the axis marks sit under it
        story = (
            FunctionStory(trace, verdict)
            if sampled(trace)
            else QuadraticStory(trace, verdict, shown)
        )
        self.replay(clock, story)

    def measure_motion(self, clock: StepClock) -> npt.NDArray[np.float64]:
        """How far the point moves each update, at least a visible run's tail while a
        readout still changes; nothing once w's changes only in its last digit.

        From there the view has stopped following the run in (it zooms no further
        than f(w) still reads) and the point moves by a few pixels: those updates
        show nothing new, so the plan fast-forwards through them to the verdict."""
        motion = super().measure_motion(clock)
        if self.still_from is not None:
            still = motion[: self.still_from]
            motion[: self.still_from] = np.maximum(still, TAIL_MOTION)
            motion[self.still_from :] = 0.0
        return motion

    def make_zoom_badge(
        self, view: View, clock: StepClock, names: VGroup
    ) -> list[Mobject]:
        """How far the view has zoomed since the start, on the row of f(w)'s name,
        ending where the plot does."""
        y_name, right = names[1], PLOT_CORNER[0] + PLOT_SIZE[0]
        assert isinstance(y_name, Text)
        room = right - BADGE_LEFT  # clear of f(w)'s name and a ×10ⁿ over its axis
        row = (right, baseline_of(y_name), self.palette.tick_size, room)
        return zoom_badge(self.palette, view, clock, *row)

    def make_key(self, title: VGroup) -> VGroup:
        """What the tangent, the ticks on the w axis and the two rings stand for:
        on the subtitle's row, ending where the readouts do."""
        palette, subtitle = self.palette, title[1]
        assert isinstance(subtitle, Text)
        key = hop_key(
            palette,
            [palette.fit],
            0.0,
            baseline_of(subtitle),
            palette.tick_size,
            MARK_LENGTH,
            TANGENT_WIDTH,
            KEY_RING,
            start=True,
        )
        return key.shift((PANEL_RIGHT - key.get_right()[0]) * RIGHT)

    def make_readouts(self, shown: ShownRun) -> ReadoutColumn:
        """Step, w, f(w) and f′(w) beside the plot, as `shown`."""
        return ReadoutColumn(
            self.palette,
            [
                ("step", lambda k: format_count(k, self.trace.n_steps)),
                ("w", shown.w),
                ("loss f(w)", shown.loss),
                ("gradient f′(w)", shown.grad),
            ],
            left=PANEL_LEFT,
            right=PANEL_RIGHT,
            top=PANEL_TOP,
            row_height=PANEL_ROW,
            n_chars=READOUT_CHARS,
        )

    def make_title(self, brief: int = 0) -> VGroup:
        """Title from the run's story; the function and learning rate under it, and
        the learning rates that converge: with `brief` 1, the rate written `lr`;
        with 2, the rate in full and not those that converge."""
        if sampled(self.trace):  # no one curvature: say what the run did
            return self.title(
                function_case(self.trace)[0],
                f"f(w) = {formula_of(self.trace)}, learning rate "
                f"{format_lr(self.trace.learning_rate)}",
            )
        curvature = curvature_of(self.trace)
        limit = f", converges for lr < {format_lr(1 / curvature)}"  # "·" reads as ×
        rate = "lr" if brief == 1 else "learning rate"
        return self.title(
            case_of(self.trace).title,
            f"f(w) = {self.function_text()}, {rate} "
            f"{format_lr(self.trace.learning_rate)}{limit if brief < 2 else ''}",
        )

    def function_text(self) -> str:
        """The quadratic written with the trace's constants."""
        curvature, minimum = curvature_of(self.trace), minimum_of(self.trace)
        scale = "" if curvature == 1 else f"{format_lr(curvature)}·"
        inner = "w" if minimum == 0 else f"(w − {format_lr(minimum)})"
        return f"{scale}{inner}²"

    def verdict(self, shown: ShownRun) -> tuple[str, str]:
        """What became of the run, and the colour to say it in (a loss as `shown`)."""
        trace, palette = self.trace, self.palette
        if sampled(trace):
            _, verdict, tone = function_case(trace)
            return sentence(verdict), getattr(palette, tone)
        case, loss = case_of(trace), shown.loss[-1]
        if trace.diverged_at is not None:
            said = f"diverged at step {trace.diverged_at}: loss {loss}"
            return sentence(said), palette.warning
        distance = abs(float(trace.params[-1, 0]) - minimum_of(trace))
        growth = format_number(abs(factor := step_factor(trace)), 3, trim=True)
        verdict = case.verdict.format(
            steps=trace.n_steps,
            # worked out from the w readout beside it, in its digits
            distance=format_fixed(abs(offset), shown_decimals(shown.w[-1]))
            if (offset := shown_offsets(trace, shown.w)[-1]) is not None
            else format_number(distance, 3, trim=True),
            # a distance is never negative: a negative factor flips w across
            growth=growth,
            crosses="across the minimum, " if factor < 0 else "",
        )
        if distance < 1e-4:  # under the readouts' last digit: not "within 0.0000"
            left = f"each step left {growth} of the gap; " if 0 < factor < 1 else ""
            at = [o == 0 for o in shown_offsets(trace, shown.w)]  # w reads as w*
            first = next((k for k in range(len(at)) if all(at[k:])), trace.n_steps)
            verdict = f"{left}from step {first}, w is at the minimum to"
            verdict += f" {shown_decimals(shown.w[-1])} decimals"  # its readout's
        return sentence(verdict), getattr(palette, case.tone)

    def make_notes(
        self, parabola: Parabola, clock: StepClock, verdict: str, tone: str
    ) -> list[VMobject]:
        """The verdict, shown when the replay ends; a warning while off the chart."""
        palette, notes = self.palette, list[VMobject]()
        corner = (PANEL_LEFT, VERDICT_TOP)
        notes += verdict_note(palette, clock, verdict, corner, "left", tone, width=4.8)
        at = parabola.view.limit_step
        if at is not None:
            words = "left the chart: loss growing"
            warning = label(palette, words, palette.label_size, palette.warning)
            warning.move_to(np.array([PANEL_LEFT, OFF_CHART_Y, 0.0]), aligned_edge=LEFT)
            notes.append(shown_while(warning, lambda: clock.value >= at - 0.5))
        return notes


def as_read(readouts: ReadoutColumn) -> ShownRun:
    """w, f(w) and f′(w) as the readouts write them, for the notes to quote."""
    w, loss, grad = (
        [text.strip() for text in readouts.texts[row] or []] for row in (1, 2, 3)
    )
    return ShownRun(w, loss, grad)
