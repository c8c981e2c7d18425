"""Build the built-in map "Breaking the cycle of reoffending" from its YAML source.

The content lives in ``data/breaking-the-cycle/*.yaml``, written to be read and edited by a
researcher who does not program (see ``data/breaking-the-cycle/README.md``). This tool:

1. reads ``map.yaml`` and every other ``*.yaml`` there, joining their sections (``sources``,
   ``factors``, ``links``, ``loops``, ``organisations``, ``interventions``, ``stories``);
   stories become views with steps, their factor and link ids checked;
2. finds every seed quote in its source's seed file (``../shared/seeds`` or
   ``$LOOPWISE_SEEDS_DIR``) by its text, and records its character offsets;
3. checks every other evidence text, organisation wording and measured result word for word
   against the checked material in ``../shared/domain`` (or ``$LOOPWISE_DOMAIN_DIR``): never
   from a not-confirmed item, and with a caveat when the item is only partly confirmed;
4. validates the map (``loopwise.model.Map``) and each named loop's type against its signs;
5. writes ``src/loopwise/data/maps/breaking-the-cycle.json`` and the review record
   ``docs/map-review.md``.

Run:  python scripts/build_builtin_map.py           (build and write)
      python scripts/build_builtin_map.py --check   (build and check only; writes nothing)

Any problem is one line naming the file, the item and what is wrong, with exit code 1.
"""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data" / "breaking-the-cycle"
SHARED = REPO.parent / "shared"
OUT = REPO / "src" / "loopwise" / "data" / "maps" / "breaking-the-cycle.json"
REVIEW = REPO / "docs" / "map-review.md"
CODER = "loopwise-builtin"
SECTIONS = (
    "sources", "factors", "links", "loops", "organisations", "interventions", "stories",
)  # fmt: skip
EVIDENCE_KINDS = ("quote", "figure", "finding")


class BuildError(Exception):
    """A problem in the map's source data: ``where`` names the file and item. ``problems``
    lists every problem found when there were several."""

    def __init__(self, where: str, message: str, problems: list[str] | None = None) -> None:
        super().__init__(f"{where}: {message}")
        self.problems = problems or [f"{where}: {message}"]


# --------------------------------------------------------------------------- checked material
@dataclass(frozen=True)
class DomainItem:
    """One numbered item of a domain file, with the status its heading gives."""

    file: str
    heading: str
    status: str  # "confirmed", "partly" or "not confirmed"


class DomainMaterial:
    """The checked files of ``shared/domain``: where a text occurs, and that item's status.

    Example:
        >>> m = DomainMaterial({"f.md": "## 1. A. Status: **partly**\\n- \\"X rose.\\"\\n"})
        >>> m.locate("X rose.").status
        'partly'
    """

    def __init__(self, files: dict[str, str]) -> None:
        self.files = files

    @classmethod
    def load(cls, folder: Path) -> DomainMaterial:
        names = sorted(p.name for p in folder.glob("*.md") if p.name != "README.md")
        return cls({n: (folder / n).read_text(encoding="utf-8") for n in names})

    def locate(self, text: str) -> DomainItem | None:
        """The item that holds ``text`` word for word (the best-confirmed one if several)."""
        found = [
            item for name, body in self.files.items() for item in _items_holding(name, body, text)
        ]
        order = {"confirmed": 0, "partly": 1, "not confirmed": 2}
        return min(found, key=lambda item: order[item.status], default=None)


def _items_holding(name: str, body: str, text: str) -> list[DomainItem]:
    items = []
    start = body.find(text)
    while start >= 0:
        items.append(_item_at(name, body, start))
        start = body.find(text, start + 1)
    return items


def _item_at(name: str, body: str, offset: int) -> DomainItem:
    before = body[:offset]
    section = re.findall(r"^# (.+)$", before, flags=re.M)
    heading_match = list(re.finditer(r"^## (.+)$", before, flags=re.M))
    heading = heading_match[-1].group(1) if heading_match else ""
    line = body[body.rfind("\n", 0, offset) + 1 : body.find("\n", offset)]
    if (section and "not confirmed" in section[-1].lower()) or re.search(
        r"not confirmed|unverified|should not be cited", line, flags=re.I
    ):
        return DomainItem(name, heading, "not confirmed")
    # a line inside the item may give the status of what follows it ("... Status: partly.")
    inside = before[heading_match[-1].end() :] if heading_match else ""
    sub = re.findall(r"Status:\s*\**\s*(not confirmed|confirmed|partly)", inside, flags=re.I)
    statuses = re.findall(
        r"(not confirmed|confirmed|partly)",
        heading.split("Status:", 1)[-1].lower() if "Status:" in heading else "",
    )
    if sub:
        status = sub[-1].lower()
    elif len(set(statuses)) > 1 and re.search(r"Status:", body[offset : _item_end(body, offset)]):
        status = statuses[0]  # mixed heading: what precedes the item's own status line
    elif statuses and statuses[0] == "not confirmed":
        status = "not confirmed"
    elif statuses:
        # "partly (wording confirmed; year not confirmed)": the item is what it says first;
        # its not-confirmed parts say so on their own lines (caught above). Any "partly" in
        # a mixed heading asks for a caveat, since the parts cannot be told apart.
        status = "partly" if "partly" in statuses else "confirmed"
    else:
        status = "partly"
    return DomainItem(name, heading, status)


def _item_end(body: str, offset: int) -> int:
    following = re.search(r"^#{1,2} ", body[offset:], flags=re.M)
    return offset + following.start() if following else len(body)


# --------------------------------------------------------------------------- reading the YAML
def read_sections(folder: Path = DATA) -> tuple[dict[str, Any], dict[str, list[tuple[str, dict]]]]:
    """``map.yaml``'s fields, and every section's items as ``(file name, item)`` pairs."""
    meta_path = folder / "map.yaml"
    meta = _load_yaml(meta_path)
    sections: dict[str, list[tuple[str, dict]]] = {name: [] for name in SECTIONS}
    for path in sorted(folder.glob("*.yaml")):
        body = meta if path == meta_path else _load_yaml(path)
        for key, value in body.items():
            if key in SECTIONS:
                if not isinstance(value, list):
                    raise BuildError(path.name, f"{key} must be a list")
                sections[key].extend((path.name, item) for item in value)
            elif path != meta_path:
                raise BuildError(
                    path.name, f"unknown section {key!r} (expected one of {', '.join(SECTIONS)})"
                )
    return meta, sections


def _load_yaml(path: Path) -> dict[str, Any]:
    try:
        body = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise BuildError(path.name, f"not valid YAML: {str(exc).splitlines()[0]}") from None
    if not isinstance(body, dict):
        raise BuildError(path.name, "expected sections (key: value), not a list or text")
    return body


# --------------------------------------------------------------------------- building
class Builder:
    """Turns the YAML sections into the map's JSON, checking every text as it goes."""

    def __init__(self, seeds: dict[str, str], domain: DomainMaterial) -> None:
        self.seeds = seeds
        self.domain = domain
        self.sources: dict[str, dict] = {}
        self.problems: list[str] = []

    def _problem(self, where: str, message: str) -> None:
        """Note a text problem and go on, so that one run lists them all."""
        self.problems.append(f"{where}: {message}")

    def build(self, meta: dict[str, Any], sections: dict[str, list[tuple[str, dict]]]) -> dict:
        self.sources = {s["id"]: s for _, s in sections["sources"]}
        factors = [self._factor(f, item) for f, item in sections["factors"]]
        links = [self._link(f, item) for f, item in sections["links"]]
        organisations = [self._organisation(f, item) for f, item in sections["organisations"]]
        interventions = [self._intervention(f, item) for f, item in sections["interventions"]]
        loops = [item for _, item in sections["loops"]]
        stories = [self._story(f, item, factors, links, loops) for f, item in sections["stories"]]
        if self.problems:
            raise BuildError(
                "data", f"{len(self.problems)} problem(s); first: {self.problems[0]}", self.problems
            )
        return {
            "format": "loopwise",
            "format_version": 2,
            **{k: meta[k] for k in ("slug", "title", "description", "licence", "visibility")},
            "themes": meta.get("themes", []),
            "stages": meta.get("stages", []),
            "sources": [item for _, item in sections["sources"]],
            "factors": factors,
            "links": links,
            "loops": loops,
            "organisations": organisations,
            "interventions": interventions,
            "views": stories,
        }

    def _factor(self, file: str, item: dict) -> dict:
        where = f"{file}: factor {item.get('id')}"
        factor = {k: v for k, v in item.items() if k != "evidence"}
        factor["evidence"] = [
            dict(self._evidence(where, ev), id=f"{item.get('id')}.e{n}")
            for n, ev in enumerate(item.get("evidence") or [], 1)
        ]
        return factor

    def _link(self, file: str, item: dict) -> dict:
        link_id = item.get("id") or f"{item.get('from')}--{item.get('to')}"
        where = f"{file}: link {link_id}"
        for key in ("support", "support_reason"):
            if not item.get(key):
                self._problem(where, f"{key} is missing (every link is graded)")
        evidence = [
            dict(self._evidence(where, ev), id=f"{link_id}.e{n}")
            for n, ev in enumerate(item.get("evidence") or [], 1)
        ]
        if not evidence:
            raise BuildError(where, "has no evidence")
        kinds = {
            self.sources[ev["source"]]["kind"] for ev in evidence if ev["source"] in self.sources
        }
        tags = ["evidence:interview"] if "interview" in kinds else []
        tags += ["evidence:literature"] if kinds - {"interview"} else []
        body = {k: v for k, v in item.items() if k != "evidence"}
        return {"id": link_id, **body, "tags": tags, "evidence": evidence}

    def _story(
        self, file: str, item: dict, factors: list[dict], links: list[dict], loops: list[dict]
    ) -> dict:
        """A story as a view with steps. Every factor and link id must be the map's; a
        step's links' ends must be among its factors (the canvas shows what the text says);
        a story named after a loop must walk every link of that loop."""
        where = f"{file}: story {item.get('id')}"
        factor_ids = {f["id"] for f in factors}
        link_ends = {lk["id"]: (lk["from"], lk["to"]) for lk in links}
        steps = item.get("steps") or []
        if not steps:
            self._problem(where, "has no steps")
        walked: set[str] = set()
        for n, step in enumerate(steps, 1):
            at = f"{where} step {n}"
            for key in ("title", "text"):
                if not step.get(key):
                    self._problem(at, f"{key} is missing")
            shown = set(step.get("factors") or [])
            for factor_id in sorted(shown - factor_ids):
                self._problem(at, f"unknown factor {factor_id!r}")
            for link_id in step.get("links") or []:
                if link_id not in link_ends:
                    self._problem(at, f"unknown link {link_id!r}")
                    continue
                walked.add(link_id)
                missing = [end for end in link_ends[link_id] if end not in shown]
                if missing:
                    self._problem(at, f"link {link_id} needs its factor(s) {missing} in factors")
        loop = next((lp for lp in loops if lp.get("id") == item.get("id")), None)
        if loop:
            ring = [*loop["factors"], loop["factors"][0]]
            for a, b in zip(ring, ring[1:], strict=False):
                if f"{a}--{b}" not in walked:
                    self._problem(where, f"never shows its loop's link {a}--{b}")
        return item

    def _organisation(self, file: str, item: dict) -> dict:
        where = f"{file}: organisation {item.get('id')}"
        for n, action in enumerate(item.get("acts_on") or []):
            self._check_wording(f"{where}.acts_on[{n}]", action, action.get("text", ""))
        return item

    def _intervention(self, file: str, item: dict) -> dict:
        where = f"{file}: intervention {item.get('id')}"
        for n, effect in enumerate(item.get("measured") or []):
            self._check_wording(f"{where}.measured[{n}]", effect, effect.get("text", ""))
        return item

    def _check_wording(self, where: str, owner: dict, text: str) -> None:
        if not text:
            self._problem(where, "text is missing (the source's own words)")
            return
        source = self.sources.get(owner.get("source"))
        if source and source.get("file"):
            self._locate_quote(where, source, text)
            return
        self._check_domain(where, text, owner.get("caveat") or _caveat_in_note(owner))

    def _evidence(self, where: str, ev: dict) -> dict:
        kinds = [k for k in EVIDENCE_KINDS if k in ev]
        if len(kinds) != 1:
            raise BuildError(where, f"evidence needs exactly one of quote, figure, finding: {ev}")
        kind = kinds[0]
        text = ev[kind]
        source = self.sources.get(ev.get("source"))
        if source is None:
            raise BuildError(where, f"unknown source {ev.get('source')!r}")
        out: dict[str, Any] = {"source": source["id"], "kind": kind, "text": text}
        if source.get("file"):
            if kind != "quote":
                raise BuildError(where, f"evidence from the seed {source['file']} must be a quote")
            start = self._locate_quote(where, source, text)
            out["span"] = {"start": start, "end": start + len(text)}
            out["locator"] = source["file"]
            out["year"] = source.get("year")
        else:
            if kind == "quote" and source["kind"] != "interview":
                raise BuildError(
                    where, "a quote must come from a seed document; use figure or finding"
                )
            self._check_domain(where, text, ev.get("caveat", ""))
            out["year"] = ev.get("year", source.get("year"))
        out["status"] = "accepted"
        out["coder"] = CODER
        for key in ("note", "caveat"):
            if ev.get(key):
                out[key] = ev[key]
        unknown = set(ev) - {kind, "source", "year", "note", "caveat"}
        if unknown:
            raise BuildError(where, f"unknown evidence field(s) {sorted(unknown)}")
        return out

    def _locate_quote(self, where: str, source: dict, text: str) -> int:
        body = self.seeds.get(source["file"])
        if body is None:
            raise BuildError(where, f"seed file {source['file']} not found")
        start = body.find(text)
        if start < 0:
            self._problem(
                where, f"quote not found word for word in {source['file']}: {text[:70]!r}"
            )
            return 0
        if body.find(text, start + 1) >= 0:
            self._problem(where, f"quote occurs more than once in {source['file']}: {text[:70]!r}")
        if "\n" in text:
            self._problem(where, "a quote spans paragraphs")
        return start

    def _check_domain(self, where: str, text: str, caveat: str) -> None:
        item = self.domain.locate(text)
        if item is None:
            self._problem(where, f"text not found word for word in shared/domain: {text[:70]!r}")
        elif item.status == "not confirmed":
            self._problem(
                where, f"text is from a not-confirmed item ({item.file}: {item.heading[:60]})"
            )
        elif item.status == "partly" and not caveat:
            self._problem(
                where, f"a partly confirmed item needs a caveat ({item.file}: {item.heading[:60]})"
            )


def _caveat_in_note(owner: dict) -> str:
    note = owner.get("note") or ""
    return note if note.lower().startswith("caveat") else ""


# --------------------------------------------------------------------------- checks after building
def check_map(data: dict) -> Any:
    """Validate with the model; check each named loop's type and that every link is evidenced."""
    from loopwise.errors import LoopwiseError
    from loopwise.model import Map

    try:
        m = Map.from_dict(data, where="breaking-the-cycle")
    except LoopwiseError as exc:
        raise BuildError("map", str(exc)) from None
    from loopwise.reports.map_review import loop_sign_product

    for loop in m.curated_loops:
        kind = loop_sign_product(m, loop.factors)[1]
        if kind != loop.kind:
            raise BuildError(
                f"loop {loop.id}", f"its signs make it {kind}, but it says {loop.kind}"
            )
    return m


def review_record(m: Any) -> str:
    """The review record (``docs/map-review.md``): every link, its grade, reason and evidence."""
    from loopwise.reports.map_review import render_map_review

    return render_map_review(m)


def load_inputs() -> tuple[dict[str, str], DomainMaterial]:
    seeds_dir = Path(os.environ.get("LOOPWISE_SEEDS_DIR") or SHARED / "seeds")
    domain_dir = Path(os.environ.get("LOOPWISE_DOMAIN_DIR") or SHARED / "domain")
    for folder in (seeds_dir, domain_dir):
        if not folder.is_dir():
            raise BuildError(
                str(folder), "folder not found (set LOOPWISE_SEEDS_DIR / LOOPWISE_DOMAIN_DIR)"
            )
    seeds = {}
    for path in sorted(seeds_dir.glob("*.txt")):
        with open(path, encoding="utf-8", newline="") as fh:
            seeds[path.name] = fh.read()
    return seeds, DomainMaterial.load(domain_dir)


def build_map(folder: Path = DATA) -> tuple[dict, Any]:
    """Build and check: the canonical JSON document and the validated Map."""
    seeds, domain = load_inputs()
    meta, sections = read_sections(folder)
    data = Builder(seeds, domain).build(meta, sections)
    m = check_map(data)
    return m.to_dict(), m


def main(argv: list[str]) -> int:
    try:
        document, m = build_map()
    except BuildError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 1
    grades: dict[str, int] = {}
    for link in m.links:
        grades[link.support or "ungraded"] = grades.get(link.support or "ungraded", 0) + 1
    print(
        f"{len(m.factors)} factors, {len(m.links)} links ({grades}), {len(m.curated_loops)} loops, "
        f"{len(m.organisations)} organisations, {len(m.interventions)} interventions"
    )
    if "--check" in argv:
        return 0
    OUT.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    REVIEW.write_text(review_record(m), encoding="utf-8")
    print(f"wrote {OUT.relative_to(REPO)} and {REVIEW.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
