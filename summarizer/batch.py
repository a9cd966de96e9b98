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
- **One writer**: ``OUTDIR/.summarizer.lock`` is taken first (:class:`OutputLock`); a second
  batch on the same folder gets :class:`OutputLocked`.
- **Resume**: a rerun reads ``results.jsonl`` first and skips every cluster already there;
  clusters that were in flight are done again. A line that is not a record (torn by a crash,
  damaged on disk) is reported (``report.warnings``, ``on_warning``) and moved to
  ``results.corrupt.jsonl``; the valid lines after it are kept. No duplicate, no missing line.
  ``retry_failed`` re-does clusters recorded as error or partial (their old lines are removed
  first, atomically).
- **Cache**: model answers go through :class:`~summarizer.cache.ResponseCache`, so a rerun of
  finished work makes zero calls; failures are never cached.
- **Faults**: transport errors are retried by the client (jittered backoff, ``Retry-After``
  honoured); a cluster that still fails is an error record and the batch goes on, unless
  ``fail_fast``. Anything raised while loading one line or folder is that cluster's error
  record. Status: ``ok`` (every article extracted), ``partial`` (some articles failed to load
  or extract: the summary of the others is kept), ``error`` (no article summarised).
- **Report**: ``report.json`` with clusters ok/partial/failed/skipped, calls, cache hits,
  retries, tokens, estimated cost from a price table, wall time.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import time
import urllib.parse
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
    warnings: list[str] = Field(default_factory=list, description="corrupt lines skipped on "
                                "resume, a stale lock taken over")
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
    """The file name (without suffix) of a cluster's per-cluster outputs: unique per id and
    reversible with :func:`cluster_id_of`.

    Every character but ``A-Z a-z 0-9 _ . - ~`` is percent-encoded (``a/b`` -> ``a%2Fb``, while
    ``a_b`` stays ``a_b``), as is a leading dot, so no id can name a hidden file, ``..`` or a
    path. An id whose encoding is over 200 bytes is cut and ends with 16 hex digits of its
    SHA-256 instead (still unique; not reversible).
    """
    name = urllib.parse.quote(cluster_id, safe="")
    if name.startswith("."):
        name = "%2E" + name[1:]
    if not name:
        name = "%00empty"
    if len(name) > 200:
        digest = hashlib.sha256(cluster_id.encode("utf-8")).hexdigest()[:16]
        name = name[:180].rsplit("%", 1)[0] if "%" in name[177:180] else name[:180]
        name = f"{name}~{digest}"
    return name


def cluster_id_of(name: str) -> str:
    """The cluster id a per-cluster file name stands for (the inverse of :func:`safe_name`)."""
    return urllib.parse.unquote(name)


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


def _line_record(raw: bytes) -> tuple[str, str] | str:
    """``(cluster_id, status)`` of a results line, or why it is not a record."""
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return "not JSON"
    if not isinstance(data, dict) or not isinstance(data.get("cluster_id"), str) \
            or data.get("status") not in ("ok", "partial", "error"):
        return "not a batch record"
    return data["cluster_id"], data["status"]


class ResultsFile:
    """``results.jsonl``: read what is done, set corrupt lines aside, append one line at a time.

    A line that is not a record (torn by a crash mid-write, or damaged on disk) is skipped and
    reported in ``warnings``; every valid line before and after it is kept. The bad lines are
    moved to ``results.corrupt.jsonl`` beside it (nothing is deleted) and their clusters are done
    again.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.corrupt_path = path.with_name(path.stem + ".corrupt.jsonl")
        self.warnings: list[str] = []
        self._fd: int | None = None

    def done(self) -> dict[str, str]:
        """cluster_id -> status of every valid line (the last one wins)."""
        if not self.path.exists():
            return {}
        out: dict[str, str] = {}
        last: dict[str, int] = {}  # cluster_id -> its last line
        repair = False
        with self.path.open("rb") as handle:
            for n, raw in enumerate(handle, 1):
                parsed = _line_record(raw)
                if isinstance(parsed, str):
                    repair = True
                    if raw.strip():
                        why = ("cut short, as by an interrupted run"
                               if not raw.endswith(b"\n") else parsed)
                        self.warnings.append(
                            f"{self.path} line {n}: {why}; skipped (kept in "
                            f"{self.corrupt_path.name}), its cluster will be done again")
                    continue
                if parsed[0] in last:  # written twice (by an older version, or by hand)
                    repair = True
                    self.warnings.append(f"{self.path} line {n}: cluster {parsed[0]} again "
                                         f"(also line {last[parsed[0]]}); the last one is kept")
                out[parsed[0]] = parsed[1]
                last[parsed[0]] = n
                repair = repair or not raw.endswith(b"\n")
        if repair:
            self._rewrite(lambda cluster_id, n: last.get(cluster_id) == n)
        return out

    def _rewrite(self, keep: Callable[[str, int], bool]) -> None:
        """Stream the file into a new one with the valid lines ``keep(cluster_id, line)``
        accepts (corrupt lines go to ``corrupt_path``), then replace it atomically."""
        tmp = self.path.with_suffix(".jsonl.tmp")
        corrupt = 0
        with self.path.open("rb") as src, tmp.open("wb") as dst, \
                self.corrupt_path.open("ab") as dump:
            for n, raw in enumerate(src, 1):
                line = raw if raw.endswith(b"\n") else raw + b"\n"
                parsed = _line_record(raw)
                if isinstance(parsed, str):
                    if raw.strip():
                        dump.write(line)
                        corrupt += 1
                elif keep(parsed[0], n):
                    dst.write(line)
            dst.flush()
            os.fsync(dst.fileno())
            dump.flush()
            os.fsync(dump.fileno())
        os.replace(tmp, self.path)
        if not corrupt and self.corrupt_path.stat().st_size == 0:
            self.corrupt_path.unlink()

    def drop(self, cluster_ids: set[str]) -> None:
        """Rewrite the file without these clusters' lines (atomic replace)."""
        if cluster_ids and self.path.exists():
            self._rewrite(lambda cluster_id, n: cluster_id not in cluster_ids)

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


class OutputLocked(InputError):
    """Another batch is writing to the same output folder."""


class OutputLock:
    """One writer per output folder: ``OUTDIR/.summarizer.lock`` holds the writer's pid.

    The file is locked with ``flock`` (``msvcrt.locking`` on Windows), which the operating
    system releases when the process ends however it ends, so a lock left by a killed batch is
    stale by construction and simply taken over; a live one refuses the second batch with its
    pid. The file is left in place, emptied, on release.
    """

    NAME = ".summarizer.lock"

    def __init__(self, folder: Path) -> None:
        self.path = folder / self.NAME
        self._fd: int | None = None
        self.took_over: str | None = None  # what a dead holder left in the file

    def acquire(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            _lock_fd(fd)
        except OSError:
            holder = os.read(fd, 200).decode("utf-8", "replace").strip() or "unknown pid"
            os.close(fd)
            raise OutputLocked(
                f"{self.path.parent} is in use by another batch ({holder}); wait for it to "
                "finish or choose another --output", self.path) from None
        previous = os.read(fd, 200).decode("utf-8", "replace").strip()
        self.took_over = previous or None
        os.lseek(fd, 0, os.SEEK_SET)
        os.ftruncate(fd, 0)
        os.write(fd, f"pid {os.getpid()} since {time.strftime('%Y-%m-%dT%H:%M:%S')}\n"
                 .encode())
        os.fsync(fd)
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            os.ftruncate(fd, 0)  # an empty lock file: nobody holds it
        finally:
            os.close(fd)  # closing releases the lock


def _lock_fd(fd: int) -> None:
    """Lock ``fd`` exclusively without waiting; OSError when another process holds it."""
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        return
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


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
        on_warning: Callable[[str], None] | None = None,
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
        self.on_warning = on_warning
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
        if self.outdir is None:
            async with contextlib.aclosing(self._stream(None, {})) as records:
                async for record in records:
                    yield record
            return
        try:
            self.outdir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"cannot create {self.outdir}: {exc.strerror}") from None
        lock = OutputLock(self.outdir)
        lock.acquire()  # before anything is read or written: one writer per folder
        try:
            if lock.took_over:
                self._warn(f"took over the lock of a batch that did not finish "
                           f"({lock.took_over})")
            results = ResultsFile(self.outdir / "results.jsonl")
            done = results.done()
            for warning in results.warnings:
                self._warn(warning)
            if self.retry_failed:
                redo = {cid for cid, status in done.items() if status != "ok"}
                results.drop(redo)
                done = {cid: s for cid, s in done.items() if cid not in redo}
            async with contextlib.aclosing(self._stream(results, done)) as records:
                async for record in records:
                    yield record
        finally:
            lock.release()

    async def _stream(self, results: ResultsFile | None,
                      done: dict[str, str]) -> AsyncIterator[BatchRecord]:
        started = time.perf_counter()
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
                        record = self._finish(record, None, results)
                        stop = stop or self._stops(record)
                        yield record
                        continue
                    pending.add(asyncio.create_task(self._one(item, client, limit)))
                if not pending:
                    break
                finished, pending = await asyncio.wait(pending,
                                                       return_when=asyncio.FIRST_COMPLETED)
                for task in sorted(finished, key=lambda t: t.result()[0].cluster_id):
                    record, cluster = task.result()
                    record = self._finish(record, cluster, results)
                    stop = stop or self._stops(record)
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

    def _warn(self, message: str) -> None:
        self.report.warnings.append(message)
        if self.on_warning is not None:
            self.on_warning(message)

    def _stops(self, record: BatchRecord) -> bool:
        """The batch must stop after this record (``fail_fast``)."""
        return self.fail_fast and record.status != "ok"

    def _finish(self, record: BatchRecord, cluster: Cluster | None,
                results: ResultsFile | None) -> BatchRecord:
        """Persist one record (its per-cluster files, then its line); returns what was
        written."""
        if cluster is not None:
            try:
                self._write_outputs(record, cluster)
            except OSError as exc:  # a full disk costs this cluster's files, not the batch
                record = record.model_copy(update={
                    "status": "partial" if record.status == "ok" else record.status,
                    "error": f"cannot write its per-cluster files: {exc.strerror or exc}"})
        if results is not None:
            results.append(record)
        self.report.add(record)
        if self.on_progress is not None:
            self.on_progress(self.report)
        return record

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
