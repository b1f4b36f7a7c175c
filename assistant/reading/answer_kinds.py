"""What a question asks for (a figure of some kind, a name, what comes next, a comparison, a grade)
and whether a report sentence gives it: the patterns and word lists the extractive answerer reads
questions and sentences with (how it quotes the sentences it chooses is ``scored_sentences``)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.reading.judgements import ASKS_GRADE, ASKS_WHY
from assistant.reading.plain_words import report_terms
from assistant.text import stem, terms

QUANTITY = re.compile(
    r"\b(how (many|much|long|often|quickly|soon)|what (percentage|proportion|number|share|rate)|number of|"
    r"average|per cent|percent)\b",
    re.I,
)
# A question that asks for a time: "when did…", "according to the report, when was…", "in which
# month…", "what year…", "since when…". Not "when children go missing, do they…?" nor "when do care
# leavers get…?", where "when" sets a condition: the answer is no date.
_WHEN_ASKED = re.compile(
    r"(?:^\s*|[,;:]\s*|\b(?:and|so|but|since|until|till)\s+)when\s+(?:did|was|were|has|have|had|will)\b|"
    r"\b(?:what|which)\s+(?:(?:were|are|was|is)\s+(?:the\s+)?(?:\w+\s+)?)?(?:year|month|date|day)s?\b|\bdates\b|"
    r"\bsince when\b|\bhow long ago\b",
    re.I,
)
# Number words, and month names (dates, not counts; capitalised, not names).
_CARDINALS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|"
    "eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|dozen"
)
_MONTHS = "January February March April May June July August September October November December"
NUMBER = re.compile(rf"\d|\b({_CARDINALS}|half|third|quarter|majority|all)\b", re.I)
# What answers a question that asks when: a year, a month (capitalised: "may" is no month), a time
# ago or a span back from now ("since the last inspection" does not).
_TIME_SAID = re.compile(
    rf"\b(?:19|20)\d\d\b|\b(?:{_MONTHS.replace(' ', '|')})\b|"
    rf"(?i:\b(?:\d+|an?|several|few|{_CARDINALS}) (?:days?|weeks?|months?|years?) ago\b|"
    r"\b(?:last|past|previous|recent|next|coming|this|that)\s+(?:[\w-]+\s+)?"
    r"(?:days?|weeks?|months?|years?|spring|summer|autumn|winter|quarter)\b)"
)
# Words a question uses about the report itself ("what did the inspection say…"): they match the
# report's own boilerplate ("The inspection team: Lead inspector…"), not the topic asked about.
REPORT_TERMS = frozenset(terms("inspection inspections inspector inspectors inspected report ofsted re-inspection reinspection"))
# Those, and words about the council or the figure, are not what a figure counts.
FRAME_TERMS = REPORT_TERMS | frozenset(
    terms("according compare compared comparison council local authority borough figure figures number")
)
SOURCE_SAID = re.compile(r"\bper (?=(?:the|its|their|this)\b)", re.I)  # "per the 2014 report": which report, not a rate
ACRONYM = re.compile(r"\b([A-Z]{2,8}s?)\b")  # "ICPCs" as written: the reports define the plural
BROAD = re.compile(
    r"\b(say|said|says|find|found|think|describe|tell me about|how well|what kinds?|what types?|which|list|"
    r"who (?:was|were) on|summar\w+|overall)\b",
    re.I,
)
# Sentences that give a grade.
GRADE = re.compile(r"\b(outstanding|good|requires improvement|inadequate)\b", re.I)
# Questions that can only be answered with a figure.
FIGURE_QUESTION = re.compile(
    r"\b(how many|how much|how big|how large|what percentage|what proportion|what share|what number|"
    r"what (?:is|was|'s) the (?:rate|number|percentage|proportion|average|cost|cap|limit|target|threshold|ceiling)\b|"
    r"what (?:is|was|'s|are|were) (?:the |its |their )?(?:[\w'-]+ ){0,3}(?:rates?|budgets?|costs?))\b",
    re.I,
)
# The kind of figure a question wants: a share wants a share, a cost wants money. "Share" and "rate"
# as verbs ("do the directors share…", "how do care leavers rate…", after a plural or "do/to/they")
# ask for no share.
_SHARE_QUESTION = re.compile(
    r"\b(?:percentage|proportion|per ?cent)\b|(?<![a-z]s )(?<!\bdo )(?<!\bdoes )(?<!\bdid )(?<!\bto )(?<!\bthey )"
    r"(?<!\bwho )(?<!\bchildren )(?<!\bpeople )\b(?:share|rates?)\b",
    re.I,
)
_SHARE = re.compile(
    r"%|\bper ?cent\b|\b(half|halves|thirds?|quarters?|fifths?|tenths?|majority|minority)\b|\bper \d|"
    r"\b\d[\d,]* (?:out )?of (?:the |these |them |those )?\d|\b(?:one|two|three|four|five|\d+) in (?:two|three|four|five|ten|\d+)\b",
    re.I,
)
_NONE = ("no", "zero", "nil")  # a count of none: "there are no children who…"
_COUNT = re.compile(rf"\d|\b({_CARDINALS}|{'|'.join(_NONE)})\b", re.I)
# A number in words only: "a small but reducing number of children…", "a few care leavers".
_VAGUE_COUNT = re.compile(
    r"\b(?:small|large|high|low|growing|reducing|increasing|significant|limited)(?: but \w+)? numbers? of\b|"
    r"\ba (?:few|handful of)\b", re.I)
# A number word on its own ("24", "five", "Twenty-four"), and what a "how many…" question counts.
_COUNT_WORD = re.compile(rf"^(?:\d[\d,.]*%?|{_CARDINALS})(?:-\w+)?$", re.I)
HOW_MANY = re.compile(r"\bhow many\b(?:\s+([a-z][\w'-]*))?", re.I)
# "How many of them / of the care leavers…" asks what part of a group: a share answers it too ("56%").
_PART_OF_GROUP = re.compile(r"\bhow many of\b", re.I)
# A number in a name is no figure of anything: "the COVID-19 pandemic", "Together4Children", "S47".
_NAMED_NUMBER = re.compile(r"\b[a-z]+-?\d+[a-z\d]*\b", re.I)
# Years, periods, dates and numbered labels are not counts: "In 2015–16, almost all complaints were
# resolved at stage one" counts nothing.
_DATES = re.compile(
    rf"\b(?:\d{{1,2}} )?(?:{_MONTHS.replace(' ', '|')})"
    r"(?: \d{4})?\b|\b(?:19|20)\d\d(?:[-–/](?:\d\d){1,2})?\b|"
    r"\b(?:quarter|stage|phase|tier|level|step|part|wave|round|section|paragraph|page|year|key stage) "
    r"(?:one|two|three|four|five|six|\d{1,2})\b|"
    # and ages: "children aged 16 and 17" are some children, not 16 of them
    r"\baged (?:under |over )?\d{1,2}(?:(?: and | to | or |[-–])\d{1,2})?(?: years?(?: old)?)?\b|"
    r"\b\d{1,2}(?:(?: and | to |[-–])\d{1,2})?[- ]years?[- ]olds?\b|"
    rf"{_NAMED_NUMBER.pattern}",  # and names
    re.I,
)
_VAGUE_SHARE = re.compile(r"\b(majority|minority)\b", re.I)
_MONEY_QUESTION = re.compile(r"\bhow much\b.*\b(cost|spend|spent|pay|paid|funding|funded)\b|\b(costs?|budgets?|prices?)\b", re.I)
_MONEY = re.compile(r"£|\b(million|thousand|pounds?)\b", re.I)
# The words that name a comparison: what a figure is set against. Follow-ups read them too.
COMPARISON_WORDS = frozenset(
    "compare compares compared comparison than versus vs national nationally england london average neighbours "
    "comparators".split()
)
COMPARISON = re.compile(rf"\b({'|'.join(sorted(COMPARISON_WORDS))})\b", re.I)
_OVER_TIME = re.compile(r"\b(year before|previous year|last year|year earlier|years? ago|before that|since)\b", re.I)
COMPARATOR = re.compile(r"\b(national|england|england's|london|average|statistical neighbours|comparators|similar areas)\b", re.I)
# The kind of answer a question wants, first match first: a figure of some kind when it asks a
# quantity (how many, how much, how long, when), else a person's name, a body's, else a description.
_HOW_LONG = re.compile(r"\bhow (?:long|quickly|soon)\b", re.I)
FIGURE_KINDS = frozenset({"money", "share", "duration", "date", "count"})
# Questions that can only be answered with a name, and the names a sentence gives: runs of
# capitalised words ("Karen Wareing", "Southall Black Sisters") or a quoted title ('Shoutout').
NAME_QUESTION = re.compile(r"\b(what(?:'s| is| was| are| were) the names? of|who (?:is|was) the)\b", re.I)
WHO = re.compile(r"^\s*who (?:is|was|are|were)\b", re.I)  # "Who was Devon's director of children's services?"
ASKS_WHO = re.compile(r"^\s*who\b", re.I)  # "who led the inspection?": someone, if not always by name
# "Which regional adoption agency…?", "which charity…?": a body's name is the answer. In the plural
# ("which agencies are in the MASH?") the answer is kinds of body (police, health), not names.
BODY_ASKED = re.compile(r"\bwhich (?:[\w'-]+ ){0,3}?(?:agency|organi[sz]ation|charity|trust|partnership|provider|"
                        r"company|consortium)\b(?!['’]s)", re.I)
_PROPER_RUN = re.compile(r"\b[A-Z][\w'’-]*(?:\s+(?:(?:of|and|for|in|on)\s+(?:the\s+)?)?[A-Z][\w'’-]*)+")
_QUOTED_NAME = re.compile(r"['‘][A-Z][^'’]{1,40}['’]")
# A capitalised word inside a sentence, not its first: one word may name a body ("(Together4Children)").
_INNER_CAPITALISED = re.compile(r"(?<![.:;!?] )(?<=[\s(])([A-Z][\w'’-]{2,})")  # not after "Adoption performance: "
# One capitalised word naming a team or scheme: "the Opal team", "the Horizon project".
_NAMED_BODY = re.compile(
    r"\bthe ([A-Z][a-z][\w'’-]*) (?:team|service|project|programme|hub|panel|group|forum|scheme|unit|council|partnership)\b"
)
# A question about who holds a post wants a person's name, not the name of a body: "the Ealing
# Safeguarding Children Board (ESCB) chair" names no chair.
_ROLES = (r"director|chair\w*|chief|leader|lead member|inspector|analyst|manager|head|officer|commissioner|"
          r"adviser|advisor|coordinator|mayor|minister|deputy")
PERSON_ROLE = re.compile(rf"\b({_ROLES})\b", re.I)
# The second of a role ("Deputy lead inspector: …", "assistant director"): another post than the one
# a question names without it.
_SECOND = r"deputy|assistant|vice"
_SECOND_IN_ROLE = re.compile(rf"\b(?:{_SECOND})\b", re.I)
_SECOND_OF = re.compile(rf"\b(?:{_SECOND})[\s-]+(?:[a-z]+\s+){{0,2}}?({_ROLES})\b", re.I)
_BODY_WORDS = frozenset(
    "Board Council Borough Service Services Centre Center Team Teams Partnership Group Panel Agency Trust School "
    "Schools Authority Department Police Court Hospital Unit Committee Forum Network Consortium Children Ofsted "
    "Act Acts Regulations Framework Inspection Inspections".split()  # a law or a framework is no one's name
)
# Capitalised words that name no one: sentence openers, months, and the countries a figure is
# compared with ("more than double the England average").
_NOT_NAMES = frozenset(
    f"The A An In On At Of And This These That Those It Its Their There Since During In For From But However {_MONTHS} "
    "England English Wales Welsh Britain British UK".split()
)
# "Why was corporate parenting judged weak?", "why were interviews still poor?", "why were they not
# told?": a question that presumes a fault, and the words a sentence that finds one uses ("concerns"
# is not one: in these reports they are mostly about a child, "when safeguarding concerns arise").
# Judgements by grade are checked against the table (core, premise).
PRESUMED_FAULT = re.compile(
    r"\bwhy\b.*?(?:\b(weak|poor(?:ly)?|failing|bad(?:ly)?|ineffective|unsafe|worse|unsatisfactory|slow|late|delayed)\b"
    r"|\b(criticis\w*|criticiz\w*)|(\w+n't\b|\b(?:not|never)\s+\w+))",
    re.I,
)
FAULT = re.compile(
    r"\b(weak\w*|poor\w*|inadequate|requires? improvement|insufficient\w*|lack\w*|fail\w*|"
    r"limited|variable|inconsistent\w*|delay\w*|shortfall\w*|gaps?|deficit\w*|backlog\w*|"
    r"too (?:few|many|long|slow|variable|high|low|much|little)|"
    r"not (?:\w+ ){0,2}(?:sufficient\w*|consistent\w*|always|yet|fully|good|robust|effective\w*|strong|well|timely|"
    r"comprehensive|rigorous|clear|enough))\b",
    re.I,
)
# A sentence that says there is none of something ("There are no children living in unregistered
# homes"): it denies what a "why…?" question takes as so. "Not all", "not always" deny nothing whole.
DENIES = re.compile(r"\bthere (?:is|are|was|were|have been|has been) no\b|\bnone of (?:the|these|them)\b|^\s*no\s", re.I)
# A question that says something is not so ("why were they not told?") presumes the negative itself.
_NEGATED = re.compile(r"\b(?:not|no|never|none|nobody|nothing)\b|n't\b", re.I)
# A question about what comes next, and a sentence that looks ahead.
ASKS_AHEAD = re.compile(r"\b(next|upcoming|forthcoming|when will|will (?:it|they|the \w+) be)\b", re.I)
LOOKS_AHEAD = re.compile(
    r"\b(will|next|plans?|planned|planning|due|scheduled|expected|intends?|intention|future|forthcoming|upcoming|aims? to)\b",
    re.I,
)
# The title lines above a report's judgements ("Inspection of services for children in need of help
# and protection…", "and."): a line with neither a colon nor a verb of being.
TITLE_LINE = re.compile(r"^(?!.*:)(?!.*\b(?:is|are|was|were|requires?|has|have)\b).*$", re.I | re.S)


def counted_term(query: str) -> str | None:
    """What a "how many…" question counts, as a term: "how many children were…" → "children"."""
    match = HOW_MANY.search(query)
    counted = terms(match.group(1)) if match and match.group(1) else []
    return counted[0] if counted else None


def counts(text: str, counted: str, before: bool = False) -> bool:
    """Does the sentence give a number of the thing counted ("five children", "24 looked after
    children"; with ``before``, also "referrals have increased to 15")?"""
    tokens = _DATES.sub(" ", text).replace(",", " ").split()
    for i, token in enumerate(tokens):
        # "there are no children who…": none is a count too, of the word it qualifies (or the one after)
        if token.lower() in _NONE and counted in {t for w in tokens[i + 1 : i + 3] for t in terms(w)}:
            return True
        if _COUNT_WORD.match(token.rstrip(".;:")) and not _DATES.fullmatch(token.rstrip(".;:")):
            near = tokens[i + 1 : i + 4] + (tokens[max(0, i - 4) : i] if before else [])
            if counted in {t for w in near for t in terms(w)}:
                return True
    return False


def compares_with_others(query: str) -> bool:
    """Does the question compare with England, London or neighbours? "More or less than the year
    before?" compares over time: sentences that give the national average do not answer it."""
    if not COMPARISON.search(query):
        return False
    return bool(COMPARATOR.search(query)) or not _OVER_TIME.search(query)


def roles_asked_plainly(query: str) -> frozenset[str]:
    """The roles ``query`` asks about, in its own words or the reports' ("who led the inspection?" asks
    for the lead inspector); none when it asks for a deputy or assistant itself."""
    if _SECOND_IN_ROLE.search(query):
        return frozenset()
    return frozenset(m.lower() for phrase in (query, *report_terms(query)) for m in PERSON_ROLE.findall(phrase))


def names_another_post(roles: frozenset[str], text: str) -> bool:
    """Does ``text`` speak of the deputy or assistant of one of these roles (``roles_asked_plainly``)?"""
    return bool(roles) and any(m.group(1).lower() in roles for m in _SECOND_OF.finditer(text))


def is_number_word(word: str) -> bool:
    """"3", "three": how many, not which."""
    return word.isdigit() or bool(re.fullmatch(_CARDINALS, word, re.I))


def asks_when(question: str) -> bool:
    """Does ``question`` ask for a time ("when did…", "in which month…")?"""
    return bool(_WHEN_ASKED.search(question))


def gives_time(text: str) -> bool:
    """Does ``text`` say when (a year, a month, "two years ago", "over the last year")?"""
    return bool(_TIME_SAID.search(text))


def has_figure(text: str) -> bool:
    return bool(NUMBER.search(_NAMED_NUMBER.sub(" ", text)))


@dataclass(frozen=True)
class Needs:
    """What an answer to one question must hold, read once from the question's (scoped) text. The
    answerer checks each sentence against it: the checks read the sentence, never the question again."""

    text: str
    terms: frozenset[str]  # its terms, less the words every report uses
    plain_terms: frozenset[str]  # the reports' terms for its everyday words (``plain_words``)
    quantity: bool  # a number is wanted ("how many", "what percentage", "how long")
    date: bool  # a time is wanted ("when did…", "in which month…")
    comparison: bool  # a comparison is named ("than", "nationally"): a number is wanted too
    with_others: bool  # compared with England, London or neighbours, not over time
    grade: bool  # a grade is asked for (not "why was it judged…?", which asks the reasons)
    figure: bool  # a figure of something: the answer must give one about it
    figure_terms: frozenset[str]  # the terms that say what the figure is of (and when)
    counted: str | None  # what "how many…" counts, as a term
    share: str  # "percentage" (a number), "share" (any share, "the majority" too) or ""
    money: bool
    how_many: bool
    of_group: bool  # "how many of them…": a share answers it too
    name: bool  # "what is the name of…", "who is the…", "which agency…"
    body: bool  # "which agency…": a body's name, which may share words with the question ("Adoption Now")
    person: bool  # a role is named: the name wanted is a person's, not a body's
    who_holds_post: bool  # "who is the director of…?"
    who: bool  # it asks who ("who led the inspection?")
    named_words: frozenset[str]  # its words, lower-cased: a name it already says is no answer
    roles: frozenset[str]  # the roles asked about plainly (``roles_asked_plainly``)
    ahead: bool  # what comes next ("when is the next inspection due?")
    presumed_fault: str  # the fault it takes as found ("why was it judged poor?"), or ""
    presumes: bool  # it asks why something is so, and says nothing is not ("why were children waiting?")
    broad: bool  # what inspectors said or found about something, not one fact
    recommended: bool  # what inspectors recommended or said must improve: a report's recommendations answer it

    @property
    def states_judgements(self) -> bool:
        """Can the judgement table answer it (a grade, or a comparison, which may be of grades; the
        inspection's dates; its lead inspector)? It says nothing else: a summary or a list is never
        answered from it."""
        return self.grade or self.comparison or self.quantity or self.date or self.name or self.who or self.person or bool(self.roles)

    @property
    def related(self) -> frozenset[str]:
        """The reports' terms for its everyday words, other than its own: a sentence that uses them
        speaks to the question, but they do not dilute the weight of its own terms."""
        return self.plain_terms - self.terms - REPORT_TERMS

    def gives_name(self, text: str) -> bool:
        """Does ``text`` name someone or something the question does not already name (a person, not
        a body, when it asks who holds a post)? Two new words make a name; one, for a body asked for
        by its kind ("Adoption Now", asked "which adoption agency…?")."""
        new_words = 1 if self.body else 2
        for run in _PROPER_RUN.findall(text):
            if self.person and (_BODY_WORDS & set(run.split()) or PERSON_ROLE.search(run)):
                continue  # "the Ealing Safeguarding Children Board chair", "the Chief Executive": no one's name
            if len([w for w in run.split() if w.lower() not in self.named_words and w not in _NOT_NAMES]) >= new_words:
                return True
        if self.person:
            return False
        if self.body and any(
            w.lower() not in self.named_words and w not in _NOT_NAMES and w not in _BODY_WORDS and not w.isupper()
            for w in _INNER_CAPITALISED.findall(text)
        ):
            return True
        return bool(_QUOTED_NAME.search(text)) or any(w.lower() not in self.named_words for w in _NAMED_BODY.findall(text))

    def names_holder(self, text: str) -> bool:
        """Does ``text`` say who holds the post asked about? It must speak of that post ("Lead inspector:
        Julie Knight" names no director of children's services) and name someone: by name, or, asked
        who chairs or leads something, by another post ("chaired by the chief executive")."""
        posts = {stem(m.lower()) for m in PERSON_ROLE.findall(text)}
        asked = {stem(r) for r in self.roles}
        if self.person and asked and not posts & asked:
            return False
        return self.gives_name(text) or (self.who and not self.who_holds_post and bool(posts - asked))

    def gives_share_of_group(self, text: str) -> bool:
        """Does ``text`` give a share for "how many of them…"?"""
        return self.of_group and bool(_SHARE.search(_VAGUE_SHARE.sub(" ", text)))

    def gives_vague_count(self, text: str) -> bool:
        """Does ``text`` give a number in words only ("a small number of children…")?"""
        return self.how_many and bool(_VAGUE_COUNT.search(text))

    def gives_figure(self, text: str) -> bool:
        """Does ``text`` give the kind of figure asked for (a share, a sum of money, a number)?"""
        if self.share == "percentage":  # a number, not "the majority"
            return bool(_SHARE.search(_VAGUE_SHARE.sub(" ", text)))
        if self.share:
            return bool(_SHARE.search(text))
        if self.money:
            return bool(_MONEY.search(text))
        if self.how_many:  # a count, not "all" or "the majority"
            return bool(_COUNT.search(_DATES.sub(" ", text))) or self.gives_share_of_group(text)
        return has_figure(text)


# A question about what inspectors asked to be improved ("what did Ofsted recommend for care leavers?",
# "what needs to improve at the front door?"), not what a council did to improve, nor what improved since.
_BETTER = r"(?:improved?|get better|do better)"  # "get better at" is how people say improve
_ASKS_RECOMMENDED = re.compile(
    rf"\brecommend(?:ation|ations|ed|s)?\b|\b(?:needs?|needed|has|have|had|must|ought) to (?:be )?{_BETTER}|"
    rf"\b(?:should|must) (?:be )?{_BETTER}|\bareas? (?:for|of|that need) (?:improvement|development)\b|"
    rf"\bimprovements? (?:needed|required)\b|\b(?:ask|asked|tell|told|want|wanted)\b(?: [\w'’-]+){{0,4}}? to {_BETTER}",
    re.I,
)
PROGRESS = re.compile(r"\bsince\b|\bprogress\b|\bimproved\b|\bimproving\b|\b(?:has|have|had|was|were|been) (?:\w+ )?made\b", re.I)


def read_needs(text: str, asked: str = "") -> Needs:
    """What ``text`` (a question's scoped text) needs its answer to hold; ``asked``, the question in
    full, adds the names that set its scope to those a name in the answer must not merely repeat,
    and says whether it asks when ("When Durham was inspected…" is no "When was inspected…")."""
    own = frozenset(terms(text)) - REPORT_TERMS
    share = ("percentage" if re.search(r"\bpercentage|per ?cent\b", text, re.I) else "share") if _SHARE_QUESTION.search(text) else ""
    fault = PRESUMED_FAULT.search(text)
    body, person = bool(BODY_ASKED.search(text)), bool(PERSON_ROLE.search(text))
    return Needs(
        text=text, terms=own, plain_terms=frozenset(t for concept in report_terms(text) for t in terms(concept)),
        quantity=bool(QUANTITY.search(text)), date=asks_when(asked or text), comparison=bool(COMPARISON.search(text)),
        with_others=compares_with_others(text), grade=bool(ASKS_GRADE.search(text)) and not ASKS_WHY.search(text),
        figure=bool(FIGURE_QUESTION.search(text)),
        figure_terms=frozenset(terms(FIGURE_QUESTION.sub(" ", SOURCE_SAID.sub(" ", text)))),
        counted=counted_term(text), share=share, money=bool(_MONEY_QUESTION.search(text)),
        how_many=bool(HOW_MANY.search(text)), of_group=bool(_PART_OF_GROUP.search(text)),
        name=body or bool(NAME_QUESTION.search(text)), body=body, person=person,
        who_holds_post=person and bool(WHO.search(text)), who=bool(ASKS_WHO.search(text)),
        named_words=frozenset(w.lower() for w in re.findall(r"[A-Za-z]+", f"{text} {asked}")),
        roles=roles_asked_plainly(text), ahead=bool(ASKS_AHEAD.search(text)),
        presumed_fault=next(g for g in fault.groups() if g) if fault else "", broad=bool(BROAD.search(text)),
        presumes=bool(ASKS_WHY.search(text)) and not _NEGATED.search(text),
        recommended=bool(_ASKS_RECOMMENDED.search(text)) and not PROGRESS.search(text),
    )


# Checked in order when a question asks a quantity or a time; none of them: a count.
_FIGURE_KINDS = (("date", _WHEN_ASKED), ("money", _MONEY_QUESTION), ("share", _SHARE_QUESTION), ("duration", _HOW_LONG))


def expected_kind(question: str) -> str:
    """The kind of answer ``question`` wants: one of ``FIGURE_KINDS`` when it asks a quantity or a time, else
    "person" (who holds a post, or a name of one), "organisation" (which agency, charity…), else "description"."""
    if QUANTITY.search(question) or asks_when(question):
        return next((kind for kind, asks in _FIGURE_KINDS if asks.search(question)), "count")
    if WHO.search(question) or (NAME_QUESTION.search(question) and PERSON_ROLE.search(question)):
        return "person"
    return "organisation" if BODY_ASKED.search(question) else "description"
