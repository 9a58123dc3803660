"""Bad files in content/: each is named with its path, nothing outside content/ reaches an output,
nothing waits on a file that is not a regular file, and nothing stray leaves a collection folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from followhome.model.loader import load_content
from tests.conftest import Project, run_tool
from tests.helpers import minimal_project, story

SECRET = "SECRET-OUTSIDE-CONTENT-7f3a"


@pytest.fixture
def project(tmp_path: Path) -> Project:
    minimal_project(tmp_path / "p", feeds=True)
    project = Project(tmp_path / "p")
    project.write("stories/a-bottle.md", story())
    (tmp_path / "outside.md").write_text(story(id="s-0000dddd", body=SECRET), encoding="utf-8")
    (tmp_path / "outside.txt").write_text(SECRET, encoding="utf-8")
    return project


def _outputs(project: Project) -> str:
    return "\n".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in project.root.joinpath("site").rglob("*")
        if p.is_file()
    )


def _refused(project: Project, rel: str, expected: str) -> None:
    """check and a strict build both name the file and fail; a non-strict build leaves it out."""
    check = run_tool("followhome", "check", cwd=project.root)
    assert check.returncode == 1, check.stdout + check.stderr
    assert f"content/{rel}: {expected}" in check.stdout
    for flags in (("--strict",), ("--strict", "-q")):
        build = run_tool("mkdocs", "build", *flags, cwd=project.root)
        assert build.returncode == 1
        assert "Traceback" not in build.stderr
        assert f"content/{rel}: {expected}" in build.stderr
    preview = run_tool("mkdocs", "build", "-q", cwd=project.root)
    assert preview.returncode == 0, preview.stderr
    assert SECRET not in _outputs(project)


@pytest.mark.parametrize("name", ["a-bottle.md~", "a-bottle-copy.txt", "a-bottle.html", "notes/x.yml"])
def test_a_stray_file_in_a_collection_folder_is_never_published(project: Project, name: str) -> None:
    project.write(f"stories/{name}", f"customer: Ada Lovelace {SECRET}")
    _refused(project, f"stories/{name}", "is not a Markdown file")
    assert not list(project.site.joinpath("stories").rglob(Path(name).name))


@pytest.mark.parametrize("where", ["stories/linked.md", "assets/linked.txt", "index.md"])
def test_a_link_out_of_content_is_refused(project: Project, where: str) -> None:
    target = project.root.parent / ("outside.md" if where.endswith(".md") else "outside.txt")
    link = project.content / where
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target)
    _refused(project, where, "is a link to something outside the content folder")


@pytest.mark.parametrize("where", ["stories/more", "extra"])
def test_a_linked_folder_out_of_content_is_refused(project: Project, where: str) -> None:
    outside = project.root.parent / "more-stories"
    outside.mkdir()
    (outside / "x.md").write_text(story(id="s-0000eeee", body=SECRET), encoding="utf-8")
    (project.content / where).symlink_to(outside)
    _refused(project, where, "is a link to something outside the content folder")


def test_a_linked_brand_yml_does_not_echo_its_target(project: Project) -> None:
    brand = project.content / "brand.yml"
    brand.unlink()
    secret_yaml = project.root.parent / "secret.yml"
    secret_yaml.write_text(f"{SECRET}: [unclosed\n", encoding="utf-8")
    brand.symlink_to(secret_yaml)
    check = run_tool("followhome", "check", cwd=project.root)
    assert check.returncode == 1
    assert "content/brand.yml: is a link to something outside the content folder" in check.stdout
    assert SECRET not in check.stdout + check.stderr
    build = run_tool("mkdocs", "build", "--strict", cwd=project.root)
    assert build.returncode == 1 and "Traceback" not in build.stderr
    assert SECRET not in build.stdout + build.stderr


def test_a_dangling_link_in_assets_is_named(project: Project) -> None:
    (project.content / "assets").mkdir()
    (project.content / "assets" / "gone.png").symlink_to(project.root / "nowhere.png")
    _refused(project, "assets/gone.png", "is a link to nothing")


def test_a_fifo_is_never_opened(project: Project) -> None:
    os.mkfifo(project.content / "stories" / "x.md")  # a reader would wait forever
    _refused(project, "stories/x.md", "is not a regular file")


def test_a_file_name_that_is_not_utf8_is_named(project: Project) -> None:
    raw = os.fsencode(project.content / "stories") + b"/caf\xe9.md"
    Path(os.fsdecode(raw)).write_text(story(id="s-0000ffff"), encoding="utf-8")
    _refused(project, "stories/caf\\xe9.md", "has a name that is not UTF-8 text")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("index.html.md", "the file name 'index.html' becomes the page's web address"),
        ("with space.md", "the file name 'with space' becomes the page's web address"),
        ("page/2.md", "the file name 'page/2' is reserved for listing pages"),
    ],
)
def test_file_names_that_cannot_be_addresses(project: Project, name: str, expected: str) -> None:
    project.write(f"stories/{name}", story(id="s-0000abcd", title="Another bottle"))
    _refused(project, f"stories/{name}", expected)


def test_names_differing_only_in_case_are_one_address(project: Project) -> None:
    project.write("stories/A-Bottle.md", story(id="s-0000abcd", title="Another bottle"))
    check = run_tool("followhome", "check", cwd=project.root)
    assert check.returncode == 1
    assert "has the same web address as content/stories/A-Bottle.md" in check.stdout


def test_a_huge_story_is_refused_by_size(project: Project) -> None:
    project.write("stories/a-bottle.md", story(body="word " * 1_100_000))
    _refused(project, "stories/a-bottle.md", "is 5.5 MB, more than the 1 MB a content file may have")


@pytest.mark.parametrize(
    "logo",
    ["/etc/passwd", "../mkdocs.yml", "assets/../../mkdocs.yml", "x" * 100_000, "C:/logo.png"],
)
def test_a_logo_outside_content_is_refused(project: Project, logo: str) -> None:
    brand = project.content / "brand.yml"
    brand.write_text(
        brand.read_text(encoding="utf-8").replace("image:\n", f"image:\n  logo: '{logo}'\n"), encoding="utf-8"
    )
    result = load_content(project.content)
    [problem] = [p for p in result.problems if p.field == "image.logo"]
    assert "is not a path inside content/" in problem.message
    assert len(problem.message) < 300
    assert result.catalog is not None and result.catalog.brand.config.image.logo is None
    build = run_tool("mkdocs", "build", "--strict", "-q", cwd=project.root)
    assert build.returncode == 1 and "image.logo" in build.stderr and "Traceback" not in build.stderr


@pytest.mark.parametrize(
    ("yaml_text", "expected"),
    [
        (
            "  volume: 9\n",
            "brand.yml:11: is not valid YAML: the key 'tone.volume' appears twice (lines 10 and 11)",
        ),
        ("name: Other\n", "brand.yml:11: is not valid YAML: the key 'name' appears twice (lines 1 and 11)"),
    ],
)
def test_duplicate_keys_in_brand_yml(project: Project, yaml_text: str, expected: str) -> None:
    brand = project.content / "brand.yml"
    brand.write_text(
        brand.read_text(encoding="utf-8").replace("  volume: 3\n", "  volume: 3\n" + yaml_text),
        encoding="utf-8",
    )
    check = run_tool("followhome", "check", cwd=project.root)
    assert check.returncode == 1
    assert expected in check.stdout


def test_a_nested_duplicate_key_names_both_lines(project: Project) -> None:
    text = story().replace("  show_as: full\n", "  show_as: full\n  show_as: anonymous\n")
    project.write("stories/a-bottle.md", text)
    check = run_tool("followhome", "check", cwd=project.root)
    assert (
        "content/stories/a-bottle.md:9: front matter is not valid YAML: the key 'customer.show_as' appears twice (lines 8 and 9)"
        in check.stdout
    )


def test_email_null_is_a_problem_check_reports(project: Project) -> None:
    brand = project.content / "brand.yml"
    brand.write_text(brand.read_text(encoding="utf-8") + "channels:\n  email:\n", encoding="utf-8")
    check = run_tool("followhome", "check", cwd=project.root)
    assert check.returncode == 1
    assert "channels.email: is empty" in check.stdout


def test_a_local_site_url_is_named_as_the_cause(project: Project) -> None:
    brand = project.content / "brand.yml"
    brand.write_text(
        brand.read_text(encoding="utf-8").replace("https://shop.example/", "http://localhost:8000/"),
        encoding="utf-8",
    )
    check = run_tool("followhome", "check", cwd=project.root)
    assert check.returncode == 1
    assert "url: 'http://localhost:8000/' is not the site's public https address" in check.stdout


def test_a_ten_thousand_character_promise_is_named(project: Project) -> None:
    brand = project.content / "brand.yml"
    text = brand.read_text(encoding="utf-8")
    promise = next(line for line in text.splitlines() if line.startswith("promise:"))
    brand.write_text(text.replace(promise, "promise: " + "We pour. " * 1200), encoding="utf-8")
    check = run_tool("followhome", "check", cwd=project.root)
    assert check.returncode == 1
    assert "promise: is 10799 characters long, more than the 400 it may have" in check.stdout


@pytest.mark.parametrize(
    "name", ["stories.md", "subscribe.md", "feed.xml", "stories.json", "value-honest-advice.atom.xml"]
)
def test_a_file_where_a_generated_one_goes_is_named_and_left_out(project: Project, name: str) -> None:
    (project.content / name).write_text(f"---\ntitle: Mine\n---\n\n{SECRET}\n", encoding="utf-8")
    _refused(project, name, "is where followhome puts a generated")


def test_the_reserved_feed_names_are_the_feeds_names() -> None:
    from followhome.model import addresses
    from followhome.render.feed_formats import FORMATS, feed_path, value_feed_key

    for fmt in FORMATS:
        for key in ("all", "stories", "updates", value_feed_key("less-waste")):
            assert addresses.generated_at_root(feed_path(key, fmt)) == "feed"
    assert addresses.generated_at_root("about.md") is None
    assert addresses.generated_at_root("feeds.xml") is None
