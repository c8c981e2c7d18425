"""How a source is cited in a brief: a one-line reference from its CSL-JSON citation, and a
participant's attributes in words.

Example:
    >>> from loopwise.model import Source
    >>> src = Source(id="moj", kind="statistic", title="Proven reoffending", year=2025,
    ...              citation={"author": [{"literal": "Ministry of Justice"}],
    ...                        "publisher": "Ministry of Justice", "URL": "https://gov.uk/x"})
    >>> format_citation(src)
    'Ministry of Justice (2025). Proven reoffending. https://gov.uk/x'
    >>> format_attributes({"voice": "interviewee", "collected_by": "NPC"})
    'voice: interviewee; collected by: NPC'
"""

from __future__ import annotations

from typing import Any

from loopwise.model import Source


def source_authors(source: Source) -> str:
    """The authors of a source's citation, "Family, G." or a literal name, joined by ``; ``."""
    names: list[str] = []
    for author in source.citation.get("author") or []:
        if not isinstance(author, dict):
            continue
        if author.get("literal"):
            names.append(str(author["literal"]))
        elif author.get("family"):
            given = str(author.get("given") or "")
            initials = " ".join(part[0] + "." for part in given.split() if part)
            names.append(f"{author['family']}, {initials}".rstrip(", "))
    return "; ".join(names)


def source_year(source: Source) -> int | None:
    """The year a source was issued (CSL ``issued``), else its ``year``."""
    issued: Any = source.citation.get("issued")
    if isinstance(issued, dict):
        parts = issued.get("date-parts")
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
            first = parts[0][0]
            if isinstance(first, int) or (isinstance(first, str) and first.isdigit()):
                return int(first)
    return source.year


def source_url(source: Source) -> str | None:
    """The citation's ``URL`` (else the source's ``url``)."""
    url = source.citation.get("URL") or source.url
    return str(url) if url else None


def format_citation(source: Source) -> str:
    """A one-line reference: ``Authors (year). Title. Publisher. URL`` (parts that exist)."""
    authors = source_authors(source)
    year = source_year(source)
    title = str(source.citation.get("title") or source.title).strip()
    publisher = str(source.citation.get("publisher") or "").strip()
    head = authors or publisher
    parts: list[str] = []
    if head:
        parts.append(f"{head} ({year})." if year else f"{head}.")
    elif year:
        parts.append(f"({year}).")
    parts.append(title if title.endswith((".", "?", "!")) else f"{title}.")
    if publisher and publisher != head:
        parts.append(publisher if publisher.endswith(".") else f"{publisher}.")
    url = source_url(source)
    if url:
        parts.append(url)
    return " ".join(parts)


def format_attributes(attributes: dict[str, str]) -> str:
    """A participant's or subgroup's attributes in words, in the order given."""
    return "; ".join(
        f"{key.replace('_', ' ')}: {value}" for key, value in attributes.items() if value
    )
