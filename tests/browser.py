"""Headless Chromium driven over its DevTools pipe, for tests of pages opened from disk.

`Browser` starts Chromium with `--remote-debugging-pipe` (requests on its fd 3,
answers on fd 4, each a JSON message ended by a NUL byte), opens one page with the
network emulated offline, and evaluates script in it, awaiting promises: a test waits
for the page's own state instead of guessing a time budget. Chromium is Debian's
/usr/bin/chromium (or CHROMIUM); `chromium()` says why a test must skip without it.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

TIMEOUT = 60.0  # seconds for one command; a clip decodes well within it


def chromium() -> str | None:
    """The Chromium to drive, or None."""
    found = os.environ.get("CHROMIUM") or shutil.which("chromium")
    return found if found and Path(found).exists() else None


class Browser:
    """One headless Chromium with one page, offline."""

    def __init__(self, width: int = 1280, height: int = 720) -> None:
        executable = chromium()
        if executable is None:
            raise FileNotFoundError("no chromium on PATH (apt-get install chromium)")
        self.profile = tempfile.mkdtemp(prefix="sgd-chromium-")
        reading, self.write_end = os.pipe()
        self.read_end, writing = os.pipe()
        # Numbered above 4, so that putting them at 3 and 4 overwrites neither
        to_browser = fcntl.fcntl(reading, fcntl.F_DUPFD, 10)
        from_browser = fcntl.fcntl(writing, fcntl.F_DUPFD, 10)
        os.close(reading)
        os.close(writing)

        def pipes() -> None:  # in the child: the two pipes as fds 3 and 4
            os.dup2(to_browser, 3)
            os.dup2(from_browser, 4)

        self.process = subprocess.Popen(
            [
                executable,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--remote-debugging-pipe",
                "--autoplay-policy=no-user-gesture-required",
                "--host-resolver-rules=MAP * ~NOTFOUND",
                f"--user-data-dir={self.profile}",
                f"--window-size={width},{height}",
                "about:blank",
            ],
            preexec_fn=pipes,  # dup2 only: safe even with threads
            pass_fds=(3, 4),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_browser)
        os.close(from_browser)
        self.buffer = b""
        self.next_id = 0
        self.session: str | None = None
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        attached = self.send("Target.attachToTarget", targetId=target, flatten=True)
        self.session = attached["sessionId"]
        self.send("Page.enable")
        self.send("Network.enable")
        self.send(
            "Network.emulateNetworkConditions",
            offline=True,
            latency=0,
            downloadThroughput=-1,
            uploadThroughput=-1,
        )
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        """One DevTools command; its result (an error raises RuntimeError)."""
        self.next_id += 1
        message: dict[str, Any] = {
            "id": self.next_id,
            "method": method,
            "params": params,
        }
        if self.session is not None:
            message["sessionId"] = self.session
        os.write(self.write_end, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            while b"\0" in self.buffer:
                raw, self.buffer = self.buffer.split(b"\0", 1)
                answer = json.loads(raw)
                if answer.get("id") == self.next_id:
                    if "error" in answer:
                        raise RuntimeError(f"{method}: {answer['error']}")
                    result: dict[str, Any] = answer.get("result", {})
                    return result
            chunk = os.read(self.read_end, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed its pipe")
            self.buffer += chunk
        raise TimeoutError(f"{method}: no answer in {TIMEOUT} s")

    def open(
        self, url: str, ready: str = "document.body?.dataset.ready === 'yes'"
    ) -> None:
        """Load `url` and wait until the script `ready` is true."""
        self.send("Page.navigate", url=url)
        self.wait_for(ready)

    def wait_for(self, condition: str) -> None:
        """Wait until the script `condition` is true in the page."""
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            if self.evaluate(f"Boolean({condition})"):
                return
            time.sleep(0.1)
        raise TimeoutError(f"the page never had {condition}")

    def evaluate(self, expression: str) -> Any:
        """The value of a script in the page (a promise awaited)."""
        answer = self.send(
            "Runtime.evaluate",
            expression=expression,
            awaitPromise=True,
            returnByValue=True,
        )
        if "exceptionDetails" in answer:
            raise RuntimeError(f"{expression}: {answer['exceptionDetails']}")
        return answer["result"].get("value")

    def screenshot(self, path: Path) -> None:
        """The page as it looks now, as a PNG."""
        shot = self.send("Page.captureScreenshot", format="png")
        path.write_bytes(base64.b64decode(shot["data"]))

    def close(self) -> None:
        """Stop Chromium and remove its profile."""
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self.write_end)
        os.close(self.read_end)
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
