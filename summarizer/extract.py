"""One article -> a grounded :class:`ArticleExtraction`.

candidates (code) -> hints (code) -> prompt -> labels (model, by id) -> grounding gate.
Every kept item carries spans with ``text == article.text[start:end]``; whatever cannot be
grounded goes to ``rejected`` with a reason. Nothing the model wrote becomes quote or figure text.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import functools
import re
from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError, model_validator

from summarizer import rules
from summarizer.attribution import Attribution, anonymous, clean_role, speaker_names
from summarizer.budget import Budget, TimeBudgetExceeded, check_deadline
from summarizer.candidates import find_candidates
from summarizer.config import Settings
from summarizer.errors import ExtractionError, LLMError, redact
from summarizer.llm import LabelClient, acall, client_for
from summarizer.models import (
    Article,
    ArticleExtraction,
    ArticleLabels,
    Candidates,
    EventLabel,
    ExtractedEvent,
    ExtractedFigure,
    ExtractedQuote,
    Measure,
    ModelAnswer,
    NumberAsk,
    NumberLabel,
    QuoteAsk,
    QuoteLabel,
    Rejected,
    Span,
    Usage,
)
from summarizer.normalize import points_forward, points_soon, resolve_date, to_quantity
from summarizer.prompts import render_messages

MAX_EVENTS = 4  # event ids the model may pick per call (when it is offered choices)
EVENT_CHOICE_WORDS = 18  # an offered sentence is shown up to this many words
QUOTE_WORDS = 8  # a quotation in a shown sentence is cut after this many words
NUMBER_WINDOW = 12  # words shown on either side of an asked number
_CHARS_PER_TOKEN = 3.0  # conservative for English news text
_PROMPT_OVERHEAD_TOKENS = 450


# --------------------------------------------------------------------------- what code decides


@dataclass
class Plan:
    """Labels code is sure of, and the ids left for the model.

    Code decides whether a quoted span is a direct quote at all, and its speaker whenever a
    cue in its sentence names someone or points at someone it can resolve
    (:mod:`summarizer.attribution`); the model is asked only who said the rest. Code decides a
    number when its clause names the measure (killed, injured, …), when it is a duration ("two
    days of clashes", "14-year conflict": a figure of measure other) or when its head rules it
    out (ages, distances, seats). The model labels the rest and picks the event sentences. This
    keeps the model's answer short: on the embedded model every generated token costs ~65 ms.
    """

    quotes: dict[str, QuoteLabel] = field(default_factory=dict)
    numbers: dict[str, NumberLabel] = field(default_factory=dict)
    ask_quotes: list[str] = field(default_factory=list)
    ask_numbers: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)  # speakers the model may choose from
    event_choices: list[str] = field(default_factory=list)  # sentence ids the model may pick


def plan(
    article: Article,
    cands: Candidates,
    qhints: dict[str, Attribution],
    nhints: dict[str, rules.NumberHint],
    event_choices: int = 0,
) -> Plan:
    """What code decides, what the model is asked, and the first ``event_choices`` undated
    sentences it may pick as events (``Settings.event_choices``; 0 by default)."""
    out = Plan()
    for q in cands.quotes:
        att = qhints[q.id]
        if not att.direct or att.confident or anonymous(att):
            out.quotes[q.id] = QuoteLabel(id=q.id, direct=att.direct, speaker=att.speaker,
                                          role=_role(article, att))
        else:
            out.ask_quotes.append(q.id)
    if out.ask_quotes:
        out.names = speaker_names(article.text, cands)
    for n in cands.numbers:
        nh = nhints[n.id]
        if not nh.figure or nh.measure != Measure.OTHER or rules.is_duration(n.head):
            out.numbers[n.id] = NumberLabel(id=n.id, figure=nh.figure, measure=nh.measure,
                                            subject=nh.subject, claimant=nh.claimant)
        else:
            out.ask_numbers.append(n.id)
    out.event_choices = _event_choices(article, cands, event_choices)
    return out


def _event_choices(article: Article, cands: Candidates, limit: int) -> list[str]:
    """The sentences the model may pick as events: the first ``limit`` that say what happened
    and carry no time expression. A dated sentence is an event by code already
    (:func:`answer_to_labels`), so offering it would only cost prompt tokens."""
    choices: list[str] = []
    if limit <= 0:
        return choices
    for s in cands.sentences:
        body = article.text[s.start : s.end]
        if (rules.event_when(body) or not rules.says_what_happened(body)
                or body.rstrip(" ”\"'’").endswith("?")):  # a question reports nothing
            continue
        choices.append(s.id)
        if len(choices) == limit:
            break
    return choices


# --------------------------------------------------------------------------- response models


def _role(article: Article, att: Attribution) -> str | None:
    if att.role:
        return att.role
    return clean_role(rules.role_for(article.text, att.speaker)) if att.speaker else None


def _asked(cands: Candidates, the_plan: Plan) -> tuple[list[str], list[str]]:
    """The quote and number ids the model is asked about in this part of the article."""
    present_q = {q.id for q in cands.quotes}
    present_n = {n.id for n in cands.numbers}
    return ([i for i in the_plan.ask_quotes if i in present_q],
            [i for i in the_plan.ask_numbers if i in present_n])


def _choices(cands: Candidates, the_plan: Plan) -> list[str]:
    """The event choices in this part of the article."""
    present = {s.id for s in cands.sentences}
    return [i for i in the_plan.event_choices if i in present]


def needs_model(cands: Candidates, the_plan: Plan) -> bool:
    """Whether this part holds anything for the model: an id to label or a sentence to pick."""
    ask_q, ask_n = _asked(cands, the_plan)
    return bool(ask_q or ask_n or _choices(cands, the_plan))


def checked_answer_model(cands: Candidates, the_plan: Plan) -> type[ModelAnswer]:
    """ModelAnswer whose validator demands every asked id labelled exactly once."""
    quote_ids, number_ids = _asked(cands, the_plan)
    sentence_ids = set(_choices(cands, the_plan))

    class CheckedAnswer(ModelAnswer):
        @model_validator(mode="after")
        def _every_id_once(self) -> CheckedAnswer:
            problems = []
            for kind, expected, got in (
                ("quote", quote_ids, [q.id for q in self.quotes]),
                ("number", number_ids, [n.id for n in self.numbers]),
            ):
                unknown = sorted(set(got) - set(expected))
                missing = [i for i in expected if i not in got]
                dupes = sorted({i for i in got if got.count(i) > 1})
                if unknown:
                    problems.append(f"unknown {kind} ids {unknown}")
                if missing:
                    problems.append(f"{kind} ids not labelled: {missing}")
                if dupes:
                    problems.append(f"{kind} ids labelled twice: {dupes}")
            bad = sorted(set(self.events) - sentence_ids)
            if bad:
                problems.append(f"unknown sentence ids {bad}")
            if problems:
                raise ValueError("; ".join(problems))
            return self

    CheckedAnswer.__name__ = "ModelAnswer"
    CheckedAnswer.__qualname__ = "ModelAnswer"
    return CheckedAnswer


def server_schema(cands: Candidates, the_plan: Plan) -> dict[str, Any]:
    """The JSON schema sent for constrained decoding: ids are enums, lists are capped.

    Capping list lengths stops a small model looping until max_tokens; string lengths are left
    free because length limits blow up llama.cpp's grammar.
    """
    schema = copy.deepcopy(ModelAnswer.model_json_schema())
    defs = schema["$defs"]
    for name in ("QuoteAsk", "NumberAsk"):
        defs[name]["required"] = list(defs[name]["properties"])
    quote_ids, number_ids = _asked(cands, the_plan)
    defs["QuoteAsk"]["properties"]["id"] = {"enum": quote_ids or ["Q0"], "type": "string"}
    # the speaker is one of the names code found near quotes and speech verbs, or null
    defs["QuoteAsk"]["properties"]["speaker"] = {"enum": [*the_plan.names, None]}
    defs["NumberAsk"]["properties"]["id"] = {"enum": number_ids or ["N0"], "type": "string"}
    props = schema["properties"]
    props["events"]["items"] = {"enum": _choices(cands, the_plan) or ["S0"],
                                "type": "string"}
    props["quotes"]["minItems"] = props["quotes"]["maxItems"] = len(quote_ids)
    props["numbers"]["minItems"] = props["numbers"]["maxItems"] = len(number_ids)
    props["events"]["maxItems"] = MAX_EVENTS if _choices(cands, the_plan) else 0
    schema["required"] = ["quotes", "numbers", "events"]
    for prop in props.values():
        prop.pop("default", None)
    for definition in defs.values():
        for prop in definition.get("properties", {}).values():
            prop.pop("default", None)
    return schema


def _quoted_share(cands: Candidates, start: int, end: int) -> float:
    """How much of ``[start, end)`` lies inside quotation candidates."""
    inside = sum(max(0, min(q.end, end) - max(q.start, start)) for q in cands.quotes)
    return inside / max(1, end - start)


def answer_to_labels(
    article: Article, cands: Candidates, the_plan: Plan, answer: ModelAnswer
) -> ArticleLabels:
    """Code's decisions + the model's answer -> labels for the grounding gate.

    An event is a sentence with a time expression (the backbone of a timeline) or one the
    model picked from the undated choices, in article order; its description, date and place
    are read from that sentence by code (the sentence without its attribution tail, the first
    time expression, the first "in/near Place"). Any other undated sentence that tells a
    happening (:func:`rules.tells_a_happening`, less than a third of it quoted) is proposed
    too, marked ``needs_corroboration``: the reconciler keeps it only when another outlet
    reports the same happening.
    """
    text = article.text
    present_q = {q.id for q in cands.quotes}
    present_n = {n.id for n in cands.numbers}
    quotes = [label for i, label in the_plan.quotes.items() if i in present_q]
    for ask in answer.quotes:
        role = clean_role(rules.role_for(text, ask.speaker)) if ask.speaker else None
        quotes.append(QuoteLabel(id=ask.id, direct=True, speaker=ask.speaker, role=role))
    numbers = [label for i, label in the_plan.numbers.items() if i in present_n]
    for ask in answer.numbers:
        numbers.append(NumberLabel(id=ask.id, figure=ask.figure, measure=ask.measure))
    events = []
    dated = [s.id for s in cands.sentences if rules.event_when(text[s.start : s.end])]
    picked = set(answer.events) | set(dated)
    for s in cands.sentences:  # in article order
        body = text[s.start : s.end]
        if s.id in picked:
            if not rules.says_what_happened(body):
                continue  # "Also on Thursday.", "Last week.": a day, no happening
            if _quoted_share(cands, s.start, s.end) > 0.8:
                continue  # "“Today’s indictment is a reminder ...”": a statement, not a happening
            proposed = False
        elif rules.tells_a_happening(body) and _quoted_share(cands, s.start, s.end) <= 0.3:
            proposed = True
        else:
            continue
        events.append(EventLabel(what=rules.event_description(body), when=rules.event_when(body),
                                 where=rules.event_where(body), sentences=[s.id],
                                 needs_corroboration=proposed))
    return ArticleLabels(quotes=quotes, numbers=numbers, events=events)


# --------------------------------------------------------------------------- prompt variables


def _preview(text: str, words: int = 8) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def _quote_hint_text(hint: Attribution) -> str:
    return f"maybe {hint.speaker}" if hint.speaker else ""


def prompt_variables(
    article: Article,
    cands: Candidates,
    qhints: dict[str, Attribution],
    the_plan: Plan,
) -> dict[str, Any]:
    """The sentences the model needs, numbered as in the article, with [Qn]/[Nn] markers.

    Only what the model is asked about is shown, since every prompt token costs ~15 ms on the
    embedded model and most of an article is decided by code:

    - a sentence with an asked quote, with the two sentences before it and the one after
      (where its speaker is often named); quoted words past the first
      :data:`QUOTE_WORDS` are cut, the speaker is never inside them;
    - a sentence with an asked number, cut to :data:`NUMBER_WINDOW` words on either side;
    - the event choices, cut to :data:`EVENT_CHOICE_WORDS` words.
    """
    text = article.text
    ask_q, ask_n = _asked(cands, the_plan)
    choices = set(_choices(cands, the_plan))
    markers: dict[int, list[str]] = {}
    whole: set[str] = set()  # shown for a quote: kept whole
    windowed: set[str] = set()  # shown for a number only: a window around it
    position = {s.id: k for k, s in enumerate(cands.sentences)}
    by_id = {q.id: q for q in cands.quotes} | {n.id: n for n in cands.numbers}
    for ident in ask_q:
        item = by_id[ident]
        markers.setdefault(item.start, []).append(f"[{ident}]")
        k = position.get(item.sentence_id, 0)
        whole.update(s.id for s in cands.sentences[max(k - 2, 0) : k + 2])
    for ident in ask_n:
        item = by_id[ident]
        markers.setdefault(item.start, []).append(f"[{ident}]")
        windowed.add(item.sentence_id)
    sentences = []
    for s in cands.sentences:
        if s.id not in whole and s.id not in windowed and s.id not in choices:
            continue
        words = _sentence_words(text, s, markers, cands.quotes)
        if s.id in windowed and s.id not in whole:
            words = _windows(words, NUMBER_WINDOW)
        elif s.id not in whole and len(words) > EVENT_CHOICE_WORDS:  # an event choice only
            words = [*words[:EVENT_CHOICE_WORDS], "…"]
        sentences.append({"id": s.id, "text": " ".join(words)})
    return {
        "published": article.published.isoformat() if article.published else None,
        "sentences": sentences,
        "quotes": [
            {"id": i, "sentence_id": by_id[i].sentence_id,
             "preview": _preview(text[by_id[i].start : by_id[i].end]),
             "hint": _quote_hint_text(qhints[i])}
            for i in ask_q
        ],
        "numbers": [
            {"id": i, "sentence_id": by_id[i].sentence_id,
             "text": text[by_id[i].start : by_id[i].end]}
            for i in ask_n
        ],
        "event_choices": _choices(cands, the_plan),
        "max_events": MAX_EVENTS,
        "names": the_plan.names,
    }


def _sentence_words(text: str, s: Any, markers: dict[int, list[str]],
                    quotes: list[Any]) -> list[str]:
    """A sentence's words with the id markers in place and long quotations cut short."""
    edits: list[tuple[int, int, str]] = [
        (pos, pos, "".join(ids)) for pos, ids in markers.items() if s.start <= pos < s.end]
    for q in quotes:
        inside = s.start <= q.start and q.end <= s.end
        if inside and len(text[q.start : q.end].split()) > QUOTE_WORDS:
            edits.append((q.start, q.end, _preview(text[q.start : q.end], QUOTE_WORDS)))
    pieces, cursor = [], s.start
    for begin, finish, replacement in sorted(edits, key=lambda e: (e[0], e[1])):
        if begin < cursor:  # overlapping quote candidates: the first one's cut stands
            continue
        pieces.append(text[cursor:begin])
        pieces.append(replacement)
        cursor = finish
    pieces.append(text[cursor : s.end])
    return "".join(pieces).split()


def _windows(words: list[str], width: int) -> list[str]:
    """The words within ``width`` of a number marker, "…" where words were left out."""
    keep = [False] * len(words)
    for k, word in enumerate(words):
        if "[N" in word:
            for j in range(max(k - width, 0), min(k + width + 1, len(words))):
                keep[j] = True
    out: list[str] = []
    for k, word in enumerate(words):
        if keep[k]:
            out.append(word)
        elif not out or out[-1] != "…":
            out.append("…")
    return out


def split_candidates(cands: Candidates, budget_chars: int) -> list[Candidates]:
    """Split on sentence boundaries so each part's prompt fits the context; ids are kept."""
    parts: list[Candidates] = []
    current: list = []
    size = 0
    for s in cands.sentences:
        length = s.end - s.start + 8
        if current and size + length > budget_chars:
            parts.append(_subset(cands, current))
            current, size = [], 0
        current.append(s)
        size += length
    if current or not parts:
        parts.append(_subset(cands, current))
    return parts


def _subset(cands: Candidates, sentences: list) -> Candidates:
    ids = {s.id for s in sentences}
    return Candidates(
        article_id=cands.article_id,
        sentences=sentences,
        quotes=[q for q in cands.quotes if q.sentence_id in ids],
        numbers=[n for n in cands.numbers if n.sentence_id in ids],
    )


# --------------------------------------------------------------------------- rules-only labels

def rules_labels(
    article: Article,
    cands: Candidates,
    qhints: dict[str, Attribution],
    nhints: dict[str, rules.NumberHint],
    the_plan: Plan,
) -> ArticleLabels:
    """The baseline: deterministic labels only (no model).

    Code's decisions from ``the_plan`` stand; the ids it left open take the rules' hints (the
    attribution found, if any; the hinted figure and measure). Events are the sentences with a
    time expression, which :func:`answer_to_labels` adds for every backend.
    """
    answer = ModelAnswer(
        quotes=[QuoteAsk(id=i, speaker=qhints[i].speaker) for i in the_plan.ask_quotes],
        numbers=[NumberAsk(id=i, figure=nhints[i].figure, measure=nhints[i].measure)
                 for i in the_plan.ask_numbers],
        events=[],
    )
    return answer_to_labels(article, cands, the_plan, answer)


# --------------------------------------------------------------------------- grounding


def _span(article: Article, start: int, end: int) -> Span:
    return Span(article_id=article.id, start=start, end=end, text=article.text[start:end])


@functools.lru_cache(maxsize=64)
def _tokens(text: str) -> frozenset[str]:
    """The article's lowercase word set (memoised: asked once per name to ground)."""
    return frozenset(re.findall(r"[a-z0-9]+", text.lower()))


def grounded_name(article: Article, name: str | None) -> bool:
    """A speaker or claimant is grounded when its words occur in the article."""
    if not name or not name.strip():
        return False
    words = [w for w in re.findall(r"[a-z0-9]+", name.lower()) if len(w) > 2]
    text = _tokens(article.text)
    return bool(words) and all(w in text for w in words)


def _speaker_kind(name: str) -> str:
    return "organisation" if rules.ORG_WORDS.search(name) else "person"


def ground(
    article: Article,
    cands: Candidates,
    labels: ArticleLabels,
    qhints: dict[str, Attribution],
    nhints: dict[str, rules.NumberHint],
    labelled_by: str,
    decided: frozenset[str] = frozenset(),
) -> tuple[list[ExtractedQuote], list[ExtractedFigure], list[ExtractedEvent], list[Rejected]]:
    text = article.text
    rejected: list[Rejected] = []
    quotes_by_id = {q.id: q for q in cands.quotes}
    numbers_by_id = {n.id: n for n in cands.numbers}
    sentences_by_id = {s.id: s for s in cands.sentences}

    quotes = []
    for label in labels.quotes:
        check_deadline()
        cand = quotes_by_id.get(label.id)
        if cand is None:
            rejected.append(Rejected(kind="quote", article_id=article.id, candidate_id=label.id,
                                     reason="unknown_id"))
            continue
        hint = qhints[cand.id]
        if not label.direct:
            rejected.append(Rejected(kind="quote", article_id=article.id, candidate_id=label.id,
                                     reason="not_a_direct_quote", detail=text[cand.start : cand.end]))
            continue
        speaker, as_written = hint.speaker, hint.as_written
        if cand.id not in decided:
            if grounded_name(article, label.speaker):
                # the model chose from the canonical names code found (an enum on servers)
                speaker, as_written = label.speaker, label.speaker
            elif label.speaker:
                rejected.append(Rejected(kind="speaker", article_id=article.id,
                                         candidate_id=label.id, reason="speaker_not_in_article",
                                         detail=label.speaker))
        quotes.append(ExtractedQuote(
            candidate_id=cand.id,
            span=_span(article, cand.start, cand.end),
            speaker=speaker,
            speaker_as_written=as_written,
            speaker_role=label.role or None,
            speaker_kind=_speaker_kind(speaker) if speaker else "unknown",
            labelled_by="rules" if cand.id in decided else labelled_by,
        ))

    figures = []
    for nlabel in labels.numbers:
        check_deadline()
        ncand = numbers_by_id.get(nlabel.id)
        if ncand is None:
            rejected.append(Rejected(kind="figure", article_id=article.id,
                                     candidate_id=nlabel.id, reason="unknown_id"))
            continue
        mention = text[ncand.start : ncand.end]
        if not nlabel.figure:
            rejected.append(Rejected(kind="figure", article_id=article.id, candidate_id=ncand.id,
                                     reason="not_a_story_figure", detail=mention))
            continue
        number_text = text[ncand.number_start : ncand.number_end]
        quantity = to_quantity(ncand.qualifier, number_text, mention)
        if quantity is None or not (ncand.start <= ncand.number_start < ncand.number_end
                                    <= ncand.end):
            rejected.append(Rejected(kind="figure", article_id=article.id, candidate_id=ncand.id,
                                     reason="number_not_in_span", detail=mention))
            continue
        nhint = nhints[ncand.id]
        measure = nhint.measure if nhint.measure != Measure.OTHER else nlabel.measure
        claimant = nlabel.claimant if grounded_name(article, nlabel.claimant) else nhint.claimant
        figures.append(ExtractedFigure(
            candidate_id=ncand.id,
            span=_span(article, ncand.start, ncand.end),
            quantity=quantity,
            subject=(nlabel.subject or nhint.subject).strip(),
            measure=measure,
            claimant=claimant,
            labelled_by="rules" if ncand.id in decided else labelled_by,
            needs_corroboration=nhint.calendar,
            holder=nhint.holder,
            named=nhint.named,
        ))

    events = []
    for elabel in labels.events:
        check_deadline()
        sentences = [sentences_by_id[i] for i in dict.fromkeys(elabel.sentences)
                     if i in sentences_by_id]
        if not sentences or not elabel.what.strip():
            rejected.append(Rejected(kind="event", article_id=article.id,
                                     reason="no_supporting_sentence", detail=elabel.what))
            continue
        when, when_span = None, None
        if elabel.when and elabel.when.strip():
            for s in sentences:
                i = text[s.start : s.end].lower().find(elabel.when.strip().lower())
                if i >= 0:
                    start = s.start + i
                    when_span = _span(article, start, start + len(elabel.when.strip()))
                    when = when_span.text
                    break
            if when is None:
                rejected.append(Rejected(kind="date", article_id=article.id,
                                         reason="date_not_in_supporting_sentences",
                                         detail=elabel.when))
        first = text[sentences[0].start : sentences[0].end]
        date, precision = resolve_date(when, article.published, forward=points_forward(first),
                                       soon=points_soon(first))
        events.append(ExtractedEvent(
            description=" ".join(elabel.what.split()),
            when=when,
            when_span=when_span,
            date=date,
            date_precision=precision,
            location=elabel.where or None,
            actors=[a for a in dict.fromkeys(x.strip() for x in elabel.actors) if a],
            spans=[_span(article, s.start, s.end) for s in sentences],
            labelled_by=labelled_by,
            needs_corroboration=elabel.needs_corroboration,
        ))
    return quotes, figures, events, rejected


# --------------------------------------------------------------------------- entry point


@dataclass
class ModelRequest:
    """One model call an extraction needs: rendered messages, the answer model, the schema."""

    messages: list[dict[str, str]]
    response_model: type[Any]
    schema: dict[str, Any]


def extraction_steps(
    article: Article, settings: Settings, *, use_model: bool
) -> Generator[ModelRequest, tuple[Any, Usage] | BaseException, ArticleExtraction]:
    """The extraction of one article without I/O: yields each :class:`ModelRequest` and is sent
    back ``(answer, usage)`` or the exception the call raised; returns the extraction.

    The sync (:func:`extract_article`), async (:func:`extract_article_async`) and batch drivers
    share it, so they extract identically.
    """
    result = ArticleExtraction(article_id=article.id, published=article.published,
                               flags=list(article.flags))
    if len(article.text) > settings.max_article_chars:
        result.error = (f"{len(article.text):,} characters, over the limit of "
                        f"{settings.max_article_chars:,} (max_article_chars)")
        return result
    cpu = Budget(settings.article_seconds)
    try:
        with cpu.running():
            cands = find_candidates(article)
            qhints, nhints = rules.hint_all(article, cands)
            the_plan = plan(article, cands, qhints, nhints,
                            settings.event_choices if use_model else 0)
            if not use_model:
                labels = rules_labels(article, cands, qhints, nhints, the_plan)
    except TimeBudgetExceeded as exc:
        result.error = str(exc)
        return result
    if not use_model:
        labelled_by = "rules"
    else:
        labelled_by = "model"
        budget = int((settings.n_ctx - settings.max_tokens - _PROMPT_OVERHEAD_TOKENS)
                     * _CHARS_PER_TOKEN)
        parts = split_candidates(cands, max(budget, 1000))
        if len(parts) > 1:
            result.flags.append(f"split_into_{len(parts)}_parts")
        merged = ArticleLabels()
        for part in parts:
            answer = ModelAnswer(quotes=[], numbers=[], events=[])
            if needs_model(part, the_plan):  # else all is decided by code: no call
                messages = render_messages(
                    prompt_variables(article, part, qhints, the_plan), settings.prompt_dir)
                reply = yield ModelRequest(messages, checked_answer_model(part, the_plan),
                                           server_schema(part, the_plan))
                if isinstance(reply, LLMError):  # transport failure or no valid answer
                    if isinstance(reply.usage, Usage):
                        result.usage.add(reply.usage)
                    else:
                        result.usage.calls += 1
                    result.error = str(reply)
                    if isinstance(reply, ExtractionError) and reply.last_response:
                        result.raw_response = redact(reply.last_response)
                    return result
                if isinstance(reply, ValidationError):  # a client that skipped validation
                    result.error = f"invalid model answer: {reply.error_count()} errors"
                    return result
                if isinstance(reply, BaseException):
                    raise reply
                answer, usage = reply
                result.usage.add(usage)
            labels_part = answer_to_labels(article, part, the_plan, answer)
            merged.quotes.extend(labels_part.quotes)
            merged.numbers.extend(labels_part.numbers)
            merged.events.extend(labels_part.events)
        labels = merged
    decided = frozenset([*the_plan.quotes, *the_plan.numbers])
    try:
        with cpu.running():
            quotes, figures, events, rejected = ground(article, cands, labels, qhints, nhints,
                                                       labelled_by, decided)
    except TimeBudgetExceeded as exc:
        result.error = str(exc)
        return result
    result.quotes, result.figures, result.events = quotes, figures, events
    result.rejected = rejected
    return result


_CALL_ERRORS = (LLMError, ValidationError)
_Steps = Generator[ModelRequest, "tuple[Any, Usage] | BaseException", ArticleExtraction]


def _begin(article: Article, settings: Settings | None,
           client: LabelClient | None) -> tuple[LabelClient | None, _Steps]:
    """The client to use (built from settings unless given; none for rules) and the steps."""
    settings = settings or Settings()
    client = client_for(settings, client)
    return client, extraction_steps(article, settings, use_model=client is not None)


def extract_article(
    article: Article,
    *,
    settings: Settings | None = None,
    client: LabelClient | None = None,
) -> ArticleExtraction:
    """Extract grounded quotes, figures and events from one article.

    Args:
        article: the article (offsets index ``article.text``).
        settings: configuration; defaults to ``Settings()``.
        client: a model client; built from ``settings`` when omitted. With the ``rules`` backend
            no model is called.
    Returns:
        The extraction. A model failure is data: ``error`` is set and ``raw_response`` kept.
    Raises:
        ConfigError: the backend cannot be set up.
    """
    own = client is None
    client, steps = _begin(article, settings, client)
    try:
        request = next(steps)
        while True:
            try:
                reply: Any = client.complete(  # type: ignore[union-attr]
                    request.messages, request.response_model, request.schema)
            except _CALL_ERRORS as exc:
                reply = exc
            request = steps.send(reply)
    except StopIteration as done:
        return done.value
    finally:
        if own and hasattr(client, "close"):
            client.close()  # a client built here: its connections go with it


async def extract_article_async(
    article: Article,
    *,
    settings: Settings | None = None,
    client: LabelClient | None = None,
    semaphore: asyncio.Semaphore | None = None,
) -> ArticleExtraction:
    """The async twin of :func:`extract_article`. A client with ``acomplete`` (the OpenAI
    backend) is awaited; any other (the embedded model) runs in a worker thread. ``semaphore``
    bounds the model calls in flight (share one for a global limit)."""
    client, steps = _begin(article, settings, client)
    limit = semaphore or contextlib.nullcontext()
    try:
        request = next(steps)
        while True:
            try:
                async with limit:  # type: ignore[attr-defined]
                    reply: Any = await acall(client,  # type: ignore[arg-type]
                                             request.messages, request.response_model,
                                             request.schema)
            except _CALL_ERRORS as exc:
                reply = exc
            request = steps.send(reply)
    except StopIteration as done:
        return done.value
