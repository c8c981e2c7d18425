"""The rule layer: causal claims in one sentence from cue phrases, in pure Python.

A *cue* is a phrase that signals cause and effect. Each cue has a direction: *forward*
(``X led to Y``, ``X, therefore Y``: cause on the left), *backward* (``Y because X``,
``Y due to X``: cause on the right) or *conditional* (``if X, then Y``, ``without X, Y``).
The cause and effect spans run from the cue to the nearest clause boundary (punctuation, a
conjunction, a reporting frame such as "we heard that"). Polarity is the product of three
signs: the cue's (``prevents`` is ``-``), and each span's (an odd number of negations —
"not", "without", "lack of", "unable", "harder" — flips it).

This is deliberately model-free: no dependency parse is faked. Offsets are relative to the
sentence and exact (``sentence[span.start:span.end] == span.text``).

Example:
    >>> claim = find_claims("I had nowhere to live, so I went back to crime.")[0]
    >>> claim.cause.text, claim.effect.text, claim.polarity, claim.cue
    ('I had nowhere to live', 'I went back to crime', '-', 'so')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from loopwise.evidence.stopwords import RULES_EXTRA, STOPWORDS

Direction = Literal["forward", "backward", "conditional"]


@dataclass(frozen=True)
class Span:
    """Characters ``[start, end)`` of a sentence, and the text there."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Claim:
    """One causal claim found in a sentence (offsets relative to the sentence)."""

    cause: Span
    effect: Span
    polarity: Literal["+", "-"]
    cue: str
    cue_span: Span
    confidence: float
    cause_negated: bool
    effect_negated: bool


@dataclass(frozen=True)
class _Cue:
    name: str
    pattern: re.Pattern[str]
    direction: Direction
    sign: int
    confidence: float


def _cue(name: str, regex: str, direction: Direction, confidence: float, sign: int = 1) -> _Cue:
    return _Cue(name, re.compile(regex, re.IGNORECASE), direction, sign, confidence)


_OBJ = r"(?:it|them|me|him|her|us|you|people|things|life|everything)"

# Ordered strongest first: when two cues overlap, the first one found here wins.
CUES: tuple[_Cue, ...] = (
    # connectives: the clause before causes the clause after
    _cue("therefore", r"\btherefore\b", "forward", 0.9),
    _cue("as a result", r"\bas a (?:direct )?(?:result|consequence)\b(?! of)", "forward", 0.85),
    _cue("consequently", r"\b(?:consequently|hence|thus)\b", "forward", 0.8),
    _cue("meant that", r"\b(?:meant|means|mean)\s+(?:that\b)?(?=\s*\w)", "forward", 0.75),
    _cue("that's why", r"\b(?:that|this)(?:'s|’s| is| was)\s+why\b", "forward", 0.85),
    _cue("because of this", r"\bbecause of (?:this|that|it)\b", "forward", 0.85),
    _cue("as such", r"(?<=[,;] )as such\b", "forward", 0.6),
    _cue("so", r"(?<=[,;—–] )so\b(?! (?:much|many|far|long|what|that)\b)(?=\s+\w)", "forward", 0.7),
    _cue("so", r"(?<=[a-z]) so (?=(?:i|we|they|he|she|it|you|people|that)\b)", "forward", 0.6),
    # causal verbs: subject causes object
    _cue("led to", r"\b(?:lead|leads|led|leading)\s+(?:directly\s+)?to\b", "forward", 0.9),
    _cue("resulted in", r"\b(?:result|results|resulted|resulting)\s+in\b", "forward", 0.9),
    _cue(
        "caused",
        r"(?<!root )\b(?:cause|causes|caused|causing)\b(?!\s+(?:of|and|for)\b)"
        r"(?=\s+\w)",
        "forward",
        0.8,
    ),
    _cue(
        "contributes to",
        r"\b(?:contribute|contributes|contributed|contributing)\s+to\b",
        "forward",
        0.8,
    ),
    _cue("ended up", r"\b(?:end|ends|ended|ending)\s+up\b", "forward", 0.65),
    _cue(
        "drives",
        r"\b(?:drive|drives|drove|driving)\b(?!\s+(?:a|the|my|his|her)\s+car)"
        r"(?=\s+(?:the|a|an|their|his|her|my|our|up|down|people|them|crime|re)\w*)",
        "forward",
        0.7,
    ),
    _cue("leaving", r"(?<=, )(?:leaving|forcing|prompting|sparking|pushing)\b", "forward", 0.65),
    _cue(
        "triggered",
        r"\b(?:trigger|triggers|triggered|triggering|prompted|provoked|fuels?|"
        r"spark(?:s|ed)|"
        r"fuelled|fueled)\b",
        "forward",
        0.75,
    ),
    _cue(
        "worsens",
        r"\b(?:worsen|worsens|worsened|worsening|exacerbat(?:e|es|ed|ing)|"
        r"increas(?:e|es|ed|ing)|boost(?:s|ed|ing)?|improv(?:e|es|ed|ing)|rais(?:e|es|ed))"
        r"\b(?=\s+(?:the|a|an|their|his|her|my|our|its|existing|people|them|me|levels?|"
        r"rates?|risk|demand|chances?|\w+(?:ness|ment|ity|ion|ing|s))\b)",
        "forward",
        0.7,
    ),
    _cue(
        "reduces",
        r"\b(?:reduc(?:e|es|ed|ing)|lower(?:s|ed|ing)?|decreas(?:e|es|ed|ing)|"
        r"cut(?:s|ting)?\s+down|undermin(?:e|es|ed|ing)|damag(?:e|es|ed|ing)|wreck(?:s|ed|ing)?|"
        r"harm(?:s|ed|ing)?|hinder(?:s|ed|ing)?|limit(?:s|ed|ing)?|disrupt(?:s|ed|ing)?)\b"
        r"(?=\s+(?:the|a|an|their|his|her|my|our|its|people|them|me|us|you|levels?|rates?|"
        r"chances?|ambitions?|\w+(?:ness|ment|ity|ion|ing|s))\b)",
        "forward",
        0.7,
        -1,
    ),
    _cue(
        "prevents",
        r"\b(?:prevent(?:s|ed|ing)?|stop(?:s|ped|ping)?|keep(?:s|ing)?|kept|"
        r"discourag(?:e|es|ed|ing)|deter(?:s|red|ring)?)\s+(?:\w+\s+){0,3}?from\b",
        "forward",
        0.8,
        -1,
    ),
    _cue("prevents", r"\bprevent(?:s|ed|ing)?\b", "forward", 0.7, -1),
    _cue(
        "barrier to",
        r"\b(?:acts?|acted|acting|is|are|was|were|as|became|becomes)\s+"
        r"(?:as\s+)?an?\s+(?:\w+\s+)?(?:barrier|obstacle)\s+to\b",
        "forward",
        0.8,
        -1,
    ),
    _cue(
        "makes it",
        rf"\b(?:make|makes|made|making)\s+{_OBJ}\b(?=\s+(?:\w+\s+)?(?:more|less|"
        r"harder|easier|difficult|impossible|hard|easy|feel|want|think|go|turn|worse|better|"
        r"believe|realise|realize|angry|anxious|scared|ill|sick|depressed)\b)",
        "forward",
        0.75,
    ),
    _cue(
        "makes worse",
        r"\b(?:make|makes|made|making)\s+(?:my|his|her|their|our|the|your)\s+\w+"
        r"\s+(?:(?:much|even|a lot|far)\s+)?(?:worse|better|harder|easier)\b",
        "forward",
        0.75,
    ),
    _cue(
        "had an influence on",
        r"\b(?:has|have|had|having)\s+(?:an?\s+)?(?:(?P<neg>negative|bad|"
        r"damaging|harmful)\s+|(?:positive|big|huge|real|major|direct|strong)\s+)?"
        r"(?:influence|impact|effect)s?\s+on\b",
        "forward",
        0.75,
    ),
    _cue(
        "gave me the confidence",
        r"\b(?:give|gives|gave|giving)\s+(?:me|him|her|them|us|you|"
        r"people)\s+(?:the|a|an)\s+(?:confidence|reason|chance|push|motivation|strength|"
        r"courage|opportunity)\s+to\b",
        "forward",
        0.6,
    ),
    _cue(
        "forced",
        r"\b(?:forc(?:e|es|ed|ing)|push(?:es|ed|ing)?|drove|driven)\s+(?:\w+\s+){0,2}?"
        r"(?:to|into|back\s+(?:in)?to)\b",
        "forward",
        0.75,
    ),
    _cue(
        "enables",
        r"\b(?:enabl(?:e|es|ed|ing)|allow(?:s|ed|ing)?|encourag(?:e|es|ed|ing)|"
        r"help(?:s|ed|ing)?)\s+(?:\w+\s+){0,2}?(?:to\s+)?(?:access|find|get|keep|stay|cope|"
        r"move|break|reduce|avoid|stop|open|rebuild|secure|build|redress|turn)\b",
        "forward",
        0.6,
    ),
    _cue(
        "affects",
        r"\b(?:affect(?:s|ed)?|impact(?:s|ed)?(?:\s+on)?|influenc(?:e|es|ed)|"
        r"shap(?:e|es|ed))\b(?!\s+by)(?=\s+(?:the|a|an|their|his|her|my|our|its|people|"
        r"them|me|you|us|how|whether|\w+(?:ness|ment|ity|ion|ing|s))\b)",
        "forward",
        0.6,
    ),
    _cue(
        "critical to",
        r"\b(?:critical|crucial|key|essential|vital|important|necessary)\s+"
        r"(?:to|for|in)\s+(?=\w+(?:ing|ion|ment|ity|ness|s)?\b)",
        "forward",
        0.55,
    ),
    # the cause comes after the cue
    _cue(
        "because",
        r"(?:\bbecause|\bcos|['’]cause)\b(?!\s+of\s+(?:this|that|it)\b)"
        r"(?:\s+of\b)?(?=\s+\w)",
        "backward",
        0.9,
    ),
    _cue("due to", r"\b(?:due|owing)\s+to\b", "backward", 0.9),
    _cue("as a result of", r"\bas a (?:direct )?(?:result|consequence) of\b", "backward", 0.9),
    _cue(
        "caused by",
        r"\b(?:caused|driven|triggered|fuelled|fueled|brought\s+on|made\s+worse)"
        r"\s+by\b",
        "backward",
        0.85,
    ),
    _cue(
        "impacted by",
        r"\b(?:(?P<neg>negatively|badly|adversely)\s+)?(?:impacted|affected|"
        r"influenced|shaped|harmed|damaged)\s+by\b",
        "backward",
        0.75,
    ),
    _cue("thanks to", r"\bthanks to\b", "backward", 0.8),
    _cue("amid", r"\bamid(?:st)?\b(?=\s+\w)", "backward", 0.5),
    _cue(
        "since",
        r"(?<=[,;] )since\s+(?=(?:i|we|they|he|she|it|you|there|the|my|our|their)\b)",
        "backward",
        0.55,
    ),
    _cue(
        "the reason",
        r"\bthe reason (?:why )?(?:\w+\s+){0,6}?(?:is|was) (?:that|because)\b",
        "backward",
        0.8,
    ),
    # conditions
    _cue("if ... then", r"(?:^|(?<=[,;:…] ))if\b(?=[^.?!]*\bthen\b)", "conditional", 0.75),
    _cue("if", r"(?:^|(?<=[,;:…] ))if\b(?!\s+you\s+ask\s+me\b)", "conditional", 0.5),
    _cue("without", r"(?:^|(?<=[,;:…] ))without\b", "conditional", 0.6),
    _cue(
        "if",
        r"(?<=[a-z] )if\b(?=\s+(?:i|we|they|he|she|you|someone|people|there|the|a)\b)",
        "backward",
        0.55,
    ),
)

# words that flip a span's direction (the factor moves the other way)
_NEGATION = re.compile(
    r"\b(?:not|no|never|none|nobody|nothing|nowhere|without|lack|lacks|lacking|lacked|"
    r"unable|cannot|can't|can’t|won't|won’t|less|fewer|harder|difficult|impossible|"
    r"inadequate|inaccessible|poor|poorly|fail|fails|failed|failing|struggle|struggled|"
    r"struggles|unwilling|hardly|barely|\w+n't|\w+n’t)\b",
    re.IGNORECASE,
)
# where a clause ends (the span stops there)
_BOUNDARY = re.compile(
    r"[;:!?()\[\]\"“”]|—|–|…|\.{3}|\s-\s|,(?=\s)|\.(?=\s|$)"
    r"|\s(?:and|but)\s(?=(?:continue|continues|continued|then|also|it|they|he|she|we|i|this)\b)"
)
# reporting frames before the claim itself ("we heard that X led to Y")
_FRAME = re.compile(
    r"(?:[\w’']+,?\s+){0,8}?(?:(?:heard|said|say|says|felt|feel|feels|found|highlighted|"
    r"believe|believes|think|thinks|thought|know|knew|showed|shows|suggests?|suggested|"
    r"reported|explained|described|told|argued|argues|noted|claimed|claims|realised|realized|"
    r"emphasised|stressed)\s+(?:that|how|about)\s+|(?:heard|said|told\s+\w+)\s+(?!that\b)|"
    r"(?:examples?|evidence|stories|accounts) of\s+)",
    re.IGNORECASE,
)
_LEADING_FILLER = re.compile(
    r"^(?:(?:and|but|so|which|that|who|this|then|also|just|really|well|basically|and then|"
    r"it|is|was|were|are|to|in turn|of|even|actually|often|sometimes|always|because|"
    r"especially|particularly)\b[\s,]*)+",
    re.IGNORECASE,
)
_TRAILING_FILLER = re.compile(
    r"(?:[\s,]+(?:and|but|so|which|that|this|then|also|can|could|will|would|may|might|"
    r"must|should|often|in turn|has|have|had|is|was|were|are|it|they|really|just|also|"
    r"especially|particularly|even|only|to)\b)+$",
    re.IGNORECASE,
)
_SUBORDINATE_START = re.compile(
    r"\s*(?:every time|each time|when|whenever|after|once|as soon as|if|while|since)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_POLITE = re.compile(r"^(?:please|feel free|let me|let us|do get in touch)\b", re.IGNORECASE)
_STOPWORDS = STOPWORDS | RULES_EXTRA
_LIST_CONTINUATION = re.compile(r"\s*(?:or|and|nor|as well as)\b", re.IGNORECASE)
_MIN_CONFIDENCE = 0.2


def find_claims(sentence: str) -> list[Claim]:
    """Every causal claim the cue rules find in one sentence, most confident first.

    A claim whose cue sits inside a more confident claim's spans is dropped, so one
    sentence yields one claim per causal relation it states.

    >>> [c.cue for c in find_claims("Mental health care is hard to get due to long waiting lists.")]
    ['due to']
    >>> find_claims("We met on a Tuesday.")
    []
    """
    found: list[Claim] = []
    taken: list[tuple[int, int]] = []
    for cue in CUES:
        for match in cue.pattern.finditer(sentence):
            if any(start < match.end() and match.start() < end for start, end in taken):
                continue
            claim = _claim_at(sentence, cue, match)
            if claim is None:
                continue
            taken.append((match.start(), match.end()))
            found.append(claim)
    found.sort(key=lambda c: (-c.confidence, c.cue_span.start))
    kept: list[Claim] = []
    for claim in found:
        inside = any(
            _within(claim.cue_span, span) for other in kept for span in (other.cause, other.effect)
        )
        if not inside:
            kept.append(claim)
    return kept


def sentence_is_causal(sentence: str, threshold: float = 0.5) -> bool:
    """Whether the sentence states a causal claim with at least ``threshold`` confidence.

    >>> sentence_is_causal("Because I was homeless, I could not keep a job.")
    True
    """
    return any(claim.confidence >= threshold for claim in find_claims(sentence))


# ---------------------------------------------------------------------------- internals


def _within(inner: Span, outer: Span) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def _claim_at(sentence: str, cue: _Cue, match: re.Match[str]) -> Claim | None:
    start, end = match.start(), match.end()
    direction = cue.direction
    if direction == "backward" and not sentence[:start].strip(" \t‘“'\"…"):
        direction = "conditional"  # "Because X, Y": the cause comes first
    if direction == "conditional":
        condition, consequence = _conditional_spans(sentence, end, cue.name == "if ... then")
        if condition is None or consequence is None:
            return None
        cause, effect = condition, consequence
    else:
        left = _left_span(sentence, start)
        right = _right_span(sentence, end)
        if left is None or right is None:
            return None
        if cue.direction == "forward" and re.search(r"\bwhich\s*$", sentence[left.start : start]):
            left = _antecedent(sentence, left)
        cause, effect = (left, right) if direction == "forward" else (right, left)
    sign = cue.sign
    if match.groupdict().get("neg"):
        sign = -sign
    cause_negated = _negated(cause.text)
    effect_negated = _negated(effect.text)
    if cue.name == "without":
        cause_negated = not cause_negated  # "without X" is X absent
    if cause_negated:
        sign = -sign
    if effect_negated:
        sign = -sign
    confidence = cue.confidence
    if _POLITE.match(effect.text):
        return None  # "if you are interested, please email": an invitation, not a claim
    for span in (cause, effect):
        words = len([w for w in _WORD.findall(span.text) if w.lower() not in _STOPWORDS])
        if words < 1:
            return None  # "it led to that": nothing to map to a factor
        elif words > 30:
            confidence -= 0.1
    if sentence.rstrip().endswith("?"):
        confidence -= 0.2
    if confidence < _MIN_CONFIDENCE:
        return None
    return Claim(
        cause=cause,
        effect=effect,
        polarity="+" if sign > 0 else "-",
        cue=cue.name,
        cue_span=Span(start, end, sentence[start:end]),
        confidence=round(min(confidence, 0.95), 2),
        cause_negated=cause_negated,
        effect_negated=effect_negated,
    )


def _negated(text: str) -> bool:
    # any negative word: "poor quality and poorly coordinated" is one direction, not two
    return _NEGATION.search(text) is not None


def _left_span(sentence: str, cue_start: int) -> Span | None:
    """The clause before the cue (back to a boundary; a too-short clause takes one more)."""
    end = cue_start
    boundaries = [m.end() for m in _BOUNDARY.finditer(sentence, 0, end)]
    start = boundaries[-1] if boundaries else 0
    span = _trim(sentence, start, end, from_left=True)
    # a clause too short to name a cause, or the tail of a list, takes in the one before
    steps = 0
    while boundaries and steps < 3:
        short = span is None or len(_WORD.findall(span.text)) < 2
        if not (short or _LIST_CONTINUATION.match(sentence, start)):
            break
        boundaries.pop()
        start = boundaries[-1] if boundaries else 0
        span = _trim(sentence, start, end, from_left=True)
        steps += 1
    return span


def _antecedent(sentence: str, clause: Span) -> Span:
    """For ``X, which led to Y``: the noun phrase X refers to, after a last "by"/"from"."""
    found = list(re.finditer(r"\b(?:by|from|because of|due to)\s+", clause.text))
    if not found:
        return clause
    start = clause.start + found[-1].end()
    return _trim(sentence, start, clause.end, from_left=False) or clause


def _right_span(sentence: str, cue_end: int) -> Span | None:
    """The clause after the cue (up to a boundary; past a leading subordinate clause)."""
    found = [m.start() for m in _BOUNDARY.finditer(sentence, cue_end)]
    end = found[0] if found else len(sentence)
    if _SUBORDINATE_START.match(sentence, cue_end) and len(found) >= 1:
        end = found[1] if len(found) >= 2 else len(sentence)
    return _trim(sentence, cue_end, end, from_left=False)


def _conditional_spans(
    sentence: str, cue_end: int, needs_then: bool
) -> tuple[Span | None, Span | None]:
    """``if X, Y`` / ``if X then Y`` / ``without X, Y``: X up to the comma or ``then``."""
    then = re.compile(r"\bthen\b", re.IGNORECASE).search(sentence, cue_end)
    comma = _BOUNDARY.search(sentence, cue_end)
    if needs_then and then:
        split_start, split_end = then.start(), then.end()
    elif comma:
        split_start, split_end = comma.start(), comma.end()
    else:
        return None, None
    condition = _trim(sentence, cue_end, split_start, from_left=False)
    consequence = _right_span(sentence, split_end)
    return condition, consequence


def _trim(sentence: str, start: int, end: int, *, from_left: bool) -> Span | None:
    """Cut white space, fillers and (for a left span) a reporting frame off a span."""
    text = sentence[start:end]
    if from_left:
        for _ in range(3):  # "we also heard examples of ..." is two frames
            frame = _FRAME.match(sentence, start, end)
            if not frame or frame.end() >= end:
                break
            start = frame.end()
    for _ in range(3):
        text = sentence[start:end]
        stripped = len(text) - len(text.lstrip(" \t\n,‘’'\""))
        start += stripped
        text = sentence[start:end]
        lead = _LEADING_FILLER.match(text)
        if lead and lead.end() < len(text):
            start += lead.end()
        text = sentence[start:end]
        trail = _TRAILING_FILLER.search(text)
        if trail and trail.start() > 0:
            end = start + trail.start()
        text = sentence[start:end]
        end -= len(text) - len(text.rstrip(" \t\n,‘’'\""))
    if end <= start or not _WORD.search(sentence[start:end]):
        return None
    return Span(start, end, sentence[start:end])
