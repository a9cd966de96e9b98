"""ClusterSummary / ArticleExtraction -> JSON or Markdown strings (never prints)."""

from __future__ import annotations

import datetime as dt

from summarizer.models import ArticleExtraction, ClusterSummary, Precision, Status


def when_label(date: dt.date | None, precision: Precision) -> str:
    """A date as precise as it was written: "2011" (year), "2024-12" (month), "week of
    2025-03-03", "2025-03-06"; "undated" without one."""
    if date is None:
        return "undated"
    if precision == Precision.YEAR:
        return str(date.year)
    if precision == Precision.MONTH:
        return date.strftime("%Y-%m")
    if precision == Precision.WEEK:
        return f"week of {date.isoformat()}"
    return date.isoformat()


STATUS_LABEL = {
    Status.AGREED: "agreed",
    Status.COMPATIBLE: "compatible",
    Status.UPDATE: "update",
    Status.CONTRADICTION: "contradiction",
    Status.SINGLE_SOURCE: "single source",
    Status.UNCHECKED: "not checked",
}
# plain text has no colour: the Markdown report shouts the one label an editor must not miss
_LABEL = {**STATUS_LABEL, Status.CONTRADICTION: "CONTRADICTION"}


def render_json(obj: ClusterSummary | ArticleExtraction) -> str:
    return obj.model_dump_json(indent=2) + "\n"


def _md(text: str) -> str:
    """Escape what Markdown would read as markup in article-derived text."""
    out = text.replace("\\", "\\\\")
    for ch in "*_`[]<>|#":
        out = out.replace(ch, "\\" + ch)
    return " ".join(out.split())


def _outlets(ids: list[str]) -> str:
    unique = sorted(set(ids))
    return f"{len(unique)} outlet{'s' if len(unique) != 1 else ''}"


def render_markdown(summary: ClusterSummary) -> str:
    """The editor's report: figures, timeline, quotes by speaker, disagreements, sources."""
    lines = [f"# Cluster summary: {_md(summary.cluster_id)}", ""]
    n_ok = len(summary.summarised_ids())
    failed = summary.failures()
    dupes = len(summary.failed_articles) - len(failed)
    total = n_ok + len(summary.failed_articles)
    lines.append(f"{n_ok} of {total} articles summarised"
                 + (f"; {len(failed)} failed" if failed else "")
                 + (f"; {dupes} left out as duplicate{'s' if dupes > 1 else ''}" if dupes else ""))
    lines += ["", "## Figures", ""]
    shared = [f for f in summary.figures if f.status != Status.SINGLE_SOURCE]
    if not shared:
        lines.append("_No figure is reported by more than one outlet._")
    for f in shared:
        forms = sorted({r.text for r in f.reports})
        lines.append(
            f"- **{_md(f.value.as_written)}** — {_md(f.subject)} ({f.measure.value}) · "
            f"_{_LABEL[f.status]}_, {_outlets([r.article_id for r in f.reports])}"
            + (f" · claimed by {_md(', '.join(f.claimed_by))}" if f.claimed_by else "")
        )
        if len(forms) > 1:
            lines.append(f"  - as written: {'; '.join('“' + _md(t) + '”' for t in forms)}")
    lines += ["", "## Timeline", ""]
    if not summary.events:
        lines.append("_No dated events._")
    for e in summary.events:
        when = when_label(e.date, e.date_precision)
        where = f" ({_md(e.location)})" if e.location else ""
        lines.append(f"- **{when}** — {_md(e.description)}{where} · "
                     f"{_outlets([r.article_id for r in e.reports])}")
    lines += ["", "## Quotes", ""]
    if not summary.quotes:
        lines.append("_No direct quotes._")
    # one heading per speaker entry: compatible names across outlets ("Ben Jealous",
    # "Benjamin Todd Jealous") are one person, under the entry's name
    entry_of = {qid: sp.name for sp in summary.speakers for qid in sp.quote_ids}
    by_speaker: dict[str, list] = {}
    for q in summary.quotes:
        by_speaker.setdefault(entry_of.get(q.id) or q.speaker or "Unattributed", []).append(q)
    for speaker in sorted(by_speaker, key=lambda s: (s == "Unattributed", s)):
        quotes = by_speaker[speaker]
        role = next((q.speaker_role for q in quotes if q.speaker_role), None)
        lines.append(f"### {_md(speaker)}" + (f" — {_md(role)}" if role else ""))
        lines.append("")
        for q in quotes:
            lines.append(f"> “{_md(q.text)}”")
            lines.append(f">\n> — _{_LABEL[q.status]}_, "
                         f"{_outlets([r.article_id for r in q.reports])}: "
                         f"{', '.join(sorted({r.article_id for r in q.reports}))}")
            lines.append("")
    lines += ["## How outlets describe key actors", ""]
    if not summary.claims:
        lines.append("_No person or group is described by one outlet and named by another._")
    for c in summary.claims:
        checked = f" by {_md(c.checked_by)}" if c.checked_by and c.status != Status.UNCHECKED \
            else ""
        lines.append(f"- **{_md(c.entity)}** ({c.id}) · _{_LABEL[c.status]}{checked}_, "
                     f"{_outlets([r.article_id for r in c.reports])}")
        for r in c.reports:
            lines.append(f"  - {r.article_id}: “{_md(' '.join(r.text.split()))}”")
    lines += ["", "## Where outlets disagree", ""]
    real = [c for c in summary.conflicts if c.kind in (Status.CONTRADICTION, Status.UPDATE)]
    soft = [c for c in summary.conflicts if c.kind == Status.COMPATIBLE]
    if not summary.conflicts:
        lines.append("_No disagreements found._")
    for c in real + soft:
        lines.append(f"- **{_LABEL[c.kind]}** · {_md(c.subject)} ({c.item_id}): "
                     f"{_md(c.explanation)}")
        for aid, value in sorted(c.values.items()):
            lines.append(f"  - {aid}: “{_md(value)}”")
    single_figures = [f for f in summary.figures if f.status == Status.SINGLE_SOURCE]
    lines += ["", "## Single-source items", ""]
    if not single_figures:
        lines.append("_None._")
    for f in single_figures:
        r = f.reports[0]
        lines.append(f"- figure **{_md(f.value.as_written)}** — {_md(f.subject)} "
                     f"({f.measure.value}) · {r.article_id}")
    lines += ["", "## Sources", ""]
    for a in summary.articles:
        bits = [a.id]
        if a.source:
            bits.append(_md(a.source))
        if a.published:
            bits.append(a.published.isoformat())
        if a.title:
            bits.append(f"“{_md(a.title)}”")
        if a.flags:
            bits.append("flags: " + ", ".join(a.flags))
        lines.append("- " + " · ".join(bits))
    for f in summary.failed_articles:
        if f.duplicate_of is not None:
            lines.append(f"- left out {_md(f.article_id)}: same text as {_md(f.duplicate_of)}")
        else:
            lines.append(f"- **failed** {_md(f.article_id)}: {_md(f.error)}")
    if summary.rejected:
        lines += ["", f"_{len(summary.rejected)} candidate items were rejected by the grounding "
                  "gate or the labels (see JSON `rejected`)._"]
    u = summary.usage
    lines += ["", f"_Model calls: {u.calls} · tokens: {u.prompt_tokens} prompt, "
              f"{u.completion_tokens} completion · {u.seconds:.1f} s_", ""]
    return "\n".join(lines)


def render_extraction_markdown(x: ArticleExtraction) -> str:
    lines = [f"# Article {x.article_id}", ""]
    if x.error:
        lines += [f"**failed**: {_md(x.error)}", ""]
    lines += ["## Quotes", ""]
    for q in x.quotes:
        lines.append(f"- “{_md(q.span.text)}” — {_md(q.speaker or 'unattributed')} "
                     f"[{q.span.start}:{q.span.end}]")
    lines += ["", "## Figures", ""]
    for f in x.figures:
        lines.append(f"- **{_md(f.span.text)}** — {_md(f.subject)} ({f.measure.value}) "
                     f"[{f.span.start}:{f.span.end}]")
    lines += ["", "## Events", ""]
    for e in x.events:
        when = e.date.isoformat() if e.date else (e.when or "undated")
        lines.append(f"- {when}: {_md(e.description)}")
    lines += ["", f"_{len(x.rejected)} rejected · {x.usage.calls} calls, "
              f"{x.usage.completion_tokens} completion tokens, {x.usage.seconds:.1f} s_", ""]
    return "\n".join(lines)
