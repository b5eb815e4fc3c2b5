"""The one Palette: colours, fonts and sizes for every scene.

Colours are Okabe–Ito hues, chosen so that data, fit, highlight and the three
learning rates stay apart for colour-blind viewers (no red-versus-green pairs), some
darkened or lightened until they meet WCAG 2.1 contrast on their background.

`DRAWN` is the table of what the scenes draw: each kind of mark with its palette
colours, the opacity it is drawn at and whether it is text (WCAG 1.4.3: 4.5:1),
a graphic (1.4.11: 3:1) or decoration. Scenes take their opacities from it, and
tests/test_contrast.py measures every entry, blended over each theme's background.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Palette:
    """Colours (hex strings), fonts and font sizes shared by all scenes."""

    name: str
    background: str
    ink: str  # titles, readout values
    muted: str  # labels, axes, captions
    grid: str  # faint guides
    data: str  # data points
    fit: str  # the model: fitted line, current point
    highlight: str  # the current mini-batch, markers
    warning: str  # divergence
    lr_low: str
    lr_good: str
    lr_high: str
    # a run beside fit and lr_low, apart from both as thin lines too (where lr_good
    # comes close to the blue): optimizers' third path
    accent: str
    # the highlight's hue for thin, dashed marks, where its own may read faint: at
    # least 4.5:1 on the background (gradient_noise's earlier sizes' ellipses)
    highlight_thin: str
    font: str = "DejaVu Sans"
    mono_font: str = "DejaVu Sans Mono"
    title_size: float = 40
    body_size: float = 28
    label_size: float = 24
    tick_size: float = 20


DARK = Palette(
    name="dark",
    background="#0E1117",
    ink="#F2F2F2",
    muted="#A4AAB3",
    grid="#3A3F47",
    data="#56B4E9",  # sky blue
    # orange, a shade darker: twice as dark as the highlight's yellow (2.07:1)
    fit="#D09000",
    highlight="#F0E442",  # yellow
    # vermillion, lightened: a darker orange fit would otherwise merge with it for
    # deuteranopes (ΔE 21 apart, 10 with the original #D55E00)
    warning="#D76E3F",
    lr_low="#56B4E9",
    lr_good="#009E73",  # bluish green, told apart from vermillion by lightness too
    lr_high="#D76E3F",
    # violet: the bluish green comes within ΔE 16 of the sky blue as thin
    # lines, and the highlight's yellow reads close to the fit's orange
    accent="#B850FF",
    highlight_thin="#F0E442",  # the highlight itself: 13:1 already
)

LIGHT = Palette(
    name="light",
    background="#FFFFFF",
    ink="#1A1A1A",
    muted="#5A6068",
    grid="#D5D8DC",
    data="#0072B2",  # blue
    # vermillion, darkened to a dark brown: 3:1 against the highlight, which must
    # itself keep 3:1 against white, and 2:1 apart from the warning
    fit="#652A00",
    # reddish purple (orange would sit too close to vermillion), a shade redder: 3.06:1
    # on white, as light as that allows, so that protanopes tell it from the grey
    # contours by lightness (ΔE 22), and far from the data's blue for them too
    highlight="#CD78AA",
    warning="#C05300",  # vermillion, darkened to 4.7:1 for text
    lr_low="#0072B2",
    # olive green, 4.9:1 for text: Okabe–Ito's bluish green sits beside the blue in
    # hue, and thin lines lose the blue-yellow difference between them (SMALL_FIELD);
    # a yellower green keeps apart from the blue there, and dichromats still tell it
    # from the vermillion, the brown and the grey contours (ΔE 22 or more)
    lr_good="#5F7846",
    lr_high="#C05300",  # as the warning
    # violet, as on the dark background (one hue per run in both themes), dark
    # enough for text (5.9:1); deuteranopes still tell it from the blue (ΔE 31)
    accent="#9419E6",
    # the reddish purple darkened from 3.06:1 to 4.54:1: dashes 2 wide keep 3:1
    highlight_thin="#B0588C",
)

PALETTES = {palette.name: palette for palette in (DARK, LIGHT)}

TEXT, GRAPHIC, DECORATION = "text", "graphic", "decoration"
# A see-through fill with its edge drawn as a GRAPHIC: what it covers keeps 3:1
# (measured on rendered frames), so the fill itself only needs to be seen
SURFACE = "surface"


@dataclass(frozen=True)
class Drawn:
    """One kind of mark the scenes draw, for the contrast check."""

    name: str
    fields: tuple[str, ...]  # the Palette colours it is drawn in
    opacity: float  # stroke or fill opacity, over the background
    kind: str  # TEXT (4.5:1), GRAPHIC (3:1), SURFACE or DECORATION (exempt, faint)
    where: str  # what it is on screen


RUNS = (
    "fit",
    "lr_low",
    "lr_good",
    "lr_high",
    "accent",
)  # the colours a run is drawn in

DRAWN: dict[str, Drawn] = {
    drawn.name: drawn
    for drawn in (
        Drawn("ink text", ("ink",), 1.0, TEXT, "titles, numbers, the update rule"),
        Drawn("muted text", ("muted",), 1.0, TEXT, "subtitles, tick labels, legends"),
        Drawn("warning text", ("warning",), 1.0, TEXT, "diverged, left the view"),
        Drawn("run text", RUNS, 1.0, TEXT, "verdicts, optimizers' path names"),
        Drawn("axes", ("muted",), 1.0, GRAPHIC, "axis lines, ticks, the parabola"),
        Drawn("data points", ("data",), 1.0, GRAPHIC, "every sample"),
        Drawn("dimmed points", ("data",), 0.75, GRAPHIC, "minibatch: not in the batch"),
        Drawn("used points", ("muted",), 1.0, GRAPHIC, "minibatch: used this epoch"),
        Drawn("runs", (*RUNS, "highlight"), 1.0, GRAPHIC, "lines, points, arrows"),
        Drawn("residuals", ("fit",), 0.65, GRAPHIC, "point-to-line segments"),
        Drawn("batch points", ("highlight",), 1.0, GRAPHIC, "the mini-batch, lit"),
        Drawn("batch residuals", ("highlight",), 1.0, GRAPHIC, "the batch's residuals"),
        Drawn("tangent", ("highlight",), 1.0, GRAPHIC, "the gradient on the parabola"),
        Drawn(
            "earlier ellipses",
            ("highlight_thin",),
            1.0,
            GRAPHIC,
            "gradient_noise: the smaller sizes' ellipses, dashed",
        ),
        Drawn("ghost line", ("ink",), 1.0, GRAPHIC, "minibatch: full-batch, dashed"),
        Drawn("trails", RUNS, 0.8, GRAPHIC, "hops already taken"),
        # Grey and thinner than the run's own last hops, so that those read over
        # the older ones, which still keep 3:1 (a grid-coloured arc was lost on white)
        Drawn("older hops", ("muted",), 0.7, GRAPHIC, "parabola: before the last"),
        Drawn("off-chart marker", ("warning",), 1.0, GRAPHIC, "the run left the chart"),
        Drawn("contours", ("muted",), 0.75, GRAPHIC, "ellipses of equal loss"),
        Drawn("minimum marks", ("ink",), 1.0, GRAPHIC, "the minimum's × and ring"),
        Drawn("bowl", ("data",), 0.35, SURFACE, "surface_3d: the loss surface, lit"),
        Drawn("bowl rim", ("data",), 1.0, GRAPHIC, "surface_3d: the bowl's edge"),
        Drawn("bowl contours", ("data",), 0.8, GRAPHIC, "surface_3d: on the bowl"),
        # Under the see-through bowl: stronger than on an open plane, to keep 3:1 there
        Drawn("floor contours", ("ink",), 0.8, GRAPHIC, "surface_3d: under the bowl"),
        Drawn("floor shadow", ("ink",), 1.0, GRAPHIC, "surface_3d: the path's"),
        Drawn("plumb line", ("ink",), 0.8, GRAPHIC, "surface_3d: ball to shadow"),
        Drawn("loss floor", ("ink",), 0.6, GRAPHIC, "dashed least-squares loss"),
        Drawn(
            "held-out points",
            ("data", "lr_good"),
            1.0,
            GRAPHIC,
            "hollow validation points (validation: its loss' green)",
        ),
        Drawn(
            "stopped model", ("accent",), 1.0, GRAPHIC, "validation: the best step's"
        ),
        Drawn("stop mark", ("ink",), 0.8, GRAPHIC, "validation: lowest loss, dashed"),
        # Exempt from 1.4.11 (not needed to read the plot: every gridline starts at a
        # labelled tick), and kept faint so it never competes with the data
        Drawn("grid", ("grid",), 1.0, DECORATION, "gridlines"),
    )
}

# Marks drawn over one another that must differ in lightness, not only in hue
# (WCAG 1.4.11 asks 3:1 against adjacent colours): the lit batch and the tangent
# against the model's line and point. The light theme reaches 3:1; the dark one stops
# at 2:1, where a darker orange would merge with the vermillion for deuteranopes.
LIGHTNESS_APART: dict[tuple[str, str], dict[str, float]] = {
    ("highlight", "fit"): {"dark": 2.0, "light": 3.0},
}

# Marks drawn over other marks (the upper one first), where they cross or sit on one
# another: the line over the data, the lit batch over the other points and the line,
# the validation curve over the training curve, the model kept over the model
# (validation), the plain model's dashed validation loss over the decayed one's
# (regularization), the points over the curves (curve plots; validation's held-out
# ones in green), the minibatch's two loss curves, the diverged marker by the line,
# the full-batch ghost line over the data and the line, and the paths (optimizers,
# landscape's update arrow) over the contours. Each pair keeps 3:1 in lightness or,
# failing that, stays apart in colour (as TOLD_APART).
DRAWN_OVER: tuple[tuple[str, str], ...] = (
    ("fit", "data"),
    ("highlight", "data"),
    ("highlight", "fit"),
    ("warning", "fit"),
    ("warning", "lr_good"),
    ("ink", "data"),
    ("ink", "fit"),
    ("fit", "muted"),
    ("fit", "lr_good"),
    ("lr_good", "data"),
    ("lr_good", "fit"),
    ("accent", "fit"),
    ("data", "fit"),
    ("data", "lr_high"),
    ("data", "lr_good"),
    ("lr_low", "muted"),
    ("lr_good", "muted"),
    ("accent", "muted"),
    ("highlight", "muted"),
    # regularization: the plain model's dashes over the decayed one's purple line,
    # and the points (validation's green rings) over the purple model
    ("warning", "accent"),
    ("data", "accent"),
    ("lr_good", "accent"),
)

# Colours shown together that must stay apart (CIE76 ΔE ≥ 20) for everyone,
# protanopes and deuteranopes included: the line over the data, the lit batch, the
# warning beside the point, lr_compare's three runs, optimizers' three paths,
# validation's model kept beside the model and its two losses, and regularization's
# two models over the data and their validation losses on one another.
TOLD_APART: tuple[tuple[str, str], ...] = (
    ("fit", "data"),
    ("highlight", "data"),
    ("highlight", "fit"),
    ("fit", "warning"),
    ("warning", "lr_good"),
    ("lr_low", "lr_good"),
    ("lr_good", "lr_high"),
    ("lr_low", "lr_high"),
    ("fit", "lr_low"),
    ("fit", "lr_good"),
    ("lr_good", "data"),
    ("fit", "accent"),
    ("lr_low", "accent"),
    ("warning", "accent"),
    ("lr_good", "accent"),
)
