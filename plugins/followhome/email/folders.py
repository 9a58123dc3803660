"""Compose outbox folders and write them, here or on another core.

A first build composes every story's email (Markdown, inlined CSS, a text part, the
email checker): minutes on a site with thousands of stories. That work needs nothing
from MkDocs' page building, so on a machine with fork() it runs in a second process
while MkDocs builds the pages, and the build waits for it only at the end.
"""

from __future__ import annotations

import multiprocessing
import shutil
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

from followhome.email.compose import Composer
from followhome.email.lint import check_email
from followhome.email.outbox import OutFile, Planned, planned_files
from followhome.items import ItemRenderer

IMAGE_FIX = "Fix: use a PNG, JPEG or GIF stored in content/"
Warnings = dict[str, tuple[str, ...]]
"""Outbox folder -> the warnings composing it gave."""


class OutboxWorkerError(Exception):
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
        shutil.rmtree(job.outbox / planned.folder, ignore_errors=True)
        for file in made:
            path = job.outbox / file.path
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(file.text, encoding="utf-8")
            except OSError as exc:
                raise OutboxWorkerError(
                    f"cannot write {path} ({exc.strerror or exc}); check that the outbox folder is "
                    "writable and that nothing else is in its place"
                ) from None
        warnings[planned.folder] = tuple(found)
    return warnings


def _child(job: FolderJob, writer: Connection) -> None:
    try:
        writer.send(("ok", compose_folders(job)))
    except OutboxWorkerError as exc:
        writer.send(("error", str(exc)))
    except BaseException:  # a bug: the whole story goes back to the build, which reports it
        writer.send(("error", traceback.format_exc()))
    finally:
        writer.close()


class Background:
    """:func:`compose_folders` in a forked process; :meth:`result` waits for it."""

    def __init__(self, job: FolderJob) -> None:
        context = multiprocessing.get_context("fork")
        self.reader, writer = context.Pipe(duplex=False)
        self.process: BaseProcess = context.Process(target=_child, args=(job, writer), daemon=True)
        self.process.start()
        writer.close()

    @staticmethod
    def available() -> bool:
        return "fork" in multiprocessing.get_all_start_methods()

    def result(self) -> Warnings:
        try:
            status, payload = self.reader.recv()
        except EOFError:
            status, payload = "error", f"it stopped with exit code {self.process.exitcode} and no result"
        finally:
            self.process.join()
            self.reader.close()
        if status != "ok":
            raise OutboxWorkerError(str(payload))
        result: Warnings = payload
        return result

    def stop(self) -> None:
        """Give up on the work (the build failed); the next build redoes it."""
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()
        self.reader.close()
