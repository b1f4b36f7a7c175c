"""Everyday words → the reports' terms (assistant/reading/plain_words.py), and what they do to an answer."""

import pytest

from assistant.reading.plain_words import CONCEPTS, report_terms, with_plain_words_explained
from assistant.text import STOP_WORDS, stem, words


def test_every_entry_is_a_concept_with_phrases_of_words():
    assert len(CONCEPTS) == len({concept for concept, _ in CONCEPTS}), "a concept listed twice"
    for concept, phrases in CONCEPTS:
        assert concept and isinstance(phrases, tuple) and phrases, concept
        assert all(isinstance(p, str) and words(p) for p in phrases), concept


def test_no_single_word_phrase_is_a_form_of_its_own_concepts_terms():
    """ "adopted" → "adoption" adds nothing but weight: the keyword search already meets it."""
    for concept, phrases in CONCEPTS:
        own = {stem(w)[:5] for w in words(concept) if w not in STOP_WORDS}
        for phrase in phrases:
            if len(words(phrase)) == 1:
                assert stem(phrase)[:5] not in own, (concept, phrase)


@pytest.mark.parametrize(
    "question, expected",
    [
        ("Are the social workers overworked?", "caseloads"),
        ("Do children in care skip school?", "attendance"),
        ("What happens when a teenager ran away from a children's home?", "missing from home or care"),
        ("Do young people get their jabs?", "immunisations"),
        # a date between the words of a phrase does not break it
        ("Which inspector headed the March 2021 inspection?", "lead inspector"),
        ("Are home-schooled children checked on?", "elective home education"),
        ("Who helps children who care for a parent?", "young carers"),
    ],
)
def test_an_everyday_phrase_brings_the_reports_term(question, expected):
    assert any(expected in concept for concept in report_terms(question))


def test_a_question_in_the_reports_own_words_is_left_as_it_is():
    question = "How many return home interviews were offered to children missing from home or care?"
    assert with_plain_words_explained(question) == question


def test_a_word_matched_in_a_longer_phrase_is_not_matched_again():
    # "run away from home" is about going missing, not about living far from home.
    assert report_terms("Do kids run away from home often?") == ("missing from home or care return home interviews",)


def test_an_answer_in_plain_words_cites_the_passage_in_the_reports_terms(bot):
    answer = bot.ask("Are Ealing's social workers overworked?")
    assert not answer.abstained
    quoted = " ".join(bot.passage(c.passage_label, report=c.report).text for c in answer.citations).lower()
    assert "caseloads" in quoted
