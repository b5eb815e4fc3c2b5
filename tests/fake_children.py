"""Stand-ins for the child processes `--scene all` starts, so its tests run none."""

from __future__ import annotations

from typing import IO, ClassVar

import pytest

from sgd_anim.cli import all_scenes


class FakeChild:
    """Stands in for a render.py child process: records its argv, exits at once."""

    launched: ClassVar[list[list[str]]] = []
    returncode: ClassVar[int] = 0
    complaint: ClassVar[str] = ""  # what it writes to stderr

    def __init__(self, command: list[str], stderr: IO[str], **_: object) -> None:
        FakeChild.launched.append(command)
        stderr.write(self.complaint)

    def poll(self) -> int:
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        return self.returncode

    def terminate(self) -> None: ...

    def kill(self) -> None: ...


@pytest.fixture
def children(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The argv of every child that `--scene all` starts (none really runs)."""
    monkeypatch.setattr(FakeChild, "launched", [])
    monkeypatch.setattr(all_scenes.subprocess, "Popen", FakeChild)
    return FakeChild.launched
