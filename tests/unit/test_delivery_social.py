"""Social posts: the text (shortened at word boundaries, a name whole or out, the disclosure never
cut, measured as each network measures), and the Mastodon and Bluesky clients against stand-ins
of their APIs on 127.0.0.1 (tests/services): payloads, each item once across runs and between
two runs at once, retries, clear errors, deletion, every missing variable named."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from followhome.delivery.credentials import MissingCredentialsError
from followhome.delivery.handover import Handed, Post, idempotency_key
from followhome.delivery.http import BACKOFF, ServiceError
from followhome.delivery.social import bluesky, mastodon
from followhome.delivery.social.text import (
    ELLIPSIS,
    GRAPHEMES_EXACT,
    PostTooLongError,
    measure,
    post_text,
)
from followhome.render.items import RenderedItem
from tests.services import FakeClock, ShortTimeout
from tests.services.bluesky import TID, BlueskyStandIn
from tests.services.mastodon import RESET_AFTER, MastodonStandIn

KEY = "s-8d3c4482"
LINK = "https://shop.example/stories/ana-fixed-her-bike/?utm_source=social&utm_medium=social&utm_campaign=s-8d3c4482"
DISCLOSURE = "Disclosure: Ana P. received a discount from Cycle Shop. She paid for the rest of the repair."
FAULTS = ["429", "500", "timeout", "drop", "drop-after"]


def make_item(
    title: str = "How Ana fixed her bike",
    summary: str = "A loose chain, a quick fix, and a commute that works again.",
    author: str = "Ana P.",
    kind: str = "story",
    key: str = KEY,
) -> RenderedItem:
    return RenderedItem(
        id=key,
        tag=f"tag:shop.example,2000:{key}",
        title=title,
        url="https://shop.example/stories/ana-fixed-her-bike/",
        published=datetime(2026, 12, 1, tzinfo=UTC),
        updated=None,
        author=author,
        summary=summary,
        content_html="<p>Ana's story.</p>",
        categories=(),
        kind=kind,
    )


def make_post(text: str | None = None, key: str = KEY, link: str = LINK) -> Post:
    item = make_item(key=key)
    return Post(
        key=key,
        text=text if text is not None else post_text(item, link, DISCLOSURE, 300, None),
        link=link,
        title=item.title,
        description=item.summary,
        language="en",
    )


# the text

WORDS = [
    "Our",
    "oven",
    "broke",
    "on",
    "the",
    "busiest",
    "morning",
    "of",
    "the",
    "year",
    "and",
    "the",
    "team",
    "came",
    "at",
    "seven",
    "to",
    "fix",
    "it",
]


def _words_of(original: str, shortened: str) -> bool:
    """``shortened`` is ``original`` cut after a whole word, with an ellipsis."""
    assert shortened.endswith(ELLIPSIS)
    kept = shortened.removesuffix(ELLIPSIS).split(" ")
    words = original.split(" ")
    return kept == words[: len(kept)] or (
        kept[:-1] == words[: len(kept) - 1] and words[len(kept) - 1].startswith(kept[-1])
    )


def test_the_whole_post_when_it_fits() -> None:
    text = post_text(make_item(), LINK, DISCLOSURE, 500, 23)
    assert text == (
        "How Ana fixed her bike: A loose chain, a quick fix, and a commute that works again. — Ana P."
        f"\n\n{DISCLOSURE}\n\n{LINK}"
    )


def test_long_title_and_summary_are_shortened_at_word_boundaries() -> None:
    title = " ".join(WORDS)
    summary = " ".join(WORDS * 6)
    item = make_item(title=title, summary=summary)
    for limit in (300, 400, 500):
        for url_length in (None, 23):
            text = post_text(item, LINK, DISCLOSURE, limit, url_length)
            assert measure(text, url_length) <= limit
            head = text.split("\n\n")[0]
            if head.startswith(f"{title}: "):
                cut = head.removeprefix(f"{title}: ").removesuffix(" — Ana P.")
                assert _words_of(summary, cut), cut
            else:  # no room for a useful part of the summary
                assert head in (title, f"{title} — Ana P.")
    tight = post_text(item, LINK, None, 140, None)
    assert measure(tight, None) <= 140 and tight.endswith(LINK)
    assert _words_of(title, tight.split("\n\n")[0])


def test_a_name_is_whole_or_left_out_never_cut() -> None:
    name = "Annabelle Featherstonehaugh-Montgomery"
    item = make_item(title="Bike fixed", summary=" ".join(WORDS * 3), author=name)
    seen_with, seen_without = False, False
    for limit in range(len(LINK) + 2, 420):
        text = post_text(item, LINK, None, limit, None)
        assert measure(text) <= limit
        if "— " in text:
            assert f"— {name}\n\n" in text
            seen_with = True
        else:
            assert "Annabelle" not in text and "Feather" not in text
            seen_without = True
    assert seen_with and seen_without


def test_the_disclosure_is_never_cut_the_rest_is() -> None:
    item = make_item(title=" ".join(WORDS), summary=" ".join(WORDS * 4))
    for limit in range(len(DISCLOSURE) + len(LINK) + 4, 500, 7):
        text = post_text(item, LINK, DISCLOSURE, limit, None)
        assert f"\n\n{DISCLOSURE}\n\n{LINK}" in text or text == f"{DISCLOSURE}\n\n{LINK}"
        assert measure(text) <= limit
    with pytest.raises(PostTooLongError, match="disclosure"):
        post_text(item, LINK, DISCLOSURE, len(DISCLOSURE) + 10, None)


def test_updates_carry_no_byline() -> None:
    text = post_text(make_item(kind="news", author="Cycle Shop"), LINK, None, 500, 23)
    assert "Cycle Shop" not in text and "—" not in text


def test_mastodon_counts_each_url_as_23() -> None:
    long_link = LINK + "&x=" + "a" * 200
    assert measure(f"see {long_link}", 23) == measure("see ", 23) + 23
    assert measure("see http://a.co.", 23) == 4 + 23 + 1  # the full stop is the sentence's
    item = make_item(summary=" ".join(WORDS * 6))
    mastodon_text = post_text(item, long_link, None, 500, 23)
    bluesky_text = post_text(item, long_link, None, 500, None)
    assert len(mastodon_text) > len(bluesky_text)  # the long link costs Mastodon 23 only
    assert measure(bluesky_text) <= 500


def test_emoji_and_accents() -> None:
    family = "👩\u200d👩\u200d👧\u200d👦"
    item = make_item(title=f"Café crème {family} für alle", summary=f"Ünïcödé {family} " * 40)
    text = post_text(item, LINK, DISCLOSURE, 300, None)
    assert measure(text) <= 300
    assert family in text  # an emoji sequence is never split: shortening cuts between words
    if GRAPHEMES_EXACT:
        assert measure(family) == 1
    else:  # code points: never fewer than the grapheme clusters, so never too long
        assert measure(family) == 7


# Mastodon


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def toot(clock: FakeClock) -> Iterator[MastodonStandIn]:
    with MastodonStandIn(clock) as server:
        yield server


@pytest.fixture
def sky(clock: FakeClock) -> Iterator[BlueskyStandIn]:
    with BlueskyStandIn(clock) as server:
        yield server


def _mastodon(server: MastodonStandIn, clock: FakeClock, token: str = "") -> mastodon.Mastodon:
    env = {"FOLLOWHOME_MASTODON_URL": server.url + "/", "FOLLOWHOME_MASTODON_TOKEN": token or server.token}
    return mastodon.from_env(env, transport=ShortTimeout(), sleep=clock.sleep, clock=clock)


def _bluesky(server: BlueskyStandIn, clock: FakeClock, password: str = "") -> bluesky.Bluesky:
    env = {
        "FOLLOWHOME_BLUESKY_URL": server.url,
        "FOLLOWHOME_BLUESKY_HANDLE": server.account,
        "FOLLOWHOME_BLUESKY_APP_PASSWORD": password or server.password,
    }
    return bluesky.from_env(env, transport=ShortTimeout(), sleep=clock.sleep, clock=clock)


Client = mastodon.Mastodon | bluesky.Bluesky


def _run(client: Client, work: Callable[[Any], Any]) -> Any:
    try:
        return work(client)
    finally:
        client.close()


def test_mastodon_posts_the_status_as_documented(toot: MastodonStandIn, clock: FakeClock) -> None:
    client = _mastodon(toot, clock)
    limit, per_url = _run(client, lambda c: (c.limit(), c.url_length()))
    assert (limit, per_url) == (500, 23)
    text = post_text(make_item(summary=" ".join(WORDS * 8)), LINK, DISCLOSURE, limit, per_url)
    assert len(text) > 500  # the link counts 23, so the text may be longer than 500 characters
    handed = _run(_mastodon(toot, clock), lambda c: c.create(make_post(text)))
    (seen,) = toot.calls("POST", "/api/v1/statuses")
    assert seen.headers["authorization"] == f"Bearer {toot.token}"
    assert seen.headers["idempotency-key"] == idempotency_key("mastodon", KEY)
    assert seen.headers["content-type"] == "application/json"
    assert seen.body == {"status": text, "visibility": "public", "language": "en"}
    assert handed == Handed(id=next(iter(toot.statuses)), url=f"{toot.url}/@shop/{handed.id}")
    assert toot.texts() == [text]
    assert clock.slept == []


def test_mastodon_refuses_what_is_too_long_at_once(toot: MastodonStandIn, clock: FakeClock) -> None:
    with pytest.raises(ServiceError, match=r"mastodon: POST /api/v1/statuses .*422.*character limit of 500"):
        _run(_mastodon(toot, clock), lambda c: c.create(make_post("word " * 120)))
    assert clock.slept == [] and toot.texts() == []


def test_mastodon_wrong_token_is_401_at_once(toot: MastodonStandIn, clock: FakeClock) -> None:
    with pytest.raises(ServiceError, match="The access token is invalid") as caught:
        _run(_mastodon(toot, clock, token="wrong"), lambda c: c.create(make_post()))
    assert caught.value.service == "mastodon" and caught.value.status == 401 and clock.slept == []


def test_mastodon_each_item_once_within_the_hour(toot: MastodonStandIn, clock: FakeClock) -> None:
    first = _run(_mastodon(toot, clock), lambda c: c.create(make_post()))
    clock.advance(59 * 60)
    again = _run(_mastodon(toot, clock), lambda c: c.create(make_post()))  # a fresh client: a re-run
    other = _run(_mastodon(toot, clock), lambda c: c.create(make_post(key="s-00000002")))
    assert again == first and other.id != first.id
    assert len(toot.statuses) == 2


def test_mastodon_after_the_hour_only_the_record_prevents_a_repeat(
    toot: MastodonStandIn, clock: FakeClock
) -> None:
    """Mastodon keeps an Idempotency-Key for one hour: a call with the same key 61 minutes later
    makes a second status. So the command must write delivered.yml after each confirmed post
    and never post an item the record holds; the key only covers retries within a run."""
    first = _run(_mastodon(toot, clock), lambda c: c.create(make_post()))
    clock.advance(61 * 60)
    second = _run(_mastodon(toot, clock), lambda c: c.create(make_post()))
    assert second.id != first.id
    assert len(toot.statuses) == 2


def _at_once(make: Callable[[], Client], post: Post) -> list[Handed]:
    results: list[Handed] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            results.append(_run(make(), lambda c: c.create(post)))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return results


def test_mastodon_two_runs_at_once_make_one_status(toot: MastodonStandIn, clock: FakeClock) -> None:
    """Both runs send the same Idempotency-Key, so the second gets the first's status. (At
    Mastodon the key is read before and stored after the create, without a lock: only a service
    that answers one at a time, like the stand-in, makes this certain; the workflow runs one
    delivery at a time.)"""
    toot.meet("/api/v1/statuses", 2)  # both requests arrive before either is answered
    results = _at_once(lambda: _mastodon(toot, clock), make_post())
    assert len(results) == 2 and results[0] == results[1]
    assert len(toot.calls("POST", "/api/v1/statuses")) == 2 and len(toot.statuses) == 1


@pytest.mark.parametrize("fault", FAULTS)
def test_mastodon_failures_are_retried_then_it_posts_once(
    toot: MastodonStandIn, clock: FakeClock, fault: str
) -> None:
    toot.fail(fault)
    handed = _run(_mastodon(toot, clock), lambda c: c.create(make_post()))
    assert list(toot.statuses) == [handed.id], "a retried create made one status"
    assert clock.slept == ([RESET_AFTER] if fault == "429" else [BACKOFF[0]])
    keys = {seen.headers["idempotency-key"] for seen in toot.calls("POST", "/api/v1/statuses")}
    assert keys == {idempotency_key("mastodon", KEY)}


@pytest.mark.parametrize(("fault", "status"), [("500", 500), ("429", 429), ("drop", 0)])
def test_mastodon_after_the_retries_the_error_names_the_service(
    toot: MastodonStandIn, clock: FakeClock, fault: str, status: int
) -> None:
    toot.fail(fault, 5)
    with pytest.raises(ServiceError, match=r"^mastodon: POST /api/v1/statuses") as caught:
        _run(_mastodon(toot, clock), lambda c: c.create(make_post()))
    assert caught.value.service == "mastodon" and caught.value.status == status
    assert len(clock.slept) == 4 and toot.statuses == {}


def test_mastodon_delete_and_delete_again(toot: MastodonStandIn, clock: FakeClock) -> None:
    def work(client: mastodon.Mastodon) -> None:
        handed = client.create(make_post())
        client.delete(handed.id)
        client.delete(handed.id)  # gone already: fine

    _run(_mastodon(toot, clock), work)
    assert toot.statuses == {}
    assert [seen.method for seen in toot.requests] == ["POST", "DELETE", "DELETE"]


def test_mastodon_missing_credentials_name_each_variable() -> None:
    with pytest.raises(MissingCredentialsError) as caught:
        mastodon.from_env({"FOLLOWHOME_MASTODON_TOKEN": " "})
    assert caught.value.variables == ["FOLLOWHOME_MASTODON_URL", "FOLLOWHOME_MASTODON_TOKEN"]
    assert "FOLLOWHOME_MASTODON_URL" in str(caught.value)
    with pytest.raises(MissingCredentialsError) as one:
        mastodon.from_env({"FOLLOWHOME_MASTODON_URL": "https://mastodon.social"})
    assert one.value.variables == ["FOLLOWHOME_MASTODON_TOKEN"]


# Bluesky


def test_bluesky_record_key_is_a_tid_fixed_per_item() -> None:
    keys = [bluesky.record_key(f"s-{n:08x}") for n in range(500)]
    assert all(TID.fullmatch(key) for key in keys)
    assert len(set(keys)) == 500
    assert bluesky.record_key(KEY) == bluesky.record_key(KEY) != bluesky.record_key("s-8d3c4483")


def test_bluesky_posts_the_record_as_documented(sky: BlueskyStandIn, clock: FakeClock) -> None:
    item = make_item(title="Café crème 👩\u200d👩\u200d👧 for all", summary="Ünïcödé " * 60)
    text = post_text(item, LINK, DISCLOSURE, bluesky.LIMIT, None)
    post = Post(KEY, text, LINK, item.title, item.summary, "en")
    handed = _run(_bluesky(sky, clock), lambda c: c.create(post))
    rkey = bluesky.record_key(KEY)
    assert [seen.path.removeprefix("/xrpc/") for seen in sky.requests] == [
        "com.atproto.server.createSession",
        "com.atproto.repo.getRecord",
        "com.atproto.repo.createRecord",
    ]
    (session,) = sky.calls("POST", "/xrpc/com.atproto.server.createSession")
    assert session.body == {"identifier": sky.account, "password": sky.password}
    (lookup,) = sky.calls("GET", "/xrpc/com.atproto.repo.getRecord")
    assert lookup.query == {"repo": sky.did, "collection": "app.bsky.feed.post", "rkey": rkey}
    (seen,) = sky.calls("POST", "/xrpc/com.atproto.repo.createRecord")
    assert seen.headers["authorization"] == "Bearer access-1"
    body = seen.body
    assert (body["repo"], body["collection"], body["rkey"]) == (sky.did, "app.bsky.feed.post", rkey)
    record = body["record"]
    assert record["$type"] == "app.bsky.feed.post" and record["text"] == text
    assert record["createdAt"] == "2026-12-03T09:00:00Z" and record["langs"] == ["en"]
    (facet,) = record["facets"]
    start, end = facet["index"]["byteStart"], facet["index"]["byteEnd"]
    assert text.encode()[start:end].decode() == LINK
    assert start != text.index(LINK)  # bytes, not characters: the text has accents and emoji
    assert facet["features"] == [{"$type": "app.bsky.richtext.facet#link", "uri": LINK}]
    assert record["embed"] == {
        "$type": "app.bsky.embed.external",
        "external": {"uri": LINK, "title": item.title, "description": item.summary},
    }
    uri = f"at://{sky.did}/app.bsky.feed.post/{rkey}"
    assert handed == Handed(
        id=rkey,
        url=f"https://bsky.app/profile/{sky.account}/post/{rkey}",
        extra={"uri": uri, "cid": sky.records[rkey]["cid"]},
    )
    assert clock.slept == []


def test_bluesky_one_session_per_run(sky: BlueskyStandIn, clock: FakeClock) -> None:
    def work(client: bluesky.Bluesky) -> None:
        for number in range(3):
            client.create(make_post(key=f"s-0000000{number}"))

    _run(_bluesky(sky, clock), work)
    assert sky.sessions == 1 and len(sky.records) == 3


def test_bluesky_refuses_an_invalid_record_at_once(sky: BlueskyStandIn, clock: FakeClock) -> None:
    with pytest.raises(
        ServiceError, match=r"bluesky: POST /xrpc/com.atproto.repo.createRecord .*400.*300 graphemes"
    ):
        _run(_bluesky(sky, clock), lambda c: c.create(make_post("word " * 70)))
    assert clock.slept == [] and sky.records == {}


def test_bluesky_wrong_password_is_401_at_once(sky: BlueskyStandIn, clock: FakeClock) -> None:
    with pytest.raises(
        ServiceError, match=r"bluesky: POST /xrpc/com\.atproto\.server\.createSession.*401"
    ) as caught:
        _run(_bluesky(sky, clock, password="wrong-pass-word-0000"), lambda c: c.create(make_post()))
    assert caught.value.status == 401 and clock.slept == [] and sky.records == {}


def test_bluesky_each_item_once_across_runs(sky: BlueskyStandIn, clock: FakeClock) -> None:
    first = _run(_bluesky(sky, clock), lambda c: c.create(make_post()))
    clock.advance(30 * 24 * 3600)  # no time limit: the record key is the item's for good
    again = _run(_bluesky(sky, clock), lambda c: c.create(make_post()))
    assert again == first
    assert len(sky.calls("POST", "/xrpc/com.atproto.repo.createRecord")) == 1
    assert len(sky.calls("GET", "/xrpc/com.atproto.repo.getRecord")) == 2
    assert len(sky.records) == 1


def test_bluesky_two_runs_at_once_make_one_post(sky: BlueskyStandIn, clock: FakeClock) -> None:
    """Both runs look up (nothing there) and both create on the same record key: one is taken,
    the other gets the PDS's 500, looks up again and answers the post the first run made."""
    sky.meet("/xrpc/com.atproto.repo.createRecord", 2)
    results = _at_once(lambda: _bluesky(sky, clock), make_post())
    assert len(results) == 2 and results[0] == results[1]
    assert len(sky.calls("POST", "/xrpc/com.atproto.repo.createRecord")) == 2
    assert len(sky.records) == 1


def test_bluesky_a_taken_key_is_answered_by_the_500_then_a_look_up(sky: BlueskyStandIn) -> None:
    """The stand-in as the PDS: a second create on the same key is a 500, not a conflict."""
    import httpx

    with httpx.Client(base_url=sky.url) as http:
        token = http.post(
            "/xrpc/com.atproto.server.createSession",
            json={"identifier": sky.account, "password": sky.password},
        ).json()["accessJwt"]
        record = {"$type": "app.bsky.feed.post", "text": "Hi", "createdAt": "2026-12-03T09:00:00Z"}
        body = {
            "repo": sky.did,
            "collection": "app.bsky.feed.post",
            "rkey": "3jzfcijpj2z2a",
            "record": record,
        }
        headers = {"Authorization": f"Bearer {token}"}
        assert http.post("/xrpc/com.atproto.repo.createRecord", json=body, headers=headers).status_code == 200
        again = http.post("/xrpc/com.atproto.repo.createRecord", json=body, headers=headers)
        assert again.status_code == 500 and again.json()["error"] == "InternalServerError"
        bad = http.post(
            "/xrpc/com.atproto.repo.createRecord", json={**body, "rkey": "not-a-tid"}, headers=headers
        )
        assert bad.status_code == 400
        missing = http.get(
            "/xrpc/com.atproto.repo.getRecord",
            params={"repo": sky.did, "collection": "app.bsky.feed.post", "rkey": "3jzfcijpj2z2b"},
        )
        assert missing.status_code == 400 and missing.json()["error"] == "RecordNotFound"


@pytest.mark.parametrize("fault", FAULTS)
def test_bluesky_failures_are_retried_then_it_posts_once(
    sky: BlueskyStandIn, clock: FakeClock, fault: str
) -> None:
    sky.fail(fault, path="/xrpc/com.atproto.repo.createRecord")
    handed = _run(_bluesky(sky, clock), lambda c: c.create(make_post()))
    assert list(sky.records) == [handed.id], "a retried create made one post"
    assert clock.slept == ([RESET_AFTER] if fault == "429" else [BACKOFF[0]])
    if fault == "drop-after":  # made, answer lost: the retry meets the taken key, the look-up finds it
        assert [seen.path.rsplit(".", 1)[-1] for seen in sky.requests[1:]] == [
            "getRecord",
            "createRecord",
            "createRecord",
            "getRecord",
        ]


@pytest.mark.parametrize("fault", ["500", "429", "timeout"])
def test_bluesky_a_failing_look_up_is_retried(sky: BlueskyStandIn, clock: FakeClock, fault: str) -> None:
    sky.fail(fault, path="/xrpc/com.atproto.repo.getRecord")
    _run(_bluesky(sky, clock), lambda c: c.create(make_post()))
    assert len(sky.records) == 1 and len(clock.slept) == 1


@pytest.mark.parametrize(("fault", "status"), [("500", 500), ("429", 429), ("drop", 0)])
def test_bluesky_after_the_retries_the_error_names_the_service(
    sky: BlueskyStandIn, clock: FakeClock, fault: str, status: int
) -> None:
    sky.fail(fault, 5, path="/xrpc/com.atproto.repo.createRecord")
    with pytest.raises(
        ServiceError, match=r"^bluesky: POST /xrpc/com\.atproto\.repo\.createRecord"
    ) as caught:
        _run(_bluesky(sky, clock), lambda c: c.create(make_post()))
    assert caught.value.service == "bluesky" and caught.value.status == status
    assert len(clock.slept) == 4 and sky.records == {}


def test_bluesky_delete_and_delete_again(sky: BlueskyStandIn, clock: FakeClock) -> None:
    def work(client: bluesky.Bluesky) -> None:
        handed = client.create(make_post())
        client.delete(handed.id)
        client.delete(handed.id)  # gone already: fine

    _run(_bluesky(sky, clock), work)
    assert sky.records == {}
    assert len(sky.calls("POST", "/xrpc/com.atproto.repo.deleteRecord")) == 2


def test_bluesky_missing_credentials_and_the_default_server() -> None:
    with pytest.raises(MissingCredentialsError) as caught:
        bluesky.from_env({"FOLLOWHOME_BLUESKY_URL": "https://pds.example"})
    assert caught.value.variables == ["FOLLOWHOME_BLUESKY_HANDLE", "FOLLOWHOME_BLUESKY_APP_PASSWORD"]
    client = bluesky.from_env(
        {"FOLLOWHOME_BLUESKY_HANDLE": "@shop.bsky.social", "FOLLOWHOME_BLUESKY_APP_PASSWORD": "a-b-c-d"}
    )
    try:
        assert client.api.base_url == "https://bsky.social" and client.handle == "shop.bsky.social"
    finally:
        client.close()
