"""Compose outbox folders and write them (in process, or in :mod:`followhome.background`).

A first build composes every story's email (Markdown, inlined CSS, a text part, the
email checker): minutes on a site with thousands of stories. That work needs nothing
from MkDocs' page building, so the email plugin runs it in other processes while MkDocs
builds the pages, and waits for it only at the end.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from followhome.background import WorkError
from followhome.email.compose import Composer
from followhome.email.lint import check_email
from followhome.email.outbox import OutFile, Planned, planned_files
from followhome.integrity import PARTIAL
from followhome.items import ItemRenderer

IMAGE_FIX = "Fix: use a PNG, JPEG or GIF stored in content/"
Warnings = dict[str, tuple[str, ...]]
"""Outbox folder -> the warnings composing it gave."""


class OutboxWorkerError(WorkError):
    """Composing or writing the outbox failed; the message says how."""


@dataclass(frozen=True)
class FolderJob:
    outbox: Path
    shown_as: str
    """The outbox folder as mkdocs.yml names it, for warnings."""
    planned: tuple[Planned, ...]
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


def compose_folders(job: FolderJob) -> Warnings:
    """Compose each planned folder and write it in place of the old one."""
    warnings: Warnings = {}
    for planned in job.planned:
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
        try:
            shutil.rmtree(partial, ignore_errors=True)
            partial.mkdir(parents=True)  # every file of a planned folder is directly in it
            for file in made:
                path = partial / file.path.removeprefix(f"{planned.folder}/")
                path.write_text(file.text, encoding="utf-8")
            path = folder
            shutil.rmtree(folder, ignore_errors=True)
            partial.rename(folder)
        except OSError as exc:
            raise OutboxWorkerError(
                f"cannot write {path} ({exc.strerror or exc}); check that the outbox folder is "
                "writable and that nothing else is in its place"
            ) from None
        warnings[planned.folder] = tuple(found)
    return warnings
