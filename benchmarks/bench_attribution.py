"""Quote finding and attribution on a PolNeAR-format file, as a table.

    python benchmarks/bench_attribution.py PATH.json [--backend rules|local|openai]
        [--base-url URL --model NAME --mode MODE] [--model-path FILE.gguf] [--limit N]
        [--errors N] [--json]

Each case is one article (``{"id", "text", "gold": [...]}``, see
``summarizer/attribution_eval.py`` for the metric definitions). The article goes through
``extract_article`` exactly as in a summary; its quotes are scored against the gold segments.

CPU ms per article: of quote attribution alone (``attribute_quotes``, candidates found
before the clock starts), and of the whole deterministic extraction (candidates, numbers,
attribution, grounding), both timed with the rules backend whatever the backend: with a
model the process time would also count the model's threads. Median and mean are printed.
Not a unit test: it reads a data path you give it.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from summarizer.articles import make_article
from summarizer.attribution_eval import AttributionScore, score_case
from summarizer.candidates import find_candidates
from summarizer.config import load_settings
from summarizer.extract import extract_article
from summarizer.llm import make_client

try:
    from summarizer.attribution import _reader, attribute_quotes
except ImportError:  # the code before attribution.py, measured with this same script
    attribute_quotes = None


def table(score: AttributionScore, cpu_ms: list[float], label: str,
          attribution_ms: list[float] | None = None) -> str:
    rows = [
        ("quotes P / R / F1",
         f"{score.precision:.3f} / {score.recall:.3f} / {score.f1:.3f}"),
        ("quotes gold / predicted / matched",
         f"{score.gold} / {score.predicted} / {score.matched}"),
        ("speaker accuracy (overall)",
         f"{score.accuracy():.3f} ({sum(score.right.values())}/{sum(score.judged.values())})"),
        ("speaker accuracy (named sources)",
         f"{score.accuracy('named'):.3f} ({score.right['named']}/{score.judged['named']})"),
        ("speaker accuracy (pronoun/nominal)",
         f"{score.accuracy('pronoun/nominal'):.3f} "
         f"({score.right['pronoun/nominal']}/{score.judged['pronoun/nominal']})"),
        ("anonymous sources left unnamed", f"{score.anonymous_unnamed}/{score.anonymous}"),
        ("pronoun/definite sources the gold names nobody for (unjudged)", f"{score.unjudged}"),
        ("clean speaker names", f"{score.clean_share:.3f} ({score.clean}/{score.speakers})"),
        ("CPU ms per article, attribution (median / mean)",
         f"{statistics.median(attribution_ms):.1f} / {statistics.fmean(attribution_ms):.1f}"
         if attribution_ms else "-"),
        ("CPU ms per article, whole extraction (median / mean)",
         f"{statistics.median(cpu_ms):.1f} / {statistics.fmean(cpu_ms):.1f}" if cpu_ms else "-"),
    ]
    width = max(len(r[0]) for r in rows)
    lines = [f"| {'metric':<{width}} | {label} |", f"|{'-' * (width + 2)}|---|"]
    lines += [f"| {name:<{width}} | {value} |" for name, value in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--backend", default="rules", choices=["rules", "local", "openai"])
    parser.add_argument("--base-url")
    parser.add_argument("--model")
    parser.add_argument("--mode")
    parser.add_argument("--model-path")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--errors", type=int, default=0, help="print N mistakes of each kind")
    parser.add_argument("--json", action="store_true", help="print the counts as JSON too")
    args = parser.parse_args(argv)

    data = json.loads(args.path.read_text(encoding="utf-8"))
    cases = data["cases"] if isinstance(data, dict) else data
    if args.limit:
        cases = cases[: args.limit]
    overrides = {k: v for k, v in {"backend": args.backend, "base_url": args.base_url,
                                   "model": args.model, "mode": args.mode,
                                   "model_path": args.model_path}.items() if v}
    settings = load_settings(overrides)
    rules_settings = load_settings({"backend": "rules"})
    client = make_client(settings) if args.backend != "rules" else None

    total = AttributionScore()
    cpu_ms: list[float] = []
    attribution_ms: list[float] = []
    failed = 0
    began = time.perf_counter()
    for case in cases:
        article = make_article(case["id"], case["text"])
        t0 = time.process_time()
        x = extract_article(article, settings=rules_settings)
        cpu_ms.append((time.process_time() - t0) * 1000)
        if attribute_quotes is not None:
            cands = find_candidates(article)
            _reader.cache_clear()  # time it from scratch, not from the extraction's memo
            t0 = time.process_time()
            attribute_quotes(article.text, cands)
            attribution_ms.append((time.process_time() - t0) * 1000)
        if client is not None:
            x = extract_article(article, settings=settings, client=client)
            failed += x.error is not None
        predicted = [(q.span.start, q.span.end, q.speaker) for q in x.quotes]
        score = score_case(case["text"], case["gold"], predicted)
        for e in score.errors:
            e["case"] = case["id"]
        total.add(score)
    wall = time.perf_counter() - began

    label = args.backend if args.backend != "openai" else f"openai {settings.model or ''}".strip()
    print(f"{args.path.name}: {len(cases)} articles, backend {label}, {wall:.1f} s wall"
          + (f", {failed} articles failed" if failed else ""))
    print(table(total, cpu_ms, label, attribution_ms))
    if args.errors:
        for kind in ("speaker", "anonymous", "missed", "extra"):
            errs = [e for e in total.errors if e["kind"] == kind]
            print(f"\n{kind}: {len(errs)}")
            for e in errs[: args.errors]:
                print("  ", json.dumps(e, ensure_ascii=False))
        print(f"\nunclean: {total.unclean[: args.errors]}")
    if args.json:
        print(json.dumps({"precision": total.precision, "recall": total.recall,
                          "speaker": total.accuracy(), "named": total.accuracy("named"),
                          "pronoun_nominal": total.accuracy("pronoun/nominal"),
                          "clean": total.clean_share,
                          "cpu_ms_median": statistics.median(cpu_ms) if cpu_ms else None}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
