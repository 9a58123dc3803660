"""The robustness campaign: generated broken, hostile and odd content, checked and built.

Cases come from :mod:`tests.campaign.generator` (seeded, deterministic; see its docstring
for what ``valid``, ``invalid`` and ``either`` demand). For every case:

* ``followhome check`` runs in this process (``followhome.cli.main``), from the project
  root as an editor runs it: no exception may escape, nothing may hang (a 20 s alarm), an
  invalid case must exit 1 naming the file (and the field, where there is one) and a
  valid one exit 0.
* a strict build (``mkdocs.commands.build.build`` on ``load_config(strict=True)``) runs
  for every case that is not valid, for one valid case in
  :data:`~tests.campaign.generator.BUILD_VALID_EVERY` (by a hash of its id) and for every
  ``hostile-every-field`` case. Half of the refusals are built with the MkDocs log at
  ERROR, as ``mkdocs build -q --strict`` does, so the build must fail and name the file
  with warnings hidden too. An invalid case must end in ``Abort``/``PluginError`` (or a
  configuration error) whose text or logged messages name the file; a valid one must
  build with no warning and leave site/ and outbox/ without live markup, evaluated
  templates, live merge tags of the brand's email service, control characters, or the
  secret kept in files outside content/ (looked for after every build, refused or not).

Timing, measured on the 2-core machine the suite runs on (shared with other work): a check
costs about 7 ms; a strict build of the small project 0.15-0.35 s once Material's templates
are compiled (they are compiled once for the whole module: compiling them is 0.6 s of every
fresh build), 0.05 s when brand.yml is refused. A build for each of the 1,066 cases would
take about 5 minutes with the scans, so valid cases are sampled: 634 strict builds (every
invalid and either case, every hostile-every-field case, one other valid case in five).
The whole module took 2 min 12 s to 2 min 24 s (checks 7-8 s, builds 105-115 s, the rest
writing the projects and scanning site/ and outbox/).
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import shutil
import signal
import stat
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

import jinja2
import mkdocs.theme
import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError, PluginError

from followhome.cli.main import main
from tests.campaign.generator import BODY_TOKEN, TOKEN, Case, base_files, generate
from tests.campaign.scan import findings, leaks
from tests.campaign.tally import TALLY
from tests.conftest import WarningLog

CASES = generate()
CHECK_SECONDS = 20
BUILD_SECONDS = 90


class _CompiledTemplates(jinja2.BytecodeCache):
    """The theme's templates, compiled once for all the campaign's builds (keyed by their source)."""

    def __init__(self) -> None:
        self.store: dict[str, tuple[str, bytes]] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        found = self.store.get(bucket.key)
        if found is not None and found[0] == bucket.checksum:
            bucket.bytecode_from_string(found[1])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = (bucket.checksum, bucket.bytecode_to_string())


@pytest.fixture(scope="module", autouse=True)
def _templates_compiled_once() -> Iterator[None]:
    """Compiling Material's templates is most of a small build; every build compiles the same."""
    original = mkdocs.theme.Theme.get_env
    compiled = _CompiledTemplates()

    def get_env(theme: mkdocs.theme.Theme) -> jinja2.Environment:
        env = original(theme)
        env.bytecode_cache = compiled
        return env

    mkdocs.theme.Theme.get_env = get_env  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        mkdocs.theme.Theme.get_env = original  # type: ignore[method-assign]


class StillRunningError(Exception):
    """The alarm went off: the command was still running."""


@contextlib.contextmanager
def alarm(seconds: int) -> Iterator[None]:
    def ring(signum: int, frame: FrameType | None) -> None:
        raise StillRunningError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, ring)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def materialise(case: Case, root: Path) -> None:
    """The base project with the case's changes, in ``root``."""
    for rel, content in base_files(case.esp).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    for rel in case.removes:
        path = root / rel
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()
    for rel, content in case.writes:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    for rel, kind in case.specials:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        os.mknod(path, (stat.S_IFIFO if kind == "fifo" else stat.S_IFSOCK) | 0o644)
    for rel, target in case.links:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target.replace("@ROOT", str(root)), path)


@dataclass
class Run:
    code: int | None = None
    text: str = ""
    crash: str | None = None
    seconds: float = 0.0


def run_check(root: Path) -> Run:
    out, err = io.StringIO(), io.StringIO()
    run = Run()
    start = time.perf_counter()
    with contextlib.chdir(root), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            with alarm(CHECK_SECONDS):
                run.code = main(["check", "--content", "content"])
        except StillRunningError as exc:
            run.crash = f"hang: {exc}"
        except SystemExit as exc:
            run.code = exc.code if isinstance(exc.code, int) else 2
        except BaseException:
            run.crash = traceback.format_exc()
    run.seconds = time.perf_counter() - start
    run.text = out.getvalue() + err.getvalue()
    if run.crash is None and "Traceback (most recent call last)" in run.text:
        run.crash = run.text
    return run


@dataclass
class BuildRun:
    error: BaseException | None = None
    messages: list[str] = field(default_factory=list)
    crash: str | None = None
    seconds: float = 0.0

    @property
    def text(self) -> str:
        return "\n".join([*self.messages, str(self.error or "")])


def run_build(root: Path, quiet: bool) -> BuildRun:
    logger = logging.getLogger("mkdocs")
    level = logger.level
    capture = WarningLog()
    logger.addHandler(capture)
    if quiet:
        logger.setLevel(logging.ERROR)
    run = BuildRun()
    start = time.perf_counter()
    try:
        with contextlib.chdir(root), alarm(BUILD_SECONDS):
            build(load_config(config_file=str(root / "mkdocs.yml"), strict=True))
    except (Abort, PluginError, ConfigurationError) as exc:
        run.error = exc
    except StillRunningError as exc:
        run.crash = f"hang: {exc}"
    except BaseException:
        run.crash = traceback.format_exc()
    finally:
        run.seconds = time.perf_counter() - start
        logger.setLevel(level)
        logger.removeHandler(capture)
    run.messages = [r.getMessage() for r in capture.records]
    tracebacks = [r for r in capture.records if r.exc_info]
    if run.crash is None and tracebacks:
        run.crash = "logged with a traceback: " + tracebacks[0].getMessage()
    return run


def _names_file(case: Case, text: str, *, docs_relative: bool) -> bool:
    """Some line of ``text`` names one of the case's files (and its field, if it has one)."""
    names = list(case.names)
    if docs_relative:
        # MkDocs' own messages name files inside docs_dir without 'content/'; the email and
        # feed plugins name an item by its path without '.md' (stories/a-bottle).
        inside = [n.removeprefix("content/") for n in case.names if n.startswith("content/")]
        names += inside + [n.removesuffix(".md") for n in inside if n.endswith(".md")]
    for line in text.splitlines():
        if any(name in line for name in names) and (case.field is None or case.field in line):
            return True
    return False


def judge(case: Case, check: Run, built: BuildRun | None, root: Path) -> tuple[str, list[str]]:
    """The outcome class of a case and what went wrong."""
    problems: list[str] = []
    outcome = "ok"
    if check.crash:
        outcome = "hang" if check.crash.startswith("hang") else "traceback"
        problems.append(f"check crashed: {check.crash[-1500:]}")
    if built is not None and built.crash:
        outcome = "hang" if built.crash.startswith("hang") else "traceback"
        problems.append(f"build crashed: {built.crash[-1500:]}")
    if problems:
        problems.append(f"check exited {check.code}:\n{check.text[-600:]}")
        return outcome, problems
    refused_by_check = check.code != 0
    refused_by_build = built is not None and built.error is not None
    if case.expect == "invalid":
        if not refused_by_check:
            problems.append(f"check exited {check.code} on invalid input:\n{check.text[-800:]}")
            outcome = "wrongly-clean"
        elif check.code != 1 or not _names_file(case, check.text, docs_relative=False):
            problems.append(
                f"check exited {check.code} without naming {case.names} {case.field or ''}:\n{check.text[-800:]}"
            )
            outcome = "unnamed"
        if built is not None:
            if not refused_by_build:
                problems.append(f"strict build (quiet={case.quiet}) succeeded on invalid input")
                outcome = "wrongly-clean"
            elif not _names_file(case, built.text, docs_relative=True):
                problems.append(
                    f"strict build failed without naming {case.names} {case.field or ''}:\n{built.text[-800:]}"
                )
                outcome = "unnamed" if outcome == "ok" else outcome
    elif case.expect == "valid":
        if refused_by_check:
            problems.append(f"check exited {check.code} on valid input:\n{check.text[-800:]}")
            outcome = "wrongly-refused"
        if built is not None and (refused_by_build or built.messages):
            problems.append(f"strict build refused valid input: {built.text[-800:]}")
            outcome = "wrongly-refused"
    else:
        if refused_by_check and not _names_file(case, check.text, docs_relative=False):
            problems.append(f"check refused without naming {case.names}:\n{check.text[-800:]}")
            outcome = "unnamed"
        if built is not None:
            if refused_by_build and not _names_file(case, built.text, docs_relative=True):
                problems.append(f"strict build refused without naming {case.names}:\n{built.text[-800:]}")
                outcome = "unnamed"
            if refused_by_check and not refused_by_build:
                # The build loads content as check does; it may refuse more (email rules), never less.
                problems.append(f"check refused but the strict build passed: {check.text[-400:]}")
                outcome = "check-and-build-disagree" if outcome == "ok" else outcome
    if built is not None:
        found = findings(root, esp=case.esp, payload=case.payload) if built.error is None else leaks(root)
        if found:
            problems += found[:10]
            outcome = "leak" if any("secret" in f or "symbolic link" in f for f in found) else "live-output"
    return outcome, problems


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(case: Case, tmp_path: Path, mkdocs_warnings: WarningLog) -> None:
    root = tmp_path / "project"
    root.mkdir()
    materialise(case, root)
    check = run_check(root)
    built = run_build(root, case.quiet) if case.build else None
    mkdocs_warnings.take()  # the build's messages are judged below, expected or not
    outcome, problems = judge(case, check, built, root)
    TALLY.record(
        case.family, case.expect, outcome, built is not None, check.seconds, built.seconds if built else 0.0
    )
    assert not problems, f"{case.id} ({case.expect}: {case.note}) -> {outcome}\n" + "\n".join(problems)


def test_the_campaign_is_large_deterministic_and_covers_every_family() -> None:
    again = generate()
    assert [(c.id, c.writes, c.expect) for c in again] == [(c.id, c.writes, c.expect) for c in CASES]
    assert len(CASES) >= 600
    families = {c.family for c in CASES}
    assert families == {
        "yaml-breakage", "wrong-types", "impossible-dates", "misspelt-keys", "file-names",
        "symlinks-special", "stray-files", "hostile-text", "hostile-every-field",
    }  # fmt: skip
    text = b"".join(base_files().values()).decode("utf-8", "replace")
    assert TOKEN not in text and BODY_TOKEN not in text
    assert {c.expect for c in CASES if c.family == "hostile-every-field"} >= {"valid", "either"}


def test_the_base_project_is_valid_and_its_output_clean(tmp_path: Path, mkdocs_warnings: WarningLog) -> None:
    """No false alarm from the scanner, and the base really is the valid starting point."""
    base = Case("base", "base", "valid", "the base project", build=True)
    materialise(base, tmp_path)
    check = run_check(tmp_path)
    assert check.code == 0 and check.crash is None, check.text
    built = run_build(tmp_path, quiet=False)
    assert built.crash is None and built.error is None, built.text
    assert mkdocs_warnings.take() == []
    assert (tmp_path / "site" / "stories" / "a-bottle" / "index.html").is_file()
    assert list((tmp_path / "outbox" / "stories").glob("*/email.html"))
    assert list((tmp_path / "outbox" / "updates").glob("*/email.html"))
    assert findings(tmp_path, esp="mailchimp", payload="merge-mailchimp") == []


def test_the_scanner_finds_what_it_looks_for(tmp_path: Path) -> None:
    """Each kind of finding, planted in a copy of a real build's output."""
    from tests.campaign.generator import SECRET
    from tests.campaign.scan import html_findings

    assert html_findings(f"<p><svg onload=alert('{TOKEN}')></svg></p>", "x")
    assert html_findings('<p><img src=x onerror="f()"></p>', "x")
    assert html_findings('<a href=" javascript:f()">x</a>', "x")
    assert html_findings(f"<script>{TOKEN}()</script>", "x")
    assert html_findings(f"<style>/*{BODY_TOKEN}*/</style>", "x")
    assert html_findings(f'<b class="{TOKEN}">b</b>', "x")  # from a plain-text field: no markup at all
    assert not html_findings(f'<b class="{BODY_TOKEN}">b</b>', "x")  # sanitised markup from a body
    assert html_findings('<script type="application/ld+json">{"a": "</script>', "x")
    escaped = f"<p>&lt;svg onload=alert('{TOKEN}')&gt; &lt;script&gt;{TOKEN}&lt;/script&gt;</p>"
    assert not html_findings(escaped, "x")
    (tmp_path / "site").mkdir()
    (tmp_path / "outbox" / "s").mkdir(parents=True)
    (tmp_path / "site" / "feed.xml").write_text(
        "<rss><channel><description>&lt;img src=x onerror=f()&gt;</description></channel></rss>"
    )
    (tmp_path / "site" / "leak.txt").write_text(SECRET)
    (tmp_path / "outbox" / "s" / "email.txt").write_text("Hi *|ZQXTAG|* zqxjinja \x00")
    found = "\n".join(findings(tmp_path, esp="mailchimp", payload="merge-mailchimp"))
    assert "site/feed.xml <channel><description>: <img onerror=" in found
    assert "site/leak.txt: holds the secret" in found
    assert "merge tag '*|ZQXTAG|*'" in found
    assert "a template evaluated the input" in found
    assert "control character" in found
