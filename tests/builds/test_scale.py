"""Stories and updates stay out of the navigation, so large sites build in linear time."""

from __future__ import annotations

from pathlib import Path

from lxml import html

from benchmarks.generate import generate
from tests.conftest import Project


def _nav_links(page: Path) -> int:
    tree = html.fromstring(page.read_text(encoding="utf-8"))
    return len(tree.cssselect("nav.md-nav--primary a.md-nav__link"))


def test_generated_site_builds_with_a_small_nav(tmp_path: Path) -> None:
    small = Project(generate(tmp_path / "small", stories=20, updates=5))
    large = Project(generate(tmp_path / "large", stories=300, updates=30))
    small.build()
    large.build()
    story = "stories/story-00007/index.html"
    # The navigation is the same size whether the site has 20 or 300 stories.
    assert _nav_links(large.site / story) == _nav_links(small.site / story)
    assert _nav_links(large.site / story) < 20
    assert len(list((large.site / "stories").glob("story-*/index.html"))) == 300
    assert sorted(p.name for p in (large.site / "stories" / "page").iterdir()) == sorted(
        str(n) for n in range(2, 16)
    )
