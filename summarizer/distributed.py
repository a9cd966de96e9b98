"""Beyond one machine: run the batch engine inside Dask (``pip install 'summarizer[dask]'``).

Why Dask (bag) rather than Ray Data or the OpenAI Batch API:

- a Dask bag is a partitioned sequence, which is what a day of clusters is; each partition runs
  our own async batch engine (one event loop, one model client, one cache connection, the
  same global-per-partition concurrency limit), so Dask only has to spread partitions over
  workers, and the same code runs on a laptop (threads or processes) and on a
  ``dask.distributed`` cluster;
- it is a small pure-Python install; Ray brings a large runtime for no gain here;
- the OpenAI Batch API serves one backend only, answers within 24 hours, and an invalid answer
  would need another round trip of batch files; the embedded model and OpenAI-compatible
  servers (vLLM, llama.cpp) cannot use it.

A record is a plain dict (``BatchRecord`` JSON), so results can go straight to
``bag.map(json.dumps).to_textfiles(...)`` or a dataframe. Reruns are cheap through the response
cache: give each worker a cache on its local disk (``cache_path``; SQLite over a network
filesystem is not safe), or a shared one per node.

    import dask.bag as db
    from summarizer.distributed import summarize_bag
    bag = db.read_text("clusters-*.jsonl").map(json.loads)
    summarize_bag(bag, settings).map(json.dumps).to_textfiles("results-*.jsonl")
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from summarizer.articles import cluster_from_mapping
from summarizer.batch import Batch, BatchRecord
from summarizer.config import Settings
from summarizer.errors import InputError
from summarizer.models import Cluster


def summarize_records(
    clusters: Iterable[Cluster | dict[str, Any]],
    settings: Settings | None = None,
    *,
    cache_path: str | Path | None = None,
    concurrency: int | None = None,
) -> list[dict[str, Any]]:
    """Summarise one partition of clusters (dicts as in the JSONL input, or Cluster objects)
    with the batch engine; returns one ``BatchRecord`` dict per cluster, failures included."""
    items: list[Cluster | InputError] = []
    for n, item in enumerate(clusters, 1):
        if isinstance(item, Cluster):
            items.append(item)
            continue
        try:
            items.append(cluster_from_mapping(item, f"partition-item-{n}"))
        except InputError as exc:
            exc.cluster_id = (item.get("cluster_id") if isinstance(item, dict)  # type: ignore[attr-defined]
                              else None) or f"partition-item-{n}"
            items.append(exc)
    records: list[BatchRecord] = []
    batch = Batch(items, None, settings=settings, concurrency=concurrency,
                  cache=cache_path if cache_path is not None else False)
    batch.run(on_result=records.append)
    return [r.model_dump(mode="json") for r in records]


def summarize_bag(bag: Any, settings: Settings | None = None, *,
                  cache_path: str | Path | None = None, concurrency: int | None = None) -> Any:
    """``bag`` of cluster dicts -> bag of ``BatchRecord`` dicts, one engine per partition."""
    return bag.map_partitions(summarize_records, settings, cache_path=cache_path,
                              concurrency=concurrency)
