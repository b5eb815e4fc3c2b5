"""Contrast (WCAG 2.1): text 4.5:1, other marks 3:1, on both themes, opacity included.

Four layers: the maths (tests/contrast.py) against known values; the palettes and
the table of drawn marks (scenes/theme.py: DRAWN); every scene as built, its marks'
colours and opacities read off the mobjects (tests/test_layout.py builds them); and
surface_3d as rendered, where the see-through bowl blends over the floor's marks.
"""

from __future__ import annotations

import dataclasses

import pytest

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
from tests.contrast import (
    DICHROMATS,
    GRAPHIC_RATIO,
    SMALL_FIELD,
    TEXT_RATIO,
    color_distance,
    contrast_ratio,
    over,
    relative_luminance,
    simulate,
    to_hex,
)

THRESHOLDS = {TEXT: TEXT_RATIO, GRAPHIC: GRAPHIC_RATIO}
FAINT = (1.3, 2.0)  # a decoration's range: seen, yet fainter than any graphic
APART = 20.0  # CIE76 ΔE between colours that must be told apart
# ... and between them as thin lines, seen as a tritanope sees them: the simulation
# drops the blue-yellow axis altogether, where a thin line only weakens it, so less is
# asked. Light's blue and bluish green (#0072B2, #008561) were 64.3 apart on patches,
# yet the paths of optimizers and validation's lines were hard to tell apart: 11.4 here
THIN_APART = 15.0
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


def test_thin_lines_keep_red_versus_green_and_lose_blue_versus_green() -> None:
    def thin(first: str, second: str) -> float:
        return color_distance(
            simulate(first, SMALL_FIELD), simulate(second, SMALL_FIELD)
        )

    for grey in ("#000000", "#777777", "#FFFFFF"):
        assert color_distance(simulate(grey, SMALL_FIELD), grey) < 0.5
    assert thin("#D00000", "#00A000") > color_distance("#D00000", "#00A000") * 0.9
    assert thin("#0060C0", "#00A060") < color_distance("#0060C0", "#00A060") / 3


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


@pytest.mark.parametrize("palette", PALETTES.values(), ids=PALETTES.keys())
def test_colours_shown_together_stay_apart_as_thin_lines(palette: Palette) -> None:
    def seen(field: str) -> tuple[float, float, float]:
        return simulate(getattr(palette, field), SMALL_FIELD)

    close = {
        (first, second): round(color_distance(seen(first), seen(second)), 1)
        for first, second in TOLD_APART
        if color_distance(seen(first), seen(second)) < THIN_APART
    }
    assert not close, f"{palette.name}, thin lines: ΔE {close}"


def drawn_over_cases() -> list[object]:
    """(palette, upper, lower) for every DRAWN_OVER pair."""
    return [
        pytest.param(palette, upper, lower, id=f"{palette.name}-{upper}-over-{lower}")
        for palette in PALETTES.values()
        for upper, lower in DRAWN_OVER
    ]


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
