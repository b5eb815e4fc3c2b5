"""surface_3d: the bowl's geometry, the fast mesh against Manim's drawing, the framing.

The bowl is drawn by SurfaceCamera from arrays (scenes/surface_mesh.py); Manim's own
ThreeDCamera draws the same mesh as one VMobject per face, depth-sorted. The two must
give the same picture at low resolution, so a speed-up cannot change it unnoticed.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager

import cairo
import numpy as np
import numpy.typing as npt
import pytest
from manim import Mobject, ThreeDCamera, tempconfig

from scenes import surface_3d
from scenes.bowl_geometry import RINGS, SPOKES, bowl_geometry
from scenes.camera import SurfaceCamera
from scenes.clock import StepClock
from scenes.panels.bowl import LossBowl
from scenes.panels.step_marks import BOWL_RADIUS
from scenes.surface_mesh import ShadedMesh, region_loops
from scenes.theme import PALETTES
from sgdcore.trace import Trace
from tests.conftest import CONTROL_DATA

WIDTH, HEIGHT = 427, 240
MEAN_TOLERANCE = 1.5  # mean difference per channel value, 0-255
FAR_OFF, FAR_BUDGET = 40, 0.01  # values this far apart: at most this share of them
FLOAT32 = 1e-6  # torch trains in float32
SIDE_MARGIN = 0.05  # of the frame's width, clear at either side
SAFE = 0.9  # of the frame's height, between its top and bottom margins (5% each)
EDGE = 1e-9  # scene units: on the edge is inside
TURN = np.linspace(surface_3d.START_THETA, surface_3d.HELD_THETA, 5)


def default_run() -> Trace:
    """surface_3d's committed default run (the lesson's, 100 steps)."""
    return Trace.load(CONTROL_DATA / "surface_3d" / "default-run0.npz")


@contextmanager
def small_frames() -> Iterator[None]:
    """Manim set up for 427×240 frames."""
    with tempconfig({"pixel_width": WIDTH, "pixel_height": HEIGHT}):
        yield


def draw(camera: ThreeDCamera, *mobjects: Mobject) -> npt.NDArray[np.uint8]:
    """The camera's picture of `mobjects` over its background, RGBA."""
    camera.reset()
    camera.capture_mobjects(list(mobjects))
    return np.array(camera.pixel_array, dtype=np.uint8)


def aimed(camera: ThreeDCamera, theta: float) -> ThreeDCamera:
    """`camera` at surface_3d's polar angle and `theta`."""
    camera.set_phi(surface_3d.PHI)
    camera.set_theta(theta)
    camera.set_zoom(1.0)
    camera.background_color = PALETTES["dark"].background
    camera.reset_rotation_matrix()
    return camera


@pytest.mark.parametrize("theta", [surface_3d.START_THETA, surface_3d.HELD_THETA])
def test_fast_mesh_draws_what_manims_camera_draws(theta: float) -> None:
    with small_frames():
        mesh = LossBowl(PALETTES["dark"], default_run()).surface()
        mesh.set_fill(opacity=1.0)
        fast = draw(aimed(SurfaceCamera(), theta), mesh)
        manim_camera = aimed(ThreeDCamera(), theta)
        manim_camera.should_apply_shading = False  # the light is in the face colours
        manims = draw(manim_camera, mesh.as_polygons())
    difference = np.abs(fast.astype(np.int16) - manims.astype(np.int16))[..., :3]
    assert (manims != fast).any(axis=-1).mean() < 0.5  # the bowl is in the picture
    assert (manims[..., :3] != manims[0, 0, :3]).any(axis=-1).mean() > 0.15
    assert difference.mean() < MEAN_TOLERANCE, difference.mean()
    assert (difference > FAR_OFF).mean() < FAR_BUDGET, (difference > FAR_OFF).mean()


def test_a_see_through_mesh_is_the_opaque_one_blended_over_the_floor() -> None:
    with small_frames():
        mesh = LossBowl(PALETTES["dark"], default_run()).surface()
        camera = aimed(SurfaceCamera(), surface_3d.HELD_THETA)
        opacity = float(mesh.get_fill_opacity())
        mesh.set_fill(opacity=1.0)
        opaque = draw(camera, mesh).astype(np.float64)
        mesh.set_fill(opacity=opacity)
        seen = draw(camera, mesh).astype(np.float64)
        background = draw(camera).astype(np.float64)
    expected = opacity * opaque + (1 - opacity) * background
    np.testing.assert_allclose(seen[..., :3], expected[..., :3], atol=2.0)


def test_a_held_view_is_painted_alike_every_frame() -> None:
    # The first paint of a layer scales it by the opacity on the fly, later ones
    # paint the kept, pre-scaled copy
    with small_frames():
        mesh = LossBowl(PALETTES["dark"], default_run()).surface()
        camera = aimed(SurfaceCamera(), surface_3d.HELD_THETA)
        first, second, third = (draw(camera, mesh).astype(np.int16) for _ in range(3))
    assert camera.faded[id(mesh)][2] is not None  # the pre-scaled copy was used
    assert np.abs(second - first).max() <= 1
    assert np.abs(third - first).max() <= 1


def region_mask(
    corners: npt.NDArray[np.float64], loops: list[list[int]]
) -> npt.NDArray[np.uint8]:
    """The pixels one aliased fill of `loops` (of vertex indices) covers."""
    surface = cairo.ImageSurface(cairo.FORMAT_A8, 160, 160)
    ctx = cairo.Context(surface)
    ctx.set_antialias(cairo.ANTIALIAS_NONE)
    for loop in loops:
        ctx.move_to(*corners[loop[0]])
        for vertex in loop[1:]:
            ctx.line_to(*corners[vertex])
        ctx.close_path()
    ctx.fill()
    surface.flush()
    return np.array(surface.get_data(), dtype=np.uint8)


def test_region_outlines_cover_exactly_their_faces() -> None:
    # Random labels make regions with holes, islands and corners that touch
    mesh = LossBowl(PALETTES["dark"], default_run()).surface()
    low, high = mesh.vertices[:, :2].min(0), mesh.vertices[:, :2].max(0)
    corners = 5 + 150 * (mesh.vertices[:, :2] - low) / (high - low).max()
    labels = np.random.default_rng(0).integers(0, 3, len(mesh.faces))
    loops_by_label = region_loops(mesh.faces, mesh.neighbours, labels)
    assert sorted(loops_by_label) == [0, 1, 2]
    for label, loops in loops_by_label.items():
        quads = [list(mesh.faces[f]) for f in np.flatnonzero(labels == label)]
        expected = region_mask(corners, quads)
        assert expected.any()
        assert (region_mask(corners, loops) == expected).all(), label


def test_the_bowl_is_the_runs_loss_and_holds_every_step() -> None:
    trace = default_run()
    geometry = bowl_geometry(trace)
    losses = geometry.least_loss + geometry.excess(trace.params)
    np.testing.assert_allclose(losses, trace.full_loss, rtol=FLOAT32)
    assert (losses - geometry.least_loss < geometry.rim_excess).all()
    vertices, faces, normals = geometry.mesh()
    assert len(faces) == RINGS * SPOKES >= 32 * 32
    # Heights are the loss itself, on one scale; the floor is at true shape
    params = vertices[:, :2] / geometry.scale + geometry.centre
    heights = geometry.least_loss + geometry.excess(params)
    np.testing.assert_allclose(vertices[:, 2], heights * geometry.z_scale, rtol=1e-9)
    assert (normals[:, 2] > 0).all()
    np.testing.assert_allclose(np.linalg.norm(normals, axis=1), 1.0, rtol=1e-12)


def test_a_mark_sits_on_the_bowl_at_each_step_passed_while_they_stand_apart() -> None:
    trace = default_run()
    bowl, clock = LossBowl(PALETTES["dark"], trace), StepClock([trace])
    path, _ = bowl.path(clock)
    marks = bowl.step_marks(clock)
    for step in (0, 2, 30, trace.n_steps):
        clock.tracker.set_value(step)
        path.update(), marks.update()
        centres = np.array([dot.get_center() for dot in marks.submobjects])
        # the path runs through every step passed, the marks sit on its corners:
        # every one of the long first steps, then one each two radii apart
        corners = path.get_anchors()[::2][: step + 1]
        assert len(centres) == min(step + 1, 3) or 3 < len(centres) < step + 1
        for centre in centres:
            assert np.linalg.norm(corners - centre, axis=1).min() < 1e-9
        if len(centres) > 1:
            gaps = np.linalg.norm(centres[:, None] - centres[None], axis=2)
            assert gaps[np.triu_indices(len(centres), 1)].min() >= 2 * BOWL_RADIUS


def test_the_mesh_is_lit_from_the_lamp_and_read_by_manim_alike() -> None:
    mesh = LossBowl(PALETTES["dark"], default_run()).surface()
    assert isinstance(mesh, ShadedMesh)
    assert len(np.unique(mesh.levels)) > 10  # shaded, not flat
    polygons = mesh.as_polygons()
    assert len(polygons) == len(mesh.faces)


def screen_boxes(
    camera: ThreeDCamera, mobjects: list[Mobject]
) -> list[tuple[float, float, float, float]]:
    """Each mobject's box on screen, as the camera projects it."""
    boxes = []
    for mobject in mobjects:
        points = np.vstack(
            [
                camera.transform_points_pre_display(m, m.points)
                for m in mobject.family_members_with_points()
            ]
        )
        (left, bottom), (right, top) = points[:, :2].min(0), points[:, :2].max(0)
        boxes.append((float(left), float(bottom), float(right), float(top)))
    return boxes


@pytest.mark.parametrize("theme", sorted(PALETTES))
def test_the_3d_image_stays_in_frame_and_its_labels_apart(theme: str) -> None:
    with tempconfig({"frame_rate": 15, "verbosity": "WARNING"}):
        scene = surface_3d.Surface3D(
            default_run(), pace=10.0, palette=PALETTES[theme], plan_only=True
        )
        scene.construct()
        camera = scene.surface_camera()
        assert camera.get_theta() == pytest.approx(surface_3d.HELD_THETA)
        texts = [m for m in scene.statics if m in camera.fixed_orientation_mobjects]
        mesh = next(m for m in scene.movers if isinstance(m, ShadedMesh))
        flat = scene.statics[:2]  # the title and the readouts' names
        half_width = (0.5 - SIDE_MARGIN) * camera.frame_width
        half_height = SAFE * camera.frame_height / 2
        for theta in TURN:
            camera.set_theta(float(theta))
            camera.reset_rotation_matrix()
            image = camera.project_points(mesh.vertices)[:, :2]
            assert (np.abs(image[:, 0]) < half_width).all(), theta
            assert (np.abs(image[:, 1]) < half_height).all(), theta
            boxes = screen_boxes(camera, texts) + screen_boxes(camera, flat)
            for left, bottom, right, top in boxes:
                # the title starts on the safe area's left edge and top edge itself
                assert -half_width - EDGE <= left and right <= half_width + EDGE, theta
                assert -half_height - EDGE <= bottom, theta
                assert top <= half_height + EDGE, theta
            for first, second in itertools.combinations(boxes, 2):
                across = min(first[2], second[2]) - max(first[0], second[0])
                up = min(first[3], second[3]) - max(first[1], second[1])
                assert across <= 0.02 or up <= 0.02, (theta, first, second)


def test_while_the_camera_turns_only_the_flat_parts_stay_in_the_static_frame() -> None:
    with tempconfig({"frame_rate": 15, "verbosity": "WARNING"}):
        scene = surface_3d.Surface3D(default_run(), pace=10.0, plan_only=True)
        scene.construct()
        scene.add(*scene.statics, *scene.movers)
        camera = scene.surface_camera()
        held = scene.get_moving_mobjects()
        scene.add(camera.theta_tracker)
        turn = camera.theta_tracker.animate.set_value(0.0)  # type: ignore[operator]
        moving = scene.get_moving_mobjects(turn.build())
    # the title, the readouts' names and the floor's key
    flat = scene.statics[:3]
    assert not any(part in moving for part in flat)
    assert len(moving) == len(scene.mobjects) - len(flat)  # everything else redrawn
    title = flat[0]
    assert title not in held and len(held) < len(moving)
