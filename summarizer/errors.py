"""The exception tree. Expected outcomes (a rejected item, a failed article) are data, not errors."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

# ---------------------------------------------------------------------------- redaction
# Keys never leave the process in a message: a server that echoes the Authorization header in
# its error body, or a client error that quotes the key, must not put it in results.jsonl, a
# log or the terminal. Every SummarizerError message goes through redact(); so do the other
# texts the package stores or prints (raw answers, internal errors, log records of the HTTP
# libraries).

_SECRETS: set[str] = set()
_TOKEN = re.compile(
    # a credential has 8+ characters and at least one digit ("Bearer of bad news" is prose)
    r"(?i)\b(?P<scheme>bearer|basic|token)(?P<sep>\s+)(?=[A-Za-z._~+/=-]*\d)[A-Za-z0-9._~+/=-]{8,}"
    r"|\bsk-[A-Za-z0-9_-]{8,}"
    r"|(?P<field>\b(?:authorization|api[-_]?key|x-api-key|access[-_]?token)[\"']?\s*[:=]\s*[\"']?)"
    r"(?!(?:bearer|basic|token)\b)(?=[^\s\"',}]*\d)[^\s\"',}]{8,}"
)
REDACTED = "[redacted]"


def register_secret(value: str | None) -> None:
    """Remember a configured key so :func:`redact` removes it wherever it appears."""
    if value and len(value) >= 6:
        _SECRETS.add(value)


def redact(text: str) -> str:
    """``text`` without any registered key or anything shaped like a bearer token or API key."""
    if not text:
        return text
    for secret in sorted(_SECRETS, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, REDACTED)

    def repl(m: re.Match[str]) -> str:
        if m.group("scheme"):
            return m.group("scheme") + m.group("sep") + REDACTED
        if m.group("field"):
            return m.group("field") + REDACTED
        return REDACTED

    return _TOKEN.sub(repl, text)


_LOG_PREFIXES = ("instructor", "openai", "httpx", "httpcore", "llama_cpp")
_factory_installed = False


def redact_logs() -> None:
    """Redact the log records of the HTTP and model libraries before any handler sees them.

    Their messages can quote an error body that echoes the key. Filters on a logger do not
    apply to its child loggers, and these libraries create loggers lazily, so the redaction
    hooks the record factory instead (chained to whatever factory was there) and touches only
    records from these libraries' loggers. Idempotent.
    """
    global _factory_installed
    if _factory_installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        if record.name.split(".")[0] in _LOG_PREFIXES:
            try:
                message = record.getMessage()
            except Exception:  # a malformed record: left to logging's own error handling
                return record
            cleaned = redact(message)
            if cleaned != message:
                record.msg, record.args = cleaned, None
            if record.exc_info and record.exc_info[1] is not None:
                text = redact(str(record.exc_info[1]))
                if text != str(record.exc_info[1]):
                    record.exc_info, record.exc_text = None, f"(exception text redacted) {text}"
        return record

    logging.setLogRecordFactory(factory)
    _factory_installed = True


# ---------------------------------------------------------------------------- exceptions


class SummarizerError(Exception):
    """Base of every error the package raises on purpose (its message is redacted)."""

    def __init__(self, message: str = "", *args: Any) -> None:
        super().__init__(redact(str(message)), *args)


class ConfigError(SummarizerError):
    """Missing or bad configuration; the message says how to fix it."""


class InputError(SummarizerError):
    """An unreadable or malformed article or cluster."""

    def __init__(self, message: str, path: Path | str | None = None) -> None:
        super().__init__(message)
        self.path = path


class PromptError(SummarizerError):
    """A prompt template is missing or uses an undefined variable."""


class LLMError(SummarizerError):
    """Transport or API failure talking to the model backend."""

    def __init__(self, message: str, backend: str = "", original: BaseException | None = None,
                 usage: Any = None):
        super().__init__(message)
        self.backend = backend
        self.original = original
        self.usage = usage  # what the failed call used (a models.Usage), when known


class ExtractionError(LLMError):
    """The model did not produce a valid answer within the allowed attempts."""

    def __init__(
        self,
        message: str,
        backend: str = "",
        attempts: int = 0,
        last_response: str | None = None,
        usage: Any = None,
        original: BaseException | None = None,
    ) -> None:
        super().__init__(message, backend=backend, original=original, usage=usage)
        self.attempts = attempts
        self.last_response = last_response
