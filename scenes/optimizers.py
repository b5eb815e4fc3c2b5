"""optimizers: plain gradient descent, momentum and Adam on the same loss contours."""

from __future__ import annotations

from manim import DOWN, LEFT, RIGHT, UL, Line, ValueTracker, VGroup, VMobject, config

from scenes.common import one_path
from scenes.landscape import Landscape
from sgdcore.trace import Trace

# Paths in colours told apart without red versus green (Palette fields).
TONES = {"gd": "fit", "momentum": "lr_low", "adam": "lr_good"}
NAMES = {"gd": "gradient descent", "momentum": "momentum 0.9", "adam": "Adam"}
CONTOUR_CORNER, CONTOUR_SIZE = (-6.0, -3.4), (6.6, 5.6)
STEP_BASELINE = -3.55


class Optimizers(Landscape):
    """The same start, one clock, a path and a loss curve per optimiser."""

    n_traces = 3
    any_fewer = True  # --optimizers picks which
    loss_corner, loss_size = (2.2, -0.55), (4.6, 2.2)
    default_pace = 8.0  # 60 steps in 7.5 s: slow enough to follow three paths
    contour_corner, contour_size = CONTOUR_CORNER, CONTOUR_SIZE

    def construct(self) -> None:
        # Title, the contours around the minimum, the empty loss plot and the legend
        self.add_static(self.make_title())
        contour, contour_frame = self.make_contour_plot()
        loss_plot, loss_frame = self.make_loss_plot("loss by step (log scale)")
        self.add_static(contour_frame, self.make_contours(contour), loss_frame, self.make_loss_floor(loss_plot))
        self.add_static(self.make_optimizer_legend())
        # Every optimiser takes its steps on the same clock
        step = ValueTracker(0)
        step_label, step_readout = self.make_step_readout(step)
        self.add_static(step_label)
        self.add(step)
        for trace in self.traces:
            color = self.tone(str(trace.meta["optimizer"]))
            self.add(*self.make_path(contour, step, trace, color))
            *curve, head = self.make_loss_curve(loss_plot, step, trace.loss, color, 3)
            self.add(*curve, head, *self.make_diverged_mark(head, step, trace))
        self.add(step_readout)
        self.replay(step)

    def tone(self, optimizer: str) -> str:
        """The palette colour of an optimiser's path."""
        return str(getattr(self.palette, TONES[optimizer]))

    def make_title(self) -> VGroup:
        """Title, and the shared settings."""
        return self.title_block(
            "Optimisers on the same loss surface",
            f"same start, same learning rate {self.number(self.trace.learning_rate, trim=True)}, one step at a time",
        )

    def make_optimizer_legend(self) -> VGroup:
        """One line per optimiser shown, in its path's colour, then the minimum's cross."""
        rows = []
        for trace in self.traces:
            name = str(trace.meta["optimizer"])
            mark = Line(LEFT * 0.22, RIGHT * 0.22, color=self.tone(name), stroke_width=6)
            label = self.text(NAMES[name], self.palette.label_size, self.palette.muted)
            rows.append(VGroup(mark, label).arrange(RIGHT, buff=0.2))
        key = self.make_minimum_key()
        legend = VGroup(*rows, key).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        key[0].set_x(rows[0][0].get_x())  # the cross centred under the colour marks
        key[1].align_to(rows[0][1], LEFT)  # its words in line with the names
        return legend.move_to([2.2, -1.25, 0], aligned_edge=UL)

    def make_diverged_mark(self, head: VMobject, step: ValueTracker, trace: Trace) -> list[VMobject]:
        """`diverged at step k` beside a loss curve's last point, once the replay is there."""
        if trace.diverged_at is None:
            return []
        words = f"diverged at step {trace.diverged_at}"
        note = one_path(self.text(words, self.palette.tick_size, self.palette.warning))

        def place(holder: VGroup) -> None:  # once, where the curve's head has stopped
            if not holder.submobjects and self.step_index(step, trace) >= trace.n_steps:
                note.next_to(head, RIGHT, buff=0.12)
                if note.get_right()[0] > config.frame_x_radius - 0.1:
                    note.next_to(head, LEFT, buff=0.12)
                holder.add(note)

        return [VGroup().add_updater(place, call_updater=True)]

    def make_step_readout(self, step: ValueTracker) -> VGroup:
        """The shared step counter (the word static, the number moving), under the legend."""
        longest = max(self.traces, key=lambda trace: trace.n_steps)
        total = longest.n_steps
        label = self.put_on_baseline(self.text("step", color=self.palette.muted), 2.2, STEP_BASELINE)
        readout = self.readout(9).put_on_baseline(6.8, STEP_BASELINE)
        readout.add_updater(lambda mob: mob.show(f"{self.step_index(step, longest)} / {total}"), call_updater=True)
        return VGroup(label, readout)
