"""Mermaid ``flowchart`` text (write only), for Markdown documents and GitHub pages.

Factors are boxes labelled with their label (Mermaid node ids are ``f1``, ``f2``... because
factor ids can be Mermaid keywords such as ``end``); links are arrows labelled ``+`` or ``−``
(``?`` when the polarity is unknown), dotted when delayed. User text is entity-escaped so it
cannot break out of its quotes.

Example:
    >>> from loopwise.model import Map
    >>> m = Map.from_dict({"slug": "d", "title": "D", "factors": [{"id": "a", "label": "A"},
    ...     {"id": "end", "label": 'B "x"'}], "links": [{"from": "a", "to": "end",
    ...     "polarity": "-"}]})
    >>> print(write_mermaid(m))
    flowchart LR
      %% D
      f1["A"]
      f2["B #quot;x#quot;"]
      f1 -->|"−"| f2
    <BLANKLINE>
"""

from __future__ import annotations

import re

from loopwise.formats._common import known_polarity
from loopwise.model import Map

_ESCAPES = {'"': "#quot;", "#": "#35;", "<": "#lt;", ">": "#gt;", "`": "#96;", "|": "#124;",
            "\n": " ", "\r": " "}  # fmt: skip


def detect(raw: bytes, filename: str) -> bool:
    head = raw[:200].decode("utf-8", "ignore").lstrip()
    return bool(re.match(r"(flowchart|graph)\s+(LR|RL|TD|TB|BT)\b", head))


def _text(value: str) -> str:
    return "".join(_ESCAPES.get(ch, ch) for ch in value)


def write_mermaid(map_: Map) -> str:
    """The map as a Mermaid flowchart."""
    lines = ["flowchart LR", f"  %% {_text(map_.title)}"]
    names = {f.id: f"f{n}" for n, f in enumerate(map_.factors, start=1)}
    for factor in map_.factors:
        lines.append(f'  {names[factor.id]}["{_text(factor.label)}"]')
    for link in map_.links:
        polarity = known_polarity(link)
        sign = {"+": "+", "-": "−", None: "?"}[polarity]
        arrow = "-.->" if link.delay else "-->"
        lines.append(f'  {names[link.source_factor]} {arrow}|"{sign}"| {names[link.target_factor]}')
    return "\n".join(lines) + "\n"
