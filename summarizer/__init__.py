"""summarizer: one structured, source-grounded summary of a cluster of news articles."""

from summarizer.articles import iter_clusters, load_article, load_cluster
from summarizer.config import Settings, load_settings
from summarizer.errors import (
    ConfigError,
    ExtractionError,
    InputError,
    LLMError,
    PromptError,
    SummarizerError,
)
from summarizer.extract import extract_article
from summarizer.models import (
    Article,
    ArticleExtraction,
    Cluster,
    ClusterSummary,
    Quantity,
    Span,
)
from summarizer.html import render_html
from summarizer.pipeline import summarize_cluster, summarize_cluster_async
from summarizer.render import render_json, render_markdown

__all__ = [
    "Article",
    "ArticleExtraction",
    "Cluster",
    "ClusterSummary",
    "ConfigError",
    "ExtractionError",
    "InputError",
    "LLMError",
    "PromptError",
    "Quantity",
    "Settings",
    "Span",
    "SummarizerError",
    "extract_article",
    "iter_clusters",
    "load_article",
    "load_cluster",
    "load_settings",
    "render_html",
    "render_json",
    "render_markdown",
    "summarize_cluster",
    "summarize_cluster_async",
]
