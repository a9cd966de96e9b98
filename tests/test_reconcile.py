"""Reconciler tests on extractions built from the development set's gold (no model)."""

import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.candidates import find_candidates
from summarizer.models import (
    ArticleExtraction,
    ExtractedEvent,
    ExtractedFigure,
    ExtractedQuote,
    Measure,
    Qualifier,
    Quantity,
    Span,
    Status,
)
from summarizer.normalize import resolve_date
from summarizer.reconcile import reconcile

QUAL = {"exact": Qualifier.EXACT, "approx": Qualifier.APPROX, "at_least": Qualifier.AT_LEAST,
        "more_than": Qualifier.MORE_THAN}


def _span(article, text, start=0):
    i = article.text.find(text, start)
    assert i >= 0, text
    return Span(article_id=article.id, start=i, end=i + len(text), text=text)


def _quantity(figure, surface):
    from summarizer.normalize import to_quantity

    cands = [m for m in ("more than", "over", "surpassed", "at least", "almost", "close to")
             if surface.lower().startswith(m) or f" {m} " in f" {surface.lower()} "]
    value = figure["value"]
    if isinstance(value, list):
        return Quantity(low=value[0], high=value[1], qualifier=Qualifier.APPROX, as_written=surface)
    number = surface.split()[len(cands[0].split()) if cands else 0]
    q = to_quantity(cands[0] if cands else None, number.split("-")[0], surface)
    return q or Quantity(low=value, high=value, qualifier=QUAL[figure["qualifier"]],
                         as_written=surface)


_CACHE: dict = {}


def gold_extractions(cluster, gold):
    if cluster.cluster_id not in _CACHE:
        _CACHE[cluster.cluster_id] = _gold_extractions(cluster, gold)
    return [x.model_copy(deep=True) for x in _CACHE[cluster.cluster_id]]


def _gold_extractions(cluster, gold):
    by_id = {a.id: a for a in cluster.articles}
    out = {a.id: ArticleExtraction(article_id=a.id, published=a.published)
           for a in cluster.articles}
    for f in gold["figures"]:
        for aid, forms in f["sources"].items():
            for form in forms:
                out[aid].figures.append(ExtractedFigure(
                    candidate_id="N", span=_span(by_id[aid], form), quantity=_quantity(f, form),
                    subject=f["subject"], measure=Measure(f["measure"]),
                    claimant=f["attributed_to"]))
    for q in gold["quotes"]:
        for aid, forms in q["sources"].items():
            for form in forms:
                out[aid].quotes.append(ExtractedQuote(
                    candidate_id="Q", span=_span(by_id[aid], form), speaker=q["speaker"],
                    speaker_as_written=q["speaker"], speaker_role=q["speaker_role"]))
    for e in gold["events"]:
        for aid in e["sources"]:
            article = by_id[aid]
            when = e["date_as_written"].get(aid)
            sentences = find_candidates(article).sentences
            pos = article.text.find(when) if when else -1
            sent = next((s for s in sentences if s.start <= pos < s.end), sentences[0])
            out[aid].events.append(ExtractedEvent(
                description=e["description"], when=when,
                spans=[Span(article_id=aid, start=sent.start, end=sent.end,
                            text=article.text[sent.start:sent.end])],
                location=e["location"]))
    return list(out.values())


def _summary(dev_cluster, gold, order=None):
    xs = gold_extractions(dev_cluster, gold)
    if order is not None:
        xs = [xs[i] for i in order]
    return reconcile(dev_cluster.cluster_id, dev_cluster.articles, xs)


def test_headline_figures_merge_with_all_outlets(dev_cluster, gold):
    summary = _summary(dev_cluster, gold)
    for gid in ("F1", "F2", "F3", "F4"):
        g = next(f for f in gold["figures"] if f["id"] == gid)
        want = {(aid, form) for aid, forms in g["sources"].items() for form in forms}
        matches = [f for f in summary.figures
                   if {(r.article_id, r.text) for r in f.reports} & want]
        assert len(matches) == 1, (gid, [m.id for m in matches])
        got = {(r.article_id, r.text) for r in matches[0].reports}
        assert want <= got, gid
    f2 = next(f for f in summary.figures if any(r.text == "almost 750 civilians"
                                                for r in f.reports))
    assert f2.status == Status.COMPATIBLE
    assert (f2.value.low, f2.value.high, f2.value.qualifier) == (745, 745, Qualifier.EXACT)
    f4 = next(f for f in summary.figures if any(r.text == "close to 150 militants"
                                                for r in f.reports))
    assert f4.status == Status.COMPATIBLE
    assert any(c.item_id == f2.id and c.kind == Status.COMPATIBLE for c in summary.conflicts)


def test_sheha_variants_are_one_quote(dev_cluster, gold):
    summary = _summary(dev_cluster, gold)
    sheha = [q for q in summary.quotes if any("Bodies were on the streets" in r.text
                                              for r in q.reports)]
    assert len(sheha) == 1
    assert {r.article_id for r in sheha[0].reports} == {
        "001_747cbcc47687015b", "003_b6a3fbd43410369e", "004_129b17b79ff333a7"}
    assert sheha[0].text == max((r.text for r in sheha[0].reports), key=len)
    assert sheha[0].status == Status.COMPATIBLE


def test_thursday_in_001_resolves_to_march_6(dev_cluster):
    article = next(a for a in dev_cluster.articles if a.id.startswith("001"))
    assert resolve_date("Thursday", article.published) == (dt.date(2025, 3, 6),
                                                           resolve_date("March 6", article.published)[1])


def test_timeline_is_sorted_and_dated(dev_cluster, gold):
    summary = _summary(dev_cluster, gold)
    dated = [e.date for e in summary.events if e.date]
    assert dated == sorted(dated)
    clashes = next(e for e in summary.events if e.description.startswith("Clashes erupt"))
    assert clashes.date == dt.date(2025, 3, 6)


def test_reports_are_exact_slices(dev_cluster, gold):
    summary = _summary(dev_cluster, gold)
    text = {a.id: a.text for a in dev_cluster.articles}
    for item in [*summary.figures, *summary.quotes]:
        for r in item.reports:
            assert text[r.article_id][r.start:r.end] == r.text


def test_contradicting_figures_are_surfaced(dev_cluster):
    a, b = dev_cluster.articles[0], dev_cluster.articles[1]
    def fig(article, text, value):
        return ExtractedFigure(candidate_id="N1", span=_span(article, text),
                               quantity=Quantity(low=value, high=value, qualifier=Qualifier.EXACT,
                                                 as_written=text),
                               subject="people buried in a mass grave in Tuwaym",
                               measure=Measure.BURIED, claimant="residents of Tuwaym")
    xa = ArticleExtraction(article_id=a.id, figures=[fig(a, "31 people", 31)])
    # same noun needed for a conflict: b's own "31 people" span, reported as 41
    xb = ArticleExtraction(article_id=b.id, figures=[fig(b, "31 people", 31).model_copy(
        update={"quantity": Quantity(low=41, high=41, qualifier=Qualifier.EXACT,
                                     as_written="31 people")})])
    summary = reconcile("c", [a, b], [xa, xb])
    assert summary.figures[0].status == Status.CONTRADICTION
    assert summary.conflicts[0].kind == Status.CONTRADICTION


@pytest.fixture
def two_articles():
    from summarizer.articles import make_article

    return [make_article("a", "The Hunters converted $250,000 in campaign funds and bought a "
                              "$43,000 Rolex watch."),
            make_article("b", "The couple misused more than $250,000, and a $43,350 Rolex watch."),
            make_article("c", "The firm paid $250,000 in legal fees.")]


def _money(article, text, subject, qualifier=Qualifier.EXACT):
    from summarizer.normalize import to_quantity

    number = text.split()[-1] if qualifier != Qualifier.EXACT else text.split()[0]
    q = to_quantity("more than" if qualifier == Qualifier.MORE_THAN else None,
                    number.lstrip("$"), text)
    return ExtractedFigure(candidate_id="N1", span=_span(article, text), quantity=q,
                           subject=subject, measure=Measure.MONEY)


def test_the_consensus_is_the_value_most_outlets_give(two_articles):
    from summarizer.articles import make_article

    a, b, _ = two_articles
    c = make_article("c", "Prosecutors say more than $250,000 in campaign funds went missing.")
    xs = [ArticleExtraction(article_id=a.id, figures=[_money(a, "$250,000", "campaign funds")]),
          *(ArticleExtraction(article_id=x.id, figures=[_money(x, "more than $250,000",
                                                               "campaign funds",
                                                               Qualifier.MORE_THAN)])
            for x in (b, c))]
    (figure,) = reconcile("c", [a, b, c], xs).figures
    # "$250,000" is the more precise form, but two outlets of three say "more than"
    assert figure.status == Status.COMPATIBLE
    assert figure.value.qualifier == Qualifier.MORE_THAN and figure.value.low == 250000
    (alone,) = reconcile("c", [a, b], xs[:2]).figures
    assert alone.value.qualifier == Qualifier.EXACT  # one each: the more precise


def test_a_sum_links_when_one_report_does_not_say_what_it_paid(two_articles):
    a, b, c = two_articles
    xs = [ArticleExtraction(article_id=a.id, figures=[_money(a, "$250,000", "campaign funds")]),
          ArticleExtraction(article_id=b.id, figures=[_money(b, "more than $250,000", "money",
                                                             Qualifier.MORE_THAN)]),
          ArticleExtraction(article_id=c.id, figures=[_money(c, "$250,000", "legal fees")])]
    # "$250,000" may be a rounded "more than $250,000": one figure, compatible
    (figure,) = reconcile("c", [a, b], xs[:2]).figures
    assert figure.status == Status.COMPATIBLE and len(figure.reports) == 2
    # with a second named $250,000 the unsaid sum could be either: it bridges nothing
    groups = sorted(sorted(r.article_id for r in f.reports)
                    for f in reconcile("c", [a, b, c], xs).figures)
    assert groups == [["a"], ["b"], ["c"]], groups


def test_a_rounded_sum_joins_its_precise_form(two_articles):
    a, b, _ = two_articles
    xs = [ArticleExtraction(article_id=a.id, figures=[_money(a, "$43,000", "Rolex watch")]),
          ArticleExtraction(article_id=b.id, figures=[_money(b, "$43,350", "Rolex watch")])]
    (figure,) = reconcile("c", [a, b], xs).figures
    assert figure.status == Status.COMPATIBLE and figure.value.low == 43350


def test_failed_article_is_listed_and_rest_summarised(dev_cluster, gold):
    xs = gold_extractions(dev_cluster, gold)
    xs[0] = ArticleExtraction(article_id=xs[0].article_id, error="server down")
    summary = reconcile(dev_cluster.cluster_id, dev_cluster.articles, xs)
    assert [f.article_id for f in summary.failed_articles] == [xs[0].article_id]
    assert summary.figures and all(r.article_id != xs[0].article_id
                                   for f in summary.figures for r in f.reports)


@settings(max_examples=25, deadline=None)
@given(st.permutations(range(5)), st.randoms(use_true_random=False))
def test_any_order_gives_byte_identical_json(dev_cluster, gold, order, rnd):
    base = _summary(dev_cluster, gold).model_dump_json()
    xs = gold_extractions(dev_cluster, gold)
    shuffled = []
    for i in order:
        x = xs[i]
        figures, quotes, events = list(x.figures), list(x.quotes), list(x.events)
        rnd.shuffle(figures)
        rnd.shuffle(quotes)
        rnd.shuffle(events)
        shuffled.append(x.model_copy(update={"figures": figures, "quotes": quotes,
                                             "events": events}))
    articles = [dev_cluster.articles[i] for i in order]
    assert reconcile(dev_cluster.cluster_id, articles, shuffled).model_dump_json() == base


def test_summary_validates_against_exported_schema(dev_cluster, gold):
    import jsonschema

    from tests.conftest import ROOT

    schema = json.loads((ROOT / "schemas" / "cluster_summary.json").read_text())
    jsonschema.validate(json.loads(_summary(dev_cluster, gold).model_dump_json()), schema)


_NOUNS = ["people", "civilians", "fighters", "militants", "killed", "homes", "dollars"]
_SUBJECTS = ["civilians killed in Latakia", "people killed in clashes on the coast",
             "people killed in Tartus", "fighters killed", "security forces killed",
             "homes destroyed in Baniyas", "people killed", "members of security forces",
             "charity", "charitable contributions"]
_QUALIFIERS = ["exact", "more than", "at least", "almost", "close to", "up to", "less than"]


@st.composite
def _figure_sets(draw):
    from summarizer.normalize import to_quantity

    figs = []
    measure = draw(st.sampled_from([Measure.KILLED, Measure.KILLED, Measure.MONEY, Measure.OTHER]))
    for k in range(draw(st.integers(2, 40))):
        value = draw(st.sampled_from([0, 4, 9, 20, 31, 100, 104, 148, 150, 745, 750, 1000,
                                      1500, 2000, 43000, 43350, 250000]))
        noun = draw(st.sampled_from(_NOUNS))
        qual = draw(st.sampled_from(_QUALIFIERS))
        written = f"{value:,}"
        text = f"{written} {noun}" if qual == "exact" else f"{qual} {written} {noun}"
        quantity = to_quantity(None if qual == "exact" else qual, written, text)
        if quantity is None:
            continue
        figs.append(ExtractedFigure(
            candidate_id=f"N{k}", span=Span(article_id=f"a{k % 4}", start=k, end=k + len(text),
                                            text=text),
            quantity=quantity, subject=draw(st.sampled_from([*_SUBJECTS, "money", "money"])),
            measure=measure,
            claimant=draw(st.sampled_from([None, "SOHR", "the Syrian Observatory",
                                           "Rami Abdurrahman"])),
            holder=draw(st.sampled_from([None, None, "Bush", "Clintons", "Clinton"])),
            named=draw(st.sampled_from([(), (), ("best buy",), ("rolex",),
                                        ("best buy", "rolex")]))))
    return figs


def _pairwise_groups(n, link):
    """The reference the fast linking is tested against: groups of ``range(n)`` joined by
    ``link(i, j)`` asked of every pair, each group sorted."""
    from summarizer.reconcile import _UnionFind

    slow = _UnionFind(n)
    for i in range(n):
        for j in range(i + 1, n):
            if link(i, j):
                slow.union(i, j)
    return sorted(map(sorted, slow.groups()))


@settings(max_examples=200, deadline=None)
@given(_figure_sets())
def test_vectorised_figure_linking_equals_the_pairwise_rule(figs):
    """`_link_figures` (numpy windows) joins exactly the groups that `_figures_link` (the rule
    as written, pair by pair) would."""
    from summarizer.reconcile import (
        _attach_unsaid,
        _figures_link,
        _head,
        _link_figures,
        _rep_value,
        _same_sum,
        _UnionFind,
        _unsaid,
    )

    figs = sorted(figs, key=lambda f: _rep_value(f.quantity))
    fast = _UnionFind(len(figs))
    _link_figures(fast, figs, [_head(f) for f in figs], list(range(len(figs))))
    slow = _UnionFind(len(figs))
    for i in range(len(figs)):
        for j in range(i + 1, len(figs)):
            if _figures_link(figs[i], figs[j]):
                slow.union(i, j)
    sums = [(i, j) for i in range(len(figs)) for j in range(len(figs))
            if i != j and _unsaid(figs[i]) and _same_sum(figs[i], figs[j])
            and not _figures_link(figs[i], figs[j])]
    _attach_unsaid(slow, list(range(len(figs))), sums)
    assert sorted(map(sorted, fast.groups())) == sorted(map(sorted, slow.groups()))


def _gold_checks(dev_cluster, gold):
    """A stand-in for the model's check: the pairs of profile statements that hold the two sides
    of a gold contradiction. What it tests is the code around the model: that the profiles code
    finds hold those statements, that the verdict becomes a contradiction with both sides, and
    that the evaluator counts it."""
    from summarizer.claims import entity_profiles, to_check
    from summarizer.claims import CheckRequest, ClaimAnswer, ClaimPair

    by_id = {a.id: a for a in dev_cluster.articles}
    checks = []
    for profile in entity_profiles(dev_cluster.articles):
        pairs = []
        for g in gold["conflicts"]:
            if g["kind"] != "contradiction":
                continue
            holding = {}
            for aid, value in g["values"].items():
                at = by_id[aid].text.find(value)
                for s in profile.statements:
                    if s.span.article_id == aid and s.span.start < at + len(value) and at < s.span.end:
                        holding.setdefault(aid, s.id)
            ids = sorted(holding.values())
            pairs += [ClaimPair(first=ids[0], second=b) for b in ids[1:]]
        request = CheckRequest(profile, [], ClaimAnswer, {})
        checks.append(to_check(request, ClaimAnswer(contradictions=pairs), "gold"))
    return checks


def test_gold_contradictions_are_surfaced_in_conflicts(dev_cluster, gold):
    from summarizer.evaluate import score_cluster as score

    xs = gold_extractions(dev_cluster, gold)
    summary = reconcile(dev_cluster.cluster_id, dev_cluster.articles, xs,
                        checks=_gold_checks(dev_cluster, gold))
    contradictions = [c for c in summary.conflicts if c.kind == Status.CONTRADICTION]
    entities = {c.subject for c in contradictions}
    assert entities == {"how outlets describe Hayat Tahrir al-Sham",
                        "how outlets describe Haidar Nasser"}
    for c in contradictions:
        assert len(c.values) >= 2
        claim = next(x for x in summary.claims if x.id == c.item_id)
        assert claim.status == Status.CONTRADICTION
        assert "verify before publishing" in c.explanation
    result = score(summary, dev_cluster.articles, gold)
    assert result.counts.contradictions_found == result.counts.contradictions_gold == 3


def test_claims_without_a_check_are_unchecked_not_compatible(dev_cluster, gold):
    summary = _summary(dev_cluster, gold)
    assert summary.claims
    assert {c.status for c in summary.claims} == {Status.UNCHECKED}
    assert not [c for c in summary.conflicts if c.item_id.startswith("C")]
    text = {a.id: a.text for a in dev_cluster.articles}
    for claim in summary.claims:
        assert len({r.article_id for r in claim.reports}) >= 2
        for r in claim.reports:
            assert text[r.article_id][r.start:r.end] == r.text


def test_entity_profiles_join_aliases_and_surnames(dev_cluster):
    from summarizer.claims import entity_profiles

    profiles = {p.entity: p for p in entity_profiles(dev_cluster.articles)}
    hts = profiles["Hayat Tahrir al-Sham"]
    assert "HTS" in hts.aliases
    assert hts.mentioned_by == 4
    assert "Sheha" in profiles["Ali Sheha"].aliases
    nasser = profiles["Haidar Nasser"]
    assert {s.span.article_id[:3] for s in nasser.statements} == {"000", "001", "003"}
    assert all(len(p.statements) <= 3 * p.mentioned_by for p in profiles.values())


_EVENT_WORDS = ["security", "forces", "force", "killed", "killings", "civilians", "Alawite",
                "villages", "clashes", "erupted", "in", "the", "coast", "gunmen", "attacked",
                "homes", "Baniyas", "fled", "thousands"]
_PLACES = [None, None, "Baniyas", "Latakia province", "Latakia", "Tartus"]
_ACTORS = [[], [], ["HTS"], ["Ali Sheha"], ["Sheha"], ["Rami Abdurrahman", "SOHR"]]


@st.composite
def _event_sets(draw):
    events = []
    for k in range(draw(st.integers(2, 30))):
        aid = f"a{k % 5}"
        sentence = draw(st.integers(0, 6))  # a shared sentence when two events of an article draw the same
        words = draw(st.lists(st.sampled_from(_EVENT_WORDS), min_size=1, max_size=7))
        events.append(ExtractedEvent(
            description=" ".join(words), location=draw(st.sampled_from(_PLACES)),
            actors=draw(st.sampled_from(_ACTORS)),
            spans=[Span(article_id=aid, start=sentence * 10, end=sentence * 10 + 5,
                        text="x" * 5)]))
    return events


@settings(max_examples=200, deadline=None)
@given(_event_sets())
def test_blocked_event_linking_equals_the_pairwise_rule(events):
    """Below the window (32 earlier events per key), `_link_events` (blocking keys, groups as
    labels) joins exactly the groups that `_events_link` (the rule, pair by pair) would."""
    from summarizer.reconcile import _events_link, _link_events, _UnionFind

    fast = _UnionFind(len(events))
    _link_events(fast, events, list(range(len(events))))
    assert sorted(map(sorted, fast.groups())) == _pairwise_groups(
        len(events), lambda i, j: _events_link(events[i], events[j]))


def _retellings(n_articles: int, seed: int = 0):
    """Three undated events, each retold by every article with a word or two dropped or
    swapped, among shared filler words, so each key has far more than 32 holders."""
    import random

    rnd = random.Random(seed)
    stories = ["gunmen attacked Alawite villages near Baniyas on the coast",
               "thousands of residents fled to the Russian air base at Hmeimim",
               "the interior ministry announced a curfew across Latakia province"]
    xs = []
    for a in range(n_articles):
        aid = f"a{a:03d}"
        x = ArticleExtraction(article_id=aid)
        for k, story in enumerate(stories):
            words = story.split()
            del words[rnd.randrange(len(words))]
            words.insert(rnd.randrange(len(words)), rnd.choice(["reportedly", "said", "today"]))
            x.events.append(ExtractedEvent(
                description=" ".join(words),
                spans=[Span(article_id=aid, start=k * 100, end=k * 100 + 5, text="x" * 5)]))
        xs.append(x)
    return xs


def test_blocking_keeps_every_retelling_past_the_window():
    from summarizer.reconcile import reconcile_events

    xs = _retellings(120)
    events = reconcile_events(xs, {}, None)
    assert len(events) == 3
    assert [len({r.article_id for r in e.reports}) for e in events] == [120, 120, 120]


@settings(max_examples=10, deadline=None)
@given(st.randoms(use_true_random=False))
def test_blocked_events_do_not_depend_on_input_order(rnd):
    """Windows are taken in span order after sorting, so a big block (keys with more than
    32 holders) comes out the same whatever order the extractions and events arrive in."""
    from summarizer.reconcile import reconcile_events

    xs = _retellings(60, seed=1)
    base = [e.model_dump_json() for e in reconcile_events(xs, {}, None)]
    shuffled = [x.model_copy(update={"events": rnd.sample(x.events, len(x.events))})
                for x in rnd.sample(xs, len(xs))]
    assert [e.model_dump_json() for e in reconcile_events(shuffled, {}, None)] == base


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from("abcdefg"), max_size=12), st.lists(st.sampled_from("abcdefgh"),
                                                                    max_size=12))
def test_quote_overlap_counts_tokens_as_a_multiset(a, b):
    """`_overlap` (set intersection plus repeated tokens) equals the share of the shorter
    quote's tokens, counted with multiplicity, that the longer holds."""
    from collections import Counter

    from summarizer.reconcile import _overlap, _QuoteText

    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if not a or not b:
        expected = 0.0
    elif f" {' '.join(short)} " in f" {' '.join(long_)} ":
        expected = 1.0
    else:
        counts = Counter(long_)
        expected = sum(min(n, counts[t]) for t, n in Counter(short).items()) / len(short)
    assert _overlap(_QuoteText(a), _QuoteText(b)) == expected


_QUOTE_WORDS = "we will not let them go the killers must be held to account now".split()


@st.composite
def _quote_sets(draw):
    quotes = []
    for k in range(draw(st.integers(2, 30))):
        words = draw(st.lists(st.sampled_from(_QUOTE_WORDS), min_size=1, max_size=12))
        text = " ".join(words)
        quotes.append(ExtractedQuote(
            candidate_id=f"Q{k}", span=Span(article_id=f"a{k % 6}", start=k * 100,
                                            end=k * 100 + len(text), text=text),
            speaker=draw(st.sampled_from([None, "Ali Sheha", "Sheha", "Rami Abdurrahman"])),
            speaker_as_written=None))
    return quotes


@settings(max_examples=200, deadline=None)
@given(_quote_sets())
def test_blocked_quote_linking_equals_the_pairwise_rule(quotes):
    """Below the window (32 earlier quotes per token, 48 verified), the blocked quote linking
    joins exactly the groups that `_quotes_link` (the rule, pair by pair) would."""
    from summarizer.normalize import text_key
    from summarizer.reconcile import _QuoteText, _quotes_link, reconcile_quotes

    merged, _ = reconcile_quotes([ArticleExtraction(article_id="a0", quotes=quotes)])
    fast = sorted(sorted((r.article_id, r.start) for r in q.reports) for q in merged)
    prepared = [_QuoteText(text_key(q.span.text)) for q in quotes]
    groups = _pairwise_groups(
        len(quotes), lambda i, j: _quotes_link(quotes[i], quotes[j], prepared[i], prepared[j]))
    expected = sorted(sorted((quotes[i].span.article_id, quotes[i].span.start) for i in g)
                      for g in groups)
    assert fast == expected


def test_quote_reprinted_by_many_outlets_is_one_quote():
    """A statement reprinted by 200 outlets, each cutting it its own way (every token held by
    far more than 32 quotes), among 200 other quotes sharing its common words, is one quote."""
    import random

    rnd = random.Random(2)
    statement = ("we will not rest until every family on the coast knows what happened to "
                 "their sons and the men who gave the orders stand before a court").split()
    xs = []
    for a in range(200):
        aid = f"a{a:03d}"
        cut = statement[rnd.randrange(8): len(statement) - rnd.randrange(8)]
        other = rnd.sample(statement, 6) + ["ministry", "said", f"w{a}"]
        quotes = []
        for k, words in enumerate((cut, other)):
            text = " ".join(words)
            quotes.append(ExtractedQuote(
                candidate_id=f"Q{k}", span=Span(article_id=aid, start=k * 500,
                                                end=k * 500 + len(text), text=text),
                speaker="Ali Sheha" if k == 0 else "Rami Abdurrahman", speaker_as_written=None))
        xs.append(ArticleExtraction(article_id=aid, quotes=quotes))
    from summarizer.reconcile import reconcile_quotes

    merged, _ = reconcile_quotes(xs)
    sheha = [q for q in merged if q.speaker == "Ali Sheha"]
    assert len(sheha) == 1 and len(sheha[0].reports) == 200
    # windows are taken in span order after sorting: any input order gives the same quotes
    shuffled = [x.model_copy(update={"quotes": x.quotes[::-1]}) for x in rnd.sample(xs, len(xs))]
    assert [q.model_dump_json() for q in reconcile_quotes(shuffled)[0]] == \
        [q.model_dump_json() for q in merged]


def test_quote_meets_its_partner_before_look_alikes():
    """When more quotes share its words than are verified, a quote is compared first with those
    sharing the largest part of its tokens: two late outlets quoting the same statement join
    although 120 earlier quotes each hold a few of its words."""
    import random

    from summarizer.reconcile import reconcile_quotes

    rnd = random.Random(5)
    statement = ("the men who gave the orders in Baniyas will stand before a court and every "
                 "family will know what happened").split()
    texts = [" ".join(rnd.sample(statement, 4) + [f"u{k}", f"v{k}", f"w{k}"]) for k in range(120)]
    texts += [" ".join(statement[2:]), " ".join(statement[:-3])]
    xs = [ArticleExtraction(article_id=f"a{k:03d}", quotes=[ExtractedQuote(
        candidate_id="Q0", span=Span(article_id=f"a{k:03d}", start=0, end=len(t), text=t),
        speaker="Ali Sheha" if k >= 120 else "Rami Abdurrahman", speaker_as_written=None)])
        for k, t in enumerate(texts)]
    merged, _ = reconcile_quotes(xs)
    assert [sorted(r.article_id for r in q.reports) for q in merged
            if q.speaker == "Ali Sheha"] == [["a120", "a121"]]


def _told(aid, description, start, *, when=None, proposed=False):
    return ExtractedEvent(description=description, when=when, needs_corroboration=proposed,
                          spans=[Span(article_id=aid, start=start, end=start + 5, text="x" * 5)])


def test_a_proposed_undated_happening_needs_a_second_outlet():
    """Code proposes every undated sentence that tells a happening; one outlet alone does not
    put it in the timeline, two retelling it do, and an undated event that was not merely
    proposed (a model's pick) stays on its own."""
    from summarizer.reconcile import reconcile_events

    a = ArticleExtraction(article_id="a", events=[
        _told("a", "Authorities closed the roads into the coastal region", 0, proposed=True),
        _told("a", "Alawites made up a large part of the old support base", 10, proposed=True),
        _told("a", "Thousands fled to the mountains", 20)])
    b = ArticleExtraction(article_id="b", events=[
        _told("b", "The authorities closed roads into the coastal region", 0, proposed=True)])
    events = reconcile_events([a, b], {}, None)
    assert sorted((e.description, len(e.reports)) for e in events) == [
        ("Authorities closed the roads into the coastal region", 2),
        ("Thousands fled to the mountains", 1)]


def test_an_undated_retelling_joins_the_dated_event_and_takes_its_date():
    from summarizer.reconcile import reconcile_events

    a = ArticleExtraction(article_id="a", published=dt.date(2025, 3, 9), events=[
        _told("a", "Residents of Tuwaym held a funeral on Saturday for 31 people", 0,
              when="Saturday")])
    b = ArticleExtraction(article_id="b", published=dt.date(2025, 3, 9), events=[
        _told("b", "Residents of Tuwaym held a funeral for 31 people", 0, proposed=True),
        _told("b", "Gunmen attacked checkpoints near Jableh", 30, when="Friday")])
    c = ArticleExtraction(article_id="c", published=dt.date(2025, 3, 9), events=[
        _told("c", "Residents of Tuwaym held a funeral for the 31 people", 0, proposed=True)])
    events = reconcile_events([a, b, c], {"a": a.published, "b": b.published, "c": c.published},
                              None)
    saturday = [e for e in events if e.date == dt.date(2025, 3, 8)]
    assert len(saturday) == 1
    assert {r.article_id for r in saturday[0].reports} == {"a", "b", "c"}
    assert saturday[0].description == "Residents of Tuwaym held a funeral on Saturday for 31 people"
    assert all(e.date is not None for e in events)


def test_an_undated_event_retelling_two_dates_stays_undated():
    from summarizer.reconcile import reconcile_events

    a = ArticleExtraction(article_id="a", published=dt.date(2025, 3, 9), events=[
        _told("a", "Gunmen attacked the villages on Friday", 0, when="Friday"),
        _told("a", "Gunmen attacked the villages again on Saturday", 10, when="Saturday")])
    b = ArticleExtraction(article_id="b", events=[
        _told("b", "Gunmen attacked the villages", 0)])
    events = reconcile_events([a, b], {"a": a.published}, None)
    assert [e.date for e in events] == [dt.date(2025, 3, 7), dt.date(2025, 3, 8), None]


def test_speakers_take_their_cluster_wide_form_unless_ambiguous():
    from summarizer.reconcile import canonical_speakers

    got = canonical_speakers(["Jesse Jackson Jr", "Jesse L. Jackson Jr", "government",
                              "Syrian government", "Clinton", "Bill Clinton",
                              "Hillary Clinton"])
    assert got["Jesse Jackson Jr"] == "Jesse L. Jackson Jr"
    assert got["government"] == "Syrian government"
    assert got["Clinton"] == "Clinton"  # Bill or Hillary: not known, left as written
    assert got["Hillary Clinton"] == "Hillary Clinton"


def test_a_bare_calendar_span_one_outlet_gives_is_left_out():
    from summarizer.articles import make_article
    from summarizer.models import Cluster
    from summarizer.config import Settings
    from summarizer.pipeline import summarize_cluster

    a = make_article("a", "Fighting resumed two days after the ceasefire, officials said. "
                          "More than 40 people were killed in the town.")
    b = make_article("b", "At least 40 people were killed in the town on Sunday.")
    c = make_article("c", "Clashes broke out two days after the ceasefire began.")
    rules = Settings(backend="rules")

    def spans(summary):
        return {r.text for f in summary.figures for r in f.reports}

    alone = summarize_cluster(Cluster(cluster_id="x", articles=[a, b]), settings=rules)
    assert "two days" not in " ".join(spans(alone))
    assert any(r.reason == "uncorroborated_calendar_span" and r.article_id == "a"
               for r in alone.rejected)
    assert any("40" in s for s in spans(alone))
    # a second outlet giving the same span keeps it, with both reports
    both = summarize_cluster(Cluster(cluster_id="x", articles=[a, b, c]), settings=rules)
    (days,) = [f for f in both.figures if any("two days" in r.text for r in f.reports)]
    assert {r.article_id for r in days.reports} == {"a", "c"}


def test_sums_that_name_one_vendor_are_one_figure():
    from summarizer.articles import make_article
    from summarizer.config import Settings
    from summarizer.models import Cluster
    from summarizer.pipeline import summarize_cluster

    a = make_article("a", "Expenses included $2,306.08 at Walt Disney World, over $10,000 at "
                          "Best Buy and $5,687.75 on Martha's Vineyard Holistic Retreat.")
    b = make_article("b", "Mr. Jackson bought $10,977.74 worth of televisions and DVDs at Best "
                          "Buy, according to the documents. He spent $5,587.75 on a vacation at "
                          "the Martha’s Vineyard Holistic Retreat and $10,500 on furs in New York.")
    summary = summarize_cluster(Cluster(cluster_id="x", articles=[a, b]),
                                settings=Settings(backend="rules"))
    groups = {f.status.value: sorted(r.text for r in f.reports) for f in summary.figures
              if len(f.reports) > 1}
    # "over $10,000" holds $10,977.74; the retreat's two sums cannot both be true
    assert groups == {"compatible": ["$10,977.74 worth", "over $10,000"],
                      "contradiction": ["$5,587.75", "$5,687.75"]}


def test_two_holders_are_two_figures_and_forms_of_one_word_agree():
    from summarizer.articles import make_article
    from summarizer.normalize import to_quantity

    a = make_article("a", "Bush paid roughly 36 percent. The couple made $14,959,450 in "
                          "charitable contributions.")
    b = make_article("b", "The Clintons' rate was 35.7 percent. They gave $15 million to charity.")

    def fig(article, text, number, subject, holder=None, qualifier=None,
            measure=Measure.OTHER):
        return ExtractedFigure(candidate_id="N1", span=_span(article, text),
                               quantity=to_quantity(qualifier, number, text),
                               subject=subject, measure=measure, holder=holder)

    bush = fig(a, "roughly 36", "36", "effective tax rate", "Bush", "roughly")
    clintons = fig(b, "35.7", "35.7", "effective tax rate", "Clintons")
    xs = [ArticleExtraction(article_id="a", figures=[
              bush, fig(a, "$14,959,450", "$14,959,450", "charitable contributions",
                        measure=Measure.MONEY)]),
          ArticleExtraction(article_id="b", figures=[
              clintons, fig(b, "$15 million", "$15 million", "charity", measure=Measure.MONEY)])]
    figures = reconcile("c", [a, b], xs).figures
    rates = [f for f in figures if f.measure == Measure.OTHER]
    assert len(rates) == 2  # "roughly 36" would hold 35.7, but Bush's rate is not the Clintons'
    (money,) = [f for f in figures if f.measure == Measure.MONEY]
    assert {r.article_id for r in money.reports} == {"a", "b"}
    assert money.value.low == 14959450
    # the same two rates with no holder said are one figure
    unheld = [ArticleExtraction(article_id=x.article_id,
                                figures=[x.figures[0].model_copy(update={"holder": None})])
              for x in xs]
    assert len(reconcile("c", [a, b], unheld).figures) == 1
