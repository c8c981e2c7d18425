"""A generated big map (seeded) for the web benchmarks, and an in-memory store serving it."""

from __future__ import annotations

import random
from types import SimpleNamespace

from loopwise.model import Map


def big_map(factors: int = 5_000, links: int = 10_000, seed: int = 0) -> Map:
    rng = random.Random(seed)
    themes = [{"id": f"theme-{i}", "label": f"Theme {i}"} for i in range(12)]
    ids = [f"f{i}" for i in range(factors)]
    edges: set[tuple[str, str]] = set()
    while len(edges) < links:
        a, b = rng.sample(ids, 2)
        edges.add((a, b))
    return Map.from_dict(
        {
            "slug": "big", "title": "A generated map", "themes": themes,
            "sources": [{"id": "s", "kind": "literature", "title": "A study"}],
            "factors": [{"id": f, "label": f"Factor number {f[1:]}",
                         "theme": f"theme-{int(f[1:]) % 12}"} for f in ids],
            "links": [{"from": a, "to": b, "polarity": rng.choice("+-"),
                       "evidence": [{"source": "s", "kind": "finding", "text": f"{a} affects {b}"}]}
                      for a, b in sorted(edges)],
        }
    )  # fmt: skip


class MemoryStore:
    """Just enough of :class:`loopwise.store.Store` for the read-only web app."""

    def __init__(self, *maps: Map) -> None:
        self.maps = {m.slug: m for m in maps}

    def list_maps(self) -> list[SimpleNamespace]:
        return [
            SimpleNamespace(
                slug=m.slug,
                title=m.title,
                visibility=m.visibility,
                version=1,
                factors=len(m.factors),
                links=len(m.links),
            )  # fmt: skip
            for m in self.maps.values()
        ]

    def version(self, slug: str) -> int:
        from loopwise.errors import UnknownIdError

        if slug not in self.maps:
            raise UnknownIdError("map", slug)
        return 1

    def get_map(self, slug: str) -> Map:
        return self.maps[slug]
