"""``followhome announce``, ``send`` and ``post`` as an editor or CI runs them, against stand-ins
for the services on 127.0.0.1 (tests/services/); the live services are never reached."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import BIN, TODAY, Project, copy_demo
from tests.services.websub_hub import WebSubHub


def _run(project: Project, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("FOLLOWHOME_")}
    return subprocess.run(
        [str(BIN / "followhome"), *args],
        cwd=project.root,
        capture_output=True,
        text=True,
        env={**clean, "NO_MKDOCS_2_WARNING": "1", "FOLLOWHOME_TODAY": TODAY, **(env or {})},
        check=False,
    )


def _set_brand(project: Project, text: str, after: str = "\nchannels:\n") -> None:
    """Lines added to the demo's brand.yml after ``after`` (by default: the top-level channels)."""
    brand = project.content / "brand.yml"
    old = brand.read_text(encoding="utf-8")
    assert after in old
    brand.write_text(old.replace(after, after + text, 1), encoding="utf-8")


@pytest.fixture
def hub() -> WebSubHub:
    with WebSubHub() as running:
        yield running  # type: ignore[misc]


def test_announce_pings_changed_feeds_once_and_records_them(tmp_path: Path, hub: WebSubHub) -> None:
    project = copy_demo(tmp_path / "p")
    _set_brand(project, f"  feeds:\n    websub_hub: {hub.url}\n")
    built = _run_mkdocs(project)
    assert built.returncode == 0, built.stderr
    assert f'href="{hub.url}" rel="hub"' in (project.site / "feed.xml").read_text(encoding="utf-8")

    dry = _run(project, "announce", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "Would tell" in dry.stdout and not hub.pings and not (project.root / "delivered.yml").exists()

    first = _run(project, "announce")
    assert first.returncode == 0, first.stderr
    [ping] = hub.pings
    assert "https://oakhill-corner-wines.example/feed.xml" in ping.urls
    record = yaml.safe_load((project.root / "delivered.yml").read_text(encoding="utf-8"))
    assert set(record) == {"websub"} and "feed.xml" in record["websub"]
    assert (
        (project.root / "delivered.yml")
        .read_text(encoding="utf-8")
        .startswith("# What followhome handed over.")
    )

    again = _run(project, "announce")
    assert again.returncode == 0 and "nothing to tell" in again.stdout
    assert len(hub.pings) == 1


def test_announce_without_a_hub_says_how_to_set_one(tmp_path: Path) -> None:
    project = copy_demo(tmp_path / "p")
    run = _run(project, "announce")
    assert run.returncode == 0 and "set channels.feeds.websub_hub" in run.stdout


def test_announce_before_a_build_says_to_build(tmp_path: Path, hub: WebSubHub) -> None:
    project = copy_demo(tmp_path / "p")
    _set_brand(project, f"  feeds:\n    websub_hub: {hub.url}\n")
    run = _run(project, "announce")
    assert run.returncode == 2 and "mkdocs build" in run.stderr and "Traceback" not in run.stderr


def _run_mkdocs(project: Project) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "mkdocs"), "build", "--strict"],
        cwd=project.root,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "FOLLOWHOME_TODAY": TODAY},
        check=False,
    )


# post, send and withdraw against the stand-ins -------------------------------------------------

from tests.services import bluesky as bluesky_service  # noqa: E402
from tests.services import buttondown as buttondown_service  # noqa: E402
from tests.services import mastodon as mastodon_service  # noqa: E402

NEW_STORY = "s-f0353be5"
"""The demo's one story inside the 14-day window on TODAY, consented for every channel."""


def _social_env(
    mastodon: mastodon_service.MastodonStandIn, bluesky: bluesky_service.BlueskyStandIn
) -> dict[str, str]:
    return {
        "FOLLOWHOME_MASTODON_URL": mastodon.url,
        "FOLLOWHOME_MASTODON_TOKEN": mastodon_service.TOKEN,
        "FOLLOWHOME_BLUESKY_URL": bluesky.url,
        "FOLLOWHOME_BLUESKY_HANDLE": bluesky_service.HANDLE,
        "FOLLOWHOME_BLUESKY_APP_PASSWORD": bluesky_service.APP_PASSWORD,
    }


def test_post_goes_out_once_to_each_network_and_withdraw_deletes_it(tmp_path: Path) -> None:
    project = copy_demo(tmp_path / "p")
    with mastodon_service.MastodonStandIn() as mastodon, bluesky_service.BlueskyStandIn() as bluesky:
        env = _social_env(mastodon, bluesky)
        first = _run(project, "post", env=env)
        assert first.returncode == 0, first.stdout + first.stderr
        assert len(mastodon.statuses) == 1 and len(bluesky.records) == 1
        [text] = mastodon.texts()
        assert "Every bottle goes back" in text and "utm_source=mastodon" in text
        record = yaml.safe_load((project.root / "delivered.yml").read_text(encoding="utf-8"))
        assert set(record) == {"bluesky", "mastodon"} and NEW_STORY in record["mastodon"]

        again = _run(project, "post", env=env)  # nothing new: nothing posted, even past Mastodon's hour
        assert again.returncode == 0 and len(mastodon.statuses) == 1 and len(bluesky.records) == 1

        story = next(
            p for p in (project.content / "stories").glob("*.md") if NEW_STORY in p.read_text("utf-8")
        )
        withdrawn = _run(project, "withdraw", str(story.relative_to(project.root)), env=env)
        assert withdrawn.returncode == 0, withdrawn.stdout + withdrawn.stderr
        assert (
            "Deleted the mastodon status" in withdrawn.stdout
            and "Deleted the bluesky post" in withdrawn.stdout
        )
        assert "Emails already sent cannot be recalled" in withdrawn.stdout
        assert mastodon.statuses == {} and bluesky.records == {}
        assert not (project.root / "delivered.yml").read_text(encoding="utf-8").count(NEW_STORY)


def test_withdraw_without_the_networks_variables_says_what_is_left(tmp_path: Path) -> None:
    project = copy_demo(tmp_path / "p")
    with mastodon_service.MastodonStandIn() as mastodon, bluesky_service.BlueskyStandIn() as bluesky:
        env = _social_env(mastodon, bluesky)
        assert _run(project, "post", "--network", "mastodon", env=env).returncode == 0
        story = next(
            p for p in (project.content / "stories").glob("*.md") if NEW_STORY in p.read_text("utf-8")
        )
        left = _run(project, "withdraw", str(story.relative_to(project.root)))
        assert left.returncode == 1
        assert "Not deleted: the mastodon status" in left.stdout and "FOLLOWHOME_MASTODON_URL" in left.stdout
        assert len(mastodon.statuses) == 1
        retried = _run(project, "withdraw", str(story.relative_to(project.root)), env=env)  # again, with them
        assert retried.returncode == 0 and mastodon.statuses == {}


def test_send_hands_drafts_once_and_never_sends(tmp_path: Path) -> None:
    project = copy_demo(tmp_path / "p")
    with buttondown_service.ButtondownStandIn() as buttondown:
        env = {
            "FOLLOWHOME_BUTTONDOWN_URL": buttondown.url,
            "FOLLOWHOME_BUTTONDOWN_TOKEN": buttondown_service.TOKEN,
        }
        dry = _run(project, "send", "--dry-run", env=env)
        assert dry.returncode == 0 and buttondown.emails == {} and "would hand over" in dry.stdout
        first = _run(project, "send", env=env)
        assert first.returncode == 0, first.stdout + first.stderr
        assert [e["status"] for e in buttondown.emails.values()] == ["draft"]
        (project.root / "delivered.yml").unlink()  # lost: the idempotency key still prevents a second draft
        again = _run(project, "send", env=env)
        assert again.returncode == 0 and len(buttondown.emails) == 1
        assert "Nothing was sent to subscribers" in again.stdout


@pytest.mark.parametrize(
    ("command", "variable"),
    [
        (("send",), "FOLLOWHOME_BUTTONDOWN_TOKEN"),
        (
            ("send", "--esp", "listmonk"),
            "FOLLOWHOME_LISTMONK_URL, FOLLOWHOME_LISTMONK_USER, FOLLOWHOME_LISTMONK_TOKEN",
        ),
        (("post", "--network", "bluesky"), "FOLLOWHOME_BLUESKY_HANDLE, FOLLOWHOME_BLUESKY_APP_PASSWORD"),
        (("post",), "FOLLOWHOME_MASTODON_URL + FOLLOWHOME_MASTODON_TOKEN"),
    ],
)
def test_missing_variables_are_named_and_nothing_is_sent(
    tmp_path: Path, command: tuple[str, ...], variable: str
) -> None:
    project = copy_demo(tmp_path / "p")
    run = _run(project, *command)
    assert run.returncode == 2, run.stdout + run.stderr
    assert variable in run.stderr and "Traceback" not in run.stderr
    assert not (project.root / "delivered.yml").exists()


# The outbox holds what is new ------------------------------------------------------------------


def test_the_outbox_holds_new_items_and_any_item_asked_for(tmp_path: Path) -> None:
    project = copy_demo(tmp_path / "p")
    first = _run_mkdocs(project)
    assert first.returncode == 0, first.stderr
    assert sorted(p.name for p in (project.root / "outbox" / "stories").iterdir()) == [
        "every-bottle-goes-back"
    ]
    assert "holds 1 items new within 14 days (channels.delivery.window_days)" in first.stderr

    asked = _run(project, "email", "s-8d3c4482", "content/stories/a-grower-from-the-next-county.md")
    assert asked.returncode == 0, asked.stderr
    assert "the next build (make site) composes outbox/stories/the-corked-bottle/" in asked.stdout
    second = _run_mkdocs(project)
    assert second.returncode == 0 and "and 2 asked for with `followhome email`" in second.stderr
    folders = sorted(p.name for p in (project.root / "outbox" / "stories").iterdir())
    assert folders == ["a-grower-from-the-next-county", "every-bottle-goes-back", "the-corked-bottle"]
    assert (project.root / "outbox" / "stories" / "the-corked-bottle" / "email.html").is_file()

    third = _run_mkdocs(project)  # the request is kept: the folder stays
    assert third.returncode == 0 and (project.root / "outbox" / "stories" / "the-corked-bottle").is_dir()
    forgot = _run(project, "email", "--forget", "s-8d3c4482")
    assert forgot.returncode == 0
    assert _run_mkdocs(project).returncode == 0
    assert not (project.root / "outbox" / "stories" / "the-corked-bottle").exists()


def test_asking_for_an_unknown_or_unconsented_item_is_refused(tmp_path: Path) -> None:
    project = copy_demo(tmp_path / "p")
    run = _run(project, "email", "s-00000000")
    assert run.returncode == 2 and "'s-00000000' is no story or update" in run.stderr


def test_outbox_artifact_setting_for_the_workflow(tmp_path: Path) -> None:
    project = copy_demo(tmp_path / "p")
    command = [str(BIN / "python"), "-m", "followhome.cli.settings", "outbox_artifact"]
    off = subprocess.run(command, cwd=project.root, capture_output=True, text=True, check=False)
    assert off.stdout == "outbox_artifact=false\n"
    _set_brand(project, "  delivery:\n    outbox_artifact: true\n")
    on = subprocess.run(command, cwd=project.root, capture_output=True, text=True, check=False)
    assert on.stdout == "outbox_artifact=true\n"


# Consent, tone and disclosure in what goes out -------------------------------------------------


def test_only_consented_items_go_out_with_their_disclosure_and_loud_items_are_held(tmp_path: Path) -> None:
    project = copy_demo(tmp_path / "p")
    shifts = project.content / "stories" / "saturday-shifts-and-a-new-palate.md"
    shifts.write_text(shifts.read_text("utf-8").replace("date: 2026-03-14", "date: 2026-11-20"), "utf-8")
    corked = project.content / "stories" / "the-corked-bottle.md"
    text = corked.read_text("utf-8").replace("date: 2025-12-09", "date: 2026-11-21")
    corked.write_text(
        text.replace("channels: [site, feed, email, social]", "channels: [site, email]"), "utf-8"
    )
    assert "channels: [site, email]" in corked.read_text("utf-8")
    (project.content / "updates" / "big-sale.md").write_text(
        "---\nid: u-5a1e5a1e\ntitle: Huge sale now on\ndate: 2026-11-22\nsummary: Buy now! Huge discounts, "
        "limited time only, order today and save big! Best prices guaranteed, hurry, while stocks last!\n"
        "kind: offer\nvalues: [honest-advice]\nstatus: published\n---\n\nBuy now! Save 50%! Limited time offer! "
        "Order today! Best deal ever! Hurry!\n",
        encoding="utf-8",
    )
    brand = project.content / "brand.yml"
    brand.write_text(brand.read_text("utf-8").replace("enforce: false", "enforce: true"), "utf-8")

    post = _run(project, "post", "--dry-run", "--network", "mastodon")
    assert post.returncode == 0, post.stdout + post.stderr
    assert (
        "s-b9b80425" in post.stdout
        and "Disclosure: Esther Nakamura-Reid works for Oakhill Corner Wines" in post.stdout
    )
    assert "s-8d3c4482" not in post.stdout  # consent for site and email only
    assert "held: u-5a1e5a1e" in post.stdout and "louder than the social limit" in post.stdout

    send = _run(project, "send", "--dry-run")
    assert send.returncode == 0, send.stdout + send.stderr
    assert "would hand over s-8d3c4482" in send.stdout and "would hand over s-b9b80425" in send.stdout
    assert "held: u-5a1e5a1e" in send.stdout


def test_a_withdrawn_storys_request_leaves_the_outbox_manifest(tmp_path: Path) -> None:
    project = copy_demo(tmp_path / "p")
    assert _run(project, "email", "content/stories/supper-on-a-tuesday.md").returncode == 0
    assert _run_mkdocs(project).returncode == 0
    marker = project.root / "outbox" / ".followhome-outbox"
    item_id = yaml.safe_load(
        (project.content / "stories" / "supper-on-a-tuesday.md").read_text("utf-8").split("---")[1]
    )["id"]
    assert item_id in marker.read_text("utf-8")
    assert _run(project, "withdraw", "content/stories/supper-on-a-tuesday.md").returncode == 0
    assert _run_mkdocs(project).returncode == 0
    assert item_id not in marker.read_text("utf-8")
    assert not (project.root / "outbox" / "stories" / "supper-on-a-tuesday").exists()


@pytest.mark.parametrize(
    ("esp", "env", "says"),
    [
        (
            "listmonk",
            {
                "FOLLOWHOME_LISTMONK_URL": "http://127.0.0.1:9",
                "FOLLOWHOME_LISTMONK_USER": "u",
                "FOLLOWHOME_LISTMONK_TOKEN": "t",
            },
            "set channels.email.audience",
        ),
        ("mailchimp", {"FOLLOWHOME_MAILCHIMP_TOKEN": "abc-us6"}, "set channels.email.audience"),
        (
            "ghost",
            {"FOLLOWHOME_GHOST_URL": "http://127.0.0.1:9", "FOLLOWHOME_GHOST_ADMIN_KEY": "zz"},
            "<id>:<hex secret>",
        ),
    ],
)
def test_a_service_set_up_wrong_is_said_before_anything_is_sent(
    tmp_path: Path, esp: str, env: dict[str, str], says: str
) -> None:
    project = copy_demo(tmp_path / "p")
    run = _run(project, "send", "--esp", esp, env=env)
    assert run.returncode == 2, run.stdout + run.stderr
    assert says in run.stderr and "Nothing was sent." in run.stderr and "Traceback" not in run.stderr


def test_withdraw_deletes_the_storys_draft_at_listmonk(tmp_path: Path) -> None:
    from tests.services import listmonk as listmonk_service

    project = copy_demo(tmp_path / "p")
    brand = project.content / "brand.yml"
    brand.write_text(
        brand.read_text("utf-8").replace(
            "    service: buttondown\n", "    service: listmonk\n    audience: [3]\n"
        ),
        "utf-8",
    )
    with listmonk_service.ListmonkStandIn() as listmonk:
        env = {
            "FOLLOWHOME_LISTMONK_URL": listmonk.url,
            "FOLLOWHOME_LISTMONK_USER": listmonk_service.USER,
            "FOLLOWHOME_LISTMONK_TOKEN": listmonk_service.TOKEN,
        }
        sent = _run(project, "send", env=env)
        assert sent.returncode == 0, sent.stdout + sent.stderr
        assert [c["status"] for c in listmonk.campaigns.values()] == ["draft"]
        story = next(
            p for p in (project.content / "stories").glob("*.md") if NEW_STORY in p.read_text("utf-8")
        )
        withdrawn = _run(project, "withdraw", str(story.relative_to(project.root)), env=env)
        assert withdrawn.returncode == 0, withdrawn.stdout + withdrawn.stderr
        assert "Deleted the listmonk email" in withdrawn.stdout and listmonk.campaigns == {}


def test_post_sends_nothing_when_one_chosen_network_lacks_its_variables(tmp_path: Path) -> None:
    project = copy_demo(tmp_path / "p")
    with mastodon_service.MastodonStandIn() as mastodon:
        env = {"FOLLOWHOME_MASTODON_URL": mastodon.url, "FOLLOWHOME_MASTODON_TOKEN": mastodon_service.TOKEN}
        run = _run(project, "post", "--network", "mastodon", "--network", "bluesky", env=env)
        assert run.returncode == 2 and "FOLLOWHOME_BLUESKY_HANDLE" in run.stderr
        assert mastodon.statuses == {} and not (project.root / "delivered.yml").exists()


def test_withdraw_deletes_a_digest_that_holds_the_story(tmp_path: Path) -> None:
    project = copy_demo(tmp_path / "p")
    with buttondown_service.ButtondownStandIn() as buttondown:
        env = {
            "FOLLOWHOME_BUTTONDOWN_URL": buttondown.url,
            "FOLLOWHOME_BUTTONDOWN_TOKEN": buttondown_service.TOKEN,
        }
        digest = _run(project, "send", "--digest", "--since", "2026-11-01", "--until", "2026-11-23", env=env)
        assert digest.returncode == 0, digest.stdout + digest.stderr
        record = (project.root / "delivered.yml").read_text(encoding="utf-8")
        assert "digest-2026-11-01-2026-11-23: {" in record and NEW_STORY in record
        story = next(
            p for p in (project.content / "stories").glob("*.md") if NEW_STORY in p.read_text("utf-8")
        )
        withdrawn = _run(project, "withdraw", str(story.relative_to(project.root)), env=env)
        assert withdrawn.returncode == 0, withdrawn.stdout + withdrawn.stderr
        assert "Deleted the buttondown digest email" in withdrawn.stdout
        assert buttondown.emails == {} and "digest-" not in (project.root / "delivered.yml").read_text(
            "utf-8"
        )


def test_a_mailchimp_schedule_off_the_quarter_hour_is_refused_before_anything(tmp_path: Path) -> None:
    project = copy_demo(tmp_path / "p")
    _set_brand(project, "", "    service: buttondown\n")
    brand = project.content / "brand.yml"
    brand.write_text(
        brand.read_text("utf-8").replace(
            "    service: buttondown\n", "    service: mailchimp\n    audience: abc123\n"
        ),
        "utf-8",
    )
    run = _run(
        project, "send", "--schedule", "2030-01-01T09:07:00Z", env={"FOLLOWHOME_MAILCHIMP_TOKEN": "k-us6"}
    )
    assert run.returncode == 2 and "quarter hour" in run.stderr and "Nothing was sent." in run.stderr
