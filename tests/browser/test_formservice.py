"""The Formspree stand-in's own checks (tests/browser/formservice.py), over real HTTP."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import pytest

from tests.browser.formservice import FormService, basic_auth

FORM = "xtestform"
KEY = "secret-key"
THANKS = "http://127.0.0.1:1/share-your-story/thanks/"
URLENCODED = "application/x-www-form-urlencoded"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def _call(
    url: str, body: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, data=body, headers=headers or {})
    try:
        with _OPENER.open(request, timeout=5) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _post(
    service: FormService, pairs: list[tuple[str, str]], accept_json: bool = False, form: str = FORM
) -> Any:
    headers = {"Content-Type": URLENCODED}
    if accept_json:
        headers["Accept"] = "application/json"
    return _call(f"{service.base}/f/{form}", urlencode(pairs).encode(), headers)


@pytest.fixture
def service() -> Iterator[FormService]:
    clock = iter(datetime(2026, 11, 23, 9, 0, second, tzinfo=UTC) for second in range(60))
    with FormService([FORM], THANKS, KEY, clock=lambda: next(clock)) as running:
        yield running


def test_a_browser_post_is_stored_and_sent_to_the_thanks_page(service: FormService) -> None:
    pairs = [
        ("words", "Lovely"),
        ("consent", "site"),
        ("consent", "feed"),
        ("values", "less-waste"),
        ("title", ""),
    ]
    status, headers, _ = _post(service, pairs)
    assert (status, headers["Location"]) == (303, THANKS)
    status, _, body = _post(service, [("words", "Second")], accept_json=True)
    assert (status, json.loads(body)) == (200, {"next": THANKS, "ok": True})
    assert service.submissions(FORM) == [
        {
            "_date": "2026-11-23T09:00:00.000000",
            "words": "Lovely",
            "consent": ["site", "feed"],
            "values": "less-waste",
            "title": "",
        },
        {"_date": "2026-11-23T09:00:01.000000", "words": "Second"},
    ]


def test_a_multipart_post_reads_the_same_as_urlencoded(service: FormService) -> None:
    boundary = "xYzZy"
    parts = [("words", "Caf\u00e9 on the corner"), ("consent", "site"), ("consent", "email")]
    body = "".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in parts
    )
    body += f"--{boundary}--\r\n"
    status, _, _ = _call(
        f"{service.base}/f/{FORM}",
        body.encode(),
        {"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert status == 303
    assert service.submissions(FORM)[0]["words"] == "Caf\u00e9 on the corner"
    assert service.submissions(FORM)[0]["consent"] == ["site", "email"]


def test_an_unknown_form_id_is_not_found(service: FormService) -> None:
    status, _, body = _post(service, [("words", "Hello")], accept_json=True, form="xnotmine")
    assert status == 404
    answer = json.loads(body)
    assert answer["error"] == "Form not found" and answer["errors"][0]["code"] == "FORM_NOT_FOUND"
    assert service.submissions(FORM) == []


@pytest.mark.parametrize(
    ("content_type", "body", "status"),
    [
        ("text/plain", b"words=Hello\r\n", 415),  # what a mailto form's enctype would send
        ("application/xml", b"<words>Hello</words>", 415),
        ("application/x-www-form-urlencoded", b"words=%FF%FE", 400),  # not UTF-8
        ("multipart/form-data", b"words=Hello", 400),  # no boundary
    ],
)
def test_a_body_of_the_wrong_type_is_refused(
    service: FormService, content_type: str, body: bytes, status: int
) -> None:
    got, _, answer = _call(f"{service.base}/f/{FORM}", body, {"Content-Type": content_type})
    assert got == status
    assert json.loads(answer)["errors"][0]["code"] in {"UNSUPPORTED_MEDIA_TYPE", "BAD_REQUEST"}
    assert service.submissions(FORM) == []


def test_the_honeypot_filled_in_is_answered_as_success_and_not_stored(service: FormService) -> None:
    status, headers, _ = _post(service, [("words", "Buy pills"), ("_gotcha", "http://spam.example")])
    assert (status, headers["Location"]) == (303, THANKS)
    status, _, body = _post(service, [("words", "Buy pills"), ("_gotcha", "x")], accept_json=True)
    assert (status, json.loads(body)) == (200, {"next": THANKS, "ok": True})
    assert service.submissions(FORM) == []
    assert len(service.ignored) == 2
    _post(service, [("words", "Real"), ("_gotcha", "")])
    assert service.submissions(FORM) == [{"_date": "2026-11-23T09:00:00.000000", "words": "Real"}]


def test_an_empty_submission_is_an_error(service: FormService) -> None:
    status, _, body = _post(service, [("words", ""), ("_gotcha", "")], accept_json=True)
    assert status == 422
    assert json.loads(body)["errors"][0]["code"] == "EMPTY"
    assert service.submissions(FORM) == []


def test_the_read_api_needs_the_key_as_basic_auth_password(service: FormService) -> None:
    _post(service, [("words", "One"), ("consent", "site")])
    _post(service, [("words", "Two"), ("consent", "site"), ("consent", "social"), ("contact", "a@b.example")])
    url = service.api(FORM)
    wrong = [
        {},
        {"Authorization": basic_auth("not-the-key")},
        {"Authorization": "Basic " + "c2VjcmV0LWtleTo="},  # "secret-key:" : the key as the user
        {"Authorization": f"Bearer {KEY}"},
        {"Authorization": "Basic !!!"},
    ]
    for headers in wrong:
        status, answer_headers, _ = _call(url, headers=headers)
        assert status == 401, headers
        assert answer_headers["WWW-Authenticate"].startswith("Basic")
    status, _, body = _call(url, headers={"Authorization": basic_auth(KEY)})
    assert status == 200
    assert json.loads(body) == {
        "fields": ["_date", "words", "consent", "contact"],
        "submissions": [
            {
                "_date": "2026-11-23T09:00:01.000000",
                "words": "Two",
                "consent": ["site", "social"],
                "contact": "a@b.example",
            },
            {"_date": "2026-11-23T09:00:00.000000", "words": "One", "consent": "site"},
        ],
    }
    status, _, body = _call(url + "?order=asc&limit=1", headers={"Authorization": basic_auth(KEY)})
    assert [s["words"] for s in json.loads(body)["submissions"]] == ["One"]
    status, _, _ = _call(service.api("xnotmine"), headers={"Authorization": basic_auth(KEY)})
    assert status == 404
