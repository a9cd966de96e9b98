"""Deterministic labels for candidates: what a number counts, who claims it, events' parts.

These are the hints shown to the model, the fallback when the model gives nothing usable, and the
whole of the ``rules`` backend (the baseline that shows what the model adds). Who said a quote
is read in :mod:`summarizer.attribution`; :func:`hint_all` gathers both.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace

from summarizer.attribution import Attribution, _first_names, attribute_quotes
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


# a bare span of calendar time ("two months", "15 years", "the eight year span"), not "days of
# clashes" nor a "14-year conflict"
_BARE_TIME = re.compile(
    r"(?i)^(?:year|month|week|day|hour|minute|decade|centur)\w*(?:\s+(?:span|period|stretch))?$"
)
# ... that is a story figure all the same: a sentence or penalty, or how long something lasted
_KEPT_TIME_BEFORE = re.compile(
    r"(?i)\b(?:sentenc\w*|imprison\w*|prison|jail|probation|penalty|faces?|facing|lasted|lasting|took"
    r"|banned|suspended)\b[^.;]{0,40}$"
)
_KEPT_TIME_AFTER = re.compile(
    r"(?i)^[^.;]{0,25}?\b(?:in\s+(?:prison|jail)|behind\s+bars|probation|sentence)\b"
)


# whose sum or rate a number is: "Bush paid ... 36 percent", "the Clintons' rate was 35.7
# percent", "Mr. Bush said his average rate was 36 percent" (a possessive pronoun takes the
# nearest name before it in the sentence)
_HOLDER_VERBS = (r"paid|pays|earned|earns|made|makes|received|receives|gave|gives|donated"
                 r"|donates|spent|spends|owed|owes|raised|raises|reported|reports")
_HOLDER = re.compile(
    r"(?:(?<![\w’'])(?P<name>(?:[A-Z][\w’'-]*\.?\s+){0,2}[A-Z][\w-]*[a-z])"
    rf"(?:[’']s?(?=\s)|\s+(?:(?:have|has|had)\s+)?(?:{_HOLDER_VERBS})\b)"
    r"|\b(?P<pron>his|her|their)\b)"
)
_NAME_RUN = re.compile(r"(?:(?:Mr|Mrs|Ms|Dr)\.\s+)?[A-Z][a-z][\w-]*(?:\s+[A-Z][a-z][\w-]*)*")
_NOT_HOLDERS = frozenset(
    "the a an in on at last this that these those it its he she they we his her their but and"
    " after before when while since during for by as mr mrs ms dr monday tuesday wednesday"
    " thursday friday saturday sunday january february march april may june july august"
    " september october november december".split()
)


@functools.lru_cache(maxsize=1024)  # like role_for: one article's names are asked often
def _holder_name(run: str, text: str) -> str | None:
    """The surname of a name run ("Mr. Bush" -> "Bush", "the Clintons" -> "Clintons") when the
    article shows it is a person's: after a title or a given name somewhere in the text."""
    words = [w for w in re.split(r"\s+", run) if w.rstrip(".").lower() not in _NOT_HOLDERS]
    if not words or ORG_WORDS.search(run):
        return None
    surname = words[-1].rstrip(".’'")
    family = surname[:-1] if surname.endswith("s") and len(surname) > 3 else surname
    for form in dict.fromkeys((surname, family)):
        if re.search(rf"\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov)\.?\s+{re.escape(form)}\b", text):
            return surname
        for m in re.finditer(rf"\b([A-Z][a-z]+)\s+(?:[A-Z]\.\s+|[A-Z][a-z]+\s+)?"
                             rf"{re.escape(form)}\b", text):
            if _first_names().get(m.group(1).lower()):
                return surname
    return None


def number_holder(text: str, sent_start: int, number_start: int) -> str | None:
    """The person whose sum or rate a number is, when the words just before it say so ("Bush
    paid", "the Clintons' rate was", "Mr. Bush said his rate was"); else None (unknown)."""
    left = text[sent_start:number_start]
    found = None
    for m in _HOLDER.finditer(left):
        found = m
    if found is None:
        return None
    tail = left[found.end():]
    if len(tail) > 60 or re.search(r"[.;:,“”\"]|\b[A-Z]", tail):
        return None
    if found.group("name"):
        return _holder_name(found.group("name"), text)
    runs = [r.group(0) for r in _NAME_RUN.finditer(left[: found.start()])]
    return _holder_name(runs[-1], text) if runs else None


# the named thing a sum was paid for or at ("over $10,000 at Best Buy", "a $43,000 Rolex
# watch", "$313.89 on stuffed animals from Build-A-Bear"): a capitalised run in the words after
# the number, up to the next number, an attribution or the end of the sentence
_NAMED_RUN = re.compile(r"(?<![\w’'-])[A-Z][\w’'&-]*(?:\s+(?:of\s+(?:the\s+)?)?[A-Z][\w’'&-]*)*")
_PAID_AT = re.compile(r"(?i)\b(?:at|from|on|to|for|with)\s+(?:the\s+)?$")
_NAMED_END = re.compile(r"(?i),?\s+(?:according\s+to|said|says|the\s+\w+\s+said)\b")


def sum_names(text: str, start: int, end: int, mention_end: int) -> tuple[str, ...]:
    """Named things (not people) a sum is paid at, from, on, to or for in ``text[start:end]``,
    or that its mention holds, normalised ("at the Martha’s Vineyard Holistic Retreat" ->
    "martha's vineyard holistic retreat")."""
    segment = text[start:end]
    cut = _NAMED_END.search(segment)
    segment = segment[: cut.start()] if cut else segment
    names = []
    for m in _NAMED_RUN.finditer(segment):
        before = segment[: m.start()]
        if start + m.start() >= mention_end and before.strip() and not _PAID_AT.search(before):
            continue  # a vendor or payee ("at Best Buy", "a $43,000 Rolex"), not "in New York"
        words = [w for w in m.group(0).split() if w.rstrip(".").lower() not in _NOT_HOLDERS]
        if not words or (len(words) == 1 and len(words[0]) < 3):
            continue
        if _holder_name(" ".join(words), text):
            continue  # a person: many sums name one
        names.append(" ".join(words).lower().replace("’", "'"))
    return tuple(dict.fromkeys(names))


@dataclass(frozen=True)
class NumberHint:
    figure: bool
    measure: Measure
    subject: str
    claimant: str | None
    # a bare span of calendar time ("over those three decades", "two days after"): background
    # unless a second outlet gives it too
    calendar: bool = False
    holder: str | None = None
    named: tuple[str, ...] = ()


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


_MEASURE_WORDS: list[tuple[Measure, str]] = [
    (Measure.KILLED, r"killed|dead|died|slain|executed|massacred|murdered|shot dead|lost their"
                     r" lives|killing|kills|death toll|deaths|toll"),
    (Measure.INJURED, r"injured|wounded|hurt|injuring|wounding"),
    (Measure.MISSING, r"missing|unaccounted"),
    (Measure.DISPLACED, r"fled|displaced|evacuated|displacing|forced from their homes"),
    (Measure.ARRESTED, r"arrested|detained|jailed|arresting|detaining"),
    (Measure.BURIED, r"buried|burying"),
]
# The word right after the counted noun ("31 people killed in ...", "148 militants ... lost
# their lives", "nine children were wounded") or right before the number ("killing at least 14",
# "the death toll rose to 1,000") names the measure before anything else in the clause.
_AFTER = [(m, re.compile(rf"(?i)^\s*(?:(?:who|that)\s+)?(?:(?:were|was|have|has|had|are|been"
                         rf"|being|reportedly|also|all|later)\s+){{0,3}}(?:{w})\b"))
          for m, w in _MEASURE_WORDS]
_BEFORE = [(m, re.compile(rf"(?i)\b(?:{w})(?:\s+(?:rose|climbed|reached|stood|stands|is|was"
                          rf"|has|had|risen|of|to|at|surpassed|topped|exceeded)){{0,3}}\s*$"))
           for m, w in _MEASURE_WORDS]


def near_measure(text: str, start: int, end: int, sent_start: int, sent_end: int
                 ) -> Measure | None:
    """The measure the words touching a number mention name, if any."""
    right = text[end : min(sent_end, end + 60)]
    left = text[max(sent_start, start - 40) : start]
    for measure, pattern in _AFTER:
        if pattern.match(right):
            return measure
    for measure, pattern in _BEFORE:
        if pattern.search(left):
            return measure
    return None


# Two mentions are one list ("745 civilians, 125 members of the security forces and 148
# fighters") when only nouns, commas and these words stand between them.
_LIST_GAP = re.compile(
    r"(?i)^[^.;:!?\d]{0,80}?(?:,|\band\b|\bas well as\b|\bin addition to\b|\bincluding\b"
    r"|\bplus\b)[^.;:!?\d]{0,40}$"
)
_GAP_VERB = re.compile(
    r"(?i)\b(?:said|says|told|reported|were|was|are|is|have|has|had|will|would|fled|killed"
    r"|wounded|injured|arrested|missing|died|buried|displaced|voted|won|lost|spent|paid)\b"
)


def _propagate_lists(text: str, cands: Candidates, hints: dict[str, NumberHint]) -> None:
    """A count without a measure takes the measure of the list it belongs to."""
    by_sentence: dict[str, list[NumberCandidate]] = {}
    for n in cands.numbers:
        by_sentence.setdefault(n.sentence_id, []).append(n)
    for numbers in by_sentence.values():
        if len(numbers) < 2:
            continue
        runs: list[list[NumberCandidate]] = [[numbers[0]]]
        for prev, cur in zip(numbers, numbers[1:]):
            gap = text[prev.end : cur.start]
            if _LIST_GAP.match(gap) and not _GAP_VERB.search(gap):
                runs[-1].append(cur)
            else:
                runs.append([cur])
        for run in runs:
            measures = {hints[n.id].measure for n in run} - {Measure.OTHER, Measure.MONEY}
            if len(measures) != 1:
                continue
            measure = measures.pop()
            for n in run:
                h = hints[n.id]
                if h.measure == Measure.OTHER and h.figure and not is_duration(n.head) \
                        and not _NOT_FIGURE_HEADS.search(n.head or ""):
                    hints[n.id] = replace(h, measure=measure,
                                          subject=f"{h.subject} {measure.value}")


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
    if measure not in (Measure.MONEY,) and not (head and _TIME_HEADS.match(head)):
        measure = near_measure(text, number.start, number.end, sentence.start,
                               sentence.end) or measure
    figure = not (head and _NOT_FIGURE_HEADS.search(head)) and not (
        num_text.lower() in {"one", "two"} and head and head.lower() in {"residents", "seats"}
    )
    words_after = re.match(r"\s+(?:of\s+the\s+)?([\w-]+)(?:\s+([\w-]+))?", text[number.number_end:
                                                                           sentence.end])
    source = next((i for i in (1, 2) if words_after and words_after.group(i)
                   and _SOURCE_NOUNS.match(words_after.group(i))), None)
    after = text[number.number_end + words_after.end(source) : min(sentence.end,
                                                                   number.end + 80)] \
        if source and words_after else ""
    plain = bool(source and words_after and _PLAIN_SOURCES.match(words_after.group(source)))
    if figure and source is not None and measure == Measure.OTHER and (
            _SOURCE_AFTER.match(after) or (plain and _SAID_AFTER.match(after))
            or re.search(r"(?i)according\s+to\s+(?:\w+\s+)?$", text[sentence.start:number.start])):
        figure = False  # anonymous sources
    if figure and _AGE_AFTER_NAME.search(text[max(sentence.start, number.start - 40):number.start]) \
            and re.match(r"\s*,", text[number.number_end:number.number_end + 2]) \
            and num_text.isdigit() and 1 <= int(num_text) <= 120:
        figure = False  # "Mattis, 68, said": an age
    if figure and re.search(r"(?i)\b(?:aged?|ages)\s+(?:of\s+)?$",
                            text[max(sentence.start, number.start - 12):number.start]):
        figure = False  # "at age 75": an age
    counted = counted_subject(text, number, sentence.start, sentence.end,
                              measure == Measure.MONEY)
    if figure and counted is None and measure == Measure.OTHER:
        figure = False  # nothing says what is counted: "238", "four"
    subject = " ".join(x for x in [counted or "", measure.value if measure != Measure.OTHER
                                   and (measure != Measure.MONEY or not counted) else ""] if x)
    claimants = {} if _claimants is None else _claimants
    if sentence.id not in claimants:
        claimants[sentence.id] = _sentence_claimant(text[sentence.start : sentence.end])
    calendar = bool(
        figure and measure == Measure.OTHER
        and _BARE_TIME.match(text[number.number_end:number.end].strip(" -"))
        and " of " not in f" {counted or ''} "
        and not _KEPT_TIME_BEFORE.search(text[max(sentence.start, number.start - 60):number.start])
        and not _KEPT_TIME_AFTER.match(text[number.end:sentence.end]))
    holder = number_holder(text, sentence.start, number.start) if figure and measure in (
        Measure.MONEY, Measure.OTHER) else None
    named: tuple[str, ...] = ()
    if figure and measure == Measure.MONEY:
        after = [n.start for n in cands.numbers
                 if n.sentence_id == number.sentence_id and n.start >= number.end]
        named = sum_names(text, number.number_end, min([sentence.end, number.end + 100, *after]),
                          number.end)
    return NumberHint(figure, measure, subject or num_text, claimants[sentence.id], calendar,
                      holder, named)


_FUNCTION = {
    "the", "a", "an", "of", "in", "on", "at", "to", "for", "from", "by", "with", "and", "or",
    "but", "as", "than", "more", "less", "that", "which", "who", "this", "these", "those", "its",
    "their", "his", "her", "our", "some", "about", "nearly", "almost", "over", "under", "up",
    "is", "was", "were", "are", "be", "been", "has", "had", "have", "will", "would", "could",
    "should", "may", "might", "it", "he", "she", "they", "we", "i", "you", "also", "just",
    "only", "each", "per", "all", "least", "most", "around", "roughly", "approximately",
    "estimated", "another", "other", "there", "here", "so", "not", "no", "if", "when", "while",
    "between", "among", "against", "after", "before", "during", "since", "into", "through",
    "across", "near", "within", "without", "amid", "toward", "towards", "including", "like",
}
_VERBISH = re.compile(
    r"(?i)^(?:said|says|say|told|tells|held|met|meet|voted|vote|won|win|lost|lose|spent|spend"
    r"|paid|pay|cost|costs|rose|risen|rise|fell|fall|fallen|reached|reach|stood|stands|stand"
    r"|totaled|totalled|topped|hit|hits|got|get|gets|gave|give|made|make|took|take|went|go"
    r"|came|come|asked|ask|think|thinks|thought|know|knows|knew|want|wants|need|needs|see|saw"
    r"|seen|expect|expects|show|shows|showed|found|find|put|set|cut|raise|raised|added|add"
    r"|\w+ed|\w+ing)$"
)
_WORD_RE = re.compile(r"[A-Za-z][\w’'&.-]*[A-Za-z]|[A-Za-z]")
_OF_PHRASE = re.compile(r"\s+(of|for|in|on|to|at|from)\s+((?:the|a|an|their|his|her|its)\s+)?"
                        r"((?:\d[\d,]*\s+)?(?:[A-Za-z][\w’'-]*\s+){0,3}[A-Za-z][\w’'-]*)")


_MODALS = {"must", "can", "could", "will", "would", "shall", "should", "may", "might", "to"}


def _noun_phrase(words: list[str]) -> str:
    """The last run of content words (a noun phrase, roughly) in a list of words."""
    out: list[str] = []
    for w in reversed(words):
        lower = w.lower()
        if lower in _FUNCTION or _VERBISH.match(w):
            if out:
                break
            continue
        out.append(w)
        if len(out) == 3:
            break
    return " ".join(reversed(out))


_COUNT_WORDS = frozenset(
    "a an the of one two three four five six seven eight nine ten eleven twelve thirteen"
    " fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty"
    " seventy eighty ninety hundred thousand million billion trillion dozen dozens hundreds"
    " thousands millions billions half quarter third".split()
)
# "expanding from seven to eight the field of Republican-held seats": the noun phrase after
_THE_AFTER = re.compile(r"\s+the\s+([a-z][\w-]*(?:\s+of\s+[\w-]+(?:\s+[\w-]+)?)?)")


def counted_subject(text: str, number: NumberCandidate, sent_start: int, sent_end: int,
                    money: bool) -> str | None:
    """:func:`_counted_subject`, never a subject that is only a number ("four" of "four of Mr.
    Trump's trips", "seven" of "from seven to eight"): then the noun phrase just after the
    number ("... eight the field of seats" -> "field of seats"), else ``None``."""
    subject = _counted_subject(text, number, sent_start, sent_end, money)
    if subject is None or any(w.lower() not in _COUNT_WORDS
                              for w in re.findall(r"[A-Za-z]+", subject)):
        return subject
    m = _THE_AFTER.match(text, number.end, sent_end)
    return m.group(1) if m else None


def _counted_subject(text: str, number: NumberCandidate, sent_start: int, sent_end: int,
                     money: bool) -> str | None:
    """What a number counts, from the words around it: the counted noun and its "of" phrase
    ("125 members of the security forces" -> "members of the security forces"), else for money
    and rates what it is for or of ("$5.7 billion for a border wall" -> "border wall"), else the
    noun phrase the number is said of ("The death toll ... rose to 1,000" -> "death toll";
    "Romney at 17 percent" -> "Romney"). ``None`` when nothing but the number is there."""
    head = number.head
    if head and not _VERBISH.match(head) and head.lower() not in _FUNCTION:
        phrase = head
        m = _OF_PHRASE.match(text, number.end, sent_end)
        if m and m.group(1) == "of":
            tail = _noun_phrase_forward(m.group(3).split())
            if tail:
                phrase = f"{head} of {(m.group(2) or '')}{tail}".replace("  ", " ")
        return phrase
    # "$9.68 million in 2013 for 41 speeches": the year between the sum and what it is for
    dated = re.match(r"\s+(?:in|during)\s+(?:1[89]|20)\d\d\b", text[number.end : sent_end])
    m = _OF_PHRASE.match(text, number.end + (dated.end() if dated else 0), sent_end)
    if m and (money or m.group(1) == "of"):
        tail = _noun_phrase_forward(m.group(3).split())
        if tail:
            return tail
    left = text[sent_start : number.start]
    parts = re.split(r"[;:(“”\"]|,\s+(?:and|but|while|which|who)\b", left)
    # "the Clintons' 2014 tax rate: 30 percent": the colon gives the value of what precedes it
    left = parts[-2] if len(parts) > 1 and not parts[-1].strip() and left.rstrip().endswith(":") \
        else parts[-1]
    # "the rate for 2014 was 35.7 percent": a dating phrase between the noun and the link
    left = _DATING.sub("", left)
    words = _WORD_RE.findall(left)[-8:]
    links = 0
    while words and words[-1].lower() in _LINKS and links < 3:
        words.pop()
        links += 1
    if not words or words[-1].lower() in _FUNCTION or _VERBISH.match(words[-1]) \
            or (len(words) > 1 and words[-2].lower() in _MODALS):
        return None  # the number is not said of a noun right before it ("must forfeit $X")
    phrase = _noun_phrase(words)
    return phrase or None


_DATING = re.compile(r"\s+(?:in|for|during)\s+(?:1[89]|20)\d\d\b(?=\s+\w+\s*$)")
# Words that may stand between a noun and the number said of it: "turnout was 60 percent",
# "Romney at 17 percent", "a deficit of $1.3 billion", "the toll rose to 31".
_LINKS = {
    "is", "was", "were", "are", "at", "to", "of", "reached", "stood", "stands", "rose",
    "risen", "has", "had", "have", "totaled", "totalled", "topped", "hit", "with", "cost",
    "costs", "worth", "by", "about", "nearly", "almost", "some", "around", "roughly", "than",
    "more", "less", "over", "under", "least", "just", "only", "surpassed", "exceeded",
    "climbed", "jumped", "fell", "dropped", "increased", "decreased", "grew", "now", "received",
    "got", "won", "earned", "raised", "spent", "paid", "an", "estimated", "a", "the", "came",
    "back", "remained", "amounted", "equal", "equaled", "be", "been",
}


def _noun_phrase_forward(words: list[str]) -> str:
    """The content words from the start, joined through "and"/"or" ("state and local taxes")."""
    out: list[str] = []
    gerund = False
    for i, w in enumerate(words):
        lower = w.lower()
        if i == 0 and re.fullmatch(r"[a-z]{2,}[^e\W]ing", lower) and lower not in _ING_NOUNS:
            # "$4 billion to hiring more police officers": what the sum pays for is an act
            out.append(w)
            gerund = True
            continue
        if gerund and lower in {"more", "new", "additional", "extra"}:
            out.append(w)
            continue
        if lower in {"and", "or"} and out and i + 1 < len(words) \
                and words[i + 1].lower() not in _FUNCTION and not _VERBISH.match(words[i + 1]):
            out.append(w)
            continue
        if lower in _FUNCTION or (_VERBISH.match(w) and not (i == 0 and lower in _ING_NOUNS)):
            break
        out.append(w)
    return " ".join(out)


# words in -ing that name what a sum is for ("$5 billion for funding for a wall")
_ING_NOUNS = frozenset(
    "funding spending financing housing training building marketing advertising lobbying polling"
    " shipping clothing catering consulting policing schooling healthcare boarding".split()
)


# "two officials familiar with", "one person close to", "three people who spoke on condition of
# anonymity": a count of anonymous sources, not a story figure.
_SOURCE_NOUNS = re.compile(
    r"(?i)^(?:officials?|sources?|people|persons?|aides?|advisers?|advisors?|diplomats?"
    r"|staffers?|lawmakers?|members?|officers?|executives?|employees?|democrats?|republicans?"
    r"|senators?)$"
)
_ANONYMITY = (r"familiar\s+with|close\s+to|who\s+(?:spoke|requested|asked|were\s+not\s+authorized"
              r"|was\s+not\s+authorized|insisted)|speaking\s+on\s+(?:the\s+)?condition|briefed\s+on"
              r"|with\s+knowledge|not\s+authorized")
# a plain "said" marks a source count only after the usual anonymous-source nouns ("two
# officials said"); "12 Republican senators said they would vote no" is a count that matters
_SOURCE_AFTER = re.compile(rf"(?i)^[\w\s,-]{{0,40}}?\b(?:{_ANONYMITY})\b")
_SAID_AFTER = re.compile(r"(?i)^[\w\s,-]{0,20}?\b(?:said|say|says|told)\b")
_PLAIN_SOURCES = re.compile(r"(?i)^(?:officials?|sources?|people|persons?|aides?|diplomats?)$")
_AGE_AFTER_NAME = re.compile(r"[A-Z][\w’'-]+,\s*$")


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
# month names as written, capitalised ("a major march", "may" are no dates)
_MONTH = (r"(?-i:January|February|March|April|May|June|July|August|September|October|November"
          r"|December)")
# "the 17 February Brigade", "the March 14 Alliance": a name, not a date
_NOT_AFTER_DATE = r"(?!\s+(?-i:Brigade|Alliance|Movement|Revolution|Coalition|Party|Group|Front))"
WHEN = re.compile(
    rf"(?i)\b(?:(?:(?:early|late)\s+(?:on\s+)?|on\s+|by\s+|since\s+|last\s+)?(?:{_DAY}"
    rf"(?:\s+(?:morning|afternoon|evening|night))?|{_MONTH}\s+\d{{1,2}}(?:,\s+\d{{4}})?"
    rf"{_NOT_AFTER_DATE}|(?<![/\d])\d{{1,2}}\s+{_MONTH}(?:\s+\d{{4}})?{_NOT_AFTER_DATE})"
    rf"|the\s+(?:day|night)\s+before|the\s+previous"
    rf"\s+(?:day|night)|yesterday|today|last\s+(?:week|month|year)"
    rf"|(?:(?:earlier|later)\s+)?this\s+week|(?:(?:early|late|mid-?)\s*"
    rf"|in\s+)?{_MONTH},?\s+\d{{4}}|(?:early|late|mid-?)\s*{_MONTH}"
    rf"|(?:one|two|three|four|five|six|seven|eight|nine|ten|\d+)\s+(?:days?|weeks?"
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
    r"|added|told))\b(?!\s+(?:that|on\s+\w+\s+that)\b)[^.“”\"]{0,60}|,\s*said\s+[^.“”\"]{0,60})"
    r"(?=[.!?]?[”\"]?\s*$)"
)


_ATTRIBUTION_HEAD = re.compile(
    r"^(?:(?:As|as)\s+reported\s+by|According\s+to|Citing)\s+[^,]{2,60},\s+(?=\S)"
)


def event_description(sentence: str, words: int = 30) -> str:
    """A timeline line from an event sentence, by code: the sentence without its attribution
    tail (", according to …", ", X said"), cut at ``words`` words."""
    body = " ".join(sentence.split())
    body = _ATTRIBUTION_HEAD.sub("", body, count=1)
    if body[:1].islower():
        body = body[0].upper() + body[1:]
    cut = _ATTRIBUTION_TAIL.sub("", body).rstrip(" ,;:")
    if says_what_happened(cut):  # not when the "tail" was the clause itself
        body = cut
    parts = body.split()
    if len(parts) > words:
        return " ".join(parts[:words]) + " …"
    return body


# participles that describe rather than tell ("based in the UK", "a man named X")
_STATIVE = (r"(?:based|located|named|called|dubbed|titled|aged|related|concerned|supposed|used"
            r"|accused|alleged|armed|detailed|united|red)\b")


def says_what_happened(sentence: str) -> bool:
    """A sentence is an event only with a clause beyond its time expression: a verb and at least
    three content words once the time words are gone ("Also on Thursday." and "In his resignation
    letter Thursday, Mattis, 68." are not events)."""
    body = WHEN.sub(" ", _ATTRIBUTION_HEAD.sub("", sentence.strip(), count=1))
    words = [w for w in re.findall(r"[A-Za-z][\w’'-]*", body) if w.lower() not in _FUNCTION]
    verb = re.search(r"(?i)\b(?:(?!" + _STATIVE + r")\w+ed|says|said|was|were|is|are|has|had"
                     r"|will|met|won|lost|began|fled|held|took|made|went|came|left|rose|fell"
                     r"|hit|saw|told|gave|got|put|set|ran|led|quit|cut|shot|spoke|wrote|sent"
                     r"|sought|fought|broke)\b", body)
    return len(words) >= 3 and verb is not None


_PAST_ACTION = re.compile(
    r"(?i)\b(?:(?!" + _STATIVE + r")\w{3,}ed|fled|held|took|made|went|came|left|rose|fell|hit"
    r"|saw|gave|got|put|set|ran|led|quit|cut|shot|wrote|sent|sought|fought|broke|won|lost|began"
    r"|met|paid|sold|struck|drew"
    r"|threw|became|stole|hid|fired|built|brought|bought|caught|chose|drove|froze|grew|knew|lay"
    r"|slew|spent|stood|swore|taught|tore|woke|wore)\b")
_SPEECH = re.compile(r"(?i)\b(?:said|says|say|told|tells|according|asked|added|wrote)\b")


def tells_a_happening(sentence: str) -> bool:
    """An undated sentence that may be a timeline event: it says what happened
    (:func:`says_what_happened`) with a verb in the past tense, and is not a report of speech
    (no said/told/according to). Such a sentence enters the timeline only when
    another outlet reports the same happening (:func:`summarizer.reconcile.reconcile_events`)."""
    body = WHEN.sub(" ", sentence)
    return (says_what_happened(sentence) and _PAST_ACTION.search(body) is not None
            and _SPEECH.search(body) is None)


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
    _propagate_lists(article.text, cands, numbers)
    return quotes, numbers
