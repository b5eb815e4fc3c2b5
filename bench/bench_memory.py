"""Memory benchmark: `.venv/bin/python bench/bench_memory.py [--quality low] [--format gif]`.

For each quality and format asked (default: low and medium, every format), renders
fit_line in a child process and prints one line: the peak RSS the limits check expects
(sgd_anim.limits.Plan.memory), the peak measured (getrusage of a small parent, so the
child's pages alone count), their ratio and the seconds taken. `--args` adds options,
such as `--args "--scene minibatch --n 100000"`. 1080p and 4k take minutes each.
"""

from __future__ import annotations

import argparse
import shlex
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from output_rows import weighed

from sgd_anim import cli
from sgd_anim.cli.main import options_of
from sgd_anim.options import FORMAT_NAMES, QUALITY_NAMES
from sgd_anim.request import RenderRequest


def estimated(args: list[str]) -> int:
    """The bytes the limits check expects the command `args` to peak at."""
    request = RenderRequest.from_options(
        options_of(cli.main.make_context("sgd-anim", args))
    )
    return max(request.plan(spec).memory for spec in request.specs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quality", choices=QUALITY_NAMES, action="append")
    parser.add_argument("--format", choices=FORMAT_NAMES, action="append")
    parser.add_argument("--args", default="--scene fit_line")
    chosen = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as folder:
        for quality in chosen.quality or ["low", "medium"]:
            for fmt in chosen.format or FORMAT_NAMES:
                args = [*shlex.split(chosen.args), "--quality", quality]
                args += ["-o", str(Path(folder) / f"clip.{fmt}")]
                expected = estimated(args)
                seconds, mib = weighed(args)
                peak = mib * 2**20
                print(
                    f"{quality} {fmt}: expected {expected / 2**20:.0f} MiB, "
                    f"measured {peak / 2**20:.0f} MiB, ratio {peak / expected:.2f}, "
                    f"{seconds:.0f} s",
                    flush=True,
                )


if __name__ == "__main__":
    main()
