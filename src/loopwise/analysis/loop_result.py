"""The result of a loop search: feedback loops kept as arrays, typed loops made on access.

:func:`loopwise.analysis.find_feedback_loops` returns a :class:`LoopSearch`. It holds every
loop as integer arrays (the factors of all loops one after another with offsets, their links,
their kinds and weakest links) and makes a :class:`FeedbackLoop` only when one is asked for,
so listing 100,000 loops costs no more than finding them. Counts (R, B, ?), the loops through
a factor, filters and the per-factor tallies work on the arrays directly.

Example:
    >>> lp = FeedbackLoop(("a", "b"), ("a--b", "b--a"), "B", 0.5, "b--a")
    >>> search = LoopSearch([lp])
    >>> len(search), search[0].kind, search.balancing, search.where(through="b")
    (1, 'B', 1, [0])
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal, cast, overload

import numpy as np

LoopKind = Literal["R", "B", "?"]
"""R (reinforcing), B (balancing) or ? (a link on it has unknown polarity)."""

KIND_CODES: dict[str, int] = {"R": 0, "B": 1, "?": 2}
"""How a loop's kind is stored in :attr:`LoopSearch` arrays."""
_KINDS: tuple[LoopKind, LoopKind, LoopKind] = ("R", "B", "?")
_Arrays = tuple[np.ndarray, np.ndarray, np.ndarray]  # nodes, offsets, links


@dataclass(frozen=True)
class CuratedMatch:
    """The curated loop of the map (named, with a narrative) that is the same cycle."""

    id: str
    name: str
    narrative: str
    kind: LoopKind | None


@dataclass(frozen=True, slots=True)
class FeedbackLoop:
    """One elementary feedback loop.

    ``factors`` go round in the direction of the arrows, starting from the smallest id;
    ``links[i]`` goes from ``factors[i]`` to ``factors[i + 1]`` (the last one back to the
    first). ``kind`` is ``"R"`` (even number of ``-`` links), ``"B"``, or ``"?"`` when a link
    on it has unknown polarity.
    ``weakest_confidence`` is the lowest confidence score of its links and ``weakest_link``
    that link's id (the first one, going round, if several tie).
    """

    factors: tuple[str, ...]
    links: tuple[str, ...]
    kind: LoopKind
    weakest_confidence: float
    weakest_link: str
    curated: CuratedMatch | None = None

    @property
    def length(self) -> int:
        """The number of links (= factors) on the loop."""
        return len(self.factors)


class LoopSearch(Sequence[FeedbackLoop]):
    """The loops found (a read-only sequence of :class:`FeedbackLoop`), plus how they were found.

    ``truncated`` is true when the count limit stopped the search before every loop was
    found; ``limit`` and ``max_length`` are the bounds that were used. Indexing and iterating
    give :class:`FeedbackLoop` objects (made on first access, then kept); a slice gives a
    plain list. It compares equal to a list (or another search) holding the same loops.

    Parameters
    ----------
    loops : iterable of FeedbackLoop
        Loops already made (e.g. a filtered list). :func:`find_feedback_loops` builds its
        result from arrays instead, without making any loop.
    truncated, limit, max_length
        How the loops were found (see above).

    Examples
    --------
    >>> a = FeedbackLoop(("a", "b"), ("a--b", "b--a"), "R", 0.9, "a--b")
    >>> b = FeedbackLoop(("a", "b", "c"), ("a--b", "b--c", "c--a"), "B", 0.2, "c--a")
    >>> search = LoopSearch([a, b], limit=10)
    >>> search
    LoopSearch(2 loops: 1 R, 1 B)
    >>> search.count_through("R"), search.where(kind="B"), search[1:] == [b]
    ({'a': 1, 'b': 1, 'c': 0}, [1], True)
    """

    def __init__(
        self,
        loops: Iterable[FeedbackLoop] = (),
        *,
        truncated: bool = False,
        limit: int | None = None,
        max_length: int | None = None,
    ) -> None:
        items = list(loops)
        factor_ids = sorted({f for lp in items for f in lp.factors})
        link_ids = sorted({lk for lp in items for lk in (*lp.links, lp.weakest_link)})
        factor_at = {fid: i for i, fid in enumerate(factor_ids)}
        link_at = {lid: i for i, lid in enumerate(link_ids)}
        lengths = np.fromiter((len(lp.factors) for lp in items), np.int64, len(items))
        offsets = np.zeros(len(items) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        self._set(
            factor_ids=factor_ids,
            link_ids=link_ids,
            nodes=np.fromiter((factor_at[f] for lp in items for f in lp.factors), np.int64),
            offsets=offsets,
            links=np.fromiter((link_at[lk] for lp in items for lk in lp.links), np.int64),
            kinds=np.fromiter((KIND_CODES[lp.kind] for lp in items), np.int8, len(items)),
            weakest=np.fromiter((link_at[lp.weakest_link] for lp in items), np.int64),
            weakest_confidence=np.fromiter(
                (lp.weakest_confidence for lp in items), np.float64, len(items)
            ),
            curated={i: lp.curated for i, lp in enumerate(items) if lp.curated is not None},
            sorted_=False,
        )
        self._items: list[FeedbackLoop | None] = list(items)
        self._complete = True
        self.truncated = truncated
        self.limit = limit
        self.max_length = max_length

    @classmethod
    def from_arrays(
        cls,
        *,
        factor_ids: Sequence[str],
        link_ids: Sequence[str],
        nodes: np.ndarray | None,
        offsets: np.ndarray | None,
        links: np.ndarray | None,
        kinds: np.ndarray,
        weakest: np.ndarray,
        weakest_confidence: np.ndarray,
        curated: dict[int, CuratedMatch],
        truncated: bool = False,
        limit: int | None = None,
        max_length: int | None = None,
        sorted_: bool = False,
        gather: Callable[[], tuple[np.ndarray, np.ndarray, np.ndarray]] | None = None,
        lengths: np.ndarray | None = None,
    ) -> LoopSearch:
        """A search result over arrays, no loop made yet.

        Loop ``i`` goes round the factors ``factor_ids[nodes[offsets[i]:offsets[i + 1]]]``
        by the links ``link_ids[links[offsets[i]:offsets[i + 1]]]``; ``kinds[i]`` is its
        kind's code in :data:`KIND_CODES`, ``weakest[i]`` the position in ``link_ids`` of
        its weakest link and ``weakest_confidence[i]`` that link's score; ``curated`` maps a
        loop's position to its curated match. ``sorted_`` says the loops are in the order
        :func:`find_feedback_loops` gives (shortest first, then by factor ids). ``nodes``,
        ``offsets`` and ``links`` may be ``None``, with ``gather`` a function that makes
        them, called the first time they are needed, and ``lengths`` the loops' lengths.

        Examples
        --------
        >>> import numpy as np
        >>> search = LoopSearch.from_arrays(
        ...     factor_ids=["a", "b"], link_ids=["a--b", "b--a"], nodes=np.array([0, 1]),
        ...     offsets=np.array([0, 2]), links=np.array([0, 1]), kinds=np.array([1]),
        ...     weakest=np.array([1]), weakest_confidence=np.array([0.5]), curated={})
        >>> search[0]
        FeedbackLoop(factors=('a', 'b'), links=('a--b', 'b--a'), kind='B', weakest_confidence=0.5, weakest_link='b--a', curated=None)
        """  # noqa: E501
        search = cls.__new__(cls)
        search._set(
            factor_ids=list(factor_ids), link_ids=list(link_ids), nodes=nodes, offsets=offsets,
            links=links, kinds=kinds, weakest=weakest, weakest_confidence=weakest_confidence,
            curated=curated, sorted_=sorted_, gather=gather, lengths=lengths,
        )  # fmt: skip
        search._items = [None] * len(search._kinds)
        search._complete = False
        search.truncated = truncated
        search.limit = limit
        search.max_length = max_length
        return search

    def _set(
        self, *, factor_ids: list[str], link_ids: list[str], nodes: np.ndarray | None,
        offsets: np.ndarray | None, links: np.ndarray | None, kinds: np.ndarray,
        weakest: np.ndarray, weakest_confidence: np.ndarray, curated: dict[int, CuratedMatch],
        sorted_: bool, gather: Callable[[], _Arrays] | None = None,
        lengths: np.ndarray | None = None,
    ) -> None:  # fmt: skip
        self._factor_ids = factor_ids
        self._link_ids = link_ids
        self._gather = gather
        self._gathered: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        if nodes is not None and offsets is not None and links is not None:
            self._gathered = (np.asarray(nodes, dtype=np.int64),
                              np.asarray(offsets, dtype=np.int64),
                              np.asarray(links, dtype=np.int64))  # fmt: skip
            lengths = np.diff(self._gathered[1])
        elif gather is None or lengths is None:
            raise ValueError("give nodes, offsets and links, or gather and lengths")
        self._lengths = np.asarray(lengths, dtype=np.int64)
        self._kinds = np.asarray(kinds, dtype=np.int8)
        self._weakest = np.asarray(weakest, dtype=np.int64)
        self._weakest_confidence = np.asarray(weakest_confidence, dtype=np.float64)
        self._curated = curated
        self._sorted = sorted_

    def _arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(nodes, offsets, links)``, made now if the search left that for later."""
        if self._gathered is None:
            assert self._gather is not None
            self._gathered = self._gather()
            self._gather = None
        return self._gathered

    @property
    def _nodes(self) -> np.ndarray:
        return self._arrays()[0]

    @property
    def _offsets(self) -> np.ndarray:
        return self._arrays()[1]

    @property
    def _links(self) -> np.ndarray:
        return self._arrays()[2]

    # ------------------------------------------------------------------ the sequence
    def __len__(self) -> int:
        return len(self._kinds)

    def _make(self, i: int) -> FeedbackLoop:
        a, b = int(self._offsets[i]), int(self._offsets[i + 1])
        fids, lids = self._factor_ids, self._link_ids
        return FeedbackLoop(
            tuple([fids[k] for k in self._nodes[a:b].tolist()]),
            tuple([lids[k] for k in self._links[a:b].tolist()]),
            _KINDS[self._kinds[i]],
            float(self._weakest_confidence[i]),
            lids[self._weakest[i]],
            self._curated.get(i),
        )

    def _make_all(self) -> list[FeedbackLoop]:
        """Every loop, made in one pass over the arrays (ids looked up once per node)."""
        if not self._complete:
            items = self._items
            all_factors = np.asarray(self._factor_ids, dtype=object)[self._nodes].tolist()
            all_links = np.asarray(self._link_ids, dtype=object)[self._links].tolist()
            kinds = [_KINDS[k] for k in self._kinds.tolist()]
            weakest = np.asarray(self._link_ids, dtype=object)[self._weakest].tolist()
            scores = self._weakest_confidence.tolist()
            bounds = self._offsets.tolist()
            curated = self._curated
            for i, item in enumerate(items):
                if item is None:
                    a, b = bounds[i], bounds[i + 1]
                    items[i] = FeedbackLoop(
                        tuple(all_factors[a:b]), tuple(all_links[a:b]), kinds[i], scores[i],
                        weakest[i], curated.get(i),
                    )  # fmt: skip
            self._complete = True
        return cast(list[FeedbackLoop], self._items)  # every slot was filled above

    @overload
    def __getitem__(self, index: int) -> FeedbackLoop: ...

    @overload
    def __getitem__(self, index: slice) -> list[FeedbackLoop]: ...

    def __getitem__(self, index: int | slice) -> FeedbackLoop | list[FeedbackLoop]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        n = len(self)
        i = index.__index__()
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(f"loop index {index} out of range (there are {n} loops)")
        item = self._items[i]
        if item is None:
            item = self._items[i] = self._make(i)
        return item

    def __iter__(self) -> Iterator[FeedbackLoop]:
        return iter(self._make_all())

    def __bool__(self) -> bool:
        return len(self) > 0

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LoopSearch | list | tuple):
            return len(self) == len(other) and list(self) == list(other)
        return NotImplemented

    # unhashable, as equal to a list; typeshed types object.__hash__ as a method, not None
    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        more = ", truncated" if self.truncated else ""
        unknown = f", {self.unknown} ?" if self.unknown else ""
        return (
            f"LoopSearch({len(self)} loops: {self.reinforcing} R, {self.balancing} B"
            f"{unknown}{more})"
        )

    def __reduce__(self) -> tuple[Any, ...]:  # pickled as arrays, without the made loops
        return (_rebuild, (self._state(),))

    def _state(self) -> dict[str, Any]:
        return {
            "factor_ids": self._factor_ids, "link_ids": self._link_ids, "nodes": self._nodes,
            "offsets": self._offsets, "links": self._links, "kinds": self._kinds,
            "weakest": self._weakest, "weakest_confidence": self._weakest_confidence,
            "curated": self._curated, "truncated": self.truncated, "limit": self.limit,
            "max_length": self.max_length, "sorted_": self._sorted,
        }  # fmt: skip

    # ------------------------------------------------------------------ counts on the arrays
    @property
    def shortest_first(self) -> bool:
        """Whether the loops are in :func:`find_feedback_loops` order: shortest first, then by
        factor ids (always so for its results and for :meth:`take` in increasing positions)."""
        return self._sorted

    @property
    def reinforcing(self) -> int:
        """How many of the loops are reinforcing (R)."""
        return int(np.count_nonzero(self._kinds == KIND_CODES["R"]))

    @property
    def balancing(self) -> int:
        """How many of the loops are balancing (B)."""
        return int(np.count_nonzero(self._kinds == KIND_CODES["B"]))

    @property
    def unknown(self) -> int:
        """How many of the loops are of unknown kind (?): a link on them has no known sign."""
        return int(np.count_nonzero(self._kinds == KIND_CODES["?"]))

    @property
    def lengths(self) -> np.ndarray:
        """The number of links of each loop, in order (an integer array)."""
        return self._lengths

    def _loop_of_node(self) -> np.ndarray:
        """For each entry of the flat node array, the position of its loop."""
        return np.repeat(np.arange(len(self), dtype=np.int64), self.lengths)

    def _factor_mask(self, factors: str | Collection[str]) -> np.ndarray:
        wanted = {factors} if isinstance(factors, str) else set(factors)
        mask = np.zeros(len(self._factor_ids), dtype=np.bool_)
        mask[[i for i, fid in enumerate(self._factor_ids) if fid in wanted]] = True
        return mask

    def count_through(self, kind: LoopKind | None = None) -> dict[str, int]:
        """How many loops (of ``kind``, or of any kind) go through each factor.

        Only factors that are on some loop of the search are keys, plus every factor of the
        map when the search came from :func:`find_feedback_loops`.

        Examples
        --------
        >>> lp = FeedbackLoop(("a", "b"), ("a--b", "b--a"), "R", 0.9, "a--b")
        >>> LoopSearch([lp]).count_through("B")
        {'a': 0, 'b': 0}
        """
        nodes = self._nodes
        if kind is not None:
            nodes = nodes[np.repeat(self._kinds == KIND_CODES[kind], self.lengths)]
        counts = np.bincount(nodes, minlength=len(self._factor_ids)).tolist()
        return dict(zip(self._factor_ids, counts, strict=True))

    def by_factor(self) -> dict[str, list[int]]:
        """The positions of the loops through each factor on a loop, in order.

        Examples
        --------
        >>> a = FeedbackLoop(("a", "b"), ("a--b", "b--a"), "R", 0.9, "a--b")
        >>> b = FeedbackLoop(("b", "c"), ("b--c", "c--b"), "R", 0.9, "b--c")
        >>> LoopSearch([a, b]).by_factor()
        {'a': [0], 'b': [0, 1], 'c': [1]}
        """
        order = np.argsort(self._nodes, kind="stable")
        loops = self._loop_of_node()[order].tolist()
        bounds = np.searchsorted(self._nodes[order], np.arange(len(self._factor_ids) + 1))
        bounds = bounds.tolist()
        return {
            fid: loops[bounds[i] : bounds[i + 1]]
            for i, fid in enumerate(self._factor_ids)
            if bounds[i + 1] > bounds[i]
        }

    def where(
        self,
        *,
        kind: LoopKind | None = None,
        through: str | Collection[str] | None = None,
        curated: bool | None = None,
        max_length: int | None = None,
    ) -> list[int]:
        """The positions of the loops that pass every filter given, in order.

        Parameters
        ----------
        kind : {"R", "B", "?"}, optional
            Only loops of this kind.
        through : str or collection of str, optional
            Only loops through this factor (or through any of these factors).
        curated : bool, optional
            Only loops that match a curated (named) loop (``True``) or that do not.
        max_length : int, optional
            Only loops of at most this many links.

        Returns
        -------
        list of int

        Examples
        --------
        >>> a = FeedbackLoop(("a", "b"), ("a--b", "b--a"), "R", 0.9, "a--b")
        >>> b = FeedbackLoop(("b", "c", "d"), ("b--c", "c--d", "d--b"), "B", 0.9, "b--c")
        >>> search = LoopSearch([a, b])
        >>> search.where(through="b"), search.where(through=["a"], kind="B")
        ([0, 1], [])
        >>> search.where(max_length=2), search.where(curated=False)
        ([0], [0, 1])
        """
        keep = np.ones(len(self), dtype=np.bool_)
        if kind is not None:
            keep &= self._kinds == KIND_CODES[kind]
        if max_length is not None:
            keep &= self.lengths <= max_length
        if curated is not None:
            named = np.zeros(len(self), dtype=np.bool_)
            named[list(self._curated)] = True
            keep &= named if curated else ~named
        if through is not None and len(self):
            on = self._factor_mask(through)[self._nodes].astype(np.int64)
            keep &= np.add.reduceat(on, self._offsets[:-1]) > 0
        return np.flatnonzero(keep).tolist()

    def take(self, positions: Iterable[int]) -> LoopSearch:
        """A search result holding only the loops at ``positions`` (in that order), with the
        same bounds; its loops are made on access too.

        Examples
        --------
        >>> a = FeedbackLoop(("a", "b"), ("a--b", "b--a"), "R", 0.9, "a--b")
        >>> b = FeedbackLoop(("b", "c"), ("b--c", "c--b"), "B", 0.9, "b--c")
        >>> search = LoopSearch([a, b])
        >>> sub = search.take(search.where(through="c"))
        >>> len(sub), sub.balancing, sub[0] == b
        (1, 1, True)
        """
        chosen = np.fromiter(positions, np.int64)
        lengths = self.lengths[chosen]
        offsets = np.zeros(len(chosen) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        flat = (np.repeat(self._offsets[chosen] - offsets[:-1], lengths)
                + np.arange(offsets[-1], dtype=np.int64))  # fmt: skip
        new_place = {int(p): i for i, p in enumerate(chosen.tolist())}
        sub = LoopSearch.from_arrays(
            factor_ids=self._factor_ids, link_ids=self._link_ids, nodes=self._nodes[flat],
            offsets=offsets, links=self._links[flat], kinds=self._kinds[chosen],
            weakest=self._weakest[chosen], weakest_confidence=self._weakest_confidence[chosen],
            curated={new_place[p]: m for p, m in self._curated.items() if p in new_place},
            truncated=self.truncated, limit=self.limit, max_length=self.max_length,
            sorted_=self._sorted and bool(np.all(np.diff(chosen) > 0)),
        )  # fmt: skip
        for i, p in enumerate(chosen.tolist()):
            sub._items[i] = self._items[p]
        return sub

    def _reading_order(self, by: str, leverage_factors: Collection[str]) -> list[int] | None:
        """The positions in :func:`~loopwise.analysis.rank_loops` order, worked out on the
        arrays, or ``None`` when the loops are not in :func:`find_feedback_loops` order
        (shortest first, then by factor ids), which every ranking breaks ties by."""
        if not self._sorted:
            return None
        if by == "leverage":
            mask = self._factor_mask(leverage_factors)[self._nodes].astype(np.int64)
            held = np.add.reduceat(mask, self._offsets[:-1]) if len(self) else mask[:0]
            by_leverage: list[int] = np.argsort(-held, kind="stable").tolist()
            return by_leverage
        if by == "evidence":
            by_evidence: list[int] = np.argsort(-self._weakest_confidence, kind="stable").tolist()
            return by_evidence
        return list(range(len(self)))


def _rebuild(state: dict[str, Any]) -> LoopSearch:
    return LoopSearch.from_arrays(**state)
