"""The order annex (lampiran surat perintah) of one unit as XLSX and PDF, through the document
toolkit (`core.documents`): one column declaration for both, headers in the reader's language."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinergi.core.documents import Column, Document, Workbook
from sinergi.core.documents.styles import CM
from sinergi.deployment.selectors import AnnexPost

COLUMNS = [
    Column("post", gettext_lazy("Pos"), width=6),
    Column("kecamatan", gettext_lazy("Kecamatan"), width=14),
    Column("class", gettext_lazy("Kelas"), width=11),
    Column("tps", gettext_lazy("TPS"), width=30),
    Column("demand", gettext_lazy("Kebutuhan P/T/L"), width=12),
    Column("shortfall", gettext_lazy("Kekurangan P/T/L"), width=12),
    Column("people", gettext_lazy("Personel"), width=52),
]


@dataclass(frozen=True)
class AnnexMeta:
    plan_title: str
    plan_label: str  # e.g. "#3 v1 · Disetujui"
    unit_name: str
    area_name: str
    area_code: str = "ID"  # the plan's area: the zone of the generation time


def _title(meta: AnnexMeta) -> str:
    return _("Lampiran rencana pengamanan TPS: %(unit)s") % {"unit": meta.unit_name}


def _subtitle(meta: AnnexMeta) -> str:
    return f"{meta.plan_title} ({meta.plan_label}) · {meta.area_name}"


def _people_text(post: AnnexPost) -> str:
    lines = []
    for p in post.people:
        line = f"{p['count']} {p['kind']} {p['unit']} ({p['pool']})"
        if p["desa"]:
            line += " " + _("desa %(name)s") % {"name": p["desa"]}
        if p["names"]:
            line += ": " + "; ".join(p["names"])
        lines.append(line)
    return "\n".join(lines)


def _row(post: AnnexPost) -> list:
    p = post.post
    return [
        p.number,
        p.kecamatan.name,
        p.get_tps_class_display(),
        ", ".join(code for code, _name in p.tps),
        f"{p.demand_polri}/{p.demand_tni}/{p.demand_linmas}",
        f"{p.short_polri}/{p.short_tni}/{p.short_linmas}",
        _people_text(post),
    ]


def annex_xlsx(meta: AnnexMeta, posts: list[AnnexPost]) -> bytes:
    book = Workbook()
    # Names and titles typed by users go through the toolkit's cell writer: never a formula.
    sheet = book.sheet(_("Lampiran"), COLUMNS, heading=[_title(meta), _subtitle(meta)], wrap=True)
    sheet.rows(_row(post) for post in posts)
    return book.to_bytes()


def annex_pdf(meta: AnnexMeta, posts: list[AnnexPost]) -> bytes:
    doc = Document(
        _("Lampiran %(unit)s") % {"unit": meta.unit_name}, area_code=meta.area_code, wide=True, margin=1.2 * CM
    )
    doc.heading(_title(meta))
    doc.text(_subtitle(meta))
    doc.space(0.4 * CM)
    if posts:
        doc.table(COLUMNS, [_row(post) for post in posts])
    else:
        doc.text(_("Tidak ada pos untuk satuan ini."))
    return doc.to_bytes()
