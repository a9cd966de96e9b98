"""The exception tree. Expected outcomes (a rejected item, a failed article) are data, not errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any


class SummarizerError(Exception):
    """Base of every error the package raises on purpose."""


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

    def __init__(self, message: str, backend: str = "", original: BaseException | None = None):
        super().__init__(message)
        self.backend = backend
        self.original = original


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
        super().__init__(message, backend=backend, original=original)
        self.attempts = attempts
        self.last_response = last_response
        self.usage = usage
