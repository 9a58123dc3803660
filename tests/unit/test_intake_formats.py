"""Reading form submissions from files (followhome.intake.formats.read_files): every format,
every field rule, and every way a file or a row can be wrong."""

from __future__ import annotations

import csv
import hashlib
import json
import mailbox
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, timezone
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from followhome.intake.formats import Source, read_files
from followhome.intake.submission import Read, RowProblem, Spam, Submission, Where, WithdrawalRequest
from followhome.model.content import Channel

TZ = ZoneInfo("Europe/London")
VALUES = ("kindness", "speed", "care")
SITE, FEED, EMAIL, SOCIAL = Channel.SITE, Channel.FEED, Channel.EMAIL, Channel.SOCIAL
NOT_UTF8 = "holds bytes that are not UTF-8 text"
NOT_UTF8_FIX = "save the file as UTF-8 (in a spreadsheet: Save As, CSV UTF-8) and read it again"


def read(*paths: Path, source: Source = "auto", honeypot: str = "_gotcha") -> Read:
    return read_files(list(paths), source, TZ, honeypot, VALUES)


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def ndjson(*rows: object) -> str:
    return "".join(json.dumps(row) + "\n" for row in rows)


def form_hash(fields: Mapping[str, object]) -> str:
    dumped = json.dumps(fields, sort_keys=True, separators=(",", ":"))
    return "form-" + hashlib.sha256(dumped.encode()).hexdigest()[:12]


def sha12(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]


def only(read_: Read) -> Submission:
    assert read_.problems == [] and read_.withdrawals == [] and read_.spam == []
    assert len(read_.submissions) == 1
    return read_.submissions[0]


def problems(read_: Read) -> list[tuple[int, str, str]]:
    return [(p.where.row, p.field, p.message) for p in read_.problems]


# NDJSON and JSON -----------------------------------------------------------------------------


def test_ndjson_rows_every_field(tmp_path: Path) -> None:
    first = {
        "id": "sub-1",
        "submitted_at": "2026-05-01T14:30:00+02:00",
        "words": "  We came for the bread.\r\n\r\nWe stayed for the people.  ",
        "title": "  Bread\nand   people ",
        "name": "Jo Bloggs",
        "show_as": " First-Name ",
        "role": "Regular",
        "location": "Leeds",
        "values": ["care", "nope", "kindness", "care"],
        "consent": ["email", "SITE", "site"],
        "contact": " jo@example.com ",
        "form_version": "a1b2c3d4",
        "ip": "203.0.113.9",
    }
    second = {"id": 42, "submitted_at": "2026-05-02", "words": "Short.", "consent": "feed, social"}
    path = write(tmp_path, "in.ndjson", ndjson(first) + "\n   \n" + ndjson(second))
    result = read(path)
    assert result.problems == [] and result.spam == [] and result.withdrawals == []
    assert result.submissions == [
        Submission(
            where=Where(str(path), 1),
            reference="sub-1",
            submitted_at=datetime(2026, 5, 1, 14, 30, tzinfo=timezone(timedelta(hours=2))),
            means="web-form",
            service="generic",
            words="We came for the bread.\n\nWe stayed for the people.",
            title="Bread and people",
            name="Jo Bloggs",
            show_as="first-name",
            role="Regular",
            location="Leeds",
            values=("care", "kindness"),
            consent=(SITE, EMAIL),
            contact="jo@example.com",
            form_version="a1b2c3d4",
        ),
        Submission(
            where=Where(str(path), 4),  # the physical line: blank lines counted
            reference="42",
            submitted_at=datetime(2026, 5, 2, tzinfo=TZ),
            means="web-form",
            service="generic",
            words="Short.",
            consent=(FEED, SOCIAL),
        ),
    ]
    assert result.submissions[0].notes == (
        "value 'nope' is not one of the site's values (values/); left out",
    )
    assert result.submissions[1].notes == ()
    assert "203.0.113.9" not in repr(result)


def test_ndjson_bad_lines_are_problems_and_the_rest_is_read(tmp_path: Path) -> None:
    row = {"id": "a", "submitted_at": "2026-05-01", "words": "Fine."}
    path = write(tmp_path, "in.jsonl", ndjson(row) + "{not json\n[1, 2]\n" + ndjson({**row, "id": "b"}))
    result = read(path)
    assert [s.reference for s in result.submissions] == ["a", "b"]
    assert [s.where.row for s in result.submissions] == [1, 4]
    assert result.problems == [
        RowProblem(
            Where(str(path), 2),
            "",
            "is not JSON: Expecting property name enclosed in double quotes (column 2)",
            'write one JSON object per line, like {"words": "...", "submitted_at": "2026-05-01"}',
        ),
        RowProblem(
            Where(str(path), 3),
            "",
            "is a list in JSON, not an object with the form's fields",
            'write one JSON object per line, like {"words": "...", "submitted_at": "2026-05-01"}',
        ),
    ]


def test_json_array_rows_are_element_numbers(tmp_path: Path) -> None:
    rows = [
        {"id": "x1", "submitted_at": "2026-04-30T09:00:00", "words": "One."},
        "not an object",
        {"id": "x3", "submitted_at": "2026-04-30T09:00:00Z", "words": "Three.", "show_as": "anonymous"},
    ]
    path = write(tmp_path, "in.json", json.dumps(rows, indent=2))
    result = read(path)
    assert result.submissions == [
        Submission(
            Where(str(path), 1), "x1", datetime(2026, 4, 30, 9, tzinfo=TZ), "web-form", "generic", "One."
        ),
        Submission(
            Where(str(path), 3),
            "x3",
            datetime(2026, 4, 30, 9, tzinfo=UTC),
            "web-form",
            "generic",
            "Three.",
            show_as="anonymous",
        ),
    ]
    assert problems(result) == [(2, "", "is text in JSON, not an object with the form's fields")]


def test_json_file_holding_ndjson_and_one_object(tmp_path: Path) -> None:
    row = {"id": "a", "submitted_at": "2026-05-01", "words": "Fine."}
    lines = write(tmp_path, "lines.json", ndjson(row, {**row, "id": "b"}))
    one = write(tmp_path, "one.json", json.dumps({**row, "id": "c"}))
    result = read(lines, one)
    assert [(s.where, s.reference) for s in result.submissions] == [
        (Where(str(lines), 1), "a"),
        (Where(str(lines), 2), "b"),
        (Where(str(one), 1), "c"),
    ]
    assert result.problems == []


def test_json_that_is_not_json_is_a_file_problem(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.json", '[\n  {"words": "x",\n]')
    result = read(path)
    assert result.submissions == []
    assert result.problems == [
        RowProblem(
            Where(str(path), 0),
            "",
            "is not JSON: Expecting property name enclosed in double quotes (line 3 column 1)",
            "give the file exactly as the form service exported it, or fix the JSON at that place",
        )
    ]
    assert str(result.problems[0]).startswith(f"{path}: is not JSON")


def test_id_rules_and_the_hash_reference(tmp_path: Path) -> None:
    base = {"submitted_at": "2026-05-01", "words": "Hello."}
    rows = [
        base,
        {**base, "id": "jo@example.com"},
        {**base, "id": "has space"},
        {**base, "id": 7.0},
        {**base, "id": "ok.id:1_2-3"},
    ]
    result = read(write(tmp_path, "in.ndjson", ndjson(*rows)))
    expected = form_hash(base)
    assert [s.reference for s in result.submissions] == [expected, expected, expected, "7", "ok.id:1_2-3"]
    assert [s.notes for s in result.submissions] == [
        (f"the row has no id; the reference {expected} was made from its fields",),
        (
            f"its id looks like an email address, which must not be a reference; the reference {expected} was made from its fields",
        ),
        (
            f"its id has characters other than letters, digits and . _ : - (or is over 100 long); the reference {expected} was made from its fields",
        ),
        (),
        (),
    ]
    assert "jo@example.com" not in repr(result)


# CSV -----------------------------------------------------------------------------------------


def test_csv_quoted_commas_multiline_cells_and_ignored_columns(tmp_path: Path) -> None:
    rows = [
        [" Words ", "Name", "consent", "values", "submitted_at", "id", "spreadsheet note"],
        [
            "Fast, friendly, fair.\nThen more:\n\n- a list",
            "  Jo\n Bloggs ",
            "site,email",
            "speed, kindness",
            "2026-03-01 10:00",
            "r1",
            "x",
        ],
        ["", "", "", "", "", "", ""],
        ["Second, story", "", "", "", "2026-03-02", "r3", "y"],
    ]
    path = tmp_path / "in.csv"
    with path.open("w", newline="", encoding="utf-8") as stream:
        csv.writer(stream).writerows(rows)
    result = read(path)
    assert result.problems == []
    assert result.submissions == [
        Submission(
            Where(str(path), 1),
            "r1",
            datetime(2026, 3, 1, 10, tzinfo=TZ),
            "web-form",
            "generic",
            "Fast, friendly, fair.\nThen more:\n\n- a list",
            name="Jo Bloggs",
            values=("speed", "kindness"),
            consent=(SITE, EMAIL),
        ),
        Submission(
            Where(str(path), 3),  # the empty row is skipped but counted
            "r3",
            datetime(2026, 3, 2, tzinfo=TZ),
            "web-form",
            "generic",
            "Second, story",
        ),
    ]


def test_csv_with_a_bom_and_crlf_and_no_id(tmp_path: Path) -> None:
    path = write(tmp_path, "excel.csv", '\ufeffwords,submitted_at\r\n"Line one\r\nline two",2026-01-05\r\n')
    sub = only(read(path))
    assert sub.words == "Line one\nline two"
    assert sub.reference == form_hash({"submitted_at": "2026-01-05", "words": "Line one\r\nline two"})


def test_csv_cells_too_many_and_too_few(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "in.csv",
        "words,submitted_at,name\nToo, many,2026-01-01,Jo\nFew,2026-01-01\nTrailing,2026-01-01,Al,,\n",
    )
    result = read(path)
    assert [(s.where.row, s.words, s.name) for s in result.submissions] == [
        (2, "Few", None),
        (3, "Trailing", "Al"),
    ]
    assert result.problems == [
        RowProblem(
            Where(str(path), 1),
            "",
            "has 4 cells but the first row names 3 columns",
            "put a cell that holds a comma in double quotes, or name the extra column in the first row",
        )
    ]


def test_csv_header_only_and_empty_files_give_nothing(tmp_path: Path) -> None:
    paths = [
        write(tmp_path, "header.csv", "words,submitted_at\n"),
        write(tmp_path, "empty.csv", ""),
        write(tmp_path, "empty.ndjson", "\n\n"),
        write(tmp_path, "empty.json", ""),
        write(tmp_path, "empty.eml", ""),
        write(tmp_path, "empty.mbox", ""),
    ]
    assert read(*paths) == Read()


def test_csv_without_a_words_column(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "withdrawals.csv",
        "withdraw,contact,submitted_at\nhttps://shop.example/stories/jo/,jo@example.com,2026-02-01\n,,2026-02-02\n",
    )
    result = read(path)
    assert result.withdrawals == [
        WithdrawalRequest(
            Where(str(path), 1),
            form_hash(
                {
                    "withdraw": "https://shop.example/stories/jo/",
                    "contact": "jo@example.com",
                    "submitted_at": "2026-02-01",
                }
            ),
            datetime(2026, 2, 1, tzinfo=TZ),
            "https://shop.example/stories/jo/",
            "jo@example.com",
        )
    ]
    assert result.problems == [
        RowProblem(
            Where(str(path), 2),
            "words",
            "the file has no 'words' column",
            "name the column with the story 'words' in the first row of the file",
        )
    ]


def test_csv_without_a_header(tmp_path: Path) -> None:
    path = write(tmp_path, "noheader.csv", "Great shop,2026-01-01\nLovely,2026-01-02\nAgain,2026-01-03\n")
    result = read(path)
    assert result.submissions == []
    assert problems(result) == [
        (1, "words", "the file's first row names none of the form's columns (words, submitted_at, ...)"),
        (2, "words", "the file's first row names none of the form's columns (words, submitted_at, ...)"),
    ]


def test_csv_column_named_twice(tmp_path: Path) -> None:
    path = write(tmp_path, "twice.csv", "words,Words,submitted_at\na,b,2026-01-01\n")
    assert problems(read(path)) == [(0, "", "names the column words more than once in its first row")]


def test_csv_broken_quotes_stop_the_file_there(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "bad.csv",
        'words,submitted_at\nSay "hi" there,2026-01-01\n"Open quote,2026-01-02\nswallowed,2026-01-03\n',
    )
    result = read(path)
    assert [s.words for s in result.submissions] == ['Say "hi" there']
    assert result.problems == [
        RowProblem(
            Where(str(path), 2),
            "",
            "the CSV cannot be read from here on (unexpected end of data)",
            'check the quotes in this row: a quote inside a quoted cell is written twice ("")',
        )
    ]


# Netlify and Formspree -----------------------------------------------------------------------

NETLIFY = [
    {
        "id": "65f1c0ffee0123456789abcd",
        "number": 12,
        "email": "jo@example.com",
        "name": "Jo Bloggs",
        "first_name": "Jo",
        "last_name": "Bloggs",
        "company": None,
        "summary": "<strong>Jo Bloggs</strong> We came for the bread",
        "body": "We came for the bread",
        "data": {
            "form-name": "share",
            "words": "We came for the bread.\nAnd stayed.",
            "name": "Jo Bloggs",
            "show_as": "initials",
            "values": "kindness, speed",
            "consent": "site, feed",
            "contact": "jo@example.com",
            "form_version": "0123abcd",
            "bot-field": "",
            "ip": "203.0.113.7",
            "user_agent": "Mozilla/5.0 (X11; Linux x86_64) Secret/1.0",
            "referrer": "https://shop.example/share/?utm=private",
        },
        "created_at": "2026-03-01T09:15:00.123Z",
        "site_url": "https://shop.example",
        "form_id": "65f1aaaa",
        "form_name": "share",
    },
    {
        "id": "65f1c0ffee0123456789abce",
        "number": 13,
        "data": {"withdraw": "jo-bread", "contact": "jo@example.com", "ip": "203.0.113.7"},
        "created_at": "2026-03-02T10:00:00Z",
    },
    {"number": 14, "data": {"words": "No id."}, "created_at": "2026-03-02T10:00:00Z"},
    {"id": "65f1c0ffee0123456789abcf", "data": "words=oops", "created_at": "2026-03-02T10:00:00Z"},
]


@pytest.mark.parametrize("source", ["netlify", "auto"])
def test_netlify_api_json(tmp_path: Path, source: Source) -> None:
    path = write(tmp_path, "netlify.json", json.dumps(NETLIFY))
    result = read(path, source=source, honeypot="bot-field")
    assert result.submissions == [
        Submission(
            Where(str(path), 1),
            "65f1c0ffee0123456789abcd",
            datetime(2026, 3, 1, 9, 15, 0, 123000, tzinfo=UTC),
            "web-form",
            "netlify",
            "We came for the bread.\nAnd stayed.",
            name="Jo Bloggs",
            show_as="initials",
            values=("kindness", "speed"),
            consent=(SITE, FEED),
            contact="jo@example.com",
            form_version="0123abcd",
        )
    ]
    assert result.submissions[0].notes == ()
    assert result.withdrawals == [
        WithdrawalRequest(
            Where(str(path), 2),
            "65f1c0ffee0123456789abce",
            datetime(2026, 3, 2, 10, tzinfo=UTC),
            "jo-bread",
            "jo@example.com",
        )
    ]
    assert problems(result) == [
        (3, "id", "is missing or not a Netlify submission id"),
        (4, "data", "is text, not the object of the form's fields"),
    ]
    for secret in ("203.0.113.7", "Secret/1.0", "utm=private"):
        assert secret not in repr(result)


def test_netlify_source_wants_an_array(tmp_path: Path) -> None:
    path = write(tmp_path, "export.json", json.dumps({"submissions": []}))
    assert problems(read(path, source="netlify")) == [
        (0, "", "is an object in JSON, not the Netlify API's array of submissions")
    ]


FORMSPREE_SUBMISSIONS: list[dict[str, object]] = [
    {
        "_date": "2026-04-10T08:00:00.707632",
        "words": "Formspree story.",
        "name": "Al",
        "consent": ["site", "social"],
        "contact": "al@example.com",
        "_status": {"shop@example.com": {"delivered": True, "processed": True}},
    },
    {"_date": "2026-04-11T08:00:00.000Z", "words": "Buy pills", "_gotcha": "http://spam.example"},
    {"words": "No date."},
]
FORMSPREE = {
    "fields": ["_date", "words", "name", "consent", "contact", "_gotcha"],
    "submissions": FORMSPREE_SUBMISSIONS,
}


@pytest.mark.parametrize("source", ["formspree", "auto"])
def test_formspree_api_json(tmp_path: Path, source: Source) -> None:
    path = write(tmp_path, "formspree.json", json.dumps(FORMSPREE))
    result = read(path, source=source)
    first = {k: v for k, v in FORMSPREE_SUBMISSIONS[0].items() if k != "_status"}
    assert result.submissions == [
        Submission(
            Where(str(path), 1),
            "formspree-" + sha12(json.dumps(first, sort_keys=True, separators=(",", ":")).encode()),
            datetime(2026, 4, 10, 8, 0, 0, 707632, tzinfo=UTC),  # Formspree's naive _date is UTC
            "web-form",
            "formspree",
            "Formspree story.",
            name="Al",
            consent=(SITE, SOCIAL),
            contact="al@example.com",
        )
    ]
    assert result.spam == [Spam(Where(str(path), 2), "_gotcha")]
    assert result.problems == [
        RowProblem(
            Where(str(path), 3),
            "_date",
            "is missing: when the form was sent",
            "write it like 2026-05-01T14:30:00+02:00 (or 2026-05-01 for midnight)",
        )
    ]


def test_formspree_reference_ignores_delivery_status(tmp_path: Path) -> None:
    before = {**FORMSPREE_SUBMISSIONS[0], "_status": {"shop@example.com": {"delivered": False}}}
    path = write(tmp_path, "before.json", json.dumps({"submissions": [before]}))
    later = write(tmp_path, "later.json", json.dumps(FORMSPREE))
    assert (
        only(read(path, source="formspree")).reference
        == read(later, source="formspree").submissions[0].reference
    )


def test_json_of_the_wrong_shape(tmp_path: Path) -> None:
    path = write(tmp_path, "x.json", json.dumps({"form": "share"}))
    number = write(tmp_path, "n.json", "12")
    result = read(path, number, source="formspree")
    assert result.problems == [
        RowProblem(
            Where(str(path), 0),
            "",
            "is an object without a 'submissions' list in JSON, not Formspree's API JSON ({fields, submissions})",
            "give the file as the form service exported it",
        ),
        RowProblem(
            Where(str(number), 0),
            "",
            "is a number in JSON, not Formspree's API JSON ({fields, submissions})",
            "give the file as the form service exported it",
        ),
    ]
    assert problems(read(number)) == [(0, "", "is a number in JSON, not an array of objects")]


def test_formspree_submissions_array_alone(tmp_path: Path) -> None:
    path = write(tmp_path, "subs.json", json.dumps(FORMSPREE_SUBMISSIONS[:1]))
    assert only(read(path, source="formspree")).service == "formspree"


# Mail ----------------------------------------------------------------------------------------

FORM_BODY = (
    "words=We found you by chance.\r\n"
    "\r\n"
    "Now we come every week: café, croissants & all.\r\n"
    "name=Zoë Ånd\r\n"
    "show_as=full\r\n"
    "values=care\r\n"
    "values=speed\r\n"
    "consent=site\r\n"
    "consent=email\r\n"
    "_gotcha=\r\n"
)


def message(
    body: str,
    *,
    cte: str = "quoted-printable",
    message_id: str | None = "<story-1@mail.example>",
    date: str | None = "Fri, 01 May 2026 14:30:00 +0200",
) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "Zoë Ånd <zoe@example.com>"
    msg["To"] = "stories@shop.example"
    msg["Subject"] = "My story"
    if date is not None:
        msg["Date"] = date
    if message_id is not None:
        msg["Message-ID"] = message_id
    msg.set_content(body, cte=cte)
    return msg


@pytest.mark.parametrize("cte", ["quoted-printable", "base64"])
def test_eml_message(tmp_path: Path, cte: str) -> None:
    path = write(tmp_path, "story.eml", message(FORM_BODY, cte=cte).as_bytes())
    assert cte.encode() in path.read_bytes()
    sub = only(read(path))
    assert sub == Submission(
        Where(str(path), 1),
        "email-" + sha12(b"<story-1@mail.example>"),
        datetime(2026, 5, 1, 14, 30, tzinfo=timezone(timedelta(hours=2))),
        "email",
        "email",
        "We found you by chance.\n\nNow we come every week: café, croissants & all.",
        name="Zoë Ånd",
        show_as="full",
        values=("care", "speed"),
        consent=(SITE, EMAIL),
        contact="zoe@example.com",  # the From address: the form had no contact
    )
    assert sub.notes == ()


def test_eml_literal_text_with_contact_and_signature(tmp_path: Path) -> None:
    raw = (
        "From: Somebody <someone@example.com>\r\n"
        "To: stories@shop.example\r\n"
        "Date: Sat, 02 May 2026 09:00:00 +0100\r\n"
        "Subject: story\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: text/plain; charset="utf-8"\r\n'
        "Content-Transfer-Encoding: quoted-printable\r\n"
        "\r\n"
        "Hello, see below.\r\n"
        "words=3D2 + 2 =3D 4, and that is how it starts=\r\n"
        " and ends.\r\n"
        "consent=3Dsite\r\n"
        "contact=3Dpat@example.com\r\n"
        "consent=3Dsocial\r\n"
        "-- \r\n"
        "Sent from my phone\r\n"
    )
    path = write(tmp_path, "literal.eml", raw)
    sub = only(read(path))
    assert sub.words == "2 + 2 = 4, and that is how it starts and ends."
    assert sub.reference == "email-" + sha12(raw.encode())  # no Message-ID: the message's bytes
    assert sub.contact == "pat@example.com"
    assert sub.consent == (SITE, SOCIAL)
    assert sub.submitted_at == datetime(2026, 5, 2, 8, tzinfo=UTC)
    assert sub.notes == ("text before the form's first field was left out",)


def test_eml_format_flowed_is_unwrapped(tmp_path: Path) -> None:
    raw = (
        "From: a@example.com\n"
        "Date: Sat, 02 May 2026 09:00:00 +0000\n"
        "Message-ID: <f@x>\n"
        "Content-Type: text/plain; charset=utf-8; format=flowed; delsp=no\n"
        "\n"
        "words=A long line that the mail client \n"
        "wrapped for us.\n"
        " From here on, stuffed.\n"
        "Second paragraph.\n"
    )
    sub = only(read(write(tmp_path, "flowed.eml", raw)))
    assert (
        sub.words
        == "A long line that the mail client wrapped for us.\nFrom here on, stuffed.\nSecond paragraph."
    )


def test_mbox_messages(tmp_path: Path) -> None:
    path = tmp_path / "inbox.mbox"
    box = mailbox.mbox(path)
    box.add(message(FORM_BODY))
    box.add(
        message("withdraw=https://shop.example/stories/zoe/\ncontact=zoe@example.com\n", message_id="<w@x>")
    )
    undated = message("words=Undated.\n", message_id="<d@x>").as_bytes()
    box.add(undated.replace(b"Fri, 01 May 2026 14:30:00 +0200", b"sometime last week"))
    html = EmailMessage()
    html["From"] = "x@example.com"
    html["Date"] = "Fri, 01 May 2026 14:30:00 +0200"
    html.set_content("<p>words=hi</p>", subtype="html")
    box.add(html)
    box.add(message("words=Spam!\n_gotcha=yes\n", message_id="<s@x>"))
    box.add(message("words=One.\nwords=Two.\nconsent=site\n", message_id="<t@x>", date=None))
    box.flush()
    box.close()

    result = read(path)
    file = str(path)
    assert [(s.where, s.reference, s.consent) for s in result.submissions] == [
        (Where(file, 1), "email-" + sha12(b"<story-1@mail.example>"), (SITE, EMAIL))
    ]
    assert result.withdrawals == [
        WithdrawalRequest(
            Where(file, 2),
            "email-" + sha12(b"<w@x>"),
            datetime(2026, 5, 1, 14, 30, tzinfo=timezone(timedelta(hours=2))),
            "https://shop.example/stories/zoe/",
            "zoe@example.com",
        )
    ]
    assert result.spam == [Spam(Where(file, 5), "_gotcha")]
    assert problems(result) == [
        (3, "Date", "'sometime last week' is not a date"),
        (4, "body", "the message has no plain-text part, so it was not sent by the form"),
        (6, "words", "appears more than once in the message"),
        (6, "Date", "is missing"),
    ]


def test_mbox_that_is_not_a_mailbox(tmp_path: Path) -> None:
    path = write(tmp_path, "one.mbox", message("words=x\n").as_bytes())
    assert problems(read(path)) == [(0, "", "is not a mailbox: a .mbox file starts with a 'From ' line")]


def test_mail_in_a_legacy_charset(tmp_path: Path) -> None:
    raw = (
        b"From: a@example.com\nDate: Sat, 02 May 2026 09:00:00 +0000\nMessage-ID: <l@x>\n"
        b"Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: 8bit\n\n"
        b"words=Caf\xe9 cr\xe8me\n"
    )
    assert only(read(write(tmp_path, "latin.eml", raw))).words == "Café crème"


def test_mail_with_undeclared_non_utf8_bytes(tmp_path: Path) -> None:
    raw = (
        b"From: a@example.com\nDate: Sat, 02 May 2026 09:00:00 +0000\nMessage-ID: <u@x>\n"
        b"Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
        b"words=Caf\xe9\nname=Al\n"
    )
    path = write(tmp_path, "bad.eml", raw)
    assert read(path).problems == [RowProblem(Where(str(path), 1), "words", NOT_UTF8, NOT_UTF8_FIX)]


# Hostile text --------------------------------------------------------------------------------

HOSTILE_WORDS = (
    "<script>alert('x')</script> {{ x }} {% if %}yes{% endif %} *|FNAME|* %%{x}%% "
    "Bell\x07 NUL\x00 ESC\x1b[31m form\x0cfeed\r\n"
    "Mark\u202eevil\u202c and \u2066isolate\u2069, right-to-left שלום \u200f kept"
)
HOSTILE_CLEAN = (
    "<script>alert('x')</script> {{ x }} {% if %}yes{% endif %} *|FNAME|* %%{x}%% "
    "Bell NUL ESC[31m formfeed\n"
    "Markevil and isolate, right-to-left שלום \u200f kept"
)


def test_hostile_text_kept_literally_without_controls(tmp_path: Path) -> None:
    row = {
        "id": "h1",
        "submitted_at": "2026-05-01",
        "words": HOSTILE_WORDS,
        "name": "<b>Jo</b>\u202e {{ name }}\x00",
        "title": "*|FNAME|*\t%%{x}%%\n{% raw %}",
        "location": "\u2067\x1b",
    }
    sub = only(read(write(tmp_path, "hostile.ndjson", ndjson(row))))
    assert sub.words == HOSTILE_CLEAN
    assert sub.name == "<b>Jo</b> {{ name }}"
    assert sub.title == "*|FNAME|* %%{x}%% {% raw %}"
    assert sub.location is None


def test_long_stories_come_through_whole(tmp_path: Path) -> None:
    story = ("A paragraph of praise.\n" * 5000)[:99_997] + "end"
    assert len(story) == 100_000
    sub = only(
        read(write(tmp_path, "long.json", json.dumps([{"submitted_at": "2026-05-01", "words": story}])))
    )
    assert sub.words == story

    longer = "x" * 200_000  # over the csv module's default field limit
    limit = csv.field_size_limit()
    path = write(tmp_path, "long.csv", f'words,submitted_at\n"{longer}",2026-05-01\n')
    assert only(read(path)).words == longer
    assert csv.field_size_limit() == limit


# Field rules ---------------------------------------------------------------------------------


def test_nothing_ticked_is_valid(tmp_path: Path) -> None:
    base = {"submitted_at": "2026-05-01", "words": "Hi."}
    rows = [
        base,
        {**base, "consent": ""},
        {**base, "consent": []},
        {**base, "consent": " , "},
        {**base, "values": []},
    ]
    result = read(write(tmp_path, "in.ndjson", ndjson(*rows)))
    assert result.problems == []
    assert [(s.consent, s.values) for s in result.submissions] == [((), ())] * 5


def test_unknown_consent_is_a_problem_never_a_guess(tmp_path: Path) -> None:
    rows = [
        {
            "id": "a",
            "submitted_at": "2026-05-01",
            "words": "Hi.",
            "consent": ["site", "newsletter", "twitter"],
        },
        {"id": "b", "submitted_at": "2026-05-01", "words": "Fine.", "consent": "Social"},
    ]
    path = write(tmp_path, "in.ndjson", ndjson(*rows))
    result = read(path)
    assert [(s.reference, s.consent) for s in result.submissions] == [("b", (SOCIAL,))]
    assert result.problems == [
        RowProblem(
            Where(str(path), 1),
            "consent",
            "'newsletter', 'twitter' is not one of site, feed, email, social",
            "ask the customer which of site, feed, email and social they agree to; consent is never guessed",
        )
    ]


def test_csv_honeypot_column_in_any_case(tmp_path: Path) -> None:
    path = write(
        tmp_path, "in.csv", "Words,BOT-FIELD,Submitted_At\nBuy now,http://x.example,\nReal,,2026-05-01\n"
    )
    result = read(path, honeypot="Bot-Field")
    assert result.spam == [Spam(Where(str(path), 1), "Bot-Field")]
    assert [s.words for s in result.submissions] == ["Real"]
    assert result.problems == []


def test_honeypot_rows_are_spam_and_nothing_else(tmp_path: Path) -> None:
    rows = [
        {"words": "", "bot-field": "http://buy.example", "consent": ["everything"]},
        {"id": "ok", "submitted_at": "2026-05-01", "words": "Real.", "bot-field": "  "},
    ]
    path = write(tmp_path, "in.ndjson", ndjson(*rows))
    result = read(path, honeypot="bot-field")
    assert result.spam == [Spam(Where(str(path), 1), "bot-field")]
    assert [s.reference for s in result.submissions] == ["ok"]
    assert result.problems == []


def test_withdrawal_rows(tmp_path: Path) -> None:
    rows = [
        {
            "id": "w1",
            "submitted_at": "2026-05-01",
            "withdraw": "  jo-bread\n",
            "words": "ignored",
            "contact": "jo@example.com",
        },
        {
            "id": "w2",
            "submitted_at": "2026-05-01",
            "withdraw": "https://shop.example/stories/al/",
            "consent": 5,
        },
        {"id": "w3", "withdraw": "x", "contact": "a\nb"},
    ]
    path = write(tmp_path, "in.ndjson", ndjson(*rows))
    result = read(path)
    assert result.submissions == []
    assert result.withdrawals == [
        WithdrawalRequest(
            Where(str(path), 1), "w1", datetime(2026, 5, 1, tzinfo=TZ), "jo-bread", "jo@example.com"
        ),
        WithdrawalRequest(
            Where(str(path), 2), "w2", datetime(2026, 5, 1, tzinfo=TZ), "https://shop.example/stories/al/"
        ),
    ]
    assert problems(result) == [
        (3, "submitted_at", "is missing: when the form was sent"),
        (3, "contact", "spans more than one line"),
    ]


def test_non_utf8_bytes_spoil_one_row_only(tmp_path: Path) -> None:
    lines = [
        b'{"id": "a", "submitted_at": "2026-05-01", "words": "Fine."}',
        b'{"id": "b", "submitted_at": "2026-05-01", "words": "Caf\xe9 latin-1"}',
        b'{"id": "c", "submitted_at": "2026-05-01", "words": "Caf\xc3\xa9 fine", "values": ["care", "sp\xeeed"]}',
        b'{"id": "d", "submitted_at": "2026-05-01", "words": "Also fine."}',
    ]
    path = write(tmp_path, "in.ndjson", b"\n".join(lines))
    result = read(path)
    assert [(s.reference, s.words) for s in result.submissions] == [("a", "Fine."), ("d", "Also fine.")]
    assert result.problems == [
        RowProblem(Where(str(path), 2), "words", NOT_UTF8, NOT_UTF8_FIX),
        RowProblem(Where(str(path), 3), "values", NOT_UTF8, NOT_UTF8_FIX),
    ]

    path = write(
        tmp_path,
        "in.csv",
        b"words,name,submitted_at\nFine,Al,2026-05-01\nOk,Ren\xe9e,2026-05-01\nCaf\xc3\xa9,,2026-05-01\n",
    )
    result = read(path)
    assert [(s.where.row, s.words, s.name) for s in result.submissions] == [
        (1, "Fine", "Al"),
        (3, "Café", None),
    ]
    assert result.problems == [RowProblem(Where(str(path), 2), "name", NOT_UTF8, NOT_UTF8_FIX)]


def test_csv_header_that_is_not_utf8(tmp_path: Path) -> None:
    path = write(tmp_path, "in.csv", b"words,Ort\xe9,submitted_at\nHi,Leeds,2026-05-01\n")
    result = read(path)
    assert [s.words for s in result.submissions] == ["Hi"]  # the unknown column is ignored
    assert result.problems == [RowProblem(Where(str(path), 0), "header", NOT_UTF8, NOT_UTF8_FIX)]


def test_wrong_types(tmp_path: Path) -> None:
    row = {
        "id": True,
        "submitted_at": 20260501,
        "words": 5,
        "name": ["Jo"],
        "show_as": False,
        "values": {"care": True},
        "consent": ["site", 1],
        "contact": None,
        "form_version": 123456,
    }
    path = write(tmp_path, "in.ndjson", ndjson(row))
    result = read(path)
    assert result.submissions == []
    assert [(p.field, p.message) for p in result.problems] == [
        ("submitted_at", "is a number, not text"),
        ("words", "is a number, not text"),
        ("name", "is a list, not text"),
        ("show_as", "is true or false, not text"),
        ("values", "is an object, not text or a list of texts"),
        ("consent", "is a list, not text or a list of texts"),
        ("form_version", "is a number, not text"),
    ]
    assert result.problems[1].fix == "write the words as text in quotes, or leave it out"


def test_missing_and_empty_words(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "in.ndjson",
        ndjson({"submitted_at": "2026-05-01"}, {"submitted_at": "2026-05-01", "words": " \x00\n "}),
    )
    result = read(path)
    assert result.problems == [
        RowProblem(
            Where(str(path), n),
            "words",
            "is empty: the submission has no story",
            "ask the customer again, or delete the row",
        )
        for n in (1, 2)
    ]


def test_line_fields_limit_and_show_as(tmp_path: Path) -> None:
    base = {"submitted_at": "2026-05-01", "words": "Hi."}
    rows = [
        {**base, "title": "t" * 200, "role": "  ", "show_as": " INITIALS "},
        {**base, "location": "l" * 201, "show_as": "nickname"},
        {**base, "contact": "c" * 321},
    ]
    path = write(tmp_path, "in.ndjson", ndjson(*rows))
    result = read(path)
    assert [(s.title, s.role, s.show_as) for s in result.submissions] == [("t" * 200, None, "initials")]
    assert problems(result) == [
        (2, "location", "is 201 characters long; at most 200 fit"),
        (2, "show_as", "'nickname' is not one of full, first-name, initials, anonymous"),
        (3, "contact", "is 321 characters long; at most 320 fit"),
    ]


def test_values_and_form_version_notes(tmp_path: Path) -> None:
    row = {
        "submitted_at": "2026-05-01",
        "words": "Hi.",
        "values": "Speed, care, , speed, fast",
        "form_version": "v2",
    }
    sub = only(read(write(tmp_path, "in.ndjson", ndjson(row))))
    assert sub.values == ("speed", "care")
    assert sub.form_version is None
    assert sub.notes[1:] == (
        "value 'fast' is not one of the site's values (values/); left out",
        "form_version 'v2' is not 6-16 hex digits; left out",
    )


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2026-05-01", datetime(2026, 5, 1, tzinfo=TZ)),
        ("2026-07-01T12:00:00", datetime(2026, 7, 1, 12, tzinfo=TZ)),
        ("2026-07-01T12:00:00Z", datetime(2026, 7, 1, 12, tzinfo=UTC)),
        ("2026-07-01T12:00:00-05:00", datetime(2026, 7, 1, 17, tzinfo=UTC)),
    ],
)
def test_dates(tmp_path: Path, written: str, expected: datetime) -> None:
    sub = only(read(write(tmp_path, "in.ndjson", ndjson({"submitted_at": written, "words": "Hi."}))))
    assert sub.submitted_at == expected
    assert sub.submitted_at.tzinfo is not None


def test_bad_and_future_dates(tmp_path: Path) -> None:
    soon = (datetime.now(UTC) + timedelta(hours=12)).isoformat()
    rows = [
        {"submitted_at": "01/05/2026", "words": "Hi."},
        {"submitted_at": "2999-01-01", "words": "Hi."},
        {"submitted_at": soon, "words": "Within a day."},
        {"submitted_at": "", "words": "Hi."},
    ]
    path = write(tmp_path, "in.ndjson", ndjson(*rows))
    result = read(path)
    assert [s.words for s in result.submissions] == ["Within a day."]
    assert problems(result) == [
        (1, "submitted_at", "'01/05/2026' is not a date and time"),
        (2, "submitted_at", "2999-01-01T00:00:00+00:00 is in the future"),
        (4, "submitted_at", "is missing: when the form was sent"),
    ]
    assert result.problems[0].fix == "write it like 2026-05-01T14:30:00+02:00 (or 2026-05-01 for midnight)"


# Files ---------------------------------------------------------------------------------------


def test_files_that_cannot_be_read(tmp_path: Path) -> None:
    missing = tmp_path / "missing.csv"
    folder = tmp_path / "exports"
    folder.mkdir()
    unknown = write(tmp_path, "stories.txt", "words=hi")
    result = read(missing, folder, unknown)
    assert result.problems == [
        RowProblem(Where(str(missing), 0), "", "was not found", "check the file's name and folder"),
        RowProblem(Where(str(folder), 0), "", "is a folder", "give the files inside it"),
        RowProblem(
            Where(str(unknown), 0),
            "",
            "is not a kind of file that can be read (.txt)",
            "give a .ndjson, .jsonl, .json, .csv, .eml or .mbox file; for a form service's JSON export "
            "say which with --from netlify or --from formspree",
        ),
    ]
    assert str(result.problems[0]) == f"{missing}: was not found. Fix: check the file's name and folder"


def test_extension_case_and_files_in_order(tmp_path: Path) -> None:
    row = {"submitted_at": "2026-05-01", "words": "Hi."}
    upper = write(tmp_path, "A.NDJSON", ndjson({**row, "id": "1"}))
    lower = write(tmp_path, "b.csv", "id,words,submitted_at\n2,Hi.,2026-05-01\n")
    result = read(lower, upper)
    assert [s.reference for s in result.submissions] == ["2", "1"]
