"""surface_3d: the loss surface as a bowl in 3-D, gradient descent rolling down it.

The camera turns with the replay (a function of the step, not of time), so frames
depend on the step alone. Nothing can be cached as static: the camera moves, so every
frame redraws the whole surface (its faces are most of the cost; docs/benchmarks.md).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from manim import DEGREES, Mobject, ThreeDCamera, ThreeDScene, VGroup

from scenes.clock import StepClock
from scenes.numbers import format_lr
from scenes.panels.bowl import LossBowl
from scenes.panels.notes import verdict_note
from scenes.panels.readouts import ReadoutColumn
from scenes.replay import ReplayScene
from scenes.stories import LineFitStory

START_PHI, START_THETA = 62 * DEGREES, -70 * DEGREES
VERDICT_CORNER = (6.6, 0.9)  # its top right: under the readouts
TURN_DEGREES = 50  # how far the camera turns over the replay, so depth reads


class Surface3D(ReplayScene, ThreeDScene):
    """The bowl of the loss, the path rolling down it, readouts fixed in the frame."""

    renderer_camera = ThreeDCamera

    def construct(self) -> None:
        trace = self.trace
        bowl = LossBowl(self.palette, trace)
        readouts = ReadoutColumn(
            self.palette,
            [
                ("step", lambda k: f"{k} / {trace.n_steps}"),
                ("loss", trace.loss),
            ],
            left=3.6,
            right=6.8,
            top=1.9,
            row_height=0.55,
            n_chars=10,
        )
        # The bowl over (slope, intercept), seen from above at an angle; the axes only
        # map coordinates (their lines cross at a = 0, away from the data's ranges)
        surface = bowl.surface()
        self.set_camera_orientation(phi=START_PHI, theta=START_THETA, zoom=0.8)
        story = LineFitStory(trace)
        # Title and readouts stay flat in the frame while the camera turns
        clock = StepClock(self.traces)
        title, numbers = self.make_title(), readouts.moving(clock, trace)
        verdict = verdict_note(
            self.palette, clock, story.verdict(), VERDICT_CORNER, width=4.0
        )
        flat = [title, readouts.static(), *numbers, *verdict]
        flat += [holder.shown for holder in verdict]  # added to the holder at the end
        camera = cast(ThreeDCamera, self.renderer.camera)  # renderer_camera
        camera.add_fixed_in_frame_mobjects(*flat)
        self.add_static(title, readouts.static())
        # The ball rolls down its path and the camera turns, on the same clock; the
        # surface is redrawn every frame anyway (the camera moves), so it goes after
        # the clock, and fades in with the title
        path, ball = bowl.path(clock)
        path.add_updater(self.turn_camera(clock))
        self.add_moving(clock, surface, in_intro=True)
        self.add_moving(clock, path, ball, *numbers, *verdict)
        self.watch(ball)
        self.replay(clock, story)

    def turn_camera(self, clock: StepClock) -> Callable[[Mobject], None]:
        """An updater that turns the camera with the replay's progress."""

        def turn(_: Mobject) -> None:
            progress = clock.value / max(self.trace.n_steps, 1)
            camera = cast(ThreeDCamera, self.renderer.camera)  # renderer_camera
            camera.set_theta(START_THETA + TURN_DEGREES * DEGREES * progress)

        return turn

    def make_title(self) -> VGroup:
        """Title and settings, top left, flat in the frame."""
        return self.title(
            "The loss surface, and the path down it",
            "height: log₁₀(1 + excess loss / minimum loss) · learning rate "
            f"{format_lr(self.trace.learning_rate)}",
        )
