"""The cited paragraph's page of a report's PDF (ui/pdf_page.py), on PDFs written here with pypdfium2."""

from __future__ import annotations

import io
import sys
from pathlib import Path

if str(Path(__file__).resolve().parents[2]) not in sys.path:  # the app's own packages (ui/)
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PIL import Image
from test_pdf import make_pdf

from assistant import Settings
from ui.pdf_page import find_page, page_png, pdf_of

WORDS = Settings().page_search_words


def _report(tmp_path: Path) -> Path:
    return make_pdf(tmp_path / "report.pdf", [
        [(72, 100, 11, "Summary of findings")],
        [(72, 100, 11, "46. Care proceedings took 28 weeks on average,"),
         (72, 114, 11, "compared with 30 weeks in London and 29 weeks in")],
        [(72, 100, 11, "Board¹ members challenge each other well and the board"),
         (72, 114, 11, "meets every month to review cases.")],
    ])


def test_the_page_holding_a_paragraph_is_found_by_its_first_words(tmp_path):
    pdf = _report(tmp_path)
    paragraph = ("Care proceedings took 28 weeks on average, compared with 30 weeks in London and "
                 "29 weeks in England.")  # the text as indexed: no paragraph number, lines joined
    assert find_page(pdf, paragraph, WORDS) == 2
    board = "Board members challenge each other well and the board meets every month to review cases."
    assert find_page(pdf, board, WORDS) == 3  # past a footnote mark and a line break
    assert find_page(pdf, "Nothing like this sentence is printed in the report at all.", WORDS) is None
    assert find_page(pdf, "", WORDS) is None


def test_a_page_is_drawn_as_a_png_of_its_size(tmp_path):
    png = page_png(_report(tmp_path), 2, 1.0)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == (595, 842)


def test_only_a_pdf_that_is_there_has_pages(tmp_path):
    assert pdf_of(str(_report(tmp_path))) == tmp_path / "report.pdf"
    assert pdf_of(str(tmp_path / "missing.pdf")) is None
    assert pdf_of("data/ealing-2016.md") is None
    assert pdf_of("") is None
