from django import forms
from django.utils.translation import gettext_lazy as _


class PollingStationForm(forms.Form):
    dpt_male = forms.IntegerField(label=_("DPT laki-laki"), min_value=0)
    dpt_female = forms.IntegerField(label=_("DPT perempuan"), min_value=0)
    is_special = forms.BooleanField(label=_("TPS lokasi khusus"), required=False)
    lat = forms.FloatField(label=_("Lintang"), required=False)
    lng = forms.FloatField(label=_("Bujur"), required=False)
    address = forms.CharField(label=_("Alamat"), required=False, max_length=255)
