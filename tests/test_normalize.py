import datetime as dt

import pytest

from summarizer.models import Precision, Qualifier
from summarizer.normalize import name_key, names_compatible, overlaps, resolve_date, to_quantity


@pytest.mark.parametrize(
    ("qualifier", "number", "low", "high", "kind"),
    [
        pytest.param("more than", "1,000", 1000, None, Qualifier.MORE_THAN, id="more-than-1000"),
        pytest.param("surpassed", "1,000", 1000, None, Qualifier.MORE_THAN, id="surpassed"),
        pytest.param("topped", "$60,000", 60000, None, Qualifier.MORE_THAN, id="topped"),
        pytest.param("in excess of", "2", 2, None, Qualifier.MORE_THAN, id="in-excess-of"),
        pytest.param("over", "1000", 1000, None, Qualifier.MORE_THAN, id="over"),
        pytest.param("almost", "750", 712.5, 750, Qualifier.APPROX, id="almost-750-is-approx-below"),
        pytest.param("close to", "150", 142.5, 157.5, Qualifier.APPROX, id="close-to-150"),
        pytest.param("about", "40", 38, 42, Qualifier.APPROX, id="about"),
        pytest.param("some", "300", 285, 315, Qualifier.APPROX, id="some"),
        pytest.param("at least", "745", 745, None, Qualifier.AT_LEAST, id="at-least"),
        pytest.param("up to", "50", None, 50, Qualifier.AT_MOST, id="up-to"),
        pytest.param("less than", "100", None, 100, Qualifier.LESS_THAN, id="less-than"),
        pytest.param(None, "dozens", 24, 99, Qualifier.APPROX, id="dozens"),
        pytest.param(None, "thousands", 2000, 9999, Qualifier.APPROX, id="thousands"),
        pytest.param(None, "hundreds of thousands", 200000, 999999, Qualifier.APPROX,
                     id="hundreds-of-thousands"),
        pytest.param(None, "nine", 9, 9, Qualifier.EXACT, id="word-nine"),
        pytest.param(None, "twenty-five", 25, 25, Qualifier.EXACT, id="word-compound"),
        pytest.param(None, "a dozen", 12, 12, Qualifier.EXACT, id="a-dozen"),
        pytest.param("more than", "five", 5, None, Qualifier.MORE_THAN, id="five-decades"),
        pytest.param(None, "$5.7 billion", 5.7e9, 5.7e9, Qualifier.EXACT, id="money"),
        pytest.param(None, "8 to 10", 8, 10, Qualifier.RANGE, id="range"),
        pytest.param("between", "1 and 1.5 million", 1e6, 1.5e6, Qualifier.RANGE,
                     id="between-takes-the-scale"),
        pytest.param("about", "10-15", 10, 15, Qualifier.APPROX, id="about-a-range"),
        pytest.param(None, "52-48", None, None, None, id="tally-is-not-a-number"),
    ],
)
def test_to_quantity(qualifier, number, low, high, kind):
    q = to_quantity(qualifier, number, "as written")
    if kind is None:
        assert q is None
        return
    assert (q.low, q.high, q.qualifier) == (low, high, kind)


def test_money_unit():
    assert to_quantity(None, "$5.7 billion", "x").unit == "USD"


def test_not_a_number():
    assert to_quantity(None, "banana", "banana") is None


def test_overlap_rules():
    exact = to_quantity(None, "745", "745")
    assert overlaps(exact, to_quantity("at least", "745", ""))
    assert overlaps(exact, to_quantity("almost", "750", ""))
    assert not overlaps(to_quantity(None, "1,000", ""), to_quantity("more than", "1,000", ""))
    assert not overlaps(exact, to_quantity(None, "800", ""))


SAT = dt.date(2025, 3, 8)
SUN = dt.date(2025, 3, 9)


@pytest.mark.parametrize(
    ("expr", "published", "expected", "precision"),
    [
        pytest.param("Thursday", SUN, dt.date(2025, 3, 6), Precision.DAY, id="thursday-in-sunday"),
        pytest.param("on Friday", SAT, dt.date(2025, 3, 7), Precision.DAY, id="on-friday"),
        pytest.param("early Saturday", SAT, SAT, Precision.DAY, id="early-saturday-same-day"),
        pytest.param("Saturday morning", SUN, SAT, Precision.DAY, id="saturday-morning"),
        pytest.param("the day before", SAT, dt.date(2025, 3, 7), Precision.DAY, id="day-before"),
        pytest.param("March 6", SUN, dt.date(2025, 3, 6), Precision.DAY, id="march-6"),
        pytest.param("by March 7", None, None, Precision.UNKNOWN, id="no-year-no-anchor"),
        pytest.param("early December", SUN, dt.date(2024, 12, 1), Precision.MONTH,
                     id="early-december-previous-year"),
        pytest.param("last week", SUN, dt.date(2025, 3, 2), Precision.WEEK, id="last-week"),
        pytest.param("Thursday", None, None, Precision.UNKNOWN, id="no-publication-date"),
        pytest.param("in the coming days", SUN, None, Precision.UNKNOWN, id="unresolvable"),
    ],
)
def test_resolve_date(expr, published, expected, precision):
    assert resolve_date(expr, published) == (expected, precision)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        pytest.param("Sheha", "Ali Sheha", True, id="surname"),
        pytest.param("Bashar al-Assad", "Bashar Assad", True, id="al-prefix"),
        pytest.param("President Bashar Assad", "Bashar Assad", True, id="title"),
        pytest.param("Ali Sheha", "Rami Abdurrahman", False, id="different"),
    ],
)
def test_names(a, b, same):
    assert names_compatible(a, b) is same


def test_name_key_folds_accents_and_titles():
    assert name_key("Dr. José  Núñez") == "jose nunez"


@pytest.mark.parametrize(
    ("sentence", "expression", "published", "want"),
    [
        pytest.param("His resignation is effective December 31.", "December 31",
                     dt.date(2018, 12, 20), dt.date(2018, 12, 31), id="effective-forward"),
        pytest.param("The vote will take place on January 5.", "January 5",
                     dt.date(2018, 12, 20), dt.date(2019, 1, 5), id="will-next-year"),
        pytest.param("He resigned on December 31.", "December 31", dt.date(2018, 12, 20),
                     dt.date(2017, 12, 31), id="past-backward"),
        pytest.param("The Senate will vote on Thursday.", "Thursday", dt.date(2018, 12, 18),
                     dt.date(2018, 12, 20), id="weekday-forward"),
        pytest.param("And it upends the June 19 voting by the House Republicans.", "June 19",
                     dt.date(2014, 6, 13), dt.date(2014, 6, 19), id="occasion-just-ahead"),
        pytest.param("Rice's statements were the toughest on Netanyahu's speech, set for March 3.",
                     "March 3", dt.date(2015, 2, 25), dt.date(2015, 3, 3), id="set-for"),
        pytest.param("He said the pick should not run in the election slated for June 25.",
                     "June 25", dt.date(2013, 5, 30), dt.date(2013, 6, 25), id="slated-for"),
        pytest.param("The June 19 voting was a surprise.", "June 19", dt.date(2014, 6, 23),
                     dt.date(2014, 6, 19), id="occasion-just-past-stays-this-year"),
        pytest.param("The judge set the sentencing for June 28 at 2 p.m.", "June 28",
                     dt.date(2013, 2, 20), dt.date(2013, 6, 28), id="set-the-x-for"),
        pytest.param("The feud began earlier this week.", "earlier this week",
                     dt.date(2016, 3, 25), dt.date(2016, 3, 25), id="earlier-this-week"),
        pytest.param("The election on June 25 was decided by 200 votes.", "June 25",
                     dt.date(2013, 1, 30), dt.date(2012, 6, 25), id="occasion-far-ahead-is-past"),
    ],
)
def test_unstated_year_follows_the_tense(sentence, expression, published, want):
    from summarizer.normalize import points_forward, points_soon

    date, _ = resolve_date(expression, published, forward=points_forward(sentence),
                           soon=points_soon(sentence))
    assert date == want


@pytest.mark.parametrize(
    ("expression", "want"),
    [
        pytest.param("Thursday", dt.date(2017, 6, 15), id="day-after-an-updated-story"),
        pytest.param("last Thursday", dt.date(2017, 6, 8), id="last-goes-back"),
        pytest.param("on Tuesday", dt.date(2017, 6, 13), id="day-before"),
        pytest.param("Wednesday", dt.date(2017, 6, 14), id="same-day"),
    ],
)
def test_weekdays_around_a_wednesday_story(expression, want):
    assert resolve_date(expression, dt.date(2017, 6, 14))[0] == want


def test_a_nickname_of_the_same_given_name_is_the_same_person():
    from summarizer.normalize import names_compatible

    assert names_compatible("Ben Jealous", "Benjamin Todd Jealous")
    assert names_compatible("Bill Clinton", "William Jefferson Clinton")
    assert not names_compatible("Hillary Clinton", "Bill Clinton")
    assert not names_compatible("Ben Jealous", "Benjamin Netanyahu")
