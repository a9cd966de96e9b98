"""Many grounded extractions -> one :class:`ClusterSummary`, deterministically (no model).

Rules (the same input in any order gives byte-identical JSON: every input is sorted first, ids
are assigned after the groups are sorted):

Figures
  Reports are blocked by measure and sorted by value; two reports can be the same figure only when
  their values are within a factor of 2 (a neighbourhood's 20 dead is not the 1,000 total, even
  with the same noun). They link when their intervals overlap with values within 10% and their
  counted nouns match or their subjects are similar (rapidfuzz token-set ratio >= 70) — never
  on the value alone; an unknown noun is let through only in a casualty measure (killed,
  injured, …: "surpassed 1,000" / "1,000 people"); or, in a casualty measure, when both are the
  same exact count >= 20 ("148 fighters" / "148 militants");
  or, disjoint, when noun, subject (>= 85) and a named claimant all agree — a real conflict.
  Rounded values count as the interval they may round ("$43,000" ~ "$43,350"). Then a sum whose
  sentence does not say what it paid for ("misused more than $250,000") joins the figure of
  the same sum >= 1,000 when every such report is one figure already (never as a bridge).
  (The rule is evaluated on numpy arrays over windows of value-neighbours; subject similarity
  is scored only for the pairs it decides.) Linked reports form one figure (connected
  components). Inside a figure: identical values ->
  *agreed*; a common interval -> *compatible*, consensus = the most precise report inside the
  intersection; no common interval -> *update* when the measure is a running total and the
  higher values come from strictly later publications, else *contradiction*. One outlet only ->
  *single_source*.
Quotes
  Two reports are one quote when they share a verbatim run of 5 tokens and name compatible
  speakers, or when their texts overlap (containment, or >= 60% of the shorter's
  tokens, case and punctuation ignored) and their speakers are compatible ("Sheha" ~ "Ali Sheha"),
  or one speaker is unknown, or the texts are near-identical (>= 80% and >= 5 tokens, or equal).
  Canonical text = the longest verbatim form; speaker = the most frequent (then longest) name.
  Differing named speakers -> *contradiction*; differing wording -> *compatible*.
  Blocking: quotes are taken in span order; each looks up the last 32 earlier quotes holding
  each of its tokens and is compared with at most 48 of them, those sharing the largest part of
  the shorter one's distinct tokens first (a quote contained in another shares all of them),
  skipping quotes already in its group. Below 32 quotes per token and 48 candidates this is
  every pair the rule can join; above, the cost per quote is bounded.
Events
  Dates are resolved against the article's publication date, else the latest publication date in
  the cluster; "the day before" is anchored on a weekday in the same sentence. Events are blocked
  by date (undated together) and merged when they share a supporting sentence, when they share a
  description key (the first four letters of a content stem: "forces"/"force" -> "forc") and
  their descriptions are similar (token-set ratio >= 65), or when their actors are compatible
  and their places similar (token-set ratio >= 80). Inside a date block, events are taken in
  span order and each is compared only with the last 32 earlier events holding each of its keys
  (description keys; actor surnames when it has a place), leaving out those already in its
  group: below 32 events per key this is every pair the rule can join; above, the cost grows
  linearly (a big block's common words reach only recent events, while the rarer words of a
  retold event still reach its earlier retellings). An undated sentence code proposed as a
  happening (``needs_corroboration``) stays only in a group that another outlet reports too.
  Timeline: by date, undated last, then first mention.
Speakers
  One entry per compatible name, with roles merged and links to their quotes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process

from summarizer.claims import Profile, entity_profiles, summary_claims
from summarizer.models import (
    Article,
    ClaimCheck,
    ArticleExtraction,
    ArticleInfo,
    ClusterSummary,
    Conflict,
    ExtractedEvent,
    ExtractedFigure,
    ExtractedQuote,
    FailedArticle,
    FigureReport,
    FigureValue,
    Measure,
    Precision,
    Qualifier,
    Quantity,
    QuoteReport,
    Rejected,
    Span,
    Speaker,
    Status,
    SummaryEvent,
    SummaryFigure,
    SummaryQuote,
    Usage,
)
from summarizer.normalize import (
    as_rounded,
    content_stems,
    name_key,
    names_compatible,
    overlaps,
    points_forward,
    points_soon,
    precision_rank,
    resolve_date,
    text_key,
)

RUNNING_TOTALS = {Measure.KILLED, Measure.INJURED, Measure.DISPLACED, Measure.ARRESTED,
                  Measure.MISSING}
_HEAD_VERBS = {"killed", "dead", "died", "fled", "injured", "wounded", "missing", "displaced"}


class _UnionFind:
    """Groups as a label array (a union relabels the smaller group, so each item is relabelled
    at most log n times): an item's group is ``label[i]``, and candidates already in an item's
    group are dropped with one numpy comparison (:meth:`others`)."""

    def __init__(self, n: int) -> None:
        self.label = np.arange(n)
        self.members: dict[int, list[int]] = {k: [k] for k in range(n)}

    def union(self, a: int, b: int) -> None:
        la, lb = int(self.label[a]), int(self.label[b])
        if la == lb:
            return
        if len(self.members[la]) < len(self.members[lb]):
            la, lb = lb, la
        moved = self.members.pop(lb)
        self.members[la].extend(moved)
        self.label[moved] = la

    def groups(self) -> list[list[int]]:
        return list(self.members.values())

    def others(self, k: int, candidates: Iterable[int]) -> np.ndarray:
        c = np.fromiter(candidates, dtype=np.int64)
        return np.sort(c[self.label[c] != self.label[k]])


def _span_key(span: Span) -> tuple[str, int, int]:
    return (span.article_id, span.start, span.end)


# --------------------------------------------------------------------------- figures


def _rep_value(q: Quantity) -> float:
    return q.low if q.low is not None else (q.high if q.high is not None else 0.0)


def _head(fig: ExtractedFigure) -> str | None:
    words = re.findall(r"[A-Za-z]+", fig.span.text)
    tail = [w.lower() for w in words if w.lower() not in _NUMBER_WORDS]
    if not tail:
        return None
    head = tail[-1]
    if head in _HEAD_VERBS or head in {"percent", "cent", "percentage", "points", "point"}:
        return None  # a rate's noun says nothing of what it is a rate of: subjects decide
    return head[:-1] if head.endswith("s") and len(head) > 3 else head


_NUMBER_WORDS = set(
    "more than over almost nearly close to about around roughly approximately some at least most "
    "up less fewer under as many upwards of surpassed exceeded exceeding just well an estimated "
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
    "hundred thousand million billion trillion dozen dozens hundreds thousands millions half a "
    "the their his her its".split()
)


def _kin_stems(fig: ExtractedFigure) -> tuple[str | None, str | None]:
    """(the stem of a one-word subject, the stem of a longer subject's first word): six letters
    of a word of six or more, so "charity" is kin to "charitable contributions"."""
    words = fig.subject.lower().split()
    if not words or len(words[0]) < 6:
        return None, None
    return (words[0][:6], None) if len(words) == 1 else (None, words[0][:6])


def _kin(a: ExtractedFigure, b: ExtractedFigure) -> bool:
    (sa, fa), (sb, fb) = _kin_stems(a), _kin_stems(b)
    return (sa is not None and sa == fb) or (sb is not None and sb == fa)


def _holder_key(fig: ExtractedFigure) -> str | None:
    """Whose sum or rate, as a family key ("the Clintons" and "Mr. Clinton" agree); None when
    the sentence does not say. Casualty counts have claimants, not holders."""
    if fig.holder is None or fig.measure not in (Measure.OTHER, Measure.MONEY):
        return None
    key = fig.holder.lower()
    return key[:-1] if key.endswith("s") and len(key) > 3 else key


def _held_apart(a: ExtractedFigure, b: ExtractedFigure) -> bool:
    """Bush's 36 percent rate and the Clintons' 35.7 percent are two figures."""
    ka, kb = _holder_key(a), _holder_key(b)
    return ka is not None and kb is not None and ka != kb


def _same_named_sum(a: ExtractedFigure, b: ExtractedFigure) -> bool:
    """Two sums within 10 % that name one vendor or item ("over $10,000 at Best Buy" /
    "$10,977.74 worth of televisions ... at Best Buy"; "$43,000 Rolex" / "$43,350 ... Rolex")."""
    va, vb = _rep_value(a.quantity), _rep_value(b.quantity)
    return (a.measure == Measure.MONEY and va > 0 and vb > 0
            and abs(va - vb) <= 0.1 * max(va, vb) and bool(set(a.named) & set(b.named)))


def _figures_link(a: ExtractedFigure, b: ExtractedFigure,
                  heads: tuple[str | None, str | None] | None = None) -> bool:
    va, vb = _rep_value(a.quantity), _rep_value(b.quantity)
    if va <= 0 or vb <= 0 or max(va, vb) / min(va, vb) > 2 or _held_apart(a, b):
        return False
    if _same_named_sum(a, b):
        return True
    ha, hb = heads if heads is not None else (_head(a), _head(b))
    same_subject = fuzz.token_set_ratio(a.subject.lower(), b.subject.lower())
    # a value written rounded ("$43,000", "$13.6 million") stands for the values it may round
    ra, rb = as_rounded(a.quantity), as_rounded(b.quantity)
    close = abs(va - vb) / max(va, vb) <= 0.1 and overlaps(ra, rb)
    # Never on the value alone: the counted nouns or the subjects must agree. An unknown noun
    # is let through only for casualty measures ("surpassed 1,000" dead / "1,000 people").
    toll = a.measure not in (Measure.OTHER, Measure.MONEY)
    if close and ((toll and (ha is None or hb is None)) or (ha is not None and ha == hb)
                  or same_subject >= 70 or _kin(a, b)):
        return True
    exact = {a.quantity.qualifier, b.quantity.qualifier} == {Qualifier.EXACT}
    if toll and exact and va == vb and va >= 20 and a.quantity.low == a.quantity.high:
        return True  # a distinctive exact toll: "148 fighters" / "148 militants" killed
    # Disjoint values are one figure only when everything else says so: then it is a conflict.
    return (
        not overlaps(ra, rb)
        and ha is not None
        and ha == hb
        and same_subject >= 85
        and a.claimant is not None
        and b.claimant is not None
        and names_compatible(a.claimant, b.claimant)
    )


def _unsaid(fig: ExtractedFigure) -> bool:
    """A sum whose sentence does not say what it paid for ("misused more than $250,000")."""
    return fig.measure == Measure.MONEY and fig.subject.lower() == Measure.MONEY.value


def _same_sum(a: ExtractedFigure, b: ExtractedFigure) -> bool:
    """The same sum >= 1,000 (rounding allowed), exactly one of the two saying what it paid."""
    va, vb = _rep_value(a.quantity), _rep_value(b.quantity)
    return (a.measure == Measure.MONEY and va == vb and va >= 1000
            and _unsaid(a) != _unsaid(b) and not _held_apart(a, b)
            and overlaps(as_rounded(a.quantity), as_rounded(b.quantity)))


def _attach_unsaid(uf: _UnionFind, index: Sequence[int], pairs: Iterable[tuple[int, int]]) -> None:
    """After the figures are linked: an unsaid sum (first of each pair) joins the figure of its
    same-sum partners only when they all are one figure already. A sum that could belong to two
    named figures ("$250,000 in campaign funds", "$250,000 in legal fees") stays alone: as a
    bridge it would merge them on the value alone."""
    partners: dict[int, set[int]] = defaultdict(set)
    for i, j in pairs:
        partners[i].add(j)
    for i in sorted(partners):
        roots = {int(uf.label[index[j]]) for j in partners[i]}
        if len(roots) == 1:
            uf.union(index[i], index[min(partners[i])])


_WINDOW_ROWS = 256


def _components(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Connected components of the graph with edges ``a[k]-b[k]``: each node's label is the
    smallest node of its component (min-label propagation with pointer jumping, in numpy)."""
    labels = np.arange(n)
    if len(a) == 0:
        return labels
    while True:
        low = np.minimum(labels[a], labels[b])
        new = labels.copy()
        np.minimum.at(new, a, low)
        np.minimum.at(new, b, low)
        new = new[new]
        if np.array_equal(new, labels):
            return labels
        labels = new


def _union_components(uf: _UnionFind, index: Sequence[int], a: np.ndarray, b: np.ndarray) -> None:
    labels = _components(len(index), a, b)
    for k in np.nonzero(labels != np.arange(len(index)))[0]:
        uf.union(index[int(labels[k])], index[int(k)])


def _link_figures(uf: _UnionFind, figs: list[ExtractedFigure], heads: list[str | None],
                  index: list[int]) -> None:
    """Union the figures of one measure (sorted by value) that :func:`_figures_link` would join,
    evaluating the rule on numpy arrays over windows of value-neighbours instead of pair by pair
    in Python; only the claimant-name check of the disjoint rule runs per candidate pair."""
    n = len(figs)
    if n < 2:
        return
    v = np.array([_rep_value(f.quantity) for f in figs])
    qs = [as_rounded(f.quantity) for f in figs]  # intervals: rounded values widened
    lo = np.array([-np.inf if q.low is None else q.low for q in qs])
    hi = np.array([np.inf if q.high is None else q.high for q in qs])
    more = np.array([q.qualifier == Qualifier.MORE_THAN for q in qs])
    less = np.array([q.qualifier == Qualifier.LESS_THAN for q in qs])
    exact = np.array([q.qualifier == Qualifier.EXACT for q in qs])
    point = np.array([f.quantity.low is not None and f.quantity.low == f.quantity.high
                      for f in figs])
    head_ids: dict[str, int] = {}
    h = np.array([-1 if x is None else head_ids.setdefault(x, len(head_ids)) for x in heads])
    claimed = np.array([f.claimant is not None for f in figs])
    holder_ids: dict[str, int] = {}
    held = np.array([-1 if k is None else holder_ids.setdefault(k, len(holder_ids))
                     for k in map(_holder_key, figs)])
    unsaid = np.array([_unsaid(f) for f in figs])
    money = figs[0].measure == Measure.MONEY
    sums: list[tuple[int, int]] = []
    subjects = [f.subject.lower() for f in figs]
    stem_ids: dict[str, int] = {}
    kin = [_kin_stems(f) for f in figs]
    single = np.array([-1 if x is None else stem_ids.setdefault(x, len(stem_ids)) for x, _ in kin])
    first = np.array([-2 if x is None else stem_ids.setdefault(x, len(stem_ids)) for _, x in kin])
    # one block is one measure; an unknown noun may link only in a casualty measure
    toll = figs[0].measure not in (Measure.OTHER, Measure.MONEY)
    # sums that name one vendor or item (:func:`_same_named_sum`), bucketed by window
    named_pairs: dict[int, list[tuple[int, int]]] = defaultdict(list)
    if money:
        by_name: dict[str, list[int]] = defaultdict(list)
        for i, f in enumerate(figs):
            for name in f.named:
                by_name[name].append(i)
        for members in by_name.values():
            for x, i in enumerate(members):
                for j in members[x + 1:]:
                    if v[j] - v[i] > 0.1 * v[j]:
                        break  # ascending values: the rest are further apart
                    if v[i] > 0 and not (held[i] >= 0 and held[j] >= 0 and held[i] != held[j]):
                        named_pairs[i // _WINDOW_ROWS].append((i, j))
    edges_a: list[np.ndarray] = []
    edges_b: list[np.ndarray] = []
    for start in range(0, n, _WINDOW_ROWS):
        stop = min(n, start + _WINDOW_ROWS)
        end = max(stop, int(np.searchsorted(v, 2 * v[stop - 1], side="right")))
        r = np.arange(start, stop)[:, None]
        c = np.arange(start, end)[None, :]
        vr, vc = v[r], v[c]
        with np.errstate(divide="ignore", invalid="ignore"):
            valid = (c > r) & (vr > 0) & (vc > 0) & (np.maximum(vr, vc) <= 2 * np.minimum(vr, vc))
        valid &= ~((held[r] >= 0) & (held[c] >= 0) & (held[r] != held[c]))
        if not valid.any():
            continue
        low, high = np.maximum(lo[r], lo[c]), np.minimum(hi[r], hi[c])
        strict = (((more[r] & (lo[r] == low)) | (more[c] & (lo[c] == low)))
                  | ((less[r] & (hi[r] == high)) | (less[c] & (hi[c] == high))))
        overlap = (low < high) | ((low == high) & ~strict)
        hr, hc = h[r], h[c]
        close = (np.abs(vr - vc) <= 0.1 * np.maximum(vr, vc)) & overlap
        same_count = exact[r] & exact[c] & (vr == vc) & (vr >= 20) & point[r] & toll
        known = (hr >= 0) & (hc >= 0)
        same_head = known & (hr == hc)
        # subject similarity decides only close pairs whose nouns do not settle it and disjoint
        # pairs with the same noun and claimants: score just those
        need = valid & ~same_count & ((close & ~same_head & (known | ~toll))
                                      | (~overlap & same_head & claimed[r] & claimed[c]))
        sim = np.zeros(need.shape, dtype=np.uint8)
        ni, nj = np.nonzero(need)
        if len(ni) * 8 > need.size:
            sim = process.cdist(subjects[start:stop], subjects[start:end],
                                scorer=fuzz.token_set_ratio, score_cutoff=70, dtype=np.uint8,
                                workers=-1)
        else:
            for i, j in zip(ni.tolist(), nj.tolist(), strict=True):
                sim[i, j] = fuzz.token_set_ratio(subjects[start + i], subjects[start + j],
                                                 score_cutoff=70)
        heads_ok = ((~known & toll) | same_head | (sim >= 70) | (single[r] == first[c])
                    | (first[r] == single[c]))
        linked = valid & ((close & heads_ok) | same_count)
        for i, j in named_pairs.get(start // _WINDOW_ROWS, ()):
            linked[i - start, j - start] = True
        if money:
            for i, j in zip(*np.nonzero(valid & ~linked & close & (vr == vc) & (vr >= 1000)
                                        & (unsaid[r] != unsaid[c])), strict=True):
                i, j = start + int(i), start + int(j)
                sums.append((i, j) if unsaid[i] else (j, i))
        maybe_conflict = (valid & ~linked & ~overlap & (hr >= 0) & (hr == hc) & (sim >= 85)
                          & claimed[r] & claimed[c])
        for i, j in zip(*np.nonzero(maybe_conflict), strict=True):
            a, b = figs[start + int(i)], figs[start + int(j)]
            if names_compatible(a.claimant or "", b.claimant or ""):
                linked[i, j] = True
        ii, jj = np.nonzero(linked)
        edges_a.append(ii + start)
        edges_b.append(jj + start)
    if edges_a:
        _union_components(uf, index, np.concatenate(edges_a), np.concatenate(edges_b))
    _attach_unsaid(uf, index, sums)


def _value(q: Quantity) -> FigureValue:
    return FigureValue(low=q.low, high=q.high, qualifier=q.qualifier, as_written=q.as_written)


def reconcile_figures(
    extractions: Sequence[ArticleExtraction], published: dict[str, dt.date | None]
) -> tuple[list[SummaryFigure], list[Conflict], list[Rejected]]:
    """Figures, their conflicts, and the reports left out: a bare span of calendar time only
    one outlet gives ("two days after", ``needs_corroboration``) is background, not a figure."""
    reports = sorted(
        ((x.article_id, f) for x in extractions for f in x.figures),
        key=lambda r: (r[1].measure.value, _rep_value(r[1].quantity), _span_key(r[1].span)),
    )
    uf = _UnionFind(len(reports))
    by_measure: dict[Measure, list[int]] = defaultdict(list)
    for i, (_, fig) in enumerate(reports):
        by_measure[fig.measure].append(i)
    heads = [_head(f) for _, f in reports]
    for indices in by_measure.values():
        _link_figures(uf, [reports[i][1] for i in indices], [heads[i] for i in indices], indices)
    groups, dropped = [], []
    for members in uf.groups():
        items = sorted((reports[i] for i in members), key=lambda r: _span_key(r[1].span))
        if len({a for a, _ in items}) == 1 and all(f.needs_corroboration for _, f in items):
            dropped.extend(Rejected(kind="figure", article_id=a, candidate_id=f.candidate_id,
                                    reason="uncorroborated_calendar_span", detail=f.span.text)
                           for a, f in items)
            continue
        groups.append(items)
    groups.sort(key=lambda g: (-len({a for a, _ in g}), g[0][1].measure.value,
                               -_rep_value(g[0][1].quantity), _span_key(g[0][1].span)))
    figures, conflicts = [], []
    for n, group in enumerate(groups, 1):
        fid = f"F{n}"
        figs = [f for _, f in group]
        status, consensus, note = _figure_status(group, published)
        subject = Counter(f.subject for f in figs).most_common()
        subject_text = sorted(subject, key=lambda s: (-s[1], -len(s[0]), s[0]))[0][0]
        claimed = sorted({f.claimant for f in figs if f.claimant})
        figures.append(SummaryFigure(
            id=fid,
            subject=subject_text,
            measure=figs[0].measure,
            value=_value(consensus),
            status=status,
            claimed_by=claimed,
            reports=[
                FigureReport(article_id=f.span.article_id, start=f.span.start, end=f.span.end,
                             text=f.span.text, value=_value(f.quantity), claimant=f.claimant)
                for f in figs
            ],
        ))
        if status in (Status.COMPATIBLE, Status.UPDATE, Status.CONTRADICTION):
            values = {}
            for aid, f in group:
                values.setdefault(aid, f.span.text)
            conflicts.append(Conflict(item_id=fid, kind=status, subject=subject_text,
                                      values=values, explanation=note))
    return figures, conflicts, dropped


def _figure_status(
    group: list[tuple[str, ExtractedFigure]], published: dict[str, dt.date | None]
) -> tuple[Status, Quantity, str]:
    figs = [f for _, f in group]
    articles = {a for a, _ in group}
    best = sorted(figs, key=lambda f: (precision_rank(f.quantity), _span_key(f.span)))[0]
    if len(articles) == 1:
        return Status.SINGLE_SOURCE, best.quantity, "reported by one outlet"
    keys = {(f.quantity.low, f.quantity.high, f.quantity.qualifier) for f in figs}
    if len(keys) == 1:
        return Status.AGREED, best.quantity, "all outlets give the same value"
    # a value written rounded ("$43 million") stands for the values it may round
    qs = [as_rounded(f.quantity) for f in figs]
    lo = max((q.low for q in qs if q.low is not None), default=None)
    hi = min((q.high for q in qs if q.high is not None), default=None)
    common = all(overlaps(a, b) for a in qs for b in qs) and (
        lo is None or hi is None or lo <= hi)
    forms = _forms(group)
    if common:
        # the consensus is the value most outlets give, then the most precise
        inside = [(a, f) for a, f in group if _within(f.quantity, lo, hi)] or list(group)
        outlets: dict[tuple[Any, ...], set[str]] = defaultdict(set)
        for a, f in inside:
            outlets[(f.quantity.low, f.quantity.high, f.quantity.qualifier)].add(a)
        consensus = sorted((f for _, f in inside), key=lambda f: (
            -len(outlets[(f.quantity.low, f.quantity.high, f.quantity.qualifier)]),
            precision_rank(f.quantity), _span_key(f.span)))[0].quantity
        return (Status.COMPATIBLE, consensus,
                f"{forms}: ranges overlap; consensus {consensus.as_written}")
    if best.measure in RUNNING_TOTALS:
        dated = [(published.get(a), _rep_value(f.quantity)) for a, f in group]
        if all(d is not None for d, _ in dated):
            ordered = sorted(dated, key=lambda t: (t[0], t[1]))
            increasing = all(ordered[i][1] <= ordered[i + 1][1] for i in range(len(ordered) - 1))
            dates = {d for d, _ in dated}
            if increasing and len(dates) > 1:
                latest = max(group, key=lambda r: (published[r[0]], _rep_value(r[1].quantity)))
                return (Status.UPDATE, latest[1].quantity,
                        f"{forms}: later reports give a higher running total")
    return Status.CONTRADICTION, best.quantity, f"{forms}: the values cannot all be true"


def _within(q: Quantity, lo: float | None, hi: float | None) -> bool:
    v = q.low if q.low is not None else q.high
    if v is None:
        return False
    return (lo is None or v >= lo) and (hi is None or v <= hi)


def _forms(group: Iterable[tuple[str, object]]) -> str:
    by_form: dict[str, list[str]] = defaultdict(list)
    for aid, item in group:
        text = item.span.text if hasattr(item, "span") else str(item)  # type: ignore[attr-defined]
        if aid not in by_form[text]:
            by_form[text].append(aid)
    return "; ".join(f"“{t}” ({', '.join(a)})" for t, a in sorted(by_form.items()))


# --------------------------------------------------------------------------- quotes


class _QuoteText:
    """A quote's tokens prepared once: joined form (containment), token set and repeated
    tokens (overlap), counts, 5-grams."""

    __slots__ = ("tokens", "joined", "set", "repeated", "counts", "grams")

    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.joined = " " + " ".join(tokens) + " "
        self.counts = Counter(tokens)
        self.set = frozenset(self.counts)
        self.repeated = {t: n for t, n in self.counts.items() if n > 1}
        self.grams = {tuple(tokens[i : i + 5]) for i in range(len(tokens) - 4)}


def _overlap(a: _QuoteText, b: _QuoteText) -> float:
    """Share of the shorter quote's tokens found in the longer (1.0 when contained), counting
    a repeated token as often as both hold it."""
    if not a.tokens or not b.tokens:
        return 0.0
    short, long_ = (a, b) if len(a.tokens) <= len(b.tokens) else (b, a)
    if short.joined in long_.joined:
        return 1.0
    hit = len(short.set & long_.set) + sum(min(n, long_.counts[t]) - 1
                                           for t, n in short.repeated.items() if t in long_.set)
    return hit / len(short.tokens)


def _quotes_link(a: ExtractedQuote, b: ExtractedQuote, ta: _QuoteText, tb: _QuoteText) -> bool:
    ov = _overlap(ta, tb)
    if ov < 0.6:
        # outlets cut a statement differently: a verbatim run of 5 tokens, by the same speaker
        return (not ta.grams.isdisjoint(tb.grams) and a.speaker is not None
                and b.speaker is not None and names_compatible(a.speaker, b.speaker))
    if ta.tokens == tb.tokens:
        return True
    if a.speaker is None or b.speaker is None or names_compatible(a.speaker, b.speaker):
        return True
    return ov >= 0.8 and min(len(ta.tokens), len(tb.tokens)) >= 5


_QUOTE_WINDOW = 32  # a quote looks up the last 32 earlier quotes holding each of its tokens
_QUOTE_VERIFY = 48  # and is compared with the 48 of them sharing the largest part of its tokens


def reconcile_quotes(
    extractions: Sequence[ArticleExtraction],
) -> tuple[list[SummaryQuote], list[Conflict]]:
    reports = sorted((q for x in extractions for q in x.quotes), key=lambda q: _span_key(q.span))
    prepared = [_QuoteText(text_key(q.span.text)) for q in reports]
    linked = _UnionFind(len(reports))
    windows: dict[str, deque[int]] = defaultdict(lambda: deque(maxlen=_QUOTE_WINDOW))
    for i, p in enumerate(prepared):
        # blocking: the last holders of each of its tokens, those sharing the largest part of
        # the shorter's distinct tokens first (a quote contained in another shares all of its)
        shared = Counter(j for t in p.set for j in windows[t])
        near = sorted(shared, key=lambda j: (-shared[j] / min(len(p.set), len(prepared[j].set)),
                                             j))
        for j in near[:_QUOTE_VERIFY]:
            if linked.label[j] != linked.label[i] and _quotes_link(
                    reports[j], reports[i], prepared[j], p):
                linked.union(i, j)
        for t in p.set:
            windows[t].append(i)
    groups = [sorted((reports[i] for i in g), key=lambda q: _span_key(q.span))
              for g in linked.groups()]
    groups.sort(key=lambda g: (-len({q.span.article_id for q in g}), _span_key(g[0].span)))
    quotes, conflicts = [], []
    # every speaker in its cluster-wide form ("Jesse Jackson Jr" -> "Jesse L. Jackson Jr"); the
    # form each outlet wrote stays in the report's speaker_as_written
    named_as = canonical_speakers([q.speaker for q in reports if q.speaker])
    for n, group in enumerate(groups, 1):
        qid = f"Q{n}"
        articles = {q.span.article_id for q in group}
        canonical = sorted(group, key=lambda q: (-len(q.span.text), _span_key(q.span)))[0]
        speakers = Counter(named_as[q.speaker] for q in group if q.speaker)
        speaker = sorted(speakers.items(), key=lambda s: (-s[1], -len(s[0]), s[0]))[0][0] \
            if speakers else None
        roles = Counter(q.speaker_role for q in group if q.speaker_role)
        role = sorted(roles.items(), key=lambda r: (-r[1], -len(r[0]), r[0]))[0][0] \
            if roles else None
        named = sorted(speakers)
        clash = any(not names_compatible(a, b) for a in named for b in named)
        texts = {tuple(text_key(q.span.text)) for q in group}
        if len(articles) == 1:
            status = Status.SINGLE_SOURCE
        elif clash:
            status = Status.CONTRADICTION
        elif len(texts) == 1 and len({q.span.text for q in group}) == 1:
            status = Status.AGREED
        else:
            status = Status.COMPATIBLE
        quotes.append(SummaryQuote(
            id=qid, speaker=speaker, speaker_role=role, text=canonical.span.text, status=status,
            reports=[QuoteReport(article_id=q.span.article_id, start=q.span.start, end=q.span.end,
                                 text=q.span.text, speaker_as_written=q.speaker_as_written)
                     for q in group],
        ))
        if status in (Status.COMPATIBLE, Status.CONTRADICTION):
            values: dict[str, str] = {}
            for q in group:
                values.setdefault(q.span.article_id, q.span.text)
            if clash:
                by = "; ".join(f"{s} ({', '.join(sorted({q.span.article_id for q in group if q.speaker and named_as[q.speaker] == s}))})"
                               for s in named)
                note = f"the same words are attributed to different speakers: {by}"
            else:
                note = "outlets quote the same words with different wording or length"
            conflicts.append(Conflict(item_id=qid, kind=status, subject=f"quote of {speaker or 'unknown speaker'}",
                                      values=values, explanation=note))
    return quotes, conflicts


def canonical_speakers(names: Sequence[str]) -> dict[str, str]:
    """Each speaker name -> the longest compatible form in the cluster ("Jesse Jackson Jr" and
    "Jesse L. Jackson Jr" -> "Jesse L. Jackson Jr"; "government" -> "Syrian government"). A
    name compatible with two forms that are not compatible with each other ("Clinton" beside
    "Bill Clinton" and "Hillary Clinton") stays as written: which one is meant is not known."""
    ordered = sorted(set(names), key=lambda s: (-len(s), s))
    canonical: dict[str, str] = {}
    for name in ordered:
        fits = sorted({canonical[c] for c in canonical if names_compatible(c, name)},
                      key=lambda s: (-len(s), s))
        if fits and all(names_compatible(a, b) for a in fits for b in fits):
            canonical[name] = fits[0]
        else:
            canonical[name] = name
    return canonical


def build_speakers(quotes: Sequence[SummaryQuote],
                   extractions: Sequence[ArticleExtraction]) -> list[Speaker]:
    kinds = {q.speaker: q.speaker_kind for x in extractions for q in x.quotes if q.speaker}
    canonical = canonical_speakers([q.speaker for q in quotes if q.speaker])
    entries: dict[str, dict] = {}
    for q in quotes:
        if not q.speaker:
            continue
        key = canonical[q.speaker]
        entry = entries.setdefault(key, {"roles": set(), "quotes": [], "articles": set()})
        if q.speaker_role:
            entry["roles"].add(q.speaker_role)
        entry["quotes"].append(q.id)
        entry["articles"].update(r.article_id for r in q.reports)
    out = []
    for n, name in enumerate(sorted(entries, key=lambda k: (name_key(k), k)), 1):
        e = entries[name]
        out.append(Speaker(id=f"P{n}", name=name, kind=kinds.get(name, "person"),
                           roles=sorted(e["roles"]), quote_ids=e["quotes"],
                           articles=sorted(e["articles"])))
    return out


# --------------------------------------------------------------------------- events

_WEEKDAY = re.compile(r"(?i)\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")


def event_date(event: ExtractedEvent, published: dt.date | None) -> tuple[dt.date | None, Precision]:
    """Resolve ``event.when``; "the day before" is anchored on a weekday in the same sentence."""
    if not event.when:
        return None, Precision.UNKNOWN
    anchor = None
    if re.search(r"(?i)day before|previous day|a day earlier", event.when):
        for span in event.spans:
            m = _WEEKDAY.search(span.text)
            if m and m.group(0).lower() not in event.when.lower():
                anchor, _ = resolve_date(m.group(0), published)
                break
    first = " ".join(span.text for span in event.spans[:1])
    return resolve_date(event.when, published, anchor=anchor, forward=points_forward(first),
                        soon=points_soon(first))


_EVENT_TEXT_MATCH = 65
_PLACE_MATCH = 80
_EVENT_WINDOW = 32  # per blocking key: how many earlier events holding it an event is compared with
_EVENT_CHUNK = 16


def _description_keys(description: str) -> set[str]:
    """Blocking keys of a description: the first four letters of its content stems ("forces"
    and "force" share "forc", "killings" and "killed" share "kill")."""
    return {w[:4] for w in content_stems(description)}


def _actor_keys(event: ExtractedEvent) -> set[str]:
    """Surnames of the actors of an event with a place: compatible names share the last word
    of their key (:func:`names_compatible`), so the actors-and-place rule needs no other pairs."""
    if not event.location:
        return set()
    return {key.split()[-1] for key in map(name_key, event.actors) if key}


def _actors_and_place(a: ExtractedEvent, b: ExtractedEvent) -> bool:
    return bool(a.location and b.location
                and any(names_compatible(x, y) for x in a.actors for y in b.actors)
                and fuzz.token_set_ratio(a.location.lower(), b.location.lower()) >= _PLACE_MATCH)


def _events_link(a: ExtractedEvent, b: ExtractedEvent) -> bool:
    """The event rule pair by pair (the reference :func:`_link_events` is tested against)."""
    if a.spans[0].article_id == b.spans[0].article_id and {_span_key(s) for s in a.spans} & {
        _span_key(s) for s in b.spans
    }:
        return True
    if (_description_keys(a.description) & _description_keys(b.description)
            and fuzz.token_set_ratio(a.description.lower(), b.description.lower())
            >= _EVENT_TEXT_MATCH):
        return True
    return _actors_and_place(a, b)


def _link_events(uf: _UnionFind, events: list[ExtractedEvent], index: list[int]) -> None:
    """Union the events of one date block (in span order) that :func:`_events_link` joins,
    comparing each event only with the last ``_EVENT_WINDOW`` earlier events holding each of
    its blocking keys (description words; actor surnames when it has a place) and not already
    in its group. Below the window this is exactly the pairwise rule; above it an event meets
    at most (keys x window) others, so the cost grows linearly with the block."""
    groups = _UnionFind(len(events))
    by_span: dict[tuple[str, int, int], int] = {}
    for k, e in enumerate(events):
        for s in e.spans:
            groups.union(by_span.setdefault(_span_key(s), k), k)
    descriptions = [e.description.lower() for e in events]
    windows: dict[str, deque[int]] = defaultdict(lambda: deque(maxlen=_EVENT_WINDOW))
    for k, e in enumerate(events):
        text_keys = {"d:" + key for key in _description_keys(e.description)}
        actor_keys = {"a:" + key for key in _actor_keys(e)}
        near = groups.others(k, {j for key in text_keys for j in windows[key]})[::-1]
        while near.size:
            # the most recent first, a chunk at a time: once the event joins a group, the rest
            # of that group is dropped before it is scored (the groups come out the same)
            chunk, near = near[:_EVENT_CHUNK], near[_EVENT_CHUNK:]
            scores = process.cdist([descriptions[k]], [descriptions[j] for j in chunk],
                                   scorer=fuzz.token_set_ratio, score_cutoff=_EVENT_TEXT_MATCH,
                                   dtype=np.uint8)[0]
            for j in chunk[np.nonzero(scores)[0]]:
                groups.union(k, int(j))
            near = near[groups.label[near] != groups.label[k]]
        for j in groups.others(k, {j for key in actor_keys for j in windows[key]}):
            if groups.label[j] != groups.label[k] and _actors_and_place(e, events[j]):
                groups.union(k, int(j))
        for key in text_keys | actor_keys:
            windows[key].append(k)
    for k in range(len(events)):
        if groups.label[k] != k:
            uf.union(index[int(groups.label[k])], index[k])


def _date_undated(uf: _UnionFind, events: list[ExtractedEvent], dates: list[dt.date | None]
                  ) -> None:
    """An undated group joins the dated event its members retell (the event rule, the highest
    description similarity first) when everything it retells has one date: "The victims were
    buried in a mass grave." joins Saturday's funeral. Candidates are blocked by description
    key, at most ``_EVENT_WINDOW`` dated events per key."""
    by_key: dict[str, list[int]] = defaultdict(list)
    for j, e in enumerate(events):
        if dates[j] is not None:
            for key in _description_keys(e.description):
                if len(by_key[key]) < _EVENT_WINDOW:
                    by_key[key].append(j)
    undated: dict[int, list[int]] = defaultdict(list)
    for k, date in enumerate(dates):
        if date is None:
            undated[int(uf.label[k])].append(k)
    for members in undated.values():
        if any(dates[m] is not None for m in uf.members[int(uf.label[members[0]])]):
            continue  # not an undated group
        targets: list[tuple[float, int]] = []
        for k in members:
            near = {j for key in _description_keys(events[k].description) for j in by_key[key]}
            for j in sorted(near):
                if _events_link(events[k], events[j]):
                    score = fuzz.token_set_ratio(events[k].description.lower(),
                                                 events[j].description.lower())
                    targets.append((score, j))
        if targets and len({dates[j] for _, j in targets}) == 1:
            uf.union(max(targets, key=lambda t: (t[0], -t[1]))[1], members[0])


def reconcile_events(
    extractions: Sequence[ArticleExtraction], published: dict[str, dt.date | None],
    anchor: dt.date | None,
) -> list[SummaryEvent]:
    items = []
    for x in extractions:
        for e in x.events:
            date, precision = event_date(e, published.get(x.article_id) or anchor)
            items.append((x.article_id, e, date, precision))
    items.sort(key=lambda r: (_span_key(r[1].spans[0]), r[1].description))
    blocks: dict[dt.date | None, list[int]] = defaultdict(list)
    for i, (_, _, date, _) in enumerate(items):
        blocks[date].append(i)
    uf = _UnionFind(len(items))
    for indices in blocks.values():
        _link_events(uf, [items[i][1] for i in indices], indices)
    _date_undated(uf, [e for _, e, *_ in items], [d for *_, d, _ in items])
    groups = [sorted((items[i] for i in g), key=lambda r: (r[2] is None, _span_key(r[1].spans[0])))
              for g in uf.groups()]
    groups.sort(key=lambda g: (g[0][2] is None, g[0][2] or dt.date.min, _span_key(g[0][1].spans[0])))
    groups = [g for g in groups  # a proposed undated happening needs a second outlet
              if len({a for a, *_ in g}) > 1 or not all(e.needs_corroboration for _, e, *_ in g)]
    events = []
    for n, group in enumerate(groups, 1):
        articles = {a for a, *_ in group}
        told = [e for _, e, date, _ in group if date is not None] or [e for _, e, *_ in group]
        counts = Counter(e.description for e in told)  # a dated retelling describes the event
        description = sorted(counts, key=lambda d: (-counts[d], len(d), d))[0]
        locations = Counter(e.location for _, e, *_ in group if e.location)
        location = sorted(locations.items(), key=lambda t: (-t[1], t[0]))[0][0] if locations else None
        actors = sorted({a for _, e, *_ in group for a in e.actors})
        when = {}
        for aid, e, *_ in group:
            if e.when:
                when.setdefault(aid, e.when)
        unique: dict[tuple[str, int, int], Span] = {}
        for _, e, *_ in group:
            for s in e.spans:
                unique.setdefault(_span_key(s), s)
        reports = list(unique.values())
        events.append(SummaryEvent(
            id=f"E{n}", description=description, date=group[0][2], date_precision=group[0][3],
            when_as_written=when, location=location, actors=actors,
            status=Status.SINGLE_SOURCE if len(articles) == 1 else Status.AGREED,
            reports=sorted(reports, key=_span_key),
        ))
    return events


# --------------------------------------------------------------------------- cluster


def reconcile(
    cluster_id: str,
    articles: Sequence[Article],
    extractions: Sequence[ArticleExtraction],
    failed: Sequence[FailedArticle] = (),
    checks: Sequence[ClaimCheck] = (),
    profiles: Sequence[Profile] | None = None,
) -> ClusterSummary:
    """Merge per-article extractions into one summary. Pure and order-independent.

    Args:
        cluster_id: the cluster's id.
        articles: the cluster's articles (for metadata and dates).
        extractions: one per article; those with ``error`` become ``failed_articles``.
        failed: articles that failed before extraction (unreadable, duplicate).
        checks: the model's verdicts on entity descriptions (:mod:`summarizer.claims`);
            profiles without one are ``unchecked``.
        profiles: the entity profiles of the extracted articles when already computed (the
            pipeline computes them to ask the checks); computed here otherwise.
    """
    articles = sorted(articles, key=lambda a: a.id)
    extractions = sorted(extractions, key=lambda x: x.article_id)
    ok = [x for x in extractions if x.error is None]
    published = {a.id: a.published for a in articles}
    dates = [d for d in published.values() if d is not None]
    anchor = max(dates) if dates else None
    figures, figure_conflicts, uncorroborated = reconcile_figures(ok, published)
    quotes, quote_conflicts = reconcile_quotes(ok)
    events = reconcile_events(ok, published, anchor)
    if profiles is None:
        ok_ids = {x.article_id for x in ok}
        profiles = entity_profiles([a for a in articles if a.id in ok_ids])
    claims, claim_conflicts = summary_claims(profiles, checks)
    usage = Usage()
    for x in extractions:
        usage.add(x.usage)
    for check in sorted(checks, key=lambda c: c.entity):
        usage.add(check.usage)
    failures = [FailedArticle(article_id=x.article_id, error=x.error)
                for x in extractions if x.error is not None] + list(failed)
    rejected = sorted([*(r for x in extractions for r in x.rejected), *uncorroborated],
                      key=lambda r: (r.article_id, r.kind, r.candidate_id or "", r.reason,
                                     r.detail or ""))
    flags = {x.article_id: x.flags for x in extractions}
    return ClusterSummary(
        cluster_id=cluster_id,
        articles=[ArticleInfo(id=a.id, source=a.source, published=a.published, title=a.title,
                              flags=sorted(set(a.flags) | set(flags.get(a.id, []))))
                  for a in articles],
        figures=figures,
        quotes=quotes,
        events=events,
        claims=claims,
        speakers=build_speakers(quotes, ok),
        conflicts=figure_conflicts + quote_conflicts + claim_conflicts,
        rejected=rejected,
        failed_articles=sorted(failures, key=lambda f: (f.article_id, f.error)),
        usage=usage,
    )
