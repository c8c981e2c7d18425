"""An accepted loop claim becomes a curated loop of the map.

A loop suggestion (``kind="loop"``, see :mod:`loopwise.evidence.suggest`) lists the factors
of the claims just before the sentence that says the loop exists ("It then becomes a vicious
circle."), in order, and the links those claims state (``loop_links``); a span that matched
no factor brings the new factor it proposes (``loop_new_factors``). Accepting it adds a
:class:`~loopwise.model.CuratedLoop` over those factors to the map (named after the cue, its
narrative the quote, R or B from the product of the links' polarities), after adding any
link of the ring that the map lacks but a claim in the quote states. A ring link that
neither the map nor the quote has is refused with a clear error: nothing is changed.

Example:
    >>> data = {"factors": [{"id": "prison", "label": "Prison"},
    ...                     {"id": "wrecked-lives", "label": "Wrecked lives"}],
    ...         "links": [{"id": "prison--wrecked-lives", "from": "prison",
    ...                    "to": "wrecked-lives", "polarity": "+"}]}
    >>> claim = {"kind": "loop", "cue": "vicious circle", "quote": "...",
    ...          "loop": ["prison", "wrecked-lives"],
    ...          "loop_links": [{"from": "wrecked-lives", "to": "prison", "polarity": "+"}]}
    >>> loop = add_claimed_loop(data, claim)
    >>> loop["id"], loop["factors"], loop["kind"], [lk["id"] for lk in data["links"]]
    ('vicious-circle-prison-wrecked-lives', ['prison', 'wrecked-lives'], 'R', \
['prison--wrecked-lives', 'wrecked-lives--prison'])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from loopwise.errors import ValidationError
from loopwise.model import Link
from loopwise.model.ids import slugify


def ring_pairs(factors: Sequence[str]) -> list[tuple[str, str]]:
    """The links a loop over ``factors`` needs, the last back to the first.

    >>> ring_pairs(["a", "b", "c"])
    [('a', 'b'), ('b', 'c'), ('c', 'a')]
    """
    ring = [*factors, factors[0]] if factors else []
    return list(zip(ring, ring[1:], strict=False))


def add_claimed_loop(
    data: dict[str, Any], claim: dict[str, Any], factors: Sequence[str] | None = None
) -> dict[str, Any]:
    """Add the curated loop that the loop suggestion ``claim`` states to the map ``data``
    (a map as a dict, changed in place) and return it; its ring's missing links come from
    the claim's ``loop_links``. ``factors`` overrides the claim's own list. A loop already
    curated over the same ring (from any starting factor) is returned, not added again.

    Raises
    ------
    ValidationError
        Fewer than two factors, a factor not in the map, or a ring link that neither the map
        nor a claim in the quote has.
    """
    ring = list(dict.fromkeys(factors if factors is not None else claim.get("loop") or []))
    where = f"loop claim {claim.get('quote', '')[:60]!r}"
    if len(ring) < 2:
        raise ValidationError(
            "a loop needs at least two factors of the map; the claims before this sentence "
            f"matched {len(ring)} (give the loop's factors, or accept the claims as links)",
            where,
        )
    known = {f["id"] for f in data.get("factors", [])}
    proposed = {
        f["id"]: {"id": f["id"], "label": f["label"]}
        for f in claim.get("loop_new_factors") or []
        if f["id"] in ring and f["id"] not in known
    }
    for factor in ring:
        if factor not in known and factor not in proposed:
            raise ValidationError(f"no factor {factor!r} in the map for this loop", where)
    links = data.setdefault("links", [])
    by_pair = {(lk["from"], lk["to"]): lk for lk in links}
    stated = {(lk["from"], lk["to"]): lk["polarity"] for lk in claim.get("loop_links") or []}
    missing = [pair for pair in ring_pairs(ring) if pair not in by_pair]
    for a, b in missing:
        if (a, b) not in stated:
            raise ValidationError(
                f"the loop needs a link {a} -> {b}: the map has none and no claim in the "
                "quote states it; add the link first, or give the loop other factors",
                where,
            )
    data.setdefault("factors", []).extend(proposed.values())
    for a, b in missing:
        link = Link.model_validate({"from": a, "to": b, "polarity": stated[(a, b)]})
        added = link.model_dump(mode="json", by_alias=True, exclude_none=True)
        links.append(added)
        by_pair[(a, b)] = added
    loops = data.setdefault("loops", [])
    for existing in loops:
        if _same_ring(existing["factors"], ring):
            found: dict[str, Any] = existing
            return found
    sign = 1
    for pair in ring_pairs(ring):
        polarity = by_pair[pair].get("polarity")
        sign = 0 if polarity not in ("+", "-") else sign * (1 if polarity == "+" else -1)
    labels = {f["id"]: f.get("label", f["id"]) for f in data.get("factors", [])}
    cue = str(claim.get("cue") or "loop")
    name = f"{cue[:1].upper()}{cue[1:]}: " + " → ".join(labels[f] for f in ring)
    taken = {lp["id"] for lp in loops}
    base = slugify(f"{cue} {' '.join(ring)}")[:60].strip("-") or "loop"
    loop_id, n = base, 2
    while loop_id in taken:
        loop_id, n = f"{base}-{n}", n + 1
    loop: dict[str, Any] = {
        "id": loop_id,
        "name": name,
        "narrative": str(claim.get("quote", "")),
        "factors": ring,
    }
    if sign:
        loop["kind"] = "R" if sign > 0 else "B"
    loops.append(loop)
    return loop


def _same_ring(a: Sequence[str], b: Sequence[str]) -> bool:
    if len(a) != len(b) or not a:
        return False
    doubled = [*a, *a]
    return any(doubled[i : i + len(b)] == list(b) for i in range(len(a)))
