"""The one replay base: a scene that replays recorded traces on one step clock, in beats.

Every scene is a direct subclass of `ReplayScene` and composes panels (scenes/panels/);
none inherits from another scene. A scene's construct() builds its panels, hands
their parts to `add_static` (drawn once) and `add_moving` (redrawn each frame), names
what shows the run moving (`watch`), and calls `replay(clock, story)`. The base then
plans the beats (scenes/schedule.py) from how far each step moves the watched parts,
and plays them: the title and the plots appear, the start holds, the first steps go
slowly, time follows change, telling moments hold, and the verdict closes the clip.
What a scene is (problem, runs, pace) lives in the registry (registry.py).
"""

from __future__ import annotations

from typing import Any, ClassVar, cast

import numpy as np
import numpy.typing as npt
from manim import (
    DL,
    UR,
    Camera,
    FadeIn,
    ManimColor,
    Mobject,
    Scene,
    VGroup,
    config,
)
from manim.renderer.cairo_renderer import CairoRenderer

from scenes.beats import frame_position
from scenes.camera import KeptPathCamera
from scenes.caption_band import CAPTION_BAND
from scenes.clock import StepClock
from scenes.geometry import PlotBox
from scenes.motion import largest_motion
from scenes.schedule import (
    FIRST_STEPS,
    RAMP_STEPS,
    Beat,
    Schedule,
    Story,
    plan,
)
from scenes.text import title_block
from scenes.theme import DARK, Palette
from sgdcore.trace import Trace

MEASURED_STEPS = (
    5000  # motion is measured step by step up to here; beyond, assumed alike
)
TITLE_SHARE = 0.4  # of the intro: the title alone, before the plots appear


class ReplayScene(Scene):
    """A scene that replays one or more recorded traces, driven by a single step clock."""

    renderer_camera: ClassVar[type[Any]] = KeptPathCamera  # ThreeDCamera for 3-D scenes
    in_slides: ClassVar[bool] = (
        False  # slide decks pause between beats (sgd_anim.files.slides)
    )

    def __init__(
        self,
        *traces: Trace,
        pace: float,
        palette: Palette = DARK,
        transparent: bool = False,
        plan_only: bool = False,
        last_frame_only: bool = False,
        caption_band: bool = False,
        renderer: CairoRenderer | None = None,
        **kwargs: Any,
    ) -> None:
        """`plan_only`: construct() plans the schedule and stops before playing it.

        `last_frame_only`: construct() neither plans nor plays; it puts every part on
        screen as the clip's last frame shows it, for one frame to be drawn (a PNG).

        `renderer`: what draws and writes the frames (a video file's streaming
        renderer, say); by default Manim's own, with the scene's camera.
        """
        if not traces:
            raise ValueError(f"{type(self).__name__} needs at least one trace")
        if not pace > 0:
            raise ValueError(f"pace must be positive, got {pace}")
        self.traces = traces
        self.trace = traces[0]
        self.palette = palette
        self.pace = pace
        self.transparent = transparent
        self.plan_only = plan_only
        self.last_frame_only = last_frame_only
        self.caption_band = caption_band
        self.statics: list[Mobject] = []
        self.movers: list[Mobject] = []
        self.in_intro: list[Mobject] = []
        self.watched: list[Mobject] = []
        self.regions: list[tuple[PlotBox, list[Mobject]]] = []
        self.schedule: Schedule | None = None
        self.story: Story | None = None  # what replay() planned the beats from
        self.heading = type(self).__name__  # until title() gives the real one
        if renderer is None:
            renderer = CairoRenderer(camera_class=self.renderer_camera)
        super().__init__(renderer=renderer, **kwargs)

    def setup(self) -> None:
        """Paint the palette's background, or none for a transparent clip."""
        camera = cast(Camera, self.camera)  # Cairo: __init__ gave a StreamingRenderer
        camera.background_color = ManimColor(self.palette.background)
        camera.background_opacity = 0.0 if self.transparent else 1.0
        if isinstance(camera, KeptPathCamera):
            camera.band = CAPTION_BAND if self.caption_band else 0.0

    # -- what is on screen ------------------------------------------------------------
    def add_static(self, *mobjects: Mobject) -> None:
        """Parts that never change: they appear in the intro and are drawn once.

        The first static part added is the title, which appears first. Suspending
        their updating spares the per-frame walk through every dot and glyph.
        """
        for mobject in mobjects:
            mobject.suspend_updating()
        self.statics.extend(mobjects)

    def add_moving(
        self, clock: StepClock, *mobjects: Mobject, in_intro: bool = False
    ) -> None:
        """Parts the clock moves, in drawing order: redrawn every frame, after the static.

        They appear when the start is shown, after the intro; `in_intro`: they fade in
        with the plots instead (a 3-D surface that is redrawn only because the camera
        turns).
        """
        if clock.tracker not in self.movers:
            self.movers.append(clock.tracker)
        self.movers.extend(mobjects)
        if in_intro:
            self.in_intro.extend(mobjects)

    def add_drawing(self, clock: StepClock, *mobjects: Mobject) -> None:
        """Plot parts that change only if their view follows the run (axes, a curve).

        Those without updaters are static; the others fade in with the plots and are
        redrawn every frame.
        """
        for mobject in mobjects:
            if mobject.get_updaters():
                self.add_moving(clock, mobject, in_intro=True)
            else:
                self.add_static(mobject)

    def keep_inside(self, box: PlotBox, *mobjects: Mobject) -> None:
        """Declare that `mobjects` are drawn inside `box` (checked by the layout tests)."""
        self.regions.append((box, list(mobjects)))

    def watch(self, *mobjects: Mobject) -> None:
        """The parts whose motion shows the run (the line, a point): time follows them."""
        self.watched.extend(mobjects)

    def title(self, title: str, subtitle: str) -> VGroup:
        """The scene's title block, top left; the title also names decks of the scene."""
        self.heading = title
        return title_block(self.palette, title, subtitle)

    # -- the beats --------------------------------------------------------------------
    def replay(
        self,
        clock: StepClock,
        story: Story,
        slow_steps: int = FIRST_STEPS,
        ramp_steps: float = RAMP_STEPS,
        least_seconds: npt.NDArray[np.float64] | None = None,
    ) -> None:
        """Plan the clip's beats from the run's motion, then play them one by one.

        `least_seconds`: shape (n_steps,), each update's least screen time (log time).
        """
        if self.last_frame_only:
            self.show_last_frame(clock)
            return
        motion = self.measure_motion(clock)
        self.story = story
        self.schedule = plan(
            motion,
            story,
            self.pace,
            config.frame_rate,
            # a deck opens on the starting state, not on a title fading in
            intro=not self.in_slides,
            slow_steps=slow_steps,
            ramp_steps=ramp_steps,
            least_seconds=least_seconds,
        )
        if self.plan_only:
            return
        if self.in_slides:
            self.show_everything()
        for beat in self.schedule.beats:
            self.pause(beat.sentence)
            self.play_beat(clock, beat)

    def measure_motion(self, clock: StepClock) -> npt.NDArray[np.float64]:
        """How far the watched parts move during each update, in scene units."""
        measured = min(clock.last_step, MEASURED_STEPS)
        positions = []
        for step in range(measured + 1):
            self.move_to_step(step)
            positions.append(np.array([p for m in self.watched for p in key_points(m)]))
        self.move_to_step(0)
        motion = largest_motion(positions) if self.watched else np.zeros(measured)
        rest = np.full(clock.last_step - measured, motion[-1] if len(motion) else 0.0)
        return np.concatenate([motion, rest])

    def move_to_step(self, step: float) -> None:
        """Set the clock and run every moving part's updaters, as a frame would.

        The clock's tracker is the first moving part (add_moving puts it there).
        """
        self.movers[0].set_value(step)  # the clock's ValueTracker
        for mobject in self.movers:
            mobject.update()

    def play_beat(self, clock: StepClock, beat: Beat) -> None:
        """One beat: the intro, a hold, or the clock moving through steps."""
        fps = config.frame_rate
        if beat.name == "intro":
            self.play_intro(beat.frames)
        elif not beat.moves:
            self.wait((beat.frames + 0.5) / fps)  # a frozen frame: int(seconds · fps)
        else:
            # `animate(**kwargs)` is manim's documented call; its stubs type
            # `animate` as the mobject itself
            motion = clock.tracker.animate(  # type: ignore[operator]
                run_time=(beat.frames - 0.5)
                / fps,  # frames at 0, 1/fps, ... < run time
                rate_func=lambda alpha: frame_position(beat, alpha),
                name=beat.name,
            )
            self.play(motion.set_value(beat.end))

    def play_intro(self, frames: int) -> None:
        """The title on screen from the first frame (a video's poster is never
        blank), then the plots and the starting state fade in."""
        fps = config.frame_rate
        title, *rest = self.statics
        rest += self.in_intro
        first = max(1, round(TITLE_SHARE * frames))
        self.add(title)
        self.wait((first + 0.5) / fps)
        if rest:
            run_time = (frames - first - 0.5) / fps
            self.play(*(FadeIn(m, run_time=run_time) for m in rest))
        else:
            self.wait((frames - first + 0.5) / fps)
        # Static parts first, then the clock and what it moves: Manim caches all before
        # the first animated mobject (the clock) and redraws only what follows it
        self.remove(*self.statics)
        self.add(*self.statics)
        self.add(*self.movers)

    def show_everything(self) -> None:
        """Put every part on screen at once, static parts first (a deck's first frame)."""
        self.add(*self.statics, *self.in_intro)
        self.add(*self.movers)

    def show_last_frame(self, clock: StepClock) -> None:
        """Every part on screen, the clock on the last step: the clip's closing frame.

        The closing beat holds the last step, and every frame depends on the step
        alone, so this frame is the video's last without a beat played before it.
        """
        self.move_to_step(clock.last_step)
        self.show_everything()

    # Scene.pause(duration) is a frozen wait; ours is a slide break with no duration
    def pause(self, sentence: str = "") -> None:  # type: ignore[override]
        """Where a lecturer would talk: a new slide in a deck, nothing in a video."""


def key_points(mobject: Mobject) -> list[npt.NDArray[np.float64]]:
    """Two corners and the centre of a mobject; NaN while it has no points.

    A mobject whose shape, not place, shows the run (a curve bending) offers
    `motion_points()` instead: the same points at every step, in scene units.
    """
    probe = getattr(mobject, "motion_points", None)
    if probe is not None:
        return list(probe())
    if not mobject.get_family() or not any(len(m.points) for m in mobject.get_family()):
        return [np.full(3, np.nan)] * 3
    return [mobject.get_corner(DL), mobject.get_corner(UR), mobject.get_center()]
