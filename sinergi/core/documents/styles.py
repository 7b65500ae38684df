"""The look every Sinergi document shares, as plain values both writers read."""

HEADER_FILL = "E6EDF2"  # the header row, in a workbook and a PDF table
GRID = "999999"  # cell borders and table grid lines
STATUS_TINTS = {"ok": "DCEDC8", "warn": "FFE082", "bad": "EF9A9A"}  # a status cell's background

TITLE_SIZE = 13  # the first title line of a sheet
SUBTITLE_SIZE = 11

# PDF, in points (1 cm = 28.35 pt)
CM = 28.3465
MARGIN = 1.8 * CM
NARROW_MARGIN = 1.2 * CM
FONT = "Helvetica"
BOLD_FONT = "Helvetica-Bold"
BODY_SIZE, SMALL_SIZE, TINY_SIZE, FOOTER_SIZE = 9.5, 8.5, 7.5, 8
H1_SIZE, H2_SIZE = 14, 11.5
