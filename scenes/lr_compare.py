"""lr_compare: too low, just right and too high side by side, on one clock."""

from __future__ import annotations

from manim import ValueTracker, VGroup, VMobject

from scenes.common import PlotBox, TraceScene
from scenes.learning_rate import ParabolaPanel, first_overshoot, view_for
from sgdcore.trace import Trace

# Three panels across the frame (14.2 wide): corners and size in scene units.
PANEL_WIDTH, PANEL_HEIGHT, PANEL_BOTTOM = 3.55, 3.5, -1.95
PANEL_LEFTS = (-6.1, -1.45, 3.2)
READOUT_ROWS = (-2.75, -3.2)  # baselines of the w and f(w) lines under each panel
VERDICT_Y = -3.78  # baseline


class LrCompare(TraceScene):
    """Three learning rates from the same start, one hop per step, steps in sync."""

    problem = "quadratic"
    n_traces = 3
    own_learning_rates = True
    default_pace = 1.25
    tones = ("lr_low", "lr_good", "lr_high")  # Palette fields, one per panel
    names = ("too low", "just right", "too high")

    def construct(self) -> None:
        # Shared title and step counter; three empty parabolas with their labels
        x_range, y_range = view_for(self.traces)
        self.add_static(self.make_title())
        panels = []
        for left, trace, tone, name in zip(PANEL_LEFTS, self.traces, self.tones, self.names, strict=True):
            plot, frame = self.make_plot(x_range, y_range, (left, PANEL_BOTTOM), (PANEL_WIDTH, PANEL_HEIGHT))
            panel = ParabolaPanel(self, trace, plot, getattr(self.palette, tone))
            self.add_static(frame, panel.make_curve(), panel.make_minimum())
            self.add_static(self.make_panel_title(plot, trace, name, tone))
            panels.append((panel, plot, trace))
        labels, baselines = self.make_step_label()
        self.add_static(labels)
        # The three runs hop together; readouts and verdicts follow each trace
        step = ValueTracker(0)
        self.add(step, self.make_step_readout(step, baselines))
        for panel, plot, trace in panels:
            self.add(*panel.make_moving(step), *self.make_panel_readouts(plot, trace, step))
        self.replay(step)

    def telling_steps(self) -> list[int]:
        """Pause a deck at the first overshoot of any of the three runs."""
        steps = [step for step in map(first_overshoot, self.traces) if step is not None]
        return [min(steps)] if steps else []

    def make_title(self) -> VGroup:
        """Title and the shared problem, top left."""
        trace = self.trace
        start = self.number(float(trace.params[0, 0]), 3, trim=True)
        curvature = float(trace.meta["curvature"])  # type: ignore[arg-type]
        return self.title_block(
            "Why the learning rate matters",
            f"f(w) = w² from w = {start} · stable only below 1/c = "
            f"{self.number(1 / curvature, trim=True)}",
        )

    def make_panel_title(self, plot: PlotBox, trace: Trace, name: str, tone: str) -> VMobject:
        """`lr 0.4 · just right` above a panel, in the panel's colour."""
        label = self.text(
            f"lr {self.number(trace.learning_rate, trim=True)} · {name}",
            self.palette.body_size,
            getattr(self.palette, tone),
        )
        return self.put_on_baseline(label, plot.corner[0], plot.corner[1] + plot.size[1] + 0.35)

    def make_step_label(self) -> tuple[VGroup, list[float]]:
        """The word `step` at the top right, with its baseline for the readout."""
        return self.label_column(["step"], 3.2, 3.3, 0.5)

    def make_step_readout(self, step: ValueTracker, baselines: list[float]) -> VMobject:
        """The shared step counter."""
        total = self.trace.n_steps
        readout = self.readout(8).put_on_baseline(6.75, baselines[0])
        return readout.add_updater(
            lambda mob: mob.show(f"{self.step_index(step)} / {total}"), call_updater=True
        )

    def make_panel_readouts(self, plot: PlotBox, trace: Trace, step: ValueTracker) -> list[VMobject]:
        """`w` and `f(w)` under a panel, and its verdict once the replay ends."""
        left = plot.corner[0]
        readouts: list[VMobject] = []
        columns = [
            lambda k: f"w    {self.number(trace.params[k, 0], 3)}",
            lambda k: f"f(w) {self.number(trace.loss[k], 3)}",
        ]
        for baseline, column in zip(READOUT_ROWS, columns, strict=True):
            line = self.readout(16, self.palette.ink, align="left", size=self.palette.label_size)
            line.put_on_baseline(left + line.atlas.pitch * 16, baseline)
            line.add_updater(
                lambda mob, column=column: mob.show(column(self.step_index(step, trace))),
                call_updater=True,
            )
            readouts.append(line)
        minimum = float(trace.meta["minimum"])  # type: ignore[arg-type]
        distance = abs(float(trace.params[-1, 0]) - minimum)
        if trace.diverged_at is not None or distance > abs(float(trace.params[0, 0]) - minimum):
            words, tone = "diverging", self.palette.lr_high
        elif distance < 1e-2:
            words, tone = "at the minimum", self.palette.lr_good
        else:
            words, tone = f"still {self.number(distance, 3, trim=True)} away", self.palette.lr_low
        verdict = self.text(words, self.palette.label_size, tone)
        self.put_on_baseline(verdict, left, VERDICT_Y)
        return [*readouts, self.shown_while(verdict, lambda: self.replay_finished(step))]
