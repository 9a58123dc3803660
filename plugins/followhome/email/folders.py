"""Compose outbox folders and write them (in process, or in :mod:`followhome.cache.background`).

A first build composes every story's email (Markdown, inlined CSS, a text part, the
email checker): minutes on a site with thousands of stories. That work needs nothing
from MkDocs' page building, so the email plugin runs it in other processes while MkDocs
builds the pages, and waits for it only at the end. The same processes check the folders
a build means to reuse against the checksums the manifest recorded (hashing 10,000 folders
is a second of work) and compose again the ones that do not match.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

from followhome.cache.background import WorkError
from followhome.cache.integrity import PARTIAL, checksum
from followhome.email.compose import Composer
from followhome.email.lint import check_email
from followhome.email.manifest import Entry, Files, folder_files
from followhome.email.outbox import OutFile, Planned, planned_files
from followhome.render.items import ItemRenderer

IMAGE_FIX = "Fix: use a PNG, JPEG or GIF stored in content/"


@dataclass(frozen=True)
class Made:
    """One outbox folder as this build leaves it."""

    warnings: tuple[str, ...]
    """What composing it gave (when it was composed, for a reused folder)."""
    files: Files
    composed: bool
    """Written by this build (else reused as it was)."""
    damaged: str | None = None
    """Why the folder the build meant to reuse was composed again."""


Results = dict[str, Made]
"""Outbox folder -> what became of it."""


class OutboxWorkerError(WorkError):
    """Composing or writing the outbox failed; the message says how."""


@dataclass(frozen=True)
class FolderJob:
    outbox: Path
    shown_as: str
    """The outbox folder as mkdocs.yml names it, for warnings."""
    planned: tuple[tuple[Planned, Entry | None], ...]
    """Each folder with its manifest entry when it is to be reused (if whole), else None."""
    renderer: ItemRenderer
    composer: Composer
    check: bool


def _problems(job: FolderJob, made: list[OutFile]) -> list[str]:
    composer = job.composer
    texts = {f.path: f.text for f in made}
    problems = []
    for path, text in texts.items():
        if not path.endswith(".html"):
            continue
        plain = texts[path.removesuffix(".html") + ".txt"]
        full = not path.endswith("fragment.html")
        problems += [
            f"{job.shown_as}/{path} breaks email {problem}"
            for problem in check_email(
                text,
                plain,
                composer.profile,
                composer.edition.catalog.brand.url,
                full=full,
                unsubscribe_url=composer.unsubscribe_url,
            )
        ]
    return problems


def compose_folders(job: FolderJob) -> Results:
    """Check each folder to reuse; compose the others (and the damaged ones) in place of the old."""
    results: Results = {}
    for planned, entry in job.planned:
        folder = job.outbox / planned.folder
        damaged = None if entry is None else folder_files(folder, entry.files)
        if entry is not None and damaged is None:
            results[planned.folder] = Made(entry.warnings, entry.files, composed=False)
        else:
            results[planned.folder] = replace(_compose(job, planned), damaged=damaged)
    return results


def _compose(job: FolderJob, planned: Planned) -> Made:
    dropped: list[str] = []
    made = planned_files(planned, job.renderer, job.composer, dropped)
    found = [f"{reason}; it was left out of the email. {IMAGE_FIX}" for reason in dropped]
    if job.check:
        found += _problems(job, made)
    folder = job.outbox / planned.folder
    # Written beside the folder and renamed in place of it: a killed build never leaves a
    # folder with some files old and some new (the manifest's checksums would catch it too).
    partial = folder.with_name(f".{folder.name}.{os.getpid()}{PARTIAL}")
    path = partial
    files = []
    try:
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)  # every file of a planned folder is directly in it
        for file in made:
            name = file.path.removeprefix(f"{planned.folder}/")
            data = file.text.encode("utf-8")
            path = partial / name
            path.write_bytes(data)
            files.append((name, checksum(data)))
        path = folder
        shutil.rmtree(folder, ignore_errors=True)
        partial.rename(folder)
    except OSError as exc:
        raise OutboxWorkerError(
            f"cannot write {path} ({exc.strerror or exc}); check that the outbox folder is "
            "writable and that nothing else is in its place"
        ) from None
    return Made(tuple(found), tuple(sorted(files)), composed=True)
