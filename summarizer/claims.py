"""How outlets describe the same person or group, and a check that the descriptions agree.

Figures and quotes are compared by code; a sentence saying "HTS, aligned with the new
government, launched attacks" in one outlet and "a significant setback for Hayat Tahrir
al-Sham" in another cannot be: whether two statements about one actor can both be true is a
judgement. So the work is split the same way as extraction:

1. **Code finds the statements** (:func:`entity_profiles`, deterministic): in every sentence,
   proper names (runs of capitalised words, ``al-`` particles kept) and acronyms; an acronym
   written after a name in parentheses ("Hayat Tahrir al-Sham (HTS)"), or made of a name's
   initials, is that name's alias; names are one entity across the cluster when they are
   aliases or compatible ("Nasser" ~ "Haidar Nasser"). An entity gets a profile when it is
   mentioned by at least two outlets and at least one outlet *describes* it: an appositive or
   relative clause right after the name ("Haidar Nasser, a Lebanese legislator representing
   ...", "Hayat Tahrir al-Sham, the faction responsible for ..."). A profile's statements are,
   per outlet, the sentences that mention the entity: described ones first, then in order, at
   most :data:`MAX_PER_OUTLET`. Profiles are ranked by outlets describing, then outlets
   mentioning, then name.
2. **The model answers one question per profile** (:func:`check_requests`, at most
   ``settings.check_claims`` profiles per cluster): which pairs of statement ids, from
   different outlets, cannot both be true. It writes no text; ids are enums; a pair from one
   outlet is dropped. The prompt is built from the sorted statements, so any article order
   asks the same question.
3. **The reconciler reports** (:func:`summary_claims`): one ``claims[]`` item per profile with
   every statement as a report; status ``contradiction`` when the model named a pair (with a
   conflict quoting both sides, marked as a model judgement to verify), ``compatible`` when it
   was asked and named none, ``unchecked`` when it was not asked (rules backend, over the
   limit, or the call failed), ``single_source`` never (profiles span two outlets).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from summarizer.candidates import find_sentences
from summarizer.models import (
    Article,
    ClaimCheck,
    Conflict,
    Span,
    Status,
    SummaryClaim,
    Usage,
)
from summarizer.normalize import name_key, names_compatible
from summarizer.prompts import render_claims_messages
from summarizer.rules import ORG_WORDS as _ORG_WORDS

MAX_PER_OUTLET = 3
MAX_PAIRS = 3

_NAME_WORD = r"(?:[A-Z][\w’'.-]*|al-[A-Z][\w’'-]*|bin|de|van|von|of|for|the)"
_NAME = re.compile(rf"\b[A-Z][\w’'.-]*(?:[ \t]+{_NAME_WORD}){{0,6}}")
_ACRONYM_AFTER = re.compile(r"\s*\(([A-Z][A-Za-z]{1,9})\)")
_DESCRIPTOR = re.compile(
    r"\s*(?:\([A-Z][A-Za-z]{1,9}\))?,\s+((?:the|a|an|who|which|whose|whom|aligned|backed|led"
    r"|based|known|responsible|representing|once|now|one|formerly|himself|herself)\b[^,;.:]*)"
)
_LEADING = {
    "The", "This", "That", "These", "Those", "It", "In", "On", "At", "As", "But", "And", "Or",
    "Meanwhile", "However", "A", "An", "He", "She", "They", "We", "I", "His", "Her", "Their",
    "Its", "Our", "Some", "Many", "Other", "One", "After", "Before", "Since", "While", "When",
    "If", "According", "Also", "More", "Most", "Residents", "Revenge", "Read", "Photo", "By",
    "For", "From", "With", "Under", "Among", "Following", "During", "Despite", "Local", "Of",
}
_NOT_NAMES = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January",
    "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December", "Mr", "Mrs", "Ms", "Dr",
}


@dataclass(frozen=True)
class Statement:
    """One sentence of one outlet that mentions the entity."""

    id: str  # "A", "B", ... in the profile's sorted order
    span: Span
    described: bool  # an appositive or relative clause describes the entity here


@dataclass(frozen=True)
class Profile:
    entity: str  # the canonical name: the longest multi-word form, else the most frequent
    aliases: tuple[str, ...]
    statements: tuple[Statement, ...]
    described_by: int  # outlets that describe the entity
    mentioned_by: int  # outlets that mention it


_PREFIX = re.compile(r"^[\w’'.]+-(?:based|backed|led|born|run|linked|affiliated|allied)$")


def _clean(name: str) -> str:
    words = re.split(r"[ \t]+", name.strip())
    while words and (words[0] in _LEADING or words[0] in _NOT_NAMES or _PREFIX.match(words[0])
                     or not words[0][:1].isupper()):
        words = words[1:]
    while words and not (words[-1][:1].isupper() or words[-1].startswith("al-")):
        words = words[:-1]
    return " ".join(words).strip(" ,.;:’'").removesuffix("’s").removesuffix("'s")


def _initials(name: str) -> str:
    parts = [w for w in re.split(r"[ \t-]+", name) if w[:1].isupper()]
    return "".join(p[0] for p in parts)


@dataclass
class _Mention:
    name: str
    article_id: str
    sentence: Span
    described: bool


def _mentions(article: Article) -> tuple[list[_Mention], dict[str, str]]:
    """Names in each sentence, whether a clause describes them, and ``(ABBR)`` aliases."""
    text = article.text
    out: list[_Mention] = []
    aliases: dict[str, str] = {}
    midsentence: set[str] = set()
    raw: list[tuple[str, Span, bool, bool]] = []
    for s in find_sentences(article):
        body = text[s.start : s.end]
        span = Span(article_id=article.id, start=s.start, end=s.end, text=body)
        for m in _NAME.finditer(body):
            name = _clean(m.group(0))
            if len(name) < 2 or name in _NOT_NAMES:
                continue
            initial = not body[: m.start()].strip(" \t\"“‘'")
            if not initial:
                midsentence.add(name)
            acronym = _ACRONYM_AFTER.match(body, m.end())
            if acronym:
                aliases[acronym.group(1)] = name
                raw.append((acronym.group(1), span, False, False))
            described = bool(_DESCRIPTOR.match(body, m.end()))
            raw.append((name, span, described, initial))
    for name, span, described, initial in raw:
        single = " " not in name
        if single and initial and name not in midsentence and not name.isupper():
            continue  # a capitalised first word, not a name
        if single and len(name) < 3:
            continue
        out.append(_Mention(name, article.id, span, described))
    return out, aliases


def entity_profiles(articles: Sequence[Article]) -> list[Profile]:
    """Profiles of the entities two or more outlets mention and at least one describes."""
    mentions: list[_Mention] = []
    aliases: dict[str, str] = {}
    for article in sorted(articles, key=lambda a: a.id):
        found, abbr = _mentions(article)
        mentions.extend(found)
        for short, long_ in sorted(abbr.items()):
            aliases.setdefault(short, long_)
    names = sorted({m.name for m in mentions})
    parent = {n: n for n in names}

    def find(n: str) -> str:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    multi = [n for n in names if " " in n]
    for short, long_ in aliases.items():
        if short in parent and long_ in parent:
            union(short, long_)
    for n in names:
        if n.isupper() and 2 <= len(n) <= 6:
            for long_ in multi:
                if _initials(long_) == n:
                    union(n, long_)
    by_key: dict[str, list[str]] = defaultdict(list)
    for n in names:
        by_key[name_key(n).split(" ")[-1] if name_key(n) else n].append(n)
    for group in by_key.values():  # names_compatible needs the same last token
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                # a surname stands for a person ("Nasser" ~ "Haidar Nasser"); an organisation's
                # last word does not ("Rights" is not the Syrian Observatory for Human Rights)
                person = not (_ORG_WORDS.search(a) or _ORG_WORDS.search(b)
                              or re.search(r"\b(?:of|for|the)\b", a + " " + b))
                if name_key(a) == name_key(b) or (person and names_compatible(a, b)):
                    union(a, b)
    groups: dict[str, list[_Mention]] = defaultdict(list)
    for m in mentions:
        groups[find(m.name)].append(m)
    profiles = []
    for members in groups.values():
        outlets = {m.article_id for m in members}
        describing = {m.article_id for m in members if m.described}
        if len(outlets) < 2 or not describing:
            continue
        profiles.append(_profile(members, len(describing), len(outlets)))
    profiles.sort(key=lambda p: (-p.described_by, -p.mentioned_by, p.entity))
    return profiles


def _profile(members: list[_Mention], described_by: int, mentioned_by: int) -> Profile:
    counts = Counter(m.name for m in members)
    entity = sorted(counts, key=lambda n: (" " not in n, -counts[n], -len(n), n))[0]
    chosen: list[tuple[Span, bool]] = []
    by_outlet: dict[str, dict[tuple[int, int], tuple[Span, bool]]] = defaultdict(dict)
    for m in members:
        key = (m.sentence.start, m.sentence.end)
        old = by_outlet[m.article_id].get(key)
        by_outlet[m.article_id][key] = (m.sentence, m.described or bool(old and old[1]))
    for aid in sorted(by_outlet):
        sentences = sorted(by_outlet[aid].values(), key=lambda t: (not t[1], t[0].start))
        chosen.extend(sorted(sentences[:MAX_PER_OUTLET], key=lambda t: t[0].start))
    letters = [_letter(i) for i in range(len(chosen))]
    statements = tuple(Statement(id=letters[i], span=span, described=described)
                       for i, (span, described) in enumerate(chosen))
    return Profile(entity=entity, aliases=tuple(sorted(set(counts) - {entity})),
                   statements=statements, described_by=described_by, mentioned_by=mentioned_by)


def _letter(i: int) -> str:
    return chr(ord("A") + i) if i < 26 else f"A{i}"


# --------------------------------------------------------------------------- the model's check


class ClaimPair(BaseModel):
    first: str
    second: str


class ClaimAnswer(BaseModel):
    """The model's answer: pairs of statement ids that cannot both be true (usually none)."""

    contradictions: list[ClaimPair] = Field(default_factory=list)


@dataclass(frozen=True)
class CheckRequest:
    profile: Profile
    messages: list[dict[str, str]]
    response_model: type[ClaimAnswer]
    schema: dict[str, Any]


def check_requests(profiles: Sequence[Profile], limit: int,
                   prompt_dir: Path | None = None) -> list[CheckRequest]:
    """One request per profile, for the first ``limit`` profiles."""
    out = []
    for profile in profiles[:limit]:
        outlets = {s.span.article_id for s in profile.statements}
        numbers = {aid: n for n, aid in enumerate(sorted(outlets), 1)}
        messages = render_claims_messages({
            "entity": profile.entity, "max_pairs": MAX_PAIRS,
            "aliases": list(profile.aliases),
            "statements": [{"id": s.id, "outlet": numbers[s.span.article_id],
                            "text": " ".join(s.span.text.split())}
                           for s in profile.statements],
        }, prompt_dir)
        ids = [s.id for s in profile.statements]
        schema = {
            "type": "object",
            "properties": {"contradictions": {
                "type": "array", "maxItems": MAX_PAIRS,
                "items": {"type": "object",
                          "properties": {"first": {"type": "string", "enum": ids},
                                         "second": {"type": "string", "enum": ids}},
                          "required": ["first", "second"]}}},
            "required": ["contradictions"],
        }
        out.append(CheckRequest(profile, messages, ClaimAnswer, schema))
    return out


def to_check(request: CheckRequest, answer: ClaimAnswer | None, checked_by: str | None,
             error: str | None = None, usage: Usage | None = None) -> ClaimCheck:
    """The model's answer as data: pairs of statements from different outlets, sorted."""
    by_id = {s.id: s.span for s in request.profile.statements}
    pairs: set[tuple[Span, Span]] = set()
    dropped = 0
    for pair in (answer.contradictions if answer else []):
        a, b = by_id.get(pair.first), by_id.get(pair.second)
        if a is None or b is None or a.article_id == b.article_id:
            dropped += 1
            continue
        pairs.add(tuple(sorted((a, b), key=_span_order)))  # type: ignore[arg-type]
    return ClaimCheck(entity=request.profile.entity, checked_by=checked_by,
                      contradictions=sorted(pairs, key=lambda p: (_span_order(p[0]),
                                                                  _span_order(p[1]))),
                      dropped_pairs=dropped, error=error, usage=usage or Usage())


def _span_order(span: Span) -> tuple[str, int, int]:
    return (span.article_id, span.start, span.end)


# --------------------------------------------------------------------------- into the summary


def summary_claims(profiles: Sequence[Profile],
                   checks: Iterable[ClaimCheck]) -> tuple[list[SummaryClaim], list[Conflict]]:
    """Claims items and their conflicts; profiles not checked are ``unchecked``."""
    by_entity = {c.entity: c for c in checks}
    claims, conflicts = [], []
    for n, profile in enumerate(profiles, 1):
        cid = f"C{n}"
        check = by_entity.get(profile.entity)
        if check is None or check.checked_by is None or check.error:
            status = Status.UNCHECKED
        elif check.contradictions:
            status = Status.CONTRADICTION
        else:
            status = Status.COMPATIBLE
        claims.append(SummaryClaim(
            id=cid, entity=profile.entity, aliases=list(profile.aliases), status=status,
            checked_by=check.checked_by if check else None,
            reports=[s.span for s in profile.statements]))
        if status == Status.CONTRADICTION and check is not None:
            values: dict[str, str] = {}
            for a, b in check.contradictions:
                values.setdefault(a.article_id, a.text)
                values.setdefault(b.article_id, b.text)
            sides = "; ".join(f"“{_short(a.text)}” ({a.article_id}) vs “{_short(b.text)}” "
                              f"({b.article_id})" for a, b in check.contradictions)
            conflicts.append(Conflict(
                item_id=cid, kind=Status.CONTRADICTION,
                subject=f"how outlets describe {profile.entity}", values=dict(sorted(values.items())),
                explanation=f"judged unable to both be true by the model ({check.checked_by}); "
                            f"verify before publishing: {sides}"))
    return claims, conflicts


def _short(text: str, words: int = 18) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")
