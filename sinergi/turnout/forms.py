import dataclasses
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.turnout.models import TargetGroup
from sinergi.turnout.services import ReportInput

# The labels of a report's counts; which counts there are, and which are required, is `ReportInput`'s.
COUNT_LABELS = {
    "voters": _("Jumlah pemilih sejauh ini"),
    "voters_male": _("Laki-laki"),
    "voters_female": _("Perempuan"),
    "voted_dpt": _("Pemilih DPT"),
    "voted_dptb": _("Pemilih DPTb"),
    "voted_dpk": _("Pemilih DPK"),
    "valid_ballots": _("Suara sah"),
    "invalid_ballots": _("Suara tidak sah"),
}


class ReportForm(forms.Form):
    """The fields of `ReportInput` (the service's declaration of a report), labelled for people."""

    tps_code = forms.CharField(label=_("Kode TPS"), max_length=24)
    checkpoint = forms.ChoiceField(label=_("Titik laporan"))
    is_correction = forms.BooleanField(label=_("Ini koreksi laporan saya sebelumnya"), required=False)
    note = forms.CharField(label=_("Catatan"), max_length=300, required=False)
    client_id = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, checkpoints=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["checkpoint"]).choices = [(c.code, c.label) for c in checkpoints]
        for field in dataclasses.fields(ReportInput):
            if field.name in COUNT_LABELS:
                required = field.default is dataclasses.MISSING
                self.fields[field.name] = forms.IntegerField(
                    label=COUNT_LABELS[field.name], min_value=0, required=required
                )
        self.order_fields([field.name for field in dataclasses.fields(ReportInput)])


class CorrectionForm(forms.Form):
    voters = forms.IntegerField(label=_("Jumlah pemilih yang benar"), min_value=0)
    note = forms.CharField(label=_("Alasan koreksi"), max_length=300)


class OutreachForm(forms.Form):
    desa_code = forms.ChoiceField(label=_("Desa/kelurahan"))
    held_on = forms.DateField(label=_("Tanggal"), widget=forms.DateInput(attrs={"type": "date"}))
    target_group = forms.ChoiceField(label=_("Sasaran"), choices=TargetGroup.choices)
    participants = forms.IntegerField(label=_("Peserta"), min_value=1)
    organiser = forms.CharField(label=_("Penyelenggara"), max_length=200)
    topic = forms.CharField(label=_("Topik"), max_length=200, required=False)

    def __init__(self, *args, desa_choices=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["desa_code"]).choices = list(desa_choices)
