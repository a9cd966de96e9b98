"""Deterministic labels for candidates: what a number counts, who claims it, events' parts.

These are the hints shown to the model, the fallback when the model gives nothing usable, and the
whole of the ``rules`` backend (the baseline that shows what the model adds). Who said a quote
is read in :mod:`summarizer.attribution`; :func:`hint_all` gathers both.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from summarizer.attribution import Attribution, attribute_quotes
from summarizer.budget import check_deadline
from summarizer.models import Article, Candidates, Measure, NumberCandidate

_NAME_WORD = r"(?:[A-Z][\w’'.-]*|al-[A-Z][\w’'-]*|bin|de|van|von|of|for)"
NAME = rf"(?:[A-Z][\w’'.-]*(?:[ \t]+{_NAME_WORD}){{0,6}})"
_TITLES = re.compile(
    r"^(?:(?:Mr|Mrs|Ms|Dr|Prof|Gen|Col|Sen|Rep|Sheikh|President|Prime Minister|Minister"
    r"|Lebanese legislator|legislator|lawmaker|Special Envoy|Envoy|Chief|Head)\.?\s+)+"
)
ORG_WORDS = re.compile(
    r"(?i)\b(?:ministry|government|observatory|agency|group|council|committee|union|office"
    r"|department|army|forces|police|organi[sz]ation|party|commission|court|embassy|monitor"
    r"|association|institute|company|bank|authority|authorities|nations|ngo)\b"
)
# A country name standing for its government ("France expressed", "Paris condemns").
_MEASURE_PATTERNS: list[tuple[Measure, re.Pattern[str]]] = [
    (Measure.BURIED, re.compile(r"(?i)\b(?:buried|burial|funeral|mass grave|graves?)\b")),
    (Measure.KILLED, re.compile(
        r"(?i)\b(?:killed|dead|deaths?|died|death toll|lost their lives|massacred|executed"
        r"|slain|killings?|victims|bodies|toll)\b")),
    (Measure.INJURED, re.compile(r"(?i)\b(?:injured|wounded|hurt|injuries)\b")),
    (Measure.MISSING, re.compile(r"(?i)\b(?:missing|disappeared|unaccounted)\b")),
    (Measure.DISPLACED, re.compile(
        r"(?i)\b(?:fled|flee|fleeing|displaced|refugees?|evacuated|shelter|homeless)\b")),
    (Measure.ARRESTED, re.compile(r"(?i)\b(?:arrested|detained|detention|custody|jailed)\b")),
]
_TIME_HEADS = re.compile(
    r"(?i)^(?:year|month|week|day|hour|minute|decade|centur)\w*(?:\s+\w+)?$"
)
_NOT_FIGURE_HEADS = re.compile(
    r"(?i)(?:year-old|meters?|metres?|kilometers?|kilometres?|miles?|km|feet|seats?)\b"
)


@dataclass(frozen=True)
class NumberHint:
    figure: bool
    measure: Measure
    subject: str
    claimant: str | None


def _clean_name(name: str) -> str:
    name = name.strip(" ,.;:’'")
    name = re.sub(r"[’']s$", "", name)
    name = _TITLES.sub("", name)
    return name.strip()


def guess_measure(clause: str, head: str | None, num_text: str) -> Measure:
    if re.search(r"[$€£]|\b(?:dollars?|euros?|pounds?|billion|million)\b", num_text + " " + (head or "")):
        if re.search(r"[$€£]|dollars?|euros?|pounds?", num_text + " " + clause):
            return Measure.MONEY
    if head and _TIME_HEADS.match(head):
        return Measure.OTHER
    for measure, pattern in _MEASURE_PATTERNS:
        if pattern.search(clause):
            return measure
    return Measure.OTHER


def _clause(text: str, start: int, end: int, sent_start: int, sent_end: int) -> str:
    """The words near a number, within its sentence: the measure is usually said there."""
    left = text[max(sent_start, start - 60) : start]
    right = text[end : min(sent_end, end + 60)]
    left = re.split(r"[;:]|, (?:and|while|but)\b", left)[-1]
    right = re.split(r"[;:]|, (?:and|while|but|in addition)\b|\band\s+\d", right)[0]
    return f"{left} {text[start:end]} {right}"


_CLAIMANT = re.compile(
    rf"(?:according\s+to\s+(?:the\s+)?({NAME})|(?:The\s+|the\s+)?((?:[\w-]+\s+){{0,2}}"
    rf"{NAME})\s+(?:said|says|reported|reports|noted|added)\b)"
)


def hint_number(article: Article, cands: Candidates, number: NumberCandidate,
                _claimants: dict[str, str | None] | None = None) -> NumberHint:
    """Code's reading of one number: figure or not, its measure, who claims it.

    ``_claimants`` memoises each sentence's claimant (:func:`hint_all` passes one dict for the
    whole article), so a sentence with many numbers is scanned once, not once per number.
    """
    text = article.text
    sentence = cands.sentence(number.sentence_id)
    head = number.head
    num_text = text[number.number_start : number.number_end]
    clause = _clause(text, number.start, number.end, sentence.start, sentence.end)
    measure = guess_measure(clause, head, num_text)
    figure = not (head and _NOT_FIGURE_HEADS.search(head)) and not (
        num_text.lower() in {"one", "two"} and head and head.lower() in {"residents", "seats"}
    )
    subject = " ".join(x for x in [head or "", measure.value if measure != Measure.OTHER else ""] if x)
    claimants = {} if _claimants is None else _claimants
    if sentence.id not in claimants:
        claimants[sentence.id] = _sentence_claimant(text[sentence.start : sentence.end])
    return NumberHint(figure, measure, subject or num_text, claimants[sentence.id])


def _sentence_claimant(sentence: str) -> str | None:
    """'..., the ministry said' / 'according to the Observatory': who a sentence's numbers are
    claimed by."""
    for m in _CLAIMANT.finditer(sentence):
        name = _clean_name(m.group(1) or m.group(2))
        if ORG_WORDS.search(name) or len(name.split()) >= 2:
            return name
    return None


_ROLE_AFTER = re.compile(
    r",\s+(?:((?:an?|the)\s+)([^,.;:“”\"()]{3,90}?)[,.]|([^,.;:“”\"()]{3,90}?)(?:,|\s+(?:said"
    r"|says|told|wrote)\b))"
)
_ROLE_NOUNS = (
    r"legislator|lawmaker|envoy|minister|spokes(?:person|man|woman)|president|official|chief"
    r"|head|director|commander|resident|activist|leader|analyst|witness|survivor|mayor"
    r"|governor|ambassador|diplomat|representative|researcher|doctor|journalist|farmer"
)
_ROLE_BEFORE = re.compile(
    rf"((?:(?<!\S)[A-Z][\w’'-]+\s+)?(?:(?<!\S)[a-z][\w’'-]+\s+){{0,2}}(?<![\w-])"
    rf"(?:{_ROLE_NOUNS})(?:\s+for\s+"
    rf"[A-Z][\w’'-]+)?),?\s+$"
)


@functools.lru_cache(maxsize=1024)
def role_for(text: str, name: str) -> str | None:
    """The role the article gives a named speaker: 'Ali Sheha, a 57-year-old resident, said'
    -> '57-year-old resident'; 'Lebanese legislator Haidar Nasser' -> 'Lebanese legislator'."""
    if not name:
        return None
    for m in re.finditer(re.escape(name), text):
        after = _ROLE_AFTER.match(text, m.end())
        role = (after.group(2) or after.group(3)) if after else None
        if role:  # "a resident of Baniyas who fled …" -> "resident of Baniyas"
            role = re.split(r"\s+(?:was|is|who|which|that|had|has|said|says)\b", role)[0]
        if role and not re.match(r"(?i)(?:who|which|that|said|says|he|she|they|\w+ing)\b", role):
            return role.strip()
        before = _ROLE_BEFORE.search(text[max(0, m.start() - 60) : m.start()])
        if before:
            words = before.group(1).split()
            while words and words[0].lower() in {"said", "says", "told", "the", "a", "an", "and"}:
                words = words[1:]
            if words:
                return " ".join(words)
    return None


_DAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November"
          r"|December)")
WHEN = re.compile(
    rf"(?i)\b(?:(?:(?:early|late)\s+(?:on\s+)?|on\s+|by\s+|since\s+|last\s+)?(?:{_DAY}"
    rf"(?:\s+(?:morning|afternoon|evening|night))?|{_MONTH}\s+\d{{1,2}}(?:,\s+\d{{4}})?"
    rf"|\d{{1,2}}\s+{_MONTH}(?:\s+\d{{4}})?)|the\s+(?:day|night)\s+before|the\s+previous"
    rf"\s+(?:day|night)|yesterday|today|last\s+(?:week|month|year)|(?:early|late|mid-?)\s*"
    rf"{_MONTH}|(?:one|two|three|four|five|six|seven|eight|nine|ten|\d+)\s+(?:days?|weeks?"
    rf"|months?|years?)\s+ago)\b"
)
_WHERE = re.compile(
    rf"\b(?:in|near|at|around|outside|into)\s+(?:the\s+)?((?:(?:[a-z]+\s+)?(?:city|town|village"
    rf"|province|region|port)\s+of\s+)?(?!{_DAY}\b|{_MONTH}\b)[A-Z][\w’'-]+(?:\s+(?:[A-Z][\w’'-]+"
    rf"|al-[\w’'-]+))*)"
)
_WHERE_STOP = {"The", "A", "An", "This", "That", "His", "Her", "Their", "It", "He", "She"}


def is_duration(head: str | None) -> bool:
    """'days of clashes', 'year conflict', 'months': a number of time units."""
    return bool(head and _TIME_HEADS.match(head))


_ATTRIBUTION_TAIL = re.compile(
    r"(?:,\s*(?:according\s+to|(?:the\s+)?[\w’' -]{0,60}?\s+(?:said|says|reported|reports"
    r"|added|told))\b[^.“”\"]*|,\s*said\s+[^.“”\"]*)(?=[.!?]?[”\"]?\s*$)"
)


def event_description(sentence: str, words: int = 30) -> str:
    """A timeline line from an event sentence, by code: the sentence without its attribution
    tail (", according to …", ", X said"), cut at ``words`` words."""
    body = " ".join(sentence.split())
    body = _ATTRIBUTION_TAIL.sub("", body).rstrip(" ,;:")
    parts = body.split()
    if len(parts) > words:
        return " ".join(parts[:words]) + " …"
    return body


def event_when(sentence: str) -> str | None:
    """The first time expression in a sentence, exactly as written."""
    m = WHEN.search(sentence)
    return m.group(0) if m else None


def event_where(sentence: str) -> str | None:
    """The first 'in/near/at Place' in a sentence, as written."""
    for m in _WHERE.finditer(sentence):
        if m.group(1).split()[0] not in _WHERE_STOP:
            return m.group(1)
    return None


def hint_all(
    article: Article, cands: Candidates
) -> tuple[dict[str, Attribution], dict[str, NumberHint]]:
    """Code's reading of every quote (:mod:`summarizer.attribution`) and number."""
    claimants: dict[str, str | None] = {}
    quotes = attribute_quotes(article.text, cands)
    numbers = {}
    for n in cands.numbers:
        check_deadline()
        numbers[n.id] = hint_number(article, cands, n, claimants)
    return quotes, numbers
