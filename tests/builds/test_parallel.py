"""Work shared with other processes gives what one process gives: the content loaded, every
file of the site, the warnings logged; the speed path runs only where that is tested, and one
INFO line says which mode ran and why; the garbage collector's settings come back after."""

from __future__ import annotations

import gc
import logging
import os
import re
from pathlib import Path
from types import ModuleType

import pytest
from lxml import html
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort

import followhome.model.loader as loader
from benchmarks.generate import generate
from followhome.cache import background
from followhome.mkdocs.speed.collector import BUILD_THRESHOLDS
from followhome.mkdocs.speed.decision import TESTED_EXTENSIONS, TESTED_PLUGINS, extension_name
from tests.conftest import WarningLog, copy_demo, run_tool
from tests.helpers import minimal_project, story, update

needs_fork = pytest.mark.skipif(not background.available(), reason="fork() is POSIX only")
PARENT = os.getpid()
IN_THIS_PROCESS = "followhome: pages rendered in this process: "


def mode_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    """The speed path's INFO lines logged since the last call (set INFO on "mkdocs" first)."""
    lines = [r.getMessage() for r in caplog.records if "followhome: pages rendered" in r.getMessage()]
    caplog.clear()
    return lines


@pytest.fixture
def two_cores(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """Two processes render pages wherever the speed path runs (one worker beside the build),
    whatever the machine has; the speed path's INFO lines are captured."""
    monkeypatch.setattr(background, "usable_cores", lambda: 2)
    caplog.set_level(logging.INFO, logger="mkdocs")


def _square_here_only(number: int) -> int:
    if os.getpid() != PARENT:
        raise RuntimeError("a bug in the other process")
    return number * number


@needs_fork
def test_map_on_cores_keeps_the_order() -> None:
    tasks = list(range(1000))
    assert background.map_on_cores(str, tasks, 10) == [str(n) for n in tasks]
    assert background.map_on_cores(str, tasks[:5], 10) == ["0", "1", "2", "3", "4"]
    assert background.map_on_cores(str, [], 10) == []


@needs_fork
def test_map_on_cores_redoes_a_failed_share_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(background, "usable_cores", lambda: 3)
    tasks = list(range(90))
    assert background.map_on_cores(_square_here_only, tasks, 10) == [n * n for n in tasks]


@needs_fork
def test_content_parsed_on_cores_is_the_content_parsed_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    minimal_project(tmp_path)
    stories = tmp_path / "content" / "stories"
    stories.mkdir()
    for n in range(40):
        text = story(id=f"s-{n:08x}", title=f"Story {n}", date=f"2026-03-{n % 28 + 1:02d}")
        (stories / f"story-{n:02d}.md").write_text(text, encoding="utf-8")
    (stories / "no-front-matter.md").write_text("Just text.\n", encoding="utf-8")
    (stories / "bad-yaml.md").write_text("---\ntitle: [unclosed\n---\nBody\n", encoding="utf-8")
    (stories / "bad-date.md").write_text(story(id="s-0000dddd", date="2026-13-40"), encoding="utf-8")
    (tmp_path / "content" / "updates").mkdir()
    (tmp_path / "content" / "updates" / "news.md").write_text(update(), encoding="utf-8")
    results = []
    for parallel_from in (10**9, 5):
        monkeypatch.setattr(loader, "PARALLEL_FROM", parallel_from)
        loader._memo.clear()  # parse every file again
        results.append(loader.load_content(tmp_path / "content"))
    alone, shared = results
    assert shared.require() == alone.require()
    assert len(alone.require().stories) == 40
    assert shared.problems == alone.problems
    assert {p.file.rsplit("/", 1)[-1] for p in alone.problems} >= {
        "no-front-matter.md",
        "bad-yaml.md",
        "bad-date.md",
    }


def _configure(project: Path, parallel: bool) -> Path:
    config_file = project / "mkdocs.yml"
    text = config_file.read_text(encoding="utf-8")
    config_file.write_text(
        text.replace("  - followhome:\n", f"  - followhome:\n      parallel: {str(parallel).lower()}\n", 1),
        encoding="utf-8",
    )
    return config_file


def _build(project: Path, parallel: bool) -> tuple[dict[str, bytes], MkDocsConfig]:
    """Every file of the site built with ``parallel``, by path, and the build's config."""
    config = load_config(config_file=str(_configure(project, parallel)), strict=False)
    build(config)
    site = project / "site"
    files = {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}
    assert "search/search_index.json" in files and "sitemap.xml.gz" in files
    return files, config


def _differing(one: dict[str, bytes], other: dict[str, bytes]) -> list[str]:
    """Paths that are in one site only, or hold different bytes."""
    return sorted(path for path in one.keys() | other.keys() if one.get(path) != other.get(path))


def _plugins(config: MkDocsConfig) -> set[str]:
    return {name for name, plugin in config.plugins.items() if not isinstance(plugin, ModuleType)}


@needs_fork
@pytest.mark.usefixtures("small_shares", "two_cores")
def test_every_file_of_the_demo_is_the_same_with_the_workers(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Every file of the site (pages, search index, sitemap, feeds, cards, styles), byte for
    byte, with and without the workers, built with every Markdown extension and plugin on the
    lists the speed path trusts (and the demo's footer hook)."""
    alone, _ = _build(copy_demo(tmp_path / "alone").root, parallel=False)
    assert mode_lines(caplog) == [IN_THIS_PROCESS + "`parallel: false` in mkdocs.yml"]
    shared, config = _build(copy_demo(tmp_path / "shared").root, parallel=True)
    [line] = mode_lines(caplog)
    assert re.fullmatch(
        r"followhome: pages rendered on 2 cores \(Linux, mkdocs build, every Markdown extension and "
        r"plugin tested, \d+ pages, 2 cores usable\)",
        line,
    ), line
    plugin = config.plugins["followhome"]
    assert plugin.prerendered > 0  # Markdown rendered by a worker
    assert plugin.filled > 0  # templates filled by a worker
    assert {extension_name(e) for e in config.markdown_extensions} == TESTED_EXTENSIONS
    assert _plugins(config) == TESTED_PLUGINS
    assert "hooks/footer.py" in config.plugins
    assert len(shared) > 50
    assert _differing(alone, shared) == []


EVERY_EXTENSION = """

*[HTML]: HyperText Markup Language

Some HTML for the abbreviation.

!!! note "An admonition"

    Inside the admonition.

??? tip "Details"

    Hidden until opened.

| Wine | Price |
| ---- | ----: |
| Red  | 12    |

```python
print("superfences")
```

~~~
plain fenced
~~~

:material-glass-wine: :octicons-heart-16:

A paragraph with attributes.
{ .fh-extension-test }

<div markdown>
**Markdown in HTML**
</div>

## A heading for the table of contents
"""


@needs_fork
@pytest.mark.slow
@pytest.mark.usefixtures("two_cores")
def test_every_file_of_a_generated_site_is_the_same_with_the_workers(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """300 stories and 20 updates (past the real threshold: no small shares), one story using
    every Markdown extension on the list: every file, byte for byte."""
    built, configs = {}, {}
    for parallel in (False, True):
        root = generate(tmp_path / str(parallel), stories=300, updates=20)
        # On the site only: the email plugin has its own rules about tables and images.
        path = root / "content" / "stories" / "story-00007.md"
        text = path.read_text(encoding="utf-8")
        assert "channels: [site, feed, email, social]" in text
        text = text.replace("channels: [site, feed, email, social]", "channels: [site]", 1)
        path.write_text(text + EVERY_EXTENSION, encoding="utf-8")
        built[parallel], configs[parallel] = _build(root, parallel)
    lines = mode_lines(caplog)
    assert lines[0] == IN_THIS_PROCESS + "`parallel: false` in mkdocs.yml"
    assert re.fullmatch(
        r"followhome: pages rendered on 2 cores \(.*, 3\d\d pages, 2 cores usable\)", lines[1]
    )
    assert len(lines) == 2
    plugin = configs[True].plugins["followhome"]
    assert plugin.prerendered > 100
    assert plugin.filled > 100
    page = built[True]["stories/story-00007/index.html"]
    for made in (
        b'class="admonition note"',
        b"<details",
        b"<table>",
        b"<abbr",
        b"fh-extension-test",
        b"twemoji",
    ):
        assert made in page, made
    assert len(built[True]) > 700  # pages, cards, feeds, search index, sitemap, assets
    assert _differing(built[False], built[True]) == []


@needs_fork
@pytest.mark.usefixtures("small_shares", "two_cores")
def test_an_extension_not_on_the_list_keeps_every_page_in_this_process(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    project = copy_demo(tmp_path / "project")
    config_file = project.root / "mkdocs.yml"
    text = config_file.read_text(encoding="utf-8")
    config_file.write_text(
        text.replace("markdown_extensions:\n", "markdown_extensions:\n  - footnotes\n", 1), encoding="utf-8"
    )
    with (project.content / "stories" / "the-corked-bottle.md").open("a", encoding="utf-8") as file:
        file.write("\nThey told us why.[^why]\n\n[^why]: The cork had let the air in.\n")
    pages, config = _build(project.root, parallel=True)
    assert mode_lines(caplog) == [
        IN_THIS_PROCESS
        + "the Markdown extension 'footnotes' is not on the list tested with the parallel renderer"
    ]
    plugin = config.plugins["followhome"]
    assert plugin.prerendered == plugin.filled == 0
    assert b"The cork had let the air in." in pages["stories/the-corked-bottle/index.html"]


GLOSSARY_HOOK = """\
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

SEEN = []


class Collect(Treeprocessor):
    def run(self, root):
        SEEN.append(" ".join("".join(root.itertext()).split())[:60])


class Glossary(Extension):
    def extendMarkdown(self, md):
        md.treeprocessors.register(Collect(md), "glossary", 0)


def on_config(config):
    config.markdown_extensions.append(Glossary())
    return config


def on_post_build(config):
    with open(config.config_file_path.replace("mkdocs.yml", "glossary.txt"), "w") as file:
        file.write("\\n".join(sorted(SEEN)))
"""


TOKEN = re.compile(r"fhblock[0-9a-f]+x[0-9]+")


@needs_fork
@pytest.mark.usefixtures("small_shares", "two_cores")
def test_what_an_extension_collects_while_pages_render_is_all_kept(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """An extension a plugin adds as an instance (as mkdocs-autorefs does) collecting from every
    page: with `parallel: true` it sees every page, as with `parallel: false`."""
    collected = {}
    for parallel in (False, True):
        project = copy_demo(tmp_path / str(parallel)).root
        (project / "hooks" / "glossary.py").write_text(GLOSSARY_HOOK, encoding="utf-8")
        config_file = project / "mkdocs.yml"
        text = config_file.read_text(encoding="utf-8")
        config_file.write_text(
            text.replace("hooks:\n", "hooks:\n  - hooks/glossary.py\n", 1), encoding="utf-8"
        )
        _, config = _build(project, parallel)
        text = (project / "glossary.txt").read_text(encoding="utf-8")
        collected[parallel] = sorted(TOKEN.sub("", text).splitlines())  # tokens are new each build
    assert len(collected[False]) >= 15  # one entry for each page rendered
    assert collected[True] == collected[False]
    assert mode_lines(caplog)[1] == (
        IN_THIS_PROCESS + "the Markdown extension 'hooks/glossary.py.Glossary' is not on the list "
        "tested with the parallel renderer"
    )
    assert config.plugins["followhome"].prerendered == config.plugins["followhome"].filled == 0


@needs_fork
@pytest.mark.usefixtures("small_shares", "two_cores")
def test_a_plugin_not_on_the_list_keeps_every_page_in_this_process(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    project = copy_demo(tmp_path / "project").root
    config_file = project / "mkdocs.yml"
    text = config_file.read_text(encoding="utf-8")
    config_file.write_text(text.replace("plugins:\n", "plugins:\n  - tags\n", 1), encoding="utf-8")
    _, config = _build(project, parallel=True)
    assert mode_lines(caplog) == [
        IN_THIS_PROCESS + "the plugin 'material/tags' is not on the list tested with the parallel renderer"
    ]
    assert config.plugins["followhome"].prerendered == config.plugins["followhome"].filled == 0


def test_mkdocs_build_says_which_mode_ran_and_why_once(tmp_path: Path) -> None:
    """The INFO line as an editor sees it, once per build (the demo is too small for workers)."""
    project = copy_demo(tmp_path / "project")
    run = run_tool("mkdocs", "build", "--strict", cwd=project.root)
    assert run.returncode == 0, run.stderr
    lines = [line for line in run.stderr.splitlines() if "followhome: pages rendered" in line]
    assert len(lines) == 1, run.stderr
    assert re.fullmatch(
        r"INFO +- +followhome: pages rendered in this process: \d+ pages to render, fewer than the "
        r"200 worth sharing \(100 for each process\)",
        lines[0],
    ), lines


@needs_fork
@pytest.mark.usefixtures("small_shares", "two_cores")
def test_warnings_of_pages_rendered_by_workers_are_logged_once(
    tmp_path: Path, mkdocs_warnings: WarningLog
) -> None:
    """A broken link in every story: each story's warning once, as without the workers,
    so `--strict` fails the same way."""
    found = {}
    for parallel in (False, True):
        project = copy_demo(tmp_path / str(parallel))
        for path in (project.content / "stories").glob("*.md"):
            with path.open("a", encoding="utf-8") as file:
                file.write("\nSee [our old page](gone.md).\n")
        _, config = _build(project.root, parallel)
        found[parallel] = [m for m in mkdocs_warnings.take() if "gone.md" in m]
        assert (config.plugins["followhome"].prerendered > 0) == parallel
    assert found[True] == found[False]
    assert len(found[True]) >= 5


STAMP_HOOK = """\
def on_page_markdown(markdown, page, config, files):
    src = page.file.src_uri
    if src.startswith("stories/") and src != "stories/index.md":
        return markdown + "\\n\\nStamped by a hook.\\n"
    return markdown
"""


@needs_fork
@pytest.mark.usefixtures("small_shares", "two_cores")
def test_a_page_another_plugin_changed_is_rendered_again(tmp_path: Path) -> None:
    project = copy_demo(tmp_path / "project").root
    (project / "hooks" / "stamp.py").write_text(STAMP_HOOK, encoding="utf-8")
    config_file = project / "mkdocs.yml"
    text = config_file.read_text(encoding="utf-8")
    config_file.write_text(text.replace("hooks:\n", "hooks:\n  - hooks/stamp.py\n", 1), encoding="utf-8")
    pages, config = _build(project, parallel=True)
    stamped = [p for p in pages if p.startswith("stories/") and b"Stamped by a hook." in pages[p]]
    listed = [p for p in pages if b'class="fh-story-details"' in pages[p]]  # every story page
    assert sorted(stamped) == sorted(listed)
    assert config.plugins["followhome"].prerendered > 0  # the other pages still took the workers' work


def test_collector_settings_come_back_after_a_build(tmp_path: Path, mkdocs_warnings: WarningLog) -> None:
    before = gc.get_threshold()
    assert before != BUILD_THRESHOLDS
    project = minimal_project(tmp_path / "ok")
    (project / "watch.py").write_text(
        "import gc\n\ndef on_files(files, config):\n    config.extra['gc'] = list(gc.get_threshold())\n",
        encoding="utf-8",
    )
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as file:
        file.write("hooks:\n  - watch.py\n")
    config = load_config(config_file=str(project / "mkdocs.yml"), strict=False)
    build(config)
    assert config.extra["gc"] == list(BUILD_THRESHOLDS)
    assert gc.get_threshold() == before
    broken = minimal_project(tmp_path / "broken")
    (broken / "content" / "brand.yml").write_text("name: [unclosed\n", encoding="utf-8")
    with pytest.raises(Abort):
        build(load_config(config_file=str(broken / "mkdocs.yml"), strict=False))
    assert any("brand.yml" in message for message in mkdocs_warnings.take())
    assert gc.get_threshold() == before


@needs_fork
@pytest.mark.usefixtures("small_shares", "two_cores")
def test_a_nav_written_in_mkdocs_yml_keeps_its_titles(tmp_path: Path, mkdocs_warnings: WarningLog) -> None:
    """MkDocs keeps a page a plugin made for a file: the workers' pages are made only for
    files the nav does not name, so the nav's own titles stay."""
    project = copy_demo(tmp_path / "project").root
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as file:
        file.write(
            "nav:\n  - Welcome: index.md\n  - Every story: stories/index.md\n  - Sign up: subscribe.md\n"
        )
    pages, config = _build(project, parallel=True)
    mkdocs_warnings.take()  # the value pages are left out of this nav on purpose
    assert config.plugins["followhome"].prerendered > 0
    assert config.plugins["followhome"].filled > 0
    tree = html.fromstring(pages["stories/the-corked-bottle/index.html"])
    tabs = [" ".join(a.text_content().split()) for a in tree.cssselect("a.md-tabs__link")]
    assert tabs == ["Welcome", "Every story", "Sign up"]


COUNT_HOOK = """\
seen = []

def on_page_context(context, page, config, nav):
    seen.append(page.file.src_uri)
    if page.file.src_uri.startswith("stories/"):
        page.content += f"<p>Page {len(seen)} this process filled.</p>"
    return context
"""


@needs_fork
@pytest.mark.usefixtures("small_shares", "two_cores")
def test_a_hook_running_while_templates_are_filled_keeps_every_page_in_this_process(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A hook that counts pages in on_page_context would count differently in a worker: the
    speed path stays off, says why, and every page counts as in one process."""
    built = {}
    for parallel in (False, True):
        project = copy_demo(tmp_path / str(parallel)).root
        (project / "hooks" / "count.py").write_text(COUNT_HOOK, encoding="utf-8")
        config_file = project / "mkdocs.yml"
        text = config_file.read_text(encoding="utf-8")
        config_file.write_text(text.replace("hooks:\n", "hooks:\n  - hooks/count.py\n", 1), encoding="utf-8")
        built[parallel], config = _build(project, parallel)
    assert mode_lines(caplog)[1] == (
        IN_THIS_PROCESS + "the hook 'hooks/count.py' implements on_page_context, which would run in the "
        "other processes"
    )
    assert config.plugins["followhome"].prerendered == config.plugins["followhome"].filled == 0
    assert _differing(built[False], built[True]) == []
    counted = [path for path in built[True] if b"this process filled" in built[True][path]]
    assert len(counted) >= 5
