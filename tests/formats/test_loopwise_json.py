from __future__ import annotations

import json

import pytest
from hypothesis import given, settings

from loopwise.errors import ImportFormatError, ValidationError
from loopwise.formats.loopwise_json import dumps_map, loads_map, read_map_file
from loopwise.model import Map
from strategies import maps


@settings(max_examples=80, deadline=None)
@given(maps())
def test_export_import_round_trip_is_identical(map_: Map) -> None:
    assert loads_map(dumps_map(map_)) == map_


def test_export_carries_derived_confidence_and_format(small_map: Map) -> None:
    document = json.loads(dumps_map(small_map))
    assert document["format"] == "loopwise" and document["format_version"] == 2
    first = document["links"][0]
    assert first["from"] == "homelessness" and first["polarity"] == "+"
    assert first["confidence"] == {"score": 0.6, "level": "medium"}
    assert first["evidence"][0]["text"] == "65 per cent"


def test_read_file_round_trip(tmp_path, small_map: Map) -> None:
    path = tmp_path / "small.json"
    path.write_text(dumps_map(small_map), encoding="utf-8")
    assert read_map_file(path) == small_map


def test_utf8_bom_is_accepted(tmp_path, small_map: Map) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + dumps_map(small_map).encode())
    assert read_map_file(path) == small_map


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"slug": "x", "title": ', r"bad\.json: not valid JSON: Expecting value at line 1"),
        (b"[1, 2]", r"bad\.json: expected a JSON object, got list"),
        (b'{"format": "kumu"}', r"bad\.json: not a loopwise map \(format is 'kumu'\)"),
        (b'{"format_version": 9, "slug": "x", "title": "X"}', r"unsupported format_version 9"),
        ('{"slug": "x", "title": "caf\u00e9"}'.encode("latin-1"), r"bad\.json: not UTF-8 text \(bad byte 0xe9"),
        (b'{"slug": "x"}', r"bad\.json: title: Field required"),
    ],
)  # fmt: skip
def test_bad_files_give_one_clear_line(tmp_path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(ValidationError, match=message) as caught:
        read_map_file(path)
    assert "\n" not in str(caught.value)


def test_oversized_file_is_refused_before_parsing(tmp_path) -> None:
    path = tmp_path / "big.json"
    path.write_text("{" + " " * 2000 + "}")
    with pytest.raises(ImportFormatError, match="over the 1,000-byte limit"):
        read_map_file(path, max_bytes=1000)


def test_missing_file(tmp_path) -> None:
    with pytest.raises(ImportFormatError, match="no such file"):
        read_map_file(tmp_path / "absent.json")
