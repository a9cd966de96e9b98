"""Batch throughput against the loopback fake server (no model).

100 three-article clusters (the development articles, full length, each made unique by a
sentence of its own so nothing is cached), served with a fixed latency per call, at several
concurrency levels. For each level: wall time, calls, the ideal wall time
``calls x latency / concurrency`` and the ratio ideal / wall, CPU seconds of the batch
process, and its peak RSS. Each level runs in a fresh child process (its own peak RSS) with
the cache off; the server runs in another process so its work is not counted as the batch's.

    python benchmarks/bench_batch.py [--clusters 100] [--latency 0.25] [--levels 8 32 64]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def make_input(path: Path, clusters: int) -> None:
    from summarizer.articles import load_cluster

    arts = [a.model_dump(mode="json") for a in
            load_cluster(ROOT / "tests" / "data" / "syria-coast-2025-03").articles]
    with path.open("w", encoding="utf-8") as f:
        for i in range(clusters):
            chosen = [arts[(i + k) % len(arts)] for k in range(3)]
            articles = [{"id": f"{a['id'][:3]}-{i}", "source": f"outlet {k}",
                         "published": "2025-03-08",
                         "text": a["text"] + f"\nIn village {i}, {i + 3} people were killed on "
                                             "Friday, officials said."}
                        for k, a in enumerate(chosen)]
            f.write(json.dumps({"cluster_id": f"c{i:04d}", "articles": articles}) + "\n")


def child(args: argparse.Namespace) -> None:
    from summarizer.batch import run_batch
    from summarizer.config import Settings

    settings = Settings(backend="openai", base_url=args.base_url, model="fake",
                        mode="json_object_schema")
    started = time.perf_counter()
    cpu0 = time.process_time()
    report = run_batch(args.input, args.out, settings=settings, concurrency=args.concurrency,
                       cache=False)
    print(json.dumps({
        "wall": time.perf_counter() - started,
        "cpu": time.process_time() - cpu0,
        "calls": report.calls, "ok": report.ok, "failed": report.failed,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


def attribution_ms(path: Path) -> list[float]:
    """CPU ms of quote attribution (candidates found first, not counted) per input article."""
    from summarizer.articles import iter_clusters
    from summarizer.attribution import attribute_quotes
    from summarizer.candidates import find_candidates

    out = []
    for cluster in iter_clusters(path):
        for article in cluster.articles:  # type: ignore[union-attr]
            cands = find_candidates(article)
            t0 = time.process_time()
            attribute_quotes(article.text, cands)
            out.append((time.process_time() - t0) * 1000)
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clusters", type=int, default=100)
    ap.add_argument("--latency", type=float, default=0.25)
    ap.add_argument("--levels", type=int, nargs="+", default=[8, 32, 64])
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--input", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    ap.add_argument("--base-url", help=argparse.SUPPRESS)
    ap.add_argument("--concurrency", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args)
        return
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "tests.fakeserver", "--port", str(port),
                               "--latency", str(args.latency)], cwd=ROOT,
                              stdout=subprocess.DEVNULL)
    try:
        time.sleep(1.0)
        with tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp) / "clusters.jsonl"
            make_input(data, args.clusters)
            print(f"{args.clusters} clusters x 3 articles, latency {args.latency * 1000:.0f} ms, "
                  f"{os.cpu_count()} cores")
            ms = sorted(attribution_ms(data))
            print(f"quote attribution: {ms[len(ms) // 2]:.1f} ms CPU per article (median), "
                  f"{sum(ms) / len(ms):.1f} mean")
            print("| concurrency | calls | wall s | ideal s | ratio | batch CPU s | "
                  "CPU ms / article | peak RSS MB |")
            print("|---|---|---|---|---|---|---|---|")
            for level in args.levels:
                out = Path(tmp) / f"out{level}"
                done = subprocess.run(
                    [sys.executable, __file__, "--child", "--input", str(data), "--out",
                     str(out), "--base-url", f"http://127.0.0.1:{port}/v1", "--concurrency",
                     str(level)], cwd=ROOT, capture_output=True, text=True, check=True)
                r = json.loads(done.stdout.strip().splitlines()[-1])
                ideal = r["calls"] * args.latency / level
                per_article = r["cpu"] * 1000 / (args.clusters * 3)
                print(f"| {level} | {r['calls']} | {r['wall']:.2f} | {ideal:.2f} | "
                      f"{ideal / r['wall']:.2f} | {r['cpu']:.2f} | {per_article:.0f} | "
                      f"{r['peak_rss_mb']:.0f} |", flush=True)
                assert r["failed"] == 0 and r["ok"] == args.clusters, r
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
