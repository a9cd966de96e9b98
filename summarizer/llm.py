"""The model boundary: the only module that imports ``openai`` or ``instructor``.

A client takes rendered chat messages, a pydantic response model (whose validators check the ids)
and the JSON schema to constrain decoding with, and returns the parsed object with its usage.
Backends:

- ``openai``: any OpenAI-compatible endpoint through instructor. Modes: ``tools`` (OpenAI),
  ``json_schema`` (OpenAI structured outputs, vLLM), ``json_object_schema`` (llama.cpp server:
  ``response_format={"type": "json_object", "schema": S}``, sent through ``extra_body`` because
  instructor's JSON_SCHEMA dialect makes that server answer HTTP 500), ``json``.
- ``local``: llama.cpp in-process (the ``local`` extra), grammar-constrained by the same schema.

Transport errors (429 honouring ``Retry-After``, 5xx, timeouts, dropped connections) are retried
with jittered exponential backoff by tenacity; invalid answers are re-asked with the validation
error, up to ``Settings.max_attempts``; an answer cut by ``max_tokens`` counts as a failed attempt.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import threading
import time
from collections.abc import Iterator
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel, ValidationError
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential_jitter,
)

from summarizer.config import Settings
from summarizer.errors import ConfigError, ExtractionError, LLMError, redact_logs, register_secret
from summarizer.models import Usage

T = TypeVar("T", bound=BaseModel)


class LabelClient(Protocol):
    """What extraction needs from a model backend."""

    backend: str
    model: str

    def complete(
        self, messages: list[dict[str, str]], response_model: type[T], schema: dict[str, Any]
    ) -> tuple[T, Usage]: ...


# --------------------------------------------------------------------------- transport retries


def _transport_cause(exc: BaseException | None) -> BaseException | None:
    """The transport error behind ``exc``: itself, or what instructor wrapped (it re-raises a
    failed HTTP call as ``InstructorRetryException`` from the original)."""
    import openai

    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, openai.APIError):
            return exc
        exc, seen = exc.__cause__, seen + 1
    return None


def _is_transient(exc: BaseException) -> bool:
    import openai

    cause = _transport_cause(exc)
    if isinstance(cause, (openai.APITimeoutError, openai.APIConnectionError)):
        return True
    if isinstance(cause, openai.APIStatusError):
        return cause.status_code == 429 or cause.status_code >= 500
    return False


def _retry_after(exc: BaseException | None) -> float | None:
    response = getattr(_transport_cause(exc), "response", None)
    headers = getattr(response, "headers", None)
    if not headers:
        return None
    value = headers.get("retry-after")
    try:
        return min(float(value), 60.0) if value is not None else None
    except ValueError:
        return None


class _WaitRetryAfter:
    """Honour a server's Retry-After; otherwise jittered exponential backoff."""

    def __init__(self, initial: float = 0.5, maximum: float = 20.0) -> None:
        self._fallback = wait_exponential_jitter(multiplier=initial, max=maximum)

    def __call__(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        hinted = _retry_after(exc)
        return hinted if hinted is not None else self._fallback(state)


def transport_retrying(settings: Settings, *, initial_wait: float = 0.5,
                       asynchronous: bool = False) -> Retrying | AsyncRetrying:
    kind = AsyncRetrying if asynchronous else Retrying
    return kind(
        retry=retry_if_exception(_is_transient),
        wait=_WaitRetryAfter(initial=initial_wait),
        stop=stop_after_attempt(settings.transport_retries + 1),
        reraise=True,
    )


# --------------------------------------------------------------------------- OpenAI-compatible


class _Call:
    """What the instructor hooks of one call write to: its usage and the last raw answer."""

    def __init__(self, usage: Usage) -> None:
        self.usage = usage
        self.last: str | None = None
        self.requests = 0  # HTTP requests sent: first try, re-asks and transport retries


# One per call, in the caller's context: threads and asyncio tasks each see their own.
_CURRENT: contextvars.ContextVar[_Call | None] = contextvars.ContextVar("summarizer_call",
                                                                        default=None)


def _on_request(*args: Any, **kwargs: Any) -> None:
    call = _CURRENT.get()
    if call is not None:
        call.requests += 1


def _on_response(response: Any, *args: Any, **kwargs: Any) -> None:
    call = _CURRENT.get()
    if call is None:
        return
    call.usage.attempts += 1
    tokens = getattr(response, "usage", None)
    if tokens is not None:
        call.usage.prompt_tokens += tokens.prompt_tokens or 0
        call.usage.completion_tokens += tokens.completion_tokens or 0
    choices = getattr(response, "choices", None) or []
    if choices and getattr(choices[0], "message", None) is not None:
        call.last = choices[0].message.content or str(
            getattr(choices[0].message, "tool_calls", ""))


class OpenAIClient:
    """Instructor over the ``openai`` client for any OpenAI-compatible server; ``complete`` for
    threads, ``acomplete`` (the async client) for the event loop."""

    backend = "openai"

    def __init__(self, settings: Settings, *, initial_wait: float = 0.5) -> None:
        self.settings = settings
        self.model = settings.resolved_model()
        self.mode = settings.resolved_mode()
        self._initial_wait = initial_wait
        if settings.api_key is None and not settings.base_url:
            raise ConfigError(
                "the openai backend needs an API key (SUMMARIZER_API_KEY or OPENAI_API_KEY) "
                "or a --base-url for a local server"
            )
        if settings.api_key is not None:
            register_secret(settings.api_key.get_secret_value())
        self._client, self._raw = self._instructor(asynchronous=False)
        # the async client is built on first use inside the event loop that uses it (an
        # httpx pool belongs to one loop); aclose() releases it
        self._aclient: Any = None
        self._araw: Any = None
        self._aloop: Any = None

    def close(self) -> None:
        """Close the sync client's connections (a client built per call is closed by it)."""
        self._raw.close()

    async def aclose(self) -> None:
        """Close the async client's connections (the event loop that used it must be running)."""
        if self._araw is not None:
            raw, self._araw, self._aclient, self._aloop = self._araw, None, None, None
            await raw.close()

    def _instructor(self, *, asynchronous: bool) -> tuple[Any, Any]:
        import instructor
        import openai

        key = self.settings.api_key.get_secret_value() if self.settings.api_key else None
        kind = openai.AsyncOpenAI if asynchronous else openai.OpenAI
        raw = kind(
            api_key=key or "not-needed",
            base_url=self.settings.base_url,
            timeout=self.settings.timeout,
            max_retries=0,  # tenacity owns retries, so they are counted and not multiplied
        )
        instructor_mode = {
            "tools": instructor.Mode.TOOLS,
            "json_schema": instructor.Mode.JSON_SCHEMA,
            "json_object_schema": instructor.Mode.JSON_SCHEMA,
            "json": instructor.Mode.JSON,
        }[self.mode]
        # instructor logs every failed attempt at ERROR; with no logging configured Python would
        # print them, one per retried 429 of a batch. Handlers the application sets still get them.
        logging.getLogger("instructor").addHandler(logging.NullHandler())
        redact_logs()  # their records may quote an error body that echoes the key
        client = instructor.from_openai(raw, mode=instructor_mode)
        client.on("completion:kwargs", _on_request)
        client.on("completion:response", _on_response)
        return client, raw

    def _request(self, messages: list[dict[str, str]], response_model: type[T],
                 schema: dict[str, Any]) -> dict[str, Any]:
        extra: dict[str, Any] = {}
        if self.mode == "json_object_schema":
            extra["extra_body"] = {"response_format": {"type": "json_object", "schema": schema}}
        return dict(model=self.model, messages=messages, response_model=response_model,
                    max_retries=self.settings.max_attempts,
                    temperature=self.settings.temperature,
                    max_tokens=self.settings.max_tokens, **extra)

    @contextlib.contextmanager
    def _tracked(self) -> Iterator[_Call]:
        """One call: its usage collected by the hooks, its errors mapped, its time taken."""
        call = _Call(Usage(calls=1))
        token = _CURRENT.set(call)
        started = time.perf_counter()
        try:
            try:
                yield call
            finally:
                # every request after the first is a retry, whatever caused it
                call.usage.retries = max(0, call.requests - 1)
        except Exception as exc:
            raise self._error(exc, call, started) from None
        else:
            call.usage.seconds = round(time.perf_counter() - started, 3)
        finally:
            _CURRENT.reset(token)

    def complete(
        self, messages: list[dict[str, str]], response_model: type[T], schema: dict[str, Any]
    ) -> tuple[T, Usage]:
        with self._tracked() as call:
            for attempt in transport_retrying(self.settings, initial_wait=self._initial_wait):
                with attempt:
                    result = self._client.chat.completions.create(
                        **self._request(messages, response_model, schema))
        return result, call.usage

    async def acomplete(
        self, messages: list[dict[str, str]], response_model: type[T], schema: dict[str, Any]
    ) -> tuple[T, Usage]:
        import asyncio

        loop = asyncio.get_running_loop()
        if self._aclient is None or self._aloop is not loop:
            self._aclient, self._araw = self._instructor(asynchronous=True)
            self._aloop = loop
        with self._tracked() as call:
            async for attempt in transport_retrying(self.settings, initial_wait=self._initial_wait,
                                                    asynchronous=True):
                with attempt:
                    result = await self._aclient.chat.completions.create(
                        **self._request(messages, response_model, schema))
        return result, call.usage

    def _error(self, exc: Exception, call: _Call, started: float) -> Exception:
        """The project's error for what a call raised (anything unknown is re-raised as is)."""
        import openai
        from instructor.core.exceptions import InstructorError, InstructorRetryException

        call.usage.seconds = round(time.perf_counter() - started, 3)
        cause = _transport_cause(exc)
        if cause is not None and not isinstance(cause, openai.APIResponseValidationError):
            exc = cause  # a transport failure that outlived its retries, wrapped by instructor
        if isinstance(exc, InstructorRetryException):
            return ExtractionError(
                f"no valid answer after {exc.n_attempts} attempts: {_short(exc)}",
                backend=self.backend, attempts=exc.n_attempts, last_response=call.last,
                usage=call.usage, original=exc)
        if isinstance(exc, InstructorError):  # incomplete (max_tokens) or unparseable output
            return ExtractionError(
                f"invalid model answer: {type(exc).__name__}: {_short(exc)}",
                backend=self.backend, attempts=call.usage.attempts, last_response=call.last,
                usage=call.usage, original=exc)
        if isinstance(exc, openai.APIStatusError):
            return LLMError(f"{self.backend} server answered HTTP {exc.status_code}: "
                            f"{_short(exc)}", backend=self.backend, original=exc,
                            usage=call.usage)
        if isinstance(exc, (openai.APITimeoutError, openai.APIConnectionError)):
            return LLMError(
                f"cannot reach the {self.backend} server at {self.settings.base_url or 'OpenAI'}:"
                f" {type(exc).__name__}", backend=self.backend, original=exc, usage=call.usage)
        if isinstance(exc, openai.OpenAIError):
            return LLMError(f"{self.backend}: {_short(exc)}", backend=self.backend, original=exc,
                            usage=call.usage)
        return exc


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:300] + ("…" if len(text) > 300 else "")


# --------------------------------------------------------------------------- local llama.cpp

_LLAMA_LOCK = threading.Lock()
_LLAMAS: dict[tuple[str, int, int], Any] = {}


def load_llama(model_path: str, n_ctx: int, threads: int) -> Any:
    """One llama.cpp model per (path, context, threads) per process, reused across articles."""
    key = (model_path, n_ctx, threads)
    with _LLAMA_LOCK:
        if key not in _LLAMAS:
            try:
                from llama_cpp import Llama
            except ImportError:
                raise ConfigError(
                    "the local backend needs llama-cpp-python: pip install 'summarizer[local]'"
                ) from None
            with _no_weight_repacking():
                _LLAMAS[key] = Llama(
                    model_path=model_path,
                    n_ctx=n_ctx,
                    n_threads=threads,
                    n_batch=512,
                    logits_all=False,
                    verbose=False,
                )
        return _LLAMAS[key]


@contextlib.contextmanager
def _no_weight_repacking() -> Iterator[None]:
    """Load with ``use_extra_bufts`` off: llama.cpp's CPU weight repacking (Q4_K into
    interleaved blocks). Measured on 2026-12-04 on an AVX-512 Xeon of this machine kind, with
    llama-cpp-python 0.3.36 built from source (native flags): every decode of more than one
    token segfaulted with repacking on, and ran with it off. ``Llama()`` takes no argument for
    it, so its default model parameters are wrapped while the model loads (under the lock)."""
    import llama_cpp.llama_cpp as ll

    default = ll.llama_model_default_params

    def params() -> Any:
        out = default()
        out.use_extra_bufts = False
        return out

    ll.llama_model_default_params = params
    try:
        yield
    finally:
        ll.llama_model_default_params = default


class LocalClient:
    """llama.cpp in-process, output constrained by the JSON schema (a grammar)."""

    backend = "local"

    def __init__(self, settings: Settings, model_path: str) -> None:
        import os

        self.settings = settings
        self.model = settings.resolved_model()
        threads = settings.threads or len(os.sched_getaffinity(0))
        self._llama = load_llama(model_path, settings.n_ctx, threads)
        self._lock = threading.Lock()  # one llama context: one generation at a time
        self.first_token_seconds: float | None = None  # of the last attempt (benchmarks)
        self.last_response: str | None = None  # raw text of the last attempt (debugging)
        self._prefixes: dict[str, list[int]] = {}  # system prompt -> its prompt-prefix tokens
        self._formatter: Any = None

    def _prefix_tokens(self, messages: list[dict[str, str]]) -> list[int]:
        """The tokens of the rendered prompt up to where the first non-system message's text
        begins: shared by every call with the same system prompt. [] when the chat template
        cannot be rendered here (then every call starts from an empty cache)."""
        system = "".join(m["content"] for m in messages if m.get("role") == "system")
        if system in self._prefixes:
            return self._prefixes[system]
        tokens: list[int] = []
        try:
            if self._formatter is None:
                from llama_cpp.llama_chat_format import Jinja2ChatFormatter

                llama = self._llama
                template = llama.metadata["tokenizer.chat_template"]
                text_of = llama._model.token_get_text  # noqa: SLF001 - no public accessor
                self._formatter = Jinja2ChatFormatter(
                    template=template, eos_token=text_of(llama.token_eos()),
                    bos_token=text_of(llama.token_bos()) if llama.token_bos() >= 0 else "")
            sentinel = "\u2063SUMMARIZER-SPLIT\u2063"
            probe = [m for m in messages if m.get("role") == "system"] + [
                {"role": "user", "content": sentinel}]
            rendered = self._formatter(messages=probe)
            head = rendered.prompt.split(sentinel)[0]
            tokens = self._llama.tokenize(head.encode("utf-8"), add_bos=not rendered.added_special,
                                          special=True)
        except Exception:  # noqa: BLE001 - an unusual template only costs the prefix reuse
            tokens = []
        self._prefixes[system] = tokens
        return tokens

    def _restore_prefix(self, messages: list[dict[str, str]]) -> None:
        """Put the context in one fixed state before a call: exactly the shared prefix
        evaluated from an empty cache. llama.cpp then reuses that prefix and evaluates the rest
        of the prompt from the same position every time, so an article's answer depends on its
        prompt alone, not on what the model saw before (which batch boundaries a reused prefix
        left). The prefix is evaluated once per system prompt and kept."""
        llama = self._llama
        prefix = self._prefix_tokens(messages)
        n = len(prefix)
        held = list(llama.input_ids[: llama.n_tokens]) if llama.n_tokens >= n else []
        if n and held[:n] == prefix and llama._ctx.kv_cache_seq_rm(-1, n, -1):  # noqa: SLF001
            llama.n_tokens = n
            return
        llama.reset()
        if hasattr(llama._ctx, "kv_cache_clear"):  # noqa: SLF001
            llama._ctx.kv_cache_clear()  # noqa: SLF001
        if n:
            llama.eval(prefix)

    @staticmethod
    def _processors(fns: list[Any]) -> Any:
        from llama_cpp import LogitsProcessorList

        return LogitsProcessorList(fns)

    def complete(
        self, messages: list[dict[str, str]], response_model: type[T], schema: dict[str, Any]
    ) -> tuple[T, Usage]:
        usage = Usage(calls=1)
        started = time.perf_counter()
        convo = list(messages)
        last = None
        error: Exception | None = None
        for _ in range(self.settings.max_attempts):
            with self._lock:
                self._restore_prefix(convo)
                began = time.perf_counter()
                seen: list[float] = []

                def first_token(_ids: Any, scores: Any) -> Any:
                    if not seen:  # called once per generated token, the first after the prompt
                        seen.append(time.perf_counter() - began)
                    return scores

                out = self._llama.create_chat_completion(
                    messages=convo,
                    response_format={"type": "json_object", "schema": schema},
                    temperature=self.settings.temperature,
                    max_tokens=self.settings.max_tokens,
                    seed=0,
                    logits_processor=self._processors([first_token]),
                )
                self.first_token_seconds = round(seen[0], 3) if seen else None
            usage.attempts += 1
            usage.retries = usage.attempts - 1  # a re-ask after an invalid answer
            usage.prompt_tokens += out["usage"]["prompt_tokens"]
            usage.completion_tokens += out["usage"]["completion_tokens"]
            choice = out["choices"][0]
            last = choice["message"]["content"] or ""
            self.last_response = last
            if choice.get("finish_reason") == "length":
                error = ValueError("the answer was cut at max_tokens (the model looped)")
            else:
                try:
                    parsed = response_model.model_validate_json(last)
                    usage.seconds = round(time.perf_counter() - started, 3)
                    return parsed, usage
                except ValidationError as exc:
                    error = exc
            convo = [
                *messages,
                {"role": "assistant", "content": last},
                {"role": "user", "content": f"Your answer was invalid: {_short(error)}. "
                 "Answer again, correcting it."},
            ]
        usage.seconds = round(time.perf_counter() - started, 3)
        raise ExtractionError(
            f"no valid answer after {usage.attempts} attempts: {_short(error or ValueError())}",
            backend=self.backend,
            attempts=usage.attempts,
            last_response=last,
            usage=usage,
        )


def client_for(settings: Settings, client: LabelClient | None = None) -> LabelClient | None:
    """``client`` when given, else the resolved backend's (``None`` for the rules baseline)."""
    return client if client is not None else make_client(settings)


async def acall(client: LabelClient, messages: list[dict[str, str]], response_model: type[T],
                schema: dict[str, Any]) -> tuple[T, Usage]:
    """One call from async code: awaited when the client has ``acomplete`` (the OpenAI
    backend), else run in a worker thread (the embedded model) so the event loop never blocks."""
    import asyncio

    if hasattr(client, "acomplete"):
        return await client.acomplete(messages, response_model, schema)
    return await asyncio.to_thread(client.complete, messages, response_model, schema)


def make_client(settings: Settings) -> LabelClient | None:
    """The client for the resolved backend; ``None`` for the rules-only baseline."""
    backend, _ = settings.resolved_backend()
    if backend == "rules":
        return None
    if backend == "openai":
        return OpenAIClient(settings)
    from summarizer.localmodel import ensure_model

    path = settings.model_path or ensure_model()
    if not path.is_file():
        raise ConfigError(f"model file not found: {path}")
    return LocalClient(settings, str(path))


