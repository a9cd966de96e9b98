"""Many clusters: async, one global limit on model calls, cached, resumable, fault-tolerant.

``Batch(source, outdir, ...)`` summarises every cluster of ``source`` (a JSONL file, a folder
of cluster folders, or an iterable of :class:`Cluster`). What it guarantees:

- **One global limit**: at most ``concurrency`` model calls are in flight across all clusters
  and articles (an ``asyncio.Semaphore``); the OpenAI backend is awaited on the async client,
  the embedded model runs in a worker thread. Clusters are read lazily and only
  ``concurrency + 4`` are open at once, so memory does not grow with the input.
- **Results as they finish**: each cluster's :class:`BatchRecord` is appended to
  ``OUTDIR/results.jsonl`` as one ``write`` of one line on an ``O_APPEND`` descriptor, flushed
  to disk, then yielded (``stream``) or handed to ``on_result`` (``run``).
- **Resume**: a rerun reads ``results.jsonl`` first, drops a line torn by a crash, and skips
  every cluster already there; clusters that were in flight are done again. No duplicate, no
  missing line. ``retry_failed`` re-does clusters recorded as error or partial (their old
  lines are removed first, atomically).
- **Cache**: model answers go through :class:`~summarizer.cache.ResponseCache`, so a rerun of
  finished work makes zero calls; failures are never cached.
- **Faults**: transport errors are retried by the client (jittered backoff, ``Retry-After``
  honoured); a cluster that still fails is an error record and the batch goes on, unless
  ``fail_fast``. Status: ``ok`` (every article extracted), ``partial`` (some articles failed:
  the summary of the others is kept), ``error`` (no summary).
- **Report**: ``report.json`` with clusters ok/partial/failed/skipped, calls, cache hits,
  retries, tokens, estimated cost from a price table, wall time.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import time
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from summarizer.articles import count_clusters, iter_clusters, unusable_reason
from summarizer.cache import ResponseCache, cached
from summarizer.config import Settings
from summarizer.errors import InputError, SummarizerError, redact
from summarizer.llm import LabelClient, client_for
from summarizer.models import Cluster, ClusterSummary
from summarizer.pipeline import summarize_cluster_async

# USD per million tokens (input, output): OpenAI list prices as published in 2025. Prices
# change: pass your own table (``prices=`` / ``--prices FILE``). A model not in the table gets
# no estimate rather than a wrong one; the embedded model and the rules baseline cost 0.
DEFAULT_PRICES: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1": (2.00, 8.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1-nano": (0.10, 0.40),
}

RecordStatus = Literal["ok", "partial", "error"]


class BatchRecord(BaseModel):
    """One line of ``results.jsonl``: a cluster's summary, or why there is none."""

    model_config = ConfigDict(extra="forbid")

    cluster_id: str
    status: RecordStatus
    summary: ClusterSummary | None = None
    error: str | None = None


class BatchReport(BaseModel):
    """``report.json``: what a run did (this run's work; ``skipped`` were done before)."""

    model_config = ConfigDict(extra="forbid")

    clusters: int = 0  # records written by this run
    ok: int = 0
    partial: int = 0
    failed: int = 0
    skipped: int = 0  # already in results.jsonl
    duplicates: int = 0  # a cluster_id seen twice in the input: the first one counts
    calls: int = 0
    cache_hits: int = 0
    retries: int = 0  # requests after each call's first: transport retries and re-asks
    prompt_tokens: int = 0
    completion_tokens: int = 0
    estimated_cost_usd: float | None = None
    price_per_mtok: tuple[float, float] | None = None
    backend: str = ""
    model: str = ""
    concurrency: int = 0
    wall_seconds: float = 0.0
    stopped_early: bool = False  # fail_fast tripped
    total: int | None = Field(default=None, description="clusters in the input, when known")

    def add(self, record: BatchRecord) -> None:
        self.clusters += 1
        if record.status == "ok":
            self.ok += 1
        elif record.status == "partial":
            self.partial += 1
        else:
            self.failed += 1
        if record.summary is not None:
            u = record.summary.usage
            self.calls += u.calls
            self.cache_hits += u.cache_hits
            self.retries += u.retries
            self.prompt_tokens += u.prompt_tokens
            self.completion_tokens += u.completion_tokens

    def price(self, table: dict[str, tuple[float, float]]) -> None:
        if self.backend in ("local", "rules"):
            self.estimated_cost_usd, self.price_per_mtok = 0.0, (0.0, 0.0)
            return
        per = table.get(self.model)
        if per is None:
            self.estimated_cost_usd = self.price_per_mtok = None
            return
        self.price_per_mtok = per
        self.estimated_cost_usd = round(
            (self.prompt_tokens * per[0] + self.completion_tokens * per[1]) / 1e6, 6)


def load_prices(path: Path) -> dict[str, tuple[float, float]]:
    """A price table file: JSON or TOML ``{model = [input, output]}`` in USD per 1M tokens."""
    import tomllib

    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text) if path.suffix == ".json" else tomllib.loads(text)
        return {str(k): (float(v[0]), float(v[1])) for k, v in data.items()}
    except (OSError, ValueError, TypeError, IndexError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"cannot read the price table {path}: {exc}", path) from None


def safe_name(cluster_id: str) -> str:
    """A file name for a cluster id (per-cluster outputs)."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", cluster_id).strip("._") or "cluster"
    return name[:120]


def _record(cluster_id: str, summary: ClusterSummary) -> BatchRecord:
    """``ok`` when every article is in the summary, ``partial`` when some failed (to load or to
    extract; a duplicate left out is not a failure), ``error`` when none was summarised."""
    failures = summary.failures()
    if not summary.summarised_ids():
        errors = "; ".join(f"{f.article_id}: {f.error}" for f in failures)
        return BatchRecord(cluster_id=cluster_id, status="error", summary=summary,
                           error=f"every article failed: {errors}")
    status: RecordStatus = "partial" if failures else "ok"
    return BatchRecord(cluster_id=cluster_id, status=status, summary=summary)


class ResultsFile:
    """``results.jsonl``: read what is done, repair a torn tail, append one line at a time."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def done(self) -> dict[str, str]:
        """cluster_id -> status of every complete line; a torn last line is cut off."""
        if not self.path.exists():
            return {}
        out: dict[str, str] = {}
        good_end = 0
        with self.path.open("rb") as handle:
            for raw in handle:
                if not raw.endswith(b"\n"):
                    break  # torn by a crash mid-write: dropped, the cluster is done again
                try:
                    data = json.loads(raw)
                    out[data["cluster_id"]] = data["status"]
                except (ValueError, KeyError, TypeError):
                    break
                good_end += len(raw)
        if good_end != self.path.stat().st_size:
            with self.path.open("r+b") as handle:
                handle.truncate(good_end)
        return out

    def drop(self, cluster_ids: set[str]) -> None:
        """Rewrite the file without these clusters' lines (atomic replace)."""
        if not cluster_ids or not self.path.exists():
            return
        tmp = self.path.with_suffix(".jsonl.tmp")
        with self.path.open("rb") as src, tmp.open("wb") as dst:
            for raw in src:
                if json.loads(raw)["cluster_id"] not in cluster_ids:
                    dst.write(raw)
            dst.flush()
            os.fsync(dst.fileno())
        os.replace(tmp, self.path)

    def append(self, record: BatchRecord) -> None:
        if self._fd is None:
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        line = (record.model_dump_json() + "\n").encode("utf-8")
        os.write(self._fd, line)  # one write on O_APPEND: a line is never interleaved
        os.fsync(self._fd)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


class Batch:
    """A batch run. ``async for r in batch.stream()`` or ``batch.run(on_result=...)``; the
    :class:`BatchReport` is ``batch.report`` (also returned by ``run``)."""

    def __init__(
        self,
        source: str | Path | Iterable[Cluster],
        outdir: str | Path | None = None,
        *,
        settings: Settings | None = None,
        client: LabelClient | None = None,
        concurrency: int | None = None,
        fail_fast: bool = False,
        retry_failed: bool = False,
        formats: Iterable[str] = (),
        cache: ResponseCache | str | Path | bool | None = None,
        prices: dict[str, tuple[float, float]] | None = None,
        on_progress: Callable[[BatchReport], None] | None = None,
    ) -> None:
        self.settings = settings or Settings()
        self.source = source
        self.outdir = Path(outdir) if outdir is not None else None
        self.concurrency = concurrency or self.settings.concurrency
        self.fail_fast = fail_fast
        self.retry_failed = retry_failed
        self.formats = tuple(formats)
        unknown = set(self.formats) - {"json", "md", "html"}
        if unknown:
            raise InputError(f"unknown per-cluster format(s): {', '.join(sorted(unknown))}")
        self._cache_arg = cache
        self.prices = DEFAULT_PRICES if prices is None else prices
        self.on_progress = on_progress
        self._client = client
        backend = client.backend if client is not None else self.settings.resolved_backend()[0]
        model = client.model if client is not None else self.settings.resolved_model()
        self.report = BatchReport(backend=backend, model=model, concurrency=self.concurrency,
                                  total=self._count())
        self.cache: ResponseCache | None = None

    def _count(self) -> int | None:
        if isinstance(self.source, (str, Path)):
            return count_clusters(self.source)
        return len(self.source) if hasattr(self.source, "__len__") else None  # type: ignore[arg-type]

    def _items(self) -> Iterator[Cluster | InputError]:
        if isinstance(self.source, (str, Path)):
            yield from iter_clusters(self.source)
        else:
            yield from self.source

    def _open_cache(self) -> ResponseCache | None:
        arg = self._cache_arg
        if arg is False:
            return None
        if isinstance(arg, ResponseCache):
            return arg
        if isinstance(arg, (str, Path)):
            return ResponseCache(arg)
        return ResponseCache(self.settings.cache_path)  # None/True: settings or the user dir

    def _model_client(self) -> LabelClient | None:
        client = client_for(self.settings, self._client)
        if client is None:
            return None
        self.cache = self._open_cache()
        return cached(client, self.cache, self.settings) if self.cache is not None else client

    async def _one(self, cluster: Cluster, client: LabelClient | None,
                   limit: asyncio.Semaphore) -> tuple[BatchRecord, Cluster]:
        try:
            summary = await summarize_cluster_async(cluster, settings=self.settings,
                                                    client=client, semaphore=limit)
        except SummarizerError as exc:
            return BatchRecord(cluster_id=cluster.cluster_id, status="error", error=str(exc)), \
                cluster
        except Exception as exc:  # a bug must not cost the other clusters
            return BatchRecord(cluster_id=cluster.cluster_id, status="error",
                               error=redact(f"internal error: {type(exc).__name__}: {exc}")), \
                cluster
        return _record(cluster.cluster_id, summary), cluster

    def _write_outputs(self, record: BatchRecord, cluster: Cluster) -> None:
        if self.outdir is None or record.summary is None or not self.formats:
            return
        from summarizer.html import render_html
        from summarizer.render import render_json, render_markdown

        folder = self.outdir / "clusters"
        folder.mkdir(exist_ok=True)
        name = safe_name(record.cluster_id)
        renders = {"json": lambda: render_json(record.summary),  # type: ignore[arg-type]
                   "md": lambda: render_markdown(record.summary),  # type: ignore[arg-type]
                   "html": lambda: render_html(record.summary, cluster)}  # type: ignore[arg-type]
        for fmt in self.formats:
            _write_atomic(folder / f"{name}.{fmt}", renders[fmt]())

    async def stream(self) -> AsyncIterator[BatchRecord]:
        """Summarise every cluster not yet done; yield each record once it is on disk."""
        started = time.perf_counter()
        results: ResultsFile | None = None
        done: dict[str, str] = {}
        if self.outdir is not None:
            try:
                self.outdir.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise InputError(f"cannot create {self.outdir}: {exc.strerror}") from None
            results = ResultsFile(self.outdir / "results.jsonl")
            done = results.done()
            if self.retry_failed:
                redo = {cid for cid, status in done.items() if status != "ok"}
                results.drop(redo)
                done = {cid: s for cid, s in done.items() if cid not in redo}
        client = self._model_client()
        limit = asyncio.Semaphore(self.concurrency)
        seen: set[str] = set()
        items = self._items()
        pending: set[asyncio.Task[tuple[BatchRecord, Cluster]]] = set()
        exhausted = False
        stop = False
        try:
            while True:
                while not exhausted and not stop and len(pending) < self.concurrency + 4:
                    item = next(items, None)
                    if item is None:
                        exhausted = True
                        break
                    cid = item.cluster_id if isinstance(item, Cluster) else \
                        getattr(item, "cluster_id", None) or f"input-{len(seen) + 1}"
                    if cid in done:
                        self.report.skipped += 1
                        continue
                    if cid in seen:
                        self.report.duplicates += 1
                        continue
                    seen.add(cid)
                    if isinstance(item, Cluster) and not item.articles:
                        item = InputError(unusable_reason(item))
                    if not isinstance(item, Cluster):
                        record = BatchRecord(cluster_id=cid, status="error", error=str(item))
                        stop = self._finish(record, None, results) or stop
                        yield record
                        continue
                    pending.add(asyncio.create_task(self._one(item, client, limit)))
                if not pending:
                    break
                finished, pending = await asyncio.wait(pending,
                                                       return_when=asyncio.FIRST_COMPLETED)
                for task in sorted(finished, key=lambda t: t.result()[0].cluster_id):
                    record, cluster = task.result()
                    stop = self._finish(record, cluster, results) or stop
                    yield record
                if stop and pending:
                    for task in pending:
                        task.cancel()
                    await asyncio.gather(*pending, return_exceptions=True)
                    pending = set()
        finally:
            for task in pending:
                task.cancel()
            if hasattr(client, "aclose"):
                await client.aclose()  # type: ignore[union-attr]
            if results is not None:
                results.close()
            self.report.wall_seconds = round(time.perf_counter() - started, 3)
            self.report.stopped_early = stop
            self.report.price(self.prices)
            if self.outdir is not None:
                _write_atomic(self.outdir / "report.json",
                              self.report.model_dump_json(indent=2) + "\n")
            if self.cache is not None and not isinstance(self._cache_arg, ResponseCache):
                self.cache.close()

    def _finish(self, record: BatchRecord, cluster: Cluster | None,
                results: ResultsFile | None) -> bool:
        """Persist one record; True when the batch must stop (fail_fast)."""
        if cluster is not None:
            self._write_outputs(record, cluster)
        if results is not None:
            results.append(record)
        self.report.add(record)
        if self.on_progress is not None:
            self.on_progress(self.report)
        return self.fail_fast and record.status != "ok"

    async def arun(self, on_result: Callable[[BatchRecord], Any] | None = None) -> BatchReport:
        async for record in self.stream():
            if on_result is not None:
                on_result(record)
        return self.report

    def run(self, on_result: Callable[[BatchRecord], Any] | None = None) -> BatchReport:
        """Run to the end in a fresh event loop (call ``arun`` from async code)."""
        return asyncio.run(self.arun(on_result))


def run_batch(source: str | Path | Iterable[Cluster], outdir: str | Path | None = None,
              *, on_result: Callable[[BatchRecord], Any] | None = None,
              **options: Any) -> BatchReport:
    """Summarise many clusters; see :class:`Batch` for the options. Returns the report; each
    record is passed to ``on_result`` as soon as it is written."""
    return Batch(source, outdir, **options).run(on_result)
