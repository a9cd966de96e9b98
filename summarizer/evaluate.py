"""Score a :class:`ClusterSummary` against hand-made gold (``gold.json``, format in the README).

Matching is by character spans, never by the model's words, so a score can only go up when the
output points at the right text:

Every match is one-to-one: candidate pairs (gold item, summary item) are taken best first
(more articles overlapping first), each side used once, so a gold item split over two summary
items matches one and the other is a false positive.

- **quotes**: a summary quote can match a gold quote when one of its reports overlaps a gold
  form (located in the same article) by at least 50% of the shorter of the two spans.
  Precision = matched summary quotes / summary quotes (so a reported ``not_quotes`` entry is a
  false positive); recall = gold quotes matched / gold quotes; speaker accuracy = matched gold
  quotes whose summary speaker is name-compatible with the gold speaker ("Sheha" ~ "Ali Sheha").
- **figures**: a summary figure can match a gold figure when one of its reports overlaps a gold
  surface string in the same article. Value accuracy = matched gold figures whose summary
  interval shares a value with the gold value and qualifier.
- **merge**: for each gold quote or figure reported by >= 2 outlets, the Jaccard index of its
  outlets and those of the summary item that covers most of its forms (0 when none does).
  Merge precision (figures, quotes) = report pairs inside one summary item whose two reports
  both overlap one same gold item / all report pairs inside summary items (a pair with a
  report no gold item covers is wrong: "two officials" merged with "two years").
- **events**: a gold event can match a summary event that has a report in one of its source
  articles and either the same resolved date plus a shared content word with the gold
  description, or at least half of the description's content words in its description and
  supporting sentences; pairs are assigned one-to-one, best first (same day + overlap). Recall =
  gold events matched / gold events; precision = summary events matched / summary events.
  Date accuracy = matched dated gold events whose summary event has the gold date.
- **conflicts**: a gold conflict is recalled when one summary item (figure, quote, event or
  claim) has reports overlapping its surface strings in at least half (and at least two) of its
  articles, with status ``contradiction`` for a gold contradiction, or any other multi-source
  status for a gold compatible group. Contradiction precision = items the summary marks
  ``contradiction`` that recall a gold contradiction / items it marks ``contradiction``.
- **grounding**: the share of summary reports whose ``text`` equals the article slice.
- **cost**: calls, tokens, and model seconds per article, from the summary's usage.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from summarizer.models import Article, ClusterSummary, Qualifier, Quantity, Status
from summarizer.normalize import APPROX_TOLERANCE, content_stems, names_compatible, overlaps

Spans = dict[str, list[tuple[int, int]]]  # article_id -> [(start, end)]


@dataclass
class Counts:
    """Raw counts of one cluster; ratios are derived so clusters can be summed (micro-average)."""

    quotes_pred: int = 0
    quotes_pred_matched: int = 0
    quotes_gold: int = 0
    quotes_gold_matched: int = 0
    speakers_right: int = 0
    not_quotes_reported: int = 0
    figures_pred: int = 0
    figures_pred_matched: int = 0
    figures_gold: int = 0
    figures_gold_matched: int = 0
    values_right: int = 0
    merge_sum: float = 0.0
    merge_items: int = 0
    figure_pairs: int = 0  # report pairs inside summary figures
    figure_pairs_right: int = 0  # of those, both reports in one gold figure
    quote_pairs: int = 0
    quote_pairs_right: int = 0
    events_pred_matched: int = 0
    events_gold: int = 0
    events_recalled: int = 0
    events_pred: int = 0
    dated_recalled: int = 0
    dates_right: int = 0
    contradictions_gold: int = 0
    contradictions_found: int = 0
    contradictions_flagged: int = 0  # summary items with status contradiction
    contradictions_flagged_right: int = 0  # of those, items that match a gold contradiction
    compatible_gold: int = 0
    compatible_found: int = 0
    reports: int = 0
    reports_grounded: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    articles: int = 0
    failed_articles: int = 0
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0

    def add(self, other: Counts) -> None:
        for name, value in vars(other).items():
            if isinstance(value, Counter):
                getattr(self, name).update(value)
            else:
                setattr(self, name, getattr(self, name) + value)


@dataclass
class ClusterScore:
    cluster_id: str
    counts: Counts
    misses: dict[str, list[str]] = field(default_factory=dict)  # gold ids missed, by kind


def _ratio(num: float, den: float) -> float | None:
    return num / den if den else None


def _f1(p: float | None, r: float | None) -> float | None:
    if p is None or r is None:
        return None
    return 2 * p * r / (p + r) if p + r else 0.0


def metrics(c: Counts) -> dict[str, Any]:
    """The figures the table prints, from raw counts."""
    qp, qr = _ratio(c.quotes_pred_matched, c.quotes_pred), _ratio(c.quotes_gold_matched,
                                                                     c.quotes_gold)
    fp, fr = _ratio(c.figures_pred_matched, c.figures_pred), _ratio(c.figures_gold_matched,
                                                                       c.figures_gold)
    n = c.articles or 1
    return {
        "quote_precision": qp, "quote_recall": qr, "quote_f1": _f1(qp, qr),
        "speaker_accuracy": _ratio(c.speakers_right, c.quotes_gold_matched),
        "not_quotes_reported": c.not_quotes_reported,
        "figure_precision": fp, "figure_recall": fr, "figure_f1": _f1(fp, fr),
        "value_accuracy": _ratio(c.values_right, c.figures_gold_matched),
        "merge_jaccard": _ratio(c.merge_sum, c.merge_items),
        "figure_merge_precision": _ratio(c.figure_pairs_right, c.figure_pairs),
        "quote_merge_precision": _ratio(c.quote_pairs_right, c.quote_pairs),
        "event_recall": _ratio(c.events_recalled, c.events_gold),
        "event_precision": _ratio(c.events_pred_matched, c.events_pred),
        "events_reported": c.events_pred,
        "events_per_gold_event": _ratio(c.events_pred, c.events_gold),
        "date_accuracy": _ratio(c.dates_right, c.dated_recalled),
        "contradiction_recall": _ratio(c.contradictions_found, c.contradictions_gold),
        "contradiction_precision": _ratio(c.contradictions_flagged_right,
                                          c.contradictions_flagged),
        "contradictions_flagged": c.contradictions_flagged,
        "compatible_recall": _ratio(c.compatible_found, c.compatible_gold),
        "grounding": _ratio(c.reports_grounded, c.reports),
        "rejected": dict(sorted(c.rejected.items())),
        "articles": c.articles, "failed_articles": c.failed_articles,
        "calls": c.calls, "prompt_tokens": c.prompt_tokens,
        "completion_tokens": c.completion_tokens,
        "seconds_per_article": round(c.seconds / n, 2),
        "completion_tokens_per_article": round(c.completion_tokens / n, 1),
    }


# --------------------------------------------------------------------------- span helpers


def _locate(text: str, form: str) -> list[tuple[int, int]]:
    out, i = [], text.find(form)
    while i >= 0:
        out.append((i, i + len(form)))
        i = text.find(form, i + 1)
    return out


def _gold_spans(articles: dict[str, Article], sources: dict[str, list[str]] | dict[str, str]
                ) -> Spans:
    spans: Spans = {}
    for article_id, forms in sources.items():
        article = articles.get(article_id)
        if article is None:
            continue
        for form in [forms] if isinstance(forms, str) else forms:
            spans.setdefault(article_id, []).extend(_locate(article.text, form))
    return spans


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _hits(reports: list[Any], gold: Spans, min_share: float = 0.0) -> set[str]:
    """Articles where some report overlaps a gold span (by > min_share of the shorter)."""
    found = set()
    for r in reports:
        for g in gold.get(r.article_id, []):
            shared = _overlap((r.start, r.end), g)
            shorter = min(r.end - r.start, g[1] - g[0]) or 1
            if shared > 0 and shared / shorter >= min_share:
                found.add(r.article_id)
    return found


def gold_quantity(value: float | list[float], qualifier: str) -> Quantity:
    """The gold value and qualifier as the interval the normaliser would give."""
    q = Qualifier(qualifier)
    if isinstance(value, list):
        low, high = float(value[0]), float(value[1])
    else:
        low = high = float(value)
    if q == Qualifier.MORE_THAN or q == Qualifier.AT_LEAST:
        return Quantity(low=low, high=None, qualifier=q, as_written=str(value))
    if q in (Qualifier.LESS_THAN, Qualifier.AT_MOST):
        return Quantity(low=None, high=high, qualifier=q, as_written=str(value))
    if q == Qualifier.APPROX and low == high:
        return Quantity(low=low * (1 - APPROX_TOLERANCE), high=high * (1 + APPROX_TOLERANCE),
                        qualifier=q, as_written=str(value))
    return Quantity(low=low, high=high, qualifier=q, as_written=str(value))


def _one_to_one(gold: list[dict[str, Any]], items: list[Any], spans: dict[str, Spans],
                min_share: float) -> dict[int, int]:
    """Gold index -> item index, each used once: pairs that overlap in more articles first.
    A gold item split over two summary items matches one of them; the other is a false
    positive."""
    pairs = []
    for gi, g in enumerate(gold):
        for ii, item in enumerate(items):
            cover = len(_hits(item.reports, spans[g["id"]], min_share))
            if cover:
                pairs.append((float(cover), gi, ii))
    return _assign(pairs)


def _assign(pairs: list[tuple[float, int, int]]) -> dict[int, int]:
    """Best-first one-to-one assignment of (score, gold index, item index) pairs."""
    out: dict[int, int] = {}
    used: set[int] = set()
    for _, gi, ii in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
        if gi not in out and ii not in used:
            out[gi] = ii
            used.add(ii)
    return out


def _merge_pairs(items: list[Any], gold_spans: list[Spans], min_share: float) -> tuple[int, int]:
    """(report pairs inside summary items, of those the pairs whose two reports both belong to
    one gold item). A report belongs to a gold item when it overlaps one of its spans."""
    pairs = right = 0
    for item in items:
        owners = []
        for r in item.reports:
            mine = set()
            for gi, spans in enumerate(gold_spans):
                for g in spans.get(r.article_id, []):
                    shared = _overlap((r.start, r.end), g)
                    shorter = min(r.end - r.start, g[1] - g[0]) or 1
                    if shared > 0 and shared / shorter >= min_share:
                        mine.add(gi)
            owners.append(mine)
        for i in range(len(owners)):
            for j in range(i + 1, len(owners)):
                pairs += 1
                right += bool(owners[i] & owners[j])
    return pairs, right


# --------------------------------------------------------------------------- scoring


def score_cluster(
    summary: ClusterSummary, articles: list[Article], gold: dict[str, Any]
) -> ClusterScore:
    by_id = {a.id: a for a in articles}
    c = Counts()
    misses: dict[str, list[str]] = {"quotes": [], "speakers": [], "figures": [], "events": [],
                                    "conflicts": []}

    # grounding and cost
    for item in [*summary.figures, *summary.quotes, *summary.events, *summary.claims]:
        for r in item.reports:
            c.reports += 1
            article = by_id.get(r.article_id)
            if article is not None and article.text[r.start : r.end] == r.text:
                c.reports_grounded += 1
    c.rejected.update(r.reason for r in summary.rejected)
    c.articles = len(summary.articles) + len(summary.failed_articles)
    c.failed_articles = len(summary.failed_articles)
    c.calls = summary.usage.calls
    c.prompt_tokens = summary.usage.prompt_tokens
    c.completion_tokens = summary.usage.completion_tokens
    c.seconds = summary.usage.seconds

    def merge(gold_articles: set[str], spans: Spans, items: list[Any]) -> None:
        if len(gold_articles) < 2:
            return
        best: set[str] = set()
        best_cover = 0
        for item in items:
            cover = len(_hits(item.reports, spans))
            if cover > best_cover:
                best_cover, best = cover, {r.article_id for r in item.reports}
        c.merge_items += 1
        c.merge_sum += len(best & gold_articles) / len(best | gold_articles) if best else 0.0

    # quotes
    gold_quotes = gold.get("quotes", [])
    c.quotes_gold = len(gold_quotes)
    c.quotes_pred = len(summary.quotes)
    quote_spans = {g["id"]: _gold_spans(by_id, g["sources"]) for g in gold_quotes}
    assigned = _one_to_one(gold_quotes, summary.quotes, quote_spans, 0.5)
    matched_pred = set()
    for gi, g in enumerate(gold_quotes):
        spans = quote_spans[g["id"]]
        matches = [q for q in summary.quotes if _hits(q.reports, spans, 0.5)]
        if gi in assigned:
            c.quotes_gold_matched += 1
            best = summary.quotes[assigned[gi]]
            matched_pred.add(best.id)
            if best.speaker and names_compatible(best.speaker, g["speaker"]):
                c.speakers_right += 1
            else:  # "Q7: Kennedy, not Robert F. Kennedy Jr.": what to read first
                misses["speakers"].append(f"{g['id']}: {best.speaker or 'nobody'}, not "
                                          f"{g['speaker']}")
        else:
            misses["quotes"].append(g["id"])
        merge({a for a, forms in g["sources"].items() if forms}, spans, matches)
    c.quote_pairs, c.quote_pairs_right = _merge_pairs(summary.quotes, list(quote_spans.values()),
                                                      0.5)
    c.quotes_pred_matched = len(matched_pred)
    for nq in gold.get("not_quotes", []):
        spans = _gold_spans(by_id, {nq["article"]: [nq["text"]]})
        if any(_hits(q.reports, spans, 0.5) for q in summary.quotes):
            c.not_quotes_reported += 1

    # figures
    gold_figures = gold.get("figures", [])
    c.figures_gold = len(gold_figures)
    c.figures_pred = len(summary.figures)
    figure_spans = {g["id"]: _gold_spans(by_id, g["sources"]) for g in gold_figures}
    assigned = _one_to_one(gold_figures, summary.figures, figure_spans, 0.0)
    matched_figs = set()
    for gi, g in enumerate(gold_figures):
        spans = figure_spans[g["id"]]
        matches = [f for f in summary.figures if _hits(f.reports, spans)]
        if gi in assigned:
            c.figures_gold_matched += 1
            best = summary.figures[assigned[gi]]
            matched_figs.add(best.id)
            want = gold_quantity(g["value"], g["qualifier"])
            got = Quantity(low=best.value.low, high=best.value.high,
                           qualifier=best.value.qualifier, as_written=best.value.as_written)
            if overlaps(want, got):
                c.values_right += 1
        else:
            misses["figures"].append(g["id"])
        merge({a for a, forms in g["sources"].items() if forms}, spans, matches)
    c.figure_pairs, c.figure_pairs_right = _merge_pairs(summary.figures,
                                                        list(figure_spans.values()), 0.0)
    c.figures_pred_matched = len(matched_figs)

    # events
    gold_events = gold.get("events", [])
    c.events_gold = len(gold_events)
    c.events_pred = len(summary.events)
    pairs = []  # (score, gold index, event index): assigned one-to-one, best first
    for gi, g in enumerate(gold_events):
        want = content_stems(g["description"])
        sources = set(g.get("sources", []))
        for ei, e in enumerate(summary.events):
            in_sources = [r for r in e.reports if r.article_id in sources]
            if not in_sources or not want:
                continue
            words = content_stems(e.description)
            words |= content_stems(" ".join(r.text for r in in_sources))
            share = len(want & words) / len(want)
            same_day = g.get("date") is not None and e.date is not None and \
                str(e.date) == g["date"]
            if share >= 0.5 or (same_day and want & words):
                pairs.append((share + (1.0 if same_day else 0.0), gi, ei))
    taken_gold = _assign(pairs)
    c.events_pred_matched = len(taken_gold)
    for gi, g in enumerate(gold_events):
        if gi not in taken_gold:
            misses["events"].append(g["id"])
            continue
        c.events_recalled += 1
        event = summary.events[taken_gold[gi]]
        if g.get("date"):
            c.dated_recalled += 1
            if event.date is not None and str(event.date) == g["date"]:
                c.dates_right += 1

    # conflicts
    items = [*summary.figures, *summary.quotes, *summary.events, *summary.claims]
    flagged = {item.id for item in items if item.status == Status.CONTRADICTION}
    right: set[str] = set()
    for i, g in enumerate(gold.get("conflicts", [])):
        spans = _gold_spans(by_id, g["values"])
        need = max(2, math.ceil(len(g["values"]) / 2))
        contradiction = g["kind"] == Status.CONTRADICTION.value
        if contradiction:
            c.contradictions_gold += 1
        else:
            c.compatible_gold += 1
        found = False
        for item in items:
            if len(_hits(item.reports, spans)) < need:
                continue
            if contradiction and item.status == Status.CONTRADICTION:
                found = True
                right.add(item.id)
            if not contradiction and item.status != Status.CONTRADICTION:
                found = True
        if found:
            if contradiction:
                c.contradictions_found += 1
            else:
                c.compatible_found += 1
        else:
            misses["conflicts"].append(g.get("subject") or f"#{i}")
    c.contradictions_flagged = len(flagged)
    c.contradictions_flagged_right = len(flagged & right)
    return ClusterScore(summary.cluster_id, c, {k: v for k, v in misses.items() if v})


# --------------------------------------------------------------------------- output

_ROWS = [
    ("quotes P / R / F1", ("quote_precision", "quote_recall", "quote_f1")),
    ("speaker accuracy", ("speaker_accuracy",)),
    ("not_quotes reported", ("not_quotes_reported",)),
    ("figures P / R / F1", ("figure_precision", "figure_recall", "figure_f1")),
    ("value accuracy", ("value_accuracy",)),
    ("merge (outlet Jaccard)", ("merge_jaccard",)),
    ("figure merge precision (report pairs)", ("figure_merge_precision",)),
    ("quote merge precision (report pairs)", ("quote_merge_precision",)),
    ("events P / R", ("event_precision", "event_recall")),
    ("events reported (per gold event)", ("events_reported", "events_per_gold_event")),
    ("event date accuracy", ("date_accuracy",)),
    ("contradiction recall", ("contradiction_recall",)),
    ("contradictions flagged (precision)", ("contradictions_flagged", "contradiction_precision")),
    ("compatible-group recall", ("compatible_recall",)),
    ("grounding", ("grounding",)),
    ("articles (failed)", ("articles", "failed_articles")),
    ("calls", ("calls",)),
    ("prompt / completion tokens", ("prompt_tokens", "completion_tokens")),
    ("model seconds per article", ("seconds_per_article",)),
]


def _cell(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def overall(scores: list[ClusterScore]) -> Counts:
    total = Counts()
    for s in scores:
        total.add(s.counts)
    return total


def format_table(scores: list[ClusterScore], *, timing: bool = True) -> str:
    """A Markdown table: one column per cluster, plus "all" when there are several."""
    columns = [(s.cluster_id, metrics(s.counts)) for s in scores]
    if len(scores) > 1:
        columns.append(("all", metrics(overall(scores))))
    lines = ["| metric | " + " | ".join(name for name, _ in columns) + " |",
             "|---|" + "---|" * len(columns)]
    for label, keys in _ROWS:
        if not timing and keys == ("seconds_per_article",):
            continue
        cells = [" / ".join(_cell(m[k]) for k in keys) for _, m in columns]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    rejected = Counter[str]()
    for s in scores:
        rejected.update(s.counts.rejected)
    if rejected:
        lines.append("")
        lines.append("rejected by reason: " + ", ".join(f"{k} {v}" for k, v in
                                                          sorted(rejected.items())))
    return "\n".join(lines)


def to_json(scores: list[ClusterScore]) -> dict[str, Any]:
    return {
        "clusters": [{"cluster_id": s.cluster_id, **metrics(s.counts), "misses": s.misses}
                     for s in scores],
        "overall": metrics(overall(scores)),
    }
