"""A second engine: ProperDocs 1.6, the maintained fork of MkDocs 1.x, builds the demo unchanged.

The `properdocs` package installs only a `properdocs` module. Its command aliases every
`mkdocs.*` import to `properdocs.*` in its own process and loads plugins from the
`mkdocs.plugins` entry points and themes from `mkdocs.themes`, so Material and followhome's
plugins run on it as they are, beside the `mkdocs` package the project still installs.

The promise tested here: `properdocs build --strict` of the demo gives the same site and
outbox as `mkdocs build --strict`, byte for byte, except the `<meta name="generator">` line
of each page, which names the engine. `SOURCE_DATE_EPOCH` pins the build date (the sitemap's
`lastmod` and the gzip header's time in sitemap.xml.gz), which both engines honour, so that
two builds on either side of midnight UTC still compare equal.
"""

from __future__ import annotations

import calendar
import difflib
import re
import shutil
import time
from pathlib import Path

import pytest

from tests.conftest import BIN, TODAY, copy_demo, run_tool
from tests.helpers import story

GENERATOR = re.compile(rb'^[ \t]*<meta name="generator" content="([^"]*)">\r?\n', re.MULTILINE)


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _engines(files: dict[str, bytes]) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """The files with each HTML page's generator line taken out, and the engine each such line
    named, by page (a withdrawn story's notice is a plain page without the theme, and without one)."""
    named = {}
    out = {}
    for path, data in files.items():
        if path.endswith(".html"):
            lines = GENERATOR.findall(data)
            assert len(lines) <= 1, f"{path}: {len(lines)} generator lines"
            if lines:
                named[path] = lines[0]
                data = GENERATOR.sub(b"", data)
        out[path] = data
    return out, named


def _differences(left: dict[str, bytes], right: dict[str, bytes]) -> str:
    """A readable account of every file that is not the same in both trees."""
    report = []
    for path in sorted(left.keys() ^ right.keys()):
        report.append(f"{path}: only in the {'ProperDocs' if path in left else 'MkDocs'} build")
    for path in sorted(left.keys() & right.keys()):
        if left[path] != right[path]:
            diff = difflib.unified_diff(
                left[path].decode("utf-8", "replace").splitlines(),
                right[path].decode("utf-8", "replace").splitlines(),
                "properdocs/" + path,
                "mkdocs/" + path,
                lineterm="",
                n=1,
            )
            report.append("\n".join(list(diff)[:40]))
    return "\n".join(report)


def _properdocs() -> str:
    assert (BIN / "properdocs").is_file(), "properdocs is missing: `make test` installs it (the test extra)"
    return "properdocs"


@pytest.fixture
def pinned_build_date(monkeypatch: pytest.MonkeyPatch) -> None:
    epoch = calendar.timegm(time.strptime(TODAY, "%Y-%m-%d"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))


@pytest.mark.usefixtures("pinned_build_date")
def test_properdocs_builds_the_demo_like_mkdocs(tmp_path: Path) -> None:
    project = copy_demo(tmp_path / "project")
    root = project.root
    built = {}
    # Each engine builds from a cold cache (cards, front matter, tone scores) and writes its
    # own outbox, so neither reuses what the other made.
    for engine in (_properdocs(), "mkdocs"):
        shutil.rmtree(root / ".cache", ignore_errors=True)
        run = run_tool(engine, "build", "--strict", "-f", "mkdocs.yml", "-d", f"site-{engine}", cwd=root)
        assert run.returncode == 0, f"{engine}:\n{run.stderr}"
        assert "WARNING" not in run.stderr and "Traceback" not in run.stderr, f"{engine}:\n{run.stderr}"
        (root / "outbox").rename(root / f"outbox-{engine}")
        built[engine] = {
            "site": _engines(_files(root / f"site-{engine}")),
            "outbox": _files(root / f"outbox-{engine}"),
        }

    proper_site, proper_named = built["properdocs"]["site"]
    mk_site, mk_named = built["mkdocs"]["site"]
    # The same pages carry the line, and each build was made by the engine it claims.
    assert proper_named.keys() == mk_named.keys() and len(proper_named) >= 30
    assert "index.html" in proper_named and "stories/index.html" in proper_named
    proper_engine, mk_engine = set(proper_named.values()), set(mk_named.values())
    assert len(proper_engine) == 1 and len(mk_engine) == 1, (proper_engine, mk_engine)
    assert re.fullmatch(rb"mkdocs-ProperDocs 1\.6\.\d+, mkdocs-material-9\.\S+", proper_engine.pop())
    assert re.fullmatch(rb"mkdocs-1\.6\.\d+, mkdocs-material-9\.\S+", mk_engine.pop())
    assert len(proper_site) > 100 and "sitemap.xml.gz" in proper_site and "feed.xml" in proper_site

    assert proper_site == mk_site, _differences(proper_site, mk_site)
    proper_outbox, mk_outbox = built["properdocs"]["outbox"], built["mkdocs"]["outbox"]
    assert proper_outbox, "the email plugin wrote no outbox"
    assert proper_outbox == mk_outbox, _differences(proper_outbox, mk_outbox)


def test_a_strict_properdocs_build_fails_on_a_content_problem(tmp_path: Path) -> None:
    project = copy_demo(tmp_path / "project")
    project.write("stories/a-bottle.md", story(values="[honest-advice, no-such-value]"))
    run = run_tool(_properdocs(), "build", "--strict", "-f", "mkdocs.yml", cwd=project.root)
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr
    assert re.search(
        r"content/stories/a-bottle\.md:\d+: values\[1\]: unknown value id 'no-such-value'", run.stderr
    ), run.stderr
    assert re.search(r"\d+ problems? fails? this strict build", run.stderr), run.stderr
