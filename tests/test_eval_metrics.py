"""Unit tests of the evaluation metrics, gate and runner on hand-built answers (no real assistant)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.types import Answer, Citation, Source
from eval import metrics as M
from eval.gate import check_floors, load_floors
from eval.gold import GoldItem, load_gold, parse_item
from eval.run import ablation_table, failures_text, format_table, run_once, summary_table

KNOWN = {f"¶{n}" for n in range(1, 144)} | {"LSCB executive summary", "Executive summary"}


def src(label: str, score: float = 1.0) -> Source:
    """A retrieved passage with the given label."""
    number = int(label[1:]) if label.startswith("¶") else None
    return Source(report="ealing-2016", paragraph=number, label=label, section="s", text="t", score=score)


def cite(label: str) -> Citation:
    """A citation of the given label."""
    return src(label).citation


def answer(text: str, cited=(), sources=(), abstained=False, standalone="") -> Answer:
    """A hand-built answer."""
    return Answer(question="q", answer=text, citations=[cite(c) for c in cited],
                  sources=[src(s) for s in sources], abstained=abstained, standalone_question=standalone)


def item(**kw) -> GoldItem:
    """A gold item with sensible defaults."""
    base = dict(id="x", type="factoid", question="q?", answerable=True, gold=["¶38"], neighbours=["¶39"],
                key_facts=[["306 children", "306"]])
    return GoldItem(**{**base, **kw})


# --- retrieval ---------------------------------------------------------------------------------

def test_hit_recall_mrr_basic():
    retrieved = ["¶1", "¶2", "¶38", "¶4", "¶5", "¶40"]
    assert [M.hit_at_k(retrieved, ["¶38", "¶40"], k) for k in (1, 3, 5, 10)] == [0.0, 1.0, 1.0, 1.0]
    assert M.recall_at_k(retrieved, ["¶38", "¶40"], 5) == 0.5
    assert M.recall_at_k(retrieved, ["¶38", "¶40"], 10) == 1.0
    assert M.mrr_at_k(retrieved, ["¶38", "¶40"]) == pytest.approx(1 / 3)
    assert M.mrr_at_k(retrieved, ["¶99"]) == 0.0


def test_retrieval_without_gold_is_not_counted():
    assert M.hit_at_k(["¶1"], [], 5) is None
    assert M.recall_at_k(["¶1"], [], 5) is None
    assert M.mrr_at_k(["¶1"], []) is None


def test_labels_compared_canonically():
    assert M.hit_at_k(["¶ 38"], ["¶38"], 1) == 1.0
    assert M.hit_at_k(["LSCB  Executive summary"], ["LSCB executive summary"], 1) == 1.0


def test_duplicate_gold_labels_count_once():
    assert M.recall_at_k(["¶38"], ["¶38", "¶38"], 1) == 1.0


labels = st.lists(st.sampled_from([f"¶{n}" for n in range(1, 15)]), max_size=12)


@given(labels, st.lists(st.sampled_from([f"¶{n}" for n in range(1, 15)]), min_size=1, max_size=4))
def test_retrieval_metrics_bounded_and_monotone(retrieved, gold):
    hits = [M.hit_at_k(retrieved, gold, k) for k in M.KS]
    recalls = [M.recall_at_k(retrieved, gold, k) for k in M.KS]
    assert hits == sorted(hits) and recalls == sorted(recalls)
    assert all(0.0 <= v <= 1.0 for v in hits + recalls)
    assert M.mrr_at_k(retrieved, gold) <= hits[-1]


# --- citations ---------------------------------------------------------------------------------

def test_cited_labels_dedupes_and_reads_text_markers():
    a = answer("A [¶38]. B [¶38, ¶40]. C [LSCB executive summary].", cited=["¶38", "LSCB executive summary", "¶38"])
    assert M.cited_labels(a) == ["¶38", "LSCB executive summary", "¶40"]


def test_citation_validity():
    assert M.citation_validity([], [], KNOWN) == 1.0
    assert M.citation_validity(["¶38", "¶38"], ["¶38"], KNOWN) == 1.0  # duplicates count once
    assert M.citation_validity(["¶38", "¶999"], ["¶38", "¶999"], KNOWN) == 0.5  # not in the report
    assert M.citation_validity(["¶38", "¶40"], ["¶38"], KNOWN) == 0.5  # not among the sources
    assert M.invalid_citations(["¶999", "¶40"], ["¶38"], KNOWN) == {
        "¶999": "not in the report", "¶40": "not among the answer's sources"}


def test_citation_precision_and_recall():
    assert M.citation_precision(["¶38", "¶39", "¶1"], ["¶38"], ["¶39"], True) == pytest.approx(2 / 3)
    assert M.citation_precision(["¶38", "¶38"], ["¶38"], [], True) == 1.0
    assert M.citation_recall(["¶38"], ["¶38", "¶40"], True) == 0.5
    assert M.citation_recall(["¶39"], ["¶38"], True) == 0.0  # a neighbour is not gold


def test_gold_cited_asks_for_one_gold_label_among_the_citations():
    assert M.gold_cited(["¶1", "¶40"], ["¶38", "¶40"], True) == 1.0  # one of two gold labels is enough
    assert M.gold_cited(["¶39"], ["¶38"], True) == 0.0
    assert M.gold_cited([], ["¶38"], True) == 0.0
    assert M.gold_cited(["¶38"], [], False) is None


def test_no_citations_precision_excluded_recall_zero():
    assert M.citation_precision([], ["¶38"], [], True) is None
    assert M.citation_recall([], ["¶38"], True) == 0.0


def test_unanswerable_not_counted_for_precision_recall():
    assert M.citation_precision(["¶38"], [], [], False) is None
    assert M.citation_recall(["¶38"], [], False) is None


# --- key facts -----------------------------------------------------------------------------------

def test_key_facts_any_alternative_and_normalisation():
    text = "There were  306\nchildren on plans [¶23] — the ‘Brighter Futures’ programme"
    facts = [["three hundred and six", "306 children"], ["'brighter futures'"], ["–  the"], ["364"]]
    assert M.missing_key_facts(text, facts) == ["364"]
    assert M.key_fact_containment(text, facts) == 0.75


def test_citation_markers_do_not_break_key_facts():
    assert M.key_fact_containment("306 [¶23] children", [["306 children"]]) == 1.0


def test_an_authority_not_meeting_the_condition_may_be_named_only_with_the_grade_the_reference_gives_it():
    reference = ("Only Wessex was good [w]. Barsetshire required improvement to be good [b]; "
                 "Mercia gives no overall grade [m].")
    excluded = ["Barsetshire", "Mercia", "Anglia"]
    shown_as_not_meeting = ("1 of 3 judged overall effectiveness as good:\nWessex: Good. [w]\nThe others did not:\n"
                            "Barsetshire 2015: Requires improvement to be good. [b]\nMercia 2024 gives no grade for it. [m]")
    assert M.wrongly_named(shown_as_not_meeting, excluded, reference) == []
    listed_as_meeting = "2 of 3 judged it good:\nWessex: Good. [w]\nBarsetshire 2015: Good. [b]"
    assert M.wrongly_named(listed_as_meeting, excluded, reference) == ["Barsetshire"]
    # One the reference never names may not be named at all, whatever grade is given.
    assert M.wrongly_named("Anglia 2019: Requires improvement. [a]", excluded, reference) == ["Anglia"]
    assert M.wrongly_named("Barsetshire and Wessex were good.", excluded, "") == ["Barsetshire"]
    assert M.grades_said("requires improvement to be good") == {"requires improvement"}


def test_no_key_facts_not_counted():
    assert M.key_fact_containment("anything", []) is None


# --- scoring one question -----------------------------------------------------------------------

def test_score_good_answer():
    a = answer("306 children [¶38].", cited=["¶38"], sources=["¶38", "¶39"])
    r = M.score(item(), a, ["¶38", "¶2"], 12.5, KNOWN)
    assert r.metrics["hit@1"] == 1.0 and r.metrics["mrr@10"] == 1.0
    assert r.metrics["citation_validity"] == 1.0 and r.metrics["citation_precision"] == 1.0
    assert r.metrics["citation_recall"] == 1.0 and r.metrics["key_fact_containment"] == 1.0
    assert r.metrics["false_abstention_rate"] == 0.0 and r.metrics["abstention_recall"] is None
    assert r.metrics["latency_ms"] == 12.5 and r.failures == []


def test_score_false_abstention():
    a = answer("The report does not say.", abstained=True, sources=["¶1"])
    r = M.score(item(), a, ["¶1", "¶2", "¶3", "¶4", "¶5", "¶38"], 5.0, KNOWN)
    assert r.metrics["false_abstention_rate"] == 1.0
    assert r.metrics["citation_precision"] is None and r.metrics["citation_recall"] == 0.0
    assert r.metrics["citation_validity"] == 1.0 and r.metrics["key_fact_containment"] == 0.0
    assert r.metrics["hit@5"] == 0.0 and r.metrics["hit@10"] == 1.0
    assert r.failures[0].startswith("missed gold in top 5")
    assert "false abstention" in r.failures
    assert not any("key fact" in f for f in r.failures)  # the abstention already explains it


def test_score_unanswerable():
    u = item(type="unanswerable", answerable=False, gold=[], neighbours=[], key_facts=[])
    abstained = M.score(u, answer("Not in the report.", abstained=True), [], 1.0, KNOWN)
    assert abstained.metrics["abstention_recall"] == 1.0 and abstained.failures == []
    assert abstained.metrics["false_abstention_rate"] is None
    assert all(abstained.metrics[m] is None for m in ("hit@5", "mrr@10", "citation_precision", "citation_recall"))
    answered = M.score(u, answer("Yes [¶999].", cited=["¶999"]), [], 1.0, KNOWN)
    assert answered.metrics["abstention_recall"] == 0.0 and answered.metrics["citation_validity"] == 0.0
    assert answered.failures == ["invalid citation ¶999: not in the report", "failed to abstain"]


def test_score_failure_reasons_name_missing_fact_and_invalid_citation():
    a = answer("Some text [¶40].", cited=["¶40"], sources=["¶38"])
    r = M.score(item(), a, ["¶38"], 1.0, KNOWN)
    assert r.failures == ["invalid citation ¶40: not among the answer's sources", "missing key fact '306 children'"]


def test_score_error_counts():
    r = M.score(item(), answer(""), [], None, KNOWN, error="RuntimeError: boom")
    assert r.metrics["error_rate"] == 1.0 and r.metrics["latency_ms"] is None
    assert r.failures[0] == "error: RuntimeError: boom"


# --- aggregation and gate -----------------------------------------------------------------------

def _results():
    good = M.score(item(id="a"), answer("306 children [¶38]", ["¶38"], ["¶38"]), ["¶38"], 10.0, KNOWN)
    bad = M.score(item(id="b", type="numeric"), answer("no", abstained=True), ["¶1"], 30.0, KNOWN)
    unans = M.score(item(id="c", type="unanswerable", answerable=False, gold=[], neighbours=[], key_facts=[]),
                    answer("no", abstained=True), [], 20.0, KNOWN)
    return [good, bad, unans]


def test_summarise_overall_and_by_type():
    s = M.summarise(_results())
    o = s["overall"]
    assert o["n"] == 3 and o["failed"] == 1
    assert o["means"]["hit@5"] == 0.5 and o["counts"]["hit@5"] == 2
    assert o["means"]["false_abstention_rate"] == 0.5 and o["means"]["abstention_recall"] == 1.0
    assert o["means"]["citation_precision"] == 1.0 and o["counts"]["citation_precision"] == 1
    assert o["means"]["latency_ms"] == 20.0
    assert list(s["by_type"]) == ["numeric", "factoid", "unanswerable"]  # gold-type order
    assert s["by_type"]["unanswerable"]["means"]["hit@5"] is None


def test_check_floors_min_max_and_unmeasured():
    s = M.summarise(_results())
    assert check_floors(s, {"hit@5": {"min": 0.5}, "false_abstention_rate": {"max": 0.5}}) == []
    v = check_floors(s, {"hit@5": {"min": 0.51}, "false_abstention_rate": {"max": 0.49}})
    assert len(v) == 2 and "below the floor" in v[0] and "above the ceiling" in v[1]
    assert "not measured" in check_floors(M.summarise(_results()[:1]), {"abstention_recall": {"min": 0}})[0]


def test_floors_file_is_valid_and_has_direction(tmp_path):
    floors = load_floors()
    assert floors["false_abstention_rate"].keys() == {"max"} and floors["hit@5"].keys() == {"min"}
    bad = tmp_path / "f.json"
    bad.write_text(json.dumps({"hit@5": 0.8}))
    with pytest.raises(ValueError):
        load_floors(bad)


# --- gold loading -------------------------------------------------------------------------------

def test_load_gold(tmp_path):
    rows = [
        {"id": "q1", "type": "numeric", "question": "How many?", "turns": [], "gold": ["¶23"], "neighbours": [],
         "key_facts": [["306"], "364"], "reference": "306 [¶23]", "answerable": True},
        {"id": "q2", "type": "followup", "question": "And before?", "turns": ["How many?"], "gold": ["¶23"],
         "neighbours": [], "key_facts": [], "reference": "", "answerable": True},
    ]
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n", encoding="utf-8")
    items = load_gold(path)
    assert [i.id for i in items] == ["q1", "q2"] and items[0].key_facts == [["306"], ["364"]]
    assert items[1].turns == ["How many?"]
    path.write_text(json.dumps(rows[0]) + "\n" + json.dumps(rows[0]), encoding="utf-8")
    with pytest.raises(ValueError, match="duplicate id"):
        load_gold(path)


@pytest.mark.parametrize("bad", [{"type": "nope"}, {"answerable": "yes"}, {"key_facts": [[]]}, {"question": None}])
def test_parse_item_rejects_malformed(bad):
    row = {"id": "q", "type": "lookup", "question": "q?", "answerable": True, **bad}
    if bad.get("question", "") is None:
        del row["question"]
    with pytest.raises(ValueError):
        parse_item(row)


# --- runner with a fake assistant ---------------------------------------------------------------

class FakeChat:
    """A conversation that remembers earlier turns and rewrites follow-ups with the first one."""

    def __init__(self, bot):
        self.bot, self.turns = bot, []

    def ask(self, question):
        standalone = f"{self.turns[0]} {question}" if self.turns else question
        self.turns.append(question)
        self.bot.asked.append(question)
        if "unknown" in standalone:
            return Answer(question=question, answer="Not covered.", abstained=True, standalone_question=standalone)
        if "crash" in standalone:
            raise RuntimeError("boom")
        return Answer(question=question, answer="306 children [¶23].", citations=[cite("¶23")],
                      sources=[src("¶23"), src("¶24")], standalone_question=standalone)


class FakeBot:
    """Just the public API the harness uses."""

    def __init__(self):
        self.asked, self.retrieved_for = [], []

    def chat(self):
        return FakeChat(self)

    def retrieve(self, question, k=10):
        self.retrieved_for.append(question)
        return [src("¶23"), src("¶23"), src("¶24")][:k]

    def paragraphs(self):
        return [src(label) for label in KNOWN]


GOLD = [
    item(id="n1", type="numeric", question="How many children?", gold=["¶23"], neighbours=[],
         key_facts=[["306"]]),
    item(id="f1", type="followup", question="And the year before?", turns=["Child protection plans?"],
         gold=["¶23"], neighbours=[], key_facts=[["364"]]),
    item(id="u1", type="unanswerable", question="What about unknown things?", answerable=False, gold=[],
         neighbours=[], key_facts=[]),
    item(id="e1", type="lookup", question="crash please", gold=["¶1"], neighbours=["Missing section"]),
]


def test_run_once_with_fake_bot():
    bot = FakeBot()
    report = run_once(GOLD, bot=bot, progress=False)
    q = {r["id"]: r for r in report["questions"]}
    # a fresh chat per question, earlier turns asked first; retrieval uses the rewritten question
    assert bot.asked == ["How many children?", "Child protection plans?", "And the year before?",
                         "What about unknown things?", "crash please"]
    assert bot.retrieved_for == ["How many children?", "Child protection plans? And the year before?"]
    assert q["n1"]["retrieved"] == ["¶23", "¶24"] and q["n1"]["failures"] == []
    assert q["f1"]["failures"] == ["missing key fact '364'"]
    assert q["u1"]["failures"] == [] and q["u1"]["retrieved"] == []
    assert q["e1"]["failures"][0] == "error: RuntimeError: boom"
    assert report["gold_problems"] == ["e1: unknown label 'Missing section'"]
    assert report["meta"]["known_labels_from"] == "bot.paragraphs()"
    overall = report["summary"]["overall"]["means"]
    assert overall["error_rate"] == 0.25 and overall["abstention_recall"] == 1.0
    json.dumps(report)  # serialisable


def test_known_labels_fallback_without_paragraphs():
    class NoParagraphs(FakeBot):
        paragraphs = None

    report = run_once(GOLD[:1], bot=NoParagraphs(), progress=False)
    assert report["meta"]["known_labels_from"].startswith("labels seen")
    assert report["questions"][0]["metrics"]["citation_validity"] == 1.0


def test_tables_are_aligned_text():
    s = M.summarise(_results())
    table = summary_table(s).splitlines()
    assert table[0].split()[:4] == ["group", "n", "failed", "hit@1"]
    assert [line.split()[0] for line in table[2:]] == ["overall", "numeric", "factoid", "unanswerable"]
    assert len({len(line) for line in table[:2]}) == 1
    assert ablation_table({"dense": s, "bm25": s}).splitlines()[2].startswith("dense")
    assert format_table(["a", "b"], [["x", "1"], ["yy", "10"]]) == "a    b\n--  --\nx    1\nyy  10"
    assert failures_text([r.to_dict() for r in _results()]).startswith("b (numeric)")


def test_cli_run_and_ablation(tmp_path, monkeypatch, capsys):
    import eval.run as run

    made = []
    monkeypatch.setattr(run, "make_assistant",
                        lambda retrieval, reports=None, index_dir=None, **settings: made.append(settings) or FakeBot())
    gold = tmp_path / "gold.jsonl"
    rows = [{"id": i.id, "type": i.type, "question": i.question, "turns": i.turns, "gold": i.gold,
             "neighbours": [], "key_facts": i.key_facts, "reference": "", "answerable": i.answerable}
            for i in GOLD[:3]]
    gold.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    floors = tmp_path / "floors.json"
    floors.write_text(json.dumps({"key_fact_containment": {"min": 0.9}}))

    status = run.main(["--gold", str(gold), "--out", str(tmp_path / "r.json"), "--floors", str(floors), "--limit", "2"])
    out = capsys.readouterr().out
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert status == 1 and report["meta"]["questions"] == 2 and report["violations"]
    assert "SUMMARY" in out and "f1 (followup)" in out and "key_fact_containment = 0.500" in out

    assert run.main(["--gold", str(gold), "--ablation", "--out", str(tmp_path / "a.json")]) == 0
    out = capsys.readouterr().out
    ablation = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert list(ablation["modes"]) == ["dense", "bm25", "hybrid"]
    assert [line.split()[0] for line in out.split("ABLATION")[1].splitlines()[3:6]] == ["dense", "bm25", "hybrid"]

    made.clear()
    assert run.main(["--gold", str(gold), "--sweep-abstention", "0.3,0.6", "--out", str(tmp_path / "s.json")]) == 0
    sweep = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert made == [{"abstain_below": 0.3}, {"abstain_below": 0.6}]
    assert list(sweep["runs"]) == ["abstain_below=0.30", "abstain_below=0.60"]
    assert "abstain_below=0.60" in capsys.readouterr().out.split("SWEEP")[1]
