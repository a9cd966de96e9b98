"""Reconcile synthetic clusters of 50, 200 and 500 articles; print seconds per size.

Two workloads:
- story: what a big real cluster looks like: each article reports 6 of a pool of 60 story
  events (70% dated over ten days, descriptions of 8-14 words from a 600-word vocabulary, each
  outlet dropping and swapping a few words; a third with a place and actors), quotes 6 of a pool
  of 40 statements (cut differently by each outlet), and 15 figures;
- adversarial: every event undated with 6 words from a 20-word vocabulary and every quote a
  random slice of text in that vocabulary, so everything shares words with everything (without
  blocking, every event is compared with every other; all collapse into one event).

Each size is reconciled three times and the fastest run is printed, with the growth against
the previous size beside what n log n growth would be.

The entity profiles (claims) need each article's sentences; in a run extraction has already
segmented them and the memo serves them, so the first segmentation is timed and printed apart.

python benchmarks/bench_reconcile.py [--sizes 50,200,500,1000,2000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
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


PLACES = ["Baniyas", "Latakia", "Jableh", "Tartus", "Homs", "Hama"]
ACTORS = ["Ali Sheha", "Rami Abdurrahman", "Haidar Nasser", "HTS", "SOHR", "Ahmed al-Sharaa"]


def _story_events(rnd: random.Random) -> list[tuple[dt.date | None, list[str], str | None,
                                                    list[str]]]:
    pool = []
    for _ in range(60):
        day = dt.date(2025, 3, 1) + dt.timedelta(days=rnd.randrange(10))
        placed = rnd.random() < 0.33
        pool.append((day if rnd.random() < 0.7 else None, rnd.sample(VOCAB, rnd.randint(8, 14)),
                     rnd.choice(PLACES) if placed else None,
                     rnd.sample(ACTORS, 2) if placed else []))
    return pool


def _statements(rnd: random.Random) -> list[tuple[str, list[str]]]:
    return [(rnd.choice(ACTORS), rnd.sample(VOCAB, rnd.randint(10, 25))) for _ in range(40)]


def _retold(rnd: random.Random, words: list[str]) -> str:
    out = [w for w in words if rnd.random() > 0.15]
    for k in range(len(out)):
        if rnd.random() < 0.1:
            out[k] = rnd.choice(VOCAB)
    return " ".join(out or words)


def synthetic(n: int, seed: int = 0, story: bool = False):
    rnd = random.Random(seed)
    pool, statements = _story_events(rnd), _statements(rnd)
    articles, extractions = [], []
    for i in range(n):
        filler = " ".join(rnd.choice(WORDS) for _ in range(900))
        quoted = []
        if story:  # the statements this outlet quotes, cut its own way, after the filler
            for speaker, words in rnd.sample(statements, 6):
                cut = rnd.randrange(len(words) // 3)
                quoted.append((speaker, " ".join(words[cut:len(words) - rnd.randrange(3)])))
        text = filler + "".join(f' "{q}."' for _, q in quoted)
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
            if story:
                speaker, quote = quoted[j]
                start = text.index(quote, len(filler))
                end = start + len(quote)
            else:
                speaker = rnd.choice(["Ali Sheha", "Sheha", "Rami Abdurrahman", None])
                start = rnd.randint(0, len(filler) - 120)
                end = start + 100
            x.quotes.append(ExtractedQuote(
                candidate_id=f"Q{j}", span=Span(article_id=aid, start=start, end=end,
                                                text=text[start:end]),
                speaker=speaker, speaker_as_written=None))
        for j in range(6):
            location, actors = None, []
            if story:
                day, words, location, actors = rnd.choice(pool)
                description, when = _retold(rnd, words), day.strftime("%B %-d") if day else None
            else:
                description, when = " ".join(rnd.sample(WORDS, 6)), None
            x.events.append(ExtractedEvent(
                description=description, when=when, location=location, actors=actors,
                spans=[Span(article_id=aid, start=j, end=j + 5, text=text[j:j + 5])]))
        extractions.append(x)
    return articles, extractions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,200,500",
                        help="comma-separated cluster sizes (articles)")
    sizes = [int(n) for n in parser.parse_args().sizes.split(",")]
    for workload in ("story", "adversarial"):
        print(workload)
        previous = None
        for n in sizes:
            articles, xs = synthetic(n, story=workload == "story")
            # entity profiles need each article's sentences: in a run, extraction has already
            # segmented them (memoised), so they are timed apart from the merging itself
            start = time.perf_counter()
            entity_profiles(articles)
            segmenting = time.perf_counter() - start
            took = math.inf
            for _ in range(3):  # profiles built again each time, memo warm
                start = time.perf_counter()
                summary = reconcile(f"bench-{n}", articles, xs)
                took = min(took, time.perf_counter() - start)
            growth = ""
            if previous:
                m, t = previous
                growth = (f"; x{took / t:.2f} for x{n / m:.1f} articles "
                          f"(n log n: x{n * math.log(n) / (m * math.log(m)):.2f})")
            print(f"{n:5d} articles: {took:6.2f} s  ({len(summary.figures)} figures, "
                  f"{len(summary.quotes)} quotes, {len(summary.events)} events{growth}); "
                  f"first segmentation of the articles {segmenting:.2f} s", flush=True)
            previous = (n, took)


if __name__ == "__main__":
    main()
