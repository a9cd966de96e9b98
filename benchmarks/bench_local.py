"""Run the embedded model on a cluster and print per-article cost (and quality, with gold).

    python benchmarks/bench_local.py [CLUSTER_DIR] [--model-path FILE.gguf] [--threads N]
                                     [--save-extractions FILE.json] [--order-check]

Per article: seconds, prompt and completion tokens, first-token latency (time from the call to
the first generated token, prompt evaluation included), attempts, and what was kept. Then the
totals, and the `summarizer eval` table when the directory holds a gold.json. Goals on 2 cores
(issue 18): <= 7 s per article on average, first token <= 3 s after the first article.
`--order-check` then summarises the cluster again with its articles in reversed order (same
loaded model) and exits 1 when the summary JSON differs, usage and timings aside.
Not a unit test: it needs the `local` extra and takes minutes.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

from summarizer.articles import load_cluster
from summarizer.config import load_settings
from summarizer.extract import extract_article
from summarizer.llm import make_client
from summarizer.reconcile import reconcile


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cluster", nargs="?", default="examples/syria-coast-2025-03")
    parser.add_argument("--model-path")
    parser.add_argument("--threads", type=int)
    parser.add_argument("--save-extractions", type=Path)
    parser.add_argument("--order-check", action="store_true",
                        help="summarise again with the articles in reversed order; exit 1 "
                             "when the JSON differs (usage and timings aside)")
    args = parser.parse_args(argv)

    overrides = {"backend": "local"}
    if args.model_path:
        overrides["model_path"] = args.model_path
    if args.threads:
        overrides["threads"] = args.threads
    settings = load_settings(overrides)
    cluster = load_cluster(Path(args.cluster))

    began = time.perf_counter()
    client = make_client(settings)
    load_seconds = time.perf_counter() - began
    print(f"model: {settings.resolved_model()}  load: {load_seconds:.1f} s  "
          f"threads: {getattr(client, '_llama').n_threads if client else '-'}")

    header = (f"{'article':<24} {'sec':>6} {'first':>6} {'prompt':>7} {'compl':>6} {'tries':>5} "
              f"{'quotes':>6} {'figs':>5} {'events':>6}  error")
    print(header)
    extractions = []
    firsts = []
    for article in cluster.articles:
        x = extract_article(article, settings=settings, client=client)
        # an article code decided entirely makes no call: no first token of its own
        first = getattr(client, "first_token_seconds", None) if x.usage.calls else None
        firsts.append(first)
        extractions.append(x)
        u = x.usage
        print(f"{article.id[:24]:<24} {u.seconds:>6.1f} {first if first is not None else '-':>6} "
              f"{u.prompt_tokens:>7} {u.completion_tokens:>6} {u.attempts:>5} "
              f"{len(x.quotes):>6} {len(x.figures):>5} {len(x.events):>6}  {x.error or ''}",
              flush=True)
    n = len(extractions) or 1
    seconds = sum(x.usage.seconds for x in extractions)
    prompt = sum(x.usage.prompt_tokens for x in extractions)
    completion = sum(x.usage.completion_tokens for x in extractions)
    known = [f for f in firsts if f is not None]
    print(f"{'total':<24} {seconds:>6.1f} {'':>6} {prompt:>7} {completion:>6}")
    print(f"per article: {seconds / n:.1f} s, {prompt / n:.0f} prompt + {completion / n:.0f} "
          f"completion tokens; first token {min(known, default=0):.1f}-"
          f"{max(known, default=0):.1f} s; peak RSS "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024:.2f} GB")

    summary = reconcile(cluster.cluster_id, cluster.articles, extractions, cluster.failed)
    if args.order_check:
        backwards = [extract_article(a, settings=settings, client=client)
                     for a in reversed(cluster.articles)]
        again = reconcile(cluster.cluster_id, list(reversed(cluster.articles)), backwards,
                          cluster.failed)
        forward = {x.article_id: _comparable(x) for x in extractions}
        labels_differ = [x.article_id for x in backwards if _comparable(x) != forward[x.article_id]]
        if labels_differ:
            print(f"order check: per-article extractions differ for {labels_differ}")
        else:
            print("order check: every article's extraction is identical in both orders")
        a, b = _comparable(summary), _comparable(again)
        if a != b:
            differing = [k for k in a if a[k] != b.get(k)]
            print(f"ORDER CHECK FAILED: reversed order gives a different summary ({differing})")
            for x, y in zip(a.get("figures", []), b.get("figures", [])):
                if x != y:
                    print("  first differing figure:", json.dumps(x)[:300], "\n  vs", json.dumps(y)[:300])
                    break
            return 1
        print("order check: forward and reversed order give byte-identical JSON "
              "(usage and timings aside)")
    if args.save_extractions:
        args.save_extractions.write_text(json.dumps(
            [x.model_dump(mode="json") for x in extractions], indent=1))
    gold = Path(args.cluster) / "gold.json"
    if gold.is_file():
        try:
            from summarizer.evaluate import format_table, score_cluster
        except ImportError:  # the scorer lands with the evaluation issue
            return 0
        report = score_cluster(summary, cluster.articles, json.loads(gold.read_text()))
        print(format_table([report]))
    return 0


def _comparable(summary) -> dict:
    """The summary as JSON without what may vary between runs: usage, seconds, timings."""
    def strip(x):
        if isinstance(x, dict):
            return {k: strip(v) for k, v in x.items()
                    if k not in {"usage", "seconds", "first_token_seconds"}}
        if isinstance(x, list):
            return [strip(v) for v in x]
        return x
    return strip(json.loads(summary.model_dump_json()))


if __name__ == "__main__":
    sys.exit(main())
