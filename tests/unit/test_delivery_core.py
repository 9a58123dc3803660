"""The delivery core: delivered.yml, what is new, and the retrying API caller (against a
MockTransport that answers as the services document)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from followhome.delivery.handover import idempotency_key
from followhome.delivery.http import Api, ServiceError, wait_for
from followhome.delivery.record import HEADER, Delivered, RecordError
from followhome.delivery.window import new_items
from followhome.model.content import Channel
from followhome.model.loader import load_content
from followhome.publishing.edition import Edition
from followhome.publishing.news import became_new, in_window
from tests.helpers import minimal_project, story, update

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def test_record_is_sorted_readable_and_saved_on_every_add(tmp_path: Path) -> None:
    record = Delivered.load(tmp_path / "delivered.yml")
    record.add("mastodon", "s-2", {"at": "2026-12-03T09:12:06Z", "id": "1123"})
    record.add("buttondown", "s-9", {"id": "em_7f3a", "at": "2026-12-03T09:12:04Z", "status": "draft"})
    record.add("buttondown", "s-1", {"id": "em_1", "at": "2026-12-03T09:12:03Z", "status": "draft"})
    text = (tmp_path / "delivered.yml").read_text(encoding="utf-8")
    assert text.startswith(HEADER)
    assert text.index("buttondown:") < text.index("mastodon:") and text.index("s-1:") < text.index("s-9:")
    again = Delivered.load(tmp_path / "delivered.yml")
    assert again.get("buttondown", "s-9") == {
        "at": "2026-12-03T09:12:04Z",
        "id": "em_7f3a",
        "status": "draft",
    }
    again.remove("mastodon", "s-2")
    assert "mastodon" not in (tmp_path / "delivered.yml").read_text(encoding="utf-8")


def test_a_broken_record_is_refused_not_taken_for_empty(tmp_path: Path) -> None:
    (tmp_path / "delivered.yml").write_text("buttondown: [unclosed\n", encoding="utf-8")
    with pytest.raises(RecordError, match="restore it from git"):
        Delivered.load(tmp_path / "delivered.yml")


def test_idempotency_keys_come_from_permanent_ids() -> None:
    assert idempotency_key("mastodon", "s-1") == idempotency_key("mastodon", "s-1")
    assert idempotency_key("mastodon", "s-1") != idempotency_key("bluesky", "s-1")
    assert len(idempotency_key("buttondown", "s-1")) <= 64


def test_new_is_dated_within_the_window_and_consent_date_counts(tmp_path: Path) -> None:
    root = minimal_project(tmp_path / "p")
    stories = root / "content" / "stories"
    stories.mkdir()
    (stories / "old.md").write_text(story(id="s-old00001", date="2026-10-01"), encoding="utf-8")
    (stories / "new.md").write_text(story(id="s-new00001", date="2026-11-28"), encoding="utf-8")
    late = story(id="s-late0001", date="2026-10-01").replace("given: 2026-03-01", "given: 2026-11-30")
    (stories / "late.md").write_text(late, encoding="utf-8")
    (root / "content" / "updates").mkdir()
    (root / "content" / "updates" / "u.md").write_text(
        update(id="u-new00001", date="2026-12-01"), encoding="utf-8"
    )
    catalog = load_content(root / "content").require()
    edition = Edition(catalog, date(2026, 12, 3))
    ids = [i.id for i in new_items(edition, Channel.SOCIAL, 14)]
    assert ids == ["u-new00001", "s-new00001", "s-late0001"]
    late_story = next(s for s in catalog.stories if s.id == "s-late0001")
    assert became_new(late_story) == date(2026, 11, 30)
    assert not in_window(late_story, date(2026, 12, 20), 14)


def _api(handler: object, slept: list[float]) -> Api:
    return Api(
        "testservice",
        "https://api.test.example",
        {"Authorization": "Token t"},
        transport=httpx.MockTransport(handler),  # type: ignore[arg-type]
        sleep=slept.append,
        clock=lambda: NOW,
    )


def test_429_waits_as_the_service_says_then_succeeds() -> None:
    answers = [
        httpx.Response(429, headers={"Retry-After": "7"}),
        httpx.Response(429, headers={"X-RateLimit-Reset": (NOW + timedelta(seconds=30)).isoformat()}),
        httpx.Response(429, headers={"RateLimit-Reset": str(int((NOW + timedelta(seconds=12)).timestamp()))}),
        httpx.Response(503),
        httpx.Response(201, json={"id": "1"}),
    ]
    slept: list[float] = []
    api = _api(lambda request: answers.pop(0), slept)
    assert api.request("POST", "/v1/emails", json={}).json() == {"id": "1"}
    assert slept == [7.0, 30.0, 12.0, 8.0]


def test_dropped_connections_and_timeouts_are_retried_then_named() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request)

    slept: list[float] = []
    with pytest.raises(ServiceError, match=r"testservice: POST /x \(s-1\): no answer after 5 tries"):
        _api(handler, slept).request("POST", "/x", what="s-1")
    assert slept == [1.0, 2.0, 4.0, 8.0]


def test_a_4xx_is_not_retried_and_says_what_the_service_said() -> None:
    slept: list[float] = []
    api = _api(lambda request: httpx.Response(401, json={"detail": "Invalid token."}), slept)
    with pytest.raises(ServiceError, match=r"401 Unauthorized: .*Invalid token") as caught:
        api.request("GET", "/v1/emails")
    assert caught.value.status == 401 and slept == []


def test_a_wait_longer_than_five_minutes_fails_the_item_instead() -> None:
    slept: list[float] = []
    api = _api(lambda request: httpx.Response(429, headers={"Retry-After": "3600"}), slept)
    with pytest.raises(ServiceError, match="rate limited for 3600 s"):
        api.request("POST", "/x")
    assert slept == []


def test_retry_after_as_an_http_date() -> None:
    response = httpx.Response(429, headers={"Retry-After": "Thu, 03 Dec 2026 09:01:00 GMT"})
    assert wait_for(response, NOW) == 60.0
