"""The LLM boundary against a real OpenAI-compatible server, replayed from cassettes.

Recorded from llama-cpp-python's server with the embedded model (see README: re-recording).
"""

import os

import pytest

from summarizer.articles import make_article
from summarizer.config import Settings
from summarizer.extract import extract_article
from summarizer.llm import OpenAIClient

SHORT = (
    "At least 12 people were killed and 30 injured when a bridge collapsed in Riverton on "
    "Tuesday, the fire department said.\n"
    "“We pulled nine survivors out of the water,” said fire chief Maria Lopez. "
    "“The search goes on tonight.”\n"
    "Mayor John Reed called the collapse “a tragedy for the whole city”.\n"
)


def _settings():
    return Settings(
        backend="openai",
        base_url=os.environ.get("SUMMARIZER_RECORD_BASE_URL", "http://127.0.0.1:8765/v1"),
        model=os.environ.get("SUMMARIZER_RECORD_MODEL", "qwen2.5-coder-1.5b"),
        mode=os.environ.get("SUMMARIZER_RECORD_MODE", "json_object_schema"),
        max_tokens=1200,
        transport_retries=0,
    )


@pytest.mark.vcr
@pytest.mark.cassette
def test_extract_short_article_through_server():
    article = make_article("bridge", SHORT, published="2025-05-07")
    x = extract_article(article, settings=_settings(), client=OpenAIClient(_settings()))
    assert x.error is None, x.error
    assert x.usage.calls == 1 and x.usage.completion_tokens > 0 and x.usage.prompt_tokens > 0
    for item in [*x.quotes, *x.figures]:
        assert article.text[item.span.start:item.span.end] == item.span.text
    figures = {f.span.text: f for f in x.figures}
    assert figures["At least 12 people"].measure.value == "killed"
    assert figures["At least 12 people"].quantity.low == 12
    quotes = {q.span.text: q for q in x.quotes}
    assert quotes["We pulled nine survivors out of the water"].speaker == "Maria Lopez"


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.filterwarnings("ignore::ResourceWarning")
def test_replay_never_reaches_the_network():
    """With --block-network, a request with no cassette must fail, not go out."""
    settings = _settings().model_copy(update={"base_url": "http://127.0.0.1:9/v1"})
    # the blankets are a number only the model labels, so a call is made
    article = make_article("x", "Volunteers handed out 40 blankets on Monday, police said.")
    x = extract_article(article, settings=settings, client=OpenAIClient(settings))
    assert x.error is not None
    import gc

    gc.collect()  # the refused socket is reclaimed here, not in a later test


def _status_error(status, headers=None):
    import httpx2
    import openai

    request = httpx2.Request("POST", "http://127.0.0.1:9/v1/chat/completions")
    response = httpx2.Response(status, headers=headers or {}, request=request)
    cls = openai.RateLimitError if status == 429 else openai.InternalServerError
    return cls("boom", response=response, body=None)


def test_transport_retry_policy_honours_retry_after():
    from tenacity import RetryCallState

    from summarizer.llm import _is_transient, _WaitRetryAfter, transport_retrying

    assert _is_transient(_status_error(429))
    assert _is_transient(_status_error(503))
    wait = _WaitRetryAfter()
    state = RetryCallState(transport_retrying(_settings()), fn=None, args=(), kwargs={})
    state.set_exception((type(e := _status_error(429, {"retry-after": "7"})), e, None))
    assert wait(state) == 7.0
    calls = []

    def flaky():
        calls.append(1)
        if len(calls) < 3:
            raise _status_error(500)
        return "ok"

    retrying = transport_retrying(_settings().model_copy(update={"transport_retries": 3}),
                                  initial_wait=0.001)
    assert retrying(flaky) == "ok" and len(calls) == 3


class _FakeCtx:
    def __init__(self, owner):
        self.owner = owner

    def kv_cache_seq_rm(self, seq, start, end):
        self.owner.cache = self.owner.cache[:start]
        return True


class _FakeLlama:
    """The parts of llama_cpp.Llama that LocalClient._restore_prefix touches."""

    def __init__(self):
        self.cache: list[int] = []
        self.evals: list[list[int]] = []
        self.resets = 0
        self._ctx = _FakeCtx(self)

    @property
    def input_ids(self):
        return self.cache

    @property
    def n_tokens(self):
        return len(self.cache)

    @n_tokens.setter
    def n_tokens(self, n):
        self.cache = self.cache[:n]

    def reset(self):
        self.resets += 1
        self.cache = []

    def eval(self, tokens):
        self.evals.append(list(tokens))
        self.cache = self.cache + list(tokens)


def test_every_local_call_starts_from_the_same_prefix_state():
    """Whatever the previous call left in the cache, the next one starts from exactly the
    shared prefix, evaluated once from an empty cache: answers cannot depend on order."""
    from summarizer.llm import LocalClient

    client = LocalClient.__new__(LocalClient)
    client._llama = _FakeLlama()
    client._formatter = None
    client._prefixes = {"SYS": [1, 2, 3]}
    messages = [{"role": "system", "content": "SYS"}, {"role": "user", "content": "a"}]
    client._restore_prefix(messages)
    assert client._llama.cache == [1, 2, 3] and client._llama.evals == [[1, 2, 3]]
    client._llama.cache += [9, 9, 9, 9]  # what a generation leaves behind
    client._restore_prefix(messages)
    assert client._llama.cache == [1, 2, 3] and len(client._llama.evals) == 1  # kept, not redone
    client._llama.cache = [1, 7, 7]  # another system prompt was used in between
    client._restore_prefix(messages)
    assert client._llama.cache == [1, 2, 3] and client._llama.evals[-1] == [1, 2, 3]
    # a template that cannot be rendered: no prefix, an empty cache before every call
    client._prefixes = {}
    client._llama.cache = [5, 5]
    client._restore_prefix([{"role": "system", "content": "other"}])
    assert client._llama.cache == []
