"""summarize_cluster(): load -> extract each article -> reconcile. No global state."""

from __future__ import annotations

import asyncio

from pydantic import ValidationError

from summarizer.claims import CheckRequest, Profile, check_requests, entity_profiles, to_check
from summarizer.config import Settings
from summarizer.errors import ExtractionError, LLMError, redact
from summarizer.extract import extract_article, extract_article_async
from summarizer.llm import LabelClient, acall, client_for
from summarizer.models import ArticleExtraction, ClaimCheck, Cluster, ClusterSummary, Usage
from summarizer.reconcile import reconcile


def summarize_cluster(
    cluster: Cluster,
    *,
    settings: Settings | None = None,
    client: LabelClient | None = None,
) -> ClusterSummary:
    """Summarise one cluster: one grounded extraction per article, then deterministic merging.

    A failed article is listed in ``failed_articles``; the rest is still summarised.

    Raises:
        ConfigError: the backend cannot be set up (nothing is extracted then).
    """
    settings = settings or Settings()
    own = client is None
    client = client_for(settings, client)
    try:
        extractions: list[ArticleExtraction] = []
        for article in cluster.articles:
            extractions.append(extract_article(article, settings=settings, client=client))
        profiles, requests = _claims_to_check(cluster, extractions, settings, client)
        checks = [_check(request, client) for request in requests]  # type: ignore[arg-type]
    finally:
        if own and hasattr(client, "close"):
            client.close()  # a client built here: its connections go with it
    return reconcile(cluster.cluster_id, cluster.articles, extractions, cluster.failed, checks,
                     profiles)


def _claims_to_check(cluster: Cluster, extractions: list[ArticleExtraction], settings: Settings,
                     client: LabelClient | None) -> tuple[list[Profile], list[CheckRequest]]:
    """Entity profiles of the articles that were extracted, and the checks to ask about them
    (none without a model)."""
    ok = {x.article_id for x in extractions if x.error is None}
    profiles = entity_profiles([a for a in cluster.articles if a.id in ok])
    if client is None:
        return profiles, []
    return profiles, check_requests(profiles, settings.resolved_check_claims(),
                                    settings.prompt_dir)


def _check(request: CheckRequest, client: LabelClient) -> ClaimCheck:
    try:
        answer, usage = client.complete(request.messages, request.response_model,
                                        request.schema)
        return to_check(request, answer, client.model, usage=usage)
    except (LLMError, ValidationError) as exc:
        return _failed_check(request, client, exc)


def _failed_check(request: CheckRequest, client: LabelClient, exc: Exception) -> ClaimCheck:
    usage = exc.usage if isinstance(exc, LLMError) and isinstance(exc.usage, Usage) \
        else Usage(calls=1)
    return to_check(request, None, client.model, error=redact(str(exc)), usage=usage)


async def summarize_cluster_async(
    cluster: Cluster,
    *,
    settings: Settings | None = None,
    client: LabelClient | None = None,
    semaphore: asyncio.Semaphore | None = None,
) -> ClusterSummary:
    """The async twin: articles are extracted concurrently; the OpenAI backend through the async
    client, the embedded model in a worker thread (the event loop is never blocked).

    ``semaphore`` bounds the model calls in flight (share one across clusters for a global
    limit); without one, ``settings.concurrency`` bounds this cluster's calls.
    """
    settings = settings or Settings()
    own = client is None
    client = client_for(settings, client)
    limit = semaphore or asyncio.Semaphore(settings.concurrency)
    try:
        extractions = list(await asyncio.gather(*(
            extract_article_async(a, settings=settings, client=client, semaphore=limit)
            for a in cluster.articles)))
        profiles, requests = _claims_to_check(cluster, extractions, settings, client)
        checks = list(await asyncio.gather(*(
            _check_async(request, client, limit)  # type: ignore[arg-type]
            for request in requests)))
    finally:
        if own and hasattr(client, "aclose"):
            await client.aclose()  # type: ignore[union-attr]
    return reconcile(cluster.cluster_id, cluster.articles, extractions, cluster.failed, checks,
                     profiles)


async def _check_async(request: CheckRequest, client: LabelClient,
                       limit: asyncio.Semaphore) -> ClaimCheck:
    try:
        async with limit:
            answer, usage = await acall(client, request.messages, request.response_model,
                                        request.schema)
        return to_check(request, answer, client.model, usage=usage)
    except (LLMError, ValidationError) as exc:
        return _failed_check(request, client, exc)
