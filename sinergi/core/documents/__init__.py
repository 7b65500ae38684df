"""The one document toolkit: every CSV, XLSX and PDF Sinergi hands out is written through it.

- `cells`: the safe cell writer (user text never becomes a formula) and CSV lines.
- `columns`: `Column(key, label, kind, width)` declared once per export; labels follow the active
  language, kinds decide number formats (XLSX) and notation (PDF, through `core.formatting`).
- `xlsx.Workbook`: write-only (streaming) workbooks in the shared styles.
- `pdf.Document`: PDFs in the shared styles, with the footer (generation time in the area's zone,
  page number).
- `responses`: a document as a download.

No module outside this package imports openpyxl or reportlab (`core/tests/test_documents.py`).
"""

from sinergi.core.documents.cells import Formula, csv_bytes, csv_lines, csv_stream, formula, safe_cell, safe_row
from sinergi.core.documents.columns import Column, Kind, Table, csv_table, keys, labels, local_moment
from sinergi.core.documents.pdf import Card, Document, Signature
from sinergi.core.documents.responses import attachment, streamed_attachment
from sinergi.core.documents.xlsx import Workbook, single_sheet

__all__ = [
    "Card",
    "Column",
    "Document",
    "Formula",
    "Kind",
    "Signature",
    "Table",
    "Workbook",
    "attachment",
    "csv_bytes",
    "csv_lines",
    "csv_stream",
    "csv_table",
    "formula",
    "keys",
    "labels",
    "local_moment",
    "safe_cell",
    "safe_row",
    "single_sheet",
    "streamed_attachment",
]
