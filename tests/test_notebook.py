"""The example notebook (docs/sgd_anim.ipynb) runs in a real Jupyter kernel: every code
cell shows Manim's progress, then a video at the notebook's default quality (720p30),
embedded so it plays offline and in Colab."""

from __future__ import annotations

import base64
import os
import re
import shutil
from pathlib import Path

import av
import nbformat
import pytest
from nbclient import NotebookClient

from tests.conftest import REPO

NOTEBOOK = (REPO / "docs" / "sgd_anim.ipynb").resolve(strict=True)
CELL_TIMEOUT = 300  # seconds: a 720p30 render and torch's import on two cores
EMBEDDED = re.compile(r'<source src="data:video/mp4;base64,([A-Za-z0-9+/=]+)"')
PROGRESS = re.compile(r"Animation \d+: .*\d+%\|")  # Manim's tqdm bar, as text
NOTEBOOK_SIZE = (1280, 720)  # render()'s default quality in a kernel: medium


@pytest.mark.slow
def test_example_notebook_runs_and_every_code_cell_shows_a_video(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The kernel imports this tree's modules, and writes its clips in tmp_path
    monkeypatch.setenv(
        "PYTHONPATH", os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])
    )
    shutil.copy(NOTEBOOK, tmp_path / NOTEBOOK.name)
    notebook = nbformat.read(tmp_path / NOTEBOOK.name, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert len(code_cells) >= 3
    for index, cell in enumerate(code_cells):
        shown = [
            output["data"]["text/html"]
            for output in cell.outputs
            if output.get("output_type") in ("execute_result", "display_data")
            and "text/html" in output.get("data", {})
        ]
        assert shown, f"code cell {index} shows no clip: {cell.outputs}"
        progress = "".join(
            output.get("text", "")
            for output in cell.outputs
            if output.get("output_type") == "stream" and output["name"] == "stderr"
        )
        assert PROGRESS.search(progress), f"code cell {index} shows no progress"
        match = EMBEDDED.search(shown[-1])
        assert shown[-1].startswith("<video controls") and match, shown[-1][:200]
        # The embedded bytes are the clip itself, a video that decodes
        clip = tmp_path / f"embedded-{index}.mp4"
        clip.write_bytes(base64.b64decode(match.group(1)))
        with av.open(str(clip)) as container:
            stream = container.streams.video[0]
            size = (stream.codec_context.width, stream.codec_context.height)
            assert size == NOTEBOOK_SIZE
            assert sum(1 for _ in container.decode(stream)) > 15
