"""The ways an answer declines: nothing answers the question, the report named is not loaded, the
question's premise is not what the report says, or the number asked is given only in words. Each
says so in one sentence and, where the report says something instead, quotes it, cited."""

from __future__ import annotations

from assistant.answering.cite import REFUSAL, cite, cited_answer
from assistant.answering.scored_sentences import ScoredSentence, as_sentence
from assistant.types import Answer, Source


def premise_not_found(question: str, query: str, sources: list[Source], best: ScoredSentence, fault: str) -> Answer:
    """A "why was it so weak?" question whose best passages find no fault: say so, and quote what
    the report does say, rather than explain a judgement it never made."""
    taken = f" (“{fault}”)" if fault else ""
    text = f"{REFUSAL} what the question takes as found{taken}. What it says: {as_sentence(best.text)} {cite(best.source.label)}"
    reason = (f"the question presumes a fault ({fault!r}) that the retrieved passages do not state" if fault
              else "the question asks why of something the report says is not so")
    return corrected_premise(question, query, sources, text, reason, {best.source.label: [best.text]})


def no_number(question: str, query: str, sources: list[Source], said: ScoredSentence) -> Answer:
    """A "how many…?" the report answers only in words ("a small number of children…"): it gives no
    number, which is said, with the words it uses, cited. An abstention: the number asked is not there."""
    text = f"{REFUSAL} how many. What it says: {as_sentence(said.text)} {cite(said.source.label)}"
    return corrected_premise(question, query, sources, text, "the report gives no number, only words for one",
                             {said.source.label: [said.text]})


def corrected_premise(
    question: str, query: str, sources: list[Source], text: str, reason: str, highlights: dict[str, list[str]]
) -> Answer:
    """An answer that declines a question's premise and says, cited, what the report says instead:
    an abstention, since the question as asked has no answer."""
    return cited_answer(question, text, sources, abstained=True, standalone_question=query, notes=[reason],
                        highlights=highlights)


def no_such_report(question: str, query: str, message: str) -> Answer:
    """The question names a report that is not loaded: say so, and which reports there are."""
    return Answer(
        question=question, answer=message, abstained=True, standalone_question=query,
        notes=["the question names a report that is not loaded"],
    )


def abstention(question: str, query: str, sources: list[Source], reason: str) -> Answer:
    """The one way the assistant says it does not know."""
    return Answer(
        question=question,
        answer=f"{REFUSAL} anything that answers this question.",
        citations=[],
        sources=sources,
        abstained=True,
        standalone_question=query,
        notes=[reason],
    )
