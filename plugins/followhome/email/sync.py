"""Keep the outbox in step with the content, without any engine.

A folder is composed again only when what it is made from changed (the item, the brand,
the values, the settings or followhome itself) or its files no longer match the checksums
recorded when they were written; everything else is reused. Composing and checking run in
other processes while the site builds when there is enough of it (:mod:`followhome.cache.background`).
Folders this build did not make (withdrawn or unpublished items, old digests, stray files)
are removed when it finishes.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from followhome.cache import background
from followhome.cache.background import Background, WorkError
from followhome.cache.fingerprint import code_fingerprint, fingerprint
from followhome.email.compose import Composer
from followhome.email.folders import FolderJob, OutboxWorkerError, Results, compose_folders
from followhome.email.keys import images_fingerprint, source_fingerprint
from followhome.email.manifest import Entry, Manifest
from followhome.email.outbox import MARKER, Planned, planned_items
from followhome.render.items import ItemRenderer

COLLECTIONS = ("stories", "updates")
PARALLEL_FROM = 64
"""Folders to compose from which a second process is worth starting."""
CHECK_PARALLEL_FROM = 512
"""Folders to reuse from which checking them against their checksums (~0.1 ms each) is worth
another process, as much as composing PARALLEL_FROM folders is."""


class OutboxError(Exception):
    """The outbox cannot be written (not ours, overlapping the site) or composing failed."""


def check_place(outbox: Path, shown: str, folders: dict[str, Path]) -> None:
    """The outbox may not be, hold or sit inside any of ``folders`` (name -> path)."""
    for name, folder in folders.items():
        inner = folder.resolve()
        if outbox == inner or inner in outbox.parents or outbox in inner.parents:
            raise OutboxError(f"outbox_dir '{shown}' overlaps {name}; choose a folder beside them")


def _folders(outbox: Path) -> set[str]:
    """The item folders in the outbox (one directory listing per collection, not a check per item)."""
    found: set[str] = set()
    for collection in COLLECTIONS:
        try:
            with os.scandir(outbox / collection) as entries:
                found.update(f"{collection}/{entry.name}" for entry in entries if entry.is_dir())
        except OSError:  # no such folder yet
            continue
    return found


@dataclass
class OutboxSync:
    """One build's work on the outbox: :meth:`start`, then :meth:`results` (as they come), then
    :meth:`finish`; :meth:`stop` abandons it."""

    outbox: Path
    shown: str
    """The outbox as the editor named it (``outbox_dir``)."""
    composer: Composer
    renderer: ItemRenderer
    settings: tuple[str, ...]
    """What every folder depends on beyond the edition (Markdown settings, URL style…)."""
    check: bool
    parallel: bool
    manifest: Manifest = field(default_factory=Manifest)
    keys: dict[str, str] = field(default_factory=dict)
    composed: int = 0
    planned: list[Planned] = field(default_factory=list)
    """What this build's outbox holds: the items new within the window and those asked for."""
    _workers: list[Background[Results]] = field(default_factory=list)
    _done: Results = field(default_factory=dict)

    def start(self) -> None:
        """Plan every folder, and compose or check them here or in other processes."""
        edition = self.composer.edition
        brand = edition.catalog.brand
        settings = fingerprint(
            code_fingerprint(),
            brand.config.model_dump_json(),
            json.dumps([(v.id, v.meta.title) for v in edition.catalog.values]),
            self.composer.profile.name,
            self.composer.unsubscribe_url or "",
            *self.settings,
            str(self.check),
            images_fingerprint(self.composer.content_dir),
        )
        previous = Manifest.load(self.outbox / MARKER)
        # Kept until the editor takes them back, or the item leaves email and social (withdrawn,
        # unpublished, expired): nothing of a withdrawn story stays in the outbox, not even its id.
        eligible = {p.source.id for p in planned_items(edition)}
        self.manifest.requested = tuple(i for i in previous.requested if i in eligible)
        folders = _folders(self.outbox)
        todo: list[tuple[Planned, Entry | None]] = []  # to compose (None), or to reuse if whole
        reused: list[tuple[Planned, Entry | None]] = []
        window = brand.config.channels.delivery.window_days
        self.planned = planned_items(edition, window, self.manifest.requested)
        for planned in self.planned:
            key = fingerprint(
                settings,
                planned.folder,
                f"{planned.email}{planned.social}{self.renderer.has_page(planned.source)}",
                source_fingerprint(planned.source),
            )
            self.keys[planned.folder] = key
            entry = previous.entries.get(planned.folder)
            if entry is None or entry.key != key or planned.folder not in folders:
                todo.append((planned, None))
            else:
                reused.append((planned, entry))
                self.manifest.entries[planned.folder] = entry
        self._open()
        work = len(todo) + len(reused) * PARALLEL_FROM / CHECK_PARALLEL_FROM
        tasks = [*todo, *reused]
        split = background.shares(tasks, PARALLEL_FROM, work) if self.parallel else None
        jobs = [
            FolderJob(self.outbox, self.shown, tuple(share), self.renderer, self.composer, self.check)
            for share in ([tasks] if split is None else split)
        ]
        if split is not None:
            # Check and compose while the site builds, in up to one process per core.
            self._workers = [Background(partial(compose_folders, job)) for job in jobs]
            return
        try:
            self._done = compose_folders(jobs[0])
        except OutboxWorkerError as exc:
            raise OutboxError(str(exc)) from None

    def results(self) -> Iterator[tuple[str, Entry, str | None]]:
        """(folder, its manifest entry, why it was composed again if it was damaged) of every
        folder, once each; waits for the other processes."""
        done, self._done = self._done, {}
        running, self._workers = self._workers, []
        batches = [done]
        for worker in running:
            try:
                batches.append(worker.result())
            except WorkError as exc:
                for other in running:
                    other.stop()
                raise OutboxError(f"composing the outbox failed: {exc}") from None
        for batch in batches:
            for folder, made in batch.items():
                entry = Entry(self.keys[folder], made.warnings, made.files)
                self.manifest.entries[folder] = entry
                self.composed += made.composed
                yield folder, entry, made.damaged

    def finish(self) -> None:
        """Remove what this build did not make, and record what it did."""
        self._remove_stale()
        self.manifest.save(self.outbox / MARKER)

    def stop(self) -> None:
        for worker in self._workers:
            worker.stop()
        self._workers = []

    def _open(self) -> None:
        """Make sure the outbox is ours, and forget the folders about to change first, so an
        interrupted build never leaves a folder the manifest vouches for with other files
        (the folders to reuse are checked against their checksums all the same)."""
        marker = self.outbox / MARKER
        if self.outbox.exists() and not marker.is_file() and any(self.outbox.iterdir()):
            raise OutboxError(
                f"'{self.outbox}' exists and was not made by followhome; choose another outbox_dir"
            )
        self.outbox.mkdir(parents=True, exist_ok=True)
        self.manifest.save(marker)  # only the folders to reuse, so far

    def _remove_stale(self) -> None:
        """Everything this build did not make: withdrawn stories, old digests, stray files."""
        for top in self.outbox.iterdir():
            if top.name == MARKER:
                continue
            if top.name not in COLLECTIONS or not top.is_dir():
                shutil.rmtree(top) if top.is_dir() else top.unlink()
                continue
            for child in top.iterdir():
                if f"{top.name}/{child.name}" not in self.manifest.entries:
                    shutil.rmtree(child) if child.is_dir() else child.unlink()
