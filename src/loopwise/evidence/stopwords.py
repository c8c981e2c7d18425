"""Function words that carry no topic, shared by the causal-claim rules and the matcher.

Each user adds its own few: the matcher drops vague verbs and nouns of transcripts ("get",
"people") so they never decide which factor a span is about; the rules drop question and
quantity words when they judge whether a span says anything.

Example:
    >>> "the" in STOPWORDS, "housing" in STOPWORDS
    (True, False)
"""

from __future__ import annotations

STOPWORDS: frozenset[str] = frozenset(
    [
        "a",
        "also",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "being",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "for",
        "from",
        "had",
        "has",
        "have",
        "he",
        "her",
        "here",
        "him",
        "his",
        "i",
        "in",
        "is",
        "it",
        "its",
        "just",
        "may",
        "me",
        "might",
        "more",
        "must",
        "my",
        "no",
        "not",
        "of",
        "on",
        "or",
        "our",
        "own",
        "really",
        "she",
        "should",
        "so",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "to",
        "very",
        "was",
        "we",
        "were",
        "will",
        "with",
        "would",
        "you",
        "your",
    ]
)
"""Articles, pronouns, auxiliaries, prepositions and fillers."""

MATCHING_EXTRA: frozenset[str] = frozenset(
    [
        "about",
        "down",
        "get",
        "go",
        "going",
        "got",
        "into",
        "less",
        "like",
        "one",
        "ones",
        "out",
        "people",
        "person",
        "up",
        "went",
    ]
)
"""Words too common in interviews to tell factors apart (used by the matcher)."""

RULES_EXTRA: frozenset[str] = frozenset(
    [
        "again",
        "all",
        "any",
        "each",
        "few",
        "how",
        "most",
        "once",
        "only",
        "other",
        "same",
        "shall",
        "some",
        "still",
        "such",
        "than",
        "too",
        "what",
        "when",
        "where",
        "which",
        "who",
        "whom",
        "why",
    ]
)
"""Question and quantity words that make no content of their own (used by the rules)."""
