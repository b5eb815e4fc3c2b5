"""Contrast (WCAG 2.1): text 4.5:1, other marks 3:1, on both themes, opacity included.

Four layers: the maths (tests/contrast.py) against known values; the palettes and
the table of drawn marks (scenes/theme.py: DRAWN); every scene as built, its marks'
colours and opacities read off the mobjects (tests/test_layout.py builds them); and
surface_3d as rendered, where the see-through bowl blends over the floor's marks.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import numpy as np
import numpy.typing as npt
import pytest
from manim import Mobject, VMobject

from scenes import surface_3d
from scenes.panels.bowl import FLOOR_MARKS
from scenes.surface_mesh import ShadedMesh
from scenes.theme import (
    DECORATION,
    DRAWN,
    DRAWN_OVER,
    GRAPHIC,
    LIGHTNESS_APART,
    PALETTES,
    SURFACE,
    TEXT,
    TOLD_APART,
    Drawn,
    Palette,
)
from sgd_anim.files.export import still_config
from sgdcore.trace import Trace
from tests.conftest import CONTROL_DATA
from tests.contrast import (
    DICHROMATS,
    GRAPHIC_RATIO,
    TEXT_RATIO,
    color_distance,
    contrast_ratio,
    over,
    pixel_contrast,
    relative_luminance,
    simulate,
    to_hex,
)
from tests.test_layout import CASE_THEMES, note, report, snapshots

THRESHOLDS = {TEXT: TEXT_RATIO, GRAPHIC: GRAPHIC_RATIO}
FAINT = (1.3, 2.0)  # a decoration's range: seen, yet fainter than any graphic
APART = 20.0  # CIE76 ΔE between colours that must be told apart
TEXT_FIELDS = ("ink", "muted", "warning", "lr_low", "lr_good", "lr_high")
EXACT = 1e-9
ROUNDED = 5e-3  # published ratios are given to two decimals


# -- the maths ------------------------------------------------------------------------
def test_black_on_white_is_21_to_1_and_a_colour_on_itself_1_to_1() -> None:
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0, abs=EXACT)
    assert contrast_ratio("#FFFFFF", "#000000") == pytest.approx(21.0, abs=EXACT)
    assert contrast_ratio("#56B4E9", "#56B4E9") == pytest.approx(1.0, abs=EXACT)


def test_luminance_of_the_primaries_is_the_wcag_weights() -> None:
    for color, weight in (
        ("#FF0000", 0.2126),
        ("#00FF00", 0.7152),
        ("#0000FF", 0.0722),
    ):
        assert relative_luminance(color) == pytest.approx(weight, abs=EXACT)


def test_767676_is_the_lightest_grey_with_4_5_to_1_on_white() -> None:
    assert contrast_ratio("#767676", "#FFFFFF") == pytest.approx(4.54, abs=ROUNDED)
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=ROUNDED)


def test_blending_mixes_the_encoded_channels_by_opacity() -> None:
    assert to_hex(over("#D55E00", "#0E1117", 1.0)) == "#D55E00"
    assert to_hex(over("#D55E00", "#0E1117", 0.0)) == "#0E1117"
    assert to_hex(over("#000000", "#FFFFFF", 0.5)) == "#808080"
    with pytest.raises(ValueError):
        over("#000000", "#FFFFFF", 1.5)


def test_dichromats_see_greys_unchanged_and_red_near_green() -> None:
    for deficiency in DICHROMATS:
        for grey in ("#000000", "#777777", "#FFFFFF"):
            assert color_distance(simulate(grey, deficiency), grey) < 0.5
        seen = [simulate(color, deficiency) for color in ("#D00000", "#00A000")]
        assert color_distance(*seen) < color_distance("#D00000", "#00A000") / 3


def test_black_and_white_are_100_apart_in_lightness() -> None:
    assert color_distance("#000000", "#FFFFFF") == pytest.approx(100.0, abs=1e-3)


# -- the palettes and the table -------------------------------------------------------
@pytest.mark.parametrize("palette", PALETTES.values(), ids=PALETTES.keys())
def test_palettes_are_frozen_dataclasses(palette: Palette) -> None:
    assert dataclasses.is_dataclass(palette)
    with pytest.raises(dataclasses.FrozenInstanceError):
        palette.ink = "#000000"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        next(iter(DRAWN.values())).opacity = 0.0  # type: ignore[misc]


@pytest.mark.parametrize("field", TEXT_FIELDS)
@pytest.mark.parametrize("palette", PALETTES.values(), ids=PALETTES.keys())
def test_text_colours_reach_4_5_to_1(palette: Palette, field: str) -> None:
    ratio = contrast_ratio(getattr(palette, field), palette.background)
    assert ratio >= TEXT_RATIO, f"{palette.name} {field}: {ratio:.2f}:1"


def test_drawn_table_names_palette_colours_and_kinds() -> None:
    colours = {f.name for f in dataclasses.fields(Palette)} - {"name", "background"}
    for drawn in DRAWN.values():
        assert drawn.fields and set(drawn.fields) <= colours, drawn
        assert 0.0 < drawn.opacity <= 1.0
        assert drawn.kind in (TEXT, GRAPHIC, SURFACE, DECORATION)


def measured(drawn: Drawn, palette: Palette) -> dict[str, float]:
    """Each colour of `drawn` at its opacity, against the background."""
    background = palette.background
    return {
        field: contrast_ratio(
            over(getattr(palette, field), background, drawn.opacity), background
        )
        for field in drawn.fields
    }


@pytest.mark.parametrize("name", DRAWN)
@pytest.mark.parametrize("palette", PALETTES.values(), ids=PALETTES.keys())
def test_every_drawn_mark_meets_its_wcag_threshold(palette: Palette, name: str) -> None:
    drawn = DRAWN[name]
    for field, ratio in measured(drawn, palette).items():
        what = f"{palette.name} {name} ({field} at {drawn.opacity}): {ratio:.2f}:1"
        if drawn.kind == DECORATION:
            assert FAINT[0] <= ratio <= FAINT[1], what
        elif drawn.kind == SURFACE:  # what it covers is measured as rendered, below
            assert FAINT[0] <= ratio < GRAPHIC_RATIO, what
        else:
            assert ratio >= THRESHOLDS[drawn.kind], what


@pytest.mark.parametrize("palette", PALETTES.values(), ids=PALETTES.keys())
def test_batch_highlight_and_model_line_differ_in_lightness(palette: Palette) -> None:
    for (first, second), least in LIGHTNESS_APART.items():
        ratio = contrast_ratio(getattr(palette, first), getattr(palette, second))
        assert ratio >= least[palette.name], f"{first} vs {second}: {ratio:.2f}:1"


@pytest.mark.parametrize("vision", [None, *DICHROMATS])
@pytest.mark.parametrize("palette", PALETTES.values(), ids=PALETTES.keys())
def test_colours_shown_together_stay_apart_for_colour_blind_viewers(
    palette: Palette, vision: str | None
) -> None:
    def seen(field: str) -> str:
        color = getattr(palette, field)
        return color if vision is None else to_hex(simulate(color, vision))

    close = {
        (first, second): round(color_distance(seen(first), seen(second)), 1)
        for first, second in TOLD_APART
        if color_distance(seen(first), seen(second)) < APART
    }
    assert not close, f"{palette.name}, {vision or 'normal vision'}: ΔE {close}"


# Known shortfalls: a bluish green or reddish purple path over grey contour lines is
# close to them in lightness, and dichromats see the hues close too
SHORT: dict[tuple[str, str, str], str] = {
    ("light", "lr_good", "muted"): "deuteranopia ΔE 15.2",
    ("light", "highlight", "muted"): "protanopia ΔE 18.4",
}


def drawn_over_cases() -> list[object]:
    """(palette, upper, lower) for every DRAWN_OVER pair, known shortfalls marked."""
    cases: list[object] = []
    for palette in PALETTES.values():
        for upper, lower in DRAWN_OVER:
            short = SHORT.get((palette.name, upper, lower))
            marks = [pytest.mark.xfail(strict=True, reason=short)] if short else []
            ident = f"{palette.name}-{upper}-over-{lower}"
            cases.append(pytest.param(palette, upper, lower, marks=marks, id=ident))
    return cases


@pytest.mark.parametrize(("palette", "upper", "lower"), drawn_over_cases())
def test_marks_drawn_over_others_differ_in_lightness_or_colour_for_everyone(
    palette: Palette, upper: str, lower: str
) -> None:
    first, second = getattr(palette, upper), getattr(palette, lower)
    if contrast_ratio(first, second) >= GRAPHIC_RATIO:
        return
    for vision in [None, *DICHROMATS]:
        seen = [c if vision is None else simulate(c, vision) for c in (first, second)]
        distance = color_distance(*seen)
        assert distance >= APART, f"{vision or 'normal vision'}: ΔE {distance:.1f}"


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
