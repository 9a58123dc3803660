"""Two builds in one process, as `mkdocs serve` does: same pages, no leftover state."""

from __future__ import annotations

from mkdocs.commands.build import build
from mkdocs.config import load_config

from tests.conftest import Project


def _snapshot(project: Project) -> dict[str, str]:
    return {p: t for p, t in project.site_text().items() if not p.endswith("sitemap.xml.gz")}


def test_same_pages_when_built_twice_with_one_plugin_instance(demo: Project) -> None:
    config = load_config(config_file=str(demo.root / "mkdocs.yml"), strict=True)
    build(config)
    first = _snapshot(demo)
    # Reuse the same config and plugin instances, as serve does for cached plugins.
    config = load_config(config_file=str(demo.root / "mkdocs.yml"), strict=True)
    build(config)
    build(config)
    assert _snapshot(demo) == first


def test_rebuild_picks_up_an_edit_and_a_withdrawal(demo: Project) -> None:
    config = load_config(config_file=str(demo.root / "mkdocs.yml"), strict=True)
    build(config)
    story = demo.content / "stories" / "supper-on-a-tuesday.md"
    text = story.read_text(encoding="utf-8")
    story.write_text(text.replace("title: ", "title: Edited — ", 1), encoding="utf-8")
    build(config)
    page = (demo.site / "stories" / "supper-on-a-tuesday" / "index.html").read_text(encoding="utf-8")
    assert "Edited — " in page
    listing = (demo.site / "stories" / "index.html").read_text(encoding="utf-8")
    assert listing.count("supper-on-a-tuesday/") == 1  # no duplicated entries across rebuilds

    story.write_text(
        text.replace("  reference:", "  withdrawn: 2026-11-20\n  reference:", 1), encoding="utf-8"
    )
    build(config)
    notice = (demo.site / "stories" / "supper-on-a-tuesday" / "index.html").read_text(encoding="utf-8")
    assert "This story is no longer published" in notice
    assert "Callum" not in notice
    assert "supper-on-a-tuesday" not in (demo.site / "stories" / "index.html").read_text(encoding="utf-8")
