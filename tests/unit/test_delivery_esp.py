"""The email services' clients against stand-ins of their APIs on 127.0.0.1 (tests/services):
drafts, never sends; scheduled with a schedule; each item once across runs and between two runs
at once; retries; clear errors; deletion; every missing variable named."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import httpx
import pytest

from followhome.delivery.credentials import MissingCredentialsError
from followhome.delivery.esp import buttondown, ghost, listmonk, mailchimp
from followhome.delivery.handover import EmailDraft, Handed, idempotency_key
from followhome.delivery.http import ServiceError
from tests.services import ServiceServer, ShortTimeout
from tests.services.buttondown import RETRY_AFTER, ButtondownStandIn
from tests.services.ghost import ADMIN_KEY, KEY_ID, NEWSLETTER, GhostStandIn
from tests.services.listmonk import ListmonkStandIn
from tests.services.mailchimp import LIST_ID, MailchimpStandIn

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
LATER = datetime(2030, 1, 7, 9, 15, tzinfo=UTC)
KEY = "s-8d3c4482"


def make_draft(key: str = KEY, schedule: datetime | None = None, tags: tuple[str, ...] = ()) -> EmailDraft:
    return EmailDraft(
        key=key,
        subject=f"How Ana fixed her bike ({key})",
        preheader="A short story from the shop",
        html="<p>Ana's story.</p>",
        text="Ana's story.",
        tags=tags,
        schedule=schedule,
    )


class Sleeps(list[float]):
    """A ``sleep`` that waits for nothing and remembers what it was asked."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


class Client(Protocol):
    def create(self, draft: EmailDraft) -> Handed: ...

    def delete(self, id: str) -> None: ...

    def close(self) -> None: ...


@dataclass
class Case:
    name: str
    server: Callable[[], ServiceServer]
    client: Callable[[Any, Sleeps], Client]
    statuses: Callable[[Any], list[str]]
    """What the service holds: every email's status in the clients' words (draft, scheduled)."""
    create_path: str
    """Where look-ups and creates go (two runs at once meet there)."""


def _buttondown(server: ButtondownStandIn, sleeps: Sleeps, token: str = "") -> Client:
    env = {"FOLLOWHOME_BUTTONDOWN_TOKEN": token or server.token, "FOLLOWHOME_BUTTONDOWN_URL": server.url}
    return buttondown.from_env(env, None, transport=ShortTimeout(), sleep=sleeps, clock=lambda: NOW)


def _listmonk(server: ListmonkStandIn, sleeps: Sleeps, token: str = "") -> Client:
    env = {
        "FOLLOWHOME_LISTMONK_URL": server.url,
        "FOLLOWHOME_LISTMONK_USER": server.user,
        "FOLLOWHOME_LISTMONK_TOKEN": token or server.token,
    }
    return listmonk.from_env(env, [3], transport=ShortTimeout(), sleep=sleeps, clock=lambda: NOW)


def _mailchimp(server: MailchimpStandIn, sleeps: Sleeps, token: str = "") -> Client:
    env = {"FOLLOWHOME_MAILCHIMP_TOKEN": token or server.key, "FOLLOWHOME_MAILCHIMP_URL": server.url}
    return mailchimp.from_env(env, LIST_ID, transport=ShortTimeout(), sleep=sleeps, clock=lambda: NOW)


def _ghost(server: GhostStandIn, sleeps: Sleeps, key: str = "") -> Client:
    env = {"FOLLOWHOME_GHOST_URL": server.url, "FOLLOWHOME_GHOST_ADMIN_KEY": key or ADMIN_KEY}
    return ghost.from_env(env, NEWSLETTER, transport=ShortTimeout(), sleep=sleeps, clock=lambda: NOW)


MAILCHIMP_STATUS = {"save": "draft", "schedule": "scheduled"}

CASES = [
    Case(
        "buttondown",
        ButtondownStandIn,
        _buttondown,
        lambda s: [e["status"] for e in s.emails.values()],
        "/v1/emails",
    ),
    Case(
        "listmonk",
        ListmonkStandIn,
        _listmonk,
        lambda s: [c["status"] for c in s.campaigns.values()],
        "/api/campaigns",
    ),
    Case(
        "mailchimp",
        MailchimpStandIn,
        _mailchimp,
        lambda s: [MAILCHIMP_STATUS.get(c["status"], c["status"]) for c in s.campaigns.values()],
        "/3.0/campaigns",
    ),
    Case(
        "ghost",
        GhostStandIn,
        _ghost,
        lambda s: [p["status"] for p in s.posts.values()],
        "/ghost/api/admin/posts/",
    ),
]


@pytest.fixture(params=CASES, ids=[c.name for c in CASES])
def case(request: pytest.FixtureRequest) -> Case:
    value: Case = request.param
    return value


@pytest.fixture
def server(case: Case) -> Iterator[Any]:
    with case.server() as running:
        yield running


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


def _using(case: Case, server: Any, sleeps: Sleeps, work: Callable[[Client], Any]) -> Any:
    client = case.client(server, sleeps)
    try:
        return work(client)
    finally:
        client.close()


# every service


def test_a_draft_is_made_not_an_email_sent(case: Case, server: Any, sleeps: Sleeps) -> None:
    handed = _using(case, server, sleeps, lambda c: c.create(make_draft()))
    assert handed.status == "draft" and handed.id
    assert case.statuses(server) == ["draft"]
    assert sleeps == []


def test_with_a_schedule_it_is_scheduled(case: Case, server: Any, sleeps: Sleeps) -> None:
    handed = _using(case, server, sleeps, lambda c: c.create(make_draft(schedule=LATER)))
    assert handed.status == "scheduled"
    assert case.statuses(server) == ["scheduled"]


def test_each_item_once_across_runs(case: Case, server: Any, sleeps: Sleeps) -> None:
    first = _using(case, server, sleeps, lambda c: c.create(make_draft()))
    again = _using(case, server, sleeps, lambda c: c.create(make_draft()))  # a fresh client: a re-run
    other = _using(case, server, sleeps, lambda c: c.create(make_draft("s-00000002")))
    assert again.id == first.id and other.id != first.id
    assert case.statuses(server) == ["draft", "draft"]


def test_two_runs_at_once_make_one(case: Case, server: Any, sleeps: Sleeps) -> None:
    """Two runs handing over the same item at the same moment. Buttondown: both requests carry
    the same idempotency key. Listmonk and Mailchimp: each run looks up, creates, then looks up
    again and deletes all but the oldest draft carrying the key (the look-up alone races: both
    runs may find nothing and both create); Ghost the same with its tag. What holds: the service
    ends with one draft, and both runs name an id; with the look-up services a run that lost the
    race may name the draft that was deleted (its record then points at a deleted draft, which
    ``delete`` treats as gone)."""
    results: list[Handed] = []
    server.meet(case.create_path, 2)  # both runs' requests there arrive together

    def run() -> None:
        client = case.client(server, sleeps)
        try:
            results.append(client.create(make_draft()))
        finally:
            client.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 2
    assert case.statuses(server) == ["draft"]
    assert results[0].id == results[1].id or case.name == "mailchimp"


@pytest.mark.parametrize("fault", ["429", "500", "timeout", "drop", "drop-after"])
def test_failures_are_retried_then_it_succeeds_once(
    case: Case, server: Any, sleeps: Sleeps, fault: str
) -> None:
    server.fail_create(fault)
    handed = _using(case, server, sleeps, lambda c: c.create(make_draft()))
    assert handed.status == "draft"
    assert case.statuses(server) == ["draft"], "a retried create made one draft"
    assert len(sleeps) == 1


def test_after_the_retries_the_error_names_the_service(case: Case, server: Any, sleeps: Sleeps) -> None:
    server.fail_create("500", 5)
    with pytest.raises(ServiceError) as caught:
        _using(case, server, sleeps, lambda c: c.create(make_draft()))
    assert caught.value.service == case.name and case.name in str(caught.value)
    assert caught.value.status == 500
    assert len(sleeps) == 4
    assert case.statuses(server) == []


def test_no_answer_at_all_is_an_error_naming_the_service(case: Case, server: Any, sleeps: Sleeps) -> None:
    server.fail_create("drop", 5)
    with pytest.raises(ServiceError, match=case.name) as caught:
        _using(case, server, sleeps, lambda c: c.create(make_draft()))
    assert caught.value.status == 0


def test_delete(case: Case, server: Any, sleeps: Sleeps) -> None:
    def work(client: Client) -> None:
        handed = client.create(make_draft())
        client.delete(handed.id)
        client.delete(handed.id)  # gone already: fine

    _using(case, server, sleeps, work)
    assert case.statuses(server) == []


# Buttondown


def test_buttondown_payload_and_headers() -> None:
    sleeps = Sleeps()
    with ButtondownStandIn() as server:
        client = _buttondown(server, sleeps)
        try:
            client.create(make_draft(tags=("reliability", "care")))
        finally:
            client.close()
        (seen,) = server.calls("POST", "/v1/emails")
        assert seen.headers["authorization"] == f"Token {server.token}"
        assert seen.headers["x-idempotency-key"] == idempotency_key("buttondown", KEY)
        body = seen.body
        assert body["status"] == "draft"
        assert body["body"].startswith("<!-- buttondown-editor-mode: fancy -->")
        assert body["description"] == "A short story from the shop"
        assert body["metadata"] == {"followhome_key": KEY, "followhome_tags": "reliability, care"}


def test_buttondown_429_waits_as_retry_after_says() -> None:
    sleeps = Sleeps()
    with ButtondownStandIn() as server:
        server.fail("429")
        client = _buttondown(server, sleeps)
        try:
            client.create(make_draft())
        finally:
            client.close()
    assert sleeps == [RETRY_AFTER]


def test_buttondown_bad_token_is_401_at_once() -> None:
    sleeps = Sleeps()
    with ButtondownStandIn() as server:
        client = _buttondown(server, sleeps, token="wrong")
        try:
            with pytest.raises(ServiceError, match=r"buttondown.*401") as caught:
                client.create(make_draft())
        finally:
            client.close()
    assert caught.value.status == 401 and sleeps == []


def test_buttondown_stand_in_fails_the_test_on_a_send() -> None:
    """The stand-in's own check: a create without a status sends at once at Buttondown."""
    server = ButtondownStandIn()
    with pytest.raises(AssertionError, match="SENT"), server:
        response = httpx.post(
            f"{server.url}/v1/emails",
            json={"subject": "Hello", "body": "Hi"},
            headers={"Authorization": f"Token {server.token}"},
        )
        assert response.status_code == 201
        assert response.json()["status"] == "about_to_send"
    with ButtondownStandIn() as other:
        response = httpx.post(
            f"{other.url}/v1/emails",
            json={"body": "Hi", "status": "draft"},
            headers={"Authorization": f"Token {other.token}"},
        )
        assert response.status_code == 400 and set(response.json()) >= {"code", "detail"}


def test_buttondown_missing_credentials() -> None:
    with pytest.raises(MissingCredentialsError) as caught:
        buttondown.from_env({"FOLLOWHOME_BUTTONDOWN_TOKEN": " "})
    assert caught.value.variables == ["FOLLOWHOME_BUTTONDOWN_TOKEN"]


# Listmonk


def test_listmonk_requests_as_documented() -> None:
    sleeps = Sleeps()
    with ListmonkStandIn() as server:
        client = _listmonk(server, sleeps)
        try:
            client.create(make_draft(schedule=LATER, tags=("care",)))
        finally:
            client.close()
        look, *_ = server.calls("GET", "/api/campaigns")
        assert look.query == {"query": KEY, "per_page": "all"}
        assert look.headers["authorization"] == f"token {server.user}:{server.token}"
        (made,) = server.calls("POST", "/api/campaigns")
        assert made.body == {
            "name": make_draft().name,
            "subject": make_draft().subject,
            "lists": [3],
            "type": "regular",
            "content_type": "html",
            "body": "<p>Ana's story.</p>",
            "altbody": "Ana's story.",
            "tags": ["care"],
            "send_at": "2030-01-07T09:15:00Z",
        }
        (status,) = server.calls("PUT", "/api/campaigns/1/status")
        assert status.body == {"status": "scheduled"}
        assert server.ignored_status == []


def test_listmonk_a_draft_made_earlier_is_scheduled_on_a_later_run() -> None:
    sleeps = Sleeps()
    with ListmonkStandIn() as server:
        for schedule in (None, LATER):
            client = _listmonk(server, sleeps)
            try:
                handed = client.create(make_draft(schedule=schedule))
            finally:
                client.close()
        assert handed.status == "scheduled" and len(server.campaigns) == 1
        assert server.campaigns[1]["send_at"] == "2030-01-07T09:15:00Z"


def test_listmonk_bad_credentials_are_403_at_once() -> None:
    sleeps = Sleeps()
    with ListmonkStandIn() as server:
        client = _listmonk(server, sleeps, token="wrong")
        try:
            with pytest.raises(ServiceError, match="invalid API credentials") as caught:
                client.create(make_draft())
        finally:
            client.close()
    assert caught.value.status == 403 and caught.value.service == "listmonk" and sleeps == []


def test_listmonk_needs_lists_and_credentials() -> None:
    with pytest.raises(MissingCredentialsError) as caught:
        listmonk.from_env({"FOLLOWHOME_LISTMONK_URL": "https://lists.example"}, [3])
    assert caught.value.variables == ["FOLLOWHOME_LISTMONK_USER", "FOLLOWHOME_LISTMONK_TOKEN"]
    env = {
        "FOLLOWHOME_LISTMONK_URL": "https://lists.example",
        "FOLLOWHOME_LISTMONK_USER": "u",
        "FOLLOWHOME_LISTMONK_TOKEN": "t",
    }
    with pytest.raises(ValueError, match="audience"):
        listmonk.from_env(env, None)
    assert listmonk.lists_of("3, 7") == [3, 7]


# Mailchimp


def test_mailchimp_requests_as_documented() -> None:
    sleeps = Sleeps()
    with MailchimpStandIn() as server:
        client = _mailchimp(server, sleeps)
        try:
            handed = client.create(make_draft(schedule=LATER, tags=("care", "reliability")))
        finally:
            client.close()
        look, *_ = server.calls("GET", "/3.0/campaigns")
        assert look.headers["authorization"].startswith("Basic ")
        assert look.query["count"] == "1000" and "campaigns.settings.title" in look.query["fields"]
        (made,) = server.calls("POST", "/3.0/campaigns")
        assert made.body["recipients"] == {
            "list_id": LIST_ID,
            "segment_opts": {
                "match": "any",
                "conditions": [
                    {
                        "condition_type": "StaticSegment",
                        "field": "static_segment",
                        "op": "static_is",
                        "value": v,
                    }
                    for v in (102, 101)
                ],
            },
        }
        assert made.body["settings"] == {
            "subject_line": make_draft().subject,
            "preview_text": "A short story from the shop",
            "title": make_draft().name,
        }
        campaign = server.campaigns[handed.id]
        assert campaign["content"] == {"html": "<p>Ana's story.</p>", "plain_text": "Ana's story."}
        assert campaign["send_time"] == "2030-01-07T09:15:00Z"


def test_mailchimp_base_address_from_the_key() -> None:
    assert mailchimp.base_url("abc-us6") == "https://us6.api.mailchimp.com"
    with pytest.raises(ValueError, match="FOLLOWHOME_MAILCHIMP_URL"):
        mailchimp.base_url("nodatacenter")
    client = mailchimp.from_env({"FOLLOWHOME_MAILCHIMP_TOKEN": "abc-us21"}, LIST_ID)
    assert client.api.base_url == "https://us21.api.mailchimp.com"
    client.close()


def test_mailchimp_schedule_off_the_quarter_hour_is_refused_before_any_request() -> None:
    sleeps = Sleeps()
    with MailchimpStandIn() as server:
        client = _mailchimp(server, sleeps)
        try:
            with pytest.raises(ServiceError, match="quarter hour") as caught:
                client.create(make_draft(schedule=LATER.replace(minute=20)))
        finally:
            client.close()
        assert server.requests == [] and caught.value.service == "mailchimp"


def test_mailchimp_unknown_tag_is_refused_before_a_campaign() -> None:
    sleeps = Sleeps()
    with MailchimpStandIn() as server:
        client = _mailchimp(server, sleeps)
        try:
            with pytest.raises(ServiceError, match="no tag 'speed'"):
                client.create(make_draft(tags=("speed",)))
        finally:
            client.close()
        assert server.campaigns == {}


def test_mailchimp_bad_key_is_401_at_once() -> None:
    sleeps = Sleeps()
    with MailchimpStandIn() as server:
        client = _mailchimp(server, sleeps, token="wrong-us6")
        try:
            with pytest.raises(ServiceError, match="API Key Invalid") as caught:
                client.create(make_draft())
        finally:
            client.close()
    assert caught.value.status == 401 and sleeps == []


def test_mailchimp_missing_credentials_and_audience() -> None:
    with pytest.raises(MissingCredentialsError) as caught:
        mailchimp.from_env({}, LIST_ID)
    assert caught.value.variables == ["FOLLOWHOME_MAILCHIMP_TOKEN"]
    with pytest.raises(ValueError, match="audience"):
        mailchimp.from_env({"FOLLOWHOME_MAILCHIMP_TOKEN": "abc-us6"}, None)


# Ghost


def test_ghost_draft_is_tagged_and_a_schedule_emails_the_newsletter() -> None:
    sleeps = Sleeps()
    with GhostStandIn() as server:
        client = _ghost(server, sleeps)
        try:
            draft = client.create(make_draft())
            scheduled = client.create(make_draft("s-00000002", schedule=LATER))
        finally:
            client.close()
        assert server.posts[draft.id]["tag_slugs"] == [f"hash-followhome-{KEY}"]
        assert server.emailed == [(scheduled.id, NEWSLETTER)]
        (made, _) = server.calls("POST", "/ghost/api/admin/posts/")
        assert made.query == {"source": "html"} and made.body["posts"][0]["status"] == "draft"
        assert made.headers["accept-version"] == "v5.0"


def test_ghost_token_is_checked() -> None:
    now = int(NOW.timestamp())
    token = ghost.admin_token(ADMIN_KEY, NOW)
    head, body, _ = token.split(".")

    def pad(part: str) -> str:
        return part + "=" * (-len(part) % 4)

    assert json.loads(base64.urlsafe_b64decode(pad(head))) == {"alg": "HS256", "typ": "JWT", "kid": KEY_ID}
    assert json.loads(base64.urlsafe_b64decode(pad(body))) == {"iat": now, "exp": now + 300, "aud": "/admin/"}
    with GhostStandIn() as server:
        assert server.check_token(f"Ghost {token}") is None
        late = server.check_token(f"Ghost {ghost.admin_token(ADMIN_KEY, NOW - timedelta(minutes=6))}")
        assert late is not None and late.body["errors"][0]["code"] == "INVALID_JWT"
        wrong = server.check_token(f"Ghost {ghost.admin_token(ADMIN_KEY[:-1] + '1', NOW)}")
        assert wrong is not None and wrong.body["errors"][0]["code"] == "INVALID_JWT"
        unknown = server.check_token(f"Ghost {ghost.admin_token('ffff' + ADMIN_KEY[4:], NOW)}")
        assert unknown is not None and unknown.body["errors"][0]["code"] == "UNKNOWN_ADMIN_API_KEY"
        assert server.check_token(f"Bearer {token}") is not None


def test_ghost_unknown_key_is_401_at_once() -> None:
    sleeps = Sleeps()
    with GhostStandIn() as server:
        client = _ghost(server, sleeps, key="ffff" + ADMIN_KEY[4:])
        try:
            with pytest.raises(ServiceError, match="UNKNOWN_ADMIN_API_KEY") as caught:
                client.create(make_draft())
        finally:
            client.close()
    assert caught.value.status == 401 and sleeps == []


def test_ghost_schedule_without_newsletter_is_refused() -> None:
    sleeps = Sleeps()
    with GhostStandIn() as server:
        env = {"FOLLOWHOME_GHOST_URL": server.url, "FOLLOWHOME_GHOST_ADMIN_KEY": ADMIN_KEY}
        client = ghost.from_env(env, None, transport=ShortTimeout(), sleep=sleeps, clock=lambda: NOW)
        try:
            with pytest.raises(ServiceError, match="newsletter"):
                client.create(make_draft(schedule=LATER))
        finally:
            client.close()
        assert server.requests == []


def test_ghost_missing_credentials() -> None:
    with pytest.raises(MissingCredentialsError) as caught:
        ghost.from_env({}, NEWSLETTER)
    assert caught.value.variables == ["FOLLOWHOME_GHOST_URL", "FOLLOWHOME_GHOST_ADMIN_KEY"]
    with pytest.raises(ValueError, match="id>:<hex secret"):
        ghost.from_env({"FOLLOWHOME_GHOST_URL": "https://x", "FOLLOWHOME_GHOST_ADMIN_KEY": "nope"}, None)
