"""Settings and their precedence; the only module that reads ``os.environ``.

Precedence, highest first: explicit arguments (CLI flags) > environment (``SUMMARIZER_*``, then
``OPENAI_API_KEY`` / ``OPENAI_BASE_URL``) > TOML config file (``--config``, ``$SUMMARIZER_CONFIG``,
``./summarizer.toml``) > defaults. Every resolved value remembers where it came from.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from summarizer.errors import ConfigError, register_secret

Backend = Literal["auto", "openai", "local", "rules"]
Mode = Literal["auto", "tools", "json_schema", "json_object_schema", "json"]

ENV_PREFIX = "SUMMARIZER_"


class Settings(BaseModel):
    """Resolved configuration. Build it with :func:`load_settings` or directly in code."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    backend: Backend = "auto"
    base_url: str | None = None
    model: str | None = None
    api_key: SecretStr | None = None
    mode: Mode = "auto"
    model_path: Path | None = Field(default=None, description="GGUF file for the local backend")
    threads: int | None = Field(default=None, description="local backend threads (default: cores)")
    n_ctx: int = 8192
    temperature: float = 0.0
    max_tokens: int = 2048
    max_attempts: int = Field(default=3, ge=1, description="model answers tried per call (re-asks)")
    transport_retries: int = Field(default=4, ge=0)
    timeout: float = 300.0
    max_article_chars: int = Field(
        default=1_000_000, ge=1,
        description="longer articles fail with a clear error instead of being read")
    article_seconds: float | None = Field(
        default=60.0, gt=0,
        description="CPU seconds the code may spend reading one article (model calls not "
                    "counted); past it the article fails instead of holding up the rest")
    prompt_dir: Path | None = None
    cache_path: Path | None = None
    concurrency: int = Field(default=4, ge=1)
    check_claims: int | None = Field(
        default=None, ge=0,
        description="entities per cluster whose descriptions the model checks for "
                    "contradictions (default: 6 on an OpenAI-compatible backend, 0 on the "
                    "embedded model, which measured no better than noise at it)")
    event_choices: int = Field(
        default=0, ge=0,
        description="undated sentences offered to the model to pick as events (dated ones are "
                    "events by code). 0: the model picks none; on the embedded model its picks "
                    "lowered event precision on the gold clusters (0.659 -> 0.435) for +0.017 "
                    "recall. Try 10 with a stronger model")
    sources: dict[str, str] = Field(default_factory=dict, exclude=True)

    def resolved_backend(self) -> tuple[str, str]:
        """Return ``(backend, why)``: explicit > base URL or key configured -> openai > local."""
        if self.backend != "auto":
            return self.backend, f"backend set explicitly ({self.sources.get('backend', 'code')})"
        if self.base_url:
            return "openai", f"a base URL is configured ({self.sources.get('base_url', 'code')})"
        if self.api_key is not None:
            return "openai", f"an API key is configured ({self.sources.get('api_key', 'code')})"
        return "local", "no key or base URL configured: embedded local model"

    def resolved_check_claims(self) -> int:
        """How many entity profiles the model checks per cluster (see ``check_claims``)."""
        if self.check_claims is not None:
            return self.check_claims
        return 6 if self.resolved_backend()[0] == "openai" else 0

    def resolved_mode(self) -> str:
        """The instructor mode: tools for OpenAI itself, llama.cpp's schema dialect for servers."""
        if self.mode != "auto":
            return self.mode
        return "json_object_schema" if self.base_url else "tools"

    def resolved_model(self) -> str:
        backend, _ = self.resolved_backend()
        if self.model:
            return self.model
        if backend == "openai":
            return "gpt-4o-mini" if not self.base_url else "local-model"
        if backend == "local":
            return str(self.model_path) if self.model_path else "qwen2.5-coder-1.5b-instruct-q4_k_m"
        return "rules"


_ENV_FIELDS = {
    "backend": "BACKEND",
    "base_url": "BASE_URL",
    "model": "MODEL",
    "api_key": "API_KEY",
    "mode": "MODE",
    "model_path": "MODEL_PATH",
    "threads": "THREADS",
    "n_ctx": "N_CTX",
    "max_tokens": "MAX_TOKENS",
    "max_attempts": "MAX_ATTEMPTS",
    "timeout": "TIMEOUT",
    "max_article_chars": "MAX_ARTICLE_CHARS",
    "article_seconds": "ARTICLE_SECONDS",
    "prompt_dir": "PROMPT_DIR",
    "cache_path": "CACHE",
    "concurrency": "CONCURRENCY",
    "check_claims": "CHECK_CLAIMS",
    "event_choices": "EVENT_CHOICES",
}


def _config_file(explicit: Path | None, env: Mapping[str, str]) -> Path | None:
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"config file not found: {explicit}")
        return explicit
    if env.get("SUMMARIZER_CONFIG"):
        path = Path(env["SUMMARIZER_CONFIG"])
        if not path.is_file():
            raise ConfigError(f"SUMMARIZER_CONFIG points at a missing file: {path}")
        return path
    local = Path("summarizer.toml")
    return local if local.is_file() else None


def load_settings(
    overrides: Mapping[str, Any] | None = None,
    *,
    config_file: Path | None = None,
    env: Mapping[str, str] | None = None,
    api_key_env: str | None = None,
) -> Settings:
    """Resolve settings from overrides > environment > config file > defaults.

    Args:
        overrides: explicit values (CLI flags); ``None`` values are ignored.
        config_file: a TOML file; else ``$SUMMARIZER_CONFIG`` or ``./summarizer.toml``.
        env: the environment to read (default ``os.environ``).
        api_key_env: read the API key from this environment variable instead.
    Raises:
        ConfigError: unreadable config file or invalid value.
    """
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}

    path = _config_file(config_file, env)
    if path is not None:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read config file {path}: {exc}") from exc
        data = data.get("summarizer", data)
        for key, value in data.items():
            if key not in Settings.model_fields or key == "sources":
                raise ConfigError(f"unknown setting {key!r} in {path}")
            values[key] = value
            sources[key] = f"config file {path}"

    if env.get("OPENAI_BASE_URL"):
        values["base_url"], sources["base_url"] = env["OPENAI_BASE_URL"], "env OPENAI_BASE_URL"
    if env.get("OPENAI_API_KEY"):
        values["api_key"], sources["api_key"] = env["OPENAI_API_KEY"], "env OPENAI_API_KEY"
    for field, suffix in _ENV_FIELDS.items():
        name = ENV_PREFIX + suffix
        if env.get(name):
            values[field], sources[field] = env[name], f"env {name}"
    if api_key_env:
        if not env.get(api_key_env):
            raise ConfigError(f"--api-key-env {api_key_env}: that environment variable is not set")
        values["api_key"], sources["api_key"] = env[api_key_env], f"env {api_key_env}"

    for key, value in (overrides or {}).items():
        if value is not None:
            values[key] = value
            sources[key] = "command line"

    try:
        settings = Settings(**values)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        where = sources.get(field, "input")
        raise ConfigError(f"invalid setting {field} ({where}): {first['msg']}") from None
    settings.sources = sources
    if settings.api_key is not None:
        register_secret(settings.api_key.get_secret_value())
    return settings


def describe_settings(settings: Settings) -> list[tuple[str, str, str]]:
    """Rows ``(name, value, source)`` for ``config show``; of the key, only whether it is set."""
    rows = []
    for name in Settings.model_fields:
        if name == "sources":
            continue
        value = getattr(settings, name)
        if name == "api_key":
            shown = "set" if value is not None else "not set"  # never any of its characters
        else:
            shown = "" if value is None else str(value)
        rows.append((name, shown, settings.sources.get(name, "default")))
    backend, why = settings.resolved_backend()
    rows.append(("→ backend", backend, why))
    rows.append(("→ model", settings.resolved_model(), "resolved"))
    if backend == "openai":
        rows.append(("→ mode", settings.resolved_mode(), "resolved"))
    return rows
