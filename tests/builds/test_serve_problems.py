"""`mkdocs serve` with a content problem: the preview goes on, names the problem, leaves the item out."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.conftest import BIN, TODAY, Project


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def test_serve_names_the_problem_and_leaves_the_story_out(demo: Project, tmp_path: Path) -> None:
    story = demo.content / "stories" / "supper-on-a-tuesday.md"
    story.write_text(
        story.read_text(encoding="utf-8").replace("values: [", "values: [no-such-value, ", 1),
        encoding="utf-8",
    )
    port = _free_port()
    log = tmp_path / "serve.log"
    with log.open("w", encoding="utf-8") as out:
        server = subprocess.Popen(
            [str(BIN / "mkdocs"), "serve", "--no-strict", "--no-livereload", "-a", f"127.0.0.1:{port}"],
            cwd=demo.root,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "FOLLOWHOME_TODAY": TODAY},
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 90
        while "Serving on" not in log.read_text(encoding="utf-8"):
            assert server.poll() is None, log.read_text(encoding="utf-8")
            assert time.monotonic() < deadline, "mkdocs serve did not start"
            time.sleep(0.2)
        base = f"http://127.0.0.1:{port}/"
        assert _status(base + "stories/") == 200
        assert _status(base + "stories/a-wedding-without-leftovers/") == 200
        assert _status(base + "stories/supper-on-a-tuesday/") == 404
        with urllib.request.urlopen(base + "stories/", timeout=5) as response:
            assert "supper-on-a-tuesday" not in response.read().decode("utf-8")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    output = log.read_text(encoding="utf-8")
    assert "content/stories/supper-on-a-tuesday.md:" in output
    assert "unknown value id 'no-such-value'" in output
    assert "Traceback" not in output
