"""The ``followhome-tone`` MkDocs plugin: score every published item against the brand's volume.

Advisory by default (INFO lines); with ``tone.enforce: true`` in brand.yml an item that
is too loud is a WARNING, so ``mkdocs build --strict`` fails.
"""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import Files

from followhome.mkdocs.context import cache_dir, edition_of
from followhome.mkdocs.report import report_of
from followhome.tone.cache import ScoreCache
from followhome.tone.check import scored_items, tone_problems

NAME = "followhome-tone"
log = get_plugin_logger(NAME)


class ToneConfig(base.Config):  # type: ignore[no-untyped-call]
    enabled = c.Type(bool, default=True)
    cache_dir = c.Deprecated(
        message="set `cache_dir` under the `followhome` plugin: every cache is kept there"
    )
    """Scores are kept in the content plugin's cache_dir."""


class TonePlugin(BasePlugin[ToneConfig]):  # type: ignore[no-untyped-call]
    # After the content plugin (100) loaded the edition; the order among the others is free.
    @event_priority(80)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return files
        edition = edition_of(config, NAME)
        scores = ScoreCache(cache_dir(config))
        items = [i for i in scored_items(edition, scores) if i.status == "published"]
        scores.save()
        enforce = edition.catalog.brand.config.tone.enforce
        report = report_of(config)
        for problem in tone_problems(items):
            if enforce:
                report.warning(log, str(problem))
            else:
                log.info(str(problem))
        loudest = max(items, key=lambda i: i.score.volume, default=None)
        if loudest is not None:
            log.debug(f"loudest item: {loudest.path} at {loudest.score.volume:.1f}")
        return files
