"""Fixtures only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summarizer.articles import load_cluster


DATA = Path(__file__).parent / "data"
DEV = DATA / "syria-coast-2025-03"
ROOT = Path(__file__).parent.parent


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch, tmp_path):
    import os

    for name in list(os.environ):
        if name.startswith(("SUMMARIZER_", "OPENAI_")):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="session")
def dev_cluster():
    return load_cluster(DEV)


@pytest.fixture(scope="session")
def gold():
    return json.loads((DEV / "gold.json").read_text(encoding="utf-8"))


class FakeClient:
    """Returns queued label objects (or raises queued exceptions); records what it was sent."""

    backend = "fake"
    model = "fake"

    def __init__(self, answers):
        self.answers = list(answers)
        self.sent = []

    def complete(self, messages, response_model, schema):
        from summarizer.models import Usage

        self.sent.append((messages, schema))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        if callable(answer):
            answer = answer(messages, schema)
        data = answer.model_dump() if hasattr(answer, "model_dump") else answer
        return response_model.model_validate(data), Usage(
            calls=1, attempts=1, prompt_tokens=100, completion_tokens=10, seconds=0.5
        )


@pytest.fixture
def fake_client():
    return FakeClient


@pytest.fixture(scope="module")
def vcr_config():
    return {
        "filter_headers": ["authorization", "api-key", "cookie", "openai-organization",
                           "openai-project", "x-stainless-arch", "x-stainless-os"],
        "decode_compressed_response": True,
        "match_on": ["method", "path", "body"],
        "before_record_response": _scrub_response,
    }


def _scrub_response(response):
    headers = response.get("headers", {})
    for name in list(headers):
        if name.lower() in {"set-cookie", "openai-organization", "openai-project"}:
            del headers[name]
    return response


@pytest.fixture(scope="module")
def vcr_cassette_dir(request):
    return str(ROOT / "cassettes" / request.module.__name__.split(".")[-1])


def makes_a_call(article) -> bool:
    """Whether the plan leaves anything to the model (else code decides it all: no call)."""
    from summarizer import rules
    from summarizer.candidates import find_candidates
    from summarizer.extract import needs_model, plan

    cands = find_candidates(article)
    qhints, nhints = rules.hint_all(article, cands)
    return needs_model(cands, plan(article, cands, qhints, nhints))
