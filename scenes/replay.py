"""The one replay base: a scene that replays recorded traces on one step clock.

Every scene is a direct subclass of `ReplayScene` and composes panels (scenes/panels/);
none inherits from another scene (R31). The base knows how to render (renderer,
camera, background), how to add static parts before moving ones (R9) and how to play
the clock through the run in beats (R10). What a scene is (its problem, runs and
default pace) lives in the registry (registry.py), not here.
"""

from __future__ import annotations

from typing import Any, ClassVar, cast

from manim import Camera, ManimColor, Mobject, Scene, VGroup, linear
from manim.scene.scene_file_writer import SceneFileWriter

from scenes.camera import KeptPathCamera
from scenes.clock import StepClock
from scenes.encoder import StreamingFileWriter, StreamingRenderer
from scenes.text import title_block
from scenes.theme import DARK, Palette
from sgdcore.trace import Trace


class ReplayScene(Scene):
    """A scene that replays one or more recorded traces, driven by a single step clock."""

    file_writer_class: ClassVar[type[SceneFileWriter]] = StreamingFileWriter
    renderer_camera: ClassVar[type[Any]] = KeptPathCamera  # ThreeDCamera for 3-D scenes
    in_slides: ClassVar[bool] = False  # slide decks pause the replay (scenes/slides.py)

    def __init__(
        self,
        *traces: Trace,
        pace: float,
        palette: Palette = DARK,
        hold_seconds: float = 2.0,
        transparent: bool = False,
        **kwargs: Any,
    ) -> None:
        if not traces:
            raise ValueError(f"{type(self).__name__} needs at least one trace")
        if not pace > 0:
            raise ValueError(f"pace must be positive, got {pace}")
        self.traces = traces
        self.trace = traces[0]
        self.palette = palette
        self.steps_per_second = pace
        self.hold_seconds = hold_seconds
        self.transparent = transparent
        renderer = StreamingRenderer(
            file_writer_class=self.file_writer_class, camera_class=self.renderer_camera
        )
        super().__init__(renderer=renderer, **kwargs)

    def setup(self) -> None:
        """Paint the palette's background, or none for a transparent clip."""
        camera = cast(Camera, self.camera)  # Cairo: __init__ gave a StreamingRenderer
        camera.background_color = ManimColor(self.palette.background)
        camera.background_opacity = 0.0 if self.transparent else 1.0

    def add_static(self, *mobjects: Mobject) -> None:
        """Add mobjects that never change, before anything that moves (R9).

        Manim then paints them once per animation, and suspending their updating spares
        the per-frame `update` walk through every dot and glyph they contain.
        """
        for mobject in mobjects:
            mobject.suspend_updating()
        self.add(*mobjects)

    def add_moving(self, clock: StepClock, *mobjects: Mobject) -> None:
        """Add the clock, then what it moves: Manim redraws all of it every frame."""
        self.add(clock.tracker, *mobjects)

    def title(self, title: str, subtitle: str) -> VGroup:
        """The scene's title block, top left."""
        return title_block(self.palette, title, subtitle)

    # -- the clock ---------------------------------------------------------------
    def replay(self, clock: StepClock) -> None:
        """Move the clock from 0 to the last recorded step at a steady pace, then hold.

        In a slide deck the replay also pauses before it starts, at each of the scene's
        telling steps, and before the final hold.
        """
        last = clock.last_step
        stops = (
            [s for s in self.telling_steps() if 0 < s < last] if self.in_slides else []
        )
        self.pause()
        start = 0
        for stop in [*stops, last]:
            run_time = max((stop - start) / self.steps_per_second, 0.5)
            # `animate(**kwargs)` is manim's documented call; its stubs type
            # `animate` as the mobject itself
            replay = clock.tracker.animate(  # type: ignore[operator]
                run_time=run_time, rate_func=linear, name="training replay"
            )
            self.play(replay.set_value(stop))
            if stop != last:
                self.pause()
            start = stop
        self.pause()
        self.wait(self.hold_seconds)

    def telling_steps(self) -> list[int]:
        """Steps worth stopping at in a slide deck (the first overshoot, say); none here."""
        return []

    # Scene.pause(duration) is a frozen wait; ours is a slide break with no duration
    def pause(self) -> None:  # type: ignore[override]
        """Where a lecturer would talk: a new slide in a deck, nothing in a video."""
