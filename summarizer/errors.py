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


class RedactingFilter(logging.Filter):
    """A logging filter that redacts a record's message (attached to the HTTP libraries'
    loggers when a client is built)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


_FILTER = RedactingFilter()


def redact_logs(prefixes: tuple[str, ...] = ("instructor", "openai", "httpx", "httpcore")) -> None:
    """Attach the redacting filter to every existing logger under these names (a logger's
    filters do not apply to its children, so each one gets it)."""
    manager = logging.Logger.manager
    names = [n for n in list(manager.loggerDict) if n.split(".")[0] in prefixes]
    for name in {*prefixes, *names}:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)


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
