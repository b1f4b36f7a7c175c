"""Errors raised while reading a report. The base class lives here, upstream of everything else."""


class AssistantError(Exception):
    """Base class: every error the assistant raises on purpose."""


class ReportFormatError(AssistantError, ValueError):
    """The report cannot be ingested as it is (missing, malformed, numbering gaps or repeats)."""
