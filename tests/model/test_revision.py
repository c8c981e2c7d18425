from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from loopwise.model import Map
from loopwise.model.revision import apply_changes, compose, decompose, diff_entities, diff_maps
from strategies import maps


@settings(max_examples=60, deadline=None)
@given(maps())
def test_decompose_compose_is_identity(map_: Map) -> None:
    assert compose(decompose(map_)) == map_


@settings(max_examples=60, deadline=None)
@given(maps(), maps())
def test_changes_replay_forwards_and_backwards(old: Map, new: Map) -> None:
    new = new.model_copy(update={"slug": old.slug})
    before, after = decompose(old), decompose(new)
    changes = diff_entities(before, after)
    assert apply_changes(before, changes) == after
    assert apply_changes(after, changes, reverse=True) == before
    assert compose(apply_changes(before, changes)) == new


def test_diff_names_the_changed_entities(small_map: Map) -> None:
    data = small_map.model_dump(by_alias=True)
    data["factors"][0]["label"] = "Rough sleeping"
    data["links"] = data["links"][1:]
    data["loops"] = []
    changes = diff_maps(small_map, Map.from_dict(data))
    assert [(c.collection, c.entity_id, c.action) for c in changes] == [
        ("factor", "homelessness", "changed"),
        ("link", "homelessness--reoffending", "removed"),
        ("link", "prison--homelessness", "moved"),
        ("link", "reoffending--prison", "moved"),
        ("loop", "revolving-door", "removed"),
    ]


@given(st.permutations(list(range(3))))
def test_reordering_is_recorded_exactly(order) -> None:
    base = Map.from_dict(
        {
            "slug": "m",
            "title": "M",
            "factors": [
                {"id": "a", "label": "A"},
                {"id": "b", "label": "B"},
                {"id": "c", "label": "C"},
            ],
        }
    )
    shuffled = base.model_copy(update={"factors": [base.factors[i] for i in order]})
    state = apply_changes(decompose(base), diff_maps(base, shuffled))
    assert compose(state) == shuffled
