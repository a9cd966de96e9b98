"""Locate ``prompts/`` and render the Jinja templates into chat messages (once, here)."""

from __future__ import annotations

import hashlib
import importlib.resources
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from summarizer.errors import PromptError

TEMPLATES = ("system.j2", "article.j2", "claims_system.j2", "claims.j2")


def prompt_dir(configured: Path | None = None) -> Path:
    """``Settings.prompt_dir`` -> package resource (wheel) -> ``<repo root>/prompts`` (checkout)."""
    if configured is not None:
        if not (configured / "system.j2").is_file():
            raise PromptError(f"prompt directory {configured} has no system.j2")
        return configured
    packaged = Path(str(importlib.resources.files("summarizer") / "prompts"))
    if (packaged / "system.j2").is_file():
        return packaged
    repo = Path(__file__).resolve().parent.parent / "prompts"
    if (repo / "system.j2").is_file():
        return repo
    raise PromptError("prompt templates not found (expected summarizer/prompts or ./prompts)")


@lru_cache(maxsize=8)
def _environment(directory: Path) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(directory)),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
    )


def render(name: str, directory: Path | None = None, **variables: Any) -> str:
    env = _environment(prompt_dir(directory))
    try:
        return env.get_template(name).render(**variables)
    except jinja2.TemplateNotFound:
        raise PromptError(f"prompt template {name} not found") from None
    except jinja2.UndefinedError as exc:
        raise PromptError(f"prompt template {name}: {exc.message}") from None


def template_version(directory: Path | None = None) -> str:
    """A hash of the templates: part of every cache key, so an edited prompt never hits."""
    root = prompt_dir(directory)
    digest = hashlib.sha256()
    for name in TEMPLATES:
        digest.update((root / name).read_bytes())
    return digest.hexdigest()[:16]


def render_messages(variables: dict[str, Any], directory: Path | None = None) -> list[dict[str, str]]:
    """System + user messages for one article (or one part of a long article).

    Article text is passed as a variable value, never as template source, so ``{{`` in an
    article reaches the model verbatim.
    """
    return [
        {"role": "system", "content": render("system.j2", directory, **variables).strip()},
        {"role": "user", "content": render("article.j2", directory, **variables).strip()},
    ]


def render_claims_messages(variables: dict[str, Any],
                           directory: Path | None = None) -> list[dict[str, str]]:
    """System + user messages asking which statements about one entity contradict."""
    return [
        {"role": "system", "content": render("claims_system.j2", directory, **variables).strip()},
        {"role": "user", "content": render("claims.j2", directory, **variables).strip()},
    ]
