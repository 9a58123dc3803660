"""Golden pages: small content in, the generated pages' Markdown out.

Each case is one file, ``tests/golden/pages/<case>.yml``:

``today``
    the day the edition is published on;
``options``
    :class:`SiteOptions` fields, if any differ from the defaults;
``pages``
    the source paths of the generated pages the case pins;
``input``
    ``brand.yml`` and the content files, by path under ``content/``;
``problems``
    what the loader reports about that content (``str`` of each problem; "(reported only)"
    when it does not keep the item out);
``site``
    every page the site gets;
``output``
    for each page in ``pages``: its ``markdown``, its indexed ``blocks`` and ``unindexed``
    blocks of HTML by token, and ``sanitised``/``regions`` when set.

Tokens and region markers hold a random nonce for each build: it reads ``NONCE`` here.
``pytest --update-golden`` writes ``problems``, ``site`` and ``output`` from what the code makes
now (a new case needs only the first four keys); review the diff before committing it.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from followhome.model.loader import load_content
from followhome.pages.generate import GeneratedPage, SiteOptions, site_pages
from followhome.publishing.edition import Edition
from tests.golden_files import assert_same, dump_yaml, read_text, write_text

CASES = Path(__file__).parents[1] / "golden" / "pages"
INPUT_KEYS = ("today", "options", "pages", "input")
NONCE = re.compile(r"(?:fhblock|fhuntrusted)([0-9a-f]{12})")


def _generate(case: dict[str, Any], content: Path) -> tuple[list[str], list[GeneratedPage]]:
    for rel, text in case["input"].items():
        write_text(content / rel, text)
    result = load_content(content)
    problems = [str(p) if p.blocks else f"{p} (reported only)" for p in result.problems]
    catalog = result.require()
    today = case["today"]
    edition = Edition(catalog, today if isinstance(today, date) else date.fromisoformat(today))
    return problems, site_pages(edition, SiteOptions(**case.get("options", {})))


def _nonce(pages: list[GeneratedPage]) -> str:
    """The one nonce of this build's tokens and region markers."""
    texts = [page.markdown + page.regions + "".join(page.blocks) + "".join(page.unindexed) for page in pages]
    found: set[str] = {match for text in texts for match in NONCE.findall(text)}
    assert len(found) == 1, f"one nonce per build, found {sorted(found)}"
    return found.pop()


def _recorded(page: GeneratedPage, nonce: str) -> dict[str, Any]:
    def plain(text: str) -> str:
        return text.replace(nonce, "NONCE")

    out: dict[str, Any] = {
        "markdown": plain(page.markdown),
        "blocks": {plain(token): plain(block) for token, block in page.blocks.items()},
        "unindexed": {plain(token): plain(block) for token, block in page.unindexed.items()},
    }
    if page.sanitised:
        out["sanitised"] = True
    if page.regions:
        out["regions"] = plain(page.regions)
    return out


def _made(case: dict[str, Any], content: Path) -> dict[str, Any]:
    """``problems``, ``site`` and ``output`` as the code makes them today."""
    problems, pages = _generate(case, content)
    by_uri = {page.src_uri: page for page in pages}
    assert len(by_uri) == len(pages), "two pages at one source path"
    missing = [uri for uri in case["pages"] if uri not in by_uri]
    assert not missing, f"the case pins pages the site does not have: {missing}"
    nonce = _nonce(pages)
    return {
        "problems": problems,
        "site": [page.src_uri for page in pages],
        "output": {uri: _recorded(by_uri[uri], nonce) for uri in case["pages"]},
    }


@pytest.mark.parametrize("path", sorted(CASES.glob("*.yml")), ids=lambda path: path.stem)
def test_golden_page(path: Path, tmp_path: Path, update_golden: bool) -> None:
    case = yaml.safe_load(read_text(path))
    assert set(case) - {"problems", "site", "output"} <= set(INPUT_KEYS), sorted(case)
    assert case["pages"] and case["input"], "a case needs pages to pin and content to make them from"
    made = {key: case[key] for key in INPUT_KEYS if key in case} | _made(case, tmp_path / "content")
    if update_golden:
        write_text(path, dump_yaml(made))
        case = made
    assert "output" in case, f"{path.name} has no output yet: run pytest --update-golden"
    if made != case:  # the diff's line numbers are the file's
        assert_same(dump_yaml(case), dump_yaml(made), path.name, "review, then pytest --update-golden")


def test_cases_cover_every_kind_of_generated_page() -> None:
    pinned = {uri for path in CASES.glob("*.yml") for uri in yaml.safe_load(read_text(path))["pages"]}
    kinds = {
        "home": {"index.md"},
        "values index": {"values/index.md"},
        "subscribe": {"subscribe.md"},
        "policy": {"how-we-choose-stories.md"},
        "stories listing": {"stories/index.md"},
        "updates listing": {"updates/index.md"},
    }
    for kind, uris in kinds.items():
        assert uris & pinned, kind
    pattern_kinds = {
        "value page 2": r"values/[^/]+/page/2\.md",
        "stories page 2": r"stories/page/2\.md",
        "story": r"stories/(?!index\.md$)[^/]+\.md",
        "update": r"updates/(?!index\.md$)[^/]+\.md",
        "value": r"values/(?!index\.md$)[^/]+\.md",
    }
    for kind, pattern in pattern_kinds.items():
        assert any(re.fullmatch(pattern, uri) for uri in pinned), kind


def test_each_build_draws_a_new_nonce(tmp_path: Path) -> None:
    """The golden files read NONCE for it; an editor could close a region with a fixed one."""
    case = yaml.safe_load(read_text(CASES / "home.yml"))
    first = _nonce(_generate(case, tmp_path / "a")[1])
    assert first != _nonce(_generate(case, tmp_path / "b")[1])
