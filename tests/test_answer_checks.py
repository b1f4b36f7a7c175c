"""A question that asks for a figure or a name gets one of the kind it asks for; a request for advice is declined."""

from __future__ import annotations

import pytest

from assistant.answer import _gives_figure, _gives_name
from assistant.question import asks_for_advice


@pytest.mark.parametrize(
    "question, sentence, gives",
    [
        ("What percentage of plans were reviewed on time?", "Ninety per cent of plans were reviewed on time.", True),
        ("What proportion of carers are approved?", "Two thirds of carers are approved.", True),
        ("What is the rate of children in care?", "A rate of 46 per 10,000 children.", True),
        ("What percentage of plans were reviewed on time?", "Seven plans were reviewed in March.", False),
        ("What is the vacancy rate?", "Two Frontline units are in place.", False),
        ("How much did the new flats cost?", "28 flats were built for key workers.", False),
        ("How much did the new flats cost?", "The flats cost £4 million.", True),
        ("What is the annual budget?", "The budget is set each year.", False),
        ("How much did referrals fall?", "Referrals fell by 40.", True),
        ("How many children were adopted?", "Eleven children were adopted.", True),
        ("How many children were adopted?", "Children were adopted quickly.", False),
    ],
)
def test_a_figure_of_the_kind_asked_for(question, sentence, gives):
    assert _gives_figure(question, sentence) is gives


@pytest.mark.parametrize(
    "question",
    [
        # ¶79 counts the waiting adopters and says "some" are second-time adopters: no share
        "What percentage of waiting adopters are second-time adopters?",
        # the report names the Frontline units but never what they cost
        "How much did the Frontline units cost?",
    ],
)
def test_no_figure_of_that_kind_means_the_report_does_not_say(bot, question):
    answer = bot.ask(question)
    assert answer.abstained and answer.citations == []
    assert "figure" in answer.notes[0]


def test_a_figure_of_the_kind_asked_for_is_answered(bot):
    answer = bot.ask("What percentage of care leavers are NEET?")
    assert not answer.abstained and "per cent" in answer.answer.lower()


@pytest.mark.parametrize(
    "question, sentence, gives",
    [
        ("Who was the lead inspector?", "Lead inspector: Karen Wareing.", True),
        ("What is the name of the youth council?", "The 'Horizon Council' meets monthly.", True),
        ("What is the name of the LSCB chair?", "The LSCB chair has been in post since March 2016.", False),
        ("What is the name of the Ealing director?", "The Ealing director has been in post since May.", False),
        ("Who is the chair?", "The chair, Jane Smith, was appointed in 2016.", True),
    ],
)
def test_a_name_the_question_does_not_already_give(question, sentence, gives):
    assert _gives_name(question, sentence) is gives


def test_no_name_in_the_passages_means_the_report_does_not_say(bot):
    answer = bot.ask("Who is the chair of the corporate parenting panel?")
    assert answer.abstained and "name" in answer.notes[0]


def test_a_name_in_the_next_sentence_of_the_passage_is_brought_in(bot):
    answer = bot.ask("Who led the inspection team?")
    assert "Karen Wareing" in answer.answer and not answer.abstained


@pytest.mark.parametrize(
    "question, advice",
    [
        ("Can you recommend a good childminder in Ealing?", True),
        ("What would you suggest the council does next?", True),
        ("Which fostering agency should we use?", True),
        ("What did inspectors recommend for the LSCB?", False),
        ("Should the council have done more on private fostering?", False),
    ],
)
def test_requests_for_advice_are_told_apart(question, advice):
    assert asks_for_advice(question) is advice


def test_advice_is_declined_with_the_reason(bot):
    answer = bot.ask("Could you recommend a foster carer for my nephew?")
    assert answer.abstained and answer.citations == [] and "advice" in answer.notes[0]
