"""What a build keeps between runs is checked before use and holds only what the build used.

Every cached artifact that reaches an output (social cards, parsed front matter, tone
scores, reused outbox folders) is verified against the checksum recorded when it was
written; a damaged one is made again with an INFO line naming it. After a build each cache
holds only the entries that build used, so an edited or withdrawn story's old words leave
``.cache/`` and ``outbox/``.
"""

from __future__ import annotations

import json
import logging
import os
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from followhome.cache.textcache import text_key
from followhome.email import sync as email_sync
from followhome.email.outbox import MARKER
from followhome.mkdocs import sharing
from followhome.model.fmcache import FILE as FRONT_MATTER
from followhome.model.fmcache import FrontMatterCache
from followhome.model.frontmatter import parse_document
from followhome.pages.cards import Card, CardCache, draw_card
from followhome.tone.cache import FILE as TONE_SCORES
from followhome.tone.cache import ScoreCache
from followhome.tone.scorer import score
from tests.conftest import ROOT, Project, ask_for_every_email, copy_demo, run_tool

STORY = "stories/supper-on-a-tuesday.md"
OLD = {
    "quote": "save good wine for weekends",
    "title": "Supper on a Tuesday",
    "body": "Callum cooks most nights",
}
NEW = {
    "quote": "keep a bottle open midweek",
    "title": "A Tuesday supper",
    "body": "Callum makes dinner most nights",
}


def _cache(project: Project) -> Path:
    return project.root / ".cache" / "followhome"


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _built(project: Project) -> str:
    """``mkdocs build --strict`` in a new process (nothing remembered in this one); its log."""
    run = project.run_build()
    assert run.returncode == 0, run.stderr
    return run.stderr


def _info(log: str, *words: str) -> list[str]:
    return [line for line in log.splitlines() if line.startswith("INFO") and all(w in line for w in words)]


def _rows(path: Path, section: str) -> dict[str, Any]:
    return dict(json.loads(path.read_text(encoding="utf-8"))[section])


def _replace(path: Path, data: bytes) -> None:
    """Put ``data`` at ``path`` as a new file (a restore from a CI cache, say): links to the old
    file, such as a card in the previous site, keep the old bytes."""
    other = path.with_name("replacement")
    other.write_bytes(data)
    other.replace(path)


# --- social cards -------------------------------------------------------------------------


def test_a_damaged_card_is_drawn_again_and_the_previous_site_keeps_its_own(demo: Project) -> None:
    _built(demo)
    previous = demo.root / "previous-site"
    demo.site.rename(previous)
    cards = _cache(demo) / "cards"
    names = {data: name for name, data in _files(cards).items()}
    corked = previous / "assets" / "cards" / "stories" / "the-corked-bottle.jpg"
    waste = previous / "assets" / "cards" / "values" / "less-waste.jpg"
    good = {corked: corked.read_bytes(), waste: waste.read_bytes()}
    cut, flipped = names[good[corked]], names[good[waste]]
    _replace(cards / cut, good[corked][: len(good[corked]) // 2])  # a partial restore
    middle = len(good[waste]) // 2  # one bit changed, the size the same: only a checksum sees it
    _replace(
        cards / flipped, good[waste][:middle] + bytes([good[waste][middle] ^ 1]) + good[waste][middle + 1 :]
    )
    untouched = {name: (cards / name).stat().st_mtime_ns for name in names.values()} | {cut: 0, flipped: 0}

    log = _built(demo)

    assert len(_info(log, "social card", cut, "stories/the-corked-bottle.md", "drawn again")) == 1, log
    assert len(_info(log, "social card", flipped, "values/less-waste.md", "drawn again")) == 1, log
    assert len(_info(log, "social card")) == 2
    for old, data in good.items():
        assert old.read_bytes() == data  # the previous site's card was not rewritten in place
        assert (demo.site / old.relative_to(previous)).read_bytes() == data
    assert _files(cards) == {name: data for data, name in names.items()}
    redrawn = {name for name in names.values() if (cards / name).stat().st_mtime_ns != untouched[name]}
    assert redrawn == {cut, flipped}


def _card(n: int) -> Card:
    return Card("Shop", f"Title {n}", f"Words of story {n}", "#6d1f33", "#b8860b")


def test_the_card_cache_checks_bytes_and_keeps_only_whole_cards(tmp_path: Path) -> None:
    cache = CardCache(tmp_path / "cards")
    cards = [_card(n) for n in range(3)]
    first = cache.ensure(cards)
    assert (first.drawn, first.damaged) == (3, ())
    index = cache.index()
    for card in cards:
        data = draw_card(card)
        assert (cache.folder / index[card.key]).read_bytes() == data
    damaged = cache.folder / index[cards[1].key]
    data = bytearray(damaged.read_bytes())
    data[len(data) // 3] ^= 0x10
    _replace(damaged, bytes(data))
    (cache.folder / f"{index[cards[0].key]}.123.456.tmp").write_bytes(b"what a killed build was writing")
    (cache.folder / f"{cards[2].key}.jpg").write_bytes(draw_card(cards[2]))  # older code's name
    again = CardCache(cache.folder)
    for card in cards[:2]:
        again.use(card)
    ensured = again.ensure(cards[:2])
    assert (ensured.drawn, ensured.damaged) == (1, (damaged.name,))
    assert damaged.read_bytes() == draw_card(cards[1])
    again.prune()  # the third card is not used: it goes, with the partial and the old name
    assert sorted(p.name for p in again.folder.iterdir()) == sorted(index[c.key] for c in cards[:2])


# --- JSON caches: front matter and tone scores -----------------------------------------------


@pytest.fixture
def info(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    with caplog.at_level(logging.INFO, logger="mkdocs"):
        yield caplog


def _cut_points(data: bytes) -> list[int]:
    """Every line boundary (and one byte either side) and 40 points between them."""
    ends = [i for i, byte in enumerate(data) if byte == ord("\n")]
    points = {p for end in ends for p in (end - 1, end, end + 1)} | set(range(0, len(data), len(data) // 40))
    return sorted(p for p in points if 0 <= p < len(data))


def _whole_rows(data: bytes, cut: int) -> int:
    """Rows of a cache file still whole when it is cut after ``cut`` bytes (a row needs every
    byte of its line but the comma and the line's end)."""
    whole, start = 0, data.index(b"\n") + 1
    for line in data[start:].split(b"\n")[:-2]:
        start += len(line) + 1
        whole += cut >= start - 1 - line.endswith(b",")
    return whole


TEXTS = [f"Thanks to everyone who came on day {n}. Buy now, {n}% off!" for n in range(30)]


def test_tone_scores_survive_any_cut_and_garbage(tmp_path: Path, info: pytest.LogCaptureFixture) -> None:
    fresh = [score(t) for t in TEXTS]
    cache = ScoreCache(tmp_path)
    assert [cache(t) for t in TEXTS] == fresh
    cache.save()
    data = (tmp_path / TONE_SCORES).read_bytes()
    assert ScoreCache(tmp_path).saved.keys() == {text_key(t) for t in TEXTS}
    rng = random.Random(7)
    damages = [data[:cut] for cut in _cut_points(data)]
    damages += [bytes(rng.randrange(256) for _ in range(len(data))), b"", b"\x00" * 100, b"{" * 5]
    for damaged in damages:
        (tmp_path / TONE_SCORES).write_bytes(damaged)
        info.clear()
        cache = ScoreCache(tmp_path)
        assert [cache(t) for t in TEXTS] == fresh
        if damaged == data[: len(damaged)]:
            assert cache.misses == len(TEXTS) - _whole_rows(data, len(damaged))
        if damaged:
            assert any(TONE_SCORES in r.getMessage() for r in info.records), len(damaged)
        cache.save()
        assert (tmp_path / TONE_SCORES).read_bytes() == data  # written again, whole


def test_a_changed_tone_score_is_not_used(tmp_path: Path, info: pytest.LogCaptureFixture) -> None:
    cache = ScoreCache(tmp_path)
    loud = cache(TEXTS[3])
    cache(TEXTS[4])
    cache.save()
    path = tmp_path / TONE_SCORES
    lines = path.read_bytes().split(b"\n")
    assert lines[1].startswith(f'"{text_key(TEXTS[3])}"'.encode())
    volume = json.dumps(loud.volume).encode()
    assert volume in lines[1] and volume != b"0.0"
    lines[1] = lines[1].replace(b"[" + volume + b",", b"[0.0,", 1)  # still valid JSON, quieter
    path.write_bytes(b"\n".join(lines))
    json.loads(path.read_bytes())
    again = ScoreCache(tmp_path)
    assert again(TEXTS[3]) == loud
    assert again(TEXTS[4]) == score(TEXTS[4])
    assert again.misses == 1
    [message] = [r.getMessage() for r in info.records]
    assert f"{TONE_SCORES}, line 2 (entry {text_key(TEXTS[3])})" in message
    assert "made again" in message


def test_front_matter_survives_any_cut(tmp_path: Path, info: pytest.LogCaptureFixture) -> None:
    texts = sorted(p.read_text(encoding="utf-8") for p in (ROOT / "content" / "stories").glob("*.md"))
    documents = [parse_document(t) for t in texts]
    cache = FrontMatterCache(tmp_path)
    for text, document in zip(texts, documents, strict=True):
        cache.put(text, document)
    cache.save()
    data = (tmp_path / FRONT_MATTER).read_bytes()
    assert _whole_rows(data, len(data)) == len(texts)
    for cut in _cut_points(data):
        (tmp_path / FRONT_MATTER).write_bytes(data[:cut])
        cache = FrontMatterCache(tmp_path)
        found = [cache.get(t) for t in texts]
        assert sum(d is not None for d in found) == _whole_rows(data, cut)
        assert all(d is None or d == documents[i] for i, d in enumerate(found))


def test_an_entry_changed_in_the_front_matter_cache_is_parsed_again(demo: Project) -> None:
    _built(demo)
    path = _cache(demo) / FRONT_MATTER
    text = path.read_text(encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if OLD["quote"] in row)
    path.write_text(text.replace("for weekends", "for birthdays", 1), encoding="utf-8")
    assert json.loads(path.read_text(encoding="utf-8"))  # still valid JSON: only the checksum tells

    log = _built(demo)

    assert len(_info(log, f"{FRONT_MATTER}, line {line} (entry", "made again")) == 1, log
    page = (demo.site / "stories" / "supper-on-a-tuesday" / "index.html").read_text(encoding="utf-8")
    assert OLD["quote"] in page and "birthdays" not in page
    assert "birthdays" not in path.read_text(encoding="utf-8")
    assert not _info(_built(demo), FRONT_MATTER)  # written again whole


# --- the outbox -------------------------------------------------------------------------------


def _outbox(project: Project) -> dict[str, tuple[bytes, int]]:
    root = project.root / "outbox"
    return {
        p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_a_reused_outbox_folder_that_changed_is_composed_again(demo: Project) -> None:
    ask_for_every_email(demo)  # every folder: the ones left alone must stay untouched
    _built(demo)
    before = _outbox(demo)
    outbox = (demo.root / "outbox" / "stories").resolve()
    email = outbox / "supper-on-a-tuesday" / "email.html"
    email.write_bytes(email.read_bytes()[:1000])  # cut short
    sms = outbox / "the-corked-bottle" / "sms.txt"
    sms.write_bytes(sms.read_bytes().replace(b"o", b"0", 1))  # the same size
    (outbox / "a-wedding-without-leftovers" / "notes.txt").write_text("mine", encoding="utf-8")
    (outbox / "choosing-by-the-label" / "fragment.txt").unlink()

    log = _built(demo)

    for folder, problem in [
        ("supper-on-a-tuesday", "email.html does not match the checksum"),
        ("the-corked-bottle", "sms.txt does not match the checksum"),
        ("a-wedding-without-leftovers", "notes.txt was not written by followhome"),
        ("choosing-by-the-label", "fragment.txt is missing"),
    ]:
        assert len(_info(log, f"outbox folder {outbox / folder}: {problem}")) == 1, log
    assert "4 folders written" in log
    after = _outbox(demo)
    assert {p: data for p, (data, _) in after.items()} == {p: data for p, (data, _) in before.items()}
    changed = {p.split("/")[1] for p in after if p != MARKER and after[p][1] != before[p][1]}
    assert changed == {
        "supper-on-a-tuesday",
        "the-corked-bottle",
        "a-wedding-without-leftovers",
        "choosing-by-the-label",
    }


def test_the_worker_processes_check_cards_and_outbox_folders_too(
    demo: Project, monkeypatch: pytest.MonkeyPatch, info: pytest.LogCaptureFixture
) -> None:
    started: list[object] = []

    def counted(module: Any) -> None:
        class Counted(module.Background):
            def __init__(self, work: Any) -> None:
                started.append(module)
                super().__init__(work)

        monkeypatch.setattr(module, "Background", Counted)

    for module in (sharing, email_sync):
        counted(module)
        monkeypatch.setattr(module, "CHECK_PARALLEL_FROM", 1)  # the demo's 17 cards and folders
    ask_for_every_email(demo)
    demo.build()
    assert started == []  # drawn and composed in this process: nothing to check yet
    card = demo.site / "assets" / "cards" / "stories" / "the-corked-bottle.jpg"
    cached = next(p for p in (_cache(demo) / "cards").iterdir() if p.read_bytes() == card.read_bytes())
    good_card, email = card.read_bytes(), demo.root / "outbox" / "stories" / "the-corked-bottle" / "email.txt"
    good_email = email.read_bytes()
    _replace(cached, good_card[:-100])
    email.write_bytes(good_email.replace(b"the", b"teh", 1))
    info.clear()

    demo.build()

    assert sharing in started and email_sync in started
    messages = [r.getMessage() for r in info.records]
    assert any(f"social card {cached}" in m and "drawn again" in m for m in messages), messages
    assert any("the-corked-bottle: email.txt does not match the checksum" in m for m in messages)
    assert card.read_bytes() == cached.read_bytes() == good_card
    assert email.read_bytes() == good_email


# --- caches hold only what the build used -----------------------------------------------------


def _edit(project: Project) -> None:
    path = project.content / STORY
    text = path.read_text(encoding="utf-8")
    for part, old in OLD.items():
        assert text.count(old) == 1, part
        text = text.replace(old, NEW[part])
    path.write_text(text, encoding="utf-8")


def _ask_for_story(project: Project) -> None:
    """``followhome email`` for STORY, older than the outbox's window, by its file."""
    asked = run_tool("followhome", "email", f"content/{STORY}", cwd=project.root)
    assert asked.returncode == 0, asked.stdout + asked.stderr


def _cards(project: Project) -> set[str]:
    return {p.name for p in (_cache(project) / "cards").iterdir()}


def _entries(project: Project) -> dict[str, set[str]]:
    cache = _cache(project)
    return {
        "cards": _cards(project),
        "front matter": set(_rows(cache / FRONT_MATTER, "documents")),
        "tone scores": set(_rows(cache / TONE_SCORES, "scores")),
        "files": {p.relative_to(cache).as_posix() for p in cache.rglob("*") if p.is_file()},
    }


def test_an_edited_storys_old_words_and_card_leave_every_cache(demo: Project, tmp_path: Path) -> None:
    _ask_for_story(demo)
    _built(demo)
    old_card = (demo.site / "assets" / "cards" / "stories" / "supper-on-a-tuesday.jpg").read_bytes()
    kept = [demo.root / ".cache", demo.root / "outbox"]

    def holding(words: str, roots: list[Path] = kept) -> list[str]:
        return [
            str(p)
            for root in roots
            for p in root.rglob("*")
            if p.is_file() and words.encode() in p.read_bytes()
        ]

    assert all(holding(words) for words in OLD.values())  # so the checks below can fail
    assert all(holding(words, [demo.root / "outbox"]) for words in OLD.values())  # the outbox too
    assert any(p.read_bytes() == old_card for p in (_cache(demo) / "cards").iterdir())
    _edit(demo)

    _built(demo)

    for part, words in OLD.items():
        assert holding(words) == [], part
    assert holding(NEW["quote"])
    assert not [p for root in kept for p in root.rglob("*") if p.is_file() and p.read_bytes() == old_card]
    clean = copy_demo(tmp_path / "clean")
    _edit(clean)
    _ask_for_story(clean)
    _built(clean)
    assert _entries(demo) == _entries(clean)
    assert _files(demo.root / "outbox") == _files(clean.root / "outbox")
    assert _files(demo.site) == _files(clean.site)


def test_a_serve_dirty_rebuild_keeps_the_cards_of_the_pages_it_skipped(
    demo: Project, mkdocs_warnings: Any, tmp_path: Path
) -> None:
    def serve_build() -> None:
        config = load_config(config_file=str(demo.root / "mkdocs.yml"), strict=False)
        config.plugins.on_startup(command="serve", dirty=True)
        build(config, dirty=True)

    serve_build()
    corked = demo.site / "stories" / "the-corked-bottle" / "index.html"
    untouched = corked.stat().st_mtime_ns
    _edit(demo)
    serve_build()
    assert corked.stat().st_mtime_ns == untouched  # the page was skipped: its card is still used
    assert all("dirty" in w for w in mkdocs_warnings.take())
    clean = copy_demo(tmp_path / "clean")
    _edit(clean)
    clean.build()
    assert _cards(demo) == _cards(clean)
    site_cards = sorted((demo.site / "assets" / "cards").rglob("*.jpg"))
    assert [p.relative_to(demo.site) for p in site_cards] == [
        p.relative_to(clean.site) for p in sorted((clean.site / "assets" / "cards").rglob("*.jpg"))
    ]
    cached = {p.read_bytes() for p in (_cache(demo) / "cards").iterdir()}
    assert all(p.read_bytes() in cached for p in site_cards)


def test_a_cache_file_left_half_written_by_a_killed_build_is_removed(tmp_path: Path) -> None:
    cache = ScoreCache(tmp_path)
    cache(TEXTS[0])
    left = tmp_path / f"{TONE_SCORES}.4242.4242.tmp"
    left.write_bytes(b'{"format":2,"code":"')
    older = tmp_path / f"{TONE_SCORES}.partial"
    older.write_bytes(b"{}")
    cache.save()
    assert sorted(os.listdir(tmp_path)) == [TONE_SCORES]


@pytest.mark.parametrize(
    "saved",
    [
        '{"code": "older followhome", "scores": {"0a1b": [9.0, 3, [["offer", "HALF PRICE", 1, 2.0]]]}}',
        '{"format":2,"code":"0123456789abcdef0123456789abcdef","scores":{\n"x":["y",["HALF PRICE"]]\n}}\n',
    ],
)
def test_another_versions_cache_is_replaced_even_when_no_row_is_used(tmp_path: Path, saved: str) -> None:
    (tmp_path / TONE_SCORES).write_text(saved, encoding="utf-8")
    cache = ScoreCache(tmp_path)
    cache.save()
    assert b"HALF PRICE" not in (tmp_path / TONE_SCORES).read_bytes()
    assert ScoreCache(tmp_path).saved == {}
