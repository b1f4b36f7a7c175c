"""Report → parse → paragraphs: turn an Ofsted report into citable passages."""

from ingest.files import iter_report_files, parse_path
from ingest.markdown import ParsedReport, parse_markdown, parse_report
from ingest.records import INSPECTION_DETAILS, JUDGEMENTS, PARSER_VERSION, Paragraph
from ingest.sentences import split_sentences
from ingest.tokens import count_tokens

__all__ = [
    "INSPECTION_DETAILS",
    "JUDGEMENTS",
    "PARSER_VERSION",
    "Paragraph",
    "ParsedReport",
    "count_tokens",
    "iter_report_files",
    "parse_markdown",
    "parse_path",
    "parse_report",
    "split_sentences",
]
