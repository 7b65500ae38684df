from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.turnout.models import TargetGroup


class ReportForm(forms.Form):
    tps_code = forms.CharField(label=_("Kode TPS"), max_length=24)
    checkpoint = forms.ChoiceField(label=_("Titik laporan"))
    voters = forms.IntegerField(label=_("Jumlah pemilih sejauh ini"), min_value=0)
    voters_male = forms.IntegerField(label=_("Laki-laki"), min_value=0, required=False)
    voters_female = forms.IntegerField(label=_("Perempuan"), min_value=0, required=False)
    voted_dpt = forms.IntegerField(label=_("Pemilih DPT"), min_value=0, required=False)
    voted_dptb = forms.IntegerField(label=_("Pemilih DPTb"), min_value=0, required=False)
    voted_dpk = forms.IntegerField(label=_("Pemilih DPK"), min_value=0, required=False)
    valid_ballots = forms.IntegerField(label=_("Suara sah"), min_value=0, required=False)
    invalid_ballots = forms.IntegerField(label=_("Suara tidak sah"), min_value=0, required=False)
    is_correction = forms.BooleanField(label=_("Ini koreksi laporan saya sebelumnya"), required=False)
    note = forms.CharField(label=_("Catatan"), max_length=300, required=False)
    client_id = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, checkpoints=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["checkpoint"]).choices = [(c.code, c.label) for c in checkpoints]


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
