"""lr_compare: too low, just right and too high side by side, on one clock."""

from __future__ import annotations

from collections.abc import Sequence

from manim import RIGHT, Text, VGroup, VMobject

from scenes.clock import StepClock
from scenes.lr_compare_story import LrCompareStory
from scenes.numbers import (
    format_count,
    format_fixed,
    format_lr,
    shown_decimals,
)
from scenes.panels.hop_key import KEY_RING, hop_key
from scenes.panels.parabola import MARK_LENGTH, TANGENT_WIDTH, Parabola, run_view
from scenes.panels.readouts import ReadoutColumn
from scenes.panels.start_ring import start_ring
from scenes.panels.zoom_badge import zoom_badge
from scenes.parabola_geometry import curvature_of, minimum_of, quadratic_text
from scenes.quadratic_rows import ShownRun, panel_rows
from scenes.replay import ReplayScene
from scenes.stories import QuadraticStory
from scenes.text import baseline_of, label, put_on_baseline, shown_while
from sgdcore.trace import Trace

# Three panels across the frame (14.2 wide): corners and size in scene units.
PANEL_WIDTH, PANEL_HEIGHT, PANEL_BOTTOM = 3.25, 2.5, -1.85
PANEL_LEFTS = (-5.95, -1.45, 3.05)
READOUT_TOP, READOUT_ROW = -2.65, 0.45  # baselines of w and f(w) under each panel
READOUT_WIDTH, READOUT_CHARS = 2.85, 10  # from the panel's left to the numbers' right
# baselines over a panel: the zoom badge on rows of its own (its factors, and over
# them `zoomed out:`, as large as the readouts), clear over the top tick label, and
# the title, clear over both
BADGE_LIFT, BADGE_ROW, TITLE_LIFT = 0.3, 0.36, 1.1
Y_LABEL_ROOM = (
    0.65  # the widest y tick label beside a panel ("1000"): clear of the last one's w
)
VERDICT_Y = -3.52  # baseline: its descenders stay above y = -3.60
AT_MINIMUM = 1e-2  # closer than this to w* counts as there
TONES = ("lr_low", "lr_good", "lr_high")  # Palette fields, one per panel
NAMES = ("too low", "just right", "too high")
KEY_DROP = 0.42  # the key's baseline under the subtitle's
KEY_RIGHT = 6.4  # the key to the marks ends where the step counter does (the safe
# area's edge, |x| <= 6.4)


class LrCompare(ReplayScene):
    """Three learning rates from the same start, one hop per step, steps in sync."""

    def construct(self) -> None:
        palette = self.palette
        counter = ReadoutColumn(
            palette,
            [("step", lambda k: format_count(k, self.trace.n_steps))],
            left=3.2,
            right=6.4,
            top=3.3,
            row_height=0.5,
            n_chars=8,
        )
        clock = StepClock(self.traces)
        panels = []
        # Shared title; three parabolas, each on the scale its own run needs (a run
        # that runs away widens its own axes), its learning rate above it
        self.add_static(*self.make_title())
        # every panel's w and f(w) alike, where they fit (a run that diverges into
        # the thousands takes its own f(w) decimals)
        shown_runs = panel_rows(self.traces, READOUT_CHARS)
        first = common_start(self.traces)
        for left, trace, tone, name, shown in zip(
            PANEL_LEFTS, self.traces, TONES, NAMES, shown_runs, strict=True
        ):
            corner, size = (left, PANEL_BOTTOM), (PANEL_WIDTH, PANEL_HEIGHT)
            # one start for all three, widened only for a run that leaves it: side by
            # side, the same start looks the same, and a run that arrives is seen to
            # arrive, not zoomed into a hop like the rest
            view = run_view(trace, corner, size, zoom_in=False, first=first)
            parabola = Parabola(
                palette, trace, view, getattr(palette, tone), Y_LABEL_ROOM
            )
            readouts = self.make_panel_readouts(parabola, shown)
            self.add_static(self.make_panel_title(parabola, name, tone))
            self.add_static(readouts.static())
            self.add_drawing(clock, *parabola.drawing(clock))
            # how far its view has zoomed since the start, between title and plot,
            # as wide as the plot (on two rows if need be): it starts no further
            # left than the title
            right, top = left + PANEL_WIDTH, PANEL_BOTTOM + PANEL_HEIGHT
            badge = zoom_badge(
                palette,
                view,
                clock,
                right,
                top + BADGE_LIFT,
                palette.label_size,
                right - left,
                BADGE_ROW,
            )
            self.add_drawing(clock, *badge)
            panels.append((parabola, readouts))
        self.add_static(counter.static())
        # The three runs hop together; readouts and verdicts follow each run, the
        # numbers changing as the points land
        self.add_moving(clock, *counter.moving(clock, self.trace, landed=True))
        for (parabola, readouts), shown in zip(panels, shown_runs, strict=True):
            hops = parabola.moving(clock)
            numbers = readouts.moving(clock, parabola.trace, landed=True)
            verdict = self.make_panel_verdict(parabola, clock, shown)
            start = start_ring(parabola, clock)  # under the point
            self.add_moving(clock, start, *hops, *numbers, verdict)
            self.watch(*hops[-2:-1])  # the point
            self.keep_inside(parabola.view.box(0), *hops[1:-1])
        # The start, three hops slowly, the first overshoot held; each run's verdict
        self.replay(clock, self.make_story(shown_runs))

    def make_story(self, shown_runs: list[ShownRun]) -> LrCompareStory:
        """The three runs named by their learning rates, quoting the readouts."""
        names = [f"lr {format_lr(trace.learning_rate)}" for trace in self.traces]
        verdicts = [
            self.verdict(trace, shown)[0]
            for trace, shown in zip(self.traces, shown_runs, strict=True)
        ]
        stories = [
            QuadraticStory(trace, verdict, shown)
            for trace, verdict, shown in zip(
                self.traces, verdicts, shown_runs, strict=True
            )
        ]
        # what each panel says at the close, named; the step counter shows when
        closing = (
            ", ".join(
                f"{name} {verdict}"
                for name, verdict in zip(names, verdicts, strict=True)
            )
            + "."
        )
        return LrCompareStory(self.traces, names, stories, closing)

    def make_title(self) -> tuple[VGroup, VGroup]:
        """Title and the shared problem, top left: the function and the learning
        rates that converge on it, as much as fits the frame (not the rate that lands
        in one step: beside a panel named just right at another rate, it was read as
        a contradiction); and the key on a row of its own under it."""
        curvature = curvature_of(self.trace)
        problem = f"f(w) = {quadratic_text(self.trace)}"
        rule = f"{problem}: converges for lr < {format_lr(1 / curvature)}"
        for subtitle in [rule, problem]:
            title = self.title("Why the learning rate matters", subtitle)
            if title[1].get_right()[0] <= KEY_RIGHT:
                break
        return title, self.make_key(title)

    def make_key(self, title: VGroup) -> VGroup:
        """What the tangents, the ticks on the w axes and the rings stand for: under
        the subtitle, over the panels' titles, ending where the step counter does."""
        palette, subtitle = self.palette, title[1]
        assert isinstance(subtitle, Text)
        colors = [getattr(palette, tone) for tone in TONES]
        key = hop_key(
            palette,
            colors,
            0.0,
            baseline_of(subtitle) - KEY_DROP,
            palette.tick_size,
            MARK_LENGTH,
            TANGENT_WIDTH,
            KEY_RING,
            start=True,
        )
        return key.shift((KEY_RIGHT - key.get_right()[0]) * RIGHT)

    def make_panel_title(self, parabola: Parabola, name: str, tone: str) -> VMobject:
        """`lr 0.4 · just right` above a panel, in the panel's colour."""
        box, palette = parabola.view.box(0), self.palette
        words = f"lr {format_lr(parabola.trace.learning_rate)} · {name}"
        text = label(palette, words, palette.body_size, getattr(palette, tone))
        return put_on_baseline(
            text, box.corner[0], box.corner[1] + box.size[1] + TITLE_LIFT
        )

    def make_panel_readouts(self, parabola: Parabola, shown: ShownRun) -> ReadoutColumn:
        """`w` and `f(w)` under a panel, as `shown`: f(w) worked out from the w
        shown, decimal points lined up, one number of decimals per row for the whole
        clip."""
        left = parabola.view.corner[0]
        return ReadoutColumn(
            self.palette,
            [("w", shown.w), ("f(w)", shown.loss)],
            left=left,
            right=left + READOUT_WIDTH,
            top=READOUT_TOP,
            row_height=READOUT_ROW,
            n_chars=READOUT_CHARS,
            size=self.palette.label_size,
            on_baselines=True,
        )

    def make_panel_verdict(
        self, parabola: Parabola, clock: StepClock, shown: ShownRun
    ) -> VMobject:
        """What became of a panel's run, under its readouts once the replay ends."""
        words, tone = self.verdict(parabola.trace, shown)
        text = label(self.palette, words, self.palette.label_size, tone)
        verdict = put_on_baseline(text, parabola.view.corner[0], VERDICT_Y)
        return shown_while(verdict, clock.finished)

    def verdict(self, trace: Trace, shown: ShownRun) -> tuple[str, str]:
        """What became of a run, and the colour to say it in: a distance to the
        minimum in the digits of the w readout above it."""
        minimum = minimum_of(trace)
        distance = abs(float(trace.params[-1, 0]) - minimum)
        if trace.diverged_at is not None or distance > abs(
            float(trace.params[0, 0]) - minimum
        ):
            return "diverging", self.palette.lr_high
        if distance < AT_MINIMUM:
            return "at the minimum", self.palette.lr_good
        return (
            f"still {format_fixed(distance, shown_decimals(shown.w[-1]))} away",
            self.palette.lr_low,
        )


def common_start(traces: Sequence[Trace]) -> tuple[float, float]:
    """The w range that holds each run's own first view: all three start on it."""
    views = [run_view(trace, (0.0, 0.0), (1.0, 1.0), zoom_in=False) for trace in traces]
    return min(v.x[0, 0] for v in views), max(v.x[0, 1] for v in views)
