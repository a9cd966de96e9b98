"""ClusterSummary + the cluster's articles -> one self-contained HTML page for editors.

The page has no network dependency (inline CSS and JS) and is rendered by Jinja with
autoescaping on, so article text and model output can never become markup. Each article's text
is cut at every report boundary into segments; a segment covered by one or more reports is a
``<mark>`` that names its items (``data-items="F1 E3"``) and its character offsets
(``data-start``/``data-end``, in the article's own text), so a click on a fact lights up its
spans in every article.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import jinja2

from summarizer.models import Article, Cluster, ClusterSummary, Status
from summarizer.render import STATUS_LABEL, when_label

KINDS = ("quote", "figure", "event", "claim")  # the styling priority of a segment covered by several


@dataclass
class Segment:
    start: int
    end: int
    text: str
    items: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)


@dataclass
class ArticleView:
    id: str
    source: str
    title: str | None
    published: str | None
    segments: list[Segment]
    flags: list[str]
    failed: str | None = None


def _spans(summary: ClusterSummary) -> dict[str, list[tuple[int, int, str, str]]]:
    """article id -> (start, end, item id, kind) for every report of every item."""
    out: dict[str, list[tuple[int, int, str, str]]] = {}
    for kind, items in (("figure", summary.figures), ("quote", summary.quotes),
                        ("event", summary.events), ("claim", summary.claims)):
        for item in items:
            for r in item.reports:
                if r.end > r.start:
                    out.setdefault(r.article_id, []).append((r.start, r.end, item.id, kind))
    return out


def segments(text: str, spans: Sequence[tuple[int, int, str, str]]) -> list[Segment]:
    """Cut ``text`` at every span boundary; each piece lists the items whose spans cover it."""
    cuts = {0, len(text)}
    for start, end, _, _ in spans:
        if 0 <= start < end <= len(text):
            cuts.update((start, end))
    bounds = sorted(cuts)
    ordered = sorted((s for s in spans if 0 <= s[0] < s[1] <= len(text)),
                     key=lambda s: (s[0], s[1], s[2]))
    out: list[Segment] = []
    for a, b in itertools.pairwise(bounds):
        covering = [s for s in ordered if s[0] <= a and b <= s[1]]
        items = sorted({s[2] for s in covering}, key=_item_order)
        kinds = [k for k in KINDS if any(s[3] == k for s in covering)]
        out.append(Segment(a, b, text[a:b], items, kinds))
    return out


def _item_order(item_id: str) -> tuple[str, int]:
    head = item_id.rstrip("0123456789")
    tail = item_id[len(head):]
    return head, int(tail) if tail else 0


@lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("summarizer", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("report.html.j2")


def render_html(summary: ClusterSummary, cluster: Cluster | Sequence[Article]) -> str:
    """The editor's page: figures, timeline, quotes, disagreements, then every article with its
    supporting spans highlighted. ``cluster`` supplies the article texts (the summary holds
    offsets only); an article missing from it is listed without text."""
    articles = list(cluster.articles if isinstance(cluster, Cluster) else cluster)
    by_id = {a.id: a for a in articles}
    spans = _spans(summary)
    failed = {f.article_id: f.error for f in summary.failed_articles}
    outlet = {a.id: (a.source or a.id) for a in summary.articles}
    views = []
    for info in summary.articles:
        art = by_id.get(info.id)
        views.append(ArticleView(
            id=info.id,
            source=outlet[info.id],
            title=info.title,
            published=info.published.isoformat() if info.published else None,
            segments=segments(art.text, spans.get(info.id, [])) if art else [],
            flags=info.flags,
            failed=failed.get(info.id),
        ))
    shared = [f for f in summary.figures if f.status != Status.SINGLE_SOURCE]
    shared.sort(key=lambda f: (-len({r.article_id for r in f.reports}), _item_order(f.id)))
    by_speaker: dict[str, list] = {}
    for q in summary.quotes:
        by_speaker.setdefault(q.speaker or "Unattributed", []).append(q)
    speakers = sorted(by_speaker.items(), key=lambda kv: (kv[0] == "Unattributed", kv[0]))
    roles = {s.name: s.roles for s in summary.speakers}
    disagree = [c for c in summary.conflicts if c.kind in (Status.CONTRADICTION, Status.UPDATE)]
    soft = [c for c in summary.conflicts if c.kind not in (Status.CONTRADICTION, Status.UPDATE)]
    return _template().render(
        s=summary,
        shared_figures=shared,
        single_figures=[f for f in summary.figures if f.status == Status.SINGLE_SOURCE],
        speakers=speakers,
        roles=roles,
        conflicts=disagree + soft,
        articles=views,
        outlet=outlet,
        label=STATUS_LABEL,
        when=when_label,
        outlets=lambda reports: len({r.article_id for r in reports}),
        missing=[f for f in summary.failed_articles if f.article_id not in outlet],
    )
