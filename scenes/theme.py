"""The one Palette: colours, fonts and sizes for every scene (house rule R15).

Colours are from the Okabe–Ito set, chosen so that data, fit, highlight and the
three learning rates stay apart for colour-blind viewers (no red-versus-green pairs).
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
    fit="#E69F00",  # orange
    highlight="#F0E442",  # yellow
    warning="#D55E00",  # vermillion
    lr_low="#56B4E9",
    lr_good="#009E73",  # bluish green, told apart from vermillion by lightness too
    lr_high="#D55E00",
)

LIGHT = Palette(
    name="light",
    background="#FFFFFF",
    ink="#1A1A1A",
    muted="#5A6068",
    grid="#D5D8DC",
    data="#0072B2",  # blue
    fit="#D55E00",  # vermillion
    highlight="#CC79A7",  # reddish purple: orange would sit too close to vermillion
    warning="#D55E00",  # vermillion, as the too-high learning rate
    lr_low="#0072B2",
    lr_good="#009E73",
    lr_high="#D55E00",
)

PALETTES = {palette.name: palette for palette in (DARK, LIGHT)}
