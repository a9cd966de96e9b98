"""Deterministic labels for candidates: who said a quote, what a number counts, who claims it.

These are the hints shown to the model, the fallback when the model gives nothing usable, and the
whole of the ``rules`` backend (the baseline that shows what the model adds). A small model gets
attribution wrong often; a "…," Name said pattern is better read by code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from summarizer.models import Article, Candidates, Measure, NumberCandidate, QuoteCandidate

_NAME_WORD = r"(?:[A-Z][\w’'.-]*|al-[A-Z][\w’'-]*|bin|de|van|von|of|for)"
NAME = rf"(?:[A-Z][\w’'.-]*(?:[ \t]+{_NAME_WORD}){{0,6}})"
_SPEECH = (
    r"said|says|added|adds|told|tells|stated|states|wrote|writes|explained|noted|recounted"
    r"|urged|warned|insisted|argued|declared|announced|asked|continued|described|called"
    r"|expressed|blamed|attributed|attributing|condemned|quoted|saying|telling|commented"
    r"|was\s+quoted\s+as\s+saying"
)
_PRONOUNS = {"he", "she", "they", "it"}
_NOT_SPEAKERS = {
    "The", "This", "That", "These", "Those", "It", "In", "On", "At", "As", "But", "And", "Meanwhile",
    "However", "Residents", "Witnesses", "Other", "One", "Many", "Some", "Bodies", "Under",
    "Among", "After", "Before", "Since", "While", "When", "Local",
}
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
class QuoteHint:
    speaker: str | None  # as written in the attribution (may be a surname or an organisation)
    full_name: str | None  # the full name introduced earlier in the article
    direct: bool  # an attribution was found
    how: str  # which pattern matched

    @property
    def said_pattern(self) -> bool:
        """'“…,” said Name' / '“…,” Name said': code reads these better than a small model."""
        return self.how.startswith("after")


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


def _names_before(text: str, pos: int) -> list[tuple[int, str]]:
    """Multi-word proper names before ``pos`` (most recent last): candidates for 'he said'."""
    out = []
    for m in re.finditer(rf"\b({NAME})", text[:pos]):
        name = _clean_name(m.group(1))
        words = name.split()
        if len(words) >= 2 and words[0] not in _NOT_SPEAKERS and not ORG_WORDS.search(name):
            out.append((m.start(), name))
    return out


def full_name(text: str, name: str, pos: int) -> str | None:
    """'Sheha' -> 'Ali Sheha' when the article introduced the full name before ``pos``."""
    if len(name.split()) >= 2 or ORG_WORDS.search(name):
        return name
    for _, candidate in reversed(_names_before(text, len(text) if pos < 0 else pos)):
        if candidate.split()[-1] == name:
            return candidate
    for _, candidate in _names_before(text, len(text)):  # introduced later (headline first)
        if candidate.split()[-1] == name:
            return candidate
    return None


def _resolve(text: str, name: str, pos: int) -> tuple[str, str | None]:
    if name.lower() in _PRONOUNS:
        names = _names_before(text, pos)
        return name, (names[-1][1] if names else None)
    cleaned = _clean_name(name)
    return cleaned, full_name(text, cleaned, pos)


def hint_quote(article: Article, cands: Candidates, quote: QuoteCandidate) -> QuoteHint:
    """Find the attribution of one quoted span from said-patterns around it."""
    text = article.text
    sentence = next(s for s in cands.sentences if s.id == quote.sentence_id)
    if quote.continues:
        first = next((q for q in cands.quotes if q.id == quote.continues), None)
        if first is not None:
            hint = hint_quote(article, cands, first)
            return QuoteHint(hint.speaker, hint.full_name, hint.direct,
                             f"{hint.how} (continues {first.id})")
    after = text[quote.end : min(sentence.end + 200, len(text))]
    after = re.sub(r"^[”\"’'.,\s]+", " ", after)
    patterns_after = [
        (rf"^\s*({NAME}|he|she|they)\s+(?:{_SPEECH})\b", "after: X said"),
        (rf"^\s*(?:{_SPEECH})\s+({NAME})", "after: said X"),
        (rf"^\s*(?:as\s+)?(?:he|she)\s+[^.“”\"]{{0,40}}?,\s*({NAME})\s+(?:{_SPEECH})", "after"),
        (rf"^[^.“”\"]{{0,60}}?,\s*({NAME}|he|she)\s+(?:{_SPEECH})\b", "after: …, X said"),
    ]
    for pattern, how in patterns_after:
        m = re.match(pattern, after)
        if m and _clean_name(m.group(1)) not in _NOT_SPEAKERS:
            pos = quote.end + m.start(1)
            speaker, resolved = _resolve(text, m.group(1), pos)
            return QuoteHint(speaker, resolved, True, how)
    before = text[max(sentence.start - 0, 0) : quote.start]
    before = before[: before.rfind("“") if "“" in before[-3:] else len(before)]
    m = None
    for m2 in re.finditer(
        rf"({NAME}|[Hh]e|[Ss]he|They)(?:,\s[^“”\"]{{1,120}}?,?)?\s+(?:also\s+)?"
        rf"(?:[\w-]+\s+){{0,2}}?(?:{_SPEECH})\b",
        before,
    ):
        if _clean_name(m2.group(1)) not in _NOT_SPEAKERS:
            m = m2
    if m is None:
        m3 = re.search(rf"\b({NAME})\s+(?:expressed|urged|condemns|“)", before)
        m = m3 if m3 and _clean_name(m3.group(1)) not in _NOT_SPEAKERS else None
    if m is not None:
        pos = sentence.start + m.start(1)
        speaker, resolved = _resolve(text, m.group(1), pos)
        return QuoteHint(speaker, resolved, True, "before: X said …")
    m = re.search(rf"\b({NAME})(?:[’']s)?\s+(?:[\w-]+\s+){{0,3}}(?:{_SPEECH})\b", before)
    if m and _clean_name(m.group(1)) not in _NOT_SPEAKERS:
        speaker, resolved = _resolve(text, m.group(1), sentence.start + m.start(1))
        return QuoteHint(speaker, resolved, True, "sentence subject")
    return QuoteHint(None, None, False, "none")


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


def hint_number(article: Article, cands: Candidates, number: NumberCandidate) -> NumberHint:
    text = article.text
    sentence = next(s for s in cands.sentences if s.id == number.sentence_id)
    head = number.head
    num_text = text[number.number_start : number.number_end]
    clause = _clause(text, number.start, number.end, sentence.start, sentence.end)
    measure = guess_measure(clause, head, num_text)
    figure = not (head and _NOT_FIGURE_HEADS.search(head)) and not (
        num_text.lower() in {"one", "two"} and head and head.lower() in {"residents", "seats"}
    )
    subject = " ".join(x for x in [head or "", measure.value if measure != Measure.OTHER else ""] if x)
    claimant = None
    for m in _CLAIMANT.finditer(text[sentence.start : sentence.end]):
        name = _clean_name(m.group(1) or m.group(2))
        if ORG_WORDS.search(name) or len(name.split()) >= 2:
            claimant = name
            break
    return NumberHint(figure, measure, subject or num_text, claimant)


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
    rf"((?:[A-Z][\w’'-]+\s+)?(?:[a-z][\w’'-]+\s+){{0,2}}(?:{_ROLE_NOUNS})(?:\s+for\s+"
    rf"[A-Z][\w’'-]+)?),?\s+$"
)


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


_ORG_PHRASE = re.compile(
    r"(?:\b(?:[A-Z][\w’'-]+(?:[’']s)?\s+){0,3}|\b[Tt]he\s+(?:[a-z]+\s+)?)(?:foreign\s+)?"
    r"(?:ministry|government|authorities|army|police|agency|monitor|observatory|council"
    r"|committee|office|forces)\b"
)
_NOT_NAMES = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
              "January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December", "Also", "Read", "Photo"}
MAX_NAMES = 60
_PRONOUN_WORDS = {"he", "she", "they", "we", "i", "it", "you", "his", "her", "their"}


def speaker_names(article: Article, cands: Candidates) -> list[str]:
    """Who could be a speaker, as the article writes them: proper names ('Ali Sheha',
    'France', 'Syrian Observatory for Human Rights') and organisation phrases ("France's
    foreign ministry", "government"), taken from the sentences that hold a quote or a speech
    verb and the sentence before each quote. The model picks a speaker from this list, so it
    cannot write one the article does not contain. In order of first mention, deduplicated."""
    text = article.text
    quote_sentences = {q.sentence_id for q in cands.quotes}
    wanted: list[tuple[int, int]] = []
    for i, s in enumerate(cands.sentences):
        body = text[s.start : s.end]
        if s.id in quote_sentences or re.search(rf"\b(?:{_SPEECH})\b", body):
            wanted.append((s.start, s.end))
            if s.id in quote_sentences and i > 0:
                prev = cands.sentences[i - 1]
                wanted.append((prev.start, prev.end))
    found: dict[str, int] = {}
    for start, end in sorted(set(wanted)):
        body = text[start:end]
        for m in re.finditer(rf"\b({NAME})", body):
            chunk = re.split(r"\.\s|\n", m.group(1))[0]
            words = _clean_name(chunk).split()
            while words and (words[0] in _NOT_SPEAKERS or words[0] in _NOT_NAMES
                             or not words[0][0].isupper()):
                words = words[1:]
            while words and not words[-1][0].isupper():
                words = words[:-1]
            name = " ".join(words).strip(" ,.;:’'")
            if len(name) < 2 or name in _NOT_NAMES or name.lower() in _PRONOUN_WORDS:
                continue
            at = start + m.start()
            sentence_initial = at == start or not body[: m.start()].strip()
            if len(words) == 1 and sentence_initial and not re.match(
                    rf"\s+(?:{_SPEECH})\b", body[m.end():]):
                continue
            found.setdefault(name, at)
        for m in _ORG_PHRASE.finditer(body):
            name = re.sub(r"^[Tt]he\s+", "", m.group(0)).strip()
            if name:
                found.setdefault(name, start + m.start())
    return sorted(found, key=lambda n: (found[n], n))[:MAX_NAMES]


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
) -> tuple[dict[str, QuoteHint], dict[str, NumberHint]]:
    return (
        {q.id: hint_quote(article, cands, q) for q in cands.quotes},
        {n.id: hint_number(article, cands, n) for n in cands.numbers},
    )
