"""What a trace file holds: each array's dtype and axes, and the limits on their size.

sgdcore.trace_file reads and writes by this schema; render_limits shares its limits.
"""

from __future__ import annotations

import numpy as np

# Each array's dtype, and what its axes count (for the limits read from its header)
SCHEMA = {
    "params": (np.float64, ("records", "params")),
    "loss": (np.float64, ("records",)),
    "grad": (np.float64, ("records", "params")),
    "full_loss": (np.float64, ("records",)),
    "batch": (np.int64, ("steps", "points")),
    "epoch": (np.int64, ("steps",)),
    "iteration": (np.int64, ("steps",)),
    "x": (np.float64, ("points", "inputs")),
    "y": (np.float64, ("points",)),
    # Since schema 3; a schema-2 file without them loads with them empty (EMPTY)
    "valid_loss": (np.float64, ("records",)),
    "valid_index": (np.int64, ("points",)),
    "grid": (np.float64, ("samples",)),
    "curve": (np.float64, ("records", "samples")),
    # Optional: the gradient noise at the start (sgdcore.trace_noise); may be empty
    "noise_sizes": (np.int64, ("sizes",)),
    "noise_grads": (np.float64, ("batches", "params")),
}
ARRAY_DTYPES = {name: dtype for name, (dtype, _) in SCHEMA.items()}
MEMBERS = ("meta", *ARRAY_DTYPES)  # in the order `save` writes them
# The members a file may leave out, and the empty array each then stands for
EMPTY = {
    "valid_loss": np.zeros(0),
    "valid_index": np.zeros(0, dtype=np.int64),
    "grid": np.zeros(0),
    "curve": np.zeros((0, 0)),
    "noise_sizes": np.zeros(0, dtype=np.int64),
    "noise_grads": np.zeros((0, 0)),
}

# A lecture replays tens to hundreds of steps: 100,000 is 28 minutes even at one step
# a frame at 60 fps. A slide shows hundreds of points, not a million.
MAX_STEPS = 100_000
MAX_POINTS = 1_000_000
MAX_RUNS = 8  # a scene shows at most three runs side by side
# A lesson run saves as ~50 KiB. These leave room for any lecture while bounding what a
# hostile file makes us read (the file) and allocate (its arrays, unpacked, all runs).
MAX_TRACE_BYTES = 64 * 2**20
MAX_ARRAY_BYTES = 256 * 2**20
MAX_META_CHARS = 64 * 2**10  # a real run's meta is ~600 characters of JSON
MAX_META_DEPTH = 8  # a real run's meta nests 2 deep: an object holding lists
MAX_SAMPLES = 10_000  # a curve drawn across a 4K frame needs a few hundred
# A scene compares a few batch sizes; distinct sizes give at most n·(1 + 1/2 + ...
# + 1/8) + 8 < 3n batches in all
MAX_NOISE_SIZES = 8
AXIS_LIMITS = {
    "sizes": MAX_NOISE_SIZES,
    "batches": 3 * MAX_POINTS,
    "records": MAX_STEPS + 1,
    "steps": MAX_STEPS,
    "points": MAX_POINTS,
    "samples": MAX_SAMPLES,
}
LIMIT_WORDS = {
    "points": f"{MAX_POINTS} points",
    "samples": f"{MAX_SAMPLES} samples",
    "sizes": f"{MAX_NOISE_SIZES} batch sizes",
    "batches": f"{3 * MAX_POINTS} batches",
}
MAX_MEMBERS = 1000  # far more than MAX_RUNS runs have; zipfile keeps ~1 KiB for each
