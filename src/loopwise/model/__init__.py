"""The data model: pydantic types for a systems map, validated as a whole by :class:`Map`.

The model imports nothing else of loopwise but ``errors``.
"""

from loopwise.model.confidence import confidence_level, confidence_score
from loopwise.model.entities import (
    DEFAULT_FACTOR_KIND,
    STRENGTH_VALUES,
    CuratedLoop,
    Factor,
    FactorKind,
    Indicator,
    Intervention,
    InterventionTarget,
    Link,
    MeasuredEffect,
    Organisation,
    OrganisationAction,
    Polarity,
    Position,
    Stage,
    StoryStep,
    SupportGrade,
    Theme,
    View,
    ViewFilters,
)
from loopwise.model.evidence import Evidence, Source, TextSpan
from loopwise.model.ids import is_slug, slugify
from loopwise.model.map import FORMAT_NAME, FORMAT_VERSION, LinkConfidence, Map
from loopwise.model.revision import Change, Revision

__all__ = [
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "DEFAULT_FACTOR_KIND",
    "STRENGTH_VALUES",
    "Change",
    "CuratedLoop",
    "Evidence",
    "Factor",
    "FactorKind",
    "Indicator",
    "Intervention",
    "InterventionTarget",
    "MeasuredEffect",
    "Link",
    "LinkConfidence",
    "Map",
    "Organisation",
    "OrganisationAction",
    "Polarity",
    "Position",
    "Revision",
    "Source",
    "Stage",
    "StoryStep",
    "SupportGrade",
    "TextSpan",
    "Theme",
    "View",
    "ViewFilters",
    "confidence_level",
    "confidence_score",
    "is_slug",
    "slugify",
]
