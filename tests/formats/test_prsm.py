from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loopwise.errors import ImportFormatError
from loopwise.formats._lzstring import compress_to_utf16, decompress_from_utf16
from loopwise.formats.prsm import prsm_document, read_prsm, write_prsm, write_prsm_compressed
from loopwise.model import Map
from strategies import maps

PRSM_FIELDS = ("id", "label", "description", "tags", "theme", "stage")
PRSM_LINK_FIELDS = ("from", "to", "polarity", "strength", "delay", "mechanism", "tags")


def test_lzstring_matches_the_javascript_library(data_dir: Path) -> None:
    vectors = json.loads((data_dir / "lzstring_vectors.json").read_text())["vectors"]
    assert len(vectors) >= 8
    for text, compressed in vectors:
        assert compress_to_utf16(text) == compressed
        assert decompress_from_utf16(compressed) == text


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_lzstring_round_trips_any_text(text: str) -> None:
    assert decompress_from_utf16(compress_to_utf16(text)) == text


def test_lzstring_refuses_a_decompression_bomb() -> None:
    with pytest.raises(ValueError, match="more than 1,000 characters"):
        decompress_from_utf16(compress_to_utf16("a" * 5000), max_length=1000)


@pytest.mark.parametrize("name", ["reoffending.prsm", "reoffending-compressed.prsm"])
def test_prsm_files_import_plain_and_compressed(data_dir: Path, name: str) -> None:
    m = read_prsm((data_dir / name).read_bytes(), name)
    assert m.title == "Reoffending (PRSM)"
    assert [f.id for f in m.factors] == ["homelessness", "reoffending", "short-prison-sentences",
                                         "peer-support"]  # fmt: skip
    home = m.factor("homelessness")
    assert home.description == "No settled accommodation." and home.position.x == -150
    assert home.custom["prsm_id"] == "3f6c2a1e-7d9b-4c1a-9e2f-5b8d7c6a4e31"
    assert m.factor("short-prison-sentences").label == "Short prison\nsentences"
    assert m.link("homelessness--reoffending").mechanism == "No address, no probation plan."
    assert m.link("peer-support--reoffending").tags == ["polarity:unknown"]


def test_both_prsm_files_give_the_same_map(data_dir: Path) -> None:
    plain = read_prsm((data_dir / "reoffending.prsm").read_bytes(), "r.prsm")
    packed = read_prsm((data_dir / "reoffending-compressed.prsm").read_bytes(), "r.prsm")
    assert plain == packed


@settings(max_examples=60, deadline=None)
@given(maps(), st.booleans())
def test_prsm_round_trip_keeps_what_prsm_holds(projection, map_: Map, compressed: bool) -> None:
    text = write_prsm_compressed(map_) if compressed else write_prsm(map_)
    back = read_prsm(text.encode(), "x.prsm")
    assert projection(back, PRSM_FIELDS, PRSM_LINK_FIELDS) == projection(
        map_, PRSM_FIELDS, PRSM_LINK_FIELDS
    )


def test_prsm_keeps_positions_and_places_unplaced_factors(small_map_data) -> None:
    small_map_data["factors"][0]["position"] = {"x": 12.5, "y": -3}
    back = read_prsm(write_prsm(Map.from_dict(small_map_data)).encode(), "x.prsm")
    assert back.factors[0].position.x == 12.5
    assert all(f.position is not None for f in back.factors)  # PRSM needs x and y


def test_prsm_to_loopwise_to_prsm_is_stable(data_dir: Path) -> None:
    first = read_prsm((data_dir / "reoffending.prsm").read_bytes(), "r.prsm")
    document = prsm_document(first)
    assert document["nodes"][0]["id"] == "3f6c2a1e-7d9b-4c1a-9e2f-5b8d7c6a4e31"
    assert document["edges"][0]["label"] == "+" and "label" not in document["edges"][3]
    assert read_prsm(write_prsm(first).encode(), "r.prsm") == first


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '{"nodes": [{"id": 1, "label": "A"}], "edges": [{"from": 1, "to": 2}]}',
            r"edges\[0\]: unknown node 2 in 'to'",
        ),
        (
            '{"nodes": [{"id": 1, "label": "A"}, {"id": 1, "label": "B"}]}',
            r"nodes\[1\]: duplicate node id 1",
        ),
        ('{"edges": []}', r"not a PRSM map: no 'nodes' list"),
        ("\u3456\u789a\u1234", r"decompresses to nothing|neither JSON nor lz-string"),
    ],
)
def test_bad_prsm_files_name_the_place(text: str, message: str) -> None:
    with pytest.raises(ImportFormatError, match=message):
        read_prsm(text.encode(), "bad.prsm")


def test_prsm_loopwise_extras_cannot_override_ids() -> None:
    text = json.dumps(
        {
            "nodes": [
                {"id": "a", "label": "A", "loopwise": {"id": "zzz", "tags": ["t"]}},
                {"id": "b", "label": "B"},
            ],
            "edges": [],
        }
    )
    m = read_prsm(text.encode(), "x.prsm")
    assert [f.id for f in m.factors] == ["a", "b"] and m.factors[0].tags == ["t"]
