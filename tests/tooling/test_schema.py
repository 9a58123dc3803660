"""The shipped JSON Schemas match the model and accept the demo content."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest
import yaml

from followhome.cli.main import main
from followhome.model.schema import SCHEMA_DIR, schema_for, stale_schemas
from followhome.model.yamlio import load_yaml

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"


def _validator(name: str) -> jsonschema.protocols.Validator:
    schema = schema_for(name)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def _front_matter(path: Path) -> object:
    # Dates stay strings, exactly as an editor's YAML tooling sees them.
    return load_yaml(path.read_text(encoding="utf-8").split("---\n")[1]).data


def test_shipped_schemas_are_up_to_date() -> None:
    assert stale_schemas() == []
    assert sorted(p.name for p in SCHEMA_DIR.glob("*.json")) == [
        "brand.schema.json",
        "story.schema.json",
        "update.schema.json",
        "value.schema.json",
    ]


def test_schema_check_command_reports_stale_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "--out", str(tmp_path)]) == 0
    assert main(["schema", "--check", "--out", str(tmp_path)]) == 0
    (tmp_path / "story.schema.json").write_text("{}", encoding="utf-8")
    assert main(["schema", "--check", "--out", str(tmp_path)]) == 1
    assert "story" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("name", "folder"), [("story", "stories"), ("update", "updates"), ("value", "values")]
)
def test_demo_front_matter_validates(name: str, folder: str) -> None:
    validator = _validator(name)
    files = sorted((CONTENT / folder).glob("*.md"))
    assert files
    for path in files:
        errors = [e.message for e in validator.iter_errors(_front_matter(path))]
        assert errors == [], path.name


def test_demo_brand_validates() -> None:
    data = load_yaml((CONTENT / "brand.yml").read_text(encoding="utf-8")).data
    assert list(_validator("brand").iter_errors(data)) == []


def test_schema_rejects_what_the_build_rejects() -> None:
    validator = _validator("story")
    good = _front_matter(CONTENT / "stories" / "supper-on-a-tuesday.md")
    assert isinstance(good, dict)
    bad_show_as = {**good, "customer": {**good["customer"], "show_as": "nickname"}}
    bad_channel = {**good, "consent": {**good["consent"], "channels": ["fax"]}}
    unknown_field = {**good, "edtied": True}
    for bad in (bad_show_as, bad_channel, unknown_field):
        assert list(validator.iter_errors(bad)), bad


def test_brand_yml_points_editors_at_the_schema() -> None:
    first = (CONTENT / "brand.yml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../plugins/followhome/schemas/brand.schema.json"
    assert yaml.safe_load((CONTENT / "brand.yml").read_text(encoding="utf-8"))["name"]
