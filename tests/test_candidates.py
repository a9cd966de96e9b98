import pytest

from summarizer.articles import make_article
from summarizer.candidates import find_candidates


def _cands(text):
    article = make_article("t", text)
    return article, find_candidates(article)


def test_every_gold_quote_is_a_candidate(dev_cluster, gold):
    by_id = {a.id: a for a in dev_cluster.articles}
    for quote in gold["quotes"]:
        for aid, forms in quote["sources"].items():
            article = by_id[aid]
            texts = {article.text[q.start:q.end] for q in find_candidates(article).quotes}
            for form in forms:
                assert form in texts, (quote["id"], aid, form)


def test_every_gold_figure_overlaps_a_number_candidate(dev_cluster, gold):
    by_id = {a.id: a for a in dev_cluster.articles}
    for figure in gold["figures"]:
        for aid, forms in figure["sources"].items():
            article = by_id[aid]
            numbers = find_candidates(article).numbers
            for form in forms:
                start = article.text.find(form)
                assert start >= 0
                end = start + len(form)
                assert any(n.start < end and start < n.end for n in numbers), (figure["id"], form)


def test_boilerplate_quotes_are_not_candidates(dev_cluster):
    article = dev_cluster.articles[0]
    texts = {article.text[q.start:q.end] for q in find_candidates(article).quotes}
    assert "outrage" not in texts and "obscene fashion show" not in texts


def test_sentences_have_exact_offsets(dev_cluster):
    for article in dev_cluster.articles:
        for s in find_candidates(article).sentences:
            assert article.text[s.start:s.end].strip() == article.text[s.start:s.end]
            assert all(e <= s.start or s.end <= b for b, e in article.excluded)


@pytest.mark.parametrize(
    ("text", "quotes"),
    [
        pytest.param("“It was very bad,” he said. “Bodies were everywhere.”",
                     ["It was very bad", "Bodies were everywhere"], id="interrupted"),
        pytest.param('He said "we will stay" and left.', ["we will stay"], id="straight"),
        pytest.param("She called it ‘a disgrace’ on Monday.", ["a disgrace"], id="curly-single"),
        pytest.param("Syria’s army and the Sunnis' gunmen moved.", [], id="apostrophes-only"),
        pytest.param("The minister said: “We will not surrender", ["We will not surrender"],
                     id="unclosed-at-end"),
        pytest.param("He wrote 'never again' twice.", ["never again"], id="straight-single"),
    ],
)
def test_quote_spans(text, quotes):
    article, cands = _cands(text)
    assert [article.text[q.start:q.end] for q in cands.quotes] == quotes


def test_interrupted_quote_is_linked():
    article, cands = _cands("“It was very bad,” he said. “Bodies were everywhere.”")
    assert cands.quotes[1].continues == cands.quotes[0].id


@pytest.mark.parametrize(
    ("text", "number", "qualifier", "head"),
    [
        pytest.param("More than 1,000 people died.", "1,000", "More than", "people", id="more-than"),
        pytest.param("It killed almost 750 civilians.", "750", "almost", "civilians", id="almost"),
        pytest.param("They shot close to 150 militants.", "150", "close to", "militants",
                     id="close-to"),
        pytest.param("Police found nine children.", "nine", None, "children", id="word"),
        pytest.param("There were dozens of mourners.", "dozens", None, "mourners", id="dozens"),
        pytest.param("It hit hundreds of thousands of workers.", "hundreds of thousands", None,
                     "workers", id="hundreds-of-thousands"),
        pytest.param("The deal is worth $5.7 billion to them.", "$5.7 billion", None, None,
                     id="money"),
        pytest.param("He bought a dozen eggs.", "a dozen", None, "eggs", id="a-dozen"),
        pytest.param("Turnout fell by half in the north.", "half", None, None, id="half"),
        pytest.param("The toll has surpassed 1,000, the group said.", "1,000", "surpassed", None,
                     id="surpassed"),
        pytest.param("It ended his 24-year tenure.", "24", None, "year tenure", id="hyphenated"),
    ],
)
def test_number_mentions(text, number, qualifier, head):
    article, cands = _cands(text)
    assert len(cands.numbers) == 1, [article.text[n.start:n.end] for n in cands.numbers]
    n = cands.numbers[0]
    assert article.text[n.number_start:n.number_end] == number
    assert n.qualifier == qualifier
    assert n.head == head


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Fighting erupted on March 6 in the city.", id="month-day"),
        pytest.param("Posted 09 March 2025 05:53 by staff.", id="dateline"),
        pytest.param("In 2024 the war went on.", id="year"),
        pytest.param("One resident spoke to reporters.", id="one-resident"),
    ],
)
def test_dates_and_ones_are_not_figures(text):
    article, cands = _cands(text)
    assert cands.numbers == []


def test_a_curly_open_quote_closed_by_a_straight_one():
    from summarizer.articles import make_article
    from summarizer.candidates import find_candidates

    text = ('Rose asked whether it made him look “trapped in the past." Rubio said the '
            'statements were "timeless" truths.\n\nHe said “we will “win” here” today.')
    cands = find_candidates(make_article("m", text))
    quoted = [text[q.start:q.end] for q in cands.quotes]
    assert quoted[:2] == ["trapped in the past", "timeless"]
