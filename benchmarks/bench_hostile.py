"""CPU time of the rules backend on pathological articles (issue 20: bounded work).

    python benchmarks/bench_hostile.py [--sizes 60000,200000,1000000]

Shapes: one sentence (no full stop, no line break) packed with quotes and numbers; a text of
only numbers; ordinary paragraphs. Each row is one ``extract_article`` with the default settings
(``max_article_chars`` 1,000,000, ``article_seconds`` 60) unless ``--no-limits``.
"""

from __future__ import annotations

import argparse
import time

from summarizer.articles import make_article
from summarizer.config import Settings
from summarizer.extract import extract_article

UNITS = {
    "one sentence, quotes + numbers": ('officials said "we will rebuild", and more than 1,200 '
                                       'people, 35 children and 4 doctors were killed on March '
                                       '3, '),
    "numbers only": "12 345 6,789 3.5 ",
    "paragraphs": ('Officials said "we will rebuild." More than 1,200 people were killed on '
                   'March 3, the ministry said.\n\n'),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="15000,60000,200000,1000000,2000000")
    parser.add_argument("--no-limits", action="store_true",
                        help="lift max_article_chars and article_seconds")
    args = parser.parse_args()
    settings = Settings(backend="rules")
    if args.no_limits:
        settings = Settings(backend="rules", max_article_chars=10**9, article_seconds=None)
    print("| shape | characters | CPU s | quotes | figures | outcome |")
    print("|---|---|---|---|---|---|")
    for shape, unit in UNITS.items():
        for size in map(int, args.sizes.split(",")):
            text = "Start " + unit * (size // len(unit)) + "end."
            started = time.process_time()
            result = extract_article(make_article("a", text), settings=settings)
            cpu = time.process_time() - started
            outcome = "read" if result.error is None else f"failed: {result.error[:60]}…"
            print(f"| {shape} | {len(text):,} | {cpu:.2f} | {len(result.quotes)} | "
                  f"{len(result.figures)} | {outcome} |", flush=True)


if __name__ == "__main__":
    main()
