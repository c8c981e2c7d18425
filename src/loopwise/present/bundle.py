"""One public map at one version, with its analyses computed once and kept.

The API routers, the explorer pages and the static publisher all read a map through a
:class:`MapBundle`: the map itself, lookups the pages need (labels, links in and out of a
factor, loops through a factor, organisations acting on it) and the analyses (feedback loops,
centrality, leverage, the canvas payload), each computed on first use. Bundles are kept by
``(slug, version)`` in a small :class:`BundleCache`, so a new revision of a map gets a fresh
bundle and analyses of an old version are never served for a new one.

Example:
    >>> from loopwise.builtin import load_builtin_map
    >>> bundle = MapBundle(load_builtin_map(), version=1)
    >>> bundle.labels["reoffending"]
    'Reoffending'
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar

import pandas as pd

from loopwise.analysis import LoopSearch, centrality_frame, find_feedback_loops
from loopwise.analysis.leverage import DEFAULT_TARGET, leverage_frame
from loopwise.errors import UnknownIdError
from loopwise.formats.loopwise_json import dumps_map
from loopwise.model import Map
from loopwise.model.entities import Link
from loopwise.model.polarity import polarity_known

if TYPE_CHECKING:
    from loopwise.present.layout import MapLayout

_T = TypeVar("_T")

LOOP_LIMIT = 20_000
"""At most this many feedback loops are listed for a map (the list says when it stops)."""

# Colour-blind-safe palette (Paul Tol's "muted" and "bright" schemes) and a distinct node
# shape per theme, so that a theme is never told by colour alone.
PALETTE = [
    "#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77",
    "#CC6677", "#882255", "#AA4499", "#4477AA", "#EE6677", "#BBBBBB",
]  # fmt: skip
SHAPES = [
    "ellipse", "round-rectangle", "diamond", "hexagon", "triangle", "star",
    "pentagon", "octagon", "vee", "rhomboid", "tag", "barrel",
]  # fmt: skip


class MapBundle:
    """A map at one version and everything derived from it (computed on first use)."""

    def __init__(self, map_: Map, version: int) -> None:
        self.map = map_
        self.version = version
        self._lock = threading.Lock()
        self._leverage: dict[tuple[str, bool], pd.DataFrame] = {}
        self._derived: dict[tuple[str, Any], Any] = {}

    # ------------------------------------------------------------------ lookups
    @cached_property
    def labels(self) -> dict[str, str]:
        return {f.id: f.label for f in self.map.factors}

    @cached_property
    def factors_by_id(self) -> dict[str, Any]:
        return {f.id: f for f in self.map.factors}

    @cached_property
    def sources_by_id(self) -> dict[str, Any]:
        return {s.id: s for s in self.map.sources}

    @cached_property
    def links_by_id(self) -> dict[str, Link]:
        return {link.id: link for link in self.map.links}

    @cached_property
    def confidences(self) -> dict[str, Any]:
        return self.map.link_confidences()

    @cached_property
    def incoming(self) -> dict[str, list[Link]]:
        into: dict[str, list[Link]] = defaultdict(list)
        for link in self.map.links:
            into[link.target_factor].append(link)
        return into

    @cached_property
    def outgoing(self) -> dict[str, list[Link]]:
        out: dict[str, list[Link]] = defaultdict(list)
        for link in self.map.links:
            out[link.source_factor].append(link)
        return out

    @cached_property
    def organisations_by_factor(self) -> dict[str, list[tuple[Any, Any]]]:
        acting: dict[str, list[tuple[Any, Any]]] = defaultdict(list)
        for org in self.map.organisations:
            for action in org.acts_on:
                acting[action.factor].append((org, action))
        return acting

    @cached_property
    def theme_styles(self) -> dict[str, dict[str, str]]:
        """Colour, shape and label of each theme (``""`` for factors without one)."""
        styles = {
            theme.id: {
                "label": theme.label,
                "colour": PALETTE[i % len(PALETTE)],
                "shape": SHAPES[i % len(SHAPES)],
                "index": str(i % len(PALETTE)),
            }
            for i, theme in enumerate(self.map.themes)
        }
        styles[""] = {
            "label": "No theme",
            "colour": "#DDDDDD",
            "shape": "round-tag",
            "index": "none",
        }
        return styles

    def factor(self, factor_id: str) -> Any:
        try:
            return self.factors_by_id[factor_id]
        except KeyError:
            return self.map.factor(factor_id)  # raises UnknownIdError with suggestions

    def link_kinds(self, link: Link) -> list[str]:
        """The kinds of the sources of a link's accepted evidence, sorted."""
        return sorted(
            {self.sources_by_id[ev.source].kind for ev in link.evidence if ev.status == "accepted"}
        )

    def link_subgroups(self, link: Link) -> list[str]:
        """``key=value`` attributes of the sources behind a link's evidence, sorted."""
        groups = set()
        for ev in link.evidence:
            for key, value in self.sources_by_id[ev.source].attributes.items():
                groups.add(f"{key}={value}")
        return sorted(groups)

    def derived(self, key: tuple[str, Any], compute: Callable[[], _T]) -> _T:
        """``compute()``, kept with this version's analyses under ``key`` (made once)."""
        with self._lock:
            if key in self._derived:
                kept: _T = self._derived[key]
                return kept
        value = compute()  # outside the lock: it may ask for other analyses of the bundle
        with self._lock:
            stored: _T = self._derived.setdefault(key, value)
            return stored

    # ------------------------------------------------------------------ analyses
    @cached_property
    def map_json(self) -> bytes:
        """The map as loopwise JSON, serialised once."""
        return dumps_map(self.map).encode()

    @cached_property
    def loops(self) -> LoopSearch:
        """Every feedback loop (up to :data:`LOOP_LIMIT`), shortest first."""
        return find_feedback_loops(self.map, limit=LOOP_LIMIT)

    @cached_property
    def loops_by_factor(self) -> dict[str, list[int]]:
        """The positions in :attr:`loops` of the loops through each factor (on the arrays)."""
        return self.loops.by_factor()

    @cached_property
    def centrality(self) -> pd.DataFrame:
        return centrality_frame(self.map)

    @cached_property
    def default_slope(self) -> float:
        """The FCM slope scenarios use by default: ``min(1, 0.9 / spectral radius)``."""
        from loopwise.analysis.leverage import default_slope
        from loopwise.simulation.fcm import weight_matrix

        return default_slope(weight_matrix(self.map))

    @property
    def default_target(self) -> str | None:
        """The outcome leverage is ranked for: ``reoffending`` if the map has it."""
        return DEFAULT_TARGET if DEFAULT_TARGET in self.factors_by_id else None

    def leverage(
        self, target: str | None = None, *, include_inferences: bool = False
    ) -> pd.DataFrame:
        """The leverage table for a target (default: :attr:`default_target`), cached; links
        graded ``inference`` are left out unless asked for."""
        target = target or self.default_target
        if target is None:
            raise UnknownIdError("factor", DEFAULT_TARGET, [])
        self.factor(target)
        key = (target, include_inferences)
        with self._lock:  # computed once even when many requests ask at the same time
            if key not in self._leverage:
                self._leverage[key] = leverage_frame(
                    self.map, target, loop_limit=LOOP_LIMIT, include_inferences=include_inferences
                )
            return self._leverage[key]

    def leverage_intervals(
        self, target: str | None = None, *, include_inferences: bool = False,
        samples: int = 200, seed: int = 0,
    ) -> pd.DataFrame:  # fmt: skip
        """Rank intervals over Monte Carlo samples of the link strengths
        (:func:`loopwise.analysis.leverage_intervals.leverage_intervals`), cached."""
        from loopwise.analysis.leverage_intervals import leverage_intervals

        frame = self.leverage(target, include_inferences=include_inferences)
        key = ("intervals", (frame.attrs["target"], include_inferences, samples, seed))
        with self._lock:
            if key not in self._derived:
                self._derived[key] = leverage_intervals(
                    self.map, frame.attrs["target"], samples=samples, seed=seed,
                    include_inferences=include_inferences, leverage=frame,
                )  # fmt: skip
            intervals: pd.DataFrame = self._derived[key]
            return intervals

    def coverage(self, *, include_inferences: bool = False) -> dict[str, Any]:
        """Who acts on each factor, directly or through a service feeding it
        (:func:`loopwise.analysis.coverage.acting_on`), on the links leverage uses."""
        from loopwise.analysis.coverage import acting_on

        key = ("coverage", include_inferences)
        with self._lock:
            if key not in self._derived:
                map_ = self.map if include_inferences else self.map.without_inferences()
                self._derived[key] = acting_on(map_)
            cover: dict[str, Any] = self._derived[key]
            return cover

    @cached_property
    def graph_json(self) -> bytes:
        """The canvas payload (factors with boxes, theme regions, links), serialised once."""
        from loopwise.present.layout import map_layout

        return json.dumps(
            graph_payload(self, map_layout(self.map), map_layout(self.map, portrait=True)),
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode()


def graph_payload(
    bundle: MapBundle, layout: MapLayout, portrait: MapLayout | None = None
) -> dict[str, Any]:
    """What the map canvas draws: factors (with their boxes), theme regions and links.

    ``portrait`` is the same map packed for a phone: ``portrait.x`` and ``portrait.y`` list
    the factors' centres in the order of ``factors``.
    """
    map_ = bundle.map
    subgroups = sorted({g for link in map_.links for g in bundle.link_subgroups(link)})
    factors = []
    for f in map_.factors:
        box = layout.boxes[f.id]
        item: dict[str, Any] = {
            "id": f.id,
            "label": f.label,
            "x": round(box.x, 1),
            "y": round(box.y, 1),
            "w": round(box.width, 1),
            "h": round(box.height, 1),
        }
        if f.theme:
            item["theme"] = f.theme
        if f.stage:
            item["stage"] = f.stage
        if f.tags:
            item["tags"] = f.tags
        factors.append(item)
    links = []
    for link in map_.links:
        item = {
            "id": link.id,
            "from": link.source_factor,
            "to": link.target_factor,
            # a polarity the file did not give is drawn as "?", never as a "+" it never said
            "polarity": link.polarity if polarity_known(link) else "?",
            "confidence": bundle.confidences[link.id].level,
            "kinds": bundle.link_kinds(link),
        }
        if link.delay:
            item["delay"] = True
        if link.tags:
            item["tags"] = link.tags
        groups = bundle.link_subgroups(link)
        if groups:
            item["subgroups"] = groups
        links.append(item)
    return {
        "slug": map_.slug,
        "title": map_.title,
        "version": bundle.version,
        "themes": [{"id": key, **style} for key, style in bundle.theme_styles.items() if key],
        "stages": [{"id": s.id, "label": s.label} for s in map_.stages],
        "tags": sorted({t for f in map_.factors for t in f.tags}),
        "source_kinds": sorted({s.kind for s in map_.sources}),
        "subgroups": subgroups,
        "factors": factors,
        "links": links,
        "regions": _regions_out(layout),
        **({"portrait": _portrait_out(map_, portrait)} if portrait is not None else {}),
    }


def _regions_out(layout: MapLayout) -> list[dict[str, Any]]:
    return [
        {
            "theme": r.theme,
            "x": round(r.x, 1),
            "y": round(r.y, 1),
            "w": round(r.width, 1),
            "h": round(r.height, 1),
            "th": round(r.title_height, 1),
        }
        for r in layout.regions
    ]


def _portrait_out(map_: Map, layout: MapLayout) -> dict[str, Any]:
    return {
        "x": [round(layout.boxes[f.id].x, 1) for f in map_.factors],
        "y": [round(layout.boxes[f.id].y, 1) for f in map_.factors],
        "regions": _regions_out(layout),
    }


class BundleCache:
    """The most recently used bundles, keyed by ``(slug, version)``.

    ``get(slug, version, load)`` returns the kept bundle or builds one with ``load()``.
    """

    def __init__(self, size: int = 8) -> None:
        self.size = size
        self._items: OrderedDict[tuple[str, int], MapBundle] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, slug: str, version: int, load: Callable[[], Map]) -> MapBundle:
        key = (slug, version)
        with self._lock:
            bundle = self._items.get(key)
            if bundle is not None:
                self._items.move_to_end(key)
                return bundle
        bundle = MapBundle(load(), version)
        with self._lock:
            bundle = self._items.setdefault(key, bundle)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return bundle
