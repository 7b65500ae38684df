"""Parsing page forms into service arguments (the checklist form is built from the instrument's rows)."""

import datetime as dt
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from sinergi.core.csvfile import is_ascii_number
from sinergi.core.errors import ValidationFailed
from sinergi.risk.models import AnswerType, Indicator, Instrument, SecurityClass
from sinergi.risk.schemes import MAX_COUNT


def answers_from_post(data: QueryDict, indicators: list[Indicator]) -> dict[str, Any]:
    """{code: {"yes", "count"}} from fields `a-<code>` (ya/tidak) and `n-<code>` (count)."""
    answers: dict[str, Any] = {}
    for indicator in indicators:
        choice = data.get(f"a-{indicator.code}", "")
        raw_count = data.get(f"n-{indicator.code}", "").strip()
        count = None
        if indicator.answer_type == AnswerType.COUNT and raw_count:
            # ASCII digits only: `isdigit()` is true for "²", which `int()` refuses (a 500), and a
            # number of thousands of digits is refused by `int()` too.
            if not is_ascii_number(raw_count) or len(raw_count) > len(str(MAX_COUNT)) or int(raw_count) > MAX_COUNT:
                raise ValidationFailed(_("indikator %(code)s: jumlah harus bilangan bulat") % {"code": indicator.code}, field=indicator.code)
            count = int(raw_count)
        if choice not in ("ya", "tidak") and count is None:
            raise ValidationFailed(_("indikator %(code)s belum dijawab") % {"code": indicator.code}, field=indicator.code)
        # For count indicators a filled-in count decides; the ya/tidak choice is only a shortcut.
        yes = count > 0 if count is not None else choice == "ya"
        if indicator.answer_type == AnswerType.COUNT and count is None:
            count = 1 if yes else 0
        answers[indicator.code] = {"yes": yes, "count": count}
    return answers


class RoundForm(forms.Form):
    instrument = forms.ModelChoiceField(
        queryset=Instrument.objects.filter(kind="tps"), label=_("Instrumen"), empty_label=None
    )
    area_code = forms.CharField(label=_("Kode wilayah"), max_length=20)
    name = forms.CharField(label=_("Nama putaran"), max_length=200)
    slug = forms.SlugField(label=_("Kode putaran"), max_length=80)
    window_start = forms.DateField(label=_("Mulai pengumpulan"), initial=dt.date(2024, 11, 10))
    window_end = forms.DateField(label=_("Akhir pengumpulan"), initial=dt.date(2024, 11, 15))


class OverrideForm(forms.Form):
    security_class = forms.ChoiceField(
        label=_("Kelas pengamanan"),
        choices=[("", _("(hapus penetapan manual)")), *SecurityClass.choices],
        required=False,
    )
    reason = forms.CharField(label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 2}))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Berkas CSV"))
