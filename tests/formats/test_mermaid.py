from __future__ import annotations

from loopwise.formats.mermaid import write_mermaid
from loopwise.model import Map


def test_mermaid_flowchart_with_signs_and_delays(small_map: Map) -> None:
    text = write_mermaid(small_map)
    lines = text.splitlines()
    assert lines[0] == "flowchart LR"
    assert '  f1["Homelessness"]' in lines
    assert '  f1 -->|"+"| f2' in lines
    assert '  f3 -.->|"+"| f1' in lines  # delayed link: dotted


def test_mermaid_escapes_user_text_and_avoids_keywords() -> None:
    m = Map.from_dict({"slug": "m", "title": "T", "factors": [
        {"id": "end", "label": 'A "quote" <b>#1</b> | x'}, {"id": "b", "label": "B\nline"}],
        "links": [{"from": "end", "to": "b", "polarity": "-", "tags": ["polarity:unknown"]}]})  # fmt: skip
    text = write_mermaid(m)
    assert 'f1["A #quot;quote#quot; #lt;b#gt;#35;1#lt;/b#gt; #124; x"]' in text
    assert 'f2["B line"]' in text
    assert 'f1 -->|"?"| f2' in text  # unknown polarity is shown as such
    assert "end" not in text.split("\n", 2)[2]
