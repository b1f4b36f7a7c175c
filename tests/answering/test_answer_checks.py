"""A question that asks for a figure or a name gets one of the kind it asks for; a request for advice is declined."""

from __future__ import annotations

import pytest

import numpy as np

from assistant.answering.answer import ExtractiveAnswerer, in_context
from assistant.reading.answer_kinds import (
    DENIES, FAULT, FIGURE_QUESTION, asks_when, compares_with_others, counted_term, counts, expected_kind, gives_time, read_needs,
)
from assistant.answering.scored_sentences import ScoredSentence
from assistant.types import Source
from assistant.reading.question import asks_for_advice


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
        # a count is a number, not "all" and not a year
        ("How many complaints were made?", "In 2015–16, almost all complaints were resolved.", False),
        ("How many complaints were made?", "In 2015–16, 40 complaints were made.", True),
        ("How many complaints were made?", "Almost all complaints were resolved at stage one.", False),
        # a percentage is a number, not "the majority"
        ("What percentage of interviews were recorded?", "The majority of interviews were recorded.", False),
        ("What percentage of interviews were recorded?", "Over 80% of interviews were recorded.", True),
        # how many of a group: its share answers, "the majority" does not, nor a share for a plain count
        ("And how many of them are in work?", "The share of care leavers in work has risen to 61%.", True),
        ("How many of the carers are approved?", "The majority of carers are approved.", False),
        # a number in a name is no figure of anything
        ("How many children were placed out of area?", "Placements fell during the COVID-19 pandemic.", False),
        ("What is the vacancy rate?", "Together4Children recruits social workers.", False),
        ("How many children were placed out of area?", "During COVID-19, 41 children were placed out of area.", True),
        # "share" and "rate" as verbs ask for no share: a count answers
        ("How many managers share the duty rota?", "Three managers share the duty rota.", True),
        ("How many young people rate their advocates highly?", "Twelve young people rate them highly.", True),
    ],
)
def test_a_figure_of_the_kind_asked_for(question, sentence, gives):
    assert read_needs(question).gives_figure(sentence) is gives


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
        # A post is held by a person: the name of a body does not answer who holds it.
        ("What is the name of the director?", "The director meets the Ealing Safeguarding Children Board chair.", False),
        ("Who is the chair of the board?", "The chair reports to the Harrow Borough Council.", False),
        # nor does a law or a framework
        ("Who was the board's chair?", "Ofsted reports under the Education and Inspections Act 2006.", False),
        ("What is the name of the workforce strategy?", "The 'Grow Your Own' strategy began in 2015.", True),
        # One capitalised word before the body it names: "the Opal team"; an acronym or the word asked is no name.
        ("What is the name of the charity that provides advocacy?", "Advocacy is provided by Action for Children.", True),
        ("What is the exploitation team called?", "Young people are helped by the Opal team.", True),
        ("What is the exploitation team called?", "Young people are helped by the MASH team.", False),
        ("What is the Opal team's role?", "Young people are helped by the Opal team.", False),
        # A body asked for by its kind: its name may share words with the question, but not be only them.
        ("Which fostering agency runs the scheme?", "The scheme is run by Fostering Together.", True),
        ("Which fostering agency runs the scheme?", "The Fostering Agency runs it well.", False),
        ("Which fostering agency runs the scheme?", "The scheme is run well by a local agency.", False),
        # and may be one word, when it is not the one opening the sentence
        ("Which regional adoption agency is named?", "Leaders oversee the regional adoption agency (Together4Children).", True),
        ("Which regional adoption agency is named?", "Adoption works well through the regional agency.", False),
        ("Which regional adoption agency is named?", "Leaders oversee the agency with the LADO.", False),
        ("Which regional adoption agency is named?", "Adoption performance: Requires improvement.", False),
        # nor does the country a figure is compared with
        ("Which fostering agency runs the scheme?", "More carers are approved than the England average.", False),
    ],
)
def test_a_name_the_question_does_not_already_give(question, sentence, gives):
    assert read_needs(question).gives_name(sentence) is gives


@pytest.mark.parametrize(
    "question, kind",
    [
        ("Which fostering agency runs the scheme?", "organisation"),
        ("Which charity provides advocacy?", "organisation"),
        ("Which agencies attend the strategy meetings?", "description"),  # kinds of body: police, health
        ("Which children's trust runs the service?", "organisation"),
        ("Which trust's staff are in the team?", "description"),
    ],
)
def test_a_body_asked_for_by_its_kind_wants_its_name(question, kind):
    from assistant.reading.answer_kinds import expected_kind

    assert expected_kind(question) == kind
    assert read_needs(question).name is (kind == "organisation")


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


def test_a_figure_about_something_else_is_not_an_answer(bot):
    # ¶46 gives an average (of care proceedings in weeks), not a caseload
    answer = bot.ask("What is the average number of cases held by each social worker in Ealing?")
    assert answer.abstained, answer.answer


def test_an_acronym_the_report_spells_out_is_understood(bot):
    # the report writes "female genital mutilation" and never "FGM"
    answer = bot.ask("What work is done on FGM?")
    assert not answer.abstained
    assert "¶37" in {c.label for c in answer.citations}


@pytest.mark.parametrize("fault", ["weak", "poor"])
def test_a_question_that_presumes_a_fault_the_report_does_not_find(bot, fault):
    answer = bot.ask(f"Why were services for care leavers judged {fault}?")
    assert answer.abstained
    assert answer.answer.startswith(f"The report does not say what the question takes as found (“{fault}”)")
    assert answer.citations  # what the report does say, cited


def test_a_fault_taken_as_found_in_other_words_is_checked_too(bot):
    # the emergency duty service is praised, not criticised
    answer = bot.ask("Why did inspectors criticise the out-of-hours service?")
    assert answer.abstained
    assert answer.answer.startswith("The report does not say what the question takes as found (“criticise”)")
    assert answer.citations  # what the report does say, cited


def test_a_question_about_a_fault_the_report_finds_is_answered(bot):
    # ¶38, ¶7 and the LSCB summary: awareness raising on private fostering is "not sufficiently strong"
    answer = bot.ask("Why was awareness raising of private fostering judged weak?")
    assert not answer.abstained and answer.citations


@pytest.mark.parametrize("question, presumes", [
    ("Why were children waiting so long for adoption?", True),
    ("What caused the delays in care proceedings?", True),
    ("Why were care leavers not told about their entitlements?", False),  # it presumes the negative
    ("How many children waited for adoption?", False),  # "none" answers it
])
def test_a_question_that_asks_why_presumes_what_it_asks_about(question, presumes):
    assert read_needs(question).presumes is presumes


@pytest.mark.parametrize("sentence, denies", [
    ("There are no children living in unregistered children's homes.", True),
    ("None of the 56 expressions of interest has progressed to an assessment.", True),
    ("Not all children have their health assessments on time.", False),  # some do: nothing denied whole
    ("There is no shortage of foster carers willing to help.", True),
    ("Children are not always seen alone.", False),
])
def test_a_sentence_that_says_there_is_none(sentence, denies):
    assert bool(DENIES.search(sentence)) is denies


@pytest.mark.parametrize("sentence, finds", [
    ("Strategy meetings are held swiftly when safeguarding concerns arise.", False),  # concerns about children
    ("Management oversight is not consistently effective.", True),
    ("There are delays in initial health assessments.", True),
])
def test_a_sentence_that_finds_a_fault(sentence, finds):
    assert bool(FAULT.search(sentence)) is finds


def test_asked_why_of_what_the_report_says_is_not_so_the_answer_says_so(bot):
    # ¶69: none of the expressions of interest from the fostering campaign has progressed to an assessment
    answer = bot.ask("Why did the expressions of interest from the fostering recruitment campaign progress to assessment?")
    assert answer.abstained
    assert answer.answer.startswith("The report does not say what the question takes as found. What it says:")
    assert answer.citations
    # asked how many, the same sentence answers
    assert not bot.ask("How many expressions of interest from the fostering recruitment campaign progressed to an "
                       "assessment?").abstained


def test_the_lead_paragraph_is_quoted_beyond_its_best_sentence(bot):
    answer = bot.ask("What did inspectors say about the psychology team for children looked after?")
    lead = answer.citations[0].label
    assert len(answer.highlights[lead]) > 1
    # every quoted sentence is a sentence of the passage it cites
    by_label = {s.label: s.text for s in answer.sources}
    assert all(sentence in by_label[label] for label, quoted in answer.highlights.items() for sentence in quoted)


@pytest.mark.parametrize(
    "question, when",
    [
        ("When did the fostering panel last change its chair?", True),
        ("So when was the hub opened?", True),
        ("According to the 2019 report, when had the plan been agreed?", True),
        ("In which month were the inspectors on site?", True),
        ("What was the date of the focused visit?", True),
        ("Since when has the service been run by a trust?", True),
        # "when" that sets a condition, or asks how things are done: no date answers these
        ("When young people leave care, do they keep their personal adviser?", False),
        ("When do children get a return home interview?", False),
        ("What happens when a child goes missing from school?", False),
    ],
)
def test_a_question_that_asks_for_a_time(question, when):
    assert asks_when(question) is when
    assert (expected_kind(question) == "date") is when


@pytest.mark.parametrize(
    "sentence, says",
    [
        ("The panel chair was replaced in March.", True),
        ("Staff have been in post since 2014.", True),
        ("The hub opened two years ago.", True),
        ("Over the last three years the service has grown.", True),
        ("A new chair has recently been appointed.", False),
        ("Leaders may review the plan.", False),  # the modal verb, not the month
        ("Visits have improved since the last inspection.", False),  # when that was, it does not say
    ],
)
def test_a_sentence_that_says_when(sentence, says):
    assert gives_time(sentence) is says


def test_a_question_that_asks_when_is_answered_with_the_date(bot):
    answer = bot.ask("When did Ealing bring in its new format for child permanence reports?")
    assert not answer.abstained and "January 2016" in answer.answer


@pytest.mark.parametrize("question", ["When will Ealing next be inspected?", "What will the LSCB chair do next?"])
def test_a_question_about_what_comes_next_needs_a_sentence_that_looks_ahead(bot, question):
    answer = bot.ask(question)
    assert answer.abstained and "next" in answer.notes[0]


def test_a_limit_or_target_is_a_figure(bot):
    # ¶69 says how foster carers are recruited; the report sets no number to reach
    answer = bot.ask("What is the target for recruiting foster carers?")
    assert answer.abstained and "figure" in answer.notes[0]


@pytest.mark.parametrize(
    "question, compares",
    [
        ("How does that compare with London?", True),
        ("Is that higher than the national average?", True),
        ("Is it better than last year and than England?", True),
        ("Is that more or less than the year before?", False),
        ("Has it risen since the last inspection?", False),
        ("What did inspectors say about fostering?", False),
    ],
)
def test_a_comparison_over_time_is_not_one_with_other_places(question, compares):
    assert compares_with_others(question) is compares


def _sentence(label: str, text: str, score: float, vector: list[float], index: int = 0) -> ScoredSentence:
    source = Source(report="r", paragraph=int(label[1:]), label=label, section="s", text=text, score=score)
    return ScoredSentence(source, rank=int(label[1:]), index=index, text=text, vector=np.asarray(vector), score=score)


def test_another_passage_is_cited_for_a_pointed_question_only_when_it_adds_to_what_is_said():
    answerer = ExtractiveAnswerer(index=None, keyword=None, abstain_below=0.45)
    best = _sentence("¶1", "Mental health needs of children looked after are met quickly.", 0.90, [1, 0, 0])
    same = _sentence("¶2", "Children looked after have their mental health needs met.", 0.88, [0, 1, 0])
    new = _sentence("¶3", "Waiting times for mental health services are six weeks.", 0.88, [0, 0, 1])
    question = "How quickly are the mental health needs of children looked after met, and what are waiting times?"
    chosen = answerer.select([best, same, new], read_needs(question))
    assert [c.source.label for c in chosen] == ["¶1", "¶3"]
    # The lead passage says it too, further on: its sentences are quoted, another passage adds nothing.
    later = _sentence("¶1", "Waiting times are short.", 0.5, [0.5, 0.5, 0.7], index=1)
    chosen = answerer.select([best, same, new, later], read_needs(question))
    assert [c.source.label for c in chosen] == ["¶1"]
    # A broad question ("what did inspectors say about…") takes what else the report says on it.
    broad = answerer.select([best, same, new], read_needs("What did inspectors say about mental health needs?"), broad=True)
    assert [c.source.label for c in broad] == ["¶1", "¶2", "¶3"]


def test_a_sentence_is_read_with_its_passage():
    sentence, opening = np.array([1.0, 0.0]), [0.0, 1.0]
    read = in_context(sentence, opening, 0.2)
    assert abs(np.linalg.norm(read) - 1) < 1e-9
    assert read @ np.asarray(opening) > sentence @ np.asarray(opening)
    assert read @ sentence > read @ np.asarray(opening)  # still mostly itself
    assert in_context(sentence, None, 0.2) is sentence


def test_how_many_counts_the_thing_asked_about():
    counted = counted_term("How many foster carers were approved last year?")
    assert counted == "foster"
    assert counts("Twelve foster carers were approved.", counted)
    assert counts("In 2015, 31 new foster carers joined.", counted)
    assert not counts("Twenty-four adopters were approved, and foster carers are well supported.", counted)
    assert not counts("In 2015 foster carers were approved.", counted)  # a year counts nothing
    assert counted_term("What did inspectors say about fostering?") is None


def _said(text: str) -> ScoredSentence:
    return _sentence("¶1", text, 1.0, [0.0], index=1)


def test_a_figure_check_reads_acronyms_as_the_words_they_stand_for_and_years_as_when(bot):
    check = bot.extractive
    # "ICPCs" is what the report calls initial child protection conferences
    icpc = _said("In 2015, 79% of ICPCs were quorate.")
    asked = "What percentage of initial child protection conferences were quorate?"
    assert check.missing_figure(read_needs(asked), [icpc]) is None
    assert check.missing_figure(read_needs(asked), [_said("In 2015, 79% of meetings were quorate.")])
    # a year in the question says when: the figure need not be "about" 2014
    held = _said("During 2014–15, 79% of ICPCs were held within 15 days of section 47 enquiries starting.")
    assert check.missing_figure(read_needs("What percentage of ICPCs were held within 15 days in 2014–15, per the report?"), [held]) is None


def test_how_many_with_no_thing_named_is_answered_by_a_number_of_the_topic(bot):
    # "How many were at university?", a follow-up: "them" are the care leavers the topic carries, so
    # the count need not name them ("26 young people"), only speak of the topic
    check = bot.extractive
    carried = "How many were at university? (care leavers education employment training)"
    said = _said("At the time of inspection, 26 young people were attending university.")
    assert check.missing_figure(read_needs(carried), [said], asked="How many were at university?") is None
    # a noun after "how many" is what must be counted
    named = "How many care leavers were at university?"
    assert check.missing_figure(read_needs(named), [said], asked=named)


def test_a_figure_that_leans_on_the_sentence_before_is_read_with_it(bot):
    check = bot.extractive
    asked = "What is the average time between placement order and match with adopters?"
    opening = _sentence("¶1", "The service is stable, experienced and well led.", 1.0, [0.0], index=0)
    before = _sentence("¶1", "Tracking has reduced the time between placement order and being matched with adopters.", 1.0, [0.0], index=1)
    figure = _sentence("¶1", "This is currently at 179 days, against a target of 230 days.", 1.0, [0.0], index=2)
    assert check.missing_figure(read_needs(asked), [figure], [opening, before, figure]) is None
    assert check.missing_figure(read_needs(asked), [figure], [opening, figure])  # without it, what "this" is goes unsaid


@pytest.mark.parametrize("sentence, in_words", [
    ("A small but reducing number of children live in unregistered children's homes.", True),
    ("A few children live in unregistered children's homes.", True),
    ("Children live in unregistered children's homes for too long.", False),  # no number, not even in words
    ("A small number of care leavers live in bed and breakfast accommodation.", False),  # in words, of something else
])
def test_how_many_of_what_the_report_counts_only_in_words(bot, sentence, in_words):
    check = bot.extractive
    asked = "How many children live in unregistered children's homes?"
    said = _said(sentence)
    assert check.missing_figure(read_needs(asked), [said])  # no number: the figure check still fails
    assert (check.figure_sentence(read_needs(asked), [said], [said], asked, vague=True) is said) is in_words


def test_a_number_given_only_in_words_is_said_to_be_no_number_and_quoted():
    from assistant.answering.declines import no_number

    said = _said("A small number of children live in unregistered children's homes.")
    answer = no_number("How many children live in unregistered homes?", "", [said.source], said)
    assert answer.abstained and answer.answer.startswith("The report does not say how many.")
    assert said.text in answer.answer and [c.label for c in answer.citations] == ["¶1"]


def test_how_big_asks_for_a_figure():
    assert FIGURE_QUESTION.search("How big was the projected overspend?")
    assert FIGURE_QUESTION.search("How large is the backlog of assessments?")
    assert not FIGURE_QUESTION.search("How well are care leavers supported?")


def test_a_follow_ups_carried_words_say_what_it_counts_not_what_the_figure_must_hold(bot):
    check = bot.extractive
    standalone = "And how many of them were adopted? (children looked after placed outside the borough annual review)"
    adopted = _said("Eleven children were adopted in the last year.")
    assert check.missing_figure(read_needs(standalone), [adopted])  # read as one question, it covers too little of it
    assert check.missing_figure(read_needs(standalone), [adopted], asked="And how many of them were adopted?") is None
    assert check.missing_figure(read_needs(standalone), [_said("Eleven carers were approved.")], asked="And how many of them were adopted?")


def test_the_answer_leads_with_what_was_asked_and_cites_each_run_of_a_passage_once():
    from assistant.answering.scored_sentences import compose

    opening = _sentence("¶1", "Care proceedings have improved.", 0.9, [1.0, 0.0])
    figure = _sentence("¶1", "Proceedings took 28 weeks on average. (Recommendation)", 0.8, [0.0, 1.0], index=1)
    courts = _sentence("¶2", "Courts accept the reports.", 0.7, [1.0, 1.0])
    said = [opening, figure, courts]
    assert compose(said, said, lead=figure).split("\n\n") == [
        "Proceedings took 28 weeks on average. [¶1]", "Care proceedings have improved. [¶1] Courts accept the reports. [¶2]"]
    # a lead that leans on the sentence before it ("They…") brings it along
    leaning = _sentence("¶1", "They took 28 weeks on average.", 0.8, [0.0, 1.0], index=1)
    assert compose([opening, leaning, courts], [opening, leaning, courts], lead=leaning).split("\n\n") == [
        "Care proceedings have improved. They took 28 weeks on average. [¶1]", "Courts accept the reports. [¶2]"]


@pytest.mark.parametrize("sentence, counted, gives", [
    ("Currently there are no children or families who require this support.", "children", True),
    ("There is no evidence that children are seen alone.", "children", False),  # "no" qualifies evidence
    ("No fostered children were known.", "children", True),
])
def test_none_is_a_count_of_the_word_it_qualifies(sentence, counted, gives):
    assert counts(sentence, counted) is gives


@pytest.mark.parametrize("sentence, gives", [
    ("Some young people aged 16 and 17 live in supported accommodation.", False),  # an age, not a count
    ("A few 16-year-olds live in supported accommodation.", False),
    ("23 young people aged 16-17 live in supported accommodation.", True),
    ("Twelve young people live in supported accommodation.", True),
])
def test_an_age_is_no_count(sentence, gives):
    needs = read_needs("How many young people live in supported accommodation?")
    assert (needs.gives_figure(sentence) and counts(sentence, needs.counted, before=True)) is gives


def _scored(label: str, section: str, text: str, score: float, rank: int, index: int = 0) -> ScoredSentence:
    source = Source(report="r", paragraph=None if label == "What needs to improve" else int(label.strip("¶")),
                    label=label, section=section, text=text, score=1.0)
    vector = np.zeros(8)
    vector[(rank * 3 + index) % 8] = 1.0  # no two sentences say the same thing
    return ScoredSentence(source=source, rank=rank, index=index, text=text, vector=vector, score=score)


def test_an_item_of_what_must_improve_does_not_crowd_out_what_inspectors_found():
    """The list item restates the topic ("The response to children who go missing."), so it scores
    best; a broad question still gets the paragraph that says what inspectors found, and no other item."""
    item = _scored("What needs to improve", "What needs to improve", "The response to children who go missing.", 0.80, 0)
    other_item = _scored("What needs to improve", "What needs to improve", "Sufficiency of short breaks.", 0.45, 0, 1)
    finding = _scored("¶11", "Help and protection", "Return home interviews are sometimes delayed.", 0.58, 1)
    answerer = ExtractiveAnswerer(index=None, keyword=None, abstain_below=0.3)
    candidates = [item, finding, other_item]
    broad = answerer.select(candidates, read_needs("What did inspectors say about children who go missing?"), broad=True)
    assert finding in broad
    assert other_item not in answerer._with_lead_paragraph(list(broad), candidates)


@pytest.mark.parametrize("question, sentence, another", [
    ("Who was the lead inspector?", "The inspection team: Deputy lead inspector: Lorna Smith", True),
    ("Who led the inspection?", "The inspection team: Deputy lead inspector: Lorna Smith", True),  # the lead inspector
    ("Who was the lead inspector?", "The inspection team: Lead inspector: Neil Jones", False),
    ("Who was the deputy lead inspector?", "The inspection team: Deputy lead inspector: Lorna Smith", False),
    ("What did inspectors say about adoption?", "The deputy head of the virtual school leads on adoption.", False),
])
def test_the_deputy_of_a_role_is_another_post(question, sentence, another):
    from assistant.reading.answer_kinds import names_another_post, roles_asked_plainly

    assert names_another_post(roles_asked_plainly(question), sentence) is another


def test_the_deputy_of_another_role_is_not_penalised():
    from assistant.reading.answer_kinds import names_another_post, roles_asked_plainly

    assert not names_another_post(roles_asked_plainly("What did the inspector say about adoption?"),
                                  "The deputy head of the virtual school leads on adoption.")


@pytest.mark.parametrize(
    "question, states",
    [
        ("How was the front door rated?", True),
        ("Why was the front door rated inadequate?", False),  # the reasons, not the grade
        ("On what dates were inspectors on site?", True),
        ("Who led it?", True),
        ("Who is the director of children's services?", True),
        ("How do care leavers compare with the national average?", True),
        ("What help do young carers get?", False),
        ("Which services support children who go missing?", False),
    ],
)
def test_what_the_judgement_table_can_answer(question, states):
    assert read_needs(question).states_judgements is states


def test_who_did_something_brings_in_the_sentence_of_the_passage_that_names_someone():
    answerer = ExtractiveAnswerer(index=None, keyword=None, abstain_below=0.45)
    best = _sentence("¶1", "The review of the serious case was led well and learning was shared.", 0.90, [1, 0, 0])
    named = _sentence("¶1", "It was chaired by Dr Ann Example of the clinical commissioning group.", 0.50, [0, 1, 0], index=1)
    chosen = answerer.select([best, named], read_needs("Who led the serious case review?"))
    assert [c.text for c in chosen] == [best.text, named.text]
    assert [c.text for c in answerer.select([best, named], read_needs("How was the serious case review led?"))] == [best.text]


@pytest.mark.parametrize(
    "question, sentence, holds",
    [
        ("Who was the director of children's services?", "Lead inspector: Julie Knight, His Majesty's Inspector.", False),
        ("Who was the director of children's services?", "Jane Smith, the director of children's services, took up post in May.", True),
        ("Who chairs the corporate parenting panel?", "The panel, chaired by the leader of the council, is highly effective.", True),
        ("Who chaired the safeguarding board?", "The chair has been in post since June 2017.", False),
        ("Who chaired the safeguarding board?", "The local authority uses the 'Signs of Safety' model.", False),
    ],
)
def test_a_name_answers_who_holds_a_post_only_beside_that_post(question, sentence, holds):
    # "who is…?" wants the person; "who chairs…?" is answered by another post too ("the leader of the council")
    assert read_needs(question).names_holder(sentence) is holds


def test_the_names_that_set_a_questions_scope_are_no_answer_to_it():
    sentence = "Improvement is led by the recently appointed director of children's services in South Gloucestershire."
    asked = "Who is the director of children's services in South Gloucestershire?"
    assert read_needs("Who is the director of children's services?").names_holder(sentence)  # the place, read as a name
    assert not read_needs("Who is the director of children's services?", asked).names_holder(sentence)


@pytest.mark.parametrize(
    "question, fault",
    [
        ("Why was corporate parenting judged weak?", "weak"),
        ("Why were strategy meetings so slow to be held?", "slow"),
        ("Why were conferences so often late?", "late"),
        ("Why did the inspection find that allegations were handled poorly?", "poorly"),
        ("Why did inspectors criticise the out-of-hours service?", "criticise"),
        ("Why were homeless 17-year-olds not told about their rights?", "not told"),
        ("Why weren't children seen alone?", "weren't"),
        ("Why do so many children live outside the borough?", ""),
        ("What did inspectors say was poor?", ""),
        ("Why were health assessments still poor last year?", "poor"),  # no verb of judging needed
        ("Why did inspectors find the out-of-hours team slow to respond?", "slow"),
        ("Why is the virtual school so effective?", ""),
    ],
)
def test_the_fault_a_why_question_takes_as_found(question, fault):
    assert read_needs(question).presumed_fault == fault


@pytest.fixture
def missing_children_sentences():
    finding = _scored("¶11", "Help and protection", "Return home interviews are sometimes delayed.", 0.70, 0)
    on_topic = _scored("What needs to improve", "What needs to improve", "The response to children who go missing.", 0.55, 1)
    off_topic = _scored("What needs to improve", "What needs to improve", "Sufficiency of short breaks.", 0.50, 1, 1)
    action = _scored("¶3", "Recommendations", "Ensure that children who go missing are offered a return home interview.", 0.60, 2)
    return finding, on_topic, off_topic, action


@pytest.mark.parametrize("question, quoted", [
    ("What did inspectors say about children who go missing?", True),
    ("How well does the council respond to children who go missing?", True),
    ("How quickly are return home interviews offered?", False),  # the item names missing, not the interviews
    ("How many children went missing last year?", False),  # a figure is asked, not a description
    ("What needs to improve for children who go missing?", False),  # the recommendations route answers it
])
def test_a_description_quotes_the_item_of_what_must_improve_on_its_topic(bot, missing_children_sentences, question, quoted):
    finding, on_topic, off_topic, action = missing_children_sentences
    candidates = [finding, action, on_topic, off_topic]
    added = bot.extractive._improvement_on_topic(read_needs(question), [finding], candidates)
    assert added == ([on_topic] if quoted else [])


def test_an_item_on_another_topic_or_a_2014_recommendation_is_not_quoted(bot, missing_children_sentences):
    finding, _, off_topic, action = missing_children_sentences
    needs = read_needs("What did inspectors say about children who go missing?")
    assert bot.extractive._improvement_on_topic(needs, [finding], [finding, action, off_topic]) == []


def test_a_number_that_is_no_share_does_not_answer_a_share_question():
    """"What share of care leavers are in education…?" is not answered by a sentence that gives a
    count: the sentence of the passage that gives a share ("a large majority") is brought in beside it."""
    best = _scored("¶44", "Care leavers", "Each of the 12 personal advisers encourages education, employment and training.", 0.80, 0)
    share = _scored("¶44", "Care leavers", "A large majority of care leavers are in education, employment or training.", 0.60, 0, 1)
    needs = read_needs("What share of care leavers are in education, employment or training?")
    answerer = ExtractiveAnswerer(index=None, keyword=None, abstain_below=0.3)
    assert share in answerer.select([best, share], needs, wants_number=True)


def test_a_figure_sentence_that_says_the_same_in_other_words_answers_the_figure_question(bot):
    """The figure check reads the question's words in the sentence; a sentence the model reads as
    saying nearly what was asked (``figure_similarity``) answers it in other words. How near is
    measured with the real model, so the check holds for what the model makes of them."""
    check = bot.extractive
    asked = "How many foster families did the council sign up last year?"
    needs = read_needs(asked)
    question = np.asarray(bot.embeddings.embed_query(asked))

    def said(text: str) -> ScoredSentence:
        sentence = _said(text)
        sentence.similarity = float(question @ np.asarray(bot.embeddings.embed_documents([text])[0]))
        return sentence

    same = said("In the past year, 23 new foster families were recruited by the council.")
    other = said("During the year, 23 new fostering households were approved.")  # near, not near enough
    assert same.similarity >= check.tuning.figure_similarity > other.similarity
    assert check.missing_figure(needs, [same]) is None and check.missing_figure(needs, [other])
    same.similarity = 0.0  # read by its words alone, it holds too little of the question
    assert check.missing_figure(needs, [same])
