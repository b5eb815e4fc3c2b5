"""surface_3d: the loss as a bowl in 3-D over the parameter plane, the run rolling down.

The camera turns during the opening, so the bowl's depth reads, then holds while the
ball rolls: a still world under a moving ball. While it holds, the floor and axes are
drawn once per beat and the bowl's layer is reused (scenes/camera.py), so only the
path, the ball and the readouts are drawn each frame.
"""

from __future__ import annotations

from typing import cast

import numpy as np
from manim import (
    DEGREES,
    LEFT,
    RIGHT,
    UL,
    Animation,
    Mobject,
    ThreeDScene,
    VGroup,
    VMobject,
    config,
    smooth,
)

from scenes.camera import SurfaceCamera
from scenes.clock import StepClock
from scenes.numbers import format_count, format_lr
from scenes.panels.bowl import SHADOW_DASH, LossBowl
from scenes.panels.bowl_marks import (
    SHADOW_MARK,
    label_gaps,
    level_marks,
    shadow_steps,
)
from scenes.panels.dots import dashes
from scenes.panels.legend import MARK_HALF, legend, line_mark
from scenes.panels.near_bottom import arrival_note, lit_from_arrival
from scenes.panels.notes import verdict_note
from scenes.panels.readouts import ReadoutColumn
from scenes.panels.step_marks import BOWL_RADIUS, step_dots
from scenes.replay import ReplayScene
from scenes.schedule import Beat
from scenes.stories import SurfaceStory

PHI = 54 * DEGREES  # the camera's angle from straight down
START_THETA, HELD_THETA = -86 * DEGREES, -66 * DEGREES  # turned over the opening
# The 3-D image's box in the frame (left, right, bottom, top): under the title, left
# of nothing; the readouts sit top right, beside the title
IMAGE_BOX = (-6.3, 6.2, -3.45, 2.3)
READOUTS_LEFT, READOUTS_RIGHT, READOUTS_TOP = 3.55, 6.4, 2.29  # the top baseline
READOUTS_ROW = 0.36  # four rows, clear of the bowl's rim at the held angle
VERDICT_CORNER = (-6.4, -2.2)  # its top left: bottom left, under the loss axis
NOTE_WIDTH = 4.7  # the verdict's, and the arrival note's before it in its place
KEY_TOP = 0.62  # the key's top, under the readouts and level with them
KEY_CROSS = 0.26  # the key's ×, about as tall as its words


class Surface3D(ReplayScene, ThreeDScene):
    """The bowl of the loss over (a₁, a₂), the path rolling down it."""

    renderer_camera = SurfaceCamera

    def construct(self) -> None:
        trace, palette = self.trace, self.palette
        bowl = LossBowl(palette, trace)
        camera, labels = self.surface_camera(), bowl.labels()
        levels = level_marks(bowl)
        # The view the replay holds, the 3-D image fitted to the frame at every
        # angle the opening turns through (labels by their centres)
        self.set_camera_orientation(phi=PHI, theta=HELD_THETA)
        extent = np.vstack([bowl.extent(), [lab.get_center() for lab in labels]])
        # ...and clear of the readouts and the key under them while it turns
        readouts_box = (
            READOUTS_LEFT - 0.35,
            config.frame_width / 2,
            KEY_TOP - 1.0,  # the key's bottom, three rows under its top
            config.frame_height / 2,
        )
        thetas = np.linspace(START_THETA, HELD_THETA, 9)
        camera.fit_image(extent, thetas, IMAGE_BOX, clear_of=readouts_box)
        readouts = ReadoutColumn(
            palette,
            [
                ("step", lambda k: format_count(k, trace.n_steps)),
                ("loss", trace.loss),
                ("a₁", trace.params[:, 0]),
                ("a₂", trace.params[:, 1]),
            ],
            left=READOUTS_LEFT,
            right=READOUTS_RIGHT,
            top=READOUTS_TOP,
            row_height=READOUTS_ROW,
            n_chars=10,
            size=palette.label_size,
            on_baselines=True,
        )
        story = SurfaceStory(trace)
        clock = StepClock(self.traces)
        # Title and readouts stay flat in the frame; labels turn to face the camera
        title, numbers = self.make_title(), readouts.moving(clock, trace)
        # The step within 1% of the lowest loss: the loss readout lit from then on,
        # and a note where the verdict comes at the close
        lit_from_arrival(numbers, palette, clock, story)
        notes = arrival_note(palette, clock, story, VERDICT_CORNER, NOTE_WIDTH)
        notes += verdict_note(
            palette, clock, story.verdict(), VERDICT_CORNER, "left", width=NOTE_WIDTH
        )
        key = self.make_key(bowl)
        flat = [title, readouts.static(), key, *numbers, *notes]
        camera.add_fixed_in_frame_mobjects(*flat, *(h.shown for h in notes))
        camera.add_fixed_orientation_mobjects(
            *labels, *levels, use_static_center_func=True
        )
        # The floor: the parameter plane with its contours, minimum and axes
        floor_rings = bowl.contours(gaps=label_gaps(levels))
        self.add_static(title, readouts.static(), key, bowl.floor(), floor_rings)
        self.add_static(bowl.axes(), *labels)
        # Then, one clock: the shadow on the floor, the bowl over it (redrawn only as
        # a layer) with its rim, and the path and ball on the bowl
        path, ball = bowl.path(clock)
        camera.add_fixed_orientation_mobjects(ball)
        self.add_moving(clock, *bowl.shadow(clock))
        lifted = bowl.contours(lifted=True)
        self.add_moving(clock, bowl.surface(), lifted, bowl.rim(), in_intro=True)
        # Over the bowl: the floor contours' losses and the shadow's early steps,
        # whose spacing shows the steps shrink; the path, the minimum's × (over the
        # see-through bowl, so it reads), and the ball on it once it gets there
        marks = [bowl.step_marks(clock), bowl.minimum_cross(), ball]
        steps, step_marks = shadow_steps(bowl, clock)
        camera.add_fixed_orientation_mobjects(*step_marks)
        self.add_moving(clock, *levels, steps, path, *marks)
        self.add_moving(clock, *numbers, *notes)
        self.watch(ball)
        self.replay(clock, story)

    def make_key(self, bowl: LossBowl) -> VGroup:
        """What the floor's marks are, flat in the frame at the top left."""
        palette = self.palette
        # the path as drawn: a stroke with a mark at each step it passes
        dots = step_dots(3, palette, palette.fit, BOWL_RADIUS)
        for dot, x in zip(dots, (-MARK_HALF / 2, 0.0, MARK_HALF / 2), strict=True):
            dot.move_to(np.array([x, 0.0, 0.0]))
        path = VGroup(line_mark(palette.fit, 5), *dots)
        # the shadow as drawn: dashed, with a mark at each early step
        line = VMobject(stroke_color=palette.ink, stroke_width=3)
        line.set_points(dashes(MARK_HALF * LEFT, MARK_HALF * RIGHT, *SHADOW_DASH))
        ticks = step_dots(2, palette, palette.ink, SHADOW_MARK)
        for tick, x in zip(ticks, (-MARK_HALF / 2, MARK_HALF / 2), strict=True):
            tick.move_to(np.array([x, 0.0, 0.0]))
        shadow = VGroup(line, *ticks)
        cross = bowl.minimum_cross().scale_to_fit_width(KEY_CROSS)
        key = legend(
            palette,
            [
                (path, "the path"),
                (shadow, "its shadow"),
                (cross, "lowest loss"),
            ],
            row_gap=0.08,
        )
        return key.move_to(np.array([READOUTS_LEFT, KEY_TOP, 0.0]), aligned_edge=UL)

    def surface_camera(self) -> SurfaceCamera:
        """The renderer's camera (`renderer_camera`)."""
        return cast(SurfaceCamera, self.renderer.camera)

    def play_beat(self, clock: StepClock, beat: Beat) -> None:
        """The beats, with the camera turning from START_THETA over the opening."""
        camera = self.surface_camera()
        if beat.name == "intro" and not self.in_slides:
            camera.set_theta(START_THETA)
        if beat.name != "opening" or self.in_slides:
            super().play_beat(clock, beat)
            return
        # Animating the camera's own tracker makes Manim redraw everything meanwhile
        turn = camera.theta_tracker
        self.add(turn)
        run_time = (beat.frames - 0.5) / config.frame_rate
        # `animate(**kwargs)` is manim's documented call; its stubs type `animate` as
        # the mobject itself
        motion = turn.animate(run_time=run_time, rate_func=smooth)  # type: ignore[operator]
        self.play(motion.set_value(HELD_THETA))
        self.remove(turn)

    def get_moving_mobjects(self, *animations: Animation) -> list[Mobject]:
        """While the camera turns Manim redraws every part in every frame, yet the flat
        parts at the back (the title and the readouts' names: about 80 glyphs) do not
        move and nothing is under them: they stay in the static frame."""
        moving = super().get_moving_mobjects(*animations)
        if moving is not self.mobjects:  # the camera holds: Manim's own split
            return list(moving)
        fixed = self.surface_camera().fixed_in_frame_mobjects
        first = 0
        while first < len(moving) and moving[first] in fixed:
            if moving[first] not in self.statics:
                break
            first += 1
        return list(moving[first:])

    def make_title(self) -> VGroup:
        """Title and settings, top left, flat in the frame."""
        return self.title(
            "The loss surface, and the path down it",
            f"height: the loss · learning rate {format_lr(self.trace.learning_rate)}",
        )
