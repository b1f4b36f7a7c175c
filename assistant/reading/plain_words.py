"""Everyday words → the inspection's own terms: "swamped" → "caseloads", "run away" → "missing".

Staff and board members ask in plain words ("do kids in care turn up at school?"); the reports use
the framework's terms ("attendance"). Both searches, and the sentence scorer, miss a passage that
shares no word with the question, and the embedding model does not bridge phrases such as "swamped
with work" and "caseloads are manageable". This table is the framework's glossary read backwards:
for each of the concepts Ofsted reports on, the terms its reports use, then the ways people say it.
It is written from the inspection framework's topics, not from any question; a phrase is matched
on its word stems, so "swamped"/"swamp" and "runs away"/"ran away" need one entry each at most.
"""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.reading.report_names import MONTHS
from assistant.text import stem, words

_DATE_WORD = re.compile(rf"(?:19|20)\d\d(?:[-–/]\d\d)?|{'|'.join(MONTHS)}", re.I)  # a year, a period or a month

# (the reports' terms, the everyday phrases that mean them)
CONCEPTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("caseloads", (
        "workload", "too many cases", "too much work", "too much on", "overloaded", "overworked", "swamped",
        "stretched", "snowed under", "overstretched", "busy", "overwhelmed",
        "burnout", "burnt out", "burned out",
    )),
    ("turnover retention stability of the workforce", (
        "staff leave", "staff leaving", "leave quickly", "quit", "keep staff", "keep their staff", "stay in their job",
        "staff stay", "workers leave", "workers leaving", "social workers leaving", "churn", "come and go",
        "hang on to",
    )),
    ("agency vacancies recruitment", (
        "temporary staff", "temps", "locum", "interim staff", "hire", "hiring", "empty posts", "unfilled", "short staffed",
        "short-staffed", "staff shortage", "shortage of social workers",
    )),
    ("changes of social worker", (
        "keep changing social worker", "new social worker", "different social worker", "same social worker",
    )),
    ("attendance", (
        "turn up at school", "turn up to school", "go to school", "going to school", "skip school", "skipping school",
        "miss school", "missing school", "truant", "truancy", "bunking off", "off school",
    )),
    ("exclusions", ("kicked out of school", "expelled", "suspended from school", "thrown out of school")),
    ("missing from home or care return home interviews", (
        "run away", "runs away", "ran away", "running away", "run off", "runs off", "go missing", "goes missing",
        "went missing", "disappear", 
    )),
    ("exploitation county lines", ("gang", "gangs", "groomed", "grooming", "drug dealing", "drug running")),
    ("offending youth justice criminalisation", (
        "trouble with the law", "trouble with the police", "in trouble with", "crime", "crimes", "arrested",
        "criminal record", "police record", "get into trouble", "getting into trouble", "law-breaking",
    )),
    ("homeless homelessness accommodation housing", (
        "nowhere to live", "somewhere to live", "place to live", "places to live", "sofa surfing", "on the streets",
        "roof over", "live on their own", "digs",
    )),
    ("immunisations health histories health passport", (
        "jab", "jabs", "vaccination", "vaccinations", "vaccinated", "medical history", "medical records", "illnesses",
        "health records", "medical background",
    )),
    ("dental", ("dentist", "dentists", "teeth")),
    ("health assessments", ("medical check", "medical checks", "check-up", "check-ups", "checkup", "see a doctor")),
    ("emotional wellbeing mental health child and adolescent mental health services", (
        "feelings", "counselling", "therapy", "therapist", "anxious", "anxiety", "depressed", "depression", "self-harm",
        "worries",
    )),
    ("not in education employment or training NEET", (
        "out of work", "not working", "jobless", "unemployed", "no job", "out of work or study", "not studying",
        "in work", "have jobs", "got jobs", "work or study", "working or studying", "apprenticeships",
    )),
    ("higher education university", ("uni", "degree", "degrees", "undergraduate")),
    ("financial support allowances bursary council tax", (
        "money", "cash", "grant", "grants", "discounts", "perks", "pay for", "help with costs",
        "financial help",
    )),
    ("placed at a distance out of area outside the local authority", (
        "far from home", "far away", "long way from home", "long way away", "miles away",
        "out of town", "out of the area", "outside the area", "live far",
    )),
    ("placement stability placement moves", (
        "moved around", "keep moving", "moves a lot", "moving home", "change homes", "changing homes", "settled",
        "move home",
    )),
    ("foster carers fostering", ("foster parents", "foster families", "foster family", "foster mum", "foster dad")),
    ("staying put", ("stay with their foster", "stay on with", "keep living with", "after turning 18")),
    ("adoption adopters", ("new family", "new families", "forever family", "forever families")),
    ("participation voice views children in care council", (
        "a say", "have their say", "get a say", "listened to", "listen to", "heard", "their opinions",
        "speak up", "speak out",
    )),
    ("advocacy advocates independent visitors", ("someone on their side", "someone to speak for", "speak for them")),
    ("care proceedings court public law outline", ("court case", "court cases", "taken to court", "go to court")),
    ("pathway plans care plans", ("plan for their future", "plans for their future", "future plans")),
    ("independent reviewing officers reviews", ("review meeting", "review meetings", "reviewing officer")),
    ("visits seen alone", ("see their social worker", "see them on their own", "seen on their own")),
    ("management oversight supervision", (
        "managers check", "bosses", "boss", "line manager", "managers keep an eye", "checked by managers",
        "signed off",
    )),
    ("front door multi-agency safeguarding hub referrals contacts", (
        "first contact", "report a concern", "reporting concerns", "raise a concern", "phone in", "call in",
        "first call",
    )),
    ("early help", ("early support", "before things get worse")),
    ("domestic abuse", ("domestic violence", "violence at home", "violent partner", "abusive partner")),
    ("neglect", ("not looked after properly", "not cared for", "uncared for")),
    ("disabled children special educational needs", ("special needs",)),
    ("unaccompanied asylum-seeking children", ("refugee", "refugees", "asylum seekers", "arrive alone", "arrived alone")),
    ("elected members councillors corporate parenting", ("politicians", "the council's leaders")),
    ("budget financial investment overspend", ("spending", "funding", "cuts", "money problems")),
    ("case records recording", ("paperwork", "case notes", "written down")),
    ("lead inspector", ("led the inspection", "led ofsted", "led the ofsted", "led this inspection", "led its inspection",
                        "inspection was led", "headed the inspection", "in charge of the inspection", "ran the inspection")),
    ("care leavers", ("left care", "leaving care", "leave care", "care-experienced", "care experienced")),
    ("children in care looked after", ("kids in care", "looked-after kids", "in foster care")),
)


@lru_cache(maxsize=1)
def _phrases() -> tuple[tuple[tuple[str, ...], str], ...]:
    """Every everyday phrase as its word stems, longest first, with the terms it stands for."""
    table = [(tuple(stem(w) for w in words(phrase)), terms) for terms, phrases in CONCEPTS for phrase in phrases]
    return tuple(sorted(table, key=lambda entry: -len(entry[0])))


@lru_cache(maxsize=1024)
def report_terms(question: str) -> tuple[str, ...]:
    """The reports' terms for the everyday phrases in ``question`` that it does not already use,
    once each. Cached: retrieval, the sentence scorer and the figure check each ask."""
    # Dates say when, not what: "led the July 2019 inspection" is "led the inspection".
    stems: list[str | None] = [stem(w) for w in words(question) if not _DATE_WORD.fullmatch(w)]
    said = set(stems)
    found: list[str] = []
    for phrase, concept in _phrases():  # longest first; a word matched once is not matched again
        if phrase[0] not in said:
            continue
        n = len(phrase)
        for i in range(len(stems) - n + 1):
            if tuple(stems[i:i + n]) == phrase:
                stems[i:i + n] = [None] * n
                if concept not in found:
                    found.append(concept)
    # A concept the question already names in the reports' own words adds nothing.
    return tuple(c for c in found if not {stem(w) for w in words(c)} <= said)


def with_plain_words_explained(question: str) -> str:
    """The question followed by the reports' terms for its everyday phrases, for both searches and the scorer."""
    found = report_terms(question)
    return f"{question} ({'; '.join(found)})" if found else question
