"""Pydantic models that cross module boundaries. No I/O, no imports from the package."""

from __future__ import annotations

import datetime as dt
from enum import Enum

from pydantic import BaseModel, ConfigDict, Field, field_validator


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# --------------------------------------------------------------------------- input


class Article(BaseModel):
    """One article. Every offset in the project indexes ``text`` exactly as loaded."""

    model_config = ConfigDict(extra="forbid")

    id: str
    source: str | None = None
    url: str | None = None
    published: dt.date | None = None
    title: str | None = None
    text: str
    excluded: list[tuple[int, int]] = Field(
        default_factory=list, description="Boilerplate ranges [start, end): never sent, never facts"
    )
    flags: list[str] = Field(default_factory=list, description="e.g. non_english, duplicate_of:ID")

    @field_validator("excluded")
    @classmethod
    def _sorted_and_merged(cls, ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Kept sorted and disjoint (overlaps merged, empty ranges dropped), so a position is
        looked up by binary search."""
        return merge_ranges([r for r in ranges if r[1] > r[0]], touching=False)


def merge_ranges(ranges: list[tuple[int, int]], *,
                 touching: bool = True) -> list[tuple[int, int]]:
    """Sorted ``[start, end)`` ranges with overlapping ones merged (and touching ones too, when
    ``touching``)."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and (start <= merged[-1][1] if touching else start < merged[-1][1]):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


class FailedArticle(Frozen):
    article_id: str
    error: str
    duplicate_of: str | None = Field(
        default=None, description="set when the article was left out as a copy of this one "
                                  "(its content is in the summary: not a failure)")


class Cluster(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cluster_id: str
    articles: list[Article]
    failed: list[FailedArticle] = Field(
        default_factory=list, description="articles that could not be loaded, with the reason"
    )


# --------------------------------------------------------------------------- candidates


class Sentence(Frozen):
    id: str  # "S3"
    start: int
    end: int


class QuoteCandidate(Frozen):
    id: str  # "Q2"
    start: int  # inside the quotation marks
    end: int
    sentence_id: str
    continues: str | None = None  # id of the quote this one continues ("It was bad," he said. "…")


class NumberCandidate(Frozen):
    id: str  # "N5"
    start: int  # whole mention: qualifier + number + head noun
    end: int
    number_start: int  # the number itself ("1,000", "nine", "dozens")
    number_end: int
    qualifier: str | None = None  # as written: "more than", "almost"
    head: str | None = None  # counted noun: "people", "civilians"
    sentence_id: str


class Candidates(Frozen):
    article_id: str
    sentences: list[Sentence]
    quotes: list[QuoteCandidate]
    numbers: list[NumberCandidate]

    def sentence(self, sentence_id: str) -> Sentence:
        """The sentence with this id; O(1) when ids are numbered in order (``S1``, ``S2``, …)."""
        try:
            guess = self.sentences[int(sentence_id[1:]) - 1]
            if guess.id == sentence_id:
                return guess
        except (ValueError, IndexError):
            pass
        return next(s for s in self.sentences if s.id == sentence_id)


# --------------------------------------------------------------------------- outputs


class Span(Frozen):
    """Characters ``[start, end)`` of an article; ``text == article.text[start:end]``."""

    article_id: str
    start: int
    end: int
    text: str


class Measure(str, Enum):
    KILLED = "killed"
    INJURED = "injured"
    MISSING = "missing"
    DISPLACED = "displaced"
    ARRESTED = "arrested"
    BURIED = "buried"
    MONEY = "money"
    OTHER = "other"


class Qualifier(str, Enum):
    EXACT = "exact"
    APPROX = "approx"
    AT_LEAST = "at_least"
    MORE_THAN = "more_than"
    LESS_THAN = "less_than"
    AT_MOST = "at_most"
    RANGE = "range"  # "8 to 10", "between 10 and 20": both ends as written


class Quantity(Frozen):
    """A number as an interval. ``None`` bounds are open."""

    low: float | None
    high: float | None
    qualifier: Qualifier
    unit: str | None = None
    as_written: str


class Precision(str, Enum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"
    WEEK = "week"
    UNKNOWN = "unknown"


class ExtractedQuote(Frozen):
    candidate_id: str
    span: Span
    speaker: str | None  # canonical full name or organisation
    speaker_as_written: str | None
    speaker_role: str | None = None
    speaker_kind: str = "person"  # person | organisation | unknown
    labelled_by: str = "model"  # model | rules


class ExtractedFigure(Frozen):
    candidate_id: str
    span: Span
    quantity: Quantity
    subject: str
    measure: Measure
    claimant: str | None = None
    labelled_by: str = "model"
    # a bare span of calendar time ("two days after", "over those three decades"): in the
    # summary only if another outlet reports it too
    needs_corroboration: bool = False
    # whose sum or rate it is when the sentence says so ("Bush paid", "the Clintons' rate",
    # "his rate" after "Mr. Bush"): two holders that differ are never one figure
    holder: str | None = None
    # named things a sum was paid at, from, on or for ("best buy", "rolex"): two sums within
    # 10 % of each other that name one are one figure
    named: tuple[str, ...] = ()


class ExtractedEvent(Frozen):
    description: str
    when: str | None = None  # as written
    when_span: Span | None = None
    date: dt.date | None = None
    date_precision: Precision = Precision.UNKNOWN
    location: str | None = None
    actors: list[str] = Field(default_factory=list)
    spans: list[Span]  # supporting sentences
    labelled_by: str = "model"
    # an undated sentence code proposed: in the timeline only if another outlet reports it too
    needs_corroboration: bool = False


class Rejected(Frozen):
    kind: str  # quote | figure | event | speaker | date
    article_id: str
    candidate_id: str | None = None
    reason: str
    detail: str | None = None


class Usage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    calls: int = 0
    attempts: int = 0
    # requests after each call's first: transport retries (429, 5xx, timeouts, dropped
    # connections) and re-asks after an invalid or truncated answer
    retries: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cache_hits: int = 0
    seconds: float = 0.0

    def add(self, other: Usage) -> None:
        self.calls += other.calls
        self.attempts += other.attempts
        self.retries += other.retries
        self.prompt_tokens += other.prompt_tokens
        self.completion_tokens += other.completion_tokens
        self.cache_hits += other.cache_hits
        self.seconds = round(self.seconds + other.seconds, 3)


class ArticleExtraction(BaseModel):
    """Everything grounded that one article says, plus what was rejected and why."""

    model_config = ConfigDict(extra="forbid")

    article_id: str
    published: dt.date | None = None
    quotes: list[ExtractedQuote] = Field(default_factory=list)
    figures: list[ExtractedFigure] = Field(default_factory=list)
    events: list[ExtractedEvent] = Field(default_factory=list)
    rejected: list[Rejected] = Field(default_factory=list)
    flags: list[str] = Field(default_factory=list)
    usage: Usage = Field(default_factory=Usage)
    error: str | None = None
    raw_response: str | None = Field(default=None, description="last model output when it failed")


# --------------------------------------------------------------------------- cluster summary


class Status(str, Enum):
    AGREED = "agreed"
    COMPATIBLE = "compatible"
    UPDATE = "update"
    CONTRADICTION = "contradiction"
    SINGLE_SOURCE = "single_source"
    UNCHECKED = "unchecked"  # claims the model was not asked about


class FigureValue(Frozen):
    low: float | None
    high: float | None
    qualifier: Qualifier
    as_written: str


class FigureReport(Frozen):
    article_id: str
    start: int
    end: int
    text: str
    value: FigureValue
    claimant: str | None = None


class SummaryFigure(Frozen):
    id: str
    subject: str
    measure: Measure
    value: FigureValue
    status: Status
    claimed_by: list[str]
    reports: list[FigureReport]


class QuoteReport(Frozen):
    article_id: str
    start: int
    end: int
    text: str
    speaker_as_written: str | None = None


class SummaryQuote(Frozen):
    id: str
    speaker: str | None
    speaker_role: str | None
    text: str
    status: Status
    reports: list[QuoteReport]


class SummaryEvent(Frozen):
    id: str
    description: str
    date: dt.date | None
    date_precision: Precision
    when_as_written: dict[str, str]
    location: str | None
    actors: list[str]
    status: Status
    reports: list[Span]


class Speaker(Frozen):
    id: str
    name: str
    kind: str
    roles: list[str]
    quote_ids: list[str]
    articles: list[str]


class SummaryClaim(Frozen):
    """How several outlets describe one person or group: the sentences that mention it."""

    id: str
    entity: str
    aliases: list[str]
    status: Status
    checked_by: str | None = Field(description="the model that checked the statements, if any")
    reports: list[Span]


class ClaimCheck(BaseModel):
    """The model's verdict on one entity's statements: pairs that cannot both be true."""

    model_config = ConfigDict(extra="forbid")

    entity: str
    checked_by: str | None
    contradictions: list[tuple[Span, Span]] = Field(default_factory=list)
    dropped_pairs: int = 0  # pairs the model named inside one outlet (ignored)
    error: str | None = None
    usage: Usage = Field(default_factory=Usage)


class Conflict(Frozen):
    item_id: str
    kind: Status
    subject: str
    values: dict[str, str]  # article_id -> surface form
    explanation: str


class ArticleInfo(Frozen):
    id: str
    source: str | None
    published: dt.date | None
    title: str | None
    flags: list[str] = Field(default_factory=list)


class ClusterSummary(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cluster_id: str
    articles: list[ArticleInfo]
    figures: list[SummaryFigure]
    quotes: list[SummaryQuote]
    events: list[SummaryEvent]
    claims: list[SummaryClaim] = Field(default_factory=list)
    speakers: list[Speaker]
    conflicts: list[Conflict]
    rejected: list[Rejected]
    failed_articles: list[FailedArticle]
    usage: Usage

    def failures(self) -> list[FailedArticle]:
        """Articles whose content is missing from the summary (duplicates left out are not)."""
        return [f for f in self.failed_articles if f.duplicate_of is None]

    def summarised_ids(self) -> list[str]:
        """Ids of the articles whose extraction is in the summary."""
        failed = {f.article_id for f in self.failed_articles}
        return [a.id for a in self.articles if a.id not in failed]


# --------------------------------------------------------------------------- model labels
# What the model is asked for: labels on candidate ids, never copied text.


class QuoteLabel(BaseModel):
    id: str
    direct: bool
    speaker: str | None = None
    role: str | None = None


class NumberLabel(BaseModel):
    id: str
    figure: bool
    measure: Measure = Measure.OTHER
    subject: str = ""
    claimant: str | None = None


class EventLabel(BaseModel):
    what: str
    when: str | None = None
    where: str | None = None
    actors: list[str] = Field(default_factory=list)
    sentences: list[str] = Field(default_factory=list)
    needs_corroboration: bool = False  # see ExtractedEvent


class ArticleLabels(BaseModel):
    """All labels of one article, from code and model together; the grounding gate's input."""

    quotes: list[QuoteLabel] = Field(default_factory=list)
    numbers: list[NumberLabel] = Field(default_factory=list)
    events: list[EventLabel] = Field(default_factory=list)


class QuoteAsk(BaseModel):
    """What the model answers for a quote code found no attribution for: who said it."""

    id: str
    speaker: str | None = None


class NumberAsk(BaseModel):
    """What the model answers for a number the rules could not decide."""

    id: str
    figure: bool
    measure: Measure = Measure.OTHER


class ModelAnswer(BaseModel):
    """The model's whole answer for one article: only the ids code left open, and the ids of
    the sentences that report events.

    Kept small on purpose: every generated token costs ~50-65 ms on the embedded model, and a
    small model asked to describe an event copies the whole sentence anyway.
    """

    quotes: list[QuoteAsk] = Field(default_factory=list)
    numbers: list[NumberAsk] = Field(default_factory=list)
    events: list[str] = Field(default_factory=list)
