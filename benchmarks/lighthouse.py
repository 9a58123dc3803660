"""Lighthouse scores of the demo site, served locally with gzip as GitHub Pages serves it.

    python -m benchmarks.lighthouse [--runs 3] [--lighthouse PATH]

Needs Debian's chromium and the lighthouse npm package (about 185 MB, so not a project
dependency: `npm install --prefix /tmp/lh lighthouse`, then pass
--lighthouse /tmp/lh/node_modules/.bin/lighthouse). Prints the median score of each
category for the home page, a value page and a story page.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PAGES = {"home": "", "value": "values/honest-advice/", "story": "stories/saturday-shifts-and-a-new-palate/"}
FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".xml", ".svg", ".txt")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzipped when the client accepts it (like GitHub Pages)."""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if (
            "gzip" not in self.headers.get("Accept-Encoding", "")
            or path.suffix not in COMPRESSIBLE
            or not path.is_file()
        ):
            return super().send_head()
        body = gzip.compress(path.read_bytes())
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        from io import BytesIO

        return BytesIO(body)


def run(lighthouse: str, runs: int) -> dict[str, dict[str, float]]:
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        for name in ("content", "hooks"):
            shutil.copytree(ROOT / name, project / name)
        httpd = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(project / "site"))
        )
        base = f"http://127.0.0.1:{httpd.server_address[1]}/"
        config = (
            (ROOT / "mkdocs.yml")
            .read_text(encoding="utf-8")
            .replace("docs_dir:", f"site_url: {base}\ndocs_dir:")
        )
        (project / "mkdocs.yml").write_text(config, encoding="utf-8")
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        subprocess.run(
            [str(ROOT / ".venv" / "bin" / "mkdocs"), "build", "-q"], cwd=project, check=True, env=env
        )
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        scores: dict[str, dict[str, list[float]]] = {}
        try:
            for name, path in PAGES.items():
                for _ in range(runs):
                    out = project / "report.json"
                    subprocess.run(
                        [
                            lighthouse,
                            base + path,
                            f"--chrome-flags={FLAGS}",
                            "--output=json",
                            f"--output-path={out}",
                            "--quiet",
                            "--only-categories=performance,accessibility,best-practices,seo",
                        ],
                        check=True,
                        env={**env, "CHROME_PATH": "/usr/bin/chromium"},
                    )
                    report = json.loads(out.read_text(encoding="utf-8"))
                    for category, data in report["categories"].items():
                        scores.setdefault(name, {}).setdefault(category, []).append(data["score"] * 100)
        finally:
            httpd.shutdown()
        return {page: {c: statistics.median(v) for c, v in cats.items()} for page, cats in scores.items()}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--lighthouse", default="lighthouse")
    args = parser.parse_args()
    results = run(args.lighthouse, args.runs)
    print(f"{'page':<8} {'performance':>12} {'accessibility':>14} {'best-practices':>15} {'seo':>5}")
    for page, cats in results.items():
        print(
            f"{page:<8} {cats['performance']:12.0f} {cats['accessibility']:14.0f} {cats['best-practices']:15.0f} {cats['seo']:5.0f}"
        )


if __name__ == "__main__":
    main()
