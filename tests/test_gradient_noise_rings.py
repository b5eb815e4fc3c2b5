"""gradient_noise's earlier batch sizes' ellipses, left behind: dashed in the
ellipse's colour, not the contours' grey, and keyed; each one's name by it or led
to it by a leader in the name's colour."""

from __future__ import annotations

import numpy as np
import pytest
from manim import Mobject, VMobject

from scenes.clock import LeadClock
from scenes.gradient_noise import PLANE_CORNER, PLANE_SIZE, label_levels, lead_frames
from scenes.noise_geometry import ellipse, noise_levels
from scenes.panels.gradient_cloud import GradientCloud
from scenes.panels.noise_keys import EARLIER_WORDS, cloud_keys
from scenes.panels.parameter_plane import ParameterPlane
from scenes.panels.ring_names import LEADER_SHORT, NAME_GAP, TOUCHING
from scenes.theme import PALETTES
from sgdcore.trace import Trace
from tests import test_gradient_noise_layout as layout
from tests.contrast import TEXT_RATIO, contrast_ratio
from tests.test_beats import default_runs
from tests.test_caption_rules import planned
from tests.test_gradient_noise_layout import box_of

runs = layout.runs  # the layout tests' runs (a fixture): the default and variants
ON = 1e-6  # scene units: a leader's end on its ring, or short of its name


def gap_to(rect: tuple[float, float, float, float], points: np.ndarray) -> float:
    """The least distance from a box to any of `points` (m, 2 or 3)."""
    left, bottom, right, top = rect
    across = np.clip(points[:, 0], left, right) - points[:, 0]
    up = np.clip(points[:, 1], bottom, top) - points[:, 1]
    return float(np.hypot(across, up).min())


def test_a_name_off_its_ring_has_a_leader_to_it(runs: list[Trace]) -> None:
    levels = noise_levels(runs[0])
    tips = np.vstack([runs[0].params[0] + level.steps for level in levels])
    palette = PALETTES["dark"]
    plane = ParameterPlane(palette, runs, PLANE_CORNER, PLANE_SIZE, tips, zoom=False)
    label_levels(plane)
    plane.lead_with(lead_frames(runs[0], levels))
    cloud = GradientCloud(palette, plane, levels)
    box = plane.view.box(float(len(levels)))
    for name, level in zip(cloud.names, levels, strict=False):
        if name is None:
            continue
        leader, words = name
        ring = cloud.scene(ellipse(cloud.start + level.mean, level.covariance), box)
        rect = box_of(words)
        if not len(leader.points):  # by its ring: as near as a name is put to it
            assert gap_to(rect, ring) <= NAME_GAP + TOUCHING + ON, level.size
            continue
        assert leader.get_stroke_color().to_hex().upper() == palette.muted.upper()
        assert gap_to((*leader.get_start()[:2],) * 2, ring) < ON, level.size
        assert gap_to(rect, leader.get_end()[None, :]) <= LEADER_SHORT + ON


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_the_earlier_sizes_ellipses_are_dashed_in_the_ellipses_hue_at_4_5_to_1(
    monkeypatch: pytest.MonkeyPatch, theme: str
) -> None:
    made: list[list[Mobject]] = []
    build = GradientCloud.moving

    def record(cloud: GradientCloud, clock: LeadClock) -> list[Mobject]:
        made.append(build(cloud, clock))
        return made[-1]

    monkeypatch.setattr(GradientCloud, "moving", record)
    traces = default_runs("gradient_noise")
    scene = planned("gradient_noise", traces, PALETTES[theme])
    lead = len(noise_levels(traces[0]))
    scene.move_to_step(float(lead))  # the last size's beat: every earlier one shown
    earlier = made[0][0]
    assert isinstance(earlier, VMobject)
    palette = scene.palette
    color = earlier.get_stroke_color().to_hex().upper()
    assert color == palette.highlight_thin.upper() != palette.muted.upper()
    # thin dashes, darker than the ellipse's own colour where that is faint
    assert contrast_ratio(color, palette.background) >= TEXT_RATIO
    # dashes: many more pieces than there are earlier ellipses
    assert len(earlier.get_subpaths()) > 10 * (lead - 1)
    # and keyed, in the words the keys give them
    keys = cloud_keys(palette, palette.tick_size, earlier=True)
    assert keys[-1][1].original_text == EARLIER_WORDS  # type: ignore[attr-defined]
