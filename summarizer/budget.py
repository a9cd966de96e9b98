"""A CPU-time budget for the code that reads one article, so a runaway input fails that article
instead of hanging a batch.

The work is pure Python (no model call inside a budgeted stretch), so it cannot be interrupted
from outside; it checks instead: loops over sentences, quotes and numbers call
:func:`check_deadline`, which raises :class:`TimeBudgetExceeded` once the article has used its
budget. The time counted is the CPU time of the thread doing the work (``time.thread_time``),
so other articles running at the same time, or a loaded machine, do not eat into it.
"""

from __future__ import annotations

import contextlib
import contextvars
import time
from collections.abc import Iterator

from summarizer.errors import SummarizerError


class TimeBudgetExceeded(SummarizerError):
    """An article's text processing used more CPU time than ``Settings.article_seconds``."""


class Budget:
    """Seconds of CPU time for one article, spent over one or more stretches of work."""

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.spent = 0.0
        self._started: float | None = None

    @contextlib.contextmanager
    def running(self) -> Iterator[Budget]:
        """Count the time of the enclosed block (it must not yield to other work)."""
        token = _CURRENT.set(self if self.seconds is not None else None)
        self._started = time.thread_time()
        try:
            yield self
        finally:
            self.spent += time.thread_time() - self._started
            self._started = None
            _CURRENT.reset(token)

    def check(self) -> None:
        if self.seconds is None or self._started is None:
            return
        used = self.spent + time.thread_time() - self._started
        if used > self.seconds:
            raise TimeBudgetExceeded(
                f"gave up after {used:.1f} s of text processing (the limit is "
                f"article_seconds = {self.seconds:g}); the text is too large or too unusual")


_CURRENT: contextvars.ContextVar[Budget | None] = contextvars.ContextVar(
    "summarizer_budget", default=None)


def check_deadline() -> None:
    """Raise :class:`TimeBudgetExceeded` when the running budget is used up (no-op outside one)."""
    budget = _CURRENT.get()
    if budget is not None:
        budget.check()
