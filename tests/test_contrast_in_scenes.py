"""Contrast as the scenes draw it: every mark of every scene as built, both themes,
and surface_3d as rendered, where the see-through bowl blends over the floor's marks."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import numpy.typing as npt
import pytest
from manim import Mobject, VMobject

from scenes import surface_3d
from scenes.panels.bowl import FLOOR_MARKS
from scenes.surface_mesh import ShadedMesh
from scenes.theme import (
    PALETTES,
)
from sgd_anim.files.export import still_config
from sgdcore.trace import Trace
from tests.conftest import CONTROL_DATA
from tests.contrast import (
    GRAPHIC_RATIO,
    TEXT_RATIO,
    contrast_ratio,
    over,
    pixel_contrast,
)
from tests.test_layout import CASE_THEMES, note, report, snapshots


# -- the scenes as drawn --------------------------------------------------------------
@pytest.mark.parametrize(("case", "theme"), CASE_THEMES)
def test_every_mark_a_scene_draws_meets_its_wcag_threshold(
    case: str, theme: str
) -> None:
    palette = PALETTES[theme]
    background, grid = palette.background.upper(), palette.grid.upper()
    problems: dict[str, list[float]] = {}
    for shot in snapshots(case, theme):
        paints = [(m, paint) for m in shot.marks if m.flat for paint in m.paints]
        for mark, (color, opacity) in paints:
            if color.upper() in (background, grid):  # a mask; the exempt grid
                continue
            ratio = contrast_ratio(over(color, background, opacity), background)
            least = TEXT_RATIO if mark.is_text else GRAPHIC_RATIO
            if ratio < least:
                problem = (
                    f"{mark.words!r}: {color} at opacity {opacity:.2f} gives "
                    f"{ratio:.2f}:1 < {least}:1"
                )
                note(problems, problem, shot.step)
    assert not problems, report(case, theme, problems)


# -- surface_3d as rendered -----------------------------------------------------------
BOWL_FRAME = (1280, 720)  # medium quality: the floor's lines have fully painted pixels
FULL_STRENGTH = 0.9  # a pixel a mark paints at least this far towards its colour
CHANGED = 4  # channel values: a part of the picture is there, or not
TURN = np.linspace(surface_3d.START_THETA, surface_3d.HELD_THETA, 3)

Image = npt.NDArray[np.uint8]
Shots = dict[str, npt.NDArray[np.uint8] | npt.NDArray[np.float64]]


def bowl_and_floor_frames(theme: str) -> Iterator[tuple[float, Shots]]:
    """surface_3d's last step seen from each angle of the turn, drawn up to the bowl:
    with and without the bowl ("bowl", "bare") and the marks on the floor ("no marks",
    "bare floor"), and each mark's stroke ("strokes": RGB 0..255 and opacity 0..1)."""
    trace = Trace.load(CONTROL_DATA / "surface_3d" / "default-run0.npz")
    with still_config(*BOWL_FRAME):
        scene = surface_3d.Surface3D(
            trace, pace=10.0, palette=PALETTES[theme], plan_only=True
        )
        scene.setup()
        scene.construct()
        scene.move_to_step(trace.n_steps)
        camera = scene.surface_camera()
        bowl = next(m for m in scene.movers if isinstance(m, ShadedMesh))
        drawn = [*scene.statics, *scene.movers]
        under = drawn[: drawn.index(bowl) + 1]  # what the floor's marks lie under
        marks = [m for m in under if m.name in FLOOR_MARKS]
        assert len(marks) == len(FLOOR_MARKS)
        # the minimum's ×, over the bowl, is drawn at full strength
        (cross,) = [m for m in drawn if m.name == "minimum"]
        assert drawn.index(cross) > drawn.index(bowl)
        strokes = np.array(
            [
                np.asarray(leaf.get_stroke_rgbas()[0]) * (255, 255, 255, 1)
                for mark in marks
                for leaf in mark.family_members_with_points()
                if isinstance(leaf, VMobject)
            ]
        )

        def frame(left_out: list[Mobject]) -> Image:
            scene.clear()
            scene.add(*(m for m in under if m not in left_out))
            scene.renderer.update_frame(scene)
            return np.array(scene.renderer.get_frame(), dtype=np.uint8)[..., :3]

        for theta in TURN:
            camera.set_theta(float(theta))
            camera.reset_rotation_matrix()
            yield (
                float(theta),
                {
                    "bowl": frame([]),
                    "no marks": frame(marks),
                    "bare": frame([bowl]),
                    "bare floor": frame([bowl, *marks]),
                    "strokes": strokes,
                },
            )


def fully_painted(
    bare: Image, floor: Image, strokes: npt.NDArray[np.float64]
) -> npt.NDArray[np.bool_]:
    """Pixels where a mark of one of `strokes` (colour and opacity) is painted at full
    strength: `bare` has gone at least FULL_STRENGTH of the way from `floor` to the
    stroke's colour blended over it, and no further."""
    moved = bare.astype(np.float64) - floor
    painted = np.zeros(bare.shape[:2], dtype=bool)
    for *colour, opacity in strokes:
        towards = opacity * (np.array(colour) - floor)
        reach = (moved * towards).sum(axis=-1) / np.maximum(
            (towards**2).sum(axis=-1), 1.0
        )
        painted |= (reach >= FULL_STRENGTH) & (reach <= 2 - FULL_STRENGTH)
    return painted


@pytest.mark.slow  # six 3-D frames at 720p per theme
@pytest.mark.parametrize("theme", sorted(PALETTES))
def test_floor_marks_under_the_see_through_bowl_keep_3_to_1_as_rendered(
    theme: str,
) -> None:
    # Each mark's pixel against the same pixel without the mark: what it is drawn on
    for theta, shots in bowl_and_floor_frames(theme):
        covered = np.abs(shots["no marks"].astype(int) - shots["bare floor"]).max(
            axis=-1
        )
        painted = fully_painted(shots["bare"], shots["bare floor"], shots["strokes"])
        measured = painted & (covered > CHANGED)
        assert measured.sum() > 500, f"{theta:.2f}: {measured.sum()} pixels"
        ratios = pixel_contrast(shots["bowl"], shots["no marks"])[measured]
        where = f"{theme}, θ = {np.degrees(theta):.0f}°"
        assert ratios.min() >= GRAPHIC_RATIO, f"{where}: {ratios.min():.2f}:1"
        # Outside the bowl, the same marks read as they were drawn
        outside = painted & (covered <= CHANGED)
        bare = pixel_contrast(shots["bare"], shots["bare floor"])[outside]
        assert outside.sum() > 500 and bare.min() >= GRAPHIC_RATIO, where
