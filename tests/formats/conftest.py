"""Shared helpers for the format tests: projections of a map onto what a format holds."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from loopwise.model import Map

DATA = Path(__file__).resolve().parents[1] / "data"
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

FACTOR_CORE = ("id", "label", "description", "tags")
LINK_CORE = ("id", "from", "to", "polarity", "strength", "delay", "mechanism", "tags")


def project(map_: Map, factor_fields=FACTOR_CORE, link_fields=LINK_CORE,
            map_fields=("title", "description")) -> dict[str, Any]:  # fmt: skip
    """The parts of a map a format holds, for round-trip comparisons."""
    data = map_.to_dict()
    return {
        **{k: data.get(k) for k in map_fields},
        "factors": [{k: f.get(k) for k in factor_fields} for f in data["factors"]],
        "links": [{k: lk.get(k) for k in link_fields} for lk in data["links"]],
    }


def xml_clean(map_: Map) -> Map:
    """The map with the characters XML 1.0 (and XLSX) cannot hold removed."""

    def clean(value: Any) -> Any:
        if isinstance(value, str):
            return _XML_ILLEGAL.sub("", value)
        if isinstance(value, list):
            return [clean(v) for v in value]
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        return value

    data = clean(map_.to_dict())
    for item in data["factors"] + data["sources"]:
        for key in ("label", "title"):
            if key in item and item[key] == "":
                item[key] = "x"
    if data["title"] == "":
        data["title"] = "x"
    for link in data["links"]:
        for ev in link["evidence"]:
            if ev["text"] == "":
                ev["text"] = "x"
        link.pop("confidence", None)
    return Map.from_dict(data)


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture
def cli_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh store in a temporary data folder for CLI tests."""
    folder = tmp_path / "store"
    monkeypatch.setenv("LOOPWISE_DATA_DIR", str(folder))
    monkeypatch.delenv("LOOPWISE_DATABASE_URL", raising=False)
    monkeypatch.setenv("LOOPWISE_AUTHOR", "tester")
    monkeypatch.setenv("COLUMNS", "200")
    return folder


@pytest.fixture(scope="session")
def projection():
    """``projection(map_, factor_fields, link_fields, map_fields)``: see :func:`project`."""
    return project


@pytest.fixture(scope="session")
def clean_for_xml():
    return xml_clean
