"""How a clip's frames are cut into chunks and shared among processes (no rendering)."""

from __future__ import annotations

import pytest

from sgd_anim.files.segments import (
    CHUNK_FRAMES,
    PREROLL_COST,
    chunk_count,
    chunk_name,
    split_frames,
)

CLIP_LENGTHS = [1, 7, 124, 125, 249, 250, 251, 374, 375, 870, 992, 1000, 3001, 36_000]


@pytest.mark.parametrize("frames", CLIP_LENGTHS)
@pytest.mark.parametrize("jobs", [1, 2, 3, 8, 12])
def test_parts_cover_every_frame_once_in_order_cut_on_chunk_starts(
    frames: int, jobs: int
) -> None:
    parts = split_frames(frames, jobs)
    assert 1 <= len(parts) <= jobs
    assert [frame for part in parts for frame in part] == list(range(frames))
    assert all(part.start % CHUNK_FRAMES == 0 for part in parts)
    assert all(len(part) >= min(frames, CHUNK_FRAMES // 2) for part in parts)


def test_one_process_draws_the_whole_clip() -> None:
    assert split_frames(992, 1) == [range(992)]


def test_a_clip_is_cut_into_as_many_parts_as_it_has_chunks_at_most() -> None:
    assert len(split_frames(1000, 8)) == chunk_count(1000) == 4
    # A last chunk under half a chunk long goes with the part before it
    assert split_frames(CHUNK_FRAMES + 1, 2) == [range(CHUNK_FRAMES + 1)]
    assert split_frames(CHUNK_FRAMES * 3 // 2, 2) == [
        range(CHUNK_FRAMES),
        range(CHUNK_FRAMES, CHUNK_FRAMES * 3 // 2),
    ]


def test_later_parts_are_shorter_by_the_frames_they_run_through_undrawn() -> None:
    chunk = 10
    parts = split_frames(1000, 3, chunk)
    # Each part's cost is its frames plus PREROLL_COST for each frame before it
    costs = [len(part) + PREROLL_COST * part.start for part in parts]
    assert max(costs) - min(costs) <= 2 * chunk
    assert len(parts[0]) > len(parts[1]) > len(parts[2])


def test_chunk_counts_and_names() -> None:
    assert [chunk_count(n, 250) for n in (1, 250, 251, 500, 501)] == [1, 1, 2, 2, 3]
    assert chunk_name(3) == "chunk_00003.mp4"
    assert sorted([chunk_name(10), chunk_name(9)]) == [chunk_name(9), chunk_name(10)]


@pytest.mark.parametrize(("frames", "jobs"), [(0, 2), (10, 0)])
def test_nothing_to_split_is_refused(frames: int, jobs: int) -> None:
    with pytest.raises(ValueError, match="cannot split"):
        split_frames(frames, jobs)
