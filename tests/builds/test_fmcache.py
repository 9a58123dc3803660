"""Parsed front matter kept between loads: the same content every time, less YAML parsed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import followhome.model.loader as loader
from followhome.model.fmcache import FILE
from followhome.model.frontmatter import body_of, parse_document
from followhome.model.loader import LoadResult, load_content
from tests.conftest import copy_demo
from tests.helpers import minimal_project, story


def _project(root: Path, count: int = 6) -> Path:
    minimal_project(root)
    stories = root / "content" / "stories"
    stories.mkdir()
    for n in range(count):
        text = story(id=f"s-{n:08x}", title=f"Story {n}", body=f"Body {n}.\n\nMore of {n}.")
        (stories / f"story-{n}.md").write_text(text, encoding="utf-8")
    return root


class _Counting:
    """loader._parse, counting the texts it parses."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.texts: list[str] = []
        self.parse = loader._parse
        monkeypatch.setattr(loader, "_parse", self)

    def __call__(self, text: str) -> object:
        self.texts.append(text)
        return self.parse(text)


def _load(root: Path, cache: Path | None) -> LoadResult:
    loader._memo.clear()  # as a new build process: nothing parsed in this process yet
    return load_content(root / "content", cache_dir=cache)


def _same(a: LoadResult, b: LoadResult) -> None:
    assert a.require() == b.require()
    assert a.problems == b.problems


def test_body_of_is_the_body_parse_document_gives() -> None:
    for text in ("---\na: 1\n---\nBody\nmore\n", "\ufeff---\na: 1\n...\n\nBody", "---\na: 1\n---\n"):
        document = parse_document(text)
        assert body_of(text, document.body_line) == document.body


def test_a_second_load_reads_the_cache_instead_of_the_yaml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path)
    cache = tmp_path / ".cache"
    first = _load(root, cache)
    assert (cache / FILE).is_file()
    assert not list((root / "content").rglob("*.json"))  # nothing written among the editors' files
    counting = _Counting(monkeypatch)
    again = _load(root, cache)
    assert counting.texts == []
    _same(again, first)
    _same(again, _load(root, None))


def test_an_edited_file_is_parsed_again_and_a_deleted_one_forgotten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path)
    cache = tmp_path / ".cache"
    _load(root, cache)
    edited = root / "content" / "stories" / "story-2.md"
    edited.write_text(edited.read_text(encoding="utf-8").replace("Story 2", "Story two"), encoding="utf-8")
    (root / "content" / "stories" / "story-5.md").unlink()
    counting = _Counting(monkeypatch)
    result = _load(root, cache)
    assert [text.count("Story two") for text in counting.texts] == [1]
    assert "Story two" in [s.meta.title for s in result.require().stories]
    _same(result, _load(root, None))
    files = [*(root / "content").glob("stories/*.md"), *(root / "content").glob("values/*.md")]
    assert len(json.loads((cache / FILE).read_text(encoding="utf-8"))["documents"]) == len(files) == 6


@pytest.mark.parametrize(
    "damage",
    [
        "not json",
        json.dumps({"code": "someone else's", "documents": {}}),
        None,  # entries of the right key with rows of the wrong shape
    ],
)
def test_a_damaged_cache_is_ignored(tmp_path: Path, damage: str | None) -> None:
    root = _project(tmp_path)
    cache = tmp_path / ".cache"
    _load(root, cache)
    if damage is None:
        data = json.loads((cache / FILE).read_text(encoding="utf-8"))
        data["documents"] = {key: ["x", 7, None] for key in data["documents"]}
        damage = json.dumps(data)
    (cache / FILE).write_text(damage, encoding="utf-8")
    _same(_load(root, cache), _load(root, None))


def test_front_matter_json_cannot_keep_is_parsed_every_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path, count=2)
    odd = root / "content" / "stories" / "odd.md"
    # A number as a key, and a set: JSON would give back other data, so it is never cached.
    odd.write_text(story(id="s-0000eeee", extra="1: one\ntags: !!set {a, b}\n"), encoding="utf-8")
    cache = tmp_path / ".cache"
    first = _load(root, cache)
    counting = _Counting(monkeypatch)
    again = _load(root, cache)
    assert counting.texts == [odd.read_text(encoding="utf-8")]
    _same(again, first)
    assert any(p.file.endswith("odd.md") for p in first.problems)  # the model says what is wrong


def test_the_demo_builds_the_same_from_the_cache(tmp_path: Path) -> None:
    project = copy_demo(tmp_path / "demo")
    project.build()
    first = project.site_text()
    assert (project.root / ".cache" / "followhome" / FILE).is_file()
    project.build()
    assert project.site_text() == first
