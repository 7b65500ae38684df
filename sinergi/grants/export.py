"""The XLSX a regency finance office (BPKAD) recognises: a recap per recipient with the NPHD,
budget years, disbursed, realised, returned and balance, a total row with SUM formulas, the
disbursement schedule and the reconciliation, and a signature block.

Written through the document toolkit (`core.documents`): headers in the reader's language, rupiah and
dates as typed cells, and user text (a recipient's name, an NPHD number, a figure's source) never a
formula. The only formulas are the ones this module builds from cell coordinates (`_formula`),
checked against a closed grammar.
"""

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from sinergi.core import formatting
from sinergi.core.documents import Column, Formula, Kind, Workbook, formula
from sinergi.grants.models import Tranche

T, R, F, D = Kind.TEXT, Kind.RUPIAH, Kind.FRACTION, Kind.DATE
STATUS = {
    "upcoming": gettext_lazy("Belum jatuh tempo"),
    "due": gettext_lazy("Segera jatuh tempo"),
    "paid": gettext_lazy("Lunas"),
    "late": gettext_lazy("Terlambat"),
}
RECAP = [
    Column("no", gettext_lazy("No."), Kind.INTEGER, 5),
    Column("recipient", gettext_lazy("Penerima Hibah"), T, 34),
    Column("number", gettext_lazy("Nomor NPHD"), T, 26),
    Column("signed_on", gettext_lazy("Tanggal NPHD"), D, 13),
    Column("election", pgettext_lazy("kolom", "Pemilihan"), T, 28),
    Column("amount", gettext_lazy("Nilai NPHD (Rp)"), R, 20),
    Column("disbursed", gettext_lazy("Disalurkan (Rp)"), R, 20),
    Column("spent", gettext_lazy("Realisasi Belanja (Rp)"), R, 20),
    Column("refunded", gettext_lazy("Dikembalikan ke Kas Daerah (Rp)"), R, 20),
    Column("balance", gettext_lazy("Sisa Dana (Rp)"), R, 20),
    Column("disbursed_share", gettext_lazy("% Penyaluran"), F, 11),
    Column("spent_share", gettext_lazy("% Penyerapan"), F, 11),
    Column("next_tranche", gettext_lazy("Tahap Berikutnya"), T, 30),
]
SCHEDULE = [
    Column("recipient", gettext_lazy("Penerima Hibah"), T, 34),
    Column("number", gettext_lazy("Nomor NPHD"), T, 26),
    Column("tranche", gettext_lazy("Tahap"), T, 18),
    Column("share", gettext_lazy("Persentase"), F, 11),
    Column("amount", gettext_lazy("Jumlah (Rp)"), R, 20),
    Column("due_on", gettext_lazy("Batas Waktu"), D, 13),
    Column("rule", gettext_lazy("Dasar"), T, 46),
    Column("status", gettext_lazy("Status"), T, 20),
]
RECONCILIATION = [
    Column("figure", gettext_lazy("Angka"), T, 46),
    Column("kind", gettext_lazy("Jenis"), T, 24),
    Column("amount", gettext_lazy("Jumlah (Rp)"), R, 20),
    Column("system_amount", gettext_lazy("Menurut NPHD di sistem (Rp)"), R, 22),
    Column("gap", gettext_lazy("Selisih (Rp)"), R, 20),
    Column("source", gettext_lazy("Sumber"), T, 10),
    Column("note", gettext_lazy("Keterangan"), T, 60),
]
SIGNATURE_COLUMN = 11  # under the percentages, as the BPKAD form has it
# Formulas this module writes itself: cell references, SUM, IF, arithmetic and comparisons; nothing else.
OWN_FORMULA = re.compile(r"=(?:[A-J][0-9]{1,7}(?::[A-J][0-9]{1,7})?|SUM|IF|[0-9()+\-*/=,])+")


def _formula(text: str) -> Formula:
    return formula(text, OWN_FORMULA)


def workbook_bytes(data: Any, *, today: dt.date, reconciliation: list) -> bytes:
    book = Workbook()
    _recap(book, data, today)
    _schedule(book, data)
    _reconciliation(book, reconciliation)
    return book.to_bytes()


def _recap(book: Workbook, data: Any, today: dt.date) -> None:
    heading = [
        _("PEMERINTAH %(area)s") % {"area": data.area.name.upper()},
        _("REKAPITULASI PENYALURAN DAN REALISASI BELANJA HIBAH PILKADA"),
        _("Keadaan per %(date)s") % {"date": formatting.date(today)},
    ]
    sheet = book.sheet(_("Rekapitulasi"), RECAP, heading=heading, freeze_columns=2, boxed=True)
    first = sheet.row_number + 1
    for index, row in enumerate(data.rows, start=1):
        r = sheet.row_number + 1
        a = row.agreement
        sheet.row(
            [
                index,
                a.recipient.name,
                a.number,
                a.signed_on,
                a.election.name,
                a.amount,
                a.disbursed,
                a.spent,
                a.refunded,
                _formula(f"=G{r}-H{r}-I{r}"),
                _formula(f"=IF(F{r}=0,0,G{r}/F{r})"),
                _formula(f"=IF(G{r}=0,0,H{r}/G{r})"),
                _next_tranche(row.next_tranche),
            ]
        )
    last, total = sheet.row_number, sheet.row_number + 1
    sheet.row(
        [
            "",
            _("JUMLAH"),
            "",
            None,
            "",
            *[_formula(f"=SUM({c}{first}:{c}{last})") for c in "FGHIJ"],
            _formula(f"=IF(F{total}=0,0,G{total}/F{total})"),
            _formula(f"=IF(G{total}=0,0,H{total}/G{total})"),
            "",
        ],
        bold=True,
    )
    lines = [_("Mengetahui,"), _("Kepala BPKAD"), "", "", "", "(................................)", "NIP. ..................."]
    sheet.signature(lines, column=SIGNATURE_COLUMN)


def _next_tranche(nxt: Any) -> str:
    if not nxt:
        return _("Seluruh tahap lunas")
    return f"{nxt.label}, {formatting.date(nxt.due_on, short=True)} ({STATUS[nxt.status]})"


def _schedule(book: Workbook, data: Any) -> None:
    sheet = book.sheet(
        _("Jadwal Pencairan"), SCHEDULE, heading=[_("JADWAL PENCAIRAN HIBAH PILKADA"), data.area.name], boxed=True
    )
    by_id = {row.agreement.pk: row.agreement for row in data.rows}
    for t in Tranche.objects.filter(agreement_id__in=list(by_id)).order_by("agreement_id", "seq"):
        a = by_id[t.agreement_id]
        status = _("Lunas") if t.cumulative <= a.disbursed else _("Belum lunas")
        sheet.row([a.recipient.name, a.number, t.label, t.share_pct / Decimal(100), t.amount, t.due_on, t.rule, status])


def _reconciliation(book: Workbook, lines: list) -> None:
    sheet = book.sheet(
        _("Rekonsiliasi"), RECONCILIATION, heading=[_("REKONSILIASI ANGGARAN HIBAH PILKADA")], boxed=True
    )
    for line in lines:
        f = line.figure
        note = f"{f.source} {f.note}".strip()
        sheet.row([f.label, f.get_kind_display(), f.amount, line.system_amount, line.gap, f.source_key, note])
