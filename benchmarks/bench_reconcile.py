"""Reconcile synthetic clusters of 50, 200 and 500 articles; print seconds per size.

Two workloads:
- story: what a big real cluster looks like: each article reports 6 of a pool of 60 story
  events (70% dated over ten days, descriptions of 8-14 words from a 600-word vocabulary, each
  outlet dropping and swapping a few words), 15 figures, 6 quotes;
- adversarial: every event undated with 6 words from a 20-word vocabulary, so every event must
  be compared with every other (the reconciler's worst case; all collapse into one event).

The entity profiles (claims) need each article's sentences; in a run extraction has already
segmented them and the memo serves them, so the first segmentation is timed and printed apart.

python benchmarks/bench_reconcile.py
"""

from __future__ import annotations

import datetime as dt
import random
import time

from summarizer.models import (
    Article, ArticleExtraction, ExtractedEvent, ExtractedFigure, ExtractedQuote, Measure,
    Qualifier, Quantity, Span,
)
from summarizer.claims import entity_profiles
from summarizer.reconcile import reconcile

WORDS = ("clashes killings forces gunmen residents bodies streets homes government observatory "
         "violence village town mass grave funeral children women militants civilians").split()


_LETTERS = random.Random(1)
VOCAB = sorted({"".join(_LETTERS.choice("abcdefghijklmnopqrstuvwxyz")
                        for _ in range(_LETTERS.randint(3, 10))) for _ in range(600)})


def _story_events(rnd: random.Random) -> list[tuple[dt.date | None, list[str]]]:
    pool = []
    for _ in range(60):
        day = dt.date(2025, 3, 1) + dt.timedelta(days=rnd.randrange(10))
        pool.append((day if rnd.random() < 0.7 else None, rnd.sample(VOCAB, rnd.randint(8, 14))))
    return pool


def _retold(rnd: random.Random, words: list[str]) -> str:
    out = [w for w in words if rnd.random() > 0.15]
    for k in range(len(out)):
        if rnd.random() < 0.1:
            out[k] = rnd.choice(VOCAB)
    return " ".join(out or words)


def synthetic(n: int, seed: int = 0, story: bool = False):
    rnd = random.Random(seed)
    pool = _story_events(rnd)
    articles, extractions = [], []
    for i in range(n):
        text = " ".join(rnd.choice(WORDS) for _ in range(900))
        aid = f"a{i:04d}"
        articles.append(Article(id=aid, text=text, published=dt.date(2025, 3, 11)))
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
            if story:
                day, words = rnd.choice(pool)
                description, when = _retold(rnd, words), day.strftime("%B %-d") if day else None
            else:
                description, when = " ".join(rnd.sample(WORDS, 6)), None
            x.events.append(ExtractedEvent(
                description=description, when=when,
                spans=[Span(article_id=aid, start=j, end=j + 5, text=text[j:j + 5])]))
        extractions.append(x)
    return articles, extractions


def main() -> None:
    for workload in ("story", "adversarial"):
        print(workload)
        for n in (50, 200, 500):
            articles, xs = synthetic(n, story=workload == "story")
            # entity profiles need each article's sentences: in a run, extraction has already
            # segmented them (memoised), so they are timed apart from the merging itself
            start = time.perf_counter()
            entity_profiles(articles)
            segmenting = time.perf_counter() - start
            start = time.perf_counter()
            summary = reconcile(f"bench-{n}", articles, xs)  # profiles built again, memo warm
            took = time.perf_counter() - start
            print(f"{n:4d} articles: {took:6.2f} s  ({len(summary.figures)} figures, "
                  f"{len(summary.quotes)} quotes, {len(summary.events)} events); "
                  f"first segmentation of the articles {segmenting:.2f} s")


if __name__ == "__main__":
    main()
