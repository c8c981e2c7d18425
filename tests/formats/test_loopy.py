from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

import pytest

from loopwise.errors import ImportFormatError
from loopwise.formats.loopy import model_data, read_loopy, write_json, write_url
from loopwise.model import Map


def test_the_loopy_example_imports(data_dir: Path) -> None:
    m = read_loopy((data_dir / "example.loopy.json").read_bytes(), "example.loopy.json")
    assert [f.label for f in m.factors] == ["automation", "profits", "job loss", "frustration",
                                            "political unrest", "tax revenue"]  # fmt: skip
    assert m.factor("job-loss").position.x == 930 and m.factor("job-loss").custom["loopy_hue"] == 4
    assert len(m.links) == 6 and {lk.polarity for lk in m.links} == {"+"}
    assert m.link("automation--job-loss").custom == {"loopy_arc": -88, "loopy_rotation": 0}
    assert "vicious cycle\nof automation" in m.description


def test_the_share_url_imports(data_dir: Path) -> None:
    text = (data_dir / "example.loopy.json").read_text()
    url = "https://ncase.me/loopy/v1.1/?data=" + quote(text, safe="[],")
    from_url = read_loopy(url.encode(), "shared.txt")
    assert from_url == read_loopy(text.encode(), "shared.txt")


def test_negative_edges_and_double_encoded_labels_in_the_url() -> None:
    m = Map.from_dict({"slug": "l", "title": "L", "factors": [
        {"id": "a", "label": "50% more \"debt\" & stress"}, {"id": "b", "label": "Sleep"}],
        "links": [{"from": "a", "to": "b", "polarity": "-"}]})  # fmt: skip
    url = write_url(m)
    assert url.startswith("https://ncase.me/loopy/v1.1/?data=")
    assert "%2525" in url  # the label's own % is encoded twice
    back = read_loopy(url.encode(), "l.url")
    assert [f.label for f in back.factors] == [f.label for f in m.factors]
    assert back.links[0].polarity == "-"
    assert json.loads(write_json(m))[1][0][3] == -1


def test_loopy_round_trip_keeps_labels_positions_and_signs(small_map: Map) -> None:
    back = read_loopy(write_json(small_map).encode(), "x.json")
    labels = {f.id: f.label for f in small_map.factors}
    assert [f.label for f in back.factors] == [f.label for f in small_map.factors]
    back_labels = {f.id: f.label for f in back.factors}
    assert sorted(
        (labels[lk.source_factor], lk.polarity, labels[lk.target_factor]) for lk in small_map.links
    ) == sorted(
        (back_labels[lk.source_factor], lk.polarity, back_labels[lk.target_factor])
        for lk in back.links
    )
    again = read_loopy(write_json(back).encode(), "x.json")
    assert again == back  # LOOPY -> loopwise -> LOOPY is stable
    assert len(model_data(small_map)[0][0]) == 6


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[[1,0,0,0,"a",0]],[[1,2,0,1,0]],[],3]', r"edges\[0\]: unknown node 2"),
        ('[[[1,0,0,0,"a",0],[1,5,5,0,"b",0]],[],[],3]', r"nodes\[1\]: duplicate node id 1"),
        ('[[[1,0,0,0,"a",0]],[[1,1,0,1,0]],[],3]', r"edges\[0\]: a self-loop on 'a'"),
        ("[[[1,0,0,0]],[],[],3]", r"nodes\[0\]: a node is \[id, x, y, init, label, hue\]"),
        ('{"nodes": []}', r"not a LOOPY model"),
        ("https://ncase.me/loopy/v1.1/?embed", r"no \?data= in the LOOPY URL"),
    ],
)
def test_bad_loopy_models_name_the_place(text: str, message: str) -> None:
    with pytest.raises(ImportFormatError, match=message):
        read_loopy(text.encode(), "bad.loopy")
