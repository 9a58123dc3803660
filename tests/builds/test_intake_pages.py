"""The share-your-story form, its QR code, the thank-you and withdrawal pages, as built.

Read from the built HTML as a browser would get it (lxml), for the demo's form service and
for a mailto form and Netlify Forms; and brand.yml mistakes in ``channels.intake`` named the
way an editor runs the tools.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree, html

from followhome.intake.submission import FIELDS as SUBMISSION_FIELDS
from followhome.model.loader import load_content
from followhome.publishing.intake_form import form_wording
from tests.conftest import Project, run_tool
from tests.helpers import BRAND, minimal_project

FIELDS = set(SUBMISSION_FIELDS)  # the importer's field names: the form must post exactly these


def _form(site: Path, page: str) -> html.HtmlElement:
    tree = html.fromstring((site / page).read_text(encoding="utf-8"))
    forms = tree.xpath("//article//form")
    assert len(forms) == 1, page
    form: html.HtmlElement = forms[0]
    return form


def _labelled(form: html.HtmlElement) -> None:
    """Every visible control has a label that names it (for= its id)."""
    labels = {label.get("for") for label in form.xpath(".//label")}
    for control in form.xpath(".//input[not(@type='hidden')] | .//textarea"):
        assert control.get("id") in labels, html.tostring(control)


def test_share_page_has_every_field_and_no_box_ticked(built_demo: Project) -> None:
    form = _form(built_demo.site, "share-your-story/index.html")
    assert form.get("method") == "post"
    assert form.get("action") == "https://formspree.io/f/xdemoform"
    names = {c.get("name") for c in form.xpath(".//input | .//textarea")}
    assert names == FIELDS | {"_gotcha"}
    assert form.xpath(".//textarea[@name='words']")[0].get("required") is not None
    consent = form.xpath(".//input[@name='consent']")
    assert [c.get("value") for c in consent] == ["site", "feed", "email", "social"]
    assert not form.xpath(".//input[@checked]")  # no box ticked, no name choice made for them
    assert [r.get("value") for r in form.xpath(".//input[@name='show_as']")] == [
        "full",
        "first-name",
        "initials",
        "anonymous",
    ]
    catalog = load_content(built_demo.content).require()
    intake = catalog.brand.config.channels.intake
    assert intake is not None
    wording = form_wording(catalog.brand, catalog.values, intake)
    assert form.xpath(".//input[@name='form_version']")[0].get("value") == wording.version
    assert [v.get("value") for v in form.xpath(".//input[@name='values']")] == [v.id for v in catalog.values]
    text = form.text_content()
    for _, words in wording.consent:  # each box's plain words, and how to withdraw
        assert words in text
    assert "change your mind at any time" in text
    trap = form.xpath(".//input[@name='_gotcha']")[0]
    assert trap.getparent().get("hidden") is not None and trap.get("tabindex") == "-1"
    _labelled(form)
    links = {a.get("href") for a in form.xpath(".//a")}
    assert {"../withdraw/", "../how-we-choose-stories/"} <= links


def test_show_as_and_consent_choices_are_radio_and_checkboxes(built_demo: Project) -> None:
    form = _form(built_demo.site, "share-your-story/index.html")
    assert {r.get("type") for r in form.xpath(".//input[@name='show_as']")} == {"radio"}
    assert {r.get("type") for r in form.xpath(".//input[@name='consent']")} == {"checkbox"}
    legends = [fs.xpath("./legend")[0].text_content() for fs in form.xpath(".//fieldset")]
    assert (
        legends[0] == "How may we name you? (required)" and legends[-1] == "Where may we publish your story?"
    )


def test_share_page_is_linked_from_home_stories_and_policy(built_demo: Project) -> None:
    for page, href in [
        ("index.html", "share-your-story/"),
        ("stories/index.html", "../share-your-story/"),
        ("how-we-choose-stories/index.html", "../share-your-story/"),
        ("how-we-choose-stories/index.html", "../withdraw/"),
    ]:
        tree = html.fromstring((built_demo.site / page).read_text(encoding="utf-8"))
        assert tree.xpath(f"//article//a[@href='{href}']"), page


def test_qr_code_is_an_svg_of_the_share_address(built_demo: Project) -> None:
    svg = etree.fromstring((built_demo.site / "share-your-story/qr.svg").read_bytes())
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    assert svg.get("viewBox", "").startswith("0 0 ")
    title = svg.find("{http://www.w3.org/2000/svg}title")
    assert (
        title is not None and title.text == "QR code: https://oakhill-corner-wines.example/share-your-story/"
    )
    page = html.fromstring((built_demo.site / "share-your-story/index.html").read_text(encoding="utf-8"))
    assert page.xpath("//article//img[@src='qr.svg' and @alt]")


def test_thanks_and_withdraw_pages(built_demo: Project) -> None:
    thanks = html.fromstring(
        (built_demo.site / "share-your-story/thanks/index.html").read_text(encoding="utf-8")
    )
    assert "Your message reached us" in thanks.text_content()  # a story or a withdrawal request
    form = _form(built_demo.site, "withdraw/index.html")
    assert form.get("action") == "https://formspree.io/f/xdemoform"
    assert {c.get("name") for c in form.xpath(".//input")} == {"withdraw", "contact", "_gotcha"}
    assert form.xpath(".//input[@name='withdraw']")[0].get("required") is not None
    _labelled(form)


def _project(tmp_path: Path, intake: str) -> Path:
    root = minimal_project(tmp_path / "p")
    (root / "content" / "brand.yml").write_text(BRAND + "channels:\n  intake:\n" + intake, encoding="utf-8")
    return root


def test_mailto_form_needs_nothing_but_static_hosting(tmp_path: Path) -> None:
    root = _project(tmp_path, "    email: stories@shop.example\n")
    run = run_tool("mkdocs", "build", "--strict", cwd=root)
    assert run.returncode == 0, run.stderr
    form = _form(root / "site", "share-your-story/index.html")
    assert form.get("action") == "mailto:stories@shop.example?subject=My%20story"
    assert form.get("enctype") == "text/plain" and form.get("method") == "post"
    assert not (root / "site" / "share-your-story" / "thanks").exists()  # a mail program has no redirect
    page = (root / "site" / "share-your-story" / "index.html").read_text(encoding="utf-8")
    assert "Your email program opens with your story" in page


def test_netlify_form_names_its_honeypot(tmp_path: Path) -> None:
    root = _project(
        tmp_path, "    action: https://shop.example/share-your-story/thanks/\n    service: netlify\n"
    )
    run = run_tool("mkdocs", "build", "--strict", cwd=root)
    assert run.returncode == 0, run.stderr
    form = _form(root / "site", "share-your-story/index.html")
    assert form.get("data-netlify") == "true" and form.get("netlify-honeypot") == "bot-field"
    assert form.xpath(".//input[@type='hidden' and @name='form-name']")[0].get("value") == "share-your-story"
    assert form.xpath(".//input[@name='bot-field']") and not form.xpath(".//input[@name='_gotcha']")


def test_no_intake_block_no_form(tmp_path: Path) -> None:
    root = minimal_project(tmp_path / "p")
    run = run_tool("mkdocs", "build", "--strict", cwd=root)
    assert run.returncode == 0, run.stderr
    assert not (root / "site" / "share-your-story").exists() and not (root / "site" / "withdraw").exists()
    assert "share-your-story" not in (root / "site" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("intake", "message"),
    [
        ("    action: https://forms.example/f/1\n    email: a@shop.example\n", "needs exactly one of"),
        ("    service: formspree\n", "needs exactly one of"),
        ("    action: http://forms.example/f/1\n", "is not an https address"),
        ("    email: not-an-address\n", "channels.intake.email"),
        ("    action: https://forms.example/f/1\n    consent_wording: {print: yes}\n", "consent_wording"),
        ("", "is empty"),
    ],
)
def test_intake_mistakes_are_named_in_every_mode(tmp_path: Path, intake: str, message: str) -> None:
    root = _project(tmp_path, intake)
    check = run_tool("followhome", "check", cwd=root)
    assert check.returncode == 1
    assert "content/brand.yml" in check.stdout and "channels.intake" in check.stdout
    assert message in check.stdout
    assert "Traceback" not in check.stdout + check.stderr
    for extra in ((), ("-q",)):
        build = run_tool("mkdocs", "build", "--strict", *extra, cwd=root)
        assert build.returncode == 1
        assert "channels.intake" in build.stdout + build.stderr
        assert "Traceback" not in build.stdout + build.stderr


def test_editor_file_where_the_form_goes_is_refused(tmp_path: Path) -> None:
    root = _project(tmp_path, "    email: stories@shop.example\n")
    (root / "content" / "withdraw.md").write_text("# My page\n", encoding="utf-8")
    check = run_tool("followhome", "check", cwd=root)
    assert check.returncode == 1
    assert "content/withdraw.md: is where followhome puts a generated page" in check.stdout
