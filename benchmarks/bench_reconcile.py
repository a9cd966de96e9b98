"""Reconcile synthetic clusters of 50, 200 and 500 articles; print seconds per size.

python benchmarks/bench_reconcile.py
"""

from __future__ import annotations

import random
import time

from summarizer.models import (
    Article, ArticleExtraction, ExtractedEvent, ExtractedFigure, ExtractedQuote, Measure,
    Qualifier, Quantity, Span,
)
from summarizer.reconcile import reconcile

WORDS = ("clashes killings forces gunmen residents bodies streets homes government observatory "
         "violence village town mass grave funeral children women militants civilians").split()


def synthetic(n: int, seed: int = 0):
    rnd = random.Random(seed)
    articles, extractions = [], []
    for i in range(n):
        text = " ".join(rnd.choice(WORDS) for _ in range(900))
        aid = f"a{i:04d}"
        articles.append(Article(id=aid, text=text))
        x = ArticleExtraction(article_id=aid)
        for j in range(15):
            value = rnd.choice([745, 1000, 125, 148, 31, 9, 4, 20, rnd.randint(1, 5000)])
            x.figures.append(ExtractedFigure(
                candidate_id=f"N{j}", span=Span(article_id=aid, start=j * 10, end=j * 10 + 8,
                                                text=text[j * 10: j * 10 + 8]),
                quantity=Quantity(low=value, high=value, qualifier=Qualifier.EXACT,
                                  as_written=str(value)),
                subject=" ".join(rnd.sample(WORDS, 3)), measure=rnd.choice(list(Measure))))
        for j in range(6):
            start = rnd.randint(0, len(text) - 120)
            x.quotes.append(ExtractedQuote(
                candidate_id=f"Q{j}", span=Span(article_id=aid, start=start, end=start + 100,
                                                text=text[start:start + 100]),
                speaker=rnd.choice(["Ali Sheha", "Sheha", "Rami Abdurrahman", None]),
                speaker_as_written=None))
        for j in range(6):
            x.events.append(ExtractedEvent(
                description=" ".join(rnd.sample(WORDS, 6)), when=None,
                spans=[Span(article_id=aid, start=j, end=j + 5, text=text[j:j + 5])]))
        extractions.append(x)
    return articles, extractions


def main() -> None:
    for n in (50, 200, 500):
        articles, xs = synthetic(n)
        start = time.perf_counter()
        summary = reconcile(f"bench-{n}", articles, xs)
        took = time.perf_counter() - start
        print(f"{n:4d} articles: {took:6.2f} s  ({len(summary.figures)} figures, "
              f"{len(summary.quotes)} quotes, {len(summary.events)} events)")


if __name__ == "__main__":
    main()
