"""Progress of a batch on stderr: a rich bar on a terminal, a plain line every few seconds
otherwise (logs, CI), nothing with ``quiet``."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from summarizer.batch import Batch, BatchReport

PLAIN_EVERY = 10.0  # seconds between plain lines


def _line(r: BatchReport) -> str:
    total = f"/{r.total}" if r.total is not None else ""
    return (f"{r.clusters + r.skipped}{total} clusters · {r.ok} ok, {r.partial} partial, "
            f"{r.failed} failed · {r.calls} calls, {r.cache_hits} cache hits, "
            f"{r.retries} retries · {r.prompt_tokens + r.completion_tokens} tokens")


@contextlib.contextmanager
def batch_progress(run: Batch, console: Console, *, quiet: bool = False,
                   plain_every: float = PLAIN_EVERY) -> Iterator[None]:
    if quiet:
        yield
        return
    if console.is_terminal:
        columns: list[Any] = [TextColumn("[bold]batch"), BarColumn(), MofNCompleteColumn(),
                              TextColumn("{task.fields[stats]}"), TimeRemainingColumn()]
        with Progress(*columns, console=console, transient=False) as bar:
            task = bar.add_task("batch", total=run.report.total, stats="")

            def update(r: BatchReport) -> None:
                bar.update(task, completed=r.clusters + r.skipped,
                           stats=f"{r.failed} failed · {r.calls} calls · "
                                 f"{r.prompt_tokens + r.completion_tokens} tok")

            run.on_progress = update
            yield
        return
    last = [time.monotonic()]

    def plain(r: BatchReport) -> None:
        now = time.monotonic()
        if now - last[0] >= plain_every:
            last[0] = now
            console.print(_line(r), highlight=False, soft_wrap=True)

    run.on_progress = plain
    yield
