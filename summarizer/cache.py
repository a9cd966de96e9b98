"""A persistent cache of model answers (SQLite), so a rerun of finished work costs zero calls.

The key is a SHA-256 over the backend, the model, the prompt templates' version, the answer
schema (which is the schema's version: any change to the ids, enums or fields changes it), the
decoding settings and the rendered messages. Only validated answers are stored: a failure
raises through the wrapper and leaves nothing behind. The database runs in WAL mode with a busy
timeout, one connection per thread, so several threads and several processes (a batch and its
rerun, two batches on one cache) can read and write it at once. No key or token is ever part
of what is stored: the settings that go into the key are listed in :func:`cache_key`.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any, TypeVar

import platformdirs
from pydantic import BaseModel

from summarizer.errors import ConfigError
from summarizer.llm import LabelClient, acall
from summarizer.models import Usage
from summarizer.prompts import template_version

T = TypeVar("T", bound=BaseModel)

CACHE_FORMAT = 1


def default_cache_path() -> Path:
    return Path(platformdirs.user_cache_dir("summarizer")) / "responses.sqlite3"


def cache_key(backend: str, model: str, settings_part: dict[str, Any],
              messages: list[dict[str, str]], schema: dict[str, Any]) -> str:
    payload = {
        "format": CACHE_FORMAT,
        "backend": backend,
        "model": model,
        "settings": settings_part,
        "schema": schema,
        "messages": messages,
    }
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class ResponseCache:
    """SQLite key -> (answer JSON, usage). Safe for concurrent threads and processes."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else default_cache_path()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(f"cannot create the cache folder {self.path.parent}: "
                              f"{exc.strerror}") from None
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._db().execute(
            "CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, answer TEXT NOT NULL, "
            "prompt_tokens INTEGER, completion_tokens INTEGER, created REAL)")

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            try:
                db = sqlite3.connect(self.path, timeout=60, isolation_level=None,
                                     check_same_thread=False)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
            except sqlite3.Error as exc:
                raise ConfigError(f"cannot open the response cache {self.path}: {exc}") from None
            self._local.db = db
            with self._lock:
                self._connections.append(db)
        return db

    def get(self, key: str) -> tuple[str, int, int] | None:
        row = self._db().execute(
            "SELECT answer, prompt_tokens, completion_tokens FROM answers WHERE key = ?",
            (key,)).fetchone()
        return (row[0], row[1] or 0, row[2] or 0) if row else None

    def put(self, key: str, answer: str, usage: Usage) -> None:
        self._db().execute(
            "INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?)",
            (key, answer, usage.prompt_tokens, usage.completion_tokens, time.time()))

    def __len__(self) -> int:
        return int(self._db().execute("SELECT COUNT(*) FROM answers").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            for db in self._connections:
                db.close()
            self._connections.clear()
        self._local = threading.local()


class CachedClient:
    """Wraps a :class:`LabelClient`: answers come from the cache when the same request was
    answered before (``Usage.cache_hits``, no call), else from the client, and are stored."""

    def __init__(self, client: LabelClient, cache: ResponseCache, settings_part: dict[str, Any]):
        self.client = client
        self.cache = cache
        self.backend = client.backend
        self.model = client.model
        self._settings_part = settings_part

    def _key(self, messages: list[dict[str, str]], schema: dict[str, Any]) -> str:
        return cache_key(self.backend, self.model, self._settings_part, messages, schema)

    def _hit(self, key: str, response_model: type[T]) -> tuple[T, Usage] | None:
        row = self.cache.get(key)
        if row is None:
            return None
        try:
            answer = response_model.model_validate_json(row[0])
        except ValueError:  # stored under an older model of the answer: ask again
            return None
        return answer, Usage(cache_hits=1)

    def complete(self, messages: list[dict[str, str]], response_model: type[T],
                 schema: dict[str, Any]) -> tuple[T, Usage]:
        key = self._key(messages, schema)
        hit = self._hit(key, response_model)
        if hit is not None:
            return hit
        answer, usage = self.client.complete(messages, response_model, schema)
        self.cache.put(key, answer.model_dump_json(), usage)
        return answer, usage

    async def aclose(self) -> None:
        if hasattr(self.client, "aclose"):
            await self.client.aclose()

    async def acomplete(self, messages: list[dict[str, str]], response_model: type[T],
                        schema: dict[str, Any]) -> tuple[T, Usage]:
        key = self._key(messages, schema)
        hit = self._hit(key, response_model)
        if hit is not None:
            return hit
        answer, usage = await acall(self.client, messages, response_model, schema)
        self.cache.put(key, answer.model_dump_json(), usage)
        return answer, usage


def cached(client: LabelClient, cache: ResponseCache, settings: Any) -> CachedClient:
    """``client`` behind ``cache``; the decoding settings that change answers join the key."""
    part = {"templates": template_version(settings.prompt_dir),
            "temperature": settings.temperature, "max_tokens": settings.max_tokens,
            "mode": settings.resolved_mode() if client.backend == "openai" else None,
            "base_url": settings.base_url if client.backend == "openai" else None}
    return CachedClient(client, cache, part)
