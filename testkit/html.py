"""Reading what a page shows, for tests: the text of an element by id, and a table's rows as cell texts.

A query-count test pins how many queries a page costs; with these it also pins what the page shows,
so it fails if the rows stop rendering (which would also make the page cheaper)."""

from html.parser import HTMLParser

BLOCK = {"br", "div", "p", "li", "ul", "ol", "section", "h1", "h2", "h3", "h4", "small"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []  # (tag, id) of the open elements
        self.texts: dict[str, list[str]] = {}  # id -> text chunks inside it
        self.tables: dict[str, list[list[str]]] = {}  # table id -> rows of cell texts
        self.heads: dict[str, set[int]] = {}  # table id -> indexes of rows with header cells only
        self.table: str | None = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCK:
            self.handle_data(" ")  # a new line on the page is a space in the text
        element_id = dict(attrs).get("id")
        if tag == "table" and element_id:
            self.table = element_id
            self.tables[element_id] = []
            self.heads[element_id] = set()
        elif self.table and tag == "tr":
            self.tables[self.table].append([])
            self.heads[self.table].add(len(self.tables[self.table]) - 1)
        elif self.table and tag in ("td", "th"):
            self.cell = []
            if tag == "td":
                self.heads[self.table].discard(len(self.tables[self.table]) - 1)
        if tag not in VOID:
            self.stack.append((tag, element_id))
            if element_id:
                self.texts.setdefault(element_id, [])

    def handle_endtag(self, tag: str) -> None:
        if self.table and tag in ("td", "th") and self.cell is not None:
            rows = self.tables[self.table]
            if rows:
                rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "table":
            self.table = None
        while self.stack:
            open_tag, _id = self.stack.pop()
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        for _tag, element_id in self.stack:
            if element_id:
                self.texts[element_id].append(data)
        if self.cell is not None:
            self.cell.append(data)


def _collect(html: str | bytes) -> _Collector:
    collector = _Collector()
    collector.feed(html.decode() if isinstance(html, bytes) else html)
    return collector


def text_of(html: str | bytes, element_id: str) -> str:
    """The text inside the element with this id, whitespace collapsed ("" when there is none)."""
    chunks = _collect(html).texts.get(element_id)
    if chunks is None:
        raise AssertionError(f"no element with id {element_id!r} in the page")
    return " ".join("".join(chunks).split())


def table_rows(html: str | bytes, table_id: str, *, header: bool = False) -> list[list[str]]:
    """The rows of the table with this id as lists of cell texts; rows of header cells only are left
    out unless `header`."""
    collected = _collect(html)
    if table_id not in collected.tables:
        raise AssertionError(f"no table with id {table_id!r} in the page")
    heads = collected.heads[table_id]
    return [row for i, row in enumerate(collected.tables[table_id]) if row and (header or i not in heads)]
