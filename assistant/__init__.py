"""Ask questions of Ofsted children's services reports; every claim cites its paragraph."""

from assistant.core import Assistant
from assistant.retrieval.ingesting import IngestResult, IngestSummary
from assistant.conversation import Conversation
from assistant.errors import AssistantError, IndexUnavailable, InvalidQuestion, ModelUnavailable, ReportFormatError
from assistant.settings import Settings
from assistant.types import Answer, Citation, Source

__all__ = [
    "Answer",
    "Assistant",
    "AssistantError",
    "Citation",
    "Conversation",
    "IndexUnavailable",
    "IngestResult",
    "IngestSummary",
    "InvalidQuestion",
    "ModelUnavailable",
    "ReportFormatError",
    "Settings",
    "Source",
]
