"""The canvas layout (loopwise.present.layout): boxes never overlap and themes are regions."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loopwise.builtin import load_builtin_map
from loopwise.model import Map
from loopwise.present.layout import Box, MapLayout, box_size, map_layout, text_width, wrap_label

WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABC’-", min_size=1, max_size=14)


def random_map(labels: list[str], themes: list[int], links: list[tuple[int, int]]) -> Map:
    return Map.from_dict(
        {
            "slug": "m",
            "title": "M",
            "themes": [{"id": f"t{i}", "label": f"Theme number {i}"} for i in range(4)],
            "sources": [{"id": "s", "kind": "literature", "title": "S"}],
            "factors": [
                {"id": f"f{i}", "label": label, **({"theme": f"t{t}"} if t < 4 else {})}
                for i, (label, t) in enumerate(zip(labels, themes, strict=False))
            ],
            "links": [
                {
                    "from": f"f{a}",
                    "to": f"f{b}",
                    "polarity": "+",
                    "evidence": [{"source": "s", "kind": "finding", "text": "x"}],
                }
                for a, b in sorted(set(links))
                if a != b and a < len(labels) and b < len(labels)
            ],  # fmt: skip
        }
    )


def inside(box: Box, region: object) -> bool:
    return (
        region.x <= box.x - box.width / 2  # type: ignore[attr-defined]
        and box.x + box.width / 2 <= region.x + region.width + 1e-6  # type: ignore[attr-defined]
        and region.y <= box.y - box.height / 2  # type: ignore[attr-defined]
        and box.y + box.height / 2 <= region.y + region.height + 1e-6  # type: ignore[attr-defined]
    )


def check(layout: MapLayout, map_: Map) -> None:
    assert set(layout.boxes) == {f.id for f in map_.factors}
    assert layout.overlaps() == 0
    region_of = {r.theme: r for r in layout.regions}
    assert len(region_of) == len(layout.regions)
    for f in map_.factors:
        assert inside(layout.boxes[f.id], region_of[f.theme or ""])
    for i, a in enumerate(layout.regions):  # regions are disjoint
        for b in layout.regions[i + 1 :]:
            assert (
                a.x + a.width <= b.x + 1e-6
                or b.x + b.width <= a.x + 1e-6
                or a.y + a.height <= b.y + 1e-6
                or b.y + b.height <= a.y + 1e-6
            )


@pytest.mark.parametrize("portrait", [False, True])
def test_builtin_map_layout(portrait: bool) -> None:
    builtin = load_builtin_map()
    layout = map_layout(builtin, portrait=portrait)
    check(layout, builtin)
    assert layout == map_layout(builtin, portrait=portrait)  # deterministic
    xs = [r.x for r in layout.regions] + [r.x + r.width for r in layout.regions]
    ys = [r.y for r in layout.regions] + [r.y + r.height for r in layout.regions]
    aspect = (max(xs) - min(xs)) / (max(ys) - min(ys))
    assert aspect < 1 if portrait else aspect > 1.5


@settings(max_examples=40, deadline=None)
@given(
    labels=st.lists(st.lists(WORDS, min_size=1, max_size=8).map(" ".join), min_size=1, max_size=40),
    themes=st.lists(st.integers(0, 4), min_size=40, max_size=40),
    links=st.lists(st.tuples(st.integers(0, 39), st.integers(0, 39)), max_size=60),
    portrait=st.booleans(),
)
def test_any_map_gets_disjoint_boxes_inside_their_theme(
    labels: list[str], themes: list[int], links: list[tuple[int, int]], portrait: bool
) -> None:
    map_ = random_map(labels, themes, links)
    check(map_layout(map_, portrait=portrait), map_)


def test_stored_positions_win_when_every_factor_has_one() -> None:
    data = random_map(["A", "B"], [0, 1], []).to_dict()
    for i, f in enumerate(data["factors"]):
        f["position"] = {"x": 10.0 * i, "y": -5.0}
    layout = map_layout(Map.from_dict(data))
    assert layout.positions == {"f0": (0.0, -5.0), "f1": (10.0, -5.0)}
    assert layout.regions == []


def test_labels_wrap_within_the_box() -> None:
    label = "Education, training and volunteering opportunities on release"
    lines = wrap_label(label)
    assert " ".join(lines) == label and len(lines) > 1
    width, height = box_size(label)
    assert max(text_width(line) for line in lines) < width
    assert height > len(lines) * 12
