"""summarize_cluster(): load -> extract each article -> reconcile. No global state."""

from __future__ import annotations

import asyncio

from summarizer.config import Settings
from summarizer.errors import ConfigError
from summarizer.extract import extract_article, extract_article_async
from summarizer.llm import LabelClient, client_for
from summarizer.models import ArticleExtraction, Cluster, ClusterSummary
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
    client = client_for(settings, client)
    extractions: list[ArticleExtraction] = []
    for article in cluster.articles:
        extractions.append(extract_article(article, settings=settings, client=client))
    return reconcile(cluster.cluster_id, cluster.articles, extractions, cluster.failed)


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
        extractions = await asyncio.gather(*(
            extract_article_async(a, settings=settings, client=client, semaphore=limit)
            for a in cluster.articles))
    finally:
        if own and hasattr(client, "aclose"):
            await client.aclose()  # type: ignore[union-attr]
    return reconcile(cluster.cluster_id, cluster.articles, list(extractions), cluster.failed)
