"""How an mp4 clip is cut into chunks, and which process renders which of them.

An mp4's frames are coded in chunks of CHUNK_FRAMES, each by an encoder of its own
(a fresh x264, its first frame a keyframe), whatever the number of processes: one
process codes every chunk in turn, N processes each code a run of them, and joining
the chunks' packets in order (export.remux_faststart) makes the same file, byte for
byte. CHUNK_FRAMES is x264's own keyframe interval, so a clip keeps its keyframes
where x264 alone would put them; shorter chunks would cut finer, but each keyframe
of a 1080p frame costs about 300 KB (fit_line's 992 frames: 3.6 MB in chunks of 250,
4.6 MB in chunks of 120, 5.8 MB in chunks of 60).
Plain Python: no manim, no PyAV.
"""

from __future__ import annotations

CHUNK_FRAMES = 250  # x264's default keyint
# A part's process starts once its parent has played the frames before the part
# without drawing or coding them: each costs at most this share of a frame drawn and
# coded (fit_line at 1080p60: 2.1 ms of 10.9; less where whole beats are skipped)
PREROLL_COST = 0.2


def chunk_name(chunk: int) -> str:
    """The file a chunk is coded into: chunk_00000.mp4, chunk_00001.mp4, ..."""
    return f"chunk_{chunk:05d}.mp4"


def chunk_count(frames: int, chunk_frames: int = CHUNK_FRAMES) -> int:
    """How many chunks a clip of `frames` frames is coded in."""
    return -(-frames // chunk_frames)


def split_frames(
    frames: int, jobs: int, chunk_frames: int = CHUNK_FRAMES
) -> list[range]:
    """The frames each of up to `jobs` processes renders: consecutive runs of whole
    chunks, together every frame once, in order, none empty.

    A later part starts once the frames before it have been played without drawing
    (PREROLL_COST each), so the cuts fall where the parts would end closest together.
    """
    if frames < 1 or jobs < 1 or chunk_frames < 1:
        raise ValueError(f"cannot split {frames} frames {jobs} ways")
    # A last chunk shorter than half is not worth a process: it goes with the one before
    parts = max(1, round(frames / chunk_frames))
    jobs = min(jobs, parts)
    # Equal costs C: part k starts at s_k and draws s_(k+1) - s_k = C - PREROLL_COST * s_k
    # frames, so s_k = frames * (1 - r^k) / (1 - r^jobs), with r = 1 - PREROLL_COST
    kept = 1 - PREROLL_COST
    cuts = [0]
    for part in range(1, jobs):
        start = frames * (1 - kept**part) / (1 - kept**jobs)
        chunk = round(start / chunk_frames)
        cuts.append(min(max(chunk, cuts[-1] + 1), parts - (jobs - part)))
    starts = [cut * chunk_frames for cut in cuts]
    return [
        range(start, stop)
        for start, stop in zip(starts, [*starts[1:], frames], strict=True)
    ]
