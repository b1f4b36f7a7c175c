"""Errors grouped by who must act; only the CLI and the app turn them into messages for people."""

from ingest.errors import AssistantError, ReportFormatError

__all__ = ["AssistantError", "IndexUnavailable", "InvalidQuestion", "ModelUnavailable", "ReportFormatError"]


class InvalidQuestion(AssistantError, ValueError):
    """The user must rephrase: empty, too long, or not a question we can take."""


class IndexUnavailable(AssistantError, RuntimeError):
    """The operator must act: the index is missing, damaged or unreachable."""


class ModelUnavailable(AssistantError, RuntimeError):
    """The operator must act: the configured chat model cannot be built (unknown provider, missing package or key)."""
