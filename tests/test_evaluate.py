"""The scorer itself: gold scores 1.0, and each perturbation costs exactly what it should."""

import datetime as dt

import pytest

from summarizer.evaluate import _locate, gold_quantity, metrics, score_cluster
from summarizer.models import (
    ArticleInfo,
    ClusterSummary,
    FigureReport,
    FigureValue,
    Precision,
    QuoteReport,
    Span,
    Status,
    SummaryEvent,
    SummaryFigure,
    SummaryQuote,
    Usage,
)


def _status(n: int) -> Status:
    return Status.COMPATIBLE if n > 1 else Status.SINGLE_SOURCE


def summary_from_gold(cluster, gold) -> ClusterSummary:
    """A perfect summary: every gold item, its forms located in the articles, one item each."""
    texts = {a.id: a.text for a in cluster.articles}

    def located(sources):
        out = []
        for article_id, forms in sorted(sources.items()):
            for form in forms:
                start, end = _locate(texts[article_id], form)[0]
                out.append((article_id, start, end, texts[article_id][start:end]))
        return out

    figures = []
    for g in gold["figures"]:
        q = gold_quantity(g["value"], g["qualifier"])
        value = FigureValue(low=q.low, high=q.high, qualifier=q.qualifier, as_written=q.as_written)
        reports = [FigureReport(article_id=a, start=s, end=e, text=t, value=value)
                   for a, s, e, t in located(g["sources"])]
        figures.append(SummaryFigure(id=g["id"], subject=g["subject"], measure="other",
                                     value=value, status=_status(len(g["sources"])),
                                     claimed_by=[], reports=reports))
    quotes = [
        SummaryQuote(id=g["id"], speaker=g["speaker"], speaker_role=None, text=g["text"],
                     status=_status(len(g["sources"])),
                     reports=[QuoteReport(article_id=a, start=s, end=e, text=t)
                              for a, s, e, t in located(g["sources"])])
        for g in gold["quotes"]
    ]
    events = [
        SummaryEvent(id=g["id"], description=g["description"],
                     date=dt.date.fromisoformat(g["date"]) if g["date"] else None,
                     date_precision=Precision.DAY if g["date"] else Precision.UNKNOWN,
                     when_as_written={}, location=g["location"], actors=[],
                     status=_status(len(g["sources"])),
                     reports=[Span(article_id=a, start=0, end=len(texts[a]), text=texts[a])
                              for a in g["sources"]])
        for g in gold["events"]
    ]
    for i, g in enumerate(gold["conflicts"]):  # a claim the gold calls a contradiction
        if g["kind"] == "contradiction":
            events.append(SummaryEvent(
                id=f"C{i}", description=g["subject"], date=None,
                date_precision=Precision.UNKNOWN, when_as_written={}, location=None, actors=[],
                status=Status.CONTRADICTION,
                reports=[Span(article_id=a, start=s, end=e, text=t)
                         for a, s, e, t in located({k: [v] for k, v in g["values"].items()})]))
    return ClusterSummary(
        cluster_id=gold["cluster_id"],
        articles=[ArticleInfo(id=a.id, source=a.source, published=a.published, title=a.title)
                  for a in cluster.articles],
        figures=figures, quotes=quotes, events=events, speakers=[], conflicts=[], rejected=[],
        failed_articles=[], usage=Usage(calls=5, prompt_tokens=100, completion_tokens=50,
                                        seconds=10.0),
    )


@pytest.fixture
def perfect(dev_cluster, gold):
    return summary_from_gold(dev_cluster, gold)


def _score(summary, dev_cluster, gold):
    return metrics(score_cluster(summary, dev_cluster.articles, gold).counts)


def test_gold_summary_scores_one_everywhere(perfect, dev_cluster, gold):
    m = _score(perfect, dev_cluster, gold)
    for key in ("quote_precision", "quote_recall", "quote_f1", "speaker_accuracy",
                "figure_precision", "figure_recall", "figure_f1", "value_accuracy",
                "merge_jaccard", "event_recall", "date_accuracy", "contradiction_recall",
                "compatible_recall", "grounding"):
        assert m[key] == 1.0, key
    assert m["not_quotes_reported"] == 0
    assert m["seconds_per_article"] == 2.0 and m["calls"] == 5


def test_one_quote_removed(perfect, dev_cluster, gold):
    broken = perfect.model_copy(update={"quotes": perfect.quotes[1:]})
    m = _score(broken, dev_cluster, gold)
    n = len(gold["quotes"])
    assert m["quote_precision"] == 1.0
    assert m["quote_recall"] == pytest.approx((n - 1) / n)
    assert m["speaker_accuracy"] == 1.0


def test_one_speaker_wrong(perfect, dev_cluster, gold):
    quotes = list(perfect.quotes)
    quotes[2] = quotes[2].model_copy(update={"speaker": "Germany"})
    m = _score(perfect.model_copy(update={"quotes": quotes}), dev_cluster, gold)
    n = len(gold["quotes"])
    assert m["quote_f1"] == 1.0
    assert m["speaker_accuracy"] == pytest.approx((n - 1) / n)
    # the miss names the quote, what the summary said and what the gold says
    wrong = perfect.model_copy(update={"quotes": quotes})
    misses = score_cluster(wrong, dev_cluster.articles, gold).misses["speakers"]
    assert misses == [f"{gold['quotes'][2]['id']}: Germany, not {gold['quotes'][2]['speaker']}"]


def test_one_figure_split_in_two(perfect, dev_cluster, gold):
    figures = list(perfect.figures)
    f1 = figures[0]  # F1: reported by all five outlets
    outlets = sorted({r.article_id for r in f1.reports})
    assert len(outlets) == 5
    a = [r for r in f1.reports if r.article_id in outlets[:2]]
    b = [r for r in f1.reports if r.article_id not in outlets[:2]]
    figures[0:1] = [f1.model_copy(update={"reports": a}),
                    f1.model_copy(update={"id": "F1b", "reports": b})]
    m = _score(perfect.model_copy(update={"figures": figures}), dev_cluster, gold)
    multi = [g for g in [*gold["quotes"], *gold["figures"]] if len(g["sources"]) >= 2]
    # one-to-one: one half matches F1, the other is a false positive
    n = len(gold["figures"])
    assert m["figure_precision"] == pytest.approx(n / (n + 1)) and m["figure_recall"] == 1.0
    # the best half covers 3 of the 5 outlets: Jaccard 3/5 for F1, 1.0 for the rest
    assert m["merge_jaccard"] == pytest.approx((len(multi) - 1 + 3 / 5) / len(multi))
    assert m["figure_merge_precision"] == 1.0  # every pair left inside a figure belongs together


def test_two_figures_merged_into_one(perfect, dev_cluster, gold):
    """"two officials" merged with "two years": the merge precision counts the wrong pairs."""
    figures = list(perfect.figures)
    first, second = figures[0], figures[1]
    merged = first.model_copy(update={"reports": [*first.reports, *second.reports]})
    figures[0:2] = [merged]
    m = _score(perfect.model_copy(update={"figures": figures}), dev_cluster, gold)
    a, b = len(first.reports), len(second.reports)
    pairs_all = sum(len(f.reports) * (len(f.reports) - 1) // 2 for f in figures)
    wrong = a * b
    assert m["figure_merge_precision"] == pytest.approx((pairs_all - wrong) / pairs_all)
    n = len(gold["figures"])
    assert m["figure_recall"] == pytest.approx((n - 1) / n)


def test_one_ungrounded_report(perfect, dev_cluster, gold):
    quotes = list(perfect.quotes)
    r = quotes[0].reports[0]
    quotes[0] = quotes[0].model_copy(update={
        "reports": [r.model_copy(update={"text": r.text + " (invented)"}), *quotes[0].reports[1:]]})
    m = _score(perfect.model_copy(update={"quotes": quotes}), dev_cluster, gold)
    total = sum(len(i.reports) for i in [*perfect.figures, *perfect.quotes, *perfect.events])
    assert m["grounding"] == pytest.approx((total - 1) / total)


def test_not_quote_reported_is_a_false_positive(perfect, dev_cluster, gold):
    nq = gold["not_quotes"][0]
    text = next(a.text for a in dev_cluster.articles if a.id == nq["article"])
    start = text.index(nq["text"])
    extra = SummaryQuote(id="QX", speaker=None, speaker_role=None, text=nq["text"],
                         status=Status.SINGLE_SOURCE,
                         reports=[QuoteReport(article_id=nq["article"], start=start,
                                              end=start + len(nq["text"]), text=nq["text"])])
    m = _score(perfect.model_copy(update={"quotes": [*perfect.quotes, extra]}), dev_cluster,
               gold)
    n = len(gold["quotes"])
    assert m["not_quotes_reported"] == 1
    assert m["quote_precision"] == pytest.approx(n / (n + 1))


def test_wrong_value_and_wrong_date(perfect, dev_cluster, gold):
    figures = list(perfect.figures)
    f = figures[1]
    wrong = f.value.model_copy(update={"low": 1.0, "high": 2.0, "qualifier": "exact"})
    figures[1] = f.model_copy(update={"value": wrong})
    events = list(perfect.events)
    dated = next(i for i, e in enumerate(events) if e.date is not None)
    events[dated] = events[dated].model_copy(update={"date": dt.date(2001, 1, 1)})
    m = _score(perfect.model_copy(update={"figures": figures, "events": events}), dev_cluster,
               gold)
    n_fig = len(gold["figures"])
    n_dated = sum(1 for e in gold["events"] if e["date"])
    assert m["value_accuracy"] == pytest.approx((n_fig - 1) / n_fig)
    assert m["date_accuracy"] == pytest.approx((n_dated - 1) / n_dated)
    assert m["event_recall"] == 1.0  # the description still matches


def test_contradiction_not_flagged_is_missed(perfect, dev_cluster, gold):
    events = [e for e in perfect.events if e.status != Status.CONTRADICTION]
    score = score_cluster(perfect.model_copy(update={"events": events}), dev_cluster.articles,
                          gold)
    m = metrics(score.counts)
    assert m["contradiction_recall"] == 0.0
    assert "who overthrew Assad" in score.misses["conflicts"]
