"""JSON Schemas of the front matter, generated from the model, for editors' tools."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from followhome.model.content import (
    BrandConfig,
    DraftStoryMeta,
    StoryMeta,
    TombstoneMeta,
    UpdateMeta,
    ValueMeta,
)

SCHEMA_DIR = Path(__file__).parent.parent / "schemas"
MODELS: dict[str, Any] = {
    "brand": BrandConfig,
    "value": ValueMeta,
    "story": StoryMeta
    | DraftStoryMeta
    | TombstoneMeta,  # a draft may be incomplete; a withdrawn story a tombstone
    "update": UpdateMeta,
}


def schema_for(name: str) -> dict[str, Any]:
    schema = TypeAdapter(MODELS[name]).json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://followhome.dev/schemas/{name}.schema.json",
        **schema,
    }


def schema_text(name: str) -> str:
    return json.dumps(schema_for(name), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def write_schemas(folder: Path = SCHEMA_DIR) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in MODELS:
        path = folder / f"{name}.schema.json"
        path.write_text(schema_text(name), encoding="utf-8")
        written.append(path)
    return written


def stale_schemas(folder: Path = SCHEMA_DIR) -> list[str]:
    """Names of shipped schema files that differ from the model."""
    stale = []
    for name in MODELS:
        path = folder / f"{name}.schema.json"
        if not path.is_file() or path.read_text(encoding="utf-8") != schema_text(name):
            stale.append(name)
    return stale
