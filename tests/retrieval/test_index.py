"""The Chroma index: windows map back to one passage, re-ingest replaces, later sentences are found."""

from __future__ import annotations

import json

import pytest

from assistant.retrieval.passage_windows import windows_of
from ingest import parse_report
from tests.conftest import REPORT

pytestmark = pytest.mark.slow  # builds a real index (~10-30 s on 2 cores)


@pytest.fixture(scope="module")
def parsed():
    return parse_report(REPORT)


def test_windows_map_back_to_one_passage(parsed):
    long_one = max(parsed.paragraphs, key=lambda p: p.tokens)
    windows = windows_of(long_one)
    assert len(windows) > 5
    assert {w.metadata["label"] for w in windows} == {long_one.label}
    assert len({w.id for w in windows}) == len(windows)


def test_reingest_replaces_and_never_duplicates(fresh_bot):
    first = fresh_bot.ingest(REPORT)
    count = fresh_bot.index.count()
    assert count == first.windows
    assert fresh_bot.ingest(REPORT).outcome == "unchanged"  # the same report again: nothing to do
    assert fresh_bot.index.count() == count
    again = fresh_bot.ingest_many([REPORT], force=True).indexed
    assert fresh_bot.index.count() == count == again[0].windows
    assert len(fresh_bot.paragraphs()) == first.passages == 154  # 143 numbered, 11 named (two: sub-judgements)
    assert fresh_bot.index.reports()["ealing-2016-08-26"]["numbered"] == 143


def test_an_improved_parser_re_reads_unchanged_files(fresh_bot):
    assert [r.report for r in fresh_bot.ingest_many([REPORT]).indexed] == ["ealing-2016-08-26"]
    count = fresh_bot.index.count()
    assert fresh_bot.ingest_many([REPORT]).skipped == [REPORT]  # unchanged file, same parser: nothing to do
    # As if indexed by an older parser (another process, as writers do): the digest stored names another parser version.
    entry = {**fresh_bot.index.reports()["ealing-2016-08-26"], "sha256": "digest with an older parser version"}
    other = fresh_bot.index.reopened()
    other.manifest.upsert(ids=["ealing-2016-08-26"], documents=[json.dumps(entry)], embeddings=[[0.0]])
    other._stamp()
    assert [r.report for r in fresh_bot.ingest_many([REPORT]).indexed] == ["ealing-2016-08-26"]
    assert fresh_bot.index.count() == count  # replaced, not added


def test_a_paragraph_is_found_by_a_late_sentence(bot):
    from ingest import split_sentences

    # A sentence that starts past the 256 word pieces the model reads of a paragraph's opening window.
    longest = max(bot.paragraphs(), key=lambda p: bot.embeddings.count_word_pieces(p.text))
    sentences = split_sentences(longest.text)
    late = next(
        s for s in sentences if bot.embeddings.count_word_pieces(longest.text[: longest.text.index(s)]) > 256
    )
    assert bot.retriever.dense(late)[0][0] == f"ealing-2016-08-26:{longest.label}"


def test_index_is_built_on_first_use(tmp_path, embeddings):
    from assistant import Assistant, Settings

    bot = Assistant(Settings(index_dir=tmp_path / "new-index"), embeddings=embeddings)
    assert bot.info()["reports"] == ["ealing-2016-08-26"]
    assert (tmp_path / "new-index").is_dir()


def test_passages_are_read_in_pages(fresh_bot, monkeypatch):
    monkeypatch.setattr("assistant.retrieval.index.READ_PAGE", 40)
    fresh_bot.ingest(REPORT)
    labels = [p.label for p in fresh_bot.index.paragraphs()]
    assert len(labels) == len(set(labels)) == 154


def test_words_are_stored_once_and_found_by_meaning(fresh_bot):
    index = fresh_bot.index
    assert index.words.add(["dental", "housing", "training"]) == 3
    assert index.words.add(["dental", "housing", "adoption"]) == 1  # only the new one is embedded
    nearest, similarity = index.words.nearest(fresh_bot.embeddings.embed_query("teeth"), 1)[0]
    assert nearest == "dental" and similarity > 0.7


def test_a_passage_opening_is_read_by_id(bot):
    report = bot.paragraphs()[0].report
    _, openings = bot.index.read_passages(report, ["¶38", "¶39", "¶9999"], {"¶38": 3, "¶39": 3, "¶9999": 3})
    assert set(openings) == {"¶38", "¶39"}  # a label the report lacks has none
    assert all(len(vector) == 384 for vector in openings.values())


class _CountedReads:
    """A Chroma collection that counts whole reads of its documents."""

    def __init__(self, collection):
        self.collection, self.reads = collection, 0

    def get(self, *args, **kwargs):
        self.reads += kwargs.get("include") == ["documents"] and not kwargs.get("ids")
        return self.collection.get(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.collection, name)


def test_the_manifest_is_read_again_only_when_the_index_changed(fresh_bot):
    fresh_bot.ingest(REPORT)
    index = fresh_bot.index
    index.manifest = counted = _CountedReads(index.manifest)
    report = next(iter(index.reports()))
    assert index.reports() == index.reports() and counted.reads == 0  # its own write left it known
    index.reopened().remove_report(report)  # another writer changes the index
    assert report not in index.reports() and counted.reads == 1


def test_a_sentence_window_keeps_no_text_and_is_read_back_from_its_passage(fresh_bot):
    from ingest import split_sentences

    bot = fresh_bot
    bot.ingest(REPORT)
    passage = next(p for p in bot.paragraphs() if p.label == "¶38")
    stored = bot.index.store.get(where={"$and": [{"report": passage.report}, {"label": "¶38"}]}, include=["documents"])
    assert sorted(doc is None for doc in stored["documents"]) == [False] + [True] * (len(stored["ids"]) - 1)
    sentences, _ = bot.index.read_passages(passage.report, ["¶38"])
    assert [text for _, text, _, _ in sorted(sentences, key=lambda s: s[2])] == split_sentences(passage.text)


def test_a_search_within_reports_compares_their_windows_exactly(bot):
    """Read by id and compared one by one, a report's windows rank as the HNSW index ranks them."""
    from assistant.retrieval.retrieve import PassageRetriever

    report = bot.paragraphs()[0].report
    retriever = bot.retriever
    through_hnsw = PassageRetriever(index=retriever.index, keyword=retriever.keyword, exact_search_windows=0)
    for question in ("How long did care proceedings take?", "What do care leavers say about their accommodation?"):
        vector = bot.embeddings.embed_query(question)
        exact, approximate = retriever.dense(question, vector, [report]), through_hnsw.dense(question, vector, [report])
        assert [key for key, _ in exact[:5]] == [key for key, _ in approximate[:5]]
        assert exact[0][1] == pytest.approx(approximate[0][1], abs=1e-4)
    # the ids name every window of the report, and each exists
    ids = [window for window, _ in retriever._window_ids(report)]
    assert len(bot.index.store.get(ids=ids, include=[])["ids"]) == len(ids)
    assert len(ids) == len(bot.index.store.get(where={"report": report}, include=[])["ids"])


def test_bm25_scores_are_rank_bm25s_okapi():
    from rank_bm25 import BM25Okapi

    from assistant.retrieval.keyword import OkapiScores

    docs = [["care", "leaver", "housing", "housing"], ["care", "plan"], ["adoption", "care", "panel"], ["care"],
            ["housing", "officer", "care", "leaver", "leaver"]]
    reference, ours = BM25Okapi(docs), OkapiScores(docs)
    for query in (["housing"], ["care"], ["care", "leaver", "leaver"], ["absent"], ["adoption", "housing"]):
        assert ours.scores(query) == pytest.approx(reference.get_scores(query), abs=1e-12)
