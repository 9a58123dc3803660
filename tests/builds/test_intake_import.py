"""`followhome intake import` as an editor runs it on what the share form sent.

Each test copies the demo, writes the files a form service or a mailbox gives (generic NDJSON,
a JSON array, CSV, Netlify's and Formspree's API JSON, a mailto message, a mailbox) and runs
the real command, then reads what it wrote: the draft stories in content/stories/ and the
private consent records in intake/, never trusting the command's own account of them.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from lxml import html as lxml_html

from followhome.mkdocs.theme import icon_exists
from followhome.model.loader import load_content
from followhome.publishing.intake_form import form_wording
from tests.conftest import ROOT, TODAY, Project, copy_demo, run_tool
from tests.helpers import front

STORIES = "content/stories"
DEMO_STORIES = frozenset(p.name for p in (ROOT / STORIES).glob("*.md"))
CONTROLS = "\x00\x07\x1b\x7f\u202a\u202e\u2066\u2069"
"""Control characters and direction overrides a customer's text may hold; none reaches a file."""

PRIYA: dict[str, object] = {
    "id": "sub-0001",
    # 23:30 UTC on 1 July is 00:30 on 2 July in London (summer time): the brand's day counts.
    "submitted_at": "2026-07-01T23:30:00Z",
    "words": "We came in for one bottle of cider and left knowing the grower's name.\n\n"
    "Now we go back every month.",
    "title": "Cider and a name",
    "name": "Priya Shah",
    "show_as": "first-name",
    "role": "regular since 2024",
    "location": "Oakhill",
    "values": ["local-growers", "not-a-value"],
    "consent": ["email", "site"],
    "contact": "priya.shah@example.net",
}
PRIYA_FILE = f"{STORIES}/cider-and-a-name.md"


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """A copy of the demo; the tests write the downloaded submission files into its root."""
    return copy_demo(tmp_path / "shop")


def _run(project: Project, *args: str) -> subprocess.CompletedProcess[str]:
    return run_tool("followhome", *args, cwd=project.root)


def _import(project: Project, *args: str) -> subprocess.CompletedProcess[str]:
    return _run(project, "intake", "import", *args)


def _ndjson(path: Path, *rows: Mapping[str, object]) -> str:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path.name


def _new_stories(project: Project) -> list[str]:
    return sorted(p.name for p in (project.content / "stories").glob("*.md") if p.name not in DEMO_STORIES)


def _tree(project: Project) -> dict[str, bytes]:
    """Every file of content/ and intake/, by path."""
    return {
        p.relative_to(project.root).as_posix(): p.read_bytes()
        for folder in ("content", "intake")
        for p in sorted((project.root / folder).rglob("*"))
        if p.is_file()
    }


def _holding(project: Project, folder: str, *needles: str) -> list[str]:
    """The files under ``folder`` (and their paths) that hold any of ``needles``."""
    found = []
    for path in sorted((project.root / folder).rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(project.root).as_posix()
        data = path.read_bytes()
        found += [f"{rel}: {n}" for n in needles if n.encode() in data or n in rel]
    return found


def _record(project: Project, reference: str) -> dict[str, Any]:
    data = yaml.safe_load((project.root / "intake" / "consent" / f"{reference}.yml").read_text("utf-8"))
    assert isinstance(data, dict)
    return data


def _form_version(project: Project) -> str:
    """The share form's current version, as the site's /share-your-story/ page states it."""
    catalog = load_content(project.content, "content", icon_exists=icon_exists).require()
    intake = catalog.brand.config.channels.intake
    assert intake is not None
    return form_wording(catalog.brand, catalog.values, intake).version


def _split(path: Path) -> tuple[str, str]:
    """(front matter, body) of a story file; indented lines inside a quoted value are not ends."""
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    head, body = text[4:].split("\n---\n", 1)
    return head, body


def _meta(path: Path) -> dict[str, Any]:
    data = yaml.load(_split(path)[0], Loader=yaml.BaseLoader)
    assert isinstance(data, dict)
    return data


def _edit(path: Path, **changes: object) -> None:
    """What an editor does to a draft: change its front matter, keep its body."""
    head, body = _split(path)
    meta = yaml.safe_load(head)
    meta.update(changes)
    dumped = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=100_000)
    path.write_text(f"---\n{dumped}---\n{body}", encoding="utf-8")


def _unescape_markdown(text: str) -> str:
    """The plain text of escaped Markdown paragraphs (backslash escapes, then HTML entities)."""
    return html.unescape(re.sub(r"\\([\\`*_\[\]{}#>+\-.!])", r"\1", text))


def _without_controls(text: str) -> str:
    return text.translate({ord(c): None for c in CONTROLS})


# Formats ------------------------------------------------------------------------------------


def test_ndjson_row_becomes_a_draft_and_a_private_consent_record(project: Project) -> None:
    version = _form_version(project)
    name = _ndjson(project.root / "shares.ndjson", {**PRIYA, "form_version": version})

    run = _import(project, name)

    assert run.returncode == 0, run.stdout + run.stderr
    assert _new_stories(project) == ["cider-and-a-name.md"]
    meta = front(project.root / PRIYA_FILE)
    item_id = meta["id"]
    assert re.fullmatch(r"s-[0-9a-f]{8}", item_id)
    assert meta == {
        "id": item_id,
        "title": "Cider and a name",
        "status": "draft",
        "customer": {
            "name": "Priya Shah",
            "show_as": "first-name",
            "role": "regular since 2024",
            "location": "Oakhill",
        },
        "quote": PRIYA["words"],
        "values": ["local-growers"],
        "consent": {"given": "2026-07-02", "channels": ["site", "email"], "reference": "sub-0001"},
        "source": {"channel": "web-form", "received": "2026-07-02"},
    }
    assert _split(project.root / PRIYA_FILE)[1] == ""  # the words are the quote: no body
    assert "Imported 1 submission as drafts:" in run.stdout
    assert f"  {PRIYA_FILE}  ({item_id}; shares.ndjson row 1; consent: site, email)" in run.stdout
    assert "Consent records: intake/consent/ (private: git-ignored, never published)." in run.stdout
    assert "1 imported, 0 already imported, 0 spam, 0 withdrawal requests, 0 skipped." in run.stdout
    assert (
        "cannot show the words the customer saw" not in run.stdout
    )  # the wording of this form version is on record
    assert f"{PRIYA_FILE}: takeaway: before publishing: is required but missing." in run.stdout
    assert run.stderr == ""

    record = _record(project, "sub-0001")
    imported = record["events"][1]
    assert imported["event"] == "imported"
    assert datetime.fromisoformat(imported["at"]).tzinfo is not None
    assert record == {
        "reference": "sub-0001",
        "story": {"id": item_id, "file": PRIYA_FILE},
        "received": "2026-07-01T23:30:00+00:00",
        "means": {"channel": "web-form", "service": "generic", "from": "shares.ndjson row 1"},
        "form_version": version,
        "wording": f"forms/{version}.yml",
        "agreed": ["site", "email"],
        "name": "Priya Shah",
        "show_as": "first-name",
        "contact": "priya.shah@example.net",
        "title": "Cider and a name",
        "role": "regular since 2024",
        "location": "Oakhill",
        "words": PRIYA["words"],
        "events": [
            {"event": "given", "at": "2026-07-01T23:30:00+00:00", "channels": ["site", "email"]},
            imported,
        ],
    }
    catalog = load_content(project.content, "content", icon_exists=icon_exists).require()
    assert catalog.brand.config.channels.intake is not None
    wording = form_wording(catalog.brand, catalog.values, catalog.brand.config.channels.intake)
    kept = yaml.safe_load((project.root / "intake" / "forms" / f"{version}.yml").read_text("utf-8"))
    assert kept == {"form_version": version, **json.loads(json.dumps(wording.as_dict()))}
    assert sorted(p.name for p in (project.root / "intake").rglob("*") if p.is_file()) == [
        f"{version}.yml",
        "sub-0001.yml",
    ]
    # The contact is in the private record only.
    assert _holding(project, "content", "priya.shah", "example.net") == []


def test_json_array_rows_get_ids_from_their_references(project: Project, tmp_path: Path) -> None:
    rows = [
        {
            "id": 41,  # a service's number is a reference too
            "submitted_at": "2026-11-02T18:00:00+01:00",
            "words": "The tasting table taught me to say what I taste.",
            "name": "Tom Rowe",
            "show_as": "full",
            "consent": "site,feed",
        },
        {"submitted_at": "2026-11-03", "words": "No id at all, and still my story.", "consent": ["social"]},
    ]
    (project.root / "shares.json").write_text(json.dumps(rows, indent=2), encoding="utf-8")

    run = _import(project, "shares.json")

    assert run.returncode == 0, run.stdout + run.stderr
    assert _new_stories(project) == [
        "no-id-at-all-and-still-my-story.md",
        "the-tasting-table-taught-me-to-say-what.md",
    ]
    tasting = front(project.root / STORIES / "the-tasting-table-taught-me-to-say-what.md")
    assert tasting["consent"] == {"given": "2026-11-02", "channels": ["site", "feed"], "reference": "41"}
    assert tasting["customer"] == {"name": "Tom Rowe", "show_as": "full"}
    no_id = front(project.root / STORIES / "no-id-at-all-and-still-my-story.md")
    assert re.fullmatch(r"form-[0-9a-f]{12}", no_id["consent"]["reference"])
    assert no_id["consent"]["channels"] == ["social"]
    assert "customer" not in no_id
    assert "2 imported, 0 already imported" in run.stdout
    assert tasting["id"] != no_id["id"]

    # The same submissions imported into another copy of the site get the same ids.
    other = copy_demo(tmp_path / "other")
    (other.root / "shares.json").write_text(json.dumps(rows), encoding="utf-8")
    assert _import(other, "shares.json").returncode == 0
    assert {
        front(p)["id"] for p in (other.content / "stories").glob("*.md") if p.name not in DEMO_STORIES
    } == {
        tasting["id"],
        no_id["id"],
    }


def test_csv_with_a_multi_line_cell_and_comma_separated_choices(project: Project) -> None:
    (project.root / "export.csv").write_bytes(
        b"\xef\xbb\xbf"  # a spreadsheet's byte order mark
        b"Id,Submitted_At,words,title,name,show_as,consent,values,contact,Notes from staff\r\n"
        b'c-1,2026-11-04T10:00:00Z,"First paragraph, with a comma.\n\nSecond ""quoted"" paragraph.",'
        b'Rainy Saturday,Ann Bee,full,"site, feed"," honest-advice,local-growers",ann.bee@example.org,'
        b"staff only remark\r\n"
        b"c-2,2026-11-05,Short and sweet.\r\n"  # fewer cells than columns: the rest are empty
        b",,,,,,,,,\r\n"
    )

    run = _import(project, "export.csv")

    assert run.returncode == 0, run.stdout + run.stderr
    assert _new_stories(project) == ["rainy-saturday.md", "short-and-sweet.md"]
    rainy = front(project.root / STORIES / "rainy-saturday.md")
    assert rainy["quote"] == 'First paragraph, with a comma.\n\nSecond "quoted" paragraph.'
    assert rainy["consent"] == {"given": "2026-11-04", "channels": ["site", "feed"], "reference": "c-1"}
    assert rainy["values"] == ["honest-advice", "local-growers"]
    assert rainy["customer"] == {"name": "Ann Bee", "show_as": "full"}
    short = front(project.root / STORIES / "short-and-sweet.md")
    assert short["consent"]["channels"] == []
    assert short["quote"] == "Short and sweet."
    assert "customer" not in short and "values" not in short
    assert _record(project, "c-1")["contact"] == "ann.bee@example.org"
    assert _record(project, "c-2")["contact"] is None
    assert _holding(project, "content", "ann.bee", "staff only remark") == []
    assert _holding(project, "intake", "staff only remark") == []  # a column not of the form is not read
    assert "2 imported, 0 already imported, 0 spam, 0 withdrawal requests, 0 skipped." in run.stdout


def test_csv_missing_columns_skip_the_rows_and_say_which_column(project: Project) -> None:
    (project.root / "nowords.csv").write_text("submitted_at,name,consent\n2026-11-01,Ann,site\n", "utf-8")
    (project.root / "nodate.csv").write_text("words,name\nA story with no date,Bo\n", "utf-8")
    (project.root / "good.csv").write_text("id,submitted_at,words\ng-1,2026-11-01,A good one.\n", "utf-8")

    run = _import(project, "nowords.csv", "nodate.csv", "good.csv")

    assert run.returncode == 1
    assert _new_stories(project) == ["a-good-one.md"]
    assert "Skipped 2 rows (2 problems); fix them and import again:" in run.stderr
    assert (
        "  nowords.csv row 1: words: the file has no 'words' column. "
        "Fix: name the column with the story 'words' in the first row of the file"
    ) in run.stderr
    assert (
        "  nodate.csv row 1: submitted_at: is missing: when the form was sent. "
        "Fix: write it like 2026-05-01T14:30:00+02:00 (or 2026-05-01 for midnight)"
    ) in run.stderr
    assert "1 imported, 0 already imported, 0 spam, 0 withdrawal requests, 2 skipped." in run.stdout
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize("kind", ["csv", "ndjson"])
def test_bytes_that_are_not_utf8_skip_only_their_row(project: Project, kind: str) -> None:
    latin1 = "Caf\xe9 cr\xe8me".encode("latin-1")
    if kind == "csv":
        data = (
            b"id,submitted_at,words,name\n"
            b"u-1,2026-11-01,The first good story.,Ann\n"
            b"u-2,2026-11-01," + latin1 + b",Bo\n"
            b"u-3,2026-11-01,The third good story.,Cy\n"
        )
    else:
        data = (
            b'{"id": "u-1", "submitted_at": "2026-11-01", "words": "The first good story.", "name": "Ann"}\n'
            b'{"id": "u-2", "submitted_at": "2026-11-01", "words": "' + latin1 + b'", "name": "Bo"}\n'
            b'{"id": "u-3", "submitted_at": "2026-11-01", "words": "The third good story.", "name": "Cy"}\n'
        )
    (project.root / f"mixed.{kind}").write_bytes(data)

    run = _import(project, f"mixed.{kind}")

    assert run.returncode == 1
    assert _new_stories(project) == ["the-first-good-story.md", "the-third-good-story.md"]
    assert (
        f"  mixed.{kind} row 2: words: holds bytes that are not UTF-8 text. "
        "Fix: save the file as UTF-8 (in a spreadsheet: Save As, CSV UTF-8) and read it again"
    ) in run.stderr
    assert "2 imported, 0 already imported, 0 spam, 0 withdrawal requests, 1 skipped." in run.stdout
    assert not (project.root / "intake" / "consent" / "u-2.yml").exists()
    # Fixed and imported again: only the skipped row is new.
    (project.root / f"mixed.{kind}").write_bytes(data.replace(latin1, "Café crème".encode()))
    again = _import(project, f"mixed.{kind}")
    assert again.returncode == 0, again.stderr
    assert "1 imported, 2 already imported" in again.stdout
    assert front(project.root / STORIES / "cafe-creme.md")["quote"] == "Café crème"


NETLIFY_IP = "198.51.100.77"
NETLIFY_AGENT = "Mozilla/5.0 (X11; NetlifyTestAgent/9.9)"


def test_netlify_api_json_reads_the_form_fields_only(project: Project) -> None:
    version = _form_version(project)
    submissions = [
        {
            "id": "6650a1b2c3d4e5f6a7b8c9d0",
            "number": 12,
            "created_at": "2026-07-01T23:30:00.000Z",
            "form_name": "share-your-story",
            "data": {
                "words": "The refill jars changed how we shop.",
                "title": "Jars on the shelf",
                "name": "Nia Lee",
                "show_as": "initials",
                "consent": ["social", "site"],
                "values": ["less-waste"],
                "contact": "+44 7700 900987",
                "form_version": version,
                "ip": NETLIFY_IP,
                "user_agent": NETLIFY_AGENT,
                "referrer": "https://referrer.example/private-page",
            },
            "ip": NETLIFY_IP,
            "user_agent": NETLIFY_AGENT,
            "referrer": "https://referrer.example/private-page",
        }
    ]
    (project.root / "netlify.json").write_text(json.dumps(submissions), encoding="utf-8")

    run = _import(project, "--from", "netlify", "netlify.json")

    assert run.returncode == 0, run.stdout + run.stderr
    assert _new_stories(project) == ["jars-on-the-shelf.md"]
    meta = front(project.root / STORIES / "jars-on-the-shelf.md")
    assert meta["consent"] == {
        "given": "2026-07-02",
        "channels": ["site", "social"],
        "reference": "6650a1b2c3d4e5f6a7b8c9d0",
    }
    assert meta["source"] == {"channel": "web-form", "received": "2026-07-02"}
    assert meta["customer"] == {"name": "Nia Lee", "show_as": "initials"}
    record = _record(project, "6650a1b2c3d4e5f6a7b8c9d0")
    assert record["means"]["service"] == "netlify"
    assert record["contact"] == "+44 7700 900987"
    assert record["wording"] == f"forms/{version}.yml"
    needles = (NETLIFY_IP, NETLIFY_AGENT, "NetlifyTestAgent", "referrer.example")
    assert _holding(project, "content", *needles, "900987") == []
    assert _holding(project, "intake", *needles) == []

    # Told by its shape, without --from, the same export is known.
    again = _import(project, "netlify.json")
    assert again.returncode == 0
    assert "Imported nothing new." in again.stdout
    assert f"  netlify.json row 1: 6650a1b2c3d4e5f6a7b8c9d0 is {STORIES}/jars-on-the-shelf.md" in again.stdout


def test_formspree_api_json_leaves_spam_out(project: Project) -> None:
    export = {
        "fields": ["words", "name", "consent", "contact", "_gotcha", "_date"],
        "submissions": [
            {
                "_date": "2026-10-05T10:00:00.000Z",
                "words": "A bottle for my sister's fortieth, chosen in five minutes.",
                "title": "Five minutes",
                "name": "Fola Spree",
                "consent": "site,email",
                "contact": "fola@example.org",
            },
            {"_date": "2026-10-06T03:00:00Z", "words": "Cheap pills at pills.example", "_gotcha": "x"},
        ],
    }
    (project.root / "formspree.json").write_text(json.dumps(export), encoding="utf-8")

    run = _import(project, "--from", "formspree", "formspree.json")

    assert run.returncode == 0, run.stdout + run.stderr
    assert _new_stories(project) == ["five-minutes.md"]
    meta = front(project.root / STORIES / "five-minutes.md")
    reference = meta["consent"]["reference"]
    assert re.fullmatch(r"formspree-[0-9a-f]{12}", reference)
    assert meta["consent"]["channels"] == ["site", "email"]
    assert _record(project, reference)["means"]["service"] == "formspree"
    assert (
        "Left out as spam (1): the hidden anti-spam field was filled in:\n  formspree.json row 2: _gotcha\n"
        in run.stdout
    )
    assert "1 imported, 0 already imported, 1 spam, 0 withdrawal requests, 0 skipped." in run.stdout
    assert _holding(project, "content", "pills", "fola@") == []
    assert _holding(project, "intake", "pills") == []


MAILTO = """\
From: "Mai Lto" <mai.lto@example.org>
To: stories@oakhill-corner-wines.example
Subject: Share your story
Date: Tue, 10 Nov 2026 23:30:00 -0500
Message-ID: <share-1@mail.example.org>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

words=We walked in out of the rain.
We stayed for the whole tasting, and Zoë poured.
title=Out of the rain
name=Mai Lto
show_as=first-name
values=local-growers
consent=social
consent=site
form_version={version}
-- \n\
Mai, sent from my phone 07700 900555
"""


def test_mailto_message_eml(project: Project) -> None:
    version = _form_version(project)
    (project.root / "share.eml").write_text(MAILTO.format(version=version), encoding="utf-8")

    run = _import(project, "share.eml")

    assert run.returncode == 0, run.stdout + run.stderr
    assert _new_stories(project) == ["out-of-the-rain.md"]
    meta = front(project.root / STORIES / "out-of-the-rain.md")
    reference = meta["consent"]["reference"]
    assert re.fullmatch(r"email-[0-9a-f]{12}", reference)
    assert meta["quote"] == "We walked in out of the rain.\nWe stayed for the whole tasting, and Zoë poured."
    assert meta["customer"] == {"name": "Mai Lto", "show_as": "first-name"}
    assert meta["values"] == ["local-growers"]
    # 23:30 in New York on 10 November is 04:30 on 11 November in London.
    assert meta["consent"] == {"given": "2026-11-11", "channels": ["site", "social"], "reference": reference}
    assert meta["source"] == {"channel": "email", "received": "2026-11-11"}
    record = _record(project, reference)
    assert record["contact"] == "mai.lto@example.org"  # the sender, as the form asked for none
    assert record["means"] == {"channel": "email", "service": "email", "from": "share.eml row 1"}
    assert record["wording"] == f"forms/{version}.yml"
    assert (project.root / "intake" / "forms" / f"{version}.yml").is_file()
    assert _holding(project, "content", "mai.lto", "900555", "sent from my phone") == []
    assert "sent from my phone" not in record["words"]


MBOX = """\
From one@example.org Tue Nov 10 09:15:00 2026
From: One Person <one@example.org>
To: stories@oakhill-corner-wines.example
Date: Tue, 10 Nov 2026 09:15:00 +0000
Message-ID: <one@mail.example.org>
Content-Type: text/plain; charset=utf-8

words=The first message's story.
consent=site

From two@example.org Wed Nov 11 09:15:00 2026
From: Two Person <two@example.org>
To: stories@oakhill-corner-wines.example
Date: Wed, 11 Nov 2026 09:15:00 +0000
Message-ID: <two@mail.example.org>
Content-Type: text/plain; charset=utf-8

words=The second message's story.
It has two lines.
name=Two Person
show_as=anonymous
contact=+44 7700 900456
consent=feed
consent=site

"""


def test_mailbox_with_two_messages(project: Project) -> None:
    (project.root / "stories.mbox").write_text(MBOX, encoding="utf-8")

    run = _import(project, "stories.mbox")

    assert run.returncode == 0, run.stdout + run.stderr
    assert _new_stories(project) == [
        "the-first-message-s-story.md",
        "the-second-message-s-story-it-has-two-lines.md",
    ]
    first = front(project.root / STORIES / "the-first-message-s-story.md")
    second = front(project.root / STORIES / "the-second-message-s-story-it-has-two-lines.md")
    assert first["quote"] == "The first message's story."
    assert first["consent"]["channels"] == ["site"]
    assert second["quote"] == "The second message's story.\nIt has two lines."
    assert second["consent"]["channels"] == ["site", "feed"]
    assert second["customer"] == {"name": "Two Person", "show_as": "anonymous"}
    assert first["consent"]["reference"] != second["consent"]["reference"]
    assert f"({first['id']}; stories.mbox row 1; consent: site)" in run.stdout
    assert f"({second['id']}; stories.mbox row 2; consent: site, feed)" in run.stdout
    assert _record(project, first["consent"]["reference"])["contact"] == "one@example.org"
    assert _record(project, second["consent"]["reference"])["contact"] == "+44 7700 900456"
    assert _holding(project, "content", "one@example.org", "two@example.org", "900456") == []

    again = _import(project, "stories.mbox")
    assert again.returncode == 0
    assert "0 imported, 2 already imported" in again.stdout


# Hostile text -------------------------------------------------------------------------------

HOSTILE = (
    'Before <script>alert("intake")</script> then {{ config }} and {% include "base.html" %} '
    "with *|FNAME|* and %%{x}%% then \u202eevil\u0007 bell \x00 nul \x1b[31m \u2066iso\u2069 after."
)
HOSTILE_TITLE = "Hello <script>alert(2)</script> \u202e{{ config.site_name }}"

_PARAGRAPHS = (
    "<script>alert('body')</script> came first, then {{ config }} and {% include 'x' %}.",
    "# Not a heading, just a hash at the start.",
    "> Not a quote block either.",
    "- Not a list item.",
    "1. Not a numbered item.",
    "*Not emphasis* and _not underlined_ and `not code` and [not a link](javascript:alert(3)).",
    "Merge tags *|FNAME|* and %%{uuid}%% and {{ subscriber.email }} stay words.",
    "An ampersand &amp; an entity &lt;b&gt; and a backslash \\ and a pipe | stay too.",
    "This paragraph\nruns over\ntwo line breaks.",
)


def _long_story() -> str:
    """Exactly 100,000 characters in many paragraphs, hostile ones among them."""
    parts: list[str] = []
    size = 0
    number = 0
    while size < 100_000:
        number += 1
        paragraph = f"Paragraph {number}. " + _PARAGRAPHS[number % len(_PARAGRAPHS)] + " We liked the wine."
        parts.append(paragraph)
        size += len(paragraph) + 2
    text = "\n\n".join(parts)[:99_990].rstrip()
    return text + "x" * (100_000 - len(text))


def test_hostile_text_stays_text_from_import_to_the_built_site(project: Project) -> None:
    long_story = _long_story()
    assert len(long_story) == 100_000
    name = _ndjson(
        project.root / "hostile.ndjson",
        {
            "id": "h-1",
            "submitted_at": "2026-11-20T12:00:00Z",
            "words": HOSTILE,
            "title": HOSTILE_TITLE,
            "name": "Eve <b>Bold</b>\u202e",
            "consent": ["site", "feed", "email", "social"],
        },
        {
            "id": "h-2",
            "submitted_at": "2026-11-20T12:00:00Z",
            "words": long_story,
            "title": "The long one",
            "name": "Lon Gwords",
            "consent": ["site", "feed"],  # too long for an email: Gmail clips it, the build says so
        },
    )

    run = _import(project, name)

    assert run.returncode == 0, run.stdout + run.stderr
    hostile_file = project.root / STORIES / "hello-script-alert-2-script-config-site-name.md"
    long_file = project.root / STORIES / "the-long-one.md"
    assert sorted(p.name for p in (hostile_file, long_file)) == _new_stories(project)
    for path in (hostile_file, long_file, *(project.root / "intake").rglob("*.yml")):
        text = path.read_text(encoding="utf-8")
        assert not set(CONTROLS) & set(text), path

    hostile = _meta(hostile_file)
    assert hostile["quote"] == _without_controls(HOSTILE)
    assert hostile["title"] == _without_controls(HOSTILE_TITLE)
    assert hostile["customer"]["name"] == "Eve <b>Bold</b>"
    assert _record(project, "h-1")["words"] == _without_controls(HOSTILE)

    # Longer than a quote may be: the words go whole into the body, and there is no quote.
    long_meta = _meta(long_file)
    assert "quote" not in long_meta
    body = _split(long_file)[1]
    assert "<script>" not in body and "{{ config }}" not in body  # escaped Markdown
    assert _unescape_markdown(body).split() == long_story.split()
    assert _record(project, "h-2")["words"] == long_story

    # The editor completes both drafts and publishes them.
    common: dict[str, object] = {
        "status": "published",
        "date": "2026-11-20",
        "takeaway": "What a customer types stays what they typed.",
        "values": ["honest-advice"],
    }
    _edit(hostile_file, **common, customer={"name": "Eve <b>Bold</b>", "show_as": "full"})
    _edit(long_file, **common, customer={"name": "Lon Gwords", "show_as": "full"}, quote="An excerpt of it.")
    check = _run(project, "check")
    assert check.returncode == 0, check.stdout + check.stderr

    build = run_tool("mkdocs", "build", "--strict", cwd=project.root)
    assert build.returncode == 0, build.stderr
    outputs = [
        p
        for folder in (project.site, project.root / "outbox")
        for p in folder.rglob("*")
        if p.suffix in {".html", ".xml"}
    ]
    assert project.site / "stories" / hostile_file.stem / "index.html" in outputs
    assert project.root / "outbox" / "stories" / hostile_file.stem / "email.html" in outputs
    for path in outputs:
        text = path.read_text(encoding="utf-8", errors="replace")
        for payload in ('<script>alert("intake")', "<script>alert(2)", "<script>alert('body')", "<b>Bold"):
            assert payload not in text, (path, payload)
        assert 'href="javascript:alert(3)' not in text, path

    page = (project.site / "stories" / hostile_file.stem / "index.html").read_text(encoding="utf-8")
    shown = _without_controls(HOSTILE)
    article = lxml_html.fromstring(page).find_class("md-content__inner")[0].text_content()
    assert " ".join(shown.split()) in " ".join(article.split())  # Jinja and merge tags as text
    for tag in ("{{ config }}", '{% include "base.html" %}', "*|FNAME|*", "%%{x}%%"):
        assert html.escape(tag, quote=False) in page or tag in page, tag
    assert "{{ config.site_name }}" in lxml_html.fromstring(page).findtext(".//title")

    long_page = (project.site / "stories" / "the-long-one" / "index.html").read_text(encoding="utf-8")
    long_article = lxml_html.fromstring(long_page).find_class("md-content__inner")[0].text_content()
    assert " ".join(long_story.split()) in " ".join(long_article.split())  # nothing lost


# Consent and duplicates ---------------------------------------------------------------------


def test_nothing_ticked_is_a_draft_with_no_channels_and_check_advises(project: Project) -> None:
    name = _ndjson(
        project.root / "shares.ndjson",
        {"id": "n-1", "submitted_at": "2026-11-01", "words": "Read it, but do not publish it yet."},
        {"id": "n-2", "submitted_at": "2026-11-01", "words": "Nothing ticked here either.", "consent": []},
    )

    run = _import(project, name)

    assert run.returncode == 0, run.stdout + run.stderr
    assert "consent: nothing ticked" in run.stdout
    for slug in ("read-it-but-do-not-publish-it-yet", "nothing-ticked-here-either"):
        path = project.root / STORIES / f"{slug}.md"
        assert "  channels: []\n" in path.read_text(encoding="utf-8")
        assert front(path)["consent"]["channels"] == []
    assert _record(project, "n-1")["agreed"] == []
    assert _record(project, "n-1")["events"][0]["channels"] == []

    check = _run(project, "check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "Content is fine:" in check.stdout
    for slug in ("read-it-but-do-not-publish-it-yet", "nothing-ticked-here-either"):
        assert re.search(
            rf"^  {STORIES}/{slug}\.md:\d+: consent\.channels: before publishing: the customer agreed to no channel",
            check.stdout,
            re.M,
        ), check.stdout


def test_duplicates_in_a_file_and_a_second_run_create_nothing_new(project: Project) -> None:
    row = {
        "id": "d-1",
        "submitted_at": "2026-11-01",
        "words": "Sent twice by a double click.",
        "consent": ["site"],
    }
    no_id = {"submitted_at": "2026-11-02", "words": "No id, sent twice as well."}
    spam = {"id": "d-9", "submitted_at": "2026-11-02", "words": "Buy now", "_gotcha": "filled by a robot"}
    name = _ndjson(project.root / "shares.ndjson", row, row, no_id, no_id, spam)

    first = _import(project, name)

    assert first.returncode == 0, first.stdout + first.stderr
    assert _new_stories(project) == ["no-id-sent-twice-as-well.md", "sent-twice-by-a-double-click.md"]
    assert f"  shares.ndjson row 2: d-1 is {STORIES}/sent-twice-by-a-double-click.md" in first.stdout
    assert "2 imported, 2 already imported, 1 spam, 0 withdrawal requests, 0 skipped." in first.stdout
    assert "  shares.ndjson row 5: _gotcha" in first.stdout
    before = _tree(project)

    second = _import(project, name)

    assert second.returncode == 0, second.stdout + second.stderr
    assert "Imported nothing new." in second.stdout
    assert "Already imported (4), nothing new written:" in second.stdout
    assert "0 imported, 4 already imported, 1 spam, 0 withdrawal requests, 0 skipped." in second.stdout
    assert "Before publishing" not in second.stdout
    assert _tree(project) == before  # byte for byte


def test_a_draft_the_editor_deleted_is_not_imported_again(project: Project) -> None:
    name = _ndjson(
        project.root / "shares.ndjson",
        {"id": "del-1", "submitted_at": "2026-11-01", "words": "A story the editor turned down."},
    )
    assert _import(project, name).returncode == 0
    (project.root / STORIES / "a-story-the-editor-turned-down.md").unlink()
    record = (project.root / "intake" / "consent" / "del-1.yml").read_bytes()

    again = _import(project, name)

    assert again.returncode == 0, again.stderr
    assert "Imported nothing new." in again.stdout
    assert "  shares.ndjson row 1: del-1 is intake/consent/del-1.yml (its story file is gone)" in again.stdout
    assert _new_stories(project) == []
    assert (project.root / "intake" / "consent" / "del-1.yml").read_bytes() == record


def test_withdraw_updates_the_record_and_the_story_never_comes_back(project: Project) -> None:
    name = _ndjson(project.root / "shares.ndjson", {**PRIYA, "form_version": _form_version(project)})
    assert _import(project, name).returncode == 0
    item_id = front(project.root / PRIYA_FILE)["id"]
    before = _record(project, "sub-0001")

    run = _run(project, "withdraw", PRIYA_FILE)

    assert run.returncode == 0, run.stdout + run.stderr
    assert (
        "Recorded the withdrawal in intake/consent/sub-0001.yml; erased its words, title, role, location; "
        "kept who agreed, when, and to what (proof of past consent)."
    ) in run.stdout
    assert front(project.root / PRIYA_FILE) == {
        "id": item_id,
        "consent": {"withdrawn": TODAY, "reference": "sub-0001"},
    }
    after = _record(project, "sub-0001")
    for erased in ("words", "title", "role", "location"):
        assert after[erased] is None, erased
    for kept in ("reference", "story", "received", "means", "form_version", "wording", "agreed", "name"):
        assert after[kept] == before[kept], kept
    assert after["contact"] == "priya.shah@example.net"
    assert after["show_as"] == "first-name"
    assert after["events"][:2] == before["events"]
    assert after["events"][2]["event"] == "withdrawn"
    assert after["events"][2]["date"] == TODAY
    assert len(after["events"]) == 3
    record_text = (project.root / "intake" / "consent" / "sub-0001.yml").read_text(encoding="utf-8")
    assert "grower" not in record_text and "Cider and a name" not in record_text
    withdrawn = _tree(project)

    again = _import(project, name)

    assert again.returncode == 0, again.stderr
    assert "Imported nothing new." in again.stdout
    assert f"  shares.ndjson row 1: sub-0001 is {PRIYA_FILE} (withdrawn: it stays out)" in again.stdout
    assert _tree(project) == withdrawn

    # The tombstone alone keeps it out, should the consent records be lost.
    for path in sorted((project.root / "intake").rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    (project.root / "intake").rmdir()
    lost = _import(project, name)
    assert lost.returncode == 0, lost.stderr
    assert "0 imported, 1 already imported" in lost.stdout
    assert not (project.root / "intake").exists()
    assert front(project.root / PRIYA_FILE)["consent"] == {"withdrawn": TODAY, "reference": "sub-0001"}


def test_withdrawal_rows_name_the_command_to_run(project: Project) -> None:
    corked = front(project.root / STORIES / "the-corked-bottle.md")
    window = front(project.root / STORIES / "a-seat-by-the-window.md")
    friday = front(project.root / STORIES / "the-first-friday.md")
    when = {"submitted_at": "2026-11-21T09:00:00Z", "contact": "leave@example.org"}
    name = _ndjson(
        project.root / "withdrawals.ndjson",
        {"id": "w-1", **when, "withdraw": "https://oakhill-corner-wines.example/stories/the-corked-bottle/"},
        {"id": "w-2", **when, "withdraw": window["id"]},
        {"id": "w-3", **when, "withdraw": friday["title"].upper() + "!"},
        {"id": "w-4", **when, "withdraw": "the one about the dog"},
    )
    before = _tree(project)

    run = _import(project, name)

    assert run.returncode == 0, run.stdout + run.stderr
    assert corked["id"] != window["id"]
    assert "Withdrawal requests (4): confirm each comes from the storyteller, then run" in run.stdout
    for row, slug in ((1, "the-corked-bottle"), (3, "the-first-friday")):
        assert f"  followhome withdraw {STORIES}/{slug}.md    # withdrawals.ndjson row {row}\n" in run.stdout
    # The demo's a-seat-by-the-window is a tombstone already: no command to run again.
    assert (
        f"  withdrawals.ndjson row 2: {STORIES}/a-seat-by-the-window.md is withdrawn already\n" in run.stdout
    )
    assert "  withdrawals.ndjson row 4: 'the one about the dog' matches no story" in run.stdout
    assert "0 imported, 0 already imported, 0 spam, 4 withdrawal requests, 0 skipped." in run.stdout
    assert _tree(project) == before  # the editor confirms first: nothing is withdrawn or written


# Contact details ----------------------------------------------------------------------------


def test_contact_details_in_the_words_stay_out_of_file_names_and_check_advises(project: Project) -> None:
    name = _ndjson(
        project.root / "shares.ndjson",
        {
            "id": "p-1",
            "submitted_at": "2026-11-01",
            "words": "Ring me on 07700 900123 or write to sam.cellar@example.com about the cellar tour.",
            "contact": "07700 900123",
        },
        {
            "id": "p-2",
            "submitted_at": "2026-11-01",
            "words": "A lovely evening.",
            "title": "Call 07700 900124",
        },
    )

    run = _import(project, name)

    assert run.returncode == 0, run.stdout + run.stderr
    new = _new_stories(project)
    assert len(new) == 2
    for file_name in new:
        for leak in ("07700", "900123", "900124", "sam", "cellar-example", "example-com"):
            assert leak not in file_name, file_name
    words_file = next(f for f in new if "ring-me" in f)
    title_file = next(f for f in new if f != words_file)
    assert "contact" not in front(project.root / STORIES / words_file)
    assert _record(project, "p-1")["contact"] == "07700 900123"

    check = _run(project, "check")
    assert check.returncode == 0, check.stdout + check.stderr
    for file_name, field, what in (
        (words_file, "quote", "a phone number"),
        (words_file, "quote", "an email address"),
        (title_file, "title", "a phone number"),
    ):
        assert re.search(
            rf"^  {STORIES}/{re.escape(file_name)}:\d+: {field}: before publishing: holds {what} \(.+\)\. "
            "Fix: remove the customer's contact details from their words",
            check.stdout,
            re.M,
        ), (file_name, field, what, check.stdout)


def test_dry_run_writes_nothing(project: Project) -> None:
    name = _ndjson(
        project.root / "shares.ndjson",
        {**PRIYA, "form_version": _form_version(project)},
        {"id": "dry-2", "submitted_at": "2026-11-01", "words": "x", "_gotcha": "robot"},
    )
    before = _tree(project)

    run = _import(project, "--dry-run", name)

    assert run.returncode == 0, run.stdout + run.stderr
    assert "Would import 1 submission as drafts:" in run.stdout
    assert f"  {PRIYA_FILE}  (" in run.stdout
    assert "Dry run, nothing written: 1 imported, 0 already imported, 1 spam" in run.stdout
    assert "Consent records:" not in run.stdout
    assert (
        "cannot show the words the customer saw" not in run.stdout
    )  # the current form's wording would be kept
    assert _tree(project) == before
    assert not (project.root / "intake").exists()

    real = _import(project, name)
    assert real.returncode == 0
    assert "Imported 1 submission as drafts:" in real.stdout
    assert (project.root / PRIYA_FILE).is_file()


def test_contact_never_reaches_content(project: Project) -> None:
    contacts = ("priya.shah@example.net", "+44 7700 900321", "ann.bee@example.org", "mai.lto@example.org")
    _ndjson(
        project.root / "a.ndjson",
        PRIYA,
        {"id": "c-2", "submitted_at": "2026-11-01", "words": "By phone.", "contact": contacts[1]},
    )
    (project.root / "b.csv").write_text(
        f"id,submitted_at,words,contact\nc-3,2026-11-02,By spreadsheet.,{contacts[2]}\n", encoding="utf-8"
    )
    (project.root / "c.eml").write_text(MAILTO.format(version="0123456789ab"), encoding="utf-8")

    run = _import(project, "a.ndjson", "b.csv", "c.eml")

    assert run.returncode == 0, run.stdout + run.stderr
    assert "4 imported" in run.stdout
    assert _holding(project, "content", *contacts, "900321") == []
    assert contacts[0] not in run.stdout and contacts[1] not in run.stdout
    records = [p.read_text(encoding="utf-8") for p in (project.root / "intake" / "consent").glob("*.yml")]
    assert sorted(c for c in contacts for r in records if c in r) == sorted(contacts)
    # A form version other than the current one is recorded, with a note that its words are unknown.
    assert (
        "c.eml row 1 came from form version 0123456789ab, whose wording is not in intake/forms/" in run.stdout
    )
    assert not (project.root / "intake" / "forms" / "0123456789ab.yml").exists()


# Publishing --------------------------------------------------------------------------------


def test_a_published_draft_still_missing_its_takeaway_fails_check(project: Project) -> None:
    name = _ndjson(project.root / "shares.ndjson", PRIYA)
    assert _import(project, name).returncode == 0
    path = project.root / PRIYA_FILE
    _edit(path, date="2026-11-20")  # everything but the takeaway
    advice = _run(project, "check")
    assert advice.returncode == 0, advice.stdout + advice.stderr
    assert f"  {PRIYA_FILE}: takeaway: before publishing: is required but missing." in advice.stdout

    _edit(path, status="published")
    check = _run(project, "check")

    assert check.returncode == 1
    assert (
        f"{PRIYA_FILE}: takeaway: is required but missing. Fix: add `takeaway:` with a value" in check.stdout
    )
    assert "before publishing" not in check.stdout
    assert "1 problem in 1 file." in check.stderr

    _edit(path, takeaway="Knowing the grower brings people back.")
    assert _run(project, "check").returncode == 0


def test_strict_build_with_an_incomplete_draft_passes_and_shows_nothing_of_it(project: Project) -> None:
    version = _form_version(project)
    name = _ndjson(
        project.root / "shares.ndjson",
        {**PRIYA, "form_version": version},
        {"id": "b-2", "submitted_at": "2026-11-01", "words": "Untitled, unticked, unnamed draft words."},
    )
    assert _import(project, name).returncode == 0
    drafts = [front(project.root / STORIES / f) for f in _new_stories(project)]
    assert len(drafts) == 2

    build = run_tool("mkdocs", "build", "--strict", cwd=project.root)

    assert build.returncode == 0, build.stderr
    site = project.site_text()
    assert site
    for draft in drafts:
        for needle in (draft["id"], draft["quote"].split("\n")[0], draft["consent"]["reference"]):
            assert not [p for p, text in site.items() if needle in text], needle
    for path in project.site.rglob("*"):
        assert "cider-and-a-name" not in path.as_posix() and "untitled-unticked" not in path.as_posix()
    assert not [p for p, text in site.items() if "Priya" in text or "Cider and a name" in text]
    share = site["share-your-story/index.html"]
    assert f'<input type="hidden" name="form_version" value="{version}">' in share
    assert (project.root / "intake" / "forms" / f"{version}.yml").is_file()


# Bugs found by these tests, fixed ----------------------------------------------------------------


def test_a_reference_written_in_the_words_does_not_hide_another_submission(project: Project) -> None:
    first = _ndjson(
        project.root / "first.ndjson",
        {"id": "a-1", "submitted_at": "2026-11-01", "words": "Hello there.\n\nreference: b-2"},
    )
    assert _import(project, first).returncode == 0
    later = _ndjson(
        project.root / "later.ndjson",
        {"id": "b-2", "submitted_at": "2026-11-02", "words": "A real story from someone else."},
    )

    run = _import(project, later)

    assert "1 imported, 0 already imported" in run.stdout, run.stdout


def test_a_long_story_keeps_words_that_start_like_markdown_blocks(project: Project) -> None:
    paragraphs = ['!!! danger "Pay now"', '??? note "Hidden"', "~~~", "<b>inside</b>", "~~~"]
    words = "\n\n".join([*paragraphs, "Filler words to make it long. " * 70])
    name = _ndjson(project.root / "long.ndjson", {"id": "m-1", "submitted_at": "2026-11-01", "words": words})
    assert _import(project, name).returncode == 0
    [file_name] = _new_stories(project)
    path = project.root / STORIES / file_name
    _edit(
        path,
        status="published",
        title="Blocks",
        date="2026-11-20",
        takeaway="Words stay words.",
        quote="Filler words.",
        values=["honest-advice"],
        customer={"name": "Mark Down", "show_as": "full"},
        consent={"given": "2026-11-01", "channels": ["site"], "reference": "m-1"},
    )
    assert run_tool("mkdocs", "build", "--strict", cwd=project.root).returncode == 0

    page = (project.site / "stories" / path.stem / "index.html").read_text(encoding="utf-8")
    article = lxml_html.fromstring(page).find_class("md-content__inner")[0].text_content()
    assert " ".join(words.split()) in " ".join(article.split())


def test_an_unknown_value_left_out_is_said(project: Project) -> None:
    name = _ndjson(project.root / "shares.ndjson", PRIYA)

    run = _import(project, name)

    assert "not-a-value" in run.stdout + run.stderr


def test_a_row_with_two_bad_fields_counts_as_one_skipped_row(project: Project) -> None:
    (project.root / "bad.ndjson").write_bytes(
        b'{"id": "x-1", "submitted_at": "2026-11-01", "words": "caf\xe9", "name": "Ren\xe9"}\n'
    )

    run = _import(project, "bad.ndjson")

    assert run.returncode == 1
    assert "bad.ndjson row 1: words:" in run.stderr and "bad.ndjson row 1: name:" in run.stderr
    assert "0 imported, 0 already imported, 0 spam, 0 withdrawal requests, 1 skipped." in run.stdout


def test_a_story_line_starting_with_from_keeps_its_words_in_a_mailbox(project: Project) -> None:
    (project.root / "box.mbox").write_text(
        "From a@example.org Tue Nov 10 09:15:00 2026\n"
        "From: A <a@example.org>\nDate: Tue, 10 Nov 2026 09:15:00 +0000\nMessage-ID: <q@example.org>\n"
        "Content-Type: text/plain; charset=utf-8\n\n"
        "words=We met the grower.\n>From then on we bought nothing else.\nconsent=site\n",
        encoding="utf-8",
    )
    assert _import(project, "box.mbox").returncode == 0

    [file_name] = _new_stories(project)
    meta = front(project.root / STORIES / file_name)

    assert meta["quote"] == "We met the grower.\nFrom then on we bought nothing else."


def test_contact_details_in_the_role_are_advice_in_a_draft(project: Project) -> None:
    name = _ndjson(
        project.root / "shares.ndjson",
        {"id": "r-1", "submitted_at": "2026-11-01", "words": "Nice.", "role": "call me 07700 900125"},
    )
    assert _import(project, name).returncode == 0

    check = _run(project, "check")

    assert re.search(r"customer\.role: before publishing: holds a phone number", check.stdout)


# From the newcomer's review ---------------------------------------------------------------------


def test_a_reused_id_with_other_words_is_skipped_not_taken_for_a_reimport(project: Project) -> None:
    name = _ndjson(
        project.root / "dup.ndjson",
        {"id": "d-1", "submitted_at": "2026-11-01", "words": "First story.", "consent": ["site"]},
        {"id": "d-1", "submitted_at": "2026-11-02", "words": "Another story.", "consent": ["site", "social"]},
    )

    run = _import(project, name)

    assert run.returncode == 1
    assert "dup.ndjson row 2: id: 'd-1' was imported before" in run.stderr
    assert "with other words or consent" in run.stderr
    assert len(_new_stories(project)) == 1
    again = _import(project, name)  # the same rows again: row 1 is known, row 2 still refused
    assert again.returncode == 1 and "1 already imported" in again.stdout


def test_a_plain_email_is_taken_whole_as_the_story_with_nothing_ticked(project: Project) -> None:
    (project.root / "plain.eml").write_text(
        "From: Carol <carol@example.org>\nDate: Tue, 10 Nov 2026 09:15:00 +0000\nMessage-ID: <p@example.org>\n"
        "Content-Type: text/plain; charset=utf-8\n\nMy mail program would not open, so here it is.\n\n"
        "We came for the tasting and stayed for the table.\n",
        encoding="utf-8",
    )

    run = _import(project, "plain.eml")

    assert run.returncode == 0, run.stderr
    assert "all of its text is taken as the story" in run.stdout
    [file_name] = _new_stories(project)
    meta = front(project.root / STORIES / file_name)
    assert meta["quote"].endswith("We came for the tasting and stayed for the table.")
    assert meta["consent"]["channels"] == []
    assert _record(project, meta["consent"]["reference"])["contact"] == "carol@example.org"


def test_withdraw_rename_updates_the_record_and_a_missing_record_folder_is_said(project: Project) -> None:
    name = _ndjson(project.root / "shares.ndjson", PRIYA)
    assert _import(project, name).returncode in (0, 1)
    elsewhere = _run(project, "withdraw", PRIYA_FILE, "--intake", "nowhere")
    assert "run this again with --intake pointing at the folder of consent records" in elsewhere.stdout
    done = _run(project, "withdraw", PRIYA_FILE, "--rename")
    assert done.returncode == 0, done.stderr
    record = _record(project, "sub-0001")
    renamed = f"{STORIES}/{record['story']['id']}.md"
    assert record["story"]["file"] == renamed and (project.root / renamed).is_file()
    assert record["words"] is None
