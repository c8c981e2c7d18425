"""Sources and the evidence drawn from them.

A :class:`Source` is where evidence comes from (an interview document, a publication, a
statistical release). An :class:`Evidence` item is one quote, figure or finding from a source
that supports a link or a factor, with its exact place in the source.

Example:
    >>> src = Source(id="npc-2021", kind="literature", title="Breaking cycles", year=2021)
    >>> ev = Evidence(source="npc-2021", kind="finding", text="20 'leverage points'")
    >>> ev.status
    'accepted'
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from loopwise.model.ids import Slug
from loopwise.model.urls import WebUrl, check_citation_url

SourceKind = Literal["interview", "literature", "statistic", "practitioner"]
EvidenceKind = Literal["quote", "figure", "finding"]
EvidenceStatus = Literal["suggested", "accepted", "rejected"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Source(_Strict):
    """Where evidence comes from.

    ``citation`` holds CSL-JSON fields (``type``, ``title``, ``author``, ``issued``,
    ``publisher``, ``URL``...). ``file`` names the document an interview quote sits in, so its
    offsets can be checked. ``attributes`` describe a participant or subgroup (gender,
    sentence length, age band) for subgroup views. ``url`` and the citation's ``URL`` are
    http(s) or mailto addresses only (:mod:`loopwise.model.urls`).
    """

    id: Slug
    kind: SourceKind
    title: str = Field(min_length=1)
    year: int | None = Field(default=None, ge=1800, le=2200)
    url: WebUrl | None = None
    file: str | None = None
    citation: dict[str, Any] = Field(default_factory=dict)
    attributes: dict[str, str] = Field(default_factory=dict)
    note: str = ""

    @field_validator("citation")
    @classmethod
    def _citation_url(cls, citation: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
        return check_citation_url(citation, info)


class TextSpan(_Strict):
    """Character offsets ``[start, end)`` of a quote in its source file."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> TextSpan:
        if self.end <= self.start:
            raise ValueError(f"end ({self.end}) must be after start ({self.start})")
        return self


class Evidence(_Strict):
    """One quote, figure or finding from a source.

    ``kind``: ``quote`` (a person's own words, copied exactly), ``figure`` (a number with its
    year and citation), ``finding`` (a statement from a publication, copied exactly).
    ``span`` gives the character offsets in the source file for quotes from seed documents;
    ``page`` or ``locator`` a place in a publication.
    """

    id: Slug | None = None
    source: Slug
    kind: EvidenceKind = "quote"
    text: str = Field(min_length=1)
    span: TextSpan | None = None
    page: str | None = None
    locator: str | None = None
    year: int | None = Field(default=None, ge=1800, le=2200)
    status: EvidenceStatus = "accepted"
    coder: str | None = None
    note: str = ""
    caveat: str = ""
    """What a reader must know to use this item (a figure seen only in part, or only in a
    secondary source); shown wherever the item is."""
