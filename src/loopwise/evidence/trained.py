"""The trained claim detector (the ``[nlp]`` extra): a sentence classifier (causal or not)
and a cause/effect tagger over the sentence-embedding model's word pieces, combined with the
cue rules.

The embedding model (all-MiniLM-L6-v2) reads the sentence through its first four layers
(frozen; the middle layers know more about how a sentence is built than the last one, which
was trained for similarity). Two small heads read the word-piece vectors and the rules'
verdict: a logistic classifier (the pieces' mean and maximum) and a bidirectional GRU that
tags each piece O, CAUSE or EFFECT and has its own causal-or-not output. A sentence's
confidence is the mean of the two probabilities, shifted so that the threshold chosen in
training sits at 0.5; a strong cue (rule confidence >= 0.85) makes a sentence causal on its
own, with the cue's confidence (such sentences are not read by the model at all, which
saves its time). The rules' claims keep their cue, direction, polarity and spans; in a
sentence where the rules find none, the tagger's spans make the claim (cue ``"model"``,
polarity from negation).
The heads' weights ship in the package (``detector_weights.npz``, under 1 MB, with the data
hashes, metrics and command that made them in ``detector_card.json``); rebuild them with
``python scripts/train_causal_detector.py``. Nothing is downloaded.

Example (with the ``[nlp]`` extra; see ``tests/evidence/test_trained.py``)::

    detector = TrainedDetector.load()
    [claim, *_] = detector.claims(["Crowds gathered to protest the killing."])[0]
    claim.cause.text, claim.effect.text, claim.confidence
"""

from __future__ import annotations

import copy
import dataclasses
import json
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, cast

import numpy as np

from loopwise.errors import LoopwiseError
from loopwise.evidence.embeddings import bfloat16_fast
from loopwise.evidence.rules import (
    Claim,
    Span,
    find_claims,
    is_invitation,
    names_something,
    span_negated,
)

WEIGHTS = Path(__file__).with_name("detector_weights.npz")
CARD = Path(__file__).with_name("detector_card.json")
MAX_TOKENS = 128
FROZEN_LAYERS = 4  # the embedding model's layers the detector reads
TAGS = ("O", "CAUSE", "EFFECT")
RULE_FEATURES = 3
TOKEN_RULE_FEATURES = 5
HIDDEN = 64  # the tagger's GRU size per direction
STRONG_CUE = 0.85  # rule confidence at which a cue alone makes a sentence causal


class DetectorWeightsMissing(LoopwiseError):
    """The package's detector weights are missing or unreadable (a broken install)."""


@dataclass
class Encoded:
    """One sentence after the frozen layers: word-piece character offsets and vectors."""

    offsets: np.ndarray  # (n, 2) character offsets of the word pieces (no [CLS]/[SEP])
    tokens: np.ndarray  # (n, 384) float32


class Encoder:
    """The embedding model's first ``layers`` transformer layers (CPU, offline)."""

    def __init__(self, layers: int = FROZEN_LAYERS, bfloat16: bool | None = None) -> None:
        import torch

        from loopwise.evidence.embeddings import load_embedding_model

        model = load_embedding_model()
        self._torch = torch
        self._tokenizer = model[0].tokenizer
        bert = model[0].auto_model
        self.base = bert
        if layers < len(bert.encoder.layer):
            # a shallow copy cut to its first layers (the weights are shared, not copied):
            # the embedding matcher keeps using the whole model
            encoder = copy.copy(bert.encoder)
            encoder._modules = dict(bert.encoder._modules)
            encoder.layer = torch.nn.ModuleList(list(bert.encoder.layer)[:layers])
            cut = copy.copy(bert)
            cut._modules = dict(bert._modules)
            cut.encoder = encoder
            bert = cut
        self._bert = bert.eval()
        self.layers = layers
        self.bfloat16 = bfloat16_fast() if bfloat16 is None else bfloat16

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> list[Encoded]:
        """Encode sentences (sorted by length into batches, returned in the given order).

        The layers' matrix products run in bfloat16 where the processor has it
        (``self.bfloat16``): 2-3 times faster, and the vectors differ from float32's by a
        cosine under 1e-4, far below what moves the heads (``detector_card.json`` has the
        metrics measured this way)."""
        torch = self._torch
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        results: list[Encoded | None] = [None] * len(texts)
        fast = torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.bfloat16)
        with torch.inference_mode(), fast:
            for i in range(0, len(order), batch_size):
                chunk = order[i : i + batch_size]
                batch = self._tokenizer(
                    [texts[j] for j in chunk],
                    padding=True,
                    truncation=True,
                    max_length=MAX_TOKENS,
                    return_offsets_mapping=True,
                    return_tensors="pt",
                )
                offsets = batch.pop("offset_mapping").numpy()
                hidden = self._bert(**batch).last_hidden_state.float().numpy()
                lengths = batch["attention_mask"].numpy().sum(axis=1)
                for row, j in enumerate(chunk):
                    inner = slice(1, int(lengths[row]) - 1)  # drop [CLS] and [SEP]
                    results[j] = Encoded(
                        offsets=offsets[row][inner].astype(np.int32),
                        tokens=hidden[row][inner].astype(np.float32),
                    )
        return cast(list[Encoded], results)  # every slot was filled by its batch above


def rule_features(claims: Sequence[Claim]) -> np.ndarray:
    """The rules' verdict on a sentence: best confidence, any claim at 0.5, how many."""
    best = max((c.confidence for c in claims), default=0.0)
    return np.array([best, float(best >= 0.5), min(len(claims), 3) / 3], dtype=np.float32)


def token_rule_features(offsets: np.ndarray, claims: Sequence[Claim]) -> np.ndarray:
    """Per word piece: in the rules' top claim's cause, effect or cue, before the cue, and
    whether there is a claim at all."""
    flags = np.zeros((len(offsets), TOKEN_RULE_FEATURES), np.float32)
    if claims and len(offsets):
        top = claims[0]
        middle = offsets.mean(axis=1)
        flags[:, 0] = (top.cause.start <= middle) & (middle < top.cause.end)
        flags[:, 1] = (top.effect.start <= middle) & (middle < top.effect.end)
        flags[:, 2] = (top.cue_span.start <= middle) & (middle < top.cue_span.end)
        flags[:, 3] = middle < top.cue_span.start
        flags[:, 4] = 1.0
    return flags


def token_labels(
    offsets: np.ndarray, cause: tuple[int, int], effect: tuple[int, int]
) -> np.ndarray:
    """Gold tags for training: 1 inside the cause, 2 inside the effect, else 0."""
    middle = offsets.mean(axis=1) if len(offsets) else np.zeros(0)
    labels = np.zeros(len(offsets), np.int64)
    labels[(cause[0] <= middle) & (middle < cause[1])] = 1
    labels[(effect[0] <= middle) & (middle < effect[1])] = 2
    return labels


def decode_span(text: str, offsets: np.ndarray, probs: np.ndarray, tag: int) -> Span | None:
    """The strongest run of word pieces tagged ``tag`` (one-piece gaps bridged), widened to
    whole words. When no piece has ``tag`` as its most likely tag, the pieces with at least
    half the best piece's probability of it make the run; None for an empty sentence."""
    if not len(probs):
        return None
    chosen = probs.argmax(axis=1) == tag
    if not chosen.any():
        chosen = probs[:, tag] >= probs[:, tag].max() * 0.5
    best: tuple[float, int, int] | None = None
    i, n = 0, len(chosen)
    while i < n:
        if not chosen[i]:
            i += 1
            continue
        j = i
        while j + 1 < n and (chosen[j + 1] or (j + 2 < n and chosen[j + 2])):
            j += 1 if chosen[j + 1] else 2
        weight = float(probs[i : j + 1, tag].sum())
        if best is None or weight > best[0]:
            best = (weight, i, j)
        i = j + 1
    if best is None:
        return None
    start, end = int(offsets[best[1]][0]), int(offsets[best[2]][1])
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return Span(start, end, text[start:end])


def sentence_features(encoded: Encoded, claims: Sequence[Claim]) -> np.ndarray:
    """The classifier's input: the mean and the maximum of the word-piece vectors (each of
    unit length) and the rules' verdict."""
    h = encoded.tokens if len(encoded.tokens) else np.zeros((1, 384), np.float32)
    mean, top = h.mean(axis=0), h.max(axis=0)
    mean = mean / (np.linalg.norm(mean) or 1.0)
    top = top / (np.linalg.norm(top) or 1.0)
    return np.concatenate([mean, top, rule_features(claims)]).astype(np.float32)


def build_tagger() -> Any:
    """The span tagger: a small bidirectional GRU over the word pieces (with the rules'
    spans as five extra inputs per piece), an O/CAUSE/EFFECT layer per piece, and a
    causal-or-not output from the pieces' mean, maximum and GRU maximum."""
    import torch
    from torch import nn

    class Tagger(nn.Module):  # type: ignore[misc]  # torch is not analysed: nn.Module is Any
        def __init__(self) -> None:
            super().__init__()
            self.gru = nn.GRU(
                384 + TOKEN_RULE_FEATURES, HIDDEN, batch_first=True, bidirectional=True
            )
            self.dropout = nn.Dropout(0.2)
            self.token_head = nn.Linear(2 * HIDDEN, len(TAGS))
            self.sentence_head = nn.Linear(2 * 384 + 2 * HIDDEN + RULE_FEATURES, 1)

        def forward(self, x: Any, mask: Any, rules: Any, token_rules: Any) -> tuple[Any, Any]:
            lengths = mask.sum(1).clamp(min=1)
            packed = nn.utils.rnn.pack_padded_sequence(
                self.dropout(torch.cat([x, token_rules], dim=2)),
                lengths,
                batch_first=True,
                enforce_sorted=False,
            )
            out, _ = self.gru(packed)
            out, _ = nn.utils.rnn.pad_packed_sequence(
                out, batch_first=True, total_length=x.shape[1]
            )
            keep = mask.unsqueeze(-1).to(x.dtype)
            mean = (x * keep).sum(1) / keep.sum(1).clamp(min=1)
            top = x.masked_fill(keep == 0, -1e4).max(1).values
            gru_top = out.masked_fill(keep == 0, -1e4).max(1).values
            pooled = self.dropout(torch.cat([mean, top, gru_top, rules], dim=1))
            return self.sentence_head(pooled).squeeze(-1), self.token_head(self.dropout(out))

    return Tagger()


def pad_batch(
    items: Sequence[Encoded], rules: Sequence[Sequence[Claim]]
) -> tuple[Any, Any, Any, Any]:
    """Word-piece vectors of some sentences as one padded batch, with the rule features."""
    import torch

    n = max(max((len(e.tokens) for e in items), default=1), 1)
    x = np.zeros((len(items), n, 384), np.float32)
    mask = np.zeros((len(items), n), np.int64)
    sentence_rules = np.zeros((len(items), RULE_FEATURES), np.float32)
    token_rules = np.zeros((len(items), n, TOKEN_RULE_FEATURES), np.float32)
    for row, e in enumerate(items):
        k = len(e.tokens)
        x[row, :k] = e.tokens
        mask[row, :k] = 1
        sentence_rules[row] = rule_features(rules[row])
        token_rules[row, :k] = token_rule_features(e.offsets, rules[row])
    return (
        torch.from_numpy(x),
        torch.from_numpy(mask),
        torch.from_numpy(sentence_rules),
        torch.from_numpy(token_rules),
    )


@dataclass
class Heads:
    """Everything trained: the logistic sentence classifier, the tagger, and how their
    probabilities combine (their mean, shifted so that ``threshold`` becomes 0.5)."""

    classifier_w: np.ndarray
    classifier_b: float
    taggers: list[Any]
    threshold: float
    use_rules: bool = True

    def tag(self, *batch: Any) -> tuple[np.ndarray, np.ndarray]:
        """The taggers' mean causal logit per sentence and mean tag probabilities per piece."""
        import torch

        logits, probs = [], []
        for tagger in self.taggers:
            sentence, token = tagger(*batch)
            logits.append(sentence.numpy())
            probs.append(torch.softmax(token, dim=-1).numpy())
        return np.mean(logits, axis=0), np.mean(probs, axis=0)

    def confidence(self, features: np.ndarray, tagger_logits: np.ndarray) -> np.ndarray:
        """Calibrated causal confidence: 0.5 at the threshold chosen in training."""
        p_classifier = 1.0 / (1.0 + np.exp(-(features @ self.classifier_w + self.classifier_b)))
        p_tagger = 1.0 / (1.0 + np.exp(-tagger_logits))
        p = np.clip((p_classifier + p_tagger) / 2, 1e-6, 1 - 1e-6)
        t = self.threshold
        calibrated: np.ndarray = 1.0 / (1.0 + np.exp(-(np.log(p / (1 - p)) - np.log(t / (1 - t)))))
        return calibrated

    def save(self, path: Path) -> None:
        arrays = {
            f"tagger{i}.{k}": v.detach().numpy().astype(np.float16)
            for i, tagger in enumerate(self.taggers)
            for k, v in tagger.state_dict().items()
        }
        np.savez_compressed(
            path,
            classifier_w=self.classifier_w.astype(np.float32),
            classifier_b=np.array(self.classifier_b, np.float32),
            threshold=np.array(self.threshold, np.float32),
            use_rules=np.array(self.use_rules),
            **arrays,
        )

    @classmethod
    def read(cls, path: Path) -> Heads:
        import torch

        try:
            with np.load(path) as data:
                states: dict[str, dict[str, Any]] = {}
                for key in data.files:
                    if key.startswith("tagger"):
                        member, _, name = key.partition(".")
                        tensor = torch.from_numpy(data[key].astype(np.float32))
                        states.setdefault(member, {})[name] = tensor
                heads = cls(
                    classifier_w=data["classifier_w"],
                    classifier_b=float(data["classifier_b"]),
                    taggers=[build_tagger() for _ in states],
                    threshold=float(data["threshold"]),
                    use_rules=bool(data["use_rules"]),
                )
            for tagger, member in zip(heads.taggers, sorted(states), strict=True):
                tagger.load_state_dict(states[member])
        except (OSError, KeyError, ValueError, RuntimeError) as exc:
            raise DetectorWeightsMissing(
                f"{path}: the trained detector's weights are unreadable ({exc}); reinstall "
                "loopwise or rebuild them with scripts/train_causal_detector.py"
            ) from None
        if not heads.taggers:
            raise DetectorWeightsMissing(f"{path}: no tagger in the detector's weights")
        for tagger in heads.taggers:
            tagger.eval()
        return heads


_LOADED: dict[Path, tuple[Heads, Encoder]] = {}
LOAD_SECONDS: float | None = None


class TrainedDetector:
    """Causal claims from the trained heads combined with the cue rules (see the module
    docstring). Load it once with :meth:`load`; :meth:`claims` takes sentences in batches.

    ``spans`` says whose cause and effect a claim takes when both the rules and the tagger
    have them: ``"rules"`` (the default, chosen by measurement: on our validation split of
    the news corpus it gives span token-F1 0.56 against the tagger's 0.61, on the project's
    labelled sentences 0.87 against 0.83, and on seed 004 the tagger reversed claims the
    cues had right) or ``"tagger"``.
    """

    def __init__(self, heads: Heads, encoder: Any, spans: str = "rules") -> None:
        self.heads = heads
        self.encoder = encoder
        self.spans = spans
        self.name = "trained"

    @classmethod
    def load(cls, path: Path = WEIGHTS) -> TrainedDetector:
        """The shipped detector (the model is loaded once per process)."""
        global LOAD_SECONDS
        if path not in _LOADED:
            started = time.perf_counter()
            heads = Heads.read(path)
            _LOADED[path] = (heads, Encoder(FROZEN_LAYERS))
            LOAD_SECONDS = time.perf_counter() - started
        return cls(*_LOADED[path])

    def claims(self, sentences: Sequence[str], batch_size: int = 64) -> list[list[Claim]]:
        import torch

        if not sentences:
            return []
        if self.heads.use_rules:
            rules = [find_claims(text) for text in sentences]
        else:  # measured without the rules (training's "trained" variant)
            rules = [[] for _ in sentences]
        results: list[list[Claim]] = [[] for _ in sentences]
        # a strong cue makes a sentence causal with its own spans whatever the model says:
        # the model reads only the other sentences
        rest = []
        for k, cued in enumerate(rules):
            strong = max((c.confidence for c in cued), default=0.0)
            if strong >= STRONG_CUE and self.spans == "rules":
                results[k] = [dataclasses.replace(c, confidence=round(strong, 3)) for c in cued]
            else:
                rest.append(k)
        encoded: dict[int, Encoded] = dict(
            zip(rest, self.encoder.encode([sentences[k] for k in rest]), strict=True)
        )
        # batches of sentences of about the same length: the tagger pads less
        order = sorted(rest, key=lambda k: len(encoded[k].tokens))
        with torch.inference_mode():
            for i in range(0, len(order), batch_size):
                chunk = order[i : i + batch_size]
                items = [encoded[k] for k in chunk]
                found = [rules[k] for k in chunk]
                x, mask, sentence_rules, token_rules = pad_batch(items, found)
                logits, token_probs = self.heads.tag(x, mask, sentence_rules, token_rules)
                features = np.stack(
                    [sentence_features(e, r) for e, r in zip(items, found, strict=True)]
                )
                confidence = self.heads.confidence(features, logits)
                for row, k in enumerate(chunk):
                    probs = token_probs[row, : len(encoded[k].tokens)]
                    p = float(confidence[row])
                    results[k] = self._claims(sentences[k], encoded[k], rules[k], probs, p)
        return results

    def _claims(
        self, text: str, encoded: Encoded, rules: list[Claim], probs: np.ndarray, p: float
    ) -> list[Claim]:
        strong = max((c.confidence for c in rules), default=0.0)
        if strong >= STRONG_CUE:
            p = max(p, strong)  # a strong cue is causal whatever the classifier says
        p = round(p, 3)
        kept = [dataclasses.replace(claim, confidence=p) for claim in rules]
        if rules and self.spans == "rules":
            return kept
        cause = decode_span(text, encoded.offsets, probs, 1)
        effect = decode_span(text, encoded.offsets, probs, 2)
        if cause is None or effect is None or _overlap(cause, effect):
            return kept
        if not (names_something(cause.text) and names_something(effect.text)):
            return kept  # "a", "to": nothing to map to a factor
        if is_invitation(effect.text) or is_invitation(cause.text) or _PLEASE.search(text):
            return kept  # "please click Continue", "If you are OK with this, please click"
        if any(_same(cause, c.cause) and _same(effect, c.effect) for c in rules):
            return kept  # the tagger agrees with a cue: keep the cue's name and polarity
        cause_negated, effect_negated = span_negated(cause.text), span_negated(effect.text)
        polarity: Literal["+", "-"] = "-" if cause_negated != effect_negated else "+"
        if rules and strong >= STRONG_CUE:
            return kept  # a strong cue's own spans beat the tagger's
        tagged = Claim(cause, effect, polarity, "model", Span(0, 0, ""), p, cause_negated,
                       effect_negated)  # fmt: skip
        others = [c for c in kept if not (_overlap(c.cause, cause) or _overlap(c.effect, effect))]
        return [tagged, *others]


_PLEASE = re.compile(r"\bplease\b", re.IGNORECASE)


def _same(a: Span, b: Span) -> bool:
    return abs(a.start - b.start) <= 2 and abs(a.end - b.end) <= 2


def _overlap(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def card() -> dict[str, Any]:
    """What the shipped weights were trained on and how well they did (detector_card.json)."""
    detector_card: dict[str, Any] = json.loads(CARD.read_text(encoding="utf-8"))
    return detector_card
