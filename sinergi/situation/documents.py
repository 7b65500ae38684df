"""The daily situation report as PDF and XLSX, rendered from a snapshot (plain data, no ORM),
through the document toolkit (`core.documents`)."""

from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from sinergi.core import formatting
from sinergi.core.documents import Column, Document, Kind, Workbook

T, N = Kind.TEXT, Kind.NUMBER
STATUS = {
    "ok": gettext_lazy("Baik"),
    "warn": gettext_lazy("Perlu perhatian"),
    "bad": gettext_lazy("Buruk"),
    "info": "",
}
SECTION = [
    Column("metric", gettext_lazy("Ukuran"), width=9.5),
    Column("value", pgettext_lazy("kolom", "Nilai"), width=4),
    Column("status", gettext_lazy("Keadaan"), width=3.9),
]
ATTENTION = [
    Column("no", gettext_lazy("No."), Kind.INTEGER, 1),
    Column("urgency", gettext_lazy("Urgensi"), Kind.INTEGER, 1.6),
    Column("title", gettext_lazy("Hal"), width=9.5),
    Column("area_code", gettext_lazy("Wilayah"), width=3),
    Column("module", pgettext_lazy("kolom", "Modul"), width=2.3),
]
VERDICTS = [
    Column("module", pgettext_lazy("kolom", "Modul"), width=4),
    Column("level", gettext_lazy("Keadaan"), width=3),
    Column("reason", gettext_lazy("Alasan"), width=10.4),
]
VERDICT_TINTS = {"ready": "ok", "attention": "warn", "trouble": "bad"}
SUMMARY_SHEET = [
    Column("module", pgettext_lazy("kolom", "Modul"), T, 24),
    Column("metric", gettext_lazy("Ukuran"), T, 48),
    Column("value", pgettext_lazy("kolom", "Nilai"), N, 16),
    Column("unit", gettext_lazy("Satuan"), T, 10),
    Column("status", gettext_lazy("Keadaan"), T, 16),
]
ATTENTION_SHEET = [
    Column("urgency", gettext_lazy("Urgensi"), Kind.INTEGER, 10),
    Column("title", gettext_lazy("Hal"), T, 60),
    Column("detail", gettext_lazy("Keterangan"), T, 50),
    Column("area_code", gettext_lazy("Wilayah"), T, 18),
    Column("module", pgettext_lazy("kolom", "Modul"), T, 14),
]




def report_title(snapshot: dict[str, Any]) -> str:
    return _("Laporan Situasi Harian %(area)s") % {"area": snapshot["area"]["name"]}


def report_pdf(snapshot: dict[str, Any]) -> bytes:
    area = snapshot["area"]
    doc = Document(report_title(snapshot), area_code=area["code"], footer=_footer_text(snapshot))
    doc.heading(_("LAPORAN SITUASI HARIAN"), f"{area['name']} ({area['code']})")
    doc.text(_heading_line(snapshot))
    doc.space()
    _verdicts(doc, snapshot.get("verdicts") or [])
    if not snapshot["sections"]:
        doc.text(_("Belum ada data dari modul mana pun untuk wilayah ini."))
    for section in snapshot["sections"]:
        _section(doc, section)
    _attention(doc, snapshot["attention"], snapshot)
    _children(doc, snapshot)
    if snapshot["failed"]:
        modules = ", ".join(_module_label(snapshot, m) for m in snapshot["failed"])
        missing = _("Data modul berikut tidak tersedia saat laporan dibuat: %(modules)s") % {"modules": modules}
        doc.text(missing, small=True)
    return doc.to_bytes()


def _footer_text(snapshot: dict[str, Any]) -> str:
    return f"{report_title(snapshot)} · {_date_text(snapshot['date'])}"


def _heading_line(snapshot: dict[str, Any]) -> str:
    line = _("Tanggal %(date)s · %(phase)s") % {"date": _date_text(snapshot["date"]), "phase": snapshot["phase_label"]}
    if snapshot["days_to_vote"] is not None and snapshot["phase"] == "before":
        line += f" · H-{snapshot['days_to_vote']} ({_date_text(snapshot['next_voting_date'])})"
    return line


def _date_text(iso: str | None) -> str:
    if not iso:
        return formatting.MISSING
    return formatting.date(date.fromisoformat(iso[:10]), short=True)


def _verdicts(doc: Document, verdicts: list[dict[str, Any]]) -> None:
    if not verdicts:
        return
    tints = {(1, i): VERDICT_TINTS.get(v["level"], "") for i, v in enumerate(verdicts, 1)}
    doc.subheading(_("Kesiapan per modul"))
    doc.table(VERDICTS, [[v["label"], v["level_label"], v["reason"]] for v in verdicts], tints=tints)


def _section(doc: Document, section: dict[str, Any]) -> None:
    title = section["label"] + (" " + _("(hari pemungutan)") if section["live"] else "")
    rows = [[m["label"], formatting.quantity(m["value"], m["unit"]), STATUS.get(m["status"], "")] for m in section["metrics"]]
    tints = {(2, i): m["status"] for i, m in enumerate(section["metrics"], 1)}
    doc.subheading(title)
    doc.table(SECTION, rows, tints=tints)


def _module_label(snapshot: dict[str, Any], module: str) -> str:
    """A module's label as the room gave it (reports filed before labels were kept show the name)."""
    return str(snapshot.get("module_labels", {}).get(module, module))


def _attention(doc: Document, items: list[dict[str, Any]], snapshot: dict[str, Any]) -> None:
    doc.subheading(_("Perlu perhatian sekarang"))
    if not items:
        doc.text(_("Tidak ada."))
        return
    rows = []
    for i, a in enumerate(items, 1):
        text = a["title"] + (f" — {a['detail']}" if a["detail"] else "")
        rows.append([i, a["urgency"], text, a["area_code"], _module_label(snapshot, a["module"])])
    doc.table(ATTENTION, rows)


def _children(doc: Document, snapshot: dict[str, Any]) -> None:
    layers, children = snapshot["layers"], snapshot["children"]
    if not layers or not children:
        return
    share = 12.4 / len(layers)
    columns = [Column("name", _("Wilayah"), width=5), *[Column(x["key"], x["label"], width=share) for x in layers]]
    rows = [[c["name"], *[formatting.quantity(c["values"].get(x["key"]), x["unit"]) for x in layers]] for c in children]
    doc.subheading(_("Per wilayah di bawahnya"))
    doc.table(columns, rows)


def report_xlsx(snapshot: dict[str, Any]) -> bytes:
    book = Workbook()
    summary = book.sheet(_("Ringkasan"), SUMMARY_SHEET, heading=[report_title(snapshot), _heading_line(snapshot)])
    for section in snapshot["sections"]:
        for m in section["metrics"]:
            summary.row([section["label"], m["label"], m["value"], m["unit"], str(STATUS.get(m["status"], ""))])
    attention = book.sheet(_("Perlu perhatian"), ATTENTION_SHEET)
    for a in snapshot["attention"]:
        attention.row([a["urgency"], a["title"], a["detail"], a["area_code"], _module_label(snapshot, a["module"])])
    layers = [Column(x["key"], x["label"], N, 16) for x in snapshot["layers"]]
    columns = [Column("code", _("Kode"), T, 16), Column("name", _("Wilayah"), T, 34), *layers]
    children = book.sheet(_("Per wilayah"), columns, freeze_columns=2)
    for c in snapshot["children"]:
        children.row([c["code"], c["name"], *[c["values"].get(x["key"]) for x in snapshot["layers"]]])
    return book.to_bytes()
