"""Forms parse what an operator types (Indonesian number notation included); services validate."""

import re
import uuid
from decimal import Decimal

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sinergi.core.errors import ValidationFailed
from sinergi.core.money import to_rupiah
from sinergi.grants.models import DisbursementPolicy, EntryKind, SpendingCategory

_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+(,\d{1,2})?$")


def parse_rupiah_input(text: str, *, field: str = "amount") -> Decimal:
    """'Rp 30.422.000.000', '30422000000', '1.250,50' or '1250.50' -> Decimal, exactly."""
    cleaned = (text or "").replace("Rp", "").replace("rp", "").replace(" ", "").replace("\u00a0", "").strip()
    if not cleaned:
        raise ValidationFailed(gettext("jumlah wajib diisi"), field=field)
    if _GROUPED.match(cleaned):
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    return to_rupiah(cleaned, field=field)


class EntryForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis entri"), choices=EntryKind.choices)
    amount = forms.CharField(label=_("Jumlah (Rp)"), required=False, max_length=40)
    entry_date = forms.DateField(label=_("Tanggal"), widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(label=_("Nomor referensi"), max_length=120)
    category = forms.ChoiceField(
        label=_("Kategori belanja"), choices=[("", "—"), *SpendingCategory.choices], required=False
    )
    reverses_seq = forms.IntegerField(label=_("Entri yang dikoreksi (no.)"), required=False, min_value=1)
    note = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    client_id = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, kinds: set[str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if kinds is not None:
            allowed = set(kinds) | ({EntryKind.CORRECTION.value} if kinds else set())
            choices = [(k, label) for k, label in EntryKind.choices if k in allowed]
            self.fields["kind"].choices = choices  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.setdefault("client_id", uuid.uuid4().hex)


class AgreementForm(forms.Form):
    recipient = forms.ChoiceField(label=_("Penerima hibah"))
    election = forms.ChoiceField(label=_("Pemilihan"))
    number = forms.CharField(label=_("Nomor NPHD"), max_length=120)
    signed_on = forms.DateField(label=_("Tanggal penandatanganan"), widget=forms.DateInput(attrs={"type": "date"}))
    amount = forms.CharField(label=_("Nilai NPHD (Rp)"), max_length=40)
    policy = forms.ModelChoiceField(
        label=_("Pola pencairan"), queryset=DisbursementPolicy.objects.all(), to_field_name="code"
    )
    budget_years = forms.CharField(
        label=_("Alokasi per tahun anggaran"),
        required=False,
        help_text=_("mis. 2023: 30.422.000.000; 2024: 45.633.000.000 (kosong = seluruhnya tahun NPHD)"),
        max_length=300,
    )
    note = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, recipients=(), elections=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipient"].choices = list(recipients)  # type: ignore[attr-defined]
        self.fields["election"].choices = list(elections)  # type: ignore[attr-defined]


class AmendForm(forms.Form):
    number = forms.CharField(label=_("Nomor adendum"), max_length=120)
    signed_on = forms.DateField(label=_("Tanggal adendum"), widget=forms.DateInput(attrs={"type": "date"}))
    amount = forms.CharField(label=_("Nilai baru (Rp)"), max_length=40)
    policy = forms.ModelChoiceField(
        label=_("Pola pencairan baru"),
        queryset=DisbursementPolicy.objects.all(),
        to_field_name="code",
        required=False,
        help_text=_("kosong = tetap"),
    )
    budget_years = forms.CharField(label=_("Alokasi per tahun anggaran"), required=False, max_length=300)
    note = forms.CharField(label=_("Alasan adendum"), widget=forms.Textarea(attrs={"rows": 2}))


class RatificationForm(forms.Form):
    election = forms.CharField(widget=forms.HiddenInput, max_length=80)
    proposed_on = forms.DateField(
        label=_("Tanggal usulan pengesahan pasangan terpilih"), widget=forms.DateInput(attrs={"type": "date"})
    )
    source = forms.CharField(label=_("Dasar (nomor surat/sumber)"), required=False, max_length=300)


def parse_budget_years(text: str) -> list[tuple[int, Decimal]] | None:
    """'2023: 30.422.000.000; 2024: 45.633.000.000' -> [(2023, ...), (2024, ...)]."""
    if not (text or "").strip():
        return None
    pairs = []
    for part in text.split(";"):
        if not part.strip():
            continue
        year, sep, value = part.partition(":")
        year = year.strip()
        # ASCII digits only: '²⁰²³'.isdigit() is True but int() refuses it; a fiscal year has four digits.
        if not sep or not (year.isascii() and year.isdigit() and len(year) == 4):
            raise ValidationFailed(gettext("'%(part)s' bukan 'tahun: jumlah'") % {"part": part.strip()}, field="budget_years")
        pairs.append((int(year), parse_rupiah_input(value, field="budget_years")))
    return pairs
