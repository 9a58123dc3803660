"""Whether the speed path runs: a pure decision over what the build is and what it uses.

The other processes render Markdown with the build's extensions and run every plugin's
``on_page_context`` and the theme's templates (with whatever plugins put in the template
environment). What an extension or plugin collects there stays in the other process, and
what it changes there is checked only by the page's Markdown, meta, content and title. So the
speed path runs only where that is known to give the same site: on Linux with fork(), in
``mkdocs build``, with no other thread running, with Markdown extensions and plugins that a
test builds both ways and compares byte for byte (``tests/builds/test_parallel.py``), and on
a site large enough to be worth the processes. Anything else renders every page in the
build's process, and the one INFO line says why.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

TESTED_EXTENSIONS = frozenset(
    {
        # MkDocs' own, always on
        "toc",
        "tables",
        "fenced_code",
        # the demo's mkdocs.yml; followhome adds attr_list, md_in_html, admonition, tables and
        # pymdownx.emoji where they are missing (mkdocs/theme.py)
        "abbr",
        "admonition",
        "attr_list",
        "md_in_html",
        "pymdownx.details",
        "pymdownx.superfences",
        "pymdownx.emoji",
    }
)
"""Markdown extensions the byte-for-byte tests build with (the demo and a generated site)."""

TESTED_PLUGINS = frozenset(
    {"material/search", "followhome", "followhome-feeds", "followhome-tone", "followhome-email"}
)
"""Plugins the byte-for-byte tests build with (``search`` under Material is ``material/search``)."""

EVENTS_IN_WORKERS = ("on_env", "on_pre_page", "on_page_context")
"""A hook's events whose work the other processes would do, or miss: ``on_page_context`` runs
there with each template, ``on_env`` can put functions in the templates, ``on_pre_page`` can
change what a page is rendered with. A hook with none of them (``on_config``, ``on_files``,
``on_page_markdown``, ``on_post_page``: the build's process does all of them, and a page whose
Markdown a hook changed is rendered again) does not keep the speed path off."""

BUILD_COMMANDS = ("build", "gh-deploy")
"""Commands that build once in a process running nothing else (``gh-deploy`` builds, then pushes)."""


@dataclass(frozen=True)
class Mode:
    """How the pages are rendered in one build, and why."""

    on: bool
    reason: str
    processes: int = 1
    """Processes rendering pages, the build's own included (1 when off)."""

    @property
    def workers(self) -> int:
        """Processes besides the build's."""
        return self.processes - 1

    def message(self) -> str:
        """The INFO line the build logs."""
        if self.on:
            return f"pages rendered on {self.processes} cores ({self.reason})"
        return f"pages rendered in this process: {self.reason}"


def extension_name(extension: object) -> str:
    """The name of a configured Markdown extension: as written in mkdocs.yml (``toc`` for
    ``markdown.extensions.toc``), or ``module.Class`` of an instance a plugin added."""
    if isinstance(extension, str):
        return extension.removeprefix("markdown.extensions.")
    kind = type(extension)
    return f"{kind.__module__}.{kind.__qualname__}"


def _cores(count: int) -> str:
    return "1 core" if count == 1 else f"{count} cores"


def decide(
    *,
    parallel: bool,
    platform: str,
    fork: bool,
    command: str,
    threads: int,
    extensions: Iterable[str],
    plugins: Iterable[str],
    hooks: Mapping[str, Iterable[str]],
    pages: int,
    cores: int,
    smallest_share: int,
) -> Mode:
    """Whether the build renders ``pages`` (the generated pages outside the navigation) in other
    processes, and with how many.

    ``platform`` is ``sys.platform``; ``fork`` whether fork() is available; ``command`` the
    ``mkdocs`` command; ``threads`` the threads running in the build's process; ``extensions``
    the Markdown extensions' names (:func:`extension_name`); ``plugins`` the names of the
    plugins proper and ``hooks`` the events each hook module implements; ``cores`` the cores
    the build may use; ``smallest_share`` the pages each process must have to be worth it.
    """
    if not parallel:
        return Mode(False, "`parallel: false` in mkdocs.yml")
    if platform != "linux":
        return Mode(False, f"the parallel renderer is tested on Linux only, not on {platform!r}")
    if not fork:
        return Mode(False, "fork() is not available")
    if command not in BUILD_COMMANDS:
        if command == "serve":
            return Mode(
                False,
                "`mkdocs serve` runs a server and a file watcher in threads of this process, "
                "which fork() would copy in the middle of their work",
            )
        return Mode(
            False, f"the parallel renderer is tested with `mkdocs build` only, not `mkdocs {command}`"
        )
    if threads > 1:
        others = threads - 1
        return Mode(
            False,
            f"{others} other thread{'s are' if others > 1 else ' is'} running in this process "
            f"(fork() would copy {'them' if others > 1 else 'it'} in the middle of {'their' if others > 1 else 'its'} work)",
        )
    for extension in extensions:
        if extension not in TESTED_EXTENSIONS:
            return Mode(
                False,
                f"the Markdown extension {extension!r} is not on the list tested with the parallel renderer",
            )
    for plugin in plugins:
        if plugin not in TESTED_PLUGINS:
            return Mode(False, f"the plugin {plugin!r} is not on the list tested with the parallel renderer")
    for hook, events in hooks.items():
        found = [event for event in EVENTS_IN_WORKERS if event in set(events)]
        if found:
            return Mode(
                False,
                f"the hook {hook!r} implements {', '.join(found)}, which would run in the other processes",
            )
    if cores < 2:
        return Mode(False, f"this process may use {_cores(cores)}")
    processes = min(cores, pages // smallest_share)
    if processes < 2:
        return Mode(
            False,
            f"{pages} pages to render, fewer than the {2 * smallest_share} worth sharing "
            f"({smallest_share} for each process)",
        )
    return Mode(
        True,
        f"Linux, mkdocs {command}, every Markdown extension and plugin tested, {pages} pages, "
        f"{_cores(cores)} usable",
        processes,
    )
