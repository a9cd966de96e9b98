"""What code decides about a number: figure or not, its measure, what it counts."""

import pytest

from summarizer.articles import make_article
from summarizer.candidates import find_candidates
from summarizer.models import Measure
from summarizer.rules import hint_all


def _hints(text):
    article = make_article("a", text)
    cands = find_candidates(article)
    _, numbers = hint_all(article, cands)
    return {article.text[n.number_start:n.number_end]: numbers[n.id] for n in cands.numbers}


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Two officials familiar with the talks said the deal was close.", id="familiar"),
        pytest.param("Three people who spoke on condition of anonymity described it.",
                     id="anonymity"),
        pytest.param("Jim Mattis, 68, resigned on Thursday.", id="age-after-name"),
        pytest.param("He retired at age 75 last year.", id="at-age"),
        pytest.param("The final count was not in, but 238 came later.", id="bare-number"),
    ],
)
def test_not_story_figures(text):
    hints = _hints(text)
    assert hints and not any(h.figure for h in hints.values()), hints


def test_measure_from_the_participle_after_the_noun():
    hints = _hints("Residents buried 31 people killed in revenge attacks in a mass grave.")
    assert hints["31"].measure == Measure.KILLED


def test_a_list_shares_its_measure():
    hints = _hints("The casualties include 745 civilians, primarily killed in shootings, as well "
                   "as 125 members of the security forces and 148 fighters from loyalist factions.")
    assert {h.measure for h in hints.values()} == {Measure.KILLED}
    assert hints["125"].subject.startswith("members of the security forces")


@pytest.mark.parametrize(
    ("text", "mention", "subject"),
    [
        pytest.param("Trump demanded $5.7 billion for a border wall.", "$5.7 billion",
                     "border wall", id="money-for"),
        pytest.param("Turnout was 60 percent in the county.", "60 percent", "Turnout",
                     id="said-of-a-noun"),
        pytest.param("Romney at 17 percent trailed the field.", "17 percent", "Romney",
                     id="poll"),
        pytest.param("The plan would commit $4 billion to hiring more police officers.",
                     "$4 billion", "hiring more police officers", id="money-for-an-act"),
        pytest.param("She earned nearly $10 million in speaking fees in 2013.",
                     "$10 million", "speaking fees", id="money-in-ing-noun"),
        pytest.param("She was paid $9.68 million in 2013 for 41 speeches.", "$9.68 million",
                     "41 speeches", id="money-for-after-a-year"),
        pytest.param("He spent $2,306.08 at Walt Disney World, over $10,000 at Best Buy and "
                     "$313.89 at Build-A-Bear.", "$10,000", "Best Buy", id="money-at"),
    ],
)
def test_subject_says_what_is_counted(text, mention, subject):
    hint = _hints(text)[mention]
    assert hint.figure and hint.subject.startswith(subject), hint


def test_a_page_count_and_a_quoted_phrase_are_figures():
    hints = _hints("In a 48-page indictment, prosecutors said the pair spent “tens of thousands "
                   "of dollars” on smaller purchases.")
    assert hints["48"].figure
    assert hints["48"].subject.startswith("page indictment")
    assert hints["tens of thousands"].figure


def test_a_verb_after_a_modal_is_not_what_a_sum_pays_for():
    hint = _hints("Prosecutors said that upon conviction he must forfeit $750,000.")["$750,000"]
    assert hint.figure and hint.subject == "money", hint


@pytest.mark.parametrize(
    ("sentence", "event"),
    [
        pytest.param("Also on Thursday.", False, id="only-a-day"),
        pytest.param("In his resignation letter Thursday, Mattis, 68.", False, id="fragment"),
        pytest.param("The revenge killings reportedly ceased early on Saturday.", True,
                     id="happening"),
    ],
)
def test_a_day_alone_is_not_an_event(sentence, event):
    from summarizer.rules import says_what_happened

    assert says_what_happened(sentence) is event


@pytest.mark.parametrize(
    ("sentence", "happening"),
    [
        pytest.param("Authorities closed roads leading into the coastal region.", True,
                     id="past-action"),
        pytest.param("Thousands of people fled to nearby mountains.", True, id="irregular-past"),
        pytest.param("The Syrian Observatory for Human Rights, based in the UK.", False,
                     id="participle-only"),
        pytest.param("Rights groups said hundreds were killed.", False, id="speech"),
        pytest.param("The region is home to the Alawite minority.", False, id="present-state"),
    ],
)
def test_an_undated_sentence_is_proposed_only_when_it_tells_a_past_happening(sentence,
                                                                             happening):
    from summarizer.rules import tells_a_happening

    assert tells_a_happening(sentence) is happening


def test_a_count_of_named_groups_who_said_something_stays_a_figure():
    hints = _hints("Twelve Republican senators said they would vote against it. "
                   "Two officials said the plan had failed.")
    assert hints["Twelve"].figure and not hints["Two"].figure


@pytest.mark.parametrize(
    ("text", "mention", "calendar"),
    [
        pytest.param("The attack came two days after the talks broke down.", "two", True,
                     id="days-after"),
        pytest.param("He had run the charity for 19 years before the audit.", "19", True,
                     id="for-years"),
        pytest.param("She was sentenced to 18 months in prison on Friday.", "18", False,
                     id="sentence"),
        pytest.param("The hearing lasted about 50 minutes on Monday.", "50", False,
                     id="lasted"),
        pytest.param("He could be imprisoned for not more than one year.", "one", False,
                     id="penalty"),
        pytest.param("More than 1,000 people were killed in two days of clashes.", "1,000",
                     False, id="not-time"),
    ],
)
def test_a_bare_span_of_calendar_time_needs_a_second_outlet(text, mention, calendar):
    hint = _hints(text)[mention]
    assert hint.calendar is calendar, hint


@pytest.mark.parametrize(
    ("text", "mention", "holder"),
    [
        pytest.param("Jeb Bush released his returns. Bush paid an effective tax rate of roughly 36 "
                     "percent.", "36 percent", "Bush",
                     id="name-paid"),
        pytest.param("Last year, the Clintons paid an effective rate of 35.7 percent, and Bill "
                     "Clinton spoke.", "35.7 percent", "Clintons", id="family-paid"),
        pytest.param("Mr. Bush said his average federal tax rate was 36 percent.", "36 percent", "Bush",
                     id="his-takes-the-name-before"),
        pytest.param("The Clintons' effective federal tax rate for 2014 was 35.7 percent, said "
                     "Hillary Clinton.", "35.7 percent", "Clintons", id="possessive"),
        pytest.param("Work for the Children's Defense Fund earned $16,450.", "$16,450", None,
                     id="not-a-person"),
        pytest.param("Mr. Hunter won California's primary with 48 percent of the vote.", "48 percent",
                     None, id="a-place-is-no-holder"),
        pytest.param("The ministry said 40 people were killed in Homs.", "40", None,
                     id="no-holder-for-a-toll"),
    ],
)
def test_whose_sum_or_rate_a_number_is(text, mention, holder):
    assert _hints(text)[mention].holder == holder


def test_the_noun_a_number_is_said_of_across_a_year_or_a_colon():
    hints = _hints("The Clintons' effective federal tax rate for 2014 was 35.7 percent.")
    assert hints["35.7 percent"].figure
    assert hints["35.7 percent"].subject == "federal tax rate"
    hints = _hints("He contrasted that with the Clintons' 2014 tax rate: 30 percent.")
    assert hints["30 percent"].figure and "tax rate" in hints["30 percent"].subject


@pytest.mark.parametrize(
    ("sentence", "description"),
    [
        pytest.param("Gunmen killed 40 people in Baniyas on Friday, the Syrian Observatory for "
                     "Human Rights said.", "Gunmen killed 40 people in Baniyas on Friday.",
                     id="attribution-tail-cut"),
        pytest.param("Gunmen killed 40 people on Friday, the monitor said on Saturday, citing "
                     "sources on the ground.", "Gunmen killed 40 people on Friday.",
                     id="longer-tail-cut"),
        pytest.param("In court papers filed on Friday, prosecutors said that he must forfeit "
                     "$750,000 and his furs.", "In court papers filed on Friday, prosecutors said "
                     "that he must forfeit $750,000 and his furs.", id="said-that-is-the-news"),
    ],
)
def test_an_event_line_drops_the_attribution_tail_not_what_was_said(sentence, description):
    from summarizer.rules import event_description

    assert event_description(sentence) == description


def test_a_subject_is_never_only_a_number():
    hints = _hints("Agencies spent about $13 million on four of Mr. Trump's trips.")
    assert hints["$13 million"].subject == "money"
    hints = _hints("It expands from seven to eight the field of Republican-held seats targeted.")
    assert hints["eight"].subject == "field of Republican-held seats"


@pytest.mark.parametrize(
    ("text", "mention", "subject"),
    [
        pytest.param("Obama has cut $716 billion from Medicare.", "$716 billion", "Medicare",
                     id="from"),
        pytest.param("He demanded more than $5 billion for funding for a wall.", "$5 billion",
                     "funding", id="ing-noun"),
    ],
)
def test_what_a_sum_is_taken_from_or_for(text, mention, subject):
    assert _hints(text)[mention].subject == subject
