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
    needs: tuple[str, ...] = ()  # one of these must be in the lower-cased sentence


def _cue(name: str, regex: str, direction: Direction, confidence: float, sign: int = 1) -> _Cue:
    return _Cue(
        name, re.compile(regex, re.IGNORECASE), direction, sign, confidence, _NEEDS.get(name, ())
    )


# words one of which a cue's pattern cannot match without: a sentence without any of them
# skips the pattern (the rules run on every sentence of every transcript)
_NEEDS: dict[str, tuple[str, ...]] = {
    "impacted by": (" by",),
    "caused by": (" by",),
    "killed by": (" by",),
    "reduced by": (" by",),
    "stems from": ("from",),
    "therefore": ("therefore",),
    "as a result": ("as a ",),
    "consequently": ("consequently", "hence", "thus"),
    "meant that": ("mean",),
    "that's why": ("why",),
    "because of this": ("because of",),
    "as such": ("as such",),
    "so": ("so",),
    "led to": ("lead", "led"),
    "resulted in": ("result",),
    "led people to": ("lead", "led"),
    "the cause of": ("cause", "driver", "reason"),
    "a catalyst for": ("catalyst", "trigger", "spur", "springboard"),
    "caused": ("caus",),
    "contributes to": ("contribut",),
    "ended up": (" up",),
    "drives": ("driv", "drove"),
    "worsens": (
        "worsen",
        "exacerbat",
        "compound",
        "aggravat",
        "increas",
        "boost",
        "improv",
        "rais",
    ),
    "reduces": (
        "reduc",
        "lower",
        "decreas",
        "cut",
        "damag",
        "harm",
        "limit",
        "undermin",
        "wreck",
        "hinder",
        "disrupt",
        "weaken",
        "erod",
        "hamper",
    ),
    "leaving": (
        "leaving",
        "forcing",
        "prompting",
        "sparking",
        "pushing",
        "making",
        "causing",
        "creating",
        "resulting",
        "triggering",
        "fuel",
        "killing",
        "injuring",
        "destroying",
    ),
    "triggered": ("trigger", "prompt", "provok", "spark", "fuel"),
    "prevents": ("prevent", "stop", "keep", "kept", "discourag", "deter"),
    "barrier to": ("barrier", "obstacle"),
    "makes it": ("mak", "made"),
    "makes worse": ("mak", "made"),
    "had an influence on": ("influence", "impact", "effect"),
    "gave me the confidence": ("giv", "gave"),
    "forced": ("forc", "push", "drove", "driven"),
    "enables": ("enabl", "allow", "encourag", "help"),
    "affects": ("affect", "impact", "influenc", "shap"),
    "critical to": ("critical", "crucial", "key", "essential", "vital", "important", "necessary"),
    "because": ("because", "cos", "cause"),
    "due to": ("due", "owing"),
    "as a result of": ("as a ",),
    "thanks to": ("thanks",),
    "in response to": (
        "response",
        "reaction",
        "retaliation",
        "reprisal",
        "revenge",
        "protest",
        "answer",
        "wake",
        "aftermath",
    ),
    "protest against": ("against", "over"),
    "to demand": (
        "in order",
        "so as",
        "demand",
        "protest",
        "press",
        "oppos",
        "denounc",
        "condemn",
        "express",
        "voice",
        "register",
        "seek",
        "call for",
        "show",
        "highlight",
        "mark",
        "mourn",
        "commemorat",
    ),
    "after": ("after", "following"),
    "amid": ("amid",),
    "since": ("since",),
    "the reason": ("reason",),
    "if ... then": ("if",),
    "if": ("if",),
    "without": ("without",),
    "unless": ("unless",),
}


_START = r'(?:^|(?<=^["“‘\'(])|(?<=^["“‘\'(] )|(?<=[,;:…] )|(?<=[,;:…] ["“‘]))'
_OBJ = r"(?:it|them|me|him|her|us|you|people|things|life|everything)"

# participles whose "by" passive names the cause after "by" ("X was caused by Y"); each
# family's sign as in its active voice
_PASSIVE_PLUS = (
    r"caused|driven|triggered|fuell?ed|fueled|brought\s+on|made\s+worse|prompted|provoked|"
    r"sparked|worsened|exacerbated|compounded|aggravated|increased|boosted|improved|"
    r"heightened|intensified|forced|pushed|enabled|encouraged|helped|affected|impacted|"
    r"influenced|shaped|hit|motivated|inspired|"
    r"accelerated|made\s+possible|facilitated|spurred"
)
_PASSIVE_MINUS = (
    r"reduced|lowered|decreased|undermined|damaged|wrecked|harmed|hindered|limited|"
    r"disrupted|prevented|stopped|deterred|discouraged|blocked|weakened|eroded|offset|"
    r"hampered|restricted|constrained|held\s+back|slowed|curbed|diminished"
)
_BY = r"\s+(?:\w+ly\s+)?by\b(?!\s+(?:\d|far\b|then\b|now\b|the\s+(?:time|way|end)\b|way\b))"

# Ordered strongest first: when two cues overlap, the first one found here wins, so the
# passives ("caused by") come before the active verbs they contain ("caused").
CUES: tuple[_Cue, ...] = (
    _cue(
        "impacted by",
        r"\b(?P<neg>negatively|badly|adversely)\s+(?:impacted|affected|"
        r"influenced|shaped|harmed|damaged)\s+by\b",
        "backward",
        0.8,
    ),
    _cue("caused by", rf"\b(?:{_PASSIVE_PLUS}){_BY}", "backward", 0.85),
    # harm verbs: the participle belongs to the effect ("three people were killed")
    _cue(
        "killed by",
        r"\b(?:killed|injured|wounded|hurt|destroyed|burned|burnt|flooded|displaced)"
        r"(?P<at>\s+by)\b(?!\s+\d)",
        "backward",
        0.85,
    ),
    _cue("reduced by", rf"\b(?:{_PASSIVE_MINUS}){_BY}", "backward", 0.8, -1),
    _cue(
        "stems from",
        r"\b(?:stem|stems|stemmed|stemming|arise|arises|arose|arisen|arising|"
        r"result|results|resulted|resulting|derive|derives|derived|spring|springs|sprang)\s+"
        r"(?:\w+ly\s+|in\s+part\s+|partly\s+)?from\b",
        "backward",
        0.85,
    ),
    # connectives: the clause before causes the clause after
    _cue("therefore", r"\btherefore\b", "forward", 0.9),
    _cue("as a result", r"\bas a (?:direct )?(?:result|consequence)\b(?! of)", "forward", 0.85),
    _cue("consequently", r"\b(?:consequently|hence|thus)\b", "forward", 0.8),
    _cue("meant that", r"\b(?:meant|means|mean)\s+(?:that\b)?(?=\s*\w)", "forward", 0.75),
    _cue("that's why", r"\b(?:that|this)(?:'s|’s| is| was)\s+why\b", "forward", 0.85),
    _cue("because of this", r"\bbecause of (?:this|that|it)\b", "forward", 0.85),
    _cue("as such", r"(?<=[,;] )as such\b", "forward", 0.6),
    _cue("so", r"(?<=[,;—–] )so\b(?! (?:much|many|far|long|what|that)\b)(?=\s+\w)", "forward", 0.7),
    _cue("so", r"(?<=[a-z]) so (?=(?:i|we|they|he|she|it|you|people|that)\b)", "forward", 0.68),
    # causal verbs: subject causes object
    _cue("led to", r"\b(?:lead|leads|led|leading)\s+(?:directly\s+)?to\b", "forward", 0.9),
    _cue("resulted in", r"\b(?:result|results|resulted|resulting)\s+in\b", "forward", 0.9),
    _cue(
        "led people to",
        r"\b(?:lead|leads|led|leading)\s+(?:(?:many|more|some|young|other)\s+)?"
        r"(?:people|them|him|her|me|us|you|men|women|someone|others|individuals)\s+to\b",
        "forward",
        0.8,
    ),
    _cue(
        "the cause of",
        r"\b(?:is|was|are|were|be|been|being|as|becomes?|became)\s+(?:the|a|an|one\s+of\s+the)\s+"
        r"(?:\w+\s+)?(?:causes?|drivers?|root\s+causes?|reasons?\s+for)\s*(?:of\b)?",
        "forward",
        0.8,
    ),
    _cue(
        "a catalyst for",
        r"\b(?:act|acts|acted|acting|serve|serves|served|is|are|was|were|as|become|became|"
        r"becomes)\s+(?:as\s+)?an?\s+(?:\w+\s+)?(?:catalyst|trigger|spur|springboard)\s+"
        r"(?:for|of|to)\b",
        "forward",
        0.8,
    ),
    _cue(
        "caused",
        r"(?<!root )(?<!\ba )(?<!\bthe )(?<!\bmain )(?<!\bone )"
        r"\b(?:cause|causes|caused|causing)\b(?!\s+(?:of|and|for|by)\b)(?=\s+\w)",
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
    _cue(
        "leaving",
        r"(?<=, )(?:leaving|forcing|prompting|sparking|pushing|making|causing|creating|"
        r"resulting\s+in|triggering|fuell?ing|killing|injuring|destroying)\b",
        "forward",
        0.65,
    ),
    _cue(
        "triggered",
        r"(?<!\bthe )(?<!\ba )\b(?:trigger|triggers|triggered|triggering|prompted|provoked|"
        r"spark(?:s|ed)|fuell?ed|fueled|fuell?ing)\b(?!\s+by\b)"
        r"|\b(?:fuels?)\b(?=\s+(?:the|a|an|their|his|her|its|our|my|further|more|anger|"
        r"tensions?|violence|unrest|crime|demand|speculation|fears?|\w+(?:ness|ment|ity|ion|ism))\b)",
        "forward",
        0.75,
    ),
    _cue(
        "worsens",
        r"\b(?:(?:worsen|worsens|worsened|worsening|exacerbat(?:e|es|ed|ing)|compound(?:s|ed)?|"
        r"aggravat(?:e|es|ed|ing))\b(?!\s+by\b)(?=\s+\w)|"
        r"(?:increas(?:e|es|ed|ing)|boost(?:s|ed|ing)?|improv(?:e|es|ed|ing)|rais(?:e|es|ed))"
        r"\b(?=\s+(?:the|a|an|their|his|her|my|our|its|existing|people|them|me|levels?|"
        r"rates?|risk|demand|chances?|\w+(?:ness|ment|ity|ion|ing|s))\b))",
        "forward",
        0.7,
    ),
    _cue(
        "reduces",
        r"\b(?:reduc(?:e|es|ed|ing)|lower(?:s|ed|ing)|(?<=to )lower|decreas(?:e|es|ed|ing)|"
        r"cut(?:s|ting)?\s+down|damag(?:e|es|ed|ing)|harm(?:s|ed|ing)?|limit(?:s|ed|ing)?)\b"
        r"(?!\s+by\b)(?=\s+(?:the|a|an|their|his|her|my|our|its|people|them|me|us|you|levels?|rates?|"
        r"chances?|ambitions?|\w+(?:ness|ment|ity|ion|ing|s))\b)"
        r"|\b(?:undermin(?:e|es|ed|ing)|wreck(?:s|ed|ing)?|hinder(?:s|ed|ing)?|"
        r"disrupt(?:s|ed|ing)?|weaken(?:s|ed|ing)?|erod(?:e|es|ed|ing)|hamper(?:s|ed|ing)?)\b"
        r"(?!\s+by\b)(?=\s+\w)",
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
        r"\b(?:make|makes|made|making)\s+(?P<effect>(?:my|his|her|their|our|the|your)\s+\w+)"
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
        r"(?<!\bthe )(?<!\ba )\b(?:enabl(?:e|es|ed|ing)|allow(?:s|ed|ing)?)\s+(?:\w+\s+){0,3}?to\s+"
        r"(?=\w)(?!(?:the|a|an|this|that|it)\b)",
        "forward",
        0.6,
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
    _cue(
        "due to",
        r"\b(?:due|owing)\s+(?:(?:in\s+(?:large\s+)?part|partly|largely|mainly|mostly|"
        r"entirely|directly|primarily)\s+)?to\b(?!\s+(?:be|start|begin|take|meet|appear|arrive|open|close|"
        r"end|finish|hold|resume|return|visit|speak|attend|leave|expire|go|come|launch|"
        r"announce|vote|sign|face|stand|hear|make|give|get|have|report|run|pay|release|"
        r"retire|travel|perform|play|fly|sit|testify|deliver|submit|publish|debate|rule|"
        r"decide|meet|host|present|address|join|move|take)\b)",
        "backward",
        0.9,
    ),
    _cue("as a result of", r"\bas a (?:direct )?(?:result|consequence) of\b", "backward", 0.9),
    _cue("thanks to", r"\bthanks to\b", "backward", 0.8),
    # responses and reactions: the cause is what they answer
    _cue(
        "in response to",
        r"\b(?:in|as\s+an?)\s+(?:direct\s+)?(?:response|reaction|retaliation|reprisal|"
        r"revenge|protest|answer)\s+(?:to|for|against|at|over|of)\b"
        r"|\bin\s+the\s+(?:immediate\s+)?(?:wake|aftermath)\s+of\b"
        r"|\bin\s+(?:their|its|his|her)\s+wake\b",
        "backward",
        0.8,
    ),
    _cue(
        "protest against",
        r"\b(?:protest(?:s|ed|ing)?|rall(?:y|ies|ied|ying)|demonstrat(?:ion|ions|ed|ing|e)|"
        r"strikes?|striking|march(?:es|ed|ing)?|agitation|outrage|anger|fury|boycott(?:s|ed)?)"
        r"\s+(?:\w+\s+){0,4}?(?P<at>against|over)\b",
        "backward",
        0.65,
    ),
    _cue(
        "to demand",
        r"(?:\bin\s+order|\bso\s+as)\s+to\b|(?<!\blikely )(?<!\bable )(?<!\bunable )"
        r"(?<!\bwant )(?<!\bwants )(?<!\bwanted )(?<!\bneed )(?<!\bneeds )(?<!\btry )"
        r"(?<!\btried )(?<!\bwilling )(?<!\breluctant )(?<!\bgoing )(?<!\bhave )(?<!\bhas )"
        r"(?<!\bhad )(?<!\bused )\bto\s+(?=(?:demand|protest|press|oppose|"
        r"denounce|condemn|express|voice|register|seek|call\s+for|show\s+(?:solidarity|support)|"
        r"highlight|mark|mourn|commemorate)\b)",
        "backward",
        0.55,
    ),
    _cue(
        "after",
        r"(?<=[\w,] )(?<!\bweek )(?<!\bday )(?<!\byear )(?<!\bmonth )(?<!\btime )"
        r"(?<!\bsoon )(?<!\bshortly )(?<!\blong )(?<!\bright )(?<!\bjust )(?<!\bstraight )"
        r"(?<!\bthe )(?<!\bhours )(?<!\bdays )(?<!\bweeks )(?<!\byears )(?<!\bmonths )"
        r"(?:after|following)\b(?!\s+an?\s+[\w]+-(?:year|month|week|day|hour)|\s+(?:all|that|this|which|school|work|lunch|"
        r"dinner|breakfast|tea|release|years?|months?|weeks?|days?|hours?|minutes?|decades?|"
        r"a\s+(?:while|few|couple|year|month|week|day|time|bit|period|long|night|break|"
        r"moment|minute)|an?\s+hour|the\s+(?:first|second|third|last|end|start|beginning|"
        r"meeting|weekend|war|holidays?|session|event|match|game|break|interview|hearing|"
        r"election|elections|same)|\d|midnight|noon|dark|"
        r"\w+day\b|january|february|march|april|may|june|july|august|september|october|"
        r"november|december|him|her|me|them|us|you|each|every)\b)(?=\s+\w)",
        "backward",
        0.55,
    ),
    _cue("amid", r"\bamid(?:st)?\b(?=\s+\w)", "backward", 0.5),
    _cue(
        "since",
        r"(?:(?<=[,;] )|^)since\s+(?=(?:i|we|they|he|she|it|you|there|the|my|our|their)\b)",
        "backward",
        0.55,
    ),
    _cue(
        "the reason",
        r"\bthe (?:main |real |only )?reason (?:why )?(?P<effect>(?:[\w'’]+\s+){0,8}?)"
        r"(?:is|was) (?:that|because)\b",
        "backward",
        0.8,
    ),
    # conditions
    _cue("if ... then", _START + r"if\b(?=[^.?!]*\bthen\b)", "conditional", 0.75),
    _cue("if", _START + r"(?:only\s+)?if\b(?!\s+you\s+ask\s+me\b)", "conditional", 0.5),
    _cue("without", _START + r"without\b", "conditional", 0.6),
    _cue("unless", _START + r"unless\b", "conditional", 0.6, -1),
    _cue(
        "if",
        r"(?<=[a-z] )(?<!\bas )(?<!\beven )(?<!\bwhat )(?<!\bsee )(?<!\bask )(?<!\basks )"
        r"(?<!\basked )(?<!\bknow )(?<!\bknew )(?<!\bsure )(?<!\bcheck )(?<!\bwonder )"
        r"(?<!\bwondered )(?<!\btell )(?<!\bdecide )(?<!\bdoubt )(?<!\bmatter )(?<!\bout )"
        r"(?<!\bclear )(?<!\bunclear )(?<!\bmind )(?<!\bcare )(?<!\bask me )(?<!\btell me )"
        r"(?<!\basked me )(?<!\btold me )(?<!\bask you )(?<!\btell you )(?<!\basked him )"
        r"(?<!\basked her )(?<!\basked them )(?<!\basked us )(?<!\basked you )"
        r"(?:only\s+)?if\b(?=\s+\w)",
        "backward",
        0.55,
    ),
)

# a sentence that says a loop exists (the claims around it name its factors)
_LOOP = re.compile(
    r"\b(?:vicious|virtuous|endless|never[- ]ending|self[- ]perpetuating|self[- ]reinforcing)\s+"
    r"(?:circle|cycle|spiral|loop)s?\b|\bdownward\s+spirals?\b|\bfeedback\s+loops?\b"
    r"|\bself[- ](?:perpetuating|reinforcing|fulfilling)\b"
    r"|\bspiral(?:s|led|ling)?\s+(?:down|out\s+of\s+control)\b"
    r"|\b(?:go|goes|going|went)\s+round\s+(?:and\s+round|in\s+circles)\b",
    re.IGNORECASE,
)

# words that flip a span's direction (the factor moves the other way)
_NEGATION = re.compile(
    r"\b(?:not|no|never|none|nobody|nothing|nowhere|without|lack|lacks|lacking|lacked|"
    r"free\s+(?:from|of)|\w+-free|(?:drugs?|crime|debt|alcohol|smoke|violence|abuse|"
    r"offending|stress)\s+free|unable|cannot|can't|can’t|won't|won’t|less|fewer|harder|difficult|impossible|"
    r"inadequate|inaccessible|poor|poorly|fail|fails|failed|failing|struggle|struggled|"
    r"struggles|unwilling|hardly|barely|\w+n't|\w+n’t)\b",
    re.IGNORECASE,
)
# negative words that do not negate ("not only X but also Y")
_NOT_NEGATION = re.compile(r"\bnot\s+(?:only|just|merely|simply)\b", re.IGNORECASE)
# a second clause inside a span ("it is difficult to X and there is Y"): its negation stays there
_CLAUSE_BREAK = re.compile(
    r",?\s+(?:and|but|while|whereas|although|though)\s+(?=(?:there|it|they|he|she|we|i|"
    r"you|this|that|these|those|people|many|some|the|a|an)\b)|[,;:]\s+(?=(?:there|it|they|he|she|we|i|you)\b)",
    re.IGNORECASE,
)
_DETERMINER_BEFORE = re.compile(
    r"(?:^[\s\"“‘'(]*|\b(?:the|a|an|of|for|with|among|these|those|their|his|her|its|our|my|"
    r"your|more|most|less|newly|recently|many|some|all|other|such)\s+)$",
    re.IGNORECASE,
)
_NOT_ADJECTIVES = {"led", "caused", "driven", "triggered", "sparked", "prompted", "provoked"}
_OPENING_WORDS = re.compile(r"^(?:and|but|so|then|and then|yes|well|no|or)\b[\s,]*", re.I)
# "X, which not only leads to Y, but also prevents Z": the second verb has X as subject
_COORDINATED = re.compile(
    r"[\s,]*(?:(?:but|and|or)\s+(?:also\s+|then\s+|in turn\s+)?|also\s+)"
    r"(?:(?:can|could|may|might|will|would|often)\s+)?",
    re.I,
)
_WHICH_BEFORE = re.compile(
    r"\b(?:which|that|who)\s+(?:(?:can|could|may|might|will|would|often|also|then|in\s+turn|"
    r"has|have|had|is|are|was|were|does|do|did|not\s+only|only|further|usually|"
    r"sometimes|always|ultimately|eventually|directly|in\s+part|then|again)\s+)*$",
    re.IGNORECASE,
)
# "because she trusted me I started ...": a new clause after a condition without a comma
_CLAUSE_RESTART = re.compile(
    r"(?<=\w\s)(?<=\w{2}\s)(?<!\bthat\s)(?<!\band\s)(?<!\bbut\s)(?<!\bor\s)"
    r"(?=(?:i|we|they|he|she|you|it|there)\s+(?:\w+ed|was|were|had|have|has|will|would|"
    r"could|can|can't|couldn't|started|stopped|got|went|felt|do|did|don't|didn't|wasn't|"
    r"am|is|are|began|kept|lost|found|became|began|never|always|just|then)\b)",
    re.IGNORECASE,
)
# a passive's auxiliary right before the cue, and its agent later ("were forced into X by Y")
_AUX_BEFORE = re.compile(
    r"\b(?:is|are|was|were|be|been|being|get|gets|got|getting)\s+(?:\w+ly\s+)?$", re.IGNORECASE
)
_LATE_BY = re.compile(r"\s+by\s+(?!\d)(?=\w)", re.IGNORECASE)
# where the noun phrase before "which" starts inside its clause
_ANTECEDENT_CUT = re.compile(
    r"\b(?:by|from|because of|due to|include|includes|included|including|such as|like|"
    r"namely|there\s+(?:is|are|was|were)(?:\s+also)?|(?:and|but)\s+(?=there\b))\s+",
    re.IGNORECASE,
)
# where a clause ends (the span stops there)
_BOUNDARY = re.compile(
    r"[;:!?()\[\]\"“”]|—|–|…|\.{3}|\s-\s|,(?=\s|['’\"”])|\.(?=\s|$)"
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
    r"perhaps|probably|possibly|maybe|hopefully|likely|certainly|clearly|"
    r"it|is|was|were|are|to|in turn|of|even|actually|often|sometimes|always|because|"
    r"especially|particularly)\b[\s,]*)+",
    re.IGNORECASE,
)
_TRAILING_FILLER = re.compile(
    r"(?:[\s,]+(?:and|but|so|which|that|this|then|also|can|could|will|would|may|might|"
    r"must|should|often|in turn|has|have|had|is|was|were|are|they|really|just|also|"
    r"especially|particularly|even|only|not only|to|further|usually|sometimes|always|"
    r"ultimately|eventually|directly|in part|perhaps|probably|possibly|maybe|hopefully|"
    r"likely|certainly|clearly)\b)+$",
    re.IGNORECASE,
)
_SUBORDINATE_START = re.compile(
    r"\s*(?:every time|each time|when|whenever|after|once|as soon as|if|while|since)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_POLITE = re.compile(
    r"^(?:please|feel free|let me|let us|do get in touch|click|read (?:about|more|our))\b",
    re.IGNORECASE,
)
_STOPWORDS = STOPWORDS | RULES_EXTRA
_LIST_CONTINUATION = re.compile(r"\s*(?:or|and|nor|as well as)\b", re.IGNORECASE)
# ", or any help with ...": an item added to the object before it, however long that is
_OR_ITEM = re.compile(r"\s*(?:or|nor)\s+(?:any|other|some|no|even|more|less)\b", re.IGNORECASE)
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
    lowered = sentence.lower()
    for cue in CUES:
        if cue.needs and not any(word in lowered for word in cue.needs):
            continue
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


def span_negated(text: str) -> bool:
    """Whether a cause or effect span is negated (its factor moves the other way).

    >>> span_negated("I had nowhere to live"), span_negated("not only poverty")
    (True, False)
    """
    return _negated(text)


def names_something(text: str) -> bool:
    """Whether a span has a content word (a factor could be named from it).

    >>> names_something("it"), names_something("the waiting lists")
    (False, True)
    """
    return any(w.lower() not in _STOPWORDS for w in _WORD.findall(text))


def is_invitation(text: str) -> bool:
    """Whether a span is an invitation or request ("please click", "feel free"), not a factor.

    >>> is_invitation("please click Continue"), is_invitation("crime rose")
    (True, False)
    """
    return bool(_POLITE.match(text.strip()))


def find_loop_claim(sentence: str) -> Span | None:
    """The phrase by which a sentence says a feedback loop exists ("a vicious circle", "a
    downward spiral", "self-perpetuating"), or None.

    >>> find_loop_claim("It then becomes a vicious circle.").text
    'vicious circle'
    >>> find_loop_claim("We went round the circle of chairs.") is None
    True
    """
    match = _LOOP.search(sentence)
    return Span(match.start(), match.end(), match.group(0)) if match else None


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
    groups = match.groupdict()
    if groups.get("at"):
        start = match.start("at")  # "protest on Saturday against X": the cue is "against"
    direction = cue.direction
    opening = not _OPENING_WORDS.sub("", sentence[:start].strip(" \t‘“'\"…("))
    inner = (
        _trim(sentence, match.start("effect"), match.end("effect"), from_left=False)
        if (groups.get("effect"))
        else None
    )  # "the reason X was that Y", "made X worse": the effect is inside the cue
    if direction == "forward" and _adjectival(sentence, start, match.group(0)):
        return None  # "affected farmers", "the increased demand": an adjective, not a verb
    if direction == "backward" and opening and inner is None:
        direction = "conditional"  # "Because X, Y": the cause comes first
    if direction == "conditional":
        condition, consequence = _conditional_spans(sentence, end, cue.name == "if ... then")
        if (condition is None or consequence is None) and not opening:
            direction = "backward"  # "Y, if X": the condition closes the sentence
        elif condition is None or consequence is None:
            return None
        else:
            cause, effect = condition, consequence
    if direction != "conditional":
        left = _left_span(sentence, start) if inner is None or direction == "forward" else inner
        right = _right_span(sentence, end) if inner is None or direction == "backward" else inner
        if left is None or right is None:
            return None
        if cue.direction == "forward" and _WHICH_BEFORE.search(sentence[left.start : start]):
            left = _antecedent(sentence, left)
        elif cue.direction == "forward" and _COORDINATED.fullmatch(
            sentence[_clause_start(sentence, start) : start]
        ):
            left = _coordinated_subject(sentence, start) or left
        if left.text.lower().startswith(("rather than", "instead of", "not because")):
            return None  # "Y, rather than X causing Z": a contrast, not a claim
        cause, effect = (left, right) if direction == "forward" else (right, left)
        late_by = _LATE_BY.search(right.text)
        if direction == "forward" and late_by and _AUX_BEFORE.search(sentence, 0, start):
            # "People are driven back to using by long waiting lists": a passive whose
            # agent comes after the verb's complement
            agent = _trim(sentence, right.start + late_by.end(), right.end, from_left=False)
            patient = _trim(sentence, left.start, right.start + late_by.start(), from_left=False)
            if agent is None or patient is None:
                return None
            cause, effect = agent, patient
    sign = cue.sign
    if groups.get("neg"):
        sign = -sign
    cause_negated = _negated(cause.text, near_end=cause.end <= start)
    effect_negated = _negated(effect.text, near_end=effect.end <= start)
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


def _negated(text: str, near_end: bool = False) -> bool:
    """Whether the span's clause next to the cue is negated: any negative word counts
    ("poor quality and poorly coordinated" is one direction, not two), but not in another
    clause of the span ("it is difficult to get there and X led to Y": only X counts), and
    not "not only"."""
    clauses = _CLAUSE_BREAK.split(text)
    clause = clauses[-1] if near_end else clauses[0]
    return _NEGATION.search(_NOT_NEGATION.sub(" ", clause)) is not None


def _adjectival(sentence: str, start: int, cue_text: str) -> bool:
    """A participle or comparative right after a determiner (or opening the sentence) and
    before a noun reads as an adjective: "affected farmers", "the increased demand"."""
    first = cue_text.split()[0].lower() if cue_text.split() else ""
    if not first.endswith(("ed", "ing", "en", "er")) or first in _NOT_ADJECTIVES:
        return False
    return _DETERMINER_BEFORE.search(sentence, 0, start) is not None


def _left_span(sentence: str, cue_start: int) -> Span | None:
    """The clause before the cue (back to a boundary; a too-short clause takes one more)."""
    end = cue_start
    boundaries = [m.end() for m in _BOUNDARY.finditer(sentence, 0, end)]
    start = boundaries[-1] if boundaries else 0
    span = _trim(sentence, start, end, from_left=True)
    # a clause too short to name a cause, or the tail of a list, takes in the one before
    steps = 0
    or_item = False
    while boundaries and steps < 3:
        short = span is None or len(_WORD.findall(span.text)) < 2
        previous = sentence[boundaries[-2] if len(boundaries) > 1 else 0 : boundaries[-1]]
        listed = _LIST_CONTINUATION.match(sentence, start) and len(_WORD.findall(previous)) <= 3
        if not or_item and _OR_ITEM.match(sentence, start):
            listed = or_item = True
        if not (short or listed):
            break  # "X triggered Y, and the relapse led to Z": a clause, not a list item
        boundaries.pop()
        start = boundaries[-1] if boundaries else 0
        span = _trim(sentence, start, end, from_left=True)
        steps += 1
    return span


def _antecedent(sentence: str, clause: Span) -> Span:
    """For ``X, which led to Y``: the noun phrase X refers to, after a last "by"/"from"/
    "there is", or a list ``A, B and C, which ...`` whole."""
    which = _WHICH_BEFORE.search(sentence, clause.start)
    end = which.start() if which else clause.end
    head = sentence[:end].rstrip(" ,")
    bounds = [m for m in _BOUNDARY.finditer(head)]
    start = bounds[-1].end() if bounds else 0
    steps = 0
    # a list before "which": take in the earlier items ("A, B, C and D, which ...")
    while bounds and head[bounds[-1].start()] == "," and steps < 8:
        previous = bounds[-2].end() if len(bounds) > 1 else 0
        item = head[previous : bounds[-1].start()]
        if len(_WORD.findall(item)) > 4 and not steps and " and " not in head[start:]:
            break
        start = previous
        bounds.pop()
        steps += 1
        if len(_WORD.findall(item)) > 4:
            break
    text = head[start:]
    cut = list(_ANTECEDENT_CUT.finditer(text))
    if cut:
        start += cut[-1].end()
    return _trim(sentence, start, end, from_left=False) or clause


def _clause_start(sentence: str, position: int) -> int:
    found = [m.end() for m in _BOUNDARY.finditer(sentence, 0, position)]
    return found[-1] if found else 0


def _coordinated_subject(sentence: str, cue_start: int) -> Span | None:
    """``X, which leads to Y, but also prevents Z``: X, the subject of the first verb."""
    before = _clause_start(sentence, cue_start)
    head = sentence[:before].rstrip(" ,")
    if not _WHICH_BEFORE.search(head[: head.rfind("which") + 6] if "which" in head else ""):
        return None
    which = head.rfind("which")
    return _antecedent(sentence, Span(0, which, sentence[:which]))


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
    if comma and not sentence[comma.end() :].strip(" .!?\"”’'…)"):
        comma = None  # the sentence's own end: no split there
    if needs_then and then:
        split_start, split_end = then.start(), then.end()
    elif comma:
        split_start, split_end = comma.start(), comma.end()
    elif (two := re.match(r"\s*\S+\s+\S+", sentence[cue_end:])) and (
        restart := _CLAUSE_RESTART.search(sentence, cue_end + two.end())
    ):
        split_start = split_end = restart.start()
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
