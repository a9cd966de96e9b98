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
        pytest.param("“We are going to win so much,\" Trump said in Manchester. \"You are going to"
                     " be so happy.”", ["We are going to win so much",
                                        "You are going to be so happy"],
                     id="curly-open-straight-close-before-its-cue"),
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
        pytest.param("Expenses at lounges topped $60,000 that year.", "$60,000", "topped", None,
                     id="topped"),
        pytest.param("Fees were in excess of $2 million.", "$2 million", "in excess of", None,
                     id="in-excess-of"),
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
    ("text", "number", "head", "low", "high"),
    [
        pytest.param("Retail reached 2.7m sales in 2024.", "2.7m", "sales", 2.7e6, 2.7e6,
                     id="glued-million"),
        pytest.param("It shipped 12.3m tonnes of grain.", "12.3m", "tonnes", 12.3e6, 12.3e6,
                     id="glued-million-tonnes"),
        pytest.param("The fund holds 4.3M in cash.", "4.3M", None, 4.3e6, 4.3e6, id="capital-M"),
        pytest.param("The drive stores 60GB of data.", "60", "gb", 60, 60, id="glued-unit"),
        pytest.param("Winds reached 50mph overnight.", "50", "mph", 50, 50, id="mph"),
        pytest.param("The wall is 1.8m tall.", "1.8", "m", 1.8, 1.8, id="glued-metre"),
        pytest.param("It fell to minus 387 Fahrenheit.", "minus 387", "Fahrenheit", -387, -387,
                     id="minus"),
        pytest.param("Lows of -5 degrees were recorded.", "-5", "degrees", -5, -5, id="sign"),
        pytest.param("The hall seated twenty-eight thousand six hundred forty-two fans.",
                     "twenty-eight thousand six hundred forty-two", "fans", 28642, 28642,
                     id="compound-words"),
        pytest.param("Two-thirds of voters agreed.", "Two-thirds", "voters", 2 / 3, 2 / 3,
                     id="two-thirds"),
        pytest.param("He walked two and a half miles.", "two and a half", "miles", 2.5, 2.5,
                     id="and-a-half"),
        pytest.param("Only 1/4 of the budget is spent.", "1/4", "budget", 0.25, 0.25,
                     id="slash-fraction"),
        pytest.param("Between 1 and 1.5 million people fled.", "1 and 1.5 million", "people",
                     1e6, 1.5e6, id="between-and"),
        pytest.param("Officials said 10 to 20 people died.", "10 to 20", "people", 10, 20,
                     id="to-range"),
        pytest.param("It will cost $5-7 billion.", "$5-7 billion", None, 5e9, 7e9,
                     id="money-range"),
        pytest.param("Prices rose 12 per cent in May.", "12 per cent", None, 12, 12,
                     id="per-cent"),
        pytest.param("A half-dozen advisers resigned.", "A half-dozen", "advisers", 6, 6,
                     id="half-dozen"),
        pytest.param("Several hundred protesters gathered.", "Several hundred", "protesters",
                     300, 999, id="several-hundred"),
    ],
)
def test_number_forms(text, number, head, low, high):
    from summarizer.normalize import parse_number

    article, cands = _cands(text)
    assert len(cands.numbers) == 1, [article.text[n.start:n.end] for n in cands.numbers]
    n = cands.numbers[0]
    assert article.text[n.number_start:n.number_end] == number
    assert n.head == head
    value = parse_number(number)
    assert value is not None and value[:2] == pytest.approx((low, high))


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        pytest.param("The S&P 500 fell on Monday.", [], id="index"),
        pytest.param("She bought an iPhone 11 for her son.", [], id="product"),
        pytest.param("He lives at PA 23456 near the river.", [], id="zip"),
        pytest.param("Leaders of the Group of Seven met in Rome.", [], id="group-of-seven"),
        pytest.param("The four-star general retired.", [], id="four-star"),
        pytest.param("Hunter, a five-term congressman and three-time winner, spoke.", [],
                     id="five-term"),
        pytest.param("Voters approved Amendment 64 in Colorado.", [], id="amendment"),
        pytest.param("The 9/11 attacks changed the city.", [], id="nine-eleven"),
        pytest.param("The shop is open 24/7 now.", [], id="twenty-four-seven"),
        pytest.param("The meeting starts at 2 pm sharp.", [], id="time"),
        pytest.param("We produced nothing in 2013-14.", [], id="year-range"),
        pytest.param("Serial 24703L202 was found.", [], id="identifier"),
        pytest.param("Obama led Romney 49 percent to 44 percent.", ["49 percent", "44 percent"],
                     id="poll-is-two-numbers"),
        pytest.param("The toll rose from 20 to 35 overnight.", ["20", "35"], id="change"),
        pytest.param("Funding slipped from $11.5 million in fiscal 2011 to $10.1 million.",
                     ["$11.5 million", "$10.1 million"], id="year-then-money"),
    ],
)
def test_names_and_changes_are_not_ranges(text, numbers):
    article, cands = _cands(text)
    assert [article.text[n.number_start:n.number_end] for n in cands.numbers] == numbers


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
