"""A question that asks for a figure gets one of the kind it asks for, or the assistant says the report does not say."""

from __future__ import annotations

import pytest

from assistant.answer import _gives_figure


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
